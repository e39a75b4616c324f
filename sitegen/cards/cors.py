"""Cross-origin headers for serving a built site the way GitHub Pages does.

Pages answers every file with ``Access-Control-Allow-Origin: *``; that is what lets the
``<researcher-card>`` component on a lab's own site fetch ``card.json`` from the published
site. Any local server (``sitegen serve``, test servers) should send the same headers, so
cards behave locally exactly as they will once published.
"""

from __future__ import annotations

from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

#: Methods a read-only static site answers; used for preflight replies.
ALLOWED_METHODS = "GET, HEAD, OPTIONS"


def cors_headers() -> list[tuple[str, str]]:
    """Headers to add to every response of a static site server (same as GitHub Pages)."""
    return [("Access-Control-Allow-Origin", "*")]


def preflight_headers() -> list[tuple[str, str]]:
    """Headers for an ``OPTIONS`` preflight; plain ``fetch(url)`` never needs one."""
    return [
        *cors_headers(),
        ("Access-Control-Allow-Methods", ALLOWED_METHODS),
        ("Access-Control-Max-Age", "600"),
    ]


class CORSRequestHandler(SimpleHTTPRequestHandler):
    """A quiet static file handler that adds the cross-origin headers to every answer."""

    extensions_map = {
        **SimpleHTTPRequestHandler.extensions_map,
        ".json": "application/json",
        ".js": "text/javascript",
    }

    def end_headers(self) -> None:
        if self.command != "OPTIONS":
            for name, value in cors_headers():
                self.send_header(name, value)
        super().end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802 - the stdlib's naming scheme
        self.send_response(204)
        for name, value in preflight_headers():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Silent: callers report failures themselves."""


def cors_handler(directory: Path) -> partial[CORSRequestHandler]:
    """A handler class bound to ``directory``, ready for ``ThreadingHTTPServer``."""
    return partial(CORSRequestHandler, directory=str(directory))
