"""Warm-transfer TwiML and the spoken summary, as pure functions (parsed like Twilio would)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ivr.handoff.summary import spoken_number, whisper_text
from ivr.twilio import transfer as twiml
from ivr.twilio.twiml import document


def parse(text: str) -> ET.Element:
    return ET.fromstring(text)


def test_the_caller_is_told_who_is_coming_and_waits_in_a_conference_named_after_the_call():
    root = parse(document(twiml.caller_leg_verbs("Dana", "conf-CA1", wait_url="https://x/hold",
                                                 status_url="https://x/conf")))
    assert root.find("Say").text == "Connecting you with Dana, who has your details."
    conference = root.find("./Dial/Conference")
    assert conference.text == "conf-CA1"
    assert conference.get("startConferenceOnEnter") == "false"
    assert conference.get("endConferenceOnExit") == "true"
    assert conference.get("waitUrl") == "https://x/hold"
    assert set(conference.get("statusCallbackEvent").split()) >= {"join", "leave", "end"}


def test_hold_reassures_the_caller_by_name_between_stretches_of_music():
    root = parse(twiml.hold("Dana", music_url="https://x/music.wav"))
    assert root.find("Say").text == "Dana's phone is ringing — thanks for waiting."
    assert root.find("Play").text == "https://x/music.wav"


def test_the_whisper_plays_the_summary_then_asks_for_one_key_and_counts_silence_as_a_pass():
    root = parse(twiml.whisper("summary", audio_url="https://x/a.wav", accept_url="https://x/acc"))
    gather = root.find("Gather")
    assert gather.get("numDigits") == "1" and gather.get("action") == "https://x/acc"
    assert gather.find("Play").text == "https://x/a.wav"
    assert "Press 1 to take this call" in gather.find("Say").text
    assert root.find("Redirect").text == "https://x/acc"


def test_the_whisper_is_said_when_no_audio_is_ready():
    root = parse(twiml.whisper("Caller needs help", audio_url=None, accept_url="/a"))
    assert root.find("./Gather/Say").text == "Caller needs help"
    assert root.find("./Gather/Play") is None


def test_accepting_agent_starts_the_conference_and_is_asked_for_feedback_after():
    root = parse(twiml.agent_join("conf-CA1", status_url="/s", feedback_url="/f"))
    conference = root.find("./Dial/Conference")
    assert conference.text == "conf-CA1" and conference.get("startConferenceOnEnter") == "true"
    assert root.find("Gather").get("action") == "/f"
    assert "Did this call need you" in root.find("./Gather/Say").text


def test_accepting_agent_on_a_text_conversation_dials_the_customer_from_the_business_number():
    root = parse(twiml.agent_bridge("+15125550199", caller_id="+15125550200",
                                    answered_url="/b", feedback_url="/f"))
    assert root.find("Dial").get("callerId") == "+15125550200"
    assert root.find("./Dial/Number").text == "+15125550199"


def test_voicemail_offer_says_when_we_will_call_back_and_records():
    root = parse(document(twiml.voicemail_offer_verbs("Monday after 8:30 AM", record_url="/r",
                                                      recording_status_url="/rs")))
    assert "Monday after 8:30 AM" in root.find("Say").text
    assert root.find("Record").get("action") == "/r"
    assert root.find("Hangup") is not None


def test_phone_numbers_are_read_out_in_groups():
    assert spoken_number("+15125550199") == "5 1 2, 5 5 5, 0 1 9 9"


def test_whisper_summary_names_the_caller_bucket_slots_reasons_confidence_and_gist():
    record = {
        "caller": "+15125550199", "channel": "voice", "bucket": "emergency_repair",
        "slots": {"town": "Round Rock"},
        "escalation": {"reasons": ["emergency"], "confidence": 0.82},
        "transcript": [{"role": "bot", "text": "How can I help?"},
                       {"role": "caller", "text": "I smell gas near the furnace and my baby is here"}],
    }
    text = whisper_text(record, business="Polar Bear HVAC", caller_name="Maria", urgent=True,
                        reasons=("emergency", "health_safety"))
    assert text.startswith("Urgent. Call for Polar Bear HVAC from Maria, 5 1 2")
    assert "emergency repair" in text and "town: Round Rock" in text
    assert "emergency, health safety" in text
    assert "82 percent" in text
    assert "I smell gas near the furnace" in text


def test_agent_hears_the_words_that_needed_them_and_the_urgency_the_record_stores():
    record = {
        "caller": "+15125550199", "channel": "voice", "bucket": "emergency_repair",
        "route": "human", "escalation": {"reasons": ["emergency"], "urgent": True},
        "transcript": [
            {"role": "caller", "text": "do you sell heaters for an above ground pool in the yard"},
            {"role": "caller", "text": "I smell gas near the furnace"},
            {"role": "caller", "text": "1"}],
    }
    text = whisper_text(record, business="Polar Bear HVAC")
    assert text.startswith("Urgent. Call for Polar Bear HVAC")
    assert ("They said: “I smell gas near the furnace”. Before that: “do you sell heaters for "
            "an above ground pool in the yard”.") in text


def test_the_hold_music_ends_by_asking_again_for_who_is_being_rung():
    """Whether Twilio re-fetches a waitUrl is not documented: the loop is ours."""
    root = parse(twiml.hold("Dana", music_url="https://x/music.wav",
                            again_url="https://x/transfer/hold?b=k&h=conf-CA1"))
    assert root[-1].tag == "Redirect" and root[-1].text == "https://x/transfer/hold?b=k&h=conf-CA1"
