"""Holding a caller while their answer is worked on, and listening after they barge in.

Whoever settles question `turn` of a call (the answer's flow step, or giving up on a hold that
lasted too long) stores the TwiML that follows it; `/voice/next` serves it to the live call,
which meanwhile hears a short pause loop — bounded, so nobody holds forever: past the limit a
person is rung instead, and a late answer then leaves the call alone.
"""

from __future__ import annotations

import logging

from ivr.config.business import Business
from ivr.conversation.voice_handoff import human_twiml, voice_of
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.twilio.twiml import CONNECTING, Builder
from ivr.twilio.urls import VOICE_GATHER, VOICE_NEXT, VOICE_TIMEOUT, public_base, voice_url

log = logging.getLogger("ivr.conversation.voice")

#: Pause rounds (about a second each) a caller waits for the next step before we hand the
#: call to a person rather than keep them holding.
HOLD_LIMIT = 25

#: Said on the first round of a hold so the caller knows we heard them.
ONE_MOMENT = "One moment."


def next_key(call_sid: str, turn: int) -> str:
    return f"next:{call_sid}:{turn}"


def stored_next(runtime: Runtime, business: Business, call_sid: str, turn: int) -> str | None:
    """The TwiML stored by whoever answered question `turn`, once it is there."""
    return runtime.store.cached_reply(business.key, next_key(call_sid, turn))


def waiting(runtime: Runtime, business: Business, call_sid: str, turn: int, wait: int = 0) -> str:
    """What a caller whose answer is being worked on hears: the next step once it is stored,
    else a short pause and another look, and after HOLD_LIMIT rounds a person."""
    ready = stored_next(runtime, business, call_sid, turn)
    if ready is not None:
        return ready
    call = runtime.store.get_call(business.key, call_sid)
    base = public_base(runtime.settings.public_url, call.get("base"))
    # Past the limit a person takes over, unless the answer's step is being stored right now
    # (then a little longer; twice the limit means whoever was storing it died).
    if (wait >= HOLD_LIMIT and runtime.store.settle_turn(business.key, call_sid, turn)) \
            or wait >= 2 * HOLD_LIMIT:
        event("voice.hold_gave_up", log, logging.WARNING, business=business.key, sid=call_sid,
              turn=turn)
        xml = human_twiml(runtime, business, base, intro=CONNECTING)
        runtime.store.cache_reply(business.key, next_key(call_sid, turn), xml)
        return xml
    builder = Builder(voice_of(business))
    if wait == 0:
        builder.say(ONE_MOMENT)
    builder.hold(voice_url(base, VOICE_NEXT, business.key, turn=turn, wait=wait + 1))
    return builder.xml()


def listening(runtime: Runtime, business: Business, call_sid: str, turn: int) -> str:
    """After a barge-in: question `turn`'s keypad Gather without the prompt — unless the turn
    was answered meanwhile, in which case its next step."""
    ready = stored_next(runtime, business, call_sid, turn)
    if ready is not None:
        return ready
    call = runtime.store.get_call(business.key, call_sid)
    base = public_base(runtime.settings.public_url, call.get("base"))
    builder = Builder(voice_of(business))
    builder.listen(voice_url(base, VOICE_GATHER, business.key, turn=turn),
                   voice_url(base, VOICE_TIMEOUT, business.key, turn=turn), call.get("digits"))
    return builder.xml()
