"""The little of RFC 6455 the reload channel needs: the handshake and server-to-client frames.

Why a WebSocket and not Server-Sent Events: browsers allow six HTTP/1.1 connections per
host, and an event stream holds one for as long as its page is open, so a seventh open tab
of the preview could not load anything. WebSocket connections do not count against that
limit. The server only ever sends (text frames, pings, a final close); whatever the client
sends (pongs, its close frame) is ignored, and a vanished client shows up as a failed write.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from collections.abc import Mapping

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # fixed by RFC 6455, section 1.3
OP_TEXT = 0x1
OP_CLOSE = 0x8
OP_PING = 0x9
GOING_AWAY = 1001


def accept_key(client_key: str) -> str:
    """``Sec-WebSocket-Accept`` for a ``Sec-WebSocket-Key``."""
    digest = hashlib.sha1((client_key.strip() + GUID).encode("ascii")).digest()  # noqa: S324
    return base64.b64encode(digest).decode("ascii")


def is_upgrade(headers: Mapping[str, str]) -> bool:
    """A well-formed version-13 WebSocket opening request?"""
    connection = {t.strip().lower() for t in (headers.get("Connection") or "").split(",")}
    key = (headers.get("Sec-WebSocket-Key") or "").strip()
    try:
        raw = base64.b64decode(key, validate=True)
    except ValueError:
        return False
    return (
        (headers.get("Upgrade") or "").strip().lower() == "websocket"
        and "upgrade" in connection
        and (headers.get("Sec-WebSocket-Version") or "").strip() == "13"
        and len(raw) == 16
    )


def frame(opcode: int, payload: bytes = b"") -> bytes:
    """One unmasked, unfragmented frame (servers never mask)."""
    size = len(payload)
    head = bytes([0x80 | opcode])
    if size < 126:
        head += bytes([size])
    elif size < 1 << 16:
        head += bytes([126]) + struct.pack("!H", size)
    else:
        head += bytes([127]) + struct.pack("!Q", size)
    return head + payload


def text_frame(text: str) -> bytes:
    return frame(OP_TEXT, text.encode("utf-8"))


def close_frame(code: int = GOING_AWAY) -> bytes:
    return frame(OP_CLOSE, struct.pack("!H", code))


def ping_frame() -> bytes:
    return frame(OP_PING)
