"""The floor for webhook benchmarks: the least a stateful Twilio webhook must do, and nothing
more. Each webhook checks the signature, claims its id once (SET NX with a day's expiry, so a
retried webhook is not acted on twice), GETs the conversation (about 2 KB of JSON), adds the
turn and SETs it back with a TTL, then returns fixed TwiML: four Redis commands in three round
trips, the I/O any turn must pay. Whatever ivr adds on top is measured against this (issue 21:
a bare signature check with no I/O made the ratio say nothing about Redis).

Run by `bench.servers.floor_server` under the same gunicorn settings as `ivr serve`, with a
redis-server of its own (REDIS_URL).
"""

from __future__ import annotations

import json
import os

import redis
from flask import Flask, abort, request
from twilio.request_validator import RequestValidator

app = Flask(__name__)
_validator = RequestValidator(os.environ.get("TWILIO_AUTH_TOKEN", ""))
_public = os.environ.get("IVR_PUBLIC_URL", "").rstrip("/")
_redis = redis.Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
_SMS = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>'
_VOICE = ('<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" '
          'action="/voice/gather"><Say>Press 1.</Say></Gather></Response>')
#: Seconds a claimed webhook id and a conversation are kept (a day; ivr keeps its state longer).
CLAIM_TTL_S = 86400
STATE_TTL_S = 86400
#: A new conversation's state: about 2 KB of JSON, like a record a few turns in.
_NEW = {"flow": "floor", "step": "start", "transcript": [
    {"role": "bot", "text": "Thanks for getting in touch. " * 6}] * 10}


def _check() -> None:
    url = _public + request.full_path.rstrip("?")
    if not _validator.validate(url, request.form.to_dict(),
                               request.headers.get("X-Twilio-Signature", "")):
        abort(403)


def _turn(claim: str, conversation: str, said: str) -> None:
    """Claim the webhook once, read the conversation, write it back with the turn added (the
    last ten lines kept, so it stays about 2 KB)."""
    if not _redis.set(f"floor:claim:{claim}", 1, nx=True, ex=CLAIM_TTL_S):
        return  # a retry: already acted on
    key = f"floor:conv:{conversation}"
    raw = _redis.get(key)
    state = json.loads(raw) if raw else dict(_NEW)
    state["transcript"] = [*state["transcript"], {"role": "caller", "text": said}][-10:]
    _redis.set(key, json.dumps(state), ex=STATE_TTL_S)


@app.post("/sms/incoming")
def sms():
    _check()
    form = request.form
    _turn(form.get("MessageSid", ""), form.get("To", "") + form.get("From", ""),
          form.get("Body", ""))
    return _SMS, 200, {"Content-Type": "text/xml"}


@app.post("/voice/<path:rest>")
def voice(rest: str):
    _check()
    form = request.form
    call = form.get("CallSid", "")
    # A voice webhook has no id of its own: the call, the path and what was pressed stand in.
    _turn(f"{call}:{rest}:{form.get('Digits', '')}:{form.get('CallStatus', '')}", call,
          form.get("Digits", ""))
    return _VOICE, 200, {"Content-Type": "text/xml"}
