"""Parsing content files in parallel must give what parsing them one by one gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import scan
from sitegen.content.model import Author, Link
from sitegen.errors import ContentError

AUTHOR = """name: Ada Lovelace
aliases:
- A. Lovelace
profile: true
metrics:
  h_index: 12
  novelty: 3.5
affiliation: ''
bio: |-
  Works on *engines*.

  Second paragraph.
links:
- label: Home
  url: https://example.org
- https://example.com/ada
"""

PAPER = """title: 'Notes: on the engine {n}'
authors:
- Ada Lovelace
et_al: false
date: '2021-0{m}-11'
date_inferred: false
category: ML
code: true
score: {score}
affiliations: []
abstract: |-
  We study $x^{n}$.
abstract_versions: []
profiles:
- ada
sources:
- seed.txt
"""


def _content(root: Path, papers: int, extra: str = "") -> list[str]:
    (root / "authors").mkdir(parents=True)
    (root / "papers").mkdir()
    (root / "authors" / "ada.yaml").write_text(AUTHOR + extra, encoding="utf-8")
    rels = ["authors/ada.yaml"]
    for n in range(papers):
        text = PAPER.format(n=n, m=n % 9 + 1, score="null" if n % 2 else f"{n}.5")
        (root / "papers" / f"p{n:03d}.yaml").write_text(text, encoding="utf-8")
        rels.append(f"papers/p{n:03d}.yaml")
    return rels


@pytest.mark.parametrize("extra", ["", "note: !!set {a: null}\n"])
def test_parallel_parse_equals_serial(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                      extra: str) -> None:
    root = tmp_path / "content"
    rels = _content(root, 300, extra)
    serial = scan.parse_many(root, rels)
    calls: list[int] = []
    monkeypatch.setattr(scan, "PARALLEL_MIN", 10)
    monkeypatch.setattr(scan, "_workers", lambda: 2)
    parallel = scan.parse_many(root, rels, meanwhile=lambda: calls.append(1))
    assert parallel == serial
    assert list(parallel) == rels and calls == [1]
    ada = parallel["authors/ada.yaml"][1]
    assert ada.links == [Link("Home", "https://example.org"),
                         Link("https://example.com/ada", "https://example.com/ada")]
    assert ada.metrics.h_index == 12 and ada.metrics.novelty == 3.5


def test_parallel_parse_reports_the_first_error_in_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "content"
    rels = _content(root, 200)
    for n, line in ((150, "date: May\n"), (40, "code: 3\n")):
        path = root / "papers" / f"p{n:03d}.yaml"
        text = path.read_text(encoding="utf-8")
        key = line.split(":")[0]
        path.write_text("".join(line if row.startswith(f"{key}:") else row
                                for row in text.splitlines(keepends=True)), encoding="utf-8")
    monkeypatch.setattr(scan, "PARALLEL_MIN", 10)
    monkeypatch.setattr(scan, "_workers", lambda: 2)
    with pytest.raises(ContentError) as err:
        scan.parse_many(root, rels)
    assert str(err.value) == "content/papers/p040.yaml:8: code: expected true or false, got a number"


def test_records_marshal_cannot_write_travel_as_they_are() -> None:
    odd = [(0, b"h", Author(slug="a", name="A", extra={"x": Link("a", "b")}))]
    assert scan._encode(odd) is odd
    plain = [(0, b"h", Author(slug="a", name="A", links=[Link("l", "u")])),
             (1, None, ("ContentError", "bad", "f.yaml", 3, "k"))]
    assert scan._decode(scan._encode(plain), ["authors/a.yaml", "papers/b.yaml"]) == plain


def test_a_file_larger_than_one_read_is_read_whole(tmp_path: Path) -> None:
    root = tmp_path / "content"
    _content(root, 0)
    bio = "\n".join(f"  Line {n} of a long bio, {'x' * 60}." for n in range(3000))
    text = AUTHOR.replace("bio: |-\n  Works on *engines*.\n\n  Second paragraph.\n",
                          f"bio: |-\n{bio}\n")
    (root / "authors" / "ada.yaml").write_text(text, encoding="utf-8")
    assert len(text) > 3 * scan._CHUNK
    file_hash, record = scan.parse_file(root, "authors/ada.yaml")
    assert record.bio.count("\n") == 2999 and record.bio.endswith("x" * 60 + ".")
    assert file_hash == scan.digest(text.encode("utf-8"))
