"""Damaged seeds: every unreadable line or block becomes an Issue, reading goes on."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.errors import IngestError
from sitegen.ingest.dates import parse_meta_line
from sitegen.ingest.decode import decode_seed
from sitegen.ingest.readers import infer_owner, parse_seed
from sitegen.ingest.records import Entry, Issue, Shape

AS_OF = dt.date(2026, 11, 25)

GOOD = (
    "LGJun 2, 2023\n"
    "Centered Self-Attention LayersAmeen Ali, Tomer Galanti, Lior Wolf · meta-ai\n"
    "The self-attention mechanism is applied repeatedly.\n"
)
GOOD_2 = (
    "LGFeb 23, 2020\n"
    "On the Modularity of HypernetworksTomer Galanti, Lior Wolf\n"
    "Two alternative methods are compared.\n"
)


def read(text: str):
    return parse_seed("s.txt", text, AS_OF)


def test_meta_line_with_no_title_then_a_good_entry() -> None:
    doc = read("LGMar 3\n" + GOOD)
    assert [e.line for e in doc.entries] == [2]
    assert doc.issues == [Issue(1, "entry has no title: nothing follows the date line")]


def test_file_ending_on_a_meta_line() -> None:
    doc = read(GOOD + "CVApr 10, 2025")
    assert len(doc.entries) == 1
    assert doc.issues == [Issue(4, "entry has no title: nothing follows the date line")]


def test_title_without_authors() -> None:
    doc = read("LGMay 5\nA Title With No Authors At All\nSome abstract.\n" + GOOD)
    assert [e.title for e in doc.entries] == ["Centered Self-Attention Layers"]
    assert doc.issues == [
        Issue(
            2,
            "cannot tell the title from the authors in 'A Title With No Authors At All'; "
            "entry skipped",
        )
    ]


def test_file_ending_mid_block_without_abstract() -> None:
    doc = read(GOOD + GOOD_2.rsplit("\n", 2)[0])
    assert len(doc.entries) == 2
    last = doc.entries[-1]
    assert last.title == "On the Modularity of Hypernetworks"
    assert last.abstract == ""
    assert doc.issues == [Issue(4, "entry has no abstract")]


def test_stray_lines() -> None:
    doc = read("leftover junk\n" + GOOD + "an extra line\n" + GOOD_2)
    assert len(doc.entries) == 2
    assert doc.issues == [
        Issue(1, "stray line before the first entry: 'leftover junk'"),
        Issue(5, "stray line ignored: 'an extra line'"),
    ]


def test_long_stray_lines_are_previewed() -> None:
    doc = read(GOOD + "x" * 100 + "\n")
    assert doc.issues == [Issue(4, "stray line ignored: '" + "x" * 60 + "...'")]


def test_impossible_date_skips_only_that_entry() -> None:
    doc = read(GOOD.replace("Jun 2, 2023", "Feb 30, 2023") + GOOD_2)
    assert [e.line for e in doc.entries] == [4]
    assert doc.issues == [Issue(1, "impossible date 02/30, 2023; entry skipped")]


def test_score_prefix_and_code_badge() -> None:
    doc = read(GOOD.replace("LGJun 2, 2023", "68.7CVMay 11Code"))
    (entry,) = doc.entries
    assert (entry.score, entry.category, entry.code) == (68.7, "CV", True)
    assert (entry.date, entry.date_inferred) == ("2026-05-11", True)


def test_crlf_and_bom_read_like_lf() -> None:
    text = GOOD + GOOD_2
    raw = b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
    assert parse_seed("s.txt", decode_seed(raw, "s.txt"), AS_OF) == read(text)


def test_compact_block_laid_out_on_two_lines_is_still_read() -> None:
    doc = read(
        "LGMay 5, 2024\nA Plain Title\nAnn Lee, Bob Roe et al.\nThe abstract.\n" + GOOD_2
    )
    first = doc.entries[0]
    assert (first.title, first.authors, first.et_al) == ("A Plain Title", ["Ann Lee", "Bob Roe"], True)
    assert first.abstract == "The abstract."
    assert doc.issues == []


PROFILE = """Ada Lovelace

LG
h-index3
4papers
120citations
Novelty71.5%
AI Score40

{count} Papers

LGMar 11, 2023Code
Notes on the Analytical Engine

Ada Lovelace, Charles Babbage · cambridge

We describe the engine.

CVNov 8, 2016
Bernoulli Numbers, Revisited

Ada Lovelace
"""


def test_profile_header() -> None:
    doc = read(PROFILE.format(count=2))
    assert doc.shape is Shape.PROFILE
    assert doc.owner == "Ada Lovelace"
    assert doc.owner_candidates == ["Ada Lovelace"]
    assert doc.metrics.to_dict() == {
        "h_index": 3,
        "papers": 4,
        "citations": 120,
        "novelty": 71.5,
        "ai_score": 40.0,
    }
    first, second = doc.entries
    assert first.affiliations == ["cambridge"]
    assert first.abstract == "We describe the engine."
    # A single-name author line is read as written.
    assert (second.title, second.authors, second.abstract) == (
        "Bernoulli Numbers, Revisited",
        ["Ada Lovelace"],
        "",
    )
    assert doc.issues == [Issue(19, "entry has no abstract")]


def test_profile_count_mismatch_is_reported() -> None:
    doc = read(PROFILE.format(count=29))
    assert Issue(10, "header announces 29 papers, 2 read") in doc.issues


def test_profile_title_without_author_line() -> None:
    doc = read(PROFILE.format(count=2) + "\nLGJan 1, 2020\nA Lonely Title\n")
    assert len(doc.entries) == 2
    assert Issue(25, "entry has a title but no author line; entry skipped") in doc.issues


def test_profile_abstract_in_place_of_author_line() -> None:
    doc = read(
        PROFILE.format(count=3)
        + "\nLGJan 1, 2020\nA Title\n\nWe show that things, when studied carefully and at length"
        " by many people, turn out to be rather complicated.\n"
    )
    assert len(doc.entries) == 2
    assert Issue(25, "no author line after the title 'A Title'; entry skipped") in doc.issues


def test_unrecognised_header_line() -> None:
    doc = read(PROFILE.format(count=2).replace("LG\n", "LG\nFollow me!\n", 1))
    assert Issue(4, "unrecognised header line: 'Follow me!'") in doc.issues
    assert doc.owner == "Ada Lovelace"


def test_profile_without_metrics_is_recognised_by_layout() -> None:
    text = PROFILE.format(count=2).split("\n\n", 3)[-1]  # drop name, metrics and count
    doc = read(text)
    assert doc.shape is Shape.PROFILE
    assert len(doc.entries) == 2
    assert doc.owner == "Ada Lovelace"  # the only name in every complete list


def test_abstracts_continuation_stray_and_empty() -> None:
    doc = read(
        "Abstract:First paragraph.\ncontinued here.\n\nstray words\nAbstract:\n"
        "Abstract:  Second.  \n"
    )
    assert doc.shape is Shape.ABSTRACTS
    assert [(a.line, a.text) for a in doc.abstracts] == [
        (1, "First paragraph.\ncontinued here."),
        (6, "Second."),
    ]
    assert doc.issues == [
        Issue(4, "stray line ignored: 'stray words'"),
        Issue(5, "empty abstract"),
    ]


def test_unknown_shape_raises_naming_the_file() -> None:
    with pytest.raises(IngestError) as info:
        parse_seed("notes.txt", "just some notes\nabout nothing\n", AS_OF)
    assert info.value.file == "notes.txt"
    assert str(info.value) == (
        "notes.txt: not a seed listing: no dated entries (like 'LGMar 11, 2023') "
        "and no 'Abstract:' paragraphs"
    )


# --------------------------------------------------------------------------- owners


def entry(authors: list[str], et_al: bool = False) -> Entry:
    return Entry("s.txt", 1, "T", authors, et_al, "2020-01-01", False, "LG", False, None)


def test_owner_is_the_one_name_in_every_complete_list() -> None:
    entries = [
        entry(["Ann Lee", "Bob Roe"]),
        entry(["Cy Doe", "Ann Lee"]),
        entry(["Dee Fox", "Eve Gray"], et_al=True),
    ]
    assert infer_owner(entries) == ("Ann Lee", ["Ann Lee"])


def test_owner_compares_names_by_key_and_keeps_the_usual_spelling() -> None:
    entries = [
        entry(["Geoffrey E. Hinton", "Bob Roe"]),
        entry(["Cy Doe", "Geoffrey Hinton"]),
        entry(["Geoffrey Hinton", "Dee Fox"]),
    ]
    assert infer_owner(entries) == ("Geoffrey Hinton", ["Geoffrey Hinton"])


def test_no_owner_when_several_names_are_common() -> None:
    entries = [entry(["Ann Lee", "Bob Roe"]), entry(["Bob Roe", "Ann Lee", "Cy Doe"])]
    assert infer_owner(entries) == (None, ["Ann Lee", "Bob Roe"])


def test_no_owner_without_complete_lists() -> None:
    assert infer_owner([entry(["Ann Lee"], et_al=True)]) == (None, [])
    assert infer_owner([]) == (None, [])


def test_no_owner_when_nothing_is_common() -> None:
    assert infer_owner([entry(["Ann Lee"]), entry(["Bob Roe"])]) == (None, [])


def test_same_surname_is_not_the_same_person() -> None:
    entries = [entry(["Tomer Galanti", "Liane Galanti"]), entry(["Tomer Galanti", "Lior Wolf"])]
    assert infer_owner(entries) == ("Tomer Galanti", ["Tomer Galanti"])


# --------------------------------------------------------------------------- fuzzing

LINES = st.sampled_from(
    [
        "LGJun 2, 2023",
        "68.7CLMay 11",
        "LGFeb 30, 2023",
        "CVFeb 29",
        "Centered Self-Attention LayersAmeen Ali, Tomer Galanti, Lior Wolf · meta-ai",
        "Scaling FP8 training to trillion-token LLMsMaxim Fishman, Brian Chmiel et al.",
        "A Title With No Authors",
        "Ann Lee, Bob Roe et al. · mit",
        "We study things, and show that they work.",
        "Abstract:Some abstract.",
        "h-index24",
        "29 Papers",
        "Etai Littwin",
        "",
        "   ",
        "\t",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=30))
def test_any_mix_of_lines_is_read_without_crashing(lines: list[str]) -> None:
    text = "\n".join(lines)
    try:
        doc = parse_seed("fuzz.txt", text, AS_OF)
    except IngestError as exc:
        assert exc.file == "fuzz.txt"
        return
    if doc.shape is Shape.ABSTRACTS:
        return
    meta_lines = {i for i, line in enumerate(lines, start=1) if parse_meta_line(line)}
    accounted = {e.line for e in doc.entries} | {i.line for i in doc.issues}
    # Every date line opens an entry or is named by an issue (its own or its block's).
    for line_no in meta_lines:
        block_end = min([m for m in meta_lines if m > line_no], default=len(lines) + 1)
        assert any(line_no <= n < block_end for n in accounted), (line_no, text)
    for entry in doc.entries:
        assert entry.title and entry.authors
