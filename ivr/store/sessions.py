"""Dashboard sessions and the generated session key, kept in Redis (`ivr.web.sessions`).

A session is a JSON object under `ivr:_:session:<id>` whose TTL is its idle lifetime; the
session key is `ivr:_:secret-key`, written once (SET NX) so every web node agrees on it.
The cookie, the signature and the lifetimes are the web layer's business, not this module's.
"""

from __future__ import annotations

from ivr.store.conversations import Store


def _key(store: Store, sid: str) -> str:
    return store.global_key("session", sid)


def secret_key(store: Store, candidate: str) -> str:
    """The kept session key: `candidate` if no node kept one before, else the one kept."""
    key = store.global_key("secret-key")
    store.redis.set(key, candidate, nx=True)
    return store.redis.get(key).decode()


def load_session(store: Store, sid: str) -> bytes | None:
    """The stored session `sid` (JSON), or None when it ended or never was."""
    return store.redis.get(_key(store, sid))


def save_session(store: Store, sid: str, data: str, idle_s: int) -> None:
    """Store session `sid`; it ends `idle_s` after this write unless written again."""
    store.redis.set(_key(store, sid), data, ex=idle_s)


def drop_session(store: Store, sid: str) -> None:
    """End session `sid` (sign-out, a changed token, a renewed id)."""
    store.redis.delete(_key(store, sid))
