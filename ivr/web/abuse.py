"""Abuse limits at the door: one number may not flood a business with texts or calls.

Counted only for correctly signed requests (so a forger cannot burn a real customer's
allowance), before any conversation work is done. Over the limit a text gets no reply (which
also starves SMS-pumping loops) and a call hears one polite sentence and is hung up.
The count is sent by the door (`ivr.web.door`) with its other start-of-request work.
"""

from __future__ import annotations

import logging

from flask import Response, request
from twilio.twiml.voice_response import VoiceResponse

from ivr.config.business import Business
from ivr.logs import event
from ivr.twilio import urls
from ivr.twilio.messaging import messaging_twiml
from ivr.web.context import current_runtime
from ivr.web.security import twilio_request_is_signed

log = logging.getLogger("ivr.abuse")

GUARDED = (urls.SMS_INCOMING, urls.VOICE_INCOMING)
BUSY = "We're receiving a lot of contact from this number. Please try again a little later."


def counted() -> tuple[Business, str] | None:
    """(business, sender) when this request is a new contact that counts against the limit."""
    if request.method != "POST" or request.path not in GUARDED:
        return None
    business = current_runtime().directory.by_number(request.form.get("To", ""))
    sender = request.form.get("From", "")
    if business is None or not sender or not twilio_request_is_signed():
        return None  # the view answers these (unknown number, 400, 403)
    return business, sender


def refuse(business: Business) -> Response:
    """What an over-the-limit contact gets: silence for a text, one sentence for a call."""
    event("abuse.rate_limited", log, logging.WARNING, business=business.key, path=request.path,
          sid=request.form.get("MessageSid") or request.form.get("CallSid", "-"))
    if request.path == urls.SMS_INCOMING:
        return Response(messaging_twiml([]), mimetype="application/xml")
    response = VoiceResponse()
    response.say(BUSY, voice=business.voice, language=business.language)
    response.hangup()
    return Response(str(response), mimetype="application/xml")
