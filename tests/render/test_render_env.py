"""Template helpers: JSON-LD escaping, meta values, dates, the Jinja environment itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import UndefinedError
from markupsafe import Markup, escape

from sitegen.render.env import escape_output, json_ld, long_date, make_env, meta_text


def test_json_ld_escapes_markup_characters() -> None:
    text = str(json_ld({"name": "</script><script>alert(1)</script> & 'x'"}))
    assert "<" not in text and ">" not in text and "&" not in text and "'" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & 'x'"}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A Title: With a Colon", "A Title: With a Colon"),
        ("javascript:alert(1)", "\u2060javascript:alert(1)"),
        (" JavaScript :alert(1)", "\u2060JavaScript :alert(1)"),
        ("data:text/html,x", "\u2060data:text/html,x"),
        ("https://example.org", "https://example.org"),
        ("two\n  lines", "two lines"),
    ],
)
def test_meta_text(value: str, expected: str) -> None:
    assert meta_text(value) == expected


def test_long_date_does_not_depend_on_locale() -> None:
    assert long_date("2023-03-11") == "Mar 11, 2023"


def test_meta_text_looks_past_leading_spaces_and_controls_in_long_values() -> None:
    padded = "\x01 " * 30 + "javascript:alert(1) " + "x" * 500
    assert meta_text(padded).startswith("\u2060")
    assert meta_text("harmless " * 100 + "javascript:") == ("harmless " * 100 + "javascript:").strip()


def test_view_model_dicts_read_like_jinja_dicts(tmp_path: Path) -> None:
    """Keys read as attributes, dict methods stay methods, a missing key is undefined."""
    (tmp_path / "d.html").write_text("{{ d.title }}|{{ d.items() | list | length }}|{{ d.get('x') }}")
    (tmp_path / "m.html").write_text("{{ d.missing }}")
    env = make_env(tmp_path)
    d = {"title": "<T>", "items": "shadowed", "x": 1}
    assert env.get_template("d.html").render(d=d) == "&lt;T&gt;|3|1"
    with pytest.raises(UndefinedError):
        env.get_template("m.html").render(d={})


def test_environment_escapes_everything_and_is_strict(tmp_path: Path) -> None:
    (tmp_path / "t.xml").write_text("<t>{{ v }}</t>")
    (tmp_path / "u.html").write_text("{{ missing }}")
    env = make_env(tmp_path)
    assert env.get_template("t.xml").render(v="<a>&") == "<t>&lt;a&gt;&amp;</t>"
    with pytest.raises(UndefinedError):
        env.get_template("u.html").render()
    # built-in templates are still found behind the site's own folder
    assert env.get_template("base.html") is not None


@given(st.one_of(
    st.text(alphabet=st.sampled_from("a<>&'\" \n\x01\x7f\x85\u00e9\ufffe")),
    st.text(alphabet=st.sampled_from("a<>&'\" \n\x01\x85")).map(Markup),
    st.integers(), st.none(), st.floats(allow_nan=False),
))
def test_printed_values_are_escaped_once(value: object) -> None:
    assert escape_output(value) == escape(value)


def test_templates_print_through_the_same_escaping_everywhere(tmp_path: Path) -> None:
    """Plain output, macros, blocks set, and an autoescape switch all keep their meaning."""
    (tmp_path / "t.html").write_text(
        "{% macro m(v) %}[{{ v }}]{% endmacro %}"
        "{{ v }}|{{ m(v) }}|{% set b %}{{ v }}{% endset %}{{ b }}|{{ safe }}|"
        "{% autoescape false %}{{ v }}{% endautoescape %}"
    )
    env = make_env(tmp_path)
    out = env.get_template("t.html").render(v="<a>", safe=Markup("<b>2</b>"))
    assert out == "&lt;a&gt;|[&lt;a&gt;]|&lt;a&gt;|<b>2</b>|<a>"


def test_links_filter_prints_escaped_anchors(tmp_path: Path) -> None:
    (tmp_path / "l.html").write_text("{{ people | links }}")
    env = make_env(tmp_path)
    people = [{"href": "/a/?x=1&y=2", "name": "Ada <L>"}, {"href": "/b/", "name": "Bob"}]
    assert env.get_template("l.html").render(people=people) == (
        '<a href="/a/?x=1&amp;y=2">Ada &lt;L&gt;</a>, <a href="/b/">Bob</a>'
    )
    assert env.get_template("l.html").render(people=[]) == ""


@given(st.text(alphabet=st.sampled_from("aJ:s \t\n\r\x0b\x1c\x85\xa0\u2028\u3000\x01"), max_size=30))
def test_meta_text_collapses_every_kind_of_whitespace(text: str) -> None:
    collapsed = " ".join(text.split())
    assert meta_text(text).removeprefix("\u2060") == collapsed


@given(
    st.lists(st.sampled_from(["javascript:", "java", "script", "data:", "x", ":", " ", "\x01", "  "]),
             max_size=30).map("".join)
)
def test_meta_text_flags_a_scheme_wherever_spaces_and_controls_put_its_colon(text: str) -> None:
    squeezed = re.sub(r"[\x00-\x20]", "", " ".join(text.split())).lower()
    flagged = squeezed.startswith(("javascript:", "vbscript:", "data:", "file:"))
    assert meta_text(text).startswith("\u2060") == flagged
