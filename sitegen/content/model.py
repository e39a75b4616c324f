"""Typed content model: a Paper per ``papers/<slug>.yaml``, an Author per ``authors/<slug>.yaml``.

The key order of ``PAPER_KEYS`` / ``AUTHOR_KEYS`` is the order written to disk; it is part of
the contract that users and the site build rely on. Unknown keys a user adds by hand are kept
in ``extra`` and written back after the known ones, so nothing typed into a file is lost.

Papers, authors and links are slotted: a site of 50,000 papers holds 75,000 records, and
an instance without a ``__dict__`` is a quarter smaller. (``Metrics`` keeps its
``__dict__``: ingest merges metrics through it.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PAPER_KEYS: tuple[str, ...] = (
    "title",
    "authors",
    "et_al",
    "date",
    "date_inferred",
    "category",
    "code",
    "score",
    "affiliations",
    "abstract",
    "abstract_versions",
    "profiles",
    "sources",
)

AUTHOR_KEYS: tuple[str, ...] = (
    "name",
    "aliases",
    "profile",
    "metrics",
    "affiliation",
    "bio",
    "links",
)

METRIC_KEYS: tuple[str, ...] = ("h_index", "papers", "citations", "novelty", "ai_score")


@dataclass
class Metrics:
    """Figures from a profile header; any of them may be unknown."""

    h_index: int | None = None
    papers: int | None = None
    citations: int | None = None
    novelty: float | None = None
    ai_score: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in METRIC_KEYS if getattr(self, k) is not None}

    def is_empty(self) -> bool:
        return not self.to_dict()


@dataclass(slots=True)
class Link:
    """A hand-written link on an author page (homepage, Scholar, GitHub ...)."""

    label: str
    url: str


@dataclass(slots=True)
class Paper:
    slug: str
    title: str
    authors: list[str]
    et_al: bool = False
    date: str = ""  # YYYY-MM-DD
    date_inferred: bool = False
    category: str = ""
    code: bool = False
    score: float | None = None
    affiliations: list[str] = field(default_factory=list)
    abstract: str = ""
    abstract_versions: list[str] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)  # author slugs
    sources: list[str] = field(default_factory=list)  # seed file names
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return int(self.date[:4])

    def to_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in PAPER_KEYS}
        data.update(self.extra)
        return data


@dataclass(slots=True)
class Author:
    slug: str
    name: str
    aliases: list[str] = field(default_factory=list)
    profile: bool = False
    metrics: Metrics = field(default_factory=Metrics)
    affiliation: str = ""
    bio: str = ""  # Markdown
    links: list[Link] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": self.name,
            "aliases": list(self.aliases),
            "profile": self.profile,
            "metrics": self.metrics.to_dict(),
            "affiliation": self.affiliation,
            "bio": self.bio,
            "links": [{"label": link.label, "url": link.url} for link in self.links],
        }
        data.update(self.extra)
        return data
