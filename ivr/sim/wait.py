"""Bounded waiting: every wait in the sim has a deadline and polls a condition, never sleeps blind.

Tests and the sim use `wait_for(condition, timeout)` instead of `time.sleep` so they are as fast
as the system under test allows and fail with a clear message when something never happens.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

#: How often a polled condition is re-checked (seconds).
POLL_S = 0.01


class WaitTimeout(AssertionError):
    """A condition did not become true in time (an AssertionError so pytest shows it plainly)."""


def wait_for(condition: Callable[[], T], timeout: float = 5.0, what: str = "condition") -> T:
    """Poll `condition` until it returns something truthy; return that value.

    Raises:
        WaitTimeout: when `timeout` seconds pass first.
    """
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise WaitTimeout(f"timed out after {timeout}s waiting for {what}")
        time.sleep(POLL_S)


def settle(count: Callable[[], int], quiet: float, limit: float = 10.0) -> int:
    """Wait until `count()` stops growing for `quiet` seconds (at most `limit`); return it.

    Used for "whatever arrives shortly after": texts the app sends by REST after replying.
    """
    deadline = time.monotonic() + limit
    seen = count()
    quiet_until = time.monotonic() + quiet
    while time.monotonic() < min(quiet_until, deadline):
        time.sleep(POLL_S)
        current = count()
        if current != seen:
            seen = current
            quiet_until = time.monotonic() + quiet
    return seen
