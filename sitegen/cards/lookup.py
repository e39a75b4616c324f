"""``sitegen card NAME``: find the author, then print both embed snippets.

Kept apart from the click command so the messages (part of the user interface, tested
word for word) and the snippet text are plain functions of their inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sitegen.cards.data import HTML_PAPERS, JSON_PAPERS, Card, card_for
from sitegen.cards.match import Candidate, MatchResult, find_author
from sitegen.cards.snippets import LAYOUTS, component_snippet, iframe_snippet
from sitegen.config import SiteConfig, load_config
from sitegen.content.store import AUTHORS_DIR, Corpus, load_corpus
from sitegen.errors import ContentError
from sitegen.render.index import build_index


def _who(c: Candidate) -> str:
    alias = f" as '{c.matched}'" if c.matched not in (c.name, c.slug) else ""
    return f"{c.name} ({c.slug}){alias}"


def failure_message(query: str, result: MatchResult, where: str, total: int) -> str:
    """Why ``query`` picked no single author, with the names to choose from."""
    if total == 0:
        return f"no authors in {where} (run sitegen ingest first)"
    if result.candidates:
        lines = [f"{len(result.candidates)} authors match '{query}' in {where}:"]
        lines += [f"  {_who(c)}" for c in result.candidates]
        lines.append("give more of the name, or the author's slug")
        return "\n".join(lines)
    message = f"no author matches '{query}' in {where}"
    if result.suggestions:
        message += "\ndid you mean: " + ", ".join(_who(c) for c in result.suggestions) + "?"
    return message


class NoSingleAuthor(ContentError):
    """The name matched no author or several; the message lists what exists."""


@dataclass(frozen=True)
class Snippets:
    card: Card
    iframe: str
    component: str
    absolute: bool  # False when the site's URL is unknown and URLs are path-only

    def text(self) -> str:
        name = self.card.name
        return (
            f"<!-- Publication card for {name}: iframe -->\n{self.iframe}\n\n"
            f"<!-- Publication card for {name}: web component -->\n{self.component}\n"
        )


def resolve_author(query: str, corpus: Corpus, where: str) -> str:
    """The slug of the one author ``query`` names; NoSingleAuthor otherwise."""
    result = find_author(query, corpus.authors)
    if result.author is None:
        raise NoSingleAuthor(failure_message(query, result, where, len(corpus.authors)))
    return result.author.slug


def snippets_for(
    query: str,
    corpus: Corpus,
    config: SiteConfig,
    *,
    where: str = f"content/{AUTHORS_DIR}",
    papers: int = HTML_PAPERS,
    layout: str = "full",
) -> Snippets:
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}")
    slug = resolve_author(query, corpus, where)
    card = card_for(build_index(corpus, config), config, slug)
    papers = max(0, min(papers, JSON_PAPERS))
    return Snippets(
        card=card,
        iframe=iframe_snippet(card),
        component=component_snippet(card, papers, layout),
        absolute=config.base.has_origin,
    )


def project_snippets(
    project_dir: Path,
    query: str,
    *,
    content_dir: Path | None = None,
    base_url: str | None = None,
    papers: int = HTML_PAPERS,
    layout: str = "full",
) -> Snippets:
    """Load site.yaml and the content folder of a project, then build the snippets."""
    config = load_config(project_dir)
    if base_url:
        config = config.with_base_url(base_url)
    content = content_dir or config.content_dir or project_dir / "content"
    corpus = load_corpus(content)
    try:
        where = str((content / AUTHORS_DIR).relative_to(project_dir))
    except ValueError:
        where = str(content / AUTHORS_DIR)
    return snippets_for(query, corpus, config, where=where, papers=papers, layout=layout)
