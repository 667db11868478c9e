"""A message left by a caller nobody could take: noted on the record, transcribed in a job.

The voicemail capability (`ivr.handoff.voicemail`) notes it, fetches the recording, transcribes it with
Vosk in a job and texts staff; this module only hands a finished recording over, once, whichever
of Twilio's two notices (the <Record> action, the recording status callback) arrives first.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from ivr.handoff.voicemail import note_voicemail, queue_voicemail
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.hunts import Hunt
from ivr.store.records import iso

log = logging.getLogger("ivr.handoff.voicemail_intake")


def take_voicemail(runtime: Runtime, hunt: Hunt, form: Mapping[str, str]) -> bool:
    """Note the recording on the conversation and start its transcription; True the first time.

    An empty recording (the caller hung up at the beep) is ignored.
    """
    sid = (form.get("RecordingSid") or "").strip()
    recording_url = (form.get("RecordingUrl") or "").strip()
    try:
        duration = float(form.get("RecordingDuration") or 0)
    except ValueError:
        duration = 0.0
    if not sid or not recording_url or duration <= 0:
        return False
    if not runtime.store.once(hunt.business, f"voicemail:{sid}"):
        return False
    business = runtime.directory.by_key(hunt.business)
    if business is None or runtime.store.get_record(hunt.business, hunt.record_id) is None:
        return False
    event("transfer.voicemail", log, business=hunt.business, conversation=hunt.record_id,
          recording=sid)
    try:
        queue_voicemail(runtime, business, hunt.record_id, recording_sid=sid, url=recording_url,
                        duration_s=duration)
    except Exception as exc:  # the message is noted; its transcript can be retried later
        note_voicemail(runtime, hunt.record_id, hunt.business, recording_sid=sid,
                       url=recording_url, duration_s=duration, at=iso(runtime.clock()))
        event("transfer.voicemail_enqueue_failed", log, logging.ERROR, business=hunt.business,
              recording=sid, error=type(exc).__name__)
    return True
