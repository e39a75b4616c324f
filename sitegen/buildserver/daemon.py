"""Starting a build server in the background, stopping it, asking how it is.

The server runs as ``python -m sitegen.buildserver SPEC`` in a session of its own (closing
the terminal does not end it), with its output appended to a log file beside its socket.
``start`` returns once the server has made its first build and answers.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict
from typing import Any

from sitegen.buildserver import client
from sitegen.buildserver.address import Address, address
from sitegen.buildserver.wire import BuildOptions
from sitegen.errors import BuildError

#: A log larger than this is started afresh when a server starts.
MAX_LOG = 1 << 20
#: How long ``start`` waits for the server to take its socket.
BIND_WAIT = 30.0


def supported() -> bool:
    """The server needs inotify (Linux) and Unix sockets."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import inotify_simple  # noqa: F401
    except ImportError:
        return False
    return True


def status(project_dir: os.PathLike[str] | str) -> dict[str, Any] | None:
    """The running server's status, or None when none runs for this project."""
    addr = client.find(project_dir)
    return None if addr is None else client.ask(addr, {"op": "status"})


def start(options: BuildOptions, *, idle_timeout: float) -> tuple[dict[str, Any], bool]:
    """Start the project's server (or find the running one); (its status, started now)."""
    if not supported():
        raise BuildError("the build server needs Linux (inotify) and the inotify_simple "
                         "package; `sitegen build` works without it")
    addr = address(options.project_dir, create=True)
    running = client.ask(addr, {"op": "ping"})
    if running is not None:
        return running, False
    _trim_log(addr)
    spec = json.dumps({"options": asdict(options), "cwd": os.getcwd(),
                       "idle_timeout": idle_timeout})
    with open(addr.log, "ab") as log:
        proc = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "sitegen.buildserver", spec],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            start_new_session=True, close_fds=True)
    deadline = time.monotonic() + BIND_WAIT
    while True:
        code = proc.poll()
        if code is not None:
            # Lost a race with another start: that one answers now.
            running = client.ask(addr, {"op": "ping"})
            if running is not None:
                return running, False
            raise BuildError(f"the build server did not start (exit {code}); "
                             f"its log says:\n{_tail(addr)}", file=str(addr.log))
        if os.path.exists(addr.socket):
            answer = client.ask(addr, {"op": "ping"})  # answered after the first build
            if answer is not None and answer.get("pid") == proc.pid:
                return answer, True
            # Bound, so alive and building: a full first build of a large site takes
            # longer than BIND_WAIT, and is followed by a start from its cache (the socket
            # is bound again by the same process).
            deadline = time.monotonic() + BIND_WAIT
        if time.monotonic() > deadline:
            proc.kill()
            raise BuildError("the build server did not answer; its log says:\n"
                             + _tail(addr), file=str(addr.log))
        time.sleep(0.05)


def stop(project_dir: os.PathLike[str] | str) -> dict[str, Any] | None:
    """Stop the project's server; its last status, or None when none ran."""
    addr = client.find(project_dir)
    answer = None if addr is None else client.ask(addr, {"op": "stop"})
    if answer is None:
        return None
    pid = answer.get("pid")
    deadline = time.monotonic() + 60  # it first finishes writing the cache
    while isinstance(pid, int) and pid != os.getpid() and _alive(pid) \
            and time.monotonic() < deadline:
        time.sleep(0.02)  # gone: a new start can follow at once
    return answer


def _alive(pid: int) -> bool:
    """Whether the process still runs (a zombie, exited but not yet reaped by a parent
    that started it in-process, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _trim_log(addr: Address) -> None:
    with contextlib.suppress(OSError):
        if os.path.getsize(addr.log) > MAX_LOG:
            os.unlink(addr.log)


def _tail(addr: Address, lines: int = 20) -> str:
    try:
        with open(addr.log, encoding="utf-8", errors="replace") as fh:
            return "".join(fh.readlines()[-lines:]).rstrip() or "(empty)"
    except OSError:
        return "(no log)"
