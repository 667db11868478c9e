"""Did the call need a person? The accepting agent's answer, by keypress or text reply.

Escalation accuracy (DESIGN.md metrics) is "escalations the accepting staff member confirmed
as needed / escalations with feedback". The agent is asked on the phone when the conversation
ends (press 1 or 2) and, when they hung up before answering, by text ("Reply Y or N"); a Y/N
text from a staff number with a question outstanding is taken here before the SMS flow sees it.
"""

from __future__ import annotations

import logging
import re

from ivr.business import Business
from ivr.hunt import Hunt, Hunts
from ivr.idempotency import EffectPending
from ivr.logs import event
from ivr.outbound import send_sms
from ivr.records import iso
from ivr.runtime import Runtime

log = logging.getLogger("ivr.feedback")

QUESTION = "Did this call need you? Reply Y or N."
_YES = re.compile(r"^\s*(y|yes|yep|yeah|1)\W*$", re.IGNORECASE)
_NO = re.compile(r"^\s*(n|no|nope|2)\W*$", re.IGNORECASE)


def parse_answer(body: str) -> bool | None:
    """'Y', 'yes!', '1' -> True; 'N', 'no', '2' -> False; anything else -> None."""
    if _YES.match(body):
        return True
    if _NO.match(body):
        return False
    return None


def record_feedback(runtime: Runtime, record_id: str, needed: bool, by: str) -> bool:
    """Store record["feedback"]; the first answer wins (a keypress then a text reply)."""
    record = runtime.store.get(record_id)
    if record is None or record.get("feedback"):
        return False
    record["feedback"] = {"needed": needed, "by": by, "at": iso(runtime.clock())}
    runtime.store.save(record)
    event("transfer.feedback", log, business=record["business_key"], conversation=record_id,
          needed=needed)
    return True


def conversation_link(runtime: Runtime, record_id: str) -> str:
    from ivr.transfer import public_base

    return f"{public_base(runtime)}/dashboard/conversations/{record_id}"


def text_accepted_agent(runtime: Runtime, hunt: Hunt) -> None:
    """Text the person who took it the written summary and a link to the conversation.

    The summary goes out under the same claim as the staff text (`ivr.notify.summary_key`):
    when that text reached them first, or is being sent right now, they get only the link, so
    nobody gets the same summary twice, whichever of the two happens first.
    """
    from ivr.notify import summary_key
    from ivr.whisper import written_summary

    person = hunt.current
    record = runtime.store.get(hunt.record_id)
    if person is None or record is None:
        return
    phone, link = person["phone"], conversation_link(runtime, record["id"])
    try:
        try:
            sent = send_sms(runtime, hunt.business, phone,
                            written_summary(record, hunt.summary, link),
                            idempotency_key=summary_key(record["id"], phone))
        except EffectPending:  # the staff-text job is sending them the summary this moment
            sent = None
        if sent is None:
            send_sms(runtime, hunt.business, phone,
                     f"You took {record['caller']}'s conversation. Full details: {link}",
                     idempotency_key=f"transfer-accepted:{hunt.id}")
    except Exception as exc:
        event("transfer.summary_text_failed", log, logging.WARNING, business=hunt.business,
              hunt=hunt.id, error=type(exc).__name__)


def ask_by_text(runtime: Runtime, hunt: Hunt) -> None:
    """After the call, text the person who took it the feedback question (unless answered)."""
    person = hunt.current
    record = runtime.store.get(hunt.record_id)
    if person is None or record is None or record.get("feedback"):
        return
    Hunts(runtime.store).await_feedback(hunt.business, person["phone"], record["id"])
    try:
        send_sms(runtime, hunt.business, person["phone"],
                 f"{QUESTION} ({record['caller']}, conversation {record['id']})",
                 idempotency_key=f"transfer-feedback:{hunt.id}")
    except Exception as exc:
        event("transfer.feedback_text_failed", log, logging.WARNING, business=hunt.business,
              hunt=hunt.id, error=type(exc).__name__)


def keyed(runtime: Runtime, business_key: str, hunt_id: str, digits: str) -> bool | None:
    """The agent's keypress after the call: 1 needed, 2 not needed; stored once."""
    needed = parse_answer(digits or "")
    hunts = Hunts(runtime.store)
    hunt = hunts.get(business_key, hunt_id)
    if hunt is None or needed is None or hunt.current is None:
        return None
    record_feedback(runtime, hunt.record_id, needed, hunt.agent or hunt.current["name"])
    return needed


def feedback_reply(runtime: Runtime, business: Business, from_: str, body: str) -> str | None:
    """The SMS view calls this first: a Y/N from a staff member we asked gets a short thanks
    and is stored; anything else returns None and goes on to the conversation flow."""
    hunts = Hunts(runtime.store)
    staff = next((s for s in business.staff if s.phone == from_), None)
    if staff is None or not hunts.feedback_pending(business.key, from_):
        return None
    needed = parse_answer(body)
    if needed is None:
        return None
    record_id = hunts.take_feedback(business.key, from_)
    if record_id is None:
        return None
    record_feedback(runtime, record_id, needed, staff.name)
    return "Thanks, noted." if needed else "Thanks, noted — we'll use that to tune the bot."
