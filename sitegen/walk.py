"""Listing and stat-ing the content files: the one step every ``sitegen build`` takes.

Kept apart from :mod:`sitegen.scan` (which parses) so that the quick no-change check
imports nothing of the content model or the YAML reader for it.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from array import array
from dataclasses import dataclass
from pathlib import Path

from sitegen.cache import names_digest
from sitegen.content.names import SUFFIXES

#: The content folders, in the order ``load_corpus`` reads them (``AUTHORS_DIR`` and
#: ``PAPERS_DIR`` of :mod:`sitegen.content.store`, which a test keeps in step).
FOLDERS = ("authors", "papers")


def workers() -> int:
    """The cores this process may run on (render and parse workers, forked stat)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


@dataclass
class WalkPart:
    """One content folder as listed now: names in sorted order and their signatures."""

    folder: str
    names: list[str]
    flat: list[int]  # mtime_ns, size, inode of each file in turn
    names_digest: bytes = b""
    sigs: array | None = None  # ``flat`` as an array (None: a value did not fit)

    @property
    def entries(self) -> list[tuple[str, int, int, int]]:
        f = self.flat
        return [(name, f[3 * i], f[3 * i + 1], f[3 * i + 2])
                for i, name in enumerate(self.names)]


@dataclass
class Walk:
    """The content files as listed now, folder by folder."""

    parts: list[WalkPart]
    digest: bytes  # hash of the whole listing: equal digests, untouched files

    @property
    def entries(self) -> list[tuple[str, list[tuple[str, int, int, int]]]]:
        """Per folder, (name, mtime_ns, size, inode) of each file."""
        return [(part.folder, part.entries) for part in self.parts]


#: Below this many files a second process to stat half of them costs more than it saves.
PARALLEL_STAT_MIN = 8000
Stats = tuple[list[str], list[int]]  # names found, and mtime_ns, size, inode of each


def _listed(folder: str) -> list[str]:
    """Names of the content files in ``folder``, sorted (no stat yet).

    Sorted, not in directory order: replacing a file by a rename (as every save through
    ``atomic_write`` does) moves it in the directory's order on some file systems, and the
    cached table is compared position by position with this listing.
    """
    try:
        names = os.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    # is_content_name, inline: this runs once per content file on every build
    found = [n for n in names if n[0] != "." and n.endswith(SUFFIXES)]
    found.sort()
    return found


def _stat_all(folder: str, names: list[str]) -> Stats:
    kept: list[str] = []
    flat: list[int] = []
    keep, ext = kept.append, flat.extend
    stat = os.stat
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return kept, flat
    try:
        for name in names:
            try:
                st = stat(name, dir_fd=fd)
            except OSError:
                continue  # vanished meanwhile
            keep(name)
            ext((st.st_mtime_ns, st.st_size, st.st_ino))
    finally:
        os.close(fd)
    return kept, flat


def _stat_jobs(jobs: list[tuple[str, list[str]]]) -> list[Stats]:
    return [_stat_all(folder, names) for folder, names in jobs]


def _split(jobs: list[tuple[str, list[str]]]) -> tuple[list, list]:
    """The jobs cut in two halves of about the same number of files, order kept."""
    half = sum(len(names) for _folder, names in jobs) // 2
    first: list[tuple[str, list[str]]] = []
    second: list[tuple[str, list[str]]] = []
    for folder, names in jobs:
        take = max(0, min(len(names), half))
        first.append((folder, names[:take]))
        second.append((folder, names[take:]))
        half -= take
    return first, second


def _stat_forked(jobs: list[tuple[str, list[str]]]) -> list[Stats] | None:
    """Stat the files on two cores: a forked child takes the second half.

    Stat calls are most of a no-change build and cost mostly kernel time, which a thread
    could overlap, but the Python work around each call holds the interpreter lock; a
    child process does its half of both. None when no child could be started.
    """
    first, second = _split(jobs)
    try:
        rfd, wfd = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(rfd)
        os.close(wfd)
        return None
    if pid == 0:  # pragma: no cover - the child process
        code = 1
        try:
            os.close(rfd)
            data = marshal.dumps(_stat_jobs(second))
            view = memoryview(data)
            while view:
                view = view[os.write(wfd, view):]
            code = 0
        finally:
            os._exit(code)
    os.close(wfd)
    try:
        mine = _stat_jobs(first)
        chunks: list[bytes] = []
        while True:
            chunk = os.read(rfd, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(rfd)
        _pid, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        theirs = marshal.loads(b"".join(chunks))
    except (EOFError, ValueError, TypeError):
        return None
    return [(a[0] + b[0], a[1] + b[1]) for a, b in zip(mine, theirs, strict=True)]


def walk(content_dir: Path, parallel: bool = False) -> Walk:
    """List and stat every content file, in sorted order; nothing else.

    This loop is most of a no-change build (75,000 files: about 0.2 s of CPU), so it
    does the least per file: the listing's hash is compared with the cached one in one
    go, and only when they differ is each file looked up in the cached table.
    ``parallel``: stat half the files in a forked child (for a short-lived process such as
    ``sitegen build``; a long-lived one with a large heap pays more for the fork).
    """
    jobs = [(os.path.join(content_dir, folder), _listed(os.path.join(content_dir, folder)))
            for folder in FOLDERS]
    stats: list[Stats] | None = None
    if parallel and hasattr(os, "fork") and workers() > 1 \
            and sum(len(names) for _folder, names in jobs) >= PARALLEL_STAT_MIN:
        stats = _stat_forked(jobs)
    if stats is None:
        stats = _stat_jobs(jobs)
    h = hashlib.blake2b(digest_size=16)
    parts: list[WalkPart] = []
    for folder, (names, flat) in zip(FOLDERS, stats, strict=True):
        part = WalkPart(folder, names, flat, names_digest(names))
        try:
            part.sigs = array("q", flat)
            raw = part.sigs.tobytes()
        except OverflowError:  # an inode number past 2**63: no array, the slow path
            raw = marshal.dumps(flat, 2)
        h.update(folder.encode() + b"\0" + part.names_digest + raw)
        parts.append(part)
    return Walk(parts, h.digest())
