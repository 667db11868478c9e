"""Calling through the sim: the caller hears <Say>s, presses keys, talks (typed), is redirected
by REST, and hangs up — with Twilio's webhooks and status callbacks along the way."""

from __future__ import annotations

import pytest
from flask import request
from sim_tiny import PUBLIC_URL, rest_client, tiny_app, twiml
from twilio.twiml.voice_response import VoiceResponse

from ivr.sim import SpeechNotGathered
from ivr.sim.executor import APPLICATION_ERROR

FIRM = "+15125550100"
CALLER = "+15125550199"


def menu_app(listens: str = "dtmf"):
    """A front desk: greets, asks for one key (or, with `listens="dtmf speech"`, a key or
    words), answers the choice, hangs up."""
    app = tiny_app()
    app.posts = []  # type: ignore[attr-defined]

    @app.post("/voice/incoming")
    def incoming():
        app.posts.append(("incoming", request.form.to_dict()))
        response = VoiceResponse()
        response.say("Hello, I'm a virtual assistant.")
        gather = response.gather(input=listens, num_digits=1, action="/voice/menu", timeout=3)
        gather.say("Press 1 for intake, 2 for billing.")
        response.say("We did not get that.")
        response.redirect("/voice/incoming")
        return twiml(response)

    @app.post("/voice/menu")
    def menu():
        app.posts.append(("menu", request.form.to_dict()))
        response = VoiceResponse()
        choice = request.form.get("Digits") or request.form.get("SpeechResult")
        response.say(f"You chose {choice}.")
        response.hangup()
        return twiml(response)

    @app.post("/voice/status")
    def status():
        app.posts.append(("status", request.form.to_dict()))
        return "", 204

    return app


def test_a_caller_hears_the_greeting_and_the_menu_prompt(carrier, serve):
    serve(menu_app())
    call = carrier.phone(CALLER).call(FIRM)
    gather = call.wait_for_gather()
    assert gather["numDigits"] == "1"
    assert gather["prompt"] == ["Press 1 for intake, 2 for billing."]
    assert call.heard == ["Hello, I'm a virtual assistant.", "Press 1 for intake, 2 for billing."]
    assert call.status == "in-progress"


def test_pressing_a_key_posts_digits_to_the_gather_action(carrier, serve):
    app = menu_app()
    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    assert call.press("1") == ["You chose 1."]
    call.wait_until("completed")
    name, form = app.posts[1]
    assert name == "menu" and form["Digits"] == "1" and form["CallSid"] == call.sid
    assert form["From"] == CALLER and form["To"] == FIRM and form["Direction"] == "inbound"


def test_keys_are_cut_at_finish_on_key_and_num_digits(carrier, serve):
    app = menu_app()
    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    assert call.press("21#") == ["You chose 2."]


def test_typed_speech_reaches_a_speech_gather_action_as_speech_result(carrier, serve):
    app = menu_app(listens="dtmf speech")
    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    assert call.say("intake please") == ["You chose intake please."]
    form = app.posts[1][1]
    assert form["SpeechResult"] == "intake please" and float(form["Confidence"]) > 0.5
    assert "Digits" not in form


def test_a_keypad_only_gather_refuses_typed_speech_and_names_the_real_ways(carrier, serve):
    """Twilio never posts SpeechResult to a dtmf-only <Gather>: the sim refuses the words
    instead of letting a test pass where a real caller's words would reach no one."""
    app = menu_app()
    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    with pytest.raises(SpeechNotGathered) as refused:
        call.say("intake please")
    assert "speech: twilio" in str(refused.value) and "Media Stream" in str(refused.value)
    assert [name for name, _ in app.posts] == ["incoming"]  # nothing reached the action
    assert call.press("1") == ["You chose 1."]  # the caller is still at the question


def test_silence_at_a_gather_falls_through_to_the_next_verb(carrier, serve):
    serve(menu_app())
    call = carrier.phone(CALLER).call(FIRM)
    call.silence()
    assert call.heard[2:] == ["We did not get that.", "Hello, I'm a virtual assistant.",
                              "Press 1 for intake, 2 for billing."]


def test_the_first_webhook_says_ringing_and_the_end_reaches_the_status_url(carrier, serve):
    app = menu_app()
    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.press("1")
    call.wait_until("completed")
    carrier.drain()
    assert app.posts[0][1]["CallStatus"] == "ringing"
    name, status = app.posts[-1]
    assert name == "status" and status["CallStatus"] == "completed"
    assert int(status["CallDuration"]) >= 0 and status["CallSid"] == call.sid
    assert all(exchange.ok for exchange in carrier.exchanges)


def test_a_caller_hanging_up_mid_gather_ends_the_call(carrier, serve):
    app = menu_app()
    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_for_gather()
    call.hangup()
    assert call.status == "completed"
    carrier.drain()
    assert app.posts[-1][1]["CallStatus"] == "completed"


def test_a_rest_update_interrupts_the_gather_and_plays_the_new_document(carrier, serve):
    serve(menu_app())
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_for_gather()
    rest = rest_client(carrier)
    rest.calls(call.sid).update(twiml="<Response><Say>I heard you say intake.</Say>"
                                      "<Hangup/></Response>")
    call.wait_until("completed")
    assert call.heard[-1] == "I heard you say intake."


def test_a_rest_update_with_a_url_fetches_that_document(carrier, serve):
    serve(menu_app())
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_for_gather()
    rest = rest_client(carrier)
    updated = rest.calls(call.sid).update(url=f"{PUBLIC_URL}/voice/menu?x=1", method="POST")
    assert updated.sid == call.sid
    call.wait_until("completed")
    assert call.heard[-1] == "You chose None."


def test_an_application_error_is_what_the_caller_hears_and_is_flagged(carrier, serve):
    app = tiny_app()

    @app.post("/voice/incoming")
    def broken():
        raise RuntimeError("boom")

    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("completed")
    assert call.heard == [APPLICATION_ERROR]
    assert call.errors and carrier.errors


def test_play_fetches_the_audio_and_pause_is_dead_air(carrier, serve):
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        response.play("/audio/hello.wav")
        response.pause(length=2)
        response.play("/audio/missing.wav")
        response.play(digits="w1")
        return twiml(response)

    @app.get("/audio/hello.wav")
    def hello():
        return b"RIFF....WAVE", 200, {"Content-Type": "audio/wav"}

    serve(app)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("completed")
    assert call.heard == [f"[play {PUBLIC_URL}/audio/hello.wav]",
                          f"[play {PUBLIC_URL}/audio/missing.wav]", "[digits w1]"]
    assert len(call.errors) == 1 and "missing.wav" in call.errors[0]


def test_media_streams_are_handed_to_the_stream_handler_and_stopped(carrier, serve):
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        start = response.start()
        stream = start.stream(url="wss://ivr.example.test/voice/stream", name="listen")
        stream.parameter(name="business", value="hartley")
        gather = response.gather(input="dtmf", action="/voice/done", timeout=2)
        gather.say("Tell me what happened.")
        return twiml(response)

    @app.post("/voice/done")
    def done():
        response = VoiceResponse()
        response.stop().stream(name="listen")
        response.say("Thanks.")
        return twiml(response)

    started = []
    serve(app)
    call = carrier.phone(CALLER).call(FIRM, on_stream=started.append)
    call.wait_for_gather()
    [stream] = started
    assert call.streams == [stream]
    assert stream.parameters == {"business": "hartley"} and stream.name == "listen"
    assert stream.local_url.startswith("ws://127.0.0.1:") and stream.local_url.endswith(
        "/voice/stream")
    assert not stream.stopped.is_set()
    call.press("5")
    assert stream.stopped.is_set()
    call.wait_until("completed")


@pytest.mark.parametrize("url, why", [
    ("ws://ivr.example.test/voice/stream", "31922"),
    ("wss://ivr.example.test/voice/stream?business=hartley", "query string"),
])
def test_a_stream_url_twilio_would_refuse_opens_no_stream_and_is_flagged(carrier, serve, url,
                                                                        why):
    """Twilio opens only wss:// and takes parameters as <Parameter>, not in the URL: an app
    asking otherwise has no speech on a real call, so the simulator refuses it too."""
    app = tiny_app()

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        response.start().stream(url=url, name="listen")
        response.gather(input="dtmf", action="/voice/done", timeout=2).say("Tell me.")
        return twiml(response)

    started = []
    serve(app)
    call = carrier.phone(CALLER).call(FIRM, on_stream=started.append)
    call.wait_for_gather()
    assert not started and not call.streams
    assert any(why in error for error in carrier.errors)


def fallback_app(fallback_works: bool = True):
    """A menu whose number also has a Voice fallback URL that says sorry and takes a message."""
    app = menu_app()

    @app.post("/voice/fallback")
    def rescue():
        app.posts.append(("fallback", request.form.to_dict()))
        if not fallback_works:
            return "down", 503
        response = VoiceResponse()
        response.say("Sorry, we are having trouble. Please leave a message.")
        response.hangup()
        return twiml(response)

    return app


def test_a_failed_voice_url_is_rescued_by_the_fallback_url_with_the_error(carrier, serve):
    app = fallback_app()
    server = serve(app)
    carrier.connect(server.url, PUBLIC_URL, voice_fallback="/voice/fallback")
    carrier.faults.fail_webhook("/voice/incoming", 502)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("completed")
    assert call.heard == ["Sorry, we are having trouble. Please leave a message."]
    assert not call.errors  # the caller heard no application error
    [(name, form)] = [p for p in app.posts if p[0] != "status"]
    assert name == "fallback" and form["ErrorCode"] == "11200"
    assert form["ErrorUrl"] == f"{PUBLIC_URL}/voice/incoming" and form["CallSid"] == call.sid
    assert any("11200" in e for e in carrier.errors)  # still in Twilio's debugger


def test_a_voice_url_slower_than_15_s_is_acted_on_but_the_caller_gets_the_fallback(carrier,
                                                                                   serve):
    app = fallback_app()
    server = serve(app)
    carrier.connect(server.url, PUBLIC_URL, voice_fallback="/voice/fallback")
    carrier.faults.slow_webhook("/voice/incoming")
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("completed")
    assert [p[0] for p in app.posts if p[0] != "status"] == ["incoming", "fallback"]
    assert app.posts[1][1]["ErrorCode"] == "11205"
    assert call.heard == ["Sorry, we are having trouble. Please leave a message."]


def test_the_application_error_plays_only_when_the_fallback_fails_too(carrier, serve):
    server = serve(fallback_app(fallback_works=False))
    carrier.connect(server.url, PUBLIC_URL, voice_fallback="/voice/fallback")
    carrier.faults.fail_webhook("/voice/incoming", 500)
    call = carrier.phone(CALLER).call(FIRM)
    call.wait_until("completed")
    assert call.heard == [APPLICATION_ERROR]
