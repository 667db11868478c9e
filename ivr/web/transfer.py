"""The app's own callbacks for warm transfers, and `GET /api/oncall`.

Twilio calls these while a transfer runs: the caller's hold music (the conference waitUrl),
the agent's whisper and keypress, agent-leg and conference status callbacks, the voicemail
offer when nobody takes the call, and the agent's feedback keypress. Each is signature-checked
and answers valid TwiML on every path (a broken callback must never play Twilio's "application
error" to a caller or an agent). The logic lives in `ivr.handoff.transfer` and `ivr.handoff.agent_leg`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import wraps
from typing import Any

from flask import Blueprint, Response, abort, request, send_from_directory
from werkzeug.exceptions import HTTPException

from ivr.config.business import Business
from ivr.config.oncall import find_business, first_name, roster_view
from ivr.handoff import agent_leg, feedback
from ivr.handoff.summary_audio import local_audio
from ivr.handoff.transfer import callback_when, voicemail_twiml
from ivr.handoff.voicemail_intake import take_voicemail
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.speech.hold_audio import FILE_NAME, hold_file
from ivr.store.hunts import Hunt, Hunts
from ivr.twilio import transfer as twiml
from ivr.twilio import urls
from ivr.web.context import current_runtime
from ivr.web.hardening import fail
from ivr.web.security import api_auth, twilio_signed

log = logging.getLogger("ivr.web.transfer")

bp = Blueprint("transfer", __name__)

SORRY = "Sorry, something went wrong connecting this call. Goodbye."



def xml(body: str) -> Response:
    return Response(body, mimetype="application/xml")


def hunt_params() -> tuple[str, str]:
    """The business key and hunt id from the callback URL; 400 when missing or unknown."""
    business, hunt = request.args.get("b", ""), request.args.get("h", "")
    if not business or not hunt:
        fail(400, "missing b (business) or h (hunt) query parameter")
    if current_runtime().directory.by_key(business) is None:
        fail(400, "unknown business")  # not echoed: the query is the sender's, not ours
    return business, hunt


def load_hunt() -> Hunt:
    business, hunt_id = hunt_params()
    hunt = Hunts(current_runtime().store).get(business, hunt_id)
    if hunt is None:
        fail(404, "no such transfer")
    return hunt


def hunt_and_business() -> tuple[Runtime, Hunt, Business]:
    runtime = current_runtime()
    hunt = load_hunt()
    business = runtime.directory.by_key(hunt.business)
    assert business is not None  # hunt_params checked the key
    return runtime, hunt, business


def polite(fallback: Callable[[], str] | str = SORRY) -> Callable[..., Any]:
    """Answer TwiML even when the view fails: an error becomes a polite spoken goodbye."""
    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Response:
            try:
                return view(*args, **kwargs)
            except HTTPException:  # an abort(4xx) is a deliberate answer
                raise
            except Exception as exc:
                event("transfer.callback_failed", log, logging.ERROR, path=request.path,
                      error=type(exc).__name__)
                log.exception("transfer callback failed")
                text = (fallback() if callable(fallback)
                        else twiml.say_then_hangup(fallback, _callback_voice()))
                return xml(text)
        return wrapper
    return decorate


def _callback_voice() -> twiml.Voice | None:
    """The voice of the business a callback URL names (`b`), for words said without a hunt."""
    return twiml.voice_of(current_runtime().directory.by_key(request.args.get("b", "")))


def _hold_fallback() -> str:
    again = urls.transfer_url(urls.public_base(current_runtime().settings.public_url),
                              urls.TRANSFER_HOLD, request.args.get("b", ""),
                              request.args.get("h") or None)
    return twiml.hold(None, music_url=None, voice=_callback_voice(), again_url=again)


def form(name: str) -> str:
    return request.form.get(name, "").strip()


def timestamp(text: str) -> datetime | None:
    """A callback's `Timestamp` (RFC 2822, as Twilio sends it), or None when absent or
    unreadable (the event is then timed by when it arrived)."""
    try:
        moment = parsedate_to_datetime(text) if text else None
    except (TypeError, ValueError):
        return None
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


# -- the caller's side ------------------------------------------------------------------------
@bp.post(urls.TRANSFER_HOLD)
@twilio_signed
@polite(_hold_fallback)
def hold() -> Response:
    """The conference waitUrl: who is being rung, hold audio, then back here (a loop that
    names whoever is being rung now)."""
    runtime, hunt, business = hunt_and_business()
    person = hunt.current if hunt.open else None
    name = first_name(person["name"]) if person else None
    base = urls.public_base(runtime.settings.public_url)
    music = urls.transfer_url(base, urls.TRANSFER_HOLD_AUDIO)
    again = urls.transfer_url(base, urls.TRANSFER_HOLD, hunt.business, hunt.id)
    return xml(twiml.hold(name, music_url=music, voice=twiml.voice_of(business),
                          again_url=again))


@bp.post(urls.TRANSFER_CONFERENCE)
@twilio_signed
def conference() -> tuple[str, int]:
    business, hunt_id = hunt_params()
    sequence = form("SequenceNumber")
    agent_leg.conference_event(current_runtime(), business, hunt_id, form("StatusCallbackEvent"),
                               form("CallSid"), int(sequence) if sequence.isdigit() else None,
                               timestamp(form("Timestamp")))
    return "", 204


@bp.post(urls.TRANSFER_VOICEMAIL)
@twilio_signed
@polite("Sorry, we couldn't take a message right now. We'll call you back. Goodbye.")
def voicemail() -> Response:
    """Where a caller nobody took is redirected: apology, callback time, a message."""
    runtime, hunt, business = hunt_and_business()
    return xml(voicemail_twiml(runtime, business, hunt))


@bp.post(urls.TRANSFER_RECORDED)
@twilio_signed
@polite("Thanks, we've got your message. Goodbye.")
def recorded() -> Response:
    runtime, hunt, business = hunt_and_business()
    take_voicemail(runtime, hunt, request.form)
    return xml(twiml.voicemail_thanks(callback_when(business, runtime.clock(), hunt.language),
                                      twiml.voice_of(business, hunt.language), hunt.language))


@bp.post(urls.TRANSFER_RECORDING_STATUS)
@twilio_signed
def recording_status() -> tuple[str, int]:
    hunt = load_hunt()
    if form("RecordingStatus") in ("", "completed"):
        take_voicemail(current_runtime(), hunt, request.form)
    return "", 204


@bp.get(urls.TRANSFER_HOLD_AUDIO)
def hold_audio() -> Response:
    """The hold loop (generated locally; public like any hold music)."""
    path = hold_file(current_runtime().settings.audio_dir)
    return send_from_directory(path.parent, FILE_NAME, mimetype="audio/wav")


# -- the agent's side -------------------------------------------------------------------------
@bp.post(urls.TRANSFER_WHISPER)
@twilio_signed
@polite(agent_leg.GONE)
def whisper() -> Response:
    business, hunt_id = hunt_params()
    return xml(agent_leg.answered(current_runtime(), business, hunt_id, form("CallSid"),
                                  form("AnsweredBy"), request.args.get("i", "")))


@bp.post(urls.TRANSFER_ACCEPT)
@twilio_signed
@polite(agent_leg.GONE)
def accept() -> Response:
    business, hunt_id = hunt_params()
    return xml(agent_leg.pressed(current_runtime(), business, hunt_id, form("CallSid"), form("Digits")))


@bp.post(urls.TRANSFER_AGENT_STATUS)
@twilio_signed
def agent_status() -> tuple[str, int]:
    business, hunt_id = hunt_params()
    agent_leg.leg_status(current_runtime(), business, hunt_id, form("CallSid"), form("CallStatus"),
                         request.args.get("i", ""))
    return "", 204


@bp.post(urls.TRANSFER_BRIDGE_ANSWERED)
@twilio_signed
@polite(twiml.empty)
def bridge_answered() -> Response:
    business, hunt_id = hunt_params()
    return xml(agent_leg.bridge_answered(current_runtime(), business, hunt_id))


@bp.post(urls.TRANSFER_FEEDBACK)
@twilio_signed
@polite("Thank you. Goodbye.")
def agent_feedback() -> Response:
    business, hunt_id = hunt_params()
    needed = feedback.keyed(current_runtime(), business, hunt_id, form("Digits"))
    text = "Thanks, noted. Goodbye." if needed is not None else "Thank you. Goodbye."
    return xml(twiml.say_then_hangup(text, _callback_voice()))


@bp.get(f"{urls.TRANSFER_AUDIO}/<path:name>")
def audio(name: str) -> Response:
    """A transfer's rendered whisper. <Play> fetches carry no signature, so only the audio of
    the named transfer is served, under its content-hash name: nothing else under audio/."""
    hunt = load_hunt()
    if hunt.audio != name:
        abort(404)
    path = local_audio(current_runtime(), hunt.business, name)  # rendered here or on another node
    if path is None:
        abort(404)
    return send_from_directory(current_runtime().settings.audio_dir, name, mimetype="audio/wav")


# -- API --------------------------------------------------------------------------------------
@bp.get("/api/oncall")
@api_auth
def api_oncall() -> tuple[dict[str, Any], int]:
    """Who is on call now, in hunt order with skills: `?business=` (key, name or number) and
    optional `?skill=` to see the order a transfer needing that skill would ring."""
    runtime = current_runtime()
    now = runtime.clock()
    skill = request.args.get("skill") or None
    wanted = request.args.get("business", "").strip()
    if wanted:
        business = find_business(runtime.directory, wanted)
        if business is None:
            return {"error": f"unknown business {wanted!r}"}, 404
        return roster_view(business, now, skill), 200
    return {"businesses": [roster_view(b, now, skill) for b in runtime.directory]}, 200
