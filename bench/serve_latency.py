"""Live-preview latency: from writing a paper file to the open page showing the new title.

For each site a real ``sitegen serve`` runs on a loopback port, headless Chromium (the
system's, ``/usr/bin/chromium``) opens one paper page, and the paper's title is changed
``--edits`` times, one save at a time, the way an editor saves (temp file + rename). The
clock starts when the file is written and stops when the reloaded page has parsed its new
title (``DOMContentLoaded`` of the new document, from the browser's navigation timing, on the
same wall clock). Nobody reloads the page but the preview itself. "harness saw it" is when
Playwright's per-frame check noticed, which adds its own round trips.

Sites: ``seed`` is the site made from the repository's five seeds (ingested by
``seed_build.py``); a number is a synthetic corpus of that many papers (``corpus.py``).

    python bench/serve_latency.py                       # seed site and 10,000 papers
    python bench/serve_latency.py --sites seed --edits 9

Prints, per site: the startup time (first build until the server listens), the median,
minimum and maximum edit-to-visible latency, and the median rebuild time the server reports.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import measure  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", "--no-first-run"]
ENTRY = "import sys; from sitegen.cli import main; sys.exit(main())"
# when the reloaded document had its new title parsed (epoch ms, the same clock as time.time)
NAVIGATION_JS = "performance.timeOrigin + performance.timing.domContentLoadedEventEnd" \
    " - performance.timing.navigationStart"
REBUILT = re.compile(r"^rebuilt (\d+) files in (\d+) ms")


@dataclass
class Server:
    proc: subprocess.Popen[str]
    lines: list[str] = field(default_factory=list)
    cond: threading.Condition = field(default_factory=threading.Condition)

    def read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            with self.cond:
                self.lines.append(line.rstrip("\n"))
                self.cond.notify_all()

    def wait_for(self, pattern: str, start: int = 0, timeout: float = 600) -> re.Match[str]:
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                for line in self.lines[start:]:
                    if found := regex.search(line):
                        return found
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise RuntimeError(f"sitegen serve: no {pattern!r}:\n" + "\n".join(self.lines))
                self.cond.wait(0.2)


def seed_project() -> Path:
    import seed_build

    return seed_build.prepare(None)


def corpus_project(n: int) -> Path:
    import build_bench

    return build_bench.ensure_corpus(n, 0) / "sitegen"


def fresh_project(name: str, source: Path) -> Path:
    """A private project holding a copy of ``source``'s content (the edits stay there)."""
    project = measure.OUT / f"serve-{name}"
    measure.remove(project)
    shutil.copytree(source / "content", project / "content")
    return project


def save(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.saving")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def measure_site(name: str, project: Path, edits: int, pause: float) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    papers = sorted((project / "content" / "papers").glob("*.yaml"))
    paper = papers[len(papers) // 2]
    original = paper.read_text(encoding="utf-8")
    first, rest = original.split("\n", 1)
    assert first.startswith("title:"), paper

    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", ENTRY, "serve", "--project", str(project), "--port", "0"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    server = Server(proc)
    threading.Thread(target=server.read, daemon=True).start()
    latencies: list[float] = []
    detected: list[float] = []
    rebuilds: list[float] = []
    try:
        url = server.wait_for(r"^Serving (http://\S+) ").group(1)
        startup = time.perf_counter() - started
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            page = browser.new_page()
            page.goto(f"{url}papers/{paper.stem}/")
            for i in range(edits):
                title = f"Latency probe {i}"
                mark = len(server.lines)
                save(paper, f"title: {title}\n{rest}")
                wrote = time.time() * 1000
                page.wait_for_function(
                    "t => document.querySelector('main h1')?.textContent === t",
                    arg=title, polling="raf", timeout=120_000)
                seen = time.time() * 1000
                loaded = page.evaluate(NAVIGATION_JS)
                latencies.append((loaded - wrote) / 1000)
                detected.append((seen - wrote) / 1000)
                rebuilds.append(int(server.wait_for(REBUILT.pattern, mark).group(2)) / 1000)
                print(f"  {name}: edit {i + 1}: on screen {latencies[-1] * 1000:.0f} ms, "
                      f"detected {detected[-1] * 1000:.0f} ms "
                      f"(rebuild {rebuilds[-1] * 1000:.0f} ms)", flush=True)
                time.sleep(pause)
            browser.close()
    finally:
        save(paper, original)
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        proc.wait(120)
    return {
        "papers": len(papers),
        "startup": startup,
        "median": statistics.median(latencies),
        "min": min(latencies),
        "max": max(latencies),
        "rebuild": statistics.median(rebuilds),
        "detected": statistics.median(detected),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", default="seed,10000",
                        help="comma-separated: seed and/or corpus sizes [seed,10000]")
    parser.add_argument("--edits", type=int, default=7)
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between edits")
    args = parser.parse_args(argv)
    rows: list[list[str]] = []
    for name in args.sites.split(","):
        name = name.strip()
        source = seed_project() if name == "seed" else corpus_project(int(name))
        project = fresh_project(name, source)
        print(f"== {name}: {project}", flush=True)
        r = measure_site(name, project, args.edits, args.pause)
        rows.append([name, f"{r['papers']:.0f}", f"{r['startup']:.1f} s",
                     f"{r['median'] * 1000:.0f} ms",
                     f"{r['min'] * 1000:.0f}-{r['max'] * 1000:.0f} ms",
                     f"{r['detected'] * 1000:.0f} ms", f"{r['rebuild'] * 1000:.0f} ms"])
    print(measure.table(rows, ["site", "papers", "startup", "write->on screen (median)",
                               "min-max", "harness saw it", "rebuild (median)"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
