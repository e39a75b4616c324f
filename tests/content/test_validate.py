import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.model import AUTHOR_KEYS, PAPER_KEYS, Link, Metrics
from sitegen.content.validate import (
    _author_checked,
    _author_fast,
    _paper_checked,
    _paper_fast,
    author_from_dict,
    paper_from_dict,
)
from sitegen.content.yamlio import dump_yaml, parse_yaml
from sitegen.errors import ContentError

GOOD = """title: A paper
authors:
- Ada Lovelace
- Alan Turing
et_al: true
date: '2023-05-11'
score: 68.7
"""


def _paper(text: str, file: str = "content/papers/p.yaml"):
    return paper_from_dict(parse_yaml(text, file), "p", file, text)


def test_valid_paper_round_trips():
    paper = _paper(GOOD)
    assert paper.authors == ["Ada Lovelace", "Alan Turing"]
    assert paper.et_al is True and paper.score == 68.7 and paper.year == 2023
    again = _paper(dump_yaml(paper.to_dict()))
    assert again == paper


def test_unknown_keys_are_kept():
    paper = _paper(GOOD + "note: hand written\n")
    assert paper.extra == {"note": "hand written"}
    assert paper.to_dict()["note"] == "hand written"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("authors: [a]\ndate: '2020-01-01'\n", "content/papers/p.yaml: missing required key 'title'"),
        ("title: t\nauthors: a\ndate: '2020-01-01'\n",
         "content/papers/p.yaml:2: authors: expected a list, got a string"),
        ("title: t\nauthors:\n- a\n- [b]\ndate: '2020-01-01'\n",
         "content/papers/p.yaml:4: authors[1]: expected a string, got a list"),
        ("title: t\nauthors: [a]\ndate: May 11\n",
         "content/papers/p.yaml:3: date: expected a date as YYYY-MM-DD, got 'May 11'"),
        ("title: t\nauthors: [a]\ndate: '2020-01-01'\ncode: yes please\n",
         "content/papers/p.yaml:4: code: expected true or false, got a string"),
        ("title: t\nauthors: [a]\ndate: '2020-01-01'\nscore: high\n",
         "content/papers/p.yaml:4: score: expected a number, got a string"),
        ("- just\n- a list\n", "content/papers/p.yaml: expected a mapping of paper fields, got a list"),
        ("title: '  '\nauthors: [a]\ndate: '2020-01-01'\n", "content/papers/p.yaml:1: title: must not be empty"),
    ],
)
def test_invalid_papers_have_exact_errors(text, message):
    with pytest.raises(ContentError) as err:
        _paper(text)
    assert str(err.value) == message


def test_author_with_metrics_and_links():
    text = (
        "name: Ada\nmetrics:\n  h_index: 24\n  novelty: 56.0\n"
        "links:\n- label: Home\n  url: https://example.org\n"
    )
    author = author_from_dict(parse_yaml(text, "a.yaml"), "ada", "a.yaml", text)
    assert author.metrics == Metrics(h_index=24, novelty=56.0)
    assert author.links == [Link("Home", "https://example.org")]


def test_author_unknown_metric_is_an_error():
    text = "name: Ada\nmetrics:\n  fame: 3\n"
    with pytest.raises(ContentError) as err:
        author_from_dict(parse_yaml(text, "a.yaml"), "ada", "a.yaml", text)
    assert str(err.value) == (
        "a.yaml:3: metrics.fame: unknown metric; expected one of "
        "h_index, papers, citations, novelty, ai_score"
    )


# -- the one-pass path must make exactly the record the field-by-field path makes ------------
_odd = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False),
                 st.sampled_from(["", " ", "x", " y ", "2023-05-11", "May 11"]),
                 st.lists(st.sampled_from(["a", " ", 1, None, True]), max_size=3),
                 st.dictionaries(st.sampled_from(["h_index", "url", "label", "fame"]),
                                 st.sampled_from([1, 2.5, "u", None, True]), max_size=2))
_plain_names = st.lists(st.sampled_from(["Ada", "Alan Turing", "é"]), max_size=3)


def _compare(fast, checked, data, slug="s"):
    """The fast path either declines (None) or agrees with the checking path."""
    made = fast(data, slug)
    try:
        expected = checked(data, slug, "f.yaml", None)
    except ContentError:
        assert made is None, data  # a problem to report is never skipped
        return
    if made is not None:
        assert made == expected and type(made.extra) is dict, data


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*PAPER_KEYS, "note"]),
                       st.one_of(_odd, _plain_names), max_size=8),
       st.fixed_dictionaries({"title": st.sampled_from(["T", " T "]),
                              "authors": _plain_names, "date": st.just("2021-02-03")}))
def test_fast_paper_path_agrees(data, base):
    _compare(_paper_fast, _paper_checked, data)
    _compare(_paper_fast, _paper_checked, {**base, **{k: v for k, v in data.items()
                                                      if k not in base}})


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*AUTHOR_KEYS, "note"]),
                       st.one_of(_odd, _plain_names,
                                 st.lists(st.dictionaries(st.sampled_from(["url", "label"]),
                                                          st.sampled_from(["u", 1]),
                                                          max_size=2), max_size=2)),
                       max_size=6),
       st.sampled_from(["Ada", " Ada "]))
def test_fast_author_path_agrees(data, name):
    _compare(_author_fast, _author_checked, data)
    _compare(_author_fast, _author_checked, {"name": name, **data} if "name" not in data
             else data)


def test_fast_paths_take_the_usual_files():
    paper = _paper_fast(parse_yaml(GOOD, "p.yaml"), "p")
    assert paper is not None and paper.score == 68.7
    text = ("name: Ada\naliases: []\nprofile: true\nmetrics:\n  h_index: 24\n"
            "affiliation: ''\nbio: ''\nlinks:\n- label: Home\n  url: https://example.org\n")
    assert _author_fast(parse_yaml(text, "a.yaml"), "ada") is not None
