"""A turn never overwrites what a callback or a job wrote to the conversation meanwhile, and
starts from what the business knows of the customer."""

from __future__ import annotations

from ivr.flow.actions import Ask
from ivr.flow.events import Input

HVAC = "+15125550200"
LAW = "+15125550100"
TEXTER = "+15125550199"


def test_a_staff_text_noted_while_the_next_text_is_handled_is_kept(runtime):
    business = runtime.directory.by_number(LAW)
    conversations = runtime.conversations
    first = conversations.handle(business, "sms", TEXTER, Input.start("I need help with a divorce"),
                                 loaded=None)
    live = conversations.current(business, "sms", TEXTER)          # the next text's turn starts
    runtime.store.update(first.record["id"],                        # ... a job notes its text
                         lambda r: r.setdefault("notified", []).append({"staff": "Alex"}))
    turn = conversations.handle(business, "sms", TEXTER, Input.sms("Texas"),
                                loaded=live)                        # ... and the turn saves
    saved = runtime.store.get(first.record["id"])
    assert saved["notified"] == [{"staff": "Alex"}]
    assert [t["text"] for t in saved["transcript"] if t["role"] == "caller"] == [
        "I need help with a divorce", "Texas"]
    assert turn.record == saved                                     # effects see what was saved


def test_a_call_closed_while_its_last_answer_is_handled_stays_closed(runtime):
    business = runtime.directory.by_number(HVAC)
    conversations = runtime.conversations
    call_sid = "CA" + "5" * 32
    conversations.handle(business, "voice", TEXTER, Input.start(), key=call_sid, sid=call_sid,
                         loaded=None)
    live = conversations.current(business, "voice", call_sid)
    record_id = live.record["id"]
    runtime.store.update(record_id, lambda r: r.update(call={"status": "completed"}))
    conversations.handle(business, "voice", TEXTER, Input.digits("1"), key=call_sid,
                         sid=call_sid, loaded=live)
    saved = runtime.store.get(record_id)
    assert saved["call"] == {"status": "completed"}
    assert any(t["role"] == "caller" for t in saved["transcript"])


def test_a_texter_from_an_austin_number_is_offered_texas_when_asked_the_state(runtime):
    business = runtime.directory.by_number(LAW)
    turn = runtime.conversations.handle(business, "sms", TEXTER,
                                        Input.start("I need help with a divorce"),
                                        loaded=None)
    [ask] = [a for a in turn.actions if isinstance(a, Ask)]
    assert ask.slot == "jurisdiction" and ask.prompt.endswith("Is it Texas?")
