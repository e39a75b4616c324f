"""The build server: one long-lived process per project that ``sitegen build`` hands off to.

A one-shot ``sitegen build`` pays, before any work, for Python's start-up, its imports and
a stat of every content file. The server pays them once: it keeps the last build in memory
(:class:`sitegen.incremental.SiteBuilder`, the engine ``sitegen serve`` also runs), keeps a
change journal of the content folder (:mod:`sitegen.buildserver.journal`), and answers each
build request by rebuilding exactly the files the journal names.

What makes the answer trustworthy:

- The journal watches the folder before the first build looks at it, and every event is
  queued by the call that changed the file, so no edit made before a request is missed.
  Anything the journal cannot name exactly makes the build look at the whole folder.
- The memory is used only while the cache on disk is the one it saved last; a build by
  another process (``--no-server``) or a deleted cache makes the server look again.
- ``site.yaml`` and the theme are hashed on every build, as in any incremental build.
- A request from other sitegen code (another release, package folder or interpreter), or
  to a server whose own code changed on disk, answers "stale": the client builds by
  itself (and the server starts again with the new code). So does a fault of the server
  itself, after which it forgets everything.
- A build that fails on bad input keeps its list of changes for the next one, as the
  preview does.

Requests are served one at a time, in the order they arrive; the server exits after
``idle_timeout`` seconds without one, or once its socket is gone.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import os
import selectors
import signal
import socket
import sys
import time
import traceback
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sitegen import __version__
from sitegen.buildserver import wire
from sitegen.buildserver.address import Address
from sitegen.buildserver.wire import BuildOptions
from sitegen.errors import SitegenError

if TYPE_CHECKING:
    from sitegen.buildserver.journal import ChangeJournal

#: Exit after this long without a request (seconds); 0 or None: never.
IDLE_TIMEOUT = 3600.0
#: How often an idle server checks that its socket is still its own (seconds).
CHECK_EVERY = 60.0
#: Seconds of card rendering between two looks for requests while idle (see ``_loop``):
#: the most a request can wait for the server to notice it.
WARM_SLICE = 0.02
#: A client that reads nothing for this long is dropped (its build still finishes).
SEND_TIMEOUT = 30.0


class CodeStamp:
    """Signatures of every module file this process loaded: tells when code changed on disk
    (an upgrade, an edit of sitegen's source), after which the server must not build."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, int] | None] = {}
        self.changed()

    @staticmethod
    def _sig(path: str) -> tuple[int, int] | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def changed(self) -> bool:
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if isinstance(path, str) and path not in self._seen:
                self._seen[path] = self._sig(path)
        return any(self._sig(path) != sig for path, sig in self._seen.items())


class BuildServer:
    """Serves one project's build requests on a Unix socket until stopped or idle."""

    def __init__(self, addr: Address, defaults: BuildOptions, cwd: str, *,
                 idle_timeout: float | None = IDLE_TIMEOUT) -> None:
        self.addr = addr
        self.defaults = defaults  # the first build's options, and the folder they are in
        self.cwd = cwd
        self.idle_timeout = idle_timeout or None
        self.started = time.time()
        self.builds = 0
        self.last_seconds: float | None = None
        self._builder: Any = None  # a SiteBuilder, made by the first build
        self._options: tuple[BuildOptions, str] | None = None
        self._journal: ChangeJournal | None = None
        self._pending: set[Path] | None = None  # changes not built yet; None: unknown
        self._stamp: CodeStamp | None = None
        self._listener: socket.socket | None = None
        self._lock_fd: int | None = None
        self._stopping = False
        self._restart = False
        self._wake: socket.socket | None = None
        self._socket_id: tuple[int, int] | None = None
        self.warm_error: str | None = None  # what the first build failed with
        self._cards_left = False  # paper cards to render while idle (SiteBuilder.warm_cards)
        # Whether the server may replace its process (``python -m sitegen.buildserver``;
        # not a server running in a thread of another program, such as a test).
        self.can_exec = False
        self._restart_why = "code changed on disk: starting again"

    # -- life ----------------------------------------------------------------------------
    def claim(self) -> bool:
        """Take the project's lock and socket; False when another server holds them."""
        fd = os.open(self.addr.lock, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            # A POSIX record lock, not flock: forked children (render workers, cache
            # savers) do not inherit it, so it ends exactly with this process.
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        self._lock_fd = fd
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.addr.socket)  # left by a server that was killed
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old = os.umask(0o177)
        try:
            listener.bind(str(self.addr.socket))
        finally:
            os.umask(old)
        listener.listen(16)
        self._listener = listener
        st = os.stat(self.addr.socket)
        self._socket_id = (st.st_dev, st.st_ino)
        return True

    def run(self) -> int:
        """Warm up, then serve until stopped, idle, or restarted for new code."""
        assert self._listener is not None, "claim() first"
        # SIGTERM stops the server between builds, never inside one. The handler only sets
        # a flag; the wake-up descriptor makes the waiting select() return to look at it.
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        self._wake = wake_r
        with contextlib.suppress(ValueError):  # not in the main thread (a test's server)
            signal.set_wakeup_fd(wake_w.fileno())
            signal.signal(signal.SIGTERM, lambda *_: self._stop_soon())
            signal.signal(signal.SIGHUP, signal.SIG_IGN)
        self._stamp = CodeStamp()  # before the first build: code changed during it counts
        self._warm_up()
        if self._stamp.changed():  # also notes the modules the first build imported
            self._restart = self._stopping = True
        try:
            self._loop()
        finally:
            self._close()
            with contextlib.suppress(ValueError):
                signal.set_wakeup_fd(-1)
            wake_r.close()
            wake_w.close()
        if self._restart:
            self._exec_again()
        return 0

    def _stop_soon(self) -> None:
        self._stopping = True

    def _warm_up(self) -> None:
        started = time.perf_counter()
        try:
            first = self._build(self.defaults, self.cwd, quiet=True)
            if getattr(first, "mode", None) == "full" and self._reload():
                return  # the process starts again
            with _working_dir(self.cwd):
                self._builder.warm_up()
            self._cards_left = True
        except SitegenError as exc:
            self.warm_error = str(exc)
            _log(f"first build failed: {exc}")
        except Exception as exc:  # noqa: BLE001 - the server lives on; builds will say more
            self.warm_error = f"{type(exc).__name__}: {exc}"
            _log(traceback.format_exc())
        _log(f"ready in {time.perf_counter() - started:.2f} s (pid {os.getpid()})")

    def _reload(self) -> bool:
        """After a full first build, go on from the cache it saved instead of from the
        build in memory; True when the process is to start again for that.

        A full build leaves every record, map and card in memory (900 MB at 50,000
        papers), where a build that finds the cache reads values lazily from its mapped
        file (90 MB). Each later build forks its cache writer, and a fork of the large
        process, with every page it then touches copied, made every edit two to three
        times slower.
        """
        from sitegen import cache as cachemod

        builder = self._builder
        builder.release()  # writes the cache
        with _working_dir(self.cwd):
            cachemod.wait_for_saver(builder.cache_dir)
            if not builder.continues_disk_cache():
                # Not saved (an unwritable cache folder, a failed writer): starting again
                # would build everything again, and again. Go on from memory instead.
                _log("the first build's cache was not saved: going on from memory")
                return False
        if self.can_exec:
            # Freed memory mostly stays with the process: a fresh one is small.
            self._restart = self._stopping = True
            self._restart_why = "the first build was full: starting again from its cache"
            return True
        builder.drop_memory()
        gc.collect()
        builds = self.builds
        self._build(self.defaults, self.cwd, quiet=True)  # finds nothing changed
        self.builds = builds
        return False

    def _loop(self) -> None:
        assert self._listener is not None
        selector = selectors.DefaultSelector()
        selector.register(self._listener, selectors.EVENT_READ, "listener")
        selector.register(self._wake, selectors.EVENT_READ, "signal")
        if self._journal is not None:
            selector.register(self._journal, selectors.EVENT_READ, "journal")
        journal = self._journal
        idle_since = time.monotonic()
        checked = 0.0  # when the socket was last found to be this server's
        while not self._stopping:
            timeout = CHECK_EVERY
            if self.idle_timeout is not None:
                left = idle_since + self.idle_timeout - time.monotonic()
                if left <= 0:
                    _log("idle: stopping")
                    return
                timeout = min(timeout, left)
            if not self._cards_left or time.monotonic() - checked >= CHECK_EVERY:
                # (while cards are rendered the loop turns every slice: not each time)
                if not self._still_reachable():
                    _log("the socket was removed or replaced: stopping")
                    return
                checked = time.monotonic()
            try:
                # While paper cards are left to render, only look for requests between
                # two short slices of rendering (what a build would otherwise do first).
                ready = selector.select(0 if self._cards_left else timeout)
            except InterruptedError:
                continue
            if not ready and self._cards_left:
                self._warm_cards()
                continue
            for key, _mask in ready:
                if key.data == "signal":
                    with contextlib.suppress(OSError):
                        self._wake.recv(512)
                elif key.data == "journal" and self._journal is not None:
                    self._journal.pump()
                elif key.data == "listener":
                    self._accept()
                    idle_since = time.monotonic()
            if self._journal is not journal:  # a build moved the journal to a new folder
                # Registered as objects: the old one, already closed, is still found (and
                # the new one may have been given the old one's descriptor number).
                if journal is not None:
                    selector.unregister(journal)
                journal = self._journal
                if journal is not None:
                    selector.register(journal, selectors.EVENT_READ, "journal")

    def _warm_cards(self) -> None:
        try:  # (reads no file: no need to be in the project's folder)
            self._cards_left = self._builder is not None \
                and self._builder.warm_cards(WARM_SLICE)
        except Exception:  # noqa: BLE001 - only a head start: builds render what is missing
            _log(traceback.format_exc())
            self._cards_left = False

    def _still_reachable(self) -> bool:
        """Whether clients still find this server (the runtime folder may be cleaned up
        at logout: a server nobody can reach would only hold memory until its timeout)."""
        try:
            st = os.stat(self.addr.socket)
        except OSError:
            return False
        return (st.st_dev, st.st_ino) == self._socket_id

    def _close(self) -> None:
        """Refuse new clients, finish the cache saves, then free the socket and the lock:
        once the socket is gone, a new server can start at once."""
        if self._listener is not None:
            self._listener.close()
        if self._journal is not None:
            self._journal.close()
        from sitegen import cache

        cache.wait_for_savers()
        if self._listener is not None and self._still_reachable():
            with contextlib.suppress(OSError):
                os.unlink(self.addr.socket)  # ours: the lock kept any other server out
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock

    def _exec_again(self) -> None:  # pragma: no cover - replaces the process
        _log(self._restart_why)
        spec = json.dumps({"options": asdict(self.defaults), "cwd": self.cwd,
                           "idle_timeout": self.idle_timeout or 0})
        os.execv(sys.executable, [sys.executable, "-m", "sitegen.buildserver", spec])

    # -- requests ------------------------------------------------------------------------
    def _accept(self) -> None:
        assert self._listener is not None
        try:
            conn, _ = self._listener.accept()
        except OSError:
            return
        with conn:
            try:
                if not wire.peer_is_same_user(conn):
                    return
                conn.settimeout(SEND_TIMEOUT)  # a stopped client must not stop the server
                request = wire.Reader(conn, wire.MAX_REQUEST).next()
                self._answer(conn, request)
            except (wire.WireError, OSError) as exc:
                _log(f"request dropped: {exc}")
            except Exception:  # noqa: BLE001 - one bad request must not end the server
                _log("request dropped:\n" + traceback.format_exc())

    def _answer(self, conn: socket.socket, request: dict[str, Any]) -> None:
        op = request.get("op")
        if op == "ping" or op == "status":
            wire.send(conn, self.status())
        elif op == "stop":
            self._stopping = True
            wire.send(conn, self.status())
        elif op == "build":
            self._answer_build(conn, request)
        else:
            raise wire.WireError(f"unknown request {op!r}")

    def status(self) -> dict[str, Any]:
        return {"pid": os.getpid(), "project": str(self.addr.project),
                "version": __version__, "started": self.started, "builds": self.builds,
                "last_seconds": self.last_seconds, "idle_timeout": self.idle_timeout,
                "rss": _rss(), "first_build_error": self.warm_error}

    def _answer_build(self, conn: socket.socket, request: dict[str, Any]) -> None:
        options = BuildOptions.from_message(request.get("options"))
        cwd = request.get("cwd")
        if not isinstance(cwd, str):
            raise wire.WireError("bad cwd")
        mine = wire.identity()
        if any(request.get(k) != v for k, v in mine.items()):
            wire.send(conn, {"stale": "other", **mine})
            return
        project = os.path.realpath(os.path.join(cwd, options.project_dir))
        if project != str(self.addr.project):
            wire.send(conn, {"stale": "project"})  # a client that found the wrong socket
            return
        if self._stamp is not None and self._stamp.changed():
            # This server runs the old code: the client builds, the server starts again.
            wire.send(conn, {"stale": "restart"})
            self._restart = self._stopping = True
            return
        out, err = wire.Echo(conn, "out"), wire.Echo(conn, "err")
        reply: dict[str, Any] = {"exit": 0}
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                self._build(options, cwd, quiet=bool(request.get("quiet")))
            except SitegenError as exc:
                print(f"error: {exc}", file=sys.stderr)
                reply = {"exit": 1}
            except Exception as exc:  # noqa: BLE001 - a fault of the server, not the input
                # Forget everything and let the client build by itself: it then reports
                # whatever a one-shot build finds, and the next request starts afresh.
                _log(traceback.format_exc())
                reply = {"stale": "failed", "error": f"{type(exc).__name__}: {exc}"}
        if not (out.gone or err.gone):
            with contextlib.suppress(OSError, ValueError):
                wire.send(conn, reply)
        conn.close()  # the client has its answer: what follows is not its to wait for
        if self._builder is not None:
            self._builder.release()
            self._cards_left = True  # the new index may show cards not rendered yet

    # -- building ------------------------------------------------------------------------
    def _build(self, options: BuildOptions, cwd: str, *, quiet: bool) -> object:
        with _working_dir(cwd):
            return self._build_here(options, cwd, quiet=quiet)

    def _build_here(self, options: BuildOptions, cwd: str, *, quiet: bool) -> object:
        from sitegen.buildserver.journal import ChangeJournal
        from sitegen.incremental import SiteBuilder

        started = time.perf_counter()
        if self._builder is None or self._options != (options, cwd):
            self._builder = SiteBuilder(
                Path(options.project_dir),
                content_dir=_path(options.content_dir),
                templates_dir=_path(options.templates_dir),
                out_dir=_path(options.out_dir), base_url=options.base_url, quiet=True,
                long_lived=True)
            self._options = (options, cwd)
            self._pending = None
        builder = self._builder
        root = Path(os.path.realpath(builder.watch_paths[0]))  # symbolic links resolved
        if self._journal is None or self._journal.root != root:
            if self._journal is not None:
                self._journal.close()
                self._journal = None
            self._pending = None
            try:
                self._journal = ChangeJournal(root)  # before the build looks at the folder
            except OSError as exc:  # e.g. the per-user limit of inotify instances
                _log(f"no change journal ({exc}): every build looks at every file")
        taken = self._journal.take() if self._journal is not None else None
        pending = None if taken is None or self._pending is None else self._pending | taken
        # Whatever the journal says, the memory is only good on top of the cache it saved:
        # a build by another process meanwhile makes it describe an older output.
        if not builder.continues_disk_cache():
            builder.drop_memory()
            pending = None
        builder.quiet = quiet
        try:
            result = builder.build(None if pending is None else sorted(pending))
        except SitegenError:
            self._pending = pending  # the next build retries these
            raise
        except BaseException:
            self._builder = None
            self._pending = None
            raise
        self._pending = set()
        self.builds += 1
        self.last_seconds = time.perf_counter() - started
        return result


def _path(value: str | None) -> Path | None:
    return None if value is None else Path(value)


@contextlib.contextmanager
def _working_dir(path: str) -> Iterator[None]:
    """The client's working folder for one build (the build refuses to overwrite it).

    The folder to return to is held open, not named: it may have been deleted meanwhile.
    """
    back = os.open(".", os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.chdir(path)
        try:
            yield
        finally:
            os.fchdir(back)
    finally:
        os.close(back)


def _rss() -> int:
    """Resident memory in bytes (Linux), 0 where unknown."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _log(message: str) -> None:
    stream = sys.__stderr__
    if stream is not None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        print(f"{stamp} {message.rstrip()}", file=stream, flush=True)
