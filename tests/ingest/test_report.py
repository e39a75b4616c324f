"""The ingest report: per-seed summary printed, the same written as YAML, deterministically."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from sitegen.content.yamlio import parse_yaml
from sitegen.ingest.pipeline import REPORT_FILE, ingest_docs
from sitegen.ingest.records import Issue
from sitegen.ingest.report import IngestReport, Located, SeedReport

sys.path.insert(0, str(Path(__file__).parent))
from recordkit import sample_docs  # noqa: E402

AS_OF = datetime.date(2026, 11, 25)


def test_report_file_lists_every_seed(tmp_path):
    docs = sample_docs()
    docs[1].issues.append(Issue(line=9, message="truncated block: no abstract"))
    report = ingest_docs(docs, tmp_path, AS_OF)
    data = parse_yaml((tmp_path / REPORT_FILE).read_text(encoding="utf-8"), REPORT_FILE)
    assert data["as_of"] == "2026-11-25"
    assert data["totals"] == {"entries": 4, "papers": 3, "papers_in_several_seeds": 1,
                              "authors": 6}
    assert data["seeds"]["000_a.txt"] == {
        "path": "000_a.txt", "shape": "profile", "owner": "Ada Lovelace",
        "owner_from": "header", "entries": 2, "merges": 1, "unmatched": [], "warnings": [],
    }
    assert data["seeds"]["001_b.txt"]["warnings"] == [
        {"line": 9, "message": "truncated block: no abstract"}
    ]
    abstracts = data["seeds"]["002_c.txt"]
    assert (abstracts["abstracts"], abstracts["matched"]) == (2, 1)
    assert abstracts["likely_owner"] == "Ada Lovelace"
    assert abstracts["unmatched"] == [{"line": 6, "message": "no similar paper"}]
    assert data["errors"] == [] and data["deleted_by_hand"] == []
    assert report.summary_lines()[:4] == [
        "000_a.txt: profile, Ada Lovelace (header), 2 entries, 1 merged, 0 unmatched, 0 warnings",
        "001_b.txt: compact, Joshua Susskind (inferred), 2 entries, 1 merged, 0 unmatched, "
        "1 warnings",
        "002_c.txt: abstracts, no owner, 1/2 abstracts matched, likely owner Ada Lovelace, "
        "1 unmatched, 0 warnings",
        "  002_c.txt:6: abstract not attached: no similar paper",
    ]


def test_report_is_byte_identical_across_runs(tmp_path):
    ingest_docs(sample_docs(), tmp_path / "a", AS_OF)
    ingest_docs(sample_docs(), tmp_path / "a", AS_OF)  # second run: files unchanged
    ingest_docs(sample_docs(), tmp_path / "b", AS_OF)
    assert (tmp_path / "a" / REPORT_FILE).read_bytes() == (tmp_path / "b" / REPORT_FILE).read_bytes()


def test_failed_seed_is_reported_with_its_error():
    seed = SeedReport(source="005.txt", path="seeds/005.txt", error="file is empty")
    report = IngestReport(as_of="2026-01-01", seeds=[seed], errors=["seeds/005.txt: file is empty"])
    assert report.failed
    assert report.to_dict()["seeds"] == {"005.txt": {"path": "seeds/005.txt",
                                                     "error": "file is empty"}}
    assert report.summary_lines()[0] == "seeds/005.txt: error: file is empty"


def test_located_round_trip():
    assert Located(3, "x").to_dict() == {"line": 3, "message": "x"}
