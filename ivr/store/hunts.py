"""The state of one warm transfer's hunt for a person, kept in Redis so any web node can act.

A hunt walks the on-call list one person at a time. Twilio's callbacks for it arrive on any
node and in any order (a "2" keypress and the same leg's status callback, the caller hanging up
while an agent is listening to the summary), so every change happens under a short Redis lock
and each callback only acts on the leg the hunt is currently ringing: a late event for an
earlier leg is ignored instead of skipping someone or ringing twice.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields
from typing import Any, TypeVar

from redis import Redis
from redis.exceptions import LockError

from ivr.store.conversations import Store

#: How long a hunt's state is kept (long after the call, for late feedback and callbacks).
HUNT_TTL_S = 2 * 24 * 3600

#: Lock lease and wait, seconds; a callback holds the lock only for a REST call or two. The
#: wait is bounded well under Twilio's 15 s webhook limit: a callback that cannot get the
#: lock in time fails into its polite fallback rather than past Twilio's deadline.
LOCK_TIMEOUT_S = 15
LOCK_WAIT_S = 3
#: Seconds between tries while another callback holds the lock.
LOCK_POLL_S = 0.01
#: Release the lock only if it is still ours (its lease may have run out and been retaken).
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

HUNTING, ACCEPTED, CONNECTED, FAILED, ABANDONED = (
    "hunting", "accepted", "connected", "failed", "abandoned")

T = TypeVar("T")


@dataclass
class Hunt:
    """One transfer in progress.

    Attributes:
        id: "conf-<CallSid>" for a call (also the conference name), "sms-<record id>" for texts.
        business: the business key.
        record_id: the conversation record it belongs to.
        channel: "voice" (caller waits in a conference) or "sms" (agent dials the customer).
        customer: the caller's or texter's number.
        caller_sid: the caller's CallSid (voice).
        candidates: hunt order, [{"name", "phone"}].
        index: position in `candidates` being rung (-1 before the first dial).
        leg: the agent CallSid being rung now.
        legs: every agent leg placed, with its last known status.
        status: hunting, accepted, connected, failed (nobody took it) or abandoned.
        decided_at: ISO time the flow decided a human was needed (time-to-human starts here).
        dialed_at / answered_at / connected_at: ISO times for the agent who took it.
        agent: the name of the person who accepted.
        whisper: the spoken summary text; audio: rendered file name when ready.
        summary: the flow's written summary (texted to the accepting agent).
        caller_left_seq / agent_joined_seq: the conference's SequenceNumber of the caller
            leaving (or the room ending) and of the accepting agent joining, kept once the hunt
            was abandoned: Twilio's callbacks come in any order, so a join that arrives after
            the leave but was fired before it means they did talk.
        agent_joined_at: ISO time the accepting agent joined, as the join event's own
            `Timestamp` says (Twilio's clock): a join recognised late still stops
            time-to-human when it happened, not when we learned of it.
        pending: the index of a person whose dial got no answer from Twilio in time (the
            webhook's REST deadline): their phone may be ringing, so their leg is adopted by
            its first callback, or found in Twilio's call log by the job that continues.
        language: the conversation's language ("en", "es"): what the voicemail offer and
            its thanks are said in, when nobody takes it.
    """

    id: str
    business: str
    record_id: str
    channel: str
    customer: str
    decided_at: str
    caller_sid: str | None = None
    candidates: list[dict[str, str]] = field(default_factory=list)
    index: int = -1
    leg: str | None = None
    legs: dict[str, str] = field(default_factory=dict)
    status: str = HUNTING
    dialed_at: str | None = None
    answered_at: str | None = None
    connected_at: str | None = None
    agent: str | None = None
    whisper: str = ""
    audio: str | None = None
    summary: str = ""
    skill: str = ""
    reasons: list[str] = field(default_factory=list)
    urgent: bool = False
    pending: int | None = None
    language: str = "en"
    caller_left_seq: int | None = None
    agent_joined_seq: int | None = None
    agent_joined_at: str | None = None

    @property
    def conference(self) -> str:
        return self.id

    @property
    def current(self) -> dict[str, str] | None:
        """The person being rung (or who accepted), if any."""
        if 0 <= self.index < len(self.candidates):
            return self.candidates[self.index]
        return None

    @property
    def open(self) -> bool:
        return self.status == HUNTING

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, raw: bytes | str) -> Hunt:
        data = json.loads(raw)
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


class Hunts:
    """Hunts of one Store: create once, read, and change under a lock."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def _key(self, business: str, hunt_id: str) -> str:
        return self.store.key(business, "hunt", hunt_id)

    def create(self, hunt: Hunt) -> bool:
        """Save a new hunt; False when one with this id exists (a retried webhook)."""
        return bool(self.store.redis.set(self._key(hunt.business, hunt.id), hunt.to_json(),
                                         nx=True, ex=HUNT_TTL_S))

    def get(self, business: str, hunt_id: str) -> Hunt | None:
        raw = self.store.redis.get(self._key(business, hunt_id))
        return Hunt.from_json(raw) if raw else None

    def save(self, hunt: Hunt, conn: Redis | None = None) -> None:
        """Write the hunt (its TTL restarted). `conn`: a pipeline to queue the write on, so it
        goes with other commands (`locked` sends it with the lock's release); else sent now.
        (`is None`, not `or`: a pipeline with nothing queued yet is falsy.)"""
        target = self.store.redis if conn is None else conn
        target.set(self._key(hunt.business, hunt.id), hunt.to_json(), ex=HUNT_TTL_S)

    @contextmanager
    def locked(self, business: str, hunt_id: str) -> Iterator[Hunt | None]:
        """The hunt, held under its lock; changes made to it are saved on exit.

        Two round trips however busy the hunt: taking the lock reads the hunt in the same
        pipeline (valid when the lock was taken), and the save goes with the release.
        """
        key = self._key(business, hunt_id)
        lock, token = key + ":lock", uuid.uuid4().hex
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            pipe = self.store.redis.pipeline(transaction=False)
            pipe.set(lock, token, nx=True, px=int(LOCK_TIMEOUT_S * 1000))
            pipe.get(key)
            taken, raw = pipe.execute()
            if taken:
                break
            if time.monotonic() > deadline:
                raise LockError(f"hunt {hunt_id} stayed locked for {LOCK_WAIT_S} s")
            time.sleep(LOCK_POLL_S)
        hunt = Hunt.from_json(raw) if raw else None
        try:
            yield hunt
        except BaseException:
            self.store.redis.eval(_RELEASE, 1, lock, token)
            raise
        pipe = self.store.redis.pipeline(transaction=False)
        if hunt is not None:
            self.save(hunt, pipe)
        pipe.eval(_RELEASE, 1, lock, token)
        pipe.execute()

    def change(self, business: str, hunt_id: str, fn: Callable[[Hunt], T]) -> T | None:
        """Apply `fn` to the hunt under its lock; None when there is no such hunt."""
        with self.locked(business, hunt_id) as hunt:
            return fn(hunt) if hunt is not None else None

    # -- agent feedback by SMS -----------------------------------------------------------------
    def _pending_key(self, business: str, phone: str) -> str:
        return self.store.key(business, "feedback-pending", phone)

    def await_feedback(self, business: str, phone: str, record_id: str) -> None:
        """Remember that `phone` was asked "did this call need you?" about `record_id`."""
        self.store.redis.set(self._pending_key(business, phone), record_id, ex=HUNT_TTL_S)

    def take_feedback(self, business: str, phone: str) -> str | None:
        """The record `phone` owes feedback on, claimed once (a Y and a retried Y act once)."""
        raw = self.store.redis.getdel(self._pending_key(business, phone))
        return raw.decode() if raw else None

    def feedback_pending(self, business: str, phone: str) -> bool:
        return bool(self.store.redis.exists(self._pending_key(business, phone)))


def as_dict(hunt: Hunt) -> dict[str, Any]:
    return asdict(hunt)
