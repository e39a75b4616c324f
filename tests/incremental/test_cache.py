"""The cache files: plain marshal data that loads back into equal records and index."""

from __future__ import annotations

from pathlib import Path

import pytest
from sitekit import built_project, edit_yaml, make_project

from sitegen import cache
from sitegen.config import load_config
from sitegen.content.store import load_corpus
from sitegen.incremental import SiteBuilder
from sitegen.render.index import build_index


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_project(tmp_path_factory.mktemp("cache"))


@pytest.fixture
def fresh(tmp_path: Path) -> Path:
    """A built project of this test's own (a copied project's cache does not apply)."""
    project = make_project(tmp_path / "site")
    SiteBuilder(project).build()
    return project


def _load(project: Path) -> tuple[cache.State, cache.SiteData]:
    folder = project / cache.CACHE_DIR
    state = cache.load_state(folder, _key(project))
    assert state is not None
    assert state.files is None  # the table of files is read only when needed
    assert cache.load_files(folder, state)
    site = cache.load_site(folder, state)
    assert site is not None
    return state, site


def _key(project: Path) -> str:
    from sitegen.freshness import read_inputs

    return read_inputs(project, None, None, None, None).key


def test_loaded_records_and_index_equal_a_fresh_load(built: Path) -> None:
    state, site = _load(built)
    corpus = load_corpus(built / "content")
    assert set(state.files) == {f"papers/{s}.yaml" for s in corpus.papers} | {
        f"authors/{s}.yaml" for s in corpus.authors}
    assert list(site.corpus.papers) == list(corpus.papers)
    assert dict(site.corpus.papers.items()) == corpus.papers
    assert dict(site.corpus.authors.items()) == corpus.authors
    fresh = build_index(corpus, load_config(built))
    for name in ("credits", *cache.INDEX_FIELDS):
        got = getattr(site.index, name)
        want = getattr(fresh, name)
        if name == "people_of":
            assert all(want.get(k, v) == v for k, v in got.items())
        else:
            assert dict(got.items()) == want if name == "credits" else got == want, name


def test_records_are_decoded_only_when_read(built: Path) -> None:
    _state, site = _load(built)
    papers = site.corpus.papers
    assert isinstance(papers, cache.LazyMap)
    assert "paper-003" in papers and len(papers) == 30
    assert papers["paper-003"].slug == "paper-003"
    assert papers["paper-003"] is papers["paper-003"]
    assert len(papers._seen) == 1
    with pytest.raises(KeyError):
        papers["nope"]


def test_updated_map_keeps_unchanged_encodings(built: Path) -> None:
    _state, site = _load(built)
    papers = site.corpus.papers
    changed = papers["paper-001"]
    new = papers.updated({"paper-001": changed}, {"paper-002"},
                         [s for s in papers if s != "paper-002"])
    assert "paper-002" not in new and "paper-002" in papers
    assert len(new) == len(papers) - 1
    encoded = dict(new.encoded(cache._encode_paper))
    assert "paper-005" not in new._seen  # copied as stored, never decoded
    assert cache._decode_paper(encoded["paper-005"]) == load_corpus(
        built / "content").papers["paper-005"]
    assert cache._decode_paper(encoded["paper-001"]) == changed


def test_one_edit_from_disk_decodes_a_fraction_of_the_records(tmp_path: Path) -> None:
    # Enough papers that one paper's pages, feeds and related papers are not all of them.
    project = make_project(tmp_path / "site", n_papers=150)
    SiteBuilder(project).build()
    edit_yaml(project / "content" / "papers" / "paper-004.yaml", "We study", "We also study")
    builder = SiteBuilder(project)
    result = builder.build()
    assert result.mode == "incremental"
    assert builder._prev is not None and builder._prev.site is not None
    papers = builder._prev.site.corpus.papers
    assert isinstance(papers, cache.LazyMap)
    assert 0 < len(papers._seen) < len(papers)


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", None])
def test_damaged_files_read_as_no_cache(fresh: Path, damage: bytes | None) -> None:
    project = fresh
    folder = project / cache.CACHE_DIR
    site_file = folder / cache.SITE_FILE
    site_file.write_bytes(site_file.read_bytes()[:200] if damage is None else damage)
    state = cache.load_state(folder, _key(project))
    assert state is not None
    assert cache.load_site(folder, state) is None
    (folder / cache.STATE_FILE).write_bytes(b"\x00")
    assert cache.load_state(folder, _key(project)) is None


def test_lazy_map_behaves_as_a_read_mostly_dict() -> None:
    import marshal

    raw = {k: marshal.dumps([k, n]) for n, k in enumerate("bac")}
    m = cache.LazyMap(raw, marshal.loads)
    assert list(m) == ["b", "a", "c"] and len(m) == 3
    assert m == {"b": ["b", 0], "a": ["a", 1], "c": ["c", 2]}
    assert m.get("z", "none") == "none" and "z" not in m
    m["z"] = ["z", 9]  # set like a dict (the index memoizes people this way)
    assert m["z"] == ["z", 9] and list(m)[-1] == "z" and "z" not in raw
    moved = m.updated({"d": ["d", 3]}, {"a"}, ["b", "c", "d", "z"])
    assert dict(moved.items()) == {"b": ["b", 0], "c": ["c", 2], "d": ["d", 3],
                                   "z": ["z", 9]}
    assert "a" in m and "a" not in moved
    assert dict(moved.encoded(marshal.dumps))["d"] == marshal.dumps(["d", 3])


def test_one_edit_from_disk_leaves_the_output_table_unread(
        fresh: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import sitegen.incremental as incremental

    monkeypatch.setattr(incremental, "DETACHED_SAVE_MIN", 0)  # saved by a child, as at 50k
    edit_yaml(fresh / "content" / "papers" / "paper-006.yaml", "We study", "We also study")
    builder = SiteBuilder(fresh)
    result = builder.build()
    assert result.mode == "incremental" and "papers/paper-006/index.html" in result.written
    outputs = builder._prev.site.outputs
    assert isinstance(outputs, cache.Outputs) and outputs._table is None
    cache.wait_for_saver(fresh / cache.CACHE_DIR)
    assert SiteBuilder(fresh).build().mode == "unchanged"
    state, site = _load(fresh)
    page = fresh / "output" / "papers" / "paper-006" / "index.html"
    assert site.outputs["papers/paper-006/index.html"] == cache.digest(page.read_bytes())
    assert len(site.outputs) == len(list(site.outputs))


def test_a_page_changed_by_hand_is_rewritten_when_its_paper_changes(fresh: Path) -> None:
    page = fresh / "output" / "papers" / "paper-007" / "index.html"
    page.write_text("scribbled over", encoding="utf-8")
    edit_yaml(fresh / "content" / "papers" / "paper-007.yaml", "We study", "We then study")
    SiteBuilder(fresh).build()
    assert b"We then study" in page.read_bytes()


def test_an_edit_appends_to_the_site_file_and_loads_back_equal(fresh: Path) -> None:
    site_file = fresh / cache.CACHE_DIR / cache.SITE_FILE
    before = site_file.stat()
    for word in ("also", "then", "further"):
        edit_yaml(fresh / "content" / "papers" / "paper-004.yaml", "We ", f"We {word} ")
        assert SiteBuilder(fresh).build().mode == "incremental"
    after = site_file.stat()
    assert after.st_ino == before.st_ino and after.st_size > before.st_size
    _state, site = _load(fresh)
    corpus = load_corpus(fresh / "content")
    assert dict(site.corpus.papers.items()) == corpus.papers
    assert dict(site.corpus.authors.items()) == corpus.authors
    index = build_index(corpus, load_config(fresh))
    for name in cache.LAZY_FIELDS:
        assert dict(getattr(site.index, name).items()) == getattr(index, name), name
    assert SiteBuilder(fresh).build().mode == "unchanged"


def test_a_change_to_the_index_writes_the_site_file_whole(fresh: Path) -> None:
    site_file = fresh / cache.CACHE_DIR / cache.SITE_FILE
    before = site_file.stat()
    # A new category changes the index (a title that keeps the paper's place would not).
    edit_yaml(fresh / "content" / "papers" / "paper-004.yaml", "category: ", "category: NEW")
    assert SiteBuilder(fresh).build().mode == "incremental"
    assert site_file.stat().st_ino != before.st_ino
    _state, site = _load(fresh)
    assert site.corpus.papers["paper-004"] == load_corpus(fresh / "content").papers["paper-004"]


def test_a_site_file_that_does_not_match_its_index_is_no_cache(fresh: Path) -> None:
    folder = fresh / cache.CACHE_DIR
    state, _site = _load(fresh)
    data = bytearray((folder / cache.SITE_FILE).read_bytes())
    data[0] ^= 1  # another file's identity
    (folder / cache.SITE_FILE).write_bytes(bytes(data))
    assert cache.load_site(folder, state) is None


def test_output_table_updates_never_copy_or_change_the_table_they_start_from() -> None:
    loads: list[int] = []

    def load() -> dict[str, bytes]:
        loads.append(1)
        return {"a": b"1", "b": b"2", "c": b"3"}

    lazy = cache.Outputs(load, 3)
    first = lazy.updated({"a": b"9"})
    assert loads == [] and len(first) == 3  # not read to be updated
    assert dict(first.items()) == {"a": b"9", "b": b"2", "c": b"3"} and loads == [1]
    second = first.updated({"b": b"8"})  # from a table read whole: not copied yet
    assert second._table is None and len(second) == 3
    assert dict(second.items()) == {"a": b"9", "b": b"8", "c": b"3"}
    assert dict(first.items()) == {"a": b"9", "b": b"2", "c": b"3"}  # left as it was
    assert dict(lazy.updated({"c": b"7"}).items()) == {"a": b"1", "b": b"2", "c": b"7"}


def test_an_edit_after_a_full_build_in_the_same_process_does_not_copy_the_table(
        tmp_path: Path) -> None:
    from sitegen.incremental import _outputs_updated

    table = {f"p{i}/index.html": bytes([i % 256]) * 16 for i in range(1000)}
    after = _outputs_updated(table, {"p3/index.html": b"x" * 16}, [])
    assert isinstance(after, cache.Outputs) and after._table is None and len(after) == 1000
    assert after["p3/index.html"] == b"x" * 16 and after["p4/index.html"] == table["p4/index.html"]
    assert table["p3/index.html"] == bytes([3]) * 16  # the previous build's table is kept
    grown = _outputs_updated(table, {"new/index.html": b"n" * 16}, [], grew=True)
    assert len(grown) == 1001 and isinstance(grown, dict)
    gone = _outputs_updated(table, {}, ["p5/index.html"])
    assert len(gone) == 999 and "p5/index.html" not in gone
