"""Live preview in a real Chromium against a real ``sitegen serve`` process.

Each test opens a page, edits a source file the way an editor does, and waits for the open
page to show the result by itself (no ``page.reload()`` anywhere).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from servekit import ServeProcess, save

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PAPER = Path("content/papers/engine-notes.yaml")
TITLE = "Notes on the Analytical Engine"
SHOWN_WITHIN_MS = 2000


def _h1_is(page, text: str, timeout: float = SHOWN_WITHIN_MS) -> None:
    page.wait_for_function("t => document.querySelector('main h1')?.textContent === t",
                           arg=text, timeout=timeout)


def _retitle(server: ServeProcess, title: str) -> float:
    path = server.project / PAPER
    text = path.read_text(encoding="utf-8")
    first, rest = text.split("\n", 1)
    assert first.startswith("title:")
    return save(path, f"title: {title}\n{rest}")


def test_title_edit_shows_without_reload(server: ServeProcess, page) -> None:
    page.goto(server.url + "papers/engine-notes/")
    _h1_is(page, TITLE)
    _retitle(server, "Notes on the Difference Engine")
    _h1_is(page, "Notes on the Difference Engine")
    assert page.dialogs == []


def test_two_saves_a_second_apart_both_show(server: ServeProcess, page) -> None:
    page.goto(server.url + "papers/engine-notes/")
    _h1_is(page, TITLE)
    first = _retitle(server, "First save")
    _h1_is(page, "First save")
    time.sleep(max(0.0, first + 1.0 - time.monotonic()))
    _retitle(server, "Second save")
    _h1_is(page, "Second save")


def test_broken_yaml_shows_file_and_line_then_recovers(server: ServeProcess, page) -> None:
    page.goto(server.url + "papers/engine-notes/")
    _h1_is(page, TITLE)
    path = server.project / PAPER
    good = path.read_text(encoding="utf-8")
    save(path, good.replace("date_inferred: false", "date_inferred: [unclosed"))
    overlay = page.locator("#sitegen-build-error")
    overlay.wait_for(timeout=SHOWN_WITHIN_MS)
    text = overlay.inner_text()
    line = good.split("\n").index("date_inferred: false") + 1
    assert "papers/engine-notes.yaml:" in text
    assert any(f"engine-notes.yaml:{n}" in text for n in (line, line + 1)), text
    save(path, good.replace(TITLE, "Fixed again"))
    _h1_is(page, "Fixed again")
    assert overlay.count() == 0


def test_unknown_author_error_is_escaped(server: ServeProcess, page) -> None:
    page.goto(server.url + "papers/engine-notes/")
    _h1_is(page, TITLE)
    path = server.project / PAPER
    good = path.read_text(encoding="utf-8")
    lines = good.split("\n")
    at = lines.index("authors:") + 1
    hostile = "<img src=x onerror=alert(1)>"
    lines[at] = f"- '{hostile}'"
    save(path, "\n".join(lines))
    overlay = page.locator("#sitegen-build-error")
    overlay.wait_for(timeout=SHOWN_WITHIN_MS)
    text = overlay.inner_text()
    assert f"engine-notes.yaml:{at + 1}" in text, text
    assert hostile in text  # shown as text ...
    assert overlay.locator("img").count() == 0  # ... never as markup
    save(path, good)
    overlay.wait_for(state="detached", timeout=SHOWN_WITHIN_MS)
    _h1_is(page, TITLE)
    assert page.dialogs == []


def test_template_edit_and_template_error(server: ServeProcess, page) -> None:
    page.goto(server.url + "papers/engine-notes/")
    _h1_is(page, TITLE)
    base = server.project / "templates" / "base.html"
    good = base.read_text(encoding="utf-8")
    save(base, good.replace("<main ", '<p id="tpl-mark">edited</p>\n<main '))
    page.locator("#tpl-mark").wait_for(timeout=SHOWN_WITHIN_MS)
    broken = good.replace("{% block content %}{% endblock %}", "{% block content %}{% if %}")
    save(base, broken)
    overlay = page.locator("#sitegen-build-error")
    overlay.wait_for(timeout=SHOWN_WITHIN_MS)
    line = broken.split("\n").index("{% block content %}{% if %}") + 1
    assert f"base.html:{line}" in overlay.inner_text()
    save(base, good)
    overlay.wait_for(state="detached", timeout=SHOWN_WITHIN_MS)
    _h1_is(page, TITLE)
    assert page.locator("#tpl-mark").count() == 0


def test_css_edit_swaps_styles_without_reload(server: ServeProcess, page) -> None:
    page.goto(server.url + "papers/engine-notes/")
    _h1_is(page, TITLE)
    page.evaluate("window.__kept = 42")
    css = server.project / "templates" / "static" / "style.css"
    save(css, css.read_text(encoding="utf-8") + "\nmain h1 { letter-spacing: 7px; }\n")
    page.wait_for_function(
        "getComputedStyle(document.querySelector('main h1')).letterSpacing === '7px'",
        timeout=SHOWN_WITHIN_MS)
    assert page.evaluate("window.__kept") == 42  # same document: no reload
    assert page.locator('link[rel="stylesheet"]').count() == 1
    href = page.locator('link[rel="stylesheet"]').get_attribute("href")
    on_disk = (server.project / "output" / href.lstrip("/")).read_text(encoding="utf-8")
    assert "letter-spacing: 7px" in on_disk


def test_a_new_page_appears_on_its_404(server: ServeProcess, page) -> None:
    response = page.goto(server.url + "papers/brand-new/")
    assert response.status == 404
    source = (server.project / PAPER).read_text(encoding="utf-8")
    save(server.project / "content" / "papers" / "brand-new.yaml",
         source.replace(TITLE, "Brand new paper"))
    _h1_is(page, "Brand new paper")


def test_many_open_tabs_all_load_and_reload(server: ServeProcess, page) -> None:
    """More tabs than the browser's six connections per host: none may hang."""
    tabs = [page] + [page.context.new_page() for _ in range(8)]
    for tab in tabs:
        tab.goto(server.url + "papers/engine-notes/", timeout=5000)
        _h1_is(tab, TITLE)
    _retitle(server, "Seen in every tab")
    for tab in tabs:
        _h1_is(tab, "Seen in every tab")
