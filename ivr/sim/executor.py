"""Runs a call leg's TwiML, verb by verb, the way Twilio does.

A document is fetched (signed webhook) or given inline; verbs run in order; <Redirect>, a
<Gather>/<Record>/<Dial> action or a REST update moves to the next document; running out of
verbs or <Hangup> ends the call. A failed fetch or unreadable TwiML plays Twilio's application
error message and hangs up — exactly what the product must never let a caller hear, so the
sim records it in `call.errors` and `carrier.errors` for tests to assert on.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass

from ivr.sim import dial, fallback
from ivr.sim.call import Call, Document, HungUp, Input, Interrupted
from ivr.sim.conference import truthy
from ivr.sim.controls import hears_speech
from ivr.sim.progress import call_params, progress
from ivr.sim.recording import Recording, as_wav, tone
from ivr.sim.streams import Stream, start_stream, stop_streams

#: What Twilio says when the app fails a voice webhook.
APPLICATION_ERROR = "We are sorry, an application error has occurred. Goodbye."
#: Documents one call may run before the sim declares a redirect loop.
MAX_DOCUMENTS = 300


@dataclass(frozen=True)
class Finish:
    """The document asked to end the call (<Hangup>, <Reject>)."""

    status: str
    how: str = "hangup"


Verb = Callable[[Call, ET.Element, str], "Document | Finish | None"]


def resolve(call: Call, url: str | None, base: str) -> str:
    return call.carrier.webhooks.absolute((url or "").strip(), base)


def load(call: Call, document: Document) -> tuple[ET.Element | None, str]:
    """Fetch (or take inline) a document; returns (<Response> root or None on error, its URL).

    A fetched document that fails goes to the call's fallback URL, if it has one
    (ivr/sim/fallback.py); the caller hears the application error only when that fails too.
    """
    webhooks = call.carrier.webhooks
    url = document.url or webhooks.public_url + "/"
    if document.twiml is not None:
        root, problem = parse(call, url, document.twiml)
        return (root if root is not None else fail(call, problem)), url
    params = {**call_params(call), **document.params}
    exchange = fallback.fetch(call.carrier, url, params, document.method)
    if exchange.ok:
        root, problem = parse(call, url, exchange.body)
        if root is not None:
            return root, url
        code = fallback.DOCUMENT_PARSE_FAILURE
    else:
        problem = f"{document.method} {url} answered {exchange.status} {exchange.error}".strip()
        code = fallback.error_code(exchange)
    if call.fallback is None:
        return fail(call, problem), url
    call.carrier.note_error(f"{call.sid}: {problem} (error {code}; fallback URL requested)")
    rescue = call.fallback
    exchange = fallback.fetch(call.carrier, rescue.url,
                              {**call_params(call), "ErrorCode": str(code), "ErrorUrl": url},
                              rescue.method)
    if not exchange.ok:
        return fail(call, f"fallback {rescue.url} answered {exchange.status} "
                          f"{exchange.error}".strip()), rescue.url
    root, problem = parse(call, rescue.url, exchange.body)
    return (root if root is not None else fail(call, problem)), rescue.url


def parse(call: Call, url: str, text: str) -> tuple[ET.Element | None, str]:
    """The <Response> root of a TwiML document (logged), or None and what is wrong with it."""
    call.twiml_log.append((url, text))
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        return None, f"{url} returned invalid TwiML: {exc}"
    if root.tag != "Response":
        return None, f"{url} returned <{root.tag}>, not <Response>"
    return root, ""


def fail(call: Call, problem: str) -> None:
    call.errors.append(problem)
    call.heard.append(APPLICATION_ERROR)
    call.carrier.note_error(f"{call.sid}: {problem}")
    return None


def run(call: Call, document: Document | None) -> Finish:
    """Run documents until the call is done; returns how it ended."""
    count = 0
    while document is not None:
        count += 1
        if count > MAX_DOCUMENTS:
            fail(call, f"more than {MAX_DOCUMENTS} documents: redirect loop?")
            return Finish("completed", "error")
        try:
            call.checkpoint()
            root, url = load(call, document)
            if root is None:
                if call.status == "ringing":  # Twilio answers to say the error message
                    progress(call, "in-progress")
                return Finish("completed", "error")
            if call.status == "ringing":
                first = root[0].tag if len(root) else ""
                if first != "Reject":
                    progress(call, "in-progress")
            document = None
            for element in root:
                call.checkpoint()
                result = execute(call, element, url)
                if isinstance(result, Finish):
                    return result
                if result is not None:
                    document = result
                    break
        except Interrupted as interruption:
            document = interruption.document
        except HungUp as gone:
            return Finish(gone.status, "gone")
    return Finish("completed", "end")


def execute(call: Call, element: ET.Element, url: str) -> Document | Finish | None:
    verb = VERBS.get(element.tag)
    if verb is None:
        if element.tag == "Dial":
            return dial.dial(call, element, url)
        call.carrier.note_error(f"{call.sid}: <{element.tag}> is not simulated; skipped")
        return None
    return verb(call, element, url)


# --- verbs ---------------------------------------------------------------------------------------
def say(call: Call, el: ET.Element, url: str) -> None:
    text = " ".join("".join(el.itertext()).split())
    if text:
        call.heard.append(text)
        spoken = call.carrier.say_seconds(text)
        if spoken > 0:  # Twilio speaks in real time: a hangup or an update can land meanwhile
            call.block("say", spoken, {"text": text})


def play(call: Call, el: ET.Element, url: str) -> None:
    if el.get("digits"):
        call.heard.append(f"[digits {el.get('digits')}]")
        return
    media = resolve(call, el.text, url)
    call.heard.append(f"[play {media}]")
    exchange = call.carrier.webhooks.fetch(media)
    if not exchange.ok:
        call.errors.append(f"<Play> {media} answered {exchange.status} {exchange.error}")
        call.carrier.note_error(f"{call.sid}: <Play> {media} could not be fetched")


def pause(call: Call, el: ET.Element, url: str) -> None:
    length = float(el.get("length", 1))
    call.block("pause", length * call.carrier.pause_scale, {"length": length})


def next_input(call: Call, kind: str, timeout: float, info: dict[str, object]) -> Input | None:
    """What the person does at a gather/record: a seat's autopilot acts at once, a test or a
    terminal user acts through `call.press`/`say`/`leave_message`/`silence`."""
    if call.autopilot is not None:
        call.checkpoint()
        if kind == "gather" and call.autopilot:
            return Input(digits=call.autopilot.popleft())
        return None
    return call.block(kind, timeout * call.carrier.timeout_scale, info, accepts_input=True)


def gather(call: Call, el: ET.Element, url: str) -> Document | None:
    start = len(call.heard)
    for child in el:
        if child.tag in ("Say", "Play", "Pause"):
            VERBS[child.tag](call, child, url)
    info: dict[str, object] = {**el.attrib, "prompt": call.heard[start:]}
    item = next_input(call, "gather", float(el.get("timeout", 5)), info)
    action = resolve(call, el.get("action"), url) if el.get("action") else url
    params: dict[str, str] = {}
    # Words at a keypad-only Gather are posted nowhere, as on Twilio (`call.say` refuses them).
    if item is not None and item.speech is not None and hears_speech(info):
        params = {"SpeechResult": item.speech, "Confidence": f"{item.confidence:.2f}"}
    elif item is not None and item.digits:
        digits, finish_key = item.digits, el.get("finishOnKey", "#")
        if finish_key and finish_key in digits:
            digits = digits[:digits.index(finish_key)]
            params["FinishedOnKey"] = finish_key
        if el.get("numDigits"):
            digits = digits[:int(el.get("numDigits", "0"))]
        if digits:
            params["Digits"] = digits
    if not params.get("Digits") and "SpeechResult" not in params:
        if not truthy(el.get("actionOnEmptyResult"), False):
            return None
        params["Digits"] = ""
    return Document(action, el.get("method", "POST"), params)


def redirect(call: Call, el: ET.Element, url: str) -> Document:
    return Document(resolve(call, el.text, url), el.get("method", "POST"))


def hangup(call: Call, el: ET.Element, url: str) -> Finish:
    return Finish("completed")


def reject(call: Call, el: ET.Element, url: str) -> Finish:
    return Finish("busy" if el.get("reason") == "busy" else "no-answer", "reject")


def record(call: Call, el: ET.Element, url: str) -> Document | None:
    if truthy(el.get("playBeep"), True):
        call.heard.append("[beep]")
    item = next_input(call, "record", float(el.get("timeout", 5)), dict(el.attrib))
    if item is None or item.audio is None:
        return None  # nothing was said: Twilio moves on to the next verb
    wav, seconds = as_wav(item.audio or tone())
    recording = Recording(call.sid, wav, seconds)
    carrier = call.carrier
    carrier.recordings[recording.sid] = recording
    finish_keys = el.get("finishOnKey", "1234567890*#")
    params = {"RecordingUrl": recording.media_url(carrier), "RecordingSid": recording.sid,
              "RecordingDuration": str(max(1, round(seconds))),
              "Digits": "hangup" if item.hangup_after else finish_keys[:1]}
    if el.get("recordingStatusCallback"):
        events = (el.get("recordingStatusCallbackEvent") or "completed").split()
        if "completed" in events:
            carrier.notify(resolve(call, el.get("recordingStatusCallback"), url), {
                "AccountSid": carrier.account_sid, "CallSid": call.sid,
                "RecordingSid": recording.sid, "RecordingUrl": recording.media_url(carrier),
                "RecordingStatus": "completed", "RecordingDuration": params["RecordingDuration"],
                "RecordingChannels": "1", "RecordingSource": "RecordVerb", "ErrorCode": "0",
            }, el.get("recordingStatusCallbackMethod", "POST"))
    action = resolve(call, el.get("action"), url) if el.get("action") else url
    document = Document(action, el.get("method", "POST"), params)
    if item.hangup_after:
        call.carrier.webhooks.request(action, {**call_params(call), **params}, document.method)
        raise HungUp("completed")
    return document


def stream_of(call: Call, el: ET.Element, bidirectional: bool) -> Stream:
    url = (el.get("url") or "").strip()
    parameters = {p.get("name", ""): p.get("value", "") for p in el.findall("Parameter")}
    return Stream(call, url, call.carrier.webhooks.local_ws(url), name=el.get("name"),
                  track=el.get("track", "inbound_track"), parameters=parameters,
                  bidirectional=bidirectional, status_callback=el.get("statusCallback"))


def start(call: Call, el: ET.Element, url: str) -> None:
    for child in el:
        if child.tag == "Stream":
            start_stream(call, stream_of(call, child, bidirectional=False))
        else:
            call.carrier.note_error(f"{call.sid}: <Start><{child.tag}> is not simulated")


def stop(call: Call, el: ET.Element, url: str) -> None:
    for child in el:
        if child.tag == "Stream":
            stop_streams(call, child.get("name"))


def connect(call: Call, el: ET.Element, url: str) -> Document | None:
    child = el.find("Stream")
    if child is None:
        call.carrier.note_error(f"{call.sid}: only <Connect><Stream> is simulated")
        return None
    stream = stream_of(call, child, bidirectional=True)
    start_stream(call, stream)
    try:
        call.block("connect", None, {"stream": stream}, until=stream.stopped.is_set)
    finally:
        stream.stop()
    if el.get("action"):
        return Document(resolve(call, el.get("action"), url), el.get("method", "POST"))
    return None


VERBS: dict[str, Verb] = {
    "Say": say, "Play": play, "Pause": pause, "Gather": gather, "Redirect": redirect,
    "Hangup": hangup, "Reject": reject, "Record": record, "Start": start, "Stop": stop,
    "Connect": connect,
}
