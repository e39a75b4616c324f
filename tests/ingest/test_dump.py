"""dump_content must write exactly what dump_yaml writes, for any value."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.yamlio import dump_yaml
from sitegen.ingest.dump import dump_content

_TRICKY = st.text(
    alphabet=st.sampled_from(list("ab :#-?,'\"[]{}&*!|>%@`.01e_\u00e9\u03bb\t~=<+\u00a0\u2014\n")),
    max_size=8,
)
_STRINGS = st.one_of(
    _TRICKY,
    st.text(max_size=12),
    st.builds(lambda a, b: a * 20 + b, _TRICKY, _TRICKY),  # long: block style or not
    st.sampled_from(["yes", "No", "null", "~", "2019-03-21", "1.5", "0x1F", "12:30", "---"]),
)
_SCALARS = st.one_of(
    _STRINGS, st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True)
)
_VALUES = st.one_of(
    _SCALARS,
    st.lists(_STRINGS, max_size=3),
    st.dictionaries(st.text(max_size=6), _SCALARS, max_size=3),
)


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from(["title", "date", "et_al"]), st.text(max_size=6)),
                       _VALUES, max_size=5))
def test_same_text_as_dump_yaml(data: dict) -> None:
    assert dump_content(data) == dump_yaml(data)


def test_paper_file() -> None:
    paper = {
        "title": "AAB: it's a Title",
        "authors": ["Björn Martinez", "O'Brien Smith"],
        "et_al": False,
        "date": "2019-03-21",
        "score": 0.75,
        "affiliations": [],
        "abstract": "We show $\\alpha = O(T)$ and 95\\% gains: " + "x " * 60 + "end.",
        "sources": ["002_omar-carter.txt"],
        "metrics": {"h_index": 3, "novelty": None},
        "bio": "",
    }
    text = dump_content(paper)
    assert text == dump_yaml(paper)
    assert "title: 'AAB: it''s a Title'\n" in text
