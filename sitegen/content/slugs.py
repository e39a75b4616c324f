"""Stable, ASCII, collision-safe slugs for authors and papers."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from slugify import slugify as _slugify

MAX_SLUG_LENGTH = 80


@lru_cache(maxsize=1 << 16)
def slugify(text: str, *, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Transliterate to ASCII, lowercase, hyphenate (``András György`` -> ``andras-gyorgy``).

    Truncation happens on a word boundary so that long titles keep readable slugs.
    Text with no transliterable character gets ``untitled`` rather than an empty slug.
    Cached: a build slugifies the same names and categories many times over, and
    transliteration of non-ASCII text is slow.
    """
    slug = _slugify(text, max_length=max_length, word_boundary=True, save_order=True,
                    backend=_backend())
    return slug or "untitled"


@lru_cache(maxsize=1)
def _backend() -> str:
    """The transliteration module python-slugify's ``auto`` picks, decided once.

    ``auto`` tries to import Unidecode on every call with non-ASCII text; where it is not
    installed, each failed import searches the whole module path again (about 0.1 ms, so
    a tenth of a second for a corpus's worth of accented names).
    """
    try:
        import unidecode  # noqa: F401
    except ModuleNotFoundError as exc:
        if exc.name != "unidecode":
            raise
        return "text-unidecode"
    return "unidecode"


def unique_slugs(items: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Map each key to a slug of its text, suffixing ``-2``, ``-3`` ... on collisions.

    ``items`` are ``(key, text)`` pairs. Keys are processed in sorted order so the
    same set of inputs always yields the same slugs, whatever order they arrive in.
    """
    taken: set[str] = set()
    result: dict[str, str] = {}
    for key, text in sorted(items):
        base = slugify(text)
        slug = base
        n = 2
        while slug in taken:
            slug = f"{base}-{n}"
            n += 1
        taken.add(slug)
        result[key] = slug
    return result
