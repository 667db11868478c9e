"""Starting warm transfers and walking the hunt: ring on-call people one at a time.

A call: the caller is put in a conference named after their CallSid ("conf-CA…") and hears hold
audio, while the first on-call person with the right skill is dialled by REST; their leg hears
the spoken summary and presses 1 to join, or 2 to pass to the next person. A text conversation:
the customer is told who will call, the worker rings them (`ivr.handoff.sms_bridge`), and the person
who presses 1 is bridged to the customer. Nobody taking it ends in voicemail, a text with the
expected callback time (sent by the worker) and a follow-up — never silence. The agent-leg
callbacks live in `ivr.handoff.agent_leg`; feedback in `ivr.handoff.feedback`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from twilio.base.exceptions import TwilioRestException

from ivr.config.business import Business
from ivr.config.oncall import first_name, on_call
from ivr.flow.actions import Action, Transfer
from ivr.handoff import feedback
from ivr.handoff.followups import digest_job, expected_reply, file_callback
from ivr.handoff.outbound import OutboundRefused, nothing_sent, send_sms
from ivr.handoff.summary import whisper_for
from ivr.handoff.summary_audio import queue_render
from ivr.jobs.queues import carrier_said_no, enqueue_urgent, job_runtime, last_attempt
from ivr.logs import event
from ivr.runtime import ConversationTurn, Runtime
from ivr.store.callbacks import clear_digest_queued
from ivr.store.hunts import FAILED, Hunt, Hunts
from ivr.store.idempotency import run_effect_once
from ivr.store.records import Record, TransferFields, add_turn, iso, parse_iso
from ivr.twilio import transfer as twiml
from ivr.twilio.rest import RestBudgetSpent
from ivr.twilio.twiml import Verbs, document
from ivr.twilio.urls import (
    TRANSFER_AGENT_STATUS,
    TRANSFER_CONFERENCE,
    TRANSFER_HOLD,
    TRANSFER_RECORDED,
    TRANSFER_RECORDING_STATUS,
    TRANSFER_VOICEMAIL,
    TRANSFER_WHISPER,
    public_base,
    transfer_url,
)

log = logging.getLogger("ivr.handoff.transfer")

#: Seconds an agent's phone rings before Twilio gives up (then the next person is tried).
RING_TIMEOUT_S = 20

#: An agent leg's status callbacks: answered (an answered leg is completed, not canceled, when
#: the caller leaves) and the end. "initiated" and "ringing" would change nothing the hunt does
#: (a queued or ringing leg is treated alike) and cost two webhooks per leg.
AGENT_EVENTS = ["answered", "completed"]

#: A way to dial the hunt's person at an index, returning the leg's CallSid.
Dial = Callable[[Runtime, Business, Hunt, int], str]


#: Retries of `continue_hunt_job`, seconds: a caller is holding, so the hunt moves on within
#: about half a minute when a dial Twilio never confirmed shows no sign of ringing.
CONTINUE_BACKOFF_S = (5, 10, 20)


class HuntDeferred(Exception):
    """A webhook's REST time ran out mid-hunt (Twilio's API is slow): the hunt is saved as it
    stands and `continue_hunt_job` carries on, so the webhook answers Twilio in time."""


# -- records ----------------------------------------------------------------------------------
def update_record(runtime: Runtime, record_id: str, change: Any,
                  business: str | None = None) -> Record | None:
    """Apply `change(record)` to the stored record atomically (callbacks race each other)."""
    return runtime.store.update(record_id, change, business=business)


def transfer_fields(hunt: Hunt, accepted: bool | None) -> TransferFields:
    """record["transfer"] per docs/contracts.md (the conversation API), plus who was tried."""
    person = hunt.current if accepted else None
    decided, connected = parse_iso(hunt.decided_at), parse_iso(hunt.connected_at)
    took = round((connected - decided).total_seconds(), 1) if decided and connected else None
    return {"agent": person["name"] if person else None,
            "phone": person["phone"] if person else None,
            "dialed_at": hunt.dialed_at, "answered_at": hunt.answered_at,
            "accepted": accepted, "time_to_human_s": took, "decided_at": hunt.decided_at,
            "attempts": [dict(c) for c in hunt.candidates[:max(hunt.index + 1, 0)]]}


def note_transfer(runtime: Runtime, hunt: Hunt, accepted: bool | None,
                  outcome: str | None = None,
                  notes: list[Callable[[Record], None]] | None = None) -> Record | None:
    """Write the hunt's state into its conversation record; returns the record as saved.
    `notes`, other changes waiting for a write of the record, go in the same write (and are
    taken from the list)."""
    waiting = list(notes or ())
    if notes:
        notes.clear()

    def change(record: Record) -> None:
        for other in waiting:
            other(record)
        record["transfer"] = transfer_fields(hunt, accepted)
        if outcome:
            record["outcome"] = outcome
    return update_record(runtime, hunt.record_id, change, hunt.business)


# -- ringing ----------------------------------------------------------------------------------
def place_leg(runtime: Runtime, business: Business, hunt: Hunt, person: dict[str, str],
              index: int | None = None) -> str:
    """Dial `person` by REST for `hunt`; their leg hears the whisper. Returns the leg's CallSid.

    The leg's callbacks name the person's place in the hunt (`i`), so a leg whose create
    timed out (Twilio may still have placed it) is recognised when it calls back.
    """
    base = public_base(runtime.settings.public_url)
    at = str(hunt.index + 1 if index is None else index)
    return runtime.twilio.calls.create(
        to=person["phone"], from_=business.numbers[0],
        url=transfer_url(base, TRANSFER_WHISPER, hunt.business, hunt.id, i=at), method="POST",
        status_callback=transfer_url(base, TRANSFER_AGENT_STATUS, hunt.business, hunt.id,
                                     i=at),
        status_callback_method="POST", status_callback_event=AGENT_EVENTS,
        timeout=RING_TIMEOUT_S, machine_detection="Enable").sid


def ring_next(runtime: Runtime, hunt: Hunt, dial: Dial | None = None) -> bool:
    """Dial the next person in the hunt (call with the lock held). False when nobody is left.

    A REST failure for one person (a bad number, Twilio hiccup) moves on to the next. A job
    passes its own `dial` (`dial_once`: each dial at most once, however often
    the job runs); then only a refusal of that number moves on, and a transient failure (a
    5xx, a 429, the network) is raised for rq to retry with backoff.

    Inside a webhook (no `dial`), Twilio's API running out the webhook's REST time raises
    `HuntDeferred` for the caller to hand the hunt to `continue_hunt_job`: a dial not sent
    leaves the person next in line; a dial that timed out leaves them `pending` (their phone
    may ring), never skipped as if they had refused.
    """
    business = runtime.directory.by_key(hunt.business)
    while business is not None and hunt.index + 1 < len(hunt.candidates):
        person = hunt.candidates[hunt.index + 1]
        try:
            sid = (dial(runtime, business, hunt, hunt.index + 1) if dial
                   else place_leg(runtime, business, hunt, person))
        except RestBudgetSpent as exc:
            if dial:
                raise
            raise HuntDeferred(str(exc)) from exc
        except Exception as exc:
            if dial is None and not isinstance(exc, TwilioRestException):
                # No answer from Twilio in time: it may have placed the call all the same.
                hunt.index += 1
                hunt.leg, hunt.pending = None, hunt.index
                hunt.dialed_at, hunt.answered_at = iso(runtime.clock()), None
                event("transfer.dial_unconfirmed", log, logging.WARNING,
                      business=hunt.business, hunt=hunt.id, agent=person["name"],
                      error=type(exc).__name__)
                raise HuntDeferred(type(exc).__name__) from exc
            if dial and not carrier_said_no(exc):
                raise
            hunt.index += 1
            event("transfer.dial_failed", log, logging.WARNING, business=hunt.business,
                  hunt=hunt.id, agent=person["name"], error=type(exc).__name__)
            continue
        hunt.index += 1
        hunt.leg, hunt.pending = sid, None
        hunt.legs[sid] = "queued"
        hunt.dialed_at = iso(runtime.clock())
        hunt.answered_at = None
        event("transfer.ringing", log, business=hunt.business, hunt=hunt.id,
              agent=person["name"], leg=sid)
        return True
    hunt.leg = None
    return False


#: The text to a customer nobody could take, by their language ({name}, {when}).
MISSED = {
    "en": ("Sorry we couldn't connect you with {name} just now. We have your details and will "
           "call you back {when}."),
    "es": ("Lo sentimos, no pudimos comunicarle con {name} en este momento. Ya tenemos sus "
           "datos y le llamaremos {when}."),
}


def callback_when(business: Business, now: datetime, language: str = "en") -> str:
    """When a customer nobody could take should expect our call, in their words."""
    return expected_reply(business, now, language)[1]


def missed_text(business: Business, now: datetime, language: str = "en") -> str:
    """What a customer nobody could take is texted, in the conversation's language."""
    wording = MISSED.get(language, MISSED["en"])
    return wording.format(name=business.name, when=callback_when(business, now, language))


def nobody_answered(runtime: Runtime, hunt: Hunt, redirect_caller: bool = True,
                    notes: list[Callable[[Record], None]] | None = None) -> None:
    """Nobody took it: voicemail for a caller, a text with the callback time, a follow-up.

    `redirect_caller` moves a waiting caller out of the conference to the voicemail offer;
    it is False when the caller's own webhook is still answering (it returns the offer itself).
    `notes`: see `note_transfer`.
    """
    business = runtime.directory.by_key(hunt.business)
    hunt.status = FAILED
    record = note_transfer(runtime, hunt, False, outcome="escalated", notes=notes)
    event("transfer.nobody", log, logging.WARNING, business=hunt.business, hunt=hunt.id)
    if business is None:
        return
    if redirect_caller and hunt.channel == "voice" and hunt.caller_sid:
        try:
            to_voicemail(runtime, hunt.business, hunt.id, hunt.caller_sid)
        except RestBudgetSpent:  # the webhook's REST time is spent: a job moves the caller
            enqueue_urgent(runtime.redis, to_voicemail_job, hunt.business, hunt.id,
                           hunt.caller_sid, name="to-voicemail", business=hunt.business,
                           key=hunt.id, conversation=hunt.record_id, what="voicemail_redirect")
        except Exception as exc:  # the caller may have just hung up
            event("transfer.voicemail_redirect_failed", log, logging.WARNING,
                  business=hunt.business, hunt=hunt.id, error=type(exc).__name__)
    now = runtime.clock()
    language = (record or {}).get("language") or "en"
    text = missed_text(business, now, language)
    notice = queue_follow_up(runtime, business, hunt, record)
    try:  # the customer is not on a line waiting for it: the worker sends it, with retries
        enqueue_urgent(runtime.redis, missed_text_job, business.key, hunt.id, hunt.customer,
                       text, notice, hunt.record_id, name="missed", business=business.key, key=hunt.id,
                       conversation=hunt.record_id,
                       what="missed_transfer_text" + ("_and_callback" if notice else ""))
    except Exception as exc:  # Redis trouble: the callback is still recorded
        if notice is not None:
            clear_digest_queued(runtime.store, business.key)  # the next callback tries again
        event("transfer.missed_text_failed", log, logging.ERROR, business=business.key,
              hunt=hunt.id, error=type(exc).__name__)


def to_voicemail(runtime: Runtime, business_key: str, hunt_id: str, caller_sid: str) -> None:
    """Move the waiting caller out of the conference to the voicemail offer (REST)."""
    there = transfer_url(public_base(runtime.settings.public_url), TRANSFER_VOICEMAIL,
                         business_key, hunt_id)
    runtime.twilio.calls(caller_sid).update(url=there, method="POST")


def to_voicemail_job(business_key: str, hunt_id: str, caller_sid: str) -> None:
    """Job: `to_voicemail` when the webhook that ended the hunt had no REST time left."""
    to_voicemail(job_runtime(), business_key, hunt_id, caller_sid)


def missed_text_job(business_key: str, hunt_id: str, to: str, body: str,
                    notice: str | None = None, conversation: str | None = None) -> str | None:
    """Job: text the customer nobody could take when to expect our call, once per hunt; with
    `notice`, then tell the on-duty person of the callback now (`digest_job`, as the notice's
    own job would: one job a missed transfer, not two). `conversation`, the hunt's record
    (looked up from the hunt when not given), gets the text in its transcript.

    A carrier outage is retried with backoff; a number that cannot take texts (a landline, an
    opt-out) is logged and not retried: the follow-up call happens either way. The notice goes
    out whatever the customer's text did; the text's outage is raised after it (the retry
    sends neither twice).
    """
    runtime = job_runtime()
    failure: Exception | None = None
    sid = None
    try:
        sid = _text_missed(runtime, business_key, hunt_id, to, body, conversation)
    except Exception as exc:  # noqa: BLE001 - raised after the notice, which is due now too
        failure = exc
    if notice is not None:
        digest_job(business_key, notice, True)
    if failure is not None:
        raise failure
    return sid


def _text_missed(runtime: Runtime, business_key: str, hunt_id: str, to: str, body: str,
                 conversation: str | None) -> str | None:
    """`missed_text_job`'s text: sent once per hunt and added to the transcript."""
    try:
        sid = send_sms(runtime, business_key, to, body,
                       idempotency_key=f"transfer-missed:{hunt_id}")
    except (OutboundRefused, TwilioRestException) as exc:
        if isinstance(exc, TwilioRestException) and not carrier_said_no(exc):
            raise
        event("transfer.missed_text_refused", log, logging.WARNING, business=business_key,
              hunt=hunt_id, error=type(exc).__name__)
        return None
    if sid is not None and conversation is None:
        hunt = Hunts(runtime.store).get(business_key, hunt_id)
        conversation = hunt.record_id if hunt is not None else None
    if sid is not None and conversation is not None:  # what they got is in the transcript
        now = runtime.clock()
        runtime.store.update(conversation, lambda r: add_turn(r, "bot", body, now),
                             business=business_key)
    return sid


def queue_follow_up(runtime: Runtime, business: Business, hunt: Hunt,
                    record: Record | None) -> str | None:
    """Hand the missed conversation (its `record`, as the hunt's note saved it) to the
    follow-up queue: a callback task, and the on-duty person told now (or in the digest at
    opening). Returns the notice for the missed text's job to carry (`file_callback`), if any.
    """
    if record is None:
        return None
    try:
        return file_callback(runtime, business, record, summary=hunt.summary or hunt.whisper,
                             skill=hunt.skill or "intake", reason="transfer_missed")[1]
    except Exception as exc:  # the customer is still texted; the record still says escalated
        event("transfer.followup_failed", log, logging.ERROR, business=business.key,
              hunt=hunt.id, error=type(exc).__name__)
        return None


def voicemail_verbs(business: Business, hunt: Hunt, base: str, now: datetime) -> Verbs:
    """The voicemail offer for a caller nobody could take (pure: the callback time at `now`),
    in the caller's language and voice."""
    return twiml.voicemail_offer_verbs(
        callback_when(business, now, hunt.language),
        record_url=transfer_url(base, TRANSFER_RECORDED, hunt.business, hunt.id),
        recording_status_url=transfer_url(base, TRANSFER_RECORDING_STATUS, hunt.business,
                                          hunt.id),
        voice=twiml.voice_of(business, hunt.language), language=hunt.language)


def voicemail_twiml(runtime: Runtime, business: Business, hunt: Hunt) -> str:
    """The voicemail offer as a document (where a caller nobody took is redirected)."""
    return document(voicemail_verbs(business, hunt, public_base(runtime.settings.public_url),
                                    runtime.clock()))


# -- a hunt Twilio's slow API interrupted --------------------------------------------------------
def adopt(hunt: Hunt, leg: str, index: str) -> bool:
    """Whether `leg`, calling back for the hunt's person number `index`, is the leg of a dial
    that got no answer from Twilio in time; if so it becomes the leg being rung (lock held)."""
    if hunt.pending is None or hunt.leg is not None or leg in hunt.legs:
        return False
    if index != str(hunt.pending) or not hunt.open:
        return False
    hunt.leg, hunt.pending = leg, None
    hunt.legs[leg] = "queued"
    event("transfer.leg_adopted", log, business=hunt.business, hunt=hunt.id, leg=leg)
    return True


def defer_hunt(runtime: Runtime, hunt: Hunt) -> None:
    """Hand the rest of `hunt` to `continue_hunt_job` (lock held): the webhook that was ringing
    people ran out of time for Twilio's API, and answers now with what is already under way."""
    note_transfer(runtime, hunt, None)
    enqueue_urgent(runtime.redis, continue_hunt_job, hunt.business, hunt.id,
                   name="hunt-on", business=hunt.business,
                   key=f"{hunt.id}:{hunt.index}:{hunt.pending}", conversation=hunt.record_id,
                   what="transfer_continued", retry=CONTINUE_BACKOFF_S)
    event("transfer.deferred", log, logging.WARNING, business=hunt.business, hunt=hunt.id,
          pending=hunt.pending)


def already_called(runtime: Runtime, from_: str, to: str, since: float) -> str | None:
    """The SID of a call placed from `from_` to `to` since `since` (unix time), as the carrier's
    call log shows it; None when it shows none (or cannot be read: ringing twice beats never)."""
    after = datetime.fromtimestamp(since - 60, UTC)
    try:
        calls = runtime.twilio.calls.list(to=to, from_=from_, start_time_after=after, limit=20)
    except Exception as exc:
        event("transfer.reconcile_failed", log, logging.WARNING, error=type(exc).__name__)
        return None
    return next((c.sid for c in calls if c.date_created is None or c.date_created >= after),
                None)


def dial_once(runtime: Runtime, business: Business, hunt: Hunt, index: int) -> str:
    """`place_leg` for the hunt's `index`-th person at most once, even when the job doing it is
    retried or its worker dies between dialling and saving the hunt (`ivr.store.idempotency`: a
    stale claim asks the carrier whether that call was placed). Returns the leg's CallSid."""
    person = hunt.candidates[index]
    sender = business.numbers[0]
    outcome = run_effect_once(
        runtime.store, business.key, f"ring:{hunt.id}:{index}",
        lambda: place_leg(runtime, business, hunt, person, index), definite=nothing_sent,
        reconcile=lambda since: already_called(runtime, sender, person["phone"], since))
    return outcome.result or ""


class LegUnconfirmed(RuntimeError):
    """A dial Twilio never confirmed is in neither its call log nor a callback yet: wait."""


def continue_hunt_job(business_key: str, hunt_id: str) -> str | None:
    """Job: carry on a hunt a webhook handed over (`defer_hunt`). Returns the leg being rung.

    A person whose dial went unconfirmed is looked up in Twilio's call log first: found, their
    leg is the one being rung; not found, the job is retried (their leg may still call back and
    be adopted) and, on its last attempt, the hunt moves on — never ringing them twice. Then
    each next person is dialled at most once (`dial_once`); nobody left ends in voicemail.
    """
    runtime = job_runtime()
    hunts = Hunts(runtime.store)
    with hunts.locked(business_key, hunt_id) as hunt:
        business = runtime.directory.by_key(business_key)
        if hunt is None or business is None or not hunt.open or hunt.leg is not None:
            return hunt.leg if hunt is not None else None
        if hunt.pending is not None:
            person = hunt.candidates[hunt.pending]
            dialed = parse_iso(hunt.dialed_at)
            since = dialed.timestamp() if dialed else runtime.clock().timestamp()
            sid = already_called(runtime, business.numbers[0], person["phone"], since)
            if sid is not None:
                adopt(hunt, sid, str(hunt.pending))
                return sid
            if not last_attempt():
                raise LegUnconfirmed(f"hunt {hunt_id}: no sign of the call to person "
                                     f"{hunt.pending} yet")
            hunt.legs[f"unconfirmed:{hunt.pending}"] = "failed"
            hunt.pending = None
        return ring_next_from_job(runtime, hunts, hunt, "transfer.continue_gave_up")


def ring_next_from_job(runtime: Runtime, hunts: Hunts, hunt: Hunt, gave_up: str,
                       notes: list[Callable[[Record], None]] | None = None) -> str | None:
    """In a job holding the hunt's lock: dial the next person once each (`dial_once`).

    A failure is retried by rq from the next person (who refused so far is saved first); on
    the last attempt, or with nobody left, the hunt ends as nobody answered (voicemail or the
    callback text). Returns the leg being rung. `notes` go with the hunt's write of the record
    (`note_transfer`); a failure retried writes none, and leaves them in the list.
    """
    try:
        rang = ring_next(runtime, hunt, dial=dial_once)
    except Exception as exc:
        if last_attempt():
            event(gave_up, log, logging.ERROR, business=hunt.business, hunt=hunt.id,
                  error=type(exc).__name__)
            nobody_answered(runtime, hunt, notes=notes)
        hunts.save(hunt)  # who refused so far, so the retry starts at the next person
        raise
    if not rang:
        nobody_answered(runtime, hunt, notes=notes)
        return None
    note_transfer(runtime, hunt, None, notes=notes)
    return hunt.leg


# -- starting ---------------------------------------------------------------------------------
def transfer_action(actions: list[Action]) -> Transfer | None:
    return next((a for a in actions if isinstance(a, Transfer)), None)


def new_hunt(runtime: Runtime, business: Business, record: Record, action: Transfer, *,
             hunt_id: str, channel: str, caller_sid: str | None = None) -> Hunt:
    """A hunt over who is on call now for the action's skill, with the whisper text."""
    now = runtime.clock()
    people = on_call(business, now, action.skill or None, record.get("language") or "en")
    caller_name = (record.get("slots") or {}).get("name") or record.get("caller_name")
    return Hunt(
        id=hunt_id, business=business.key, record_id=record["id"], channel=channel,
        customer=record["caller"], caller_sid=caller_sid, decided_at=iso(now) or "",
        candidates=[{"name": p.staff.name, "phone": p.staff.phone} for p in people],
        whisper=whisper_for(record, action.summary, business=business.name,
                            caller_name=caller_name, urgent=action.urgent,
                            reasons=action.reasons),
        summary=action.summary, skill=action.skill, reasons=list(action.reasons),
        urgent=action.urgent, language=record.get("language") or "en")


def start_call_transfer(runtime: Runtime, business: Business, turn: ConversationTurn,
                        call_sid: str) -> Hunt:
    """Start the warm transfer for the `Transfer` in `turn.actions`: the hunt stored and its
    first person rung. Returns the hunt as it stands, for `caller_verbs` to render.

    Called by the voice turn in the same request the flow decided a human was needed, so
    time-to-human starts now. A retried webhook finds the hunt already under way and gets it
    back without a second dial. Nobody on call (or every dial failing) goes straight to
    voicemail, the callback text and a follow-up (the hunt comes back closed).
    """
    action = transfer_action(turn.actions) or Transfer(skill="", reasons=(), summary="")
    hunts = Hunts(runtime.store)
    hunt = new_hunt(runtime, business, turn.record, action, hunt_id=f"conf-{call_sid}",
                    channel="voice", caller_sid=call_sid)
    if not hunts.create(hunt):
        return hunts.get(business.key, hunt.id) or hunt
    queue_render(runtime, hunt)  # the agent hears <Say> until the audio is ready
    with hunts.locked(business.key, hunt.id) as live:
        assert live is not None
        try:
            rang = ring_next(runtime, live)
        except HuntDeferred:  # Twilio's API is slow: the caller waits on hold meanwhile
            defer_hunt(runtime, live)
            return live
        if not rang:
            nobody_answered(runtime, live, redirect_caller=False)
        else:
            note_transfer(runtime, live, None)
    return live


def caller_verbs(business: Business, hunt: Hunt, base: str, now: datetime) -> Verbs:
    """What the caller hears once the transfer is started (pure): who is being rung and the
    conference to wait in, or, when nobody could be rung, the voicemail offer."""
    if not hunt.open:
        return voicemail_verbs(business, hunt, base, now)
    spanish = hunt.language == "es"
    person = hunt.current or {"name": "nuestro equipo" if spanish else "our team"}
    return twiml.caller_leg_verbs(
        first_name(person["name"]), hunt.conference,
        wait_url=transfer_url(base, TRANSFER_HOLD, hunt.business, hunt.id),
        status_url=transfer_url(base, TRANSFER_CONFERENCE, hunt.business, hunt.id),
        voice=twiml.voice_of(business, hunt.language), language=hunt.language)


def feedback_reply(runtime: Runtime, business: Business, from_: str, body: str) -> str | None:
    """A staff member's Y/N answer to "Did this call need you?" (see `ivr.handoff.feedback`)."""
    return feedback.feedback_reply(runtime, business, from_, body)
