"""Fixtures for the build server: a private runtime folder per test, a built project, and
servers that are always stopped (a daemon must never outlive the suite)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# ``sitekit`` (the small generated project) lives beside the incremental-build tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "incremental"))
sys.path.insert(0, str(Path(__file__).resolve().parent))  # ``serverkit``

from serverkit import Running, stop_thread, wait_until  # noqa: E402
from sitekit import built_project  # noqa: E402

from sitegen.buildserver import client  # noqa: E402
from sitegen.buildserver.address import address  # noqa: E402
from sitegen.buildserver.server import BuildServer  # noqa: E402
from sitegen.buildserver.wire import BuildOptions  # noqa: E402


@pytest.fixture(autouse=True)
def runtime_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A short private XDG_RUNTIME_DIR (socket paths are limited to about 100 bytes)."""
    folder = Path(tempfile.mkdtemp(prefix="sg", dir="/tmp"))
    folder.chmod(0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(folder))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project built once, with its cache (never changed: copy it)."""
    return built_project(tmp_path_factory.mktemp("bs-built"))


@pytest.fixture
def project(built_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """This test's own built project; the test runs inside it (as a user typing
    ``sitegen build`` there would)."""
    site = Path(shutil.copytree(built_template, tmp_path / "site", symlinks=True))
    monkeypatch.chdir(site)
    return site


@pytest.fixture
def start_server() -> Iterator[Callable[..., Running]]:
    """Starts BuildServer.run() in a thread of this process (served from the current
    folder with default options, as ``sitegen build`` there asks); stops each one after."""
    started: list[Running] = []

    def start(project_dir: str = ".", *, idle_timeout: float | None = None,
              wait: bool = True) -> Running:
        addr = address(Path(project_dir), create=True)
        server = BuildServer(addr, BuildOptions(project_dir=project_dir), os.getcwd(),
                             idle_timeout=idle_timeout)
        assert server.claim(), "another server holds the project's lock"
        running = Running(server=server, thread=threading.Thread(target=lambda: None),
                          addr=addr)

        def run() -> None:
            try:
                server.run()
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                running.errors.append(exc)

        running.thread = threading.Thread(target=run, name="build-server", daemon=True)
        started.append(running)
        running.thread.start()
        if wait:
            assert wait_until(lambda: client.ask(addr, {"op": "ping"}) is not None), \
                "the build server did not answer"
        return running

    yield start
    for running in started:
        stop_thread(running)
    for running in started:
        assert not running.errors, running.errors


@pytest.fixture
def daemons() -> Iterator[list[int]]:
    """Pids of server processes a test started: killed afterwards if still alive."""
    pids: list[int] = []
    yield pids
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
