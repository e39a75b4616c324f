"""Find markup that would run script: what injected content looks like once it is live.

The scan is structural, not a text search: the page is parsed as a browser would, and a
finding is an executable ``<script>``, an ``on*`` event attribute, a ``javascript:`` (or
``vbscript:`` / ``data:text/html``) URL in any URL-bearing attribute, ``srcdoc``, or a
refresh to such a URL. Feeds and JSON are scanned where their text is HTML a reader renders.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from sitecheck.page import URL_METAS, Page, parse_page

URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "cite",
    "background",
    "srcset",
    "imagesrcset",
    "ping",
}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
CONTROL = re.compile(r"[\x00-\x20]")
HTML_FEED_TAGS = {"description", "encoded"}  # RSS description, content:encoded


def dangerous_url(value: str) -> bool:
    """Browsers drop ASCII whitespace and control characters before reading the scheme."""
    squashed = CONTROL.sub("", value).lower()
    return squashed.startswith(BAD_SCHEMES) or "url=javascript:" in squashed


def _url_meta(attrs: dict[str, str]) -> bool:
    """Meta tags whose content is followed as a URL; a title in a meta tag is only text."""
    if attrs.get("http-equiv", "").lower() == "refresh":
        return True
    key = (attrs.get("property") or attrs.get("name") or "").lower()
    return key in URL_METAS


def scan_page(page: Page) -> list[str]:
    findings = []
    for script in page.scripts:
        if script.executable and script.text.strip() and "alert" in script.text:
            findings.append(f"executable <script> containing: {script.text.strip()[:120]!r}")
    for el in page.elements:
        for name, value in el.attrs.items():
            if name.startswith("on"):
                findings.append(f"line {el.line}: <{el.tag} {name}={value[:80]!r}>")
            elif name == "srcdoc":
                findings.append(f"line {el.line}: <{el.tag} srcdoc=...>")
            elif name in URL_ATTRIBUTES and dangerous_url(value):
                findings.append(f"line {el.line}: <{el.tag} {name}={value[:80]!r}>")
        if el.tag == "meta" and _url_meta(el.attrs) and dangerous_url(el.attrs.get("content", "")):
            findings.append(f"line {el.line}: <meta content={el.attrs['content'][:80]!r}>")
        if el.tag in ("iframe", "object", "embed", "frame"):
            findings.append(f"line {el.line}: unexpected <{el.tag}> element")
    return findings


def scan_html(text: str) -> list[str]:
    return scan_page(parse_page(text))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].lower()


def scan_xml(text: str) -> list[str]:
    findings = []
    try:
        root = ET.fromstring(text.encode("utf-8"))
    except ET.ParseError as exc:
        return [f"XML does not parse: {exc}"]
    for el in root.iter():
        name = _local(el.tag)
        if name == "script":
            findings.append(f"<{name}> element in XML")
        for attr, value in el.attrib.items():
            local_attr = _local(attr)
            if (
                local_attr.startswith("on")
                or local_attr in ("href", "src")
                and dangerous_url(value)
            ):
                findings.append(f"<{name} {local_attr}={value[:80]!r}>")
        if dangerous_url((el.text or "").strip()) and name in ("link", "loc", "id", "url"):
            findings.append(f"<{name}>{(el.text or '').strip()[:80]}</{name}>")
        is_html = el.attrib.get("type", "").lower() in ("html", "text/html") or (
            name in HTML_FEED_TAGS
        )
        if is_html and el.text:
            findings.extend(f"in <{name}> (HTML): {f}" for f in scan_html(el.text))
    return findings


def _walk_json(value: Any, key: str, findings: list[str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _walk_json(v, str(k), findings)
    elif isinstance(value, list):
        for v in value:
            _walk_json(v, key, findings)
    elif isinstance(value, str):
        low = key.lower()
        if "html" in low:
            findings.extend(f"in JSON {key!r} (HTML): {f}" for f in scan_html(value))
        if low in ("url", "href", "link", "src", "image", "@id", "sameas") and dangerous_url(value):
            findings.append(f"JSON {key!r}: {value[:80]!r}")


def scan_json(text: str) -> list[str]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        return [f"JSON does not parse: {exc}"]
    findings: list[str] = []
    if isinstance(data, dict) and data.get("version") == "1.0" and data.get("type") == "rich":
        # An oEmbed "rich" response: its html is an <iframe> by design; check the rest of it.
        data = {**data, "html": re.sub(r"<iframe\b", "<x-frame", str(data.get("html", "")))}
    _walk_json(data, "", findings)
    return findings


SCANNERS = {
    ".html": scan_html,
    ".htm": scan_html,
    ".xml": scan_xml,
    ".atom": scan_xml,
    ".rss": scan_xml,
    ".json": scan_json,
    ".webmanifest": scan_json,
}


def scan_file(path: Path) -> list[str] | None:
    """Findings for one output file, or None for a kind of file that carries no markup."""
    scanner = SCANNERS.get(path.suffix.lower())
    if scanner is None:
        return None
    return scanner(path.read_text(encoding="utf-8"))
