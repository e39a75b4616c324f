"""The index brought up to date for a few changed papers, instead of built again.

Building the index of 50,000 papers takes about 1.5 s, and an edit that moves one paper
(its date, its category, its author list, or a title that changes its place) used to pay
all of it. Such an edit changes only the lists the paper leaves and joins: the site-wide
order, the lists of its old and new authors, their co-author counts, one year and one
category, and the related papers of papers that share an author with it. This module
computes exactly those, and shares everything else with the previous index.

The result equals what :func:`sitegen.render.index.build_index` gives for the new corpus
(the tests compare them field by field on random edits). Author files must keep what the
index reads of them (names, aliases, profile flags); a change there rebuilds the index.
"""

from __future__ import annotations

import heapq
from bisect import insort
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.content.store import Corpus
from sitegen.render.index import (
    RELATED_LIMIT,
    Credit,
    SiteIndex,
    _credited,
    category_key,
    credit_paper,
    paper_order,
)

#: Changed papers beyond which rebuilding is about as quick, and simpler to trust.
UPDATE_LIMIT = 64


@dataclass
class IndexDelta:
    """Which entries of the index maps differ from the previous index (slugs)."""

    papers_of: set[str] = field(default_factory=set)  # authors whose paper list differs
    related: set[str] = field(default_factory=set)  # papers whose related papers differ
    credits: set[str] = field(default_factory=set)  # papers whose credited people differ
    added: set[str] = field(default_factory=set)  # papers new in the corpus
    removed: set[str] = field(default_factory=set)  # papers gone from it


def update_index(old: SiteIndex, corpus: Corpus, changed: Iterable[str],
                 content_root: Path | None = None) -> tuple[SiteIndex, IndexDelta]:
    """``old`` updated for the papers ``changed`` (edited, added or removed) in ``corpus``.

    Raises ContentError for a changed paper naming an unknown author or profile, as
    building the index would (unchanged papers were checked when they were read).
    """
    papers = corpus.papers
    slugs = sorted(changed)
    moved = set(slugs)
    present = [s for s in slugs if s in papers]
    gone = {s for s in slugs if s not in papers}
    delta = IndexDelta(added={s for s in present if s not in old.credits}, removed=gone)

    def key(slug: str) -> tuple:
        return paper_order(papers[slug])

    # Credits of the changed papers, checked in the order a build checks them.
    credit_of: dict[str, Credit] = {}
    credits: dict[str, list[Credit]] = {}
    hidden: dict[str, list[str]] = {}
    people_new: dict[str, tuple[str, ...]] = {}
    for slug in present:
        credits[slug], hidden[slug] = credit_paper(papers[slug], old.name_to_slug,
                                                   corpus.authors, credit_of, content_root)
        people_new[slug] = _credited(credits[slug], hidden[slug])
    people_old = {s: old.people(s) for s in slugs if s in old.credits}
    delta.credits = {s for s in slugs if people_old.get(s) != people_new.get(s)
                     or s not in papers or old.credits[s] != credits[s]}

    def people(slug: str) -> tuple[str, ...]:
        found = people_new.get(slug)
        return found if found is not None else old.people(slug)

    order = list(old.all_papers)
    for slug in slugs:
        if slug in old.credits:
            order.remove(slug)
    for slug in present:
        insort(order, slug, key=key)

    # The paper lists of everyone credited before or after, and their co-author counts.
    touched = sorted({a for group in (*people_old.values(), *people_new.values())
                      for a in group})
    by_author: dict[str, list[str]] = {}
    for author in touched:
        before = old.papers_by_author[author]
        listed = [s for s in before if s not in moved]
        for slug in present:
            if author in people_new[slug]:
                insort(listed, slug, key=key)
        by_author[author] = listed
        if listed != before:
            delta.papers_of.add(author)
    az = dict(zip(old.authors_az, range(len(old.authors_az)), strict=True))
    width = len(az) + 1
    coauthors: dict[str, list[tuple[str, int]]] = {}
    for author in touched:
        shared: Counter[str] = Counter()
        for slug in by_author[author]:
            shared.update(people(slug))
        del shared[author]
        coauthors[author] = sorted(shared.items(), key=lambda kv: az[kv[0]] - kv[1] * width)

    def papers_of(author: str) -> list[str]:
        found = by_author.get(author)
        return found if found is not None else old.papers_by_author[author]

    related = _related_updated(old, moved, present, gone, touched, by_author, people,
                               papers_of, order)
    delta.related = set(related) | {s for s in gone if s in old.related}
    years, categories, names = _groups_updated(old, corpus, slugs, moved, key)
    index = SiteIndex(
        corpus=corpus, name_to_slug=old.name_to_slug,
        credits=patched(old.credits, credits, gone),
        hidden=patched(old.hidden, hidden, gone),
        papers_by_author=patched(old.papers_by_author,
                                  {a: by_author[a] for a in delta.papers_of}, set()),
        coauthors=patched(old.coauthors, coauthors, set()),
        related=patched(old.related, related, gone),
        all_papers=order, authors_az=old.authors_az, featured=old.featured,
        years=years, categories=categories, category_names=names,
        warnings=list(old.warnings),
        people_of=patched(old.people_of, people_new, gone), paginate=old.paginate,
    )
    return index, delta


def _related_updated(old: SiteIndex, moved: set[str], present: list[str], gone: set[str],
                     touched: list[str], by_author: dict[str, list[str]],
                     people: Callable[[str], tuple[str, ...]],
                     papers_of: Callable[[str], list[str]],
                     order: list[str]) -> dict[str, list[str]]:
    """The related papers that differ, for papers sharing an author with a changed one.

    A paper's related papers are the first few of the papers sharing any of its people,
    most shared people first, then newest first (what ``build_index`` computes from pair
    lists). Only papers sharing a person with a changed paper, before or after, can see
    their list change. For those, the papers other than the changed ones keep their
    relative ranking: when the old list held no changed paper, the new list is the best of
    the old list and the changed papers; otherwise it is counted again.
    """
    rank: dict[str, int] = {}

    def ranked(slug: str) -> int:
        if not rank:
            rank.update(zip(order, range(len(order)), strict=True))
        return rank[slug]

    def best(slug: str, candidates: Mapping[str, int]) -> list[str]:
        return heapq.nsmallest(RELATED_LIMIT, candidates,
                               key=lambda t: (-candidates[t], ranked(t)))

    def counted(slug: str) -> list[str]:
        mine = people(slug)
        shared: Counter[str] = Counter()
        for person in mine:
            shared.update(papers_of(person))
        shared.pop(slug, None)
        several = {t: m for t, m in shared.items() if m > 1}
        found = best(slug, several)
        wanted = RELATED_LIMIT - len(found)
        if wanted > 0:
            # Papers sharing one person, newest first: as in ``build_index``, only the
            # first (papers sharing more + this one + wanted) of each person's list can be
            # among them, so ranking those heads is enough.
            head = len(several) + 1 + wanted
            ones = {t for person in mine for t in papers_of(person)[:head]
                    if shared.get(t) == 1}
            found += sorted(ones, key=ranked)[:wanted]
        return found

    nearby: set[str] = set()
    for author in touched:
        nearby.update(old.papers_by_author[author])
        nearby.update(by_author[author])
    out: dict[str, list[str]] = {}
    for slug in sorted(nearby - gone):
        if slug in moved:
            found = counted(slug)
        else:
            before = old.related[slug]
            if any(t in moved for t in before):
                found = counted(slug)
            else:
                mine = set(people(slug))
                joining = [t for t in present if not mine.isdisjoint(people(t))]
                if not joining:
                    continue
                shares = {t: len(mine.intersection(people(t))) for t in (*before, *joining)}
                found = best(slug, shares)
        if slug not in old.related or found != old.related[slug]:
            out[slug] = found
    return out


def _groups_updated(old: SiteIndex, corpus: Corpus, slugs: list[str], moved: set[str],
                    key: Callable[[str], tuple]) -> tuple[dict, dict, dict]:
    """Years, categories and category names with the changed papers moved."""
    papers, before = corpus.papers, old.corpus.papers
    years: dict[int, list[str]] = dict(old.years)
    categories: dict[str, list[str]] = dict(old.categories)
    names = dict(old.category_names)
    year_keys: set[int] = set()
    category_keys: set[str] = set()
    for slug in slugs:
        for paper in (before.get(slug), papers.get(slug)):
            if paper is not None:
                year_keys.add(paper.year)
                category_keys.add(category_key(paper.category))
    for groups, wanted, of in ((years, year_keys, lambda p: p.year),
                               (categories, category_keys, lambda p: category_key(p.category))):
        for group in wanted:
            listed = [s for s in groups.get(group, ()) if s not in moved]
            for slug in slugs:
                paper = papers.get(slug)
                if paper is not None and of(paper) == group:
                    insort(listed, slug, key=key)
            if listed:
                groups[group] = listed
            else:
                groups.pop(group, None)
    for group in category_keys:
        if group in categories:
            names[group] = papers[categories[group][0]].category.strip() or "Uncategorized"
        else:
            names.pop(group, None)
    if years.keys() != old.years.keys():
        years = dict(sorted(years.items(), reverse=True))
    if categories.keys() != old.categories.keys():
        categories = dict(sorted(categories.items()))
        names = {k: names[k] for k in categories}
    return years, categories, names


def patched(values: Mapping[str, Any], changes: Mapping[str, Any],
             removed: set[str]) -> Mapping[str, Any]:
    """``values`` with ``changes`` set and ``removed`` gone, leaving ``values`` as it was.

    A map read lazily from the cache stays lazy (only the changed values are new), so the
    next save can append them to the cache file instead of writing every value again.
    """
    updated = getattr(values, "updated", None)
    if updated is not None:
        # (``keys()`` of a map read from the cache lists its keys in order: 13 ms at
        # 50,000 papers, so membership is asked key by key.)
        keys_change = any(k in values for k in removed) or any(k not in values
                                                               for k in changes)
        order = None
        if keys_change:
            order = [k for k in values if k not in removed]
            order += [k for k in changes if k not in values]
        return updated(dict(changes), removed, order)
    out = dict(values)
    out.update(changes)
    for slug in removed:
        out.pop(slug, None)
    return out
