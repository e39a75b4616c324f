"""Map a raw request target to a file inside the output folder, and nothing outside it.

GitHub Pages semantics under the site's base path: ``/`` redirects to the prefix, ``x/``
serves ``x/index.html``, a folder without its slash redirects to it, ``x`` may serve
``x.html``, anything else is a 404. The raw target is decoded once and then checked:
``..`` and ``.`` segments (however encoded), backslashes, NUL and other control characters
are refused, hidden files are not served, and the final real path (symbolic links resolved)
must still lie inside the output folder.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class Target:
    """``status`` 200 with ``file``; 301/302 with ``location``; or an error status."""

    status: int
    file: Path | None = None
    location: str | None = None


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _contained(candidate: Path, root: Path) -> Path | None:
    """``candidate`` if it is a regular file whose real path is inside ``root``."""
    real = os.path.realpath(candidate)
    if not _inside(real, os.path.realpath(root)) or not os.path.isfile(real):
        return None
    return Path(real)


def resolve(root: Path, prefix: str, raw_target: str) -> Target:
    """Decide what a request for ``raw_target`` (as sent, still percent-encoded) answers."""
    if not raw_target.startswith("/") or raw_target.startswith("//"):
        return Target(400)  # absolute-form and scheme-relative targets are not ours
    if _CONTROL.search(raw_target):
        return Target(400)
    raw_path, _, query = raw_target.partition("#")[0].partition("?")
    try:
        path = unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        return Target(400)
    if _CONTROL.search(path) or "\\" in path:
        return Target(400)
    suffix = f"?{query}" if query else ""
    if prefix != "/" and path in ("/", prefix.rstrip("/")):
        return Target(302 if path == "/" else 301, location=prefix + suffix)
    if not path.startswith(prefix):
        return Target(404)
    rel = path[len(prefix):]
    parts = rel.split("/")
    if any(p in (".", "..") for p in parts):
        return Target(400)
    names = [p for p in parts if p]
    if any(name.startswith(".") for name in names):
        return Target(404)
    candidate = root.joinpath(*names) if names else root
    if rel == "" or rel.endswith("/"):
        found = _contained(candidate / "index.html", root)
        return Target(200, file=found) if found else Target(404)
    if candidate.is_dir() and _inside(os.path.realpath(candidate), os.path.realpath(root)):
        return Target(301, location=quote(path, safe="/-._~!$&'()*+,;=:@") + "/" + suffix)
    found = _contained(candidate, root) or _contained(candidate.with_name(candidate.name + ".html"),
                                                      root)
    return Target(200, file=found) if found else Target(404)
