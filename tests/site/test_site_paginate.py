"""The seed site with listings split into many parts, under a sub-path: the parts are
valid HTML5, accessible, linked without a broken reference, and all reachable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import SUBPATH, Built
from sitecheck import layout, vnu
from sitecheck.axe import run_axe
from sitecheck.build import build_site
from sitecheck.crawl import crawl
from sitecheck.server import Site, serve

PER_PART = 4


@pytest.fixture(scope="module")
def paged_site(content_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    project = tmp_path_factory.mktemp("paged")
    (project / "site.yaml").write_text(f"title: Paged lab\npaginate: {PER_PART}\n",
                                       encoding="utf-8")
    root = build_site(content_dir, project / "output", SUBPATH, cwd=project)
    return Built(root, SUBPATH, content_dir)


@pytest.fixture(scope="module")
def served_paged(paged_site: Built) -> Iterator[Site]:
    with serve(paged_site.root, paged_site.prefix) as site:
        yield site


def parts(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("page/*/index.html"))


def test_listings_are_split(paged_site: Built, corpus) -> None:
    want = -(-len(corpus.papers) // PER_PART)
    assert (paged_site.root / f"papers/page/{want}/index.html").is_file()
    assert not (paged_site.root / f"papers/page/{want + 1}").exists()
    assert any("categories" in p.parts for p in parts(paged_site.root))
    assert any("years" in p.parts for p in parts(paged_site.root))
    authors = -(-len(corpus.authors) // PER_PART)
    assert (paged_site.root / f"authors/page/{authors}/index.html").is_file()
    assert not (paged_site.root / f"authors/page/{authors + 1}").exists()


def test_sitemap_lists_every_part(paged_site: Built) -> None:
    root = paged_site.root
    sitemap = (root / "sitemap.xml").read_text(encoding="utf-8")
    listed = set(re.findall(r"<loc>[^<]*?/lab-site/([^<]*)</loc>", sitemap))
    want = {p.relative_to(root).as_posix().removesuffix("index.html") for p in parts(root)}
    assert any(w.startswith("authors/page/") for w in want)
    assert want <= listed


def test_home_page_links_to_the_authors_listing_instead_of_listing_everyone(
        paged_site: Built, corpus) -> None:
    home = (paged_site.root / "index.html").read_text(encoding="utf-8")
    assert f'<a href="{SUBPATH}authors/">All {len(corpus.authors)} authors</a>' in home
    assert 'class="people columns"' not in home
    assert re.search(f'<a href="{SUBPATH}authors/page/[0-9]+/#letter-b">B</a>', home)


def test_listing_parts_are_valid_html5(paged_site: Built) -> None:
    root = paged_site.root
    messages = vnu.check([root / "index.html", root / "papers" / "index.html",
                          root / "papers" / "page", root / "categories", root / "years",
                          root / "authors" / "index.html", root / "authors" / "page"])
    assert not messages, "\n".join(str(m) for m in messages[:20])


def test_no_broken_links_and_every_part_is_reachable(served_paged: Site,
                                                     paged_site: Built) -> None:
    result = crawl(served_paged.url)
    assert not result.broken, "\n".join(str(b) for b in result.broken[:20])
    root = paged_site.root
    reached = {f for u in result.pages if (f := layout.file_for(root, paged_site.prefix, u))}
    unreached = [p.relative_to(root) for p in parts(root) if p not in reached]
    assert parts(root) and not unreached, unreached[:20]


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_a_middle_part_is_accessible_and_fits_a_phone(served_paged: Site, open_page, axe_js,
                                                      scheme: str) -> None:
    url = served_paged.url + "papers/page/2/"
    page, seen = open_page(url, width=375, height=800, scheme=scheme)
    assert page.locator('nav[aria-label="Pagination"] a[rel="prev"]').count() == 1
    assert page.locator('nav[aria-label="Pagination"] a[rel="next"]').count() == 1
    violations = run_axe(page, axe_js)
    assert not violations, "\n".join(v.describe(url) for v in violations)
    size = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1]
    assert not seen.failed and not seen.bad_responses


@pytest.mark.browser
@pytest.mark.parametrize("path", ["authors/page/2/", ""])
def test_an_authors_part_and_the_home_page_are_accessible(served_paged: Site, open_page,
                                                          axe_js, path: str) -> None:
    url = served_paged.url + path
    page, seen = open_page(url, width=375, height=800, scheme="light")
    assert page.locator('nav[aria-label="Authors by letter"] a').count() > 1
    violations = run_axe(page, axe_js)
    assert not violations, "\n".join(v.describe(url) for v in violations)
    size = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert size[0] <= size[1]
    assert not seen.failed and not seen.bad_responses
