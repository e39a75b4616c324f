"""Turning parsed YAML mappings into typed records, with precise errors.

Validation is strict about types because everything here ends up in pages: a wrong type
caught here is a clear ``file:line: key: problem`` instead of a template traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sitegen.content.model import (
    AUTHOR_KEYS,
    METRIC_KEYS,
    PAPER_KEYS,
    Author,
    Link,
    Metrics,
    Paper,
)
from sitegen.content.yamlio import key_line
from sitegen.errors import ContentError

DATE_RE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
REQUIRED_PAPER_KEYS = ("title", "authors", "date")
REQUIRED_AUTHOR_KEYS = ("name",)


def key_name(key_path: tuple[str | int, ...]) -> str | None:
    """``("authors", 1)`` -> ``authors[1]``; ``("metrics", "h_index")`` -> ``metrics.h_index``."""
    out = ""
    for part in key_path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or None


class FieldChecker:
    """Typed reads of a YAML mapping whose errors name the file, the line and the key.

    Shared by content files and ``site.yaml`` so every YAML error reads the same way.
    """

    def __init__(self, file: str, text: str | None) -> None:
        self.file = file
        self.text = text

    def fail(self, key_path: tuple[str | int, ...], problem: str) -> ContentError:
        line = key_line(self.text, key_path) if self.text and key_path else None
        return ContentError(problem, file=self.file, line=line, key=key_name(key_path))

    def string(self, data: dict, key: str, *, required: bool = False, default: str = "") -> str:
        if key not in data or data[key] is None:
            if required:
                raise self.fail((), f"missing required key '{key}'")
            return default
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise self.fail((key,), f"expected a string, got {kind(value)}")
        value = str(value)
        if required and not value.strip():
            raise self.fail((key,), "must not be empty")
        return value

    def boolean(self, data: dict, key: str) -> bool:
        value = data.get(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            raise self.fail((key,), f"expected true or false, got {kind(value)}")
        return value

    def integer(self, data: dict, key: str, default: int) -> int:
        value = data.get(key)
        if value is None:
            return default
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise self.fail((key,), f"expected a whole number >= 0, got {kind(value)}")
        return value

    def number(self, data: dict, key: str, path: tuple = ()) -> float | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail((*path, key), f"expected a number, got {kind(value)}")
        return value

    def str_list(self, data: dict, key: str, *, required: bool = False) -> list[str]:
        if key not in data or data[key] is None:
            if required:
                raise self.fail((), f"missing required key '{key}'")
            return []
        value = data[key]
        if not isinstance(value, list):
            raise self.fail((key,), f"expected a list, got {kind(value)}")
        out: list[str] = []
        for i, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                raise self.fail((key, i), f"expected a string, got {kind(item)}")
            out.append(str(item))
        return out


def kind(value: Any) -> str:
    """How a value reads in an error message: ``a list``, ``a string``, ``nothing``."""
    if value is None:
        return "nothing"
    return {
        bool: "a boolean",
        int: "a number",
        float: "a number",
        str: "a string",
        list: "a list",
        dict: "a mapping",
    }.get(type(value), type(value).__name__)


def _mapping(data: Any, check: FieldChecker, what: str) -> dict:
    if not isinstance(data, dict):
        raise check.fail((), f"expected a mapping of {what} fields, got {kind(data)}")
    for key in data:
        if not isinstance(key, str):
            raise check.fail((), f"keys must be strings, got {key!r}")
    return data


# -- the common case, checked in one pass -------------------------------------------------
# A cold build validates every content file. Nearly all of them hold exactly the known keys
# with values of exactly the right types; for those the record is made straight away. Any
# other mapping (extra keys, a number where a string goes, a problem to report) takes the
# field-by-field path below, which gives the same record or the error message.
_PAPER_KEY_SET = frozenset(PAPER_KEYS)
_AUTHOR_KEY_SET = frozenset(AUTHOR_KEYS)
_METRIC_KEY_SET = frozenset(METRIC_KEYS)
_NUMBER_TYPES = (int, float)
_BAD = object()  # a value the fast path leaves to the checking one


def _text(value: Any) -> Any:
    if value is None:
        return ""
    return value if value.__class__ is str else _BAD


def _flag(value: Any) -> Any:
    if value is None:
        return False
    return value if value.__class__ is bool else _BAD


def _texts(value: Any) -> Any:
    if value is None:
        return []
    if value.__class__ is not list:
        return _BAD
    for item in value:
        if item.__class__ is not str:
            return _BAD
    return list(value)


def _paper_fast(data: Any, slug: str) -> Paper | None:
    """The Paper ``paper_from_dict`` makes of ``data``, if the plain checks suffice."""
    if data.__class__ is not dict or not data.keys() <= _PAPER_KEY_SET:
        return None
    get = data.get
    title, authors, date = get("title"), get("authors"), get("date")
    if title.__class__ is not str or date.__class__ is not str or not DATE_RE.match(date):
        return None
    title = title.strip()
    authors = _texts(authors) if authors is not None else _BAD
    if not title or authors is _BAD or not authors:
        return None
    for name in authors:
        if not name.strip():
            return None
    score = get("score")
    fields = (_flag(get("et_al")), _flag(get("date_inferred")), _text(get("category")),
              _flag(get("code")), _texts(get("affiliations")), _text(get("abstract")),
              _texts(get("abstract_versions")), _texts(get("profiles")),
              _texts(get("sources")))
    if _BAD in fields or (score is not None and score.__class__ not in _NUMBER_TYPES):
        return None
    et_al, date_inferred, category, code, affiliations, abstract, versions, profiles, \
        sources = fields
    return Paper(slug, title, authors, et_al, date, date_inferred, category, code, score,
                 affiliations, abstract, versions, profiles, sources, {})


def _author_fast(data: Any, slug: str) -> Author | None:
    """The Author ``author_from_dict`` makes of ``data``, if the plain checks suffice."""
    if data.__class__ is not dict or not data.keys() <= _AUTHOR_KEY_SET:
        return None
    get = data.get
    name = get("name")
    if name.__class__ is not str:
        return None
    name = name.strip()
    fields = (_texts(get("aliases")), _flag(get("profile")), _text(get("affiliation")),
              _text(get("bio")))
    if not name or _BAD in fields:
        return None
    raw = get("metrics")
    if raw is None or raw == {}:
        metrics = Metrics()
    elif raw.__class__ is dict and raw.keys() <= _METRIC_KEY_SET:
        values = dict.fromkeys(METRIC_KEYS)
        for key, value in raw.items():
            if value is not None and value.__class__ not in _NUMBER_TYPES:
                return None
            values[key] = value
        for key in ("h_index", "papers", "citations"):
            if values[key] is not None:
                values[key] = int(values[key])
        metrics = Metrics(**values)
    else:
        return None
    raw = get("links")
    links: list[Link] = []
    if raw is not None:
        if raw.__class__ is not list:
            return None
        for item in raw:
            if item.__class__ is str:
                links.append(Link(item, item))
                continue
            if item.__class__ is not dict:
                return None
            url = item.get("url")
            label = item.get("label", url)
            if url.__class__ is not str or label.__class__ is not str:
                return None
            links.append(Link(label, url))
    aliases, profile, affiliation, bio = fields
    return Author(slug, name, aliases, profile, metrics, affiliation, bio, links, {})


def paper_from_dict(data: Any, slug: str, file: str, text: str | None = None) -> Paper:
    """Validate one paper mapping; ``text`` (the file's YAML) lets errors name a line."""
    paper = _paper_fast(data, slug)
    return paper if paper is not None else _paper_checked(data, slug, file, text)


def _paper_checked(data: Any, slug: str, file: str, text: str | None) -> Paper:
    check = FieldChecker(file, text)
    data = _mapping(data, check, "paper")
    title = check.string(data, "title", required=True).strip()
    authors = check.str_list(data, "authors", required=True)
    if not authors:
        raise check.fail(("authors",), "must list at least one author")
    for i, name in enumerate(authors):
        if not name.strip():
            raise check.fail(("authors", i), "author name must not be empty")
    date = check.string(data, "date", required=True)
    if not DATE_RE.match(date):
        raise check.fail(("date",), f"expected a date as YYYY-MM-DD, got {date!r}")
    return Paper(
        slug=slug,
        title=title,
        authors=authors,
        et_al=check.boolean(data, "et_al"),
        date=date,
        date_inferred=check.boolean(data, "date_inferred"),
        category=check.string(data, "category"),
        code=check.boolean(data, "code"),
        score=check.number(data, "score"),
        affiliations=check.str_list(data, "affiliations"),
        abstract=check.string(data, "abstract"),
        abstract_versions=check.str_list(data, "abstract_versions"),
        profiles=check.str_list(data, "profiles"),
        sources=check.str_list(data, "sources"),
        extra={k: v for k, v in data.items() if k not in PAPER_KEYS},
    )


def _metrics(data: dict, check: FieldChecker) -> Metrics:
    raw = data.get("metrics")
    if raw is None:
        return Metrics()
    if not isinstance(raw, dict):
        raise check.fail(("metrics",), f"expected a mapping, got {kind(raw)}")
    for key in raw:
        if key not in METRIC_KEYS:
            raise check.fail(
                ("metrics", key), f"unknown metric; expected one of {', '.join(METRIC_KEYS)}"
            )
    values = {k: check.number(raw, k, ("metrics",)) for k in METRIC_KEYS}
    for key in ("h_index", "papers", "citations"):
        if values[key] is not None:
            values[key] = int(values[key])
    return Metrics(**values)


def _links(data: dict, check: FieldChecker) -> list[Link]:
    raw = data.get("links")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise check.fail(("links",), f"expected a list, got {kind(raw)}")
    links: list[Link] = []
    for i, item in enumerate(raw):
        if isinstance(item, str):
            links.append(Link(label=item, url=item))
            continue
        if not isinstance(item, dict) or "url" not in item:
            raise check.fail(("links", i), "expected a mapping with 'label' and 'url'")
        url = item["url"]
        if not isinstance(url, str):
            raise check.fail(("links", i, "url"), f"expected a string, got {kind(url)}")
        label = item.get("label", url)
        if not isinstance(label, str):
            raise check.fail(("links", i, "label"), f"expected a string, got {kind(label)}")
        links.append(Link(label=label, url=url))
    return links


def author_from_dict(data: Any, slug: str, file: str, text: str | None = None) -> Author:
    author = _author_fast(data, slug)
    return author if author is not None else _author_checked(data, slug, file, text)


def _author_checked(data: Any, slug: str, file: str, text: str | None) -> Author:
    check = FieldChecker(file, text)
    data = _mapping(data, check, "author")
    return Author(
        slug=slug,
        name=check.string(data, "name", required=True).strip(),
        aliases=check.str_list(data, "aliases"),
        profile=check.boolean(data, "profile"),
        metrics=_metrics(data, check),
        affiliation=check.string(data, "affiliation"),
        bio=check.string(data, "bio"),
        links=_links(data, check),
        extra={k: v for k, v in data.items() if k not in AUTHOR_KEYS},
    )


Validator = Callable[[Any, str, str, str | None], Any]
