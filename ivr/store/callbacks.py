"""Callback tasks: the leads captured for a person to call back, stored in Redis.

One task per conversation (queueing the same conversation again updates its task), so an
after-hours follow-up and a missed transfer never become two calls to the same customer. The
API (`/api/callbacks`), the dashboard and the morning digest all read these functions.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from ivr.store.conversations import Store
from ivr.store.records import Record, iso, parse_iso

Status = Literal["open", "done"]
STATUSES: tuple[Status, ...] = ("open", "done")

#: How long a finished task stays listed under `status=done`.
DONE_TTL_S = 90 * 24 * 3600

Callback = dict[str, Any]


def callback_id(conversation_id: str) -> str:
    """The task id of a conversation's callback ('CB' + the conversation's hex)."""
    return "CB" + conversation_id.removeprefix("CV")


def _key(store: Store, business: str, cid: str) -> str:
    return store.key(business, "callback", cid)


def _index(store: Store, business: str, status: str) -> str:
    return store.key(business, "callbacks", status)


def _undigested(store: Store, business: str) -> str:
    """Open tasks no digest has listed yet: what the next digest reads, so its cost follows
    the new leads, not every open task the business has not closed."""
    return store.key(business, "callbacks", "undigested")


def upsert_callback(store: Store, record: Record, *, summary: str, skill: str, due_at: datetime,
                    due_text: str, now: datetime, reason: str = "follow_up") -> Callback:
    """Create the conversation's open callback task, or refresh the open one it already has.

    A task already marked done stays done (the customer was called back).
    """
    business = record["business_key"]
    cid = callback_id(record["id"])
    existing = get_callback(store, cid)
    if existing is not None and existing["status"] == "done":
        return existing
    task: Callback = existing or {
        "id": cid, "business": record["business"], "business_key": business,
        "conversation": record["id"], "caller": record["caller"], "channel": record["channel"],
        "status": "open", "created_at": iso(now), "digested_at": None, "done_at": None,
        "done_by": None, "note": None, "reasons": [],
    }
    task.update(summary=summary, skill=skill, due_at=iso(due_at), due_text=due_text,
                bucket=record.get("bucket"), slots=dict(record.get("slots") or {}))
    if reason not in task["reasons"]:
        task["reasons"].append(reason)
    created = parse_iso(task["created_at"]) or now
    pipe = store.redis.pipeline()
    pipe.set(_key(store, business, cid), json.dumps(task))
    pipe.zadd(_index(store, business, "open"), {cid: created.timestamp()})
    if not task.get("digested_at"):
        pipe.zadd(_undigested(store, business), {cid: created.timestamp()})
    pipe.hset(store.global_key("callback-business"), cid, business)
    pipe.execute()
    return task


def get_callback(store: Store, cid: str) -> Callback | None:
    """One task by id, whichever business it belongs to."""
    business = store.redis.hget(store.global_key("callback-business"), cid)
    if business is None:
        return None
    raw = store.redis.get(_key(store, business.decode(), cid))
    return json.loads(raw) if raw else None


def _save(store: Store, task: Callback) -> None:
    store.redis.set(_key(store, task["business_key"], task["id"]), json.dumps(task))


def list_callbacks(store: Store, business: str | None = None,
                   status: Status = "open") -> list[Callback]:
    """Tasks of one business (its key) or of all, oldest first.

    Raises:
        ValueError: `status` is not 'open' or 'done'.
    """
    if status not in STATUSES:
        raise ValueError(f"status: 'open' or 'done', not {status!r}")
    keys = [business] if business else store.businesses()
    tasks: list[Callback] = []
    for key in keys:
        ids = [i.decode() for i in store.redis.zrange(_index(store, key, status), 0, -1)]
        if not ids:
            continue
        raws = store.redis.mget([_key(store, key, i) for i in ids])
        tasks.extend(json.loads(r) for r in raws if r)
    tasks.sort(key=lambda t: t["created_at"])
    return tasks


def mark_done(store: Store, cid: str, now: datetime, *, by: str | None = None,
              note: str | None = None) -> Callback | None:
    """Mark a task done (idempotent: a second call changes nothing). None if no such task."""
    task = get_callback(store, cid)
    if task is None:
        return None
    if task["status"] == "done":
        return task
    task.update(status="done", done_at=iso(now), done_by=by, note=note)
    business = task["business_key"]
    pipe = store.redis.pipeline()
    pipe.set(_key(store, business, cid), json.dumps(task), ex=DONE_TTL_S)
    pipe.zrem(_index(store, business, "open"), cid)
    pipe.zrem(_undigested(store, business), cid)
    pipe.zadd(_index(store, business, "done"), {cid: now.timestamp()})
    pipe.zremrangebyscore(_index(store, business, "done"), 0, now.timestamp() - DONE_TTL_S)
    pipe.execute()
    return task


def delete_callback(store: Store, business: str, cid: str) -> bool:
    """Forget a task everywhere (retention: it holds the caller's number and what they
    wanted). True when there was one."""
    pipe = store.redis.pipeline()
    pipe.delete(_key(store, business, cid))
    for status in STATUSES:
        pipe.zrem(_index(store, business, status), cid)
    pipe.zrem(_undigested(store, business), cid)
    pipe.hdel(store.global_key("callback-business"), cid)
    return bool(pipe.execute()[0])


def waiting_for_digest(store: Store, business: str) -> list[Callback]:
    """The business's open tasks that no digest has listed yet, oldest first."""
    ids = [i.decode() for i in store.redis.zrange(_undigested(store, business), 0, -1)]
    if not ids:
        return []
    raws = store.redis.mget([_key(store, business, i) for i in ids])
    tasks = [json.loads(raw) for raw in raws if raw]
    return [t for t in tasks if t["status"] == "open" and not t.get("digested_at")]


def mark_digested(store: Store, tasks: list[Callback], now: datetime) -> None:
    """Note that these open tasks went out in a digest (the next digest skips them).

    One transaction over the tasks' keys, so a task marked done meanwhile stays done."""
    if not tasks:
        return
    business = tasks[0]["business_key"]
    keys = [_key(store, business, task["id"]) for task in tasks]

    def mark(pipe) -> None:
        raws = pipe.mget(keys)
        pipe.multi()
        for task, raw in zip(tasks, raws, strict=True):
            pipe.zrem(_undigested(store, business), task["id"])  # listed, or gone meanwhile
            fresh = json.loads(raw) if raw else None
            if fresh is None:
                continue
            if fresh["status"] == "open" and not fresh.get("digested_at"):
                fresh["digested_at"] = iso(now)
                pipe.set(_key(store, business, fresh["id"]), json.dumps(fresh))

    store.redis.transaction(mark, *keys)


# -- the mark of a digest queued at once (`ivr.handoff.followups.notify_now`) -------------------
def _digest_queued(store: Store, business: str) -> str:
    return store.key(business, "digest-queued")


def mark_digest_queued(store: Store, business: str, cid: str, ttl_s: int) -> bool:
    """Mark that a digest is queued for the business because of task `cid`; False when one
    was marked already (and the mark has not expired: `ttl_s` bounds a lost job's delay)."""
    return bool(store.redis.set(_digest_queued(store, business), cid, nx=True, ex=ttl_s))


def clear_digest_queued(store: Store, business: str) -> None:
    """Clear the mark: the digest is reading the waiting tasks (or was never queued)."""
    store.redis.delete(_digest_queued(store, business))
