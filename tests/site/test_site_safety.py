"""Hostile content stays text: a content folder full of script injections builds to a safe site.

``fixtures/evil-content`` puts ``<script>``, attribute break-outs, event handlers,
``javascript:`` / ``data:`` URLs and ``</script>`` into titles, names, aliases, abstracts,
affiliations, categories, bios and links. Every output file (HTML, XML feeds and sitemaps,
JSON) is parsed and must hold no live script; the titles and names must still be shown,
as text; and no dialog may open when the pages load in a browser.
"""

from __future__ import annotations

import pytest
from sitecheck import layout, safety, vnu
from sitecheck.build import FIXTURES
from sitecheck.page import parse_page

EVIL_TITLE = '<script>alert(1)</script> Learning "quotes" & </script><img src=x onerror=alert(1)>'
EVIL_NAME = 'Mallory "><img src=x onerror=alert(1)>'


def test_fixture_is_valid_content():
    from sitegen.content.store import load_corpus

    corpus = load_corpus(FIXTURES / "evil-content")
    assert corpus.papers["evil-title"].title == EVIL_TITLE
    assert corpus.authors["mallory"].name == EVIL_NAME


def test_no_live_script_in_any_output_file(evil_site):
    scanned, problems = 0, []
    for file in sorted(p for p in evil_site.root.rglob("*") if p.is_file()):
        findings = safety.scan_file(file)
        if findings is None:
            continue
        scanned += 1
        problems += [f"{file.relative_to(evil_site.root)}: {f}" for f in findings]
    assert scanned >= 4, f"only {scanned} HTML/XML/JSON files in the output"
    assert not problems, f"{len(problems)} live-markup findings:\n" + "\n".join(problems[:60])


def test_hostile_text_is_shown_escaped(evil_site):
    paper = layout.find_page(evil_site.root, "evil-title", "paper")
    author = layout.find_page(evil_site.root, "mallory", "author")
    assert len(paper) == 1 and len(author) == 1, (paper, author)
    paper_page = parse_page(paper[0].read_text(encoding="utf-8"))
    author_page = parse_page(author[0].read_text(encoding="utf-8"))
    assert EVIL_TITLE in paper_page.text, "the paper's title is not shown as text"
    assert EVIL_NAME in paper_page.text, "the author's name is not shown on the paper page"
    assert EVIL_NAME in author_page.text, "the author's name is not shown on the author page"
    for page, where in ((paper_page, "paper"), (author_page, "author")):
        try:
            page.json_ld()
        except ValueError as exc:
            pytest.fail(f"{where} page: {exc}")


def test_hostile_pages_are_valid_html5(evil_site):
    messages = vnu.check([evil_site.root])
    root = str(evil_site.root.resolve()) + "/"
    assert not messages, "\n".join(str(m).replace(root, "") for m in messages[:40])


@pytest.mark.browser
def test_no_dialog_opens_in_the_browser(evil_site, served_evil, open_page):
    problems = []
    for file in layout.pages(evil_site.root):
        url = served_evil.origin + layout.url_path(evil_site.root, file, evil_site.prefix)
        page, seen = open_page(url)
        page.evaluate(
            """() => { for (const el of document.querySelectorAll('body *')) {
                for (const type of ['mouseover', 'focus', 'click'])
                    if (type !== 'click' || el.tagName !== 'A')
                        el.dispatchEvent(new Event(type, {bubbles: true}));
            } }"""
        )
        page.wait_for_timeout(100)
        if seen.dialogs or seen.page_errors or seen.external:
            problems.append(
                f"{url}: dialogs {seen.dialogs}, errors {seen.page_errors}, "
                f"requests elsewhere {seen.external}"
            )
    assert not problems, "\n".join(problems)
