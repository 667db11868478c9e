"""The terminal session behind `ivr simulate` and `ivr demo`, driven by scripted lines."""

from __future__ import annotations

import io

from flask import request
from sim_fixtures import ACCOUNT_SID, AUTH_TOKEN
from sim_tiny import PUBLIC_URL, rest_client, tiny_app, twiml
from twilio.twiml.messaging_response import MessagingResponse
from twilio.twiml.voice_response import VoiceResponse

from ivr.config.settings import Settings
from ivr.sim import LiveServer
from ivr.sim.terminal import AgentSession, DemoSession, Session, run_terminal
from ivr.store.redis_server import free_port

FIRM = "+15125550100"


def desk_app(public_url: str = PUBLIC_URL, listens: str = "dtmf speech"):
    app = tiny_app(public_url=public_url)

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        gather = response.gather(input=listens, num_digits=1, action="/voice/menu")
        gather.say("Press 1 for intake.")
        return twiml(response)

    @app.post("/voice/menu")
    def menu():
        response = VoiceResponse()
        response.say(f"You said {request.form.get('Digits') or request.form['SpeechResult']}.")
        return twiml(response)

    @app.post("/agent/whisper")
    def whisper():
        response = VoiceResponse()
        response.gather(num_digits=1, action="/agent/answer").say("Press 1 to take it.")
        return twiml(response)

    @app.post("/agent/answer")
    def answer():
        response = VoiceResponse()
        response.say(f"Thanks, you pressed {request.form['Digits']}.")
        return twiml(response)

    @app.post("/sms/incoming")
    def sms():
        reply = MessagingResponse()
        reply.message(f"Got it: {request.form['Body']}")
        return twiml(reply)

    return app


def test_a_scripted_caller_hears_the_prompts_and_the_answer(carrier, serve):
    serve(desk_app())
    out = io.StringIO()
    Session(carrier, out=out).run(["call +15125550100", "custody question"])
    text = out.getvalue()
    assert "hears: Press 1 for intake." in text
    assert "hears: You said custody question." in text
    assert "(call ended: completed)" in text


def test_words_typed_at_a_keys_only_question_are_explained_not_sent(carrier, serve):
    serve(desk_app(listens="dtmf"))
    out = io.StringIO()
    Session(carrier, out=out).run(["call +15125550100", "custody question", "1"])
    text = out.getvalue()
    assert "this question takes keys only here" in text and "speech: twilio" in text
    assert "You said custody question." not in text
    assert "hears: You said 1." in text  # the call waited at the question for a key


def test_a_scripted_texter_sees_the_replies(carrier, serve):
    serve(desk_app())
    out = io.StringIO()
    Session(carrier, out=out).run(["text +15125550100 hello there", "quit", "never read"])
    assert "sms from +15125550100: Got it: hello there" in out.getvalue()
    assert "never read" not in out.getvalue()


def test_simulate_points_a_fresh_carrier_at_a_running_ivr():
    port = free_port()
    app = desk_app()
    with LiveServer(app) as server:
        app.config["PUBLIC_URL"] = server.url
        settings = Settings(account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN,
                            api_base=f"http://127.0.0.1:{port}", public_url=server.url)
        out = io.StringIO()
        run_terminal(settings, role="caller", business=FIRM, lines=["1"], out=out)
    assert "hears: You said 1." in out.getvalue()


def test_the_demo_session_lists_businesses_and_reaches_the_product(live_app, carrier, runtime):
    out = io.StringIO()
    DemoSession(runtime.settings, carrier, out=out).run(
        ["businesses", "text Hartley Family Law hello"])
    text = out.getvalue()
    assert "Hartley Family Law" in text and "Dana Ortiz +15125550111" in text
    assert "sms from Hartley Family Law +15125550100:" in text


def test_an_agent_at_the_terminal_answers_the_call_the_app_places(carrier, serve):
    serve(desk_app())
    out = io.StringIO()
    session = AgentSession(carrier, out=out, person="+15125550111")
    rest_client(carrier).calls.create(to="+15125550111", from_=FIRM,
                                      url=f"{PUBLIC_URL}/agent/whisper")
    session.run(["wait", "1"])
    text = out.getvalue()
    assert "hears: Press 1 to take it." in text
    assert "hears: Thanks, you pressed 1." in text and "(call ended: completed)" in text
