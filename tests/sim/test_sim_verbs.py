"""More of Twilio's protocol in the sim: GET documents signed with their query, <Reject>,
<Connect><Stream> holding the call, conferences ended by REST, picture messages."""

from __future__ import annotations

from flask import request
from sim_tiny import rest_client, tiny_app, twiml
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import Connect, Dial, VoiceResponse

FIRM = "+15125550100"
CALLER = "+15125550199"


def test_a_get_redirect_is_signed_over_its_query_string(carrier, serve):
    app = tiny_app()
    seen = []

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        response.redirect("/voice/next?step=2", method="GET")
        return twiml(response)

    @app.get("/voice/next")
    def next_step():
        seen.append(request.args.to_dict())
        response = VoiceResponse()
        response.say("Step two.")
        return twiml(response)

    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("completed")
    assert call.heard == ["Step two."]
    assert seen[0]["step"] == "2" and seen[0]["CallSid"] == call.sid


def test_a_rejected_call_is_busy_and_never_answered(carrier, serve):
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        response.reject(reason="busy")
        return twiml(response)

    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("busy")
    assert call.start_time is None


def test_connect_stream_holds_the_call_until_the_app_redirects_it(carrier, serve):
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        connect = Connect()
        connect.stream(url="wss://ivr.example.test/voice/stream")
        response.append(connect)
        response.say("Never reached.")
        return twiml(response)

    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_for("connect")
    [stream] = call.streams
    assert stream.bidirectional
    rest_client(carrier).calls(call.sid).update(twiml="<Response><Say>Back.</Say></Response>")
    call.wait_until("completed")
    assert call.heard == ["Back."] and stream.stopped.is_set()


def test_ending_a_conference_by_rest_sends_everyone_on(carrier, serve):
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        dial = Dial()
        dial.conference("team-room", wait_url="")
        response.append(dial)
        response.say("The meeting is over.")
        return twiml(response)

    serve(app)
    first = carrier.phone(CALLER).call(FIRM)
    second = carrier.phone("+15125550198").call(FIRM)
    room = carrier.conference("team-room")
    carrier.wait_for(lambda: room.has(first, second))
    assert first.connected_to(second)
    rest_client(carrier).conferences(room.sid).update(status="completed")
    for call in (first, second):
        call.wait_until("completed")
        assert call.heard == ["The meeting is over."]
    assert room.status == "completed"


def test_picture_messages_carry_their_media_urls(carrier, serve):
    app = tiny_app()
    seen = []

    @app.post("/sms/incoming")
    def incoming():
        seen.append(request.form.to_dict())
        return twiml(MessagingResponse())

    serve(app)
    replies = carrier.phone(CALLER).text(FIRM, "see photo", media=["https://example.test/a.jpg"])
    assert replies == []
    assert seen[0]["NumMedia"] == "1" and seen[0]["MediaUrl0"] == "https://example.test/a.jpg"
