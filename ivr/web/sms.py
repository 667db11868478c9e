"""POST /sms/incoming: a business number's Messaging URL (and /sms/fallback, its fallback URL).

Checks Twilio's signature, parses its form into a `Text`, and renders the replies `ivr.conversation.sms`
decides as `<Message>`s. A retried webhook (same MessageSid) acts once and gets the same reply;
an unknown `To` gets an empty 200 (Twilio must not retry it); a form without From, To or
MessageSid is a 400. Anything that breaks on our side still answers the texter politely.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from flask import Blueprint, Response, request
from redis import RedisError

from ivr.config.business import Business
from ivr.conversation.service import repeat_since
from ivr.conversation.sms import CHANNEL, Text, answer, contact_number
from ivr.conversation.sms_fallback import answer_overtaken, fallback_answer
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.conversations import Arrival
from ivr.store.ratelimit import inbound_rate
from ivr.twilio import urls
from ivr.twilio.messaging import clip, messaging_twiml
from ivr.web import retries
from ivr.web.context import current_runtime
from ivr.web.security import twilio_request_is_signed, twilio_signed

log = logging.getLogger("ivr.conversation.sms")

bp = Blueprint("sms", __name__)

#: What a texter reads when something broke on our side (they must never be left hanging).
APOLOGY = ("Sorry, something went wrong on our side. Please try again in a few minutes, or call "
           "{contact} to reach a person.")


def xml(twiml: str) -> Response:
    return Response(twiml, mimetype="application/xml")


#: WSGI environ key: the text's arrival, read ahead in the door's round trip (`read_ahead`).
_ARRIVAL = "ivr.sms_arrival"


def _fields() -> tuple[str, str, str]:
    form = request.form
    return (form.get("From", "").strip(), form.get("To", "").strip(),
            (form.get("MessageSid") or form.get("SmsSid") or "").strip())


def _queue_arrival(batch: Any, runtime: Runtime, business: Business, sender: str, sid: str,
                   counted: bool) -> Any:
    rate = inbound_rate(runtime.store, business.key, sender) if counted else None
    return runtime.store.queue_arrival(batch, business.key, f"sms:{sid}", CHANNEL, sender,
                                       sender=sender, since=repeat_since(runtime.clock()),
                                       rate=rate)


def read_ahead(batch: Any, counted: bool) -> Callable[[list[Any]], int] | None:
    """The text's arrival (`Store.queue_arrival`), queued on the door's `batch` so that claim,
    rate count and reads share its one round trip; `counted`: the door wants the sender
    counted, and the arrival counts it. Returns what takes the results (the count), or None
    when the form names no known business (the view answers it; nothing is queued)."""
    sender, to, sid = _fields()
    runtime: Runtime = current_runtime()
    business = runtime.directory.by_number(to)
    if not (sender and sid) or business is None or not twilio_request_is_signed():
        return None  # the view answers these (400, unknown number, 403): nothing is claimed
    _queue_arrival(batch, runtime, business, sender, sid, counted)

    def take(results: list[Any]) -> int:
        arrival = runtime.store.arrival_of(results.pop(0))
        request.environ[_ARRIVAL] = arrival
        return arrival.count
    return take


def _arrival(runtime: Runtime, business: Business, sender: str, sid: str) -> Arrival:
    """The arrival the door read ahead, else read now (its rate count is the door's)."""
    arrival = request.environ.pop(_ARRIVAL, None)
    if arrival is not None:
        return arrival
    return runtime.store.arrive(business.key, f"sms:{sid}", CHANNEL, sender, sender=sender,
                                since=repeat_since(runtime.clock()))


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
    reply, kept under its MessageSid, and one it is still answering is answered by it, by REST
    (`ivr.conversation.sms_fallback`)."""
    form = request.form
    sender, to, sid = _fields()
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
    arrival = _arrival(runtime, business, sender, sid)
    if not arrival.first:
        if request.path == urls.SMS_FALLBACK:
            return xml(fallback_answer(runtime, business, sid, token))
        event("sms.retry", log, business=business.key, sid=sid)
        return xml(store.cached_reply(business.key, token) or messaging_twiml([]))
    event("sms.received", log, business=business.key, sid=sid)
    text = Text(sender=sender, sid=sid, body=clip(form.get("Body", "")), media=media_count(),
                opt_out_type=form.get("OptOutType", "").strip()[:16])
    try:
        texts = answer(runtime, business, text, arrival)
        reply = messaging_twiml(texts)
        store.keep_reply(business.key, token, reply,
                         lambda: answer_overtaken(runtime, business, sender, sid, texts))
        return close(xml(reply))
    except RedisError:  # degraded mode (ivr.web.degraded) spools the text to replay later
        with suppress(RedisError):
            store.forget_once(business.key, token)  # so the replay may act on it
        raise
    except Exception:
        log.exception("event=sms.failed business=%s sid=%s", business.key, sid)
        store.forget_once(business.key, token)  # let the carrier's retry act after all
        return xml(messaging_twiml([APOLOGY.format(contact=contact_number(business))]))


def close(response: Response) -> Response:
    """Send the request's closing writes now (the turn's record when it queued no work, the
    reply kept for a retried MessageSid and for Twilio's retry token): one round trip, inside
    the view, so Redis failing here still spools the text (`ivr.web.degraded`)."""
    return retries.close(response)
