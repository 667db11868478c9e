"""The floor for webhook benchmarks: a bare Flask webhook that only validates the signature
and returns fixed TwiML. Whatever ivr adds on top is measured against this."""

from __future__ import annotations

import os

from flask import Flask, abort, request
from twilio.request_validator import RequestValidator

app = Flask(__name__)
_validator = RequestValidator(os.environ.get("TWILIO_AUTH_TOKEN", ""))
_public = os.environ.get("IVR_PUBLIC_URL", "").rstrip("/")
_SMS = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Thanks!</Message></Response>'
_VOICE = ('<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" '
          'action="/voice/gather"><Say>Press 1.</Say></Gather></Response>')


def _check() -> None:
    url = _public + request.full_path.rstrip("?")
    if not _validator.validate(url, request.form.to_dict(),
                               request.headers.get("X-Twilio-Signature", "")):
        abort(403)


@app.post("/sms/incoming")
def sms():
    _check()
    return _SMS, 200, {"Content-Type": "text/xml"}


@app.post("/voice/<path:rest>")
def voice(rest: str):
    _check()
    return _VOICE, 200, {"Content-Type": "text/xml"}
