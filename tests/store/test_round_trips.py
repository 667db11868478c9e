"""The store's one-round-trip reads and held writes keep their meaning: a retried message is
recognised, a live conversation is found whole, one answer wins a question, and writes held
for the end of a request land only when sent (and never from a request that broke)."""

from __future__ import annotations

from ivr.store.records import new_conversation

BUSINESS = "b"
CUSTOMER = "+15125550199"


def _live_conversation(runtime, clock, channel: str = "sms", key: str = CUSTOMER) -> dict:
    record = new_conversation(business="B", business_key=BUSINESS, channel=channel,
                              caller=CUSTOMER, flow="hvac", now=clock())
    runtime.store.save_turn(record, channel, key,
                            {"record_id": record["id"], "flow_state": {"flow": "hvac"}})
    return record


def test_a_retried_message_is_recognised_and_sees_the_same_conversation(runtime, clock):
    record = _live_conversation(runtime, clock)
    first = runtime.store.receive(BUSINESS, "sms:SM1", "sms", CUSTOMER, sender=CUSTOMER)
    again = runtime.store.receive(BUSINESS, "sms:SM1", "sms", CUSTOMER, sender=CUSTOMER)
    assert first.first and not again.first
    assert first.live is not None and first.live[1]["id"] == record["id"]
    assert first.live[0]["flow_state"] == {"flow": "hvac"}


def test_an_opted_out_texter_is_known_at_the_door(runtime):
    runtime.store.set_opted_out(BUSINESS, CUSTOMER)
    arrival = runtime.store.receive(BUSINESS, "sms:SM2", "sms", CUSTOMER, sender=CUSTOMER)
    assert arrival.opted_out and arrival.live is None


def test_a_conversation_whose_record_is_gone_is_not_live(runtime, clock):
    record = _live_conversation(runtime, clock)
    runtime.store.delete(record["id"])
    assert runtime.store.load_live(BUSINESS, "sms", CUSTOMER) is None


def test_only_the_first_answer_to_a_question_acts(runtime, clock):
    _live_conversation(runtime, clock, "voice", "CA1")
    runtime.store.set_call(BUSINESS, "CA1", caller=CUSTOMER, turn=3)
    keypad = runtime.store.start_turn(BUSINESS, "CA1", 3, ("caller", "turn"))
    speech = runtime.store.start_turn(BUSINESS, "CA1", 3, ("caller", "turn"))
    assert keypad.claimed and keypad.settled and keypad.call == {"caller": CUSTOMER, "turn": 3}
    assert keypad.live is not None
    assert not speech.claimed and not speech.settled


def test_an_answer_that_comes_after_the_hold_gave_up_does_not_act(runtime):
    runtime.store.set_call(BUSINESS, "CA2", caller=CUSTOMER, turn=1)
    assert runtime.store.settle_turn(BUSINESS, "CA2", 1)          # the hold handed over
    late = runtime.store.start_turn(BUSINESS, "CA2", 1, ("caller",))
    assert late.claimed and not late.settled


def test_held_writes_land_only_when_sent(runtime):
    store = runtime.store
    store.hold_writes()
    store.cache_reply(BUSINESS, "sms:SM3", "<Response/>")
    assert store.cached_reply(BUSINESS, "sms:SM3") is None
    store.flush_writes()
    assert store.cached_reply(BUSINESS, "sms:SM3") == "<Response/>"
    store.cache_reply(BUSINESS, "sms:SM4", "<Response/>")        # nothing held: written now
    assert store.cached_reply(BUSINESS, "sms:SM4") == "<Response/>"


def test_held_writes_of_a_broken_request_are_forgotten(runtime):
    store = runtime.store
    store.hold_writes()
    store.cache_reply(BUSINESS, "sms:SM5", "<Response/>")
    store.drop_writes()
    store.flush_writes()
    assert store.cached_reply(BUSINESS, "sms:SM5") is None


def test_a_text_s_arrival_counts_claims_and_reads_in_one_script(runtime, clock):
    """Over the limit nothing is claimed (a later text may still act); a retry reads nothing;
    with no live conversation the number's records since the window's start come along."""
    store = runtime.store
    earlier = new_conversation(business="B", business_key=BUSINESS, channel="sms",
                               caller=CUSTOMER, flow="hvac", now=clock())
    store.save(earlier)
    rate = (store.key(BUSINESS, "rate", CUSTOMER), 60, 1)
    first = store.arrive(BUSINESS, "sms:SM6", "sms", CUSTOMER, sender=CUSTOMER,
                         since=clock(), rate=rate)
    assert first.first and first.count == 1 and first.live is None
    assert [r["id"] for r in first.earlier or []] == [earlier["id"]]
    over = store.arrive(BUSINESS, "sms:SM7", "sms", CUSTOMER, sender=CUSTOMER,
                        since=clock(), rate=rate)
    assert over.count == 2 and not over.first
    again = store.arrive(BUSINESS, "sms:SM7", "sms", CUSTOMER, sender=CUSTOMER, since=None)
    assert again.first  # the text refused over the limit was never claimed
    retry = store.arrive(BUSINESS, "sms:SM7", "sms", CUSTOMER, sender=CUSTOMER, since=None)
    assert not retry.first and retry.earlier is None


def test_a_record_saved_with_the_closing_writes_never_overwrites_a_change_made_meanwhile(
        runtime, clock):
    store = runtime.store
    record = new_conversation(business="B", business_key=BUSINESS, channel="sms",
                              caller=CUSTOMER, flow="hvac", now=clock())
    store.save(record)
    read = store.conversations([BUSINESS], phone=CUSTOMER)[0]
    version = store.version_as_read(read)
    store.update(record["id"], lambda r: r.update(outcome="transferred"), business=BUSINESS)
    read["outcome"] = "resolved"
    outcomes: list[bool] = []
    store.hold_writes()
    store.save_record_later(read, version, outcomes.append)
    store.flush_writes()
    assert outcomes == [False]  # the caller re-reads and applies its change again
    assert store.get_record(BUSINESS, record["id"])["outcome"] == "transferred"
    fresh = store.conversations([BUSINESS], phone=CUSTOMER)[0]
    version = store.version_as_read(fresh)
    fresh["outcome"] = "resolved"
    store.hold_writes()
    store.save_record_later(fresh, version, outcomes.append)
    store.flush_writes()
    assert outcomes == [False, True]
    assert store.get_record(BUSINESS, record["id"])["outcome"] == "resolved"
