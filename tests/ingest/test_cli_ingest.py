"""``sitegen ingest`` end to end on copies of the real seeds."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sitegen.cli import main
from sitegen.content.store import load_corpus
from sitegen.content.yamlio import parse_yaml

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "seeds"
AS_OF = "2026-11-25"

pytest.importorskip("sitegen.ingest.readers")


@pytest.fixture
def site(tmp_path, monkeypatch):
    shutil.copytree(SEEDS, tmp_path / "seeds", ignore=shutil.ignore_patterns("owners.yaml"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def ingest(*args: str) -> int:
    return main(["ingest", *args, "--as-of", AS_OF])


def files(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_seeds_become_a_valid_content_folder(site, capsys):
    assert ingest() == 0
    out = capsys.readouterr().out
    corpus = load_corpus(site / "content")
    assert len(corpus.papers) == 122
    assert sum(len({s for s in p.sources if not s.startswith("002_")}) > 1
               for p in corpus.papers.values()) == 8
    assert "130 entries -> 122 papers (8 in several seeds)" in out
    owners = {a.name for a in corpus.authors.values() if a.profile}
    assert {"Etai Littwin", "Daniel Soudry", "Tomer Galanti"} <= owners
    littwin = corpus.authors["etai-littwin"]
    assert (littwin.metrics.h_index, littwin.metrics.papers, littwin.metrics.citations) == (
        24, 29, 866)
    # Every written name resolves to exactly one author.
    spellings: dict[str, str] = {}
    for slug, author in corpus.authors.items():
        for name in [author.name, *author.aliases]:
            assert name not in spellings, name
            spellings[name] = slug
    for paper in corpus.papers.values():
        assert all(name in spellings for name in paper.authors)
    # Distinct papers with similar titles stay apart.
    titles = {p.title for p in corpus.papers.values()}
    assert "Task Agnostic Continual Learning Using Online Variational Bayes" in titles
    assert ("Task Agnostic Continual Learning Using Online Variational Bayes with "
            "Fixed-Point Updates") in titles


def test_bare_abstracts_attach_to_their_papers(site, capsys):
    assert ingest() == 0
    out = capsys.readouterr().out
    corpus = load_corpus(site / "content")
    with_bare = [p for p in corpus.papers.values() if "002_e4fab40855b2afd9.txt" in p.sources]
    assert len(with_bare) == 9
    assert all("etai-littwin" in p.profiles for p in with_bare)
    versions = {p.slug for p in corpus.papers.values() if p.abstract_versions}
    assert "stabilizing-transformer-training-by-preventing-attention-entropy-collapse" in versions
    assert "likely owner Etai Littwin" in out
    assert "seeds/002_e4fab40855b2afd9.txt:38: abstract not attached" in out


def test_second_run_rewrites_nothing(site):
    assert ingest() == 0
    for p in (site / "content").rglob("*"):
        if p.is_file():
            os.utime(p, ns=(1_000_000_000, 1_000_000_000))
    before = files(site / "content")
    assert ingest() == 0
    assert files(site / "content") == before


def test_output_is_deterministic_and_ignores_crlf_and_bom(site, tmp_path):
    assert ingest("--content", "a") == 0
    for path in (site / "seeds").glob("*.txt"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert ingest("--content", "b") == 0
    a, b = files(site / "a"), files(site / "b")
    assert {k: v[1] for k, v in a.items()} == {k: v[1] for k, v in b.items()}


def test_unreadable_seeds_are_named_and_the_rest_ingested(site, capsys):
    (site / "seeds" / "005_junk.txt").write_bytes(bytes(range(256)) * 20)
    (site / "seeds" / "006_empty.txt").write_bytes(b"\n\n")
    (site / "seeds" / "007_prose.txt").write_text("Dear diary,\nnothing today.\n")
    assert ingest() == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "error: seeds/005_junk.txt: not a text file",
        "error: seeds/006_empty.txt: file is empty",
        "error: seeds/007_prose.txt: not a seed listing: no dated entries "
        "(like 'LGMar 11, 2023') and no 'Abstract:' paragraphs",
    ]
    assert len(load_corpus(site / "content").papers) == 122
    report = parse_yaml((site / "content" / "ingest-report.yaml").read_text(), "r")
    assert report["seeds"]["005_junk.txt"] == {"path": "seeds/005_junk.txt",
                                               "error": "not a text file"}


def test_truncated_block_is_a_warning_with_file_and_line(site, capsys):
    path = site / "seeds" / "000_eadb9df6ffe42011.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text("\n".join(lines[:16]) + "\n", encoding="utf-8")  # cut before the abstract
    status = ingest(str(path))
    err = capsys.readouterr().err
    assert status == 0
    assert any(line.startswith("warning: ") and "000_eadb9df6ffe42011.txt:" in line
               for line in err.splitlines()), err


def test_invalid_owners_yaml_stops_before_writing(site, capsys):
    (site / "seeds" / "owners.yaml").write_text(
        "000_eadb9df6ffe42011.txt: Etai Littwin\n009_missing.txt: Someone\n", encoding="utf-8"
    )
    assert ingest() == 1
    assert capsys.readouterr().err == (
        "error: seeds/owners.yaml:2: 009_missing.txt: no such seed file next to owners.yaml\n"
    )
    assert not (site / "content").exists()


def test_owners_yaml_next_to_a_given_file(site, capsys):
    (site / "seeds" / "owners.yaml").write_text(
        "003_1f4769196e487837.txt: Shuangfei Zhai\n", encoding="utf-8"
    )
    assert ingest("seeds/003_1f4769196e487837.txt") == 0
    assert "Shuangfei Zhai (owners.yaml)" in capsys.readouterr().out
    corpus = load_corpus(site / "content")
    assert all(p.profiles == ["shuangfei-zhai"] for p in corpus.papers.values())


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "20261125"])
def test_bad_as_of_is_a_usage_error(site, capsys, value):
    assert main(["ingest", "--as-of", value]) == 2
    assert f"Invalid value for '--as-of': expected a date as YYYY-MM-DD, got '{value}'" in (
        capsys.readouterr().err
    )


def test_missing_path_is_an_error(site, capsys):
    assert ingest("nowhere") == 1
    assert capsys.readouterr().err == "error: nowhere: no such file or folder\n"


def test_large_binary_file_is_refused_quickly(site, capsys):
    big = site / "seeds" / "008_big.txt"
    big.write_bytes(b"\x00\xff" * (25 * 1024 * 1024))  # 50 MB
    assert ingest() == 1
    assert "error: seeds/008_big.txt: not a text file" in capsys.readouterr().err


# The 50,000-entry figure is measured by bench/ingest_bench.py, not by a timed test.
