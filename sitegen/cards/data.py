"""What an author card shows, computed once and shared by card.html, card.json and oEmbed.

The card is a small, stable projection of the site: other sites embed it, so its fields are
a public contract (``docs/cards.md``). Every URL in it is absolute when the site's origin is
known (``url`` in site.yaml or a full ``--base-url``), otherwise a path-only URL that the
embed script resolves against the address it fetched ``card.json`` from.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sitegen.config import SiteConfig
from sitegen.content.model import Author, Paper
from sitegen.render.index import SiteIndex, paper_order
from sitegen.render.urls import Urls

#: Bumped only for incompatible changes to card.json; additions keep the version.
SCHEMA_VERSION = 1
#: Papers listed in card.json; the web component shows up to this many.
JSON_PAPERS = 20
#: Papers shown by card.html, the iframe form.
HTML_PAPERS = 5
#: Authors named on a paper line before "et al." takes over.
SHOWN_AUTHORS = 3

#: Metrics in the order cards show them, with the label they show.
METRIC_LABELS: tuple[tuple[str, str], ...] = (
    ("h_index", "h-index"),
    ("citations", "citations"),
    ("papers", "papers"),
)


@dataclass(frozen=True)
class CardPaper:
    title: str
    url: str
    date: str  # YYYY-MM-DD
    year: int
    authors: tuple[str, ...]
    et_al: bool

    @property
    def byline(self) -> str:
        """Short author line: the first few names, then "et al." when more exist."""
        names = ", ".join(self.authors[:SHOWN_AUTHORS])
        if self.et_al or len(self.authors) > SHOWN_AUTHORS:
            names += " et al."
        return names


@dataclass(frozen=True)
class CardLinks:
    """Where an author's card files live, as site paths (relative to the site root)."""

    slug: str

    @property
    def folder(self) -> str:
        return f"authors/{self.slug}/"

    @property
    def html(self) -> str:
        return self.folder + "card.html"

    @property
    def json(self) -> str:
        return self.folder + "card.json"

    @property
    def oembed(self) -> str:
        return self.folder + "oembed.json"


EMBED_JS = "embed.js"


@dataclass(frozen=True)
class Card:
    slug: str
    name: str
    url: str  # the author's page on the site
    card_url: str  # card.html (iframe source)
    json_url: str  # card.json (web component source)
    oembed_url: str
    embed_js_url: str
    affiliation: str
    metrics: dict[str, int | float]
    paper_count: int
    papers: tuple[CardPaper, ...]  # newest first, at most JSON_PAPERS
    site_title: str
    site_url: str
    lang: str

    def shown_metrics(self) -> list[tuple[str, str]]:
        """(label, formatted value) pairs for the metrics a card displays."""
        out: list[tuple[str, str]] = []
        for key, label in METRIC_LABELS:
            value = self.metrics.get(key)
            if value is not None:
                out.append((label, f"{value:,}" if isinstance(value, int) else f"{value:g}"))
        return out


def build_card(author: Author, papers: Iterable[Paper], config: SiteConfig) -> Card:
    """Project an author and their papers (any order) onto the card contract."""
    return _card(author, sorted(papers, key=paper_order), config)


def _card(author: Author, ordered: list[Paper], config: SiteConfig) -> Card:
    """The card of an author whose papers are already in ``paper_order``."""
    urls = Urls(config.base)
    links = CardLinks(author.slug)
    card_papers = tuple(
        CardPaper(
            title=paper.title,
            url=urls.absolute(urls.paper(paper.slug)),
            date=paper.date,
            year=paper.year,
            authors=tuple(paper.authors),
            et_al=paper.et_al,
        )
        for paper in ordered[:JSON_PAPERS]
    )
    return Card(
        slug=author.slug,
        name=author.name,
        url=urls.absolute(urls.author(author.slug)),
        card_url=urls.absolute(links.html),
        json_url=urls.absolute(links.json),
        oembed_url=urls.absolute(links.oembed),
        embed_js_url=urls.absolute(EMBED_JS),
        affiliation=author.affiliation.strip(),
        metrics=author.metrics.to_dict(),
        paper_count=len(ordered),
        papers=card_papers,
        site_title=config.title,
        site_url=urls.absolute(""),
        lang=config.language,
    )


def card_for(index: SiteIndex, config: SiteConfig, slug: str) -> Card:
    """The card of one author of a built site's index."""
    # The index lists an author's papers in ``paper_order`` already (newest first).
    papers = [index.paper(p) for p in index.papers_by_author.get(slug, [])]
    return _card(index.author(slug), papers, config)


def card_to_dict(card: Card) -> dict[str, Any]:
    """The card.json document; key order is fixed so the file is byte-stable."""
    return _card_doc(card, [_paper_dict(p) for p in card.papers])


def _card_doc(card: Card, papers: list[Any]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "name": card.name,
        "slug": card.slug,
        "url": card.url,
        "affiliation": card.affiliation or None,
        "metrics": dict(card.metrics),
        "paper_count": card.paper_count,
        "papers": papers,
        "card_url": card.card_url,
        "oembed_url": card.oembed_url,
        "site": {"title": card.site_title, "url": card.site_url},
        "lang": card.lang,
    }


def card_json(card: Card) -> bytes:
    """Serialized card.json: UTF-8, two-space indent, trailing newline.

    A paper is listed in the card of each of its authors, always at the same depth, so
    its entry is encoded once (:func:`_paper_json`) and copied into every card that
    lists it.
    """
    out: list[str] = []
    try:
        papers = [_Encoded(_paper_json(p)) for p in card.papers]
        _write_json(_card_doc(card, papers), "\n", out)
    except _NotPlain:
        doc = card_to_dict(card)
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    out.append("\n")
    return "".join(out).encode("utf-8")


class _Encoded(str):
    """JSON text already indented for its place in the document, written as it is."""

    __slots__ = ()


_PAPER_INDENT = "\n    "  # an entry of the top-level object's "papers" list


_PAPER_JSON: dict[tuple, str] = {}
_PAPER_JSON_MAX = 8192


def _paper_json(paper: CardPaper) -> str:
    # Keyed by the fields as a tuple: an lru_cache would hash and compare the dataclass
    # in Python, for each of the 3 to 5 cards a paper is on.
    key = (paper.title, paper.url, paper.date, paper.year, paper.authors, paper.et_al)
    found = _PAPER_JSON.get(key)
    if found is None:
        if len(_PAPER_JSON) >= _PAPER_JSON_MAX:
            _PAPER_JSON.clear()
        out: list[str] = []
        _write_json(_paper_dict(paper), _PAPER_INDENT, out)
        found = _PAPER_JSON[key] = "".join(out)
    return found


def _paper_dict(p: CardPaper) -> dict[str, Any]:
    return {
        "title": p.title,
        "url": p.url,
        "date": p.date,
        "year": p.year,
        "authors": list(p.authors),
        "et_al": p.et_al,
    }


_encode_string = json.encoder.encode_basestring  # the C version, as json.dumps uses


def indented_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, but quicker.

    With an indent the standard library falls back to its pure-Python encoder, which
    costs more than building a card; the JSON-native values a card holds are written here
    directly. Anything else is left to ``json.dumps``.
    """
    out: list[str] = []
    try:
        _write_json(value, "\n", out)
    except _NotPlain:
        return json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(out)


class _NotPlain(Exception):
    """A value :func:`indented_json` leaves to ``json.dumps``."""


def _write_json(value: Any, newline: str, out: list[str]) -> None:
    cls = value.__class__
    if cls is str:
        out.append(_encode_string(value))
    elif cls is _Encoded:
        out.append(value)
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif cls is int:
        out.append(int.__repr__(value))
    elif cls is float and math.isfinite(value):
        out.append(float.__repr__(value))
    elif cls is dict and all(k.__class__ is str for k in value):
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            out.append(sep)
            out.append(_encode_string(key))
            out.append(": ")
            _write_json(item, inner, out)
            sep = "," + inner
        out.append(newline + "}")
    elif cls is list or cls is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _write_json(item, inner, out)
            sep = "," + inner
        out.append(newline + "]")
    else:
        raise _NotPlain
