"""Which of the known seed shapes a text is in, judged from the text alone.

File names carry no meaning (they are hashes), so the shape is read off the content:

* **abstracts**: no meta lines, and most non-blank lines start with ``Abstract:``;
* **profile**: meta lines, and either a profile header before the first one (a metrics
  line such as ``h-index24`` / ``866citations`` / ``29 Papers``) or, for a listing whose
  header was lost or trimmed to the name, entries laid out with blank lines between title
  and authors;
* **compact**: meta lines, each followed directly by a glued title/author line.
"""

from __future__ import annotations

import re

from sitegen.ingest.dates import is_meta_line
from sitegen.ingest.records import Shape

ABSTRACT_PREFIX = "Abstract:"

METRIC_PATTERNS: dict[str, re.Pattern[str]] = {
    "h_index": re.compile(r"h-?index\s*:?\s*(\d[\d,]*)", re.IGNORECASE),
    "papers": re.compile(r"(\d[\d,]*)papers"),
    "citations": re.compile(r"(\d[\d,]*)\s*citations", re.IGNORECASE),
    "novelty": re.compile(r"novelty\s*:?\s*(\d+(?:\.\d+)?)\s*%?", re.IGNORECASE),
    "ai_score": re.compile(r"ai\s*score\s*:?\s*(\d+(?:\.\d+)?)", re.IGNORECASE),
}

# ``29 Papers``: the heading above the list, giving how many entries follow.
PAPER_COUNT = re.compile(r"(\d[\d,]*)\s+papers", re.IGNORECASE)


def metric_of(line: str) -> tuple[str, str] | None:
    """``(metric name, number text)`` when ``line`` is a header metrics line."""
    stripped = line.strip()
    for key, pattern in METRIC_PATTERNS.items():
        m = pattern.fullmatch(stripped)
        if m:
            return key, m.group(1)
    return None


def _has_profile_header(header: list[str]) -> bool:
    nonblank = [line.strip() for line in header if line.strip()]
    if not nonblank:
        return False
    return any(metric_of(line) or PAPER_COUNT.fullmatch(line) for line in nonblank)


def spaced_layout(lines: list[str], meta_indexes: list[int]) -> bool:
    """Do entries put a blank line between their first and second lines (profile)?

    Counts, over all entries, whether the line after the title is blank; the majority
    wins, ties go to the compact layout.
    """
    spaced = glued = 0
    n = len(lines)
    for idx in meta_indexes:
        j = idx + 1
        while j < n and not lines[j].strip():
            j += 1
        if j + 1 >= n:
            continue
        if lines[j + 1].strip():
            glued += 1
        else:
            spaced += 1
    return spaced > glued


def scan(text: str) -> tuple[list[str], list[int], int, int]:
    """Lines, indexes of meta lines, count of ``Abstract:`` lines, count of non-blank lines."""
    lines = text.split("\n")
    metas: list[int] = []
    abstracts = nonblank = 0
    for i, line in enumerate(lines):
        stripped = line.strip()
        if not stripped:
            continue
        nonblank += 1
        if stripped.startswith(ABSTRACT_PREFIX):
            abstracts += 1
        elif len(stripped) < 40 and is_meta_line(stripped):
            metas.append(i)
    return lines, metas, abstracts, nonblank


def shape_of(lines: list[str], metas: list[int], abstracts: int, nonblank: int) -> Shape | None:
    if not metas:
        if abstracts and 2 * abstracts >= nonblank:
            return Shape.ABSTRACTS
        return None
    if _has_profile_header(lines[: metas[0]]) or spaced_layout(lines, metas):
        return Shape.PROFILE
    return Shape.COMPACT


def detect_shape(text: str) -> Shape | None:
    """The shape of a seed text, or ``None`` when it is in no known shape."""
    return shape_of(*scan(text))
