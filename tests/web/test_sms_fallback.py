"""The numbers' Messaging fallback URL (`/sms/fallback`, "Primary handler fails" under
Messaging in Twilio's console, docs/deployment.md): Twilio sends the same text there when
`/sms/incoming` failed or took over 15 s. The texter gets one answer either way."""

from __future__ import annotations

from slow_app import held_at

HVAC = "+15125550200"
TEXTER = "+15125550199"
QUICK = 0.2


def test_a_text_the_app_never_saw_is_answered_through_the_fallback(live_app, carrier, runtime):
    carrier.faults.fail_webhook("/sms/incoming", 502)  # the proxy, while the app restarts
    [answer] = carrier.phone(TEXTER).text(HVAC, "what are your hours?", settle_s=QUICK)
    assert "Monday to Friday" in answer
    [record] = runtime.store.conversations(phone=TEXTER)
    assert [t["text"] for t in record["transcript"] if t["role"] == "caller"] == [
        "what are your hours?"]


def test_a_text_answered_too_late_is_answered_once_and_recorded_once(live_app, carrier,
                                                                      runtime):
    carrier.faults.slow_webhook("/sms/incoming")  # handled, but after Twilio stopped waiting
    [answer] = carrier.phone(TEXTER).text(HVAC, "what are your hours?", settle_s=QUICK)
    assert "Monday to Friday" in answer
    [record] = runtime.store.conversations(phone=TEXTER)
    assert [t["text"] for t in record["transcript"] if t["role"] == "caller"] == [
        "what are your hours?"]


def test_a_text_the_app_was_still_answering_when_twilio_fell_back_is_answered_once(
        live_app, carrier, runtime):
    """The Messaging URL took the text and was still working on it when Twilio gave up on it
    and asked the fallback: its answer, discarded by Twilio, reaches the texter all the same,
    once."""
    stall = carrier.faults.stalled_webhook("/sms/incoming")
    with held_at("ivr.conversation.sms", "sms.received", stall):
        replies = carrier.phone(TEXTER).text(HVAC, "what are your hours?", expect=1,
                                             timeout=5.0, settle_s=0.5)
    assert stall.overtaken.is_set()
    [answer] = replies
    assert "Monday to Friday" in answer
    [record] = runtime.store.conversations(phone=TEXTER)
    assert "\n".join(t["text"] for t in record["transcript"] if t["role"] == "bot") == answer
