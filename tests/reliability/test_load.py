"""A bounded loopback load test: 50+ concurrent mixed conversations, none lost, none crossed.

Every texter states a budget nobody else states; afterwards each record must carry its own
caller's budget, every caller must have received replies about their own business, and there
must be exactly one record per conversation.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from twilio_speech import heard_by_twilio

LAW = "+15125550100"
HVAC = "+15125550200"
TEXTERS = 40
CALLERS = 12


def texter_number(i: int) -> str:
    return f"+1512555{1000 + i:04d}"


def caller_number(i: int) -> str:
    return f"+1512555{3000 + i:04d}"


def test_fifty_concurrent_conversations_are_neither_lost_nor_crossed(live_app, carrier, runtime):
    heard_by_twilio(runtime)  # the callers ask in words, heard by Twilio's recogniser
    def text_intake(i: int) -> tuple[str, list[str]]:
        phone = carrier.phone(texter_number(i))
        budget = 5000 + i * 10
        replies = phone.text(LAW, f"I need help with a custody case in Austin Texas, the "
                                  f"hearing is next month, no lawyer yet, my budget is ${budget}")
        return phone.number, replies

    def call_for_hours(i: int) -> tuple[str, list[str]]:
        call = carrier.phone(caller_number(i)).call(HVAC)
        call.wait_for_gather(timeout=20)
        heard = call.say("what are your hours", timeout=20)
        call.hangup()
        return call.from_, list(call.heard) + heard

    with ThreadPoolExecutor(max_workers=TEXTERS + CALLERS) as pool:
        texts = [pool.submit(text_intake, i) for i in range(TEXTERS)]
        calls = [pool.submit(call_for_hours, i) for i in range(CALLERS)]
        text_results = [f.result(timeout=120) for f in texts]
        call_results = [f.result(timeout=120) for f in calls]

    for number, replies in text_results:
        assert replies, f"{number} got no reply"
        assert any("Hartley Family Law" in r or "Dana" in r or "Sam" in r for r in replies), replies
    for number, heard in call_results:
        assert any("Polar Bear HVAC" in h for h in heard), (number, heard)
        assert any("Monday" in h for h in heard), (number, heard)

    law = runtime.directory.by_number(LAW)
    records = runtime.store.conversations([law.key])
    by_caller = {r["caller"]: r for r in records}
    assert len(records) == TEXTERS == len(by_caller)
    for i in range(TEXTERS):
        record = by_caller[texter_number(i)]
        assert record["slots"].get("budget") == 5000 + i * 10, record["slots"]
    hvac = runtime.directory.by_number(HVAC)
    voice = [r for r in runtime.store.conversations([hvac.key]) if r["channel"] == "voice"]
    assert sorted(r["caller"] for r in voice) == sorted(caller_number(i) for i in range(CALLERS))
