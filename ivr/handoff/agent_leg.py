"""What happens on an agent's leg of a warm transfer, and in the caller's conference.

Each function takes what Twilio told us (which hunt, which leg, what happened) and returns the
TwiML for that leg or acts on the hunt. Only the leg the hunt is ringing now may move it, so a
late status callback from a passed leg can never skip the next person, and a keypress from a
leg the caller no longer waits for gets a polite goodbye instead of an empty conference.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from ivr.config.oncall import first_name
from ivr.handoff.feedback import ask_by_text, text_accepted_agent
from ivr.handoff.summary_audio import wait_for_audio
from ivr.handoff.transfer import (
    HuntDeferred,
    adopt,
    defer_hunt,
    nobody_answered,
    note_transfer,
    ring_next,
)
from ivr.jobs.queues import enqueue_urgent, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.hunts import ABANDONED, ACCEPTED, CONNECTED, HUNTING, Hunt, Hunts
from ivr.store.records import iso, parse_iso
from ivr.twilio import transfer as twiml
from ivr.twilio.urls import (
    TRANSFER_ACCEPT,
    TRANSFER_AUDIO,
    TRANSFER_BRIDGE_ANSWERED,
    TRANSFER_CONFERENCE,
    TRANSFER_FEEDBACK,
    public_base,
    transfer_url,
)

log = logging.getLogger("ivr.handoff.agent_leg")

#: Call statuses after which a leg will never be answered.
ENDED = frozenset({"completed", "busy", "no-answer", "failed", "canceled"})

GONE = "Sorry, the caller is no longer on the line. Thank you."
#: A join callback this much older than our clock came late (held back or retried by the
#: carrier): its own Timestamp, whole seconds, then times the meeting, not its arrival.
LATE_CALLBACK = timedelta(seconds=2)

#: Hunt states in which the caller has not yet reached a person: their leaving ends the hunt.
WAITING = frozenset({HUNTING, ACCEPTED})

#: Leg states that need no ending: over already, or the person said no.
SETTLED = ENDED | {"passed", "no_key", "machine"}


def _voice(runtime: Runtime, hunt: Hunt) -> twiml.Voice | None:
    """The business's voice and language, for every <Say> of an agent's or texter's leg."""
    return twiml.voice_of(runtime.directory.by_key(hunt.business))


def _spoken(runtime: Runtime, business_key: str) -> twiml.Voice | None:
    """The business's voice when no hunt is left to name it (the caller already gone)."""
    return twiml.voice_of(runtime.directory.by_key(business_key))


def move_on(runtime: Runtime, hunt: Hunt, leg: str, why: str) -> None:
    """The current person did not take it: ring the next, or fall back (lock held)."""
    hunt.legs[leg] = why
    event("transfer.moved_on", log, business=hunt.business, hunt=hunt.id, leg=leg, why=why)
    try:
        rang = ring_next(runtime, hunt)
    except HuntDeferred:  # Twilio's API is slow: a job rings the next person
        defer_hunt(runtime, hunt)
        return
    if not rang:
        nobody_answered(runtime, hunt)
    else:
        note_transfer(runtime, hunt, None)


def answered(runtime: Runtime, business_key: str, hunt_id: str, leg: str,
             answered_by: str = "", index: str = "") -> str:
    """The agent picked up: play the summary and ask for 1 or 2 (a machine moves the hunt on).

    `index` is the person's place in the hunt, from the leg's URL: a leg whose dial Twilio
    never confirmed in time is recognised by it (`ivr.handoff.transfer.adopt`)."""
    hunts = Hunts(runtime.store)
    with hunts.locked(business_key, hunt_id) as hunt:
        if hunt is not None:
            adopt(hunt, leg, index)
        if hunt is None or hunt.leg != leg or not hunt.open:
            return twiml.say_then_hangup(GONE, _spoken(runtime, business_key))
        if answered_by.startswith("machine") or answered_by == "fax":
            move_on(runtime, hunt, leg, "machine")
            return twiml.say_then_hangup("")
        hunt.legs[leg] = "answered"
        hunt.answered_at = iso(runtime.clock())
        text, voice = hunt.whisper, _voice(runtime, hunt)
    fresh = wait_for_audio(runtime, business_key, hunt_id) or hunt
    base = public_base(runtime.settings.public_url)
    audio_url = (transfer_url(base, f"{TRANSFER_AUDIO}/{fresh.audio}", fresh.business, fresh.id)
                 if fresh.audio else None)
    return twiml.whisper(text, audio_url=audio_url, voice=voice,
                         accept_url=transfer_url(base, TRANSFER_ACCEPT, fresh.business, fresh.id))


def pressed(runtime: Runtime, business_key: str, hunt_id: str, leg: str, digits: str) -> str:
    """1 takes the call (join the conference, or dial the texter); anything else passes."""
    hunts = Hunts(runtime.store)
    with hunts.locked(business_key, hunt_id) as hunt:
        if hunt is None or hunt.leg != leg or not hunt.open:
            return twiml.say_then_hangup(GONE, _spoken(runtime, business_key))
        voice = _voice(runtime, hunt)
        if digits.strip()[:1] != "1":
            move_on(runtime, hunt, leg, "passed" if digits else "no_key")
            return twiml.say_then_hangup("No problem, we'll try someone else.", voice)
        hunt.status = ACCEPTED
        hunt.legs[leg] = "accepted"
        hunt.agent = (hunt.current or {}).get("name")
        note_transfer(runtime, hunt, True, outcome="transferred")
        accepted = Hunt.from_json(hunt.to_json())
    event("transfer.accepted", log, business=business_key, hunt=hunt_id, agent=accepted.agent)
    text_accepted_agent(runtime, accepted)
    base = public_base(runtime.settings.public_url)
    feedback_url = transfer_url(base, TRANSFER_FEEDBACK, accepted.business, accepted.id)
    if accepted.channel == "sms":
        business = runtime.directory.by_key(business_key)
        caller_id = business.numbers[0] if business else ""
        return twiml.agent_bridge(accepted.customer, caller_id=caller_id, voice=voice,
                                  answered_url=transfer_url(base, TRANSFER_BRIDGE_ANSWERED,
                                                            accepted.business, accepted.id),
                                  feedback_url=feedback_url)
    return twiml.agent_join(accepted.conference, voice=voice, feedback_url=feedback_url,
                            status_url=transfer_url(base, TRANSFER_CONFERENCE, accepted.business,
                                                    accepted.id))


def connected(runtime: Runtime, hunt: Hunt, at: datetime | None = None) -> None:
    """The caller and the person are talking: time-to-human stops here (lock held), or at
    `at`, when the carrier said when they met (a join event's Timestamp) and that was earlier.

    A hunt already connected without it (the agent's leg ended before the join's callback
    came: Twilio keeps no order between a call's and a conference's callbacks) is timed again
    from a join's Timestamp that is clearly earlier than the moment we had."""
    if hunt.status == CONNECTED and at is not None:
        known = parse_iso(hunt.connected_at)
        if known is not None and known - at > LATE_CALLBACK:
            hunt.connected_at = iso(at)
            note_transfer(runtime, hunt, True, outcome="transferred")
            event("transfer.connected_retimed", log, business=hunt.business, hunt=hunt.id)
        return
    if hunt.status != ACCEPTED:
        return
    hunt.status = CONNECTED
    now = runtime.clock()
    hunt.connected_at = iso(at if at is not None and at < now else now)
    note_transfer(runtime, hunt, True, outcome="transferred")
    event("transfer.connected", log, business=hunt.business, hunt=hunt.id, agent=hunt.agent)


def leg_status(runtime: Runtime, business_key: str, hunt_id: str, leg: str, status: str,
               index: str = "") -> None:
    """An agent leg's status callback: unanswered legs move the hunt on; an accepted leg that
    ended without a feedback keypress gets the feedback question by text. (`index`: see
    `answered`.)"""
    hunts = Hunts(runtime.store)
    ask = None
    with hunts.locked(business_key, hunt_id) as hunt:
        if hunt is not None:
            adopt(hunt, leg, index)
        if hunt is None or leg not in hunt.legs:
            return
        if status not in ENDED:
            if hunt.legs[leg] == "queued":
                hunt.legs[leg] = status
            return
        if hunt.leg == leg and hunt.open:
            move_on(runtime, hunt, leg, status)
        elif hunt.leg == leg and hunt.status in (ACCEPTED, CONNECTED):
            if hunt.channel == "voice" and hunt.status == ACCEPTED:
                connected(runtime, hunt)  # no join event yet (lost or late); they did talk
            ask = Hunt.from_json(hunt.to_json())
    if ask is not None:
        ask_by_text(runtime, ask)


def abandon(runtime: Runtime, hunt: Hunt) -> None:
    """The caller left before reaching a person: end the hunt and every agent leg (lock held).

    A ringing leg is cancelled; one that answered (hearing the summary, or on its way into the
    conference after pressing 1) is told the caller is no longer on the line. The REST calls
    run in a job, not here: this runs inside a webhook and under the hunt's lock, and the
    agent's own callbacks answer "no longer on the line" from the hunt's state meanwhile.
    """
    accepted_leg = hunt.leg if hunt.status == ACCEPTED else None
    hunt.status = ABANDONED
    ends: dict[str, str] = {}
    for leg, state in list(hunt.legs.items()):
        if state in SETTLED:
            continue
        ends[leg] = "tell" if state in ("answered", "accepted") else "cancel"
        hunt.legs[leg] = "canceled" if ends[leg] == "cancel" else "caller_gone"
    if accepted_leg:
        ends[accepted_leg] = "tell"
    note_transfer(runtime, hunt, False, outcome="abandoned")
    event("transfer.abandoned", log, business=hunt.business, hunt=hunt.id, legs=len(ends))
    if ends:
        end_legs(runtime, hunt, ends)


def end_legs(runtime: Runtime, hunt: Hunt, ends: dict[str, str]) -> None:
    """Queue `end_legs_job` for `ends` ({CallSid: "cancel" | "tell"}); if Redis cannot take
    the job, do it here (each REST call has the webhook's short timeout)."""
    key = f"{hunt.id}:{'-'.join(sorted(ends))}"
    try:
        enqueue_urgent(runtime.redis, end_legs_job, hunt.business, ends, name="end-legs",
                       business=hunt.business, key=key, conversation=hunt.record_id,
                       what="caller_gone", retry=())
    except Exception as exc:  # noqa: BLE001 - the agent must still be told
        event("transfer.end_legs_enqueue_failed", log, logging.ERROR, business=hunt.business,
              hunt=hunt.id, error=type(exc).__name__)
        stop_legs(runtime, hunt.business, ends)


def stop_legs(runtime: Runtime, business_key: str, ends: dict[str, str]) -> None:
    """Cancel ringing legs; tell answered ones the caller has gone, then hang them up.

    Twilio ignores `status=canceled` for a call already answered, so a leg answered meanwhile
    reaches `answered`, which finds the hunt over and says the same words: correct either way.
    """
    gone = twiml.say_then_hangup(GONE, _spoken(runtime, business_key))
    for leg, how in ends.items():
        try:
            if how == "cancel":
                runtime.twilio.calls(leg).update(status="canceled")
            else:
                runtime.twilio.calls(leg).update(twiml=gone)
        except Exception as exc:  # noqa: BLE001 - it may have ended on its own meanwhile
            event("transfer.end_leg_failed", log, logging.INFO, business=business_key, leg=leg,
                  error=type(exc).__name__)


def end_legs_job(business_key: str, ends: dict[str, str]) -> None:
    """Job: end the agent legs of a transfer whose caller has gone (see `abandon`)."""
    stop_legs(job_runtime(), business_key, ends)


def caller_gone(runtime: Runtime, business_key: str, call_sid: str) -> None:
    """The caller's call ended while we hunted or an agent was on the way in: the hunt ends.

    Called from the caller's own status callback (`/voice/status`), the one event Twilio
    always sends: a caller who hangs up before `<Dial><Conference>` ran never joined, so no
    conference event will ever say they left.
    """
    hunts = Hunts(runtime.store)
    with hunts.locked(business_key, f"conf-{call_sid}") as hunt:
        if hunt is not None and hunt.status in WAITING:
            abandon(runtime, hunt)


def conference_event(runtime: Runtime, business_key: str, hunt_id: str, kind: str,
                     call_sid: str, sequence: int | None = None,
                     at: datetime | None = None) -> None:
    """Conference status callbacks: the agent joining connects; the caller leaving abandons.

    The caller leaving (or their room ending: their endConferenceOnExit) before the agent is
    in ends the hunt even after the agent pressed 1. An agent who still joins a room after
    that (Twilio opens a new one under the same name) is told the caller has gone and let go.
    Callbacks arrive in any order, though: `sequence` (the conference's SequenceNumber) tells
    a join fired before the caller left, which arrived late, from one that came after — those
    two did talk, and the call is a transfer after all (`met`). `at` is the event's own
    Timestamp: a join recognised late is timed from when it happened.
    """
    hunts = Hunts(runtime.store)
    with hunts.locked(business_key, hunt_id) as hunt:
        if hunt is None:
            return
        joined = kind == "participant-join" and bool(call_sid) and call_sid == hunt.leg
        left = kind == "conference-end" or (
            kind == "participant-leave" and call_sid == hunt.caller_sid)
        if joined and hunt.status == ABANDONED:
            hunt.agent_joined_seq = sequence
            hunt.agent_joined_at = iso(at)
            if not met(runtime, hunt):
                end_legs(runtime, hunt, {call_sid: "tell"})
        elif joined:  # learned as it happened, our clock (finer than a Timestamp's whole
            # seconds) times it; a join callback that came late (held back, retried), in order
            # or after the agent's leg ended (`leg_status`), is timed from its own Timestamp
            late = at is not None and runtime.clock() - at > LATE_CALLBACK
            connected(runtime, hunt, at if late else None)
        elif left and hunt.status in WAITING:
            hunt.caller_left_seq = sequence
            abandon(runtime, hunt)
        elif left and hunt.status == ABANDONED and sequence is not None:
            known = hunt.caller_left_seq
            hunt.caller_left_seq = sequence if known is None else min(known, sequence)
            met(runtime, hunt)


def met(runtime: Runtime, hunt: Hunt) -> bool:
    """An abandoned hunt whose accepted agent joined before the caller left, as the
    conference's sequence numbers show once both events are in: connected after all (lock
    held). Time-to-human runs to the join's own Timestamp (when they met), else to when we
    learned it, a little late rather than never."""
    joined, left = hunt.agent_joined_seq, hunt.caller_left_seq
    if hunt.status != ABANDONED or not hunt.agent or joined is None or left is None \
            or joined >= left:
        return False
    hunt.status = ACCEPTED
    connected(runtime, hunt, parse_iso(hunt.agent_joined_at))
    event("transfer.connected_late", log, business=hunt.business, hunt=hunt.id)
    return True


def bridge_answered(runtime: Runtime, business_key: str, hunt_id: str) -> str:
    """The texter, dialled by the accepting agent, picked up: they are connected; greet them."""
    hunts = Hunts(runtime.store)
    with hunts.locked(business_key, hunt_id) as hunt:
        if hunt is None:
            return twiml.customer_greeting("someone", "our team", _spoken(runtime, business_key))
        connected(runtime, hunt)
        agent = first_name(hunt.agent or "someone")
    business = runtime.directory.by_key(business_key)
    return twiml.customer_greeting(agent, business.name if business else "our team",
                                   twiml.voice_of(business))
