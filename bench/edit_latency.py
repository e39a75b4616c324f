"""In-process rebuild latency: what a preview server sees after one file is saved.

``sitegen build`` pays for Python start-up and for loading the cache on every run; a
long-lived ``SiteBuilder`` (``sitegen serve``) keeps the previous build in memory. This
script times the latter on a built project: one ``build()`` to load the cache, then, per
run, an edit to one paper's abstract followed by ``build([that file])`` (a watcher's call)
and ``build()`` (stat and hash everything).

    python bench/edit_latency.py bench/out/corpus-10000-s0/sitegen --runs 5

Prints one JSON line: median seconds of each kind of call and the files written.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

EDITED_NOTE = " This sentence was added to time an in-process rebuild."


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="in-process incremental rebuild latency")
    parser.add_argument("project", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from sitegen.content.store import load_paper, write_paper
    from sitegen.incremental import SiteBuilder

    # The same options as build_bench's ``sitegen build --content content --out output``
    # run in the project folder, so the cache that command left is used as it is.
    os.chdir(args.project)
    content = Path("content")
    builder = SiteBuilder(Path("."), content_dir=content, out_dir=Path("output"))
    started = time.perf_counter()
    first = builder.build()
    load = time.perf_counter() - started
    target = sorted((content / "papers").glob("*.yaml"))[0]
    original = target.read_bytes()
    watcher: list[float] = []
    scanning: list[float] = []
    unchanged: list[float] = []
    written: list[int] = []
    try:
        for k in range(args.runs):
            for calls, mode in ((watcher, "watcher"), (scanning, "scan")):
                paper = load_paper(target, content)
                paper.abstract += EDITED_NOTE + f" ({mode} {k})"
                write_paper(content, paper)
                started = time.perf_counter()
                result = builder.build([target]) if mode == "watcher" else builder.build()
                calls.append(time.perf_counter() - started)
                written.append(len(result.written))
            started = time.perf_counter()
            builder.build()
            unchanged.append(time.perf_counter() - started)
    finally:
        target.write_bytes(original)
        builder.build()
    print(json.dumps({
        "first_build": round(load, 3), "first_mode": first.mode,
        "edit_watcher": round(statistics.median(watcher), 4),
        "edit_scan": round(statistics.median(scanning), 4),
        "unchanged": round(statistics.median(unchanged), 4),
        "files_written": max(written),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
