"""One person, one author: grouping the spellings of a name seen across seeds.

Seeds spell the same person differently (``Geoffrey E. Hinton``, ``Geoffrey Hinton``,
``Andras Gyorgy``/``András György``). The identity key of a spelling is the readers'
``name_key`` (which ignores middle initials, periods, accents and case) refined by the
full first given name: a key loose enough to join ``G. Hinton`` and ``Geoffrey Hinton``
would also join two different people who share an initial and a surname, and a wrong
merge silently credits one person's papers to another, while a missed merge only leaves
an alias for the user to fold in by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

KeyFn = Callable[[str], str]

_TOKEN_RE = re.compile(r"[^\W_]+", re.UNICODE)


def _default_name_key(name: str) -> str:
    from sitegen.ingest.names import name_key

    return name_key(name)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def given_name(name: str, key_fn: KeyFn | None = None) -> str:
    """The first given name as the key function folds it (``Émile`` -> ``emile``)."""
    key = (key_fn or _default_name_key)(name)
    return key.split(" ", 1)[0] if key else ""


def person_key(name: str, key_fn: KeyFn | None = None) -> str:
    """Identity key of one spelling: ``name_key`` plus the full first given name.

    With the current ``name_key`` (which keeps the first token) the refinement changes
    nothing; it guards the rule if the key is ever loosened to initials.
    """
    key_fn = key_fn or _default_name_key
    base = key_fn(name)
    first = base.split(" ", 1)[0] if base else ""
    if len(first) <= 1:
        first = _fold_first(name)
    return f"{base}|{first}"


def _fold_first(name: str) -> str:
    tokens = _TOKEN_RE.findall(_fold(name))
    return tokens[0] if tokens else ""


def _completeness(name: str) -> tuple[int, int, int]:
    """More name parts, then more accented letters, then more characters: more complete."""
    tokens = name.split()
    accented = sum(1 for c in name if ord(c) > 127 and c.isalpha())
    return (len(tokens), accented, len(name))


def canonical_name(counts: Counter[str]) -> str:
    """The most frequent spelling; ties go to the most complete, then alphabetical."""

    def rank(name: str) -> tuple:
        full = _completeness(name)
        return (-counts[name], -full[0], -full[1], -full[2], name)

    return min(counts, key=rank)


@dataclass
class Person:
    """Every spelling of one person, with how often each was written."""

    key: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def name(self) -> str:
        return canonical_name(self.counts)

    @property
    def aliases(self) -> list[str]:
        canonical = self.name
        return sorted(n for n in self.counts if n != canonical)

    @property
    def spellings(self) -> list[str]:
        return sorted(self.counts)


class People:
    """The set of persons, built from every written name; lookups by spelling."""

    def __init__(self, key_fn: KeyFn | None = None) -> None:
        self._key_fn = key_fn
        self.by_key: dict[str, Person] = {}
        self._key_of: dict[str, str] = {}

    def key_of(self, name: str) -> str:
        key = self._key_of.get(name)
        if key is None:
            key = person_key(name, self._key_fn)
            self._key_of[name] = key
        return key

    def add(self, name: str, count: int = 1) -> Person:
        """Record one written occurrence of ``name`` (count 0 registers without weight)."""
        key = self.key_of(name)
        person = self.by_key.get(key)
        if person is None:
            person = self.by_key[key] = Person(key)
        person.counts[name] += count
        return person

    def add_all(self, names: Iterable[str]) -> None:
        for name in names:
            self.add(name)

    def knows(self, name: str) -> bool:
        """Whether this exact spelling was recorded."""
        person = self.by_key.get(self.key_of(name))
        return person is not None and name in person.counts

    def person(self, name: str) -> Person:
        return self.by_key[self.key_of(name)]

    def __len__(self) -> int:
        return len(self.by_key)

    def __iter__(self):
        return iter(self.by_key.values())
