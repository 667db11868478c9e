"""Waiting for what a person's latest conversation record says (end-to-end tests)."""

from __future__ import annotations

from typing import Any


def latest(runtime: Any, phone: str) -> dict:
    """The newest conversation record of `phone`."""
    return runtime.store.conversations(phone=phone)[-1]


def wait_for_latest(carrier: Any, runtime: Any, phone: str, test: Any, what: str,
                    timeout: float = 20) -> dict:
    """`phone`'s newest record once `test(record)` holds (the app writes it asynchronously)."""
    return carrier.wait_for(lambda: (lambda r: r if test(r) else None)(latest(runtime, phone)),
                            timeout, what)
