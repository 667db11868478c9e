"""Degraded mode: when Redis is unreachable, texts are spooled to disk and answered politely.

An app-wide handler for `redis.RedisError` catches what the views could not do: an inbound text
is appended (fsynced) to `var/spool/sms.jsonl` and the texter is told we have it; once Redis
answers again, the next request starts a replay that runs each spooled text through the normal
handling (idempotent on MessageSid) and sends the replies by REST. Nothing is lost.
Voice views have their own fail-open wrapper (a caller is put through to a person).
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import redis
from flask import Flask, Response, request
from twilio.twiml.voice_response import VoiceResponse

from ivr.conversation.sms import Text, answer
from ivr.handoff.outbound import OutboundRefused, send_sms
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.spool import Spool
from ivr.twilio import urls
from ivr.twilio.messaging import messaging_twiml
from ivr.web.context import current_runtime, runtime_of

log = logging.getLogger("ivr.degraded")

#: What a texter reads while we cannot reach our database.
RECEIVED = ("Thanks, we have your message. Our system is catching up; we'll reply to you here "
            "shortly.")
_replaying = threading.Lock()


def spool_of(runtime: Runtime) -> Spool:
    return Spool(Path(runtime.settings.var_dir) / "spool" / "sms.jsonl")


def replay_one(runtime: Runtime, item: dict[str, str]) -> None:
    """Handle one spooled text as if it had just arrived; reply by REST instead of TwiML."""
    business = runtime.directory.by_number(item.get("To", ""))
    sender, sid = item.get("From", ""), item.get("MessageSid", "")
    if business is None or not sender or not sid:
        return
    if not runtime.store.once(business.key, f"sms:{sid}"):
        return  # handled already (a replay that crashed after acting)
    text = Text(sender=sender, sid=sid, body=item.get("Body", ""),
                media=int(item.get("NumMedia", "0") or 0),
                opt_out_type=item.get("OptOutType", "").strip()[:16])
    for i, body in enumerate(answer(runtime, business, text)):
        try:
            send_sms(runtime, business.key, sender, body, idempotency_key=f"replay:{sid}:{i}")
        except OutboundRefused:
            break


def replay(runtime: Runtime) -> int:
    """Replay the spool if Redis is back; returns how many texts were replayed."""
    spool = spool_of(runtime)
    if not spool.pending() or not runtime.store.ping():
        return 0
    if not _replaying.acquire(blocking=False):
        return 0
    try:
        done = spool.replay(lambda item: replay_one(runtime, item))
        if done:
            event("spool.replayed", log, texts=done)
        return done
    finally:
        _replaying.release()


def _on_redis_error(exc: redis.RedisError):
    runtime: Runtime = current_runtime()
    event("redis.down", log, logging.ERROR, path=request.path, error=type(exc).__name__)
    if request.path in (urls.SMS_INCOMING, urls.SMS_FALLBACK) and request.form.get("MessageSid"):
        spool_of(runtime).append(request.form.to_dict())
        return Response(messaging_twiml([RECEIVED]), mimetype="application/xml")
    if request.path.startswith("/voice") and request.method == "POST":
        return Response(reach_a_person(runtime), mimetype="application/xml")
    return {"error": "temporarily unavailable", "status": "degraded"}, 503


def reach_a_person(runtime: Runtime) -> str:
    """TwiML that needs no Redis: apologise and ring the business's first on-call person."""
    business = runtime.directory.by_number(request.form.get("To", ""))
    response = VoiceResponse()
    if business is None:
        response.say("Sorry, we can't take your call right now. Please try again later.")
        response.hangup()
        return str(response)
    first = business.staff_named(business.on_call[0].staff) if business.on_call else None
    number = business.fallback_number or (first.phone if first else None)
    response.say("Sorry, our assistant is having trouble. Connecting you with a person now.",
                 voice=business.voice, language=business.language)
    if number:
        response.dial(number, caller_id=business.numbers[0])
    response.say("Please call back in a few minutes. Goodbye.", voice=business.voice,
                 language=business.language)
    return str(response)


def init_app(app: Flask) -> None:
    app.register_error_handler(redis.RedisError, _on_redis_error)
    spool_path = spool_of(runtime_of(app)).path

    @app.before_request
    def _maybe_replay() -> None:
        try:
            if spool_path.stat().st_size == 0:
                return
        except FileNotFoundError:
            return
        runtime = current_runtime()
        threading.Thread(target=replay, args=(runtime,), daemon=True, name="spool-replay").start()
