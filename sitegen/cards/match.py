"""Finding an author by a name typed on the command line.

People type names loosely: without accents, in a different case, with a typo, or only a
surname. Matching therefore compares transliterated, case-folded forms of every name and
alias, and reports ambiguity instead of guessing: printing the wrong author's snippet onto
a lab page would be worse than asking for more of the name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz
from slugify import slugify

from sitegen.content.model import Author

#: Lowest similarity (0..100) for a name to count as a match.
THRESHOLD = 85.0
#: A best match this far ahead of the next author wins even when both pass the threshold.
CLEAR_LEAD = 8.0
#: Names listed when nothing matches, to hint at what exists, and how close they must be.
SUGGESTIONS = 3
SUGGEST_FROM = 50.0


@dataclass(frozen=True)
class Candidate:
    slug: str
    name: str  # the author's display name
    matched: str  # the name or alias that matched best
    score: float


def normalise(text: str) -> str:
    """``  András  GYÖRGY `` -> ``andras gyorgy``: the form all comparisons use."""
    return slugify(text, separator=" ")


def _word_in(word: str, words: list[str]) -> bool:
    return word in words or (len(word) == 1 and any(w.startswith(word) for w in words))


def _score(query: str, name: str) -> float:
    if query == name:
        return 100.0
    whole = fuzz.ratio(query, name)
    # Whole words of the name (a surname alone, or first and last names without the
    # middle one) are a strong match; a fragment of a word ("li" in "lin") is not.
    # A single letter stands for an initial ("Alan T").
    words = name.split()
    if all(_word_in(word, words) for word in query.split()):
        whole = max(whole, 95.0)
    # Only an identical form scores 100: "Li Lin" must not tie with "Lin Li".
    return min(99.0, max(whole, fuzz.token_sort_ratio(query, name)))


def rank(query: str, authors: Mapping[str, Author]) -> list[Candidate]:
    """Every author with its best score over name, aliases and slug; best first."""
    q = normalise(query)
    out: list[Candidate] = []
    for slug, author in authors.items():
        best: tuple[float, str] = (-1.0, author.name)
        for label in (author.name, *author.aliases, slug):
            form = normalise(label) if label != slug else slug.replace("-", " ")
            score = _score(q, form) if q else 0.0
            if score > best[0]:
                best = (score, label)
        out.append(Candidate(slug, author.name, best[1], round(best[0], 1)))
    out.sort(key=lambda c: (-c.score, c.name.casefold(), c.slug))
    return out


@dataclass(frozen=True)
class MatchResult:
    """Exactly one of: ``author`` found, several ``candidates``, or none (``suggestions``)."""

    author: Candidate | None
    candidates: tuple[Candidate, ...] = ()
    suggestions: tuple[Candidate, ...] = ()


def find_author(query: str, authors: Mapping[str, Author]) -> MatchResult:
    """Resolve ``query`` to one author, or explain why it cannot."""
    ranked = rank(query, authors)
    if not normalise(query):
        return MatchResult(None)
    exact = [c for c in ranked if c.score >= 100.0]
    if len(exact) == 1:
        return MatchResult(exact[0])
    if len(exact) > 1:
        return MatchResult(None, candidates=tuple(exact))
    passing = [c for c in ranked if c.score >= THRESHOLD]
    if not passing:
        near = [c for c in ranked[:SUGGESTIONS] if c.score >= SUGGEST_FROM]
        return MatchResult(None, suggestions=tuple(near))
    if len(passing) == 1 or passing[0].score - passing[1].score >= CLEAR_LEAD:
        return MatchResult(passing[0])
    return MatchResult(None, candidates=tuple(passing))
