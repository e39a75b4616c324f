"""The page plan: every file the site consists of, and the content each one reads.

``plan_pages`` lists every output file (except static assets), each with the content
identities it reads (``deps``), so an incremental build can re-render just the pages whose
deps changed. Dependency identities:

- ``paper:<slug>``: the paper file; ``author:<slug>``: the author file;
- ``papers-of:<author>``: which papers credit that author (named or as a hidden owner);
- ``list:all-papers``: changes with any change to any paper (added, removed or edited); read
  by pages that list or choose among all papers (home, lists, categories, years, feeds);
- ``list:all-authors``: changes with any author file and with who is credited on which
  paper; read by pages that list every author with counts;
- ``config``: site.yaml and build options; ``theme``: templates and static assets.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.cards.data import EMBED_JS
from sitegen.cards.pages import AUTHOR_KINDS as AUTHOR_CARD_KINDS
from sitegen.cards.pages import KIND_EMBED_JS, card_path
from sitegen.config import SiteConfig
from sitegen.render.index import SiteIndex
from sitegen.render.urls import Urls, output_file

ALWAYS = frozenset({"config", "theme"})


@dataclass(frozen=True)
class Page:
    """One output file: site ``path`` (``papers/x/``), template, and what it reads."""

    path: str
    template: str
    kind: str
    key: str
    deps: frozenset[str]

    @property
    def file(self) -> str:
        """Path of the written file, relative to the output folder."""
        return output_file(self.path)

    @property
    def is_html(self) -> bool:
        return self.file.endswith(".html")


def _card_deps(index: SiteIndex, slugs: list[str]) -> set[str]:
    """A paper shown as a card reads the paper and the name of everyone it credits."""
    deps: set[str] = set()
    for slug in slugs:
        deps.add(f"paper:{slug}")
        deps.update(f"author:{a}" for a in index.people(slug))
    return deps


def _paper_deps(index: SiteIndex, slug: str) -> frozenset[str]:
    deps = _card_deps(index, [slug, *index.related[slug]])
    # related papers are chosen among the papers of everyone credited here
    deps.update(f"papers-of:{a}" for a in index.people(slug))
    return frozenset(deps) | ALWAYS


def _author_deps(index: SiteIndex, slug: str) -> frozenset[str]:
    deps = _card_deps(index, index.papers_by_author[slug])
    deps.update({f"author:{slug}", f"papers-of:{slug}"})
    return frozenset(deps) | ALWAYS


def _papers_deps(index: SiteIndex, slugs: list[str]) -> frozenset[str]:
    return frozenset({"list:all-papers", *_card_deps(index, slugs)})


def plan_pages(index: SiteIndex, config: SiteConfig) -> list[Page]:
    """Every page of the site, in a fixed order (home, papers, authors, lists, extras)."""
    urls = Urls(config.base)
    everything = frozenset({"list:all-papers", "list:all-authors"}) | ALWAYS
    pages: list[Page] = [Page("", "index.html", "home", "", everything)]
    for slug in sorted(index.corpus.papers):
        pages.append(Page(urls.paper(slug), "paper.html", "paper", slug, _paper_deps(index, slug)))
        pages.append(
            Page(urls.bib(slug), "", "bib", slug, frozenset({f"paper:{slug}", "config"}))
        )
    for slug in sorted(index.corpus.authors):
        deps = _author_deps(index, slug)
        pages.append(Page(urls.author(slug), "author.html", "author", slug, deps))
        pages.append(Page(urls.author_feed(slug), "feed.xml", "author-feed", slug, deps))
        for kind in AUTHOR_CARD_KINDS:
            pages.append(Page(card_path(kind, slug), "card.html", kind, slug, deps))
    pages.append(Page("papers/", "papers.html", "papers", "", everything))
    pages.append(Page("authors/", "authors.html", "authors", "", everything))
    pages.append(Page("categories/", "categories.html", "categories", "", everything))
    for key, slugs in index.categories.items():
        deps = _papers_deps(index, slugs) | ALWAYS
        pages.append(Page(urls.category(key), "category.html", "category", key, deps))
    pages.append(Page("years/", "years.html", "years", "", everything))
    for year, slugs in index.years.items():
        deps = _papers_deps(index, slugs) | ALWAYS
        pages.append(Page(urls.year(year), "year.html", "year", str(year), deps))
    pages.append(Page("feed.xml", "feed.xml", "feed", "", everything))
    pages.append(Page("404.html", "404.html", "404", "", ALWAYS))
    site_paths = frozenset({"list:all-papers", "list:all-authors", "config"})
    pages.append(Page("sitemap.xml", "sitemap.xml", "sitemap", "", site_paths))
    pages.append(Page("robots.txt", "robots.txt", "robots", "", frozenset({"config"})))
    pages.append(Page(".nojekyll", "", "nojekyll", "", frozenset()))
    pages.append(Page(EMBED_JS, "", KIND_EMBED_JS, "", frozenset({"theme"})))
    return pages
