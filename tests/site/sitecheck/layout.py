"""Where things are in a built folder: HTML files, the URL of a file, the file of a URL.

The checks do not assume a URL scheme for pages: a paper's page is found as the HTML file
whose path names the paper's slug (``papers/<slug>/index.html``, ``papers/<slug>.html``...),
so the same tests hold whichever layout the build chooses.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from sitecheck.server import normalize_prefix, resolve

NOT_PAGES = {"404.html"}
# Pages that ask search engines to stay away (author cards framed by other sites, widgets)
# are not navigated to, not linked, not in the sitemap; their links must still work.
NOINDEX = re.compile(
    r"<meta\s[^>]*name=[\"']?robots[\"']?[^>]*content=[\"'][^\"']*noindex", re.IGNORECASE
)


def html_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if p.is_file())


def is_noindex(file: Path) -> bool:
    head = file.read_text(encoding="utf-8", errors="replace")[:8192]
    return bool(NOINDEX.search(head))


@lru_cache(maxsize=16)
def _split(root: Path) -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    navigable, embedded = [], []
    for file in html_files(root):
        if file.relative_to(root).as_posix() in NOT_PAGES:
            continue
        (embedded if is_noindex(file) else navigable).append(file)
    return tuple(navigable), tuple(embedded)


def pages(root: Path) -> list[Path]:
    """HTML files a visitor navigates to: not the 404 page, not ``noindex`` embeds."""
    return list(_split(Path(root))[0])


def embeds(root: Path) -> list[Path]:
    """``noindex`` HTML files: served and framed elsewhere, linked from nowhere on the site."""
    return list(_split(Path(root))[1])


def url_path(root: Path, file: Path, prefix: str = "/") -> str:
    """The pretty URL path that serves ``file``: ``a/index.html`` -> ``/prefix/a/``."""
    rel = file.relative_to(root).as_posix()
    if rel == "index.html":
        rel = ""
    elif rel.endswith("/index.html"):
        rel = rel[: -len("index.html")]
    return normalize_prefix(prefix) + rel


def file_for(root: Path, prefix: str, url: str, page_url: str | None = None) -> Path | None:
    """The output file a URL (absolute, root-relative or relative to ``page_url``) serves."""
    if page_url is not None:
        url = urljoin(page_url, url)
    path = urlsplit(url).path
    found = resolve(root, prefix, path)
    return found.file if found.status == 200 else None


@lru_cache(maxsize=16)
def _by_slug(root: Path) -> dict[str, list[Path]]:
    index: dict[str, list[Path]] = {}
    for file in pages(root):
        parts = file.relative_to(root).parts
        if parts[-1] == "index.html" and len(parts) > 1:
            index.setdefault(parts[-2], []).append(file)
        elif parts[-1] != "index.html":
            index.setdefault(parts[-1][: -len(".html")], []).append(file)
    return index


def find_page(root: Path, slug: str, section_hint: str) -> list[Path]:
    """HTML files whose path names ``slug``; several hits are narrowed by the section folder."""
    hits = list(_by_slug(Path(root)).get(slug, []))
    if len(hits) > 1:
        narrowed = [h for h in hits if any(section_hint in p for p in h.relative_to(root).parts)]
        hits = narrowed or hits
    return hits


def local_url(url: str, prefix: str, public: tuple[str, ...] = ()) -> str | None:
    """A root-relative path for an absolute URL on the site's public roots, else None.

    Relative and root-relative URLs come back unchanged; absolute URLs elsewhere are None.
    """
    if not urlsplit(url).netloc:
        return url
    for root in public:
        if url.startswith(root):
            return normalize_prefix(prefix) + url[len(root) :]
    return None


def target_file(
    root: Path, prefix: str, page: Path, href: str, public: tuple[str, ...] = ()
) -> Path | None:
    """The output file a link on ``page`` leads to, or None (elsewhere, or missing)."""
    local = local_url(href, prefix, public)
    if local is None:
        return None
    return file_for(root, prefix, local, url_path(root, page, prefix))
