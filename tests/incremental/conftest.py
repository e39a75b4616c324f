"""Makes the plain helper module ``sitekit`` importable from this folder's tests, and
shares one built project among them."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture(scope="session")
def built_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated project built once, with its cache (never changed: copy it)."""
    from sitekit import built_project

    return built_project(tmp_path_factory.mktemp("built"))


@pytest.fixture
def built_copy(built_template: Path, tmp_path: Path) -> Path:
    """This test's own copy of the built project, cache included (its key names the
    folders relative to the project, so the copy's cache applies to the copy)."""
    return Path(shutil.copytree(built_template, tmp_path / "site", symlinks=True))
