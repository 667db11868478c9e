"""Outbound texts through Twilio's REST API: one place, idempotent, guarded against pumping.

Every text the product sends (replies outside TwiML, staff summaries, confirmations, digests)
goes through `send_sms`, so retries never double-text and texts only go to allowed countries.
A text that needs no reply in the webhook is queued with `enqueue_text` (the job `send_text_job`).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

import phonenumbers
from rq.job import Job
from twilio.base.exceptions import TwilioRestException
from urllib3.exceptions import ConnectTimeoutError

from ivr.config.business import Business
from ivr.jobs.queues import URGENT, Connection, enqueue, job_id, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.idempotency import run_effect_once
from ivr.twilio.gsm import gsm_safe

log = logging.getLogger("ivr.handoff.outbound")


class OutboundRefused(ValueError):
    """The destination is not allowed (country, number type) or not a number at all."""


class OptedOut(OutboundRefused):
    """The destination texted STOP to this business and has not opted back in."""


#: Twilio's REST error for a text to a number that texted STOP to the sender (its own opt-out
#: list, kept whether or not the STOP ever reached us).
UNSUBSCRIBED = 21610


def sms_allowed(to: str, countries: tuple[str, ...]) -> bool:
    """Whether `to` may receive our texts: a valid mobile-capable number in an allowed country."""
    try:
        parsed = phonenumbers.parse(to, None)
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(parsed):
        return False
    if phonenumbers.region_code_for_number(parsed) not in countries:
        return False
    kind = phonenumbers.number_type(parsed)
    return kind not in (phonenumbers.PhoneNumberType.PREMIUM_RATE,
                        phonenumbers.PhoneNumberType.SHARED_COST,
                        phonenumbers.PhoneNumberType.TOLL_FREE,
                        phonenumbers.PhoneNumberType.VOIP)


def send_sms(runtime: Runtime, business_key: str, to: str, body: str,
             idempotency_key: str | None = None) -> str | None:
    """Text `to` from the business's first number. Returns the Message SID, or None if this
    `idempotency_key` was already sent (a retried job must never double-text).

    Raises:
        OutboundRefused: `to` is outside the business's allowed countries or not a real number.
        OptedOut: `to` texted STOP to this business (carriers require that we stop).
        ivr.store.idempotency.EffectPending: another attempt is sending this very text right now
            (a job retries later; the retry then finds it sent).
    """
    business = runtime.directory.by_key(business_key)
    if business is None:
        raise OutboundRefused(f"unknown business {business_key}")
    if not sms_allowed(to, business.sms_countries):
        event("sms.refused", log, logging.WARNING, business=business_key, to=to)
        raise OutboundRefused(f"texts to {to} are not allowed for {business.name}")
    body = gsm_safe(body)  # our typographic punctuation would make it UCS-2 (70 per segment)
    store = runtime.store
    if store.opted_out(business_key, to):
        event("sms.opted_out", log, logging.WARNING, business=business_key, to=to)
        raise OptedOut(f"{to} opted out of texts from {business.name}")
    from_ = business.numbers[0]

    def perform() -> str:
        try:
            return runtime.twilio.messages.create(to=to, from_=from_, body=body).sid
        except TwilioRestException as exc:
            if exc.code != UNSUBSCRIBED:
                raise
            # Twilio's list says they opted out (a STOP we never saw, or one sent to the
            # number's other business): keep it as ours, so nothing more is even tried.
            store.set_opted_out(business_key, to)
            event("sms.opted_out_at_carrier", log, logging.WARNING, business=business_key,
                  to=to)
            closed_as_opted_out(runtime, business, to)
            raise OptedOut(f"{to} opted out of texts from {business.name} (Twilio 21610)") \
                from exc

    if idempotency_key:
        # Claim before sending, mark after (ivr.store.idempotency): a retry after a crash between the
        # two asks the carrier whether this text went out instead of sending it again.
        outcome = run_effect_once(store, business_key, idempotency_key, perform,
                                  definite=nothing_sent,
                                  reconcile=lambda since: already_sent(runtime, from_, to, body,
                                                                       since))
        if not outcome.performed:
            return None
        sid = outcome.result
    else:
        sid = perform()
    event("sms.sent", log, business=business_key, sid=sid, to=to)
    return sid


def closed_as_opted_out(runtime: Runtime, business: Business, to: str) -> None:
    """Report Twilio's 21610 up to the conversation service (the runtime carries it, as this
    layer may not import it), which closes `to`'s conversation as `opted_out`; a failure is
    logged (the flag above already stops every later text)."""
    try:
        runtime.conversations.opted_out_at_carrier(business, to)
    except Exception as exc:  # noqa: BLE001 - the refusal is raised either way
        event("sms.opted_out_close_failed", log, logging.ERROR, business=business.key,
              error=type(exc).__name__)


def nothing_sent(exc: BaseException) -> bool:
    """A failure that certainly sent nothing, so a retry may send after all: the carrier said
    no (a 4xx), or the request never reached it (no connection could be made). A read timeout
    is not one: the carrier may have accepted the text before the answer was lost."""
    if isinstance(exc, OutboundRefused):  # refused before or by the carrier: nothing went
        return True
    status = getattr(exc, "status", None)
    if isinstance(status, int) and 400 <= status < 500:
        return True
    # urllib3 (our REST client, ivr.twilio.rest): a refused or timed-out connection, or a name
    # that does not resolve, are all ConnectTimeoutErrors; a ReadTimeoutError is not one.
    return isinstance(exc, ConnectTimeoutError)


def already_sent(runtime: Runtime, from_: str, to: str, body: str,
                  since: float) -> str | None:
    """The SID of a text with this body sent from `from_` to `to` since `since` (unix time), as
    the carrier's message log shows it; None when it shows none or cannot be read."""
    after = datetime.fromtimestamp(since - 60, UTC)
    try:
        sent = runtime.twilio.messages.list(to=to, from_=from_, date_sent_after=after, limit=50)
    except Exception as exc:  # unknown: send (a missed alert is worse than a repeated one)
        event("sms.reconcile_failed", log, logging.WARNING, to=to, error=type(exc).__name__)
        return None
    # Twilio filters DateSent by day only: compare the exact creation time here.
    return next((m.sid for m in sent if (m.body or "").strip() == body.strip()
                 and (m.date_created is None or m.date_created >= after)), None)


def send_text_job(business_key: str, to: str, body: str, key: str) -> str | None:
    """Job: text `to` once under idempotency `key`; a refused destination is logged, not retried.

    Returns the Message SID, or None when an earlier attempt already sent it or it was refused.
    """
    try:
        return send_sms(job_runtime(), business_key, to, body, idempotency_key=key)
    except OutboundRefused:
        return None


def enqueue_text(connection: Connection, business_key: str, to: str, body: str, key: str, *,
                 queue_name: str = URGENT, meta: dict[str, Any] | None = None) -> Job:
    """Queue one text, at most once per `key` (retried with NOTIFY_BACKOFF_S)."""
    return enqueue(connection, send_text_job, business_key, to, body, key, queue_name=queue_name,
                   unique_id=job_id("text", business_key, key),
                   meta={"business": business_key, "what": "text", **(meta or {})})
