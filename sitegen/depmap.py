"""Which planned pages a content change can affect, from the old and the new index.

Pages read content identities (see :func:`sitegen.render.plan.page_deps`). A change is
turned into the set of identities it touches, computed by comparing the previous index
with the new one rather than by trusting which files were saved:

- ``paper:<slug>`` changes when the paper file's record changed, or when the paper's card
  (what lists show: title, date, names, links) changed, e.g. because an author it credits
  was renamed;
- ``author:<slug>`` when the author's record changed;
- ``papers-of:<slug>`` when the author's list of papers (or its order) changed.

Pages that show aggregates of the whole site (``list:all-papers``, ``list:all-authors``)
would be touched by every edit if these identities were used as they are. For them the
decision is made from what they actually show: the home page and lists read the cards of
the papers they list and the order and counts, not the abstracts. So an edit to one
abstract re-renders the paper, its BibTeX, the pages of its authors, the papers that list
it as related and the feeds that carry it, and nothing else; the byte comparison after
rendering then writes only the files whose output really differs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sitegen.render.index import SiteIndex
from sitegen.render.index_update import IndexDelta, patched
from sitegen.render.pages import FEED_LIMIT, letter_of, letter_parts, paper_card
from sitegen.render.plan import (
    AUTHOR_KINDS,
    LIST_KINDS,
    PAGED_KINDS,
    Page,
    author_pages,
    listed_authors,
    listed_in_sitemap,
    listed_papers,
    paper_pages,
    part_count,
    part_slice,
    site_pages,
    sitemap_slugs,
)
from sitegen.render.urls import Urls

#: The fields of an author file that an author's summary in lists shows (see
#: ``_author_summary`` in :mod:`sitegen.render.pages`; its count of papers apart).
SUMMARY_FIELDS = ("name", "affiliation", "metrics", "profile")



@dataclass
class Change:
    """What differs between two indexes (slugs; removed and added ones included)."""

    papers: set[str] = field(default_factory=set)  # record differs (or added/removed)
    authors: set[str] = field(default_factory=set)
    cards: set[str] = field(default_factory=set)  # the card shown in lists differs
    papers_of: set[str] = field(default_factory=set)  # the author's paper list differs
    counts: set[str] = field(default_factory=set)  # the author's number of papers differs
    related: set[str] = field(default_factory=set)  # the paper's related papers differ

    def identities(self) -> set[str]:
        ids = {f"paper:{s}" for s in self.papers | self.cards}
        ids.update(f"author:{s}" for s in self.authors)
        ids.update(f"papers-of:{s}" for s in self.papers_of)
        return ids

    @property
    def empty(self) -> bool:
        return not (self.papers or self.authors or self.cards or self.papers_of
                    or self.related)


def _changed_keys(old: dict, new: dict) -> set:
    if old is new or old == new:
        return set()
    keys = old.keys() | new.keys()
    return {k for k in keys if old.get(k) != new.get(k)}


def diff(old: SiteIndex, new: SiteIndex, urls: Urls, papers: Iterable[str],
         authors: Iterable[str], delta: IndexDelta | None = None) -> Change:
    """Compare two indexes; ``papers``/``authors`` are the slugs whose files changed.

    ``delta``: what :func:`sitegen.render.index_update.update_index` says differs, when
    ``new`` was updated from ``old``; the maps are then not compared entry by entry.
    """
    change = Change(papers=set(papers), authors=set(authors))
    if delta is not None:
        change.papers_of = set(delta.papers_of)
        change.related = set(delta.related)
    else:
        change.papers_of = _changed_keys(old.papers_by_author, new.papers_by_author)
        change.related = _changed_keys(old.related, new.related)
    change.counts = {
        a for a in change.papers_of
        if len(old.papers_by_author.get(a, ())) != len(new.papers_by_author.get(a, ()))
    }
    # A card shows the paper's own fields and the names of the people it credits.
    candidates = set(change.papers)
    if delta is not None:
        candidates |= delta.credits
    elif old.credits is not new.credits:
        candidates |= _changed_keys(old.credits, new.credits)
        candidates |= _changed_keys(old.hidden, new.hidden)
    renamed = {
        a for a in change.authors
        if a not in old.corpus.authors or a not in new.corpus.authors
        or old.author(a).name != new.author(a).name
    }
    for a in renamed:
        candidates.update(old.papers_by_author.get(a, ()))
        candidates.update(new.papers_by_author.get(a, ()))
    for slug in candidates:
        gone = slug not in old.corpus.papers or slug not in new.corpus.papers
        if gone or paper_card(old, urls, slug) != paper_card(new, urls, slug):
            change.cards.add(slug)
    return change


class _Lists:
    """Decides, for pages that show site-wide aggregates, whether a change shows on them."""

    def __init__(self, old: SiteIndex, new: SiteIndex, change: Change, recent: int,
                 urls: Urls) -> None:
        self.old, self.new, self.change, self.recent = old, new, change, recent
        self.urls = urls
        self._site: tuple[list[str], list[str]] | None = None
        self._same: dict[str, bool] = {}  # _same_slugs
        self.shown = change.papers | change.cards  # papers whose list entry may differ

    def _cards_in(self, slugs: Iterable[str]) -> bool:
        cards = self.change.cards
        return bool(cards) and not cards.isdisjoint(slugs)

    def _listing(self, old: list[str] | None, new: list[str]) -> bool:
        return old != new or self._cards_in(new)

    @cached_property
    def summaries(self) -> set[str]:
        """Authors whose summary (what lists of authors show) may differ: their paper
        count changed, or a field the summary shows, or they came or went."""
        old, new = self.old.corpus.authors, self.new.corpus.authors
        found = set(self.change.counts)
        for slug in self.change.authors:
            a, b = old.get(slug), new.get(slug)
            if a is None or b is None or any(getattr(a, f) != getattr(b, f)
                                              for f in SUMMARY_FIELDS):
                found.add(slug)
        return found

    @cached_property
    def letters_changed(self) -> bool:
        """Whether the letter navigation of the authors listing changed (which letters
        it has, and which part each links to)."""
        old, new = self.old, self.new
        before, after = listed_authors(old), listed_authors(new)
        if (old.paginate == new.paginate and (before is after or before == after)
                and all(letter_of(old.author(a).name) == letter_of(new.author(a).name)
                        for a in self.change.authors
                        if a in old.corpus.authors and a in new.corpus.authors)):
            return False  # the same authors in the same order, under the same letters
        return letter_parts(old) != letter_parts(new)

    def _shown_changed(self, slugs: Iterable[str]) -> bool:
        changed = self.summaries
        return bool(changed) and not changed.isdisjoint(slugs)

    def _authors_part(self, page: Page) -> bool:
        """A part of ``authors/`` shows its slice of the A-Z list (summaries grouped by
        letter), the total, the links between parts and the letter navigation."""
        old, new = self.old, self.new
        before, after = listed_authors(old), listed_authors(new)
        if old.paginate != new.paginate or len(before) != len(after) or self.letters_changed:
            return True
        shown = part_slice(after, page.part, new.paginate)
        if before is not after and part_slice(before, page.part, old.paginate) != shown:
            return True
        return self._shown_changed(shown)

    def _home_authors(self) -> bool:
        """What the home page shows of the authors: the featured ones, and either every
        author (``authors/`` in one part) or their number and the letter navigation."""
        old, new = self.old, self.new
        before, after = listed_authors(old), listed_authors(new)
        paged = part_count(len(after), new.paginate) > 1
        if paged != (part_count(len(before), old.paginate) > 1):
            return True
        if old.featured != new.featured or self._shown_changed(new.featured):
            return True
        if not paged:
            return bool(self.summaries) or before != after
        return len(before) != len(after) or self.letters_changed

    def affected(self, page: Page) -> bool:
        old, new, kind, key = self.old, self.new, page.kind, page.key
        if kind == "home":
            r = self.recent
            return (self._home_authors() or len(old.all_papers) != len(new.all_papers)
                    or self._listing(old.all_papers[:r], new.all_papers[:r]))
        if kind in PAGED_KINDS:
            # A part shows its slice of the listing, the listing's total and the links to
            # the other parts (their number follows from the total).
            if kind == "category" and (old.category_names.get(key)
                                       != new.category_names.get(key)):
                return True
            before = listed_papers(old, kind, key)
            listed = listed_papers(new, kind, key) or []
            if before is None or len(before) != len(listed) or old.paginate != new.paginate:
                return True
            if before is listed:
                return self._cards_in(part_slice(listed, page.part, new.paginate))
            return self._listing(part_slice(before, page.part, old.paginate),
                                 part_slice(listed, page.part, new.paginate))
        if kind == "authors":
            return self._authors_part(page)
        if kind == "categories":
            return (_sizes(old.categories) != _sizes(new.categories)
                    or old.category_names != new.category_names)
        if kind == "years":
            return _sizes(old.years) != _sizes(new.years)
        if kind == "feed":
            top = new.all_papers[:FEED_LIMIT]
            return old.all_papers[:FEED_LIMIT] != top or any(s in self.shown for s in top)
        if kind == "sitemap":
            return self._sitemap(key)
        return not self.change.empty  # an aggregate this module does not know

    def _site_paths(self) -> tuple[list[str], list[str]] | None:
        """Paths of the pages of old and new that a sitemap lists, other than papers' and
        authors', then the sitemap files (see ``plan.sitemap_pages``); None when both
        indexes have the same shape, hence the same such pages."""
        if self._site is None and _site_shape(self.old) != _site_shape(self.new):
            old, new = (site_pages(i, self.urls) for i in (self.old, self.new))
            self._site = ([p.path for p in old if listed_in_sitemap(p)]
                          + [p.path for p in old if p.kind == "sitemap"],
                          [p.path for p in new if listed_in_sitemap(p)]
                          + [p.path for p in new if p.kind == "sitemap"])
        return self._site

    def _same_slugs(self, what: str) -> bool:
        """Whether both indexes have the same paper (or author) slugs. Asked by each
        sitemap file; compared once (50,000 keys a side)."""
        found = self._same.get(what)
        if found is None:
            old, new = self.old.corpus, self.new.corpus
            before, after = (old.papers, new.papers) if what == "papers" \
                else (old.authors, new.authors)
            found = self._same[what] = before is after or before.keys() == after.keys()
        return found

    def _sitemap(self, key: str) -> bool:
        paths = self._site_paths()
        if paths is not None and key and f"sitemaps/{key}.xml" not in paths[0]:
            return True  # a file the site did not have (it has grown past the limit)
        if key.startswith(("papers-", "authors-")):
            if self._same_slugs(key.split("-", 1)[0]):
                return False
            return sitemap_slugs(self.old, key) != sitemap_slugs(self.new, key)
        same = self._same_slugs("papers") and self._same_slugs("authors")
        if paths is None:  # the same listings: only the papers and authors can differ
            return not key and not same
        site_before, site_after = paths
        if key or site_after[-1] != "sitemap.xml":  # a site file, or the index
            return site_before != site_after
        return site_before != site_after or not same


def _site_shape(index: SiteIndex) -> tuple:
    """What ``site_pages`` (and the sitemap files) follow from: the sizes of the listings
    and the page size. Two indexes of one shape have the same site pages."""
    return (len(index.all_papers), len(index.corpus.papers), len(index.authors_az),
            index.paginate, _sizes(index.categories), _sizes(index.years))


def _sizes(groups: dict) -> list[tuple]:
    return [(k, len(v)) for k, v in groups.items()]


def _people(index: SiteIndex, slug: str) -> tuple[str, ...]:
    return index.people(slug) if slug in index.credits else ()


def _reading(old: SiteIndex, new: SiteIndex, change: Change) -> tuple[set[str], set[str],
                                                                       set[str]]:
    """Slugs whose paper pages, BibTeX files and author pages read a changed identity.

    The reverse of :func:`sitegen.render.plan.page_deps`, answered from the index maps of
    both indexes (a page of either plan that read the identity is rendered again; reading
    too much costs a render, never a wrong byte):

    - a paper page reads its paper and people, which papers are related to it (those
      whose related papers differ are in ``change.related``, exactly: the papers-of lists
      of its people matter only through them), and the cards (paper and people) of its
      related papers;
    - a BibTeX file reads its paper;
    - an author's pages read the author, its papers-of list and the cards of its papers.
    """
    shown = change.papers | change.cards  # ``paper:<slug>`` identities
    papers = shown | change.related
    bibs = set(shown)
    authors: set[str] = set()
    cards = set(shown)  # papers whose card (paper or a person's name) changed
    indexes = (old, new) if old.papers_by_author is not new.papers_by_author else (new,)
    for index in indexes:
        by_author = index.papers_by_author
        for slug in shown:
            authors.update(_people(index, slug))
        for a in change.authors:
            authors.add(a)
            for slug in by_author.get(a, ()):
                papers.add(slug)
                cards.add(slug)
                authors.update(_people(index, slug))
        authors.update(change.papers_of)
    for related in {id(i.related): i.related for i in (old, new)}.values():
        reverse = listed_by(related)
        for slug in cards:
            papers.update(reverse.get(slug, ()))
    return papers, bibs, authors


#: The last two reverses of ``related`` maps, each with its map: an index is rebuilt or
#: updated only when the site's structure changes, and a build reads the reverse of the
#: previous index and of the new one, so a preview computes each once, not per edit.
_LISTED_BY: list[tuple[Mapping[str, list[str]], Mapping[str, list[str]]]] = []


def remember_listed_by(related: Mapping[str, list[str]],
                       listed_by: Mapping[str, list[str]]) -> None:
    """Take ``listed_by`` (from the cache) as the reverse of ``related``."""
    _LISTED_BY[:] = [(related, listed_by), *(p for p in _LISTED_BY if p[0] is not related)]
    del _LISTED_BY[2:]


def listed_by(related: Mapping[str, list[str]]) -> Mapping[str, list[str]]:
    """paper -> the papers that show it as related (a ``related`` map is never changed)."""
    for known, reverse in _LISTED_BY:
        if known is related:
            return reverse
    reverse = {}
    for slug, listed in related.items():
        for other in listed:
            reverse.setdefault(other, []).append(slug)
    remember_listed_by(related, reverse)
    return reverse


def listed_by_updated(old: Mapping[str, list[str]], new: Mapping[str, list[str]],
                      changed: Iterable[str]) -> None:
    """Derive the reverse of ``new`` from that of ``old``, when known: ``new`` is ``old``
    with the related papers of ``changed`` replaced (an index update). Computing it whole
    took 0.1 s at 50,000 papers."""
    reverse = next((r for known, r in _LISTED_BY if known is old), None)
    if reverse is None:
        return  # computed when asked for
    changes: dict[str, list[str]] = {}

    def listers(other: str) -> list[str]:
        found = changes.get(other)
        return found if found is not None else list(reverse.get(other, ()))

    for slug in changed:
        for other in old.get(slug, ()):
            changes[other] = [s for s in listers(other) if s != slug]
        for other in new.get(slug, ()):
            changes[other] = [*listers(other), slug]
    emptied = {other for other, listed in changes.items() if not listed}
    # Only the changed entries are new: the reverse read from the cache stays lazy.
    reversed_new = patched(reverse, {k: v for k, v in changes.items() if v}, emptied)
    remember_listed_by(new, reversed_new)


def plan_change(old: SiteIndex, new: SiteIndex, urls: Urls,
                delta: IndexDelta) -> tuple[list[Page], bool]:
    """After an index update: the pages of ``old``'s plan that ``new``'s lacks (papers
    removed; a year, a category or a listing part left empty), and whether ``new``'s plan
    has pages ``old``'s lacks. Authors are the same in both."""
    gone = [p for slug in sorted(delta.removed) for p in paper_pages(urls, slug)]
    if _site_shape(old) == _site_shape(new):  # the same site pages
        return gone, bool(delta.added)
    before = {p.file: p for p in site_pages(old, urls)}
    after = {p.file for p in site_pages(new, urls)}
    gone += [p for f, p in before.items() if f not in after]
    return gone, bool(delta.added) or any(f not in before for f in after)


def affected_pages(old: SiteIndex, new: SiteIndex, change: Change, recent: int, urls: Urls,
                   plan: list[Page] | None = None, known: set[str] | None = None,
                   ) -> list[Page]:
    """The pages to render again, in plan order.

    ``plan`` None: the plan is the previous one (the index kept its structure), and the
    pages are made directly, without walking the whole plan. Otherwise ``plan`` is the new
    plan and ``known`` the files the last build wrote (a page not among them is new).
    """
    if change.empty and old.all_papers == new.all_papers:
        return [] if plan is None else [p for p in plan if p.file not in (known or ())]
    papers, bibs, authors = _reading(old, new, change)
    lists = _Lists(old, new, change, recent, urls)
    listed = [p for p in site_pages(new, urls) if p.kind in LIST_KINDS and lists.affected(p)]
    if plan is not None:
        keys = {"paper": papers, "bib": bibs}
        files = {p.file for p in listed}
        return [p for p in plan
                if p.file not in (known or ()) or p.file in files
                or p.key in keys.get(p.kind, authors if p.kind in AUTHOR_KINDS else ())]
    out = [p for p in listed if p.kind == "home"]
    for slug in sorted((papers | bibs) & new.corpus.papers.keys()):
        out += [p for p in paper_pages(urls, slug)
                if slug in (papers if p.kind == "paper" else bibs)]
    for slug in sorted(authors & new.corpus.authors.keys()):
        out += author_pages(urls, slug)
    out += [p for p in listed if p.kind != "home"]
    return out
