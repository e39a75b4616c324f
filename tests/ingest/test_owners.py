"""owners.yaml: seed name -> owner, validated with file:line errors, applied over inference."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

import pytest

from sitegen.errors import IngestError
from sitegen.ingest.owners import load_owners, parse_owners
from sitegen.ingest.pipeline import ingest_docs, resolve_owners

sys.path.insert(0, str(Path(__file__).parent))
from recordkit import sample_docs  # noqa: E402

F = "seeds/owners.yaml"
SEEDS = {"000_a.txt", "001_b.txt"}


def error(text: str) -> str:
    with pytest.raises(IngestError) as info:
        parse_owners(text, F, SEEDS)
    return str(info.value)


def test_valid_file():
    owners = parse_owners("# who owns what\n000_a.txt: Ada  Lovelace\n001_b.txt: Alan Turing\n",
                          F, SEEDS)
    assert {k: (v.name, v.line) for k, v in owners.items()} == {
        "000_a.txt": ("Ada Lovelace", 2),
        "001_b.txt": ("Alan Turing", 3),
    }


def test_empty_file_means_no_overrides():
    assert parse_owners("# nothing yet\n", F, SEEDS) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("000_a.txt: Ada\n002_x.txt: Bob\n",
         "seeds/owners.yaml:2: 002_x.txt: no such seed file next to owners.yaml"),
        ("000_a.txt:\n", "seeds/owners.yaml:1: 000_a.txt: expected the owner's name as a non-empty string"),
        ("000_a.txt: [Ada]\n",
         "seeds/owners.yaml:1: 000_a.txt: expected the owner's name as a non-empty string"),
        ("- 000_a.txt\n",
         "seeds/owners.yaml:1: expected a mapping of seed file name to owner name (000_x.txt: Jane Doe)"),
        ("000_a.txt: Ada\n000_a.txt: Bob\n", "seeds/owners.yaml:2: 000_a.txt: seed named twice"),
        ("seeds/000_a.txt: Ada\n",
         "seeds/owners.yaml:1: expected a seed file name as key, got 'seeds/000_a.txt'"),
        ("000_a.txt: Ada\n  bad: indent\n",
         "seeds/owners.yaml:2: invalid YAML: mapping values are not allowed in this context"),
    ],
)
def test_invalid_files_name_file_and_line(text, message):
    assert error(text) == message


def test_load_owners_reads_the_folder(tmp_path):
    (tmp_path / "000_a.txt").write_text("x", encoding="utf-8")
    assert load_owners(tmp_path) == {}
    (tmp_path / "owners.yaml").write_bytes(b"000_a.txt: \xff\n")
    with pytest.raises(IngestError, match=r"owners.yaml:1: file is not valid UTF-8"):
        load_owners(tmp_path)
    (tmp_path / "owners.yaml").write_text("000_a.txt: Émile Borel\n", encoding="utf-8")
    assert load_owners(tmp_path)["000_a.txt"].name == "Émile Borel"


def test_override_beats_header_and_inference_and_links_profiles(tmp_path):
    docs = sample_docs()
    overrides = parse_owners("001_b.txt: Grace Hopper\n002_c.txt: Alan Turing\n", F,
                             {"000_a.txt", "001_b.txt", "002_c.txt"})
    owners = resolve_owners(docs, overrides)
    assert {k: (v.name, v.origin) for k, v in owners.items()} == {
        "000_a.txt": ("Ada Lovelace", "header"),
        "001_b.txt": ("Grace Hopper", "owners.yaml"),
        "002_c.txt": ("Alan Turing", "owners.yaml"),
    }
    report = ingest_docs(docs, tmp_path, datetime.date(2026, 1, 1), overrides=overrides)
    assert report.seeds[1].owner_from == "owners.yaml"
    text = (tmp_path / "papers" / "a-third-paper.yaml").read_text(encoding="utf-8")
    assert "profiles:\n- grace-hopper\n" in text
    # The bare-abstract file's owner is linked to the paper its abstract matched.
    text = (tmp_path / "papers" / "forgetting-in-continual-regression.yaml").read_text("utf-8")
    assert "profiles:\n- ada-lovelace\n- alan-turing\n" in text
    assert "profile: true" in (tmp_path / "authors" / "grace-hopper.yaml").read_text("utf-8")
