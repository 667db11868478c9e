"""How calls begin and end: a handset calling the app, the app calling out by REST (agent legs,
conference participants), <Dial> legs, REST updates — and how seats answer them.

Seat behaviours: accept (answers, presses its keys at the whisper's gathers), pass (presses 2),
no_answer (rings out), busy, voicemail (answers as a machine: AnsweredBy=machine_start when
MachineDetection was asked; presses nothing), manual (answers; the test drives the call).
A seat's `answered_by` overrides what detection reports (e.g. "unknown").
A number nobody is seated at never answers.
"""

from __future__ import annotations

import contextlib
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ivr.sim.call import Call, Document, HungUp, Interrupted
from ivr.sim.executor import Finish, run
from ivr.sim.fallback import Fallback
from ivr.sim.ids import new_sid
from ivr.sim.progress import progress
from ivr.sim.streams import stop_streams

if TYPE_CHECKING:
    from ivr.sim.carrier import Carrier
    from ivr.sim.phone import Phone

#: A business number's Voice URL and call status callback (docs/contracts.md).
VOICE_PATH = "/voice/incoming"
STATUS_PATH = "/voice/status"


def start_inbound(carrier: Carrier, phone: Phone, to: str,
                  on_stream: Callable[..., object] | None = None) -> Call:
    """`phone` dials the app's number `to`."""
    call = Call(carrier, new_sid("CA"), phone.number, to, "inbound", phone=phone)
    call.on_stream = on_stream
    call.status_callback = carrier.webhooks.absolute(STATUS_PATH)
    call.fallback = carrier.voice_fallback
    carrier.record_call(call)
    phone.add_call(call)
    call.set_status("ringing")

    def live() -> None:
        outcome = run(call, Document(carrier.webhooks.absolute(VOICE_PATH)))
        finish(call, outcome.status)

    carrier.spawn(live, "call")
    return call


def finish(call: Call, status: str) -> None:
    stop_streams(call)
    if call.status in ("queued", "ringing") and status == "completed":
        status = "canceled"
    progress(call, status)


def autopilot(phone: Phone) -> deque[str] | None:
    """The keys a seat presses at the gathers of a call it answered (None: a test drives)."""
    if phone.behaviour == "manual":
        return None
    if phone.behaviour == "pass":
        return deque(["2"])
    if phone.behaviour == "voicemail":
        return deque()
    return deque(phone.keys)


def ring(call: Call, timeout: float) -> str | None:
    """Ring the callee's phone; None when answered, else the final status."""
    carrier, phone = call.carrier, call.phone
    behaviour = phone.behaviour if phone else None
    progress(call, "initiated")
    progress(call, "ringing")
    try:
        if behaviour == "busy":
            return "busy"
        if behaviour in (None, "no_answer"):
            call.block("ringing", min(timeout, carrier.no_answer_s))
            return "no-answer"
        call.block("ringing", carrier.ring_s)
    except HungUp:
        return "canceled"
    except Interrupted:
        return None
    return None


def outbound(carrier: Carrier, to: str, from_: str, direction: str,
             parent: Call | None = None) -> Call:
    phone = carrier.phone(to)
    call = Call(carrier, new_sid("CA"), from_, to, direction, phone=phone, parent=parent)
    carrier.record_call(call)
    phone.add_call(call)
    return call


def create_rest_call(carrier: Carrier, form: Any) -> Call:
    """REST Calls.json: the app calls someone (an agent leg, a callback)."""
    call = outbound(carrier, form["To"], form["From"], "outbound-api")
    call.status_callback = form.get("StatusCallback") or None
    call.status_method = form.get("StatusCallbackMethod", "POST")
    events = [e for value in form.getlist("StatusCallbackEvent") for e in value.split()]
    call.status_events = tuple(events) or ("completed",)
    if form.get("Twiml"):
        document = Document(carrier.webhooks.public_url + "/", twiml=form["Twiml"])
    else:
        document = Document(carrier.webhooks.absolute(form["Url"]), form.get("Method", "POST"))
    if form.get("FallbackUrl"):
        call.fallback = Fallback(carrier.webhooks.absolute(form["FallbackUrl"]),
                                 form.get("FallbackMethod", "POST"))
    detection = form.get("MachineDetection")
    timeout = float(form.get("Timeout", 60) or 60)

    def live() -> None:
        final = ring(call, timeout)
        if final:
            finish(call, final)
            return
        if detection:
            call.answered_by = detected(call, detection)
        call.autopilot = autopilot(call.phone) if call.phone else None
        progress(call, "in-progress")
        finish(call, run(call, document).status)

    carrier.spawn(live, "call")
    return call


def detected(call: Call, detection: str) -> str:
    """AnsweredBy for an answered call whose creator asked for MachineDetection: the seat's
    own `answered_by`, else a machine for a voicemail seat, else a human."""
    phone = call.phone
    if phone is not None and phone.answered_by:
        return phone.answered_by
    if phone is not None and phone.behaviour == "voicemail":
        return "machine_end_beep" if detection == "DetectMessageEnd" else "machine_start"
    return "human"


def start_dial_leg(parent: Call, to: str, caller_id: str, whisper: Document | None,
                   timeout: float) -> Call:
    """A <Dial><Number> leg: ring, run the whisper, then stay bridged to `parent`."""
    carrier = parent.carrier
    call = outbound(carrier, to, caller_id, "outbound-dial", parent)

    def live() -> None:
        final = ring(call, timeout)
        if final:
            finish(call, final)
            parent.poke()
            return
        call.autopilot = autopilot(call.phone) if call.phone else None
        progress(call, "in-progress")
        outcome: Finish = run(call, whisper) if whisper else Finish("completed", "end")
        while outcome.how == "end":
            call.bridge = parent
            parent.poke()
            try:
                call.block("bridged", None, {"to": parent.to})
            except HungUp as gone:
                outcome = Finish(gone.status, "gone")
            except Interrupted as moved:
                call.bridge = None
                parent.poke()
                outcome = run(call, moved.document)
        call.bridge = None
        finish(call, outcome.status)
        parent.poke()

    carrier.spawn(live, "dial-leg")
    return call


def update_call(call: Call, form: Any) -> str | None:
    """REST Calls/{Sid}.json POST; returns a problem message for a 400, else None."""
    status = form.get("Status")
    if status in ("canceled", "completed"):
        if not call.ended and (status == "completed" or call.status in ("queued", "ringing")):
            resting = call.waiting is not None  # not mid-webhook: it ends at once
            call.end(status)
            if resting:
                with contextlib.suppress(AssertionError):
                    call.wait_until("ended", 2.0, drain=False)
        return None
    if form.get("Url") or form.get("Twiml"):
        if call.ended:
            return "Call is not in-progress. Cannot redirect."
        webhooks = call.carrier.webhooks
        if form.get("Twiml"):
            call.interrupt(Document(webhooks.public_url + "/", twiml=form["Twiml"]))
        else:
            call.interrupt(Document(webhooks.absolute(form["Url"]), form.get("Method", "POST")))
    return None


def add_participant(carrier: Carrier, conference: str, form: Any) -> dict[str, object]:
    """REST Participants.json POST: call `To` and put them in the conference when they answer."""
    with carrier.lock:
        found = [c for c in carrier.conferences if conference in (c.sid, c.name)]
    name = found[-1].name if found else conference
    response = ET.Element("Response")
    noun = ET.SubElement(ET.SubElement(response, "Dial"), "Conference")
    noun.text = name
    for param, attribute in (("StartConferenceOnEnter", "startConferenceOnEnter"),
                             ("EndConferenceOnExit", "endConferenceOnExit"),
                             ("Muted", "muted"), ("Beep", "beep"), ("WaitUrl", "waitUrl"),
                             ("Label", "participantLabel"),
                             ("ConferenceStatusCallback", "statusCallback"),
                             ("ConferenceStatusCallbackEvent", "statusCallbackEvent")):
        values = form.getlist(param)
        if values:
            noun.set(attribute, " ".join(values))
    fields = {key: form.getlist(key) for key in form}
    fields["Twiml"] = [ET.tostring(response, encoding="unicode")]
    fields.pop("Url", None)
    call = create_rest_call(carrier, _Form(fields))
    return {"account_sid": carrier.account_sid, "call_sid": call.sid,
            "conference_sid": found[-1].sid if found else None, "label": form.get("Label"),
            "muted": form.get("Muted", "false").lower() == "true", "hold": False,
            "coaching": False, "status": "queued",
            "start_conference_on_enter": form.get("StartConferenceOnEnter", "true") == "true",
            "end_conference_on_exit": form.get("EndConferenceOnExit", "false") == "true",
            "date_created": None, "date_updated": None, "uri": None}


class _Form(dict):
    """A MultiDict-like view (get/getlist) over {key: [values]}."""

    def get(self, key: str, default: Any = None) -> Any:
        values = super().get(key)
        return values[0] if values else default

    def getlist(self, key: str) -> list[str]:
        return list(super().get(key) or [])

    def __getitem__(self, key: str) -> str:
        return super().__getitem__(key)[0]
