"""Template helpers: JSON-LD escaping, meta values, dates, the Jinja environment itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from sitegen.render.env import json_ld, long_date, make_env, meta_text, strip_controls


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


def test_control_characters_are_dropped() -> None:
    assert strip_controls("a\x01b\x7f") == "ab"
    assert strip_controls(3) == 3


def test_environment_escapes_everything_and_is_strict(tmp_path: Path) -> None:
    (tmp_path / "t.xml").write_text("<t>{{ v }}</t>")
    (tmp_path / "u.html").write_text("{{ missing }}")
    env = make_env(tmp_path)
    assert env.get_template("t.xml").render(v="<a>&") == "<t>&lt;a&gt;&amp;</t>"
    with pytest.raises(UndefinedError):
        env.get_template("u.html").render()
    # built-in templates are still found behind the site's own folder
    assert env.get_template("base.html") is not None
