"""BibTeX entries: deterministic keys, escaped values, ``and others`` for cut lists."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from sitegen.content.model import Paper
from sitegen.render.bibtex import (
    _balanced,
    abstract_to_latex,
    bib_escape,
    bibtex_entry,
    cite_key,
)


def paper(**kw) -> Paper:  # type: ignore[no-untyped-def]
    base = dict(slug="p", title="Scaling FP8 training", authors=["Maxim Fishman", "Brian Chmiel"],
                date="2024-09-19", category="LG", abstract="We train $x$ at 34\\%.")
    base.update(kw)
    return Paper(**base)  # type: ignore[arg-type]


def test_entry() -> None:
    assert bibtex_entry(paper(), "https://x.org/papers/p/") == (
        "@misc{fishman2024scaling,\n"
        "  title = {{Scaling FP8 training}},\n"
        "  author = {Maxim Fishman and Brian Chmiel},\n"
        "  year = {2024},\n"
        "  month = {sep},\n"
        "  note = {Category: LG},\n"
        "  url = {https://x.org/papers/p/},\n"
        "  abstract = {We train $x$ at 34\\%.}\n"
        "}\n"
    )


def test_et_al_becomes_and_others() -> None:
    assert "author = {Maxim Fishman and Brian Chmiel and others}" in bibtex_entry(
        paper(et_al=True)
    )


def test_key_is_ascii() -> None:
    assert cite_key(paper(authors=["András György"], title="Über alles")) == "gyorgy2024uber"


def test_braces_and_specials_cannot_break_the_entry() -> None:
    entry = bibtex_entry(paper(title="a} @misc{evil, title={x", authors=["A_B & C%"]))
    assert "title = {{a\\} @misc\\{evil, title=\\{x}}" in entry
    assert "author = {A\\_B \\& C\\%}" in entry
    body = entry.replace("\\{", "").replace("\\}", "")
    assert body.count("{") == body.count("}")


def test_escape_collapses_whitespace() -> None:
    assert bib_escape(" a\n  b\\c ") == "a b\\textbackslash{}c"


def test_abstract_keeps_math_and_emphasis_as_latex() -> None:
    assert abstract_to_latex(r"map $f:\mathbb{R}^d \to \mathbb{R}$, {\em new} 5\% a_b") == (
        r"map $f:\mathbb{R}^d \to \mathbb{R}$, \emph{new} 5\% a\_b"
    )


def test_unbalanced_math_is_escaped_as_text() -> None:
    assert abstract_to_latex(r"$\frac{1}{2$ }") == r"\textbackslash{}frac\{1\}\{2 \}"


_SPECIAL_TEXT = st.text(alphabet=st.sampled_from("ab {}\\$&%#_^~\n\u00e9\u00df\u0131\ufb01"))


@given(_SPECIAL_TEXT)
def test_escape_replaces_every_special_at_once(text: str) -> None:
    expected = "".join(
        {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$", "{": r"\{", "}": r"\}",
         "\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}.get(ch, ch)
        for ch in " ".join(text.split())
    )  # fmt: skip
    assert bib_escape(text) == expected


@given(_SPECIAL_TEXT)
def test_braces_balance_outside_escapes(tex: str) -> None:
    depth, i, ok = 0, 0, True
    while i < len(tex):
        if tex[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(tex[i], 0)
        ok = ok and depth >= 0
        i += 1
    assert _balanced(tex) == (ok and depth == 0)


@given(st.text(alphabet=st.sampled_from("aZ09 -'\u00e9\u00c5\u0131\u00df\ufb01\u2460\u00bd")))
def test_key_words_are_their_ascii_letters_and_digits(title: str) -> None:
    words = [
        "".join(ch for ch in unicodedata.normalize("NFKD", w) if ch.isascii() and ch.isalnum())
        for w in title.split()
    ]
    first = next((w.lower() for w in words if len(w) > 3), "")
    assert cite_key(paper(title=title, authors=["Jo Zed"])) == f"zed2024{first}"
