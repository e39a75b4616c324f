"""Where a project's server listens, and when that place is refused."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from sitegen.buildserver import address as module
from sitegen.buildserver.address import MAX_SOCKET_PATH, address, project_key
from sitegen.errors import BuildError

EXPECTED_MODE_ERROR = ("{}: the build server's folder must be a folder of this user that "
                       "only this user can enter (mode 700)")


def test_the_folder_is_made_private_below_xdg_runtime_dir(runtime_dir: Path) -> None:
    made = address(Path("/some/project"), create=True)
    folder = runtime_dir / "sitegen"
    assert made.socket.parent == folder
    assert folder.stat().st_mode & 0o777 == 0o700
    key = project_key(Path("/some/project"))
    assert made.socket.name == f"{key}.sock"
    assert made.lock == folder / f"{key}.lock"
    assert made.log == folder / f"{key}.log"
    assert made.project == Path("/some/project")


def test_without_xdg_runtime_dir_the_temp_folder_is_used(
        monkeypatch: pytest.MonkeyPatch, runtime_dir: Path) -> None:
    monkeypatch.delenv("XDG_RUNTIME_DIR")
    monkeypatch.setattr(tempfile, "tempdir", str(runtime_dir))
    assert module.runtime_dir(create=True) == runtime_dir / f"sitegen-{os.getuid()}"


def test_a_folder_others_can_enter_is_refused(runtime_dir: Path) -> None:
    folder = runtime_dir / "sitegen"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    with pytest.raises(BuildError) as caught:
        address(Path("/p"))
    assert str(caught.value) == EXPECTED_MODE_ERROR.format(folder)
    with pytest.raises(BuildError) as caught:
        address(Path("/p"), create=True)  # an existing folder is not made private
    assert str(caught.value) == EXPECTED_MODE_ERROR.format(folder)


def test_a_symbolic_link_is_refused(runtime_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.mkdir(mode=0o700)
    (runtime_dir / "sitegen").symlink_to(target)
    with pytest.raises(BuildError) as caught:
        address(Path("/p"))
    assert str(caught.value) == EXPECTED_MODE_ERROR.format(runtime_dir / "sitegen")


def test_a_missing_folder_is_an_os_error_without_create(runtime_dir: Path) -> None:
    with pytest.raises(FileNotFoundError):
        address(Path("/p"))


def test_a_too_long_runtime_folder_is_refused(monkeypatch: pytest.MonkeyPatch,
                                              runtime_dir: Path) -> None:
    deep = runtime_dir / ("d" * 90)
    deep.mkdir(mode=0o700)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(deep))
    with pytest.raises(BuildError) as caught:
        address(Path("/p"), create=True)
    message = str(caught.value)
    assert "socket path too long" in message
    assert "XDG_RUNTIME_DIR" in message
    sock = deep / "sitegen" / f"{project_key(Path('/p'))}.sock"
    assert len(os.fsencode(sock)) > MAX_SOCKET_PATH
    assert message.startswith(f"{sock}:")


def test_the_key_is_stable_and_tells_projects_apart() -> None:
    one, two = Path("/work/site-a"), Path("/work/site-b")
    assert project_key(one) == project_key(Path("/work/site-a"))
    assert project_key(one) != project_key(two)
    assert len(project_key(one)) == 20
    assert int(project_key(one), 16) >= 0


def test_a_relative_project_is_made_absolute(runtime_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert address(Path("site"), create=True) == address(tmp_path / "site")
    assert address(Path("site")).project == tmp_path / "site"
