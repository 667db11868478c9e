"""The mark Twilio's Messaging fallback leaves on a text the Messaging URL is still answering
(`Store.fallback_reply`, `Store.keep_reply`): the late request learns it, and what the fallback
was told stays true, so the texter gets the reply once however often Twilio asks again."""

from __future__ import annotations

BUSINESS = "b"


def test_a_reply_texted_late_is_not_answered_again_by_a_repeated_fallback(runtime):
    store, late = runtime.store, []
    assert store.fallback_reply(BUSINESS, "sms:SM1") is None      # still being answered
    store.keep_reply(BUSINESS, "sms:SM1", "<Response><Message>hi</Message></Response>",
                     lambda: late.append(True))
    assert late == [True]                                          # texted by REST instead
    assert store.fallback_reply(BUSINESS, "sms:SM1") is None      # not a second copy
    assert store.cached_reply(BUSINESS, "sms:SM1") is None


def test_a_reply_kept_before_the_fallback_came_is_the_fallbacks_answer(runtime):
    store, late = runtime.store, []
    store.keep_reply(BUSINESS, "sms:SM2", "<Response />", lambda: late.append(True))
    assert store.fallback_reply(BUSINESS, "sms:SM2") == "<Response />"
    assert late == []
