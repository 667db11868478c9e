"""Did the call need a person? The accepting agent's answer, by keypress or text reply.

Escalation accuracy (docs/contracts.md, Metric definitions) is "escalations the accepting staff member confirmed
as needed / escalations with feedback". The agent is asked on the phone when the conversation
ends (press 1 or 2) and, when they hung up before answering, by text ("Reply Y or N"); a Y/N
text from a staff number with a question outstanding is taken here before the SMS flow sees it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from twilio.base.exceptions import TwilioRestException

from ivr.config.business import Business
from ivr.handoff.notify import summary_key
from ivr.handoff.outbound import OutboundRefused, send_sms
from ivr.handoff.summary import written_summary
from ivr.jobs.queues import carrier_said_no, enqueue_urgent, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.hunts import Hunt, Hunts
from ivr.store.idempotency import EffectPending
from ivr.store.records import iso
from ivr.twilio.urls import conversation_url, public_base

log = logging.getLogger("ivr.handoff.feedback")

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
    return conversation_url(public_base(runtime.settings.public_url), record_id)


def text_accepted_agent(runtime: Runtime, hunt: Hunt) -> None:
    """Queue the text to the person who took it (`accepted_text_job`): the agent's keypress is
    answered with the conference at once, and the text follows from the worker."""
    _queue(runtime, hunt, accepted_text_job, "accepted", "summary text to the accepting agent")


def accepted_text_job(business_key: str, hunt_id: str) -> None:
    """rq job: text the person who took it the written summary and a link to the conversation.

    The summary goes out under the same claim as the staff text (`ivr.handoff.notify.summary_key`):
    when that text reached them first, or is being sent right now, they get only the link, so
    nobody gets the same summary twice, whichever of the two happens first. A carrier outage is
    retried with backoff; a number that cannot take texts is logged.
    """
    runtime, hunt, record = _job_facts(business_key, hunt_id)
    if hunt is None or record is None or hunt.current is None:
        return
    phone, link = hunt.current["phone"], conversation_link(runtime, record["id"])
    with _refusals_logged(hunt, "transfer.summary_text_failed"):
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


def _queue(runtime: Runtime, hunt: Hunt, job: Any, name: str, what: str) -> None:
    try:
        enqueue_urgent(runtime.redis, job, hunt.business, hunt.id, name=name,
                       business=hunt.business, key=hunt.id, conversation=hunt.record_id,
                       what=what)
    except Exception as exc:  # a text must never break the call it follows
        event(f"transfer.{name}_queue_failed", log, logging.ERROR, business=hunt.business,
              hunt=hunt.id, error=type(exc).__name__)


def _job_facts(business_key: str, hunt_id: str) -> tuple[Runtime, Hunt | None, dict | None]:
    runtime = job_runtime()
    hunt = Hunts(runtime.store).get(business_key, hunt_id)
    record = (runtime.store.get_record(business_key, hunt.record_id) if hunt is not None
              else None)
    return runtime, hunt, record


@contextmanager
def _refusals_logged(hunt: Hunt, name: str) -> Iterator[None]:
    """A number that cannot take texts is logged, not retried; a carrier outage raises (rq
    retries it with backoff)."""
    try:
        yield
    except (OutboundRefused, TwilioRestException) as exc:
        if isinstance(exc, TwilioRestException) and not carrier_said_no(exc):
            raise
        event(name, log, logging.WARNING, business=hunt.business, hunt=hunt.id,
              error=type(exc).__name__)


def ask_by_text(runtime: Runtime, hunt: Hunt) -> None:
    """After the call, queue the feedback question by text to the person who took it."""
    _queue(runtime, hunt, feedback_text_job, "feedback", "feedback question to the agent")


def feedback_text_job(business_key: str, hunt_id: str) -> None:
    """rq job: text the person who took it the feedback question (unless already answered)."""
    runtime, hunt, record = _job_facts(business_key, hunt_id)
    if hunt is None or record is None or hunt.current is None or record.get("feedback"):
        return
    person = hunt.current
    Hunts(runtime.store).await_feedback(hunt.business, person["phone"], record["id"])
    with _refusals_logged(hunt, "transfer.feedback_text_failed"):
        send_sms(runtime, hunt.business, person["phone"],
                 f"{QUESTION} ({record['caller']}, conversation {record['id']})",
                 idempotency_key=f"transfer-feedback:{hunt.id}")


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
