"""The two ways to embed a card: an ``<iframe>`` of card.html and the ``<researcher-card>`` tag.

The iframe needs a height up front (a cross-origin frame cannot size its embedder), so it is
estimated from what card.html will show; card.html also posts its real height, and embed.js
applies it to the frame when the embedding page loads that script.
"""

from __future__ import annotations

import math
from html import escape

from sitegen.cards.data import HTML_PAPERS, Card

#: Default width of the iframe; card.html is fluid, so any width from ~260px works.
IFRAME_WIDTH = 400
#: Layouts the web component knows.
LAYOUTS = ("full", "compact")

# Geometry of card.html at IFRAME_WIDTH (px), measured in Chromium; see tests/cards.
_FRAME = 32  # border and padding around the card
_HEADER = 25  # name heading
_AFFILIATION = 21
_METRICS = 27
_LIST = 11  # list margin and top rule
_PAPER = 38  # one paper with a one-line title
_TITLE_LINE = 20  # each further title line (titles are clamped to two lines)
_FOOTER = 28
_NO_PAPERS = 30
_CHARS_PER_LINE = 44  # a conservative count for bold 14px sans-serif in the card's width


def shown_papers(card: Card, papers: int = HTML_PAPERS) -> int:
    return min(max(papers, 0), len(card.papers))


def iframe_height(card: Card, papers: int = HTML_PAPERS) -> int:
    """Height in px that card.html needs at the default width (a close upper estimate)."""
    height = _FRAME + _HEADER + _FOOTER
    if card.affiliation:
        height += _AFFILIATION
    if card.shown_metrics():
        height += _METRICS
    count = shown_papers(card, papers)
    if count:
        height += _LIST
        for paper in card.papers[:count]:
            lines = min(2, max(1, math.ceil(len(paper.title) / _CHARS_PER_LINE)))
            height += _PAPER + (lines - 1) * _TITLE_LINE
    else:
        height += _NO_PAPERS
    return height


def iframe_title(card: Card) -> str:
    return f"Publications of {card.name}"


def iframe_snippet(card: Card, papers: int = HTML_PAPERS) -> str:
    """The ``<iframe>`` tag for card.html (also the oEmbed ``html``)."""
    return (
        f'<iframe src="{escape(card.card_url)}" title="{escape(iframe_title(card))}"'
        f' width="{IFRAME_WIDTH}" height="{iframe_height(card, papers)}" loading="lazy"'
        ' style="border:0;max-width:100%"></iframe>'
    )


def component_snippet(card: Card, papers: int = HTML_PAPERS, layout: str = "full") -> str:
    """The script tag and the ``<researcher-card>`` element for the web component."""
    return (
        f'<script src="{escape(card.embed_js_url)}" defer></script>\n'
        f'<researcher-card src="{escape(card.json_url)}" papers="{papers}"'
        f' layout="{escape(layout)}"></researcher-card>'
    )
