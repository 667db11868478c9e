"""A webhook Twilio retries (same I-Twilio-Idempotency-Token) acts once and answers the same."""

from __future__ import annotations

from twilio.request_validator import RequestValidator


def post(client, settings, path, form, token):
    signature = RequestValidator(settings.auth_token).compute_signature(
        settings.public_url + path, form)
    return client.post(path, data=form, headers={"X-Twilio-Signature": signature,
                                                 "I-Twilio-Idempotency-Token": token})


def test_a_retried_voice_webhook_gets_the_same_answer_and_adds_nothing(app, settings, runtime):
    client = app.test_client()
    call = {"CallSid": "CA" + "1" * 32, "From": "+15125550199", "To": "+15125550200",
            "CallStatus": "ringing", "AccountSid": settings.account_sid}
    hvac = runtime.directory.by_number("+15125550200")

    def bot_lines() -> list[str]:
        [record] = runtime.store.conversations([hvac.key])
        return [t["text"] for t in record["transcript"] if t["role"] == "bot"]

    first = post(client, settings, "/voice/incoming", call, "token-1")
    greeted = bot_lines()
    again = post(client, settings, "/voice/incoming", call, "token-1")
    assert first.status_code == again.status_code == 200
    assert first.data == again.data
    assert greeted and bot_lines() == greeted  # one conversation, its greeting recorded once


def test_a_retried_text_is_answered_once(app, settings, runtime):
    client = app.test_client()
    text = {"MessageSid": "SM" + "2" * 32, "From": "+15125550199", "To": "+15125550200",
            "Body": "what are your hours?", "NumMedia": "0", "AccountSid": settings.account_sid}
    first = post(client, settings, "/sms/incoming", text, "token-2")
    again = post(client, settings, "/sms/incoming", text, "token-2")
    assert first.data == again.data and b"Monday" in first.data
    hvac = runtime.directory.by_number("+15125550200")
    [record] = runtime.store.conversations([hvac.key])
    assert [t["text"] for t in record["transcript"] if t["role"] == "caller"] == [
        "what are your hours?"]


def test_a_forged_retry_token_without_a_signature_gets_nothing(app, settings):
    client = app.test_client()
    text = {"MessageSid": "SM" + "3" * 32, "From": "+15125550199", "To": "+15125550200",
            "Body": "hi"}
    post(client, settings, "/sms/incoming", text, "token-3")
    forged = client.post("/sms/incoming", data=text,
                         headers={"I-Twilio-Idempotency-Token": "token-3"})
    assert forged.status_code == 403
