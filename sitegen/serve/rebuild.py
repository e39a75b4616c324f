"""Turn bursts of file changes into as few rebuilds as possible, and lose none of them.

Changes are collected until the files have been quiet for ``debounce`` seconds (an editor
saving several files, ``git checkout`` rewriting dozens), then one build runs with the union
of the changed paths. Changes that arrive while a build runs are kept for exactly one more
build afterwards. Nothing is throttled by wall-clock time, so two saves a second apart give
two builds and the page ends up showing the second.

A build that fails keeps its changed paths: the next build includes them again, so an
incremental builder re-renders what the broken build skipped once the file is fixed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

DEBOUNCE_SECONDS = 0.1
MAX_DELAY_SECONDS = 1.0  # a file that never stops changing still gets built this often


class Builder(Protocol):
    """What the preview needs from a build engine (``sitegen.incremental.SiteBuilder``)."""

    def build(self, changed: Iterable[Path] | None = None) -> object: ...

    def release(self) -> None: ...

    @property
    def watch_paths(self) -> list[Path]: ...


@dataclass(frozen=True)
class Outcome:
    """One finished build attempt, as the server reports it."""

    changed: frozenset[Path] | None  # None: a full build
    written: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    error: BaseException | None = None
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


def _relative_paths(result: object, name: str) -> tuple[str, ...]:
    return tuple(str(p) for p in (getattr(result, name, None) or ()))


def run_build(builder: Builder, changed: frozenset[Path] | None) -> Outcome:
    """Call the builder; any exception becomes part of the outcome (the server lives on)."""
    started = time.perf_counter()
    try:
        result = builder.build(None if changed is None else sorted(changed))
    except Exception as exc:  # noqa: BLE001 - a broken file or a bug: report, keep serving
        return Outcome(changed, error=exc, seconds=time.perf_counter() - started)
    written = _relative_paths(result, "written") or _relative_paths(result, "files")
    return Outcome(changed, written=written, deleted=_relative_paths(result, "deleted"),
                   seconds=time.perf_counter() - started)


@dataclass
class _Pending:
    paths: set[Path] = field(default_factory=set)
    first: float = 0.0
    last: float = 0.0


class Rebuilder:
    """A thread that runs builds for the changes reported through :meth:`notify`."""

    def __init__(self, builder: Builder, on_outcome: Callable[[Outcome], None], *,
                 debounce: float = DEBOUNCE_SECONDS, max_delay: float = MAX_DELAY_SECONDS,
                 full_first: bool = False) -> None:
        self.builder = builder
        self.debounce = debounce
        self.max_delay = max_delay
        self._on_outcome = on_outcome
        self._cond = threading.Condition()
        self._pending = _Pending()
        self._carry: set[Path] = set()
        self._need_full = full_first  # nothing was ever built: the next build must be full
        self._stop = False
        self._busy = False
        self._thread = threading.Thread(target=self._run, name="sitegen-rebuild", daemon=True)

    def notify(self, paths: Iterable[Path]) -> None:
        paths = set(paths)
        if not paths:
            return
        now = time.monotonic()
        with self._cond:
            if not self._pending.paths:
                self._pending.first = now
            self._pending.paths |= paths
            self._pending.last = now
            self._cond.notify_all()

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        """Finish the running build (if any), skip pending ones, and join the thread."""
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._thread.is_alive():
            self._thread.join()

    def building(self) -> bool:
        with self._cond:
            return self._busy

    def idle(self) -> bool:
        with self._cond:
            return not self._busy and not self._pending.paths

    def record(self, outcome: Outcome) -> None:
        """Remember a build made outside the thread (the initial one)."""
        with self._cond:
            self._need_full = outcome.changed is None and not outcome.ok

    def _take(self) -> frozenset[Path] | None | bool:
        """Wait for a quiet moment; the paths to build (None: full), or False to stop."""
        with self._cond:
            while True:
                if self._stop:
                    return False
                if not self._pending.paths:
                    self._cond.wait()
                    continue
                now = time.monotonic()
                quiet_at = self._pending.last + self.debounce
                latest = self._pending.first + self.max_delay
                due = min(quiet_at, latest)
                if now < due:
                    self._cond.wait(due - now)
                    continue
                paths = self._pending.paths | self._carry
                self._pending = _Pending()
                self._busy = True
                return None if self._need_full else frozenset(paths)

    def _run(self) -> None:
        while True:
            changed = self._take()
            if changed is False:
                return
            assert changed is None or isinstance(changed, frozenset)
            outcome = run_build(self.builder, changed)
            with self._cond:
                if outcome.ok:
                    self._carry.clear()
                    self._need_full = False
                elif changed is not None:
                    self._carry |= changed
            try:
                self._on_outcome(outcome)
            finally:
                # The browser has been told: now free the build before the last one.
                self.builder.release()
                with self._cond:
                    self._busy = False
