"""The SMS channel's edges: unknown numbers, malformed and retried webhooks, pictures, essays."""

from __future__ import annotations

from signing import messages, signed_post, sms_form

LAW = "+15125550100"
HVAC = "+15125550200"
TEXTER = "+15125550199"
QUICK = 0.05  # replies come back in the webhook's own response; no need to wait long


def test_a_text_to_a_number_we_do_not_serve_gets_an_empty_ok(client, redis_conn):
    response = signed_post(client, "/sms/incoming", sms_form("hello", to="+15125559999"))
    assert response.status_code == 200  # Twilio must not retry it
    assert messages(response.data) == []
    assert redis_conn.keys("*") == []


def test_a_webhook_without_sender_number_or_sid_is_a_400(client, runtime, redis_conn):
    for missing in ("From", "To", "MessageSid"):
        form = sms_form("hello")
        del form[missing]
        response = signed_post(client, "/sms/incoming", form)
        assert response.status_code == 400
        assert missing in response.get_json()["error"]
    assert runtime.store.conversations() == []
    assert redis_conn.keys("*:state:*") == []


def test_a_picture_without_words_is_answered_politely(client, runtime):
    response = signed_post(client, "/sms/incoming", sms_form(
        "", to=HVAC, NumMedia="1", MediaUrl0="https://example.com/a.jpg"))
    replies = messages(response.data)
    assert "only read text" in replies[0]
    assert "describe" in replies[0]


def test_a_retried_webhook_gets_the_same_reply(client):
    form = sms_form("what are your hours?", to=HVAC)
    first = signed_post(client, "/sms/incoming", form)
    again = signed_post(client, "/sms/incoming", form)
    assert messages(first.data) and messages(first.data) == messages(again.data)


def test_texts_through_the_carrier_get_replies(live_app, carrier):
    replies = carrier.phone(TEXTER).text(HVAC, "what are your hours?", settle_s=QUICK)
    assert len(replies) == 1
    assert "Polar Bear HVAC" in replies[0]
    assert carrier.errors == []


def test_a_forged_text_through_the_carrier_is_refused(live_app, carrier, runtime):
    phone = carrier.phone(TEXTER)
    assert phone.text(HVAC, "STOP", signing="wrong", settle_s=QUICK) == []
    assert not runtime.store.opted_out("polar-bear-hvac", TEXTER)
    assert any("403" in e for e in carrier.errors)


def test_a_picture_with_words_is_noted_and_the_words_are_still_read(live_app, carrier, runtime):
    received = carrier.phone(TEXTER).text(HVAC, "what are your hours?",
                                          media=["https://example.com/unit.jpg"], settle_s=QUICK)
    assert "only read text" in received[0]
    assert "Monday to Friday" in " ".join(received)


def test_a_very_long_text_is_cut_safely_and_still_answered(live_app, carrier, runtime):
    essay = "My furnace stopped working last night. " + "It is very cold here. " * 500
    received = carrier.phone(TEXTER).text(HVAC, essay, settle_s=QUICK)
    assert any("passing this to Alex" in r for r in received)
    [record] = runtime.store.conversations(phone=TEXTER)
    assert len(record["transcript"][0]["text"]) <= 1600
    assert carrier.errors == []


def test_a_finished_conversation_is_closed_and_the_next_text_starts_a_new_one(
        live_app, carrier, runtime):
    phone = carrier.phone(TEXTER)
    declined = phone.text(LAW, "I need help with a divorce, the case is in Colorado",
                          settle_s=QUICK)
    assert "referral" in " ".join(declined)
    [first] = runtime.store.conversations(phone=TEXTER)
    assert first["outcome"] == "not_qualified" and first["ended_at"] is not None
    received = phone.text(LAW, "what are your hours?", settle_s=QUICK)
    # a new conversation, but within the repeat window: not greeted or disclosed twice
    assert "assistant" not in received[0].lower() and "Monday to Friday" in received[0]
    assert len(runtime.store.conversations(phone=TEXTER)) == 2
