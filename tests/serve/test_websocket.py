"""The handshake and frames of the reload socket, against RFC 6455's own example."""

from __future__ import annotations

from sitegen.serve.websocket import (
    accept_key,
    close_frame,
    frame,
    is_upgrade,
    ping_frame,
    text_frame,
)

GOOD = {"Upgrade": "websocket", "Connection": "keep-alive, Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version": "13"}


def test_accept_key_from_the_rfc() -> None:
    assert accept_key("dGhlIHNhbXBsZSBub25jZQ==") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_is_upgrade() -> None:
    assert is_upgrade(GOOD)
    assert not is_upgrade({**GOOD, "Upgrade": "h2c"})
    assert not is_upgrade({**GOOD, "Connection": "close"})
    assert not is_upgrade({**GOOD, "Sec-WebSocket-Version": "8"})
    assert not is_upgrade({**GOOD, "Sec-WebSocket-Key": "short"})
    assert not is_upgrade({**GOOD, "Sec-WebSocket-Key": "!!!!"})
    assert not is_upgrade({})


def test_frames() -> None:
    assert text_frame("hi") == b"\x81\x02hi"
    assert ping_frame() == b"\x89\x00"
    assert close_frame() == b"\x88\x02\x03\xe9"
    medium = frame(1, b"x" * 300)
    assert medium[:4] == b"\x81\x7e\x01\x2c" and len(medium) == 304
    large = frame(1, b"x" * 70000)
    assert large[:2] == b"\x81\x7f" and int.from_bytes(large[2:10], "big") == 70000
