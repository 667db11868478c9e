"""What one keypad answer costs Redis on the webhook path, counted by Redis itself (see
`test_sms_redis_cost`), so the count cannot creep back up unnoticed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from signing import signed_post
from test_sms_redis_cost import counters
from voice_calls import CALLER, HVAC, caller_lines, conversation, voice_form

#: Today's round trips for a keypad answer on a call with no Media Stream, as a ceiling: lower
#: it when a change batches more; never raise it to pass.
KEYPAD_TURN_TRIPS = 3


def gather_path(twiml: bytes) -> str:
    """Path and query of the Gather's action (where Twilio posts the keypad answer)."""
    action = ET.fromstring(twiml).find("Gather").get("action")
    parts = urlsplit(action)
    return f"{parts.path}?{parts.query}"


def test_a_keypad_answer_costs_three_round_trips_and_is_kept(client, redis_conn, runtime):
    """A keypad answer on a call with no stream costs 3 round trips: the door's (the retry
    token's claim), the answer's claim with the call's facts and live state, and the closing
    writes (the turn's record and state, the next question's number, the replies kept), sent
    by the view itself. The turn is kept: the next answer follows from it."""
    call = "CA" + "7" * 32
    first = signed_post(client, "/voice/incoming", voice_form(call, to=HVAC))
    path = gather_path(first.data)
    _, reads_before = counters(redis_conn)
    second = signed_post(client, path, voice_form(call, to=HVAC, Digits="2"),
                         headers={"I-Twilio-Idempotency-Token": "keypad-cost-1"})
    _, reads_after = counters(redis_conn)
    assert second.status_code == 200
    assert reads_after - reads_before - 1 <= KEYPAD_TURN_TRIPS  # less the second INFO
    assert caller_lines(conversation(runtime, CALLER))[-1:] == ["2"]
    third = signed_post(client, gather_path(second.data), voice_form(call, to=HVAC, Digits="1"))
    assert third.status_code == 200
    assert caller_lines(conversation(runtime, CALLER))[-2:] == ["2", "1"]
