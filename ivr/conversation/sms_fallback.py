"""A text Twilio's Messaging fallback asks about while the Messaging URL is still answering it.

Twilio waits 15 s for `/sms/incoming`; past that it sends the same text to `/sms/fallback` and
delivers only what the fallback answers. The MessageSid claim lets one request act on a text,
so a fallback that finds the text claimed must not answer it again. Two cases:
- the Messaging URL finished first (its reply is kept): the fallback answers that reply, and
  it reaches the texter once, through the fallback;
- it is still working: the fallback marks the text (`Store.fallback_reply`, one script) and
  answers nothing; the Messaging URL learns of the mark as it keeps its reply (the same SET it
  always sends) and texts its reply by REST (`enqueue_text`), since Twilio discards its TwiML.
The texter gets the answer exactly once either way, and the flow's turn runs once.

Why the fallback sends no holding text ("One moment…") meanwhile: the Messaging URL is
already working and its answer follows within seconds, and two texts for one question (the
second undoing the first) read worse than a short wait — and a holding text is a segment
billed for nothing. The cost: if that request dies before it keeps its reply, the texter hears
nothing, as without the fallback; their next text starts afresh.
"""

from __future__ import annotations

import logging

from ivr.config.business import Business
from ivr.handoff.outbound import enqueue_text
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.twilio.messaging import bodies, messaging_twiml

log = logging.getLogger("ivr.conversation.sms")


def fallback_answer(runtime: Runtime, business: Business, sid: str, token: str) -> str:
    """The fallback's TwiML for a text another request claimed (`token`, its MessageSid's):
    that request's kept reply, or nothing, the text marked so that request texts its reply."""
    kept = runtime.store.fallback_reply(business.key, token)
    event("sms.fallback_claimed", log, logging.WARNING, business=business.key, sid=sid,
          answered="kept" if kept is not None else "later")
    return kept if kept is not None else messaging_twiml([])


def answer_overtaken(runtime: Runtime, business: Business, sender: str, sid: str,
                     texts: list[str]) -> None:
    """The Messaging URL's reply, which Twilio will not deliver (the fallback answered for
    it): the same messages, queued as texts once each (keyed by MessageSid). Never raises: it
    runs in the request's closing writes, and a failure here must not spool or retry the
    text (its turn is done)."""
    messages = bodies(texts)
    try:
        for i, body in enumerate(messages):
            enqueue_text(runtime.redis, business.key, sender, body, f"late-reply:{sid}:{i}",
                         meta={"what": "reply the fallback overtook"})
    except Exception as exc:  # noqa: BLE001 - the turn is recorded; only this text is lost
        event("sms.late_reply_failed", log, logging.ERROR, business=business.key, sid=sid,
              error=type(exc).__name__)
        return
    event("sms.answered_late", log, logging.WARNING, business=business.key, sid=sid,
          texts=len(messages))
