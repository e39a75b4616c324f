"""The build server's protocol: one JSON object per line, over a Unix socket.

A client sends one request (``{"op": "build", ...}``, ``ping``, ``status``, ``stop``) and
reads replies until the last one. A build's replies are the text it prints, in order
(``{"out": ...}``, ``{"err": ...}``), then ``{"exit": status}``. ``{"stale": ...}`` instead
tells the client to build by itself: the server runs other code than the client
(``"other"``), or its own code changed on disk and it starts again (``"restart"``).

Both ends check that the other runs as the same user (``SO_PEERCRED``), on top of the
socket's folder letting nobody else in.
"""

from __future__ import annotations

import io
import json
import os
import socket
import struct
import sys
from dataclasses import dataclass
from typing import Any

from sitegen import __version__

#: Largest request line a server reads; requests are a few hundred bytes.
MAX_REQUEST = 64 * 1024


class WireError(Exception):
    """The other end closed early, sent garbage, or runs as another user."""


@dataclass(frozen=True)
class BuildOptions:
    """The options of one ``sitegen build`` as its caller spelled them (None: the default);
    relative folders are relative to the caller's working folder."""

    project_dir: str
    content_dir: str | None = None
    templates_dir: str | None = None
    out_dir: str | None = None
    base_url: str | None = None

    @classmethod
    def of(cls, project_dir: os.PathLike[str] | str, content_dir: os.PathLike[str] | None,
           templates_dir: os.PathLike[str] | None, out_dir: os.PathLike[str] | None,
           base_url: str | None) -> BuildOptions:
        def spelled(path: os.PathLike[str] | None) -> str | None:
            return None if path is None else os.fspath(path)

        return cls(os.fspath(project_dir), spelled(content_dir), spelled(templates_dir),
                   spelled(out_dir), base_url)

    @classmethod
    def from_message(cls, data: object) -> BuildOptions:
        if not isinstance(data, dict) or not isinstance(data.get("project_dir"), str):
            raise WireError("bad build options")
        values = {}
        for name in ("content_dir", "templates_dir", "out_dir", "base_url"):
            value = data.get(name)
            if value is not None and not isinstance(value, str):
                raise WireError(f"bad build option {name}")
            values[name] = value
        return cls(project_dir=data["project_dir"], **values)


def identity() -> dict[str, str]:
    """What a build request carries so the server can tell it runs the same code: the
    release, where the package is loaded from (a source checkout on PYTHONPATH is other
    code than the installed package), and the interpreter's installation."""
    package = os.path.dirname(os.path.realpath(__file__ or ""))
    return {"version": __version__, "package": os.path.dirname(package),
            "prefix": os.path.realpath(sys.prefix),
            "executable": os.path.realpath(sys.executable)}


def peer_is_same_user(sock: socket.socket) -> bool:
    creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _pid, uid, _gid = struct.unpack("3i", creds)
    return uid == os.getuid()


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    # ASCII with escapes: a file name that is not UTF-8 (kept by Python as surrogates)
    # travels as an escape instead of failing to encode.
    sock.sendall(json.dumps(message).encode("ascii") + b"\n")


class Reader:
    """Reads the lines of one connection."""

    def __init__(self, sock: socket.socket, limit: int | None = None) -> None:
        self._file = sock.makefile("rb")
        self._limit = limit

    def next(self) -> dict[str, Any]:
        line = self._file.readline(self._limit or -1)
        if not line.endswith(b"\n"):
            raise WireError("connection closed" if not line else "message too long")
        try:
            message = json.loads(line)
        except (ValueError, RecursionError):
            raise WireError("not a message") from None
        if not isinstance(message, dict):
            raise WireError("not a message")
        return message

    def close(self) -> None:
        self._file.close()


class Echo(io.TextIOBase):
    """A text stream whose writes go to the client as ``{name: text}`` messages.

    Once the client is gone (Ctrl-C), writes are dropped: the build still finishes, so the
    output folder and the cache are never left between two states.
    """

    encoding = "utf-8"
    errors = "strict"

    def __init__(self, sock: socket.socket, name: str) -> None:
        super().__init__()
        self._sock = sock
        self._name = name
        self.gone = False

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if text and not self.gone:
            try:
                send(self._sock, {self._name: text})
            except (OSError, ValueError):  # gone, timed out, or closed meanwhile
                self.gone = True
        return len(text)
