import pytest

from sitegen.content.model import Link, Metrics
from sitegen.content.validate import author_from_dict, paper_from_dict
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
