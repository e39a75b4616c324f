from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.content.controls import strip_controls
from sitegen.content.yamlio import atomic_write, dump_yaml, key_line, parse_yaml, read_yaml
from sitegen.errors import ContentError


def test_dump_is_deterministic_and_keeps_key_order():
    data = {"title": "Ünïcode — title", "authors": ["B", "A"], "abstract": "x" * 120}
    text = dump_yaml(data)
    assert text == dump_yaml(dict(data))
    assert text.index("title") < text.index("authors") < text.index("abstract")
    assert "Ünïcode — title" in text  # not escaped
    assert "abstract: |-\n  xxx" in text  # long strings in block style


@given(st.text())
def test_any_string_round_trips_without_the_characters_html_forbids(value):
    assert parse_yaml(dump_yaml({"v": value}), "f.yaml") == {"v": strip_controls(value)}


def test_dates_stay_strings():
    assert parse_yaml("date: 2023-05-11\n", "f.yaml") == {"date": "2023-05-11"}


def test_syntax_error_names_file_and_line():
    with pytest.raises(ContentError) as err:
        parse_yaml("title: ok\nauthors: [a, b\n", "papers/x.yaml")
    assert str(err.value).startswith("papers/x.yaml:3: invalid YAML:")


def test_aliases_are_rejected_with_line():
    text = "a: &x [1, 2]\nb: [*x, *x]\n"
    with pytest.raises(ContentError) as err:
        parse_yaml(text, "papers/bomb.yaml")
    assert str(err.value) == "papers/bomb.yaml:1: &x: anchors and aliases are not allowed in content files"


def test_ampersand_in_text_is_not_an_anchor():
    assert parse_yaml("title: R&D & more *stars*\n", "f.yaml") == {"title": "R&D & more *stars*"}


def test_bom_is_ignored():
    assert parse_yaml("\ufefftitle: x\n", "f.yaml") == {"title": "x"}


def test_invalid_utf8_names_the_line(tmp_path: Path):
    path = tmp_path / "p.yaml"
    path.write_bytes(b"title: ok\nname: \xff\xfe\n")
    with pytest.raises(ContentError) as err:
        read_yaml(path, "p.yaml")
    assert str(err.value) == "p.yaml:2: file is not valid UTF-8"


def test_atomic_write_skips_identical_content(tmp_path: Path):
    path = tmp_path / "sub" / "a.yaml"
    assert atomic_write(path, "x: 1\n") is True
    mtime = path.stat().st_mtime_ns
    assert atomic_write(path, "x: 1\n") is False
    assert path.stat().st_mtime_ns == mtime
    assert atomic_write(path, "x: 2\n") is True
    assert path.read_text() == "x: 2\n"
    assert [p.name for p in path.parent.iterdir()] == ["a.yaml"]  # no temp files left
    assert path.stat().st_mode & 0o644 == 0o644  # readable by others, like any written file


def test_key_line_finds_nested_keys():
    text = "title: t\nauthors:\n- a\n- b\nmetrics:\n  h_index: x\n"
    assert key_line(text, ("authors", 1)) == 4
    assert key_line(text, ("metrics", "h_index")) == 6
    assert key_line(text, ("missing",)) is None
