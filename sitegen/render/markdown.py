"""Author bios: Markdown -> HTML with raw HTML off and only http/https/mailto links.

The ``js-default`` preset already refuses raw HTML; on top of it, link targets are checked
against the same scheme allow-list as every other content URL, images are off (no request
to a third-party host from a page), and headings are shifted down so a bio's ``#`` does not
compete with the page's own ``<h1>``.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from markupsafe import Markup

from sitegen.render.urls import safe_href

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

HEADING_SHIFT = 2  # a bio sits under the page's <h2>, so "# x" becomes <h3>


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    # Imported on first use: markdown-it takes 40 ms to import, and a build that renders
    # no author page (or imports it meanwhile, see sitegen.incremental) need not wait.
    from markdown_it import MarkdownIt

    md = MarkdownIt("js-default", {"linkify": False, "typographer": False})
    md.disable("image")
    md.validateLink = lambda url: safe_href(url) is not None  # type: ignore[method-assign]

    def heading(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        token = tokens[idx]
        level = min(6, int(token.tag[1]) + HEADING_SHIFT)
        token.tag = f"h{level}"
        return self.renderToken(tokens, idx, options, env)

    md.add_render_rule("heading_open", heading)
    md.add_render_rule("heading_close", heading)

    def link_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        # An empty target ``[x]()`` passes the validator; render such a link as its text.
        href = safe_href(str(tokens[idx].attrGet("href") or ""))
        env.setdefault("links", []).append(href is not None)
        if href is None:
            return ""
        tokens[idx].attrSet("href", href)
        tokens[idx].attrSet("rel", "nofollow")
        return self.renderToken(tokens, idx, options, env)

    def link_close(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        kept = env.get("links", [True]).pop() if env.get("links") else True
        return self.renderToken(tokens, idx, options, env) if kept else ""

    md.add_render_rule("link_open", link_open)
    md.add_render_rule("link_close", link_close)
    return md


def render_markdown(text: str) -> Markup:
    """Safe HTML for a bio; empty text gives empty markup."""
    if not text.strip():
        return Markup("")
    return Markup(_parser().render(text, {}).strip())
