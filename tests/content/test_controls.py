"""Characters HTML and XML forbid never get past reading content: pages print it as it is."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from sitegen.build import build
from sitegen.content.controls import clean_data, has_controls, strip_controls
from sitegen.content.yamlio import dump_yaml, parse_yaml

_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_ALPHABET = st.sampled_from("ab \t\n\r\x00\x01\x1f\x7f\x80\x85\x9f\xa0\u00e9"
                            "\u2028\u2060\ufffe\uffff\U0001f600")


def test_exactly_the_forbidden_characters_are_dropped() -> None:
    assert strip_controls("a\x01b\x7f") == "ab"
    assert strip_controls("long ascii\n" * 50 + "\x1f") == "long ascii\n" * 50
    assert strip_controls("caf\u00e9\n\x85\ufffe\uffff\t\r") == "caf\u00e9\n\t\r"
    assert not has_controls("tab\tnewline\nreturn\r" * 10)


@given(st.text(alphabet=_ALPHABET))
def test_strip_controls_matches_the_definition(text: str) -> None:
    assert strip_controls(text) == _FORBIDDEN.sub("", text)
    assert strip_controls(text * 40) == _FORBIDDEN.sub("", text * 40)
    assert has_controls(text) == bool(_FORBIDDEN.search(text))


def test_clean_data_walks_lists_and_mappings() -> None:
    data = {"title": "T\x01", "authors": ["A\x02", "B"], "links": [{"url": "u\x85"}],
            "score": 1.5, "flag": True, "none": None}
    assert clean_data(data) == {"title": "T", "authors": ["A", "B"], "links": [{"url": "u"}],
                                "score": 1.5, "flag": True, "none": None}


def test_yaml_escapes_cannot_bring_them_in() -> None:
    text = ('title: "Bad\\x01 title\\N"\nauthors: ["A\\u0002", "B"]\n'
            'abstract: "line\\nnext\\uFFFE end"\n')
    assert parse_yaml(text, "p.yaml") == {
        "title": "Bad title", "authors": ["A", "B"], "abstract": "line\nnext end"}


@given(st.dictionaries(st.sampled_from(["title", "abstract", "bio"]),
                       st.one_of(st.text(alphabet=_ALPHABET),
                                 st.lists(st.text(alphabet=_ALPHABET), max_size=3))))
def test_nothing_read_holds_a_forbidden_character(data: dict) -> None:
    """Whichever reader takes the text (the block reader or PyYAML)."""
    parsed = parse_yaml(dump_yaml(data), "f.yaml")
    assert parsed == clean_data(data)
    texts = [v for value in parsed.values() for v in (value if isinstance(value, list) else [value])]
    assert not any(_FORBIDDEN.search(text) for text in texts)


def test_a_built_site_prints_content_without_them(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "authors").mkdir()
    (content / "papers" / "p.yaml").write_text(
        'title: "Control\\x01 Title"\nauthors: ["Ada\\x02 Lovelace"]\ndate: "2023-05-01"\n'
        'category: "C\\x7fL"\nabstract: "An abstract\\x0b with $x\\x1f$ math\\N."\n',
        encoding="utf-8")
    (content / "authors" / "ada-lovelace.yaml").write_text(
        'name: "Ada Lovelace"\naffiliation: "Lab\\x1b"\nbio: "Bio\\x0c text"\n', encoding="utf-8")
    out = tmp_path / "output"
    build(tmp_path, quiet=True)
    files = [p for p in out.rglob("*") if p.is_file() and p.suffix in (".html", ".xml", ".json", ".bib")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not _FORBIDDEN.search(text), path
    page = (out / "papers" / "p" / "index.html").read_text(encoding="utf-8")
    assert "Control Title" in page and "Ada Lovelace" in page and "An abstract with" in page
