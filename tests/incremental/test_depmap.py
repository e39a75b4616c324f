"""The reverse dependency lookup agrees with the pages' own dependency sets.

``depmap.affected_pages`` finds the pages a change touches from the index maps, without
walking the plan; ``plan.page_deps`` says what each page reads. Every page whose deps meet
a changed identity must be among the pages found.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sitekit import make_project

from sitegen import depmap
from sitegen.config import load_config
from sitegen.content.store import load_corpus
from sitegen.render.index import build_index
from sitegen.render.plan import LIST_KINDS, page_deps, plan_pages
from sitegen.render.urls import Urls


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    project = make_project(tmp_path_factory.mktemp("depmap") / "site", n_papers=40,
                           n_authors=16)
    config = load_config(project)
    index = build_index(load_corpus(project / "content"), config)
    return config, index


def _brute_force(index, config, change: depmap.Change) -> set[str]:
    ids = change.identities()
    return {p.file for p in plan_pages(index, config)
            if p.kind not in LIST_KINDS
            and (not page_deps(index, p).isdisjoint(ids)
                 or (p.kind == "paper" and p.key in change.related))}


@pytest.mark.parametrize("what", ["abstract", "author-bio", "author-name"])
def test_directly_made_pages_cover_every_dependent_page(site, what: str) -> None:
    config, old = site
    corpus = replace(old.corpus, papers=dict(old.corpus.papers),
                     authors=dict(old.corpus.authors))
    papers: set[str] = set()
    authors: set[str] = set()
    if what == "abstract":
        slug = "paper-007"
        corpus.papers[slug] = replace(corpus.papers[slug], abstract="Changed.")
        papers.add(slug)
    else:
        slug = "author-02"
        field = {"author-bio": "bio", "author-name": "name"}[what]
        corpus.authors[slug] = replace(corpus.authors[slug], **{field: "Changed Name"})
        authors.add(slug)
    new = replace(old, corpus=corpus, memo={})
    urls = Urls(config.base)
    change = depmap.diff(old, new, urls, papers, authors)
    found = depmap.affected_pages(old, new, change, config.recent, urls)
    files = [p.file for p in found]
    assert len(files) == len(set(files))
    want = _brute_force(new, config, change)
    assert want, "the change reads as no change"
    assert want <= set(files)
    planned = {p.file: p for p in plan_pages(new, config)}
    assert all(planned[p.file] == p for p in found)  # the same pages as the plan's
    order = list(planned)
    assert [order.index(f) for f in files] == sorted(order.index(f) for f in files)


def test_no_change_touches_nothing(site) -> None:
    config, index = site
    urls = Urls(config.base)
    change = depmap.diff(index, index, urls, [], [])
    assert depmap.affected_pages(index, index, change, config.recent, urls) == []


def test_the_reverse_of_related_papers_is_patched_as_computing_it_would(site) -> None:
    """After index updates (papers moved, added, removed), the patched reverse of the
    related papers equals the reverse computed whole, list members and all."""
    import random

    from sitegen.content.store import Corpus
    from sitegen.render.index_update import update_index

    config, index = site
    rng = random.Random(5)
    names = sorted({n for p in index.corpus.papers.values() for n in p.authors})
    depmap.listed_by(index.related)  # known, as after a build
    for step in range(12):
        papers = dict(index.corpus.papers)
        changed = set(rng.sample(sorted(papers), 2))
        for slug in sorted(changed):
            if rng.random() < 0.2:
                del papers[slug]
            else:
                papers[slug] = replace(papers[slug], date=f"20{rng.randint(10, 30)}-01-01",
                                       authors=rng.sample(names, rng.randint(1, 3)),
                                       profiles=[])
        new_slug = f"new-{step}"
        papers[new_slug] = replace(papers[sorted(papers)[0]], slug=new_slug, profiles=[])
        changed.add(new_slug)
        corpus = Corpus(papers=papers, authors=index.corpus.authors)
        new, delta = update_index(index, corpus, changed)
        depmap.listed_by_updated(index.related, new.related, delta.related)
        patched = depmap.listed_by(new.related)
        whole: dict[str, list[str]] = {}
        for slug, listed in new.related.items():
            for other in listed:
                whole.setdefault(other, []).append(slug)
        assert {k: sorted(v) for k, v in patched.items()} == \
            {k: sorted(v) for k, v in whole.items()}
        index = new
