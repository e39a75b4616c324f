"""Crawl a served site from its entry pages and report every internal reference that fails.

"Internal" is anything on the server's own origin, plus absolute URLs under any of the
``aliases`` (the site's public URL, when pages spell links absolutely): those are
rewritten onto the local server so a canonical or og:url pointing at the deployed site is
checked against the files that would be deployed. Pages, stylesheets, scripts, images and
fonts are all fetched; a ``#fragment`` must name an id on the target page.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urldefrag, urljoin, urlsplit

from sitecheck.page import Page, Ref, parse_page

SKIP_SCHEMES = ("mailto:", "tel:", "data:", "javascript:", "blob:", "about:", "sms:")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)|@import\s+(['"])([^'"]+)\3""")


@dataclass(frozen=True)
class Broken:
    """A reference that does not work, with the page (or stylesheet) it was found on."""

    source: str
    where: str
    url: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.where} -> {self.url}: {self.problem}"


@dataclass
class Fetched:
    status: int
    content_type: str
    body: bytes
    final_url: str


@dataclass
class CrawlResult:
    pages: dict[str, Page] = field(default_factory=dict)
    fetched: dict[str, Fetched] = field(default_factory=dict)
    broken: list[Broken] = field(default_factory=list)
    external: set[str] = field(default_factory=set)


def fetch(url: str, timeout: float = 10.0) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": "sitecheck"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            return Fetched(
                response.status,
                response.headers.get("Content-Type", ""),
                response.read(),
                response.geturl(),
            )
    except urllib.error.HTTPError as exc:
        return Fetched(exc.code, exc.headers.get("Content-Type", ""), exc.read(), url)
    except (urllib.error.URLError, OSError) as exc:
        return Fetched(0, "", str(exc).encode(), url)


class Crawler:
    def __init__(self, origin: str, aliases: tuple[str, ...] = ()) -> None:
        self.origin = origin.rstrip("/")
        self.netloc = urlsplit(origin).netloc
        self.aliases = tuple(a for a in aliases if urlsplit(a).netloc)
        self.alias_target: dict[str, str] = {}

    def internal(self, absolute: str) -> str | None:
        """The local URL for an internal reference, or None when it points elsewhere."""
        for alias, local in self.alias_target.items():
            if absolute.startswith(alias):
                return local + absolute[len(alias) :]
        parts = urlsplit(absolute)
        if parts.scheme in ("http", "https") and parts.netloc == self.netloc:
            return absolute
        return None

    def crawl(
        self, starts: list[str], site_url: str, not_found: tuple[str, ...] = ()
    ) -> CrawlResult:
        for alias in self.aliases:
            base = alias if alias.endswith("/") else alias + "/"
            self.alias_target[base] = site_url
        result = CrawlResult()
        queue: deque[str] = deque()
        seen: set[str] = set()
        wanted: list[tuple[str, Ref, str]] = []  # (source, ref, local url with fragment)

        def visit(url: str) -> None:
            if url not in seen:
                seen.add(url)
                queue.append(url)

        for start in starts:
            visit(start)
        while queue:
            url = queue.popleft()
            got = fetch(url)
            result.fetched[url] = got
            if got.status != 200 and not (got.status == 404 and url in not_found):
                continue
            kind = got.content_type.split(";")[0].strip().lower()
            if kind == "text/html":
                page = parse_page(got.body.decode("utf-8", "replace"))
                result.pages[url] = page
                refs = page.refs
            elif kind == "text/css":
                css = got.body.decode("utf-8", "replace")
                refs = [
                    Ref("css", "url", (m.group(2) or m.group(4)).strip())
                    for m in CSS_URL.finditer(css)
                ]
            else:
                continue
            for ref in refs:
                raw = ref.url
                if not raw or raw.lower().startswith(SKIP_SCHEMES) or raw.startswith("{"):
                    continue
                absolute = urljoin(url, raw)
                local = self.internal(absolute)
                if local is None:
                    result.external.add(absolute)
                    continue
                wanted.append((url, ref, local))
                visit(urldefrag(local)[0])

        for source, ref, local in wanted:
            target, fragment = urldefrag(local)
            got = result.fetched.get(target)
            if got is None or got.status != 200:
                status = got.status if got else "never fetched"
                result.broken.append(Broken(source, ref.where, ref.url, f"HTTP {status}"))
            elif fragment and fragment != "top" and fragment not in _ids(result, target):
                problem = f"no element with id '{fragment}'"
                result.broken.append(Broken(source, ref.where, ref.url, problem))
        return result


def _ids(result: CrawlResult, url: str) -> set[str]:
    """Ids on a crawled page; a non-HTML target has no ids to check, so anything goes."""
    page = result.pages.get(url)
    return page.ids if page is not None else _ANY


class _Anything(set):
    def __contains__(self, item: object) -> bool:
        return True


_ANY = _Anything()


def crawl(
    site_url: str,
    *,
    extra_starts: tuple[str, ...] = (),
    not_found: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
) -> CrawlResult:
    """Crawl from ``site_url`` and any extra entry pages; see the module docstring.

    ``not_found`` are missing URLs whose 404 page is crawled too: Pages serves ``404.html``
    at whatever depth was asked for, so its links must work from any folder.
    """
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(site_url))
    missing = tuple(urljoin(site_url, s) for s in not_found)
    starts = [site_url, *(urljoin(site_url, s) for s in extra_starts), *missing]
    return Crawler(origin, aliases).crawl(starts, site_url, missing)
