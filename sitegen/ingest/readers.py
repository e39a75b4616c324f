"""Seed text -> :class:`SeedDoc`: one reader per shape, tolerant of damaged input.

Reading is one pass plus a re-ranking step. The pass reads every file and collects *name
evidence*: names from clean author lines (profile layout), profile owners, and the names
of a glued line that every valid split keeps whole (all of them when there is only one
split). Then each glued line that had several valid splits is ranked again with the
corpus-wide evidence, so an ambiguous line in one file can be settled by a name seen in
another (see :func:`sitegen.ingest.names.rank_key`), and owners are inferred from the
final author lists.

Nothing that cannot be read is dropped silently: a truncated block, a stray line, an
impossible date each become an :class:`Issue` with its line, and reading goes on.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from sitegen.content.model import Metrics
from sitegen.errors import IngestError
from sitegen.ingest.dates import MetaLine, parse_meta_line, resolve_date
from sitegen.ingest.names import (
    GluedSplit,
    choose_split,
    glued_candidates,
    name_key,
    parse_author_line,
    plausible_name,
)
from sitegen.ingest.records import BareAbstract, Entry, Issue, SeedDoc, Shape
from sitegen.ingest.shapes import (
    ABSTRACT_PREFIX,
    PAPER_COUNT,
    metric_of,
    scan,
    shape_of,
)

NO_SHAPE = (
    "not a seed listing: no dated entries (like 'LGMar 11, 2023') "
    "and no 'Abstract:' paragraphs"
)

_CATEGORY_LINE = re.compile(r"[A-Z]{2,6}")
_PREVIEW = 60

def _preview(text: str) -> str:
    return repr(text if len(text) <= _PREVIEW else text[:_PREVIEW] + "...")


@dataclass
class _Context:
    """Per-file reading state: evidence found, and entries whose glued line was ambiguous."""

    name: str
    as_of: dt.date
    evidence: set[str] = field(default_factory=set)
    ambiguous: list[tuple[Entry, list[GluedSplit]]] = field(default_factory=list)
    owner_from_header: bool = False


@dataclass
class _Parsed:
    title: str
    authors: list[str]
    et_al: bool
    affiliations: list[str]
    rest: list[tuple[int, str]]
    candidates: list[GluedSplit] = field(default_factory=list)


# --------------------------------------------------------------------------- public API


def parse_seed(
    name: str,
    text: str,
    as_of: dt.date,
    known_names: frozenset[str] = frozenset(),
) -> SeedDoc:
    """Read one seed text into a :class:`SeedDoc`.

    The shape comes from the text alone. ``known_names`` (names or :func:`name_key` keys)
    is extra evidence for ambiguous glued lines, on top of what the file itself provides.
    ``owner`` is the profile header's name, or else the one name in every complete author
    list; ``owner_candidates`` is ``[owner]`` when there is an owner, else the names
    common to all complete lists (empty when there is no complete list). Yearless dates
    are resolved against ``as_of``. Unreadable lines and blocks become ``doc.issues``.

    Raises ``IngestError`` naming the file when the text is in no known shape.
    """
    docs, errors = _parse_all({name: text}, as_of, frozenset(known_names))
    if errors:
        raise errors[0]
    return docs[0]


def parse_seeds(
    texts: dict[str, str], as_of: dt.date
) -> tuple[list[SeedDoc], list[IngestError]]:
    """Read every seed (``{file name: text}``), sharing name evidence across all of them.

    Returns the documents in file-name order, and one ``IngestError`` per file in no
    known shape; the other files are still read. Same input, same output.
    """
    return _parse_all(texts, as_of, frozenset())


def _parse_all(
    texts: dict[str, str], as_of: dt.date, extra_known: frozenset[str]
) -> tuple[list[SeedDoc], list[IngestError]]:
    errors: list[IngestError] = []
    scanned: list[tuple[str, list[str], list[int], Shape]] = []
    for name in sorted(texts):
        lines, metas, abstracts, nonblank = scan(texts[name])
        shape = shape_of(lines, metas, abstracts, nonblank)
        if shape is None:
            errors.append(IngestError(NO_SHAPE, file=name))
            continue
        scanned.append((name, lines, metas, shape))

    evidence: set[str] = {name_key(n) for n in extra_known}
    read: list[tuple[SeedDoc, _Context]] = []
    for name, lines, metas, shape in scanned:
        ctx = _Context(name, as_of)
        read.append((_read(ctx, lines, metas, shape), ctx))
        evidence |= ctx.evidence

    known = frozenset(evidence)
    for doc, ctx in read:
        for entry, candidates in ctx.ambiguous:
            _apply(entry, choose_split(candidates, known))
        if doc.shape is not Shape.ABSTRACTS and not ctx.owner_from_header:
            doc.owner, doc.owner_candidates = infer_owner(doc.entries)
    return [doc for doc, _ in read], errors


def _apply(entry: Entry, split: GluedSplit | None) -> None:
    if split is not None:
        entry.title = split.title
        entry.authors = list(split.authors)
        entry.et_al = split.et_al
        entry.affiliations = list(split.affiliations)


def _read(ctx: _Context, lines: list[str], metas: list[int], shape: Shape) -> SeedDoc:
    if shape is Shape.ABSTRACTS:
        return read_abstracts(ctx.name, lines)
    return _read_listing(ctx, lines, metas, shape)


# --------------------------------------------------------------------------- abstracts


def read_abstracts(name: str, lines: list[str]) -> SeedDoc:
    """``Abstract:`` paragraphs; a non-blank line right after one continues it."""
    doc = SeedDoc(source=name, shape=Shape.ABSTRACTS)
    current: BareAbstract | None = None
    for i, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            current = None
        elif line.startswith(ABSTRACT_PREFIX):
            text = line[len(ABSTRACT_PREFIX) :].strip()
            if text:
                current = BareAbstract(source=name, line=i, text=text)
                doc.abstracts.append(current)
            else:
                current = None
                doc.issues.append(Issue(i, "empty abstract"))
        elif current is not None:
            current.text += "\n" + line
        else:
            doc.issues.append(Issue(i, f"stray line ignored: {_preview(line)}"))
    return doc


# --------------------------------------------------------------------------- listings


def _read_listing(ctx: _Context, lines: list[str], metas: list[int], shape: Shape) -> SeedDoc:
    doc = SeedDoc(source=ctx.name, shape=shape)
    spaced = shape is Shape.PROFILE
    header = [(i + 1, lines[i].strip()) for i in range(metas[0]) if lines[i].strip()]
    expected: tuple[int, int] | None = None
    if spaced:
        expected = _read_header(header, doc)
    else:
        for line_no, text in header:
            problem = f"stray line before the first entry: {_preview(text)}"
            doc.issues.append(Issue(line_no, problem))

    for k, idx in enumerate(metas):
        end = metas[k + 1] if k + 1 < len(metas) else len(lines)
        body = [(i + 1, lines[i].strip()) for i in range(idx + 1, end) if lines[i].strip()]
        meta = parse_meta_line(lines[idx])
        assert meta is not None  # metas only holds meta lines
        entry = _read_block(ctx, doc, idx + 1, meta, body, spaced)
        if entry is not None:
            doc.entries.append(entry)

    if expected is not None and expected[0] != len(doc.entries):
        doc.issues.append(
            Issue(expected[1], f"header announces {expected[0]} papers, {len(doc.entries)} read")
        )
    if doc.owner is not None:
        doc.owner_candidates = [doc.owner]
        ctx.owner_from_header = True
        ctx.evidence.add(name_key(doc.owner))
    return doc


def _read_header(header: list[tuple[int, str]], doc: SeedDoc) -> tuple[int, int] | None:
    """Fill owner and metrics from a profile header; return (announced count, its line)."""
    expected: tuple[int, int] | None = None
    values: dict[str, str] = {}
    for pos, (line_no, text) in enumerate(header):
        metric = metric_of(text)
        if metric is not None:
            values[metric[0]] = metric[1]
            continue
        count = PAPER_COUNT.fullmatch(text)
        if count is not None:
            expected = (int(count.group(1).replace(",", "")), line_no)
        elif _CATEGORY_LINE.fullmatch(text):
            continue  # the researcher's main category; entries carry their own
        elif pos == 0 and plausible_name(text):
            doc.owner = text
        else:
            doc.issues.append(Issue(line_no, f"unrecognised header line: {_preview(text)}"))
    doc.metrics = _metrics(values)
    return expected


def _metrics(values: dict[str, str]) -> Metrics:
    def integer(key: str) -> int | None:
        v = values.get(key)
        return int(v.replace(",", "")) if v is not None else None

    def number(key: str) -> float | None:
        v = values.get(key)
        return float(v) if v is not None else None

    return Metrics(
        h_index=integer("h_index"),
        papers=integer("papers"),
        citations=integer("citations"),
        novelty=number("novelty"),
        ai_score=number("ai_score"),
    )


def _read_block(
    ctx: _Context,
    doc: SeedDoc,
    line_no: int,
    meta: MetaLine,
    body: list[tuple[int, str]],
    spaced: bool,
) -> Entry | None:
    try:
        date, inferred = resolve_date(meta.month, meta.day, meta.year, ctx.as_of)
    except ValueError:
        year = f", {meta.year}" if meta.year is not None else ""
        doc.issues.append(
            Issue(line_no, f"impossible date {meta.month:02d}/{meta.day:02d}{year}; entry skipped")
        )
        return None
    if not body:
        doc.issues.append(Issue(line_no, "entry has no title: nothing follows the date line"))
        return None

    if spaced:
        parsed = _two_lines(ctx, body, strict=False)
        if parsed is None:
            problem = (
                "entry has a title but no author line"
                if len(body) == 1
                else f"no author line after the title {_preview(body[0][1])}"
            )
            doc.issues.append(Issue(body[0][0], problem + "; entry skipped"))
            return None
    else:
        parsed = _glued(ctx, body) or _two_lines(ctx, body, strict=True)
        if parsed is None:
            doc.issues.append(
                Issue(
                    body[0][0],
                    f"cannot tell the title from the authors in {_preview(body[0][1])}; "
                    "entry skipped",
                )
            )
            return None

    abstract = ""
    if parsed.rest:
        abstract = parsed.rest[0][1]
        for stray_no, stray in parsed.rest[1:]:
            doc.issues.append(Issue(stray_no, f"stray line ignored: {_preview(stray)}"))
    else:
        doc.issues.append(Issue(line_no, "entry has no abstract"))
    entry = Entry(
        source=ctx.name,
        line=line_no,
        title=parsed.title,
        authors=parsed.authors,
        et_al=parsed.et_al,
        date=date,
        date_inferred=inferred,
        category=meta.category,
        code=meta.code,
        score=meta.score,
        affiliations=parsed.affiliations,
        abstract=abstract,
    )
    if len(parsed.candidates) > 1:
        ctx.ambiguous.append((entry, parsed.candidates))
    return entry


def _two_lines(ctx: _Context, body: list[tuple[int, str]], strict: bool) -> _Parsed | None:
    """Title on one line, authors on the next (the profile layout)."""
    if len(body) < 2:
        return None
    line = parse_author_line(body[1][1])
    if line is None or (strict and len(line.clean) != len(line.authors)):
        return None
    ctx.evidence.update(name_key(n) for n in line.clean)
    return _Parsed(body[0][1], line.authors, line.et_al, line.affiliations, body[2:])


def _glued(ctx: _Context, body: list[tuple[int, str]]) -> _Parsed | None:
    """Title and authors glued on one line (the compact layout); ranked without evidence
    here, and again with the corpus evidence once every file has been read."""
    candidates = glued_candidates(body[0][1])
    best = choose_split(candidates)
    if best is None:
        return None
    # A name that every reading keeps whole is certain, whichever reading is right.
    certain = {name_key(n) for n in best.authors}
    for other in candidates:
        if other is not best:
            certain &= {name_key(n) for n in other.authors}
    ctx.evidence |= certain
    return _Parsed(
        best.title, list(best.authors), best.et_al, list(best.affiliations), body[1:], candidates
    )


# --------------------------------------------------------------------------- owners


def infer_owner(entries: Iterable[Entry]) -> tuple[str | None, list[str]]:
    """The listing's owner: the one name (by :func:`name_key`) in every complete list.

    Lists cut with ``et al.`` say nothing about who is missing, so only complete lists
    vote. Returns ``(owner, [owner])`` when exactly one name is common to all of them,
    else ``(None, candidates)`` with the common names in first-seen order (empty when
    there is no complete list, or no common name). Each name is spelled the way it is
    most often written (ties: first seen).
    """
    common: dict[str, None] | None = None
    spellings: dict[str, Counter[str]] = {}
    for entry in entries:
        if entry.et_al:
            continue
        keys: dict[str, None] = {}
        for author in entry.authors:
            key = name_key(author)
            keys[key] = None
            spellings.setdefault(key, Counter())[author] += 1
        common = keys if common is None else {k: None for k in common if k in keys}
    if not common:
        return None, []
    names = [spellings[k].most_common(1)[0][0] for k in common]
    if len(names) == 1:
        return names[0], names
    return None, names

