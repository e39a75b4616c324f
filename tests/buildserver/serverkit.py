"""Plain helpers of the build server tests (no conftest name clash): a server running in a
thread of this process, waiting, and the environment of a server in a process of its own."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen.buildserver import client
from sitegen.buildserver.address import Address
from sitegen.buildserver.server import BuildServer

#: The worktree this suite belongs to: the servers it starts must run this code.
SOURCE_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Running:
    """An in-process server and the thread that runs it."""

    server: BuildServer
    thread: threading.Thread
    addr: Address
    errors: list[BaseException] = field(default_factory=list)

    def status(self) -> dict[str, Any] | None:
        return client.ask(self.addr, {"op": "status"})

    def builds(self) -> int:
        answer = self.status()
        assert answer is not None, "the server does not answer"
        return int(answer["builds"])


def wait_until(predicate: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()


def stop_thread(running: Running) -> None:
    if running.thread.is_alive():
        client.ask(running.addr, {"op": "stop"})
    running.thread.join(20)
    if running.thread.is_alive():  # no answer: make the loop see the flag
        running.server._stopping = True
        with contextlib.suppress(OSError), \
                socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as poke:
            poke.connect(str(running.addr.socket))
        running.thread.join(20)
    assert not running.thread.is_alive(), "the build server thread did not stop"


def subprocess_env() -> dict[str, str]:
    """The environment for ``python -m sitegen.cli``: this worktree's code, this test's
    runtime folder."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(SOURCE_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return env
