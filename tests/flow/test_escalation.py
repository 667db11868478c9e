"""Escalation across flows: asking for a person, frustration, the low-confidence ladder."""

from __future__ import annotations

import pytest
from flowchat import FRIDAY_NIGHT

from ivr.flow.actions import Ask


@pytest.mark.parametrize("text", ["can I talk to a real person", "representative please",
                                  "I want to speak to someone"])
def test_asking_for_a_person_is_honoured(hvac, text):
    chat = hvac()
    chat.send(text)
    assert chat.transfer is not None
    assert chat.state.reasons == ["asked_for_human"]


#: A first message that leaves a question open, per flow.
OPENINGS = {"Hartley Family Law": "I need help with a divorce",
            "Polar Bear HVAC": "I'd like a quote", "Fernhill Goods": "where is my order"}


@pytest.mark.parametrize("text", ["agent", "representative", "someone real", "not a bot",
                                  "operator", "I don't want a bot", "can I get a live agent"])
@pytest.mark.parametrize("midway", [False, True], ids=["first message", "while asked a slot"])
def test_a_request_for_a_person_in_any_words_reaches_one_in_every_flow_without_the_model(
        chat, text, midway):
    for name, opening in OPENINGS.items():
        conversation = chat(name)  # no semantic layer: the rules alone
        if midway:
            conversation.send(opening)
            assert conversation.ask is not None, name
        conversation.send(text)
        assert conversation.transfer is not None, (name, text)
        assert "asked_for_human" in conversation.state.reasons, (name, text)


@pytest.mark.parametrize("text", [
    "skip all this and have an attorney phone me about my divorce",
    "could somebody ring me this afternoon", "is there a flesh and blood person there",
    "I'd rather do this by voice", "get a lawyer on the line for me",
    "que me marque un licenciado por favor",
])
def test_asking_to_be_phoned_or_for_someone_real_in_other_words_reaches_a_person(law, text):
    chat = law()  # the rules alone
    chat.send(text)
    assert chat.transfer is not None
    assert "asked_for_human" in chat.state.reasons


def test_annoyed_with_the_ex_is_no_frustration_with_us(law):
    """Frustration is with us or the bot; an annoying ex is part of the matter (rules alone)."""
    chat = law()
    chat.send("her new boyfriend is annoying but harmless, I want a parenting plan")
    assert "frustration" not in chat.state.reasons and chat.transfer is None
    chat = law()
    chat.send("ugh this is annoying, I keep answering the same questions")
    assert "frustration" in chat.state.reasons and chat.transfer is not None


def test_an_agent_inside_a_sentence_is_not_a_request_for_a_person(hvac):
    chat = hvac()
    chat.send("my insurance agent said to call about the hail damage")
    assert "asked_for_human" not in chat.state.reasons


def test_keypad_zero_reaches_a_person(law):
    chat = law(channel="voice")
    chat.call()
    chat.send("0", kind="digits")
    assert chat.transfer is not None and chat.transfer.skill == "intake"


def test_asking_for_a_person_after_hours_is_captured_for_the_morning(law):
    chat = law(at=FRIDAY_NIGHT)
    chat.send("I want to talk to a lawyer")
    assert chat.transfer is None
    assert chat.outcome == "after_hours_queued"
    assert "Monday after 8:30 AM" in chat.said


@pytest.mark.parametrize("text", ["this is useless", "what the hell is this",
                                  "stupid bot, just help me"])
def test_frustration_is_escalated(hvac, text):
    chat = hvac()
    chat.send("hmm")
    chat.send(text)
    assert chat.transfer is not None
    assert "frustration" in chat.state.reasons


@pytest.mark.parametrize("text", [
    "I emailed about this twice and heard nothing back",
    "this is my third time reaching out about the same thing",
    "left a voicemail yesterday and nobody got back to me",
    "ya les mande tres correos y nadie me contesta",
    "I keep getting passed around by your staff",
    "you keep ignoring my texts about this",
    "sent you 3 emails already and no one answers",
    "ya son cuatro veces que les escribo por lo mismo",
])
def test_earlier_contact_left_unanswered_is_frustration_in_every_flow_without_the_model(
        chat, text):
    """A customer who already tried us another way is past what a bot should answer."""
    for name in OPENINGS:
        conversation = chat(name)  # the rules alone
        conversation.send(text)
        assert conversation.transfer is not None, (name, text)
        assert "frustration" in conversation.state.reasons, (name, text)


@pytest.mark.parametrize("text", ["I'm really disappointed with how my last visit went",
                                  "so disappointed, nobody told me this would take so long",
                                  "estoy muy decepcionada con el servicio"])
def test_weighty_disappointment_is_frustration_in_every_flow_without_the_model(chat, text):
    """"Really disappointed" is a complaint about us, in any business."""
    for name in OPENINGS:
        conversation = chat(name)
        conversation.send(text)
        assert conversation.transfer is not None, (name, text)
        assert "frustration" in conversation.state.reasons, (name, text)


@pytest.mark.parametrize("text", ["my order came twice, can I return one",
                                  "I called yesterday to book a tune-up for Friday",
                                  "my ex keeps ignoring my texts about the kids",
                                  "nobody answers the phone at the courthouse"])
def test_a_repeat_that_is_no_unanswered_contact_is_no_frustration(chat, text):
    for name in OPENINGS:
        conversation = chat(name)
        conversation.send(text)
        assert "frustration" not in conversation.state.reasons, (name, text)


def test_the_same_message_twice_counts_as_frustration(shop):
    chat = shop(channel="voice")
    chat.call()
    chat.send("I need to change my address")
    chat.send("I need to change my address")
    assert "frustration" in chat.state.reasons
    assert chat.transfer is not None


def test_low_confidence_ladder_reprompts_then_menu_then_person(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("", kind="silence")
    assert chat.ask.slot == "intent" and not chat.ask.menu
    assert chat.ask.prompt.startswith("Sorry")
    chat.send("", kind="no_match")
    assert chat.ask.menu and "press 1" in chat.ask.prompt
    assert chat.ask.choices
    chat.send("mumble", kind="speech", confidence=0.2)
    assert chat.transfer is not None
    assert chat.state.reasons == ["low_confidence"]


def test_low_confidence_answer_is_confirmed_before_use(law):
    chat = law(channel="voice", phone="+12065550123")  # Seattle: suggests Washington
    chat.call()
    chat.send("divorce")
    chat.send("no")
    chat.send("texas", kind="speech", confidence=0.4)
    ask = chat.ask
    assert isinstance(ask, Ask) and ask.confirm == "TX"
    assert "I heard Texas" in ask.prompt
    assert "jurisdiction" not in chat.state.slots
    chat.send("yes")
    assert chat.state.slots["jurisdiction"] == "TX"


def test_low_confidence_intent_is_confirmed(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("i need a quote", kind="speech", confidence=0.3)
    assert chat.ask.confirm == "quote"
    chat.send("yes")
    assert chat.state.bucket == "quote"


def test_sms_menu_after_two_misses_lists_numbers_and_accepts_a_number(law):
    chat = law()
    chat.send("umm")
    chat.send("asdf")
    assert chat.ask.menu and "1 for a new legal matter" in chat.ask.prompt
    chat.send("3")
    assert chat.state.bucket == "hours"


def test_choices_answer_by_number_or_words_over_sms(law):
    chat = law()
    chat.send("I have a family law question")
    assert chat.ask.slot == "matter_type"
    chat.send("2")
    assert chat.state.slots["matter_type"] == "custody"


def test_each_question_counts_a_turn(hvac):
    chat = hvac(channel="voice")
    chat.call()
    assert chat.state.turn == 1
    chat.send("I want a quote")
    assert chat.state.turn == 2


def test_stop_ends_an_sms_conversation(shop):
    chat = shop()
    chat.send("where is my order")
    chat.send("STOP")
    assert chat.outcome == "opted_out"


def test_thanks_after_an_answer_closes_politely(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("what are your hours")
    chat.send("no that's all, thanks")
    assert chat.outcome == "resolved"


def test_a_mumbled_gas_smell_is_escalated_without_a_confirmation(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("i smell gas", kind="speech", confidence=0.3)
    assert chat.ask is None
    assert chat.transfer is not None and chat.transfer.urgent


def test_an_emergency_inside_a_yes_or_no_answer_is_not_missed(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("i need a quote", kind="speech", confidence=0.3)
    assert chat.ask.confirm == "quote"
    chat.send("no, I smell gas")
    assert chat.transfer is not None and chat.transfer.urgent
    assert chat.state.bucket == "emergency_repair"


def test_repeated_low_confidence_across_questions_hands_over(law):
    chat = law(channel="voice", phone="+12065550123")
    chat.call()
    chat.send("", kind="no_match")
    chat.send("divorce")
    chat.send("", kind="no_match")
    chat.send("texas")
    assert chat.transfer is None
    chat.send("", kind="no_match")
    assert chat.transfer is not None
    assert chat.state.reasons == ["low_confidence"]


@pytest.mark.parametrize("text", ["human please", "AGENT", "can I get a rep", "call me",
                                  "no bots. a person", "manager now", "una persona por favor"])
def test_a_terse_request_for_a_person_reaches_one_in_every_flow(law, hvac, shop, text):
    for start in (law, hvac, shop):
        chat = start()
        chat.send(text)
        assert chat.transfer is not None and "asked_for_human" in chat.state.reasons, (
            chat.flow.name, text)


def test_a_single_word_answer_to_a_question_is_not_a_request_for_a_person(law):
    chat = law()
    chat.send("I need help with a divorce")
    assert chat.ask is not None and chat.ask.slot is not None
    chat.send("someone")
    assert chat.transfer is None


def test_a_request_for_a_person_that_names_no_topic_reaches_one_without_a_guessed_topic(shop):
    """"your team" is a near miss of no product phrase worth telling staff about."""
    chat = shop()
    chat.send("connect me with your team")
    assert chat.transfer is not None and chat.state.bucket is None
