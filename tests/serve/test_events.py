"""Generations fold into one event: css only when every step since was CSS-only."""

from __future__ import annotations

import threading
import time

from sitegen.serve.events import Hub, logical_name


def test_logical_name() -> None:
    assert logical_name("/static/style.0123456789.css") == "/static/style.css"
    assert logical_name("/lab/static/a.b.abcdef0123.css") == "/lab/static/a.b.css"
    assert logical_name("/static/style.css") == "/static/style.css"


def test_fold() -> None:
    hub = Hub()
    hub.publish("reload")  # 1: initial build
    assert hub.since(1) is None
    hub.publish("css", ("/static/style.aaaaaaaaaa.css",))
    hub.publish("css", ("/static/style.bbbbbbbbbb.css", "/static/x.cccccccccc.css"))
    change = hub.since(1)
    assert change is not None and change.kind == "css" and change.generation == 3
    assert change.stylesheets == ("/static/style.bbbbbbbbbb.css", "/static/x.cccccccccc.css")
    hub.publish("reload")
    assert hub.since(1).kind == "reload"
    assert hub.since(3).kind == "reload"


def test_unknown_generations_reload() -> None:
    hub = Hub(history=2)
    for _ in range(5):
        hub.publish("css", ("/s.aaaaaaaaaa.css",))
    assert hub.since(4).kind == "css"
    assert hub.since(1).kind == "reload"  # forgotten history
    assert hub.since(99).kind == "reload"  # a page from an earlier server run


def test_wait_wakes_on_publish_and_close() -> None:
    hub = Hub()
    got: list[object] = []
    waiter = threading.Thread(target=lambda: got.append(hub.wait(0, 5)))
    waiter.start()
    time.sleep(0.05)
    hub.publish("reload")
    waiter.join(2)
    assert got and got[0].generation == 1
    started = time.monotonic()
    closer = threading.Thread(target=lambda: got.append(hub.wait(1, 5)))
    closer.start()
    hub.close()
    closer.join(2)
    assert got[1] is None and time.monotonic() - started < 2
