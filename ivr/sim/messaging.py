"""SMS: texts from handsets to the app (signed /sms/incoming), TwiML <Message> replies, and
texts the app sends by REST — each a Message resource delivered to the recipient's inbox.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from ivr.sim import fallback
from ivr.sim.fallback import DOCUMENT_PARSE_FAILURE, error_code
from ivr.sim.ids import API_VERSION, new_sid, now, rfc2822
from ivr.sim.webhooks import Exchange
from ivr.twilio.gsm import segments

if TYPE_CHECKING:
    from ivr.sim.carrier import Carrier

#: Path of a business number's Messaging URL (docs/contracts.md).
SMS_PATH = "/sms/incoming"


@dataclass
class Message:
    """A text, inbound or outbound, as Twilio's Message resource knows it."""

    sid: str
    account_sid: str
    from_: str
    to: str
    body: str
    direction: str = "outbound-api"  # inbound | outbound-api | outbound-reply
    status: str = "queued"
    media: list[str] = field(default_factory=list)
    status_callback: str | None = None
    #: Further webhook fields of an incoming text (OptOutType, a repeated field, …).
    extra: dict[str, str | list[str]] = field(default_factory=dict)
    date_created: datetime = field(default_factory=now)
    date_sent: datetime | None = None

    def to_json(self, base_path: str) -> dict[str, object]:
        """Twilio's REST representation; `base_path` is /2010-04-01/Accounts/AC…"""
        uri = f"{base_path}/Messages/{self.sid}.json"
        return {
            "sid": self.sid, "account_sid": self.account_sid, "api_version": API_VERSION,
            "from": self.from_, "to": self.to, "body": self.body, "direction": self.direction,
            "status": self.status, "num_media": str(len(self.media)), "num_segments": str(segments(self.body) if self.body else 1),
            "messaging_service_sid": None, "error_code": None, "error_message": None,
            "price": None, "price_unit": "USD",
            "date_created": rfc2822(self.date_created), "date_updated": rfc2822(now()),
            "date_sent": rfc2822(self.date_sent), "uri": uri,
            "subresource_uris": {"media": uri.replace(".json", "/Media.json")},
        }


def inbound_params(message: Message) -> dict[str, str | list[str]]:
    """The form Twilio posts to a Messaging URL for an incoming text, plus the message's
    `extra` fields (a list value is a field Twilio sends more than once)."""
    params: dict[str, str | list[str]] = {
        "MessageSid": message.sid, "SmsSid": message.sid, "SmsMessageSid": message.sid,
        "AccountSid": message.account_sid, "From": message.from_, "To": message.to,
        "Body": message.body, "NumMedia": str(len(message.media)), "NumSegments": "1",
        "SmsStatus": "received", "ApiVersion": API_VERSION,
        "FromCountry": "US", "FromState": "TX", "FromCity": "AUSTIN", "FromZip": "78701",
        "ToCountry": "US", "ToState": "TX", "ToCity": "AUSTIN", "ToZip": "78701",
    }
    for i, url in enumerate(message.media):
        params[f"MediaUrl{i}"] = url
        params[f"MediaContentType{i}"] = "image/jpeg"
    params.update(message.extra)
    return params


@dataclass(frozen=True)
class Reply:
    """One <Message> of a MessagingResponse."""

    body: str
    to: str | None = None
    from_: str | None = None
    media: tuple[str, ...] = ()


def parse_messaging_twiml(text: str) -> tuple[list[Reply], str | None]:
    """The <Message> replies of a MessagingResponse and an optional <Redirect> URL.

    An empty body means "no reply" (Twilio accepts it). Raises ValueError on anything that is
    not a TwiML <Response>.
    """
    if not text.strip():
        return [], None
    root = ET.fromstring(text)
    if root.tag != "Response":
        raise ValueError(f"TwiML root is <{root.tag}>, not <Response>")
    replies: list[Reply] = []
    redirect = None
    for el in root:
        if el.tag == "Message":
            body_el = el.find("Body")
            body = body_el.text if body_el is not None else el.text
            media = tuple((m.text or "").strip() for m in el.findall("Media"))
            replies.append(Reply((body or "").strip(), el.get("to"), el.get("from"), media))
        elif el.tag == "Redirect":
            redirect = (el.text or "").strip()
    return replies, redirect


def deliver(carrier: Carrier, message: Message) -> None:
    """Put `message` in its recipient's inbox and report its status like Twilio would."""
    message.status = "delivered"
    message.date_sent = now()
    carrier.phone(message.to).receive(message)
    if message.status_callback:
        for status in ("sent", "delivered"):
            carrier.notify(message.status_callback, {
                "MessageSid": message.sid, "SmsSid": message.sid, "MessageStatus": status,
                "SmsStatus": status, "AccountSid": message.account_sid, "From": message.from_,
                "To": message.to, "ApiVersion": API_VERSION})


def reply(carrier: Carrier, answer: Reply, number: str, sender: str,
          twilios_own: bool = False) -> None:
    """Send `answer` to a text `sender` sent to `number` — unless the recipient opted out of
    texts from its sender, which Twilio drops (error 21610 in its debugger); Twilio's own
    keyword confirmations (`twilios_own`) always go."""
    from_, to = answer.from_ or number, answer.to or sender
    if not twilios_own and carrier.opt_outs.blocks(from_, to):
        carrier.note_error(f"21610: reply from {from_} to unsubscribed {to} dropped: "
                           f"{answer.body[:40]!r}")
        return
    out = Message(new_sid("SM"), carrier.account_sid, from_, to, answer.body,
                  direction="outbound-reply", media=list(answer.media))
    carrier.record_message(out)
    deliver(carrier, out)


def text_app(carrier: Carrier, from_: str, to: str, body: str, media: list[str] | None = None,
             sid: str | None = None, signing: str = "valid",
             extra: Mapping[str, str | list[str]] | None = None) -> Message:
    """A handset texts `to` (a number the app serves): post the webhook, deliver the replies.

    `extra`: further form fields Twilio would add (e.g. OptOutType); a list is a repeated field.
    """
    answer, fields = (carrier.opt_outs.receive(from_, to, body) if signing == "valid"
                      else (None, {}))
    message = Message(sid or new_sid("SM"), carrier.account_sid, from_, to, body,
                      direction="inbound", status="received", media=list(media or []),
                      extra={**fields, **(extra or {})})
    carrier.record_message(message)
    if answer:  # Twilio's own keyword reply, before the webhook is even sent
        reply(carrier, Reply(answer), to, from_, twilios_own=True)
    url = carrier.webhooks.absolute(SMS_PATH)
    rescue = carrier.sms_fallback if signing == "valid" else None  # forgers get no fallback
    params = inbound_params(message)
    for _hop in range(10):
        exchange = fallback.fetch(carrier, url, params, "POST", signing=signing,
                                  idempotency=message.sid)
        read, code = _read(exchange)
        if isinstance(read, str) and rescue is not None:
            # Twilio: the Messaging fallback URL, with ErrorCode and ErrorUrl (fallback.py)
            carrier.note_error(f"SMS webhook {url} {read} (error {code}; fallback URL requested)")
            url, params = rescue.url, {**params, "ErrorCode": str(code), "ErrorUrl": url}
            exchange = fallback.fetch(carrier, url, params, rescue.method)
            rescue = None
            read, code = _read(exchange)
        if isinstance(read, str):
            carrier.note_error(f"SMS webhook {url} {read}")
            return message
        replies, redirect = read
        for each in replies:
            reply(carrier, each, to, from_)
        if not redirect:
            return message
        url = carrier.webhooks.absolute(redirect, url)
    return message


def _read(exchange: Exchange) -> tuple[tuple[list[Reply], str | None] | str, int]:
    """A Messaging webhook's replies and redirect, or what went wrong and Twilio's code."""
    if not exchange.ok:
        return f"answered {exchange.status} {exchange.error}".strip(), error_code(exchange)
    try:
        return parse_messaging_twiml(exchange.body), 0
    except (ET.ParseError, ValueError) as exc:
        return f"returned invalid TwiML: {exc}", DOCUMENT_PARSE_FAILURE


def send_from_rest(carrier: Carrier, to: str, from_: str, body: str,
                   status_callback: str | None = None,
                   media: list[str] | None = None) -> dict[str, object]:
    """Create an outbound Message (REST Messages.json); return its JSON as created ("queued").

    Delivery to the handset happens before the REST call returns, so a test that saw the app
    send a text finds it in the inbox; the status callbacks follow asynchronously.
    """
    message = Message(new_sid("SM"), carrier.account_sid, from_, to, body,
                      status_callback=status_callback, media=list(media or []))
    carrier.record_message(message)
    created = message.to_json(carrier.base_path)
    deliver(carrier, message)
    return created
