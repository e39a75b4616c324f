"""Bios: Markdown with raw HTML off and links restricted to http/https/mailto."""

from __future__ import annotations

import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render.markdown import render_markdown

sys.path.insert(0, str(Path(__file__).resolve().parent))
from htmltags import tags_of  # noqa: E402


def test_basic_markdown() -> None:
    assert render_markdown("Works on *engines*.") == "<p>Works on <em>engines</em>.</p>"


def test_headings_are_shifted_below_the_page_heading() -> None:
    assert render_markdown("# About\n\n## More") == "<h3>About</h3>\n<h4>More</h4>"


def test_raw_html_is_text() -> None:
    html = render_markdown('<script>alert(1)</script> <img src=x onerror="alert(1)">')
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_only_safe_link_schemes() -> None:
    html = render_markdown(
        "[a](https://x.org) [b](mailto:me@x.org) [c](javascript:alert(1)) "
        "[d](data:text/html,x) [e](/relative) [f](vbscript:x)"
    )
    assert '<a href="https://x.org" rel="nofollow">a</a>' in html
    assert '<a href="mailto:me@x.org" rel="nofollow">b</a>' in html
    assert html.count("<a ") == 2


def test_images_are_not_embedded() -> None:
    assert "<img" not in render_markdown("![x](https://tracker.example/p.png)")


def test_empty_bio() -> None:
    assert render_markdown("  \n") == ""


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["[x](", "javascript:", "https://a.org", ")", "<", ">", "script", "onerror=",
             "\"", "'", " ", "\n", "#", "*", "`", "![i](", "<a href=", "&", "mailto:"]
        ),
        max_size=60,
    ).map("".join)
)
def test_any_bio_renders_inert(text: str) -> None:
    for tag, attrs in tags_of(render_markdown(text)):
        assert tag not in ("script", "img", "iframe", "style"), text
        for name, value in attrs.items():
            assert not name.startswith("on"), text
            if name == "href":
                assert value and value.startswith(("http://", "https://", "mailto:")), text
