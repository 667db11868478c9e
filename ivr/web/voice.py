"""Voice webhooks: the call comes in, each answer comes back, the call ends.

`POST /voice/incoming` (a business number's Voice URL) and `POST /voice/status` (its status
callback) are the contract; `/voice/gather`, `/voice/timeout`, `/voice/next`, `/voice/listen`,
`/voice/recorded` and `/voice/fallback` are the app's own callbacks, named in the TwiML it
returns. Views only translate the carrier's form into calls on `ivr.conversation.voice`; every one is
signature-checked, and every failure still answers TwiML that reaches a person or says a polite
word — a caller never hears "an application error has occurred".
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, request
from werkzeug.exceptions import HTTPException

from ivr.config.business import Business
from ivr.conversation import voice, voice_fallback
from ivr.conversation.recorded_answers import enqueue_transcription
from ivr.conversation.voice_close import close_call
from ivr.conversation.voice_handoff import human_twiml, nobody_left, voice_of
from ivr.conversation.voice_hold import listening, waiting
from ivr.flow.events import Input
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.twilio import urls
from ivr.twilio.twiml import CONNECTING, SORRY, Voice, polite_goodbye
from ivr.web import retries
from ivr.web.context import current_runtime
from ivr.web.security import twilio_signed

log = logging.getLogger("ivr.web.voice")

bp = Blueprint("voice", __name__)

#: What an unknown number hears (a Voice URL pointed at us for a number we don't serve).
NOT_IN_SERVICE = "Sorry, this number is not set up to take calls yet. Please try again later."

#: The answer when even the business is unknown or the fallback itself failed.
LAST_RESORT = polite_goodbye(Voice(), SORRY)

#: An empty TwiML document (status callbacks expect no verbs).
EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response />'

_KEYS = set("0123456789*#")

#: Longest keypad entry taken (a budget, an order number); the rest is noise.
MAX_DIGITS = 32



def twiml(xml: str) -> Response:
    return Response(xml, status=200, mimetype="text/xml")


def _business(runtime: Runtime) -> Business | None:
    """The business a callback belongs to: our own `business` query key, else To, else From
    (status callbacks of calls we placed carry the business number in From)."""
    key = request.args.get("business")
    if key:
        return runtime.directory.by_key(key)
    for field in ("To", "Called", "From"):
        number = request.form.get(field, "")
        business = runtime.directory.by_number(number) if number else None
        if business is not None:
            return business
    return None


def _call_sid() -> str:
    sid = request.form.get("CallSid", "").strip()
    if not sid:
        abort(400, description="CallSid is required")
    return sid


def _int_arg(name: str, default: int | None = None) -> int:
    raw = request.args.get(name)
    if raw is None and default is not None:
        return default
    try:
        value = int(raw or "")
    except ValueError:
        abort(400, description=f"query parameter {name} must be a whole number")
    if value < 0:
        abort(400, description=f"query parameter {name} must not be negative")
    return value


def caller_safe(view: Callable[..., Any]) -> Callable[..., Any]:
    """Any failure inside a voice view answers TwiML that rings the business's people (or a
    polite goodbye) instead of a 5xx, which Twilio would speak as an application error."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except HTTPException:
            raise
        except Exception as exc:  # noqa: BLE001 - the whole point: never a 5xx to a caller
            event("voice.failed", log, logging.ERROR, path=request.path,
                  sid=request.form.get("CallSid", "-"), error=type(exc).__name__)
            try:
                runtime = current_runtime()
                business = _business(runtime)
                if business is None:
                    return twiml(LAST_RESORT)
                return twiml(human_twiml(runtime, business, urls.public_base(runtime.settings.public_url),
                                         intro=CONNECTING))
            except Exception:  # noqa: BLE001 - even the fallback failed: say goodbye politely
                return twiml(LAST_RESORT)

    return wrapper


def _callback() -> tuple[Runtime, Business, str]:
    """Runtime, business and CallSid of one of our own callbacks; an unknown business is a
    bad request (the URLs we hand Twilio always carry it)."""
    runtime = current_runtime()
    call_sid = _call_sid()
    business = _business(runtime)
    if business is None:
        abort(400, description="unknown business")
    return runtime, business, call_sid


def voice_route(path: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """A POST route Twilio calls during a call: signature-checked, and failure-safe."""

    def register(view: Callable[..., Any]) -> Callable[..., Any]:
        return bp.post(path)(twilio_signed(caller_safe(view)))

    return register


@voice_route(urls.VOICE_INCOMING)
def incoming():
    """A call rings in: greet it and ask the first question (a number we don't serve hears a
    polite message)."""
    runtime = current_runtime()
    call_sid = _call_sid()
    business = _business(runtime)
    if business is None:
        event("voice.unknown_number", log, logging.WARNING, sid=call_sid,
              to=request.form.get("To", "-"))
        return twiml(polite_goodbye(Voice(), NOT_IN_SERVICE))
    caller = request.form.get("From", "").strip() or "anonymous"
    return twiml(voice.start_call(runtime, business, call_sid, caller))


@voice_route(urls.VOICE_GATHER)
def gather():
    """A Gather's answer: keypad digits, or typed/recognised speech (SpeechResult)."""
    runtime, business, call_sid = _callback()
    turn = _int_arg("turn")
    inp = _input_from_form()
    if inp is None:
        return _closed(twiml(voice.on_silence(runtime, business, call_sid, turn)))
    xml = voice.answer(runtime, business, call_sid, turn, inp)
    # Lost the race (speech already answered this turn): follow the winner's step.
    return _closed(twiml(xml if xml is not None else waiting(runtime, business, call_sid, turn)))


def _closed(response: Response) -> Response:
    """A turn of a call with no Media Stream is saved with the request's closing writes
    (`ivr.conversation.voice`): they are sent here, in the view, so Redis failing reaches
    `caller_safe` (the caller is put through to a person) rather than losing the turn."""
    if current_runtime().store.holds_a_turn():
        return retries.close(response)
    return response


def _input_from_form() -> Input | None:
    """Digits win over speech; Twilio sends SpeechResult/Confidence for speech gathers."""
    digits = request.form.get("Digits", "").strip()
    if digits and set(digits) <= _KEYS:
        return Input.digits(digits[:MAX_DIGITS])
    speech = request.form.get("SpeechResult", "").strip()
    if speech:
        try:
            confidence = float(request.form.get("Confidence", "") or 1.0)
        except ValueError:
            confidence = 0.0
        if not math.isfinite(confidence):
            confidence = 0.0
        return Input.speech(speech[:500], max(0.0, min(1.0, confidence)))
    return None


@voice_route(urls.VOICE_TIMEOUT)
def timeout():
    """The Gather heard nothing: silence is this turn's answer (unless speech beat it)."""
    runtime, business, call_sid = _callback()
    return _closed(twiml(voice.on_silence(runtime, business, call_sid, _int_arg("turn"),
                                          _int_arg("wait", 0))))


@voice_route(urls.VOICE_NEXT)
def next_step():
    """The step after turn N, once whoever answered it has stored it; else a short hold."""
    runtime, business, call_sid = _callback()
    return twiml(waiting(runtime, business, call_sid, _int_arg("turn"), _int_arg("wait", 0)))


@voice_route(urls.VOICE_LISTEN)
def listen():
    """Barge-in: the caller is talking over the prompt; keep listening without it."""
    runtime, business, call_sid = _callback()
    return twiml(listening(runtime, business, call_sid, _int_arg("turn")))


@voice_route(urls.VOICE_RECORDED)
def recorded():
    """Record mode: the spoken answer was recorded; transcribe it in the background."""
    runtime, business, call_sid = _callback()
    turn = _int_arg("turn")
    recording = request.form.get("RecordingUrl", "").strip()
    if not recording:
        return twiml(voice.on_silence(runtime, business, call_sid, turn))
    if voice.claim(runtime, business, call_sid, turn, "recording"):
        enqueue_transcription(runtime, business.key, call_sid, turn, recording)
    return twiml(waiting(runtime, business, call_sid, turn))


@voice_route(urls.VOICE_FALLBACK)
def fallback():
    """The number's Voice fallback URL (Twilio adds ErrorCode: the Voice URL failed), and the
    outcome of each direct Dial to a person it makes: done if they talked, else ring the next."""
    runtime, business, call_sid = _callback()
    if request.form.get("DialCallStatus") == "completed":
        voice_fallback.talked(runtime, business, call_sid)
        return twiml(polite_goodbye(voice_of(business), "Goodbye."))
    step = _int_arg("step", 0)
    base = urls.public_base(runtime.settings.public_url)
    error = request.form.get("ErrorCode", "").strip()
    if error and step == 0:  # Twilio's own request: the caller has heard nothing from us yet
        voice_fallback.fell_back(runtime, business, call_sid,
                                 request.form.get("From", "").strip(), error)
        return twiml(human_twiml(runtime, business, base, intro=CONNECTING))
    if step and nobody_left(runtime, business, step):
        voice_fallback.nobody(runtime, business, call_sid)
    return twiml(human_twiml(runtime, business, base, step=step))


@bp.post(urls.VOICE_STATUS)
@twilio_signed
def status():
    """Call status callback: a finished call closes its conversation (once per status)."""
    runtime = current_runtime()
    call_sid = _call_sid()
    raw = request.form.get("CallDuration", "").strip()
    try:
        duration = float(raw) if raw else None
    except ValueError:
        abort(400, description="CallDuration must be a number of seconds")
    business = _business(runtime)
    if business is not None:
        try:
            close_call(runtime, business, call_sid, request.form.get("CallStatus", ""),
                       duration)
        except Exception as exc:  # noqa: BLE001 - nobody is listening; log and acknowledge
            event("voice.close_failed", log, logging.ERROR, business=business.key,
                  sid=call_sid, error=type(exc).__name__)
    return twiml(EMPTY)
