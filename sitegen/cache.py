"""The build cache in ``<project>/.sitegen-cache/``: safe to delete, never trusted blindly.

Two files, so that the common case (nothing changed) reads only the small one:

- ``state.pickle``: what the inputs looked like at the end of the last build (size, mtime
  and inode of every content file, with a hash of its bytes; a hash of site.yaml plus the
  build options; a hash of the theme) and where the output folder was. Loading it and
  stat-ing the content folder is all a no-change build does.
- ``site.pickle``: the parsed content records, the index and the page plan computed from
  them, and a hash of every output file. An incremental build starts from these.

Both carry the same random ``generation`` token, so a state from one build is never paired
with the site of another. Any problem reading either file (missing, truncated, written by
another version) reads as "no cache": the build then starts from scratch, silently.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import hashlib
import os
import pickle
import signal
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sitegen import __version__

CACHE_DIR = ".sitegen-cache"
STATE_FILE = "state.pickle"
SITE_FILE = "site.pickle"
#: Bumped whenever the layout of the cached objects changes.
FORMAT = 1

#: (mtime_ns, size, inode) of a file: equal signatures mean "not touched since".
Signature = tuple[int, int, int]


def digest(data: bytes) -> bytes:
    """A short content hash: 16 bytes of BLAKE2b is plenty to tell two outputs apart."""
    return hashlib.blake2b(data, digest_size=16).digest()


def signature(st: os.stat_result) -> Signature:
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def cache_key(*parts: object) -> str:
    """Ties a cache to this sitegen and Python version and to the build's folders."""
    text = "\0".join(map(str, (FORMAT, __version__, sys.version_info[:2], *parts)))
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


@dataclass
class State:
    """The small half of the cache (see the module docstring)."""

    key: str
    generation: str
    files: dict[str, tuple[Signature, bytes]] = field(default_factory=dict)  # rel -> sig, hash
    config_hash: bytes = b""
    theme_hash: bytes = b""
    out_sig: tuple[int, int] = (0, 0)  # (device, inode) of the output folder's marker file


@dataclass
class SiteData:
    """The large half: everything an incremental build needs from the previous one."""

    generation: str
    records: dict[str, Any]  # content file (``papers/x.yaml``) -> parsed record
    corpus: Any  # sitegen.content.store.Corpus (the same records, by slug)
    index: Any  # sitegen.render.index.SiteIndex (without its render memo)
    outputs: dict[str, bytes] = field(default_factory=dict)  # output file -> digest
    assets: list[str] = field(default_factory=list)  # static asset files written


def new_generation() -> str:
    return os.urandom(8).hex()


LOCK_FILE = "lock"


def _lock(cache_dir: Path, mode: int) -> int | None:
    """An flock on the cache folder's lock file: writers hold it exclusively, readers
    shared, so a reader never sees the files of a save still in progress (even one done by
    a process the previous ``sitegen build`` left behind to finish writing)."""
    try:
        fd = os.open(cache_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None
    try:
        fcntl.flock(fd, mode)
    except OSError:
        os.close(fd)
        return None
    return fd


def _unlock(fd: int | None) -> None:
    if fd is not None:
        os.close(fd)  # closing the last descriptor of the open file releases the flock


def _load(path: Path) -> Any:
    fd = _lock(path.parent, fcntl.LOCK_SH) if path.parent.is_dir() else None
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - a damaged cache of any kind is simply not used
        return None
    finally:
        _unlock(fd)


def load_state(cache_dir: Path, key: str) -> State | None:
    state = _load(cache_dir / STATE_FILE)
    if not isinstance(state, State) or state.key != key:
        return None
    return state


def load_site(cache_dir: Path, state: State) -> SiteData | None:
    site = _load(cache_dir / SITE_FILE)
    if not isinstance(site, SiteData) or site.generation != state.generation:
        return None
    return site


def _dump(path: Path, obj: Any) -> None:
    # A name of our own rather than mkstemp: this may run in a child forked from a
    # threaded process, where tempfile's lock could be held by a thread that is gone.
    tmp = str(path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(obj, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def save(cache_dir: Path, state: State, site: SiteData | None) -> None:
    """Write both halves atomically; the state last, so it never names a missing site.

    ``site`` None keeps the site file as it is (its generation must match ``state``).
    Failing to write a cache never fails a build: the next build just starts cold.
    """
    wait_for_saver(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return
    fd = _lock(cache_dir, fcntl.LOCK_EX)
    try:
        _write(cache_dir, state, site)
    finally:
        _unlock(fd)


def _write(cache_dir: Path, state: State, site: SiteData | None) -> None:
    for stale in cache_dir.glob(".*.tmp"):  # left by a save that was stopped
        with contextlib.suppress(OSError):
            stale.unlink()
    try:
        if site is not None:
            _dump(cache_dir / SITE_FILE, site)
        _dump(cache_dir / STATE_FILE, state)
    except Exception:  # noqa: BLE001 - no cache is better than a failed build
        for name in (STATE_FILE, SITE_FILE):
            with contextlib.suppress(OSError):
                (cache_dir / name).unlink()


_SAVERS: dict[str, int] = {}  # cache folder -> pid of the child still writing it


def wait_for_saver(cache_dir: Path) -> None:
    """Block until a background save into ``cache_dir`` (if any) has finished."""
    pid = _SAVERS.pop(str(cache_dir), None)
    if pid is not None:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, 0)


def reap(cache_dir: Path) -> None:
    """Collect a finished background save without waiting for a running one."""
    pid = _SAVERS.get(str(cache_dir))
    if pid is None:
        return
    try:
        done, _status = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        done = pid
    if done:
        _SAVERS.pop(str(cache_dir), None)


def stop_saver(cache_dir: Path) -> None:
    """End a background save that a newer build makes pointless (its files stay whole)."""
    pid = _SAVERS.pop(str(cache_dir), None)
    if pid is None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def invalidate(cache_dir: Path) -> None:
    """Forget the state before the output folder is changed in place.

    Until the new state is saved, no build trusts this cache: if the process dies between
    the two, the next build is a full one instead of one that believes stale hashes.
    """
    stop_saver(cache_dir)
    fd = _lock(cache_dir, fcntl.LOCK_EX) if cache_dir.is_dir() else None
    try:
        with contextlib.suppress(OSError):
            (cache_dir / STATE_FILE).unlink()
    finally:
        _unlock(fd)


def save_in_background(cache_dir: Path, state: State, site: SiteData | None) -> None:
    """``save`` in a forked child, so a long-lived builder (a preview) does not wait.

    Saves into one folder never overlap: the previous one is waited for first, so the
    files on disk always end as the latest build left them.
    """
    stop_saver(cache_dir)  # an older build's save: this one supersedes it
    pid = _fork_save(cache_dir, state, site)
    if pid is not None:
        _SAVERS[str(cache_dir)] = pid


def save_detached(cache_dir: Path, state: State, site: SiteData | None) -> None:
    """``save`` in a child that may outlive this process (``sitegen build`` on a big site).

    The output is complete before this is called; the child holds the cache lock until
    its files are in place, and the next build's read of the cache waits for that.
    """
    _fork_save(cache_dir, state, site)


def _fork_save(cache_dir: Path, state: State, site: SiteData | None) -> int | None:
    """Lock, fork, and let the child write and release; None when it was done here."""
    wait_for_saver(cache_dir)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    fd = _lock(cache_dir, fcntl.LOCK_EX)
    if fd is None or not hasattr(os, "fork"):  # pragma: no cover - no locking, no fork
        try:
            _write(cache_dir, state, site)
        finally:
            _unlock(fd)
        return None
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child process
        code = 0
        try:
            _write(cache_dir, state, site)
        except BaseException:  # noqa: BLE001
            code = 1
        os._exit(code)  # the inherited lock descriptor closes with the process
    os.close(fd)  # the child's copy keeps the lock until it is done
    return pid


@atexit.register
def _wait_all() -> None:
    for folder in list(_SAVERS):
        wait_for_saver(Path(folder))


def clear(cache_dir: Path) -> None:
    wait_for_saver(cache_dir)
    fd = _lock(cache_dir, fcntl.LOCK_EX) if cache_dir.is_dir() else None
    try:
        for name in (STATE_FILE, SITE_FILE):
            with contextlib.suppress(OSError):
                (cache_dir / name).unlink()
    finally:
        _unlock(fd)
