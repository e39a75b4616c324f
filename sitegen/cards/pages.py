"""Rendering the card files of a build: card.html, card.json, oembed.json and embed.js.

The build's page plan names these outputs; this module turns a plan entry into bytes. All
are pure functions of the site index, the settings and the theme.
"""

from __future__ import annotations

from jinja2 import Environment
from jinja2 import TemplateError as JinjaError

from sitegen.cards.data import EMBED_JS, HTML_PAPERS, Card, CardLinks, card_for, card_json
from sitegen.cards.oembed import oembed_json
from sitegen.config import SiteConfig
from sitegen.errors import TemplateError
from sitegen.render.env import env_assets
from sitegen.render.index import SiteIndex

CARD_TEMPLATE = "card.html"

#: Page kinds the build plan uses for card outputs, with the file each writes.
KIND_HTML = "card-html"
KIND_JSON = "card-json"
KIND_OEMBED = "card-oembed"
KIND_EMBED_JS = "embed-js"
AUTHOR_KINDS = (KIND_HTML, KIND_JSON, KIND_OEMBED)
CARD_KINDS = (*AUTHOR_KINDS, KIND_EMBED_JS)


def card_path(kind: str, slug: str) -> str:
    """Output path (relative to the site root) of one of an author's card files."""
    links = CardLinks(slug)
    return {KIND_HTML: links.html, KIND_JSON: links.json, KIND_OEMBED: links.oembed}[kind]


def render_card_html(env: Environment, card: Card, papers: int = HTML_PAPERS) -> bytes:
    """card.html through the theme (a site may override ``card.html`` like any template)."""
    try:
        template = env.get_template(CARD_TEMPLATE)
        text = template.render(card=card, papers=card.papers[:papers])
    except JinjaError as exc:
        name = getattr(exc, "filename", None) or CARD_TEMPLATE
        line = getattr(exc, "lineno", None)
        raise TemplateError(str(exc.message or exc), file=name, line=line) from None
    return text.encode("utf-8")


def render_card_file(env: Environment, card: Card, kind: str) -> bytes:
    """Bytes of one author card output, by page kind."""
    if kind == KIND_HTML:
        return render_card_html(env, card)
    if kind == KIND_JSON:
        return card_json(card)
    if kind == KIND_OEMBED:
        return oembed_json(card)
    raise ValueError(f"not a card page kind: {kind}")


def embed_js(env: Environment) -> bytes:
    """The theme's embed.js, to be written un-hashed at the site root.

    Static assets get content-hashed names, but other sites link this script by a fixed
    address, so the build also writes it as ``/embed.js``.
    """
    assets = env_assets(env)
    try:
        return assets.files[assets.paths[EMBED_JS]]
    except KeyError:
        raise TemplateError(f"no static asset named '{EMBED_JS}'", key="asset") from None


def render_card_page(
    env: Environment, index: SiteIndex, config: SiteConfig, kind: str, slug: str
) -> bytes:
    """Entry point for the page renderer: any card page kind, by author slug."""
    if kind == KIND_EMBED_JS:
        return embed_js(env)
    # The three files of an author's card, planned one after the other, show the same
    # card: the last one built is kept (one entry, so memory does not grow with the site;
    # not a per-paper kind, so it is never carried to the next build).
    key = (config.base, config.title, config.language, slug)
    last = index.memo.get(("author-card",))
    if last is not None and last[0] == key:
        card = last[1]
    else:
        card = card_for(index, config, slug)
        index.memo[("author-card",)] = (key, card)
    return render_card_file(env, card, kind)
