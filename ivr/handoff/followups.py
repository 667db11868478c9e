"""The follow-up queue: leads captured after hours (or for a callback) reach a person at opening.

After hours the product captures the lead, confirms by text when to expect a reply, and queues
it for the morning: a callback task is stored at once (`ivr.store.callbacks`), and an rq job scheduled
at the business's next opening texts the on-duty person a digest of every callback waiting.
During opening hours a queued callback is texted to the on-duty person straight away.
Emergencies never wait here: the flow transfers them to on-call staff now.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from datetime import datetime

from ivr.config.business import Business, Staff
from ivr.config.oncall import on_call
from ivr.flow.actions import Action, QueueFollowUp
from ivr.flow.hours import describe_opening
from ivr.flow.wording import opening_text
from ivr.handoff.outbound import OutboundRefused, enqueue_text, send_sms, sms_allowed
from ivr.handoff.outcomes import FollowUp
from ivr.jobs.queues import DEFAULT, URGENT, enqueue, job_id, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.callbacks import (
    Callback,
    clear_digest_queued,
    mark_digest_queued,
    mark_digested,
    upsert_callback,
    waiting_for_digest,
)
from ivr.store.records import Record, iso, parse_iso

log = logging.getLogger("ivr.handoff.followups")

#: What a customer is told when the business is open but nobody could take it right now.
WHILE_OPEN = "within the hour"
#: The same in Spanish, and with no opening ahead (a business with no hours at all).
WHILE_OPEN_ES = "en menos de una hora"
#: The default confirmation by language ({name}: the business; {when}: the expected reply).
CONFIRMATIONS = {
    "en": ("Thanks for contacting {name}. We have your details and will get back to you "
           "{when}. If it's an emergency, call us back and say so."),
    "es": ("Gracias por comunicarse con {name}. Ya tenemos sus datos y le responderemos "
           "{when}. Si es una emergencia, vuelva a llamarnos y díganos que es urgente."),
}
#: Longest digest text (a few SMS segments); the rest is "and N more on the dashboard".
MAX_DIGEST_CHARS = 1400
#: Longest summary line per callback in a digest.
MAX_LINE_CHARS = 200
#: Seconds the "a digest is queued" mark lives (`claim_notice`).
DIGEST_QUEUED_TTL_S = 60


def expected_reply(business: Business, now: datetime,
                   language: str = "en") -> tuple[datetime, str, bool]:
    """When the customer should expect a person: (moment, words, open now), the words in the
    customer's `language`.

    While open: now, "within the hour". Otherwise the next opening, e.g. "Monday after 8:30 AM"
    ("el lunes después de las 8:30 de la mañana").
    """
    spanish = language == "es"
    hours = business.opening_hours
    if hours.is_open(now):
        return now, WHILE_OPEN_ES if spanish else WHILE_OPEN, True
    opening = hours.next_opening(now)
    if opening is None:
        return now, opening_text(now, None, language), False
    if spanish:
        return opening, opening_text(now, opening.astimezone(business.tz), "es"), False
    return opening, describe_opening(opening, now, business.tz), False


def confirmation_text(business: Business, when: str, language: str = "en") -> str:
    """The default confirmation a customer receives when the flow gives none, in their
    language (`when` already worded in it)."""
    wording = CONFIRMATIONS.get(language, CONFIRMATIONS["en"])
    return wording.format(name=business.name, when=when)


def queue_callback(runtime: Runtime, business: Business, record: Record, *, summary: str,
                   skill: str = "intake", reason: str = "follow_up") -> Callback:
    """Store (or refresh) the conversation's callback task and make sure a person hears of it:
    now if the business is open, otherwise in the digest at the next opening. Idempotent."""
    task, notice = file_callback(runtime, business, record, summary=summary, skill=skill,
                                 reason=reason)
    if notice is not None:  # a person hears of it now, through the same job as the digest
        notify_now(runtime, business, record, task, notice)
    return task


def file_callback(runtime: Runtime, business: Business, record: Record, *, summary: str,
                  skill: str = "intake", reason: str = "follow_up") -> tuple[Callback, str | None]:
    """`queue_callback` but for telling a person now: returns the task and, when the business
    is open and no digest is queued yet (`claim_notice`), the moment for `digest_job` that the
    caller must queue, alone (`notify_now`) or in a job it queues anyway (the missed-transfer
    text's: one job, not two); None when closed (the digest at opening is scheduled here)."""
    now = runtime.clock()
    due, when, open_now = expected_reply(business, now)
    task = upsert_callback(runtime.store, record, summary=summary, skill=skill, due_at=due,
                           due_text=when, now=now, reason=reason)
    record["followup"] = {**(record.get("followup") or {}), "callback": task["id"],
                          "due_at": iso(due), "when": when, "skill": skill, "reason": reason,
                          "at": iso(now)}
    runtime.store.save(record)
    notice = None
    if open_now:
        notice = claim_notice(runtime, business, task)
    else:
        schedule_digest(runtime, business, due)
    event("followup.queued", log, business=business.key, conversation=record["id"],
          callback=task["id"], due=iso(due), open=open_now)
    return task, notice


def claim_notice(runtime: Runtime, business: Business, task: Callback) -> str | None:
    """Claim telling the on-duty person of `task` now: the moment to give `digest_job`, or None
    when a digest is already queued. That one has yet to read the waiting callbacks, so it
    lists this one too, and a busy hour's callbacks reach a technician as one text, not a text
    per caller.

    The digest job clears the mark before it reads (`digest_job`), so a callback stored after
    that queues a job of its own. The mark expires, so a job lost between the mark and the
    enqueue holds up later callbacks for a minute at most; a caller whose enqueue fails clears
    it (`clear_digest_queued`), so the next callback tries again.
    """
    if not mark_digest_queued(runtime.store, business.key, task["id"], DIGEST_QUEUED_TTL_S):
        return None
    return iso(runtime.clock())


def notify_now(runtime: Runtime, business: Business, record: Record, task: Callback,
               notice: str) -> None:
    """Queue the digest that tells the on-duty person of `task` now (`notice`, claimed by
    `claim_notice`)."""
    try:
        enqueue(runtime.redis, digest_job, business.key, notice, True,
                queue_name=URGENT, unique_id=job_id("callback-now", task["id"]),
                meta={"business": business.key, "conversation": record["id"],
                      "what": "callback"})
    except Exception:
        clear_digest_queued(runtime.store, business.key)  # the next callback tries again
        raise


def schedule_digest(runtime: Runtime, business: Business, opening: datetime):
    """One digest job per business and opening (enqueueing it again changes nothing)."""
    stamp = str(int(opening.timestamp()))
    return enqueue(runtime.redis, digest_job, business.key, iso(opening), queue_name=DEFAULT,
                   at=opening, unique_id=job_id("digest", business.key, stamp),
                   meta={"business": business.key, "what": "digest"})


def on_duty(business: Business, skill: str, now: datetime) -> Staff | None:
    """Who takes callbacks needing `skill` at `now`: on call (skilled first), else anyone with
    the skill, else the first staff member."""
    people = on_call(business, now, skill)
    if people:
        return people[0].staff
    skilled = [s for s in business.staff if skill in s.skills]
    return (skilled or list(business.staff) or [None])[0]


def _line(index: int, task: Callback) -> str:
    via = "texted" if task.get("channel") == "sms" else "called"
    summary = " ".join(str(task.get("summary") or "").split())
    if len(summary) > MAX_LINE_CHARS:
        summary = summary[:MAX_LINE_CHARS].rstrip() + "…"
    return f"{index}. {task['caller']} {via}: {summary}"


def digest_text(business: Business, tasks: list[Callback], now: datetime,
                fresh: bool = False) -> str:
    """The text the on-duty person gets: one line per waiting callback, oldest first."""
    if fresh:
        head = f"[{business.name}] Callback request{'s' if len(tasks) > 1 else ''}:"
    else:
        plural = "s" if len(tasks) != 1 else ""
        head = f"[{business.name}] {len(tasks)} callback{plural} waiting from after hours:"
    lines = [head]
    for i, task in enumerate(tasks, 1):
        line = _line(i, task)
        rest = len(tasks) - i + 1
        if sum(len(x) + 1 for x in lines) + len(line) > MAX_DIGEST_CHARS:
            lines.append(f"…and {rest} more on the dashboard.")
            break
        lines.append(line)
    lines.append("Mark each done on the dashboard once you've called back.")
    return "\n".join(lines)


def digest_job(business_key: str, opening: str, fresh: bool = False) -> int:
    """Job (at opening): text each on-duty person the callbacks waiting for their skill.

    Only tasks not yet in a digest are listed; each text is sent once per person and set of
    callbacks, so a retried or re-run digest never texts twice, and one that finds callbacks
    stored since (in the same second, even) sends them. `fresh` is a callback queued while open,
    sent at once. Returns how many callbacks went out.
    """
    runtime = job_runtime()
    business = runtime.directory.by_key(business_key)
    if business is None:
        return 0
    now = runtime.clock()
    clear_digest_queued(runtime.store, business_key)  # see claim_notice
    waiting = waiting_for_digest(runtime.store, business_key)
    groups: dict[str, list[Callback]] = defaultdict(list)
    for task in waiting:
        person = on_duty(business, task.get("skill") or "intake", now)
        if person is not None:
            groups[person.phone].append(task)
    stamp = int((parse_iso(opening) or now).timestamp())
    sent = 0
    for phone, tasks in groups.items():
        batch = hashlib.sha1(" ".join(t["id"] for t in tasks).encode()).hexdigest()[:16]
        try:
            send_sms(runtime, business_key, phone, digest_text(business, tasks, now, fresh),
                     idempotency_key=f"digest:{stamp}:{phone}:{batch}")
        except OutboundRefused:
            event("followup.digest_refused", log, logging.WARNING, business=business_key)
            continue
        mark_digested(runtime.store, tasks, now)
        sent += len(tasks)
    event("followup.digest", log, business=business_key, callbacks=sent)
    return sent


def follow_up_effect(runtime: Runtime, business: Business, record: Record,
                     actions: list[Action]) -> FollowUp | None:
    """Effect for `QueueFollowUp`: the callback task, the digest at opening, and for callers a
    confirmation text with the expected reply time (texters get it as the reply).

    Returns when the customer should expect a reply (None when nothing was queued); never
    raises.
    """
    queued: FollowUp | None = None
    for action in actions:
        if not isinstance(action, QueueFollowUp):
            continue
        try:
            task = queue_callback(runtime, business, record, summary=action.summary,
                                  skill=action.skill)
            queued = FollowUp(when=task["due_text"], callback=task["id"])
            if record.get("channel") == "voice":
                confirm_by_text(runtime, business, record, action)
        except Exception as exc:  # the caller's call must go on; the failure is logged
            event("followup.failed", log, logging.ERROR, business=business.key,
                  conversation=record["id"], error=type(exc).__name__)
    return queued


def confirm_by_text(runtime: Runtime, business: Business, record: Record,
                    action: QueueFollowUp) -> bool:
    """Queue the confirmation text to a caller whose number can receive texts (once)."""
    caller = record["caller"]
    if not sms_allowed(caller, business.sms_countries):
        return False
    language = record.get("language") or "en"
    when = ((record.get("followup") or {}).get("when") if language == "en" else None) or \
        expected_reply(business, runtime.clock(), language)[1]
    body = action.confirmation.strip() or confirmation_text(business, when, language)
    if business.name.lower() not in body.lower():  # a text arrives without a voice to place it
        body = f"{business.name}: {body}"
    enqueue_text(runtime.redis, business.key, caller, body, f"confirm:{record['id']}",
                 meta={"conversation": record["id"], "what": "confirmation"})
    return True
