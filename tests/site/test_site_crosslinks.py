"""Authors and papers link both ways.

Every author named on a paper page links to a page that lists the paper (links back to
it); every paper an author page should list (the author is named on it or owns it) is
linked from that page. Links are followed in the built files, the way a visitor would.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from sitecheck import layout
from sitecheck.build import REPO
from sitecheck.page import parse_page, squash
from sitecheck.siteconf import public_roots


@lru_cache(maxsize=4096)
def _targets(root: Path, prefix: str, page: Path, public) -> dict[Path, list[str]]:
    """Files the page links to, with the text of the links (pages are read once)."""
    out: dict[Path, list[str]] = {}
    for anchor in parse_page(page.read_text(encoding="utf-8")).anchors:
        target = layout.target_file(root, prefix, page, anchor.href, public)
        if target is not None:
            out.setdefault(target, []).append(anchor.text)
    return out


def test_authors_on_a_paper_page_link_to_pages_that_list_it(seed_site, corpus, paper_pages):
    root, prefix = seed_site.root, seed_site.prefix
    public = public_roots(REPO, prefix)
    problems = []
    for slug, file in sorted(paper_pages.items()):
        where = file.relative_to(root)
        targets = _targets(root, prefix, file, public)
        for name in corpus.papers[slug].authors:
            linked = [t for t, texts in targets.items() if squash(name) in map(squash, texts)]
            if not linked:
                problems.append(f"{where}: author {name!r} is not a link")
                continue
            for target in linked:
                back = _targets(root, prefix, target, public)
                if file not in back:
                    problems.append(
                        f"{where}: author {name!r} links to {target.relative_to(root)}, "
                        "which does not link back to the paper"
                    )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])


def test_author_pages_link_to_each_of_their_papers(seed_site, corpus, paper_pages, author_pages):
    root, prefix = seed_site.root, seed_site.prefix
    public = public_roots(REPO, prefix)
    problems = []
    for slug, file in sorted(author_pages.items()):
        author = corpus.authors[slug]
        names = {author.name, *author.aliases}
        theirs = [p for p in corpus.papers.values() if names & set(p.authors) or slug in p.profiles]
        linked = _targets(root, prefix, file, public)
        for paper in sorted(theirs, key=lambda p: p.slug):
            if paper_pages[paper.slug] not in linked:
                problems.append(
                    f"{file.relative_to(root)}: no link to paper {paper.slug!r} ({paper.title[:60]})"
                )
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:40])
