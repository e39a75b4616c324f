"""BibTeX entries for papers, safe to paste into any ``.bib`` file.

Field values are wrapped in braces; braces inside a value are balanced or escaped so one
bad title cannot swallow the rest of a user's bibliography, and LaTeX specials are escaped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from sitegen.content.model import Paper
from sitegen.render.latex import Inline, Math, Node, collapse_spaces, parse_abstract

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPECIALS = {
    "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$", "{": r"\{", "}": r"\}",
    "\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}",
}  # fmt: skip


_SPECIAL = re.compile(r"[&%#_${}\\^~]")


def bib_escape(text: str) -> str:
    """Escape LaTeX specials so the value is literal text inside ``{...}``."""
    return bib_escape_keep_space(collapse_spaces(text))


_WRAP = {"em": "\\emph{", "strong": "\\textbf{", "code": "\\texttt{"}


_BRACE_OR_ESCAPE = re.compile(r"\\.?|[{}]", re.DOTALL)


def _balanced(tex: str) -> bool:
    depth = 0
    for m in _BRACE_OR_ESCAPE.finditer(tex):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


@lru_cache(maxsize=4096)
def _math_latex(tex: str) -> str:
    """A formula kept as ``$...$`` when its braces balance, else escaped as text."""
    tex = collapse_spaces(tex)
    return f"${tex}$" if _balanced(tex) and "$" not in tex else bib_escape(tex)


def _to_latex(nodes: list[Inline], out: list[str]) -> None:
    for node in nodes:
        cls = node.__class__
        if cls is str:
            out.append(bib_escape_keep_space(node))
        elif cls is Math:
            out.append(_math_latex(node.tex))
        elif node.tag in _WRAP:
            out.append(_WRAP[node.tag])
            _to_latex(node.children, out)
            out.append("}")
        elif cls is Node:
            _to_latex(node.children, out)


def _special(m: re.Match[str]) -> str:
    return _SPECIALS[m.group()]


_SIMPLE = ("&", "%", "#", "_", "$")  # escaped by a backslash, which the others escape


def bib_escape_keep_space(text: str) -> str:
    # Specials are few and mostly ``%`` (abstracts say ``87\\%``): a handful of scans in C
    # cost less than a regex substitution that calls back into Python for every match.
    if "\\" in text or "{" in text or "}" in text or "^" in text or "~" in text:
        return _SPECIAL.sub(_special, text)
    for ch in _SIMPLE:
        if ch in text:
            text = text.replace(ch, "\\" + ch)
    return text


def abstract_to_latex(text: str) -> str:
    """The abstract as LaTeX for a ``.bib`` file: math and emphasis kept, specials escaped."""
    paragraphs = []
    for para in parse_abstract(text):
        out: list[str] = []
        _to_latex(para, out)
        paragraphs.append(collapse_spaces("".join(out)))
    return " ".join(p for p in paragraphs if p)


_NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def _ascii_word(text: str) -> str:
    return _NOT_ASCII_ALNUM.sub("", unicodedata.normalize("NFKD", text)).lower()


def cite_key(paper: Paper) -> str:
    """``<first author's family name><year><first title word>``, ASCII only."""
    return _cite_key(tuple(paper.authors[:1]), paper.date[:4], paper.title, paper.slug)


@lru_cache(maxsize=64)  # a paper's page and its entry ask in turn
def _cite_key(first_author: tuple[str, ...], year: str, title: str, slug: str) -> str:
    family = _ascii_word(first_author[0].split()[-1]) if first_author else ""
    first = next((w for w in map(_ascii_word, title.split()) if len(w) > 3), "")
    key = f"{family or 'anon'}{year}{first}"
    return key or slug


_name_escape = lru_cache(maxsize=4096)(bib_escape)  # names recur across papers


def bibtex_entry(paper: Paper, url: str | None = None) -> str:
    """A ``@misc`` entry: title, authors (``and others`` for a cut list), year, month."""
    names = [_name_escape(name) for name in paper.authors]
    if paper.et_al:
        names.append("others")
    fields: list[tuple[str, str]] = [
        ("title", "{" + bib_escape(paper.title) + "}"),
        ("author", " and ".join(names)),
        ("year", paper.date[:4]),
    ]
    fields.append(("month", _MONTHS[int(paper.date[5:7]) - 1]))
    if paper.category:
        fields.append(("note", f"Category: {bib_escape(paper.category)}"))
    if url:
        fields.append(("url", bib_escape(url).replace(r"\_", "_").replace(r"\%", "%")))
    abstract = abstract_to_latex(paper.abstract)
    if abstract:
        fields.append(("abstract", abstract))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{cite_key(paper)},\n{body}\n}}\n"
