"""Warm transfers of calls, end to end through the carrier simulator.

A caller says something urgent, the flow decides a person is needed, the caller holds in a
conference while on-call staff are rung one by one; each hears the spoken summary and presses
1 to take the call or 2 to pass. Nobody taking it ends in voicemail, a text and a follow-up.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from latest_record import latest, wait_for_latest
from twilio_speech import heard_by_twilio

from ivr.speech.tts import cache_path
from ivr.store.callbacks import list_callbacks
from ivr.store.hunts import Hunts
from ivr.store.records import iso, parse_iso

HVAC, ALEX, JO = "+15125550200", "+15125550211", "+15125550212"
CALLER = "+15125550199"
GAS = "I smell gas and the furnace is out"


@pytest.fixture(autouse=True)
def callers_talk(runtime) -> None:
    """The callers here say what is wrong: their business lets Twilio hear them."""
    heard_by_twilio(runtime)


def escalate(carrier, to: str = HVAC, words: str = GAS):
    """Call the business and say something that needs a person now."""
    call = carrier.phone(CALLER).call(to)
    call.wait_for_gather()
    call.say(words)
    return call


def record_of(runtime):
    return latest(runtime, CALLER)


def wait_for_record(carrier, runtime, test, what):
    return wait_for_latest(carrier, runtime, CALLER, test, what)


def test_whisper_tells_the_agent_the_details_and_why_before_they_take_the_call(
        live_app, carrier, runtime):
    dana = carrier.seat("+15125550111", "accept")
    call = escalate(carrier, to="+15125550100", words=(
        "I need help with a custody case in Austin Texas, hearing is next month, no lawyer "
        "yet, I can spend about five grand"))
    agent = dana.wait_for_call()
    carrier.wait_for(lambda: any("Press 1" in h for h in agent.heard), 10, "the accept question")
    hunt = Hunts(runtime.store).get("hartley-family-law", f"conf-{call.sid}")
    for detail in ("custody", "Texas", "next month", "$5,000", "qualified", "5 1 2, 5 5 5"):
        assert detail in hunt.whisper
    played = next(h for h in agent.heard if h.startswith("[play "))
    assert cache_path(runtime.settings.audio_dir, hunt.whisper).name in played


def test_emergency_caller_is_connected_to_the_on_call_person_who_presses_1(live_app, carrier,
                                                                            runtime):
    alex = carrier.seat(ALEX, "accept")
    call = escalate(carrier)
    carrier.wait_for(lambda: any("Connecting you with Alex" in h for h in call.heard), 10,
                     "the caller told who is coming")
    room = carrier.conference(f"conf-{call.sid}")
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: room.has(call, agent), 10, "caller and Alex in one conference")
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "time to human recorded")
    assert record["transfer"]["agent"] == "Alex Kim"
    assert record["transfer"]["phone"] == ALEX
    assert record["transfer"]["accepted"] is True
    assert record["outcome"] == "transferred"


def test_the_agent_hears_the_summary_before_being_asked_to_take_the_call(live_app, carrier):
    alex = carrier.seat(ALEX, "accept")
    escalate(carrier)
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: any("Press 1 to take this call" in h for h in agent.heard), 10,
                     "the accept question")
    summary = agent.heard[agent.heard.index(next(h for h in agent.heard if "Press 1" in h)) - 1]
    assert summary.startswith("[play ") and "/transfer/audio/" in summary
    assert not agent.errors


def test_the_accepting_agent_is_texted_the_summary_and_a_link(live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "accept")
    escalate(carrier)
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                             "the transfer accepted")
    text = alex.wait_for_text("/dashboard/conversations/")
    assert f"https://ivr.test/dashboard/conversations/{record['id']}" in text.body


def test_time_to_human_runs_from_the_decision_to_the_agent_joining(live_app, carrier, runtime,
                                                                   clock):
    alex = carrier.seat(ALEX, "manual")
    call = escalate(carrier)
    agent = alex.wait_for_call()
    agent.wait_for_gather()
    carrier.wait_for(lambda: "Alex's phone is ringing — thanks for waiting." in call.heard, 10,
                     "the caller reassured on hold")
    clock.set(clock.now + timedelta(seconds=21.4))
    agent.press("1")
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "time to human recorded")
    assert record["transfer"]["time_to_human_s"] == 21.4
    assert record["transfer"]["dialed_at"] and record["transfer"]["answered_at"]


def test_first_person_passes_and_the_second_takes_the_call(live_app, carrier, runtime):
    carrier.seat(ALEX, "pass")
    jo = carrier.seat(JO, "accept")
    call = escalate(carrier)
    agent = jo.wait_for_call()
    room = carrier.conference(f"conf-{call.sid}")
    carrier.wait_for(lambda: room.has(call, agent), 10, "caller and Jo in one conference")
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                             "Jo accepted")
    assert record["transfer"]["agent"] == "Jo Park"
    assert [a["name"] for a in record["transfer"]["attempts"]] == ["Alex Kim", "Jo Park"]


def test_first_person_does_not_answer_and_the_second_is_rung(live_app, carrier, runtime):
    carrier.seat(ALEX, "no_answer")
    jo = carrier.seat(JO, "accept")
    call = escalate(carrier)
    agent = jo.wait_for_call()
    carrier.wait_for(lambda: carrier.conference(f"conf-{call.sid}").has(call, agent), 10,
                     "caller and Jo connected")
    assert wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                           "Jo accepted")["transfer"]["agent"] == "Jo Park"


def test_an_answering_machine_is_skipped(live_app, carrier, runtime):
    alex = carrier.seat(ALEX, "voicemail")
    jo = carrier.seat(JO, "accept")
    escalate(carrier)
    jo.wait_for_call()
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                             "Jo accepted")
    assert record["transfer"]["agent"] == "Jo Park"
    assert not any("Press 1" in h for h in alex.heard)  # a machine never hears the summary


def test_a_person_the_machine_detector_was_unsure_of_still_hears_the_summary_and_takes_it(
        live_app, carrier, runtime):
    """Twilio answers AnsweredBy=unknown when it cannot tell (a person who said nothing yet, a
    noisy line): that may be the on-call person, so they are briefed and asked, not skipped."""
    alex = carrier.seat(ALEX, "accept", answered_by="unknown")
    call = escalate(carrier)
    agent = alex.wait_for_call()
    carrier.wait_for(lambda: carrier.conference(f"conf-{call.sid}").has(call, agent), 10,
                     "caller and Alex connected")
    assert any("Press 1" in h for h in agent.heard)
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                             "Alex accepted")
    assert record["transfer"]["agent"] == "Alex Kim"
    assert carrier.phone(JO).calls == []  # nobody else disturbed


def test_nobody_takes_the_call_so_the_caller_can_leave_a_message_and_is_texted(
        live_app, carrier, runtime):
    carrier.seat(ALEX, "pass")
    carrier.seat(JO, "no_answer")
    call = escalate(carrier)
    call.wait_for("record", 15)
    assert any("leave a message" in h for h in call.heard)
    heard = call.leave_message()
    assert any("we've got your message" in h for h in heard)
    text = carrier.phone(CALLER).wait_for_text("call you back")
    assert "within the hour" in text.body
    record = wait_for_record(carrier, runtime, lambda r: r.get("voicemail"), "voicemail noted")
    assert record["outcome"] == "escalated"
    assert record["transfer"]["accepted"] is False
    assert record["voicemail"]["recording_sid"].startswith("RE")
    [task] = [t for t in list_callbacks(runtime.store, record["business_key"], "open")
              if t["conversation"] == record["id"]]
    assert "transfer_missed" in task["reasons"]


def test_agent_feedback_by_keypress_after_the_call_is_stored(live_app, carrier, runtime):
    carrier.seat(ALEX, "accept", keys=["1", "2"])
    call = escalate(carrier)
    wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "connected")
    call.hangup()
    record = wait_for_record(carrier, runtime, lambda r: r.get("feedback"), "feedback stored")
    assert record["feedback"]["needed"] is False
    assert record["feedback"]["by"] == "Alex Kim"


def test_agent_who_hangs_up_is_asked_by_text_and_a_y_reply_is_stored(live_app, carrier,
                                                                     runtime):
    alex = carrier.seat(ALEX, "accept")
    escalate(carrier)
    wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get(
        "time_to_human_s") is not None, "connected")
    alex.calls[-1].hangup()
    alex.wait_for_text("Did this call need you?")
    assert alex.text(HVAC, "Y") == ["Thanks, noted."]
    record = record_of(runtime)
    assert record["feedback"]["needed"] is True and record["feedback"]["by"] == "Alex Kim"


def test_a_qualified_lead_stays_counted_after_staff_take_it(live_app, carrier, runtime, client):
    dana = carrier.seat("+15125550111", "accept")
    escalate(carrier, to="+15125550100", words=(
        "I need help with a custody case in Austin Texas, hearing is next month, I do not "
        "currently have a lawyer, I can spend about eight thousand dollars"))
    dana.wait_for_call()
    record = wait_for_record(carrier, runtime, lambda r: (r["transfer"] or {}).get("accepted"),
                             "Dana took the call")
    assert record["outcome"] == "transferred"
    assert record["qualification"] == {
        "result": "qualified", "reasons": ["jurisdiction", "representation", "budget"]}
    auth = {"Authorization": "Bearer test-api-token"}
    [shown] = client.get("/api/conversations", query_string={"qualification": "qualified"},
                         headers=auth).get_json()["conversations"]
    assert shown["id"] == record["id"] and shown["outcome"] == "transferred"
    started = parse_iso(record["started_at"])
    period = {"since": iso(started - timedelta(days=1)), "until": iso(started + timedelta(days=1))}
    metrics = client.get("/api/metrics", query_string=period, headers=auth).get_json()
    assert metrics["qualified_leads"] == 1
    assert metrics["by_business"]["Hartley Family Law"]["qualified_leads"] == 1


def test_a_waiting_caller_hears_who_is_rung_next_when_the_first_person_passes(
        live_app, carrier, runtime):
    """The hold document ends in a redirect to itself, so the caller hears the hunt's news
    whether or not Twilio re-fetches a waitUrl on its own (the sim does not)."""
    carrier.seat(ALEX, "pass")
    jo = carrier.seat(JO, "manual")
    call = escalate(carrier)
    jo.wait_for_call().wait_for_gather(15)
    carrier.wait_for(lambda: "Jo's phone is ringing — thanks for waiting." in call.heard, 10,
                     "the caller told Jo is being rung")
