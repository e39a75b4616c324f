"""A real server (in a thread of this process, on a real socket) against cold builds.

Each build goes through ``sitegen build`` (``sitegen.cli.main``) and is checked to have been
made by the server (its build count rises), then compared byte for byte with a plain build
of the same content.
"""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace

import pytest
from serverkit import Running, wait_until
from sitekit import cold_tree, edit_yaml, tree

from sitegen import __version__, cache
from sitegen.buildserver import client, daemon, wire
from sitegen.buildserver.address import address
from sitegen.buildserver.wire import BuildOptions
from sitegen.cli import main
from sitegen.render.theme import builtin_templates_dir

StartServer = Callable[..., Running]


@dataclass
class Built:
    code: int | None  # None: the client would have built by itself
    out: str
    err: str


def delegated(project: str = ".", *, content: str | None = None, out: str | None = None,
              quiet: bool = False) -> Built:
    """``sitegen build`` handed to the server, as the client side does it; what it printed."""
    printed, warned = io.StringIO(), io.StringIO()
    real = client.sys
    # The server thread redirects this process's sys.stdout while it builds: the client
    # writes to its own buffers, or it would send its output back to itself.
    client.sys = SimpleNamespace(stdout=printed, stderr=warned)  # type: ignore[assignment]
    try:
        options = wire.BuildOptions.of(project, content, None, out, None)
        code = client.delegate(options, quiet=quiet)
    finally:
        client.sys = real
    return Built(code, printed.getvalue(), warned.getvalue())


def cli_build(running: Running, *args: str) -> Built:
    """``sitegen build ARGS`` through the command line entry point, which must hand the
    build to ``running``."""
    out, err = io.StringIO(), io.StringIO()
    real = client.sys
    client.sys = SimpleNamespace(stdout=out, stderr=err)  # type: ignore[assignment]
    before = running.builds()
    try:
        code = main(["build", *args])
    finally:
        client.sys = real
    assert running.builds() == before + 1, "the build did not go through the server"
    return Built(code, out.getvalue(), err.getvalue())


def assert_cold_equal(project: Path, scratch: Path) -> None:
    built, cold = tree(project / "output"), cold_tree(project, scratch)
    assert sorted(built) == sorted(cold)
    differing = [name for name in cold if built[name] != cold[name]]
    assert differing == []


def paper(project: Path, n: int) -> Path:
    return project / "content" / "papers" / f"paper-{n:03d}.yaml"


def _edit_abstract(project: Path) -> None:
    edit_yaml(paper(project, 3), "We study", "We examine")


def _edit_title(project: Path) -> None:
    text = paper(project, 5).read_text(encoding="utf-8")
    title = text.splitlines()[0]
    paper(project, 5).write_text(text.replace(title, "title: A new title", 1),
                                 encoding="utf-8")


def _add_paper(project: Path) -> None:
    text = paper(project, 7).read_text(encoding="utf-8")
    title = text.splitlines()[0]
    (project / "content" / "papers" / "paper-900.yaml").write_text(
        text.replace(title, "title: An added paper", 1), encoding="utf-8")


def _delete_paper(project: Path) -> None:
    paper(project, 10).unlink()


def _rename_paper(project: Path) -> None:
    os.rename(paper(project, 11), project / "content" / "papers" / "renamed-paper.yaml")


def _edit_author(project: Path) -> None:
    edit_yaml(project / "content" / "authors" / "author-00.yaml", "bio: Works on",
              "bio: Now works on")


def _override_template(project: Path) -> None:
    (project / "templates").mkdir(exist_ok=True)
    theme = (builtin_templates_dir() / "paper.html").read_text(encoding="utf-8")
    (project / "templates" / "paper.html").write_text(
        theme + "\n<!-- a project's own paper page -->\n", encoding="utf-8")


def _edit_site_yaml(project: Path) -> None:
    edit_yaml(project / "site.yaml", "title: Test Lab", "title: Another Lab")


CHANGES = {
    "abstract": (_edit_abstract, "updated"),
    "title": (_edit_title, "updated"),
    "add paper": (_add_paper, "updated"),
    "delete paper": (_delete_paper, "updated"),
    "rename paper": (_rename_paper, "updated"),
    "author": (_edit_author, "updated"),
    "template": (_override_template, "wrote"),
    "site.yaml": (_edit_site_yaml, "wrote"),
}


@pytest.mark.parametrize("kind", list(CHANGES))
def test_each_kind_of_change_equals_a_cold_build(kind: str, project: Path, tmp_path: Path,
                                                 start_server: StartServer) -> None:
    change, said = CHANGES[kind]
    running = start_server()
    change(project)
    built = cli_build(running)
    assert built.code == 0
    assert built.err == ""
    assert said in built.out
    assert_cold_equal(project, tmp_path / "cold")
    again = cli_build(running)
    assert again.code == 0
    assert "nothing changed" in again.out
    assert_cold_equal(project, tmp_path / "cold")


def test_changes_one_after_another(project: Path, tmp_path: Path,
                                   start_server: StartServer) -> None:
    running = start_server()
    for change, said in CHANGES.values():
        change(project)
        built = cli_build(running)
        assert (built.code, built.err) == (0, "")
        assert said in built.out
        assert_cold_equal(project, tmp_path / "cold")
    assert running.builds() == 1 + len(CHANGES)  # the first build, then one per change


def test_nothing_changed_says_so_and_quiet_says_nothing(project: Path,
                                                        start_server: StartServer) -> None:
    running = start_server()
    built = cli_build(running)
    assert built.code == 0
    assert "nothing changed" in built.out
    _edit_abstract(project)
    quiet = cli_build(running, "-q")
    assert (quiet.code, quiet.out, quiet.err) == (0, "", "")


def test_a_yaml_error_fails_then_the_fix_builds(project: Path, tmp_path: Path,
                                                start_server: StartServer) -> None:
    running = start_server()
    good = paper(project, 3).read_text(encoding="utf-8")
    paper(project, 3).write_text(good.replace("category: LG", "category: [LG"),
                                 encoding="utf-8")
    before = running.builds()
    failed = delegated()
    assert failed.code == 1
    assert failed.err.startswith("error: ")
    assert "paper-003.yaml:" in failed.err
    line = failed.err.split("paper-003.yaml:", 1)[1].split(":", 1)[0]
    assert line.isdigit() and int(line) >= 1
    assert running.builds() == before  # a failed build is not counted
    again = delegated()
    assert again.code == 1, "the broken file must still be seen on the next build"
    paper(project, 3).write_text(good.replace("We study", "We examine"), encoding="utf-8")
    fixed = delegated()
    assert fixed.code == 0
    assert "updated" in fixed.out
    assert_cold_equal(project, tmp_path / "cold")


def test_a_failed_build_keeps_the_other_changes_for_the_next(
        project: Path, tmp_path: Path, start_server: StartServer) -> None:
    running = start_server()
    good = paper(project, 3).read_text(encoding="utf-8")
    _edit_title(project)  # a good change, made together with a bad one
    paper(project, 3).write_text("title: [unclosed\n", encoding="utf-8")
    assert delegated().code == 1
    paper(project, 3).write_text(good, encoding="utf-8")  # back as it was: only the title
    built = cli_build(running)
    assert built.code == 0
    page = project / "output" / "papers" / "paper-005" / "index.html"
    assert "A new title" in page.read_text(encoding="utf-8")
    assert_cold_equal(project, tmp_path / "cold")


def test_an_invalid_value_names_file_line_and_key(project: Path, tmp_path: Path,
                                                  start_server: StartServer) -> None:
    start_server()
    edit_yaml(paper(project, 4), "code: ", "code: 'maybe'\nold_code: ")
    failed = delegated()
    assert failed.code == 1
    assert failed.err.startswith("error: ")
    assert "paper-004.yaml:" in failed.err
    edit_yaml(paper(project, 4), "code: 'maybe'\nold_code: ", "code: ")
    assert delegated().code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_build_in_another_process_meanwhile(project: Path, tmp_path: Path,
                                              start_server: StartServer,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    running = start_server()
    _edit_abstract(project)
    assert cli_build(running).code == 0
    _edit_title(project)
    before = running.builds()
    assert main(["build", "--no-server"]) == 0  # builds here: the server does not see it
    assert "updated" in capsys.readouterr().out
    assert running.builds() == before
    _edit_author(project)
    built = cli_build(running)
    assert built.code == 0
    assert_cold_equal(project, tmp_path / "cold")
    # And once more on top of the build the server just made.
    _add_paper(project)
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_build_in_another_process_that_undoes_an_edit(project: Path, tmp_path: Path,
                                                       start_server: StartServer) -> None:
    """The server's memory must not be trusted after someone else built: here the other
    build made the output of an older content, and the journal saw no new change."""
    running = start_server()
    original = paper(project, 3).read_text(encoding="utf-8")
    _edit_abstract(project)
    assert cli_build(running).code == 0
    paper(project, 3).write_text(original, encoding="utf-8")
    assert main(["build", "--no-server", "-q"]) == 0
    _edit_abstract(project)  # the server's memory holds this very content
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_the_cache_deleted_while_the_server_runs(project: Path, tmp_path: Path,
                                                 start_server: StartServer) -> None:
    running = start_server()
    shutil.rmtree(project / ".sitegen-cache")
    _edit_abstract(project)
    built = cli_build(running)
    assert built.code == 0
    assert_cold_equal(project, tmp_path / "cold")
    assert (project / ".sitegen-cache").is_dir()
    shutil.rmtree(project / ".sitegen-cache")
    assert cli_build(running).code == 0  # no edit at all
    assert_cold_equal(project, tmp_path / "cold")
    _edit_author(project)
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_the_output_deleted_while_the_server_runs(project: Path, tmp_path: Path,
                                                  start_server: StartServer) -> None:
    running = start_server()
    shutil.rmtree(project / "output")
    built = cli_build(running)
    assert built.code == 0
    assert "wrote" in built.out
    assert_cold_equal(project, tmp_path / "cold")
    (project / "output" / "index.html").unlink()
    _edit_title(project)
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_the_content_folder_replaced_while_the_server_runs(
        project: Path, tmp_path: Path, start_server: StartServer) -> None:
    running = start_server()
    content = project / "content"
    shutil.copytree(content, tmp_path / "new-content")
    for path in (tmp_path / "new-content" / "papers").glob("paper-00[0-4].yaml"):
        path.unlink()
    shutil.rmtree(content)
    os.rename(tmp_path / "new-content", content)
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")
    _edit_title(project)  # tracked again in the new folder
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_new_folder_in_the_content(project: Path, tmp_path: Path,
                                     start_server: StartServer) -> None:
    running = start_server()
    (project / "content" / "notes").mkdir()
    (project / "content" / "notes" / "todo.txt").write_text("x\n", encoding="utf-8")
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_the_project_spelled_another_way(project: Path, tmp_path: Path,
                                         start_server: StartServer,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    running = start_server()
    monkeypatch.chdir(tmp_path)
    _edit_abstract(project)
    built = cli_build(running, "--project", str(project))
    assert built.code == 0
    assert "updated" in built.out or "wrote" in built.out
    assert_cold_equal(project, tmp_path / "cold")
    _edit_title(project)
    built = cli_build(running, "--project", "site")
    assert built.code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_linked_papers_folder(project: Path, tmp_path: Path,
                                start_server: StartServer) -> None:
    shared = tmp_path / "shared-papers"
    shutil.move(project / "content" / "papers", shared)
    (project / "content" / "papers").symlink_to(shared)
    assert main(["build", "--no-server", "-q"]) == 0
    running = start_server()
    edit_yaml(shared / "paper-003.yaml", "We study", "We examine")
    built = cli_build(running)
    assert built.code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_linked_paper_file(project: Path, tmp_path: Path,
                             start_server: StartServer) -> None:
    target = tmp_path / "paper-003.yaml"
    shutil.move(paper(project, 3), target)
    paper(project, 3).symlink_to(target)
    assert main(["build", "--no-server", "-q"]) == 0
    running = start_server()
    edit_yaml(target, "We study", "We examine")
    built = cli_build(running)
    assert built.code == 0
    assert_cold_equal(project, tmp_path / "cold")


# -- protocol, life --------------------------------------------------------------------
def test_delegate_without_a_server_is_none_at_once(project: Path) -> None:
    started = time.perf_counter()
    assert delegated().code is None
    assert time.perf_counter() - started < 1.0


def test_delegate_with_an_unsafe_folder_is_none(project: Path, runtime_dir: Path) -> None:
    (runtime_dir / "sitegen").mkdir(mode=0o755)
    (runtime_dir / "sitegen").chmod(0o755)
    assert delegated().code is None


def test_a_request_from_other_code_is_stale(project: Path,
                                            start_server: StartServer) -> None:
    running = start_server()
    before = running.builds()
    _edit_abstract(project)
    for other in ({"version": __version__ + ".other"}, {"executable": "/other/python3"},
                  {"package": "/home/ada/checkout"},  # a source tree on PYTHONPATH
                  {"prefix": "/opt/other-venv"}):  # another environment, same release
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(running.addr.socket))
            wire.send(sock, {"op": "build", "cwd": os.getcwd(), "quiet": False,
                             "options": asdict(wire.BuildOptions(".")),
                             **{**wire.identity(), **other}})
            assert wire.Reader(sock).next() == {"stale": "other", **wire.identity()}
    assert running.builds() == before
    assert running.thread.is_alive()  # other code asked: this server goes on
    assert delegated().code == 0  # the same code is served
    assert running.builds() == before + 1


def test_a_client_of_other_code_says_why_it_builds_by_itself(
        project: Path, start_server: StartServer, monkeypatch: pytest.MonkeyPatch) -> None:
    running = start_server()
    older = SimpleNamespace(send=wire.send, Reader=wire.Reader, WireError=wire.WireError,
                            peer_is_same_user=wire.peer_is_same_user,
                            identity=lambda: {**wire.identity(), "version": "0.0.1"})
    monkeypatch.setattr(client, "wire", older)
    before = running.builds()
    built = delegated()
    assert built.code is None  # the command goes on to build by itself
    mine = wire.identity()
    assert built.err == (f"note: the project's build server runs sitegen {__version__} "
                         f"from {mine['package']} with {mine['executable']}; "
                         "building here\n")
    assert running.builds() == before


def test_a_bad_request_is_dropped_and_the_server_goes_on(project: Path,
                                                         start_server: StartServer) -> None:
    running = start_server()
    for line in (b"not json\n", b"[1, 2]\n", b'{"op": "dance"}\n',
                 b'{"op": "build", "cwd": 3, "options": {"project_dir": "."}}\n',
                 b'{"op": "build", "cwd": "/", "options": {"project_dir": 3}}\n'):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.connect(str(running.addr.socket))
            sock.sendall(line)
            sock.shutdown(socket.SHUT_WR)
            assert sock.recv(100) == b""
    assert running.status() is not None


def test_status_then_stop(project: Path, start_server: StartServer) -> None:
    running = start_server()
    status = running.status()
    assert status is not None
    assert status["pid"] == os.getpid()
    assert status["project"] == str(project)
    assert status["version"] == __version__
    assert status["builds"] == 1
    assert isinstance(status["last_seconds"], float)
    assert status["first_build_error"] is None
    assert running.addr.socket.exists()
    stopped = daemon.stop(".")
    assert stopped is not None and stopped["pid"] == os.getpid()
    running.thread.join(10)
    assert not running.thread.is_alive()
    assert not running.addr.socket.exists()
    assert daemon.status(".") is None
    assert daemon.stop(".") is None
    assert delegated().code is None


def test_a_second_start_reports_the_running_server(project: Path,
                                                   start_server: StartServer) -> None:
    start_server()
    status, started = daemon.start(BuildOptions(project_dir="."), idle_timeout=1)
    assert started is False
    assert status["pid"] == os.getpid()


def test_idle_timeout_stops_the_server(project: Path, start_server: StartServer) -> None:
    running = start_server(idle_timeout=0.5)
    assert running.status() is not None
    assert wait_until(lambda: not running.thread.is_alive(), 5.0)
    assert not running.addr.socket.exists()
    assert client.ask(address(Path(".")), {"op": "ping"}) is None


def test_requests_put_off_the_idle_timeout(project: Path, start_server: StartServer) -> None:
    running = start_server(idle_timeout=0.6)
    for _ in range(4):
        time.sleep(0.3)
        assert delegated().code == 0
    assert running.thread.is_alive()
    assert wait_until(lambda: not running.thread.is_alive(), 5.0)


def test_a_failed_first_build_still_serves(project: Path, tmp_path: Path,
                                           start_server: StartServer) -> None:
    good = paper(project, 3).read_text(encoding="utf-8")
    paper(project, 3).write_text("title: [unclosed\n", encoding="utf-8")
    running = start_server()
    assert running.builds() == 0
    status = running.status()
    assert status is not None
    error = status["first_build_error"]
    assert isinstance(error, str)
    assert re.match(r"\S*paper-003\.yaml:\d+: ", error), error
    assert delegated().code == 1
    paper(project, 3).write_text(good, encoding="utf-8")
    assert delegated().code == 0
    assert_cold_equal(project, tmp_path / "cold")



def _survives(running: Running) -> bool:
    """Whether the server still runs and answers; the thread's error is taken from the
    fixture's list (reported by the assertion instead)."""
    time.sleep(0.2)
    alive = running.thread.is_alive() and running.status() is not None
    running.errors.clear()
    return alive


def test_a_build_of_another_content_folder(project: Path, tmp_path: Path,
                                           start_server: StartServer) -> None:
    running = start_server()
    shutil.copytree(project / "content", project / "content2")
    edit_yaml(project / "content2" / "papers" / "paper-003.yaml", "We study", "We examine")
    built = delegated(content="content2")
    assert built.code == 0
    assert "updated" in built.out or "wrote" in built.out
    assert _survives(running), "the server died after the build"


def test_site_yaml_names_another_content_folder(project: Path, tmp_path: Path,
                                                start_server: StartServer) -> None:
    running = start_server()
    shutil.copytree(project / "content", project / "content2")
    with open(project / "site.yaml", "a", encoding="utf-8") as fh:
        fh.write("content: content2\n")
    assert delegated().code == 0
    assert_cold_equal(project, tmp_path / "cold")
    assert _survives(running), "the server died after the build"
    _edit_title(project)  # the old folder: nothing to do with the site any more
    edit_yaml(project / "content2" / "papers" / "paper-003.yaml", "We study", "We examine")
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_save_by_rename_is_seen(project: Path, tmp_path: Path,
                                  start_server: StartServer) -> None:
    """Editors save by writing a scratch file and renaming it over the original, or by
    moving the original to a backup first."""
    running = start_server()
    target = paper(project, 3)
    scratch = target.with_name(".paper-003.yaml.tmp")
    scratch.write_text(target.read_text(encoding="utf-8").replace("We study", "We examine"),
                       encoding="utf-8")
    os.rename(scratch, target)
    assert "updated" in cli_build(running).out
    assert_cold_equal(project, tmp_path / "cold")
    other = paper(project, 4)
    text = other.read_text(encoding="utf-8")
    os.rename(other, other.with_name("paper-004.yaml~"))
    other.write_text(text.replace("We study", "We examine"), encoding="utf-8")
    assert "updated" in cli_build(running).out
    assert_cold_equal(project, tmp_path / "cold")


def test_a_template_error_fails_then_the_fix_builds(project: Path, tmp_path: Path,
                                                    start_server: StartServer) -> None:
    running = start_server()
    (project / "templates").mkdir()
    theme = (builtin_templates_dir() / "paper.html").read_text(encoding="utf-8")
    (project / "templates" / "paper.html").write_text("{% if %}\n" + theme, encoding="utf-8")
    _edit_abstract(project)  # a content change in the same round: kept for the next build
    failed = delegated()
    assert failed.code == 1
    assert failed.err.startswith("error: ")
    assert "paper.html" in failed.err
    assert "Traceback" not in failed.err
    (project / "templates" / "paper.html").unlink()
    fixed = cli_build(running)
    assert fixed.code == 0
    assert_cold_equal(project, tmp_path / "cold")


# -- found by review: each failed before the server checked these ------------------------
def _link_an_author_file(project: Path, tmp_path: Path) -> None:
    """Before the server starts: every journal take is "unknown" while the link exists."""
    target = tmp_path / "author-13.yaml"
    shutil.move(project / "content" / "authors" / "author-13.yaml", target)
    (project / "content" / "authors" / "author-13.yaml").symlink_to(target)


def _recreate_the_authors_folder(project: Path, tmp_path: Path) -> None:
    """After the edit: the next take is "unknown" (its folder was deleted)."""
    authors = project / "content" / "authors"
    shutil.copytree(authors, tmp_path / "authors-copy")
    shutil.rmtree(authors)
    shutil.copytree(tmp_path / "authors-copy", authors)


@pytest.mark.parametrize("unknown", ["linked file", "recreated folder"])
def test_a_build_elsewhere_then_an_unknown_take_checks_the_disk_cache(
        unknown: str, project: Path, tmp_path: Path, start_server: StartServer) -> None:
    """Even when the journal cannot name the changes, the server's memory is only good
    on top of the cache it saved itself: here another process built an older content
    (an undo) and the edit is back, so the memory matches the files but not the output."""
    if unknown == "linked file":
        _link_an_author_file(project, tmp_path)
        assert main(["build", "--no-server", "-q"]) == 0
    running = start_server()
    original = paper(project, 3).read_text(encoding="utf-8")
    _edit_abstract(project)
    assert cli_build(running).code == 0
    paper(project, 3).write_text(original, encoding="utf-8")  # e.g. `git stash`
    assert main(["build", "--no-server", "-q"]) == 0
    _edit_abstract(project)  # `git stash pop`: the content the server last built
    if unknown == "recreated folder":
        _recreate_the_authors_folder(project, tmp_path)
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    page = project / "output" / "papers" / "paper-003" / "index.html"
    assert "We examine" in page.read_text(encoding="utf-8")
    assert_cold_equal(project, tmp_path / "cold")


def test_a_paper_edited_through_a_hard_link_elsewhere(project: Path, tmp_path: Path,
                                                      start_server: StartServer) -> None:
    """An edit through another name of the same file sends no event for the content
    folder: a file with other hard links makes the server look at every file."""
    other = tmp_path / "paper-003-elsewhere.yaml"
    os.link(paper(project, 3), other)
    running = start_server()
    text = other.read_text(encoding="utf-8")
    with open(other, "w", encoding="utf-8") as fh:  # in place, as editors that keep the inode
        fh.write(text.replace("We study", "We examine", 1))
    built = cli_build(running)
    assert built.code == 0
    assert "updated" in built.out
    assert_cold_equal(project, tmp_path / "cold")
    edit_yaml(other, "We examine", "We survey")  # again: the link still exists
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_a_deeply_nested_request_is_dropped_and_the_server_goes_on(
        project: Path, start_server: StartServer) -> None:
    """The JSON reader gives up on deep nesting with RecursionError, not ValueError."""
    running = start_server()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.connect(str(running.addr.socket))
        sock.sendall(b"[" * 30_000 + b"\n")
        sock.shutdown(socket.SHUT_WR)
        sock.settimeout(10)
        assert sock.recv(100) == b""
    assert running.thread.is_alive()
    assert running.status() is not None
    _edit_abstract(project)
    assert delegated().code == 0


def test_the_project_replaced_by_a_copy(project: Path, tmp_path: Path,
                                        start_server: StartServer,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """``mv site site.old && cp -a site.old site`` (a restore, a sync tool): same path,
    same cache, but the journal watches the old folder, which no longer is the content.
    The output lives outside the project, so nothing else tells the server."""
    out = tmp_path / "out"
    assert main(["build", "--no-server", "-q", "--out", "../out"]) == 0
    running = start_server()
    assert cli_build(running, "--out", "../out").code == 0
    cache.wait_for_savers()  # the server's (a child of this process): a copy of all of it
    old = tmp_path / "site.old"
    os.rename(project, old)
    shutil.copytree(old, project, symlinks=True)  # keeps modification times, as cp -a
    monkeypatch.chdir(project)
    _edit_abstract(project)
    built = cli_build(running, "--out", "../out")
    assert (built.code, built.err) == (0, "")
    assert "nothing changed" not in built.out
    assert tree(out) == cold_tree(project, tmp_path / "cold")
    _edit_title(project)  # tracked again in the new folder
    assert cli_build(running, "--out", "../out").code == 0
    assert tree(out) == cold_tree(project, tmp_path / "cold")


def test_no_journal_for_a_folder_then_back(project: Path, tmp_path: Path,
                                           start_server: StartServer,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-user limit of inotify instances reached while moving to another content
    folder: that build looks at every file, and the server keeps serving both folders."""
    running = start_server()
    shutil.copytree(project / "content", project / "content2")
    edit_yaml(project / "content2" / "papers" / "paper-003.yaml", "We study", "We examine")

    def no_more_instances(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EMFILE, os.strerror(errno.EMFILE))

    with monkeypatch.context() as patched:
        patched.setattr("sitegen.buildserver.journal.INotify", no_more_instances)
        other = delegated(content="content2", out="output2")
        assert (other.code, other.err) == (0, "")
        assert "wrote" in other.out or "updated" in other.out
        _edit_title(project)
        again = cli_build(running)  # the default content folder: still no journal
        assert (again.code, again.err) == (0, "")
        assert_cold_equal(project, tmp_path / "cold")
    _edit_author(project)
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    assert "updated" in built.out
    assert_cold_equal(project, tmp_path / "cold")
    _add_paper(project)  # with a journal again
    assert cli_build(running).code == 0
    assert_cold_equal(project, tmp_path / "cold")
    assert _survives(running)


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=T", "-c",  # noqa: S603, S607
                    "user.email=t@example.org", *args], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_branch_switches_in_a_content_repository(project: Path, tmp_path: Path,
                                                 start_server: StartServer) -> None:
    """A checkout rewrites many files at once (new files, not edits in place)."""
    content = project / "content"
    _git(content, "init", "-q", "-b", "main")
    _git(content, "add", "-A")
    _git(content, "commit", "-qm", "first")
    running = start_server()
    _git(content, "checkout", "-qb", "other")
    for n in range(0, 30, 3):
        edit_yaml(paper(project, n), "We study", "We examine")
    paper(project, 29).unlink()
    _git(content, "add", "-A")
    _git(content, "commit", "-qm", "second")
    for branch in ("other", "main", "other", "main"):
        _git(content, "checkout", "-q", branch)
        built = cli_build(running, "-q")
        assert (built.code, built.out, built.err) == (0, "", "")
        assert_cold_equal(project, tmp_path / "cold")


def test_many_files_added_then_removed_and_edited(project: Path, tmp_path: Path,
                                                  start_server: StartServer) -> None:
    running = start_server()
    text = paper(project, 7).read_text(encoding="utf-8")
    title = text.splitlines()[0]
    bulk = [project / "content" / "papers" / f"bulk-{i:03d}.yaml" for i in range(200)]
    for i, path in enumerate(bulk):
        path.write_text(text.replace(title, f"title: Bulk paper {i}", 1), encoding="utf-8")
    assert cli_build(running, "-q").code == 0
    assert_cold_equal(project, tmp_path / "cold")
    for path in bulk[::2]:
        path.unlink()
    for path in bulk[1::2]:
        edit_yaml(path, "We study", "We survey")
    assert cli_build(running, "-q").code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_site_yaml_moves_the_output(project: Path, tmp_path: Path,
                                    start_server: StartServer) -> None:
    running = start_server()
    _edit_abstract(project)
    assert cli_build(running, "-q").code == 0
    with open(project / "site.yaml", "a", encoding="utf-8") as fh:
        fh.write("output: public\n")
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    assert "-> public" in built.out.splitlines()[0]
    assert tree(project / "public") == cold_tree(project, tmp_path / "cold")
    _edit_title(project)
    assert cli_build(running, "-q").code == 0
    assert tree(project / "public") == cold_tree(project, tmp_path / "cold")


def test_a_fault_of_the_server_lets_the_client_build(project: Path, tmp_path: Path,
                                                     start_server: StartServer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Not an error in the input: the client builds by itself (and reports whatever a
    one-shot build finds), and the server starts afresh on the next request."""
    from sitegen.incremental import SiteBuilder

    running = start_server()
    real = SiteBuilder.build
    calls: list[int] = []

    def fails_once(self: SiteBuilder, *args: object, **kwargs: object) -> object:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(SiteBuilder, "build", fails_once)
    _edit_abstract(project)
    failed = delegated()
    assert failed.code is None  # `sitegen build` goes on to build by itself
    assert failed.err == "warning: the build server failed (RuntimeError: boom); building here\n"
    assert _survives(running)
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    assert_cold_equal(project, tmp_path / "cold")


def test_the_project_through_a_symbolic_link(project: Path, tmp_path: Path,
                                             start_server: StartServer,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """``cd`` into a linked folder: the same project, so the same server."""
    running = start_server()
    link = tmp_path / "linked-site"
    link.symlink_to(project)
    monkeypatch.chdir(link)
    _edit_abstract(project)
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    assert_cold_equal(project, tmp_path / "cold")
    monkeypatch.chdir(tmp_path)
    _edit_title(project)
    assert cli_build(running, "--project", "linked-site").code == 0
    assert_cold_equal(project, tmp_path / "cold")


def test_cards_are_rendered_while_idle_and_builds_stay_identical(
        project: Path, tmp_path: Path, start_server: StartServer) -> None:
    """A server that starts on a built project (its index read lazily from the cache)
    renders the paper cards between requests; builds after that equal cold builds."""
    from sitegen.incremental import SiteBuilder

    SiteBuilder(project).build()
    running = start_server()
    assert wait_until(lambda: not running.server._cards_left)
    builder = running.server._builder
    index = builder._prev.site.index
    rendered = {slug for slug, memo in index.paper_memo.items()
                if any(key[0] == "card-html" for key in memo)}
    assert rendered == set(index.corpus.papers)
    _edit_title(project)
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    assert_cold_equal(project, tmp_path / "cold")
    assert wait_until(lambda: not running.server._cards_left)  # again for the new index


def test_after_a_full_first_build_the_server_goes_on_from_the_cache(
        project: Path, tmp_path: Path, start_server: StartServer) -> None:
    """Not from the full build's records in memory (large, and slow to fork)."""
    running = start_server()
    assert running.builds() == 1  # the reading back is not a build anyone asked for
    site = running.server._builder._prev.site
    assert isinstance(site.corpus.papers, cache.LazyMap)
    _edit_title(project)
    built = cli_build(running)
    assert (built.code, built.err) == (0, "")
    assert "updated" in built.out
    assert_cold_equal(project, tmp_path / "cold")


def test_a_full_first_build_whose_cache_cannot_be_saved_goes_on_from_memory(
        project: Path, runtime_dir: Path) -> None:
    """A daemon that started again after such a build would build everything again, for
    ever: it goes on from memory instead."""
    from sitegen.buildserver.server import BuildServer

    shutil.rmtree(project / cache.CACHE_DIR, ignore_errors=True)
    (project / cache.CACHE_DIR).write_text("not a folder", encoding="utf-8")
    server = BuildServer(address(Path("."), create=True), BuildOptions(project_dir="."),
                         os.getcwd())
    server.can_exec = True
    try:
        first = server._build(server.defaults, server.cwd, quiet=True)
        assert first.mode == "full"
        assert server._reload() is False
        assert not server._restart and not server._stopping
        assert server._builder._prev is not None  # the build in memory goes on
    finally:
        if server._journal is not None:
            server._journal.close()
