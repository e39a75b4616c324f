"""BibTeX entries for papers, safe to paste into any ``.bib`` file.

Field values are wrapped in braces; braces inside a value are balanced or escaped so one
bad title cannot swallow the rest of a user's bibliography, and LaTeX specials are escaped.
"""

from __future__ import annotations

import re
import unicodedata

from sitegen.content.model import Paper
from sitegen.render.latex import Inline, Math, Node, parse_abstract

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_SPECIALS = {
    "&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "$": r"\$", "{": r"\{", "}": r"\}",
    "\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}",
}  # fmt: skip


_SPECIAL = re.compile(r"[&%#_${}\\^~]")


def bib_escape(text: str) -> str:
    """Escape LaTeX specials so the value is literal text inside ``{...}``."""
    return bib_escape_keep_space(" ".join(text.split()))


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


def _to_latex(nodes: list[Inline], out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, str):
            out.append(bib_escape_keep_space(node))
        elif isinstance(node, Math):
            tex = " ".join(node.tex.split())
            out.append(f"${tex}$" if _balanced(tex) and "$" not in tex else bib_escape(tex))
        elif node.tag in _WRAP:
            out.append(_WRAP[node.tag])
            _to_latex(node.children, out)
            out.append("}")
        elif isinstance(node, Node):
            _to_latex(node.children, out)


def _special(m: re.Match[str]) -> str:
    return _SPECIALS[m.group()]


def bib_escape_keep_space(text: str) -> str:
    # Most text has none or a few specials (``87%``): replacing the matches costs less
    # than ``str.translate``, which looks up every character of a long run of text.
    return _SPECIAL.sub(_special, text) if _SPECIAL.search(text) else text


def abstract_to_latex(text: str) -> str:
    """The abstract as LaTeX for a ``.bib`` file: math and emphasis kept, specials escaped."""
    paragraphs = []
    for para in parse_abstract(text):
        out: list[str] = []
        _to_latex(para, out)
        paragraphs.append(" ".join("".join(out).split()))
    return " ".join(p for p in paragraphs if p)


_NOT_ASCII_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def _ascii_word(text: str) -> str:
    return _NOT_ASCII_ALNUM.sub("", unicodedata.normalize("NFKD", text)).lower()


def cite_key(paper: Paper) -> str:
    """``<first author's family name><year><first title word>``, ASCII only."""
    family = _ascii_word(paper.authors[0].split()[-1]) if paper.authors else ""
    first = next((w for w in map(_ascii_word, paper.title.split()) if len(w) > 3), "")
    key = f"{family or 'anon'}{paper.date[:4]}{first}"
    return key or paper.slug


def bibtex_entry(paper: Paper, url: str | None = None) -> str:
    """A ``@misc`` entry: title, authors (``and others`` for a cut list), year, month."""
    names = [bib_escape(name) for name in paper.authors]
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
