"""How a call reaches a person when the flow hands it over or the app cannot carry it.

The flow's `Transfer` goes to the warm transfer (`ivr.handoff.transfer.start_call_transfer`),
whose caller side comes back as TwiML verbs for the voice turn to append. When that is missing
or fails — and whenever a voice webhook itself fails — the caller is rung straight through to
the people on call, one at a time, then the business's fallback line, then told politely that
we will call back. That direct line needs no Redis, so it works with the store down.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from ivr.config.business import Business
from ivr.config.oncall import on_call
from ivr.handoff.transfer import caller_verbs, start_call_transfer
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.twilio.transfer import voice_of as twiml_voice_of
from ivr.twilio.twiml import (
    CONNECTING,
    SORRY,
    Verbs,
    Voice,
    dial_verbs,
    document,
    goodbye_verbs,
    numbers_to_try,
)
from ivr.twilio.urls import VOICE_FALLBACK, voice_url

if TYPE_CHECKING:
    from ivr.conversation.service import Turn

log = logging.getLogger("ivr.conversation.voice")


def voice_of(business: Business, language: str = "en") -> Voice:
    """The `<Say>` voice and language for a conversation in `language` (the rule lives with
    the transfer's TwiML, which speaks to a caller nobody took in the same voice)."""
    return twiml_voice_of(business, language) or Voice(voice=business.voice,
                                                        language=business.language)


def transfer_verbs(runtime: Runtime, business: Business, turn: Turn, call_sid: str,
                   base: str) -> Verbs:
    """Start the warm transfer and return what the caller hears of it; if it cannot start,
    ring a person directly. Stores the hunt (and rings its first person) before returning,
    so the verbs only name what is already under way."""
    try:
        hunt = start_call_transfer(runtime, business, turn, call_sid)
        return caller_verbs(business, hunt, base, runtime.clock())
    except Exception as exc:  # noqa: BLE001 - the caller must still reach a person
        event("voice.transfer_failed", log, logging.ERROR, business=business.key,
              sid=call_sid, error=type(exc).__name__)
    return human_verbs(runtime, business, base, step=0, intro=CONNECTING)


def _numbers(runtime: Runtime, business: Business) -> list[str]:
    """Whom the direct line rings, in order: the people on call, then the fallback line."""
    try:
        people = [p.staff.phone for p in on_call(business, runtime.clock())]
    except Exception:  # noqa: BLE001 - a roster problem must not stop the fallback line
        people = []
    return list(numbers_to_try(people, business.fallback_number))


def nobody_left(runtime: Runtime, business: Business, step: int) -> bool:
    """Whether the direct line has rung everyone by `step` (the caller hears the goodbye)."""
    return step >= len(_numbers(runtime, business))


def human_verbs(runtime: Runtime, business: Business, base: str, step: int = 0,
                intro: str | None = None) -> Verbs:
    """Ring person number `step` of the on-call list (then the fallback line); each Dial's
    outcome comes back to `/voice/fallback`, which rings the next. Needs no Redis."""
    numbers = _numbers(runtime, business)
    voice = voice_of(business)
    if step >= len(numbers):
        return goodbye_verbs(voice, SORRY)
    after = voice_url(base, VOICE_FALLBACK, business.key, step=step + 1)
    return dial_verbs(voice, numbers[step], after, intro=intro, caller_id=business.numbers[0])


def human_twiml(runtime: Runtime, business: Business, base: str, step: int = 0,
                intro: str | None = None) -> str:
    """`human_verbs` as a document: the answer of a webhook that could not carry the call."""
    return document(human_verbs(runtime, business, base, step, intro))
