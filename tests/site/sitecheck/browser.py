"""Headless Chromium (the system's, never a downloaded one) with everything a page does recorded.

``watch`` attaches to a page before it loads: every request (requests to any host other
than 127.0.0.1 are recorded and aborted, so a test stays offline and fast), console
errors, uncaught exceptions and dialogs (an ``alert`` is how injected script shows itself).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from sitecheck.vnu import ToolMissing

CHROMIUM = Path(os.environ.get("SITECHECK_CHROMIUM", "/usr/bin/chromium"))
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1"}
HOSTLESS_SCHEMES = {"data", "blob", "about"}


def launch(playwright):  # -> playwright Browser
    """Launch the system Chromium; a missing browser is an error, not a reason to skip."""
    if not CHROMIUM.is_file():
        raise ToolMissing(
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium), "
            "the browser tests need it"
        )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)


@dataclass
class Watch:
    requests: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in HOSTLESS_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


def watch(page) -> Watch:
    """Record what ``page`` does from now on (see the module docstring)."""
    seen = Watch()

    def route(route) -> None:
        url = route.request.url
        seen.requests.append(url)
        if is_local(url):
            route.continue_()
        else:
            seen.external.append(url)
            route.abort()

    def dialog(d) -> None:
        seen.dialogs.append(f"{d.type}: {d.message}")
        d.dismiss()

    def console(msg) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            seen.console_errors.append(
                f"{msg.text} ({loc.get('url', '')}:{loc.get('lineNumber', '')})"
            )

    page.route("**/*", route)
    page.on("dialog", dialog)
    page.on("console", console)
    page.on("pageerror", lambda exc: seen.page_errors.append(str(exc)))
    page.on(
        "response",
        lambda res: (
            seen.bad_responses.append(f"{res.status} {res.url}") if res.status >= 400 else None
        ),
    )
    page.on(
        "requestfailed",
        lambda req: seen.failed.append(f"{req.url}: {req.failure}") if is_local(req.url) else None,
    )
    return seen


def overflow(page) -> dict[str, int]:
    """Document width against the viewport: a phone layout must not scroll sideways."""
    return page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            bodyScrollWidth: document.body ? document.body.scrollWidth : 0,
        })"""
    )


def widest_elements(page, limit: int = 5) -> list[str]:
    """The elements that stick out past the viewport, to say what overflows."""
    return page.evaluate(
        """(limit) => {
            const w = window.innerWidth, out = [];
            for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.right > w + 1 && r.width > 0) {
                    const cls = el.className && typeof el.className === 'string'
                        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
                    out.push(`${el.tagName.toLowerCase()}${cls} right=${Math.round(r.right)}`
                        + ` text=${(el.textContent || '').trim().slice(0, 40)}`);
                }
                if (out.length >= limit) break;
            }
            return out;
        }""",
        limit,
    )
