"""``sitegen serve`` as a process: what it answers over raw HTTP, how it stops, what it writes."""

from __future__ import annotations

import http.client
import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import pytest
from servekit import ServeProcess, copy_site, save, start_serve

pytestmark = pytest.mark.slow

SECRET = "TOP-SECRET-6d1f"


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory):
    """One server for the tests that only read (starting one per case is slow)."""
    server = start_serve(copy_site(tmp_path_factory.mktemp("shared") / "site"))
    try:
        yield server
    finally:
        assert server.interrupt() == 0


def _get(server: ServeProcess, raw_path: str, headers: dict[str, str] | None = None,
         method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest(method, raw_path, skip_host=True, skip_accept_encoding=True)
        all_headers = {"Host": f"127.0.0.1:{server.port}", **(headers or {})}
        for name, value in all_headers.items():
            conn.putheader(name, value)
        conn.endheaders()
        response = conn.getresponse()
        body = response.read() if method != "HEAD" else b""
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def test_pages_headers_and_injection(shared: ServeProcess) -> None:
    status, headers, body = _get(shared, "/papers/engine-notes/")
    assert status == 200
    assert headers["access-control-allow-origin"] == "*"
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert b'<script src="/__sitegen/livereload.js"' in body
    status, headers, body = _get(shared, "/__sitegen/livereload.js")
    assert status == 200 and b"WebSocket" in body
    status, headers, _ = _get(shared, "/papers/engine-notes/", method="OPTIONS")
    assert status == 204 and headers["access-control-allow-methods"] == "GET, HEAD, OPTIONS"
    status, headers, _ = _get(shared, "/feed.xml", method="HEAD")
    assert status == 200 and headers["content-type"].startswith("application/")
    status, _, body = _get(shared, "/no-such-page/")
    assert status == 404 and b"livereload.js" in body


def test_the_script_never_reaches_the_disk(server: ServeProcess) -> None:
    before = server.lines[:]
    save(server.project / "content" / "papers" / "compilers.yaml",
         (server.project / "content" / "papers" / "compilers.yaml").read_text()
         .replace("A Compiler for Everyone", "A Compiler for All"))
    server.wait_for(r"^rebuilt ", start=len(before))
    out = server.project / "output"
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 10
    assert "A Compiler for All" in (out / "papers" / "compilers" / "index.html").read_text()
    for path in files:
        assert b"__sitegen" not in path.read_bytes(), path


@pytest.mark.parametrize("raw", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/papers/..%2f..%2fsecret.txt",
    "/papers/%2e%2e/%2e%2e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt", "//secret.txt",
    "/%2fsecret.txt", "/%00/../secret.txt", "http://127.0.0.1/../secret.txt",
    "/../../../../../../etc/passwd", "/etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/.sitegen-output", "/site.yaml", "/../site.yaml", "*",
])
def test_nothing_outside_the_output_folder(shared: ServeProcess, raw: str) -> None:
    status, _, body = _get(shared, raw)
    assert status in (400, 404), (raw, status)
    assert SECRET.encode() not in body and b"root:x:0:0" not in body


def test_symlinks_pointing_out_are_refused(server: ServeProcess) -> None:
    out = server.project / "output"
    os.symlink(server.project / "secret.txt", out / "leak.txt")
    os.symlink(server.project, out / "up")
    os.symlink("/etc", out / "etc")
    for raw in ("/leak.txt", "/up/secret.txt", "/etc/passwd", "/up/"):
        status, _, body = _get(server, raw)
        assert status == 404, raw
        assert SECRET.encode() not in body and b"root:x:0:0" not in body


@dataclass
class Opened:
    status: int
    headers: dict[str, str]
    sock: socket.socket
    reader: BinaryIO


def _upgrade(port: int, headers: dict[str, str]) -> Opened:
    """Open the reload socket by hand; the status, the headers and the raw connection."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    request = {"Host": f"127.0.0.1:{port}", "Upgrade": "websocket", "Connection": "Upgrade",
               "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13",
               "Origin": f"http://127.0.0.1:{port}", **headers}
    lines = ["GET /__sitegen/socket?since=0 HTTP/1.1"]
    lines += [f"{k}: {v}" for k, v in request.items() if v]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    reader = sock.makefile("rb")
    status = int(reader.readline().split()[1])
    got: dict[str, str] = {}
    while (line := reader.readline().strip()):
        name, _, value = line.decode().partition(":")
        got[name.strip().lower()] = value.strip()
    return Opened(status, got, sock, reader)


def test_reload_socket_only_for_the_served_origin(shared: ServeProcess) -> None:
    port = shared.port
    for bad in ({"Origin": "http://evil.example"}, {"Origin": "null"},
                {"Host": f"evil.example:{port}", "Origin": f"http://evil.example:{port}"},
                {"Sec-Fetch-Site": "cross-site"}):
        opened = _upgrade(port, bad)
        opened.sock.close()
        assert opened.status == 403, bad
        assert "access-control-allow-origin" not in opened.headers
    opened = _upgrade(port, {"Upgrade": ""})
    opened.sock.close()
    assert opened.status == 400
    opened = _upgrade(port, {})
    try:
        assert opened.status == 101
        assert opened.headers["sec-websocket-accept"] == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
        first = opened.reader.read(2)
        assert first[0] == 0x81  # a complete text frame
        message = json.loads(opened.reader.read(first[1]))
        assert message["kind"] == "reload" and message["generation"] >= 1
    finally:
        opened.sock.close()


def test_a_burst_of_saves_is_one_rebuild(server: ServeProcess) -> None:
    papers = server.project / "content" / "papers"
    start = len(server.lines)
    for path in sorted(papers.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        save(path, text.replace("abstract: ", "abstract: Edited. ", 1))
    save(server.project / "templates" / "base.html",
         (server.project / "templates" / "base.html").read_text() + "\n")
    server.wait_for(r"^rebuilt ", start=start)
    time.sleep(1.0)
    rebuilds = [line for line in server.lines[start:] if line.startswith(("rebuilt", "error"))]
    assert len(rebuilds) == 1, rebuilds


def test_base_url_prefix_and_root_redirect(site: Path) -> None:
    server = start_serve(site, "--base-url", "/lab-site/")
    try:
        assert server.url.endswith("/lab-site/")
        status, headers, _ = _get(server, "/")
        assert status == 302 and headers["location"] == "/lab-site/"
        status, _, body = _get(server, "/lab-site/papers/engine-notes/")
        assert status == 200 and b'href="/lab-site/' in body
        assert _get(server, "/papers/engine-notes/")[0] == 404
    finally:
        assert server.interrupt() == 0


def test_ctrl_c_exits_cleanly_and_releases_the_port(site: Path) -> None:
    server = start_serve(site)
    port = server.port
    opened = _upgrade(port, {})  # an open reload socket must not hold shutdown up
    assert opened.status == 101
    started = time.monotonic()
    assert server.interrupt() == 0
    assert time.monotonic() - started < 10
    assert "stopping" in server.lines
    assert not any("Traceback" in line for line in server.lines), server.lines
    head = opened.reader.read(2)
    if head[0] == 0x81:  # the reload message for since=0, if it went out before the stop
        opened.reader.read(head[1])
        head = opened.reader.read(2)
    assert head + opened.reader.read(2) == b"\x88\x02\x03\xe9"  # close, 1001 going away
    opened.sock.close()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers do
        sock.bind(("127.0.0.1", port))  # the port is free again


def test_loopback_only_by_default(shared: ServeProcess) -> None:
    assert shared.url.startswith("http://127.0.0.1:")


def test_a_broken_site_at_start_still_serves_the_error(site: Path) -> None:
    paper = site / "content" / "papers" / "engine-notes.yaml"
    good = paper.read_text(encoding="utf-8")
    paper.write_text("title: a: b\n" + good.split("\n", 1)[1])
    server = start_serve(site)
    try:
        assert any(line.startswith("error: ") and "engine-notes.yaml:1" in line
                   for line in server.lines), server.lines
        status, _, body = _get(server, "/")
        assert status == 500 and b"engine-notes.yaml:1" in body
        save(paper, good)
        server.wait_for(r"^(re)?built ", start=len(server.lines) - 1)
        status, _, body = _get(server, "/papers/engine-notes/")
        assert status == 200 and b"sitegen-build-error" not in body
    finally:
        assert server.interrupt() == 0
