"""The client side: hand a build to the project's server if one runs, else say so.

Kept light (no click, no Jinja): ``sitegen build`` asks here first, and with no server
running the question costs one failed ``connect``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
from dataclasses import asdict
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


def find(project_dir: os.PathLike[str] | str) -> Address | None:
    """Where the project's server would listen; None when the server folder does not
    exist yet or is not safe to trust (no server can run there)."""
    try:
        return address(project_dir)
    except (OSError, SitegenError):
        return None


def delegate(options: wire.BuildOptions, *, quiet: bool) -> int | None:
    """Run ``sitegen build`` in the project's server; its exit status, or None when the
    caller must build by itself (no server, other code, or the server went away)."""
    addr = find(options.project_dir)
    if addr is None:
        return None
    sock = connect(addr)
    if sock is None:
        return None
    request = {"op": "build", "cwd": os.getcwd(), "options": asdict(options),
               "quiet": quiet, **wire.identity()}
    echo = True
    with sock:
        try:
            wire.send(sock, request)
            reader = wire.Reader(sock)
            while True:
                message = reader.next()
                if "out" in message or "err" in message:
                    if echo:
                        echo = _echo(message)
                elif "exit" in message:
                    return int(message["exit"])
                elif message.get("stale"):
                    _say_why(message)
                    return None
        except (OSError, wire.WireError, ValueError, TypeError):
            _warn("warning: the build server stopped during the build; building here")
            return None


def _echo(message: dict[str, Any]) -> bool:
    """Print one piece of the server's output here; False once this side's output is
    gone (``sitegen build | head -1``): the server's build is still waited for."""
    stream = sys.stdout if "out" in message else sys.stderr
    try:
        stream.write(str(message.get("out", message.get("err"))))
        stream.flush()
    except (OSError, ValueError):
        return False
    return True


def _say_why(message: dict[str, Any]) -> None:
    reason = message.get("stale")
    if reason == "other":
        _warn(f"note: the project's build server runs sitegen {message.get('version')} from "
              f"{message.get('package')} with {message.get('executable')}; building here")
    elif reason == "failed":
        _warn(f"warning: the build server failed ({message.get('error')}); building here")


def _warn(text: str) -> None:
    with contextlib.suppress(OSError, ValueError):
        print(text, file=sys.stderr)
