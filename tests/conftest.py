"""Fixtures shared by every test folder.

Playwright's sync API allows one running instance per process, so all browser tests share
this one session-wide instance and one system Chromium (never a downloaded browser).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def system_chromium(playwright_session) -> Iterator[object]:
    """Debian's Chromium; its absence fails the test with the install command, never skips."""
    if not CHROMIUM.is_file():
        raise AssertionError(
            f"{CHROMIUM} not found: apt-get install chromium (the browser tests need it)"
        )
    browser = playwright_session.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield browser
    finally:
        browser.close()
