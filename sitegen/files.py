"""Writing files so that no reader ever sees half of one: the one writer every step uses.

Ingest writes tens of thousands of content files and an incremental build rewrites pages in
place, so the writer keeps system calls down: the temporary file is opened exclusively with
mode 0o666 (the umask then applies, as for any file the user creates; no chmod), and the
folder is only created when the open says it is missing.
"""

from __future__ import annotations

import contextlib
import itertools
import os
from pathlib import Path

_counter = itertools.count()


def current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _open_temp(path: Path) -> tuple[int, str]:
    folder, name = os.path.split(path)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_counter)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp
        except FileExistsError:
            continue  # a leftover of a crashed run: take the next name
        except FileNotFoundError:
            os.makedirs(folder or ".", exist_ok=True)
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp


def atomic_write(path: Path | str, data: str | bytes, *, skip_unchanged: bool = True) -> bool:
    """Write through a temporary file in the same folder and rename it over ``path``.

    With ``skip_unchanged`` (the default) a file that already holds exactly ``data`` is left
    alone and False is returned: a re-run with no change must not touch mtimes. Callers
    that already know the bytes differ pass ``skip_unchanged=False`` to save the read.
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if skip_unchanged:
        try:
            with open(path, "rb") as fh:
                if fh.read() == raw:
                    return False
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
    fd, tmp = _open_temp(path)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return True
