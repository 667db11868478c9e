"""The handoff summary gives a person everything so the caller never repeats themselves."""

from __future__ import annotations


def test_summary_names_the_caller_bucket_slots_urgency_reasons_confidence_and_gist(shop):
    chat = shop(phone="+15125550166")
    chat.send("Hi, when will my order get here? It's for a party on Saturday")
    summary = chat.transfer.summary
    assert summary.startswith("Priya Shah (+15125550166) about an order, by text.")
    assert "Order FG-10250: $129.00" in summary
    assert "Needs a person now, not an emergency." in summary  # a person is brought in now
    assert "Why: large order." in summary
    assert "Bot confidence 100%." in summary
    assert "They said: “Hi, when will my order get here?" in summary


def test_voice_summary_says_by_phone_and_marks_emergencies_urgent(hvac):
    chat = hvac(channel="voice")
    chat.call()
    chat.send("there's a gas smell by the furnace", confidence=0.85)
    summary = chat.transfer.summary
    assert "by phone" in summary and "Urgent." in summary
    assert "Bot confidence 85%." in summary
    assert "System: furnace" in summary


def test_summary_is_one_paragraph(law):
    chat = law()
    chat.send("I need help with a custody case in Austin Texas, hearing is next month, "
              "no lawyer yet, I can spend about five grand")
    assert "\n" not in chat.transfer.summary


UNRELATED = "Who won the game last night?"


def test_hvac_on_call_text_quotes_the_burning_smell_not_the_earlier_question(hvac):
    chat = hvac()
    chat.send("do you sell pool heaters?")
    chat.send("my furnace is making a loud bang and there is a burning smell")
    summary = chat.transfer.summary
    assert ("They said: “my furnace is making a loud bang and there is a burning smell”. "
            "Before that: “do you sell pool heaters?”.") in summary
    assert "Urgent. Why: emergency." in summary


def test_law_firm_summary_quotes_the_restraining_order_not_the_earlier_question(law):
    chat = law()
    chat.send(UNRELATED)
    chat.send("I need a restraining order, my husband hit me last night")
    summary = chat.transfer.summary
    assert ("They said: “I need a restraining order, my husband hit me last night”. "
            f"Before that: “{UNRELATED}”.") in summary
    assert "Urgent." in summary


def test_shop_summary_quotes_the_allergic_reaction_not_the_earlier_question(shop):
    chat = shop()
    chat.send(UNRELATED)
    chat.send("my daughter had an allergic reaction to the lavender soap")
    summary = chat.transfer.summary
    assert ("They said: “my daughter had an allergic reaction to the lavender soap”. "
            f"Before that: “{UNRELATED}”.") in summary
    assert "Urgent. Why: health or safety concern." in summary


def test_saying_now_to_the_offer_quotes_what_they_asked_not_the_word_now(shop):
    chat = shop()
    chat.send(UNRELATED)
    chat.send("now")
    assert f"They said: “{UNRELATED}”" in chat.transfer.summary


def test_only_a_bounded_few_earlier_messages_are_quoted(hvac):
    chat = hvac()
    for said in ("hello there", "who won the game last night?", "is it going to rain tomorrow?"):
        chat.send(said)
    chat.send("there's a gas smell by the furnace")
    summary = chat.transfer.summary
    assert "hello there" not in summary  # three before it: only the last two are quoted
    assert ("Before that: “who won the game last night?”, “is it going to rain tomorrow?”."
            in summary)


def test_a_paged_repair_is_not_told_to_staff_as_not_urgent(hvac):
    from flowchat import FRIDAY_NIGHT

    chat = hvac()
    chat.send("my AC is leaking water all over the floor")
    assert (chat.state.route, chat.state.urgent) == ("human", False)
    assert "Not urgent" not in chat.transfer.summary
    assert "Needs a person now, not an emergency. Why: repair." in chat.transfer.summary
    night = hvac(at=FRIDAY_NIGHT)  # the same leak at night waits for the morning: that is said
    night.send("my AC is leaking water all over the floor")
    assert night.transfer is None and "Not urgent." in night.queued.summary


def test_urgency_in_the_summary_is_the_urgency_the_transfer_rings_with(hvac):
    for text, urgent in (("there's no heat in the house", True),
                         ("my AC is leaking water all over the floor", False),
                         ("smells like gas in the basement", True)):
        chat = hvac()
        chat.send(text)
        assert chat.transfer.urgent is chat.state.urgent is urgent
        assert chat.transfer.summary.count("Urgent.") == int(urgent), text
