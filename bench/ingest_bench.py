"""Ingest benchmark: ``sitegen ingest`` end to end on a large synthetic listing.

Writes ``--entries`` listing entries (default 50,000) split over ``--files`` seed files that
alternate between the profile shape (like ``seeds/000``) and the compact shape (like
``seeds/001``); about one paper in ten is listed in two files. Each run ingests into a fresh
content folder. Target: under 30 s for 50,000 entries.

    python bench/ingest_bench.py --entries 50000 --files 6 --runs 3
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import measure  # noqa: E402

AS_OF = "2026-06-01"  # fixed, so yearless dates resolve the same on every run
TARGET_SECONDS = 30.0


def ensure_listings(entries: int, files: int, seed: int, out: Path = measure.OUT) -> list[Path]:
    base = out / f"listing-{entries}-f{files}-s{seed}"
    stamp = base / ".stamp"
    if stamp.exists() and stamp.read_text() == measure.generator_stamp():
        return sorted(base.glob("*.txt"))
    measure.remove(base)
    print(f"  writing {entries} entries over {files} files into {base} ...", flush=True)
    paths = corpus.write_listings(base, entries, n_files=files, seed=seed)
    stamp.write_text(measure.generator_stamp())
    return paths


def bench_ingest(paths: list[Path], runs: int, work: Path) -> dict:
    """Returns walls, peak RSS and the number of files ingest wrote (or the error)."""
    walls: list[float] = []
    rss: list[float] = []
    cpus: list[float] = []
    content = work / "content"
    written = {"papers": 0, "authors": 0}
    for _ in range(runs):
        measure.remove(content)
        cmd = [*measure.sitegen_cmd(), "ingest", *map(str, paths),
               "--content", str(content), "--as-of", AS_OF]
        try:
            result = measure.checked(cmd, cwd=work)
        except RuntimeError as exc:
            return {"error": str(exc).splitlines()[-1], "walls": walls, "rss": rss,
                    "cpus": cpus, **written}
        walls.append(result.wall)
        rss.append(result.max_rss_mb)
        cpus.append(result.cpu)
    written["papers"] = len(list((content / "papers").glob("*.yaml")))
    written["authors"] = len(list((content / "authors").glob("*.yaml")))
    return {"error": "", "walls": walls, "rss": rss, "cpus": cpus, **written}


def collect(entries: int, files: int, runs: int, seed: int = 0,
            workdir: Path | None = None) -> list[measure.Row]:
    """``workdir``: where the content is written (default bench/out; a tmpfs takes the
    disk out of the figure, see the README)."""
    print(f"== ingest, {entries} entries" + (f" (in {workdir})" if workdir else ""), flush=True)
    paths = ensure_listings(entries, files, seed)
    size_mb = sum(p.stat().st_size for p in paths) / 1e6
    print(f"  {len(paths)} files, {size_mb:.1f} MB", flush=True)
    work = (workdir or measure.OUT) / "ingest-work"
    work.mkdir(parents=True, exist_ok=True)
    result = bench_ingest(paths, runs, work)
    walls = result["walls"]
    if not walls or result["error"]:
        note = result["error"][:60]
    else:
        wall = measure.median(walls)
        verdict = "meets" if wall < TARGET_SECONDS else "MISSES"
        note = (f"{result['papers']} papers, {result['authors']} authors written; "
                f"{verdict} {TARGET_SECONDS:.0f} s target; min {min(walls):.2f} s")
    row = measure.Row("ingest", f"{entries} entries/{len(paths)} files", "sitegen", "cold",
                      measure.median(walls), max(result["rss"], default=float("nan")),
                      "-", note, measure.median(result["cpus"]))
    print(measure.rows_table([row]), flush=True)
    return [row]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="time sitegen ingest on a large listing")
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--files", type=int, default=6)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="write the content here, e.g. /dev/shm/sitegen-bench")
    args = parser.parse_args(argv)
    collect(args.entries, args.files, args.runs, args.seed, args.workdir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
