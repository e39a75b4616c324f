"""Abstract rendering: macros become tags, math becomes MathML, everything else is text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.render.latex import (
    abstract_to_text,
    collapse_spaces,
    find_code_url,
    render_abstract,
    render_inline,
    tex_to_mathml,
)

sys.path.insert(0, str(Path(__file__).resolve().parent))
from htmltags import tags_of  # noqa: E402

ALLOWED_TAGS = {
    "p", "em", "strong", "code", "a",
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts", "none",
}  # fmt: skip


def assert_inert(html: str) -> None:
    """Only renderer-made tags; no event handlers; links only to http(s)/mailto."""
    for tag, attrs in tags_of(html):
        assert tag in ALLOWED_TAGS, f"unexpected <{tag}> in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event attribute {name} in {html!r}"
            assert name not in ("style", "src", "srcdoc"), html
            if name == "href":
                assert value is not None and re.match(r"^(https?://|mailto:)", value), html
            elif tag == "a":
                assert name == "rel", html
    assert "<script" not in html.lower()


def test_text_macros_become_tags() -> None:
    html = render_abstract(
        r"\textit{a} \emph{b} {\em c d} \textbf{e} \texttt{f} 34\% ``q'' -- x --- y"
    )
    assert html == (
        "<p><em>a</em> <em>b</em> <em>c d</em> <strong>e</strong> <code>f</code> "
        "34% \u201cq\u201d \u2013 x \u2014 y</p>"
    )


def test_em_switch_ends_with_its_group() -> None:
    assert render_abstract(r"{\em Hypernetworks} are nets") == (
        "<p><em>Hypernetworks</em> are nets</p>"
    )


def test_url_and_href_link_only_safe_schemes() -> None:
    html = render_abstract(
        r"Code: \url{https://github.com/a/b}. [\href{https://x.org/p}{page}, "
        r"\href{javascript:alert(1)}{bad}] \url{javascript:alert(2)}"
    )
    assert '<a href="https://github.com/a/b" rel="nofollow">https://github.com/a/b</a>.' in html
    assert '<a href="https://x.org/p" rel="nofollow">page</a>' in html
    assert "bad]" in html and "javascript:alert(2)" in html
    assert html.count("<a ") == 2


def test_bare_urls_are_linked_without_trailing_punctuation() -> None:
    html = render_abstract("See https://example.org/x(1). Also (https://example.org/y).")
    assert '<a href="https://example.org/x(1)" rel="nofollow">https://example.org/x(1)</a>.' in html
    assert '(<a href="https://example.org/y" rel="nofollow">https://example.org/y</a>).' in html


def test_inline_math_becomes_mathml() -> None:
    html = render_abstract(r"rate $O(\sqrt{k})$ and \(x_1\)")
    assert html.count('<math display="inline">') == 2
    assert "<msqrt>" in html and "<msub>" in html
    assert "$" not in html


def test_display_math() -> None:
    assert '<math display="block">' in render_abstract(r"$$a+b$$")


def test_math_text_is_escaped_and_href_dropped() -> None:
    html = render_abstract(r"$\text{<script>alert(1)</script>}$ $\href{javascript:x}{y}$")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "href" not in html
    assert_inert(html)


def test_unconvertible_math_is_shown_as_source() -> None:
    html = render_abstract(r"bad $\begin{foo}$ end")
    assert '<code class="tex">$\\begin{foo}$</code>' in html


def test_unknown_macros_are_inert_text() -> None:
    assert render_abstract(r"\foo{bar} \input{x}") == "<p>\\foobar \\inputx</p>"


def test_accents_and_escapes() -> None:
    assert render_abstract(r"Erd\H{o}s \'{e}t\'e \"o \& \_ \#") == "<p>Erdős été ö &amp; _ #</p>"


def test_unmatched_dollar_and_braces_are_text() -> None:
    assert render_abstract("costs $5 and }{") == "<p>costs $5 and }</p>"


def test_html_in_abstract_is_escaped() -> None:
    html = render_abstract('<script>alert(1)</script> "><img src=x onerror=alert(1)>')
    assert html == (
        "<p>&lt;script&gt;alert(1)&lt;/script&gt; &#34;&gt;&lt;img src=x "
        "onerror=alert(1)&gt;</p>"
    )


def test_paragraphs_split_on_blank_lines() -> None:
    assert render_abstract("one\n\n two") == "<p>one</p>\n<p>two</p>"


def test_plain_text_resolves_macros_and_simple_math() -> None:
    text = abstract_to_text(
        r"$\sigma$Reparam with $\textit{entropy collapse}$, {\em primary} 83\% "
        r"and $\frac{1}{2}$, see \href{https://x.org}{page}."
    )
    assert text == "σReparam with entropy collapse, primary 83% and \\frac{1}{2}, see page."


def test_code_url_found_in_url_macro_or_bare_url() -> None:
    assert find_code_url(r"at \url{https://github.com/apple/ml}.") == "https://github.com/apple/ml"
    assert find_code_url("in https://gitlab.com/x/y, ok") == "https://gitlab.com/x/y"
    assert find_code_url("see https://example.org/x") is None


def test_render_inline_has_no_paragraph() -> None:
    assert render_inline(r"A \emph{b}") == "A <em>b</em>"


def test_deep_nesting_does_not_recurse_forever() -> None:
    html = render_abstract("{" * 5000 + "x" + "}" * 5000)
    assert "x" in html


def test_mathml_allow_list_drops_unknown_attributes() -> None:
    mathml = tex_to_mathml(r"\style{color:red}{x} \color{red}{y}")
    assert mathml is not None
    assert " style=" not in mathml and "mathcolor" not in mathml


LATEXISH = st.lists(
    st.sampled_from(
        list("abc xyz<>\"'&=/:;{}$\\^_%#~`-().\n")
        + ["\\emph{", "\\url{", "\\href{", "javascript:", "https://", "onerror=", "<script>",
           "\\text{", "\\(", "\\)", "$$", "{\\em ", "\\texttt{", "<img ", "mailto:"]
    ),
    max_size=80,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(LATEXISH)
def test_rendering_any_text_yields_only_renderer_tags(text: str) -> None:
    assert_inert(render_abstract(text))
    assert_inert(render_inline(text))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_rendering_arbitrary_unicode_never_fails(text: str) -> None:
    assert_inert(render_abstract(text))
    abstract_to_text(text)


_TYPOGRAPHY = {"``": "\u201c", "`": "\u2018", "''": "\u201d", "---": "\u2014", "--": "\u2013",
               "~": "\u00a0"}  # fmt: skip


@given(st.text(alphabet=st.sampled_from("ab'-`~ \n"), max_size=60))
def test_quotes_and_dashes_in_prose(text: str) -> None:
    """Doubled quotes and dashes become typographic ones; single ones stay as written."""
    paragraphs = []
    for para in re.split(r"\n[ \t]*\n+", text.strip()):
        typeset = re.sub(r"``|`|''|---|--|~", lambda m: _TYPOGRAPHY[m.group()], para)
        paragraphs.append(" ".join(typeset.split()))
    assert abstract_to_text(text) == "\n\n".join(p for p in paragraphs if p)


def test_math_closes_at_the_first_unescaped_delimiter() -> None:
    assert abstract_to_text(r"a $x\$y$ b \(p\)q\) c") == r"a x$y b pq\) c"
    assert abstract_to_text(r"cost $5 only") == "cost $5 only"


@given(st.text(st.sampled_from(["a", "b", " ", "\t", "\n", "\u00a0", "\u2009", "\x1f", "\u3000", "é"]),
               max_size=20))
def test_collapse_spaces_is_split_and_join(text: str) -> None:
    assert collapse_spaces(text) == " ".join(text.split())


def test_adjacent_text_and_escapes_render_as_one_run() -> None:
    html = render_abstract("Cut by 87\\% at~equal `cost'' -- see \\emph{this} \\& that")
    assert html == "<p>Cut by 87% at\u00a0equal \u2018cost\u201d \u2013 see <em>this</em> &amp; that</p>"
