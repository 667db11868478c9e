"""POST /sms/incoming: a business number's Messaging URL (and /sms/fallback, its fallback URL).

Checks Twilio's signature, parses its form into a `Text`, and renders the replies `ivr.conversation.sms`
decides as `<Message>`s. A retried webhook (same MessageSid) acts once and gets the same reply;
an unknown `To` gets an empty 200 (Twilio must not retry it); a form without From, To or
MessageSid is a 400. Anything that breaks on our side still answers the texter politely.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Blueprint, Response, request
from redis import RedisError

from ivr.conversation.sms import Text, answer, contact_number
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.twilio import urls
from ivr.twilio.messaging import clip, messaging_twiml
from ivr.web.context import current_runtime
from ivr.web.security import twilio_signed

log = logging.getLogger("ivr.conversation.sms")

bp = Blueprint("sms", __name__)

#: What a texter reads when something broke on our side (they must never be left hanging).
APOLOGY = ("Sorry, something went wrong on our side. Please try again in a few minutes, or call "
           "{contact} to reach a person.")


def xml(twiml: str) -> Response:
    return Response(twiml, mimetype="application/xml")


def media_count() -> int:
    try:
        return max(0, int(request.form.get("NumMedia", "0") or 0))
    except ValueError:
        return 0


@bp.post(urls.SMS_FALLBACK)
@bp.post(urls.SMS_INCOMING)
@twilio_signed
def incoming() -> Response | tuple[dict[str, str], int]:
    """A text comes in. At `/sms/fallback` Twilio sends the same text again (ErrorCode added)
    when `/sms/incoming` failed or took over 15 s: the MessageSid claim makes that act once —
    a text the Messaging URL never saw is answered now, one it answered too late gets the same
    reply, kept under its MessageSid."""
    form = request.form
    sender = form.get("From", "").strip()
    to = form.get("To", "").strip()
    sid = (form.get("MessageSid") or form.get("SmsSid") or "").strip()
    missing = [name for name, value in (("From", sender), ("To", to), ("MessageSid", sid))
               if not value]
    if missing:
        return {"error": f"missing form field(s): {', '.join(missing)}"}, 400
    runtime: Runtime = current_runtime()
    business = runtime.directory.by_number(to)
    if business is None:
        event("sms.unknown_number", log, logging.WARNING, to=to, sid=sid)
        return xml(messaging_twiml([]))
    store = runtime.store
    token = f"sms:{sid}"
    # Redis down: the app's degraded mode spools the text
    arrival = store.receive(business.key, token, "sms", sender, sender=sender)
    if not arrival.first:
        event("sms.retry", log, business=business.key, sid=sid)
        return xml(store.cached_reply(business.key, token) or messaging_twiml([]))
    event("sms.received", log, business=business.key, sid=sid)
    text = Text(sender=sender, sid=sid, body=clip(form.get("Body", "")), media=media_count(),
                opt_out_type=form.get("OptOutType", "").strip()[:16])
    try:
        reply = messaging_twiml(answer(runtime, business, text, arrival))
    except RedisError:  # degraded mode (ivr.web.degraded) spools the text to replay later
        with suppress(RedisError):
            store.forget_once(business.key, token)  # so the replay may act on it
        raise
    except Exception:
        log.exception("event=sms.failed business=%s sid=%s", business.key, sid)
        store.forget_once(business.key, token)  # let the carrier's retry act after all
        return xml(messaging_twiml([APOLOGY.format(contact=contact_number(business))]))
    store.cache_reply(business.key, token, reply)
    return xml(reply)
