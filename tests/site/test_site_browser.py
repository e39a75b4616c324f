"""The seed site in a real browser: accessible, self-contained, quiet, and fits a phone.

Three pages stand for the site (the index, an author page, a paper page). axe-core checks
WCAG 2.1 A/AA rules in light and dark colour schemes; every request must stay on
127.0.0.1 and the console must stay free of errors; screenshots at phone and desktop
widths, both schemes and print go to ``tests/.artifacts/screens`` for a human to look at.
"""

from __future__ import annotations

import pytest
from sitecheck import layout
from sitecheck.axe import run_axe
from sitecheck.browser import overflow, widest_elements

PAGES = ("index", "author", "paper")
pytestmark = pytest.mark.browser


def _url(served, seed_site, file) -> str:
    return served.origin + layout.url_path(seed_site.root, file, seed_site.prefix)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", PAGES)
def test_no_axe_violations(which, scheme, served_seed, seed_site, sample, open_page, axe_js):
    url = _url(served_seed, seed_site, dict(sample.items())[which])
    page, _ = open_page(url, scheme=scheme)
    violations = run_axe(page, axe_js)
    assert not violations, f"{len(violations)} axe violations ({scheme}):\n" + "\n".join(
        v.describe(url) for v in violations
    )


@pytest.mark.parametrize("which", PAGES)
def test_no_external_requests_and_no_console_errors(
    which, served_seed, seed_site, sample, open_page
):
    url = _url(served_seed, seed_site, dict(sample.items())[which])
    page, seen = open_page(url)
    page.wait_for_load_state("networkidle")
    assert seen.requests, "the browser recorded no request at all"
    assert not seen.external, f"{url} requested other hosts: {seen.external}"
    assert not seen.failed, f"{url}: local requests failed: {seen.failed}"
    assert not seen.bad_responses, f"{url}: error responses: {seen.bad_responses}"
    problems = seen.console_errors + seen.page_errors
    assert not problems, f"{url}: console errors: {problems}"


@pytest.mark.parametrize("which", PAGES)
def test_screenshots_and_no_sideways_scroll_on_a_phone(
    which, served_seed, seed_site, sample, open_page, artifacts
):
    url = _url(served_seed, seed_site, dict(sample.items())[which])
    overflowing = []
    for width, height in ((375, 800), (1280, 900)):
        for scheme in ("light", "dark"):
            page, _ = open_page(url, width=width, height=height, scheme=scheme)
            name = f"{which}-{width}-{scheme}"
            page.screenshot(path=str(artifacts / f"{name}.jpg"), full_page=True, quality=70)
            page.screenshot(path=str(artifacts / f"{name}-top.png"))
            size = overflow(page)
            if width == 375 and size["scrollWidth"] > size["innerWidth"]:
                overflowing.append(f"{scheme}: {size} widest: {widest_elements(page)}")
    page, _ = open_page(url, width=800, height=1100, media="print")
    page.screenshot(path=str(artifacts / f"{which}-print.jpg"), full_page=True, quality=70)
    page.screenshot(path=str(artifacts / f"{which}-print-top.png"))
    assert not overflowing, f"{url} scrolls sideways at 375px:\n" + "\n".join(overflowing)


def _one_of_each_kind(root) -> list:
    """Each section's index and first page (years, categories, lists...) plus the 404 page."""
    chosen = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        in_section = [p for p in layout.pages(root) if folder in p.parents]
        index = folder / "index.html"
        chosen += [index] if index in in_section else []
        chosen += [p for p in in_section if p != index][:1]
    if (root / "404.html").is_file():
        chosen.append(root / "404.html")
    return chosen


def test_every_kind_of_page_is_accessible_and_fits_a_phone(
    served_seed, seed_site, sample, open_page, axe_js
):
    """The sample pages are checked in depth above; here one page of every other kind."""
    others = [
        p for p in _one_of_each_kind(seed_site.root) if p not in dict(sample.items()).values()
    ]
    assert others, "the output has no sections besides the sampled pages"
    problems = []
    for file in others:
        url = _url(served_seed, seed_site, file)
        if file.name == "404.html" and file.parent == seed_site.root:
            url = served_seed.url + "no/such/page/"
        page, seen = open_page(url, width=375, height=800)
        # (a 404 page's own status is logged as a console error; that one is expected)
        problems += [v.describe(url) for v in run_axe(page, axe_js)]
        size = overflow(page)
        if size["scrollWidth"] > size["innerWidth"]:
            problems.append(f"{url}: scrolls sideways at 375px {size}: {widest_elements(page)}")
        for what, found in (
            ("requests elsewhere", seen.external),
            ("console errors", [e for e in seen.console_errors if f"({url}:" not in e]),
            ("page errors", seen.page_errors),
            ("failed requests", seen.failed),
            ("error responses", [r for r in seen.bad_responses if not r.endswith(" " + url)]),
        ):
            if found:
                problems.append(f"{url}: {what}: {found}")
    checked = ", ".join(str(p.relative_to(seed_site.root)) for p in others)
    assert not problems, f"checked {checked}\n" + "\n".join(problems)


def test_pages_under_a_sub_path_load_everything_they_ask_for(subpath_site, sample, open_page):
    """Scripts may build URLs at run time, which no crawl of the markup sees."""
    from sitecheck.server import serve

    problems = []
    with serve(subpath_site.root, subpath_site.prefix) as site:
        for which, seed_file in sample.items():
            rel = seed_file.relative_to(sample.index.parent)
            url = site.origin + layout.url_path(
                subpath_site.root, subpath_site.root / rel, site.prefix
            )
            page, seen = open_page(url)
            page.wait_for_load_state("networkidle")
            found = seen.failed + seen.bad_responses + seen.console_errors + seen.page_errors
            problems += [f"{which} {url}: {f}" for f in found + seen.external]
    assert not problems, "\n".join(problems)
