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


def paper_from_dict(data: Any, slug: str, file: str, text: str | None = None) -> Paper:
    """Validate one paper mapping; ``text`` (the file's YAML) lets errors name a line."""
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
