"""One number cannot flood a business; other numbers are unaffected."""

from ivr.ratelimit import allow_inbound


def test_a_number_over_its_allowance_is_refused_while_others_pass(runtime):
    store = runtime.store
    results = [allow_inbound(store, "b", "+15125550199", limit=5) for _ in range(7)]
    assert results == [True] * 5 + [False] * 2
    assert allow_inbound(store, "b", "+15125550198", limit=5)
    assert allow_inbound(store, "other", "+15125550199", limit=5)
