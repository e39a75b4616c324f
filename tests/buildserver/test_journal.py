"""The change journal, against the kernel's real inotify events."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from sitegen.buildserver.journal import ChangeJournal, mount_types


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    (folder / "papers").mkdir(parents=True)
    (folder / "authors").mkdir()
    (folder / "papers" / "a.yaml").write_text("title: A\n", encoding="utf-8")
    (folder / "authors" / "x.yaml").write_text("name: X\n", encoding="utf-8")
    return Path(os.path.realpath(folder))


@pytest.fixture(autouse=True)
def _local(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the kernel's events: the temporary folder counts as local
    whatever file system holds it (the mount check has tests of its own)."""
    monkeypatch.setattr("sitegen.buildserver.journal.is_local", lambda _path: True)


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


def test_files_a_build_does_not_read_are_not_named(root: Path,
                                                    journal: ChangeJournal) -> None:
    scratch = root / "papers" / ".a.yaml.swp"
    scratch.write_bytes(b"\0")
    scratch.unlink()
    (root / "papers" / "a.yaml~").write_text("old\n", encoding="utf-8")
    (root / "papers" / "notes.txt").write_text("n\n", encoding="utf-8")
    (root / "ingest-report.yaml").write_text("r: 1\n", encoding="utf-8")
    assert journal.take() == set()


def test_other_folders_are_not_watched(root: Path, journal: ChangeJournal) -> None:
    (root / "extra" / "deeper").mkdir(parents=True)
    (root / "papers" / "drafts").mkdir()
    assert journal.take() == set()
    (root / "extra" / "deeper" / "z.yaml").write_text("z: 1\n", encoding="utf-8")
    (root / "papers" / "drafts" / "z.yaml").write_text("z: 1\n", encoding="utf-8")
    assert journal.take() == set()


def test_a_folder_named_like_a_content_file_is_unknown(root: Path,
                                                        journal: ChangeJournal) -> None:
    (root / "papers" / "odd.yaml").mkdir()
    assert journal.take() is None


def test_a_read_folder_renamed_away_is_unknown_then_watched_when_back(
        root: Path, journal: ChangeJournal) -> None:
    os.rename(root / "authors", root / "people")
    assert journal.take() is None
    (root / "people" / "x.yaml").write_text("name: Y\n", encoding="utf-8")
    assert journal.take() == set()  # not a folder a build reads
    os.rename(root / "people", root / "authors")
    assert journal.take() is None
    (root / "authors" / "x.yaml").write_text("name: Z\n", encoding="utf-8")
    assert journal.take() == {root / "authors" / "x.yaml"}


def test_a_deleted_folder_is_unknown(root: Path, journal: ChangeJournal) -> None:
    shutil.rmtree(root / "authors")
    assert journal.take() is None
    assert journal.take() == set()


def test_a_folder_created_later_is_watched(root: Path, journal: ChangeJournal) -> None:
    shutil.rmtree(root / "authors")
    assert journal.take() is None
    (root / "authors").mkdir()
    assert journal.take() is None
    (root / "authors" / "n.yaml").write_text("name: N\n", encoding="utf-8")
    assert journal.take() == {root / "authors" / "n.yaml"}


def test_a_replaced_parent_is_unknown(root: Path, journal: ChangeJournal) -> None:
    parent = root.parent
    os.rename(parent, parent.with_name(parent.name + "-old"))
    shutil.copytree(parent.with_name(parent.name + "-old"), parent)
    (root / "papers" / "a.yaml").write_text("title: new\n", encoding="utf-8")
    assert journal.take() is None  # the watched folder is the old one
    (root / "papers" / "a.yaml").write_text("title: newer\n", encoding="utf-8")
    assert journal.take() == {root / "papers" / "a.yaml"}


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
        (root / "papers").mkdir()
        assert journal.take() is None
        (root / "papers" / "f.yaml").write_text("a: 1\n", encoding="utf-8")
        assert journal.take() == {root / "papers" / "f.yaml"}
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


@pytest.mark.parametrize(("path", "kinds"), [
    ("/home/ada/site/content", {"ext4"}),
    ("/dev/shm/site", {"tmpfs"}),
    ("/dev/shmx/site", {"ext4"}),  # a longer name is not below /dev/shm
    ("/srv/lab data/site/content", {"nfs4"}),  # "\040" is a space in mountinfo
    ("/srv/lab data/local/content", {"ext4"}),  # the deepest mount point holds it
    ("/srv", {"ext4", "nfs4"}),  # and what is mounted below counts too
])
def test_mount_types_of_a_folder(tmp_path: Path, path: str, kinds: set[str]) -> None:
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO, encoding="utf-8")
    assert mount_types(path, str(info)) == kinds


def test_mount_types_unknown_without_mountinfo(tmp_path: Path) -> None:
    assert mount_types("/x", str(tmp_path / "missing")) is None


def test_a_folder_not_known_to_be_local_is_always_unknown(
        root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sitegen.buildserver.journal.is_local", lambda _path: False)
    kept = ChangeJournal(root)
    try:
        assert kept.remote
        (root / "papers" / "a.yaml").write_text("title: A2\n", encoding="utf-8")
        assert kept.take() is None
        assert kept.take() is None  # every time: other machines send no events
    finally:
        kept.close()


def test_a_hard_link_makes_takes_unknown_until_it_is_gone(root: Path,
                                                          tmp_path: Path) -> None:
    other = tmp_path / "other-name.yaml"
    os.link(root / "papers" / "a.yaml", other)
    kept = ChangeJournal(root)
    try:
        assert kept.take() is None
        other.write_text("title: through the other name\n", encoding="utf-8")
        assert kept.take() is None  # no event names a.yaml, so every take says unknown
        other.unlink()
        assert kept.take() is None  # looked at afresh: no other name any more
        assert kept.take() == set()
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


@pytest.mark.parametrize("link", ["hard", "symbolic"])
def test_a_link_found_when_watching_makes_every_take_unknown(root: Path, tmp_path: Path,
                                                              link: str) -> None:
    if link == "hard":
        os.link(root / "authors" / "x.yaml", tmp_path / "x-again.yaml")
    else:
        (tmp_path / "shared.yaml").write_text("title: S\n", encoding="utf-8")
        (root / "papers" / "shared.yaml").symlink_to(tmp_path / "shared.yaml")
    kept = ChangeJournal(root)
    try:
        assert kept.links
        assert kept.take() is None
    finally:
        kept.close()
