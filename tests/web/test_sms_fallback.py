"""The numbers' Messaging fallback URL (`/sms/fallback`, "Primary handler fails" under
Messaging in Twilio's console, docs/deployment.md): Twilio sends the same text there when
`/sms/incoming` failed or took over 15 s. The texter gets one answer either way."""

from __future__ import annotations

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
