"""Texting on-call staff the written summary when a conversation needs a person.

The value of the product is the handoff: the person who takes over gets the summary, the
customer's number and the conversation id, so the customer never repeats themselves. On SMS a
`Transfer` is answered by a person texting or calling back; the call bridge (TRANSFER) and the
voice warm transfer are other effects. `NotifyStaff` texts on either channel.

The webhook only decides (who, in hunt order, and what to say: cheap and local) and queues the
text on the URGENT rq queue; `notify_staff_job` sends it in the worker, where a carrier outage
is retried with backoff instead of slowing or failing the customer's reply.
"""

from __future__ import annotations

import logging
from datetime import datetime

from twilio.base.exceptions import TwilioRestException

from ivr.config.business import Business, Staff
from ivr.config.oncall import on_call
from ivr.flow.actions import Action, NotifyStaff, Transfer
from ivr.handoff.outbound import OutboundRefused, send_sms, sms_allowed
from ivr.handoff.outcomes import Handoff
from ivr.handoff.summary import with_language
from ivr.jobs.queues import carrier_said_no, enqueue_urgent, give_up, job_runtime
from ivr.jobs.queues import now as job_now
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.idempotency import effect_state
from ivr.store.records import Record, iso
from ivr.twilio.gsm import gsm_safe, segments

log = logging.getLogger("ivr.handoff.notify")

#: Longest staff text; the conversation id and number always fit after the summary.
MAX_SUMMARY_CHARS = 1200

#: Twilio REST error codes that refuse one destination for good (invalid number, region not
#: enabled, unsubscribed, unreachable by SMS, not a mobile): the next on-call person is tried.
REFUSED_NUMBER_CODES = frozenset({21211, 21214, 21407, 21408, 21610, 21612, 21614})


class NobodyReachable(RuntimeError):
    """Every on-call person's number refused the staff text (the job fails, visibly)."""


def summary_key(conversation_id: str, phone: str) -> str:
    """The idempotency key of "this person has this conversation's summary".

    The staff text (`notify_staff_job`) and the text to the person who accepts a transfer
    (`ivr.handoff.feedback.text_accepted_agent`) both send under it, so whichever claims it first is
    the only summary that person gets, even when the two happen at the same moment.
    """
    return f"summary:{conversation_id}:{phone}"


def on_call_staff(business: Business, skill: str, now: datetime,
                  language: str = "en") -> list[Staff]:
    """Who may hear about it, in hunt order at `now` (people speaking the customer's
    `language` first, then people with `skill` first)."""
    return [entry.staff for entry in on_call(business, now, skill or None, language)]


def textable_staff(runtime: Runtime, business: Business, skill: str,
                   now: datetime, language: str = "en") -> list[Staff]:
    """The on-call people, in hunt order, whose numbers our own checks let us text: allowed
    country and number type, not opted out; each number once."""
    people: list[Staff] = []
    for person in on_call_staff(business, skill, now, language):
        if any(p.phone == person.phone for p in people):
            continue
        if not sms_allowed(person.phone, business.sms_countries):
            continue
        if runtime.store.opted_out(business.key, person.phone):
            continue
        people.append(person)
    return people


def staff_text(business: Business, record: Record, summary: str) -> str:
    """The text a staff member receives: who, what, and where to read the whole conversation."""
    summary = " ".join(summary.split())
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[:MAX_SUMMARY_CHARS].rstrip() + "…"
    via = "texted" if record.get("channel") == "sms" else "called"
    who = "" if record["caller"] in summary else f"{record['caller']} {via}: "
    return f"[{business.name}] {who}{with_language(summary, record)}\nConversation {record['id']}"


def _needs_text(action: Action, channel: str) -> bool:
    return isinstance(action, NotifyStaff) or (isinstance(action, Transfer) and channel == "sms")


def notify_staff_by_text(runtime: Runtime, business: Business, record: Record,
                         actions: list[Action]) -> Handoff | None:
    """Effect: queue a text to the on-call person for each `NotifyStaff` (and each `Transfer`
    on SMS); the worker sends it (`notify_staff_job`).

    Returns who will be texted (the first candidate of the last text queued), None when no
    text was queued; never raises: when nobody can be texted it is logged and the customer is
    promised "our team" instead of a name. The record is not touched here: the job notes the
    text in `record["notified"]` once it went out.
    """
    channel = record.get("channel", "sms")
    wanted = [a for a in actions if _needs_text(a, channel)]
    if not wanted:
        return None
    named: Handoff | None = None
    now = runtime.clock()
    step = len(record["transcript"])
    for index, action in enumerate(wanted):
        key = f"notify:{record['id']}:{step}:{index}"
        body = staff_text(business, record, action.summary)  # type: ignore[union-attr]
        try:
            people = textable_staff(runtime, business, action.skill, now,  # type: ignore[union-attr]
                                    record.get("language") or "en")
            if people:
                enqueue_staff_text(runtime, business.key, record["id"], people, body, key, now)
        except Exception as exc:  # a staff text must never break the customer's reply
            event("notify.failed", log, logging.ERROR, business=business.key,
                  conversation=record["id"], error=type(exc).__name__)
            continue
        if not people:
            event("notify.nobody", log, logging.ERROR, business=business.key,
                  conversation=record["id"])
            continue
        named = Handoff(person=people[0].name, via="text")
        event("notify.queued", log, business=business.key, conversation=record["id"],
              staff=people[0].name, candidates=len(people))
    return named


def enqueue_staff_text(runtime: Runtime, business_key: str, conversation_id: str,
                       people: list[Staff], body: str, key: str, at: datetime):
    """Queue the staff text on URGENT, at most once per `key` (a retried webhook finds it)."""
    return enqueue_urgent(runtime.redis, notify_staff_job, business_key, conversation_id,
                          [(p.name, p.phone) for p in people], body, key, iso(at),
                          name="notify", business=business_key, key=key,
                          conversation=conversation_id, what="staff_text")


def refused_number(exc: BaseException) -> bool:
    """Whether the carrier refused this destination for good (so the next person is tried)."""
    return isinstance(exc, TwilioRestException) and exc.code in REFUSED_NUMBER_CODES


def notify_staff_job(business_key: str, conversation_id: str, people: list[tuple[str, str]],
                     body: str, key: str, at: str) -> str | None:
    """Job: text the first of `people` (name, phone) whose number takes it; note it on the record.

    A number refused for good (our own checks, or a Twilio refusal such as an invalid or
    unsubscribed number) moves on to the next person. Anything else — the network, a 5xx, a
    429, another attempt still sending — raises, so rq retries with backoff. Each person's text
    is sent at most once per conversation (`summary_key`, shared with the text on accepting a
    transfer), so a retried job never double-texts, and a person who already took the call
    (the worker ran late) is not sent the summary again. `key` names this notification (the
    job's id is made from it).

    Returns the Message SID (of an earlier text when the person already had the summary).
    Raises NobodyReachable (no retry) when every number refused.
    """
    runtime = job_runtime()
    for name, phone in people:
        effect = summary_key(conversation_id, phone)
        try:
            sid = send_sms(runtime, business_key, phone, body, idempotency_key=effect)
        except OutboundRefused as exc:
            refusal = type(exc).__name__
        except TwilioRestException as exc:
            if not refused_number(exc):
                if carrier_said_no(exc):  # our request is wrong: no retry
                    give_up()
                raise
            refusal = str(exc.code)
        else:
            fresh = sid is not None
            sid = sid or _sent_sid(runtime, business_key, effect)  # sent earlier, or on accepting
            _note_sent(runtime, business_key, conversation_id, name, phone, sid, at,
                       segments(gsm_safe(body)))
            event("notify.sent" if fresh else "notify.had_it", log, business=business_key,
                  conversation=conversation_id, staff=name, sid=sid)
            return sid
        event("notify.refused", log, logging.WARNING, business=business_key,
              conversation=conversation_id, staff=name, error=refusal)
    give_up()
    raise NobodyReachable(f"no on-call number of {business_key} took the text for "
                          f"conversation {conversation_id}")


def _sent_sid(runtime: Runtime, business_key: str, effect: str) -> str:
    """The SID an earlier attempt recorded for this text (send_sms returns None then)."""
    return effect_state(runtime.store, business_key, effect) or ""


def _note_sent(runtime: Runtime, business_key: str, conversation_id: str, name: str,
               phone: str, sid: str, queued_at: str, parts: int) -> None:
    """Append the text to `record["notified"]` atomically, once (a retried job finds it),
    with the `segments` it cost (as sent: GSM-safe, see `ivr.twilio.gsm`)."""
    sent_at = iso(job_now())

    def add(record: Record) -> None:
        notified = record.setdefault("notified", [])
        if not any(n.get("sid") == sid and n.get("phone") == phone for n in notified):
            notified.append({"staff": name, "phone": phone, "sid": sid, "at": sent_at,
                             "queued_at": queued_at, "segments": parts})

    if runtime.store.update(conversation_id, add, business=business_key) is None:
        event("notify.no_record", log, logging.WARNING, conversation=conversation_id, sid=sid)
