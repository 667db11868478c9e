"""Voice TwiML as the caller's phone would execute it: parsed XML, no server involved."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ivr.flow.actions import Ask, Choice
from ivr.twilio.twiml import (
    HINT_MAX_PHRASES,
    Builder,
    Listening,
    Voice,
    dial_verbs,
    hints_for,
    numbers_to_try,
    polite_goodbye,
    spoken_prompt,
)

MATTER = Ask(slot="matter_type", prompt="What is your legal matter about?",
             choices=(Choice("1", "divorce", "divorce"), Choice("2", "custody", "custody")))


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml)


def test_a_menu_question_names_its_keypad_choices_inside_a_one_digit_gather():
    builder = Builder(Voice("Polly.Joanna", "en-US"))
    builder.question(MATTER, "https://x/voice/gather?turn=1", "https://x/voice/timeout?turn=1")
    root = parse(builder.xml())
    gather = root.find("Gather")
    assert gather is not None
    assert gather.get("input") == "dtmf"
    assert gather.get("numDigits") == "1"
    assert gather.get("action") == "https://x/voice/gather?turn=1"
    say = gather.find("Say")
    assert say is not None and say.get("voice") == "Polly.Joanna"
    assert "press 1 for divorce, press 2 for custody" in (say.text or "").lower()
    redirect = root.find("Redirect")
    assert redirect is not None and redirect.text == "https://x/voice/timeout?turn=1"


def test_a_free_answer_gather_ends_on_pound_and_a_prompt_naming_keys_is_not_repeated():
    free = Ask(slot="budget", prompt="What budget do you have in mind?")
    builder = Builder(Voice())
    builder.question(free, "g", "t")
    gather = parse(builder.xml()).find("Gather")
    assert gather is not None and gather.get("finishOnKey") == "#"
    assert gather.get("numDigits") is None
    menu = Ask(slot="x", prompt="Press 1 for yes or 2 for no.",
               choices=(Choice("1", "yes", "yes"), Choice("2", "no", "no")))
    assert spoken_prompt(menu) == "Press 1 for yes or 2 for no."


def test_record_mode_records_the_answer_without_a_beep_after_a_keypad_window():
    builder = Builder(Voice())
    builder.recorded_question(MATTER, "g", "https://x/voice/recorded?turn=2", "t")
    root = parse(builder.xml())
    assert [child.tag for child in root] == ["Gather", "Record", "Redirect"]
    record = root.find("Record")
    assert record is not None
    assert record.get("playBeep") == "false"
    assert record.get("action") == "https://x/voice/recorded?turn=2"
    assert int(record.get("maxLength") or 0) > 0


def test_the_stream_is_tagged_with_business_and_call():
    builder = Builder(Voice())
    builder.start_stream("wss://ivr.example.com/voice/stream", "hartley-family-law", "CA1")
    stream = parse(builder.xml()).find("Start/Stream")
    assert stream is not None and stream.get("url") == "wss://ivr.example.com/voice/stream"
    params = {p.get("name"): p.get("value") for p in stream.findall("Parameter")}
    assert params == {"business": "hartley-family-law", "call": "CA1"}


def test_the_transfer_verbs_follow_what_was_said_before_them():
    builder = Builder(Voice())
    builder.say("Thanks, I have what I need.")
    builder.extend(dial_verbs(Voice(), "+15125550111", "https://x/f"))
    joined = parse(builder.xml())
    assert [child.tag for child in joined] == ["Say", "Dial"]
    dial = joined.find("Dial")
    assert dial is not None and dial.text == "+15125550111"
    assert dial.get("action") == "https://x/f"


def test_the_last_resort_is_spoken_then_hangs_up():
    root = parse(polite_goodbye(Voice(), "Sorry, goodbye."))
    assert [child.tag for child in root] == ["Say", "Hangup"]


def test_people_are_tried_once_each_in_order_then_the_fallback_line():
    assert numbers_to_try(["+1", "+2", "+1"], "+3") == ["+1", "+2", "+3"]
    assert numbers_to_try([], None) == []


def test_words_before_a_question_are_inside_its_gather_so_keys_work_during_them():
    builder = Builder(Voice())
    builder.question(MATTER, "g", "t", lead=["Sorry, I didn't catch that."])
    root = parse(builder.xml())
    assert [child.tag for child in root] == ["Gather", "Redirect"]
    says = [say.text for say in root.iter("Say")]
    assert says[0] == "Sorry, I didn't catch that."
    assert says[1].startswith("What is your legal matter about?")


def test_listening_after_barge_in_keeps_the_keypad_but_drops_the_prompt():
    builder = Builder(Voice())
    builder.listen("https://x/voice/gather?turn=3", "https://x/voice/timeout?turn=3", 1)
    root = parse(builder.xml())
    gather = root.find("Gather")
    assert gather is not None and list(gather) == []
    assert gather.get("numDigits") == "1"
    assert [child.tag for child in root] == ["Gather", "Redirect"]


def test_a_question_twilio_hears_takes_keys_or_words_in_the_callers_language():
    builder = Builder(Voice("Polly.Lupe", "es-US"))
    builder.question(MATTER, "g", "t", listening=Listening("es-US", hints_for(MATTER)))
    gather = parse(builder.xml()).find("Gather")
    assert gather is not None
    assert gather.get("input") == "dtmf speech" and gather.get("language") == "es-US"
    assert gather.get("speechTimeout") == "auto" and gather.get("speechModel") is None
    assert gather.get("hints") == "divorce, custody" and gather.get("numDigits") == "1"


def test_hints_are_the_phrases_twilio_takes_without_repeats_commas_or_recogniser_tokens():
    ask = Ask(slot="x", prompt="Which?", choices=(Choice("1", "heating", "heat"),),
              grammar=("heating", "no heat, none", "[unk]", "x" * 101, *(f"p{i}" for i in range(99))))
    hints = hints_for(ask)
    assert hints[:3] == ("heating", "no heat none", "p0")
    assert len(hints) == HINT_MAX_PHRASES and all(len(h) <= 100 for h in hints)
