"""Rendering on all cores: slices, order, the first error in plan order."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen import parallel
from sitegen.cache import digest
from sitegen.errors import TemplateError
from sitegen.render.plan import Page


def _pages(n: int) -> list[Page]:
    kinds = ["paper"] * n
    kinds[n // 2] = "papers"  # lists every paper: rendered first
    kinds[-1] = "home"
    return [Page(path=f"p{i}/", template="t.html", kind=k, key=str(i))
            for i, k in enumerate(kinds)]


def test_guided_slices_cover_everything_once_and_shrink() -> None:
    slices = parallel.guided_slices(46_000, 2)
    assert slices[0] == (0, 500) and slices[-1][1] == 46_000
    assert all(a[1] == b[0] for a, b in zip(slices, slices[1:], strict=False))
    sizes = [b - a for a, b in slices]
    assert sizes == sorted(sizes, reverse=True) and sizes[-1] <= 20
    assert parallel.guided_slices(0, 2) == []


def test_pages_listing_the_site_render_first() -> None:
    pages = _pages(10)
    order = parallel.render_order(pages)
    assert order[:2] == [5, 9] and sorted(order) == list(range(10))


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_pool_writes_every_page_and_reports_the_first_error_in_plan_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    pages = _pages(200)

    def render(page: Page) -> bytes:
        return page.key.encode() * 3

    out = parallel.render_to(str(tmp_path), pages, render)
    assert out.written == 200
    assert (tmp_path / "p7" / "index.html").read_bytes() == b"777"
    assert out.outputs["p7/index.html"] == digest(b"777")
    # Every page's digest, whichever process rendered it, listed in plan order.
    assert list(out.outputs) == [page.file for page in pages]
    assert all(out.outputs[page.file] == digest(render(page)) for page in pages)
    assert out.bytes == sum(len(render(page)) for page in pages)

    def failing(page: Page) -> bytes:
        # 199 (home) is rendered first, in the same slice as 3; 150 in a later slice.
        if page.key in ("199", "150", "3"):
            raise TemplateError(f"bad {page.key}", file="t.html", line=int(page.key))
        return b"x"

    with pytest.raises(TemplateError) as info:
        parallel.render_to(str(tmp_path / "again"), pages, failing)
    assert info.value.problem == "bad 3" and info.value.line == 3


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_this_process_renders_alongside_a_child(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import time

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    pages = _pages(400)
    parent = os.getpid()
    here: list[str] = []

    def render(page: Page) -> bytes:
        if os.getpid() == parent:
            here.append(page.key)
        else:
            time.sleep(0.002)  # a slow child: this process surely renders some pages
        return b"<p>" + page.key.encode()

    out = parallel.render_to(str(tmp_path), pages, render)
    assert 0 < len(here) < len(pages)
    assert len(out.outputs) == 400
    assert all((tmp_path / page.file).read_bytes() == b"<p>" + page.key.encode()
               for page in pages)


def test_digest_is_short_and_tells_outputs_apart() -> None:
    assert len(digest(b"a")) == 16
    assert digest(b"a") != digest(b"b") and digest(b"") == digest(b"")


def _square(x: int) -> int:
    if x == 37:
        raise ValueError("no 37")
    return x * x


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_shared_work_returns_every_result_once() -> None:
    assert sorted(parallel.share_work(list(range(30)), _square, 2)) == [x * x for x in range(30)]


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_shared_work_raises_a_failure_wherever_it_happened() -> None:
    for _ in range(3):  # the failing chunk lands in this process or the child
        with pytest.raises(ValueError, match="no 37"):
            parallel.share_work(list(range(80)), _square, 2)


def _fail_here(x: int) -> int:
    import os
    import time

    if os.getpid() == _PARENT:
        raise KeyError("parent failed")
    time.sleep(0.01)  # the child is slow: this process surely claims a chunk
    return x


_PARENT = 0


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_a_failure_in_this_process_stops_the_child_quietly(
        capfd: pytest.CaptureFixture[str]) -> None:
    import os

    global _PARENT
    _PARENT = os.getpid()
    with pytest.raises(KeyError):
        parallel.share_work(list(range(50)), _fail_here, 2)
    assert "Traceback" not in capfd.readouterr().err


class _TooEarly(Exception):
    pass


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_warm_up_redoes_here_what_failed_early_in_the_child(
        monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    monkeypatch.setattr(parallel, "PARALLEL_MIN", 10)
    parent = os.getpid()
    ready = False  # becomes true in this process only, as an index completed after forking

    def warm(keys: list[str]) -> dict:
        if os.getpid() != parent and not ready:
            raise _TooEarly
        return {k: k.upper() for k in keys}

    keys = [f"k{i}" for i in range(500)]
    warming = parallel.WarmUp(keys, warm, retry=(_TooEarly,))
    ready = True
    memo: dict = {}
    for part in warming.finish():
        memo.update(part)
    assert memo == {k: k.upper() for k in keys}


def _big(x: int) -> tuple[int, bytes]:
    return x, bytes([x % 251]) * 300_000  # several times a default pipe's 64 KiB


@pytest.mark.skipif(parallel.workers() < 2, reason="needs two cores")
def test_results_larger_than_a_pipe_come_back_whole_while_this_process_is_busy() -> None:
    """The inbox thread receives a child's chunks as they are sent, even while this
    process is busy elsewhere (it never claims a chunk until ``finish``)."""
    import time

    shared = parallel.SharedWork(list(range(24)), _big, 2)
    time.sleep(0.3)  # busy elsewhere: the child goes on sending meanwhile
    results = shared.finish()
    assert sorted(x for x, _data in results) == list(range(24))
    assert all(data == bytes([x % 251]) * 300_000 for x, data in results)
    assert shared.children == []  # children and inbox threads are gone


def test_a_child_pipe_is_widened_where_the_system_allows() -> None:
    import fcntl
    import multiprocessing

    reader, writer = multiprocessing.get_context("fork").Pipe(duplex=False)
    try:
        parallel._widen(writer)
        size = fcntl.fcntl(writer.fileno(), fcntl.F_GETPIPE_SZ)
        limit = int(Path("/proc/sys/fs/pipe-max-size").read_text())
        assert size == min(parallel.PIPE_BYTES, limit)
    finally:
        reader.close()
        writer.close()


def test_files_are_written_below_the_folder_descriptor_with_missing_parents(
        tmp_path: Path) -> None:
    root = tmp_path / "out"
    root.mkdir()
    fd = parallel.open_folder(str(root))
    try:
        folders: set[str] = {""}
        parallel._write(fd, "a/b/c/index.html", b"deep", folders)
        parallel._write(fd, "a/b/c/other.bib", b"again", folders)
        parallel._write(fd, "top.txt", b"top", folders)
    finally:
        import os

        os.close(fd)
    assert (root / "a/b/c/index.html").read_bytes() == b"deep"
    assert (root / "a/b/c/other.bib").read_bytes() == b"again"
    assert (root / "top.txt").read_bytes() == b"top"
    assert "a/b/c" in folders
