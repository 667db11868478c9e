"""Twilio's fallback request: the number's Voice URL failed (an error, or no answer within
Twilio's 15 s), so Twilio asks `/voice/fallback` (with `ErrorCode` and `ErrorUrl`) what to do.

The fallback rings the on-call people directly (`voice_handoff.human_verbs`), needing no flow.
But a slow Voice URL may still have done its work after Twilio stopped waiting, so the caller
can have a conversation record they never heard a word of. That record must not end as
`abandoned` (the caller did not give up; we failed them) and, when the person they were put
through to talked with them, it is `transferred`, as the owner's review should show.
"""

from __future__ import annotations

import logging

from ivr.config.business import Business
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.records import Record

log = logging.getLogger("ivr.conversation.voice")


def fell_back(runtime: Runtime, business: Business, call_sid: str, error_code: str) -> None:
    """Twilio fell back for this call: whatever the slow Voice URL started is now a hand-over
    to a person (`phase` "transfer": its close is not an abandonment)."""
    runtime.store.set_call(business.key, call_sid, phase="transfer")
    event("voice.fallback", log, logging.WARNING, business=business.key, sid=call_sid,
          error=error_code or "-")


def talked(runtime: Runtime, business: Business, call_sid: str) -> None:
    """The person the fallback rang talked with the caller: their conversation, if the slow
    Voice URL started one, was transferred to a person."""
    store = runtime.store
    record_id = store.get_call(business.key, call_sid, "record").get("record")
    if not record_id:
        return

    def transferred(record: Record) -> None:
        if record.get("outcome") in (None, "abandoned"):
            record["outcome"] = "transferred"

    store.update(record_id, transferred, business=business.key)
