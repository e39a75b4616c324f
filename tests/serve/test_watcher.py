"""Stat polling sees edits, additions, removals and replacements; ignores editor scratch."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sitegen.serve.watcher import PollingWatcher, diff, ignored, snapshot


def test_ignored_names() -> None:
    for name in (".x.yaml.swp", "x.yaml~", "#x#", "4913", ".tmp123", "x.part"):
        assert ignored(name), name
    for name in ("x.yaml", "style.css", "base.html"):
        assert not ignored(name), name


def test_diff_sees_every_kind_of_change(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    a, b, c = tmp_path / "a.yaml", tmp_path / "sub" / "b.yaml", tmp_path / "c.yaml"
    a.write_text("1")
    b.write_text("1")
    plain = tmp_path / "site.yaml"
    plain.write_text("x")
    before = snapshot([tmp_path / "sub", a, plain, tmp_path / "missing"])
    assert set(before) == {str(a), str(b), str(plain)}
    b.write_text("22")  # size changes
    os.utime(a, ns=(1, 1))  # only the time changes
    (tmp_path / "sub" / ".b.yaml.swp").write_text("scratch")
    c.write_text("new")
    after = snapshot([tmp_path / "sub", a, plain, c])
    assert diff(before, after) == {a, b, c}
    plain.unlink()
    assert diff(after, snapshot([tmp_path / "sub", a, plain, c])) == {plain}


def test_same_size_same_second_replacement_is_seen(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("title: A\n")
    before = snapshot([tmp_path])
    tmp = tmp_path / ".p.yaml.tmp"
    tmp.write_text("title: B\n")
    stat = path.stat()
    os.utime(tmp, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(tmp, path)  # atomic save: new inode, same size and time
    assert diff(before, snapshot([tmp_path])) == {path}


def test_thread_reports_batches(tmp_path: Path) -> None:
    seen: list[set[Path]] = []
    watcher = PollingWatcher([tmp_path], seen.append, interval=0.02)
    watcher.start()
    try:
        (tmp_path / "x.yaml").write_text("x")
        deadline = time.monotonic() + 2
        while not seen and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        watcher.stop()
    assert seen and seen[0] == {tmp_path / "x.yaml"}
    assert not watcher._thread.is_alive()
