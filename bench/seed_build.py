"""Seed-site benchmark: ``sitegen build`` of the site made from the repository's five seeds.

The seeds are ingested once into ``bench/out/seed-site/content`` (the repository's own
``content/`` is never touched; pass ``--content`` to time another folder), then the site is
built ``--runs`` times from cold. Target: median under 1 s.

    python bench/seed_build.py --runs 5
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

TARGET_SECONDS = 1.0
PROJECT = measure.OUT / "seed-site"


def prepare(content: Path | None) -> Path:
    """A project folder whose content/ is the ingested seeds (or a copy of ``content``)."""
    measure.remove(PROJECT)
    PROJECT.mkdir(parents=True)
    target = PROJECT / "content"
    if content is not None:
        shutil.copytree(content, target)
        return PROJECT
    seeds = sorted((measure.REPO / "seeds").glob("*.txt"))
    measure.checked(
        [*measure.sitegen_cmd(), "ingest", *map(str, seeds), "--content", str(target)],
        cwd=PROJECT,
    )
    return PROJECT


def bench(project: Path, runs: int) -> tuple[list[float], list[float], list[float], str]:
    walls: list[float] = []
    rss: list[float] = []
    cpus: list[float] = []
    for _ in range(runs):
        measure.remove(project / "output")
        measure.remove(project / ".sitegen-cache")
        result = measure.checked(
            [*measure.sitegen_cmd(), "build", "--quiet", "--content", "content", "--out", "output"],
            cwd=project,
        )
        walls.append(result.wall)
        rss.append(result.max_rss_mb)
        cpus.append(result.cpu)
    return walls, rss, cpus, measure.count_pages(project / "output")


def collect(runs: int, content: Path | None = None) -> list[measure.Row]:
    print("== seed-site build", flush=True)
    try:
        project = prepare(content)
        walls, rss, cpus, pages = bench(project, runs)
    except RuntimeError as exc:
        row = measure.Row("seed build", "5 seeds", "sitegen", "cold",
                          note=str(exc).splitlines()[-1][:60])
        print(measure.rows_table([row]), flush=True)
        return [row]
    papers = len(list((project / "content" / "papers").glob("*.yaml")))
    authors = len(list((project / "content" / "authors").glob("*.yaml")))
    wall = measure.median(walls)
    verdict = "meets" if wall < TARGET_SECONDS else "MISSES"
    row = measure.Row("seed build", f"{papers} papers/{authors} authors", "sitegen", "cold",
                      wall, max(rss), pages,
                      f"{verdict} {TARGET_SECONDS:.0f} s target; min {min(walls):.2f} s",
                      measure.median(cpus))
    print(measure.rows_table([row]), flush=True)
    return [row]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time sitegen build of the five-seed site")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--content", type=Path, default=None,
                        help="content folder to build instead of freshly ingested seeds/")
    args = parser.parse_args(argv)
    collect(args.runs, args.content)
    return 0


if __name__ == "__main__":
    sys.exit(main())
