"""A finished call closes its conversation: abandoned if mid-flow, ended, timed, forgotten.

Twilio's status callback is the only sure sign a caller hung up mid-question (there is no
"hangup" webhook on a Gather). Without it, a half-finished qualification would sit open with
no outcome and the metrics would miss every abandoned call. Callbacks may repeat, so each
(CallSid, CallStatus) acts once.
"""

from __future__ import annotations

import logging

from ivr.config.business import Business
from ivr.conversation.service import Conversations
from ivr.conversation.voice_fallback import closing_outcome
from ivr.handoff.agent_leg import caller_gone
from ivr.handoff.export import enqueue_export
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.records import iso

log = logging.getLogger("ivr.conversation.voice")

#: CallStatus values that mean the call is over.
FINAL_STATUSES = frozenset({"completed", "busy", "failed", "no-answer", "canceled"})


def close_call(runtime: Runtime, business: Business, call_sid: str, status: str,
               duration_s: float | None = None) -> bool:
    """Close the conversation of a finished call. Returns whether anything changed.

    Outcome `abandoned` when the caller left before the flow finished (and was not being
    transferred: the transfer owns that outcome); `ended_at` set once; the call's duration
    recorded in `record["call"]`; the live state and call facts dropped.
    """
    if status not in FINAL_STATUSES:
        return False
    store = runtime.store
    arrival = store.receive(business.key, f"status:{call_sid}:{status}", "voice", call_sid,
                            call_sid=call_sid)
    if not arrival.first:
        return False
    call = arrival.call
    if call.get("phase") == "transfer":  # the hunt may still be ringing someone for them
        try:
            caller_gone(runtime, business.key, call_sid)
        except Exception as exc:  # noqa: BLE001 - the record is still closed below
            event("voice.caller_gone_failed", log, logging.ERROR, business=business.key,
                  sid=call_sid, error=type(exc).__name__)
    current = Conversations.live(arrival.live)
    if current is not None:
        record = current.record
        open_flow = not current.state.done
    else:
        record = store.get_record(business.key, call["record"]) if call.get("record") else None
        open_flow = False
    if record is None:
        store.drop_call(business.key, call_sid)
        return False
    ended = iso(runtime.clock())

    def close(fresh: dict) -> None:
        if open_flow and call.get("phase") != "transfer" and not fresh.get("outcome"):
            fresh["outcome"] = "abandoned"
        fresh["outcome"] = closing_outcome(call, fresh.get("outcome"))
        fresh["ended_at"] = fresh.get("ended_at") or ended
        fresh["call"] = {**(fresh.get("call") or {}), "status": status, "duration_s": duration_s}

    # other callbacks may write too
    record = store.update(record["id"], close, business=business.key) or record
    store.end_call(business.key, call_sid)
    if business.export:  # a call the caller ended has no End action: export it here (once)
        try:
            enqueue_export(runtime, business, record)
        except Exception as exc:  # never into the status callback's answer
            event("export.enqueue_failed", log, logging.ERROR, business=business.key,
                  conversation=record["id"], error=type(exc).__name__)
    event("voice.closed", log, business=business.key, sid=call_sid, status=status,
          outcome=record.get("outcome") or "-", conversation=record["id"])
    return True
