"""Texting on-call staff the written summary when a conversation needs a person.

The value of the product is the handoff: the person who takes over gets the summary, the
customer's number and the conversation id, so the customer never repeats themselves. On SMS a
`Transfer` is answered by a person texting or calling back; the call bridge (TRANSFER) and the
voice warm transfer are other effects. `NotifyStaff` texts on either channel.
"""

from __future__ import annotations

import logging
from datetime import datetime

from ivr.business import Business, Staff
from ivr.flow.actions import Action, NotifyStaff, Transfer
from ivr.logs import event
from ivr.oncall import on_call
from ivr.outbound import send_sms
from ivr.records import Record, iso
from ivr.runtime import Runtime

log = logging.getLogger("ivr.notify")

#: Longest staff text; the conversation id and number always fit after the summary.
MAX_SUMMARY_CHARS = 1200


def on_call_staff(business: Business, skill: str, now: datetime) -> list[Staff]:
    """Who may hear about it, in hunt order at `now` (people with `skill` first)."""
    return [entry.staff for entry in on_call(business, now, skill or None)]


def staff_text(business: Business, record: Record, summary: str) -> str:
    """The text a staff member receives: who, what, and where to read the whole conversation."""
    summary = " ".join(summary.split())
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[:MAX_SUMMARY_CHARS].rstrip() + "…"
    via = "texted" if record.get("channel") == "sms" else "called"
    who = "" if record["caller"] in summary else f"{record['caller']} {via}: "
    return f"[{business.name}] {who}{summary}\nConversation {record['id']}"


def _needs_text(action: Action, channel: str) -> bool:
    return isinstance(action, NotifyStaff) or (isinstance(action, Transfer) and channel == "sms")


def notify_staff_by_text(runtime: Runtime, business: Business, record: Record,
                         actions: list[Action], turn) -> None:
    """Effect: text the on-call person for each `NotifyStaff` (and each `Transfer` on SMS).

    The first person in the hunt order whose phone takes the text gets it (a refused number
    moves on to the next). Tells the channel who was reached through `turn.meta["handoff"]`
    (a staff name), notes the text in `record["notified"]`, and never raises: when nobody
    could be texted it is logged and the customer is promised "our team" instead of a name.
    """
    channel = record.get("channel", "sms")
    wanted = [a for a in actions if _needs_text(a, channel)]
    if not wanted:
        return
    now = runtime.clock()
    step = len(record["transcript"])
    for index, action in enumerate(wanted):
        key = f"notify:{record['id']}:{step}:{index}"
        body = staff_text(business, record, action.summary)  # type: ignore[union-attr]
        for person in on_call_staff(business, action.skill, now):  # type: ignore[union-attr]
            try:
                sid = send_sms(runtime, business.key, person.phone, body, idempotency_key=key)
            except Exception as exc:  # a staff text must never break the customer's reply
                event("notify.failed", log, logging.WARNING, business=business.key,
                      conversation=record["id"], staff=person.name, error=type(exc).__name__)
                continue
            if sid is not None:  # None: this step was already texted (a retried webhook)
                record.setdefault("notified", []).append(
                    {"staff": person.name, "phone": person.phone, "sid": sid, "at": iso(now)})
                event("notify.sent", log, business=business.key, conversation=record["id"],
                      staff=person.name, sid=sid)
            turn.meta["handoff"] = person.name
            break
        else:
            event("notify.nobody", log, logging.ERROR, business=business.key,
                  conversation=record["id"])
    runtime.store.save(record)
