"""Base-URL-aware URL building and the scheme allow-list for untrusted links.

Pages are written as ``<path>/index.html`` and linked as ``<prefix><path>/`` so the same
output works at a domain root and under a sub-path. Every URL that comes from content goes
through :func:`safe_href` first: only http, https and mailto ever become links.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, urlsplit

from sitegen.config import BaseURL

SAFE_SCHEMES = ("http", "https", "mailto")
_PATH_SAFE = "/-._~!$&'()*+,;=:@"
_URL_SAFE = "!#$%&'()*+,/:;=?@~-._"
_HOST = re.compile(
    r"(?:[A-Za-z0-9._~%!$&'()*+,;=:-]+@)?(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d+)?"
)
_PLAIN = re.compile(r"[A-Za-z0-9._~/-]*")
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x1f\s]")


@lru_cache(maxsize=8192)
def safe_href(url: str) -> str | None:
    """A normalised absolute http(s)/mailto URL, or None (then the caller shows text).

    Characters that are not allowed in URLs (quotes, angle brackets, spaces, non-ASCII) are
    percent-encoded, so the result is a valid attribute value that cannot end the attribute.
    """
    url = url.strip()
    if not url or _CONTROL_OR_SPACE.search(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in SAFE_SCHEMES:
        return None
    if scheme == "mailto":
        if not parts.path:
            return None
        return "mailto:" + quote(url[len("mailto:") :], safe=_URL_SAFE)
    if not parts.netloc or not _HOST.fullmatch(parts.netloc):
        return None
    rest = url[len(parts.scheme) + 3 + len(parts.netloc) :]
    return f"{scheme}://{parts.netloc}{quote(rest, safe=_URL_SAFE)}"


def output_file(path: str) -> str:
    """File written for a page path: ``papers/x/`` -> ``papers/x/index.html``."""
    if path == "" or path.endswith("/"):
        return f"{path}index.html"
    return path


@dataclass(frozen=True)
class Urls:
    """Builds links (``href``) and absolute URLs (canonical, sitemap, feeds) for page paths.

    A page path is relative to the site root: ``""`` for the home page, ``papers/x/``
    for a pretty URL, ``feed.xml`` for a file.
    """

    base: BaseURL

    def href(self, path: str) -> str:
        if _PLAIN.fullmatch(path):
            return self.base.prefix + path
        return self.base.prefix + quote(path, safe=_PATH_SAFE)

    def absolute(self, path: str) -> str:
        """Absolute URL when the site's origin is known, else the path-only href."""
        return self.base.origin + self.href(path)

    @property
    def has_origin(self) -> bool:
        return self.base.has_origin

    def paper(self, slug: str) -> str:
        return f"papers/{slug}/"

    def author(self, slug: str) -> str:
        return f"authors/{slug}/"

    def author_feed(self, slug: str) -> str:
        return f"authors/{slug}/feed.xml"

    def bib(self, slug: str) -> str:
        return f"papers/{slug}/{slug}.bib"

    def category(self, key: str) -> str:
        return f"categories/{key}/"

    def year(self, year: int) -> str:
        return f"years/{year}/"

    def part(self, listing: str, number: int) -> str:
        """Part ``number`` of a paged listing: the first keeps the listing's own path, as
        links from elsewhere expect; later ones live below it (``papers/page/2/``)."""
        return listing if number == 1 else f"{listing}page/{number}/"
