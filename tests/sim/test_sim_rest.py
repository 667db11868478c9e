"""The sim's REST API through the twilio library (ivr.twilio.rest.make_client), as the app uses
it: messages, calls, recordings — with Twilio's auth and error shapes."""

from __future__ import annotations

import pytest
import requests
from flask import request
from sim_fixtures import ACCOUNT_SID
from sim_tiny import rest_client, tiny_app, twiml
from twilio.base.exceptions import TwilioRestException
from twilio.twiml.voice_response import VoiceResponse

from ivr.config.settings import Settings
from ivr.sim.recording import tone
from ivr.twilio.rest import make_client

FIRM = "+15125550100"
CALLER = "+15125550199"


@pytest.fixture
def client(carrier):
    return rest_client(carrier)


def test_a_text_sent_by_rest_lands_in_the_handset_inbox(carrier, client):
    message = client.messages.create(to=CALLER, from_=FIRM, body="We got your message.")
    assert message.sid.startswith("SM") and message.status == "queued"
    assert message.date_created is not None
    assert carrier.phone(CALLER).texts == ["We got your message."]
    assert [m.sid for m in client.messages.list(to=CALLER)] == [message.sid]
    assert client.messages(message.sid).fetch().status == "delivered"


def test_message_status_callbacks_reach_the_app(carrier, client, serve):
    app = tiny_app()
    statuses = []

    @app.post("/sms/status")
    def status():
        statuses.append(request.form["MessageStatus"])
        return "", 204

    serve(app)
    client.messages.create(to=CALLER, from_=FIRM, body="hi",
                           status_callback="https://ivr.example.test/sms/status")
    carrier.drain()
    assert statuses == ["sent", "delivered"]


def test_wrong_credentials_are_refused_like_twilio_does(carrier):
    bad = make_client(Settings(account_sid=ACCOUNT_SID, auth_token="nope",
                               api_base=carrier.api_base))
    with pytest.raises(TwilioRestException) as refused:
        bad.messages.create(to=CALLER, from_=FIRM, body="hi")
    assert refused.value.status == 401 and refused.value.code == 20003
    assert carrier.messages == []


def test_unknown_resources_and_missing_parameters_are_clear_errors(carrier, client):
    with pytest.raises(TwilioRestException) as missing:
        client.calls("CA" + "0" * 32).fetch()
    assert missing.value.status == 404 and missing.value.code == 20404
    with pytest.raises(TwilioRestException) as invalid:
        client.messages.create(to=CALLER, from_=FIRM, body="")
    assert invalid.value.status == 400


def test_calls_are_listed_and_fetched(carrier, client):
    carrier.seat("+15125550111", "busy")
    call = client.calls.create(to="+15125550111", from_=FIRM,
                               twiml="<Response><Say>hi</Say></Response>")
    assert call.sid.startswith("CA") and call.direction == "outbound-api"
    carrier.find_call(call.sid).wait_until("busy")
    assert client.calls(call.sid).fetch().status == "busy"
    assert [c.sid for c in client.calls.list(to="+15125550111")] == [call.sid]


def voicemail_app(posts):
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        response.say("Leave a message after the beep.")
        response.record(action="/voice/recorded", max_length=30, finish_on_key="#",
                        recording_status_callback="/voice/recording-status")
        response.say("We did not hear anything.")
        return twiml(response)

    @app.post("/voice/recorded")
    def recorded():
        posts.append(("recorded", request.form.to_dict()))
        response = VoiceResponse()
        response.say("Thanks, goodbye.")
        return twiml(response)

    @app.post("/voice/recording-status")
    def recording_status():
        posts.append(("status", request.form.to_dict()))
        return "", 204

    return app


def test_a_recorded_message_becomes_a_recording_the_app_can_fetch_and_delete(carrier, client,
                                                                             serve):
    posts = []
    serve(voicemail_app(posts))
    call = carrier.phone(CALLER).call(FIRM)
    assert call.leave_message(tone(2.0)) == ["Thanks, goodbye."]
    assert call.heard[:2] == ["Leave a message after the beep.", "[beep]"]
    form = next(form for name, form in posts if name == "recorded")
    assert form["RecordingDuration"] == "2" and form["Digits"] == "#"
    assert form["RecordingSid"].startswith("RE")
    media = requests.get(form["RecordingUrl"] + ".wav", timeout=5)
    assert media.content[:4] == b"RIFF" and len(media.content) > 2 * 8000 * 2
    recording = client.recordings(form["RecordingSid"]).fetch()
    assert recording.call_sid == call.sid and recording.duration == "2"
    assert [r.sid for r in client.calls(call.sid).recordings.list()] == [recording.sid]
    carrier.drain()
    assert [f["RecordingStatus"] for name, f in posts if name == "status"] == ["completed"]
    assert client.recordings(recording.sid).delete() is True
    with pytest.raises(TwilioRestException):
        client.recordings(recording.sid).fetch()


def test_silence_at_record_moves_on_without_a_recording(carrier, serve):
    posts = []
    serve(voicemail_app(posts))
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_for("record")
    call.silence()
    call.wait_until("completed")
    assert call.heard[-1] == "We did not hear anything." and posts == []


def test_hanging_up_after_the_message_still_reports_the_recording(carrier, serve):
    posts = []
    serve(voicemail_app(posts))
    call = carrier.phone(CALLER).call(FIRM)
    call.leave_message(hangup=True)
    assert call.status == "completed"
    assert [f["Digits"] for name, f in posts if name == "recorded"] == ["hangup"]


def test_a_number_the_carrier_will_not_call_is_refused_with_twilios_error(carrier, client):
    carrier.faults.refuse_calls(CALLER, 21211)
    with pytest.raises(TwilioRestException) as refused:
        client.calls.create(to=CALLER, from_=FIRM, url="http://127.0.0.1:9/voice")
    assert refused.value.status == 400 and refused.value.code == 21211
    assert CALLER in refused.value.msg and carrier.calls == []


def test_a_text_over_1600_characters_is_refused_and_long_texts_count_their_segments(carrier,
                                                                                    client):
    """Twilio refuses a body over 1,600 characters (21617) and bills a long text per segment:
    153 GSM-7 characters each, 67 once a single character needs UCS-2."""
    with pytest.raises(TwilioRestException) as refused:
        client.messages.create(to=CALLER, from_=FIRM, body="x" * 1601)
    assert refused.value.status == 400 and refused.value.code == 21617
    assert not carrier.phone(CALLER).inbox
    assert client.messages.create(to=CALLER, from_=FIRM, body="x" * 160).num_segments == "1"
    assert client.messages.create(to=CALLER, from_=FIRM, body="x" * 161).num_segments == "2"
    assert client.messages.create(to=CALLER, from_=FIRM, body="—" * 71).num_segments == "2"
