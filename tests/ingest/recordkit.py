"""Hand-built seed records for the downstream ingest tests (no seed readers involved)."""

from __future__ import annotations

from sitegen.content.model import Metrics
from sitegen.ingest.records import BareAbstract, Entry, SeedDoc, Shape

ABSTRACT_A = (
    "We study how transformers learn modular arithmetic through gradual rank increase, "
    "proving that the difference between trained and initial weights grows in rank."
)
ABSTRACT_B = (
    "Catastrophic forgetting in continual linear regression is bounded by the angles "
    "between task subspaces; we derive closed-form rates for cyclic task orderings."
)


def entry(
    title: str,
    authors: list[str],
    *,
    source: str = "000_a.txt",
    line: int = 1,
    et_al: bool = False,
    date: str = "2023-06-12",
    date_inferred: bool = False,
    category: str = "LG",
    code: bool = False,
    score: float | None = None,
    affiliations: list[str] | None = None,
    abstract: str = "",
) -> Entry:
    return Entry(
        source=source,
        line=line,
        title=title,
        authors=list(authors),
        et_al=et_al,
        date=date,
        date_inferred=date_inferred,
        category=category,
        code=code,
        score=score,
        affiliations=list(affiliations or []),
        abstract=abstract,
    )


def profile(source: str, owner: str, entries: list[Entry], **metrics) -> SeedDoc:
    for e in entries:
        e.source = source
    return SeedDoc(
        source=source,
        shape=Shape.PROFILE,
        owner=owner,
        metrics=Metrics(**metrics),
        entries=entries,
    )


def compact(source: str, entries: list[Entry], owner: str | None = None) -> SeedDoc:
    for e in entries:
        e.source = source
    return SeedDoc(source=source, shape=Shape.COMPACT, owner=owner, entries=entries)


def abstracts(source: str, texts: list[str]) -> SeedDoc:
    items = [BareAbstract(source=source, line=5 + i, text=t) for i, t in enumerate(texts)]
    return SeedDoc(source=source, shape=Shape.ABSTRACTS, abstracts=items)


def sample_docs() -> list[SeedDoc]:
    """Two listings sharing one paper, plus one bare-abstract file."""
    first = profile(
        "000_a.txt",
        "Ada Lovelace",
        [
            entry(
                "Transformers Learn Through Gradual Rank Increase",
                ["Enric Boix-Adsera", "Ada Lovelace", "Emmanuel Abbe"],
                et_al=True,
                line=12,
                code=True,
                affiliations=["apple-ml"],
                abstract=ABSTRACT_A,
            ),
            entry(
                "Forgetting in Continual Regression",
                ["Alan Turing", "Ada Lovelace"],
                line=20,
                date="2022-05-19",
                abstract=ABSTRACT_B,
            ),
        ],
        h_index=24,
        papers=29,
        citations=866,
        novelty=56.0,
        ai_score=56.0,
    )
    second = compact(
        "001_b.txt",
        [
            entry(
                "Transformers learn through gradual rank increase",
                ["Enric Boix-Adsera", "Ada Lovelace", "Emmanuel Abbe", "Joshua M. Susskind"],
                line=3,
                date="2026-06-12",
                date_inferred=True,
                score=90.8,
                affiliations=["apple-ml", "epfl"],
                abstract=ABSTRACT_A,
            ),
            entry("A Third Paper", ["Grace Hopper", "Joshua Susskind"], line=6),
        ],
        owner="Joshua Susskind",
    )
    return [first, second, abstracts("002_c.txt", [ABSTRACT_B + " ", "Unrelated words here."])]
