"""The page plan: every file the site consists of, and the content each one reads.

``plan_pages`` lists every output file (except static assets). A page does not carry the
set of content it reads: at 50,000 papers those sets cost hundreds of megabytes and were
read only to find the few pages a change touches. ``page_deps`` derives them from the
index when asked, and :mod:`sitegen.depmap` answers the reverse question (which pages read
this paper?) straight from the index maps. Dependency identities:

- ``paper:<slug>``: the paper file; ``author:<slug>``: the author file;
- ``papers-of:<author>``: which papers credit that author (named or as a hidden owner);
- a paper page also reads which papers are related to it (``SiteIndex.related``, chosen
  among the papers of its people), compared entry by entry between two indexes;
- ``list:all-papers``: changes with any change to any paper (added, removed or edited); read
  by pages that list or choose among all papers (home, lists, categories, years, feeds);
- ``list:all-authors``: changes with any author file and with who is credited on which
  paper; read by pages that list every author with counts;
- ``config``: site.yaml and build options; ``theme``: templates and static assets.

The listings of papers (``papers/``, each category, each year) are split into parts of
``index.paginate`` papers (``PAGED_KINDS``), and ``authors/`` into parts of as many authors
(``PAGED_LISTINGS``): one Page per part, numbered by ``Page.part``, so that an edit
re-renders only the part that shows it.

The pages of one paper or one author can be made without the plan (``paper_pages``,
``author_pages``): an edit that keeps the index's structure renders them directly.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.cards.data import EMBED_JS
from sitegen.cards.pages import AUTHOR_KINDS as AUTHOR_CARD_KINDS
from sitegen.cards.pages import CARD_KINDS, KIND_EMBED_JS, card_path
from sitegen.config import SiteConfig
from sitegen.render.index import SiteIndex
from sitegen.render.urls import Urls, output_file

ALWAYS = frozenset({"config", "theme"})
LISTS = frozenset({"list:all-papers", "list:all-authors"})
#: Kinds of page that show aggregates of the whole site (they read ``LISTS``).
LIST_KINDS = frozenset({"home", "papers", "authors", "categories", "category", "years",
                        "year", "feed", "sitemap"})
PAPER_KINDS = ("paper", "bib")
AUTHOR_KINDS = ("author", "author-feed", *AUTHOR_CARD_KINDS)
#: Kinds of paper listing split into parts (pages) of ``SiteIndex.paginate`` papers.
PAGED_KINDS = ("papers", "category", "year")
#: Every kind of listing split into parts: the paper listings, and ``authors/`` (A-Z) in
#: parts of ``SiteIndex.paginate`` authors.
PAGED_LISTINGS = (*PAGED_KINDS, "authors")


@dataclass(frozen=True, slots=True)
class Page:
    """One output file: site ``path`` (``papers/x/``), template, kind and key.

    ``part`` numbers the parts of a paged listing (1 for every other page); the parts of
    one listing share kind and key and differ in path.
    """

    path: str
    template: str
    kind: str
    key: str
    part: int = 1

    @property
    def file(self) -> str:
        """Path of the written file, relative to the output folder."""
        return output_file(self.path)

    @property
    def is_html(self) -> bool:
        return self.file.endswith(".html")


def paper_pages(urls: Urls, slug: str) -> list[Page]:
    """A paper's page and its BibTeX file, in plan order."""
    return [Page(urls.paper(slug), "paper.html", "paper", slug),
            Page(urls.bib(slug), "", "bib", slug)]


def author_pages(urls: Urls, slug: str) -> list[Page]:
    """An author's page, feed and card files, in plan order."""
    pages = [Page(urls.author(slug), "author.html", "author", slug),
             Page(urls.author_feed(slug), "feed.xml", "author-feed", slug)]
    pages.extend(Page(card_path(kind, slug), "card.html", kind, slug)
                 for kind in AUTHOR_CARD_KINDS)
    return pages


def part_count(total: int, per_part: int) -> int:
    """How many parts a listing of ``total`` papers (or authors) has (always one when not
    paged)."""
    if per_part <= 0 or total <= per_part:
        return 1
    return -(-total // per_part)


def part_slice(slugs: list[str], part: int, per_part: int) -> list[str]:
    """The papers (or authors) that part ``part`` (from 1) of a listing of ``slugs`` shows."""
    if per_part <= 0:
        return slugs
    start = (part - 1) * per_part
    return slugs[start:start + per_part]


def listed_papers(index: SiteIndex, kind: str, key: str) -> list[str] | None:
    """The whole ordered list a paged listing splits; None when the index has no such
    listing (a category or year that is gone)."""
    if kind == "papers":
        return index.all_papers
    if kind == "category":
        return index.categories.get(key)
    return index.years.get(int(key))


def listed_authors(index: SiteIndex) -> list[str]:
    """The whole ordered list ``authors/`` splits into parts: every author, A-Z."""
    return index.authors_az


def listed_slugs(index: SiteIndex, kind: str, key: str) -> list[str] | None:
    """The whole ordered list any paged listing (``PAGED_LISTINGS``) splits."""
    return listed_authors(index) if kind == "authors" else listed_papers(index, kind, key)


def listing_path(urls: Urls, kind: str, key: str) -> str:
    """Path of the first part of a paged listing."""
    if kind in ("papers", "authors"):
        return f"{kind}/"
    return urls.category(key) if kind == "category" else urls.year(int(key))


def _parts(urls: Urls, index: SiteIndex, kind: str, key: str, template: str) -> list[Page]:
    first = listing_path(urls, kind, key)
    count = part_count(len(listed_slugs(index, kind, key) or ()), index.paginate)
    return [Page(urls.part(first, n), template, kind, key, n) for n in range(1, count + 1)]


#: URLs per sitemap file. The sitemaps protocol allows 50,000; a larger site gets a sitemap
#: index (``sitemap.xml``) and files of at most this many URLs under ``sitemaps/``, so that
#: a new paper or category rewrites a few of them, not one file listing the whole site.
SITEMAP_LIMIT = 10_000


def listed_in_sitemap(page: Page) -> bool:
    """Whether a sitemap lists the page (HTML pages, but the 404 page and author cards)."""
    return page.is_html and page.kind not in ("404", *CARD_KINDS)


def sitemap_pages(index: SiteIndex, listed: int) -> list[Page]:
    """``sitemap.xml``, and when the site has more than ``SITEMAP_LIMIT`` pages to list
    (``listed`` of them besides papers and authors), the files it then indexes:
    ``sitemaps/site-<n>.xml`` (home and listings, in plan order), ``papers-<n>`` and
    ``authors-<n>`` (in slug order), ``SITEMAP_LIMIT`` pages each."""
    papers, authors = len(index.corpus.papers), len(index.corpus.authors)
    pages = [Page("sitemap.xml", "sitemap.xml", "sitemap", "")]
    if papers + authors + listed <= SITEMAP_LIMIT:
        return pages
    keys = [f"{what}-{n}" for what, count in (("site", listed), ("papers", papers),
                                               ("authors", authors))
            for n in range(1, -(-count // SITEMAP_LIMIT) + 1)]
    return pages + [Page(f"sitemaps/{key}.xml", "sitemap.xml", "sitemap", key)
                    for key in keys]


def sitemap_slugs(index: SiteIndex, key: str) -> list[str]:
    """The papers or authors that sitemap file ``key`` (``papers-<n>``, ``authors-<n>``)
    lists: its share of every slug in slug order (sorted once per index)."""
    what, number = key.rsplit("-", 1)
    memo_key = ("sitemap-slugs", what)
    ordered = index.memo.get(memo_key)
    if ordered is None:
        ordered = index.memo[memo_key] = sorted(
            index.corpus.papers if what == "papers" else index.corpus.authors)
    return part_slice(ordered, int(number), SITEMAP_LIMIT)


def site_pages(index: SiteIndex, urls: Urls) -> list[Page]:
    """The pages that are neither a paper's nor an author's, in plan order (home first;
    the parts of a listing together, first to last)."""
    pages = [Page("", "index.html", "home", ""),
             *_parts(urls, index, "papers", "", "papers.html"),
             *_parts(urls, index, "authors", "", "authors.html"),
             Page("categories/", "categories.html", "categories", "")]
    for key in index.categories:
        pages += _parts(urls, index, "category", key, "category.html")
    pages.append(Page("years/", "years.html", "years", ""))
    for year in index.years:
        pages += _parts(urls, index, "year", str(year), "year.html")
    pages += [Page("feed.xml", "feed.xml", "feed", ""),
              Page("404.html", "404.html", "404", "")]
    extras = [Page("robots.txt", "robots.txt", "robots", ""),
              Page(".nojekyll", "", "nojekyll", ""),
              Page(EMBED_JS, "", KIND_EMBED_JS, "")]
    listed = sum(1 for p in pages if listed_in_sitemap(p))
    return [*pages, *sitemap_pages(index, listed), *extras]


def plan_pages(index: SiteIndex, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a fixed order (home, papers, authors, lists, extras)."""
    urls = Urls(config.base)
    site = site_pages(index, urls)
    pages: list[Page] = site[:1]
    for slug in sorted(index.corpus.papers):
        pages += paper_pages(urls, slug)
    for slug in sorted(index.corpus.authors):
        pages += author_pages(urls, slug)
    pages += site[1:]
    return pages


def _card_deps(index: SiteIndex, slugs: list[str]) -> set[str]:
    """A paper shown as a card reads the paper and the name of everyone it credits."""
    deps: set[str] = set()
    for slug in slugs:
        deps.add(f"paper:{slug}")
        deps.update(f"author:{a}" for a in index.people(slug))
    return deps


def page_deps(index: SiteIndex, page: Page) -> frozenset[str]:
    """The content identities ``page`` reads (see the module docstring)."""
    kind, key = page.kind, page.key
    if kind == "paper":
        # (and its related papers, chosen among the papers of everyone credited here)
        return frozenset(_card_deps(index, [key, *index.related[key]])) | ALWAYS
    if kind == "bib":
        return frozenset({f"paper:{key}", "config"})
    if kind in AUTHOR_KINDS:
        deps = _card_deps(index, index.papers_by_author[key])
        deps.update({f"author:{key}", f"papers-of:{key}"})
        return frozenset(deps) | ALWAYS
    if kind in ("category", "year"):
        listed = part_slice(listed_papers(index, kind, key) or [], page.part, index.paginate)
        return frozenset({"list:all-papers", *_card_deps(index, listed)}) | ALWAYS
    if kind == "sitemap":
        return LISTS | {"config"}
    if kind in LIST_KINDS:
        return LISTS | ALWAYS
    if kind == "robots":
        return frozenset({"config"})
    if kind == "nojekyll":
        return frozenset()
    if kind == KIND_EMBED_JS:
        return frozenset({"theme"})
    return ALWAYS  # 404
