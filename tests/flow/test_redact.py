"""Card numbers and SSNs never reach stored transcripts or logs; ordinary numbers survive."""

from datetime import UTC, datetime

from ivr.flow.redact import redact
from ivr.store.records import add_turn, new_conversation


def test_typed_card_number_is_masked_but_order_and_phone_numbers_survive():
    text = redact("card 4111 1111 1111 1111, order 1234567890123, call me at +15125550199")
    assert "4111" not in text
    assert "[card number]" in text
    assert "1234567890123" in text  # fails the Luhn check: an order number, not a card
    assert "+15125550199" in text


def test_ssn_is_masked_in_both_common_forms():
    assert redact("my ssn is 123-45-6789") == "my ssn is [ssn]"
    assert "987654321" not in redact("SSN: 987654321")


def test_card_read_aloud_digit_by_digit_is_masked():
    spoken = "it is four one one one one one one one one one one one one one one one thanks"
    assert redact(spoken) == "it is [card number] thanks"


def test_stored_transcript_line_is_redacted():
    now = datetime(2026, 11, 24, tzinfo=UTC)
    record = new_conversation(business="B", business_key="b", channel="sms", caller="+15125550199",
                              flow="hvac", now=now)
    add_turn(record, "caller", "pay with 5555555555554444 please", now)
    assert record["transcript"][0]["text"] == "pay with [card number] please"


def test_the_shortest_card_read_aloud_is_masked_even_without_spaces_or_digits():
    """Texts with no digit are only worth reading when long enough to hold 13 number words:
    this one is exactly that long, and a log value keeps it as one hyphenated word."""
    assert redact("-".join(["oh"] * 13)) == "[card number]"
    assert redact(" ".join(["oh"] * 13)) == "[card number]"
    assert redact("polar-bear-hvac") == "polar-bear-hvac"
