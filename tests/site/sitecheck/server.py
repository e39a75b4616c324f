"""Serve a built folder the way GitHub Pages does, under a URL prefix, on 127.0.0.1.

A project site on Pages lives under ``/<repo>/``; anything outside that prefix belongs to
someone else and is a plain 404. Inside it, ``/x/`` serves ``/x/index.html``, ``/x`` for a
folder redirects to ``/x/``, ``/x`` may also serve ``x.html``, and a missing file answers the
site's ``404.html`` with status 404. Serving the real files this way is what lets a crawl
catch links that only work when the site sits at the domain root.
"""

from __future__ import annotations

import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

EXTRA_TYPES = {
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".css": "text/css",
}


def normalize_prefix(prefix: str) -> str:
    """``lab-site`` / ``/lab-site`` / ``/lab-site/`` all mean ``/lab-site/``."""
    stripped = prefix.strip("/")
    return f"/{stripped}/" if stripped else "/"


@dataclass(frozen=True)
class Resolved:
    """What a request path maps to: a file with a status, or a redirect location."""

    status: int
    file: Path | None = None
    location: str | None = None


def resolve(root: Path, prefix: str, url_path: str) -> Resolved:
    """Map a URL path to a file under ``root`` with Pages semantics (pure, no I/O but stat)."""
    prefix = normalize_prefix(prefix)
    path = unquote(urlsplit(url_path).path)
    if path + "/" == prefix:
        return Resolved(301, location=prefix)
    if not path.startswith(prefix):
        return Resolved(404)
    rel = path[len(prefix) :]
    parts = [p for p in rel.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return Resolved(404)
    target = root.joinpath(*parts) if parts else root
    if target.is_dir():
        if rel and not rel.endswith("/"):
            return Resolved(301, location=path + "/")
        index = target / "index.html"
        if index.is_file():
            return Resolved(200, file=index)
    elif target.is_file():
        return Resolved(200, file=target)
    elif parts and not rel.endswith("/"):
        sibling = target.with_name(target.name + ".html")
        if sibling.is_file():
            return Resolved(200, file=sibling)
    not_found = root / "404.html"
    return Resolved(404, file=not_found if not_found.is_file() else None)


def content_type(path: Path) -> str:
    kind = EXTRA_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    if kind.startswith("text/") or kind.endswith(("+xml", "/xml", "/json", "javascript")):
        kind += "; charset=utf-8"
    return kind


def _handler(root: Path, prefix: str) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
            self._answer(body=True)

        def do_HEAD(self) -> None:  # noqa: N802
            self._answer(body=False)

        def _answer(self, *, body: bool) -> None:
            found = resolve(root, prefix, self.path)
            self.send_response(found.status)
            if found.location:
                self.send_header("Location", found.location)
            data = found.file.read_bytes() if found.file else b"not found\n"
            kind = content_type(found.file) if found.file else "text/plain; charset=utf-8"
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            """Quiet: a crawl makes hundreds of requests and failures are reported by tests."""

    return Handler


@dataclass(frozen=True)
class Site:
    """A running server: ``url`` is the site's root, e.g. ``http://127.0.0.1:PORT/lab-site/``."""

    root: Path
    prefix: str
    origin: str

    @property
    def url(self) -> str:
        return self.origin + self.prefix


@contextmanager
def serve(root: Path, prefix: str = "/") -> Iterator[Site]:
    """Serve ``root`` under ``prefix`` on an ephemeral port in a daemon thread."""
    prefix = normalize_prefix(prefix)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(Path(root), prefix))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield Site(root=Path(root), prefix=prefix, origin=f"http://{host}:{port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
