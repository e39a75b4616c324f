"""One paper, one file: merging the same paper across seeds, keeping distinct ones apart."""

from __future__ import annotations

import sys
from pathlib import Path

from sitegen.ingest.merge import merge_entries, same_wording, title_key

sys.path.insert(0, str(Path(__file__).parent))
from recordkit import ABSTRACT_A, compact, entry, profile, sample_docs  # noqa: E402


def test_same_paper_in_two_seeds_is_one_paper():
    result = merge_entries(sample_docs())
    assert result.entries == 4
    assert len(result.papers) == 3
    paper = result.papers[title_key("Transformers Learn Through Gradual Rank Increase")]
    assert paper.sources == ["000_a.txt", "001_b.txt"]
    assert [p.key for p in result.multi_source] == [paper.key]


def test_complete_author_list_beats_et_al_and_longer_beats_shorter():
    docs = sample_docs()
    paper = merge_entries(docs).papers[title_key(docs[0].entries[0].title)]
    assert paper.authors[-1] == "Joshua M. Susskind" and paper.et_al is False
    # An et al. list never replaces a complete one, even when longer.
    a = compact("001_a.txt", [entry("T", ["A B", "C D"], et_al=False)])
    b = compact("002_b.txt", [entry("T", ["A B", "C D", "E F"], et_al=True)])
    paper = merge_entries([a, b]).papers["t"]
    assert paper.authors == ["A B", "C D"] and not paper.et_al
    # Between two et al. lists, the longer one wins.
    c = compact("003_c.txt", [entry("T", ["A B"], et_al=True)])
    d = compact("004_d.txt", [entry("T", ["A B", "C D", "E F"], et_al=True)])
    assert merge_entries([c, d]).papers["t"].authors == ["A B", "C D", "E F"]


def test_explicit_year_beats_inferred_date_whatever_the_order():
    inferred = entry("T", ["A B"], date="2026-05-07", date_inferred=True)
    explicit = entry("T", ["A B"], date="2025-05-07")
    for order in ([inferred, explicit], [explicit, inferred]):
        docs = [compact(f"00{i}.txt", [e]) for i, e in enumerate(order)]
        paper = merge_entries(docs).papers["t"]
        assert (paper.date, paper.date_inferred) == ("2025-05-07", False)


def test_code_badge_or_score_kept_affiliations_united_in_order():
    a = compact("000.txt", [entry("T", ["A B"], code=True, affiliations=["mit", "epfl"])])
    b = compact("001.txt", [entry("T", ["A B"], score=88.3, affiliations=["epfl", "meta-ai"])])
    paper = merge_entries([a, b]).papers["t"]
    assert paper.code is True
    assert paper.score == 88.3
    assert paper.affiliations == ["mit", "epfl", "meta-ai"]


def test_differing_abstract_becomes_a_version_same_wording_does_not():
    a = compact("000.txt", [entry("T", ["A B"], abstract=ABSTRACT_A)])
    b = compact("001.txt", [entry("T", ["A B"], abstract="  " + ABSTRACT_A.replace(" ", "\n", 3))])
    c = compact("002.txt", [entry("T", ["A B"], abstract=ABSTRACT_A + " Code is available.")])
    paper = merge_entries([a, b, c]).papers["t"]
    assert paper.abstract == ABSTRACT_A
    assert paper.abstract_versions == [ABSTRACT_A + " Code is available."]


def test_similar_titles_stay_apart():
    titles = [
        "Task Agnostic Continual Learning Using Online Variational Bayes",
        "Task Agnostic Continual Learning Using Online Variational Bayes with Fixed-Point Updates",
    ]
    doc = compact("001.txt", [entry(t, ["Chen Zeno", "Itay Golan"]) for t in titles])
    assert len(merge_entries([doc]).papers) == 2


def test_same_title_by_different_people_stays_apart():
    a = compact("000.txt", [entry("Collegial Ensembles", ["Etai Littwin", "Ben Myara"])])
    b = compact("001.txt", [entry("Collegial Ensembles", ["Jane Roe", "John Doe"])])
    c = compact("002.txt", [entry("Collegial ensembles.", ["Étai Littwin"], et_al=True)])
    result = merge_entries([a, b, c])
    assert len(result.papers) == 2
    first, second = result.papers.values()
    assert first.sources == ["000.txt", "002.txt"]
    assert second.key == "collegial ensembles | jane roe"


def test_title_key_ignores_case_accents_punctuation_and_spacing():
    assert title_key("Über  Learning: a Study!") == title_key("uber learning - A study")
    assert title_key("Tool Building as a Path to “Superintelligence”") == (
        "tool building as a path to superintelligence"
    )


def test_owner_is_recorded_for_every_paper_of_its_seed():
    doc = profile("000.txt", "Hidden Owner", [entry("T", ["A B", "C D"], et_al=True)])
    paper = merge_entries([doc], {"000.txt": "Hidden Owner"}).papers["t"]
    assert paper.owners == ["Hidden Owner"]


def test_same_wording_is_whitespace_insensitive():
    assert same_wording("a  b\nc ", "a b c")
    assert not same_wording("a b c", "a b d")
