"""The grammar of a person's name, author lists, and title/author lines glued together.

Compact listings print a paper's title and its author list on one line with nothing in
between (``Scaling FP8 training to trillion-token LLMsMaxim Fishman, Brian Chmiel``).
Recovering the boundary is a search over split points, judged by a name grammar:

* a **name** is 2 to 8 space-separated tokens: capitalised words (``Zisselman``,
  ``Łukasz``, ``Boix-Adsera``, ``O'Brien``, ``McDonald``), initials with or without a
  period (``V.``, ``P``, ``J.-P.``), lowercase particles (``van``, ``der``, ``da``, ...)
  and generational suffixes (``Jr.``, ``III``). It starts with a word or an initial, ends
  with a word or a suffix, and has at least one capitalised word. A word has a lowercase
  letter (or an apostrophe) right after its capital and never two capitals in a row, so
  acronym tails such as ``RLEv`` or ``LLMsMaxim``'s ``LMs`` are never names;
* an **author list** is names separated by commas, optionally ending in ``et al.``, and
  optionally followed by `` · `` and comma-separated affiliations.

Letter classes come from ``str.isupper``/``str.islower``, so any script's capitals count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

# Lowercase particles that may sit inside a name (never first or last).
PARTICLES: frozenset[str] = frozenset(
    {
        "al", "af", "ap", "av", "bat", "ben", "bin", "binti", "bint", "da", "dal", "das",
        "de", "degli", "dei", "del", "della", "delle", "den", "der", "des", "di", "do",
        "dos", "du", "e", "el", "ibn", "la", "le", "lo", "op", "ten", "ter", "van",
        "vande", "vander", "ver", "von", "y", "zu", "zum", "zur",
    }
)  # fmt: skip

SUFFIXES: frozenset[str] = frozenset({"Jr", "Jr.", "Sr", "Sr.", "II", "III", "IV"})

# Capitalised prefixes fused onto a surname or given name: ``McDonald``, ``MacKay``,
# ``LeCun``, ``DiCarlo``, ``DeAndre``, ``VanDyke``, ``AlGhamdi``. A capital right after
# one of these is name spelling; anywhere else an internal capital is a sign of glued text.
NAME_PREFIXES: frozenset[str] = frozenset(
    {
        "Al", "Da", "Das", "De", "Del", "Della", "Des", "Di", "Dos", "Du", "El", "Fitz",
        "La", "Le", "Mac", "Mc", "Van", "Von",
    }
)  # fmt: skip

APOSTROPHES = "'\u2019"
MIN_NAME_TOKENS = 2
MAX_NAME_TOKENS = 8

AFFILIATION_SEPARATOR = re.compile(r"\s*\u00b7\s*")
_ET_AL = re.compile(r"(?:\s*,)?\s+et\s+al\.?\s*$")

# Kinds of name tokens.
WORD = "word"
LOWER_WORD = "lower-word"  # al-Farabi, d'Alembert: a word led by a particle
INITIAL = "initial"
PARTICLE = "particle"
SUFFIX = "suffix"


def _is_upper(ch: str) -> bool:
    return ch.isupper() or ch.istitle()  # titlecase digraphs (U+01C5) count as capitals


def _is_letterish(ch: str) -> bool:
    """Letters and the combining marks of decomposed accents (``e`` + U+0301)."""
    return ch.isalpha() or unicodedata.category(ch).startswith("M")


def _word_part(part: str) -> tuple[bool, int]:
    """Is ``part`` a capitalised word (no hyphen)? Returns (valid, glue-like capitals).

    Internal capitals are legal but counted, because the glue splitter prefers readings
    with fewer of them: a title glued to a name leaves one behind (``OptimizationTomer``).
    A first internal capital right after a name prefix (``McDonald``, ``LeCun``,
    ``DiCarlo``, ``DeAndre``; see ``NAME_PREFIXES``) is how names are spelled and is not
    counted.
    """
    if len(part) < 2 or not _is_upper(part[0]):
        return False, 0
    second = part[1]
    start = 2
    if second in APOSTROPHES:
        # O'Brien, D'Amour: capital, apostrophe, capitalised rest.
        if len(part) < 4 or not _is_upper(part[2]) or not part[3].islower():
            return False, 0
        start = 4
    elif not second.islower():
        return False, 0
    caps = 0
    prev_upper = False
    prev_apos = False
    for k, ch in enumerate(part[start:], start):
        if ch in APOSTROPHES:
            if prev_apos:
                return False, 0
            prev_apos, prev_upper = True, False
            continue
        if not _is_letterish(ch):
            return False, 0
        upper = _is_upper(ch)
        if upper:
            if prev_upper:
                return False, 0
            if not prev_apos and not (caps == 0 and part[:k] in NAME_PREFIXES):
                caps += 1
        prev_upper, prev_apos = upper, False
    if prev_apos:
        return False, 0
    return True, caps


def _initials(token: str) -> bool:
    """``V``, ``V.``, ``J.R.``, ``J.-P.``: capitals each followed by a period (one may omit it)."""
    if len(token) == 1:
        return _is_upper(token)
    if len(token) == 2:
        return _is_upper(token[0]) and token[1] == "."
    pieces = token.replace(".-", ".").split(".")
    if pieces[-1] != "":
        return False
    return all(len(p) == 1 and _is_upper(p) for p in pieces[:-1])


@lru_cache(maxsize=1 << 16)
def token_kind(token: str) -> tuple[str | None, int]:
    """Classify one name token; returns (kind or None, internal capitals)."""
    if token in SUFFIXES:
        return SUFFIX, 0
    if token in PARTICLES:
        return PARTICLE, 0
    if _initials(token):
        return INITIAL, 0
    parts = token.split("-")
    if "" in parts:
        return None, 0
    kind = WORD
    caps = 0
    for i, part in enumerate(parts):
        if i == 0 and part in PARTICLES and len(parts) > 1:
            kind = LOWER_WORD  # al-Farabi
            continue
        if 0 < i < len(parts) - 1 and part in PARTICLES:
            continue  # Abu-el-Haija
        ok, n = _word_part(part)
        if not ok:
            if i > 0 and _initials(part):
                continue  # Jean-P.
            if i > 0 and kind == WORD and part.isalpha() and part.islower():
                continue  # Ji-ho, Jae-won, Chun-liang: a romanised syllable after a hyphen
            return None, 0
        caps += n
    return kind, caps


def _lower_apostrophe_word(token: str) -> bool:
    """``d'Alembert``, ``dell'Olio``: a lowercase particle elided onto a capitalised word."""
    for i, ch in enumerate(token):
        if ch in APOSTROPHES:
            head, tail = token[:i], token[i + 1 :]
            return head.isalpha() and head.islower() and _word_part(tail)[0]
    return False


@lru_cache(maxsize=1 << 17)
def name_shape(name: str) -> int | None:
    """Internal-capital count of ``name`` if it is a valid name, else ``None``."""
    tokens = name.split()
    if not MIN_NAME_TOKENS <= len(tokens) <= MAX_NAME_TOKENS:
        return None
    caps = 0
    has_word = False
    kinds: list[str] = []
    for token in tokens:
        kind, n = token_kind(token)
        if kind is None:
            if _lower_apostrophe_word(token):
                kind = LOWER_WORD
            else:
                return None
        if kind == WORD:
            has_word = True
        caps += n
        kinds.append(kind)
    if not has_word:
        return None
    if kinds[0] not in (WORD, INITIAL):
        return None
    if kinds[-1] not in (WORD, SUFFIX, LOWER_WORD):
        return None
    if SUFFIX in kinds[:-1] and any(k != SUFFIX for k in kinds[kinds.index(SUFFIX) :]):
        return None  # suffixes only at the end
    return caps


def looks_like_name(s: str) -> bool:
    """True when ``s`` (exactly, no surrounding space) reads as one person's name."""
    return s == s.strip() and name_shape(s) is not None


def split_et_al(text: str) -> tuple[str, bool]:
    """Remove a trailing ``et al.`` (with or without a comma before it)."""
    if not text.rstrip().endswith(("al.", "al")):
        return text, False
    m = _ET_AL.search(text)
    if m is None:
        return text, False
    return text[: m.start()], True


def parse_author_list(text: str) -> tuple[list[str], bool]:
    """Parse ``A, B, C et al.`` into ``([A, B, C], True)``.

    Strict: every comma-separated part must satisfy :func:`looks_like_name`;
    raises ``ValueError`` naming the first part that does not.
    """
    body, et_al = split_et_al(text.strip())
    names = [part.strip() for part in body.split(",")]
    for name in names:
        if not looks_like_name(name):
            raise ValueError(f"not a name: {name!r}")
    return names, et_al


def split_affiliations(text: str) -> tuple[str, list[str]]:
    """Split ``authors · aff1, aff2`` at the first separator."""
    m = AFFILIATION_SEPARATOR.search(text)
    if m is None:
        return text, []
    return text[: m.start()], parse_affiliations(text[m.end() :])


def parse_affiliations(text: str) -> list[str]:
    return [a.strip() for a in text.split(",") if a.strip()]


_FORBIDDEN_IN_NAME = frozenset('0123456789:;?!()[]{}"$\\/=+*<>|@#%&_')


def plausible_name(s: str) -> bool:
    """Looser than :func:`looks_like_name`, for author lines known to be author lines.

    Profile listings print authors on their own line, so no boundary has to be found;
    a name there only has to be a short run of capitalised words (or particles) without
    digits or sentence marks: ``Mausam``, ``LIU Yang`` and ``OpenAI`` pass.
    """
    tokens = s.split()
    if not 1 <= len(tokens) <= MAX_NAME_TOKENS or len(s) > 80:
        return False
    if any(ch in _FORBIDDEN_IN_NAME for ch in s):
        return False
    return all(_is_upper(t[0]) or t in PARTICLES or _lower_prefixed(t) for t in tokens)


def _lower_prefixed(token: str) -> bool:
    """``al-Farabi``, ``d'Alembert``: a lowercase particle joined to a capitalised word."""
    for i, ch in enumerate(token):
        if ch == "-" or ch in APOSTROPHES:
            return 0 < i < len(token) - 1 and _is_upper(token[i + 1])
    return False


@dataclass(frozen=True)
class AuthorLine:
    """An author line read on its own (profile layout)."""

    authors: list[str]
    et_al: bool
    affiliations: list[str] = field(default_factory=list)
    clean: list[str] = field(default_factory=list)  # names that pass the strict grammar


def parse_author_line(line: str) -> AuthorLine | None:
    """Read ``A, B et al. · aff1, aff2`` when the line is known to hold only authors.

    Returns ``None`` when some part is not even a plausible name (the line is then
    likely an abstract or a title, i.e. the block is missing its author line).
    """
    head, affiliations = split_affiliations(line.strip())
    body, et_al = split_et_al(head.strip())
    names = [part.strip() for part in body.split(",")]
    if not names or not all(plausible_name(n) for n in names):
        return None
    clean = [n for n in names if looks_like_name(n)]
    return AuthorLine(names, et_al, affiliations, clean)


# --------------------------------------------------------------------------- glued lines


@dataclass(slots=True)
class GluedSplit:
    """One reading of a glued ``<title><authors>[ et al.][ · affiliations]`` line.

    ``alternatives`` is how many valid readings the line had; 1 means the split is
    unambiguous and its names can serve as evidence for other lines.
    """

    title: str
    authors: list[str]
    et_al: bool
    affiliations: list[str]
    alternatives: int = 1
    offset: int = 0  # where the author part starts in the line (after stripping)
    internal_caps: int = 0
    cut_title: bool = False
    dangling_prefix: bool = False


# A title ending in one of these would have been cut mid-word (``4-`` + ``Bit...``).
_CUT_ENDINGS = frozenset("-'\u2019,(/[&")


_TOKEN = re.compile(r"\S+")


@lru_cache(maxsize=1 << 16)
def _inner_capitals(token: str) -> tuple[int, ...]:
    return tuple(i for i in range(1, len(token)) if _is_upper(token[i]))


@lru_cache(maxsize=1 << 16)
def _inner_split_points(piece: str) -> tuple[int, ...]:
    """Indices ``i > 0`` in ``piece`` where a capital directly follows a non-space character.

    Only tokens that can start a name are searched: a name has 2 to 8 tokens, so the
    split lies in one of the 8 tokens before the last one. Cached, since author pieces
    (``" Brian Chmiel"``) recur throughout a listing.
    """
    points: list[int] = []
    for m in list(_TOKEN.finditer(piece))[-MAX_NAME_TOKENS:-1]:
        start = m.start()
        points.extend(start + i for i in _inner_capitals(m.group()))
    return tuple(points)


def _split_points(piece: str, prev: str) -> tuple[int, ...]:
    """Split points in ``piece``; ``prev`` is the character before it in the line ('' at
    the line start), which makes index 0 a split point when it is not a space."""
    points = _inner_split_points(piece)
    if prev and not prev.isspace() and piece[:1] and _is_upper(piece[0]) and " " in piece:
        return (0, *points)
    return points


def _dangling_prefix(title: str) -> bool:
    """Does the title end in a name prefix cut off the first author's name?

    ``...ImageNetDe`` + ``Andre Jordan``, ``...RLDe`` + ``Andre Jordan``, ``..., De`` +
    ``Andre Jordan``, ``...Ryan Mc`` + ``Donald Jr.``: the title's last capitalised run is
    one of ``NAME_PREFIXES``, glued to what precedes it, or after a comma, a name token or
    an initial. After any other word it is taken for a word of the title (``ReLU Da``).
    """
    if not title[-1:].islower():
        return False
    start = len(title) - 1
    while start > 0 and title[start - 1].islower() and len(title) - start < 5:
        start -= 1
    start -= 1
    if start < 0 or title[start:] not in NAME_PREFIXES:
        return False
    if start == 0 or not title[start - 1].isspace():
        return True
    before = title[:start].split()
    if not before:
        return True
    last = before[-1]
    if last.endswith(",") or token_kind(last)[0] in (WORD, INITIAL, PARTICLE):
        return True
    # An initial glued to the title (``NetworksR. La``, ``(DSI)Z Mc``) starts a name too;
    # a capital after a capital is the end of an acronym (``ReLU Da``).
    core = last[:-1] if last.endswith(".") else last
    return len(core) >= 2 and _is_upper(core[-1]) and not _is_upper(core[-2])


def _candidates_in(head: str, affiliations: list[str]) -> list[GluedSplit]:
    body, et_al = split_et_al(head.rstrip())
    pieces = body.split(",")
    starts: list[int] = []
    pos = 0
    for p in pieces:
        starts.append(pos)
        pos += len(p) + 1
    found: list[GluedSplit] = []
    tail: list[str] = []
    tail_caps = 0
    for j in range(len(pieces) - 1, -1, -1):
        if j < len(pieces) - 1:
            name = pieces[j + 1].strip()
            caps = name_shape(name)
            if caps is None:
                break
            tail.append(name)  # right to left; reversed when a reading is built
            tail_caps += caps
        piece = pieces[j]
        prev = body[starts[j] - 1] if j > 0 else ""
        for i in _split_points(piece, prev):
            first = piece[i:].rstrip()
            caps = name_shape(first)
            if caps is None:
                continue
            cut = starts[j] + i
            title = body[:cut]
            if not title.strip():
                continue
            found.append(
                GluedSplit(
                    title=title.strip(),
                    authors=[first, *reversed(tail)],
                    et_al=et_al,
                    affiliations=list(affiliations),
                    offset=cut,
                    internal_caps=caps + tail_caps,
                    cut_title=title[-1] in _CUT_ENDINGS,
                    dangling_prefix=_dangling_prefix(title),
                )
            )
    return found


def glued_candidates(line: str) -> list[GluedSplit]:
    """Every valid reading of a glued line, unranked (``alternatives`` filled in).

    The affiliation separator is tried at each occurrence from the left, then not at all
    (a title may contain a ``·`` of its own); the first that yields a reading wins. Work per line is
    bounded: only split points within the last name's worth of tokens before each comma
    are tried, and the comma-separated names to the right are validated once each.
    """
    text = line.strip()
    options: list[tuple[str, list[str]]] = []
    if "\u00b7" in text:
        options = [
            (text[: m.start()], parse_affiliations(text[m.end() :]))
            for m in AFFILIATION_SEPARATOR.finditer(text)
        ]
    options.append((text, []))
    for head, affiliations in options:
        found = _candidates_in(head, affiliations)
        if found:
            for candidate in found:
                candidate.alternatives = len(found)
            return found
    return []


def rank_key(candidate: GluedSplit, known_keys: frozenset[str] | set[str]) -> tuple:
    """Order readings of a glued line, best first. The rule, in priority order:

    1. the most known names (seen in a clean author line or an unambiguous split anywhere
       in the corpus): a reading that keeps a known name whole beats one that cuts it;
    2. the title is not cut inside a word (it does not end in ``-``, an apostrophe, a
       comma or an opening bracket: ``4-`` + ``BitMaxim`` loses to ``4-Bit`` + ``Maxim``);
    3. fewest glue-like internal capitals in the names: gluing leaves a capital inside a
       word (``OptimizationTomer``, ``NetworksAnn``, ``MsMaxim``, ``PyCharles``), so a
       reading that absorbs title text into a name carries one more than the true one
       (a capital after a name prefix, as in ``McDonald`` or ``DeAndre``, does not count);
    4. the title does not end in a dangling name prefix (``...ImageNetDe`` + ``Andre
       Jordan`` loses to ``...ImageNet`` + ``DeAndre Jordan``, ``...Ryan Mc`` + ``Donald
       Jr.`` to ``...`` + ``Ryan McDonald Jr.``);
    5. the latest split point (the shortest author part).

    Known weak spots, settled only by evidence: a fused given name whose prefix is not a
    name prefix (``JoAnn`` read as ``Jo`` + ``Ann``), and a title ending in a word that is
    a name prefix (``...for the Mac`` + ``Ann Lee`` read as ``...for the`` + ``MacAnn``).
    """
    known = sum(1 for a in candidate.authors if name_key(a) in known_keys) if known_keys else 0
    return (
        -known,
        candidate.cut_title,
        candidate.internal_caps,
        candidate.dangling_prefix,
        -candidate.offset,
    )


def choose_split(
    candidates: list[GluedSplit], known_keys: frozenset[str] | set[str] = frozenset()
) -> GluedSplit | None:
    """The best reading by :func:`rank_key`, or ``None`` when there is none."""
    if len(candidates) < 2:
        return candidates[0] if candidates else None
    return min(candidates, key=lambda c: rank_key(c, known_keys))


def split_glued(line: str, known_names: Iterable[str] = frozenset()) -> GluedSplit | None:
    """Split a glued title/author line; ``None`` when no split gives a valid author list.

    ``known_names`` may hold names or :func:`name_key` keys (keys are idempotent).
    """
    keys = frozenset(name_key(n) for n in known_names)
    return choose_split(glued_candidates(line), keys)


# --------------------------------------------------------------------------- identity


# Letters that carry no combining accent under NFKD but are spelled without it in ASCII.
_FOLD = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "ı": "i", "ŀ": "l", "ß": "ss",
     "æ": "ae", "œ": "oe", "þ": "th"}
)  # fmt: skip


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_KEY_DROP = re.compile(r"[.'\u2019`]")
_KEY_SPACE = re.compile(r"[\s\-\u2010\u2011]+")


@lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """Identity key: names that differ only in middle initials, periods, accents, case,
    apostrophes or hyphen-vs-space map to the same key.

    ``Geoffrey E. Hinton``, ``Geoffrey Hinton`` and ``geoffrey hinton`` all give
    ``geoffrey hinton``; ``Łukasz`` and ``Lukasz`` match too. First and last tokens are
    always kept, so ``J. Smith`` and ``A. Smith`` stay apart.
    Idempotent: ``name_key(name_key(x)) == name_key(x)``.
    """
    text = _strip_accents(name).casefold().translate(_FOLD)
    text = _KEY_DROP.sub("", text)
    tokens = [t for t in _KEY_SPACE.split(text) if t]
    if len(tokens) > 2:
        middle = [t for t in tokens[1:-1] if len(t) > 1]
        tokens = [tokens[0], *middle, tokens[-1]]
    return " ".join(tokens)
