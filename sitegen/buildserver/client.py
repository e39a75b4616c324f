"""The client side: hand a build to the project's server if one runs, else say so.

Kept light (no click, no Jinja): ``sitegen build`` asks here first, and with no server
running the question costs one failed ``connect``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from typing import Any

from sitegen.buildserver import wire
from sitegen.buildserver.address import Address, address
from sitegen.errors import SitegenError

CONNECT_TIMEOUT = 2.0


def connect(addr: Address) -> socket.socket | None:
    """A connection to the server at ``addr``, or None when none answers."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(CONNECT_TIMEOUT)
    try:
        sock.connect(str(addr.socket))
        if not wire.peer_is_same_user(sock):
            raise ConnectionRefusedError
    except OSError:
        sock.close()
        return None
    sock.settimeout(None)
    return sock


def ask(addr: Address, message: dict[str, Any]) -> dict[str, Any] | None:
    """One request, one reply (``ping``, ``status``, ``stop``); None: no server."""
    sock = connect(addr)
    if sock is None:
        return None
    with sock:
        try:
            wire.send(sock, message)
            return wire.Reader(sock).next()
        except (OSError, wire.WireError):
            return None


def delegate(project_dir: os.PathLike[str] | str, options: dict[str, Any], *,
             quiet: bool) -> int | None:
    """Run ``sitegen build`` in the project's server; its exit status, or None when the
    caller must build by itself (no server, other code, or the server went away)."""
    try:
        addr = address(project_dir)
    except (OSError, SitegenError):
        return None  # no server folder yet, or one that is not safe to trust
    sock = connect(addr)
    if sock is None:
        return None
    request = {"op": "build", "cwd": os.getcwd(), "options": options, "quiet": quiet,
               **wire.identity()}
    with sock:
        try:
            wire.send(sock, request)
            reader = wire.Reader(sock)
            while True:
                message = reader.next()
                if "out" in message or "err" in message:
                    stream = sys.stdout if "out" in message else sys.stderr
                    stream.write(str(message.get("out", message.get("err"))))
                    stream.flush()
                elif "exit" in message:
                    return int(message["exit"])
                elif message.get("stale"):
                    if message["stale"] == "other":
                        print(f"note: the project's build server runs sitegen "
                              f"{message.get('version')} with {message.get('executable')}; "
                              "building here", file=sys.stderr)
                    return None
        except (OSError, wire.WireError, ValueError, TypeError):
            with contextlib.suppress(OSError):
                print("warning: the build server stopped during the build; building here",
                      file=sys.stderr)
            return None
