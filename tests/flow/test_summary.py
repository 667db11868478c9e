"""The handoff summary gives a person everything so the caller never repeats themselves."""

from __future__ import annotations


def test_summary_names_the_caller_bucket_slots_urgency_reasons_confidence_and_gist(shop):
    chat = shop(phone="+15125550166")
    chat.send("Hi, when will my order get here? It's for a party on Saturday")
    summary = chat.transfer.summary
    assert summary.startswith("Priya Shah (+15125550166) about an order, by text.")
    assert "Order FG-10250: $129.00" in summary
    assert "Not urgent." in summary
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
