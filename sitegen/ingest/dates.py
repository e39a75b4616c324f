"""The meta line that opens every listed paper, and dates written without a year.

A meta line reads ``[score]CAT Mon D[, YYYY][Code]`` with the parts glued together
(``LGMar 11, 2023Code``, ``68.7CLMay 11``). Listing sites drop the year for recent
papers, so a yearless date is resolved against a reference day (``as_of``): it takes the
latest year that does not put the paper in the future.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}

# The category is an uppercase code; the month that follows starts with an uppercase
# letter too, so the category is matched lazily enough for ``LGMar`` -> ``LG`` + ``Mar``
# (regex backtracking does that: ``LGM`` + ``ar`` fails). Score, category and month are
# glued as listing sites print them, which keeps a title such as ``AI May 13`` from being
# read as a date line; a space is tolerated only before the ``Code`` badge.
_META = re.compile(
    r"(?P<score>\d{1,3}(?:\.\d+)?)?"
    r"(?P<category>[A-Z]{2,6})"
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?"
    r"|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?[ \t]*"
    r"(?P<day>\d{1,2})"
    r"(?:[ \t]*,[ \t]*(?P<year>\d{4}))?[ \t]*"
    r"(?P<code>Code)?"
)

# A year must be at least this old to be believed when a date is written without one
# (Feb 29 may need up to eight years back across a skipped century leap year).
_MAX_YEARS_BACK = 8


@dataclass(frozen=True)
class MetaLine:
    """The parsed parts of one meta line, before the date is resolved."""

    score: float | None
    category: str
    month: int
    day: int
    year: int | None
    code: bool


def parse_meta_line(line: str) -> MetaLine | None:
    """Parse a meta line, or return ``None`` when the line is not one.

    The whole (stripped) line must match, so a title that merely starts with ``AI``
    followed by a month name is not mistaken for the start of a new entry.
    """
    m = _META.fullmatch(line.strip())
    if m is None:
        return None
    score = m.group("score")
    year = m.group("year")
    return MetaLine(
        score=float(score) if score is not None else None,
        category=m.group("category"),
        month=MONTHS[m.group("month")[:3].lower()],
        day=int(m.group("day")),
        year=int(year) if year is not None else None,
        code=m.group("code") is not None,
    )


def is_meta_line(line: str) -> bool:
    """Cheap test used by shape detection."""
    return _META.fullmatch(line.strip()) is not None


def resolve_date(
    month: int, day: int, year: int | None, as_of: dt.date
) -> tuple[str, bool]:
    """Return ``(YYYY-MM-DD, inferred)``; ``inferred`` is True when the year was missing.

    A yearless date takes the latest year in which it exists and is not after
    ``as_of``: ``Dec 5`` seen on 2025-11-30 is 2024-12-05, ``Feb 29`` takes the latest
    leap year that fits. Raises ``ValueError`` for a day that exists in no such year
    (``Feb 30``, ``Apr 31``) or, with an explicit year, for an impossible date.
    """
    if year is not None:
        return dt.date(year, month, day).isoformat(), False
    for candidate in range(as_of.year, as_of.year - _MAX_YEARS_BACK - 1, -1):
        try:
            date = dt.date(candidate, month, day)
        except ValueError:
            continue
        if date <= as_of:
            return date.isoformat(), True
    raise ValueError(f"no year has day {day} in month {month}")
