"""Browser tests: the real pages in headless Chromium via Playwright.

Uses the system Chromium (/usr/bin/chromium; Debian package ``chromium``) — browsers are never
downloaded. Skipped, with the reason, where Chromium is not installed.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = os.environ.get("FULCRUM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """One Chromium per test, stopped before the next test begins.

    Playwright's sync API runs an event loop in this thread while it is open; Django's ORM
    refuses to run inside one unless told this single-threaded use is safe. Keeping the loop
    (and that permission) to the test itself stops it leaking into the tests that follow.
    """
    if not shutil.which(CHROMIUM):
        pytest.skip(f"needs Chromium at {CHROMIUM} (Debian package 'chromium')")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    yield page
    context.close()
