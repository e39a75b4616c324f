"""Site settings from ``site.yaml``, and the one place that understands base URLs.

A site may be published at a domain root (``/``) or under a sub-path (GitHub project pages,
``/lab-site/``). Links inside pages are built from the path prefix so they work under either;
canonical URLs, the sitemap and feeds want absolute URLs, which are only known when the user
gives a full ``base_url`` or a separate ``url`` (the site's origin). Without one, they fall
back to path-only URLs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from sitegen.content.validate import FieldChecker, key_name, kind
from sitegen.content.yamlio import key_line, parse_yaml, read_text
from sitegen.errors import ContentError

CONFIG_FILE = "site.yaml"
_LANG_RE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
_SAFE_PATH_CHARS = "/-._~!$&'()*+,;=:@%"


@dataclass(frozen=True)
class BaseURL:
    """A parsed base URL: ``prefix`` for links (``/`` or ``/lab-site/``), ``origin`` if known."""

    prefix: str = "/"
    origin: str = ""  # "https://user.github.io" or "" when only a path is known
    #: The two as one string, for the render memo's keys: a page looks its cards up by
    #: base dozens of times, and hashing the dataclass calls into Python each time.
    key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", f"{self.origin}\n{self.prefix}")

    @property
    def absolute(self) -> str:
        """Absolute site root (``https://host/prefix/``), or the bare prefix when unknown."""
        return f"{self.origin}{self.prefix}"

    @property
    def has_origin(self) -> bool:
        return bool(self.origin)


@dataclass(frozen=True)
class SiteConfig:
    """Everything ``site.yaml`` says; paths are resolved against the project folder."""

    title: str = "Research publications"
    description: str = ""
    language: str = "en"
    base: BaseURL = field(default_factory=BaseURL)
    featured: tuple[str, ...] | None = None  # author slugs; None -> every profile author
    recent: int = 10  # papers listed under "Recent papers" on the home page
    paginate: int = 100  # papers (authors) per page of the paper (author) listings; 0: one
    content_dir: Path | None = None
    templates_dir: Path | None = None
    out_dir: Path | None = None
    file: str = CONFIG_FILE  # for error messages
    text: str | None = None  # the YAML text, to locate keys in later errors
    extra: dict[str, Any] = field(default_factory=dict)

    def with_base_url(self, value: str, *, origin_hint: str = "") -> SiteConfig:
        """A copy published at ``value`` (from ``--base-url``), keeping a known origin."""
        base = parse_base_url(value, origin_hint or self.base.origin, key="--base-url")
        return replace(self, base=base)

    def error(self, key_path: tuple[str | int, ...], problem: str) -> ContentError:
        """An error located at a key of ``site.yaml`` (used for checks done after loading)."""
        line = key_line(self.text, key_path) if self.text else None
        return ContentError(problem, file=self.file, line=line, key=key_name(key_path))


def _origin_of(url: str, *, file: str | None, line: int | None, key: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ContentError(
            f"expected an http(s) URL like https://example.org, got {url!r}",
            file=file,
            line=line,
            key=key,
        )
    return f"{parts.scheme}://{parts.netloc}"


def _normalise_prefix(path: str, *, file: str | None, line: int | None, key: str) -> str:
    segments = [s for s in path.split("/") if s]
    for seg in segments:
        if seg in (".", "..") or any(ch.isspace() for ch in seg):
            raise ContentError(
                f"base URL path must not contain '.', '..' or spaces, got {path!r}",
                file=file,
                line=line,
                key=key,
            )
    if not segments:
        return "/"
    return "/" + "/".join(quote(seg, safe=_SAFE_PATH_CHARS) for seg in segments) + "/"


def parse_base_url(
    value: str,
    origin: str = "",
    *,
    file: str | None = None,
    line: int | None = None,
    key: str = "base_url",
) -> BaseURL:
    """Accept ``/``, ``/lab-site/``, ``lab-site`` or ``https://user.github.io/lab-site/``.

    ``origin`` (from the ``url`` setting) supplies the host when only a path is given.
    """
    value = value.strip()
    if "?" in value or "#" in value:
        raise ContentError(
            f"base URL must not contain a query or fragment, got {value!r}",
            file=file,
            line=line,
            key=key,
        )
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", value):
        host = _origin_of(value, file=file, line=line, key=key)
        prefix = _normalise_prefix(urlsplit(value).path, file=file, line=line, key=key)
        return BaseURL(prefix=prefix, origin=host)
    if ":" in value.split("/", 1)[0]:
        raise ContentError(
            f"expected a path like /lab-site/ or an http(s) URL, got {value!r}",
            file=file,
            line=line,
            key=key,
        )
    return BaseURL(prefix=_normalise_prefix(value, file=file, line=line, key=key), origin=origin)


def _slug_list(check: FieldChecker, data: dict, key: str) -> tuple[str, ...] | None:
    if key not in data or data[key] is None:
        return None
    value = data[key]
    if not isinstance(value, list):
        raise check.fail((key,), f"expected a list of author slugs, got {kind(value)}")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise check.fail((key, i), f"expected an author slug, got {kind(item)}")
    return tuple(item.strip() for item in value)


KNOWN_KEYS = (
    "title",
    "description",
    "language",
    "base_url",
    "url",
    "featured",
    "recent",
    "paginate",
    "content",
    "templates",
    "output",
)


def config_from_text(text: str, file: str, project_dir: Path) -> SiteConfig:
    """Validate ``site.yaml`` text; unknown keys are kept in ``extra`` for other commands."""
    data = parse_yaml(text, file)
    if data is None:
        data = {}
    check = FieldChecker(file, text)
    if not isinstance(data, dict):
        raise check.fail((), f"expected a mapping of site settings, got {kind(data)}")
    language = check.string(data, "language", default="en").strip()
    if not _LANG_RE.match(language):
        raise check.fail(
            ("language",), f"expected a language tag like en or pt-BR, got {language!r}"
        )
    url = check.string(data, "url", default="").strip()
    origin = ""
    if url:
        origin = _origin_of(url, file=file, line=key_line(text, ("url",)), key="url")
    base = parse_base_url(
        check.string(data, "base_url", default="/"),
        origin,
        file=file,
        line=key_line(text, ("base_url",)),
    )

    def folder(key: str) -> Path | None:
        value = check.string(data, key, default="").strip()
        return (project_dir / value) if value else None

    return SiteConfig(
        title=check.string(data, "title", default=SiteConfig.title).strip() or SiteConfig.title,
        description=check.string(data, "description", default="").strip(),
        language=language,
        base=base,
        featured=_slug_list(check, data, "featured"),
        recent=check.integer(data, "recent", SiteConfig.recent),
        paginate=check.integer(data, "paginate", SiteConfig.paginate),
        content_dir=folder("content"),
        templates_dir=folder("templates"),
        out_dir=folder("output"),
        file=file,
        text=text,
        extra={k: v for k, v in data.items() if k not in KNOWN_KEYS},
    )


def load_config(project_dir: Path) -> SiteConfig:
    """Read ``<project>/site.yaml``; a project without one gets the defaults."""
    path = project_dir / CONFIG_FILE
    if not path.is_file():
        return SiteConfig()
    return config_from_text(read_text(path, CONFIG_FILE), CONFIG_FILE, project_dir)
