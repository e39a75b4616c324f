"""``sitegen server start|status|stop`` and ``sitegen build`` as a user types them: separate
processes, a real daemon running this worktree's code."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict
from pathlib import Path

import pytest
from serverkit import SOURCE_ROOT, subprocess_env, wait_until
from sitekit import cold_tree, edit_yaml, tree

from sitegen import __version__
from sitegen.buildserver import client
from sitegen.buildserver.address import address
from sitegen.buildserver.wire import BuildOptions

Run = Callable[..., subprocess.CompletedProcess[str]]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (our own child, not reaped) counts as gone.
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        return fh.read().rsplit(")", 1)[1].split()[0] != "Z"


@pytest.fixture
def sitegen(project: Path, daemons: list[int],
            monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    """Runs ``python -m sitegen.cli ARGS`` in the project; every daemon it starts is
    stopped afterwards (and killed by pid if it does not stop)."""
    env = subprocess_env()

    def run(*args: str, env_extra: dict[str, str] | None = None, cwd: Path | None = None,
            ) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603 - this interpreter, this package
            [sys.executable, "-m", "sitegen.cli", *args], cwd=cwd or project,
            env={**env, **(env_extra or {})}, capture_output=True, text=True, timeout=60,
            check=False)
        for pid in re.findall(r"\bpid (\d+)", done.stdout):
            if int(pid) not in daemons:
                daemons.append(int(pid))
        return done

    yield run
    run("server", "stop")


def test_start_status_build_stop(project: Path, tmp_path: Path, sitegen: Run,
                                 daemons: list[int]) -> None:
    started = sitegen("server", "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith(f"build server started for {project} in ")
    pid = daemons[0]
    assert pid != os.getpid() and _alive(pid)

    status = sitegen("server", "status")
    assert status.returncode == 0
    assert status.stdout.startswith(f"a build server runs for {project}\n")
    assert f"pid {pid}," in status.stdout
    assert "1 builds" in status.stdout
    assert "stops after 60 min idle" in status.stdout

    again = sitegen("server", "start")
    assert again.returncode == 0
    assert again.stdout.startswith(f"a build server already runs for {project}\n")
    assert f"pid {pid}," in again.stdout

    edit_yaml(project / "content" / "papers" / "paper-003.yaml", "We study", "We examine")
    built = sitegen("build")
    assert built.returncode == 0, built.stderr
    assert "updated" in built.stdout
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")
    assert "2 builds" in sitegen("server", "status").stdout  # the build was the server's

    quiet = sitegen("build", "-q")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert "3 builds" in sitegen("server", "status").stdout

    # The project had no cache: after its full first build the server started again,
    # in the same process, from the cache that build saved.
    log = address(project).log.read_text(encoding="utf-8")
    assert "the first build was full: starting again from its cache" in log

    stopped = sitegen("server", "stop")
    assert stopped.returncode == 0
    assert stopped.stdout == (f"stopped the build server for {project} "
                              f"(pid {pid}, 3 builds)\n")
    assert wait_until(lambda: not _alive(pid), 10)
    assert not address(project).socket.exists()

    gone = sitegen("server", "status")
    assert gone.returncode == 3
    assert gone.stdout == f"no build server runs for {project}\n"
    assert sitegen("server", "stop").stdout == f"no build server runs for {project}\n"


def test_a_yaml_error_through_the_daemon(project: Path, tmp_path: Path,
                                         sitegen: Run) -> None:
    assert sitegen("server", "start").returncode == 0
    target = project / "content" / "papers" / "paper-006.yaml"
    good = target.read_text(encoding="utf-8")
    target.write_text(good.replace("category:", "category: [\n  x: y\ncategory:"),
                      encoding="utf-8")
    failed = sitegen("build")
    assert failed.returncode == 1
    assert re.search(r"^error: \S*paper-006\.yaml:\d+: ", failed.stderr, re.M), failed.stderr
    assert "Traceback" not in failed.stderr
    assert "1 builds" in sitegen("server", "status").stdout
    target.write_text(good, encoding="utf-8")
    assert sitegen("build").returncode == 0
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")
    assert "2 builds" in sitegen("server", "status").stdout


def test_build_no_server_and_no_cache_build_here(project: Path, tmp_path: Path,
                                                 sitegen: Run) -> None:
    assert sitegen("server", "start").returncode == 0
    edit_yaml(project / "content" / "authors" / "author-01.yaml", "name:", "name:")
    for flag in ("--no-server", "--no-cache"):
        edit_yaml(project / "content" / "papers" / "paper-003.yaml", "We ", "We really ")
        assert sitegen("build", flag, "-q").returncode == 0
        assert "1 builds" in sitegen("server", "status").stdout
    edit_yaml(project / "content" / "papers" / "paper-004.yaml", "We ", "We really ")
    assert sitegen("build", "-q").returncode == 0
    assert "2 builds" in sitegen("server", "status").stdout
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_a_second_server_process_is_refused(project: Path, sitegen: Run,
                                            daemons: list[int]) -> None:
    assert sitegen("server", "start").returncode == 0
    spec = json.dumps({"options": asdict(BuildOptions(project_dir=".")),
                       "cwd": str(project), "idle_timeout": 1})
    second = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "sitegen.buildserver", spec], cwd=project,
        env=subprocess_env(), capture_output=True, text=True, timeout=60, check=False)
    assert second.returncode == 3
    assert second.stderr == "another build server runs for this project\n"
    assert _alive(daemons[0])
    assert client.ask(address(project), {"op": "ping"})["pid"] == daemons[0]


def test_sigterm_stops_the_daemon(project: Path, sitegen: Run, daemons: list[int]) -> None:
    assert sitegen("server", "start").returncode == 0
    pid = daemons[0]
    os.kill(pid, signal.SIGTERM)
    assert wait_until(lambda: not _alive(pid), 10), "SIGTERM did not stop the server"
    assert not address(project).socket.exists()
    assert sitegen("server", "status").returncode == 3
    assert sitegen("server", "start").returncode == 0  # the lock was released


def test_a_killed_daemon_leaves_nothing_in_the_way(project: Path, sitegen: Run,
                                                   daemons: list[int]) -> None:
    assert sitegen("server", "start").returncode == 0
    os.kill(daemons[0], signal.SIGKILL)
    assert wait_until(lambda: not _alive(daemons[0]), 10)
    assert address(project).socket.exists()  # left behind
    assert sitegen("server", "status").returncode == 3
    assert sitegen("build", "-q").returncode == 0  # builds here
    restarted = sitegen("server", "start")
    assert restarted.stdout.startswith("build server started")
    assert len(daemons) == 2


def test_the_idle_timeout_option(project: Path, sitegen: Run, daemons: list[int]) -> None:
    started = sitegen("server", "start", "--idle-timeout", "0.01")  # 0.6 s
    assert started.returncode == 0
    assert "stops after 0.01 min idle" in started.stdout
    assert wait_until(lambda: not _alive(daemons[0]), 10)
    assert sitegen("server", "status").returncode == 3


def test_an_unsafe_runtime_folder_is_an_error(project: Path, sitegen: Run,
                                              runtime_dir: Path) -> None:
    (runtime_dir / "sitegen").mkdir(mode=0o755)
    (runtime_dir / "sitegen").chmod(0o755)
    started = sitegen("server", "start")
    assert started.returncode == 1
    assert started.stderr == (
        f"error: {runtime_dir / 'sitegen'}: the build server's folder must be a folder of "
        "this user that only this user can enter (mode 700)\n")
    built = sitegen("build", "-q")  # a build does not need the server
    assert (built.returncode, built.stderr) == (0, "")


def test_new_code_on_disk_restarts_the_server(project: Path, tmp_path: Path, sitegen: Run,
                                              daemons: list[int]) -> None:
    """A server whose module files changed answers "stale" (the client builds by itself)
    and starts again with the new code, under the same pid."""
    source = tmp_path / "src"
    for part in ("sitegen", "templates"):
        shutil.copytree(SOURCE_ROOT / part, source / part)  # keeps mtimes: bytecode valid
    here = {"PYTHONPATH": str(source)}
    assert sitegen("server", "start", env_extra=here).returncode == 0
    pid = daemons[0]
    module = source / "sitegen" / "render" / "pages.py"
    stat = module.stat()
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    edit_yaml(project / "content" / "papers" / "paper-003.yaml", "We study", "We examine")
    built = sitegen("build", env_extra=here)
    assert built.returncode == 0, built.stderr
    assert "updated" in built.stdout  # built here, from the cache the server saved
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")

    def restarted() -> bool:
        answer = client.ask(address(project), {"op": "ping"})
        return answer is not None and answer["pid"] == pid and answer["builds"] == 1

    assert wait_until(restarted, 20), "the server did not start again"
    edit_yaml(project / "content" / "papers" / "paper-004.yaml", "We ", "We really ")
    assert sitegen("build", "-q", env_extra=here).returncode == 0
    assert client.ask(address(project), {"op": "ping"})["builds"] == 2
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_delegate_to_the_daemon_from_this_process(project: Path, tmp_path: Path,
                                                  sitegen: Run,
                                                  capfd: pytest.CaptureFixture[str]) -> None:
    assert sitegen("server", "start").returncode == 0
    edit_yaml(project / "content" / "papers" / "paper-003.yaml", "We study", "We examine")
    started = time.perf_counter()
    code = client.delegate(BuildOptions(project_dir="."), quiet=False)
    assert code == 0
    assert time.perf_counter() - started < 5
    assert "updated" in capfd.readouterr().out
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_a_build_with_another_content_folder_keeps_the_daemon(
        project: Path, sitegen: Run, daemons: list[int]) -> None:
    assert sitegen("server", "start").returncode == 0
    shutil.copytree(project / "content", project / "content2")
    built = sitegen("build", "--content", "content2")
    assert built.returncode == 0
    assert "wrote" in built.stdout
    time.sleep(0.2)
    log = address(project).log.read_text(encoding="utf-8")
    assert "Traceback" not in log, log
    assert sitegen("server", "status").returncode == 0


# -- found by review: each failed before the server and its client handled these ----------
def _paper(project: Path, n: int) -> Path:
    return project / "content" / "papers" / f"paper-{n:03d}.yaml"


def _with_sitecustomize(tmp_path: Path, name: str, code: str) -> dict[str, str]:
    """PYTHONPATH for a process that runs ``code`` first (a ``sitecustomize`` module)."""
    folder = tmp_path / name
    folder.mkdir()
    (folder / "sitecustomize.py").write_text(code, encoding="utf-8")
    return {"PYTHONPATH": os.pathsep.join([str(folder), subprocess_env()["PYTHONPATH"]])}


def test_a_daemon_of_other_code_leaves_the_build_to_the_client(
        project: Path, tmp_path: Path, sitegen: Run) -> None:
    """Same release, same interpreter, another copy of the package (a checkout on
    PYTHONPATH): the client builds with its own code and says which code the server runs."""
    source = tmp_path / "src"
    for part in ("sitegen", "templates"):
        shutil.copytree(SOURCE_ROOT / part, source / part)
    assert sitegen("server", "start", env_extra={"PYTHONPATH": str(source)}).returncode == 0
    edit_yaml(_paper(project, 3), "We study", "We examine")
    built = sitegen("build")
    assert built.returncode == 0, built.stderr
    package = os.path.realpath(source / "sitegen")  # the server's, named in the note
    assert built.stderr.startswith(
        f"note: the project's build server runs sitegen {__version__} from {package} "
        "with "), built.stderr
    assert built.stderr.endswith("; building here\n")
    assert built.stdout.startswith("sitegen build: content -> output\n")
    assert "1 builds" in sitegen("server", "status").stdout  # not the server's build
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_a_file_name_that_is_not_utf8(project: Path, sitegen: Run) -> None:
    """The server's answer must carry such a name (as an escape) and the server must go
    on: the client prints what a build without the server prints."""
    assert sitegen("server", "start").returncode == 0
    papers = os.fsencode(project / "content" / "papers")
    with open(os.path.join(papers, b"caf\xe9.yaml"), "wb") as fh:
        fh.write(_paper(project, 3).read_bytes().replace(b"We study", b"We examine"))
    for quiet in (("-q",), ()):
        served = sitegen("build", *quiet)
        alone = sitegen("build", "--no-server", *quiet)
        assert served.returncode == alone.returncode
        assert (served.stdout, served.stderr) == (alone.stdout, alone.stderr) or \
            (_untimed(served.stdout), served.stderr) == (_untimed(alone.stdout), alone.stderr)
        assert "caf" in served.stderr
        assert "Traceback" not in served.stderr
        assert "build server" not in served.stderr  # not a fallback: the server answered
    status = sitegen("server", "status")
    assert status.returncode == 0
    os.unlink(os.path.join(papers, b"caf\xe9.yaml"))
    assert sitegen("build", "-q").returncode == 0
    assert "2 builds" in sitegen("server", "status").stdout


def _untimed(text: str) -> str:
    return re.sub(r"\(\d+(\.\d+)? m?s\)", "(...)", text)


def test_a_daemon_whose_start_folder_was_deleted(project: Path, tmp_path: Path,
                                                 sitegen: Run) -> None:
    """Each build runs in its client's folder; the server holds none of its own."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    started = sitegen("server", "start", "--project", str(project), cwd=elsewhere)
    assert started.returncode == 0, started.stderr
    elsewhere.rmdir()
    edit_yaml(_paper(project, 3), "We study", "We examine")
    built = sitegen("build")
    assert (built.returncode, built.stderr) == (0, "")
    assert "updated" in built.stdout
    assert "2 builds" in sitegen("server", "status").stdout
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


SLOW_CACHE_SAVE = """\
import time

import sitegen.cache as cache

_write = cache._write


def _slow_write(*args, **kwargs):
    time.sleep(1.0)  # a large cache takes seconds to write
    return _write(*args, **kwargs)


cache._write = _slow_write
"""


def test_stop_then_start_at_once(project: Path, tmp_path: Path, sitegen: Run,
                                 daemons: list[int]) -> None:
    """A stopping server holds its lock until its cache save is written: ``stop`` waits
    for the process, and a new server waits for the lock."""
    slow = _with_sitecustomize(tmp_path, "slow", SLOW_CACHE_SAVE)
    assert sitegen("server", "start", env_extra=slow).returncode == 0
    edit_yaml(_paper(project, 3), "We study", "We examine")
    assert sitegen("build", "-q").returncode == 0  # its cache is saved in the background
    stopped = sitegen("server", "stop")
    assert stopped.returncode == 0
    assert stopped.stdout.startswith(f"stopped the build server for {project} ")
    started = sitegen("server", "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.startswith(f"build server started for {project} in ")
    assert len(daemons) == 2 and daemons[0] != daemons[1]
    assert not _alive(daemons[0])
    status = sitegen("server", "status")
    assert status.returncode == 0
    assert f"pid {daemons[1]}," in status.stdout
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_a_client_whose_output_is_closed_early(project: Path, tmp_path: Path,
                                               sitegen: Run) -> None:
    """``sitegen build | head -1``: the client stops printing but still waits for the
    server's build, and neither side takes it for a failure."""
    assert sitegen("server", "start").returncode == 0
    edit_yaml(_paper(project, 3), "We study", "We examine")
    command = (f"{shlex.quote(sys.executable)} -m sitegen.cli build | head -1; "
               'printf "exit %s\\n" "${PIPESTATUS[0]}"')
    piped = subprocess.run(["bash", "-c", command], cwd=project,  # noqa: S603, S607
                           env=subprocess_env(), capture_output=True, text=True,
                           timeout=60, check=False)
    assert piped.stdout == "sitegen build: content -> output\nexit 0\n"
    assert "stopped during the build" not in piped.stderr
    assert piped.stderr == ""
    assert "2 builds" in sitegen("server", "status").stdout
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")
    edit_yaml(_paper(project, 4), "We study", "We examine")  # the server goes on
    assert sitegen("build", "-q").returncode == 0
    assert "3 builds" in sitegen("server", "status").stdout
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_without_inotify_simple(project: Path, tmp_path: Path, sitegen: Run) -> None:
    """As on macOS: no server, a clear error for ``start``, and builds as before."""
    missing = _with_sitecustomize(tmp_path, "no-inotify",
                                  'import sys\n\nsys.modules["inotify_simple"] = None\n')
    status = sitegen("server", "status", env_extra=missing)
    assert (status.returncode, status.stderr) == (3, "")
    assert status.stdout == f"no build server runs for {project}\n"
    started = sitegen("server", "start", env_extra=missing)
    assert started.returncode == 1
    assert started.stderr.startswith(
        "error: the build server needs Linux (inotify) and the inotify_simple package")
    assert "Traceback" not in started.stderr
    assert sitegen("server", "status").returncode == 3  # nothing was started
    edit_yaml(_paper(project, 3), "We study", "We examine")
    built = sitegen("build", "-q", env_extra=missing)
    assert (built.returncode, built.stdout, built.stderr) == (0, "", "")
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


def test_start_warns_when_the_first_build_failed(project: Path, tmp_path: Path,
                                                 sitegen: Run) -> None:
    target = _paper(project, 6)
    good = target.read_text(encoding="utf-8")
    target.write_text(good.replace("category:", "category: [\n  x: y\ncategory:"),
                      encoding="utf-8")
    started = sitegen("server", "start")
    assert started.returncode == 0
    assert started.stdout.startswith(f"build server started for {project} in ")
    assert re.match(r"warning: its first build failed: \S*paper-006\.yaml:\d+: ",
                    started.stderr), started.stderr
    assert "Traceback" not in started.stderr
    status = client.ask(address(project), {"op": "status"})
    assert status is not None and "paper-006.yaml" in status["first_build_error"]
    target.write_text(good, encoding="utf-8")
    built = sitegen("build", "-q")
    assert (built.returncode, built.stderr) == (0, "")
    assert tree(project / "output") == cold_tree(project, tmp_path / "cold")


#: Starts then stops a server from a process that adopts orphans and never reaps them,
#: as a container's first process often does; prints how long ``stop`` took.
NO_REAPER = """\
import ctypes
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
command = [sys.executable, "-m", "sitegen.cli", "server"]
subprocess.run([*command, "start"], check=True, capture_output=True)
started = time.monotonic()
try:
    subprocess.run([*command, "stop"], check=True, capture_output=True,
                   timeout=float(sys.argv[1]))
except subprocess.TimeoutExpired:
    print("stop did not return")
else:
    print(f"stopped in {time.monotonic() - started:.1f} s")
"""


def test_stop_returns_when_the_server_exited_but_is_not_reaped(project: Path,
                                                               sitegen: Run) -> None:
    done = subprocess.run(  # noqa: S603 - this interpreter, a script of this test
        [sys.executable, "-c", NO_REAPER, "3"], cwd=project, env=subprocess_env(),
        capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("stopped in "), done.stdout
    assert sitegen("server", "status").returncode == 3
