"""The paged authors listing in incremental builds: byte-identical to a cold build, and an
edit to a paper's author list re-renders only the authors parts that show the two
authors whose counts changed, not the home page (which no longer lists everyone)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from sitekit import copied, make_project
from test_incremental import MODES, assert_same_as_cold, author, paper, rebuild

from sitegen import depmap
from sitegen.config import load_config
from sitegen.content.model import Author, Metrics
from sitegen.content.store import load_author, load_corpus, load_paper, write_author, write_paper
from sitegen.render.index import SiteIndex, build_index
from sitegen.render.urls import Urls

PER_PART = 2
#: Output files of the authors listing (any part).
AUTHORS_LISTING = re.compile(r"authors/(page/\d+/)?index\.html")


@pytest.fixture(scope="module")
def paged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("paged-authors") / "site", paginate=PER_PART)


@pytest.fixture
def project(paged_template: Path, tmp_path: Path) -> Path:
    return copied(paged_template, tmp_path)


def site_index(project: Path) -> SiteIndex:
    return build_index(load_corpus(project / "content"), load_config(project))


def part_file(place: int) -> str:
    part = place // PER_PART + 1
    return "authors/index.html" if part == 1 else f"authors/page/{part}/index.html"


def listing_files(project: Path) -> set[str]:
    return {p.relative_to(project / "output").as_posix()
            for p in (project / "output" / "authors").rglob("index.html")
            if AUTHORS_LISTING.fullmatch(p.relative_to(project / "output").as_posix())}


def swap_plan(index: SiteIndex) -> tuple[str, str, str]:
    """A paper outside the home page's recent papers, one of its authors and another
    author, both not featured and in different parts: (paper, author out, author in)."""
    az = {slug: i for i, slug in enumerate(index.authors_az)}
    recent = set(index.all_papers[:5])
    quiet = [a for a in index.authors_az if a not in index.featured]
    for slug in index.all_papers:
        if slug in recent:
            continue
        people = index.people(slug)
        for out in people:
            if out not in quiet or len(index.credits[slug]) < 2:
                continue
            for other in quiet:
                if other not in people and az[other] // PER_PART != az[out] // PER_PART:
                    return slug, out, other
    raise AssertionError("no paper fits")


@pytest.mark.parametrize("mode", MODES)
def test_author_list_edit_rerenders_only_the_parts_of_the_two_authors(
        project: Path, tmp_path: Path, mode: str) -> None:
    index = site_index(project)
    slug, out, into = swap_plan(index)
    az = index.authors_az
    holding = {part_file(az.index(out)), part_file(az.index(into))}
    assert len(holding) == 2 and any("/page/" in f for f in holding)
    target = paper(project, slug)
    out_name = index.author(out)

    def change() -> list[Path]:
        record = load_paper(target, project / "content")
        names = [index.author(into).name if index.name_to_slug.get(n) == out else n
                 for n in record.authors]
        assert names != record.authors, (record.authors, out_name)
        record.authors = names
        write_paper(project / "content", record)
        return [target]

    result = rebuild(project, mode, change)
    assert result.mode == "incremental"
    assert {p.file for p in result.pages if p.kind == "authors"} == holding
    assert {f for f in result.written if AUTHORS_LISTING.fullmatch(f)} == holding
    assert "index.html" not in {p.file for p in result.pages}
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_renamed_author_moves_to_another_part_and_letter(project: Path, tmp_path: Path,
                                                         mode: str) -> None:
    index = site_index(project)
    slug = next(a for a in index.authors_az[:PER_PART] if a not in index.featured)
    target = author(project, slug)
    last = part_file(len(index.authors_az) - 1)

    def change() -> list[Path]:
        record = load_author(target, project / "content")
        # A new display name, the old one kept as an alias so papers still resolve.
        record.aliases = [record.name, *record.aliases]
        record.name = "Zoran Zyx"
        write_author(project / "content", record)
        return [target]

    result = rebuild(project, mode, change)
    after = site_index(project)
    assert after.authors_az[-1] == slug
    assert {"authors/index.html", last} <= set(result.written)
    html = (project / "output" / last).read_text(encoding="utf-8")
    assert '<h2 id="letter-z" class="letter">Z</h2>' in html
    home = (project / "output" / "index.html").read_text(encoding="utf-8")
    assert f'href="/lab/{last.removesuffix("index.html")}#letter-z">Z</a>' in home
    assert_same_as_cold(project, tmp_path)


def _newcomer(project: Path) -> Path:
    """An author with no papers, first A-Z: everyone moves one place on."""
    write_author(project / "content", Author(slug="aaron-aab", name="Aaron Aab"))
    return author(project, "aaron-aab")


@pytest.mark.parametrize("mode", MODES)
def test_added_author_adds_a_part(project: Path, tmp_path: Path, mode: str) -> None:
    count = len(site_index(project).authors_az)
    assert count % PER_PART == 0
    new_last = f"authors/page/{count // PER_PART + 1}/index.html"
    result = rebuild(project, mode, lambda: [_newcomer(project)])
    assert new_last in result.written
    assert listing_files(project) == {part_file(i) for i in range(count + 1)}
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_removed_author_drops_the_last_part(project: Path, tmp_path: Path, mode: str) -> None:
    added = _newcomer(project)
    count = len(site_index(project).authors_az)
    last = f"authors/page/{count // PER_PART + 1}/index.html"
    result = rebuild(project, mode, lambda: [added.unlink() or added])
    assert last in result.deleted
    assert listing_files(project) == {part_file(i) for i in range(count - 1)}
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize(("field", "value", "shown"), [
    ("bio", "A new bio.", False), ("links", [], False),
    ("affiliation", "Elsewhere", True), ("metrics", Metrics(h_index=99), True)])
def test_only_what_a_summary_shows_rerenders_the_listing(paged_template: Path, field: str,
                                                         value: object, shown: bool) -> None:
    old = site_index(paged_template)
    slug = next(a for a in reversed(old.authors_az) if a not in old.featured)
    authors = dict(old.corpus.authors)
    authors[slug] = replace(authors[slug], **{field: value})
    new = replace(old, corpus=replace(old.corpus, authors=authors), memo={})
    config = load_config(paged_template)
    urls = Urls(config.base)
    change = depmap.diff(old, new, urls, [], [slug])
    pages = depmap.affected_pages(old, new, change, config.recent, urls)
    listed = {p.file for p in pages if p.kind in ("authors", "home")}
    assert listed == ({part_file(old.authors_az.index(slug))} if shown else set())
    assert f"authors/{slug}/index.html" in {p.file for p in pages}
