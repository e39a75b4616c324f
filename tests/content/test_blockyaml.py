"""The fast block-YAML reader must agree with PyYAML on every text it accepts."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.blockyaml import NotSimple, parse_block_yaml
from sitegen.content.controls import clean_data
from sitegen.content.yamlio import _Loader, dump_yaml, parse_yaml


def _agree(text: str) -> bool:
    """True when the fast reader accepted ``text``; asserts it matched PyYAML then."""
    try:
        fast = parse_block_yaml(text, _Loader)
    except NotSimple:
        return False
    assert fast == yaml.load(text, Loader=_Loader), text  # noqa: S506 - a safe loader
    assert type(fast) is dict
    return True


# -- round trips of what dump_yaml writes ----------------------------------------------------
_text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_words = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF), max_size=30)
_scalar = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False, allow_infinity=False), _text, _words,
                    st.sampled_from(["yes", "No", "on", "~", "null", "1_000", "0x1f", "017",
                                     "2023-05-11", "=", "<<", "1e3", ".5", "-", "- a",
                                     "a: b", "# c", "a #b", " lead", "trail ", "", "'",
                                     '"', "|", ">", "[a]", "{a: 1}", "*x", "&y", "!t"]))
_key = st.one_of(st.from_regex(r"[a-z_][a-z0-9_]{0,8}", fullmatch=True),
                 st.sampled_from(["yes", "null", "on", "true", "a b", "1", "x:y"]))
_leaf = st.one_of(_scalar, st.lists(_scalar, max_size=4),
                  st.dictionaries(_key, _scalar, max_size=4))
_value = st.one_of(_leaf, st.lists(st.dictionaries(_key, _leaf, max_size=3), max_size=3))


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(_key, _value, min_size=1, max_size=6))
def test_dumped_mappings_read_back_equal(data: dict) -> None:
    text = dump_yaml(data)
    _agree(text)
    assert parse_yaml(text, "x.yaml") == clean_data(yaml.load(text, Loader=_Loader))  # noqa: S506


_name = st.from_regex(r"[A-Za-z\u00c0-\u017f][A-Za-z\u00c0-\u017f0-9 .,()'$\\-]{0,30}[a-z0-9.)]",
                     fullmatch=True)
_paragraphs = st.lists(_name, min_size=1, max_size=4).map("\n\n".join)


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({
    "title": _name,
    "authors": st.lists(_name, min_size=1, max_size=5),
    "et_al": st.booleans(),
    "date": st.just("2021-03-04"),
    "score": st.one_of(st.none(), st.floats(0, 10), st.integers(0, 10)),
    "abstract": st.one_of(_name, _paragraphs, st.just("")),
    "profiles": st.lists(st.from_regex(r"[a-z]+(-[a-z]+)?", fullmatch=True), max_size=3),
    "links": st.lists(st.fixed_dictionaries({"label": _name, "url": _name}), max_size=2),
}))
def test_content_shaped_files_take_the_fast_path(paper: dict) -> None:
    assert _agree(dump_yaml(paper))


# -- arbitrary texts built from YAML-ish lines -----------------------------------------------
_weird = st.sampled_from([
    "x", "a b", "'q''t'", "''", '"d"', '"a\\n"', "[]", "{}", "[1]", "yes", "No", "on", "~",
    "null", "1.5", "-3", "+1", "017", "0x1f", "1_0", "1e5", "1.0e+5", ".inf", "-0.0", "1:30",
    "2023-05-11", "a: b", "a #b", " x", "x ", "a:", "-x", "- x", "=", "<<", "*a", "&a x",
    "!t x", "%", "@", "é", "a\u00a0b", "\u2028", "a\tb", "'open", "#c", "?", ":x", "|x",
    ">", "a,b", "{a", "x:y", "Ω", "",
])
_token = st.one_of(st.sampled_from(["x", "a b", "'q''t'", "1.5", "-3", "yes", "~", "[]", "{}",
                                    "Ω", "2023-05-11", '"d"']), _weird)
_keyword = st.sampled_from(["a", "b", "c", "title", "yes", "null", "on", "a b", "x1", "_"])


@st.composite
def _document(draw: st.DrawFn, indent: int = 0, depth: int = 0) -> list[str]:
    """Lines of a block mapping that is mostly well-formed, with tricky scalars."""
    lines: list[str] = []
    pad = " " * indent
    for _ in range(draw(st.integers(1, 4))):
        key = draw(_keyword)
        shape = draw(st.sampled_from(["scalar", "scalar", "literal", "seq", "map", "empty",
                                      "scalar", "junk"] if depth < 2 else ["scalar", "literal"]))
        if shape == "scalar":
            lines.append(f"{pad}{key}: {draw(_token)}")
        elif shape == "empty":
            lines.append(f"{pad}{key}:")
        elif shape == "literal":
            lines.append(f"{pad}{key}: {draw(st.sampled_from(['|', '|-', '|+', '|2', '>']))}")
            for _ in range(draw(st.integers(0, 4))):
                width = draw(st.sampled_from([2, 2, 2, 0, 1, 3, 4]))
                lines.append(" " * (indent + width) + draw(st.sampled_from(
                    ["", "text", "# not a comment", "a: b", "- x", "  deeper", "   "])))
        elif shape == "seq":
            lines.append(f"{pad}{key}:")
            at = indent + draw(st.sampled_from([0, 0, 2, 1]))
            for _ in range(draw(st.integers(1, 3))):
                item = draw(st.sampled_from(["token", "token", "map", "literal"]))
                if item == "token":
                    lines.append(" " * at + "- " + draw(_token))
                elif item == "literal":
                    lines.append(" " * at + "- |-")
                    lines.append(" " * (at + draw(st.integers(0, 3))) + "line")
                else:
                    inner = draw(_document(at + 2, depth + 1))
                    lines.append(" " * at + "- " + inner[0][at + 2:])
                    lines.extend(inner[1:])
        elif shape == "map":
            lines.append(f"{pad}{key}:")
            lines.extend(draw(_document(indent + draw(st.integers(1, 3)), depth + 1)))
        else:
            lines.append(draw(st.sampled_from(["", "# c", "---", "...", "  x", "- y", "\tz"])))
    return lines


@settings(max_examples=3000, deadline=None)
@given(_document(), st.booleans())
def test_anything_accepted_equals_pyyaml(lines: list[str], final_newline: bool) -> None:
    text = "\n".join(lines) + ("\n" if final_newline else "")
    try:
        fast = parse_block_yaml(text, _Loader)
    except NotSimple:
        return
    assert fast == yaml.load(text, Loader=_Loader), text  # noqa: S506 - a safe loader


# -- examples ---------------------------------------------------------------------------------
def test_an_author_file_is_read_without_pyyaml() -> None:
    text = (
        "name: András Howard\naliases: []\nprofile: true\nmetrics:\n  h_index: 38\n"
        "  novelty: 23.0\naffiliation: ''\nbio: |-\n  First line.\n\n  Second *one*.\n"
        "links:\n- label: Homepage\n  url: https://example.org/~a\n"
    )
    assert parse_block_yaml(text, _Loader) == {
        "name": "András Howard", "aliases": [], "profile": True,
        "metrics": {"h_index": 38, "novelty": 23.0}, "affiliation": "",
        "bio": "First line.\n\nSecond *one*.",
        "links": [{"label": "Homepage", "url": "https://example.org/~a"}],
    }


def test_dates_stay_strings() -> None:
    assert parse_block_yaml("date: 2023-05-11\n", _Loader) == {"date": "2023-05-11"}


@pytest.mark.parametrize("text", [
    "a: 1 # comment\n",  # comments
    "a: [1, 2]\n",  # flow collections
    "a: 1\n\nb: 2\n",  # blank lines between keys
    "a: 1",  # no final newline
    "a: 0x1f\n",  # numbers written unusually
    "a: >\n  folded\n",
    "a: plain\n  continued\n",
    "yes: 1\n",  # a key that is not a string
    "- a\n",  # not a mapping
    "a: x\tb\n",
])
def test_other_yaml_is_left_to_pyyaml(text: str) -> None:
    with pytest.raises(NotSimple):
        parse_block_yaml(text, _Loader)
    assert parse_yaml(text, "x.yaml") == clean_data(yaml.load(text, Loader=_Loader))  # noqa: S506
