"""Notice changed source files by polling ``stat`` (no inotify, no extra dependency).

Polling every ~100 ms is portable (Linux, macOS, Windows, network and container mounts where
inotify events never arrive) and cheap: a 10,000-paper content folder is one ``scandir`` per
folder and one ``stat`` per file. A file counts as changed when its modification time, size,
inode or change time differ, so two saves within the file system's timestamp granularity
are still told apart whenever the editor replaces the file (atomic rename gives a new inode).

Hidden files and editor scratch files (``.x.swp``, ``x~``, ``#x#``, ``4913``) are ignored:
they are written around every save and would only cause extra rebuilds.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Signature = tuple[int, int, int, int]  # mtime_ns, size, inode, ctime_ns
Snapshot = dict[str, Signature]

POLL_SECONDS = 0.1
_SCRATCH_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload")


def ignored(name: str) -> bool:
    """Names that editors and tools write next to the real file while saving."""
    return (
        name.startswith((".", "#"))
        or name.endswith(_SCRATCH_SUFFIXES)
        or name == "4913"  # vim's probe file
    )


def _signature(st: os.stat_result) -> Signature:
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def _scan_tree(root: str, out: Snapshot) -> None:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # vanished or unreadable meanwhile; the next poll sees the new state
        for entry in entries:
            if ignored(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                else:
                    out[entry.path] = _signature(entry.stat())
            except OSError:
                continue


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Signature of every file below the given folders (and of the given plain files)."""
    out: Snapshot = {}
    for root in roots:
        path = str(root)
        try:
            st = os.stat(path)
        except OSError:
            continue
        if os.path.isdir(path):
            _scan_tree(path, out)
        else:
            out[path] = _signature(st)
    return out


def diff(before: Snapshot, after: Snapshot) -> set[Path]:
    """Files added, removed or modified between two snapshots."""
    changed = {p for p, sig in after.items() if before.get(p) != sig}
    changed.update(p for p in before if p not in after)
    return {Path(p) for p in changed}


class PollingWatcher:
    """A thread that calls ``on_change(paths)`` with every batch of changed files it sees.

    ``set_roots`` may be called at any time (``site.yaml`` can move the content folder);
    files below new roots count as changed on the next poll.

    Scanning shares the interpreter with the build, so polls are skipped while ``paused()``
    says a build is running (every change made meanwhile is still in the next poll's diff),
    and the pause between polls grows to twice the scan time on large trees, keeping the
    watcher's share of the processor at about a third.
    """

    def __init__(self, roots: Iterable[Path], on_change: Callable[[set[Path]], None], *,
                 interval: float = POLL_SECONDS,
                 paused: Callable[[], bool] = lambda: False) -> None:
        self.interval = interval
        self._wait = interval
        self._paused = paused
        self._on_change = on_change
        self._roots = list(roots)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._state = snapshot(self._roots)
        self._thread = threading.Thread(target=self._run, name="sitegen-watch", daemon=True)

    def set_roots(self, roots: Iterable[Path]) -> None:
        with self._lock:
            self._roots = list(roots)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def poll(self) -> set[Path]:
        """One scan; reports and returns what changed since the previous one."""
        with self._lock:
            roots = list(self._roots)
        started = time.perf_counter()
        current = snapshot(roots)
        self._wait = max(self.interval, 2 * (time.perf_counter() - started))
        changed = diff(self._state, current)
        self._state = current
        if changed:
            self._on_change(changed)
        return changed

    def _run(self) -> None:
        while not self._stop.wait(self._wait):
            if not self._paused():
                self.poll()
