"""<Dial>: ring other numbers (first to answer is bridged, after its whisper <Number url>) or put
the leg in a <Conference>; afterwards request the Dial `action` or continue with the next verb.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ivr.sim import executor, lifecycle
from ivr.sim.call import Call, Document, HungUp, Interrupted
from ivr.sim.conference import Participant, room_for, truthy
from ivr.sim.progress import call_params


def dial(call: Call, el: ET.Element, url: str) -> Document | None:
    """Run one <Dial>; returns the action document (or None to go on with the next verb)."""
    action = executor.resolve(call, el.get("action"), url) if el.get("action") else None
    method = el.get("method", "POST")
    nouns = list(el)
    room = next((n for n in nouns if n.tag == "Conference"), None)
    try:
        if room is not None:
            result = join_conference(call, room, url)
        else:
            result = dial_numbers(call, el, nouns, url)
    except HungUp:
        if action:  # Twilio still reports how the dial ended; the TwiML it returns is moot
            call.carrier.webhooks.request(action, {**call_params(call), "DialCallStatus":
                                                   "completed"}, method)
        raise
    if action:
        return Document(action, method, result)
    return None


def dial_numbers(call: Call, el: ET.Element, nouns: list[ET.Element],
                 url: str) -> dict[str, str]:
    targets: list[tuple[str, Document | None]] = []
    for noun in nouns or [el]:
        if noun is not el and noun.tag != "Number":
            call.carrier.note_error(f"{call.sid}: <Dial><{noun.tag}> is not simulated")
            continue
        number = (noun.text or "").strip()
        whisper = None
        if noun is not el and noun.get("url"):
            whisper = Document(executor.resolve(call, noun.get("url"), url), noun.get("method", "POST"))
        targets.append((number, whisper))
    caller_id = el.get("callerId") or call.from_
    timeout = float(el.get("timeout", 30))
    legs = [lifecycle.start_dial_leg(call, number, caller_id, whisper, timeout)
            for number, whisper in targets]
    if not legs:
        return {"DialCallStatus": "failed"}
    winner: Call | None = None
    try:
        call.block("dial", None, {"to": [leg.to for leg in legs]},
                   until=lambda: any(leg.bridge is call for leg in legs)
                   or all(leg.ended for leg in legs))
        winner = next((leg for leg in legs if leg.bridge is call), None)
        for leg in legs:
            if leg is not winner:
                leg.end("canceled")
        if winner is None:
            first = legs[0]
            status = first.status if first.status != "completed" else "no-answer"
            return {"DialCallStatus": status, "DialCallSid": first.sid}
        call.bridge = winner
        call.block("bridged", None, {"to": winner.to},
                   until=lambda: winner.ended or winner.bridge is not call)
        return {"DialCallStatus": "completed", "DialCallSid": winner.sid,
                "DialCallDuration": str(winner.duration), "DialBridged": "true"}
    finally:
        call.bridge = None
        for leg in legs:
            if leg.bridge is call:
                leg.end("completed")


def join_conference(call: Call, noun: ET.Element, url: str) -> dict[str, str]:
    name = (noun.text or "").strip()
    room = room_for(call.carrier, name)
    member = Participant(
        call, room, start_on_enter=truthy(noun.get("startConferenceOnEnter"), True),
        end_on_exit=truthy(noun.get("endConferenceOnExit"), False),
        muted=truthy(noun.get("muted"), False), coaching=truthy(noun.get("coach"), False),
        label=noun.get("participantLabel"), wait_url=noun.get("waitUrl"))
    callback = executor.resolve(call, noun.get("statusCallback"), url) \
        if noun.get("statusCallback") else None
    room.join(member, callback, noun.get("statusCallbackEvent", ""),
              noun.get("statusCallbackMethod", "POST"))
    try:
        if room.status == "init":
            wait_music(call, noun, url, member)
        call.block("conference", None, {"name": name, "sid": room.sid},
                   until=lambda: member.kicked or room.status == "completed")
    except HungUp:
        room.leave(member, "participant_hung_up", "completed")
        raise
    except Interrupted:
        room.leave(member, "participant_updated_via_api")
        raise
    why = ("participant_was_kicked" if member.kicked
           else (room.end_reason or "conference_ended").replace("-", "_"))
    room.leave(member, why)
    return {"DialCallStatus": "completed", "ConferenceSid": room.sid}


def wait_music(call: Call, noun: ET.Element, url: str, member: Participant) -> None:
    """What a participant hears before the conference starts: the waitUrl's <Say>/<Play>, or
    Twilio's default hold music when there is no waitUrl.

    The document is played once, each pass lasting `carrier.hold_loop_s`; only a <Redirect>
    in it fetches a document again. Twilio's docs do not promise that a waitUrl is re-fetched
    when it ends, so the sim takes the reading an app cannot rely on: no <Redirect>, no news.
    """
    wait_url = noun.get("waitUrl")
    if wait_url is None:
        call.heard.append("[hold music]")
        return
    if not wait_url.strip():
        return
    room = member.conference
    document: Document | None = Document(executor.resolve(call, wait_url, url),
                                         noun.get("waitMethod", "POST"))
    while document is not None and room.status == "init" and not member.kicked:
        root, doc_url = executor.load(call, document)
        if root is None:
            return
        document = None
        for element in root:
            if element.tag in ("Say", "Play"):
                executor.VERBS[element.tag](call, element, doc_url)
            elif element.tag == "Redirect":
                document = executor.redirect(call, element, doc_url)
                break
        call.block("conference", call.carrier.hold_loop_s, {"name": room.name, "sid": room.sid},
                   until=lambda: member.kicked or room.status != "init")
