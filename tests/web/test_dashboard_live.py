"""Real texts through the carrier simulator show up in the owner's numbers and review."""

from __future__ import annotations

from datetime import timedelta

import texting
from analytics_seed import SINCE, record
from dashboard_session import sign_in
from twilio_speech import heard_by_twilio

from ivr.sim.recording import Recording, as_wav, tone

HVAC = "+15125550200"
AUTH = {"Authorization": "Bearer test-api-token"}


def test_texts_the_bot_answered_and_could_not_answer_reach_the_metrics(live_app, carrier,
                                                                        client, clock):
    carrier.phone("+15125550401").text(HVAC, "What are your hours?", settle_s=texting.QUICK)
    carrier.phone("+15125550402").text(HVAC, "Do you sell gift cards?", settle_s=texting.QUICK)
    clock.set(clock() + timedelta(minutes=5))  # the owner looks a few minutes later

    body = client.get("/api/metrics", headers=AUTH).get_json()

    assert body["conversations"] == 2
    assert body["by_bucket"]["hours"]["route"] == "bot_only"
    assert [(g["question"], g["count"]) for g in body["unanswered"]] == [
        ("Do you sell gift cards?", 1)]
    sign_in(client)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert "Do you sell gift cards?" in page and "1 open" in page


def test_a_voicemail_recorded_at_the_carrier_plays_on_the_conversation_page(live_app, carrier,
                                                                             client, runtime):
    wav, seconds = as_wav(tone(0.5))
    recording = Recording(call_sid="CA" + "7" * 32, wav=wav, duration=seconds)
    carrier.recordings[recording.sid] = recording
    rec = record(SINCE, "+15125550403", outcome="escalated", accepted=False,
                 voicemail={"recording_sid": recording.sid})
    runtime.store.save(rec)
    sign_in(client)

    with client.get(f"/dashboard/conversations/{rec['id']}/voicemail") as audio:
        assert audio.status_code == 200
        assert audio.mimetype.startswith("audio/") and audio.data == wav


def test_a_real_warm_transfer_and_the_agents_verdict_reach_the_cards(live_app, carrier, client,
                                                                       runtime, clock):
    heard_by_twilio(runtime)  # the caller says what is wrong
    alex = carrier.seat("+15125550211", "manual")
    call = carrier.phone("+15125550404").call(HVAC)
    call.wait_for_gather()
    call.say("I smell gas and the furnace is out")
    agent = alex.wait_for_call()
    agent.wait_for_gather()
    clock.set(clock() + timedelta(seconds=21.4))
    agent.press("1")
    carrier.wait_for(lambda: (runtime.store.conversations(phone="+15125550404")[-1]["transfer"]
                              or {}).get("time_to_human_s"), 10, "caller connected")
    call.hangup()
    agent.wait_for_gather()
    agent.press("2")  # "did this call need you?" — no
    carrier.wait_for(lambda: runtime.store.conversations(phone="+15125550404")[-1]["feedback"],
                     10, "verdict stored")
    clock.set(clock() + timedelta(minutes=5))

    body = client.get("/api/metrics", headers=AUTH).get_json()

    assert body["time_to_human_p50_s"] == 21.4
    assert body["escalation_accuracy"] == 0.0
    assert body["resolution_rate"] == 1.0
    assert body["deflection_rate"] == 0.0
    [record] = runtime.store.conversations(phone="+15125550404")
    sign_in(client)
    page = client.get(f"/dashboard/conversations/{record['id']}").get_data(as_text=True)
    assert "Alex Kim" in page and "21 s" in page and "did not need a person" in page
