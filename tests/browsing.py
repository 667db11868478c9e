"""Debian's Chromium driven headless by playwright, for the tests that look as a person would.

Browser downloads fail on these machines, so playwright launches the system's `chromium`
(installed by `make sysdeps-test`); a test module marks itself with `needs_chromium` and takes
the `browser` fixture.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Browser, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

needs_chromium = pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                    reason="Debian chromium is not installed (make sysdeps-test)")


@contextmanager
def launched() -> Iterator[Browser]:
    """A headless Chromium, closed on exit."""
    with sync_playwright() as play:
        chromium = play.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()
