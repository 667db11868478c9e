"""Redis-backed storage: conversation state, records, idempotency keys. Connection passed in.

Keys are namespaced per business (`ivr:{business}:...`) so one Redis serves many businesses and
several web nodes share it. Nothing here knows about Twilio or Flask.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import redis

from ivr.store.records import Record, parse_iso

#: How long an unfinished conversation's state lives without activity.
STATE_TTL_S = 24 * 3600

#: How long an idempotency key (MessageSid, CallSid+turn) is remembered.
ONCE_TTL_S = 7 * 24 * 3600

#: How long a reply is kept for a retried webhook: Twilio retries within seconds or minutes,
#: and a kept reply (kilobytes of TwiML) is most of what Redis holds per turn.
REPLY_TTL_S = 24 * 3600

PREFIX = "ivr"

#: What Twilio's Messaging fallback leaves as a text's kept reply when it came while the
#: Messaging URL was still working on the text (`fallback_reply`): that request learns, as it
#: keeps its reply (`keep_reply`), that Twilio will not deliver its TwiML. Never TwiML, so
#: never mistaken for a reply.
FELL_BACK = "fallback-answered"

#: The Messaging fallback's read of a text already claimed (KEYS[1]: its kept reply): the
#: reply, or, with none yet, the FELL_BACK mark (ARGV[1], for ARGV[2] s) set and false.
_FALLBACK_REPLY = """
local kept = redis.call('GET', KEYS[1])
if kept then return kept end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return false
"""

#: Read a live conversation in one round trip: its state, then the record the state names.
#: (The record's key is derived inside the script, so this suits one Redis, not a cluster.)
_LOAD_LIVE = """
local state = redis.call('GET', KEYS[1])
if not state then return {false, false} end
local id = string.match(state, '"record_id": *"([^"]+)"')
if not id then return {state, false} end
return {state, redis.call('GET', ARGV[1] .. id)}
"""

#: The start of a voice answer's step: claim the answer (first of keypad, speech, silence wins),
#: then settle what follows the question (the step, or a hold that gave up). Returns 0 when
#: another answer won, 1 when claimed but the hold already gave up, 2 when both are ours.
_TAKE_TURN = """
if ARGV[3] == '1' and not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
if not redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then return 1 end
return 2
"""

#: Twilio fell back for a call (KEYS[1]: its facts; KEYS[2]: its live voice state): mark it
#: (`fallback`, phase "transfer"), and name its record: the one it has (its facts', else the
#: one its live state names: a slow Voice URL may have saved it without noting it yet), else
#: ARGV[1] (a JSON id). Returns the JSON id it already had, or false when ARGV[1] is now its.
_FALL_BACK = """
redis.call('HSET', KEYS[1], 'fallback', 'true', 'phase', '"transfer"')
local id = redis.call('HGET', KEYS[1], 'record')
if not id then
  local state = redis.call('GET', KEYS[2])
  local found = state and string.match(state, '"record_id": *"([^"]+)"')
  if found then id = '"' .. found .. '"' end
end
redis.call('HSET', KEYS[1], 'record', id or ARGV[1])
redis.call('EXPIRE', KEYS[1], ARGV[2])
return id or false
"""

#: A Voice URL's write to a call's facts (KEYS[1]), unless Twilio fell back for the call meanwhile
#: (its `fallback` mark): then nothing is written and the record the fallback named is returned
#: (false without one). ARGV[1] the TTL, ARGV[2] '1' to number the next question (HINCRBY turn,
#: returned), then field/value pairs (JSON). Returns {written, turn or record}.
_UNLESS_FELL_BACK = """
if redis.call('HEXISTS', KEYS[1], 'fallback') == 1 then
  return {0, redis.call('HGET', KEYS[1], 'record') or false}
end
local turn = 0
if ARGV[2] == '1' then turn = redis.call('HINCRBY', KEYS[1], 'turn', 1) end
if #ARGV > 2 then redis.call('HSET', KEYS[1], unpack(ARGV, 3)) end
redis.call('EXPIRE', KEYS[1], ARGV[1])
return {1, turn}
"""

#: Save a turn only if the record is still the one the turn read (its SHA-1 is unchanged), so
#: a callback's or job's write in the meantime is never overwritten. Returns 1 saved, 0 changed.
_SAVE_TURN = """
local current = redis.call('GET', KEYS[1])
if not current or redis.sha1hex(current) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[3] == '' then redis.call('DEL', KEYS[2])
else redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4]) end
return 1
"""

#: Save a record (KEYS[1], ARGV[2]) only if it is still the one read (its SHA-1 is ARGV[1]).
#: Returns 1 saved, 0 changed or gone.
_SAVE_IF_UNCHANGED = """
local current = redis.call('GET', KEYS[1])
if not current or redis.sha1hex(current) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2])
return 1
"""

#: A text's arrival in one round trip: count the sender against the rate limit (KEYS[3], when
#: ARGV[1] is '1': a window of ARGV[2] s, the count alone returned once over ARGV[3]), claim the
#: message id (KEYS[1]), then read whether the sender opted out (KEYS[4], member ARGV[5]), the
#: live state (KEYS[2]) and the record it names (prefix ARGV[6]); with no live record, the
#: records the number started since score ARGV[7] (index KEYS[5]; ARGV[7] '': not read).
#: A retry (the id already claimed) reads nothing more. The count costs one command for the
#: window's first contact (SET NX), two after it; the record keys are derived inside, so this
#: suits one Redis, not a cluster.
_ARRIVE = """
local count = 0
if ARGV[1] == '1' then
  if redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[2]) then count = 1
  else count = redis.call('INCR', KEYS[3]) end
  if count > tonumber(ARGV[3]) then return {count, 0} end
end
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[4]) then return {count, 0} end
local opted = redis.call('SISMEMBER', KEYS[4], ARGV[5])
local state = redis.call('GET', KEYS[2])
local record = false
if state then
  local id = string.match(state, '"record_id": *"([^"]+)"')
  if id then record = redis.call('GET', ARGV[6] .. id) end
end
local reply = {count, 1, opted, state, record}
if record or ARGV[7] == '' then return reply end
local ids = redis.call('ZRANGEBYSCORE', KEYS[5], ARGV[7], '+inf')
if #ids == 0 then return reply end
for i, id in ipairs(ids) do ids[i] = ARGV[6] .. id end
for _, raw in ipairs(redis.call('MGET', unpack(ids))) do
  if raw then reply[#reply + 1] = raw end
end
return reply
"""

#: The rate-limit count an arrival takes part in: (the sender's counter key, window s, limit).
Rate = tuple[str, int, int]

#: A stored live conversation: its state dict, its record, and the record's version (SHA-1).
Stored = tuple[dict[str, Any], Record, str]

#: A write queued for later: it adds its commands to the pipeline (or client) it is given.
Write = Callable[[Any], object]


@dataclass(frozen=True)
class Arrival:
    """What an incoming message needs to know before any work, read in one round trip.

    Attributes:
        first: this message id was not seen before (False: a retried webhook).
        opted_out: the sender texted STOP to this business.
        live: the sender's live conversation as stored (state dict, record, version), or None.
        call: the live call's facts, when asked for.
        earlier: with no live conversation, the sender's records started since the time asked
            for (a text's repeat window), oldest first ([] when no time was asked for); None
            with a live one, or when not read.
        count: the sender's contacts in the rate-limit window, when counted with it (else 0).
    """

    first: bool
    opted_out: bool
    live: Stored | None
    call: dict[str, Any]
    earlier: list[Record] | None = None
    count: int = 0


@dataclass(frozen=True)
class TurnStart:
    """What answering a voice question starts with, read in one round trip.

    Attributes:
        claimed: this answer is the first for the question.
        settled: and we decide what follows it (False: the caller stopped holding for it).
        call: the live call's facts asked for ({} once the call has ended).
        live: the call's live conversation as stored (state dict, record, version), or None.
    """

    claimed: bool
    settled: bool
    call: dict[str, Any]
    live: Stored | None


def version_of(raw: bytes) -> str:
    """A stored record's version: the SHA-1 of its bytes (what Redis's `sha1hex` computes)."""
    return hashlib.sha1(raw).hexdigest()  # noqa: S324 - a change detector, not security


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
        self._held = threading.local()

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

    # -- one round trip -----------------------------------------------------------------------
    def batch(self) -> Any:
        """Commands to send together in one round trip (no MULTI/EXEC: nothing here needs the
        commands isolated, only sent at once). The store modules' `queue_*` functions add to
        it; `execute()` sends it and returns their results in order."""
        return self.redis.pipeline(transaction=False)

    # -- a request's closing writes -----------------------------------------------------------
    def hold_writes(self) -> None:
        """Queue this thread's `later` writes until `flush_writes` sends them in one round trip.

        A webhook ends with writes only a later request reads (its reply kept for a retried
        webhook, a text turn's record when nothing queued reads it first): the web app holds
        them for the request and sends them together just before the response leaves.
        """
        self._held.queue = []
        self._held.turn = False

    def holding(self) -> bool:
        """Whether this thread's `later` writes are being held for one closing round trip."""
        return getattr(self._held, "queue", None) is not None

    def holds_a_turn(self) -> bool:
        """Whether the held writes carry a turn's record and state (`save_turn_later`): a
        request holding one sends them inside its view, so Redis failing then reaches the
        view's own failure path instead of losing the turn with only a log line."""
        return bool(getattr(self._held, "turn", False)) and self.holding()

    def later(self, write: Write, then: Callable[[list[Any]], object] | None = None) -> None:
        """Run `write` with the held writes of this thread, or now when none are held; `then`
        is given the results of the commands `write` added, once they are sent."""
        queue: list[tuple[Write, Any]] | None = getattr(self._held, "queue", None)
        if queue is not None:
            queue.append((write, then))
        elif then is None:
            write(self.redis)
        else:
            pipe = self.redis.pipeline(transaction=False)
            write(pipe)
            then(pipe.execute())

    def flush_writes(self) -> None:
        """Send the held writes (one pipeline) and stop holding, then hand each its results;
        raises what Redis raises."""
        queue: list[tuple[Write, Any]] | None = getattr(self._held, "queue", None)
        self._held.queue = None
        self._held.turn = False
        if not queue:
            return
        pipe = self.redis.pipeline(transaction=False)
        spans = []
        for write, then in queue:
            start = len(pipe)
            write(pipe)
            spans.append((then, start, len(pipe)))
        results = pipe.execute()
        for then, start, end in spans:
            if then is not None:
                then(results[start:end])

    def drop_writes(self) -> None:
        """Forget held writes (the request failed before they could be sent)."""
        self._held.queue = None
        self._held.turn = False

    # -- idempotency --------------------------------------------------------------------------
    def once(self, business: str, token: str, ttl: int = ONCE_TTL_S) -> bool:
        """True the first time `token` is seen for this business, False on every retry."""
        return bool(self.redis.set(self.key(business, "once", token), "1", nx=True, ex=ttl))

    def cache_reply(self, business: str, token: str, body: str, ttl: int = REPLY_TTL_S) -> None:
        """Remember the reply given to `token` so a retried webhook gets the same answer
        (with the request's closing writes when they are held)."""
        key = self.key(business, "reply", token)
        self.later(lambda conn: conn.set(key, body, ex=ttl))

    def cached_reply(self, business: str, token: str) -> str | None:
        value = self.redis.get(self.key(business, "reply", token))
        return value.decode() if value is not None and value != FELL_BACK.encode() else None

    def keep_reply(self, business: str, token: str, body: str,
                   overtaken: Callable[[], object], ttl: int = REPLY_TTL_S) -> None:
        """`cache_reply` for a text's reply, learning in the same command (SET … GET: no
        command more on the webhook's path) whether Twilio's Messaging fallback answered the
        text meanwhile (`fallback_reply` left its mark): then `overtaken()` is called once
        the closing writes are sent (Twilio discards the TwiML this request answers), and the
        mark is put back, so a repeated fallback or retry for the text still gets nothing (the
        reply went by REST: a kept TwiML reply would be a second copy)."""
        key = self.key(business, "reply", token)

        def learn(results: list[Any]) -> None:
            if results[0] == FELL_BACK.encode():
                self.redis.set(key, FELL_BACK, ex=ttl)
                overtaken()

        self.later(lambda conn: conn.set(key, body, ex=ttl, get=True), learn)

    def fallback_reply(self, business: str, token: str, ttl: int = REPLY_TTL_S) -> str | None:
        """What Twilio's Messaging fallback answers for a text another request claimed: the
        reply kept for it, or None when that request is still working on it — then the text
        is marked (FELL_BACK, in the same script) so it sends its reply another way
        (`keep_reply`). A second fallback for the text also gets None."""
        kept = self.redis.eval(_FALLBACK_REPLY, 1, self.key(business, "reply", token),
                               FELL_BACK, ttl)
        return kept.decode() if kept and kept != FELL_BACK.encode() else None

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

    def receive(self, business: str, token: str, channel: str, key: str, *,
                sender: str | None = None, call_sid: str | None = None,
                ttl: int = ONCE_TTL_S) -> Arrival:
        """Claim an incoming webhook's id (`once`) and read what its work starts from, in one
        round trip: the live conversation under `key`, whether `sender` opted out of texts,
        and the facts of the live call `call_sid`."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.set(self.key(business, "once", token), "1", nx=True, ex=ttl)
        self._queue_load_live(pipe, business, channel, key)
        if sender is not None:
            pipe.sismember(self.key(business, "optout"), sender)
        if call_sid is not None:
            pipe.hgetall(self.key(business, "call", call_sid))
        first, live, *rest = pipe.execute()
        opted_out = bool(rest.pop(0)) if sender is not None else False
        call = self._all_fields(rest.pop(0)) if call_sid is not None else {}
        return Arrival(bool(first), opted_out, self._live(live), call)

    def queue_arrival(self, batch: Any, business: str, token: str, channel: str, key: str, *,
                      sender: str, since: datetime | None, rate: Rate | None = None,
                      ttl: int = ONCE_TTL_S) -> Any:
        """Queue a text's arrival on `batch` (or run it now, given the connection): count
        `sender` against `rate` (`ivr.store.ratelimit.inbound_rate`), claim `token`, and read
        what the turn starts from (opt-out, live conversation under `key`, and with none the
        sender's records since `since`, for the repeat window). Over the limit, or a retry,
        nothing is claimed or read. `arrival_of` turns its result into an `Arrival`."""
        # without a rate, KEYS[3] is only a placeholder the script never touches
        counter, window, limit = rate if rate is not None else ("", 0, 0)
        keys = (self.key(business, "once", token), self.key(business, "state", channel, key),
                counter or self.key(business, "once", token), self.key(business, "optout"),
                self.key(business, "phone", sender))
        return batch.eval(_ARRIVE, len(keys), *keys, "1" if rate else "0", window, limit, ttl,
                          sender, self.key(business, "conv", ""),
                          "" if since is None else repr(since.timestamp()))

    def arrive(self, business: str, token: str, channel: str, key: str, *, sender: str,
               since: datetime | None, rate: Rate | None = None) -> Arrival:
        """`queue_arrival` in a round trip of its own (a text the door did not read ahead)."""
        return self.arrival_of(self.queue_arrival(self.redis, business, token, channel, key,
                                                  sender=sender, since=since, rate=rate))

    def arrival_of(self, found: list[Any]) -> Arrival:
        """The `Arrival` a `queue_arrival` result says (only `count` when over the limit)."""
        count, first = int(found[0]), bool(found[1])
        if not first:
            return Arrival(False, False, None, {}, None, count)
        opted, state, record, *earlier = found[2:]
        live = self._live((state, record))
        return Arrival(True, bool(opted), live, {},
                       None if live is not None else [json.loads(raw) for raw in earlier], count)

    # -- live conversation state --------------------------------------------------------------
    def load_live(self, business: str, channel: str, key: str) -> Stored | None:
        """The live conversation under `key` as stored (state dict, record, version), in one
        round trip; None when there is none (or its record is gone)."""
        return self._live(self._queue_load_live(self.redis, business, channel, key))

    def _queue_load_live(self, conn: Any, business: str, channel: str, key: str) -> Any:
        return conn.eval(_LOAD_LIVE, 1, self.key(business, "state", channel, key),
                         self.key(business, "conv", ""))

    @staticmethod
    def _live(found: Any) -> Stored | None:
        state, record = found
        if not state or not record:
            return None
        return json.loads(state), json.loads(record), version_of(record)

    def get_state(self, business: str, channel: str, customer: str) -> dict[str, Any] | None:
        raw = self.redis.get(self.key(business, "state", channel, customer))
        return json.loads(raw) if raw else None

    def drop_state(self, business: str, channel: str, customer: str) -> None:
        self.redis.delete(self.key(business, "state", channel, customer))

    # -- records ------------------------------------------------------------------------------
    def save(self, record: Record) -> None:
        """Write a conversation record and index it by time, caller and id."""
        pipe = self.redis.pipeline()
        self._queue_save(pipe, record)
        pipe.execute()

    def _queue_save(self, pipe: Any, record: Record, index: bool = True,
                    body: str | None = None) -> None:
        business = record["business_key"]
        pipe.set(self.key(business, "conv", record["id"]), body or json.dumps(record))
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
                  index: bool = True, version: str | None = None) -> bool:
        """Save the record and the live state (or drop it: None) in one round trip.

        The hot path of every webhook turn: one pipelined transaction instead of two calls.
        `index=False` skips the indexes (by time, caller, id), which never change after a
        conversation's first save (its start time and caller are fixed). With `version` (the
        record's as the turn read it) nothing is saved if the record changed meanwhile (a
        callback or job wrote to it): returns False, and the turn re-reads and re-applies.
        """
        business = record["business_key"]
        key = self.key(business, "state", channel, customer)
        if version is not None:
            return bool(self.redis.eval(
                _SAVE_TURN, 2, self.key(business, "conv", record["id"]), key, version,
                json.dumps(record), "" if state is None else json.dumps(state), ttl))
        pipe = self.redis.pipeline()
        self._queue_save(pipe, record, index)
        if state is None:
            pipe.delete(key)
        else:
            pipe.set(key, json.dumps(state), ex=ttl)
        pipe.execute()
        return True

    def save_turn_later(self, record: Record, channel: str, customer: str,
                        state: dict[str, Any] | None, settled: Callable[[bool], object], *,
                        ttl: int = STATE_TTL_S, index: bool = True, version: str | None = None,
                        drop: bool = True) -> None:
        """`save_turn` with the request's closing writes (one round trip with the reply kept
        for retries), for a turn nothing else reads before the response leaves; `settled`
        gets what `save_turn` would return once they are sent (False: the record changed
        meanwhile, re-read and re-apply). `drop=False` leaves a missing state alone (a new
        conversation that ended in its first turn never had one)."""
        business = record["business_key"]
        key = self.key(business, "state", channel, customer)
        body = json.dumps(record)
        live = "" if state is None else json.dumps(state)

        def write(pipe: Any) -> None:
            if version is not None:
                pipe.eval(_SAVE_TURN, 2, self.key(business, "conv", record["id"]), key,
                          version, body, live, ttl)
                return
            self._queue_save(pipe, record, index, body)
            if live:
                pipe.set(key, live, ex=ttl)
            elif drop:
                pipe.delete(key)

        self._held.turn = self.holding()
        self.later(write, lambda results: settled(version is None or bool(results[0])))

    @staticmethod
    def version_as_read(record: Record) -> str:
        """The version of a record read whole from the store (an arrival's `earlier`): the
        SHA-1 of the bytes this store writes for it. A record stored any other way has other
        bytes, and a save against this version then finds it changed (never a lost write)."""
        return version_of(json.dumps(record).encode())

    def save_record_later(self, record: Record, version: str,
                          settled: Callable[[bool], object]) -> None:
        """Save a changed record with the request's closing writes (one round trip with the
        reply), unless the stored one is no longer `version` (changed or deleted meanwhile):
        `settled` gets whether it was saved, and on False the caller re-reads and applies its
        change again (`update`). Its indexes are untouched (they never change after the
        first save)."""
        key = self.key(record["business_key"], "conv", record["id"])
        body = json.dumps(record)
        self.later(lambda pipe: pipe.eval(_SAVE_IF_UNCHANGED, 1, key, version, body),
                   lambda results: settled(bool(results[0])))

    def update(self, conversation_id: str, change: Callable[[Record], object],
               attempts: int = 20, *, business: str | None = None) -> Record | None:
        """Read a record, apply `change` to it and save it, as one optimistic transaction.

        Callbacks about one conversation arrive concurrently (a call's status callback, the
        voicemail's recording callback, conference events); a plain read-modify-write would let
        the slower one overwrite what the faster one wrote. WATCH makes the loser re-read and
        apply its change again. Returns the saved record, or None when it does not exist.
        `business`, when the caller knows it, saves looking it up.
        """
        if business is None:
            found = self.redis.hget(self.global_key("conv-business"), conversation_id)
            if found is None:
                return None
            business = found.decode()
        key = self.key(business, "conv", conversation_id)
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
        found = self.get_versioned(business, conversation_id)
        return found[0] if found else None

    def get_versioned(self, business: str, conversation_id: str) -> tuple[Record, str] | None:
        """A record and its version, for a `save_turn` that must not overwrite others' writes."""
        raw = self.redis.get(self.key(business, "conv", conversation_id))
        return (json.loads(raw), version_of(raw)) if raw else None

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
    def set_call(self, business: str, call_sid: str, ttl: int = STATE_TTL_S, *,
                 later: bool = False, **fields: Any) -> None:
        """Facts about a live call the web nodes share: current turn, slot, grammar, ...
        (`later`: with the request's closing writes, for facts only later requests read)."""
        key = self.key(business, "call", call_sid)
        mapping = {k: json.dumps(v) for k, v in fields.items()}

        def write(conn: Any) -> None:
            pipe = conn if later else conn.pipeline(transaction=False)
            pipe.hset(key, mapping=mapping)
            pipe.expire(key, ttl)
            if not later:
                pipe.execute()

        if later:
            self.later(write)
        else:
            write(self.redis)

    def get_call(self, business: str, call_sid: str, *fields: str) -> dict[str, Any]:
        """A live call's facts ({} once it has ended); only `fields` when named (a question's
        grammar is kilobytes of JSON that most readers never look at)."""
        key = self.key(business, "call", call_sid)
        if fields:
            return self._fields(fields, self.redis.hmget(key, fields))
        return self._all_fields(self.redis.hgetall(key))

    @staticmethod
    def _all_fields(raw: dict[bytes, bytes]) -> dict[str, Any]:
        return {k.decode(): json.loads(v) for k, v in raw.items()}

    @staticmethod
    def _fields(fields: Iterable[str], values: list[Any]) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in zip(fields, values, strict=True) if v is not None}

    def claim_turn(self, business: str, call_sid: str, turn: int) -> bool:
        """True for the first answer to question `turn` of a call (keypad or speech); one wins."""
        return self.once(business, f"turn:{call_sid}:{turn}", ttl=STATE_TTL_S)

    def settle_turn(self, business: str, call_sid: str, turn: int) -> bool:
        """True for the first to decide what follows question `turn`: the answer's step, or
        giving up on a hold that lasted too long (the other must leave the call alone)."""
        return self.once(business, f"settle:{call_sid}:{turn}")

    def start_turn(self, business: str, call_sid: str, turn: int, fields: tuple[str, ...], *,
                   claim: bool = True) -> TurnStart:
        """Claim an answer to question `turn` (unless already claimed: `claim=False`), settle
        what follows it, and read the call's `fields` and live conversation: one round trip."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.eval(_TAKE_TURN, 2, self.key(business, "once", f"turn:{call_sid}:{turn}"),
                  self.key(business, "once", f"settle:{call_sid}:{turn}"), STATE_TTL_S,
                  ONCE_TTL_S, "1" if claim else "0")
        pipe.hmget(self.key(business, "call", call_sid), fields)
        self._queue_load_live(pipe, business, "voice", call_sid)
        taken, values, live = pipe.execute()
        return TurnStart(claimed=int(taken) > 0, settled=int(taken) == 2,
                         call=self._fields(fields, values), live=self._live(live))

    def number_question(self, business: str, call_sid: str, after: int | None,
                        **fields: Any) -> int:
        """Number the next question of a live call and store its `fields` (slot, grammar...).

        `after` is the call's current turn as read when this step's answer was claimed: a
        claim lets one step at a time run per call, so `after + 1` is this step's to take,
        and it is written with the request's closing writes (read only once the caller hears
        the question). Unknown (a new call): numbered atomically now with `next_turn`.
        Neither is written once Twilio fell back for the call (`fall_back`): a slow Voice URL
        must not mark a caller who is with a person as "asking"; 0 is returned then (or, for
        the closing write, the question is simply not noted).
        """
        if after is None:
            return self.next_turn(business, call_sid, **fields)
        key = self.key(business, "call", call_sid)
        pairs = self._pairs(turn=after + 1, **fields)
        self.later(lambda conn: conn.eval(_UNLESS_FELL_BACK, 1, key, STATE_TTL_S, "0", *pairs))
        return after + 1

    def next_turn(self, business: str, call_sid: str, **fields: Any) -> int:
        """Number the next question of a live call (1, 2, ...); atomic across web nodes.

        `fields` (the question's slot, grammar, ...) are stored with it in the same round trip;
        the number itself is stored as `turn` (an integer reads back the same as its JSON).
        0, and nothing written, when Twilio fell back for the call (`fall_back`).
        """
        key = self.key(business, "call", call_sid)
        written, turn = self.redis.eval(_UNLESS_FELL_BACK, 1, key, STATE_TTL_S, "1",
                                        *self._pairs(**fields))
        return int(turn) if written else 0

    def keep_call(self, business: str, call_sid: str, **fields: Any) -> str | None:
        """A Voice URL's facts about its call (its record, ...), written unless Twilio fell
        back for the call meanwhile; then the id of the record the fallback named is returned
        (the caller is with a person: the late Voice URL must change nothing)."""
        written, record = self.redis.eval(_UNLESS_FELL_BACK, 1,
                                          self.key(business, "call", call_sid), STATE_TTL_S,
                                          "0", *self._pairs(**fields))
        if written:
            return None
        return json.loads(record) if record else ""

    def fall_back(self, business: str, call_sid: str, record_id: str) -> str | None:
        """Twilio fell back for this call: mark it so a late Voice URL changes nothing
        (`keep_call`, `next_turn`, `number_question` check the mark), its phase "transfer",
        and name its record. Returns the id of the record it already had (a slow Voice URL's),
        or None when `record_id` is now its record (the caller must write it)."""
        found = self.redis.eval(_FALL_BACK, 2, self.key(business, "call", call_sid),
                                self.key(business, "state", "voice", call_sid),
                                json.dumps(record_id), STATE_TTL_S)
        return json.loads(found) if found else None

    @staticmethod
    def _pairs(**fields: Any) -> list[str]:
        return [part for k, v in fields.items() for part in (k, json.dumps(v))]

    def open_call(self, business: str, call_sid: str, token: str, **fields: Any
                  ) -> tuple[str | None, Stored | None]:
        """A new call's first round trip: note its `fields`, and read the reply kept under
        `token` (a retried webhook) and any live conversation under the CallSid."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.get(self.key(business, "reply", token))
        key = self.key(business, "call", call_sid)
        pipe.hset(key, mapping={k: json.dumps(v) for k, v in fields.items()})
        pipe.expire(key, STATE_TTL_S)
        self._queue_load_live(pipe, business, "voice", call_sid)
        cached, _, _, live = pipe.execute()
        return (cached.decode() if cached is not None else None), self._live(live)

    def drop_call(self, business: str, call_sid: str) -> None:
        """Forget a live call's facts once it has ended."""
        self.redis.delete(self.key(business, "call", call_sid))

    def end_call(self, business: str, call_sid: str) -> None:
        """Forget a finished call's live state and facts (with the request's closing writes)."""
        keys = (self.key(business, "state", "voice", call_sid),
                self.key(business, "call", call_sid))
        self.later(lambda conn: conn.delete(*keys))
