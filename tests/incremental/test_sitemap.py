"""A site with more pages than one sitemap file takes: a sitemap index and its files.

The limit is lowered for these tests (``SITEMAP_LIMIT``); the generated project has 30
papers and 14 authors, so it splits into several files of each kind.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sitekit import copied, make_project
from test_incremental import MODES, _move, assert_same_as_cold, paper, rebuild

from sitegen.render import pages, plan

NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LIMIT = 12


@pytest.fixture(autouse=True)
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    for module in (plan, pages):
        monkeypatch.setattr(module, "SITEMAP_LIMIT", LIMIT)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("sitemap") / "site")


@pytest.fixture
def project(template: Path, tmp_path: Path) -> Path:
    return copied(template, tmp_path)


def _locs(path: Path, tag: str) -> list[str]:
    root = ET.parse(path).getroot()
    assert root.tag == f"{NS}{tag}"
    return [el.text or "" for el in root.iter(f"{NS}loc")]


def test_a_large_site_gets_a_sitemap_index_of_files_within_the_limit(project: Path) -> None:
    from sitegen.incremental import SiteBuilder

    SiteBuilder(project).build()
    out = project / "output"
    files = _locs(out / "sitemap.xml", "sitemapindex")
    base = "https://lab.example.org/lab/"
    assert files == [f"{base}sitemaps/{name}.xml" for name in
                     ["site-1", "site-2", "papers-1", "papers-2", "papers-3", "authors-1", "authors-2"]]
    listed: list[str] = []
    for url in files:
        locs = _locs(out / url.removeprefix(base), "urlset")
        assert 0 < len(locs) <= LIMIT
        listed += locs
    pages_out = {f"{base}{p.relative_to(out).as_posix()}".removesuffix("index.html")
                 for p in out.rglob("*.html")
                 if p.name == "index.html" and "cards" not in p.parts}
    assert len(listed) == len(set(listed))
    assert set(listed) == pages_out
    robots = (out / "robots.txt").read_text(encoding="utf-8")
    assert f"Sitemap: {base}sitemap.xml" in robots


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("change", ["add", "delete", "new-category", "title"])
def test_sitemap_files_stay_identical_to_a_cold_build(project: Path, tmp_path: Path,
                                                      mode: str, change: str) -> None:
    def apply() -> list[Path]:
        target = paper(project, "paper-011")
        if change == "add":
            text = target.read_text(encoding="utf-8").replace("title: ", "title: New ", 1)
            target = paper(project, "paper-aaa")
            target.write_text(text, encoding="utf-8")
        elif change == "delete":
            target.unlink()
        elif change == "new-category":
            _move(target, category="Brand New")
        else:
            _move(target, title="Zzz retitled")
        return [target]

    result = rebuild(project, mode, apply)
    sitemaps = {f for f in result.written if f.endswith(".xml") and "sitemap" in f}
    if change == "title":
        assert sitemaps == set()  # no page came or went
    elif change == "new-category":
        assert sitemaps and all(f.startswith("sitemaps/site-") for f in sitemaps)
    elif change == "add":
        assert sitemaps == {"sitemaps/papers-3.xml"}  # paper-aaa sorts last
    else:  # paper-011 was the 12th: the files from its own on shift
        assert sitemaps == {f"sitemaps/papers-{n}.xml" for n in (1, 2, 3)}
    assert_same_as_cold(project, tmp_path)


@pytest.mark.parametrize("mode", MODES)
def test_growing_past_the_limit_turns_the_sitemap_into_an_index(
        tmp_path: Path, mode: str, monkeypatch: pytest.MonkeyPatch) -> None:
    small = make_project(tmp_path / "site", n_papers=6, n_authors=4)
    from sitegen.config import load_config
    from sitegen.content.store import load_corpus
    from sitegen.render.index import build_index
    from sitegen.render.urls import Urls

    config = load_config(small)
    index = build_index(load_corpus(small / "content"), config)
    for module in (plan, pages):  # exactly as many pages as the site lists now
        monkeypatch.setattr(module, "SITEMAP_LIMIT",
                            len(pages.sitemap_paths(index, Urls(config.base))))

    def grow() -> list[Path]:
        _locs(small / "output" / "sitemap.xml", "urlset")  # built below the limit
        added = []
        for i in range(3):
            source = paper(small, f"paper-00{i}")
            target = paper(small, f"paper-more-{i}")
            target.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
            added.append(target)
        return added

    result = rebuild(small, mode, grow)
    assert "sitemaps/papers-1.xml" in result.written
    _locs(small / "output" / "sitemap.xml", "sitemapindex")
    assert_same_as_cold(small, tmp_path)
