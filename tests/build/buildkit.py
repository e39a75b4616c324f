"""Helpers shared by the build tests (a plain module: ``conftest`` names clash across folders)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def copy_fixture(name: str, target: Path) -> Path:
    """A private copy of a fixture project (site.yaml + content/), without golden files."""
    shutil.copytree(FIXTURES / name, target, ignore=shutil.ignore_patterns("golden"))
    return target


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below ``folder`` (hidden ones too) with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
