"""The pure page renderer: one planned page (:mod:`sitegen.render.plan`) to bytes.

``render_page`` works from the index and the config alone, so an incremental build can
re-render just the pages whose deps changed, and a preview server can render one page on
request.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

from sitegen.cards.pages import CARD_KINDS, render_card_page
from sitegen.config import SiteConfig
from sitegen.content.model import Author, Paper
from sitegen.content.slugs import slugify
from sitegen.render.bibtex import bibtex_entry, cite_key
from sitegen.render.env import env_assets, json_ld, ld_escape, long_date
from sitegen.render.index import SiteIndex, category_key
from sitegen.render.latex import (
    abstract_to_text,
    collapse_spaces,
    find_code_url,
    render_abstract,
)
from sitegen.render.markdown import render_markdown
from sitegen.render.plan import (
    PAGED_KINDS,
    SITEMAP_LIMIT,
    Page,
    listed_authors,
    listed_in_sitemap,
    listed_papers,
    listing_path,
    part_count,
    part_slice,
    plan_pages,
    site_pages,
    sitemap_slugs,
)
from sitegen.render.svg import year_chart
from sitegen.render.urls import Urls, safe_href

FEED_LIMIT = 50
DESCRIPTION_LENGTH = 300


# -- view models ------------------------------------------------------------------------
def _author_link(
    index: SiteIndex, urls: Urls, slug: str, name: str | None = None, **more: Any
) -> dict:
    """An author as pages link them (the hot loops of cards and coauthors build the same
    dict inline, from the same table of hrefs)."""
    return {"name": name or index.author(slug).name, "slug": slug,
            "href": _author_hrefs(index, urls)[slug], **more}


def paper_card(index: SiteIndex, urls: Urls, slug: str) -> dict[str, Any]:
    """What any page needs to show a paper in a list (and the paper page's header)."""
    memo = index.memo_of(slug)
    key = ("card", urls.base.key)
    if key in memo:
        return memo[key]
    paper = index.paper(slug)
    code_url = find_code_url(paper.abstract)
    hrefs = _author_hrefs(index, urls)
    card = {
        "slug": slug,
        "title": paper.title,
        "href": urls.href(urls.paper(slug)),
        "date": paper.date,
        "date_text": long_date(paper.date),
        "date_inferred": paper.date_inferred,
        "year": paper.year,
        "year_href": urls.href(urls.year(paper.year)),
        "category": paper.category,
        "category_href": urls.href(urls.category(_category_key(paper))),
        "authors": [
            {"name": c.name or index.author(c.slug).name, "slug": c.slug, "href": hrefs[c.slug]}
            for c in index.credits[slug]
        ],
        "et_al": paper.et_al,
        "hidden": [
            {"name": index.author(s).name, "slug": s, "href": hrefs[s]}
            for s in index.hidden[slug]
        ],
        "code": paper.code,
        "code_url": code_url,
        "score": paper.score,
        "affiliations": paper.affiliations,
    }
    memo[key] = card
    return card


def cards(env: Environment, index: SiteIndex, urls: Urls, slugs: list[str]) -> list[dict]:
    """Paper cards with their HTML, rendered once per build by the theme's ``paper_item``.

    A paper appears on many pages (author pages, lists, related papers); rendering its
    card once and reusing the markup keeps large builds linear in the number of papers.
    """
    macros = _macros(env, index)
    out: list[dict] = []
    key = ("card-html", id(env), urls.base.key)
    memo_of = index.memo_of
    for slug in slugs:
        memo = memo_of(slug)
        card = memo.get(key)
        if card is None:
            card = dict(paper_card(index, urls, slug))
            if macros is not None:
                # The byline and date, shown in the item and on the paper's page.
                for name, macro in (("authors_html", "author_list"), ("date_html", "paper_date")):
                    if hasattr(macros, macro):
                        card[name] = Markup(getattr(macros, macro)(card))
                card["html"] = Markup(macros.paper_item(card))
            memo[key] = card
        out.append(card)
    return out


def abstract_text(index: SiteIndex, slug: str) -> str:
    """The paper's abstract as plain text, kept per paper for its page and its feed
    entries (the HTML, shown on one page only, is not kept: memory)."""
    memo = index.memo_of(slug)
    found = memo.get(("abstract",))
    if found is None:
        found = memo[("abstract",)] = abstract_to_text(index.paper(slug).abstract)
    return found


def _macros(env: Environment, index: SiteIndex) -> Any:
    key = ("macros", id(env))
    if key not in index.memo:
        index.memo[("env", id(env))] = env  # keeps id(env) unique while the memo lives
        module = env.get_template("_macros.html").module
        index.memo[key] = module if hasattr(module, "paper_item") else None
    return index.memo[key]


def _bibtex(index: SiteIndex, urls: Urls, slug: str) -> str:
    """The paper's entry, shared by its page and its ``.bib`` file."""
    memo = index.memo_of(slug)
    key = ("bib", urls.base.key)
    if key not in memo:
        url = urls.absolute(urls.paper(slug)) if urls.has_origin else None
        memo[key] = bibtex_entry(index.paper(slug), url)
    return memo[key]


def _category_key(paper: Paper) -> str:
    return _key_of_category(paper.category)


_key_of_category = lru_cache(maxsize=1024)(category_key)  # a few categories, many papers


def _description(text: str, limit: int = DESCRIPTION_LENGTH) -> str:
    # Collapsing a prefix gives a prefix of the collapsed text: when it is already
    # longer than the limit, the rest of a long abstract need not be split.
    head = collapse_spaces(text[: 2 * limit])
    if len(head) <= limit:
        head = collapse_spaces(text)
        if len(head) <= limit:
            return head
    cut = head[:limit].rsplit(" ", 1)[0]
    return cut + "\u2026"


def _format_number(value: float | int) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:g}"
    return f"{int(value):,}"


def _metrics(author: Author) -> list[tuple[str, str]]:
    m = author.metrics
    rows: list[tuple[str, str]] = []
    if m.h_index is not None:
        rows.append(("h-index", _format_number(m.h_index)))
    if m.papers is not None:
        rows.append(("Papers", _format_number(m.papers)))
    if m.citations is not None:
        rows.append(("Citations", _format_number(m.citations)))
    if m.novelty is not None:
        rows.append(("Novelty", f"{_format_number(m.novelty)}%"))
    if m.ai_score is not None:
        rows.append(("AI score", _format_number(m.ai_score)))
    return rows


class _AuthorHrefs(dict):
    """Author slug -> link to the author's page, filled as pages ask (author pages link
    their coauthors, and an author is the coauthor of many)."""

    def __init__(self, urls: Urls) -> None:
        super().__init__()
        self.urls = urls

    def __missing__(self, slug: str) -> str:
        href = self[slug] = self.urls.href(self.urls.author(slug))
        return href


def _author_hrefs(index: SiteIndex, urls: Urls) -> _AuthorHrefs:
    key = ("author-hrefs", urls.base.key)
    found = index.memo.get(key)
    if found is None:
        found = index.memo[key] = _AuthorHrefs(urls)
    return found


def _author_summary(index: SiteIndex, urls: Urls, slug: str) -> dict[str, Any]:
    """An author as lists of authors show it. The incremental build re-renders such a list
    when one of the fields read here changes (``sitegen.depmap.SUMMARY_FIELDS``), or the
    count: keep the two in step."""
    author = index.author(slug)
    return _author_link(
        index, urls, slug, author.name,
        affiliation=author.affiliation,
        count=len(index.papers_by_author[slug]),
        metrics=_metrics(author),
        profile=author.profile,
    )


def _initial(name: str) -> str:
    """First character of the name's slug, upper-cased.

    A name that starts with an ASCII letter or digit keeps it as its slug's first
    character, so the (slow) transliteration is only needed for the others.
    """
    first = name[:1]
    if first.isascii() and first.isalnum():
        return first.upper()
    return slugify(name)[:1].upper()


@lru_cache(maxsize=1 << 16)
def letter_of(name: str) -> tuple[str, str]:
    """The letter a name is listed under (``#`` when not A-Z) and that group's anchor.

    Cached by name: the letter navigation of ``authors/`` and the home page reads the
    letter of every author, and a few names need the (slow) transliteration.
    """
    first = _initial(name)
    if "A" <= first <= "Z":
        return first, f"letter-{first.lower()}"
    return "#", "letter-other"


def by_letter(people: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """People (already A-Z) grouped under the first letter of the ASCII form of their name."""
    groups: list[dict[str, Any]] = []
    for person in people:
        letter, anchor = letter_of(person["name"])
        if not groups or groups[-1]["letter"] != letter:
            groups.append({"letter": letter, "id": anchor, "people": []})
        groups[-1]["people"].append(person)
    return groups


def author_letters(index: SiteIndex) -> list[tuple[str, str, int]]:
    """The letter groups of the whole A-Z list of authors, as ``by_letter`` makes them:
    (letter, anchor, place of the group's first author in ``authors_az``).

    Every part of ``authors/`` links to every letter, so this is made once per A-Z list:
    the entry is kept with the list it was made from, and an incremental build that keeps
    the list (no author renamed, added or removed) carries it over.
    """
    key = ("author-letters",)
    kept = index.memo.get(key)
    if kept is not None and kept[0] is index.authors_az:
        return kept[1]
    found: list[tuple[str, str, int]] = []
    last = None
    author = index.author
    for place, slug in enumerate(index.authors_az):
        letter, anchor = letter_of(author(slug).name)
        if letter != last:
            found.append((letter, anchor, place))
            last = letter
    index.memo[key] = (index.authors_az, found)
    return found


def letter_parts(index: SiteIndex) -> list[tuple[str, str, int]]:
    """The letter navigation of the authors listing: (letter, anchor, number of the part
    that holds the letter's first author). What a change to it must re-render."""
    per = index.paginate
    if part_count(len(listed_authors(index)), per) == 1:
        return [(letter, anchor, 1) for letter, anchor, _ in author_letters(index)]
    return [(letter, anchor, place // per + 1)
            for letter, anchor, place in author_letters(index)]


def author_nav(index: SiteIndex, urls: Urls) -> list[dict[str, str]]:
    """Links to every letter of the authors listing: on a listing of one part, to the
    letter's heading on the same page; otherwise to that heading in the part that holds
    the letter's first author (from the home page and from any part alike)."""
    key = ("author-nav", urls.base.key)
    found = index.memo.get(key)
    if found is None:
        paged = part_count(len(listed_authors(index)), index.paginate) > 1

        def href(anchor: str, part: int) -> str:
            if not paged:
                return f"#{anchor}"
            return f"{urls.href(urls.part('authors/', part))}#{anchor}"

        found = [{"letter": letter, "id": anchor, "href": href(anchor, part)}
                 for letter, anchor, part in letter_parts(index)]
        index.memo[key] = found
    return found


def _group_by_year(cards: list[dict]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for card in cards:
        if not groups or groups[-1]["year"] != card["year"]:
            groups.append({"year": card["year"], "papers": []})
        groups[-1]["papers"].append(card)
    for group in groups:
        group["count"] = len(group["papers"])
    return groups


# -- per-kind contexts --------------------------------------------------------------------
def _paper_context(
    env: Environment, index: SiteIndex, urls: Urls, page: Page
) -> dict[str, Any]:
    slug = page.key
    paper = index.paper(slug)
    card = cards(env, index, urls, [slug])[0]
    text = abstract_text(index, slug)
    versions = [
        render_abstract(v)
        for v in dict.fromkeys(paper.abstract_versions)
        if v.strip() and v.strip() != paper.abstract.strip()
    ]
    credits = index.credits[slug]
    citation = [("citation_title", paper.title)]
    citation += [("citation_author", c.name) for c in credits]
    citation.append(("citation_publication_date", paper.date.replace("-", "/")))
    if text:
        citation.append(("citation_abstract", text))
    return {
        "paper": paper,
        "card": card,
        "abstract": render_abstract(paper.abstract),
        "abstract_text": text,
        "versions": versions,
        "bibtex": _bibtex(index, urls, slug),
        "bib_href": urls.href(urls.bib(slug)),
        "bib_name": f"{cite_key(paper)}.bib",
        "related": cards(env, index, urls, index.related[slug]),
        "citation_meta": citation,
        "json_ld": _paper_ld(
            urls, paper, [(c.slug, c.name or index.author(c.slug).name) for c in credits],
            urls.absolute(page.path), text),
        "description": _description(text or paper.title),
        "og_type": "article",
        "page_title": paper.title,
    }


# -- JSON-LD ------------------------------------------------------------------------------
# The paper page's JSON-LD is written directly, piece by piece, with the result
# ``env.json_ld`` gives for the same dict (``tests/render`` compares the two): through
# ``json.dumps`` it cost more than all the rest of the page's context, and most of it is
# one long string (the abstract) and the authors, whose entries recur on many pages.
_json_string = json.encoder.encode_basestring  # C; what json.dumps uses without ensure_ascii


def _ld_string(value: str) -> str:
    """A string as JSON, escaped like ``env.json_ld`` escapes its whole output."""
    return ld_escape(_json_string(value))


_PEOPLE: dict[tuple[str, str, str], str] = {}  # (base, slug, name) -> a Person's JSON-LD
_PEOPLE_MAX = 8192


def _person_json(urls: Urls, slug: str, name: str) -> str:
    # A dict keyed by strings: an lru_cache would hash ``urls``, a dataclass, in Python.
    key = (urls.base.key, slug, name)
    found = _PEOPLE.get(key)
    if found is None:
        if len(_PEOPLE) >= _PEOPLE_MAX:
            _PEOPLE.clear()
        found = _PEOPLE[key] = (f'{{"@type":"Person","name":{_ld_string(name)},'
                                f'"url":{_ld_string(urls.absolute(urls.author(slug)))}}}')
    return found


def _paper_ld(urls: Urls, paper: Paper, people: list[tuple[str, str]], url: str,
              text: str) -> Markup:
    """``json_ld`` of the paper's ScholarlyArticle dict, keys in the same order."""
    title = _ld_string(paper.title)
    parts = [
        '{"@context":"https://schema.org","@type":"ScholarlyArticle","headline":', title,
        ',"name":', title,
        ',"author":[', ",".join([_person_json(urls, slug, name) for slug, name in people]),
        '],"datePublished":', _ld_string(paper.date[:4] if paper.date_inferred else paper.date),
        ',"url":', _ld_string(url),
    ]
    if text:
        parts += (',"abstract":', _ld_string(text))
    if paper.category:
        parts += (',"about":', _ld_string(paper.category))
    parts.append("}")
    return Markup("".join(parts))


def _author_context(
    env: Environment, index: SiteIndex, urls: Urls, page: Page
) -> dict[str, Any]:
    slug = page.key
    author = index.author(slug)
    paper_cards = cards(env, index, urls, index.papers_by_author[slug])
    counts: dict[int, int] = {}
    for card in paper_cards:
        counts[card["year"]] = counts.get(card["year"], 0) + 1
    links = [
        {"label": link.label, "url": link.url, "href": safe_href(link.url)}
        for link in author.links
    ]
    ld: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": author.name,
        "url": urls.absolute(page.path),
    }
    if author.aliases:
        ld["alternateName"] = list(author.aliases)
    if author.affiliation:
        ld["affiliation"] = {"@type": "Organization", "name": author.affiliation}
    same_as = [link["href"] for link in links if link["href"] and link["href"][:4] == "http"]
    if same_as:
        ld["sameAs"] = same_as
    bio_text = collapse_spaces(author.bio)
    hrefs = _author_hrefs(index, urls)
    description = bio_text or (
        f"{author.name}: {len(paper_cards)} paper{'s' if len(paper_cards) != 1 else ''}"
        + (f", {author.affiliation}" if author.affiliation else "")
    )
    return {
        "author": author,
        "metrics": _metrics(author),
        "bio": render_markdown(author.bio),
        "links": links,
        "groups": _group_by_year(paper_cards),
        "paper_count": len(paper_cards),
        "coauthors": [
            {"name": index.author(other).name, "slug": other, "href": hrefs[other],
             "count": n}
            for other, n in index.coauthors[slug]
        ],
        "chart": year_chart(counts, chart_id="chart", label=f"Papers per year by {author.name}"),
        "author_feed_href": urls.href(urls.author_feed(slug)),
        "json_ld": json_ld(ld),
        "description": _description(description),
        "og_type": "profile",
        "page_title": author.name,
    }


def _home_context(
    env: Environment, index: SiteIndex, urls: Urls, config: SiteConfig
) -> dict[str, Any]:
    """The home page lists every author while ``authors/`` is one page; once that listing
    has parts, it links to it and to its letters instead (a page of 25,000 names, which
    any author's edit would make to render again)."""
    listed = listed_authors(index)
    if part_count(len(listed), index.paginate) > 1:
        people: dict[str, Any] = {"author_count": len(listed),
                                  "author_nav": author_nav(index, urls)}
    else:
        everyone = [_author_summary(index, urls, s) for s in listed]
        people = {"everyone": everyone, "letters": by_letter(everyone)}
    return {
        "featured": [_author_summary(index, urls, s) for s in index.featured],
        **people,
        "recent": cards(env, index, urls, index.all_papers[: config.recent]),
        "paper_count": len(index.all_papers),
        "description": config.description or config.title,
        "og_type": "website",
        "page_title": config.title,
    }


def pager_numbers(current: int, count: int) -> list[int]:
    """The part numbers a listing's navigation links to, ascending.

    Besides the first, the last and the neighbours of ``current``, for each power of ten
    ``s`` below ``count``: the multiples of ``s`` in the block of ``10 * s`` parts that
    holds ``current``. From any part one click reaches the right hundred (say), the next
    the right ten, the next the part: every part of a listing of ``10**k`` parts is at
    most about ``k`` clicks away, with some ten links per power of ten.
    """
    numbers = {1, count, current - 1, current, current + 1}
    step = 1
    while step < count:
        block = current // (10 * step) * (10 * step)
        numbers.update(block + j * step for j in range(10))
        step *= 10
    return sorted(n for n in numbers if 1 <= n <= count)


def _pager(urls: Urls, page: Page, count: int) -> dict[str, Any] | None:
    """Links between the parts of a listing; None for a listing of one part."""
    if count <= 1:
        return None
    first = listing_path(urls, page.kind, page.key)

    def link(n: int) -> str:
        return urls.href(urls.part(first, n))

    current = page.part
    return {
        "current": current,
        "count": count,
        "prev": link(current - 1) if current > 1 else None,
        "next": link(current + 1) if current < count else None,
        "pages": [{"number": n, "href": link(n), "current": n == current}
                  for n in pager_numbers(current, count)],
    }


def _part(index: SiteIndex, urls: Urls, page: Page,
          listed: list[str]) -> tuple[list[str], dict[str, Any] | None, str]:
    """A part of the paged listing of ``listed``: the slugs it shows, the links between
    parts, and what its title says after the listing's name (", page n" from page 2)."""
    count = part_count(len(listed), index.paginate)
    suffix = f", page {page.part}" if page.part > 1 else ""
    return part_slice(listed, page.part, index.paginate), _pager(urls, page, count), suffix


def _part_context(env: Environment, index: SiteIndex, urls: Urls, page: Page) -> dict:
    """What every part of a paged listing shows: its slice of the papers (as cards), the
    total count and the navigation. Groups by year count the papers of this part only, so
    that a part depends on nothing but its slice and the totals."""
    listed = listed_papers(index, page.kind, page.key) or []
    shown, pager, suffix = _part(index, urls, page, listed)
    return {"cards": cards(env, index, urls, shown), "count": len(listed), "pager": pager,
            "title_suffix": suffix}


def _authors_context(index: SiteIndex, urls: Urls, page: Page, config: SiteConfig) -> dict:
    """A part of ``authors/``: its slice of the A-Z list grouped by letter, the total, the
    links between parts and to every letter. A letter's group that goes on in the next
    part starts there under the same heading."""
    listed = listed_authors(index)
    shown, pager, suffix = _part(index, urls, page, listed)
    people = [_author_summary(index, urls, s) for s in shown]
    return {"everyone": people, "letters": by_letter(people), "count": len(listed),
            "nav": author_nav(index, urls), "pager": pager,
            "page_title": f"Authors{suffix}",
            "description": f"All {len(listed)} authors on {config.title}{suffix}."}


def _list_context(
    env: Environment, index: SiteIndex, urls: Urls, page: Page, config: SiteConfig
) -> dict:
    kind = page.kind
    if kind in PAGED_KINDS:
        context = _part_context(env, index, urls, page)
        count, suffix = context["count"], context["title_suffix"]
        if kind != "year":
            context["groups"] = _group_by_year(context["cards"])
    if kind == "papers":
        return {**context, "page_title": f"All papers{suffix}",
                "description": f"All {count} papers on {config.title}{suffix}."}
    if kind == "authors":
        return _authors_context(index, urls, page, config)
    if kind == "categories":
        items = [
            {"name": index.category_names[k], "href": urls.href(urls.category(k)), "count": len(v)}
            for k, v in index.categories.items()
        ]
        return {"items": items, "page_title": "Categories",
                "description": f"Papers on {config.title} by category."}
    if kind == "years":
        items = [
            {"name": str(y), "href": urls.href(urls.year(y)), "count": len(v)}
            for y, v in index.years.items()
        ]
        return {"items": items, "page_title": "Years",
                "description": f"Papers on {config.title} by year."}
    if kind == "category":
        name = index.category_names[page.key]
        return {**context, "name": name, "page_title": f"Category {name}{suffix}",
                "description": f"{count} papers in category {name}{suffix}."}
    if kind == "year":
        return {**context, "name": page.key, "page_title": f"Papers from {page.key}{suffix}",
                "description": f"{count} papers from {page.key}{suffix}."}
    raise ValueError(f"not a list page: {kind}")


@lru_cache(maxsize=64)
def _title_slug(title: str) -> str:
    return slugify(title)


def _feed_id(urls: Urls, config: SiteConfig, path: str) -> str:
    """Atom ids must be absolute IRIs; without a known origin, use a stable URN."""
    if urls.has_origin:
        return urls.absolute(path)
    return f"urn:sitegen:{_title_slug(config.title)}:{path or 'home'}"


def _feed_entry(index: SiteIndex, urls: Urls, config: SiteConfig, slug: str) -> dict[str, Any]:
    """A paper as an Atom entry, shared by the site feed and the feeds of its authors.

    It reads the paper alone (names as written on it), so it is kept per paper across
    builds like the paper's card; the key holds everything else it depends on.
    """
    memo = index.memo_of(slug)
    key = ("feed-entry", urls.base.key, "" if urls.has_origin else config.title)
    entry = memo.get(key)
    if entry is None:
        paper = index.paper(slug)
        path = urls.paper(slug)
        entry = {
            "id": _feed_id(urls, config, path),
            "title": paper.title,
            "href": urls.absolute(path),
            "date": f"{paper.date}T00:00:00Z",
            "authors": tuple(c.name for c in index.credits[slug]),
            "category": paper.category,
            "summary": abstract_text(index, slug),
        }
        memo[key] = entry
    return entry


def _feed_context(index: SiteIndex, urls: Urls, page: Page, config: SiteConfig) -> dict:
    if page.kind == "author-feed":
        author = index.author(page.key)
        slugs = index.papers_by_author[page.key]
        title = f"{author.name} \u2014 {config.title}"
        alternate = urls.author(page.key)
    else:
        slugs = index.all_papers
        title = config.title
        alternate = ""
    slugs = slugs[:FEED_LIMIT]
    entries = [_feed_entry(index, urls, config, slug) for slug in slugs]
    updated = max((index.paper(s).date for s in slugs), default="1970-01-01")
    return {
        "feed_title": title,
        "feed_id": _feed_id(urls, config, page.path),
        "self_href": urls.absolute(page.path),
        "alternate_href": urls.absolute(alternate),
        "updated": f"{updated}T00:00:00Z",
        "entries": entries,
    }


def sitemap_paths(index: SiteIndex, urls: Urls) -> list[str]:
    """Paths of the pages a sitemap lists, in plan order, without planning the site again.

    Of a paper's and an author's pages only the HTML page itself is listed (not the
    BibTeX file, feed or card files); ``tests/render`` checks this against the plan.
    """
    site = site_pages(index, urls)  # the plan puts the first (home) before the rest
    return [
        *(p.path for p in site[:1] if listed_in_sitemap(p)),
        *(urls.paper(slug) for slug in sorted(index.corpus.papers)),
        *(urls.author(slug) for slug in sorted(index.corpus.authors)),
        *(p.path for p in site[1:] if listed_in_sitemap(p)),
    ]


def _sitemap_context(index: SiteIndex, urls: Urls, page: Page) -> dict:
    """One sitemap file: the whole site, or (a large site) the index of the sitemap files
    or one of them (see :func:`sitegen.render.plan.sitemap_pages`)."""
    absolute = urls.absolute
    site = site_pages(index, urls)
    files = [p for p in site if p.kind == "sitemap" and p.key]
    if not files:
        return {"locs": [absolute(path) for path in sitemap_paths(index, urls)]}
    if not page.key:
        return {"sitemaps": [absolute(p.path) for p in files]}
    what, number = page.key.rsplit("-", 1)
    if what == "site":
        paths = part_slice([p.path for p in site if listed_in_sitemap(p)], int(number),
                           SITEMAP_LIMIT)
    else:
        path = urls.paper if what == "papers" else urls.author
        paths = [path(slug) for slug in sitemap_slugs(index, page.key)]
    return {"locs": [absolute(path) for path in paths]}


def render_page(env: Environment, index: SiteIndex, config: SiteConfig, page: Page) -> bytes:
    """The bytes of one planned page; reads nothing but its arguments."""
    urls = Urls(config.base)
    if page.kind == "bib":
        return _bibtex(index, urls, page.key).encode("utf-8")
    if page.kind == "nojekyll":
        return b""
    if page.kind in CARD_KINDS:
        return render_card_page(env, index, config, page.kind, page.key)
    assets = env_assets(env)
    context: dict[str, Any] = {
        "site": config,
        "page": page,
        "href": urls.href,
        "absolute": urls.absolute,
        "asset": lambda name: urls.href(assets.path(name)),
        "canonical": urls.absolute(page.path),
        "has_origin": urls.has_origin,
        "section": page.path.split("/", 1)[0] if "/" in page.path else page.kind,
        "feed_href": urls.href("feed.xml"),
        "home_href": urls.href(""),
        "json_ld": None,
        "citation_meta": [],
    }
    if page.kind == "paper":
        context.update(_paper_context(env, index, urls, page))
    elif page.kind == "author":
        context.update(_author_context(env, index, urls, page))
    elif page.kind == "home":
        context.update(_home_context(env, index, urls, config))
    elif page.kind in ("papers", "authors", "categories", "years", "category", "year"):
        context.update(_list_context(env, index, urls, page, config))
    elif page.kind in ("feed", "author-feed"):
        context.update(_feed_context(index, urls, page, config))
    elif page.kind == "sitemap":
        context.update(_sitemap_context(index, urls, page))
    elif page.kind == "404":
        context.update({"page_title": "Page not found", "description": "Page not found."})
    context.setdefault("og_type", "website")
    template = env.get_template(page.template)
    text = template.render(context)
    if not text.endswith("\n"):
        text += "\n"
    return text.encode("utf-8")


__all__ = ["Page", "cards", "paper_card", "plan_pages", "render_page"]
