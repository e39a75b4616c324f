"""One paper, one file: folding the entries of every seed into distinct papers.

Entries are grouped by a normalized title (case, accents, punctuation and spacing
ignored), through a dict, so merging stays linear in the number of entries. The key is
exact on words on purpose: listings copy titles verbatim, and fuzzy title matching would
fold distinct papers whose titles share a long prefix (``... Online Variational Bayes``
and ``... Online Variational Bayes with Fixed-Point Updates``). Two entries with the same
title are one paper only if their visible author lists share a person (by ``name_key``):
every listing shows the first authors, so copies of one paper always overlap, while two
different papers that happen to share a short title stay apart.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from sitegen.ingest.names import name_key
from sitegen.ingest.records import Entry, SeedDoc

_WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)


def title_key(title: str) -> str:
    """Identity of a paper: its title's words, folded (``Stabilizing ... Collapse``)."""
    if title.isascii():
        return " ".join(_WORD_RE.findall(title.lower()))
    decomposed = unicodedata.normalize("NFKD", title)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    return " ".join(_WORD_RE.findall(plain))


def same_wording(a: str, b: str) -> bool:
    """Two abstracts say the same when they differ only in whitespace."""
    return a == b or a.split() == b.split()


@dataclass
class MergedPaper:
    """A distinct paper, with every seed entry that described it."""

    key: str
    title: str
    authors: list[str]
    et_al: bool
    date: str
    date_inferred: bool
    category: str
    code: bool
    score: float | None
    affiliations: list[str] = field(default_factory=list)
    abstract: str = ""
    abstract_versions: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)  # owner names of the seeds listing it
    entries: list[Entry] = field(default_factory=list)
    people: set[str] = field(default_factory=set)  # name keys of every visible author

    def add_abstract(self, text: str) -> str:
        """Attach an abstract; returns ``abstract``, ``version`` or ``same``."""
        text = text.strip()
        if not text:
            return "same"
        if not self.abstract:
            self.abstract = text
            return "abstract"
        if same_wording(self.abstract, text) or any(
            same_wording(v, text) for v in self.abstract_versions
        ):
            return "same"
        self.abstract_versions.append(text)
        return "version"

    def add_source(self, source: str) -> None:
        if source not in self.sources:
            self.sources.append(source)

    def add_owner(self, owner: str | None) -> None:
        if owner and owner not in self.owners:
            self.owners.append(owner)


def _better_authors(current: MergedPaper, entry: Entry) -> bool:
    """A complete list beats an ``et al.`` one; otherwise the longer list wins."""
    if current.et_al != entry.et_al:
        return current.et_al
    return len(entry.authors) > len(current.authors)


def _from_entry(key: str, entry: Entry) -> MergedPaper:
    paper = MergedPaper(
        key=key,
        title=entry.title.strip(),
        authors=list(entry.authors),
        et_al=entry.et_al,
        date=entry.date,
        date_inferred=entry.date_inferred,
        category=entry.category,
        code=entry.code,
        score=entry.score,
        affiliations=list(dict.fromkeys(entry.affiliations)),
        entries=[entry],
    )
    paper.add_abstract(entry.abstract)
    paper.add_source(entry.source)
    paper.people.update(name_key(n) for n in entry.authors)
    return paper


def _fold_in(paper: MergedPaper, entry: Entry) -> None:
    paper.entries.append(entry)
    paper.people.update(name_key(n) for n in entry.authors)
    if _better_authors(paper, entry):
        paper.authors = list(entry.authors)
        paper.et_al = entry.et_al
    if paper.date_inferred and not entry.date_inferred:
        paper.date, paper.date_inferred = entry.date, False
    if not paper.category:
        paper.category = entry.category
    paper.code = paper.code or entry.code
    if paper.score is None:
        paper.score = entry.score
    for affiliation in entry.affiliations:
        if affiliation not in paper.affiliations:
            paper.affiliations.append(affiliation)
    paper.add_abstract(entry.abstract)
    paper.add_source(entry.source)


@dataclass
class MergeResult:
    """Distinct papers in first-seen order, and how many entries joined an earlier one."""

    papers: dict[str, MergedPaper] = field(default_factory=dict)
    merged_entries: dict[str, int] = field(default_factory=dict)  # seed -> entries folded in
    entries: int = 0

    @property
    def multi_source(self) -> list[MergedPaper]:
        return [p for p in self.papers.values() if len({e.source for e in p.entries}) > 1]


def merge_entries(docs: Iterable[SeedDoc], owners: dict[str, str] | None = None) -> MergeResult:
    """Fold the entries of ``docs`` (in the given order) into distinct papers.

    ``owners`` maps a seed name to its effective owner (header, inferred or override);
    every paper of that seed records the owner, whether or not the name is visible.
    Within one seed, a repeated title is folded too (a listing may show a paper twice).
    """
    owners = owners or {}
    result = MergeResult()
    by_title: dict[str, list[MergedPaper]] = {}
    for doc in docs:
        result.merged_entries.setdefault(doc.source, 0)
        owner = owners.get(doc.source)
        for entry in doc.entries:
            result.entries += 1
            tkey = title_key(entry.title) or f"untitled {entry.source}:{entry.line}"
            same_title = by_title.setdefault(tkey, [])
            paper = _same_paper(same_title, entry)
            if paper is None:
                key = tkey if not same_title else _second_key(tkey, entry, result.papers)
                paper = result.papers[key] = _from_entry(key, entry)
                same_title.append(paper)
            else:
                _fold_in(paper, entry)
                result.merged_entries[doc.source] += 1
            paper.add_owner(owner)
    return result


def _same_paper(candidates: list[MergedPaper], entry: Entry) -> MergedPaper | None:
    if not candidates:
        return None
    if not entry.authors:
        return candidates[0]
    keys = {name_key(n) for n in entry.authors}
    for paper in candidates:
        if not paper.people or paper.people & keys:
            return paper
    return None


def _second_key(tkey: str, entry: Entry, papers: dict[str, MergedPaper]) -> str:
    """Identity of another paper with an already-seen title: title plus first author."""
    key = f"{tkey} | {name_key(entry.authors[0])}" if entry.authors else tkey
    n = 2
    while key in papers:
        key, n = f"{tkey} | {n}", n + 1
    return key
