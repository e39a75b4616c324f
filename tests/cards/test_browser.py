"""The two embed forms in a real headless Chromium, embedded cross-origin in a hostile page.

The built site is served on one loopback port with ``Access-Control-Allow-Origin: *`` (as
GitHub Pages serves it); a "lab page" on another port embeds an author's card as an iframe
and as ``<researcher-card>`` under CSS that paints everything red at 40px. Screenshots land
in tests/.artifacts/.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.cards.cors import cors_handler
from sitegen.cards.lookup import project_snippets

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "tests" / ".artifacts"
HOSTILE_CSS = "* { color: red !important; font-size: 40px !important }"
RED = "rgb(255, 0, 0)"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002
        pass


@contextmanager
def _serve(handler) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _host_page(iframe: str, component: str, extra: str = "") -> str:
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Our lab</title>
<style>{HOSTILE_CSS}
body {{ margin: 16px; background: #f4f1ea; font-family: serif }}
.row {{ display: flex; gap: 24px; align-items: flex-start }}
researcher-card {{ width: 420px }}
</style></head>
<body><h1>Our lab</h1>
<div class="row">
<section id="frame">{iframe}</section>
<section id="component">{component}</section>
</div>
{extra}
</body></html>
"""


@pytest.fixture(scope="module")
def servers(tmp_path_factory, site_dir) -> Iterator[dict]:
    root = tmp_path_factory.mktemp("cards-site")
    host_root = tmp_path_factory.mktemp("cards-host")
    with _serve(cors_handler(root)) as site, _serve(
        lambda *a, **k: _Quiet(*a, directory=str(host_root), **k)
    ) as host:
        base = f"{site}/pubs/"
        build(site_dir, out_dir=root / "pubs", base_url=base, quiet=True)
        ada = project_snippets(site_dir, "Ada Lovelace", base_url=base)
        mallory = project_snippets(site_dir, "Mallory", base_url=base, layout="compact")
        (host_root / "index.html").write_text(_host_page(ada.iframe, ada.component))
        (host_root / "hostile-data.html").write_text(_host_page(mallory.iframe, mallory.component))
        missing = ada.component.replace("ada-lovelace/card.json", "nobody/card.json")
        (host_root / "missing.html").write_text(_host_page("", missing))
        yield {"site": site, "host": host, "root": root / "pubs", "ada": ada}


@pytest.fixture(scope="module")
def browser(system_chromium):
    return system_chromium


@contextmanager
def _page(browser, scheme: str = "light"):
    """A page that records console errors, page errors, dialogs and non-loopback requests."""
    context = browser.new_context(color_scheme=scheme, viewport={"width": 960, "height": 760})
    seen = {"errors": [], "outside": [], "dialogs": []}

    def gate(route):
        url = route.request.url
        if url.startswith("http://127.0.0.1:"):
            route.continue_()
        else:
            seen["outside"].append(url)
            route.abort()

    context.route("**/*", gate)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    try:
        yield page, seen
    finally:
        context.close()


def _component_ready(page) -> None:
    page.wait_for_function(
        "() => { const c = document.querySelector('researcher-card');"
        " return c && c.shadowRoot && c.shadowRoot.querySelector('footer, .error'); }"
    )


def _frame(page):
    frame = page.frame_locator("#frame iframe")
    frame.locator("footer").wait_for()
    return next(f for f in page.frames if f.url.endswith("/card.html"))


# Collects, for every element with its own text, its colours and font size; the effective
# background is the nearest ancestor's (shadow roots are crossed through their host).
_STYLES_JS = """
(root) => {
  const out = [];
  const bg = (el) => {
    for (let n = el; n; n = n.parentElement || (n.getRootNode() && n.getRootNode().host)) {
      const c = getComputedStyle(n).backgroundColor;
      if (c && c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'rgb(255, 255, 255)';
  };
  for (const el of root.querySelectorAll('*')) {
    if (['STYLE', 'SCRIPT', 'HEAD', 'TITLE', 'META', 'HTML'].includes(el.tagName)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el);
    out.push({tag: el.tagName, text: el.textContent.trim().slice(0, 40), color: s.color,
              size: s.fontSize, background: bg(el)});
  }
  return out;
}
"""


def _rgb(css: str) -> tuple[float, ...]:
    return tuple(float(v) for v in css[css.index("(") + 1 : css.index(")")].split(",")[:3])


def _contrast(fg: str, bg: str) -> float:
    def lum(rgb):
        def ch(c):
            c /= 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        r, g, b = (ch(c) for c in rgb)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    a, b = sorted((lum(_rgb(fg)), lum(_rgb(bg))), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _check_styles(styles: list[dict], where: str) -> None:
    assert styles, f"no text found in {where}"
    for s in styles:
        assert s["color"] != RED, f"{where}: host CSS leaked into {s}"
        assert s["size"] != "40px", f"{where}: host CSS leaked into {s}"
        assert _contrast(s["color"], s["background"]) >= 4.5, f"{where}: low contrast {s}"


def _expected(servers) -> dict:
    return json.loads((servers["root"] / "authors/ada-lovelace/card.json").read_text())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_forms_render_isolated_cross_origin(browser, servers, scheme):
    data = _expected(servers)
    titles = [p["title"] for p in data["papers"][:5]]
    with _page(browser, scheme) as (page, seen):
        page.goto(servers["host"] + "/index.html")
        _component_ready(page)
        frame = _frame(page)

        # the web component, in its shadow root
        card = page.locator("researcher-card")
        assert card.locator(".name").inner_text() == "Ada Lovelace"
        assert card.locator(".name").evaluate("e => e.tagName") == "H2"
        assert card.locator("ol .title").all_inner_texts() == titles
        assert card.locator("article").get_attribute("lang") == "en"
        hrefs = card.locator("ol a").evaluate_all("as => as.map(a => a.href)")
        assert hrefs == [p["url"] for p in data["papers"][:5]]
        _check_styles(card.evaluate(f"(c) => ({_STYLES_JS})(c.shadowRoot)"), "component")

        # the iframe
        assert frame.locator("h1").inner_text() == "Ada Lovelace"
        assert frame.locator("ol a").all_inner_texts() == titles
        _check_styles(frame.evaluate(f"() => ({_STYLES_JS})(document)"), "iframe")

        # the page's own text is still red: the hostile CSS is really in force
        assert page.locator("h1").evaluate("e => getComputedStyle(e).color") == RED

        # embed.js sizes the iframe to card.html's own height
        content = frame.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
        page.wait_for_function(
            f"() => document.querySelector('#frame iframe').getBoundingClientRect().height == {content}"
        )

        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"cards-{scheme}.png"), full_page=True)
        assert seen == {"errors": [], "outside": [], "dialogs": []}


def test_snippet_height_fits_the_card(browser, servers):
    """Without embed.js an iframe keeps the oEmbed height: it must hold the whole card."""
    with _page(browser) as (page, seen):
        page.set_viewport_size({"width": 400, "height": 600})
        for folder in sorted((servers["root"] / "authors").iterdir()):
            if not (folder / "oembed.json").is_file():
                continue
            declared = json.loads((folder / "oembed.json").read_text())["height"]
            page.goto(f"{servers['site']}/pubs/authors/{folder.name}/card.html")
            height = page.evaluate(
                "Math.ceil(document.documentElement.getBoundingClientRect().height)"
            )
            assert height <= declared <= height + 45, (folder.name, height, declared)
        assert seen["errors"] == [] and seen["outside"] == []


def test_hostile_data_is_shown_as_text(browser, servers):
    name = 'Mallory <script>alert(1)</script> "Quote" & Co'
    with _page(browser) as (page, seen):
        page.goto(servers["host"] + "/hostile-data.html")
        _component_ready(page)
        frame = _frame(page)
        card = page.locator("researcher-card")
        assert card.locator(".name").inner_text() == name
        assert card.locator(".aff").inner_text() == "<img src=x onerror=alert(2)>"
        assert card.locator("article").get_attribute("class") == "card compact"
        assert card.evaluate("c => c.shadowRoot.querySelectorAll('script, img').length") == 0
        assert frame.locator("h1").inner_text() == name
        assert frame.evaluate("document.querySelectorAll('img').length") == 0
        page.screenshot(path=str(ARTIFACTS / "cards-hostile-data-compact.png"), full_page=True)
        assert seen == {"errors": [], "outside": [], "dialogs": []}


def test_fetch_failure_shows_a_message(browser, servers):
    with _page(browser) as (page, seen):
        page.goto(servers["host"] + "/missing.html")
        _component_ready(page)
        alert = page.locator("researcher-card").locator(".error")
        assert alert.inner_text() == "Publications could not be loaded (HTTP 404)."
        assert alert.get_attribute("role") == "alert"
        page.screenshot(path=str(ARTIFACTS / "cards-fetch-error.png"), full_page=True)
        # the only console error is the browser's own report of the 404
        assert all("404" in e for e in seen["errors"]) and seen["outside"] == []


def test_author_page_advertises_oembed(servers):
    html = (servers["root"] / "authors/ada-lovelace/index.html").read_text()
    oembed = f"{servers['site']}/pubs/authors/ada-lovelace/oembed.json"
    assert f'type="application/json+oembed" title="Publications of Ada Lovelace" href="{oembed}"' in html
    data = json.loads((servers["root"] / "authors/ada-lovelace/oembed.json").read_text())
    assert data["html"] == servers["ada"].iframe
    assert (servers["root"] / "embed.js").read_bytes() == (REPO / "templates/static/embed.js").read_bytes()


AXE_JS = REPO / "tests" / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_RUN_AXE = """async ([selector, tags]) => {
    const context = selector ? {include: [[selector]]} : document;
    const r = await axe.run(context, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
    return r.violations.map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '));
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_cards_pass_axe(browser, servers, scheme):
    assert AXE_JS.is_file(), f"{AXE_JS} is missing: run .ci/run (npm install axe-core@4 into tests/.cache/axe)"
    with _page(browser, scheme) as (page, seen):
        page.goto(servers["ada"].card.card_url)
        page.add_script_tag(path=str(AXE_JS))
        assert page.evaluate(_RUN_AXE, [None, WCAG_TAGS]) == []
        page.goto(servers["host"] + "/index.html")
        _component_ready(page)
        page.add_script_tag(path=str(AXE_JS))
        # only the card: the host page's own red-on-beige text is not ours to judge
        assert page.evaluate(_RUN_AXE, ["researcher-card", WCAG_TAGS]) == []
        assert seen["outside"] == []
