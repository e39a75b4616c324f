import gzip
import json
import re
from html.parser import HTMLParser

from sitegen.cards.data import build_card, card_for
from sitegen.cards.oembed import oembed_dict, oembed_link
from sitegen.cards.pages import (
    CARD_KINDS,
    KIND_EMBED_JS,
    KIND_HTML,
    KIND_JSON,
    KIND_OEMBED,
    card_path,
    embed_js,
    render_card_html,
    render_card_page,
)
from sitegen.cards.snippets import component_snippet, iframe_height, iframe_snippet
from sitegen.content.model import Author, Metrics, Paper

MAX_CARD_HTML = 20 * 1024
MAX_EMBED_GZIP = 10 * 1024


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _tags(html: bytes):
    parser = _Tags()
    parser.feed(html.decode("utf-8"))
    return parser.tags


def _worst_case_card(config):
    """Longest realistic content: long names, titles and author lists everywhere."""
    author = Author(
        slug="w", name="W" * 120, affiliation="A" * 300,
        metrics=Metrics(h_index=999, papers=99999, citations=9999999, novelty=99.9),
    )
    papers = [
        Paper(slug=f"{'p' * 70}{i}", title="T & <t> " * 60, authors=[f"Author {j} " * 5 for j in range(40)],
              et_al=True, date="2024-01-01")
        for i in range(30)
    ]
    return build_card(author, papers, config)


def test_card_html_is_small_even_for_long_content(env, index, config):
    assert len(render_card_html(env, card_for(index, config, "ada-lovelace"))) < MAX_CARD_HTML
    assert len(render_card_html(env, _worst_case_card(config))) < MAX_CARD_HTML


def test_card_html_makes_no_external_requests(env, index, config):
    html = render_card_html(env, card_for(index, config, "ada-lovelace"))
    tags = _tags(html)
    assert not [t for t, a in tags if t in ("link", "img", "iframe", "object", "embed", "source")]
    assert all("src" not in a for _, a in tags)
    assert b"@import" not in html and b"url(" not in html


def test_card_html_links_leave_the_frame_safely(env, index, config):
    tags = _tags(render_card_html(env, card_for(index, config, "ada-lovelace")))
    links = [a for t, a in tags if t == "a"]
    assert len(links) == 1 + 5 + 1  # name, five papers, "all papers"
    for attrs in links:
        assert attrs["target"] == "_blank" and attrs["rel"] == "noopener"
        assert attrs["href"].startswith("https://lab.example.org/pubs/")


def test_card_html_shows_name_affiliation_metrics_and_recent_papers(env, index, config):
    html = render_card_html(env, card_for(index, config, "ada-lovelace")).decode()
    assert '<html lang="en">' in html
    assert ">Ada Lovelace</a></h1>" in html
    assert "Analytical Engine Group" in html
    assert "<b>1,866</b> citations" in html
    assert "Weaving Algebraical Patterns" not in html  # the sixth paper
    assert "<span class=\"by\">Alan Turing, A. Lovelace, Alan Kay et al.</span>" in html
    assert "prefers-color-scheme:dark" in html


def test_card_html_escapes_content(env, index, config):
    html = render_card_html(env, card_for(index, config, "mallory")).decode()
    assert "<script>alert" not in html and "<img" not in html
    assert "Mallory &lt;script&gt;alert(1)&lt;/script&gt; &#34;Quote&#34; &amp; Co" in html


def test_embed_js_is_small_and_has_no_dependencies(env):
    source = embed_js(env)
    assert len(gzip.compress(source, 9)) < MAX_EMBED_GZIP
    text = source.decode()
    assert "import " not in text and "require(" not in text
    assert "innerHTML" not in text and "insertAdjacentHTML" not in text
    assert 'customElements.define(TAG' in text and 'var TAG = "researcher-card"' in text


def test_page_kinds_render_by_slug(env, index, config):
    assert card_path(KIND_HTML, "x") == "authors/x/card.html"
    assert card_path(KIND_JSON, "x") == "authors/x/card.json"
    assert card_path(KIND_OEMBED, "x") == "authors/x/oembed.json"
    assert KIND_EMBED_JS in CARD_KINDS
    assert render_card_page(env, index, config, KIND_EMBED_JS, "") == embed_js(env)
    data = json.loads(render_card_page(env, index, config, KIND_JSON, "alan-turing"))
    assert data["name"] == "Alan Turing"


def test_oembed_document(index, config):
    card = card_for(index, config, "ada-lovelace")
    data = oembed_dict(card)
    assert data["version"] == "1.0" and data["type"] == "rich"
    assert data["width"] == 400 and data["height"] == iframe_height(card)
    assert data["html"] == iframe_snippet(card)
    assert data["author_url"] == "https://lab.example.org/pubs/authors/ada-lovelace/"
    assert data["provider_name"] == "Learning Lab"
    assert oembed_link(card) == (
        '<link rel="alternate" type="application/json+oembed" '
        'href="https://lab.example.org/pubs/authors/ada-lovelace/oembed.json" '
        'title="Publications of Ada Lovelace">'
    )


def test_snippets_escape_attributes(index, config):
    card = card_for(index, config, "mallory")
    frame = iframe_snippet(card)
    assert 'title="Publications of Mallory &lt;script&gt;alert(1)&lt;/script&gt; &quot;Quote&quot; &amp; Co"' in frame
    assert re.fullmatch(r'<iframe src="[^"<>]+" title="[^"<>]+" width="400" height="\d+" loading="lazy" style="border:0;max-width:100%"></iframe>', frame)
    assert component_snippet(card, 3, "compact") == (
        '<script src="https://lab.example.org/pubs/embed.js" defer></script>\n'
        '<researcher-card src="https://lab.example.org/pubs/authors/mallory/card.json" '
        'papers="3" layout="compact"></researcher-card>'
    )


def test_embed_js_agrees_with_the_card_contract(env):
    from sitegen.cards.data import JSON_PAPERS, SCHEMA_VERSION

    text = embed_js(env).decode()
    assert f"var SCHEMA = {SCHEMA_VERSION};" in text
    assert f"var MAX_PAPERS = {JSON_PAPERS};" in text
    assert '"researcher-card:height"' in text
    assert '"researcher-card:height"' in render_card_html_for_check(env)


def render_card_html_for_check(env) -> str:
    from sitegen.cards.data import Card

    card = Card(slug="s", name="N", url="/a/", card_url="/c", json_url="/j", oembed_url="/o",
                embed_js_url="/e", affiliation="", metrics={}, paper_count=0, papers=(),
                site_title="T", site_url="/", lang="en")
    html = render_card_html(env, card).decode()
    assert "No papers listed yet." in html and "All 0 papers" in html
    return html
