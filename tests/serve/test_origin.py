"""Only the preview's own pages may open the reload socket."""

from __future__ import annotations

import pytest

from sitegen.serve.origin import host_allowed, socket_allowed, split_host


def test_split_host() -> None:
    assert split_host("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert split_host("LocalHost") == ("localhost", None)
    assert split_host("[::1]:9") == ("::1", 9)
    assert split_host("[::1") is None
    assert split_host("a:b") is None
    assert split_host(":80") is None


@pytest.mark.parametrize("host", ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"])
def test_loopback_names(host: str) -> None:
    assert host_allowed(host, "127.0.0.1", 8000)


@pytest.mark.parametrize("host", [None, "", "127.0.0.1:8001", "127.0.0.1", "evil.example:8000",
                                  "192.168.1.5:8000", "127.0.0.1.nip.io:8000"])
def test_other_hosts_are_refused_on_loopback(host: str | None) -> None:
    assert not host_allowed(host, "127.0.0.1", 8000)


def test_wildcard_binding_accepts_ip_literals_only() -> None:
    assert host_allowed("192.168.1.5:8000", "0.0.0.0", 8000)
    assert not host_allowed("rebind.example:8000", "0.0.0.0", 8000)


def test_origin_must_match_host() -> None:
    ok = {"Host": "127.0.0.1:8000"}
    assert socket_allowed(ok, "127.0.0.1", 8000)
    assert socket_allowed({**ok, "Origin": "http://127.0.0.1:8000"}, "127.0.0.1", 8000)
    assert socket_allowed({**ok, "Sec-Fetch-Site": "same-origin"}, "127.0.0.1", 8000)
    assert not socket_allowed({**ok, "Origin": "http://evil.example"}, "127.0.0.1", 8000)
    assert not socket_allowed({**ok, "Origin": "null"}, "127.0.0.1", 8000)
    assert not socket_allowed({**ok, "Origin": "http://localhost:8000"}, "127.0.0.1", 8000)
    assert not socket_allowed({**ok, "Sec-Fetch-Site": "cross-site"}, "127.0.0.1", 8000)
