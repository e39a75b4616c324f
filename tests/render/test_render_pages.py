"""The page renderer's shortcuts give what the long way gives."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sitegen.cards.pages import CARD_KINDS
from sitegen.config import SiteConfig, parse_base_url
from sitegen.content.model import Author, Paper
from sitegen.content.slugs import slugify
from sitegen.content.store import Corpus
from sitegen.render.env import json_ld, make_env
from sitegen.render.index import build_index
from sitegen.render.pages import _initial, _paper_ld, render_page, sitemap_paths
from sitegen.render.plan import plan_pages
from sitegen.render.urls import Urls


def corpus() -> Corpus:
    c = Corpus()
    c.authors = {
        "ada": Author(slug="ada", name="Ada Lovelace", profile=True),
        "bob": Author(slug="bob", name="Bob B\u00e4bbage"),
        "z-1": Author(slug="z-1", name="Zed"),
    }
    c.papers = {
        "p1": Paper(slug="p1", title="One", authors=["Ada Lovelace", "Bob B\u00e4bbage"],
                    date="2023-03-01", category="LG", abstract="See $x^2$ and https://github.com/a/b."),
        "a0": Paper(slug="a0", title="Zero", authors=["Zed"], date="2021-01-01", category=""),
        "p2": Paper(slug="p2", title="Two", authors=["Bob B\u00e4bbage"], et_al=True,
                    date="2024-01-01", category="CV", profiles=["ada"]),
    }  # fmt: skip
    return c


@pytest.mark.parametrize("base", ["/", "/lab/", "https://x.org/lab/"])
def test_sitemap_lists_the_planned_html_pages_in_plan_order(base: str) -> None:
    config = SiteConfig(base=parse_base_url(base, "", key="url"))
    index = build_index(corpus(), config)
    planned = [p.path for p in plan_pages(index, config)
               if p.is_html and p.kind not in ("404", *CARD_KINDS)]
    assert sitemap_paths(index, Urls(config.base)) == planned


def test_feeds_share_entries_but_not_across_sites() -> None:
    """An entry is reused by the site feed and an author's feed; a feed for another site
    title (no origin: ids are URNs with the title) does not get it."""
    env = make_env(None)
    one = SiteConfig(title="Lab One")
    index = build_index(corpus(), one)
    pages = {p.kind + p.key: p for p in plan_pages(index, one)}
    site_feed = render_page(env, index, one, pages["feed"]).decode()
    ada_feed = render_page(env, index, one, pages["author-feedada"]).decode()
    entry = site_feed[site_feed.index("<entry>"):site_feed.index("</entry>")]
    assert entry in ada_feed and "urn:sitegen:lab-one:papers/p2/" in entry
    two = SiteConfig(title="Lab Two")
    other = render_page(env, index, two, pages["feed"]).decode()
    assert "urn:sitegen:lab-two:papers/p2/" in other and "lab-one" not in other


@given(st.sampled_from("aZ09") , st.text(max_size=12))
def test_initial_of_a_name_is_its_slugs_first_letter(first: str, rest: str) -> None:
    name = first + rest
    assert _initial(name) == slugify(name)[:1].upper()


_ld_text = st.text(st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["", "a & b <i>'x'</i>", "line\u2028sep\u2029", "\"quoted\" \\ back", "\x01\x7f"])


@given(title=_ld_text, names=st.lists(_ld_text, max_size=4), text=_ld_text,
       category=_ld_text, inferred=st.booleans(),
       base=st.sampled_from(["/", "/lab/", "https://x.org/lab/"]))
def test_paper_json_ld_is_json_ld_of_its_dict(
    title: str, names: list[str], text: str, category: str, inferred: bool, base: str
) -> None:
    urls = Urls(parse_base_url(base, "", key="url"))
    paper = Paper(slug="p", title=title, authors=names, date="2023-03-01",
                  date_inferred=inferred, category=category)
    people = [(f"a-{i}", name) for i, name in enumerate(names)]
    ld: dict = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": title,
        "name": title,
        "author": [{"@type": "Person", "name": name, "url": urls.absolute(urls.author(slug))}
                   for slug, name in people],
        "datePublished": "2023" if inferred else "2023-03-01",
        "url": urls.absolute("papers/p/"),
    }
    if text:
        ld["abstract"] = text
    if category:
        ld["about"] = category
    got = _paper_ld(urls, paper, people, urls.absolute("papers/p/"), text)
    assert got == json_ld(ld)
    assert type(got) is type(json_ld(ld))
