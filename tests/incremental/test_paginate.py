"""Paged listings in incremental builds: byte-identical to a cold build, and an edit that
keeps a paper's place re-renders only the parts that show it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sitekit import copied, make_project
from test_incremental import MODES, _retitle, assert_same_as_cold, paper, rebuild

from sitegen.config import load_config
from sitegen.content.store import load_corpus, load_paper
from sitegen.render.index import build_index
from sitegen.render.plan import PAGED_KINDS

PER_PART = 2
#: Output files of paged listings (any part).
LISTING = re.compile(r"(papers/|categories/[^/]+/|years/\d+/)(page/\d+/)?index\.html")


@pytest.fixture(scope="module")
def paged_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("paged") / "site", paginate=PER_PART)


@pytest.fixture
def project(paged_template: Path, tmp_path: Path) -> Path:
    return copied(paged_template, tmp_path)


def parts_holding(project: Path, slug: str) -> set[str]:
    """Files of the listing parts that show ``slug`` (papers/, its category, its year)."""
    index = build_index(load_corpus(project / "content"), load_config(project))
    paper_record = index.paper(slug)
    found = set()
    for first, listed in (("papers/", index.all_papers),
                          (f"categories/{paper_record.category.lower()}/",
                           index.categories[paper_record.category.lower()]),
                          (f"years/{paper_record.year}/", index.years[paper_record.year])):
        part = listed.index(slug) // PER_PART + 1
        found.add(f"{first}index.html" if part == 1 else f"{first}page/{part}/index.html")
    return found


@pytest.mark.parametrize("mode", MODES)
def test_title_edit_rerenders_only_the_parts_holding_the_paper(project: Path, tmp_path: Path,
                                                               mode: str) -> None:
    target = paper(project, "paper-007")
    title = load_paper(target, project / "content").title
    holding = parts_holding(project, "paper-007")
    assert any("/page/" in f for f in holding)  # not only first parts
    result = rebuild(project, mode, lambda: [_retitle(target, title + " (revised)") or target])
    assert result.mode == "incremental"
    assert {p.file for p in result.pages if p.kind in PAGED_KINDS} == holding
    assert {f for f in result.written if LISTING.fullmatch(f)} == holding
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_date_edit_moves_a_paper_to_another_part(project: Path, tmp_path: Path,
                                                 mode: str) -> None:
    target = paper(project, "paper-007")
    before = parts_holding(project, "paper-007")

    def change() -> list[Path]:
        text = re.sub(r"(?m)^date: .*$", "date: '2012-01-05'", target.read_text("utf-8"))
        target.write_text(text, encoding="utf-8")
        return [target]

    result = rebuild(project, mode, change)
    after = parts_holding(project, "paper-007")
    assert "papers/index.html" not in after and before != after
    assert after <= set(result.written) | {"years/2012/index.html"}
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_added_paper_adds_a_part(project: Path, tmp_path: Path, mode: str) -> None:
    source, new = paper(project, "paper-001"), paper(project, "paper-new")
    count = len(list(new.parent.glob("*.yaml")))
    last = f"papers/page/{count // PER_PART + 1}/index.html"
    assert count % PER_PART == 0 and not (project / "output" / last).exists()

    def change() -> list[Path]:
        text = source.read_text(encoding="utf-8").replace("title: ", "title: Brand new ", 1)
        new.write_text(text, encoding="utf-8")
        return [new]

    result = rebuild(project, mode, change)
    assert last in result.written
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_deleted_papers_drop_the_last_part(project: Path, tmp_path: Path, mode: str) -> None:
    targets = [paper(project, "paper-010"), paper(project, "paper-020")]
    count = len(list(targets[0].parent.glob("*.yaml")))
    last = f"papers/page/{count // PER_PART}/index.html"
    assert count % PER_PART == 0

    def change() -> list[Path]:
        for target in targets:
            target.unlink()
        return targets

    result = rebuild(project, mode, change)
    assert last in result.deleted
    assert not (project / "output" / last).exists()
    assert_same_as_cold(project, tmp_path)
