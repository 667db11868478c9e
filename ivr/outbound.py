"""Outbound texts through Twilio's REST API: one place, idempotent, guarded against pumping.

Every text the product sends (replies outside TwiML, staff summaries, confirmations, digests)
goes through `send_sms`, so retries never double-text and texts only go to allowed countries.
"""

from __future__ import annotations

import logging

import phonenumbers

from ivr.logs import event
from ivr.runtime import Runtime

log = logging.getLogger("ivr.outbound")


class OutboundRefused(ValueError):
    """The destination is not allowed (country, number type) or not a number at all."""


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
    """
    business = runtime.directory.by_key(business_key)
    if business is None:
        raise OutboundRefused(f"unknown business {business_key}")
    if not sms_allowed(to, business.sms_countries):
        event("sms.refused", log, logging.WARNING, business=business_key, to=to)
        raise OutboundRefused(f"texts to {to} are not allowed for {business.name}")
    store = runtime.store
    if idempotency_key:
        done = store.redis.get(store.key(business_key, "sent", idempotency_key))
        if done is not None:
            return None
    message = runtime.twilio.messages.create(to=to, from_=business.numbers[0], body=body)
    if idempotency_key:
        store.redis.set(store.key(business_key, "sent", idempotency_key), message.sid,
                        ex=30 * 24 * 3600)
    event("sms.sent", log, business=business_key, sid=message.sid, to=to)
    return message.sid
