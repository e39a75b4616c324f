"""The table of content files: arrays in directory order, compared block by block."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sitekit import cold_tree, tree

from sitegen import cache, freshness, scan, walk
from sitegen.incremental import SiteBuilder


@pytest.fixture
def project(built_copy: Path) -> Path:
    return built_copy


def _cli_build(project: Path) -> freshness.Check:
    """What ``sitegen build`` does: the quick check, then a build that goes on from it."""
    checked = freshness.check(project)
    if not checked.fresh:
        SiteBuilder(project).build(checked=checked)
    return checked


def test_an_edit_in_place_is_found_by_comparing_arrays(project: Path, tmp_path: Path) -> None:
    _cli_build(project)  # a copied project's cache does not apply: this build is full
    target = project / "content" / "papers" / "paper-003.yaml"
    folder = target.parent
    before, folder_before = target.stat(), folder.stat()
    text = target.read_bytes()
    at = text.index(b"We study")
    with open(target, "r+b") as fh:  # same inode, same size, folder untouched
        fh.seek(at)
        fh.write(b"We STUDY")
    os.utime(folder, ns=(folder_before.st_atime_ns, folder_before.st_mtime_ns))
    assert target.stat().st_ino == before.st_ino
    checked = _cli_build(project)
    assert checked.found is not None and checked.found.same_names
    assert checked.found.changed == {"papers/paper-003.yaml"}  # parsed by the build
    assert tree(project / "output") == cold_tree(project, tmp_path)
    assert freshness.check(project).fresh


def test_a_touch_updates_the_signature_without_a_parse(project: Path) -> None:
    _cli_build(project)
    target = project / "content" / "authors" / "ada-lovelace.yaml"
    if not target.exists():
        target = sorted((project / "content" / "authors").iterdir())[0]
    st = target.stat()
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    checked = freshness.check(project)
    assert checked.fresh and checked.found is not None and checked.found.pending == []
    rel = f"authors/{target.name}"
    assert checked.found.files[rel][0] == (st.st_mtime_ns + 5_000_000, st.st_size, st.st_ino)
    again = freshness.check(project)
    assert again.fresh and again.found is None


def test_file_table_round_trip(tmp_path: Path) -> None:
    files = {"authors/a.yaml": ((1, 2, 3), b"A" * 16), "papers/x.yaml": ((4, 5, 6), b"X" * 16),
             "papers/y.yml": ((-7, 8, 2**62), b"Y" * 16)}
    plain = cache._files_to_plain(files)
    table = cache._files_from_parts(plain)
    assert dict(table.items()) == files and len(table) == 3
    assert "papers/y.yml" in table and "papers/z.yaml" not in table
    assert table["papers/x.yaml"] == files["papers/x.yaml"]
    copy = table.copy()
    copy["papers/x.yaml"] = ((9, 9, 9), b"Z" * 16)
    assert copy["papers/x.yaml"] == ((9, 9, 9), b"Z" * 16)
    assert table["papers/x.yaml"] == files["papers/x.yaml"]  # the copy shares nothing
    with pytest.raises(KeyError):
        copy["papers/new.yaml"] = ((1, 1, 1), b"N" * 16)


def test_an_empty_content_folder_keeps_the_quick_comparison(tmp_path: Path) -> None:
    content = tmp_path / "content"
    (content / "papers").mkdir(parents=True)
    (content / "papers" / "x.yaml").write_text("title: x\n")
    first = scan.scan(content, None)
    table = cache._files_from_parts(cache._files_to_plain(first.files))
    assert [part.folder for part in table.parts] == list(walk.FOLDERS)  # authors/: empty
    (content / "papers" / "x.yaml").write_text("title: y\n")  # an edit
    assert scan._fast_scan(content, table, walk.walk(content)) is not None


def test_the_forked_walk_equals_the_serial_one(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(walk, "PARALLEL_STAT_MIN", 0)
    monkeypatch.setattr(walk, "workers", lambda: 2)
    content = project / "content"
    serial, forked = walk.walk(content), walk.walk(content, parallel=True)
    assert serial.digest == forked.digest
    assert serial.entries == forked.entries
    assert sum(len(entries) for _folder, entries in serial.entries) == \
        len(list(content.glob("*/*.yaml")))


def test_the_walk_lists_the_folders_the_loader_reads() -> None:
    assert walk.FOLDERS == scan.FOLDERS


def test_a_save_by_rename_is_found_by_comparing_arrays(project: Path, tmp_path: Path) -> None:
    from sitegen.content.store import load_paper, write_paper

    _cli_build(project)
    content = project / "content"
    paper = load_paper(content / "papers" / "paper-002.yaml", content)
    paper.abstract += " Saved again."
    write_paper(content, paper)  # a new file renamed over the old one
    checked = _cli_build(project)
    assert checked.found is not None and checked.found.same_names
    assert checked.found.changed == {"papers/paper-002.yaml"}
    assert tree(project / "output") == cold_tree(project, tmp_path)
