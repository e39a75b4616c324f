"""``sitegen init``: lay out a new site folder that ingests, builds and publishes as it is.

The files come from ``sitegen/scaffold_files`` (package data, so an installed sitegen can
scaffold too). They are stored without leading dots because packaging tools skip hidden
files; ``SCAFFOLD`` maps each to its place in the new site.

Nothing is ever overwritten: every target is checked before the first byte is written, and a
failure half-way removes what this run created, so a folder is either scaffolded or untouched.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sitegen.config import parse_base_url
from sitegen.errors import SitegenError

DEFAULT_TITLE = "Research publications"
DEFAULT_BASE_URL = "/"

# (path in the new site, packaged file it comes from; None for an empty placeholder)
SCAFFOLD: tuple[tuple[str, str | None], ...] = (
    (".github/workflows/pages.yml", "pages.yml"),
    (".gitignore", "gitignore"),
    ("README.md", "README.md"),
    ("content/authors/.gitkeep", None),
    ("content/papers/.gitkeep", None),
    ("seeds/README.md", "seeds-README.md"),
    ("site.yaml", None),
    ("templates/README.md", "templates-README.md"),
)


class InitError(SitegenError):
    """The new site cannot be laid out (a file is in the way, the folder is unwritable)."""


@dataclass(frozen=True)
class Scaffold:
    """What ``init`` wrote: the site folder and the files created in it, in order."""

    root: Path
    files: tuple[str, ...]


def _quote(value: str) -> str:
    """A YAML double-quoted scalar; JSON string escapes are a subset of YAML's."""
    return json.dumps(value, ensure_ascii=False)


def site_yaml(title: str, base_url: str) -> str:
    """The starting ``site.yaml``, with each setting explained where it is set."""
    return (
        "# Site settings for sitegen. Every key is optional.\n"
        f"title: {_quote(title)}\n"
        "description: \"\"\n"
        "# Where the site is published: \"/\" for a domain root, \"/repo-name/\" for a GitHub\n"
        "# project site, or a full URL (https://user.github.io/repo-name/) so that the sitemap\n"
        "# and share links are absolute. The Pages workflow passes the right one itself.\n"
        f"base_url: {_quote(base_url)}\n"
        "language: en\n"
        "# Authors shown on the home page, by slug (a file name in content/authors/ without\n"
        "# .yaml). Left empty, every author with a profile is featured.\n"
        "featured:\n"
        "#  - jane-doe\n"
        "# Papers per page of the paper, category and year listings, and authors per page\n"
        "# of the authors listing (0: one page each).\n"
        "paginate: 100\n"
    )


def _check_title(title: str) -> str:
    value = title.strip()
    if not value or "\n" in value or "\r" in value:
        raise InitError("expected a one-line, non-empty title", key="--title")
    return value


def _contents(title: str, base_url: str) -> dict[str, str]:
    pkg = resources.files("sitegen") / "scaffold_files"
    out: dict[str, str] = {}
    for target, source in SCAFFOLD:
        if target == "site.yaml":
            out[target] = site_yaml(title, base_url)
        elif source is None:
            out[target] = ""
        else:
            out[target] = (pkg / source).read_text(encoding="utf-8").replace("@TITLE@", title)
    return out


def _blocker(root: Path, rel: str) -> str | None:
    """The path (relative to ``root``) that stops ``rel`` from being created, if any."""
    path = root / rel
    if path.exists() or path.is_symlink():
        return rel
    for parent in reversed(path.relative_to(root).parents):
        if str(parent) == ".":
            continue
        full = root / parent
        if (full.exists() or full.is_symlink()) and not full.is_dir():
            return parent.as_posix()
    return None


def check_targets(root: Path, targets: list[str]) -> None:
    """Refuse before writing anything if any target exists or a file sits where a folder goes."""
    if (root.exists() or root.is_symlink()) and not root.is_dir():
        raise InitError("exists and is not a folder; nothing was written", file=str(root))
    for rel in targets:
        blocker = _blocker(root, rel)
        if blocker is not None:
            raise InitError(
                "already exists; sitegen init never overwrites files, so nothing was written",
                file=str(root / blocker),
            )


def init_site(
    root: Path, *, title: str = DEFAULT_TITLE, base_url: str = DEFAULT_BASE_URL
) -> Scaffold:
    """Create a new site in ``root`` (made if missing); existing unrelated files stay."""
    root = Path(root)
    title = _check_title(title)
    parse_base_url(base_url, key="--base-url")  # the same rules site.yaml is held to
    contents = _contents(title, base_url.strip())
    targets = list(contents)
    check_targets(root, targets)

    made_dirs: list[Path] = []
    made_files: list[Path] = []
    try:
        for rel in targets:
            path = root / rel
            missing = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
            for folder in reversed(missing):
                folder.mkdir()
                made_dirs.append(folder)
            with path.open("x", encoding="utf-8", newline="\n") as fh:
                made_files.append(path)
                fh.write(contents[rel])
    except OSError as exc:
        for path in reversed(made_files):
            path.unlink(missing_ok=True)
        for folder in reversed(made_dirs):
            with contextlib.suppress(OSError):  # not empty: something else wrote there
                folder.rmdir()
        raise InitError(
            f"cannot write: {exc.strerror or exc}; nothing was kept",
            file=str(exc.filename or root),
        ) from None
    return Scaffold(root, tuple(targets))
