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
from collections.abc import Callable
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


#: A staff text as decided in the webhook: the (name, phone) to try in order, the body, and
#: when it was queued (ISO); plain values, so a queued job reads the same after an upgrade.
StaffText = tuple[list[tuple[str, str]], str, str]
#: A change to a conversation's record (as `ivr.store` applies one).
RecordChange = Callable[[Record], None]


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


def _needs_text(action: Action, channel: str, bridged: bool) -> bool:
    """Whether `action` asks for a staff text here: a NotifyStaff, or a Transfer on SMS unless
    `bridged` (the bridge's own job sends that one: `ivr.handoff.sms_bridge`)."""
    if isinstance(action, NotifyStaff):
        return True
    return isinstance(action, Transfer) and channel == "sms" and not bridged


def plan_staff_text(runtime: Runtime, business: Business, record: Record,
                    action: NotifyStaff | Transfer, now: datetime) -> StaffText:
    """Who is texted about `action` (the textable on-call people, in hunt order) and what:
    decided in the webhook (cheap and local), sent by a job (`text_staff`)."""
    people = textable_staff(runtime, business, action.skill, now,
                            record.get("language") or "en")
    return ([(p.name, p.phone) for p in people],
            staff_text(business, record, action.summary), iso(now) or "")


def notify_staff_by_text(runtime: Runtime, business: Business, record: Record,
                         actions: list[Action], *, bridged: bool = False) -> Handoff | None:
    """Effect: queue a text to the on-call person for each `NotifyStaff` (and each `Transfer`
    on SMS, unless `bridged`: the call bridge's job then sends it, one job instead of two);
    the worker sends it (`notify_staff_job`).

    Returns who will be texted (the first candidate of the last text queued), None when no
    text was queued; never raises: when nobody can be texted it is logged and the customer is
    promised "our team" instead of a name. The record is not touched here: the job notes the
    text in `record["notified"]` once it went out.
    """
    channel = record.get("channel", "sms")
    wanted = [a for a in actions if _needs_text(a, channel, bridged)]
    if not wanted:
        return None
    named: Handoff | None = None
    now = runtime.clock()
    step = len(record["transcript"])
    for index, action in enumerate(wanted):
        key = f"notify:{record['id']}:{step}:{index}"
        try:
            people, body, at = plan_staff_text(runtime, business, record,
                                               action, now)  # type: ignore[arg-type]
            if people:
                enqueue_urgent(runtime.redis, notify_staff_job, business.key, record["id"],
                               people, body, key, at, name="notify", business=business.key,
                               key=key, conversation=record["id"], what="staff_text")
        except Exception as exc:  # a staff text must never break the customer's reply
            event("notify.failed", log, logging.ERROR, business=business.key,
                  conversation=record["id"], error=type(exc).__name__)
            continue
        named = note_planned(business, record, people) or named
    return named


def note_planned(business: Business, record: Record,
                 people: list[tuple[str, str]]) -> Handoff | None:
    """Log the staff text just queued (or that nobody can be texted) and name its first
    person for the reply; None when nobody can be texted."""
    if not people:
        event("notify.nobody", log, logging.ERROR, business=business.key,
              conversation=record["id"])
        return None
    event("notify.queued", log, business=business.key, conversation=record["id"],
          staff=people[0][0], candidates=len(people))
    return Handoff(person=people[0][0], via="text")


def refused_number(exc: BaseException) -> bool:
    """Whether the carrier refused this destination for good (so the next person is tried)."""
    return isinstance(exc, TwilioRestException) and exc.code in REFUSED_NUMBER_CODES


def notify_staff_job(business_key: str, conversation_id: str, people: list[tuple[str, str]],
                     body: str, key: str, at: str) -> str | None:
    """Job: `text_staff`; a failure retrying cannot mend (every number refused, our request
    wrong) is final at once, anything else is retried by rq with backoff. `key` names this
    notification (the job's id is made from it)."""
    try:
        return text_staff(job_runtime(), business_key, conversation_id, people, body, at)
    except Exception as exc:
        if final_failure(exc):
            give_up()
        raise


def final_failure(exc: BaseException) -> bool:
    """Whether `text_staff` failed for good: every number refused, or the carrier refused our
    request (no retry); anything else may pass on a retry."""
    return isinstance(exc, NobodyReachable) or carrier_said_no(exc)


def text_staff(runtime: Runtime, business_key: str, conversation_id: str,
               people: list[tuple[str, str]], body: str, at: str,
               note: Callable[[RecordChange], None] | None = None) -> str:
    """Text the first of `people` (name, phone) whose number takes it; note it on the record.

    A number refused for good (our own checks, or a Twilio refusal such as an invalid or
    unsubscribed number) moves on to the next person. Anything else (the network, a 5xx, a
    429, another attempt still sending) is raised for a retry. Each person's text is sent at
    most once per conversation (`summary_key`, shared with the text on accepting a transfer),
    so a retried job never double-texts, and a person who already took the call (the worker
    ran late) is not sent the summary again.

    `note`, when given, takes the change that notes the text on the record, for a job that
    writes the record next anyway to carry it (`ivr.handoff.sms_bridge`: one write, not two);
    without it the record is written at once.

    Returns the Message SID (of an earlier text when the person already had the summary).
    Raises NobodyReachable when every number refused.
    """
    for name, phone in people:
        effect = summary_key(conversation_id, phone)
        try:
            sid = send_sms(runtime, business_key, phone, body, idempotency_key=effect)
        except OutboundRefused as exc:
            refusal = type(exc).__name__
        except TwilioRestException as exc:
            if not refused_number(exc):
                raise
            refusal = str(exc.code)
        else:
            fresh = sid is not None
            sid = sid or _sent_sid(runtime, business_key, effect)  # sent earlier, or on accepting
            _note_sent(runtime, business_key, conversation_id, name, phone, sid, at,
                       segments(gsm_safe(body)), note)
            event("notify.sent" if fresh else "notify.had_it", log, business=business_key,
                  conversation=conversation_id, staff=name, sid=sid)
            return sid
        event("notify.refused", log, logging.WARNING, business=business_key,
              conversation=conversation_id, staff=name, error=refusal)
    raise NobodyReachable(f"no on-call number of {business_key} took the text for "
                          f"conversation {conversation_id}")


def _sent_sid(runtime: Runtime, business_key: str, effect: str) -> str:
    """The SID an earlier attempt recorded for this text (send_sms returns None then)."""
    return effect_state(runtime.store, business_key, effect) or ""


def _note_sent(runtime: Runtime, business_key: str, conversation_id: str, name: str,
               phone: str, sid: str, queued_at: str, parts: int,
               note: Callable[[RecordChange], None] | None = None) -> None:
    """Append the text to `record["notified"]` atomically, once (a retried job finds it),
    with the `segments` it cost (as sent: GSM-safe, see `ivr.twilio.gsm`); or hand `note`
    the change, to go with the caller's next write of the record."""
    sent_at = iso(job_now())

    def add(record: Record) -> None:
        notified = record.setdefault("notified", [])
        if not any(n.get("sid") == sid and n.get("phone") == phone for n in notified):
            notified.append({"staff": name, "phone": phone, "sid": sid, "at": sent_at,
                             "queued_at": queued_at, "segments": parts})

    if note is not None:
        note(add)
        return
    if runtime.store.update(conversation_id, add, business=business_key) is None:
        event("notify.no_record", log, logging.WARNING, conversation=conversation_id, sid=sid)


def write_notes(runtime: Runtime, business_key: str, conversation_id: str,
                notes: list[RecordChange]) -> None:
    """Write the `notes` (`text_staff`'s, held for a write that did not come) to the record."""
    def change(record: Record) -> None:
        for note in notes:
            note(record)

    if runtime.store.update(conversation_id, change, business=business_key) is None:
        event("notify.no_record", log, logging.WARNING, conversation=conversation_id)
