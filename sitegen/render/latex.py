"""Abstracts as written on preprint servers (LaTeX-flavoured text) -> safe HTML or plain text.

Abstracts are untrusted. The parser below turns the text into a small tree of nodes
(text, emphasis, code, link, math) and two serializers walk that tree: one escapes every
character of text into HTML, the other produces plain text for meta tags and feeds.
Nothing from the input is ever copied into the output as markup; math goes through
latex2mathml and then through an allow-list of MathML elements and attributes, because
latex2mathml itself copies ``\\text{...}`` verbatim and keeps ``\\href`` targets.
"""

from __future__ import annotations

import contextlib
import html
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree.ElementTree import Element

from markupsafe import Markup, escape

from sitegen.render.urls import safe_href

MAX_DEPTH = 40  # deeper brace nesting is shown as text instead of recursing
MAX_MATH = 2000  # longer formulas are shown as TeX source, not converted


@dataclass
class Node:
    """An element of the parsed abstract: ``tag`` is em/strong/code/a/group."""

    tag: str
    children: list[Node | Math | str] = field(default_factory=list)
    href: str | None = None


@dataclass
class Math:
    tex: str
    display: bool = False


Inline = Node | Math | str

_ARG_STYLES = {
    "emph": "em",
    "textit": "em",
    "textsl": "em",
    "textbf": "strong",
    "texttt": "code",
    "textrm": "group",
    "textsf": "group",
    "textnormal": "group",
    "textup": "group",
    "textsc": "group",
    "text": "group",
    "mbox": "group",
    "underline": "group",
}
_SWITCHES = {
    "em": "em",
    "it": "em",
    "itshape": "em",
    "sl": "em",
    "bf": "strong",
    "bfseries": "strong",
    "tt": "code",
    "ttfamily": "code",
    "rm": "group",
    "sf": "group",
    "normalfont": "group",
    "scshape": "group",
}
_SYMBOLS = {
    "ldots": "\u2026",
    "dots": "\u2026",
    "textendash": "\u2013",
    "textemdash": "\u2014",
    "textbackslash": "\\",
    "LaTeX": "LaTeX",
    "TeX": "TeX",
    "S": "\u00a7",
    "P": "\u00b6",
    "copyright": "\u00a9",
    "textregistered": "\u00ae",
    "texttrademark": "\u2122",
    "ss": "\u00df",
    "ae": "\u00e6",
    "AE": "\u00c6",
    "o": "\u00f8",
    "O": "\u00d8",
    "l": "\u0142",
    "L": "\u0141",
    "i": "\u0131",
    "quad": "\u2003",
    "qquad": "\u2003\u2003",
}
_ESCAPED = set("%&_#${}")
_SPACES = {",": "\u2009", ";": " ", ":": " ", " ": " ", "!": "", "\\": " ", "/": ""}
_ACCENTS = {
    "'": "\u0301",
    "`": "\u0300",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "r": "\u030a",
    "k": "\u0328",
}
# Where the parser has to look: a lone quote or hyphen (common in prose) is plain text, so
# only the doubled forms stop the scan. Every alternative starts with a literal character,
# so the regex engine skips plain text by a set test instead of trying each alternative at
# every position (twice as fast on a typical abstract as a leading character class).
_SPECIAL = re.compile(r"\\|\$|\{|\}|`|~|''|--|https?://")
_URL_STOP = re.compile(r"[\s<>\"{}\\$]")
_NAME = re.compile(r"[A-Za-z]+")
_BRACE_OR_ESCAPE = re.compile(r"\\.?|[{}]", re.DOTALL)  # an escape pair is skipped whole
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")
_ATTR_VALUE = re.compile(r"[\w .%#-]*")
_TEX_ESCAPE = re.compile(r"\\([%&_#$])")
# The rest of an inline formula up to its closing ``$``, stepping over escaped pairs (what
# ``_Parser._find`` does, in one regex call).
_INLINE_MATH = re.compile(r"[^$\\]*(?:\\[\s\S][^$\\]*)*\$")
_STYLE_OPEN = re.compile(r"\\([A-Za-z]+)[ \t]*\{")
_TRAILING = ".,;:!?'\""


class _Parser:
    """Recursive descent over the abstract; never fails, unknown input becomes text."""

    def __init__(self, text: str) -> None:
        self.s = str(text)  # plain str slices: the serializers test for str exactly
        self.i = 0

    # -- helpers -------------------------------------------------------------------
    def _skip_spaces(self) -> None:
        while self.i < len(self.s) and self.s[self.i] in " \t":
            self.i += 1

    def _raw_group(self) -> str | None:
        """Contents of a balanced ``{...}`` at the cursor, taken verbatim (for URLs)."""
        self._skip_spaces()
        if self.i >= len(self.s) or self.s[self.i] != "{":
            return None
        depth = 0
        for m in _BRACE_OR_ESCAPE.finditer(self.s, self.i):
            token = m.group()
            if token == "{":
                depth += 1
            elif token == "}":
                depth -= 1
                if depth == 0:
                    raw = self.s[self.i + 1 : m.start()]
                    self.i = m.end()
                    return raw.replace("\\%", "%").replace("\\_", "_").replace("\\#", "#")
        return None

    def _arg(self, depth: int) -> list[Inline] | None:
        """One macro argument: a braced group, or a single following character."""
        self._skip_spaces()
        if self.i >= len(self.s):
            return None
        if self.s[self.i] == "{":
            self.i += 1
            return self.parse(depth + 1, closing=True)
        if self.s[self.i] in "\\}$":
            return None
        ch = self.s[self.i]
        self.i += 1
        return [ch]

    def _find(self, closing: str, start: int) -> int:
        """Index of the closing math delimiter, skipping escaped characters; -1 if none."""
        for m in _closer(closing).finditer(self.s, start):
            if m.lastindex == 1:
                return m.start()
        return -1

    # -- grammar -------------------------------------------------------------------
    def parse(self, depth: int = 0, closing: bool = False) -> list[Inline]:
        # Adjacent text is kept as one string (``87\\% at`` is one node, not three): every
        # serializer handles a run of text in one call, and a string's output is the
        # same whether it is split or not. The cursor lives in a local while scanning
        # text and is handed to ``self.i`` around the calls that move it themselves.
        out: list[Inline] = []
        s = self.s
        n = len(s)
        search = _SPECIAL.search
        i = self.i
        text = ""
        while i < n:
            m = search(s, i)
            if m is None:
                text += s[i:]
                i = n
                break
            start = m.start()
            if start > i:
                text += s[i:start]
                i = start
            ch = s[i]
            if ch == "\\":
                escaped = s[i + 1 : i + 2]
                if escaped in _ESCAPED:  # ``\\%`` and the like: the most common macro
                    text += escaped
                    i += 2
                    continue
                # ``\\emph{...}`` and the other styles with a braced argument, next in
                # frequency: what ``_macro`` and ``_arg`` do for them, in one regex call.
                m = _STYLE_OPEN.match(s, i)
                if m is not None and depth < MAX_DEPTH and m.group(1) in _ARG_STYLES:
                    if text:
                        out.append(text)
                        text = ""
                    self.i = m.end()
                    arg = self.parse(depth + 1, closing=True)
                    out.append(Node(_ARG_STYLES[m.group(1)], arg))
                    i = self.i
                    continue
                self.i = i
                found = self._macro(depth, out, closing)
                i = self.i
                if not found:
                    continue
                if len(found) == 1 and found[0].__class__ is str:
                    text += found[0]
                    continue
                if text:
                    out.append(text)
                    text = ""
                out.extend(found)
                if out and isinstance(out[-1], Node) and out[-1].tag == "_switch_end":
                    out.pop()
                    return out
            elif ch == "$":
                if s[i + 1 : i + 2] != "$":  # inline math, by far the most common
                    m = _INLINE_MATH.match(s, i + 1)
                    if m is None:
                        text += "$"
                        i += 1
                        continue
                    if text:
                        out.append(text)
                        text = ""
                    out.append(Math(s[i + 1 : m.end() - 1]))
                    i = m.end()
                    continue
                self.i = i
                text = _joined(out, text, self._dollar_math())
                i = self.i
            elif ch == "}":
                i += 1
                if closing:
                    if text:
                        out.append(text)
                    self.i = i
                    return out
                text += "}"
            elif ch == "{":
                i += 1
                if depth >= MAX_DEPTH:
                    text += "{"
                    continue
                if text:
                    out.append(text)
                    text = ""
                self.i = i
                out.append(Node("group", self.parse(depth + 1, closing=True)))
                i = self.i
            elif ch == "`":
                if s.startswith("``", i):
                    text += "\u201c"
                    i += 2
                else:
                    text += "\u2018"
                    i += 1
            elif ch == "'":
                if s.startswith("''", i):
                    text += "\u201d"
                    i += 2
                else:
                    text += "'"
                    i += 1
            elif ch == "-":
                if s.startswith("---", i):
                    text += "\u2014"
                    i += 3
                elif s.startswith("--", i):
                    text += "\u2013"
                    i += 2
                else:
                    text += "-"
                    i += 1
            elif ch == "~":
                text += "\u00a0"
                i += 1
            elif ch == "\n":
                text += "\n"
                i += 1
            else:  # a bare URL
                self.i = i
                text = _joined(out, text, self._bare_url())
                i = self.i
        if text:
            out.append(text)
        self.i = i
        return out

    def _bare_url(self) -> Inline:
        start = self.i
        if start > 0 and (self.s[start - 1].isalnum() or self.s[start - 1] in "/@"):
            self.i += 4
            return self.s[start : self.i]
        m = _URL_STOP.search(self.s, start)
        end = m.start() if m else len(self.s)
        url = self.s[start:end]
        while url and (
            url[-1] in _TRAILING
            or (url[-1] == ")" and url.count("(") < url.count(")"))
            or (url[-1] == "]" and url.count("[") < url.count("]"))
        ):
            url = url[:-1]
        self.i = start + len(url)
        if len(url) <= len("https://") or safe_href(url) is None:
            self.i = start + 4
            return self.s[start : self.i]
        return Node("a", [url], href=url)

    def _dollar_math(self) -> Inline:
        s = self.s
        if s.startswith("$$", self.i):
            end = self._find("$$", self.i + 2)
            if end > self.i + 2:
                tex = s[self.i + 2 : end]
                self.i = end + 2
                return Math(tex, display=True)
        end = self._find("$", self.i + 1)
        if end > self.i + 1:
            tex = s[self.i + 1 : end]
            self.i = end + 1
            return Math(tex)
        self.i += 1
        return "$"

    def _macro(self, depth: int, out: list[Inline], closing: bool) -> list[Inline]:
        s = self.s
        self.i += 1  # the backslash
        if self.i >= len(s):
            return ["\\"]
        ch = s[self.i]
        if ch in "([":
            closer = "\\)" if ch == "(" else "\\]"
            end = self._find(closer, self.i + 1)
            if end >= 0:
                tex = s[self.i + 1 : end]
                self.i = end + 2
                return [Math(tex, display=ch == "[")]
            self.i += 1
            return ["\\" + ch]
        if ch in _ESCAPED:
            self.i += 1
            return [ch]
        if ch in _SPACES:
            self.i += 1
            return [_SPACES[ch]] if _SPACES[ch] else []
        if ch in _ACCENTS and not ch.isalpha():
            self.i += 1
            return self._accent(_ACCENTS[ch], depth, "\\" + ch)
        if not (ch.isascii() and ch.isalpha()):
            self.i += 1
            return ["\\" + ch]
        m = _NAME.match(s, self.i)
        assert m is not None
        name = m.group(0)
        self.i = m.end()
        if name in _ACCENTS and self.i < len(s) and s[self.i] == "{":
            return self._accent(_ACCENTS[name], depth, "\\" + name)
        if name == "url":
            raw = self._raw_group()
            if raw is None:
                return ["\\url"]
            href = safe_href(raw)
            return [Node("a", [raw.strip()], href=href) if href else raw]
        if name == "href":
            raw = self._raw_group()
            if raw is None:
                return ["\\href"]
            label = self._arg(depth) if depth < MAX_DEPTH else None
            href = safe_href(raw)
            children: list[Inline] = label if label else [raw.strip()]
            if href:
                return [Node("a", children, href=href)]
            return [Node("group", children)]
        if name in _ARG_STYLES:
            if depth >= MAX_DEPTH:
                return ["\\" + name]
            arg = self._arg(depth)
            if arg is None:
                return []
            return [Node(_ARG_STYLES[name], arg)]
        if name in _SWITCHES:
            # ``{\em text}``: the switch applies to the rest of the current group.
            if depth >= MAX_DEPTH:
                return ["\\" + name]
            if self.i < len(s) and s[self.i] == " ":
                self.i += 1
            rest = self.parse(depth + 1, closing=closing)
            result: list[Inline] = [Node(_SWITCHES[name], rest)]
            if closing:
                result.append(Node("_switch_end"))
            return result
        if name in _SYMBOLS:
            if self.i < len(s) and s[self.i] == "{" and s.startswith("{}", self.i):
                self.i += 2
            return [_SYMBOLS[name]]
        return ["\\" + name]

    def _accent(self, mark: str, depth: int, source: str) -> list[Inline]:
        """``\\'e`` -> ``é``; an accent on anything but a letter stays visible as text."""
        arg = self._arg(depth) if depth < MAX_DEPTH else None
        if not arg or not isinstance(arg[0], str) or not arg[0][:1].isalpha():
            return [source, *(arg or [])]
        first = arg[0]
        return [unicodedata.normalize("NFC", first[0] + mark) + first[1:], *arg[1:]]


def _joined(out: list[Inline], text: str, found: Inline) -> str:
    """The pending text after ``found``: a string joins it; a node is appended after it.

    For what ``_dollar_math`` and ``_bare_url`` return (a node, or the characters as
    text when they turn out not to start one)."""
    if found.__class__ is str:
        return text + found  # type: ignore[operator]
    if text:
        out.append(text)
    out.append(found)
    return ""


@lru_cache(maxsize=8)
def _closer(closing: str) -> re.Pattern[str]:
    """Finds ``closing`` (group 1) or an escaped pair, which the scan steps over."""
    return re.compile("(" + re.escape(closing) + r")|\\[\s\S]")


@lru_cache(maxsize=64)
def parse_abstract(text: str) -> list[list[Inline]]:
    """Paragraphs (split on blank lines) of parsed inline nodes.

    One parse serves a paper's HTML, plain text, code link and BibTeX, which are asked
    for in turn; callers only read the tree (it is shared). Only recent trees are kept:
    the serialised forms have their own caches, and thousands of kept trees would only
    give the garbage collector more objects to walk.
    """
    paragraphs = _PARAGRAPH_BREAK.split(text.strip())
    return [_Parser(p).parse() for p in paragraphs if p.strip()]


# -- MathML -------------------------------------------------------------------------
_MATHML_TAGS = {
    "math", "mrow", "mi", "mn", "mo", "ms", "mtext", "mspace", "msup", "msub", "msubsup",
    "mfrac", "msqrt", "mroot", "mover", "munder", "munderover", "mtable", "mtr", "mtd",
    "mstyle", "mpadded", "mphantom", "menclose", "merror", "mmultiscripts", "mprescripts",
    "none",
}  # fmt: skip
_MATHML_ATTRS = {
    "display", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
    "movablelimits", "accent", "accentunder", "columnalign", "rowalign", "columnlines",
    "rowlines", "columnspacing", "rowspacing", "linethickness", "minsize", "maxsize",
    "width", "height", "depth", "notation", "displaystyle", "scriptlevel", "form",
    "largeop", "symmetric", "frame",
}  # fmt: skip
_ENTITY = re.compile(r"&#(x[0-9A-Fa-f]+|[0-9]+);")


def _text(value: str | None) -> str:
    if not value:
        return ""
    decoded = _ENTITY.sub(lambda m: html.unescape(m.group(0)), value)
    return str(escape(decoded))


def _serialize(el: Element, out: list[str]) -> None:
    tag = el.tag.rsplit("}", 1)[-1]
    known = tag in _MATHML_TAGS
    if known:
        attrs = "".join(
            f' {k}="{_text(str(v))}"'
            for k, v in sorted(el.attrib.items())
            if k in _MATHML_ATTRS and _ATTR_VALUE.fullmatch(str(v))
        )
        out.append(f"<{tag}{attrs}>")
    elif tag != "math":
        out.append("<mrow>")
    out.append(_text(el.text))
    for child in el:
        _serialize(child, out)
        out.append(_text(child.tail))
    out.append(f"</{tag}>" if known else "</mrow>")


@lru_cache(maxsize=4096)
def _converted(tex: str, display: str) -> Element | None:
    """latex2mathml's tree for a formula (None if it fails), shared read-only by the HTML
    and the plain text of an inline formula: converting is the slow part of both."""
    from latex2mathml.converter import convert_to_element

    try:
        return convert_to_element(tex, display=display)
    except Exception:  # noqa: BLE001 - any converter failure means "show the source"
        return None


@lru_cache(maxsize=4096)
def tex_to_mathml(tex: str, display: bool = False) -> str | None:
    """MathML markup for a formula, or None when latex2mathml cannot convert it."""
    if len(tex) > MAX_MATH or not tex.strip():
        return None
    root = _converted(tex, "block" if display else "inline")
    if root is None:
        return None
    out: list[str] = []
    _serialize(root, out)
    return "".join(out)


_LAYOUT_TAGS = {"math", "mrow", "mi", "mn", "mo", "mtext", "mstyle", "mspace"}


@lru_cache(maxsize=4096)
def tex_to_text(tex: str) -> str:
    """Plain text for a formula: its characters when the formula is flat (``σ``, ``83%``),
    else the TeX source, which reads better than run-together symbols for ``\\frac{a}{b}``."""
    source = _TEX_ESCAPE.sub(r"\1", tex.strip())
    if len(tex) > MAX_MATH:
        return source
    root = _converted(tex, "inline")
    if root is None:
        return source
    if any(el.tag.rsplit("}", 1)[-1] not in _LAYOUT_TAGS for el in root.iter()):
        return source
    text = "".join(root.itertext())
    text = _ENTITY.sub(lambda m: html.unescape(m.group(0)), text).replace("\u00a0", " ")
    return text if text.strip() else source


# -- serializers ----------------------------------------------------------------------
_HTML_TAGS = {"em": "em", "strong": "strong", "code": "code"}


def _escape_text(text: str) -> str:
    """``str(markupsafe.escape(text))`` for a plain string, without the Markup object."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


with contextlib.suppress(ImportError):  # the same in C, as markupsafe itself uses it
    from markupsafe._speedups import _escape_inner as _escape_text  # type: ignore[no-redef]


def _to_html(nodes: list[Inline], out: list[str]) -> None:
    for node in nodes:
        cls = node.__class__
        if cls is str:
            out.append(_escape_text(node))
        elif cls is Math:
            mathml = tex_to_mathml(node.tex, node.display)
            if mathml is None:
                delim = ("$$", "$$") if node.display else ("$", "$")
                out.append(f'<code class="tex">{escape(delim[0] + node.tex + delim[1])}</code>')
            else:
                out.append(mathml)
        elif node.tag == "a" and node.href:
            out.append(f'<a href="{escape(node.href)}" rel="nofollow">')
            _to_html(node.children, out)
            out.append("</a>")
        elif node.tag in _HTML_TAGS:
            out.append(f"<{_HTML_TAGS[node.tag]}>")
            _to_html(node.children, out)
            out.append(f"</{_HTML_TAGS[node.tag]}>")
        else:
            _to_html(node.children, out)


def _to_text(nodes: list[Inline], out: list[str]) -> None:
    for node in nodes:
        cls = node.__class__
        if cls is str:
            out.append(node)
        elif cls is Math:
            out.append(tex_to_text(node.tex))
        else:
            _to_text(node.children, out)


@lru_cache(maxsize=2048)
def render_abstract(text: str) -> Markup:
    """The abstract as HTML paragraphs: math as MathML, text macros as tags, URLs linked.

    A build shows each abstract's HTML on one page, so the cache only serves repeats
    (previews, the ``abstract`` filter); a large one would keep the HTML of tens of
    thousands of abstracts in every render worker of a large build.
    """
    parts: list[str] = []
    for para in parse_abstract(text):
        out: list[str] = []
        _to_html(para, out)
        parts.append("<p>" + "".join(out).strip() + "</p>")
    return Markup("\n".join(parts))


def render_inline(text: str) -> Markup:
    """One line of LaTeX-flavoured text (a title) as inline HTML, without paragraphs."""
    out: list[str] = []
    for i, para in enumerate(parse_abstract(text)):
        if i:
            out.append(" ")
        _to_html(para, out)
    return Markup("".join(out).strip())


def collapse_spaces(text: str) -> str:
    """``" ".join(text.split())``: runs of whitespace as one space, none at the ends.

    Every whitespace character but the space is unprintable, so printable text without
    a doubled space needs at most a strip; splitting a long abstract into words only to
    join them again costs several times more.
    """
    if text.isprintable() and "  " not in text:
        return text.strip()
    return " ".join(text.split())


@lru_cache(maxsize=16384)
def abstract_to_text(text: str) -> str:
    """Plain text for meta descriptions and feeds: macros resolved, math as its TeX source."""
    paragraphs = []
    for para in parse_abstract(text):
        out: list[str] = []
        _to_text(para, out)
        paragraphs.append(collapse_spaces("".join(out)))
    return "\n\n".join(p for p in paragraphs if p)


CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "huggingface.co")


@lru_cache(maxsize=16384)
def find_code_url(text: str) -> str | None:
    """First link in the abstract that points at a code host (GitHub, GitLab, ...)."""
    # A link's host is copied from the text as written (ASCII only), so an abstract that
    # names no code host needs no parsing.
    lowered = text.lower()
    if not any(host in lowered for host in CODE_HOSTS):
        return None
    for para in parse_abstract(text):
        for href in _links(para):
            host = href.split("://", 1)[-1].split("/", 1)[0].lower()
            if host.removeprefix("www.") in CODE_HOSTS:
                return href
    return None


def _links(nodes: list[Inline]) -> list[str]:
    found: list[str] = []
    for node in nodes:
        if isinstance(node, Node):
            if node.tag == "a" and node.href:
                found.append(node.href)
            found.extend(_links(node.children))
    return found
