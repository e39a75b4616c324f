"""Characters HTML and XML forbid in text, removed from content as it is read.

C0 controls (but tab, newline and carriage return), DEL, the C1 controls and the
noncharacters U+FFFE and U+FFFF make a page invalid HTML5 and a feed unreadable XML.
Every text a page prints comes from content files and ``site.yaml`` (or is made from
them), so :func:`sitegen.content.yamlio.parse_yaml` drops these characters from what it
returns, and output is never scanned for them: scanning every printed value of every
page cost about a tenth of a cold build, where cleaning costs a check per loaded string.

YAML refuses them written as they are, but lets them through as double-quoted escapes
(``"\\x01"``, ``"\\N"``, ``"\\uFFFE"``) and takes NEL (U+0085) as it is.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["CONTROL", "clean_data", "has_controls", "strip_controls"]

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")

_SHORT = 64  # below this many characters, str.isprintable alone usually answers
_LATIN1_CONTROLS = bytes(0 if b < 0x20 and b not in b"\t\n\r" or 0x7F <= b <= 0x9F else 1
                         for b in range(256))


def has_controls(value: str) -> bool:
    """Whether ``value`` holds a character :data:`CONTROL` matches.

    Every forbidden character is unprintable, so a short value is first asked
    ``isprintable`` (most answer yes). Otherwise (a long text; most hold a newline,
    which is unprintable but allowed) the text is searched as bytes: Latin-1 holds every
    forbidden character but U+FFFE and U+FFFF (looked for first), so after encoding
    (other characters become ``?``) one table lookup per byte marks the forbidden ones.
    """
    if len(value) < _SHORT and value.isprintable():
        return False
    if value.isascii():
        raw = value.encode("ascii")
    elif "\ufffe" in value or "\uffff" in value:
        return True
    else:
        raw = value.encode("latin-1", "replace")
    return 0 in raw.translate(_LATIN1_CONTROLS)


def strip_controls(value: str) -> str:
    """``value`` without the characters HTML and XML forbid."""
    return CONTROL.sub("", value) if has_controls(value) else value


def clean_data(value: Any) -> Any:
    """A parsed YAML document with :func:`strip_controls` applied to every string value
    (mapping keys are left as written: a key is either known, and plain, or an error)."""
    cls = value.__class__
    if cls is str:
        return strip_controls(value)
    if cls is list:
        return [clean_data(item) for item in value]
    if cls is dict:
        return {key: clean_data(item) for key, item in value.items()}
    return value
