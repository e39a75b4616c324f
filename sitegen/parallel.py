"""Using both cores: work shared by the building process and forked children.

Rendering, parsing the content and warming the paper cards all use ``SharedWork``: the
building process works alongside ``n - 1`` forked children instead of waiting on a pool,
claiming slices from a shared counter, so only the children's share of the results is
pickled. Render children are forked after the index, the plan and the compiled templates
exist, so they share them copy-on-write (``gc.freeze`` keeps the collector from touching,
and so copying, those objects). Slices go out in the guided order (pages listing the whole
site first, slices shrinking towards the end so all finish together); each process writes
its own files and a child sends back only the digests of its pages, so memory stays flat
whatever the size of the site. A template error comes back as plain data and is raised
by the building process: the first failing page in plan order, as a serial build would
report it. The whole build runs with the cyclic garbage collector paused
(``gc_paused``) except while rendering."""

from __future__ import annotations

import contextlib
import fcntl
import gc
import multiprocessing
import os
import pickle
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sitegen.cache import DIGEST_SIZE, digest
from sitegen.errors import SitegenError, TemplateError
from sitegen.render.plan import LIST_KINDS, Page
from sitegen.walk import workers

A = TypeVar("A")
R = TypeVar("R")
PARALLEL_MIN = 3000  # fewer pages render faster in one process than a pool starts


@dataclass
class Rendered:
    outputs: dict[str, bytes] = field(default_factory=dict)  # file -> digest
    written: int = 0
    bytes: int = 0


RenderOne = Callable[[Page], bytes]
#: Computes shared pieces (paper cards) for some keys and returns them as memo entries.
Warm = Callable[[list[str]], dict]

@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside the block (restored afterwards).

    A build allocates millions of long-lived objects (records, index, cards) and almost
    no cycles; every full collection walks all of them again, which cost a large build
    more than half a second for nothing. Forked workers inherit the paused collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


_RETRY = ("sitegen.parallel", "retry")  # memo key of a slice to warm again


class WarmUp:
    """Pieces many pages share (paper cards), computed once on all cores.

    Without this every render worker would build every paper card again for itself (a
    card shows up on author pages, lists and related papers all over the plan). A forked
    child starts at once; this process joins in ``finish``, so it can do other work
    first (completing the index, planning pages) while the child warms cards.
    """

    def __init__(self, keys: list[str], warm: Warm,
                 retry: tuple[type[BaseException], ...] = ()) -> None:
        self.keys = keys
        self.warm = warm
        self.retry = retry  # a slice failing so in the child is warmed again in finish
        self.shared: SharedWork | None = None
        n = workers()
        forking = "fork" in multiprocessing.get_all_start_methods()
        if len(keys) >= PARALLEL_MIN // 2 and n > 1 and forking:
            # Small chunks: each result (about 3 KB a card) travels back as it is done.
            step = max(64, min(128, len(keys) // (n * 16)))
            slices = [(a, min(a + step, len(keys))) for a in range(0, len(keys), step)]
            self.shared = SharedWork(slices, self._slice, n)

    def _slice(self, bounds: tuple[int, int]) -> dict:
        keys = self.keys[bounds[0]:bounds[1]]
        try:
            return self.warm(keys)
        except self.retry:
            return {_RETRY: keys}

    def finish(self) -> list[dict]:
        """Every slice's memo entries (this process's own are in its memo already)."""
        if self.shared is None:
            return [self.warm(self.keys)]
        parts = self.shared.finish()
        return [self.warm(part[_RETRY]) if _RETRY in part else part for part in parts]

    def close(self) -> None:
        """Stop the child without waiting for results (after a failure elsewhere)."""
        if self.shared is not None:
            self.shared.close()


# -- work shared by this process and forked children --------------------------------------
_SHARE: tuple[list, Callable, Any] | None = None


def _claim(counter: Any) -> int:
    with counter.get_lock():
        i = counter.value
        counter.value = i + 1
    return i


def _share_child(conn: Any) -> None:
    assert _SHARE is not None
    chunks, work, counter = _SHARE
    try:
        try:
            while (i := _claim(counter)) < len(chunks):
                conn.send((True, work(chunks[i])))
            message: tuple = (None, None)  # done
        except BaseException as exc:  # noqa: BLE001 - raised again in the parent
            message = (False, exc)
        try:
            conn.send(message)
        except (pickle.PicklingError, TypeError, AttributeError):  # an odd exception
            conn.send((False, RuntimeError(repr(message[1]))))
    except OSError:
        pass  # the parent stopped listening (it failed itself): nothing to report
    finally:
        conn.close()


class _Inbox:
    """A child's results, received (and unpickled) by a thread of this process as the
    child sends them, one chunk at a time.

    Sent all at once at the end, they cost a pause of both processes: the child pickling
    everything, then this one unpickling it (a quarter of a second for the paper cards of
    10,000 papers). Received as they come, the work overlaps, and the child never waits
    for this process to read: the thread reads even while this process is busy.
    """

    def __init__(self, reader: Any) -> None:
        self.reader = reader
        self.results: list = []
        self.error: BaseException | None = None
        self.done = False
        self.thread = threading.Thread(target=self._run, name="sitegen-inbox", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            while True:
                ok, payload = self.reader.recv()
                if ok is None:
                    self.done = True
                    return
                if not ok:
                    self.error = payload
                    return
                self.results.append(payload)
        except (EOFError, OSError):
            return
        except BaseException as exc:  # noqa: BLE001 - an unpicklable result: raised by finish
            self.error = exc

    def collect(self) -> list:
        self.thread.join()
        if self.error is not None:
            raise self.error
        if not self.done:
            raise RuntimeError("a worker process ended without its results")
        return self.results


#: Room asked for in each child's pipe: a chunk's result fits whole, so a child hands it
#: over in one write instead of waiting, 64 KiB at a time, for the inbox thread, which
#: waits in turn for this process's main thread to let go of the interpreter.
PIPE_BYTES = 1 << 20


def _widen(conn: Any) -> None:
    with contextlib.suppress(AttributeError, OSError):  # Linux only; capped by the system
        fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


class SharedWork(Generic[A, R]):
    """``work(chunk)`` for every chunk, here and in ``n - 1`` forked children, in any order.

    The children start claiming chunks when this is created; this process joins in
    ``finish``. Each process claims the next chunk from a shared counter, so one slowed by
    other load simply takes fewer. Unlike a pool of ``n`` workers, this process works too
    instead of waiting, and only the children's results travel back (pickled, chunk by
    chunk, see ``_Inbox``): the pickling and unpickling of this process's share is never
    done. ``work`` reaches the children by fork, so it may be a closure.
    """

    def __init__(self, chunks: list[A], work: Callable[[A], R], n: int) -> None:
        self.chunks = chunks
        self.work = work
        ctx = multiprocessing.get_context("fork")
        self.counter = ctx.Value("q", 0)
        self.children: list[tuple[Any, Any, _Inbox]] = []
        global _SHARE
        _SHARE = (chunks, work, self.counter)
        try:
            # Every child is forked before any inbox thread starts: a fork copies only
            # the forking thread, and locks another thread holds would stay locked.
            forked = []
            for _ in range(n - 1):
                reader, writer = ctx.Pipe(duplex=False)
                _widen(writer)
                child = ctx.Process(target=_share_child, args=(writer,), daemon=True)
                child.start()
                writer.close()
                forked.append((child, reader))
            self.children = [(child, reader, _Inbox(reader)) for child, reader in forked]
        except BaseException:
            with self.counter.get_lock():
                self.counter.value = len(chunks)  # children stop claiming
            for child, reader in forked:
                reader.close()
                child.join()
            self.children = []
            raise
        finally:
            _SHARE = None  # each child holds its own copy from the fork

    def finish(self) -> list[R]:
        try:
            results: list[R] = []
            while (i := _claim(self.counter)) < len(self.chunks):
                results.append(self.work(self.chunks[i]))
            for _child, _reader, inbox in self.children:
                results.extend(inbox.collect())
            return results
        finally:
            self.close()

    def close(self) -> None:
        with self.counter.get_lock():
            self.counter.value = len(self.chunks)  # children stop claiming
        for child, reader, inbox in self.children:
            inbox.thread.join()  # the child ends after its chunk; its inbox reads to the end
            reader.close()
            child.join()
        self.children = []


def share_work(chunks: list[A], work: Callable[[A], R], n: int) -> list[R]:
    """``SharedWork(chunks, work, n).finish()``: results of every chunk, in any order."""
    return SharedWork(chunks, work, n).finish()


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def _write(root_fd: int, rel: str, data: bytes, folders: set[str]) -> None:
    """One output file below the folder ``root_fd`` (see :func:`open_folder`), with plain
    system calls: ``open()``'s buffered file object and ``makedirs``' existence checks cost
    more than the write itself on a fast disk, and a build writes tens of thousands of
    files. Paths are looked up from the folder rather than from ``/`` each time."""
    folder = os.path.dirname(rel)
    if folder not in folders:
        try:
            os.mkdir(folder, dir_fd=root_fd)
        except FileExistsError:
            pass
        except FileNotFoundError:  # a parent is missing too
            path = ""
            for part in folder.split("/"):
                path = f"{path}/{part}" if path else part
                with contextlib.suppress(FileExistsError):
                    os.mkdir(path, dir_fd=root_fd)
        folders.add(folder)
    fd = os.open(rel, _NEW_FILE, 0o666, dir_fd=root_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def open_folder(root: str) -> int:
    """``root`` opened as a folder, for :func:`_write`'s ``root_fd``."""
    return os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))


#: What rendering one slice sends back: its bounds, the pages' digests joined in slice
#: order (file names are known from the plan), the bytes written, and the first error.
SliceResult = tuple[tuple[int, int], bytes, int, "tuple | None"]


class _Renderer:
    """Renders slices of the plan in one process: the building one or a forked child."""

    def __init__(self, render: RenderOne, pages: list[Page], root_fd: int,
                 order: list[int]) -> None:
        self.render = render
        self.pages = pages
        self.root_fd = root_fd
        self.order = order
        self.folders: set[str] = {""}
        self.first_error = len(pages)  # plan position of the first failure seen here

    def __call__(self, bounds: tuple[int, int]) -> SliceResult:
        pages, render, folders, root_fd = self.pages, self.render, self.folders, self.root_fd
        digests: list[bytes] = []
        size = 0
        error: tuple | None = None
        for i in self.order[bounds[0]:bounds[1]]:
            if i > self.first_error:
                continue  # cannot be the first failing page in plan order
            page = pages[i]
            try:
                data = render(page)
            except SitegenError as exc:
                if i < self.first_error:
                    self.first_error = i
                    error = (i, exc.problem, exc.file, exc.line, exc.key)
                continue
            _write(root_fd, page.file, data, folders)
            digests.append(digest(data))
            size += len(data)
        if error is not None:
            return bounds, b"", 0, error  # the build fails: digests are of no use
        return bounds, b"".join(digests), size, None


def render_order(pages: list[Page]) -> list[int]:
    """Plan positions, pages that list the whole site first.

    Those few pages take hundreds of times longer than a paper page; started last, one of
    them would keep a single core busy after the other has run out of work.
    """
    heavy = [i for i, page in enumerate(pages) if page.kind in LIST_KINDS]
    chosen = set(heavy)
    return heavy + [i for i in range(len(pages)) if i not in chosen]


def guided_slices(total: int, workers: int, largest: int = 500,
                  smallest: int = 20) -> list[tuple[int, int]]:
    """Slices that shrink as the work runs out, so all workers finish close together.

    Large slices keep the per-task overhead low while much work is left; the last ones are
    small enough that no worker is left alone with a long one.
    """
    out: list[tuple[int, int]] = []
    start = 0
    while start < total:
        size = max(smallest, min(largest, (total - start) // (workers * 4)))
        out.append((start, min(total, start + size)))
        start += size
    return out


def render_to(root: str, pages: list[Page], render: RenderOne) -> Rendered:
    """Render ``pages`` and write each below ``root``; raises the first error in plan order.

    A large plan is shared by this process and ``n - 1`` forked children (``SharedWork``):
    the children send back only each slice's bounds and its pages' digests.
    """
    out = Rendered()
    n = workers()
    forking = "fork" in multiprocessing.get_all_start_methods()
    os.makedirs(root, exist_ok=True)
    root_fd = open_folder(root)  # forked children look paths up from it too
    try:
        if len(pages) < PARALLEL_MIN or n < 2 or not forking:
            folders: set[str] = {""}
            for page in pages:
                data = render(page)
                _write(root_fd, page.file, data, folders)
                out.outputs[page.file] = digest(data)
                out.bytes += len(data)
            out.written = len(pages)
            return out
        order = render_order(pages)
        renderer = _Renderer(render, pages, root_fd, order)
        was_enabled = gc.isenabled()
        gc.freeze()  # children share the heap built so far; collections skip it here too
        gc.enable()  # rendering makes some cyclic garbage, in this process and the children
        try:
            results: list[SliceResult] = share_work(guided_slices(len(pages), n), renderer, n)
        finally:
            if not was_enabled:
                gc.disable()
            gc.unfreeze()
    finally:
        os.close(root_fd)
    errors = [error for _bounds, _digests, _size, error in results if error is not None]
    if errors:
        _i, problem, file, line, key = min(errors)
        raise TemplateError(problem, file=file, line=line, key=key)
    found: list[bytes] = [b""] * len(pages)
    for (start, stop), digests, size, _error in results:
        if len(digests) != DIGEST_SIZE * (stop - start):  # would pair hashes with wrong files
            raise RuntimeError(f"render slice {start}:{stop} came back incomplete")
        for k, i in enumerate(order[start:stop]):
            found[i] = digests[DIGEST_SIZE * k:DIGEST_SIZE * (k + 1)]
        out.bytes += size
    out.outputs = {page.file: found[i] for i, page in enumerate(pages)}
    out.written = len(pages)
    return out
