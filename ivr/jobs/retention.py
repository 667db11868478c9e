"""Retention: transcripts, recordings, callback tasks and rendered audio expire after each
business's N days.

Transcripts are personal data; a business sets `retention_days` in its config (default 90).
`purge` runs daily from the worker's scheduler and from `ivr purge`.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta
from pathlib import Path

from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.callbacks import callback_id, delete_callback
from ivr.store.retention import claim_purge

log = logging.getLogger("ivr.jobs.retention")


def recordings_of(record: dict) -> list[str]:
    """Every Twilio recording a conversation kept: its voicemail, and recorded answers (record
    mode without `delete_recordings`)."""
    voicemail = (record.get("voicemail") or {}).get("recording_sid")
    return ([voicemail] if voicemail else []) + list(record.get("recordings") or [])


def purge_records(runtime: Runtime, now: datetime) -> int:
    """Delete conversation records older than their business's retention, with their
    recordings at Twilio and their callback tasks (open or done); returns how many records."""
    removed = 0
    for business in runtime.directory:
        cutoff = now - timedelta(days=business.retention_days)
        for record in runtime.store.conversations([business.key], until=cutoff):
            for recording in recordings_of(record):
                try:
                    runtime.twilio.recordings(recording).delete()
                except Exception as exc:  # a recording already gone is fine; log others
                    event("retention.recording_delete_failed", log, logging.WARNING,
                          recording=recording, error=type(exc).__name__)
            runtime.store.delete(record["id"])
            delete_callback(runtime.store, business.key, callback_id(record["id"]))
            removed += 1
    if removed:
        event("retention.purged", log, records=removed)
    return removed


def purge_audio(directory: Path, max_age_days: int, now_ts: float | None = None) -> int:
    """Delete rendered audio files (whisper summaries hold personal data) older than the age."""
    if not directory.exists():
        return 0
    cutoff = (now_ts if now_ts is not None else time.time()) - max_age_days * 86400
    removed = 0
    for path in directory.rglob("*.wav"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


#: How often a worker purges what is past retention.
PURGE_EVERY_S = 24 * 3600


def purge_if_due(runtime: Runtime) -> dict[str, int] | None:
    """Purge once a day across all workers (a claim with a TTL elects who does it)."""
    if not claim_purge(runtime.store, runtime.clock().isoformat(), PURGE_EVERY_S):
        return None
    return purge(runtime)


def purge(runtime: Runtime) -> dict[str, int]:
    """Everything past retention, now."""
    now = runtime.clock()
    shortest = min((b.retention_days for b in runtime.directory), default=90)
    return {"records": purge_records(runtime, now),
            "audio": purge_audio(runtime.settings.audio_dir, shortest, now.timestamp())}
