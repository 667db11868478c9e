"""Redis-backed storage: conversation state, records, idempotency keys. Connection passed in.

Keys are namespaced per business (`ivr:{business}:...`) so one Redis serves many businesses and
several web nodes share it. Nothing here knows about Twilio or Flask.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

import redis

from ivr.records import Record, parse_iso

#: How long an unfinished conversation's state lives without activity.
STATE_TTL_S = 24 * 3600

#: How long an idempotency key (MessageSid, CallSid+turn) is remembered.
ONCE_TTL_S = 7 * 24 * 3600

PREFIX = "ivr"


class Store:
    """Reads and writes the product's data in one Redis.

    Args:
        connection: a `redis.Redis` (required; never global).
        prefix: top-level key prefix, so tests or tenants can share a server.
    """

    def __init__(self, connection: redis.Redis, prefix: str = PREFIX) -> None:
        if connection is None:
            raise TypeError("Store needs a redis connection")
        self.redis = connection
        self.prefix = prefix

    # -- keys ---------------------------------------------------------------------------------
    def key(self, business: str, *parts: str) -> str:
        """`ivr:{business}:part:part` — every key of a business starts so."""
        return ":".join((self.prefix, business, *parts))

    def global_key(self, *parts: str) -> str:
        return ":".join((self.prefix, "_", *parts))

    # -- health -------------------------------------------------------------------------------
    def ping(self) -> bool:
        try:
            return bool(self.redis.ping())
        except redis.RedisError:
            return False

    # -- idempotency --------------------------------------------------------------------------
    def once(self, business: str, token: str, ttl: int = ONCE_TTL_S) -> bool:
        """True the first time `token` is seen for this business, False on every retry."""
        return bool(self.redis.set(self.key(business, "once", token), "1", nx=True, ex=ttl))

    def cache_reply(self, business: str, token: str, body: str, ttl: int = ONCE_TTL_S) -> None:
        """Remember the reply given to `token` so a retried webhook gets the same answer."""
        self.redis.set(self.key(business, "reply", token), body, ex=ttl)

    def cached_reply(self, business: str, token: str) -> str | None:
        value = self.redis.get(self.key(business, "reply", token))
        return value.decode() if value is not None else None

    def forget_once(self, business: str, token: str) -> None:
        """Undo `once` when handling failed, so the carrier's retry may act after all."""
        self.redis.delete(self.key(business, "once", token))

    # -- SMS opt-outs -------------------------------------------------------------------------
    def set_opted_out(self, business: str, phone: str, opted_out: bool = True) -> None:
        """Record that `phone` texted STOP (or START again) to this business; never expires."""
        key = self.key(business, "optout")
        if opted_out:
            self.redis.sadd(key, phone)
        else:
            self.redis.srem(key, phone)

    def opted_out(self, business: str, phone: str) -> bool:
        """Whether `phone` asked this business to stop texting it."""
        return bool(self.redis.sismember(self.key(business, "optout"), phone))

    # -- live conversation state --------------------------------------------------------------
    def get_state(self, business: str, channel: str, customer: str) -> dict[str, Any] | None:
        raw = self.redis.get(self.key(business, "state", channel, customer))
        return json.loads(raw) if raw else None

    def put_state(self, business: str, channel: str, customer: str, state: dict[str, Any],
                  ttl: int = STATE_TTL_S) -> None:
        self.redis.set(self.key(business, "state", channel, customer), json.dumps(state), ex=ttl)

    def drop_state(self, business: str, channel: str, customer: str) -> None:
        self.redis.delete(self.key(business, "state", channel, customer))

    # -- records ------------------------------------------------------------------------------
    def save(self, record: Record) -> None:
        """Write a conversation record and index it by time, caller and id."""
        pipe = self.redis.pipeline()
        self._queue_save(pipe, record)
        pipe.execute()

    def _queue_save(self, pipe: Any, record: Record, index: bool = True) -> None:
        business = record["business_key"]
        pipe.set(self.key(business, "conv", record["id"]), json.dumps(record))
        if not index:
            return
        started = parse_iso(record["started_at"])
        score = started.timestamp() if started else 0.0
        pipe.zadd(self.key(business, "convs"), {record["id"]: score})
        pipe.zadd(self.key(business, "phone", record["caller"]), {record["id"]: score})
        pipe.hset(self.global_key("conv-business"), record["id"], business)
        pipe.sadd(self.global_key("businesses"), business)

    def save_turn(self, record: Record, channel: str, customer: str,
                  state: dict[str, Any] | None, ttl: int = STATE_TTL_S, *,
                  index: bool = True) -> None:
        """Save the record and the live state (or drop it: None) in one round trip.

        The hot path of every webhook turn: one pipelined transaction instead of two calls.
        `index=False` skips the indexes (by time, caller, id), which never change after a
        conversation's first save (its start time and caller are fixed).
        """
        business = record["business_key"]
        key = self.key(business, "state", channel, customer)
        pipe = self.redis.pipeline()
        self._queue_save(pipe, record, index)
        if state is None:
            pipe.delete(key)
        else:
            pipe.set(key, json.dumps(state), ex=ttl)
        pipe.execute()

    def update(self, conversation_id: str, change: Callable[[Record], object],
               attempts: int = 20) -> Record | None:
        """Read a record, apply `change` to it and save it, as one optimistic transaction.

        Callbacks about one conversation arrive concurrently (a call's status callback, the
        voicemail's recording callback, conference events); a plain read-modify-write would let
        the slower one overwrite what the faster one wrote. WATCH makes the loser re-read and
        apply its change again. Returns the saved record, or None when it does not exist.
        """
        business = self.redis.hget(self.global_key("conv-business"), conversation_id)
        if business is None:
            return None
        key = self.key(business.decode(), "conv", conversation_id)
        for _ in range(attempts):
            with self.redis.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    if not raw:
                        return None
                    record = json.loads(raw)
                    change(record)
                    pipe.multi()
                    self._queue_save(pipe, record, index=False)
                    pipe.execute()
                    return record
                except redis.WatchError:
                    continue
        raise RuntimeError(f"conversation {conversation_id} kept changing; update not applied")

    def get_record(self, business: str, conversation_id: str) -> Record | None:
        """A record whose business is known (one round trip; `get` must look the business up)."""
        raw = self.redis.get(self.key(business, "conv", conversation_id))
        return json.loads(raw) if raw else None

    def get(self, conversation_id: str) -> Record | None:
        business = self.redis.hget(self.global_key("conv-business"), conversation_id)
        if business is None:
            return None
        raw = self.redis.get(self.key(business.decode(), "conv", conversation_id))
        return json.loads(raw) if raw else None

    def businesses(self) -> list[str]:
        return sorted(b.decode() for b in self.redis.smembers(self.global_key("businesses")))

    def conversations(self, businesses: Iterable[str] | None = None,
                      since: datetime | None = None, until: datetime | None = None,
                      phone: str | None = None) -> list[Record]:
        """Records started in [since, until), oldest first, optionally for one caller."""
        low = since.timestamp() if since else "-inf"
        high = f"({until.timestamp()}" if until else "+inf"
        records: list[Record] = []
        for business in (businesses if businesses is not None else self.businesses()):
            index = self.key(business, "phone", phone) if phone else self.key(business, "convs")
            ids = self.redis.zrangebyscore(index, low, high)
            if not ids:
                continue
            raws = self.redis.mget([self.key(business, "conv", i.decode()) for i in ids])
            records.extend(json.loads(r) for r in raws if r)
        records.sort(key=lambda r: r["started_at"])
        return records

    def delete(self, conversation_id: str) -> None:
        record = self.get(conversation_id)
        if record is None:
            return
        business = record["business_key"]
        pipe = self.redis.pipeline()
        pipe.delete(self.key(business, "conv", conversation_id))
        pipe.zrem(self.key(business, "convs"), conversation_id)
        pipe.zrem(self.key(business, "phone", record["caller"]), conversation_id)
        pipe.hdel(self.global_key("conv-business"), conversation_id)
        pipe.execute()

    # -- live calls (voice turns) -------------------------------------------------------------
    def set_call(self, business: str, call_sid: str, ttl: int = STATE_TTL_S, **fields: Any) -> None:
        """Facts about a live call the web nodes share: current turn, slot, grammar, ..."""
        key = self.key(business, "call", call_sid)
        pipe = self.redis.pipeline(transaction=False)
        pipe.hset(key, mapping={k: json.dumps(v) for k, v in fields.items()})
        pipe.expire(key, ttl)
        pipe.execute()

    def get_call(self, business: str, call_sid: str, *fields: str) -> dict[str, Any]:
        """A live call's facts ({} once it has ended); only `fields` when named (a question's
        grammar is kilobytes of JSON that most readers never look at)."""
        key = self.key(business, "call", call_sid)
        if fields:
            values = self.redis.hmget(key, fields)
            return {k: json.loads(v) for k, v in zip(fields, values, strict=True)
                    if v is not None}
        raw = self.redis.hgetall(key)
        return {k.decode(): json.loads(v) for k, v in raw.items()}

    def claim_turn(self, business: str, call_sid: str, turn: int) -> bool:
        """True for the first answer to question `turn` of a call (keypad or speech); one wins."""
        return self.once(business, f"turn:{call_sid}:{turn}", ttl=STATE_TTL_S)

    def next_turn(self, business: str, call_sid: str, **fields: Any) -> int:
        """Number the next question of a live call (1, 2, ...); atomic across web nodes.

        `fields` (the question's slot, grammar, ...) are stored with it in the same round trip;
        the number itself is stored as `turn` (an integer reads back the same as its JSON).
        """
        key = self.key(business, "call", call_sid)
        pipe = self.redis.pipeline()
        pipe.hincrby(key, "turn", 1)
        if fields:
            pipe.hset(key, mapping={k: json.dumps(v) for k, v in fields.items()})
        pipe.expire(key, STATE_TTL_S)
        return int(pipe.execute()[0])

    def drop_call(self, business: str, call_sid: str) -> None:
        """Forget a live call's facts once it has ended."""
        self.redis.delete(self.key(business, "call", call_sid))
