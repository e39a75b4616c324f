"""What the seed readers produce: plain records, before merging across seeds.

Readers are pure functions of the seed text (plus corpus-wide name evidence); they never
touch content/. Merging, identity and writing happen downstream on these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from sitegen.content.model import Metrics


class Shape(StrEnum):
    PROFILE = "profile"  # header with name and metrics, one block per paper
    COMPACT = "compact"  # no header, title and authors glued on one line
    ABSTRACTS = "abstracts"  # bare "Abstract:" paragraphs, no titles


@dataclass
class Issue:
    """A warning or error found while reading a seed, located by line."""

    line: int
    message: str


@dataclass
class Entry:
    """One paper block as written in one seed."""

    source: str  # seed file name
    line: int  # 1-based line of the block's first line
    title: str
    authors: list[str]
    et_al: bool
    date: str  # YYYY-MM-DD
    date_inferred: bool
    category: str
    code: bool
    score: float | None
    affiliations: list[str] = field(default_factory=list)
    abstract: str = ""


@dataclass
class BareAbstract:
    source: str
    line: int
    text: str


@dataclass
class SeedDoc:
    """One seed file, read."""

    source: str
    shape: Shape
    owner: str | None = None  # profile owner's name, from the header or inferred
    owner_candidates: list[str] = field(default_factory=list)
    metrics: Metrics = field(default_factory=Metrics)
    entries: list[Entry] = field(default_factory=list)
    abstracts: list[BareAbstract] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
