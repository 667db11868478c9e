"""What a text costs: GSM-7 (160 a segment, 153 when split) unless one character forces UCS-2
(70, 67 when split); our own typographic punctuation must never be that character."""

from __future__ import annotations

import pytest

from ivr.twilio.gsm import gsm_safe, is_gsm7, segments
from ivr.twilio.messaging import HANDOFF_NAMED, HANDOFF_TEAM


@pytest.mark.parametrize("wording", [HANDOFF_NAMED.format(name="Dana"), HANDOFF_TEAM,
                                     "They said: “my furnace is out…”", "it’s 5–6 pm"])
def test_our_wording_made_gsm_safe_stays_in_one_cheap_alphabet(wording):
    assert not is_gsm7(wording)
    assert is_gsm7(gsm_safe(wording))


def test_segment_counts_follow_the_alphabet():
    assert segments("") == 0
    assert segments("a" * 160) == 1 and segments("a" * 161) == 2 and segments("a" * 306) == 2
    assert segments("€" * 80) == 1 and segments("€" * 81) == 2  # the extension table: 2 each
    assert segments("—" + "a" * 69) == 1 and segments("—" + "a" * 70) == 2
    assert segments("a" * 140 + "—") == 3  # one dash: 141 UCS-2 units, 67 a segment


def test_a_customers_emoji_is_left_as_they_wrote_it():
    assert gsm_safe("thanks 🙏") == "thanks 🙏"
    assert segments("🙏" * 35) == 1 and segments("🙏" * 36) == 2
