"""On-call seats answering the calls the app places: accept with a keypress, pass, ring out,
busy, voicemail — and warm transfers through <Dial><Number url> and conferences."""

from __future__ import annotations

import pytest
from flask import request
from sim_tiny import PUBLIC_URL, rest_client, tiny_app, twiml
from twilio.twiml.voice_response import Dial, VoiceResponse

FIRM = "+15125550100"
CALLER = "+15125550199"
DANA = "+15125550111"


rest = rest_client


def transfer_app(carrier):
    """Puts the caller in a conference, rings Dana with a whisper; 1 joins her to the caller."""
    app = tiny_app()
    app.posts = []  # type: ignore[attr-defined]

    def note(name):
        app.posts.append((name, request.form.to_dict(flat=True)))

    @app.post("/voice/incoming")
    def incoming():
        note("incoming")
        rest(carrier).calls.create(to=DANA, from_=FIRM, url=f"{PUBLIC_URL}/agent/whisper",
                                   status_callback=f"{PUBLIC_URL}/agent/status",
                                   status_callback_event=["initiated", "ringing", "answered",
                                                          "completed"],
                                   machine_detection="Enable", timeout=20)
        response = VoiceResponse()
        response.say("Connecting you to someone now.")
        dial = Dial()
        dial.conference(f"room-{request.form['CallSid']}", wait_url="/hold",
                        end_conference_on_exit=True, start_conference_on_enter=False,
                        status_callback="/conference/events",
                        status_callback_event="start end join leave hold")
        response.append(dial)
        response.say("The agent has left. Goodbye.")
        return twiml(response)

    @app.post("/hold")
    def hold():
        response = VoiceResponse()
        response.say("Please hold.")
        return twiml(response)

    @app.post("/agent/whisper")
    def whisper():
        note("whisper")
        response = VoiceResponse()
        gather = response.gather(num_digits=1, action="/agent/answer", timeout=5)
        gather.say("New caller about custody. Press 1 to take it, 2 to pass.")
        response.hangup()
        return twiml(response)

    @app.post("/agent/answer")
    def answer():
        note("answer")
        response = VoiceResponse()
        if request.form.get("Digits") != "1":
            response.say("Okay, passing.")
            response.hangup()
            return twiml(response)
        caller = next(form["CallSid"] for name, form in app.posts if name == "incoming")
        dial = Dial()
        dial.conference(f"room-{caller}", start_conference_on_enter=True)
        response.append(dial)
        return twiml(response)

    @app.post("/agent/status")
    def agent_status():
        note("agent-status")
        return "", 204

    @app.post("/conference/events")
    def conference_events():
        note("conference")
        return "", 204

    @app.post("/voice/status")
    def voice_status():
        return "", 204

    return app


def events(app, name, key):
    return [form.get(key) for n, form in app.posts if n == name]


def test_an_accepting_agent_hears_the_whisper_presses_1_and_joins_the_caller(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    dana = carrier.seat(DANA, "accept")
    caller = carrier.phone(CALLER).call(FIRM)
    room = carrier.conference(f"room-{caller.sid}")
    carrier.wait_for(lambda: room.status == "in-progress" and len(room.calls) == 2)
    [leg] = dana.calls
    assert caller.connected_to(leg) and leg.connected_to(caller) and room.has(caller, leg)
    assert caller.heard[0] == "Connecting you to someone now."  # then hold music, if Dana is slow
    assert leg.heard == ["New caller about custody. Press 1 to take it, 2 to pass."]
    assert events(app, "answer", "Digits") == ["1"]
    assert events(app, "whisper", "AnsweredBy") == ["human"]
    caller.hangup()
    leg.wait_until("completed")  # endConferenceOnExit took everyone out
    carrier.drain()
    assert events(app, "agent-status", "CallStatus") == ["initiated", "ringing", "in-progress",
                                                         "completed"]
    assert events(app, "conference", "StatusCallbackEvent") == [
        "participant-join", "participant-join", "conference-start", "participant-leave",
        "conference-end", "participant-leave"]
    assert [e for e in events(app, "conference", "ReasonParticipantLeft") if e] == [
        "participant_hung_up", "participant_with_end_conference_on_exit_left"]
    assert [e for e in events(app, "conference", "ParticipantCallStatus") if e] == [
        "completed", "in-progress"]
    assert room.status == "completed"


def test_a_passing_agent_presses_2_and_the_caller_keeps_waiting(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    dana = carrier.seat(DANA, "pass")
    caller = carrier.phone(CALLER).call(FIRM)
    leg = dana.wait_for_call()
    leg.wait_until("completed")
    assert events(app, "answer", "Digits") == ["2"]
    assert leg.heard[-1] == "Okay, passing."
    assert caller.wait_for("conference").info["name"] == f"room-{caller.sid}"
    assert caller.peers == []


@pytest.mark.parametrize(("behaviour", "status"), [("no_answer", "no-answer"), ("busy", "busy")])
def test_an_agent_who_does_not_answer_is_reported_by_status_callback(carrier, serve, behaviour,
                                                                     status):
    app = transfer_app(carrier)
    serve(app)
    carrier.seat(DANA, behaviour)
    carrier.phone(CALLER).call(FIRM)
    leg = carrier.agent(DANA).wait_for_call()
    leg.wait_until(status)
    carrier.drain()
    assert events(app, "agent-status", "CallStatus")[-1] == status
    assert events(app, "whisper", "CallSid") == []


def test_voicemail_answers_as_a_machine_and_presses_nothing(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.seat(DANA, "voicemail")
    carrier.phone(CALLER).call(FIRM)
    leg = carrier.agent(DANA).wait_for_call()
    leg.wait_until("completed")
    assert events(app, "whisper", "AnsweredBy") == ["machine_start"]
    assert events(app, "answer", "Digits") == []


def test_a_number_nobody_is_seated_at_rings_out(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.phone(CALLER).call(FIRM)
    carrier.agent(DANA).wait_for_call().wait_until("no-answer")


def test_canceling_a_ringing_agent_call_stops_it(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.no_answer_s = 5.0
    carrier.seat(DANA, "no_answer")
    carrier.phone(CALLER).call(FIRM)
    leg = carrier.agent(DANA).wait_for_call()
    leg.wait_until("ringing")
    assert rest(carrier).calls(leg.sid).update(status="canceled").status == "canceled"
    carrier.drain()
    assert events(app, "agent-status", "CallStatus")[-1] == "canceled"


def test_a_manual_seat_lets_the_test_press_for_the_agent(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.seat(DANA, "manual")
    caller = carrier.phone(CALLER).call(FIRM)
    leg = carrier.agent(DANA).wait_for_call()
    assert leg.wait_for_gather()["prompt"][0].startswith("New caller")
    leg.press("1")
    carrier.wait_for(lambda: caller.connected_to(leg))


def test_conferences_and_participants_through_the_rest_client(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.seat(DANA, "accept")
    caller = carrier.phone(CALLER).call(FIRM)
    room = carrier.conference(f"room-{caller.sid}")
    carrier.wait_for(lambda: len(room.calls) == 2)
    client = rest(carrier)
    [found] = client.conferences.list(friendly_name=room.name, status="in-progress")
    assert found.sid == room.sid and found.sid.startswith("CF")
    people = client.conferences(room.sid).participants.list()
    assert {p.call_sid for p in people} == {c.sid for c in room.calls}
    held = client.conferences(room.sid).participants(caller.sid).update(hold=True)
    assert held.hold is True and "[hold music]" in caller.heard
    leg = carrier.agent(DANA).calls[0]
    client.conferences(room.sid).participants(leg.sid).delete()
    carrier.wait_for(lambda: leg.ended)
    carrier.drain()
    assert "participant-hold" in events(app, "conference", "StatusCallbackEvent")


def test_a_participant_added_by_rest_joins_the_named_conference(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.seat(DANA, "manual")
    carrier.seat("+15125550112", "accept")
    caller = carrier.phone(CALLER).call(FIRM)
    room = carrier.conference(f"room-{caller.sid}")
    added = rest(carrier).conferences(room.sid).participants.create(
        from_=FIRM, to="+15125550112", start_conference_on_enter=True)
    sam = carrier.agent("+15125550112").wait_for_call()
    assert added.call_sid == sam.sid
    carrier.wait_for(lambda: caller.connected_to(sam))


def test_dial_number_bridges_after_the_whisper_and_reports_to_the_dial_action(carrier, serve):
    app = tiny_app()
    posts = []

    @app.post("/voice/incoming")
    def incoming():
        response = VoiceResponse()
        dial = Dial(action="/voice/after-dial", timeout=10)
        dial.number(DANA, url="/agent/whisper")
        response.append(dial)
        return twiml(response)

    @app.post("/agent/whisper")
    def whisper():
        response = VoiceResponse()
        response.say("Caller about a leaking furnace.")
        return twiml(response)

    @app.post("/voice/after-dial")
    def after():
        posts.append(request.form.to_dict())
        response = VoiceResponse()
        response.say("Thanks for calling.")
        return twiml(response)

    serve(app)
    carrier.seat(DANA, "accept")
    caller = carrier.phone(CALLER).call(FIRM)
    leg = carrier.agent(DANA).wait_for_call()
    carrier.wait_for(lambda: caller.connected_to(leg))
    assert leg.heard == ["Caller about a leaking furnace."] and leg.parent is caller
    leg.hangup()
    caller.wait_until("completed")
    assert caller.heard[-1] == "Thanks for calling."
    assert posts[0]["DialCallStatus"] == "completed" and posts[0]["DialCallSid"] == leg.sid


def test_status_callbacks_can_come_twice_and_newest_first(carrier, serve):
    """Twilio promises neither order nor once-only delivery; the sim can deliver the worst."""
    app = transfer_app(carrier)
    serve(app)
    carrier.faults.duplicate_callbacks()
    carrier.faults.reorder_callbacks(hold_s=3.0)
    carrier.seat(DANA, "pass")
    carrier.phone(CALLER).call(FIRM)
    leg = carrier.agent(DANA).wait_for_call()
    leg.wait_until("completed", drain=False)
    carrier.drain()
    assert events(app, "agent-status", "CallStatus") == [
        "completed", "completed", "in-progress", "in-progress",
        "ringing", "ringing", "initiated", "initiated"]
    tokens = [e.params.get("SequenceNumber") for e in carrier.exchanges
              if e.url.endswith("/agent/status")]
    assert tokens == ["3", "3", "2", "2", "1", "1", "0", "0"]  # what the app can order them by


def test_machine_detection_can_be_unsure_of_a_person_who_answers(carrier, serve):
    app = transfer_app(carrier)
    serve(app)
    carrier.seat(DANA, "accept", answered_by="unknown")
    caller = carrier.phone(CALLER).call(FIRM)
    room = carrier.conference(f"room-{caller.sid}")
    carrier.wait_for(lambda: room.status == "in-progress" and len(room.calls) == 2)
    assert events(app, "whisper", "AnsweredBy") == ["unknown"]
    with pytest.raises(ValueError):
        carrier.seat(DANA, "accept", answered_by="robot")
