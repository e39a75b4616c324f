"""Hand edits to content/ survive a re-run; an unchanged re-run rewrites nothing."""

from __future__ import annotations

import datetime
import json
import os
import sys
from pathlib import Path

import pytest

from sitegen.content.store import load_corpus
from sitegen.content.yamlio import dump_yaml, parse_yaml
from sitegen.ingest.pipeline import ingest_docs
from sitegen.ingest.write import three_way

sys.path.insert(0, str(Path(__file__).parent))
from recordkit import ABSTRACT_A, compact, entry, sample_docs  # noqa: E402

AS_OF = datetime.date(2026, 11, 25)
PAPER = "papers/transformers-learn-through-gradual-rank-increase.yaml"
AUTHOR = "authors/ada-lovelace.yaml"


def run(root: Path, docs=None):
    return ingest_docs(docs if docs is not None else sample_docs(), root, AS_OF)


def read(root: Path, rel: str) -> dict:
    return parse_yaml((root / rel).read_text(encoding="utf-8"), rel)


def write(root: Path, rel: str, data: dict) -> None:
    (root / rel).write_text(dump_yaml(data), encoding="utf-8")


def snapshot(root: Path) -> dict[str, tuple[int, bytes]]:
    return {
        str(p.relative_to(root)): (p.stat().st_mtime_ns, p.read_bytes())
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def age(root: Path) -> None:
    """Backdate every file, so a rewrite is visible in mtimes even on coarse clocks."""
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(1_000_000_000, 1_000_000_000))


def test_second_run_rewrites_nothing(tmp_path):
    run(tmp_path)
    age(tmp_path)
    before = snapshot(tmp_path)
    report = run(tmp_path)
    assert snapshot(tmp_path) == before
    assert report.files["papers"]["unchanged"] == 3
    assert report.files["authors"]["unchanged"] == 6


def test_output_is_byte_identical_across_folders(tmp_path):
    run(tmp_path / "a")
    run(tmp_path / "b")
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert {k: v[1] for k, v in a.items()} == {k: v[1] for k, v in b.items()}


def test_hand_edited_title_survives_and_slug_stays(tmp_path):
    run(tmp_path)
    data = read(tmp_path, PAPER)
    data["title"] = "Transformers Learn Through Gradual Rank Increase (fixed by hand)"
    write(tmp_path, PAPER, data)
    report = run(tmp_path)
    again = read(tmp_path, PAPER)
    assert again["title"].endswith("(fixed by hand)")
    assert report.hand_edits == {f"{tmp_path.name}/{PAPER}": ["title"]}
    assert not (tmp_path / "papers" / "transformers-learn-through-gradual-rank-increase-2.yaml").exists()
    assert len(list((tmp_path / "papers").glob("*.yaml"))) == 3


def test_hand_edit_wins_but_other_keys_follow_the_seeds(tmp_path):
    run(tmp_path)
    data = read(tmp_path, PAPER)
    data["authors"] = ["Enric Boix-Adsera", "Ada Lovelace"]
    write(tmp_path, PAPER, data)
    docs = sample_docs()
    docs[0].entries[0].code = False
    docs[1].entries[0].code = True
    docs[1].entries[0].category = "CL"  # first seed's category still wins
    docs[0].entries[0].score = 12.5
    docs[1].entries[0].score = None
    run(tmp_path, docs)
    again = read(tmp_path, PAPER)
    assert again["authors"] == ["Enric Boix-Adsera", "Ada Lovelace"]
    assert again["score"] == 12.5  # not edited: takes the new ingested value


def test_bio_links_and_unknown_keys_survive(tmp_path):
    run(tmp_path)
    data = read(tmp_path, AUTHOR)
    data["bio"] = "Writes *programs* for engines."
    data["links"] = [{"label": "Home", "url": "https://example.org"}]
    data["pronouns"] = "she/her"
    write(tmp_path, AUTHOR, data)
    paper = read(tmp_path, PAPER)
    paper["venue"] = "NeurIPS 2023"
    write(tmp_path, PAPER, paper)
    docs = sample_docs()
    docs[0].metrics.h_index = 30  # a new header value still flows in
    run(tmp_path, docs)
    author = read(tmp_path, AUTHOR)
    assert author["bio"] == "Writes *programs* for engines."
    assert author["links"] == [{"label": "Home", "url": "https://example.org"}]
    assert author["pronouns"] == "she/her"
    assert author["metrics"]["h_index"] == 30
    assert list(author)[-1] == "pronouns"
    assert read(tmp_path, PAPER)["venue"] == "NeurIPS 2023"
    load_corpus(tmp_path)


def test_hand_deleted_file_is_not_recreated(tmp_path):
    run(tmp_path)
    (tmp_path / PAPER).unlink()
    report = run(tmp_path)
    assert not (tmp_path / PAPER).exists()
    assert report.deleted == [f"{tmp_path.name}/{PAPER}"]
    assert report.files["papers"]["deleted"] == 1
    report = run(tmp_path)  # and stays deleted
    assert not (tmp_path / PAPER).exists()
    assert "deleted by hand, not recreated" in "\n".join(report.summary_lines())


def test_deleted_owner_is_dropped_from_profiles(tmp_path):
    run(tmp_path)
    (tmp_path / AUTHOR).unlink()
    run(tmp_path)
    assert not (tmp_path / AUTHOR).exists()
    assert read(tmp_path, PAPER)["profiles"] == ["joshua-susskind"]
    load_corpus(tmp_path)


def test_invalid_yaml_is_reported_and_left_untouched(tmp_path):
    run(tmp_path)
    broken = "title: [unclosed\nauthors: []\n"
    (tmp_path / PAPER).write_text(broken, encoding="utf-8")
    report = run(tmp_path)
    assert (tmp_path / PAPER).read_text(encoding="utf-8") == broken
    assert report.failed
    assert report.errors == [
        f"{tmp_path.name}/{PAPER}:2: invalid YAML: did not find expected ',' or ']'"
    ]
    assert report.files["papers"]["invalid"] == 1


def test_hand_edit_that_breaks_validation_is_left_untouched(tmp_path):
    run(tmp_path)
    path = tmp_path / PAPER
    text = path.read_text(encoding="utf-8").replace("et_al: false", "et_al: maybe")
    path.write_text(text, encoding="utf-8")
    report = run(tmp_path)
    assert path.read_text(encoding="utf-8") == text
    assert report.errors == [
        f"{tmp_path.name}/{PAPER}:7: et_al: expected true or false, got a string"
    ]


def test_added_seed_does_not_rename_existing_files(tmp_path):
    run(tmp_path)
    before = sorted(p.name for p in (tmp_path / "papers").iterdir())
    extra = compact(
        "003_d.txt",
        [entry("Transformers Learn Through Gradual Rank Increase!", ["Ada Lovelace"], line=2),
         entry("Transformers learn: through gradual rank increase (v2)", ["Ada Lovelace"])],
    )
    run(tmp_path, [*sample_docs(), extra])
    after = sorted(p.name for p in (tmp_path / "papers").iterdir())
    assert set(before) <= set(after)
    assert "transformers-learn-through-gradual-rank-increase-v2.yaml" in after
    assert read(tmp_path, PAPER)["sources"] == ["000_a.txt", "001_b.txt", "003_d.txt"]


def test_slug_collision_gets_a_suffix(tmp_path):
    stem = "A Very Long Title About Learning " * 3
    docs = [
        compact(
            "001_b.txt",
            [entry(stem + "Part One", ["Ada Lovelace"], line=1),
             entry(stem + "Part Two", ["Ada Lovelace"], line=4)],
        )
    ]
    run(tmp_path, docs)
    # Two different papers whose titles share the first 80 characters of their slug.
    names = sorted(p.stem for p in (tmp_path / "papers").iterdir())
    assert len(names) == 2 and names[1] == names[0] + "-2"
    assert read(tmp_path, f"papers/{names[0]}.yaml")["title"].endswith("Part One")


def test_renamed_file_is_adopted_not_duplicated(tmp_path):
    run(tmp_path)
    (tmp_path / PAPER).rename(tmp_path / "papers" / "rank.yaml")
    report = run(tmp_path)
    assert not (tmp_path / PAPER).exists()
    assert read(tmp_path, "papers/rank.yaml")["title"].startswith("Transformers")
    assert report.deleted == []


def test_lost_state_keeps_files_and_their_edits(tmp_path):
    run(tmp_path)
    data = read(tmp_path, AUTHOR)
    data["bio"] = "Kept."
    write(tmp_path, AUTHOR, data)
    (tmp_path / ".ingest" / "state.json").unlink()
    run(tmp_path)
    assert read(tmp_path, AUTHOR)["bio"] == "Kept."
    assert len(list((tmp_path / "papers").glob("*.yaml"))) == 3


def test_corrupt_state_is_a_note_not_a_crash(tmp_path):
    run(tmp_path)
    (tmp_path / ".ingest" / "state.json").write_text("{not json", encoding="utf-8")
    report = run(tmp_path)
    assert report.notes and "unreadable ingest state" in report.notes[0]
    assert len(list((tmp_path / "papers").glob("*.yaml"))) == 3
    json.loads((tmp_path / ".ingest" / "state.json").read_text(encoding="utf-8"))


def test_names_typed_into_a_paper_get_an_author(tmp_path):
    run(tmp_path)
    data = read(tmp_path, PAPER)
    data["authors"] = [*data["authors"], "Barbara Liskov"]
    write(tmp_path, PAPER, data)
    run(tmp_path)
    assert read(tmp_path, "authors/barbara-liskov.yaml")["name"] == "Barbara Liskov"


def test_abstract_is_block_style(tmp_path):
    run(tmp_path)
    text = (tmp_path / PAPER).read_text(encoding="utf-8")
    assert "abstract: |-\n  " + ABSTRACT_A in text


@pytest.mark.parametrize(
    ("current", "base", "new", "expected"),
    [
        ({"a": 1}, {"a": 1}, {"a": 2}, {"a": 2}),  # untouched: new value
        ({"a": 5}, {"a": 1}, {"a": 2}, {"a": 5}),  # edited: hand value
        ({}, {"a": 1}, {"a": 2}, {}),  # removed by hand: stays removed
        ({"a": 1, "x": 9}, {"a": 1}, {"a": 1}, {"a": 1, "x": 9}),  # unknown key kept
        ({"s": ["a", "h"]}, {"s": ["a"]}, {"s": ["a", "n"]}, {"s": ["a", "h", "n"]}),
        ({"s": ["a", "b"]}, {"s": ["a", "b"]}, {"s": ["b"]}, {"s": ["b"]}),
        ({"a": 7}, None, {"a": 2, "b": 3}, {"a": 7, "b": 3}),  # no base: current wins
    ],
)
def test_three_way(current, base, new, expected):
    if "s" in new:
        current, base, new, expected = (
            {"sources": d["s"]} for d in (current, base, new, expected)
        )
    assert three_way(current, base, new) == expected


def test_worker_processes_write_the_same_bytes(tmp_path, monkeypatch):
    from sitegen.ingest import write as write_module

    run(tmp_path / "serial")
    monkeypatch.setattr(write_module, "PARALLEL_MIN", 1)
    report = run(tmp_path / "parallel")
    assert report.files["papers"]["new"] == 3
    serial, parallel = snapshot(tmp_path / "serial"), snapshot(tmp_path / "parallel")
    assert {k: v[1] for k, v in serial.items()} == {k: v[1] for k, v in parallel.items()}
    age(tmp_path / "parallel")
    before = snapshot(tmp_path / "parallel")
    assert run(tmp_path / "parallel").files["papers"]["unchanged"] == 3
    assert snapshot(tmp_path / "parallel") == before


def test_paper_no_longer_in_any_seed_is_kept_and_noted(tmp_path):
    run(tmp_path)
    docs = sample_docs()
    docs[1].entries.pop()  # "A Third Paper" leaves the seeds
    report = run(tmp_path, docs)
    assert (tmp_path / "papers" / "a-third-paper.yaml").exists()
    assert report.notes == [
        "papers: 1 file(s) no longer come from any seed, left as they are "
        f"(first: {tmp_path.name}/papers/a-third-paper.yaml)",
        "authors: 1 file(s) no longer come from any seed, left as they are "
        f"(first: {tmp_path.name}/authors/grace-hopper.yaml)",
    ]
