"""The cross-reference index of a corpus, computed once per build.

Every page reads from this instead of scanning the corpus itself, so a build is linear in
the size of the content, and an incremental build can tell which pages a change touches
from the same maps (papers of an author, co-authors, related papers).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from sitegen.config import SiteConfig
from sitegen.content.model import Author, Paper
from sitegen.content.slugs import slugify
from sitegen.content.store import AUTHORS_DIR, PAPERS_DIR, Corpus
from sitegen.errors import ContentError

RELATED_LIMIT = 5
#: The fields of an index that pages and the page plan are computed from (besides the
#: records): what an updated index must equal in one built from scratch.
STRUCTURE_FIELDS = ("name_to_slug", "credits", "hidden", "papers_by_author", "coauthors",
                    "related", "all_papers", "authors_az", "featured", "years", "categories",
                    "category_names")


@dataclass(frozen=True)
class Credit:
    """One name in a paper's author list, resolved to the author's page."""

    name: str  # as written on the paper
    slug: str


@dataclass
class SiteIndex:
    corpus: Corpus
    name_to_slug: dict[str, str]
    credits: dict[str, list[Credit]]  # paper slug -> named authors, in order
    hidden: dict[str, list[str]]  # paper slug -> profile owners not named (inside "et al.")
    papers_by_author: dict[str, list[str]]  # author slug -> paper slugs, newest first
    coauthors: dict[str, list[tuple[str, int]]]  # author slug -> (co-author, shared papers)
    related: dict[str, list[str]]  # paper slug -> papers sharing authors
    all_papers: list[str]  # newest first
    authors_az: list[str]
    featured: list[str]
    years: dict[int, list[str]]  # newest year first
    categories: dict[str, list[str]]  # category key -> papers
    category_names: dict[str, str] = field(default_factory=dict)
    # Papers per part of a paged listing (``paginate`` in site.yaml; 0: one part). Kept
    # here, not read from the config, so that the plan follows from the index alone.
    paginate: int = 0
    warnings: list[str] = field(default_factory=list)  # shown by the build, never fatal
    people_of: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # Values derived from this index during rendering (paper cards, BibTeX), so a card that
    # appears on many pages is built once. Lives and dies with the index.
    memo: dict[tuple, Any] = field(default_factory=dict, repr=False, compare=False)
    # The same, for values derived from one paper (its card, BibTeX, feed entry, abstract
    # text): paper slug -> {key: value}. An incremental build carries them over to the
    # next index except for the papers it changed, in a step that does not grow with the
    # number of entries.
    paper_memo: dict[str, dict[tuple, Any]] = field(default_factory=dict, repr=False,
                                                    compare=False)

    def memo_of(self, slug: str) -> dict[tuple, Any]:
        """The render memo of one paper (see ``paper_memo``)."""
        found = self.paper_memo.get(slug)
        if found is None:
            found = self.paper_memo[slug] = {}
        return found

    def paper(self, slug: str) -> Paper:
        return self.corpus.papers[slug]

    def author(self, slug: str) -> Author:
        return self.corpus.authors[slug]

    def people(self, paper_slug: str) -> tuple[str, ...]:
        """Every author slug credited with a paper: named ones, then hidden profile owners."""
        found = self.people_of.get(paper_slug)
        if found is None:
            found = _credited(self.credits[paper_slug], self.hidden[paper_slug])
            self.people_of[paper_slug] = found
        return found


def _credited(credits: Iterable[Credit], hidden: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(c.slug for c in credits), *hidden]))


def paper_order(paper: Paper) -> tuple:
    """Newest first; ties by title, then slug, so the order never depends on file order."""
    return (-int(paper.date.replace("-", "")), paper.title.casefold(), paper.slug)


def author_order(author: Author) -> tuple:
    """A-Z by the ASCII form of the name (``Élise`` sorts with ``E``), then by slug."""
    return (slugify(author.name, max_length=200), author.name, author.slug)


def category_key(category: str) -> str:
    return slugify(category) if category.strip() else "uncategorized"


def _display(content_root: Path | None, folder: str, slug: str) -> str:
    if content_root is None:
        return f"{folder}/{slug}.yaml"
    return f"{content_root.name}/{folder}/{slug}.yaml"


def _resolve_names(corpus: Corpus, content_root: Path | None) -> dict[str, str]:
    owner: dict[str, str] = {}
    for slug in sorted(corpus.authors):
        author = corpus.authors[slug]
        for i, name in enumerate([author.name, *author.aliases]):
            other = owner.get(name)
            if other is not None and other != slug:
                raise ContentError(
                    f"name '{name}' is already used by {AUTHORS_DIR}/{other}.yaml",
                    file=_display(content_root, AUTHORS_DIR, slug),
                    key="name" if i == 0 else f"aliases[{i - 1}]",
                )
            owner[name] = slug
    return owner


class IndexPending(Exception):
    """A field of a started index was read before ``complete_index`` computed it."""


class _Pending:
    """Stands in for an index field not computed yet: any use raises IndexPending.

    Work forked between ``start_index`` and ``complete_index`` (paper cards) thus fails
    loudly, and is redone, if it ever reads more than the names and credits.
    """

    def _fail(self, *_args: Any) -> Any:
        raise IndexPending("index field read before the index was complete")

    __getitem__ = __iter__ = __len__ = __contains__ = __bool__ = _fail

    def __getattr__(self, name: str) -> Any:
        self._fail()


PENDING: Any = _Pending()


def build_index(corpus: Corpus, config: SiteConfig, content_root: Path | None = None) -> SiteIndex:
    """Resolve every name and cross-reference; raises ContentError on a dangling name."""
    return complete_index(start_index(corpus, content_root), config)


def start_index(corpus: Corpus, content_root: Path | None = None) -> SiteIndex:
    """Names resolved and each paper's credited people: all that a paper card reads.

    The other fields are left to :func:`complete_index` (a build renders cards meanwhile)
    and raise IndexPending if read before. Raises ContentError on a dangling name.
    """
    names = _resolve_names(corpus, content_root)
    papers = corpus.papers
    credits: dict[str, list[Credit]] = {}
    hidden: dict[str, list[str]] = {}
    credit_of: dict[str, Credit] = {}
    for slug in sorted(papers):
        credits[slug], hidden[slug] = credit_paper(papers[slug], names, corpus.authors,
                                                   credit_of, content_root)
    return SiteIndex(
        corpus=corpus, name_to_slug=names, credits=credits, hidden=hidden,
        papers_by_author=PENDING, coauthors=PENDING, related=PENDING, all_papers=PENDING,
        authors_az=PENDING, featured=PENDING, years=PENDING, categories=PENDING,
        category_names=PENDING,
    )


def credit_paper(paper: Paper, names: dict[str, str], authors: Mapping[str, Author],
                 credit_of: dict[str, Credit], content_root: Path | None,
                 ) -> tuple[list[Credit], list[str]]:
    """A paper's named authors and hidden profile owners; ContentError on a dangling one.

    ``credit_of`` holds one Credit per name, shared by all the papers that name it (credits
    are frozen): a name's author is the same on every paper.
    """
    resolved: list[Credit] = []
    for name in paper.authors:
        credit = credit_of.get(name)
        if credit is None:
            author_slug = names.get(name)
            if author_slug is None:
                raise ContentError(
                    f"unknown author '{name}' (no author file has this name or alias)",
                    file=_display(content_root, PAPERS_DIR, paper.slug),
                    key=f"authors[{paper.authors.index(name)}]",
                )
            credit = credit_of[name] = Credit(name, author_slug)
        resolved.append(credit)
    named = {c.slug for c in resolved}
    for i, profile in enumerate(paper.profiles):
        if profile not in authors:
            raise ContentError(
                f"unknown profile '{profile}' (no {AUTHORS_DIR}/{profile}.yaml)",
                file=_display(content_root, PAPERS_DIR, paper.slug),
                key=f"profiles[{i}]",
            )
    return resolved, [p for p in dict.fromkeys(paper.profiles) if p not in named]


def complete_index(index: SiteIndex, config: SiteConfig) -> SiteIndex:
    """Fill in the orders and cross-references of an index from :func:`start_index`."""
    corpus = index.corpus
    papers = corpus.papers
    all_papers = sorted(papers, key=lambda s: paper_order(papers[s]))
    sort_key = {slug: author_order(author) for slug, author in corpus.authors.items()}
    rank = {slug: i for i, slug in enumerate(all_papers)}
    by_author: dict[str, list[str]] = {slug: [] for slug in corpus.authors}
    index.papers_by_author = by_author
    index.coauthors = {}
    index.related = {}
    index.all_papers = all_papers
    index.authors_az = sorted(corpus.authors, key=lambda s: sort_key[s])
    index.featured = []
    index.years = {}
    index.categories = {}
    index.category_names = {}
    people_of = _people_of(index)
    pair_papers: dict[tuple[str, str], list[str]] = {}  # joint papers, newest first
    joints_of: dict[str, list[list[str]]] = {}  # paper -> the joint lists of its pairs
    for slug in all_papers:
        people = people_of[slug]
        for person in people:
            by_author[person].append(slug)
        if len(people) > 1:
            joints = joints_of[slug] = []
            for pair in combinations(sorted(people), 2):
                joint = pair_papers.get(pair)
                if joint is None:
                    joint = pair_papers[pair] = [slug]
                else:
                    joint.append(slug)
                joints.append(joint)
    shared_with: dict[str, list[tuple[str, int]]] = {slug: [] for slug in corpus.authors}
    for (a, b), joint in pair_papers.items():
        shared_with[a].append((b, len(joint)))
        shared_with[b].append((a, len(joint)))
    # Most shared papers first, then A-Z: the place in ``authors_az`` stands for the
    # A-Z key (both orders agree), and one number compares faster than a tuple.
    az = {slug: i for i, slug in enumerate(index.authors_az)}
    width = len(az) + 1
    for slug, counts in shared_with.items():
        index.coauthors[slug] = sorted(counts, key=lambda kv: az[kv[0]] - kv[1] * width)
    category_keys: dict[str, str] = {}  # a few categories, slugified once each
    related = index.related
    for slug in all_papers:
        related[slug] = _related(slug, people_of[slug], joints_of.get(slug, ()), by_author, rank)
        paper = papers[slug]
        index.years.setdefault(paper.year, []).append(slug)
        key = category_keys.get(paper.category)
        if key is None:
            key = category_keys[paper.category] = category_key(paper.category)
        index.categories.setdefault(key, []).append(slug)
        index.category_names.setdefault(key, paper.category.strip() or "Uncategorized")
    index.years = dict(sorted(index.years.items(), reverse=True))
    index.categories = dict(sorted(index.categories.items()))
    index.featured = _featured(corpus, config, index.authors_az, index.warnings)
    index.paginate = config.paginate
    return index


def _people_of(index: SiteIndex) -> dict[str, tuple[str, ...]]:
    """``index.people`` of every paper, filled in at once (what the method would cache)."""
    people_of = index.people_of
    hidden = index.hidden
    for slug, credits in index.credits.items():
        if slug not in people_of:
            people_of[slug] = _credited(credits, hidden[slug])
    return people_of


def _related(
    slug: str, people: tuple[str, ...], joints: Iterable[list[str]],
    by_author: dict[str, list[str]], rank: dict[str, int],
) -> list[str]:
    """Papers sharing the most authors with ``slug``, newest first among equals.

    A paper sharing m >= 2 authors shows up in the joint lists of m(m-1)/2 of this paper's
    author pairs (``joints``), so counting over the (short) pair lists ranks those exactly; papers
    sharing one author are then taken newest first from the authors' own lists, stopping
    as soon as enough are found. Counting over whole author lists instead made the index
    quadratic in the paper count of prolific authors.
    """
    shared: Counter[str] = Counter()
    for joint in joints:  # the papers of each pair of this paper's people
        if len(joint) > 1:  # not just this paper
            shared.update(joint)
    shared.pop(slug, None)
    chosen = (heapq.nsmallest(RELATED_LIMIT, shared, key=lambda s: (-shared[s], rank[s]))
              if shared else [])
    if len(chosen) < RELATED_LIMIT:
        # Each author's list is newest first and holds a paper once, so the papers taken
        # from it before enough are found are among its first (skipped + wanted) entries:
        # merging just those heads, newest first, gives what merging whole lists would.
        wanted = RELATED_LIMIT - len(chosen)
        head = len(shared) + 1 + wanted
        if len(people) == 1:
            candidates = by_author[people[0]][:head]
        else:
            candidates = sorted({other for p in people for other in by_author[p][:head]},
                                key=rank.__getitem__)
        for other in candidates:
            if other != slug and other not in shared and other not in chosen:
                chosen.append(other)
                if len(chosen) == RELATED_LIMIT:
                    break
    return chosen


def _featured(
    corpus: Corpus, config: SiteConfig, authors_az: list[str], warnings: list[str]
) -> list[str]:
    """Authors named in ``featured``, else (or if none of them exist) every profile author.

    A featured slug missing from the content is skipped with a warning rather than failing:
    the same ``site.yaml`` is used with other content folders (``--content``).
    """
    profiles = [slug for slug in authors_az if corpus.authors[slug].profile]
    if config.featured is None:
        return profiles
    chosen: list[str] = []
    for i, slug in enumerate(config.featured):
        if slug not in corpus.authors:
            problem = f"no author '{slug}' in the content ({AUTHORS_DIR}/{slug}.yaml); skipped"
            warnings.append(str(config.error(("featured", i), problem)))
        elif slug not in chosen:
            chosen.append(slug)
    return chosen or profiles
