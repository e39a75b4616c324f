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
            page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)
            page.screenshot(path=str(artifacts / f"{name}-top.png"))
            size = overflow(page)
            if width == 375 and size["scrollWidth"] > size["innerWidth"]:
                overflowing.append(f"{scheme}: {size} widest: {widest_elements(page)}")
    page, _ = open_page(url, width=800, height=1100, media="print")
    page.screenshot(path=str(artifacts / f"{which}-print.png"), full_page=True)
    page.screenshot(path=str(artifacts / f"{which}-print-top.png"))
    assert not overflowing, f"{url} scrolls sideways at 375px:\n" + "\n".join(overflowing)
