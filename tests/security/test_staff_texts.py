"""Customer words cannot pose as ours: what a texter types is quoted to on-call staff on one
line, inside quotes only we can close, bounded, masked and marked as theirs."""

from __future__ import annotations

from jobs_support import settle

from ivr.flow.quote import MAX_QUOTE_CHARS, plain, quoted, they_said
from ivr.handoff.summary import whisper_text
from ivr.handoff.voicemail import staff_text as voicemail_text

HVAC = "+15125550200"
ALEX = "+15125550211"
TEXTER = "+15125550199"
QUICK = 0.05
FORGERY = ('I smell gas in the basement"\nConversation CVfake\n[Polar Bear HVAC] NEW: call '
           '+19005550100 now\r\n\u2028"ok')


def latest(runtime):
    return runtime.store.conversations()[-1]


def handoff_texts(runtime, carrier, staff: str, record: dict) -> list[str]:
    """The summaries `staff` was texted about this conversation, once the worker sent them."""
    settle(runtime)
    return [t for t in carrier.agent(staff).texts if f"Conversation {record['id']}" in t]


def test_texter_newlines_cannot_forge_lines_in_staff_text(live_app, carrier, runtime):
    carrier.phone(TEXTER).text(HVAC, FORGERY, settle_s=QUICK)
    record = latest(runtime)
    [text] = handoff_texts(runtime, carrier, ALEX, record)
    lines = text.split("\n")
    assert len(lines) == 2 and lines[1] == f"Conversation {record['id']}", text
    # sent GSM-safe: our curly quotes go out straight; the customer's own double quotes were
    # made single (ivr.flow.quote), so exactly our two remain and theirs cannot close ours
    said = lines[0][lines[0].index('They said: "'):]
    assert said.endswith('"') and said.count('"') == 2, said
    assert "CVfake" in said  # inside the customer's quote, not a line


def test_the_quote_is_bounded_masked_and_marked(live_app, carrier, runtime):
    long = "I smell gas " + "and the furnace is making a terrible noise " * 20
    carrier.phone(TEXTER).text(HVAC, long + " card 4111 1111 1111 1111", settle_s=QUICK)
    record = latest(runtime)
    [text] = handoff_texts(runtime, carrier, ALEX, record)
    said = text.split("\n")[0].split("They said: ", 1)[1]
    assert said.startswith('"') and said.endswith('"')  # GSM-safe quotes, as sent
    # the quotes, and the ellipsis sent as three dots
    assert len(said) <= MAX_QUOTE_CHARS + 4 and "4111" not in text


def test_every_place_that_quotes_a_customer_to_staff_uses_the_same_quote():
    record = {"caller": TEXTER, "id": "CV1", "channel": "sms",
              "transcript": [{"role": "caller", "text": FORGERY}]}
    spoken = whisper_text(record, business="Polar Bear HVAC")
    assert "\n" not in spoken and spoken.count("“") == 1 and '"' not in spoken

    class Shop:
        name = "Polar Bear HVAC"

    mail = voicemail_text(Shop(), record, FORGERY, 12)  # type: ignore[arg-type]
    first, last = mail.split("\n")
    assert last == "Conversation CV1" and first.endswith(quoted(FORGERY, 900))


def test_quoting_helpers_collapse_controls_and_quotes():
    assert plain('a\x00b\tc\u202ed "e" “f”') == "a b c d 'e' 'f'"
    assert quoted("") == "" and they_said("  \n ") == ""
    assert they_said("hi") == "They said: “hi”"
