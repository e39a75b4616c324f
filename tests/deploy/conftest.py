"""Real git repositories for deploy tests: a user's work repo with a local bare remote.

Helpers are handed to tests as fixtures (``git``, ``make_site``) because the suite imports
test modules in importlib mode, where a conftest is not importable by name.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest


def git(cwd: Path, *args: str, check: bool = True) -> str:
    proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {proc.stderr}")
    return proc.stdout


@dataclass
class Project:
    """A user's site repository with uncommitted work, an extra branch, and a bare remote."""

    work: Path
    remote: Path

    def snapshot(self) -> dict[str, object]:
        """Everything a deploy must leave byte-for-byte alone."""
        files = {
            str(p.relative_to(self.work)): p.read_bytes()
            for p in sorted(self.work.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(self.work).parts
        }
        branches = {
            line.split()[1]: line.split()[0]
            for line in git(self.work, "for-each-ref", "--format=%(objectname) %(refname)",
                            "refs/heads").splitlines()
            if not line.endswith("refs/heads/gh-pages")
        }
        return {
            "status": git(self.work, "status", "--porcelain", "--untracked-files=all"),
            "head": git(self.work, "rev-parse", "HEAD"),
            "symbolic_head": git(self.work, "symbolic-ref", "HEAD"),
            "index": hashlib.sha256((self.work / ".git" / "index").read_bytes()).hexdigest(),
            "branches": branches,
            "stash": git(self.work, "stash", "list"),
            "files": files,
        }

    def remote_log(self, branch: str = "gh-pages") -> list[str]:
        return git(self.remote, "rev-list", branch).split()

    def checkout_remote(self, dest: Path, branch: str = "gh-pages") -> Path:
        git(dest.parent, "clone", "--quiet", "--branch", branch, str(self.remote), dest.name)
        return dest


def make_site(folder: Path, pages: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for rel, text in pages.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def git_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fixed identity and dates; no global or system git config leaks in."""
    home = tmp_path_factory.mktemp("home")
    (home / "gitconfig").write_text("[init]\n\tdefaultBranch = main\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "gitconfig"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "Test Researcher")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "researcher@example.org")
        monkeypatch.setenv(f"GIT_{role}_DATE", "2024-01-02T03:04:05+00:00")
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "--quiet", "--bare", str(remote))
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "--quiet")
    (work / ".gitignore").write_text("/output/\n*.log\n")
    (work / "site.yaml").write_text("title: Lab\n")
    (work / "notes.md").write_text("first\n")
    git(work, "add", ".")
    git(work, "commit", "--quiet", "-m", "initial")
    git(work, "branch", "drafts")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "--quiet", "origin", "main")
    # Work in progress that must survive: a staged edit, an unstaged edit, an untracked file.
    (work / "notes.md").write_text("staged edit\n")
    git(work, "add", "notes.md")
    (work / "site.yaml").write_text("title: Lab (unsaved)\n")
    (work / "scratch.txt").write_text("untracked\n")
    return Project(work, remote)


@pytest.fixture(name="git")
def git_fixture() -> Callable[..., str]:
    return git


@pytest.fixture(name="make_site")
def make_site_fixture() -> Callable[[Path, dict[str, str]], Path]:
    return make_site
