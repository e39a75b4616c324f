"""The paged authors listing: its parts, what each part shows, the letter navigation that
reaches every letter from any part, and the home page of a site whose listing has parts."""

from __future__ import annotations

import re

import pytest

from sitegen.config import SiteConfig, parse_base_url
from sitegen.content.model import Author, Paper
from sitegen.content.store import Corpus
from sitegen.render.env import make_env
from sitegen.render.index import SiteIndex, build_index
from sitegen.render.pages import render_page, sitemap_paths
from sitegen.render.plan import PAGED_LISTINGS, plan_pages
from sitegen.render.urls import Urls

#: A-Z: three under A, one under B, two under C, one under Z.
NAMES = ["Ada Avery", "Alan Abbot", "Anna Arden", "Bob Brown", "Carl Cole", "Cora Crane",
         "Zed Zane"]


def corpus() -> Corpus:
    c = Corpus()
    c.authors = {}
    for i, name in enumerate(NAMES):
        slug = name.lower().replace(" ", "-")
        c.authors[slug] = Author(slug=slug, name=name, profile=i == 0,
                                 affiliation="Lab" if i == 0 else "")
    c.papers = {f"p{i}": Paper(slug=f"p{i}", title=f"Paper {i}",
                               authors=NAMES[i:i + 2], date=f"2024-0{i + 1}-01", category="LG")
                for i in range(len(NAMES) - 1)}
    return c


def site(paginate: int, base: str = "/") -> tuple[SiteConfig, SiteIndex]:
    config = SiteConfig(paginate=paginate, base=parse_base_url(base, "", key="url"))
    return config, build_index(corpus(), config)


def render(paginate: int, path: str, base: str = "/") -> str:
    config, index = site(paginate, base)
    page = next(p for p in plan_pages(index, config) if p.path == path)
    return render_page(make_env(None), index, config, page).decode()


def people(html: str) -> list[str]:
    return re.findall(r'<li><a href="[^"]*/authors/[^"]+/">([^<]*)</a> <span class="count">',
                      html)


def letter_nav(html: str) -> list[tuple[str, str]]:
    nav = html[html.index('<nav class="letters" aria-label="Authors by letter">'):]
    return re.findall(r'<a href="([^"]*)">([^<]*)</a>', nav[:nav.index("</nav>")])


def headings(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<h\d id="(letter-[a-z]+)" class="letter">([^<]*)</h\d>', html)


def test_plan_has_one_page_per_part_of_the_authors_listing() -> None:
    config, index = site(2)
    assert "authors" in PAGED_LISTINGS
    assert [(p.path, p.part) for p in plan_pages(index, config) if p.kind == "authors"] == [
        ("authors/", 1), ("authors/page/2/", 2), ("authors/page/3/", 3), ("authors/page/4/", 4)]
    paths = sitemap_paths(index, Urls(config.base))
    assert [p for p in paths if p.startswith("authors/page/")] == [
        "authors/page/2/", "authors/page/3/", "authors/page/4/"]


NAV = [("/sub/authors/#letter-a", "A"), ("/sub/authors/page/2/#letter-b", "B"),
       ("/sub/authors/page/3/#letter-c", "C"), ("/sub/authors/page/4/#letter-z", "Z")]


def test_a_part_shows_its_slice_by_letter_and_links_every_letter_to_its_first_part() -> None:
    html = render(2, "authors/page/2/", "/sub/")
    assert people(html) == ["Anna Arden", "Bob Brown"]
    # the A group goes on from the first part under the same heading
    assert headings(html) == [("letter-a", "A"), ("letter-b", "B")]
    assert letter_nav(html) == NAV
    assert '<h1>Authors <span class="count">(7)</span> <span class="part">\u00b7 page 2 of 4' \
        '</span></h1>' in html
    assert "<title>Authors, page 2 \u00b7 " in html
    assert 'content="All 7 authors on Research publications, page 2."' in html
    assert '<a href="/sub/authors/" rel="prev">Previous</a>' in html
    assert '<a href="/sub/authors/page/3/" rel="next">Next</a>' in html


@pytest.mark.parametrize("path", ["authors/", "authors/page/3/", "authors/page/4/", ""])
def test_the_letter_navigation_is_the_same_from_any_part_and_the_home_page(path: str) -> None:
    assert letter_nav(render(2, path, "/sub/")) == NAV


def test_every_letter_link_lands_on_its_heading_in_the_part_it_names() -> None:
    config, index = site(2, "/sub/")
    parts = [p for p in plan_pages(index, config) if p.kind == "authors"]
    env = make_env(None)
    shown = [headings(render_page(env, index, config, p).decode()) for p in parts]
    paths = [f"/sub/{p.path}" for p in parts]
    for href, letter in NAV:
        path, anchor = href.split("#")
        n = paths.index(path)
        assert (anchor, letter) in shown[n]
        assert all((anchor, letter) not in before for before in shown[:n])  # the first


@pytest.mark.parametrize("paginate", [0, 7, 100])
def test_a_listing_of_one_part_is_as_before(paginate: int) -> None:
    html = render(paginate, "authors/")
    assert people(html) == NAMES
    assert letter_nav(html) == [("#letter-a", "A"), ("#letter-b", "B"), ("#letter-c", "C"),
                                ("#letter-z", "Z")]
    assert '<h1>Authors <span class="count">(7)</span></h1>' in html
    assert 'class="pagination"' not in html and "<title>Authors \u00b7 " in html
    home = render(paginate, "")
    assert people(home) == NAMES  # the home page still lists everyone
    assert "All 7 authors" not in home


def test_home_page_of_a_paged_listing_links_to_it_instead_of_listing_everyone() -> None:
    home = render(2, "", "/sub/")
    section = home[home.index('<section aria-labelledby="everyone-heading">'):]
    section = section[:section.index("</section>")]
    assert '<p><a href="/sub/authors/">All 7 authors</a></p>' in section
    assert people(section) == [] and 'class="people' not in section
    assert letter_nav(section) == NAV
    # featured researchers and recent papers stay
    assert '<a class="card-title" href="/sub/authors/ada-avery/">Ada Avery</a>' in home
    assert 'aria-labelledby="recent-heading"' in home and "Paper 5" in home
