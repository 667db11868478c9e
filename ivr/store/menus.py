"""The numbered options last texted to a number, so a reply "2" picks option 2.

Under `ivr:{business}:sms-menu:<number>` as JSON (`{"1": "...", ...}`), for as long as a
conversation's state lives; written with the request's closing writes, since only the
texter's next text reads it.
"""

from __future__ import annotations

import json

from ivr.store.conversations import STATE_TTL_S, Store


def _key(store: Store, business: str, number: str) -> str:
    return store.key(business, "sms-menu", number)


def menu(store: Store, business: str, number: str) -> dict[str, str]:
    """The options our last text to `number` offered ({} when none)."""
    raw = store.redis.get(_key(store, business, number))
    return json.loads(raw) if raw else {}


def remember_menu(store: Store, business: str, number: str, options: dict[str, str]) -> None:
    """Keep `options` (none: forget the last menu), with the request's closing writes."""
    key = _key(store, business, number)
    if options:
        value = json.dumps(options)
        store.later(lambda conn: conn.set(key, value, ex=STATE_TTL_S))
    else:
        store.later(lambda conn: conn.delete(key))
