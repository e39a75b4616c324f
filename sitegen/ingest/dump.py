"""The YAML text of a generated content file, without PyYAML for the common values.

A first ingest writes tens of thousands of files, and ``dump_yaml`` spends most of its
time in PyYAML's Python representer. Content files are flat mappings of a few kinds of
values, and for most of them (names, slugs, flags, one-line abstracts) the text the
emitter would write is easy to state exactly. This writes those directly and hands every
other value to ``dump_yaml``, key by key: the output is byte-identical to
``dump_yaml(data)`` (the tests compare the two on generated and random data).
"""

from __future__ import annotations

import math
import re
from typing import Any

from sitegen.content.yamlio import BLOCK_STYLE_MIN, _Dumper, dump_yaml

# Characters the emitter writes as they are (printable, no line break, no BOM; it
# escapes characters beyond the Basic Multilingual Plane).
_PRINTABLE = (
    r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
)
# A short string written plain: starts with a letter or digit, no ':' or '#' (indicators
# in some positions), no space at either end.
_PLAIN = re.compile(rf"(?=[^\W_])(?:(?![:#]){_PRINTABLE})+(?<! )")
_ONE_LINE = re.compile(rf"{_PRINTABLE}+")
# Shown plain, these would read back as another string or a mapping: always quoted.
_NOT_PLAIN = re.compile(r"[#,\[\]{}&*!|>'\"%@`]|.*(?:: | #|:$)|.*(?: $)| ")
# A long one-line string written as a literal block (``|-``): no space at either end.
_BLOCK = re.compile(rf"(?! ){_PRINTABLE}*(?<! )")
_RESOLVERS = _Dumper.yaml_implicit_resolvers


def _plain(text: str) -> bool:
    if not _PLAIN.fullmatch(text):
        return False
    # A plain scalar that would read back as a bool or null is quoted by the emitter.
    return not any(regex.match(text) for _tag, regex in _RESOLVERS.get(text[0], ()))


def _scalar(value: Any) -> str | None:
    """A non-string scalar as the representer writes it, or None."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int:
        return str(value)
    if type(value) is float and math.isfinite(value):
        text = repr(value).lower()
        if "." not in text and "e" in text:
            text = text.replace("e", ".0e", 1)
        return text
    return None


def _short_plain(text: str) -> bool:
    return 0 < len(text) <= BLOCK_STYLE_MIN and _plain(text)


def _short(text: str) -> str | None:
    """A short one-line string as the emitter writes it: plain, quoted, or None (unsure)."""
    if _plain(text):
        return text
    if not _ONE_LINE.fullmatch(text):
        return None
    resolved = any(regex.match(text) for _tag, regex in _RESOLVERS.get(text[0], ()))
    if resolved or _NOT_PLAIN.match(text):
        return "'" + text.replace("'", "''") + "'"
    return None


def _value(key: str, value: Any) -> str | None:
    """``key: value`` lines, or None when ``dump_yaml`` must decide."""
    if isinstance(value, str):
        if not value:
            return f"{key}: ''\n"
        if len(value) > BLOCK_STYLE_MIN:
            if value and _BLOCK.fullmatch(value):
                return f"{key}: |-\n  {value}\n"
            return None
        text = _short(value)
        return f"{key}: {text}\n" if text is not None else None
    scalar = _scalar(value)
    if scalar is not None:
        return f"{key}: {scalar}\n"
    if isinstance(value, list):
        if not value:
            return f"{key}: []\n"
        items = []
        for item in value:
            if not (isinstance(item, str) and _short_plain(item)):
                return None
            items.append(f"- {item}\n")
        return f"{key}:\n" + "".join(items)
    if isinstance(value, dict):
        if not value:
            return f"{key}: {{}}\n"
        lines = [f"{key}:\n"]
        for inner, item in value.items():
            if not (isinstance(inner, str) and _short_plain(inner)):
                return None
            text = _scalar(item)
            if text is None:
                if not (isinstance(item, str) and _short_plain(item)):
                    return None
                text = item
            lines.append(f"  {inner}: {text}\n")
        return "".join(lines)
    return None


def dump_content(data: dict) -> str:
    """Same text as ``dump_yaml(data)`` for a mapping with plain string keys."""
    if not data:
        return dump_yaml(data)
    parts: list[str] = []
    for key, value in data.items():
        if not (isinstance(key, str) and _short_plain(key)):
            return dump_yaml(data)
        text = _value(key, value)
        parts.append(text if text is not None else dump_yaml({key: value}))
    return "".join(parts)
