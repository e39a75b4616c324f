"""The checks themselves, proven on a small hand-made site with known problems.

``fixtures/tiny-site`` has two clean pages and ``bad/``, a page with a broken link, a
root-relative link, a missing anchor, an image without alt text, pale text, an external
request, a script error and an element wider than a phone. Each check must pass the clean
pages and name each planted problem; otherwise a green run of the real checks means nothing.
"""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest
from sitecheck import layout, safety, vnu
from sitecheck.axe import run_axe
from sitecheck.browser import overflow
from sitecheck.build import FIXTURES
from sitecheck.crawl import crawl, fetch
from sitecheck.page import parse_page
from sitecheck.server import resolve, serve

TINY = FIXTURES / "tiny-site"


@pytest.fixture(scope="module")
def tiny_sub():
    with serve(TINY, "/lab-site/") as site:
        yield site


@pytest.fixture(scope="module")
def tiny_root():
    with serve(TINY, "/") as site:
        yield site


# ---- server ---------------------------------------------------------------------------------


def test_resolve_follows_pages_rules():
    assert resolve(TINY, "/lab-site/", "/lab-site/").file == TINY / "index.html"
    assert resolve(TINY, "/lab-site/", "/lab-site/about/").file == TINY / "about" / "index.html"
    assert resolve(TINY, "/lab-site/", "/lab-site/about").location == "/lab-site/about/"
    assert resolve(TINY, "/lab-site/", "/lab-site").location == "/lab-site/"
    assert resolve(TINY, "/lab-site/", "/about/").status == 404
    assert resolve(TINY, "/lab-site/", "/about/").file is None
    missing = resolve(TINY, "/lab-site/", "/lab-site/nope/")
    assert (missing.status, missing.file) == (404, TINY / "404.html")
    assert resolve(TINY, "/lab-site/", "/lab-site/../conftest.py").status == 404


def test_server_answers_over_http(tiny_sub):
    assert tiny_sub.url.startswith("http://127.0.0.1:") and tiny_sub.url.endswith("/lab-site/")
    home = fetch(tiny_sub.url)
    assert home.status == 200 and b"Tiny lab" in home.body
    assert home.content_type.startswith("text/html")
    css = fetch(tiny_sub.url + "assets/style.css")
    assert css.content_type.startswith("text/css")
    missing = fetch(tiny_sub.url + "nope/")
    assert missing.status == 404 and b"Page not found" in missing.body
    outside = fetch(tiny_sub.origin + "/about/")
    assert outside.status == 404 and b"Page not found" not in outside.body
    with urllib.request.urlopen(tiny_sub.url + "about") as redirected:  # noqa: S310
        assert redirected.geturl() == tiny_sub.url + "about/"


# ---- crawler --------------------------------------------------------------------------------


def test_crawl_of_clean_pages_finds_nothing(tiny_sub):
    result = crawl(tiny_sub.url)
    assert result.broken == []
    assert set(result.pages) == {tiny_sub.url, tiny_sub.url + "about/"}
    fetched = set(result.fetched)
    assert tiny_sub.url + "assets/style.css" in fetched
    assert tiny_sub.url + "assets/dot.svg" in fetched  # from <img>, srcset, <link> and CSS


def test_crawl_names_every_planted_broken_link_and_its_page(tiny_sub):
    bad = tiny_sub.url + "bad/"
    result = crawl(bad)
    found = {(b.source, b.where, b.url, b.problem) for b in result.broken}
    assert found == {
        (bad, "a[href]", "../nope/", "HTTP 404"),
        (bad, "a[href]", "/about/", "HTTP 404"),
        (bad, "a[href]", "../about/#nobody", "no element with id 'nobody'"),
        (bad, "meta[og:image]", "../assets/missing.png", "HTTP 404"),
        (bad, "img[src]", "../assets/gone.png", "HTTP 404"),
    }
    assert "http://example.invalid/pixel.png" in result.external


def test_root_relative_link_works_only_at_the_root(tiny_root):
    broken = {b.url for b in crawl(tiny_root.url + "bad/").broken}
    assert "/about/" not in broken and "../nope/" in broken


def test_absolute_links_to_the_public_url_are_checked_locally(tiny_sub):
    page = tiny_sub.url + "about/"
    result = crawl(page, aliases=("https://lab.example.org/lab-site/",))
    assert result.broken == []
    crawler_only = crawl(tiny_sub.url + "bad/", aliases=("https://lab.example.org/lab-site/",))
    assert any(b.url == "../nope/" for b in crawler_only.broken)


# ---- page parsing, layout -------------------------------------------------------------------


def test_page_parser_collects_refs_ids_and_anchor_text():
    page = parse_page((TINY / "index.html").read_text())
    assert {(r.where, r.url) for r in page.refs} >= {
        ("link[href]", "assets/style.css"),
        ("img[src]", "assets/dot.svg"),
        ("img[srcset]", "assets/dot.svg"),
        ("a[href]", "about/#people"),
    }
    assert "main" in page.ids
    assert ("about/", "About the lab") in {(a.href, a.text) for a in page.anchors}
    assert page.link_hrefs("canonical") == ["./"]
    assert page.lang == "en" and page.title == "Tiny lab"


def test_layout_maps_files_and_urls():
    about = TINY / "about" / "index.html"
    assert layout.url_path(TINY, about, "/lab-site/") == "/lab-site/about/"
    assert layout.file_for(TINY, "/", "../about/", "http://x/bad/") == about
    assert layout.file_for(TINY, "/", "/nope/") is None
    assert layout.find_page(TINY, "about", "x") == [about]
    assert TINY / "404.html" not in layout.pages(TINY)


# ---- safety scanner -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "html",
    [
        "<p><script>alert(1)</script></p>",
        '<p><img src=x onerror="alert(1)"></p>',
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        "<a href='JAVASCRIPT:alert(1)'>x</a>",
        '<svg><a xlink:href="javascript:alert(1)">x</a></svg>',
        '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
        '<meta property="og:url" content="javascript:alert(1)">',
        '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
        '<script type="application/ld+json">{"name": "</script><script>alert(1)</script>"}',
    ],
)
def test_scanner_finds_live_script(html):
    assert safety.scan_html(html), html


@pytest.mark.parametrize(
    "html",
    [
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>",
        '<p title="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;">x</p>',
        '<a href="https://example.org/?q=javascript:alert(1)">x</a>',
        '<meta name="citation_title" content="javascript:alert(1)">',
        '<meta property="og:title" content="javascript:alert(1)">',
        '<script type="application/ld+json">{"name": "<\\/script><script>alert(1)"}</script>',
    ],
)
def test_scanner_passes_escaped_text(html):
    assert safety.scan_html(html) == []


def test_scanner_reads_feeds_and_json():
    feed = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><entry>'
        '<title type="text">&lt;script&gt;alert(1)&lt;/script&gt;</title>'
        '<content type="html">&lt;img src=x onerror=alert(1)&gt;</content>'
        '<link href="javascript:alert(1)"/></entry></feed>'
    )
    found = safety.scan_xml(feed)
    assert len(found) == 2 and "onerror" in found[0] and "javascript:" in found[1]
    assert safety.scan_json('{"content_html": "<script>alert(1)</script>"}')
    assert safety.scan_json('{"title": "<script>alert(1)</script>"}') == []
    assert safety.scan_json("{oops") == ["JSON does not parse: " + _json_error("{oops")]


def _json_error(text: str) -> str:
    import json

    try:
        json.loads(text)
    except ValueError as exc:
        return str(exc)
    return ""


# ---- Nu HTML Checker ------------------------------------------------------------------------


def test_vnu_passes_clean_pages_and_names_errors_on_the_bad_one():
    messages = vnu.check([TINY])
    by_file = {m.file.resolve() for m in messages}
    assert by_file == {(TINY / "bad" / "index.html").resolve()}, [str(m) for m in messages]
    texts = " | ".join(m.text for m in messages)
    assert "alt" in texts and "Duplicate ID" in texts
    assert all(m.line for m in messages)


# ---- browser --------------------------------------------------------------------------------


@pytest.mark.browser
def test_axe_passes_clean_pages_in_both_schemes(tiny_sub, open_page, axe_js):
    for scheme in ("light", "dark"):
        for url in (tiny_sub.url, tiny_sub.url + "about/"):
            page, seen = open_page(url, scheme=scheme)
            violations = run_axe(page, axe_js)
            assert violations == [], "\n".join(v.describe(url) for v in violations)
            assert seen.external == [] and seen.console_errors == [] and seen.page_errors == []


@pytest.mark.browser
def test_browser_checks_catch_the_bad_page(tiny_sub, open_page, axe_js):
    page, seen = open_page(tiny_sub.url + "bad/", width=375, height=800)
    rules = {v.rule for v in run_axe(page, axe_js)}
    assert {"image-alt", "color-contrast"} <= rules
    assert seen.external == ["http://example.invalid/pixel.png"]
    assert any("undefinedFunctionCall" in e for e in seen.page_errors)
    assert seen.bad_responses == [f"404 {tiny_sub.url}assets/gone.png"]
    size = overflow(page)
    assert size["scrollWidth"] > size["innerWidth"]


@pytest.mark.browser
def test_dialogs_are_recorded(tiny_sub, open_page):
    page, seen = open_page(tiny_sub.url)
    page.evaluate("() => { alert('x'); }")
    assert seen.dialogs == ["alert: x"]


def test_fixture_site_is_where_the_tests_expect():
    assert Path(TINY, "bad", "index.html").is_file()


def test_crawl_reads_the_404_page_served_deep_in_the_tree(tiny_sub):
    deep = tiny_sub.url + "no/such/page/"
    result = crawl(tiny_sub.url, not_found=(deep,))
    assert deep in result.pages and result.fetched[deep].status == 404
    assert result.broken == []


def test_noindex_embeds_are_not_pages_but_are_crawlable(tiny_sub):
    card = TINY / "about" / "card.html"
    assert layout.embeds(TINY) == [card]
    assert card not in layout.pages(TINY)
    start = layout.url_path(TINY, card, tiny_sub.prefix)
    result = crawl(tiny_sub.url, extra_starts=(start,))
    assert tiny_sub.origin + start in result.pages and result.broken == []


def test_links_on_the_public_url_map_to_local_files():
    about = TINY / "about" / "index.html"
    public = ("https://lab.example.org/lab-site/",)
    assert layout.local_url("https://lab.example.org/lab-site/about/", "/lab-site/", public) == (
        "/lab-site/about/"
    )
    assert layout.local_url("https://elsewhere.example/about/", "/lab-site/", public) is None
    index = TINY / "index.html"
    assert layout.target_file(TINY, "/lab-site/", index, "about/", public) == about
    assert layout.target_file(TINY, "/lab-site/", about, "../", public) == index
    assert (
        layout.target_file(
            TINY, "/lab-site/", index, "https://lab.example.org/lab-site/about/", public
        )
        == about
    )
    assert layout.target_file(TINY, "/lab-site/", index, "/about/", public) is None


def test_missing_tools_fail_with_the_install_command(monkeypatch):
    from sitecheck import browser

    monkeypatch.setattr(browser, "CHROMIUM", Path("/nonexistent/chromium"))
    with pytest.raises(vnu.ToolMissing, match="apt-get install chromium"):
        browser.launch(object())
    monkeypatch.setattr(vnu.shutil, "which", lambda name: None)
    with pytest.raises(vnu.ToolMissing, match="apt-get install default-jre-headless"):
        vnu.check([TINY])
