"""Fixtures for build tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from buildkit import copy_fixture  # noqa: E402


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the ``basic`` fixture project."""
    return copy_fixture("basic", tmp_path / "site")
