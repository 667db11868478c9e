"""Twilio's fallback request: the number's Voice URL failed (an error, or no answer within
Twilio's 15 s), so Twilio asks `/voice/fallback` (with `ErrorCode` and `ErrorUrl`) what to do.

The fallback rings the on-call people directly (`voice_handoff.human_verbs`), needing no flow.
The call must still count: it is on the dashboard and in the metrics with what happened to the
caller. So the fallback opens its record — or adopts the one a slow Voice URL started — and the
call closes as `transferred` when a person talked with the caller, `escalated` when nobody
could be reached (they were promised a call back, as when a warm transfer finds nobody), else
`abandoned` (they hung up while it rang).

A slow Voice URL may still be running when the fallback comes, and finish after it. The
fallback wins: it marks the call in the store (`Store.fall_back`), and every write of the
Voice URL's that would move the call on (its record, its first question's number and phase)
checks the mark first (`Store.keep_call`, `next_turn`), so a late greeting changes nothing
(`overtaken`): no second record, no caller marked as "asking a question" while they talk to a
person, no close as `abandoned`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ivr.config.business import Business
from ivr.conversation.service import flow_for
from ivr.conversation.voice_handoff import human_twiml
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.records import Record, add_turn, new_conversation
from ivr.twilio.twiml import CONNECTING

log = logging.getLogger("ivr.conversation.voice")


def fell_back(runtime: Runtime, business: Business, call_sid: str, caller: str,
              error_code: str) -> None:
    """Twilio fell back for this call: mark it, so a late Voice URL changes nothing, and give
    it a record that says the caller was put through to a person (the slow Voice URL's, when
    it got that far, else a new one). A store that fails here is logged: the caller is rung
    through all the same."""
    event("voice.fallback", log, logging.WARNING, business=business.key, sid=call_sid,
          error=error_code or "-")
    store = runtime.store
    now = runtime.clock()
    try:
        record = new_conversation(business=business.name, business_key=business.key,
                                  channel="voice", caller=caller or "anonymous",
                                  flow=flow_for(business).name, now=now, sid=call_sid)
        had = store.fall_back(business.key, call_sid, record["id"])
        if had is None:
            add_turn(record, "bot", CONNECTING, now)
            record["route"] = "human"
            store.save(record)
        else:
            store.update(had, lambda r: add_turn(r, "bot", CONNECTING, now),
                         business=business.key)
    except Exception as exc:  # noqa: BLE001 - the caller must still reach a person
        event("voice.fallback_record_failed", log, logging.ERROR, business=business.key,
              sid=call_sid, error=type(exc).__name__)


def overtaken(runtime: Runtime, business: Business, call_sid: str, mine: str,
              base: str) -> str:
    """The late Voice URL's end when Twilio fell back meanwhile: its record `mine` is dropped
    unless the fallback adopted it (then kept, with the fallback's outcome to come), its live
    state too (the flow will not go on), and its TwiML is what the fallback answered (Twilio
    discards it: it stopped waiting)."""
    store = runtime.store
    theirs = store.get_call(business.key, call_sid, "record").get("record")
    store.drop_state(business.key, "voice", call_sid)
    if theirs != mine:
        store.delete(mine)
    event("voice.overtaken", log, logging.WARNING, business=business.key, sid=call_sid,
          kept=theirs == mine)
    return human_twiml(runtime, business, base)


def _set_outcome(runtime: Runtime, business: Business, call_sid: str,
                 change: Callable[[Record], object]) -> None:
    """Change the call's record, if it has one; a store that fails is logged, never raised:
    the direct line needs no Redis, and the caller's next step must not depend on it."""
    try:
        record_id = runtime.store.get_call(business.key, call_sid, "record").get("record")
        if record_id:
            runtime.store.update(record_id, change, business=business.key)
    except Exception as exc:  # noqa: BLE001 - the call goes on without its record
        event("voice.fallback_record_failed", log, logging.ERROR, business=business.key,
              sid=call_sid, error=type(exc).__name__)


def talked(runtime: Runtime, business: Business, call_sid: str) -> None:
    """The person the fallback rang talked with the caller: their conversation was transferred
    to a person (whatever the flow had made of it; its qualification stays)."""
    def transferred(record: Record) -> None:
        record["outcome"] = "transferred"

    _set_outcome(runtime, business, call_sid, transferred)


def nobody(runtime: Runtime, business: Business, call_sid: str) -> None:
    """Everyone the fallback rang missed the call; the caller is told we will call back: an
    escalation nobody took, as when a warm transfer finds nobody (unless someone talked)."""
    def escalated(record: Record) -> None:
        if record.get("outcome") != "transferred":
            record["outcome"] = "escalated"

    _set_outcome(runtime, business, call_sid, escalated)


def closing_outcome(call: dict[str, object], outcome: str | None) -> str | None:
    """The outcome a fallen-back call closes with (`call`: its facts): a caller who hung up
    before anyone talked with them or said we would call back abandoned the call."""
    if call.get("fallback") and outcome not in ("transferred", "escalated"):
        return "abandoned"
    return outcome
