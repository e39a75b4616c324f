"""Publish a built site as a new commit on a pages branch, without touching the work tree.

Why plumbing: a publish must never disturb what the user is editing. The site's files are
hashed straight into the object database (``hash-object --no-filters``, so no attribute,
ignore rule or line-ending setting can change them), listed in a throw-away index
(``GIT_INDEX_FILE``), turned into a tree and a commit whose parent is the branch's previous
tip. The commit is pushed first, by hash; the local branch ref is moved only after the remote
accepted it, so a refused push leaves every ref exactly where it was.

The tree depends only on the files' bytes, names and executable bits, and the commit on that
tree, its parent, the message and git's identity and dates (``SOURCE_DATE_EPOCH`` pins the
dates), so the same build on the same history gives the same commit.
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import DeployError

DEFAULT_REMOTE = "origin"
DEFAULT_BRANCH = "gh-pages"
NOJEKYLL = ".nojekyll"
CNAME = "CNAME"
# A DNS name: labels of letters, digits and inner hyphens; at least two labels.
_DOMAIN_RE = re.compile(
    r"^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$"
)
_FALLBACK_NAME = "sitegen"
_FALLBACK_EMAIL = "sitegen@localhost"


@dataclass(frozen=True)
class DeployResult:
    """What a publish did: the commit now at the tip of ``remote``/``branch``."""

    commit: str
    tree: str
    parent: str | None
    remote: str
    branch: str
    files: int
    changed: bool  # False when the site was identical to the previous tip: nothing committed


@dataclass(frozen=True)
class _Entry:
    path: str  # slash-separated, relative to the site root
    mode: str  # git file mode: 100644, 100755 or 120000
    source: Path | None  # a regular file to hash, or None for in-memory content
    data: bytes = b""  # symlink target or generated content


def _git(
    args: list[str],
    cwd: Path,
    *,
    env: Mapping[str, str] | None = None,
    input: bytes | None = None,
    check: bool = True,
) -> subprocess.CompletedProcess[bytes]:
    """Run git with a stable, non-interactive environment; raise DeployError on failure."""
    full_env = dict(os.environ)
    full_env.update({"GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"})
    if env:
        full_env.update(env)
    try:
        proc = subprocess.run(
            ["git", *args], cwd=cwd, env=full_env, input=input, capture_output=True
        )
    except FileNotFoundError:
        raise DeployError("git is not installed or not on PATH") from None
    if check and proc.returncode != 0:
        raise DeployError(f"git {args[0]} failed: {_stderr(proc)}")
    return proc


def _stderr(proc: subprocess.CompletedProcess[bytes]) -> str:
    """The lines that explain a failure; push's ``To URL`` and generic trailer say nothing."""
    lines = proc.stderr.decode("utf-8", "replace").strip().splitlines()
    noise = ("hint:", "To ", "error: failed to push some refs")
    useful = [ln.strip() for ln in lines if ln.strip() and not ln.startswith(noise)]
    return "; ".join(useful[-4:]) or f"exit status {proc.returncode}"


def _out(proc: subprocess.CompletedProcess[bytes]) -> str:
    return proc.stdout.decode("utf-8", "replace").strip()


def validate_cname(domain: str) -> str:
    """A bare host name (``www.example.org``): GitHub Pages rejects schemes and paths."""
    value = domain.strip()
    if not _DOMAIN_RE.match(value):
        raise DeployError(
            f"not a domain name: {domain!r} (give a bare host like www.example.org)",
            key="--cname",
        )
    return value.lower()


def collect_site(site_dir: Path) -> list[_Entry]:
    """Every file under the site, sorted by path; empty folders have no place in git."""
    site_dir = site_dir.absolute()
    if not site_dir.is_dir():
        raise DeployError(
            "nothing to publish: the output folder does not exist", file=str(site_dir)
        )
    entries: list[_Entry] = []
    for dirpath, dirnames, filenames in os.walk(site_dir):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        linked_dirs = [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]
        for name in [*filenames, *linked_dirs]:
            full = Path(dirpath, name)
            rel = full.relative_to(site_dir).as_posix()
            if "\n" in rel or "\0" in rel:
                raise DeployError("file name contains a line break", file=str(full))
            info = full.lstat()
            if stat.S_ISLNK(info.st_mode):
                target = os.readlink(full)
                entries.append(_Entry(rel, "120000", None, os.fsencode(target)))
            elif stat.S_ISREG(info.st_mode):
                mode = "100755" if info.st_mode & stat.S_IXUSR else "100644"
                entries.append(_Entry(rel, mode, full))
        # Symlinked folders were recorded above as links; never follow them.
        dirnames[:] = [d for d in dirnames if d not in linked_dirs]
    entries.sort(key=lambda e: e.path)
    return entries


def _hash_entries(entries: list[_Entry], repo: Path) -> list[str]:
    """Write every blob in two git processes (one for files, one per in-memory blob)."""
    files = [e for e in entries if e.source is not None]
    hashes: dict[str, str] = {}
    if files:
        stdin = "".join(f"{e.source}\n" for e in files).encode("utf-8", "surrogateescape")
        proc = _git(["hash-object", "-w", "--no-filters", "--stdin-paths"], repo, input=stdin)
        shas = _out(proc).split()
        if len(shas) != len(files):
            raise DeployError("git hash-object returned an unexpected number of hashes")
        hashes.update({e.path: sha for e, sha in zip(files, shas, strict=True)})
    for e in entries:
        if e.source is None:
            proc = _git(["hash-object", "-w", "--no-filters", "--stdin"], repo, input=e.data)
            hashes[e.path] = _out(proc)
    return [hashes[e.path] for e in entries]


def write_tree(entries: list[_Entry], repo: Path) -> str:
    """Build a tree object through a temporary index, leaving the user's index alone."""
    shas = _hash_entries(entries, repo)
    records = b"".join(
        f"{e.mode} {sha}\t".encode() + e.path.encode("utf-8", "surrogateescape") + b"\0"
        for e, sha in zip(entries, shas, strict=True)
    )
    with tempfile.TemporaryDirectory(prefix="sitegen-deploy-") as tmp:
        env = {"GIT_INDEX_FILE": str(Path(tmp) / "index")}
        _git(["update-index", "--add", "-z", "--index-info"], repo, env=env, input=records)
        return _out(_git(["write-tree"], repo, env=env))


def _repo_root(project_dir: Path) -> Path:
    if not project_dir.is_dir():
        raise DeployError("folder does not exist", file=str(project_dir))
    proc = _git(["rev-parse", "--show-toplevel"], project_dir, check=False)
    if proc.returncode != 0:
        raise DeployError(
            "not inside a git repository; run `git init` and `git remote add origin URL` first",
            file=str(project_dir),
        )
    return Path(_out(proc))


def _check_branch_name(branch: str, repo: Path) -> str:
    ref = f"refs/heads/{branch}"
    if _git(["check-ref-format", ref], repo, check=False).returncode != 0:
        raise DeployError(f"not a valid branch name: {branch!r}", key="--branch")
    return ref


def _check_remote(remote: str, repo: Path) -> None:
    proc = _git(["remote"], repo)
    remotes = _out(proc).split()
    if remote not in remotes:
        known = ", ".join(remotes) if remotes else "none configured"
        raise DeployError(
            f"no git remote named {remote!r} (remotes: {known}); "
            f"add one with `git remote add {remote} URL`",
            key="--remote",
        )


def _checked_out_ref(repo: Path) -> set[str]:
    """Branches checked out in any work tree of this repository: deploy must not move them."""
    proc = _git(["worktree", "list", "--porcelain"], repo, check=False)
    refs = set()
    for line in _out(proc).splitlines():
        if line.startswith("branch "):
            refs.add(line.split(" ", 1)[1])
    return refs


def _local_tip(ref: str, repo: Path) -> str | None:
    proc = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], repo, check=False)
    return _out(proc) if proc.returncode == 0 else None


def _remote_tip(remote: str, ref: str, repo: Path) -> str | None:
    proc = _git(["ls-remote", "--", remote, ref], repo, check=False)
    if proc.returncode != 0:
        raise DeployError(f"cannot reach remote {remote!r}: {_stderr(proc)}", key="--remote")
    for line in _out(proc).splitlines():
        sha, _, name = line.partition("\t")
        if name == ref:
            return sha
    return None


def _has_commit(sha: str, repo: Path) -> bool:
    return _git(["cat-file", "-e", f"{sha}^{{commit}}"], repo, check=False).returncode == 0


def _is_ancestor(old: str, new: str, repo: Path) -> bool:
    return _git(["merge-base", "--is-ancestor", old, new], repo, check=False).returncode == 0


def _parent(remote: str, branch: str, ref: str, repo: Path) -> tuple[str | None, str | None]:
    """Choose the previous tip to build on, so the push is a fast-forward and history is kept.

    Returns ``(parent, local)``: the parent commit (None for the first publish) and the local
    branch's current tip (None when it does not exist), which the final ref update checks.
    """
    local = _local_tip(ref, repo)
    remote_sha = _remote_tip(remote, ref, repo)
    if remote_sha is None:
        return local, local
    if not _has_commit(remote_sha, repo):
        # Objects only: no FETCH_HEAD and no local branch moves (git may refresh the
        # remote-tracking ref, as the push below would anyway).
        proc = _git(["fetch", "--no-write-fetch-head", "--quiet", "--", remote, ref], repo,
                    check=False)
        if proc.returncode != 0 or not _has_commit(remote_sha, repo):
            raise DeployError(f"cannot fetch {remote}/{branch}: {_stderr(proc)}", key="--remote")
    if local is None or local == remote_sha or _is_ancestor(local, remote_sha, repo):
        return remote_sha, local
    if _is_ancestor(remote_sha, local, repo):
        return local, local
    raise DeployError(
        f"local branch {branch!r} and {remote}/{branch} have diverged; "
        f"reset one of them before deploying",
        key="--branch",
    )


def _identity_env(repo: Path) -> dict[str, str]:
    """Use git's configured identity; fall back to a fixed one so a bare CI box can publish."""
    env: dict[str, str] = {}
    for role in ("AUTHOR", "COMMITTER"):
        if _git(["var", f"GIT_{role}_IDENT"], repo, check=False).returncode != 0:
            env[f"GIT_{role}_NAME"] = _FALLBACK_NAME
            env[f"GIT_{role}_EMAIL"] = _FALLBACK_EMAIL
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{epoch} +0000"
    return env


def default_message(repo: Path) -> str:
    """Name the source commit the site was built from, when there is one."""
    head = _local_tip("HEAD", repo)
    return f"Deploy site built from {head[:12]}" if head else "Deploy site"


def _extra_entries(
    entries: list[_Entry], cname: str | None, parent: str | None, repo: Path
) -> list[_Entry]:
    """Add ``.nojekyll`` and ``CNAME`` without writing either into the output folder."""
    by_path = {e.path: e for e in entries}
    by_path[NOJEKYLL] = by_path.get(NOJEKYLL) or _Entry(NOJEKYLL, "100644", None, b"")
    if cname is not None:
        by_path[CNAME] = _Entry(CNAME, "100644", None, f"{cname}\n".encode())
    elif CNAME not in by_path and parent is not None:
        # A custom domain set on the previous publish (or in the Pages settings) survives.
        proc = _git(["cat-file", "blob", f"{parent}:{CNAME}"], repo, check=False)
        if proc.returncode == 0:
            by_path[CNAME] = _Entry(CNAME, "100644", None, proc.stdout)
    return sorted(by_path.values(), key=lambda e: e.path)


@dataclass(frozen=True)
class Target:
    """Where a publish goes, checked before anything is built or written."""

    repo: Path
    ref: str
    cname: str | None


def check_target(
    project_dir: Path,
    *,
    remote: str = DEFAULT_REMOTE,
    branch: str = DEFAULT_BRANCH,
    cname: str | None = None,
) -> Target:
    """Fail early (before a build rewrites output/) on every mistake found without a network."""
    repo = _repo_root(Path(project_dir))
    ref = _check_branch_name(branch, repo)
    _check_remote(remote, repo)
    if ref in _checked_out_ref(repo):
        raise DeployError(
            f"branch {branch!r} is checked out; publishing would change that work tree",
            key="--branch",
        )
    return Target(repo, ref, validate_cname(cname) if cname is not None else None)


def publish(
    project_dir: Path,
    site_dir: Path,
    *,
    remote: str = DEFAULT_REMOTE,
    branch: str = DEFAULT_BRANCH,
    cname: str | None = None,
    message: str | None = None,
) -> DeployResult:
    """Commit ``site_dir`` on top of ``branch`` and push it to ``remote``.

    Every check runs before anything is written to a ref; the local branch moves only after the
    push succeeded, and only if nobody moved it meanwhile.
    """
    target = check_target(project_dir, remote=remote, branch=branch, cname=cname)
    repo, ref, domain = target.repo, target.ref, target.cname
    entries = collect_site(Path(site_dir))
    parent, local = _parent(remote, branch, ref, repo)
    entries = _extra_entries(entries, domain, parent, repo)
    tree = write_tree(entries, repo)

    if parent is not None and _out(_git(["rev-parse", f"{parent}^{{tree}}"], repo)) == tree:
        commit, changed = parent, False
    else:
        args = ["commit-tree", tree]
        if parent is not None:
            args += ["-p", parent]
        text = (message or default_message(repo)).rstrip("\n") + "\n"
        commit = _out(_git([*args, "-F", "-"], repo, env=_identity_env(repo), input=text.encode()))
        changed = True

    push = _git(["push", "--quiet", "--", remote, f"{commit}:{ref}"], repo, check=False)
    if push.returncode != 0:
        raise DeployError(
            f"push to {remote}/{branch} was refused; nothing changed: {_stderr(push)}",
            key="--remote",
        )
    if local != commit:
        update = ["update-ref", "-m", "sitegen deploy", ref, commit, local or ""]
        proc = _git(update, repo, check=False)
        if proc.returncode != 0:
            raise DeployError(
                f"published {commit[:12]} to {remote}/{branch}, but the local branch "
                f"{branch!r} moved meanwhile and was left as it is: {_stderr(proc)}",
                key="--branch",
            )
    return DeployResult(commit, tree, parent, remote, branch, len(entries), changed)
