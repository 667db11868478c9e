"""SMS opt-outs: a texter's STOP closes their conversation and silences us until START.

Carriers (and Twilio, which blocks the texts itself and sends the confirmation) require that a
number which texted STOP gets nothing more from that sender. We keep our own flag per business as
well, so `outbound.send_sms` refuses before Twilio would, and the record shows `opted_out` for the
review. Works without the flow core: a STOP must be honoured even when a flow file is broken.
"""

from __future__ import annotations

import logging

from ivr.config.business import Business
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.records import Record, add_turn, iso, new_conversation

log = logging.getLogger("ivr.store.optout")

CHANNEL = "sms"


def opt_out(runtime: Runtime, business: Business, phone: str, text: str,
            sid: str | None = None) -> Record:
    """Flag `phone` as opted out and close its SMS conversation with outcome `opted_out`.

    The live conversation, if any, is ended; otherwise a one-line record is written so the
    opt-out shows up in the API and the monthly review.
    """
    runtime.store.set_opted_out(business.key, phone)
    record = _close(runtime, business, phone, text, sid)
    event("sms.opted_out", log, business=business.key, conversation=record["id"],
          sid=sid or "-")
    return record


def opted_out_at_carrier(runtime: Runtime, business: Business, phone: str) -> Record:
    """Twilio refused a text to `phone` with 21610: they opted out where we never saw it (a
    STOP while our webhook was down, or to another business on the number). Flag it and close
    their conversation as `opted_out`, as their own STOP would have: the owner's review must
    not show a conversation still open with someone the law says we may not text."""
    runtime.store.set_opted_out(business.key, phone)
    record = _close(runtime, business, phone, None, None)
    event("sms.opted_out", log, business=business.key, conversation=record["id"],
          via="carrier")
    return record


def _close(runtime: Runtime, business: Business, phone: str, text: str | None,
           sid: str | None) -> Record:
    """End `phone`'s live SMS conversation (else open a one-line record) as `opted_out`."""
    store = runtime.store
    now = runtime.clock()
    record = _live_record(runtime, business, phone)
    if record is None:
        record = new_conversation(business=business.name, business_key=business.key,
                                  channel=CHANNEL, caller=phone, flow=business.flow_name,
                                  now=now, sid=sid)
    elif sid and sid not in record["sids"]:
        record["sids"].append(sid)
    if text is not None:
        add_turn(record, "caller", text, now)
    record["outcome"] = "opted_out"
    record["ended_at"] = iso(now)
    store.save(record)
    store.drop_state(business.key, CHANNEL, phone)
    return record


def opt_in(runtime: Runtime, business: Business, phone: str, sid: str | None = None) -> None:
    """Lift the opt-out: `phone` texted START (or UNSTOP, YES) to this business."""
    runtime.store.set_opted_out(business.key, phone, False)
    event("sms.opted_in", log, business=business.key, sid=sid or "-")


def _live_record(runtime: Runtime, business: Business, phone: str) -> Record | None:
    live = runtime.store.load_live(business.key, CHANNEL, phone)
    return live[1] if live else None
