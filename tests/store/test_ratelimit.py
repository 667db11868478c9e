"""One number cannot flood a business; other numbers are unaffected."""

from ivr.store.ratelimit import allow_inbound


def test_a_number_over_its_allowance_is_refused_while_others_pass(runtime):
    store = runtime.store
    results = [allow_inbound(store, "b", "+15125550199", limit=5) for _ in range(7)]
    assert results == [True] * 5 + [False] * 2
    assert allow_inbound(store, "b", "+15125550198", limit=5)
    assert allow_inbound(store, "other", "+15125550199", limit=5)


def test_a_flooding_texter_stops_getting_replies_while_a_neighbour_still_does(live_app, carrier):
    from ivr.store.ratelimit import INBOUND_LIMIT

    flooder = carrier.phone("+15125550197")
    for i in range(INBOUND_LIMIT):
        flooder.text("+15125550200", f"what are your hours? {i}", settle_s=0)
    assert flooder.text("+15125550200", "what are your hours?") == []
    assert carrier.phone("+15125550196").text("+15125550200", "what are your hours?")
