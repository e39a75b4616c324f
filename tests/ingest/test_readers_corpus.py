"""parse_seeds: corpus-wide name evidence, error collection, and a large listing."""

from __future__ import annotations

import datetime as dt

from sitegen.errors import IngestError
from sitegen.ingest.readers import parse_seed, parse_seeds
from sitegen.ingest.records import Shape

AS_OF = dt.date(2026, 11, 25)

# Two lines the ranking alone misreads: "Ann Lee" after a title ending in "iMac" reads as
# "...for the i" + "MacAnn Lee"; "JoAnn Smith" reads as "...PracticeJo" + "Ann Smith".
MAC = "CVMar 1, 2024\nApps for the iMacAnn Lee, Bob Roe\nWe write apps.\n"
JOANN = "LGMar 2, 2024\nLearning in PracticeJoAnn Smith, Carl Doe\nWe learn in practice.\n"
# Ann Lee, certainly, in another compact file.
WITNESS_COMPACT = "LGMay 2, 2023\nA Study of Attention LayersAnn Lee, Bob Roe\nWe study.\n"
# JoAnn Smith on a clean author line of a profile file.
WITNESS_PROFILE = (
    "Ann Lee\n\nh-index1\n\nLGMay 2, 2023\nA Study\n\nAnn Lee, JoAnn Smith\n\nWe study.\n"
)


def first_authors(docs, name):
    (doc,) = [d for d in docs if d.source == name]
    return [e.authors[0] for e in doc.entries]


def test_without_evidence_the_ranking_decides() -> None:
    assert parse_seed("m.txt", MAC, AS_OF).entries[0].authors[0] == "MacAnn Lee"
    assert parse_seed("j.txt", JOANN, AS_OF).entries[0].authors[0] == "Ann Smith"


def test_evidence_from_another_compact_file() -> None:
    docs, errors = parse_seeds({"m.txt": MAC, "a.txt": WITNESS_COMPACT}, AS_OF)
    assert errors == []
    (doc,) = [d for d in docs if d.source == "m.txt"]
    assert (doc.entries[0].title, doc.entries[0].authors) == (
        "Apps for the iMac",
        ["Ann Lee", "Bob Roe"],
    )


def test_evidence_from_a_profile_author_line() -> None:
    docs, errors = parse_seeds({"j.txt": JOANN, "m.txt": MAC, "p.txt": WITNESS_PROFILE}, AS_OF)
    assert errors == []
    assert first_authors(docs, "j.txt") == ["JoAnn Smith"]
    assert first_authors(docs, "m.txt") == ["Ann Lee"]
    (doc,) = [d for d in docs if d.source == "j.txt"]
    assert doc.entries[0].title == "Learning in Practice"


def test_names_every_reading_keeps_are_evidence() -> None:
    # "Ann Lee" ends the second line under both of its readings, so it is certain there,
    # and settles the first line of the same file.
    line = "LGMay 2, 2023\nLearning in PracticeJoAnn Smith, Ann Lee\nWe learn.\n"
    doc = parse_seed("b.txt", MAC + line, AS_OF)
    assert doc.entries[0].authors == ["Ann Lee", "Bob Roe"]


def test_known_names_argument_is_evidence() -> None:
    doc = parse_seed("j.txt", JOANN, AS_OF, frozenset({"JoAnn Smith"}))
    assert doc.entries[0].authors == ["JoAnn Smith", "Carl Doe"]


def test_unknown_shapes_are_errors_and_the_rest_is_read() -> None:
    docs, errors = parse_seeds(
        {"z.txt": "nothing to see\n", "a.txt": WITNESS_COMPACT, "m.txt": "Abstract:Hi.\n"},
        AS_OF,
    )
    assert [d.source for d in docs] == ["a.txt", "m.txt"]
    assert [d.shape for d in docs] == [Shape.COMPACT, Shape.ABSTRACTS]
    assert len(errors) == 1
    assert isinstance(errors[0], IngestError)
    assert errors[0].file == "z.txt"
    assert str(errors[0]).startswith("z.txt: not a seed listing")


def test_parse_seeds_is_deterministic() -> None:
    texts = {"j.txt": JOANN, "m.txt": MAC, "a.txt": WITNESS_COMPACT, "p.txt": WITNESS_PROFILE}
    assert parse_seeds(texts, AS_OF) == parse_seeds(dict(reversed(texts.items())), AS_OF)


FIRST = ["Ann", "Łukasz", "José", "Jean-Pierre", "Quoc V.", "Chun-Liang", "Ev", "Tomer", "Renée"]
LAST = ["Lee", "Kaiser", "Müller", "van der Maaten", "LeCun", "O'Brien", "Boix-Adsera", "Le"]
TITLES = [
    "Scaling FP8 training to trillion-token LLMs",
    "Explore to Generalize in Zero-Shot RL",
    "Normalized Architectures are Natively 4-Bit",
    "How catastrophic can catastrophic forgetting be?",
    'Tool Building as a Path to "Superintelligence"',
    "DropCompute: simple, robust training via ReLU networks",
    "Distributed Speculative Inference (DSI)",
]


def test_fifty_thousand_entry_listing() -> None:
    lines: list[str] = []
    expected: list[tuple[str, list[str]]] = []
    for i in range(50_000):
        authors = [
            f"{FIRST[(i + k) % len(FIRST)]} {LAST[(i * 7 + k) % len(LAST)]}"
            for k in range(1 + i % 5)
        ]
        title = f"{TITLES[i % len(TITLES)]} {i}" if i % 3 == 0 else TITLES[i % len(TITLES)]
        lines.append(
            f"{'%.1f' % (50 + i % 50) if i % 4 == 0 else ''}LGMar {1 + i % 28}"
            + (f", {2000 + i % 25}" if i % 2 else "")
            + ("Code" if i % 5 == 0 else "")
        )
        lines.append(
            title
            + ", ".join(authors)
            + (" et al." if i % 2 else "")
            + (" · mit, apple-ml" if i % 7 == 0 else "")
        )
        lines.append(f"Abstract number {i}: we study things, carefully.")
        expected.append((title, authors))
    doc = parse_seed("big.txt", "\n".join(lines) + "\n", AS_OF)
    assert doc.shape is Shape.COMPACT
    assert doc.issues == []
    assert len(doc.entries) == 50_000
    assert [(e.title, e.authors) for e in doc.entries[:200]] == expected[:200]
    assert (doc.entries[-1].title, doc.entries[-1].authors) == expected[-1]
