"""Parse one HTML document into the facts the checks need (stdlib ``html.parser`` only).

The parser is the browser-independent view of a page: which URLs it references and from
which attribute, which ids it defines, its meta and link tags, its script blocks, and its
anchors with their text. Everything is collected in one pass so a page is parsed once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

# Attributes whose value is one URL, per tag ("*" = any tag).
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "source": ("src",),
    "track": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "object": ("data",),
    "form": ("action",),
    "button": ("formaction",),
    "input": ("src", "formaction"),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
    "blockquote": ("cite",),
    "q": ("cite",),
}
SRCSET_ATTRS = ("srcset", "imagesrcset")
# <meta> whose content is a URL the site itself serves when it is internal.
URL_METAS = {
    "og:url",
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "og:audio",
    "og:video",
    "twitter:image",
    "twitter:url",
    "citation_pdf_url",
    "citation_abstract_html_url",
    "citation_fulltext_html_url",
    "msapplication-tileimage",
}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
SKIP_TEXT = {"script", "style", "template", "noscript"}
WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """Collapse runs of whitespace the way rendering does, for comparing visible text."""
    return WS.sub(" ", text).strip()


@dataclass(frozen=True)
class Ref:
    """One URL a page references, and where: ``tag[attr]`` or ``meta[og:url]``."""

    tag: str
    attr: str
    url: str

    @property
    def where(self) -> str:
        return f"{self.tag}[{self.attr}]"


@dataclass
class Anchor:
    href: str
    text: str
    attrs: dict[str, str]


@dataclass
class Script:
    attrs: dict[str, str]
    text: str

    @property
    def kind(self) -> str:
        return self.attrs.get("type", "").strip().lower()

    @property
    def executable(self) -> bool:
        """Types a browser runs; JSON-LD and templates are data."""
        return self.kind in ("", "text/javascript", "application/javascript", "module") or (
            "javascript" in self.kind or "ecmascript" in self.kind
        )


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    line: int


@dataclass
class Page:
    refs: list[Ref] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    metas: list[dict[str, str]] = field(default_factory=list)
    links: list[dict[str, str]] = field(default_factory=list)
    scripts: list[Script] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    elements: list[Element] = field(default_factory=list)
    text_parts: list[str] = field(default_factory=list)
    title: str = ""
    lang: str | None = None

    @property
    def text(self) -> str:
        return squash(" ".join(self.text_parts))

    def meta(self, key: str) -> list[str]:
        """Contents of every ``<meta name=key>`` or ``<meta property=key>``, in order."""
        out = []
        for m in self.metas:
            if key in (m.get("name"), m.get("property")) and "content" in m:
                out.append(m["content"])
        return out

    def link_hrefs(self, rel: str) -> list[str]:
        return [
            link.get("href", "")
            for link in self.links
            if rel in link.get("rel", "").lower().split()
        ]

    def json_ld(self) -> list[Any]:
        """Every JSON-LD block, parsed; raises ValueError naming the block that does not parse."""
        out = []
        for i, script in enumerate(s for s in self.scripts if s.kind == "application/ld+json"):
            try:
                out.append(json.loads(script.text))
            except ValueError as exc:
                raise ValueError(f"JSON-LD block {i} does not parse: {exc}") from None
        return out


def srcset_urls(value: str) -> list[str]:
    """URLs of a srcset: comma-separated candidates, each a URL plus an optional descriptor."""
    urls = []
    for candidate in value.split(","):
        candidate = candidate.strip()
        if candidate:
            urls.append(candidate.split()[0])
    return urls


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._skip = 0
        self._script: Script | None = None
        self._anchors: list[tuple[Anchor, list[str]]] = []
        self._in_title = False

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = {k.lower(): (v if v is not None else "") for k, v in attrs_list}
        page = self.page
        page.elements.append(Element(tag, attrs, self.getpos()[0]))
        if tag == "html" and "lang" in attrs:
            page.lang = attrs["lang"]
        if "id" in attrs:
            page.ids.add(attrs["id"])
        if tag == "a" and "name" in attrs:
            page.ids.add(attrs["name"])
        for attr in URL_ATTRS.get(tag, ()):
            if attr in attrs:
                page.refs.append(Ref(tag, attr, attrs[attr].strip()))
        for attr in SRCSET_ATTRS:
            if attr in attrs:
                page.refs.extend(Ref(tag, attr, u) for u in srcset_urls(attrs[attr]))
        if tag == "meta":
            page.metas.append(attrs)
            key = (attrs.get("property") or attrs.get("name") or "").lower()
            if key in URL_METAS and attrs.get("content"):
                page.refs.append(Ref("meta", key, attrs["content"].strip()))
            if attrs.get("http-equiv", "").lower() == "refresh":
                match = re.search(r"url\s*=\s*['\"]?([^'\"]+)", attrs.get("content", ""), re.I)
                if match:
                    page.refs.append(Ref("meta", "refresh", match.group(1).strip()))
        elif tag == "link":
            page.links.append(attrs)
        elif tag == "script":
            self._script = Script(attrs, "")
        elif tag == "title":
            self._in_title = True
        if tag == "a" and "href" in attrs:
            anchor = Anchor(attrs["href"].strip(), "", attrs)
            self._anchors.append((anchor, []))
            page.anchors.append(anchor)
        if tag in SKIP_TEXT:
            self._skip += 1
        if tag in VOID:
            self.handle_endtag(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP_TEXT and self._skip:
            self._skip -= 1
        if tag == "script" and self._script is not None:
            self.page.scripts.append(self._script)
            self._script = None
        if tag == "title":
            self._in_title = False
        if tag == "a" and self._anchors:
            anchor, parts = self._anchors.pop()
            anchor.text = squash(" ".join(parts))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.text += data
            return
        if self._in_title:
            self.page.title += data
        if self._skip:
            return
        self.page.text_parts.append(data)
        for _, parts in self._anchors:
            parts.append(data)


def parse_page(html: str) -> Page:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    if parser._script is not None:  # unterminated script swallows the rest of the page
        parser.page.scripts.append(parser._script)
    parser.page.title = squash(parser.page.title)
    return parser.page
