"""Search engines and reference managers can index the site.

Paper pages carry Google Scholar's ``citation_*`` tags and a ``ScholarlyArticle`` in
JSON-LD; author pages a ``Person``; every page OpenGraph tags and a canonical link that
leads back to itself; ``sitemap.xml`` lists exactly the pages in the output.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sitecheck import layout
from sitecheck.build import REPO
from sitecheck.page import Page, parse_page, squash
from sitecheck.siteconf import public_roots

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _page(file: Path) -> Page:
    return parse_page(file.read_text(encoding="utf-8"))


def _nodes(value: Any) -> Iterator[dict]:
    """Every JSON-LD object, nested ones and ``@graph`` members included."""
    if isinstance(value, dict):
        yield value
        for v in value.values():
            yield from _nodes(v)
    elif isinstance(value, list):
        for v in value:
            yield from _nodes(v)


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    return set(kind if isinstance(kind, list) else [kind])


def _person_names(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [
        squash(str(p.get("name", ""))) if isinstance(p, dict) and "Person" in _types(p) else "?"
        for p in items
    ]


def _fail(problems: list[str], what: str) -> None:
    assert not problems, f"{len(problems)} {what}:\n" + "\n".join(problems[:40])


def test_paper_pages_carry_citation_tags(seed_site, corpus, paper_pages):
    problems = []
    for slug, file in sorted(paper_pages.items()):
        paper, page = corpus.papers[slug], _page(file)
        where = file.relative_to(seed_site.root)
        titles = page.meta("citation_title")
        if [squash(t) for t in titles] != [squash(paper.title)]:
            problems.append(f"{where}: citation_title {titles!r}, expected [{paper.title!r}]")
        authors = [squash(a) for a in page.meta("citation_author")]
        if authors != [squash(a) for a in paper.authors]:
            problems.append(f"{where}: citation_author {authors!r}, expected {paper.authors!r}")
        dates = page.meta("citation_publication_date")
        allowed = {paper.date.replace("-", "/"), paper.date}
        if paper.date_inferred:
            allowed.add(paper.date[:4])
        if len(dates) != 1 or dates[0] not in allowed:
            problems.append(f"{where}: citation_publication_date {dates!r}, expected {allowed}")
        abstracts = page.meta("citation_abstract")
        if paper.abstract.strip() and (len(abstracts) != 1 or not abstracts[0].strip()):
            problems.append(f"{where}: citation_abstract {abstracts!r}")
    _fail(problems, "citation tag problems")


def test_paper_pages_describe_a_scholarly_article(seed_site, corpus, paper_pages):
    problems = []
    for slug, file in sorted(paper_pages.items()):
        paper, where = corpus.papers[slug], file.relative_to(seed_site.root)
        try:
            blocks = _page(file).json_ld()
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        articles = [n for n in _nodes(blocks) if "ScholarlyArticle" in _types(n)]
        if len(articles) != 1:
            problems.append(f"{where}: {len(articles)} ScholarlyArticle objects in JSON-LD")
            continue
        article = articles[0]
        name = squash(str(article.get("headline") or article.get("name") or ""))
        if name != squash(paper.title):
            problems.append(f"{where}: JSON-LD headline/name {name!r} != {paper.title!r}")
        names = _person_names(article.get("author", []))
        if names != [squash(a) for a in paper.authors]:
            problems.append(f"{where}: JSON-LD author Persons {names!r} != {paper.authors!r}")
    _fail(problems, "JSON-LD problems on paper pages")


def test_author_pages_describe_a_person(seed_site, corpus, author_pages):
    problems = []
    for slug, file in sorted(author_pages.items()):
        author, where = corpus.authors[slug], file.relative_to(seed_site.root)
        try:
            blocks = _page(file).json_ld()
        except ValueError as exc:
            problems.append(f"{where}: {exc}")
            continue
        names = {squash(str(n.get("name", ""))) for n in _nodes(blocks) if "Person" in _types(n)}
        if squash(author.name) not in names:
            problems.append(f"{where}: no JSON-LD Person named {author.name!r} (found {names})")
    _fail(problems, "JSON-LD problems on author pages")


def test_every_page_has_opengraph_and_a_canonical_link_to_itself(seed_site):
    public = public_roots(REPO, seed_site.prefix)
    problems = []
    for file in layout.pages(seed_site.root):
        page, where = _page(file), file.relative_to(seed_site.root)
        for key in ("og:title", "og:type", "og:url"):
            if len(page.meta(key)) != 1 or not page.meta(key)[0].strip():
                problems.append(f"{where}: {key} {page.meta(key)!r}")
        canonical = page.link_hrefs("canonical")
        if len(canonical) != 1:
            problems.append(f"{where}: {len(canonical)} canonical links")
            continue
        target = layout.target_file(seed_site.root, seed_site.prefix, file, canonical[0], public)
        if target != file:
            problems.append(f"{where}: canonical {canonical[0]!r} leads to {target}")
        if page.meta("og:url") and page.meta("og:url")[0] != canonical[0]:
            problems.append(f"{where}: og:url {page.meta('og:url')[0]!r} != {canonical[0]!r}")
    _fail(problems, "OpenGraph/canonical problems")


@pytest.mark.parametrize("which", ["seed_site", "subpath_site"])
def test_sitemap_lists_exactly_the_pages(which, request):
    seed_site = request.getfixturevalue(which)
    sitemap = seed_site.root / "sitemap.xml"
    assert sitemap.is_file(), "no sitemap.xml in the output"
    tree = ET.parse(sitemap)
    locs = [(el.text or "").strip() for el in tree.iter(f"{SITEMAP_NS}loc")]
    assert locs, "sitemap.xml has no <loc> in the sitemaps.org namespace"
    public = public_roots(REPO, seed_site.prefix)
    listed, problems = [], []
    for loc in locs:
        local = layout.local_url(loc, seed_site.prefix, public)
        file = layout.file_for(seed_site.root, seed_site.prefix, local) if local else None
        if file is None:
            problems.append(f"sitemap lists {loc!r}, which is no file of the output")
        else:
            listed.append(file)
    dupes = sorted({str(f) for f in listed if listed.count(f) > 1})
    problems += [f"listed twice: {d}" for d in dupes]
    missing = sorted(set(layout.pages(seed_site.root)) - set(listed))
    problems += [f"not in sitemap: {p.relative_to(seed_site.root)}" for p in missing]
    _fail(problems, "sitemap problems")


def test_urls_are_absolute_where_the_formats_require_it(seed_site):
    """sitemaps.org wants fully qualified <loc>s; the OpenGraph protocol an absolute og:url."""
    problems = []
    sitemap = ET.parse(seed_site.root / "sitemap.xml")
    locs = [(el.text or "").strip() for el in sitemap.iter(f"{SITEMAP_NS}loc")]
    relative = [loc for loc in locs if not urlsplit(loc).netloc]
    if relative:
        problems.append(f"sitemap.xml: {len(relative)} relative <loc>s, e.g. {relative[:3]}")
    for file in layout.pages(seed_site.root):
        page, where = _page(file), file.relative_to(seed_site.root)
        for value in page.meta("og:url") + page.meta("og:image"):
            if not urlsplit(value).netloc:
                problems.append(f"{where}: OpenGraph URL {value!r} is not absolute")
                break
    _fail(problems, "relative URLs where absolute ones are required")


@pytest.mark.parametrize("which", ["seed_site", "subpath_site"])
def test_feed_links_lead_to_files_of_the_output(which, request):
    built = request.getfixturevalue(which)
    public = public_roots(REPO, built.prefix)
    feeds = [
        p
        for p in sorted(built.root.rglob("*.xml")) + sorted(built.root.rglob("*.atom"))
        if p.name != "sitemap.xml"
    ]
    assert feeds, "the build wrote no feed"
    problems = []
    for feed in feeds:
        for el in ET.parse(feed).iter():
            href = el.get("href") if el.tag.rsplit("}", 1)[-1] == "link" else None
            if not href:
                continue
            local = layout.local_url(href, built.prefix, public)
            if local is None:
                continue  # points elsewhere
            if (
                layout.file_for(
                    built.root, built.prefix, local, layout.url_path(built.root, feed, built.prefix)
                )
                is None
            ):
                problems.append(
                    f"{feed.relative_to(built.root)}: <link href={href!r}> leads nowhere"
                )
    _fail(problems, "broken feed links")
