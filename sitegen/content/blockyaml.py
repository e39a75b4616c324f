"""A fast reader for the plain block YAML that content files are written in.

libyaml parses quickly, but PyYAML then builds every value in Python, node by node: about
90 us per content file, most of a cold load of a large corpus. The files ``dump_yaml``
writes use a small part of YAML (block mappings and sequences, plain or single-quoted
one-line scalars, literal blocks, ``[]`` and ``{}``), which this module reads line by line.

It never decides anything YAML leaves open: whatever falls outside that part (comments,
flow collections, anchors, tags, folded or indented blocks, tabs, multi-line plain
scalars, numbers written in unusual ways, a missing final newline...) raises
:class:`NotSimple`, and the caller parses the text with PyYAML instead, which also
produces every error message. Plain scalars are typed by the same implicit resolvers the
loader uses, so both readers give equal values for any text this one accepts.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["NotSimple", "parse_block_yaml"]


class NotSimple(Exception):
    """The text uses YAML this reader leaves to PyYAML."""


# Characters outside what a YAML reader accepts, plus tab, CR and the Unicode line breaks
# (NEL, LS, PS), BOM and surrogates, whose handling this reader does not mirror. Listed
# as the few ranges they are: the complement (everything else, astral planes included)
# took 16 ms to compile, on every start-up.
_OUTSIDE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: |$)")
_SINGLE = re.compile(r"'((?:[^']|'')*)'")
_DOUBLE = re.compile(r'"([^"\\]*)"')
_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?")
_PLAIN_START_BAD = frozenset("?:,[]{}#&*!|>'\"%@`- ")
_BOOL = yaml.constructor.SafeConstructor.bool_values
_KEYS: dict[type, set[str]] = {}  # per loader: keys known to resolve to themselves
_KEYS_MAX = 4096
# Per loader: one-line values already read (``true``, a name, a quoted date) and what they
# read as. Content repeats such values across files (author names, flags, categories), and
# a look-up costs less than typing a plain scalar by the resolvers' regular expressions.
# Only immutable results are kept, and only short texts, so the table stays small.
_SEEN: dict[type, dict[str, Any]] = {}
_SEEN_MAX = 1 << 15
_SEEN_LENGTH = 48  # names, dates, flags; most titles are longer, and seldom repeat
_MISS = object()
# Per loader: whole ``key: value`` lines already read, as (key, value, how): how is _KEPT
# (the value itself), _FRESH (the value is list or dict: make a new one) or _NESTED (the
# value follows on the next lines). Saves matching the key and reading the value again.
_LINES: dict[type, dict[str, tuple[str, Any, int]]] = {}
_KEPT, _FRESH, _NESTED = 0, 1, 2
_TABLES: dict[type, tuple] = {}  # per loader: the resolvers and the tables above, in one


def _resolvers(loader: type) -> tuple[dict[str, list], list]:
    table = loader.yaml_implicit_resolvers
    return table, list(table.get(None, []))


def _plain(value: str, table: dict, wildcard: list) -> Any:
    """A plain scalar typed the way the loader's resolvers type it."""
    if not value:
        raise NotSimple
    first = value[0]
    if first in _PLAIN_START_BAD and not (first == "-" and len(value) > 1 and value[1] != " "):
        raise NotSimple
    if ": " in value or " #" in value or value[-1] in " :":
        raise NotSimple
    for tag, regexp in (*table.get(first, ()), *wildcard):
        if regexp.match(value):
            return _typed(tag, value)
    return value


def _typed(tag: str, value: str) -> Any:
    kind = tag.rsplit(":", 1)[-1]
    if kind == "str":
        return value
    if kind == "null":
        return None
    if kind == "bool":
        return _BOOL[value.lower()]
    try:
        if kind == "int" and _INT.fullmatch(value):
            return int(value)
        if kind == "float" and _FLOAT.fullmatch(value):
            return float(value)
    except ValueError:  # more digits than int() converts: PyYAML reports it
        pass
    raise NotSimple


class _Reader:
    """Recursive descent over the lines; ``pos`` is the next unread line.

    ``ind`` holds each line's leading spaces, -2 for a blank line (never simple outside
    a literal block) and -1 for the end, so every loop stops on a smaller number.
    """

    def __init__(self, text: str, loader: type) -> None:
        if not text.endswith("\n") or _OUTSIDE.search(text):
            raise NotSimple
        lines = text.split("\n")
        lines.pop()  # the empty string after the final newline
        self.end = len(lines)
        ind = [(len(line) - len(rest) if (rest := line.lstrip(" ")) else -2)
               if line[:1] == " " else (0 if line else -2) for line in lines]
        ind.append(-1)
        lines.append("")
        self.lines = lines
        self.ind = ind
        self.pos = 0
        tables = _TABLES.get(loader)
        if tables is None:
            tables = _TABLES[loader] = (*_resolvers(loader), _KEYS.setdefault(loader, set()),
                                        _SEEN.setdefault(loader, {}),
                                        _LINES.setdefault(loader, {}))
        self.table, self.wildcard, self.keys, self.seen, self.seen_lines = tables

    def mapping(self, indent: int) -> dict:
        out: dict = {}
        lines, ind = self.lines, self.ind
        keys, seen_lines = self.keys, self.seen_lines
        while True:
            i = self.pos
            at = ind[i]
            if at < indent:
                return out
            if at > indent:
                raise NotSimple
            line = lines[i]
            hit = seen_lines.get(line)
            if hit is not None:
                key, known, how = hit
                self.pos = i + 1
                if how == _KEPT:
                    if ind[i + 1] > indent:
                        raise NotSimple  # a continuation line
                    out[key] = known
                elif how == _FRESH:
                    if ind[i + 1] > indent:
                        raise NotSimple
                    out[key] = known()
                else:
                    out[key] = self.nested(indent)
                continue
            match = _KEY.match(line, indent)
            if match is None:
                if out:
                    return out  # a sequence entry at this indent ends the mapping (caller checks)
                raise NotSimple
            key = match.group(1)
            if key not in keys:
                if self.resolve(key) is not key:
                    raise NotSimple  # ``yes:``, ``null:``, ``on:`` are not string keys
                if len(keys) < _KEYS_MAX:
                    keys.add(key)
            self.pos = i + 1
            rest = line[match.end():]
            if not rest:
                out[key] = self.nested(indent)
                entry: tuple[str, Any, int] | None = (key, None, _NESTED)
            else:
                out[key] = value = self.value(rest, indent)
                if rest == "[]" or rest == "{}":
                    entry = (key, value.__class__, _FRESH)
                elif rest in self.seen:
                    entry = (key, value, _KEPT)
                else:
                    entry = None  # a literal block, or a long value
            if entry is not None and len(seen_lines) < _SEEN_MAX \
                    and len(line) <= _SEEN_LENGTH + indent + len(key) + 2:
                seen_lines[line] = entry

    def resolve(self, value: str) -> Any:
        return _plain(value, self.table, self.wildcard)

    def nested(self, indent: int) -> Any:
        """The value of ``key:`` with nothing after the colon."""
        at = self.ind[self.pos]
        if at < indent:
            return None
        if self.lines[self.pos].startswith("- ", at):
            return self.sequence(at)
        if at == indent:
            return None
        return self.mapping(at)

    def sequence(self, indent: int) -> list:
        out: list = []
        lines, ind = self.lines, self.ind
        while True:
            i = self.pos
            at = ind[i]
            if at != indent or not lines[i].startswith("- ", at):
                if at > indent:
                    raise NotSimple
                return out
            rest = lines[i][indent + 2:]
            if not rest:
                raise NotSimple  # ``- `` with its item on the next lines
            known = self.seen.get(rest, _MISS)
            if known is not _MISS:  # a scalar read before (never ``key: value``)
                self.pos = i + 1
                if ind[i + 1] > indent:
                    raise NotSimple  # a continuation line
                out.append(known)
                continue
            if _KEY.match(rest):
                # ``- key: value``: a mapping whose keys line up two columns further in.
                lines[i] = " " * (indent + 2) + rest
                ind[i] = indent + 2
                out.append(self.mapping(indent + 2))
                continue
            self.pos = i + 1
            out.append(self.value(rest, indent))

    def value(self, rest: str, indent: int) -> Any:
        """A value written on the line of its key or dash; ``indent`` is that line's."""
        result: Any = self.seen.get(rest, _MISS)
        if result is _MISS:
            first = rest[0]
            if first == "|":
                return self.literal(rest, indent)
            if rest == "[]":
                result = []  # a new list (and mapping) each time: never kept
            elif rest == "{}":
                result = {}
            else:
                result = self.scalar(rest, first)
                if len(rest) <= _SEEN_LENGTH and len(self.seen) < _SEEN_MAX:
                    self.seen[rest] = result
        if self.ind[self.pos] > indent:
            raise NotSimple  # a continuation line
        return result

    def scalar(self, rest: str, first: str) -> Any:
        """A one-line scalar: single-quoted, double-quoted (no escapes) or plain."""
        if first == "'":
            match = _SINGLE.fullmatch(rest)
            if match is None:
                raise NotSimple
            return match.group(1).replace("''", "'")
        if first == '"':
            match = _DOUBLE.fullmatch(rest)
            if match is None:
                raise NotSimple
            return match.group(1)
        return _plain(rest, self.table, self.wildcard)

    def literal(self, header: str, indent: int) -> str:
        """A ``|``, ``|-`` or ``|+`` block; trailing blank lines follow its chomping."""
        if header not in ("|", "|-", "|+"):
            raise NotSimple
        lines, ind = self.lines, self.ind
        i = self.pos
        width = ind[i]
        if width <= indent:
            raise NotSimple  # also a blank first line (-2) or the end (-1)
        body: list[str] = []
        blank = 0  # blank lines seen since the last content line
        while True:
            at = ind[i]
            if at >= width:
                if blank:
                    body.extend([""] * blank)
                    blank = 0
                body.append(lines[i][width:])
            elif at == -2:
                if len(lines[i]) > width:
                    raise NotSimple  # spaces-only content line: left to PyYAML
                blank += 1
            else:
                break
            i += 1
        if i < self.end and blank:
            raise NotSimple  # blank lines before the next key: rare, left to PyYAML
        self.pos = i
        text = "\n".join(body)
        if header == "|":
            return text + "\n"
        if header == "|+":
            return text + "\n" * (1 + blank)
        return text


def parse_block_yaml(text: str, loader: type = yaml.SafeLoader) -> dict:
    """The mapping ``text`` holds, as ``yaml.load(text, loader)`` returns it.

    Raises :class:`NotSimple` when the text is not a block mapping of the plain kind
    described above; ``loader`` supplies the implicit resolvers (which scalars are
    numbers, booleans, null).
    """
    reader = _Reader(text, loader)
    if not reader.end:
        raise NotSimple
    try:
        result = reader.mapping(0)
    except RecursionError:
        raise NotSimple from None
    if reader.pos != reader.end:
        raise NotSimple
    return result
