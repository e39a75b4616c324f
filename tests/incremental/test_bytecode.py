"""Compiled templates in .sitegen-cache/: reused, keyed by what compiles them, cleared."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from sitegen import bytecode, cache
from sitegen.incremental import SiteBuilder


@pytest.fixture
def project(built_copy: Path) -> Path:
    return built_copy


def _folders(project: Path) -> list[Path]:
    return sorted((project / cache.CACHE_DIR).glob(cache.TEMPLATES_PREFIX + "*"))


def test_a_build_stores_the_compiled_theme(project: Path) -> None:
    folders = _folders(project)
    assert len(folders) == 1
    assert any(folders[0].iterdir())


def test_the_stamp_names_the_jinja_release(monkeypatch: pytest.MonkeyPatch) -> None:
    before = bytecode._stamp()
    monkeypatch.setattr(jinja2, "__version__", "0.0.test", raising=False)
    assert bytecode._stamp() != before


def test_templates_of_another_stamp_are_removed_after_a_build(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (old,) = _folders(project)
    monkeypatch.setattr(bytecode, "_stamp", lambda: "0000000000000000")
    builder = SiteBuilder(project)
    builder.forget()  # a full build compiles every template again
    builder.build()
    folders = _folders(project)
    assert [f.name for f in folders] == [cache.TEMPLATES_PREFIX + "0000000000000000"]
    assert not old.exists()


def test_clearing_the_cache_removes_compiled_templates(project: Path) -> None:
    assert _folders(project)
    cache.clear(project / cache.CACHE_DIR)
    assert _folders(project) == []
