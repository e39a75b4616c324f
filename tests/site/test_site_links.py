"""Every internal reference answers 200, at the domain root and under a sub-path.

The built folder is served with GitHub Pages semantics (``sitecheck.server``) and crawled
from its index; the 404 page is also crawled as served from a deep missing URL, where
relative links would break; ``noindex`` embeds (author cards) are crawled as entry pages
since nothing on the site links to them. Assets count: stylesheets, scripts, images, icons, fonts.
"""

from __future__ import annotations

import pytest
from sitecheck import layout
from sitecheck.build import REPO
from sitecheck.crawl import CrawlResult, crawl
from sitecheck.server import serve
from sitecheck.siteconf import public_roots

DEEP_MISSING = "no/such/page/deeply/nested/"


def _crawl(built) -> tuple[CrawlResult, str]:
    with serve(built.root, built.prefix) as site:
        not_found = (DEEP_MISSING,) if (built.root / "404.html").is_file() else ()
        embeds = tuple(
            layout.url_path(built.root, f, built.prefix) for f in layout.embeds(built.root)
        )
        result = crawl(
            site.url,
            extra_starts=embeds,
            not_found=not_found,
            aliases=public_roots(REPO, built.prefix),
        )
    return result, site.url


@pytest.fixture(scope="module", params=["seed_site", "subpath_site"])
def crawled(request) -> tuple[object, CrawlResult, str]:
    built = request.getfixturevalue(request.param)
    result, url = _crawl(built)
    return built, result, url


def test_no_broken_internal_links(crawled):
    built, result, url = crawled
    assert len(result.pages) > 1, f"the crawl from {url} found no pages beyond the index"
    report = "\n".join(str(b) for b in sorted(result.broken, key=str))
    assert not result.broken, (
        f"{len(result.broken)} broken internal references (site at {built.prefix}):\n{report}"
    )


def test_every_page_is_reachable_from_the_index(crawled):
    built, result, url = crawled
    reached = {f for u in result.pages if (f := layout.file_for(built.root, built.prefix, u))}
    orphans = [p.relative_to(built.root) for p in layout.pages(built.root) if p not in reached]
    assert not orphans, f"pages no link leads to (site at {built.prefix}): {orphans[:30]}"


def test_site_has_a_404_page(seed_site):
    assert (seed_site.root / "404.html").is_file(), "GitHub Pages serves 404.html for misses"
