"""Rendered whisper audio shared between nodes (`ivr.handoff.summary_audio`).

The WAV bytes live under `ivr:{business}:audio:<name>` (the file's name under the audio
folder) for a short while, so whichever web node Twilio's <Play> reaches can serve a file
another node's worker rendered.
"""

from __future__ import annotations

from ivr.store.conversations import Store


def _key(store: Store, business: str, name: str) -> str:
    return store.key(business, "audio", name)


def share_audio(store: Store, business: str, name: str, data: bytes, ttl_s: int) -> None:
    """Share the rendered file `name` for `ttl_s` seconds."""
    store.redis.set(_key(store, business, name), data, ex=ttl_s)


def shared_audio(store: Store, business: str, name: str) -> bytes | None:
    """The shared bytes of `name`, or None when nobody shared it (or it expired)."""
    return store.redis.get(_key(store, business, name))
