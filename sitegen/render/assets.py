"""Static assets (CSS, JS, icons) with content-hashed file names.

GitHub Pages lets browsers cache files for ten minutes; a name that changes with the
content (``style.3f2a9c1b04.css``) means a new build is never shown with an old stylesheet.
A site's own ``templates/static/`` overrides built-in assets file by file, like templates.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from sitegen.errors import TemplateError

STATIC_DIR = "static"
HASH_LENGTH = 10


@dataclass(frozen=True)
class Assets:
    """``paths`` maps a logical name (``style.css``) to its output path; ``files`` holds bytes."""

    paths: dict[str, str] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def path(self, name: str) -> str:
        try:
            return self.paths[name]
        except KeyError:
            raise TemplateError(f"no static asset named '{name}'", key="asset") from None


def hashed_name(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"


def collect_assets(theme_dirs: list[Path]) -> Assets:
    """Assets from each theme's ``static/``; earlier folders win (site before built-in)."""
    chosen: dict[str, Path] = {}
    for theme in theme_dirs:
        root = theme / STATIC_DIR
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or any(part.startswith(".") for part in path.parts[-1:]):
                continue
            name = path.relative_to(root).as_posix()
            chosen.setdefault(name, path)
    paths: dict[str, str] = {}
    files: dict[str, bytes] = {}
    for name in sorted(chosen):
        data = chosen[name].read_bytes()
        out = f"{STATIC_DIR}/{hashed_name(name, data)}"
        paths[name] = out
        files[out] = data
    return Assets(paths=paths, files=files)
