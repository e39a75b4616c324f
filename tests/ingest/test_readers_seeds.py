"""The readers on the five real seeds: counts, owners, metrics and exact fields."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sitegen.content.model import Metrics
from sitegen.ingest.decode import decode_seed
from sitegen.ingest.readers import parse_seeds
from sitegen.ingest.records import BareAbstract, Entry, SeedDoc, Shape

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
AS_OF = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def docs() -> dict[str, SeedDoc]:
    texts = {p.name: decode_seed(p.read_bytes(), p.name) for p in sorted(SEEDS.glob("*.txt"))}
    read, errors = parse_seeds(texts, AS_OF)
    assert errors == []
    return {doc.source[:3]: doc for doc in read}


def by_line(doc: SeedDoc, line: int) -> Entry:
    (entry,) = [e for e in doc.entries if e.line == line]
    return entry


@pytest.mark.parametrize(
    ("seed", "shape", "entries", "abstracts"),
    [
        ("000", Shape.PROFILE, 29, 0),
        ("001", Shape.COMPACT, 50, 0),
        ("002", Shape.ABSTRACTS, 0, 10),
        ("003", Shape.COMPACT, 14, 0),
        ("004", Shape.COMPACT, 37, 0),
    ],
)
def test_counts(docs: dict[str, SeedDoc], seed: str, shape: Shape, entries: int, abstracts: int):
    doc = docs[seed]
    assert doc.shape is shape
    assert len(doc.entries) == entries
    assert len(doc.abstracts) == abstracts
    assert doc.issues == []


def test_docs_come_back_in_name_order(docs: dict[str, SeedDoc]) -> None:
    assert list(docs) == ["000", "001", "002", "003", "004"]


def test_profile_owner_and_metrics(docs: dict[str, SeedDoc]) -> None:
    doc = docs["000"]
    assert doc.owner == "Etai Littwin"
    assert doc.metrics == Metrics(h_index=24, papers=29, citations=866, novelty=56.0, ai_score=56.0)


def test_profile_first_entry(docs: dict[str, SeedDoc]) -> None:
    entry = docs["000"].entries[0]
    assert entry.source == "000_eadb9df6ffe42011.txt"
    assert entry.line == 12
    assert entry.title == "Stabilizing Transformer Training by Preventing Attention Entropy Collapse"
    assert entry.authors == ["Shuangfei Zhai", "Tatiana Likhomanenko", "Etai Littwin"]
    assert entry.et_al is True
    assert entry.affiliations == ["apple-ml", "meta-ai"]
    assert (entry.date, entry.date_inferred) == ("2023-03-11", False)
    assert (entry.category, entry.code, entry.score) == ("LG", True, None)
    assert entry.abstract.startswith("Training stability is of great importance to Transformers.")
    assert entry.abstract.endswith(r"\url{https://github.com/apple/ml-sigma-reparam}.")
    assert "$σ$Reparam" in entry.abstract


def test_profile_scored_entry_without_year(docs: dict[str, SeedDoc]) -> None:
    entry = by_line(docs["000"], 82)
    assert entry.title == "Annotations Mitigate Post-Training Mode Collapse"
    assert entry.authors == ["Jacob Mitchell Springer", "Madhu Advani", "Lukas Aichberger"]
    assert entry.et_al is True
    assert entry.affiliations == []
    assert (entry.score, entry.category, entry.code) == (68.7, "CL", False)
    assert (entry.date, entry.date_inferred) == ("2026-05-11", True)


def test_profile_complete_list(docs: dict[str, SeedDoc]) -> None:
    entry = by_line(docs["000"], 61)
    assert entry.title == "Tensor Programs IVb: Adaptive Optimization in the Infinite-Width Limit"
    assert (entry.authors, entry.et_al) == (["Greg Yang", "Etai Littwin"], False)
    assert entry.affiliations == ["microsoft-research"]


def test_compact_owners(docs: dict[str, SeedDoc]) -> None:
    assert (docs["001"].owner, docs["001"].owner_candidates) == ("Daniel Soudry", ["Daniel Soudry"])
    assert (docs["004"].owner, docs["004"].owner_candidates) == ("Tomer Galanti", ["Tomer Galanti"])
    assert (docs["003"].owner, docs["003"].owner_candidates) == (None, [])
    assert all(e.et_al for e in docs["003"].entries)


def test_compact_glued_titles(docs: dict[str, SeedDoc]) -> None:
    doc = docs["001"]
    assert by_line(doc, 1).title == "Scaling FP8 training to trillion-token LLMs"
    assert by_line(doc, 1).authors == ["Maxim Fishman", "Brian Chmiel", "Ron Banner"]
    assert by_line(doc, 10).title == "Explore to Generalize in Zero-Shot RL"
    assert by_line(doc, 10).authors == ["Ev Zisselman", "Itai Lavie", "Daniel Soudry"]
    assert by_line(doc, 37).title == "Normalized Architectures are Natively 4-Bit"
    assert by_line(doc, 13).authors == ["Mor Shpigel Nacson", "Rotem Mulayoff", "Greg Ongie"]
    assert by_line(doc, 133).authors == ["Blake Woodworth", "Suriya Gunasekar", "Jason D. Lee"]


def test_compact_entry_fields(docs: dict[str, SeedDoc]) -> None:
    entry = by_line(docs["001"], 37)
    assert (entry.score, entry.category, entry.code) == (93.3, "LG", True)
    assert (entry.date, entry.date_inferred) == ("2026-05-07", True)
    assert entry.et_al is True
    assert entry.abstract.startswith("Training large language models at 4-bit precision")
    january = by_line(docs["001"], 40)
    assert (january.date, january.date_inferred) == ("2026-01-20", True)
    assert january.title == (
        "Optimal L2 Regularization in High-dimensional Continual Linear Regression"
    )


def test_compact_affiliations_and_quotes(docs: dict[str, SeedDoc]) -> None:
    entry = by_line(docs["003"], 13)
    assert entry.title == "Vanishing Gradients in Reinforcement Finetuning of Language Models"
    assert entry.affiliations == ["apple-ml", "princeton"]
    assert by_line(docs["003"], 25).authors[-1] == "Victor Guilherme Turrisi da Costa"
    quoted = by_line(docs["004"], 28)
    assert quoted.title == 'Tool Building as a Path to "Superintelligence"'
    assert quoted.authors == ["David Koplow", "Tomer Galanti", "Tomaso Poggio"]
    assert (quoted.category, quoted.date, quoted.date_inferred) == ("AI", "2026-02-24", True)
    assert by_line(docs["004"], 13).authors == ["Tomer Galanti", "András György", "Marcus Hutter"]
    assert by_line(docs["004"], 1).affiliations == ["meta-ai"]


def test_bare_abstracts(docs: dict[str, SeedDoc]) -> None:
    doc = docs["002"]
    assert [a.line for a in doc.abstracts] == [5, 6, 7, 12, 17, 22, 27, 32, 37, 38]
    first = doc.abstracts[0]
    assert isinstance(first, BareAbstract)
    assert first.source == "002_e4fab40855b2afd9.txt"
    assert first.text.startswith("We identify incremental learning dynamics in transformers")
    assert not first.text.startswith("Abstract:")
    assert first.text == first.text.strip()
    assert r"$\alpha = O(T)$" in doc.abstracts[1].text
