"""Build generations and what changed between them, for the reload channel.

Every finished build attempt (success or failure) is a new generation. A page knows the
generation it was served from; the reload socket tells it what happened since, folded into
one event: ``css`` when every build since only changed stylesheets (the client swaps them in
place), else ``reload``. Nothing depends on the client being connected at the right moment,
so an edit that lands while a page is loading is never lost.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

HISTORY = 256
_HASHED = re.compile(r"\.[0-9a-f]{10}(\.[^./]+)$")


def logical_name(href: str) -> str:
    """``/static/style.3f2a9c1b04.css`` -> ``/static/style.css`` (content hash dropped)."""
    return _HASHED.sub(r"\1", href)


@dataclass(frozen=True)
class Change:
    """What a page showing an older generation must do to show ``generation``."""

    generation: int
    kind: str  # "reload" or "css"
    stylesheets: tuple[str, ...] = ()  # for "css": the new hrefs, one per logical name

    def payload(self) -> dict[str, object]:
        return {"generation": self.generation, "stylesheets": list(self.stylesheets)}


class Hub:
    """Generation counter plus recent history; socket handlers wait on it."""

    def __init__(self, history: int = HISTORY) -> None:
        self._cond = threading.Condition()
        self._generation = 0
        self._history: dict[int, Change] = {}
        self._keep = history
        self._closed = False

    @property
    def generation(self) -> int:
        with self._cond:
            return self._generation

    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed

    def publish(self, kind: str, stylesheets: tuple[str, ...] = ()) -> int:
        with self._cond:
            self._generation += 1
            gen = self._generation
            self._history[gen] = Change(gen, kind, tuple(stylesheets))
            self._history.pop(gen - self._keep, None)
            self._cond.notify_all()
            return gen

    def since(self, seen: int) -> Change | None:
        """The one event that brings a page at generation ``seen`` up to date (None: it is)."""
        with self._cond:
            return self._fold(seen)

    def _fold(self, seen: int) -> Change | None:
        current = self._generation
        if seen == current:
            return None
        steps = [self._history.get(g) for g in range(seen + 1, current + 1)]
        if seen > current or not steps or any(s is None or s.kind != "css" for s in steps):
            return Change(current, "reload")  # also: a page from a previous server run
        sheets: dict[str, str] = {}
        for step in steps:
            assert step is not None
            for href in step.stylesheets:
                sheets[logical_name(href)] = href
        return Change(current, "css", tuple(sheets[k] for k in sorted(sheets)))

    def wait(self, seen: int, timeout: float) -> Change | None:
        """Block until there is something newer than ``seen``, the hub closes, or timeout."""
        with self._cond:
            self._cond.wait_for(lambda: self._closed or self._generation != seen, timeout)
            if self._closed:
                return None
            return self._fold(seen)

    def close(self) -> None:
        """Wake every waiting socket handler so its thread can finish (server shutdown)."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
