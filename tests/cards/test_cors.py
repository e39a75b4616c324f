import threading
import urllib.request
from http.server import ThreadingHTTPServer

from sitegen.cards.cors import cors_handler, cors_headers


def test_cors_headers_match_github_pages():
    assert cors_headers() == [("Access-Control-Allow-Origin", "*")]


def test_handler_sends_the_header_on_every_answer(tmp_path):
    (tmp_path / "card.json").write_text('{"schema_version": 1}\n')
    server = ThreadingHTTPServer(("127.0.0.1", 0), cors_handler(tmp_path))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with urllib.request.urlopen(f"{base}/card.json") as r:
            assert r.headers["Access-Control-Allow-Origin"] == "*"
            assert r.headers["Content-Type"] == "application/json"
            assert r.read() == b'{"schema_version": 1}\n'
        try:
            urllib.request.urlopen(f"{base}/missing.json")
        except urllib.error.HTTPError as exc:
            assert exc.code == 404 and exc.headers["Access-Control-Allow-Origin"] == "*"
        else:
            raise AssertionError("a missing file must answer 404")
        request = urllib.request.Request(f"{base}/card.json", method="OPTIONS")
        with urllib.request.urlopen(request) as r:
            assert r.status == 204
            assert r.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
            assert r.headers.get_all("Access-Control-Allow-Origin") == ["*"]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
