"""The output folder is replaced safely: temp folder + swap, marker, refusals."""

from __future__ import annotations

from pathlib import Path

import pytest
from buildkit import snapshot

from sitegen.build import MARKER, build
from sitegen.errors import BuildError, ContentError


def break_content(project: Path) -> None:
    (project / "content" / "papers" / "engine-notes.yaml").write_text("title: [unclosed\n")


def test_previous_output_untouched_when_content_is_bad(project: Path) -> None:
    build(project, quiet=True)
    out = project / "output"
    before = snapshot(out)
    siblings = sorted(p.name for p in project.iterdir())
    break_content(project)
    with pytest.raises(ContentError):
        build(project, quiet=True)
    assert snapshot(out) == before
    assert sorted(p.name for p in project.iterdir()) == siblings


def test_rebuild_replaces_stale_files(project: Path) -> None:
    build(project, quiet=True)
    out = project / "output"
    (project / "content" / "papers" / "compilers.yaml").unlink()
    build(project, quiet=True)
    assert not (out / "papers" / "compilers").exists()
    assert (out / MARKER).is_file()


def test_refuses_a_foreign_non_empty_folder(project: Path, tmp_path: Path) -> None:
    foreign = tmp_path / "precious"
    foreign.mkdir()
    (foreign / "thesis.tex").write_text("years of work")
    with pytest.raises(BuildError) as info:
        build(project, out_dir=foreign, quiet=True)
    assert str(info.value) == (
        f"{foreign}: output folder is not empty and was not created by sitegen "
        f"(no {MARKER}); empty it or choose another --out"
    )
    assert snapshot(foreign) == {"thesis.tex": b"years of work"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["precious", "site"]


def test_accepts_an_empty_folder(project: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    build(project, out_dir=empty, quiet=True)
    assert (empty / "index.html").is_file() and (empty / MARKER).is_file()


@pytest.mark.parametrize("where", [".", "content", ".."])
def test_refuses_to_replace_the_project_or_its_content(project: Path, where: str) -> None:
    target = project / where
    with pytest.raises(BuildError):
        build(project, out_dir=target, quiet=True)
    assert (project / "content" / "papers" / "engine-notes.yaml").is_file()


def test_refuses_a_file_and_a_symlink(project: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(BuildError, match="exists and is not a folder"):
        build(project, out_dir=tmp_path / "file", quiet=True)
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "link").symlink_to(real)
    with pytest.raises(BuildError, match="symbolic link"):
        build(project, out_dir=tmp_path / "link", quiet=True)


def test_nothing_outside_the_output_folder_is_touched(project: Path, tmp_path: Path) -> None:
    outside = tmp_path / "neighbour"
    outside.mkdir()
    (outside / "keep.txt").write_text("keep")
    before_project = snapshot(project)
    out = tmp_path / "out"
    build(project, out_dir=out, quiet=True)
    build(project, out_dir=out, quiet=True)
    assert snapshot(outside) == {"keep.txt": b"keep"}
    assert snapshot(project) == before_project
    assert sorted(p.name for p in tmp_path.iterdir()) == ["neighbour", "out", "site"]


def test_marker_identifies_sitegen_output(project: Path) -> None:
    build(project, quiet=True)
    assert "sitegen build" in (project / "output" / MARKER).read_text()
