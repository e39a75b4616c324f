"""URL building under a base path, and the scheme allow-list for content URLs."""

from __future__ import annotations

import pytest

from sitegen.config import BaseURL, parse_base_url
from sitegen.errors import ContentError
from sitegen.render.urls import Urls, output_file, safe_href


@pytest.mark.parametrize(
    ("value", "prefix", "origin"),
    [
        ("/", "/", ""),
        ("", "/", ""),
        ("/lab-site/", "/lab-site/", ""),
        ("lab-site", "/lab-site/", ""),
        ("/a//b", "/a/b/", ""),
        ("https://user.github.io/lab-site/", "/lab-site/", "https://user.github.io"),
        ("https://example.org", "/", "https://example.org"),
    ],
)
def test_parse_base_url(value: str, prefix: str, origin: str) -> None:
    assert parse_base_url(value) == BaseURL(prefix=prefix, origin=origin)


def test_origin_from_url_setting_is_used_for_a_path() -> None:
    base = parse_base_url("/lab-site/", "https://example.org")
    assert base.absolute == "https://example.org/lab-site/"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("/a/../b/", "base URL path must not contain '.', '..' or spaces, got '/a/../b/'"),
        ("/x?y=1", "base URL must not contain a query or fragment, got '/x?y=1'"),
        ("ftp://host/x/", "expected an http(s) URL like https://example.org, got 'ftp://host/x/'"),
        ("javascript:alert(1)", "expected a path like /lab-site/ or an http(s) URL, "
                                "got 'javascript:alert(1)'"),
    ],
)
def test_bad_base_urls(value: str, problem: str) -> None:
    with pytest.raises(ContentError) as info:
        parse_base_url(value, key="--base-url")
    assert str(info.value) == f"--base-url: {problem}"


def test_links_carry_the_prefix() -> None:
    urls = Urls(parse_base_url("/lab-site/"))
    assert urls.href(urls.paper("x")) == "/lab-site/papers/x/"
    assert urls.href("") == "/lab-site/"
    assert urls.absolute("feed.xml") == "/lab-site/feed.xml"  # no origin known: path only
    assert not urls.has_origin


def test_absolute_urls_with_an_origin() -> None:
    urls = Urls(parse_base_url("https://u.github.io/lab/"))
    assert urls.absolute(urls.author("a")) == "https://u.github.io/lab/authors/a/"
    assert urls.href(urls.author("a")) == "/lab/authors/a/"


def test_unusual_characters_in_paths_are_quoted() -> None:
    assert Urls(BaseURL()).href("papers/a b/") == "/papers/a%20b/"


def test_output_file() -> None:
    assert output_file("") == "index.html"
    assert output_file("papers/x/") == "papers/x/index.html"
    assert output_file("feed.xml") == "feed.xml"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a?b=1#c", "https://example.org/a?b=1#c"),
        ("http://example.org", "http://example.org"),
        ("mailto:me@example.org", "mailto:me@example.org"),
        ("  https://example.org/x  ", "https://example.org/x"),
        ('https://example.org/"><script>', "https://example.org/%22%3E%3Cscript%3E"),
        ("javascript:alert(1)", None),
        ("JaVaScRiPt:alert(1)", None),
        ("java\nscript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("vbscript:x", None),
        ("/relative/path", None),
        ("//evil.example/x", None),
        ("https://", None),
        ("https://exa mple.org/", None),
        ('https://ex"ample.org/', None),
        ("mailto:", None),
        ("", None),
    ],
)
def test_safe_href(url: str, expected: str | None) -> None:
    assert safe_href(url) == expected


@pytest.mark.parametrize("url", ["https://x.org/a\x01b", "https://x.org/a\u00a0b",
                                 "https://x.org/a\u2028b", "https://x.org/\tb"])
def test_safe_href_refuses_controls_and_any_space(url: str) -> None:
    assert safe_href(url) is None
