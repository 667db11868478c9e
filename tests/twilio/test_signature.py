"""X-Twilio-Signature checks accept exactly what Twilio's own RequestValidator accepts.

Ours tries the URL as given first (one HMAC for a genuine request instead of two), so these
pin it to the library's verdict: a signature over the URL with or without its port passes,
anything else fails, and odd header values are refused rather than raising.
"""

from __future__ import annotations

import pytest
from twilio.request_validator import RequestValidator

from ivr.twilio.signature import is_valid, sign

TOKEN = "test-auth-token-0123456789abcdef"
FORM = {"From": "+15125550199", "To": "+15125550100", "Body": "héllo, 3 bedrooms?",
        "MessageSid": "SM" + "1" * 32}
URLS = ["https://ivr.example.com/sms/incoming",
        "https://ivr.example.com:443/sms/incoming",
        "http://127.0.0.1:5000/voice/gather?business=polar-bear-hvac&turn=2",
        "http://ivr.example.com/voice/next?turn=1",
        "https://ivr.example.com:8443/voice/status"]


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("signed_for", URLS + ["http://ivr.example.com:80/voice/next?turn=1"])
def test_a_signature_passes_exactly_when_twilios_validator_says_so(url, signed_for):
    signature = sign(TOKEN, signed_for, FORM)
    expected = RequestValidator(TOKEN).validate(url, FORM, signature)
    assert is_valid(TOKEN, url, FORM, signature) is expected


def test_twilio_signing_with_or_without_the_default_port_is_accepted_both_ways():
    bare, with_port = "https://ivr.example.com/sms/incoming", \
        "https://ivr.example.com:443/sms/incoming"
    assert is_valid(TOKEN, bare, FORM, sign(TOKEN, with_port, FORM))
    assert is_valid(TOKEN, with_port, FORM, sign(TOKEN, bare, FORM))


@pytest.mark.parametrize("forged", ["", "x", "ü" * 28, "AAAA" * 7, None])
def test_missing_garbled_or_non_ascii_signatures_are_refused(forged):
    assert is_valid(TOKEN, URLS[0], FORM, forged) is False


def test_a_changed_field_or_another_token_is_refused():
    signature = sign(TOKEN, URLS[0], FORM)
    assert not is_valid(TOKEN, URLS[0], {**FORM, "Body": "hello"}, signature)
    assert not is_valid("another-token", URLS[0], FORM, signature)
