"""Run every benchmark with small default sizes and print one combined table.

    python bench/run.py                 # quick: seed site, 5,000-entry ingest, 1,000-paper build
    python bench/run.py --full          # the sizes the targets are stated for
    python bench/run.py --sizes 1000,10000 --entries 20000 --runs 5
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_bench  # noqa: E402
import ingest_bench  # noqa: E402
import measure  # noqa: E402
import seed_build  # noqa: E402

QUICK = {"sizes": "1000", "entries": 5000}
FULL = {"sizes": "1000,10000,50000", "entries": 50_000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run all sitegen benchmarks")
    parser.add_argument("--full", action="store_true",
                        help="50,000-entry ingest and 1k/10k/50k-paper builds")
    parser.add_argument("--sizes", default=None, help="build sizes, comma-separated")
    parser.add_argument("--entries", type=int, default=None, help="ingest listing entries")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None,
                        help="build corpora in this folder (e.g. a tmpfs: /dev/shm/sitegen-bench)")
    args = parser.parse_args(argv)
    preset = FULL if args.full else QUICK
    sizes = [int(s) for s in (args.sizes or preset["sizes"]).split(",") if s.strip()]
    entries = args.entries or preset["entries"]

    rows: list[measure.Row] = []
    rows += seed_build.collect(args.runs)
    rows += ingest_bench.collect(entries, 6, args.runs, args.seed, args.workdir)
    rows += build_bench.collect(sizes, args.runs, args.seed, workdir=args.workdir)
    print()
    print(f"sitegen benchmarks: {args.runs} run(s) each; median wall time, max peak RSS")
    print(measure.rows_table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
