"""Timing one child process: wall time and that child's own peak memory.

``os.wait4`` returns the resource usage of exactly the process waited for (including its own
waited-for children), so each run gets its own peak RSS instead of the running maximum that
``getrusage(RUSAGE_CHILDREN)`` would report across runs.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"


@dataclass
class Run:
    wall: float  # seconds
    max_rss_mb: float
    returncode: int
    output: str  # stdout + stderr, for error reports
    cpu: float = 0.0  # user + system seconds: steadier than wall time on a busy machine


def run(cmd: list[str], cwd: Path | None = None) -> Run:
    """Run ``cmd`` to completion and measure it; output goes to a temp file, not a pipe."""
    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read().decode("utf-8", "replace")
    # ru_maxrss is in kilobytes on Linux.
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, usage.ru_maxrss / 1024, proc.returncode, output, cpu)


def checked(cmd: list[str], cwd: Path | None = None) -> Run:
    result = run(cmd, cwd)
    if result.returncode != 0:
        tail = "\n".join(result.output.splitlines()[-15:])
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{tail}")
    return result


def generator_stamp() -> str:
    """Cached corpora are regenerated whenever the generator's code changes."""
    return hashlib.sha256((REPO / "bench" / "corpus.py").read_bytes()).hexdigest()[:16]


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def count_pages(out: Path) -> str:
    """``html/all`` files written: the common units for comparing two generators."""
    if not out.is_dir():
        return "-"
    files = [p for p in out.rglob("*") if p.is_file()]
    return f"{sum(p.suffix == '.html' for p in files)}/{len(files)}"


def remove(path: Path) -> None:
    """Delete a file or tree; retried, because a previous run's leftover process may still
    be deleting or writing inside it."""
    for _ in range(20):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)
        if not path.exists() and not path.is_symlink():
            return
        time.sleep(0.25)
    raise RuntimeError(f"cannot remove {path}")


def wait_for_cache_save(project: Path) -> float:
    """Wait until no process writes sitegen's cache; returns the seconds waited.

    ``sitegen build`` may hand the cache save of a big site to a child that outlives it.
    The build's own time rightly ends without it, but the next timed run must not overlap
    it, and the report shows how long it went on.
    """
    lock = project / ".sitegen-cache" / "lock"
    if not lock.exists():
        return 0.0
    start = time.perf_counter()
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return 0.0
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)
    except OSError:
        pass
    finally:
        os.close(fd)
    return time.perf_counter() - start


def process_cpu(pid: int) -> float:
    """User + system CPU seconds a running process has used so far (Linux); 0 if unknown."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a running process (Linux), in MB; nan where unknown."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return float("nan")


def sitegen_cmd() -> list[str]:
    """The installed console script when present, else the module (same code either way).

    sitegen's modules are byte-compiled first, as installing a package does: with
    ``PYTHONDONTWRITEBYTECODE`` set (some containers set it) an editable install would
    otherwise compile every module again on every run, which is not what users run.
    """
    import compileall

    import sitegen

    compileall.compile_dir(str(Path(sitegen.__file__).parent), quiet=1)
    # The script pip installed beside this interpreter, not the first ``sitegen`` on PATH:
    # version managers (pyenv) put a shell shim there that costs about 50 ms per run.
    beside = Path(sys.executable).parent / "sitegen"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    exe = shutil.which("sitegen")
    return [exe] if exe else [sys.executable, "-m", "sitegen.cli"]


def table(rows: list[list[str]], header: list[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def fmt_s(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds:.2f} s"


def fmt_mb(mb: float) -> str:
    return "-" if mb != mb else f"{mb:.0f} MB"


@dataclass
class Row:
    """One line of the combined report."""

    bench: str
    size: str
    tool: str
    mode: str
    wall: float = float("nan")  # median seconds
    rss: float = float("nan")  # max MB
    pages: str = "-"
    note: str = ""
    cpu: float = float("nan")  # median user+system seconds

    def cells(self) -> list[str]:
        return [self.bench, self.size, self.tool, self.mode, fmt_s(self.wall),
                fmt_s(self.cpu), fmt_mb(self.rss), self.pages, self.note]


ROW_HEADER = ["bench", "size", "tool", "mode", "wall (median)", "cpu (median)", "peak RSS",
              "html/files", "note"]


def rows_table(rows: list[Row]) -> str:
    return table([r.cells() for r in rows], ROW_HEADER)
