"""Meta descriptions: long texts are cut at a word boundary after collapsing whitespace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.render.pages import _description

WORDS = st.lists(st.sampled_from(["a", "word", "x" * 40, " ", "  ", "\n\n", "\t", "\u3000"]),
                 max_size=400).map("".join)


@given(WORDS, st.integers(min_value=1, max_value=60))
def test_description_is_the_collapsed_text_cut_at_a_word_boundary(text: str, limit: int) -> None:
    collapsed = " ".join(text.split())
    expected = (
        collapsed if len(collapsed) <= limit
        else collapsed[:limit].rsplit(" ", 1)[0] + "\u2026"
    )
    assert _description(text, limit) == expected
