"""Where a project's build server listens: a socket in a folder only its user can enter.

The socket is not kept in the project (``.sitegen-cache/`` is safe to delete, and a Unix
socket's path is limited to about 100 bytes), but in ``$XDG_RUNTIME_DIR/sitegen`` or, where
that is not set, ``<temp>/sitegen-<uid>``, named by a hash of the project's absolute path.
The folder must belong to the user and let nobody else in; otherwise another user could
answer the builds.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import BuildError

#: Longest socket path Linux and macOS accept (``sun_path`` holds 108 and 104 bytes).
MAX_SOCKET_PATH = 100


@dataclass(frozen=True)
class Address:
    """The files of one project's build server."""

    project: Path  # the real path (symbolic links resolved)
    socket: Path
    lock: Path  # held by the running server for its whole life
    log: Path  # what the server prints goes here


def runtime_dir(create: bool = False) -> Path:
    """The per-user folder of sockets; checked to be private before it is trusted."""
    xdg = os.environ.get("XDG_RUNTIME_DIR")
    base = Path(xdg) / "sitegen" if xdg else Path(tempfile.gettempdir()) / f"sitegen-{os.getuid()}"
    if create:
        try:
            base.mkdir(mode=0o700, parents=bool(xdg), exist_ok=True)
        except OSError as exc:
            raise BuildError(f"cannot create the build server's folder: {exc.strerror}",
                             file=str(base)) from None
    st = os.lstat(base)
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise BuildError("the build server's folder must be a folder of this user that "
                         "only this user can enter (mode 700)", file=str(base))
    return base


def project_key(project: Path) -> str:
    """A short stable name for a project folder (its real path)."""
    return hashlib.blake2b(str(project).encode("utf-8", "surrogateescape"),
                           digest_size=10).hexdigest()


def address(project_dir: Path, *, create: bool = False) -> Address:
    """The server files of ``project_dir``; raises BuildError when the folder is unsafe."""
    # The real path: `cd` into a linked folder and --project through the link are one
    # project, with one server.
    project = Path(os.path.realpath(project_dir))
    base = runtime_dir(create)
    name = project_key(project)
    sock = base / f"{name}.sock"
    if len(os.fsencode(sock)) > MAX_SOCKET_PATH:
        raise BuildError(f"socket path too long for this system ({len(str(sock))} bytes); "
                         "set XDG_RUNTIME_DIR to a shorter folder", file=str(sock))
    return Address(project=project, socket=sock, lock=base / f"{name}.lock",
                   log=base / f"{name}.log")
