"""A slow app for fallback tests: the app's thread held at one of its log lines.

The carrier simulator speaks only HTTP, so it cannot make the app slow; a real server is slow
somewhere in its work (a cold model, a busy CPU, a slow Redis). `held_at` stands for that: a
logging handler (nothing of the app's is replaced) that, when the app logs `event=NAME`, tells
the sim's `Stall` the app is working (the carrier gives up on the request then, as Twilio does
at 15 s) and holds that thread until the fallback has been answered (`stall.overtaken`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from ivr.sim.fallback import Stall

#: The longest the app is held: a test whose fallback never comes still ends.
HOLD_S = 5.0


class _Hold(logging.Handler):
    def __init__(self, name: str, stall: Stall) -> None:
        super().__init__(logging.INFO)
        self.prefix = f"event={name} "
        self.stall = stall

    def handle(self, record: logging.LogRecord) -> bool:
        """Without `Handler.handle`'s lock: the held thread must not hold up others' logs."""
        self.emit(record)
        return True

    def emit(self, record: logging.LogRecord) -> None:
        if self.stall.working.is_set() or not record.getMessage().startswith(self.prefix):
            return
        self.stall.working.set()
        self.stall.overtaken.wait(HOLD_S)


@contextmanager
def held_at(logger_name: str, name: str, stall: Stall) -> Iterator[None]:
    """Hold the first request that logs `event=name` on `logger_name` until `stall` is
    overtaken (the fallback has answered)."""
    logger = logging.getLogger(logger_name)
    handler, level = _Hold(name, stall), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
