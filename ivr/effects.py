"""The side effects run after each flow step, in order. Each capability adds its hook here.

An effect has the signature `(runtime, business, record, actions, turn) -> None` and acts on
the actions it cares about (staff texts, warm transfers, follow-ups); it must be idempotent for a
retried webhook and must never raise into a caller's call: failures are logged and queued.
"""

from __future__ import annotations

from ivr.service import Effect


def default_effects() -> list[Effect]:
    """The effects a running ivr applies (listed explicitly, so the order is visible)."""
    effects: list[Effect] = []
    return effects
