"""oEmbed ``rich`` responses, so CMSs that speak oEmbed can embed an author page by its URL."""

from __future__ import annotations

from html import escape
from typing import Any

from sitegen.cards.data import HTML_PAPERS, Card, indented_json
from sitegen.cards.snippets import IFRAME_WIDTH, iframe_height, iframe_snippet, iframe_title

OEMBED_TYPE = "application/json+oembed"


def oembed_dict(card: Card, papers: int = HTML_PAPERS) -> dict[str, Any]:
    """The oEmbed 1.0 document for an author's card."""
    height = iframe_height(card, papers)
    return {
        "version": "1.0",
        "type": "rich",
        "title": iframe_title(card),
        "author_name": card.name,
        "author_url": card.url,
        "provider_name": card.site_title,
        "provider_url": card.site_url,
        "html": iframe_snippet(card, papers, height),
        "width": IFRAME_WIDTH,
        "height": height,
    }


def oembed_json(card: Card, papers: int = HTML_PAPERS) -> bytes:
    return (indented_json(oembed_dict(card, papers)) + "\n").encode("utf-8")


def oembed_link(card: Card) -> str:
    """The discovery ``<link>`` for the author page's ``<head>``."""
    return (
        f'<link rel="alternate" type="{OEMBED_TYPE}" href="{escape(card.oembed_url)}"'
        f' title="{escape(iframe_title(card))}">'
    )
