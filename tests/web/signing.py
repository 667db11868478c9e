"""Requests signed the way Twilio signs them, for tests that use Flask's test client.

End-to-end cases go through the carrier simulator (`ivr/sim/`); these helpers sign single
webhooks so signature, idempotency and keyword handling can be checked request by request.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Mapping

from twilio.request_validator import RequestValidator
from werkzeug.datastructures import MultiDict

#: The auth token and public URL of the `settings` fixture in tests/conftest.py.
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_URL = "https://ivr.test"
_sids = itertools.count(1)


def signature(url: str, params: Mapping[str, str] | MultiDict, token: str = AUTH_TOKEN,
              algorithm: str | None = None) -> str:
    """What Twilio sends: a MultiDict keeps every value of a repeated field (all are signed)."""
    form = params if isinstance(params, MultiDict) else dict(params)
    return RequestValidator(token).compute_signature(url, form, algorithm)


def signed_post(client, path: str, params: Mapping[str, str] | MultiDict, *,
                base: str = PUBLIC_URL, token: str = AUTH_TOKEN,
                headers: Mapping[str, str] | None = None):
    """POST `params` to `path` with the X-Twilio-Signature Twilio would send for `base`+`path`."""
    sig = signature(base + path, params, token)
    data = params if isinstance(params, MultiDict) else dict(params)
    return client.post(path, data=data,
                       headers={"X-Twilio-Signature": sig, **dict(headers or {})})


def message_sid() -> str:
    return f"SM{next(_sids):032x}"


def sms_form(body: str, *, sender: str = "+15125550199", to: str = "+15125550100",
             sid: str | None = None, **extra: str) -> dict[str, str]:
    """The form Twilio posts for an incoming text."""
    return {"From": sender, "To": to, "Body": body, "MessageSid": sid or message_sid(),
            "AccountSid": "AC" + "0" * 31 + "1", "NumMedia": "0", **extra}


def messages(twiml: bytes | str) -> list[str]:
    """The bodies of the <Message>s in a MessagingResponse."""
    root = ET.fromstring(twiml)
    return [(m.text or "") for m in root.iter("Message")]
