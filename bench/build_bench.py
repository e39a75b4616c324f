"""Build benchmark: ``sitegen build`` against Hugo on the same synthetic corpus.

For each size the corpus is generated once and cached under ``bench/out/corpus-<N>-s<seed>/``
(``sitegen/content`` for sitegen, ``hugo/`` for an equivalent Hugo site). Each tool then builds
it ``--runs`` times from cold (output and caches deleted first), the two tools in turn: the
ratio to Hugo of the cold builds is the median of each pair's ratio. sitegen is also timed on a
rebuild with nothing changed and on a rebuild after one paper file was edited, the last
both by itself (``--no-server``) and with the project's build server running. With the
server, four kinds of edit are timed: the abstract (the paper's page and its authors'
pages change), the title (every listing showing the paper too), the date (the paper moves
in every list it is on) and the author list (it moves between authors' lists).

    python bench/build_bench.py --sizes 1000,10000,50000 --runs 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
import measure  # noqa: E402

EDITED_PAPER_NOTE = " This sentence was added to time a one-file rebuild."


@dataclass
class Series:
    """Repeated measurements of one tool in one mode."""

    tool: str
    mode: str
    walls: list[float] = field(default_factory=list)
    rss: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    tails: list[float] = field(default_factory=list)  # detached cache save after the run
    pages: str = "-"
    error: str = ""

    def add(self, result: measure.Run) -> None:
        self.walls.append(result.wall)
        self.rss.append(result.max_rss_mb)
        self.cpus.append(result.cpu)

    @property
    def wall(self) -> float:
        return measure.median(self.walls)

    @property
    def peak(self) -> float:
        return max(self.rss) if self.rss else float("nan")


def ensure_corpus(n: int, seed: int, out: Path = measure.OUT) -> Path:
    base = out / f"corpus-{n}-s{seed}"
    stamp = base / ".stamp"
    if stamp.exists() and stamp.read_text() == measure.generator_stamp():
        return base
    measure.remove(base)
    print(f"  generating {n} papers into {base} ...", flush=True)
    counts = corpus.write_all(n, base, seed=seed)
    print(f"  {counts['papers']} papers, {counts['authors']} authors", flush=True)
    stamp.write_text(measure.generator_stamp())
    return base


def ensure_hugo() -> str | None:
    """Hugo from Debian (apt-get), installed on first use; None when it cannot be had."""
    exe = shutil.which("hugo")
    if exe is None:
        print("  hugo not found; installing it with apt-get ...", flush=True)
        install = ["apt-get", "install", "-y", "-qq", "hugo"]
        if subprocess.run(install, capture_output=True).returncode != 0:
            # A fresh machine has no package lists yet.
            subprocess.run(["apt-get", "update", "-qq"], capture_output=True)
            subprocess.run(install, capture_output=True)
        exe = shutil.which("hugo")
    if exe is None:
        print("  hugo is not available; skipping the Hugo side", flush=True)
        return None
    version = subprocess.run([exe, "version"], capture_output=True, text=True).stdout.strip()
    print(f"  {version}", flush=True)
    return exe


def _hugo_cold(exe: str, base: Path, series: Series) -> None:
    site, dest = base / "hugo", base / "hugo-public"
    measure.remove(dest)
    measure.remove(site / "resources")
    measure.remove(site / ".hugo_build.lock")
    series.add(measure.checked(
        [exe, "--quiet", "--destination", str(dest), "--source", str(site)]
    ))


#: The options of every timed ``sitegen build`` (and of the build server, which keeps the
#: builder of exactly these options in memory).
SITE_OPTIONS = ["--content", "content", "--out", "output"]


def _sitegen_build(project: Path, tails: list[float], *extra: str,
                   quiet: bool = True) -> measure.Run:
    result = measure.checked(
        [*measure.sitegen_cmd(), "build", *(["--quiet"] if quiet else []), *SITE_OPTIONS,
         *extra], cwd=project,
    )
    tails.append(measure.wait_for_cache_save(project))
    return result


def _cold_reset(project: Path) -> None:
    measure.remove(project / "output")
    measure.remove(project / ".sitegen-cache")


def bench_cold(hugo_exe: str | None, base: Path, runs: int,
               with_sitegen: bool) -> tuple[Series | None, Series | None]:
    """Cold builds of both tools, run in pairs: Hugo then sitegen, sitegen then Hugo, ...

    The machine's speed drifts over minutes (other load, a shared host): paired runs see
    the same machine, so the ratio of each pair, whose median ``to_rows`` reports, holds
    still where the ratio of two medians taken minutes apart does not.
    """
    hugo = Series("hugo", "cold") if hugo_exe else None
    cold = Series("sitegen", "cold") if with_sitegen else None
    project = base / "sitegen"
    for k in range(runs):
        for tool in (("hugo", "sitegen") if k % 2 == 0 else ("sitegen", "hugo")):
            if tool == "hugo" and hugo is not None and hugo_exe is not None:
                _hugo_cold(hugo_exe, base, hugo)
            elif tool == "sitegen" and cold is not None and not cold.error:
                _cold_reset(project)
                try:
                    cold.add(_sitegen_build(project, cold.tails, "--no-server"))
                except RuntimeError as exc:
                    message = str(exc).splitlines()
                    cold.error = message[-1] if message else "failed"
    if hugo is not None:
        hugo.pages = measure.count_pages(base / "hugo-public")
    if cold is not None and cold.walls:
        cold.pages = measure.count_pages(project / "output")
    return cold, hugo


def bench_sitegen(base: Path, runs: int, cold: Series | None = None) -> list[Series]:
    """Every sitegen series; the cold one is measured here unless ``bench_cold`` did."""
    project = base / "sitegen"
    if cold is None:
        cold, _ = bench_cold(None, base, runs, True)
        assert cold is not None
    same = Series("sitegen", "no change")
    edit = Series("sitegen", "1 paper edited")
    served = [Series("sitegen", f"1 {kind} edited, server" if kind != "abstract"
                     else "1 paper edited, server") for kind in EDIT_KINDS]
    if cold.error:
        return [cold]
    try:
        for _ in range(runs):
            same.add(_sitegen_build(project, same.tails, "--no-server"))
        same.pages = cold.pages
        edit.pages = cold.pages
        target = sorted((project / "content" / "papers").glob("*.yaml"))[0]
        original = target.read_bytes()
        try:
            for k in range(runs):
                _edit_paper(project / "content", target, k)
                edit.add(_sitegen_build(project, edit.tails, "--no-server"))
            bench_server(project, target, runs, served)
        finally:
            target.write_bytes(original)
    except RuntimeError as exc:
        message = str(exc).splitlines()
        for series in (same, edit, *served):
            series.error = message[-1] if message else "failed"
        print(f"  sitegen build failed: {exc}", flush=True)
    return [cold, same, edit, *served, *bench_in_process(project, runs)]


def bench_server(project: Path, target: Path, runs: int, served: list[Series]) -> None:
    """``sitegen build`` after one edit, with the project's build server running.

    The command is the same as in the other rows; it hands the build to the server
    (``sitegen server start``), which knows the edited file from its change journal. The
    CPU time is the client's and the server's together; the peak memory is the server's.
    One series per kind of edit (``EDIT_KINDS``), in that order, on the same server.
    """
    from sitegen.buildserver.address import address
    from sitegen.buildserver.client import ask

    cmd = measure.sitegen_cmd()
    measure.checked([*cmd, "server", "start", *SITE_OPTIONS], cwd=project)
    try:
        status = ask(address(project), {"op": "status"})
        if status is None:
            raise RuntimeError("the build server does not answer")
        pid = int(status["pid"])
        for kind, series in zip(EDIT_KINDS, served, strict=True):
            files: list[int] = []
            for k in range(max(runs, 5)):
                _edit_paper(project / "content", target, 100 + k, kind)
                before = measure.process_cpu(pid)
                run = _sitegen_build(project, series.tails, quiet=False)  # says what it wrote
                series.walls.append(run.wall)
                series.cpus.append(run.cpu + measure.process_cpu(pid) - before)  # both sides
                files.append(_files_written(run.output))
            series.rss.append(measure.peak_rss_mb(pid))
            series.pages = f"{sorted(files)[len(files) // 2]} written"
    finally:
        measure.run([*cmd, "server", "stop"], cwd=project)


def _files_written(output: str) -> int:
    """The number of files a build reports it wrote (``updated N files``), else 0."""
    import re

    found = re.search(r"updated (\d+) files", output)
    return int(found.group(1)) if found else 0


def bench_in_process(project: Path, runs: int) -> list[Series]:
    """A long-lived SiteBuilder (what ``sitegen serve`` runs): one edit, then a rebuild.

    Times come from inside the process (bench/edit_latency.py); peak RSS is that process's.
    """
    watcher = Series("sitegen", "1 edit, in-process (watcher)")
    scanned = Series("sitegen", "1 edit, in-process (scan)")
    script = Path(__file__).resolve().parent / "edit_latency.py"
    try:
        result = measure.checked([sys.executable, str(script), str(project), "--runs",
                                  str(max(runs, 3))])
    except RuntimeError as exc:
        watcher.error = scanned.error = str(exc).splitlines()[-1]
        return [watcher, scanned]
    data = json.loads(result.output.strip().splitlines()[-1])
    for series, key in ((watcher, "edit_watcher"), (scanned, "edit_scan")):
        series.walls.append(data[key])
        series.cpus.append(float("nan"))
        series.rss.append(result.max_rss_mb)
        series.pages = f"{data['files_written']} written"
    return [watcher, scanned]


#: The kinds of one-paper edit timed with the build server (see the module docstring).
EDIT_KINDS = ("abstract", "title", "date", "authors")


def _edit_paper(content: Path, path: Path, k: int, kind: str = "abstract") -> None:
    """A hand edit, written as ingest writes.

    ``abstract``: the abstract gains one sentence per run; ``title``: the title gets a
    new ending, keeping its place; ``date``: the paper moves one day on, into another
    place in every list; ``authors``: the last author is swapped for the first author of
    another paper, and back.
    """
    from sitegen.content.store import load_paper, write_paper

    paper = load_paper(path, content)
    if kind == "abstract":
        paper.abstract = paper.abstract + EDITED_PAPER_NOTE + f" ({k})"
    elif kind == "title":
        paper.title = paper.title.split(" [rev")[0] + f" [rev {k}]"
    elif kind == "date":
        year, month, day = paper.date.split("-")
        paper.date = f"{year}-{month}-{int(day) % 28 + 1:02d}"
    elif kind == "authors":
        others = sorted(path.parent.glob("*.yaml"))
        other = load_paper(others[(k * 7919) % len(others)], content)
        swap = next((a for a in other.authors if a not in paper.authors), None)
        if swap is not None:
            paper.authors = [*paper.authors[:-1], swap] if len(paper.authors) > 1 \
                else [*paper.authors, swap]
    write_paper(content, paper)


def to_rows(size: int, series: list[Series]) -> list[measure.Row]:
    hugo = next((s for s in series if s.tool == "hugo" and s.walls), None)
    rows = []
    for s in series:
        note = s.error[:60]
        if hugo and s.walls and s.tool != "hugo":
            note = f"{s.wall / hugo.wall:.2f}x hugo"
            if s.mode == "cold" and len(s.walls) == len(hugo.walls):
                pairs = sorted(a / b for a, b in zip(s.walls, hugo.walls, strict=True))
                note = (f"{measure.median(pairs):.2f}x hugo (pairs {pairs[0]:.2f}-"
                        f"{pairs[-1]:.2f})")
        tail = measure.median(s.tails)
        if s.walls and tail >= 0.05:
            note = f"{note}; then {tail:.1f} s detached cache save".lstrip("; ")
        rows.append(measure.Row("build", str(size), s.tool, s.mode, s.wall, s.peak,
                                s.pages if s.walls else "-", note,
                                measure.median(s.cpus)))
    return rows


def stage(base: Path, workdir: Path | None) -> Path:
    """The corpus to build: ``base`` itself, or a fresh copy of it under ``workdir``.

    Builds write tens of thousands of files, so the file system takes part in the timing.
    ``--workdir /dev/shm/...`` (a tmpfs) measures the generators rather than the disk; both
    tools are copied there and build there.
    """
    if workdir is None:
        return base
    target = workdir / base.name
    measure.remove(target)
    target.mkdir(parents=True)
    for part in ("sitegen", "hugo"):
        if (base / part).is_dir():
            shutil.copytree(base / part, target / part, ignore=shutil.ignore_patterns(
                "output", ".sitegen-cache", "resources", ".hugo_build.lock"))
    return target


def collect(sizes: list[int], runs: int, seed: int = 0,
            tools: frozenset[str] = frozenset({"sitegen", "hugo"}),
            workdir: Path | None = None) -> list[measure.Row]:
    """Benchmark every size; prints each size's table as soon as it is measured."""
    hugo_exe = ensure_hugo() if "hugo" in tools else None
    rows: list[measure.Row] = []
    for n in sizes:
        print(f"== build, {n} papers" + (f" (in {workdir})" if workdir else ""), flush=True)
        base = stage(ensure_corpus(n, seed), workdir)
        series: list[Series] = []
        try:
            cold, hugo = bench_cold(hugo_exe, base, runs, "sitegen" in tools)
            if hugo is not None:
                series.append(hugo)
            if cold is not None:
                series = bench_sitegen(base, runs, cold) + series
        finally:
            if workdir is not None:
                measure.remove(base)
        size_rows = to_rows(n, series)
        print(measure.rows_table(size_rows), flush=True)
        rows += size_rows
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="sitegen build vs Hugo")
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="comma-separated corpus sizes (papers)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tools", default="sitegen,hugo", help="sitegen, hugo or both")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="build a copy of each corpus here, e.g. /dev/shm/sitegen-bench "
                             "(tmpfs: leaves the disk out of the figures)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    tools = frozenset(t.strip() for t in args.tools.split(","))
    rows = collect(sizes, args.runs, args.seed, tools, args.workdir)
    print()
    where = f", built in {args.workdir}" if args.workdir else ""
    print(f"build benchmark: {args.runs} run(s) each{where}; median wall time, max peak RSS")
    print(measure.rows_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
