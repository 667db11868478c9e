"""WS /voice/stream: Twilio Media Streams in, speech to the voice turn logic out.

The upgrade is refused with 403 unless it carries a valid X-Twilio-Signature over the ws(s)://
URL (checked before the WebSocket handshake, so nothing is opened for a forger). Each stream
runs in its request's own thread (simple-websocket reads the socket on another), decoding with
Vosk as frames arrive; see `ivr.speech.call_stream` for what happens to the audio. A broken or
malformed stream is logged and dropped: keypad answers and Gather timeouts still carry the call.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Flask, abort, current_app, request
from flask_sock import Sock
from simple_websocket import ConnectionClosed

from ivr.conversation import voice
from ivr.logs import event
from ivr.speech.call_stream import CallStream, SpeechHooks
from ivr.twilio import urls
from ivr.twilio.media import Media, MediaStreamError, Start, Stop, parse_message
from ivr.web.context import current_runtime
from ivr.web.security import twilio_stream_is_signed

log = logging.getLogger("ivr.web.stream")

bp = Blueprint("stream", __name__)
_sock = Sock()

#: Where an app keeps the hooks its streams report to (default: the voice turn logic).
HOOKS_KEY = "ivr.speech_hooks"

#: Seconds without any message before a stream is considered dead (Twilio sends 50 a second).
IDLE_TIMEOUT_S = 30.0

#: Malformed messages tolerated on one stream before it is dropped.
MAX_BAD_MESSAGES = 50

#: Largest WebSocket message accepted (a Twilio media message is about 300 bytes).
MAX_MESSAGE_BYTES = 64 * 1024


def voice_hooks() -> SpeechHooks:
    """The voice turn logic's hooks (`ivr.conversation.voice.on_speech`, `.mark_speaking`),
    injected here so the speech package never imports the conversation."""
    return SpeechHooks(on_speech=voice.on_speech, on_speaking=voice.mark_speaking)

def init_app(app: Flask, hooks: SpeechHooks | None = None) -> None:
    """Register the endpoint (the speech model is warmed by `health.start_warming`)."""
    app.register_blueprint(bp)
    app.config.setdefault("SOCK_SERVER_OPTIONS", {"max_message_size": MAX_MESSAGE_BYTES})
    if hooks is not None:
        use_hooks(app, hooks)


def use_hooks(app: Flask, hooks: SpeechHooks) -> None:
    """Send this app's finished utterances somewhere other than `ivr.conversation.voice` (embedding, tests)."""
    app.extensions[HOOKS_KEY] = hooks


@bp.before_request
def _require_twilio_signature() -> None:
    if not twilio_stream_is_signed():
        event("stream.rejected", log, logging.WARNING, path=request.path,
              reason="bad_or_missing_signature")
        abort(403)


@_sock.route(urls.VOICE_STREAM, bp=bp)
def voice_stream(ws: Any) -> None:
    runtime = current_runtime()
    hooks = current_app.extensions.get(HOOKS_KEY) or voice_hooks()
    serve(ws, CallStream(runtime, hooks))


def serve(ws: Any, call: CallStream) -> None:
    """Read messages until `stop`, a closed socket or silence; never raises into the server."""
    started = False
    bad = 0
    try:
        while True:
            raw = ws.receive(timeout=IDLE_TIMEOUT_S)
            if raw is None:
                event("stream.idle_timeout", log, logging.WARNING, sid=call.call_sid or "-")
                break
            try:
                message = parse_message(raw)
            except MediaStreamError as exc:
                bad += 1
                if bad == 1 or bad >= MAX_BAD_MESSAGES:
                    event("stream.bad_message", log, logging.WARNING, sid=call.call_sid or "-",
                          count=bad, error=str(exc)[:80])
                if bad >= MAX_BAD_MESSAGES:
                    break
                continue
            if isinstance(message, Start):
                call.start(message)
                started = True
            elif isinstance(message, Media) and started:
                _feed(call, message)
            elif isinstance(message, Stop):
                break
    except ConnectionClosed:
        event("stream.closed", log, sid=call.call_sid or "-")
    finally:
        call.stop()


def _feed(call: CallStream, message: Media) -> None:
    """Feed one frame; a recogniser failure stops listening, never the call."""
    try:
        call.media(message)
    except Exception as exc:  # noqa: BLE001 - the keypad still carries the call
        event("stream.listen_failed", log, logging.ERROR, sid=call.call_sid or "-",
              error=type(exc).__name__)
        call.listener = None
