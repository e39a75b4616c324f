"""``sitegen serve``: build, serve the output folder, rebuild on change, reload open pages.

Why not python-livereload's ``Server`` (the issue asks for "livereload", and it is a
dependency): its reload handler drops every change that arrives within about three seconds
of the previous reload (``DEFAULT_RELOAD_TIME``, kept with the other state in class
attributes, so one server per process), so the second of two quick saves never reaches the
page; it accepts the reload websocket from any origin (``check_origin`` returns True); its
fallback watcher polls every 800 ms; and files go through Tornado's static handler, whose
containment rules we would have to re-audit. Working around all of that means replacing most
of it. The preview here is the standard library's ``ThreadingHTTPServer`` plus a send-only
WebSocket (see :mod:`sitegen.serve.websocket` for why not Server-Sent Events) and a small
client served by the preview itself (no CDN), which gives a reliable reload with nothing to
patch.

Moving parts, each in its own module: ``watcher`` (stat polling) -> ``rebuild`` (debounce,
one build per burst, the incremental engine from ``engine``) -> ``events`` (generations) ->
the reload socket the injected ``client`` listens to. ``paths`` keeps requests inside the
output folder, ``origin`` keeps foreign pages off the socket, ``overlay`` shows failures.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import mimetypes
import os
import signal
import socket
import sys
import threading
import traceback
import webbrowser
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sitegen.cards.cors import CORSRequestHandler, cors_headers, preflight_headers
from sitegen.errors import SitegenError
from sitegen.serve import websocket
from sitegen.serve.client import CLIENT_JS
from sitegen.serve.engine import Options, Served, make_builder, served_site
from sitegen.serve.events import Hub
from sitegen.serve.inject import CLIENT_PATH, RESERVED_PREFIX, SOCKET_PATH, client_tag, inject
from sitegen.serve.origin import socket_allowed
from sitegen.serve.overlay import BuildFailure, error_page, failure_from, overlay_html
from sitegen.serve.paths import resolve
from sitegen.serve.rebuild import (
    DEBOUNCE_SECONDS,
    Outcome,
    Rebuilder,
    run_build,
)
from sitegen.serve.watcher import POLL_SECONDS, PollingWatcher

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
KEEPALIVE_SECONDS = 10.0
REQUEST_TIMEOUT = 10.0  # a client that connects and says nothing cannot hold shutdown up
TYPES = {
    **CORSRequestHandler.extensions_map,
    ".xml": "application/xml",
    ".atom": "application/atom+xml",
    ".svg": "image/svg+xml",
    ".css": "text/css",
    ".bib": "text/plain",
    ".txt": "text/plain",
    ".html": "text/html",
}
_TEXTUAL = ("text/", "application/json", "application/xml", "application/atom+xml",
            "image/svg+xml", "text/javascript")


def content_type(path: Path) -> str:
    kind = TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    kind = kind or "application/octet-stream"
    return f"{kind}; charset=utf-8" if kind.startswith(_TEXTUAL) else kind


@dataclass(frozen=True)
class View:
    """What a request sees: one consistent picture of the preview's state."""

    served: Served
    failure: BuildFailure | None
    generation: int


class PreviewState:
    """Where the site is, whether the last build failed; shared by request threads."""

    def __init__(self, served: Served, hub: Hub) -> None:
        self._lock = threading.Lock()
        self._served = served
        self._failure: BuildFailure | None = None
        self.hub = hub

    def update(self, served: Served, failure: BuildFailure | None) -> None:
        with self._lock:
            self._served = served
            self._failure = failure

    def view(self) -> View:
        with self._lock:
            return View(self._served, self._failure, self.hub.generation)


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: PreviewState) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.state = state
        super().__init__(address, PreviewHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """A browser that drops a connection (reload while loading) is not worth a traceback."""
        if isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


class PreviewHandler(BaseHTTPRequestHandler):
    """GET/HEAD/OPTIONS for the site, the client script and the reload socket."""

    server: PreviewHTTPServer
    server_version = "sitegen-serve"
    protocol_version = "HTTP/1.0"
    timeout = REQUEST_TIMEOUT

    # -- plumbing ---------------------------------------------------------------------------
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        """Quiet: the terminal shows builds, not every request."""

    def _send(self, status: int, body: bytes, ctype: str, *, head: bool = False,
              extra: list[tuple[str, str]] | None = None, cors: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for name, value in (cors_headers() if cors else []) + (extra or []):
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _html(self, status: int, html: bytes, view: View, *, head: bool) -> None:
        snippet = (overlay_html(view.failure) if view.failure else "") + client_tag(
            view.generation)
        self._send(status, inject(html, snippet), "text/html; charset=utf-8", head=head)

    def _plain_page(self, title: str, text: str) -> bytes:
        return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
                f"<title>{escape(title)}</title>\n</head>\n<body>\n<h1>{escape(title)}</h1>\n"
                f"<p>{escape(text)}</p>\n</body>\n</html>\n").encode()

    # -- methods ----------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - the stdlib's naming scheme
        self._answer(head=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._answer(head=True)

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(204)
        for name, value in preflight_headers():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _answer(self, *, head: bool) -> None:
        path = self.path.partition("?")[0]
        if path == CLIENT_PATH:
            self._send(200, CLIENT_JS.encode("utf-8"), "text/javascript; charset=utf-8",
                       head=head)
            return
        if path == SOCKET_PATH and not head:
            self._socket()
            return
        view = self.server.state.view()
        if path.startswith(RESERVED_PREFIX):
            self._send(404, b"not found\n", "text/plain; charset=utf-8", head=head)
            return
        root, prefix = view.served.out_dir, view.served.prefix
        target = resolve(root, prefix, self.path)
        if target.location is not None:
            self._send(target.status, b"", "text/plain; charset=utf-8", head=head,
                       extra=[("Location", target.location)])
        elif target.status == 400:
            self._send(400, self._plain_page("Bad request", "This path is not allowed."),
                       "text/html; charset=utf-8", head=head)
        elif target.file is not None:
            try:
                data = target.file.read_bytes()
            except OSError:  # replaced by a build between lookup and read
                self._not_found(view, head=head)
                return
            kind = content_type(target.file)
            if kind.startswith("text/html"):
                self._html(200, data, view, head=head)
            else:
                self._send(200, data, kind, head=head)
        elif view.failure is not None and not root.is_dir():
            self._html(500, error_page(view.failure).encode("utf-8"), view, head=head)
        else:
            self._not_found(view, head=head)

    def _not_found(self, view: View, *, head: bool) -> None:
        page = resolve(view.served.out_dir, view.served.prefix, view.served.prefix + "404.html")
        body = b""
        if page.file is not None:
            with contextlib.suppress(OSError):
                body = page.file.read_bytes()
        if not body:
            body = self._plain_page("Not found", f"The site is served under {view.served.prefix}")
        self._html(404, body, view, head=head)

    def _socket(self) -> None:
        """The reload channel: one message per change the page has not seen, pings between."""
        server = self.server
        if not socket_allowed(self.headers, server.server_address[0], server.port):
            self._send(403, b"forbidden\n", "text/plain; charset=utf-8", cors=False)
            return
        if not websocket.is_upgrade(self.headers):
            self._send(400, b"expected a WebSocket upgrade\n", "text/plain; charset=utf-8",
                       cors=False)
            return
        hub = server.state.hub
        seen = _seen_generation(self.path, hub.generation)
        self.protocol_version = "HTTP/1.1"  # RFC 6455 wants an HTTP/1.1 status line
        self.send_response(101, "Switching Protocols")
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        self.send_header("Sec-WebSocket-Accept",
                         websocket.accept_key(self.headers["Sec-WebSocket-Key"]))
        self.end_headers()
        self.close_connection = True
        try:
            self.wfile.flush()
            while True:
                change = hub.wait(seen, KEEPALIVE_SECONDS)
                if hub.closed:
                    self.wfile.write(websocket.close_frame())
                    return
                if change is None:
                    self.wfile.write(websocket.ping_frame())
                else:
                    message = {"kind": change.kind, **change.payload()}
                    self.wfile.write(websocket.text_frame(json.dumps(message)))
                    seen = change.generation
                self.wfile.flush()
        except OSError:
            return  # the page went away (reload, tab closed)


def _seen_generation(raw_path: str, current: int) -> int:
    """The generation the page shows (``?since=``); a page that does not say is current."""
    for text in parse_qs(urlsplit(raw_path).query).get("since", []):
        if text.strip().isdigit():
            return int(text.strip())
    return current


_FORK_HOOK: list[bool] = []


def _child_signals() -> None:
    """In a process forked by the build (render pool, cache saver): default dispositions.

    Children inherit the preview's Python-level handlers; a pool worker that only sets the
    parent's stop flag on SIGTERM would never die, and the pool's shutdown would wait for
    it forever. Ctrl-C reaches the whole process group: children ignore it, and the parent
    lets the running build finish before it stops.
    """
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _reset_signals_in_children() -> None:
    if not _FORK_HOOK and hasattr(os, "register_at_fork"):
        os.register_at_fork(after_in_child=_child_signals)
        _FORK_HOOK.append(True)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class Preview:
    """The running preview: initial build, HTTP server, watcher and rebuild threads."""

    def __init__(self, options: Options, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
                 debounce: float = DEBOUNCE_SECONDS, poll: float = POLL_SECONDS,
                 say: Callable[[str], None] | None = None) -> None:
        self.options = options
        self.host = host
        self.port = port
        self.say = say or (lambda message: print(message, flush=True))
        self.builder = make_builder(options)
        self.hub = Hub()
        self.state = PreviewState(served_site(options), self.hub)
        self.rebuilder = Rebuilder(self.builder, self._apply, debounce=debounce)
        self.watcher = PollingWatcher(self._watch_paths(), self.rebuilder.notify, interval=poll,
                                      paused=self.rebuilder.building)
        self.httpd: PreviewHTTPServer | None = None
        self._serve_thread: threading.Thread | None = None

    # -- builds -----------------------------------------------------------------------------
    def _watch_paths(self) -> list[Path]:
        return [Path(p) for p in self.builder.watch_paths]

    def _bases(self) -> list[Path]:
        """Folders that relative file names in error messages may be relative to."""
        bases = [self.options.project_dir, Path.cwd()]
        watched = self._watch_paths()
        if watched:
            bases.append(watched[0].parent)  # the content folder's parent
        return bases

    def _apply(self, outcome: Outcome) -> None:
        """Publish a finished build: new state first, then the event pages wait for."""
        served = served_site(self.options, self.state.view().served)
        failure = None
        if outcome.error is not None:
            failure = failure_from(outcome.error, self._bases())
            if failure.internal:
                traceback.print_exception(outcome.error, file=sys.stderr)
        previous = self.state.view()
        stylesheets = self._stylesheets(outcome, served) if previous.failure is None else ()
        self.state.update(served, failure)
        unchanged = (outcome.ok and previous.failure is None and self.hub.generation > 0
                     and not outcome.written and not outcome.deleted
                     and served == previous.served)
        if not unchanged:  # a save that changed no output byte leaves open pages alone
            self.hub.publish("css" if stylesheets else "reload", stylesheets)
        self.watcher.set_roots(self._watch_paths())
        self._report(outcome, failure)

    def _stylesheets(self, outcome: Outcome, served: Served) -> tuple[str, ...]:
        """New stylesheet URLs when the build changed nothing but CSS, else ()."""
        if not outcome.ok or not outcome.changed:
            return ()
        if any(p.suffix.lower() != ".css" for p in outcome.changed):
            return ()
        sheets = [f for f in outcome.written if f.startswith("static/") and f.endswith(".css")]
        return tuple(served.prefix + f for f in sorted(sheets))

    def _report(self, outcome: Outcome, failure: BuildFailure | None) -> None:
        took = f"{outcome.seconds * 1000:.0f} ms"
        if failure is not None:
            self.say(f"error: {failure}")
            return
        what = "built" if outcome.changed is None else "rebuilt"
        names = ""
        if outcome.changed:
            shown = sorted(p.name for p in outcome.changed)
            names = f" ({', '.join(shown[:3])}{', ...' if len(shown) > 3 else ''})"
        self.say(f"{what} {len(outcome.written)} files in {took}{names}")

    # -- life cycle -------------------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self.httpd is not None, "start() first"
        host = self.host if not self._wildcard() else "127.0.0.1"
        if ":" in host:
            host = f"[{host.strip('[]')}]"
        return f"http://{host}:{self.httpd.port}{self.state.view().served.prefix}"

    def _wildcard(self) -> bool:
        return self.host in ("", "0.0.0.0", "::")

    def start(self) -> str:
        """Take the port, build once (a failure is shown in the browser), serve and watch."""
        try:
            self.httpd = PreviewHTTPServer((self.host, self.port), self.state)
        except OSError as exc:
            raise SitegenError(f"cannot listen on {self.host}:{self.port}: {exc.strerror}",
                               key="--port") from None
        outcome = run_build(self.builder, None)
        self.rebuilder.record(outcome)
        self._apply(outcome)
        self._serve_thread = threading.Thread(target=self.httpd.serve_forever,
                                              kwargs={"poll_interval": 0.2},
                                              name="sitegen-http", daemon=True)
        self._serve_thread.start()
        self.rebuilder.start()
        self.watcher.start()
        if not is_loopback(self.host):
            self.say(f"warning: listening on {self.host or 'all interfaces'}: other machines "
                     "can reach this preview")
        self.say(f"Serving {self.url} (Ctrl-C to stop)")
        return self.url

    def stop(self) -> None:
        """Stop watching, finish a running build, close every socket, release the port."""
        self.watcher.stop()
        self.rebuilder.stop()
        self.hub.close()
        if self.httpd is not None:
            if self._serve_thread is not None:  # shutdown() waits for a running loop only
                self.httpd.shutdown()
                self._serve_thread.join()
            self.httpd.server_close()  # joins the request threads

    def run(self, *, open_browser: bool = False) -> int:
        """Serve until SIGINT or SIGTERM; exit status 0 after a clean stop."""
        stop = threading.Event()
        previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

        def on_signal(_signum: int, _frame: object) -> None:
            stop.set()

        _reset_signals_in_children()
        for sig in previous:
            signal.signal(sig, on_signal)
        try:
            self.start()
            if open_browser:
                webbrowser.open(self.url)
            while not stop.wait(0.5):
                pass
            self.say("stopping")
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0
