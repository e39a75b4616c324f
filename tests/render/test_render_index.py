"""The cross-reference index and the page plan built from it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.config import SiteConfig
from sitegen.content.model import Author, Paper
from sitegen.content.store import Corpus
from sitegen.errors import ContentError
from sitegen.render.index import build_index
from sitegen.render.plan import page_deps, plan_pages


def corpus() -> Corpus:
    c = Corpus()
    c.authors = {
        "ada": Author(slug="ada", name="Ada Lovelace", aliases=["A. Lovelace"], profile=True),
        "bob": Author(slug="bob", name="Bob Babbage"),
        "cy": Author(slug="cy", name="Cy Young"),
        "dee": Author(slug="dee", name="Élise Dee", profile=True),
    }
    c.papers = {
        "p1": Paper(slug="p1", title="One", authors=["Ada Lovelace", "Bob Babbage"],
                    date="2023-03-01", category="LG"),
        "p2": Paper(slug="p2", title="Two", authors=["Bob Babbage", "Cy Young"], et_al=True,
                    date="2024-01-01", category="CV", profiles=["ada"]),
        "p3": Paper(slug="p3", title="Three", authors=["A. Lovelace"], date="2023-03-01",
                    category="LG"),
    }  # fmt: skip
    return c


def test_names_resolve_through_aliases_and_hidden_owners_are_found() -> None:
    index = build_index(corpus(), SiteConfig())
    assert [c.slug for c in index.credits["p3"]] == ["ada"]
    assert index.hidden["p2"] == ["ada"]
    assert index.people("p2") == ("bob", "cy", "ada")


def test_papers_per_author_newest_first_and_coauthor_counts() -> None:
    index = build_index(corpus(), SiteConfig())
    assert index.papers_by_author["ada"] == ["p2", "p1", "p3"]
    assert index.coauthors["ada"] == [("bob", 2), ("cy", 1)]
    assert index.papers_by_author["dee"] == [] and index.coauthors["dee"] == []


def test_related_papers_share_authors() -> None:
    index = build_index(corpus(), SiteConfig())
    assert index.related["p1"] == ["p2", "p3"]  # p2 shares two authors
    assert index.related["p3"] == ["p2", "p1"]


def test_orderings_years_categories_featured() -> None:
    index = build_index(corpus(), SiteConfig())
    assert index.all_papers == ["p2", "p1", "p3"]
    assert index.authors_az == ["ada", "bob", "cy", "dee"]  # Élise sorts as "elise"
    assert list(index.years) == [2024, 2023]
    assert index.categories == {"cv": ["p2"], "lg": ["p1", "p3"]}
    assert index.featured == ["ada", "dee"]
    assert build_index(corpus(), SiteConfig(featured=("dee",))).featured == ["dee"]


def test_unknown_name_is_an_error_with_its_key() -> None:
    c = corpus()
    c.papers["p1"].authors.append("Nobody")
    with pytest.raises(ContentError) as info:
        build_index(c, SiteConfig())
    assert str(info.value) == (
        "papers/p1.yaml: authors[2]: unknown author 'Nobody' "
        "(no author file has this name or alias)"
    )


def test_a_name_claimed_by_two_authors_is_an_error() -> None:
    c = corpus()
    c.authors["cy"].aliases.append("Bob Babbage")
    with pytest.raises(ContentError) as info:
        build_index(c, SiteConfig())
    assert str(info.value) == (
        "authors/cy.yaml: aliases[0]: name 'Bob Babbage' is already used by authors/bob.yaml"
    )


def test_plan_lists_every_page_once_with_deps() -> None:
    index = build_index(corpus(), SiteConfig())
    pages = plan_pages(index, SiteConfig())
    files = [p.file for p in pages]
    assert len(files) == len(set(files))
    by_file = {p.file: p for p in pages}
    paper = by_file["papers/p2/index.html"]
    assert {"paper:p2", "author:ada", "author:bob", "author:cy", "config"} <= page_deps(index, paper)
    author = by_file["authors/ada/index.html"]
    assert {"author:ada", "paper:p1", "paper:p2", "paper:p3", "author:bob"} <= page_deps(index,
                                                                                         author)
    for required in ["index.html", "404.html", "sitemap.xml", "robots.txt", "feed.xml",
                     ".nojekyll", "categories/lg/index.html", "years/2024/index.html",
                     "authors/dee/feed.xml", "papers/p1/p1.bib"]:  # fmt: skip
        assert required in by_file


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, 7), min_size=1, max_size=5),
                          st.integers(1, 28), st.lists(st.integers(0, 7), max_size=2)),
                min_size=1, max_size=30))
def test_related_and_coauthors_match_their_definition(rows: list) -> None:
    """Related: the papers sharing the most people, newest first; co-authors: shared counts."""
    c = Corpus()
    c.authors = {f"a{i}": Author(slug=f"a{i}", name=f"Name {i}") for i in range(8)}
    for n, (names, day, owners) in enumerate(rows):
        c.papers[f"p{n}"] = Paper(
            slug=f"p{n}", title=f"T{n % 3}", authors=[f"Name {i}" for i in names],
            date=f"2020-01-{day:02d}", profiles=[f"a{i}" for i in owners])
    index = build_index(c, SiteConfig())
    rank = {s: i for i, s in enumerate(index.all_papers)}
    for slug in index.all_papers:
        mine = set(index.people(slug))
        shared = {other: len(mine & set(index.people(other)))
                  for other in index.all_papers if other != slug}
        expected = sorted((s for s, k in shared.items() if k), key=lambda s: (-shared[s], rank[s]))
        assert index.related[slug] == expected[:5]
    for author in c.authors:
        counts: dict[str, int] = {}
        for slug in index.papers_by_author[author]:
            for other in index.people(slug):
                if other != author:
                    counts[other] = counts.get(other, 0) + 1
        assert dict(index.coauthors[author]) == counts


def test_a_started_index_has_credits_and_refuses_the_rest_until_completed() -> None:
    from sitegen.render.index import IndexPending, complete_index, start_index

    index = start_index(corpus())
    assert index.people("p2") == ("bob", "cy", "ada")  # all that a paper card reads
    for read in (lambda: index.related["p1"], lambda: list(index.all_papers),
                 lambda: index.years.items(), lambda: len(index.authors_az)):
        with pytest.raises(IndexPending):
            read()
    assert complete_index(index, SiteConfig()) == build_index(corpus(), SiteConfig())
