"""The public URLs we hand Twilio: one place builds them, and the base is the one Twilio reached."""

from __future__ import annotations

from ivr.twilio.urls import (
    LOCAL_BASE,
    TRANSFER_ACCEPT,
    VOICE_GATHER,
    arrived_on,
    conversation_url,
    left,
    public_base,
    stream_refusal,
    stream_url,
    transfer_url,
    voice_url,
    with_query,
)


def test_stream_url_is_secure_websocket_of_an_https_public_url():
    assert stream_url("https://ivr.example.com") == "wss://ivr.example.com/voice/stream"
    assert stream_url("https://ivr.example.com/front/") == "wss://ivr.example.com/front/voice/stream"
    assert stream_url("http://127.0.0.1:5000") == "ws://127.0.0.1:5000/voice/stream"


def test_query_parameters_are_added_to_existing_ones():
    assert with_query("https://x/a?b=1", turn=2, wait=None) == "https://x/a?b=1&turn=2"


def test_the_public_url_wins_then_the_calls_base_then_the_request_then_loopback():
    assert public_base("", "") == LOCAL_BASE
    token = arrived_on("http://node-2.internal:8000/")
    try:
        assert public_base("", "") == "http://node-2.internal:8000"
        assert public_base("", "https://call.example.com/") == "https://call.example.com"
        assert public_base("https://ivr.example.com/", "https://call.example.com") == \
            "https://ivr.example.com"
    finally:
        left(token)
    assert public_base("", "") == LOCAL_BASE


def test_callback_urls_name_the_business_so_no_lookup_by_number_is_needed():
    assert voice_url("https://x", VOICE_GATHER, "polar-bear-hvac", turn=3, wait=None) == \
        "https://x/voice/gather?business=polar-bear-hvac&turn=3"
    assert transfer_url("https://x", TRANSFER_ACCEPT, "polar-bear-hvac", "conf-CA1") == \
        "https://x/transfer/accept?b=polar-bear-hvac&h=conf-CA1"
    assert transfer_url("https://x", "/transfer/hold-audio") == "https://x/transfer/hold-audio"
    assert conversation_url("https://x", "c1") == "https://x/dashboard/conversations/c1"


def test_a_stream_is_wss_wherever_twilio_is_the_carrier():
    """Twilio refuses ws:// stream URLs (31922); only the simulator on loopback uses ws://."""
    assert stream_url("https://desk.example.com") == "wss://desk.example.com/voice/stream"
    assert stream_url("http://desk.example.com") == "wss://desk.example.com/voice/stream"
    assert stream_refusal("http://desk.example.com") and "31922" in stream_refusal(
        "http://desk.example.com")
    assert stream_refusal("http://127.0.0.1:5000") is None
    assert stream_refusal("https://desk.example.com") is None
