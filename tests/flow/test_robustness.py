"""Whatever a customer sends, the engine answers and never crashes: a caller never hears
Twilio's "application error" because of something they said."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ivr.flow.actions import Ask, End, Transfer

NAMES = ["Hartley Family Law", "Polar Bear HVAC", "Fernhill Goods"]
TURN = st.one_of(
    st.tuples(st.just("text"), st.text(max_size=80)),
    st.tuples(st.just("speech"), st.text(alphabet="abcdefghij klmnop", max_size=40)),
    st.tuples(st.just("digits"), st.text(alphabet="0123456789*#", min_size=1, max_size=4)),
    st.tuples(st.sampled_from(["silence", "no_match"]), st.just("")),
)


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(turns=st.lists(TURN, min_size=1, max_size=6), confidence=st.floats(0, 1))
def test_any_input_gets_an_answer_or_a_clean_ending(chat, name, turns, confidence):
    channel = "sms" if turns[0][0] == "text" else "voice"
    talk = chat(name, channel=channel)
    if channel == "voice":
        talk.call()
    for kind, text in turns:
        if talk.state.done:
            break
        if channel == "sms" and kind in ("speech", "silence", "no_match"):
            kind = "text"
        actions = talk.send(text, kind=kind, confidence=confidence)
        assert any(isinstance(a, Ask | End | Transfer) for a in actions) or talk.state.done
