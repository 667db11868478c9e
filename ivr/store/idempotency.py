"""Effects that happen once even when the job doing them is retried or its worker is killed.

A text or a call cannot be taken back, so every such effect claims a key in Redis *before* it
acts (SET NX, value `pending:<unix time>:<token>`) and replaces the claim with the result (the
Message or Call SID) once the carrier accepted it. A retry that finds the result skips the
effect. A retry that finds a claim still pending cannot know whether the carrier accepted the
first attempt (the worker may have died between sending and marking):

- while the claim is young, another attempt may still be sending: `EffectPending` is raised,
  which a job turns into a later retry;
- once it is older than `PENDING_GRACE_S`, the caller's `reconcile` asks the carrier whether the
  effect happened (e.g. lists the messages sent to that number since the claim); if it did, the
  result is recorded and nothing is sent; if it did not, this attempt takes the claim over.

An attempt that fails with a definite refusal (the carrier said no) releases its claim so a
retry can try again; any other failure (a timeout: the carrier may have accepted) leaves the
claim pending for reconciliation.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import redis

from ivr.store.conversations import Store

#: Seconds a pending claim is trusted to belong to an attempt that is still running.
PENDING_GRACE_S = 60.0

#: How long a claim or result is remembered (a retried job never runs later than this).
EFFECT_TTL_S = 30 * 24 * 3600

_PENDING = "pending:"

# Replace the value only if it is still what we read (compare-and-set).
_CAS = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""

# Delete the key only if it still holds our claim (compare-and-delete).
_CAD = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class EffectPending(RuntimeError):
    """Another attempt claimed this effect moments ago and may still be performing it."""


@dataclass(frozen=True)
class Outcome:
    """What `run_once` did.

    Attributes:
        performed: True when this call performed the effect.
        result: the effect's result (e.g. a Message SID), from this call or an earlier one.
    """

    performed: bool
    result: str | None


def _claim_value(now: float) -> str:
    return f"{_PENDING}{now:.3f}:{uuid.uuid4().hex}"


def _claimed_at(value: str) -> float:
    return float(value[len(_PENDING):].split(":", 1)[0])


def state_of(connection: redis.Redis, key: str) -> str | None:
    """The stored value of an effect key: None (never claimed), 'pending:...' or the result."""
    raw = connection.get(key)
    return raw.decode() if raw is not None else None


def run_once(connection: redis.Redis, key: str, perform: Callable[[], str], *,
             reconcile: Callable[[float], str | None] | None = None,
             definite: Callable[[BaseException], bool] = lambda exc: False,
             grace_s: float = PENDING_GRACE_S, ttl: int = EFFECT_TTL_S) -> Outcome:
    """Perform the effect under `key` at most once (see the module docstring).

    Args:
        connection: the Redis holding the keys.
        key: the full Redis key naming this effect.
        perform: does the effect and returns its result (a SID); called at most once here.
        reconcile: given the time a stale claim was made, returns the result if the effect did
            happen, None if it did not. Without it a stale claim is taken over (at least once).
        definite: True for a failure that certainly did not perform the effect.
        grace_s: age after which a pending claim is considered abandoned.
        ttl: how long the key lives.

    Raises:
        EffectPending: a young claim of another attempt exists; retry later.
    """
    mine = _claim_value(time.time())
    if not connection.set(key, mine, nx=True, ex=ttl):
        current = state_of(connection, key)
        if current is None:  # expired between the two calls: claim again
            return run_once(connection, key, perform, reconcile=reconcile, definite=definite,
                            grace_s=grace_s, ttl=ttl)
        if not current.startswith(_PENDING):
            return Outcome(False, current)
        claimed_at = _claimed_at(current)
        if time.time() - claimed_at < grace_s:
            raise EffectPending(f"{key} is being performed by another attempt")
        found = reconcile(claimed_at) if reconcile is not None else None
        if found is not None:
            connection.set(key, found, ex=ttl)
            return Outcome(False, found)
        if not connection.eval(_CAS, 1, key, current, mine, ttl):
            raise EffectPending(f"{key} was taken over by another attempt")
    try:
        result = perform()
    except BaseException as exc:
        if definite(exc):
            connection.eval(_CAD, 1, key, mine)
        raise
    connection.set(key, result, ex=ttl)
    return Outcome(True, result)


# -- a business's effects: `ivr:{business}:sent:<effect>` ---------------------------------------
def _sent_key(store: Store, business: str, effect: str) -> str:
    return store.key(business, "sent", effect)


def effect_state(store: Store, business: str, effect: str) -> str | None:
    """`state_of` the business's effect named `effect` (a text, a ring)."""
    return state_of(store.redis, _sent_key(store, business, effect))


def run_effect_once(store: Store, business: str, effect: str, perform: Callable[[], str], *,
                    reconcile: Callable[[float], str | None] | None = None,
                    definite: Callable[[BaseException], bool] = lambda exc: False) -> Outcome:
    """`run_once` for the business's effect named `effect` (e.g. a text's idempotency key,
    `ring:<hunt>:<index>`), with the default grace and lifetime."""
    return run_once(store.redis, _sent_key(store, business, effect), perform,
                    reconcile=reconcile, definite=definite)
