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

# Geometry of card.html at IFRAME_WIDTH (px, from its CSS; checked in Chromium by
# tests/cards/test_browser.py). Text wraps by measure, which Python cannot know, so line
# counts are estimated from conservative characters-per-line figures for wide fonts.
_FRAME = 30.0  # border and padding around the card
_NAME_LINE = 24.3  # 18px x 1.35
_SMALL_LINE = 18.85  # 13px x 1.45: affiliation, metrics, footer
_AFFILIATION_GAP = 2.0
_METRICS = 8.0 + _SMALL_LINE
_LIST = 11.0  # list margin and top rule
_PAPER = 36.4  # padding, rule, and the 12px meta line under the title
_TITLE_LINE = 20.3  # 14px x 1.45; titles are clamped to two lines
_FOOTER = 8.0 + _SMALL_LINE
_NO_PAPERS = 10.0 + 20.3
_CHARS = {"name": 28, "affiliation": 46, "title": 40, "footer": 48}


def _lines(text: str, kind: str, most: int = 99) -> int:
    return min(most, max(1, math.ceil(len(text) / _CHARS[kind])))


def shown_papers(card: Card, papers: int = HTML_PAPERS) -> int:
    return min(max(papers, 0), len(card.papers))


def iframe_height(card: Card, papers: int = HTML_PAPERS) -> int:
    """Height in px that card.html needs at the default width (a close upper estimate)."""
    height = _FRAME + _NAME_LINE * _lines(card.name, "name")
    if card.affiliation:
        height += _AFFILIATION_GAP + _SMALL_LINE * _lines(card.affiliation, "affiliation")
    if card.shown_metrics():
        height += _METRICS
    count = shown_papers(card, papers)
    if count:
        height += _LIST
        for paper in card.papers[:count]:
            height += _PAPER + _TITLE_LINE * _lines(paper.title, "title", 2)
    else:
        height += _NO_PAPERS
    footer = f"All {card.paper_count:,} papers {card.site_title}"
    height += _FOOTER + _SMALL_LINE * (_lines(footer, "footer") - 1)
    return math.ceil(height)


def iframe_title(card: Card) -> str:
    return f"Publications of {card.name}"


def iframe_snippet(card: Card, papers: int = HTML_PAPERS, height: int | None = None) -> str:
    """The ``<iframe>`` tag for card.html (also the oEmbed ``html``); ``height`` is
    ``iframe_height(card, papers)``, when the caller has it already."""
    if height is None:
        height = iframe_height(card, papers)
    return (
        f'<iframe src="{escape(card.card_url)}" title="{escape(iframe_title(card))}"'
        f' width="{IFRAME_WIDTH}" height="{height}" loading="lazy"'
        ' style="border:0;max-width:100%"></iframe>'
    )


def component_snippet(card: Card, papers: int = HTML_PAPERS, layout: str = "full") -> str:
    """The script tag and the ``<researcher-card>`` element for the web component."""
    return (
        f'<script src="{escape(card.embed_js_url)}" defer></script>\n'
        f'<researcher-card src="{escape(card.json_url)}" papers="{papers}"'
        f' layout="{escape(layout)}"></researcher-card>'
    )
