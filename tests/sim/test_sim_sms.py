"""Texting through the sim: signed webhooks, TwiML replies, REST-sent texts, retries."""

from __future__ import annotations

import pytest
from flask import request
from sim_fixtures import ACCOUNT_SID, AUTH_TOKEN
from sim_tiny import PUBLIC_URL, tiny_app
from twilio.base.exceptions import TwilioRestException
from twilio.twiml.messaging_response import MessagingResponse

from ivr.config.settings import Settings
from ivr.sim import optout
from ivr.twilio.rest import make_client

SHOP = "+15125550300"
TEXTER = "+15125550199"


def echo_app(rest_settings=None):
    app = tiny_app()
    seen: list[dict[str, str]] = []

    @app.post("/sms/incoming")
    def incoming():
        seen.append({**request.form.to_dict(),
                     "_token": request.headers["I-Twilio-Idempotency-Token"]})
        reply = MessagingResponse()
        reply.message(f"you said: {request.form['Body']}")
        if rest_settings is not None:
            make_client(rest_settings).messages.create(
                to=request.form["From"], from_=request.form["To"], body="and one more thing")
        return str(reply), 200, {"Content-Type": "text/xml"}

    return app, seen


def test_a_text_gets_the_twiml_reply_back_on_the_handset(carrier, serve):
    app, seen = echo_app()
    serve(app)
    phone = carrier.phone(TEXTER)
    assert phone.text(SHOP, "where is my order") == ["you said: where is my order"]
    assert seen[0]["From"] == TEXTER and seen[0]["To"] == SHOP
    assert seen[0]["MessageSid"].startswith("SM") and seen[0]["AccountSid"] == ACCOUNT_SID
    assert phone.inbox[0].from_ == SHOP


def test_texts_sent_by_rest_while_replying_also_reach_the_texter(carrier, serve):
    settings = Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                        api_base=carrier.api_base)
    app, _ = echo_app(settings)
    serve(app)
    replies = carrier.phone(TEXTER).text(SHOP, "hello")
    assert sorted(replies) == ["and one more thing", "you said: hello"]


def test_a_retried_text_carries_the_same_message_sid(carrier, serve):
    app, seen = echo_app()
    serve(app)
    phone = carrier.phone(TEXTER)
    phone.text(SHOP, "hi", sid="SM" + "a" * 32)
    phone.text(SHOP, "hi", sid="SM" + "a" * 32)
    assert [s["MessageSid"] for s in seen] == ["SM" + "a" * 32] * 2
    assert seen[0]["_token"] == seen[1]["_token"]
    phone.text(SHOP, "hi")
    assert seen[2]["_token"] != seen[0]["_token"]


def test_forged_texts_are_refused_and_logged_as_carrier_errors(carrier, serve):
    app, seen = echo_app()
    serve(app)
    phone = carrier.phone(TEXTER)
    assert phone.text(SHOP, "hi", signing="wrong") == []
    assert phone.text(SHOP, "hi", signing="missing") == []
    assert seen == []
    assert [e.status for e in carrier.exchanges] == [403, 403]
    assert len(carrier.errors) == 2


def test_the_carrier_answers_stop_itself_forwards_it_and_blocks_later_texts(carrier, serve):
    """Twilio's default Opt-Out Management on a long code (ivr/sim/optout.py)."""
    settings = Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                        api_base=carrier.api_base)
    app, seen = echo_app()
    serve(app)
    phone = carrier.phone(TEXTER)
    assert phone.text(SHOP, " stop ") == [optout.STOP_REPLY]  # the app's echo was dropped
    assert seen[-1]["Body"] == " stop " and "OptOutType" not in seen[-1]
    assert any("21610" in e for e in carrier.errors)
    with pytest.raises(TwilioRestException) as refused:
        make_client(settings).messages.create(to=TEXTER, from_=SHOP, body="one more thing")
    assert refused.value.code == 21610 and refused.value.status == 400
    assert phone.text(SHOP, "HELP") == []  # no help to a number that opted out
    assert phone.text(SHOP, "Yes") == [optout.START_REPLY, "you said: Yes"]
    assert phone.text(SHOP, "info") == [optout.HELP_REPLY, "you said: info"]
    assert phone.text(SHOP, "yes") == ["you said: yes"]  # nothing to opt back into


def test_advanced_opt_out_tells_the_webhook_what_keyword_it_took(carrier, serve):
    app, seen = echo_app()
    serve(app)
    carrier.opt_out_management(advanced=True)
    carrier.phone(TEXTER).text(SHOP, "QUIT")
    assert seen[-1]["OptOutType"] == "STOP"


def test_a_number_without_keyword_handling_leaves_them_to_the_app(carrier, serve):
    app, _ = echo_app()
    serve(app)
    carrier.opt_out_management(False)
    assert carrier.phone(TEXTER).text(SHOP, "STOP") == ["you said: STOP"]


def test_a_failed_messaging_url_is_retried_at_the_fallback_url_with_the_error(carrier, serve):
    app, seen = echo_app()

    @app.post("/sms/fallback")
    def rescue():
        seen.append({**request.form.to_dict(), "_path": request.path})
        reply = MessagingResponse()
        reply.message("sorry, we got it")
        return str(reply), 200, {"Content-Type": "text/xml"}

    server = serve(app)
    carrier.connect(server.url, PUBLIC_URL, sms_fallback="/sms/fallback")
    carrier.faults.fail_webhook("/sms/incoming", 503)
    assert carrier.phone(TEXTER).text(SHOP, "hello") == ["sorry, we got it"]
    [form] = seen
    assert form["_path"] == "/sms/fallback" and form["Body"] == "hello"
    assert form["ErrorCode"] == "11200" and form["ErrorUrl"] == f"{PUBLIC_URL}/sms/incoming"
