"""Smoke test of the benchmark corpus generator: small, but every output form is checked."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

from sitegen.content.store import load_corpus

BENCH = Path(__file__).resolve().parents[2] / "bench"
N_PAPERS = 50


def _load_generator():
    spec = importlib.util.spec_from_file_location("bench_corpus", BENCH / "corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


gen = _load_generator()


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("corpus")
    gen.write_all(N_PAPERS, out, seed=7)
    gen.write_listings(out / "seeds", 120, n_files=4, seed=7)
    return out


def test_content_loads_and_every_name_resolves(site: Path) -> None:
    loaded = load_corpus(site / "sitegen" / "content")
    assert len(loaded.papers) == N_PAPERS
    spelled: dict[str, list[str]] = {}
    for author in loaded.authors.values():
        for name in (author.name, *author.aliases):
            spelled.setdefault(name, []).append(author.slug)
    for paper in loaded.papers.values():
        assert 2 <= len(paper.authors) <= gen.SHOWN_AUTHORS
        for name in paper.authors:
            assert len(spelled.get(name, [])) == 1, name
    owners = [a for a in loaded.authors.values() if a.profile]
    assert owners and all(a.metrics.h_index is not None for a in owners)


def test_authors_are_reused_with_a_popular_head(site: Path) -> None:
    loaded = load_corpus(site / "sitegen" / "content")
    counts = Counter(n for p in loaded.papers.values() for n in p.authors)
    slots = sum(counts.values())
    assert len(counts) < slots * 0.8  # names recur across papers
    assert counts.most_common(1)[0][1] >= 4  # someone is prolific
    assert len(loaded.authors) <= int(N_PAPERS * gen.AUTHOR_POOL_RATIO) + 3


def test_abstracts_carry_latex(site: Path) -> None:
    loaded = load_corpus(site / "sitegen" / "content")
    text = "\n".join(p.abstract for p in loaded.papers.values())
    for marker in ("$", "\\%", "\\url{https://github.com/"):
        assert marker in text
    assert any(m in text for m in ("\\emph{", "\\textit{", "{\\em "))
    assert any(ord(ch) > 127 for a in loaded.authors.values() for ch in a.name)


def test_generation_is_byte_identical(site: Path, tmp_path: Path) -> None:
    gen.write_all(N_PAPERS, tmp_path, seed=7)
    gen.write_listings(tmp_path / "seeds", 120, n_files=4, seed=7)
    assert _tree(tmp_path) == _tree(site)


def test_hugo_site_has_a_page_per_paper_and_author(site: Path) -> None:
    hugo = site / "hugo"
    assert (hugo / "config.toml").is_file()
    for layout in ("baseof", "single", "list", "taxonomy", "term"):
        assert (hugo / "layouts" / "_default" / f"{layout}.html").is_file()
    content = site / "sitegen" / "content"
    papers = {p.stem for p in (content / "papers").glob("*.yaml")}
    authors = {p.stem for p in (content / "authors").glob("*.yaml")}
    assert {p.stem for p in (hugo / "content" / "papers").glob("*.md")} - {"_index"} == papers
    assert {p.name for p in (hugo / "content" / "authors").iterdir() if p.is_dir()} == authors


def test_listings_have_both_shapes_and_the_requested_entry_count(site: Path) -> None:
    files = sorted((site / "seeds").glob("*.txt"))
    assert len(files) == 4
    profile, compact = files[0].read_text("utf-8"), files[1].read_text("utf-8")
    assert "h-index" in profile.splitlines()[3]
    assert "h-index" not in compact
    corpus, listings = gen.listing_corpus(120, n_files=4, seed=7)
    assert sum(len(papers) for _, papers in listings) == 120
    assert len(corpus.papers) < 120  # some papers are listed in two files
