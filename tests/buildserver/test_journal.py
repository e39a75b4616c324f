"""The change journal, against the kernel's real inotify events."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.buildserver.journal import ChangeJournal, mount_type


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "papers").mkdir(parents=True)
    (folder / "authors").mkdir()
    (folder / "papers" / "a.yaml").write_text("title: A\n", encoding="utf-8")
    (folder / "authors" / "x.yaml").write_text("name: X\n", encoding="utf-8")
    return Path(os.path.realpath(folder))


@pytest.fixture
def journal(root: Path) -> Iterator[ChangeJournal]:
    kept = ChangeJournal(root)
    yield kept
    kept.close()


def test_nothing_changed_is_an_empty_set(journal: ChangeJournal) -> None:
    assert journal.take() == set()


def test_a_write_is_named(root: Path, journal: ChangeJournal) -> None:
    (root / "papers" / "b.yaml").write_text("title: B\n", encoding="utf-8")
    assert journal.take() == {root / "papers" / "b.yaml"}


def test_an_append_in_place_is_named(root: Path, journal: ChangeJournal) -> None:
    with open(root / "authors" / "x.yaml", "a", encoding="utf-8") as fh:
        fh.write("bio: more\n")
    assert journal.take() == {root / "authors" / "x.yaml"}


def test_a_rename_names_both_files(root: Path, journal: ChangeJournal) -> None:
    os.rename(root / "papers" / "a.yaml", root / "papers" / "c.yaml")
    assert journal.take() == {root / "papers" / "a.yaml", root / "papers" / "c.yaml"}


def test_a_rename_across_folders_names_both_files(root: Path,
                                                  journal: ChangeJournal) -> None:
    os.rename(root / "papers" / "a.yaml", root / "authors" / "a.yaml")
    assert journal.take() == {root / "papers" / "a.yaml", root / "authors" / "a.yaml"}


def test_a_delete_is_named(root: Path, journal: ChangeJournal) -> None:
    (root / "papers" / "a.yaml").unlink()
    assert journal.take() == {root / "papers" / "a.yaml"}


def test_a_touch_is_named(root: Path, journal: ChangeJournal) -> None:
    os.utime(root / "papers" / "a.yaml", ns=(1, 1))
    assert journal.take() == {root / "papers" / "a.yaml"}


def test_a_second_take_starts_afresh(root: Path, journal: ChangeJournal) -> None:
    (root / "papers" / "a.yaml").write_text("title: A2\n", encoding="utf-8")
    assert journal.take() == {root / "papers" / "a.yaml"}
    assert journal.take() == set()


def test_pump_between_changes_keeps_them(root: Path, journal: ChangeJournal) -> None:
    (root / "papers" / "a.yaml").write_text("title: A2\n", encoding="utf-8")
    journal.pump()
    (root / "authors" / "x.yaml").unlink()
    journal.pump()
    journal.pump()
    assert journal.take() == {root / "papers" / "a.yaml", root / "authors" / "x.yaml"}


def test_editor_scratch_files_may_be_named(root: Path, journal: ChangeJournal) -> None:
    scratch = root / "papers" / ".a.yaml.swp"
    scratch.write_bytes(b"\0")
    scratch.unlink()
    (root / "papers" / "a.yaml~").write_text("old\n", encoding="utf-8")
    taken = journal.take()
    assert taken is not None
    assert taken <= {scratch, root / "papers" / "a.yaml~"}
    assert root / "papers" / "a.yaml~" in taken


def test_a_new_folder_is_unknown_then_watched(root: Path, journal: ChangeJournal) -> None:
    (root / "extra").mkdir()
    assert journal.take() is None
    (root / "extra" / "z.yaml").write_text("z: 1\n", encoding="utf-8")
    assert journal.take() == {root / "extra" / "z.yaml"}


def test_a_new_nested_folder_is_watched_to_the_bottom(root: Path,
                                                      journal: ChangeJournal) -> None:
    (root / "extra" / "deeper").mkdir(parents=True)
    assert journal.take() is None
    (root / "extra" / "deeper" / "z.yaml").write_text("z: 1\n", encoding="utf-8")
    assert journal.take() == {root / "extra" / "deeper" / "z.yaml"}


def test_a_folder_renamed_inside_is_unknown_then_watched_under_its_new_name(
        root: Path, journal: ChangeJournal) -> None:
    os.rename(root / "authors", root / "people")
    assert journal.take() is None
    (root / "people" / "x.yaml").write_text("name: Y\n", encoding="utf-8")
    assert journal.take() == {root / "people" / "x.yaml"}


def test_a_deleted_folder_is_unknown(root: Path, journal: ChangeJournal) -> None:
    shutil.rmtree(root / "authors")
    assert journal.take() is None
    assert journal.take() == set()


def test_root_replaced_is_unknown_then_tracked_again(root: Path,
                                                     journal: ChangeJournal) -> None:
    shutil.rmtree(root)
    assert journal.take() is None
    assert journal.take() is None  # still gone: nothing can be named
    (root / "papers").mkdir(parents=True)
    assert journal.take() is None  # back: watched again, but what it holds is unknown
    (root / "papers" / "n.yaml").write_text("title: N\n", encoding="utf-8")
    assert journal.take() == {root / "papers" / "n.yaml"}
    assert journal.take() == set()


def test_root_renamed_away_is_unknown(root: Path, journal: ChangeJournal) -> None:
    os.rename(root, root.with_name("moved"))
    assert journal.take() is None
    (root.with_name("moved") / "papers" / "a.yaml").write_text("x: 1\n", encoding="utf-8")
    assert journal.take() is None  # the root is not there: still unknown


def test_a_root_that_does_not_exist_yet(tmp_path: Path) -> None:
    root = Path(os.path.realpath(tmp_path)) / "later"
    journal = ChangeJournal(root)
    try:
        assert journal.take() is None
        root.mkdir()
        assert journal.take() is None
        (root / "f.yaml").write_text("a: 1\n", encoding="utf-8")
        assert journal.take() == {root / "f.yaml"}
    finally:
        journal.close()


def test_fileno_is_readable_once_something_changed(root: Path,
                                                   journal: ChangeJournal) -> None:
    import select

    assert select.select([journal.fileno()], [], [], 0)[0] == []
    (root / "papers" / "a.yaml").write_text("title: A3\n", encoding="utf-8")
    assert select.select([journal.fileno()], [], [], 1)[0] == [journal.fileno()]
    assert journal.take() == {root / "papers" / "a.yaml"}


MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
30 22 0:26 / /dev/shm rw,nosuid,nodev shared:2 - tmpfs tmpfs rw
41 22 0:40 / /srv/lab\\040data rw,relatime shared:9 - nfs4 host:/export rw,vers=4.2
42 41 0:41 / /srv/lab\\040data/local rw,relatime shared:10 - ext4 /dev/sdb1 rw
"""


@pytest.mark.parametrize(("path", "kind"), [
    ("/home/ada/site/content", "ext4"),
    ("/dev/shm/site", "tmpfs"),
    ("/dev/shmx/site", "ext4"),  # a longer name is not below /dev/shm
    ("/srv/lab data/site/content", "nfs4"),  # "\040" is a space in mountinfo
    ("/srv/lab data/local/content", "ext4"),  # the deepest mount point wins
])
def test_mount_type_takes_the_deepest_mount(tmp_path: Path, path: str, kind: str) -> None:
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO, encoding="utf-8")
    assert mount_type(path, str(info)) == kind


def test_mount_type_unknown_without_mountinfo(tmp_path: Path) -> None:
    assert mount_type("/x", str(tmp_path / "missing")) is None


def test_a_network_folder_is_always_unknown(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sitegen.buildserver.journal.mount_type", lambda _path: "nfs4")
    kept = ChangeJournal(root)
    try:
        assert kept.remote
        assert kept.take() is None
        assert kept.take() is None  # every time: other machines send no events
    finally:
        kept.close()


def test_a_linked_file_makes_every_take_unknown(root: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text("title: E\n", encoding="utf-8")
    kept = ChangeJournal(root)
    try:
        assert kept.take() == set()
        (root / "papers" / "e.yaml").symlink_to(outside)
        assert kept.take() is None
        outside.write_text("title: F\n", encoding="utf-8")  # no event reaches the journal
        assert kept.take() is None
    finally:
        kept.close()


def test_a_link_found_when_watching_makes_every_take_unknown(root: Path,
                                                              tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (root / "papers" / "shared").symlink_to(tmp_path / "shared")
    kept = ChangeJournal(root)
    try:
        assert kept.links
        assert kept.take() is None
    finally:
        kept.close()
