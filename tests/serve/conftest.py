"""Fixtures for the preview tests: a served copy of a small site, and one headless Chromium.

Chromium is Debian's, never a downloaded one; a missing browser fails, it does not skip.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from servekit import ServeProcess, copy_site, start_serve  # noqa: E402


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return copy_site(tmp_path / "site")


@pytest.fixture
def server(site: Path) -> Iterator[ServeProcess]:
    serve = start_serve(site)
    try:
        yield serve
    finally:
        serve.interrupt()


@pytest.fixture(scope="session")
def browser(system_chromium):
    return system_chromium


@pytest.fixture
def page(browser):
    context = browser.new_context()
    pg = context.new_page()
    pg.dialogs = []  # type: ignore[attr-defined]
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    try:
        yield pg
    finally:
        context.close()
