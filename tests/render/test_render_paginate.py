"""Paged listings: which parts the plan has, what each part shows, how parts link."""

from __future__ import annotations

import re
import sys
from collections import deque
from pathlib import Path

import pytest

from sitegen.config import SiteConfig, config_from_text, parse_base_url
from sitegen.content.model import Author, Paper
from sitegen.content.store import Corpus
from sitegen.render.env import make_env
from sitegen.render.index import SiteIndex, build_index
from sitegen.render.pages import pager_numbers, render_page, sitemap_paths
from sitegen.render.plan import PAGED_KINDS, Page, page_deps, part_count, plan_pages
from sitegen.render.urls import Urls

sys.path.insert(0, str(Path(__file__).resolve().parent))
from htmltags import tags_of  # noqa: E402

#: (slug, date, category): LG holds 5 papers, CV 2; 2024 holds 3, 2023 holds 4.
PAPERS = [("a", "2024-05-01", "LG"), ("b", "2024-04-01", "LG"), ("c", "2024-03-01", "CV"),
          ("d", "2023-09-01", "LG"), ("e", "2023-08-01", "CV"), ("f", "2023-07-01", "LG"),
          ("g", "2023-06-01", "LG")]


def corpus() -> Corpus:
    c = Corpus()
    c.authors = {"ada": Author(slug="ada", name="Ada Lovelace", profile=True)}
    c.papers = {slug: Paper(slug=slug, title=f"Paper {slug.upper()}", authors=["Ada Lovelace"],
                            date=date, category=category)
                for slug, date, category in PAPERS}
    return c


def site(paginate: int, base: str = "/") -> tuple[SiteConfig, SiteIndex]:
    config = SiteConfig(paginate=paginate, base=parse_base_url(base, "", key="url"))
    return config, build_index(corpus(), config)


def parts(config: SiteConfig, index: SiteIndex) -> list[tuple[str, str, int, str]]:
    return [(p.kind, p.key, p.part, p.path) for p in plan_pages(index, config)
            if p.kind in PAGED_KINDS]


def test_plan_lists_every_part_first_to_last() -> None:
    assert parts(*site(2)) == [
        ("papers", "", 1, "papers/"), ("papers", "", 2, "papers/page/2/"),
        ("papers", "", 3, "papers/page/3/"), ("papers", "", 4, "papers/page/4/"),
        ("category", "cv", 1, "categories/cv/"),
        ("category", "lg", 1, "categories/lg/"), ("category", "lg", 2, "categories/lg/page/2/"),
        ("category", "lg", 3, "categories/lg/page/3/"),
        ("year", "2024", 1, "years/2024/"), ("year", "2024", 2, "years/2024/page/2/"),
        ("year", "2023", 1, "years/2023/"), ("year", "2023", 2, "years/2023/page/2/"),
    ]  # fmt: skip


@pytest.mark.parametrize("paginate", [0, 7, 100])
def test_no_part_beyond_the_first_when_not_paged_or_short(paginate: int) -> None:
    assert parts(*site(paginate)) == [
        ("papers", "", 1, "papers/"), ("category", "cv", 1, "categories/cv/"),
        ("category", "lg", 1, "categories/lg/"), ("year", "2024", 1, "years/2024/"),
        ("year", "2023", 1, "years/2023/"),
    ]


def test_every_planned_file_is_distinct_and_the_sitemap_lists_every_part() -> None:
    config, index = site(2)
    pages = plan_pages(index, config)
    assert len({p.file for p in pages}) == len(pages)
    paths = sitemap_paths(index, Urls(config.base))
    assert [p for p in paths if "/page/" in p] == [
        "papers/page/2/", "papers/page/3/", "papers/page/4/", "categories/lg/page/2/",
        "categories/lg/page/3/", "years/2024/page/2/", "years/2023/page/2/"]


def test_part_count() -> None:
    assert [part_count(n, 2) for n in (0, 1, 2, 3, 4, 5)] == [1, 1, 1, 2, 2, 3]
    assert part_count(10**6, 0) == 1


def test_a_category_part_reads_the_cards_of_its_slice_only() -> None:
    config, index = site(2)
    page = next(p for p in plan_pages(index, config) if p.kind == "category" and p.part == 2)
    deps = page_deps(index, page)
    assert {d for d in deps if d.startswith("paper:")} == {"paper:d", "paper:f"}


def render(paginate: int, path: str, base: str = "/") -> str:
    config, index = site(paginate, base)
    page = next(p for p in plan_pages(index, config) if p.path == path)
    return render_page(make_env(None), index, config, page).decode()


def titles(html: str) -> list[str]:
    return re.findall(r'class="paper-title" href="[^"]*">([^<]*)<', html)


def test_a_part_shows_its_slice_with_the_total_and_links_under_the_base_path() -> None:
    html = render(2, "papers/page/2/", "/sub/")
    assert titles(html) == ["Paper C", "Paper D"]
    assert '<span class="count">(7)</span> <span class="part">\u00b7 page 2 of 4</span></h1>' \
        in html
    assert "<title>All papers, page 2 \u00b7 " in html
    assert 'content="All 7 papers on Research publications, page 2."' in html
    # grouped by year, each group counting the papers of this part
    assert '<a href="/sub/years/2024/">2024</a> <span class="count">(1)</span>' in html
    assert '<a href="/sub/years/2023/">2023</a> <span class="count">(1)</span>' in html
    nav = html[html.index('<nav class="pagination" aria-label="Pagination">'):]
    nav = nav[:nav.index("</nav>")]
    assert '<a href="/sub/papers/" rel="prev">Previous</a>' in nav
    assert '<a href="/sub/papers/page/3/" rel="next">Next</a>' in nav
    assert '<span aria-current="page">2</span>' in nav
    assert re.findall(r'<li><a href="([^"]+)">(\d+)</a></li>', nav) == [
        ("/sub/papers/", "1"), ("/sub/papers/page/3/", "3"), ("/sub/papers/page/4/", "4")]


def test_first_and_last_parts_link_one_way() -> None:
    first = render(2, "categories/lg/")
    assert titles(first) == ["Paper A", "Paper B"]
    assert 'rel="prev"' not in first and "<title>Category LG \u00b7 " in first
    assert '<a href="/categories/lg/page/2/" rel="next">Next</a>' in first
    last = render(2, "categories/lg/page/3/")
    assert titles(last) == ["Paper G"]
    assert 'rel="next"' not in last and "<title>Category LG, page 3 \u00b7 " in last
    assert '<a href="/categories/lg/page/2/" rel="prev">Previous</a>' in last
    year = render(2, "years/2023/page/2/")
    assert titles(year) == ["Paper F", "Paper G"]
    assert "<title>Papers from 2023, page 2 \u00b7 " in year
    assert 'aria-current="page">2</span>' in year


def test_a_listing_of_one_part_has_no_navigation() -> None:
    html = render(0, "papers/")
    assert titles(html) == [f"Paper {s.upper()}" for s, _d, _c in PAPERS]
    assert 'class="part"' not in html and 'rel="next"' not in html
    assert [a.get("aria-label") for tag, a in tags_of(html) if tag == "nav"] == ["Site"]


@pytest.mark.parametrize("count", [*range(1, 25), 99, 100, 101, 555, 1000, 2345])
def test_pager_reaches_every_part_from_the_first_in_a_few_clicks(count: int) -> None:
    for current in {1, count, (count + 1) // 2}:
        numbers = pager_numbers(current, count)
        assert numbers == sorted(set(numbers)) and current in numbers
        assert {1, count} <= set(numbers) and all(1 <= n <= count for n in numbers)
        assert len(numbers) <= 3 + 10 * len(str(count))
    clicks = {1: 0}
    todo = deque([1])
    while todo:
        n = todo.popleft()
        for m in pager_numbers(n, count):
            if m not in clicks:
                clicks[m] = clicks[n] + 1
                todo.append(m)
    assert sorted(clicks) == list(range(1, count + 1))
    assert max(clicks.values()) <= len(str(count))


def test_paginate_setting_defaults_to_100_and_accepts_zero() -> None:
    assert SiteConfig().paginate == 100
    assert config_from_text("title: X\n", "site.yaml", Path(".")).paginate == 100
    assert config_from_text("paginate: 0\n", "site.yaml", Path(".")).paginate == 0
    assert build_index(corpus(), SiteConfig(paginate=3)).paginate == 3


def test_a_page_outside_a_listing_is_its_first_part() -> None:
    assert Page("x/", "t.html", "paper", "x").part == 1
