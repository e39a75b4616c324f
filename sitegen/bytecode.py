"""Compiled templates kept in ``.sitegen-cache/``, so a small build does not compile them.

Compiling the theme's templates costs about 80 ms, more than rendering the pages a
one-paper edit changes. Jinja's own file cache keys each template by its name, file and
source, and its header holds only its own format number and Python's version; the
folder's name adds what else decides the compiled code: the Jinja release (its code
generator, which sitegen's extends), the interpreter's bytecode tag, sitegen's version and
the source of the module that sets up the environment (its options and code generator).
Folders of other stamps are removed once a build has stored its own.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sys
from pathlib import Path

from jinja2 import Environment
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from sitegen import __version__
from sitegen.cache import TEMPLATES_PREFIX
from sitegen.files import atomic_write

FOLDER = TEMPLATES_PREFIX.rstrip("-")


class _Cache(FileSystemBytecodeCache):
    """Jinja's file cache, written only when the build succeeds, never failing it.

    A build that fails leaves the project folder as it was, so newly compiled templates
    wait in memory until :meth:`flush`; an unwritable or damaged cache is no cache.
    """

    def __init__(self, directory: str) -> None:
        super().__init__(directory)
        self.pending: dict[str, bytes] = {}

    def dump_bytecode(self, bucket: Bucket) -> None:
        out = io.BytesIO()
        bucket.write_bytecode(out)
        self.pending[self._get_cache_filename(bucket)] = out.getvalue()

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, ValueError, EOFError, TypeError):
            bucket.reset()  # damaged: compile again (and overwrite it)

    def flush(self) -> None:
        """Store the templates compiled since the last flush."""
        if not self.pending:
            return
        with contextlib.suppress(OSError):
            os.makedirs(self.directory, exist_ok=True)
        for name, data in sorted(self.pending.items()):
            with contextlib.suppress(OSError):
                atomic_write(Path(name), data)
        self.pending.clear()
        own = Path(self.directory)
        for other in own.parent.glob(TEMPLATES_PREFIX + "*"):
            if other != own and other.is_dir():  # compiled by another version: never read
                shutil.rmtree(other, ignore_errors=True)


def _stamp() -> str:
    import jinja2

    from sitegen.render import env as envmod

    parts = (__version__, getattr(jinja2, "__version__", "?"), sys.implementation.cache_tag)
    h = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8)
    try:
        with open(envmod.__file__, "rb") as fh:
            h.update(fh.read())
    except (OSError, TypeError):
        h.update(b"?")
    return h.hexdigest()


def attach(env: Environment, cache_dir: Path) -> None:
    """Let ``env`` load and store compiled templates under ``cache_dir``."""
    env.bytecode_cache = _Cache(str(Path(cache_dir) / f"{FOLDER}-{_stamp()}"))


def flush(env: Environment) -> None:
    """Write what ``env`` compiled since the last call (after a successful build)."""
    cache = env.bytecode_cache
    if isinstance(cache, _Cache):
        cache.flush()
