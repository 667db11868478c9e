"""Voicemail: the recording is transcribed on our own machine and texted to staff, in a job.

When a caller leaves a message (nobody could take the call, or after hours) the recording
callback hands it to `queue_voicemail`: the record notes the recording at once (the dashboard
can play it), and a `transcribe_voicemail` job fetches the audio through TWILIO_API_BASE with
our credentials (retrying while Twilio still answers 404: recordings appear moments after the
callback), transcribes it with Vosk, adds the transcript to the conversation and texts it to
the on-duty person. With `delete_recordings: true` the recording is then deleted from Twilio.
"""

from __future__ import annotations

import json
import logging
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import requests

from ivr.config.business import Business
from ivr.flow.quote import quoted
from ivr.flow.redact import redact
from ivr.handoff.followups import on_duty
from ivr.handoff.outbound import OutboundRefused, send_sms
from ivr.jobs.queues import DEFAULT, FETCH_BACKOFF_S, enqueue, give_up, job_id, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.speech.audio import read_wav, resample
from ivr.speech.vosk import model_rate, shared_model
from ivr.store.records import Record, iso

log = logging.getLogger("ivr.handoff.voicemail")

#: Seconds a transcription job may take (a two-minute message decodes in well under this).
TRANSCRIBE_TIMEOUT_S = 600
#: Longest transcript quoted in the staff text.
MAX_TEXT_CHARS = 900
#: Samples fed to the recogniser at a time (0.5 s at 16 kHz).
CHUNK = 8000


class RecordingNotReady(RuntimeError):
    """Twilio answered 404 (or 5xx): the recording is not there yet; the job retries."""


def recording_url(api_base: str, url: str) -> str:
    """The WAV of a recording, on TWILIO_API_BASE. Only Twilio's own hosts (or the configured
    base) are fetched, so a forged callback cannot make us request anything else.

    Raises:
        ValueError: the URL is neither on *.twilio.com nor on `api_base`.
    """
    parts, base = urlsplit(url), urlsplit(api_base)
    host = parts.hostname or ""
    if host == "twilio.com" or host.endswith(".twilio.com"):
        url = api_base.rstrip("/") + parts.path
    elif (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
        raise ValueError(f"recording URL is not on Twilio or {api_base}")
    else:
        url = api_base.rstrip("/") + parts.path
    return url if url.endswith((".wav", ".mp3")) else url + ".wav"


def fetch_recording(runtime: Runtime, url: str) -> bytes:
    """The recording's WAV bytes, fetched with the account's credentials."""
    settings = runtime.settings
    try:
        where = recording_url(settings.api_base, url)
    except ValueError:
        give_up()
        raise
    try:
        response = requests.get(where, timeout=(3, 30),
                                auth=(settings.account_sid, settings.auth_token))
    except requests.RequestException as exc:
        raise RecordingNotReady(f"recording fetch failed: {type(exc).__name__}") from None
    if response.status_code == 404 or response.status_code >= 500:
        raise RecordingNotReady(f"recording not available yet ({response.status_code})")
    response.raise_for_status()
    return response.content


def transcribe_wav(model_path: Path, wav: bytes) -> str:
    """Batch-transcribe a whole WAV with Vosk: every utterance, joined (`[unk]` dropped)."""
    import vosk  # lazy: the optional speech engine, loaded only to transcribe a voicemail

    with tempfile.NamedTemporaryFile(suffix=".wav") as handle:
        handle.write(wav)
        handle.flush()
        samples, rate = read_wav(Path(handle.name))
    target = model_rate(model_path)
    pcm = resample(samples, rate, target) if rate != target else samples
    recognizer = vosk.KaldiRecognizer(shared_model(model_path), target)
    texts: list[str] = []
    for start in range(0, len(pcm), CHUNK):
        if recognizer.AcceptWaveform(pcm[start:start + CHUNK].astype("<i2").tobytes()):
            texts.append(json.loads(recognizer.Result()).get("text", ""))
    texts.append(json.loads(recognizer.FinalResult()).get("text", ""))
    words = [w for text in texts for w in text.split() if w != "[unk]"]
    return " ".join(words)


def staff_text(business: Business, record: Record, transcript: str,
               duration_s: float | None) -> str:
    """What the on-duty person reads: who called, how long, and what they said."""
    # the caller's words, quoted so they cannot pose as our lines (`ivr.flow.quote`)
    said = (quoted(transcript, MAX_TEXT_CHARS)
            or "(no words could be made out; listen on the dashboard)")
    length = f" ({int(duration_s)} s)" if duration_s else ""
    return (f"[{business.name}] Voicemail from {record['caller']}{length}: {said}\n"
            f"Conversation {record['id']}")


def note_voicemail(runtime: Runtime, conversation_id: str, business: str | None = None,
                   **fields) -> Record | None:
    """Merge `fields` into the record's voicemail (atomically: other callbacks write too).
    `business` is its key when the caller knows it (saves looking it up)."""

    def merge(record: Record) -> None:
        record["voicemail"] = {**(record.get("voicemail") or {}), **fields}

    return runtime.store.update(conversation_id, merge, business=business)


def queue_voicemail(runtime: Runtime, business: Business, conversation_id: str, *,
                    recording_sid: str, url: str, duration_s: float | None = None):
    """Note a new recording on its conversation and queue its transcription (once per SID)."""
    note_voicemail(runtime, conversation_id, business.key, recording_sid=recording_sid, url=url,
                   duration_s=duration_s, transcript=None, at=iso(runtime.clock()))
    return enqueue_voicemail(runtime, business.key, conversation_id, recording_sid, url,
                             duration_s)


def enqueue_voicemail(runtime: Runtime, business_key: str, conversation_id: str,
                      recording_sid: str, url: str, duration_s: float | None = None):
    """Queue the transcription of a recording already noted on its conversation (once per SID).

    The recording's length defaults to what the record says (`voicemail.duration_s`).
    """
    if duration_s is None:
        record = runtime.store.get(conversation_id) or {}
        duration_s = (record.get("voicemail") or {}).get("duration_s")
    return enqueue(runtime.redis, transcribe_voicemail, business_key, conversation_id,
                   recording_sid, url, duration_s, queue_name=DEFAULT, retry=FETCH_BACKOFF_S,
                   timeout=TRANSCRIBE_TIMEOUT_S, unique_id=job_id("voicemail", recording_sid),
                   meta={"business": business_key, "conversation": conversation_id,
                         "what": "voicemail"})


def transcribe_voicemail(business_key: str, conversation_id: str, recording_sid: str,
                         url: str, duration_s: float | None = None) -> str | None:
    """Job: fetch, transcribe, record, text the on-duty person, optionally delete. Idempotent:
    a retry reuses a transcript already stored and never texts twice."""
    runtime = job_runtime()
    business = runtime.directory.by_key(business_key)
    record = runtime.store.get_record(business_key, conversation_id)
    if business is None or record is None:
        return None
    stored = record.get("voicemail") or {}
    transcript = stored.get("transcript") if stored.get("recording_sid") == recording_sid else None
    if transcript is None:
        # masked like every transcript line before it is stored (the record reaches disk)
        # a Spanish caller's message is transcribed with the Spanish model when there is one
        model = runtime.settings.speech_model(record.get("language") or "en")
        if not model.is_dir():
            model = runtime.settings.vosk_model
        transcript = redact(transcribe_wav(model, fetch_recording(runtime, url)))
        record = note_voicemail(runtime, conversation_id, business_key,
                                recording_sid=recording_sid, url=url, duration_s=duration_s,
                                transcript=transcript,
                                transcribed_at=iso(runtime.clock())) or record
    skill = (record.get("followup") or {}).get("skill") or "intake"
    person = on_duty(business, skill, runtime.clock())
    if person is not None:
        try:
            send_sms(runtime, business_key, person.phone,
                     staff_text(business, record, transcript, duration_s),
                     idempotency_key=f"voicemail:{recording_sid}")
        except OutboundRefused:
            event("voicemail.text_refused", log, logging.WARNING, business=business_key)
    if business.delete_recordings and not (record.get("voicemail") or {}).get("deleted"):
        runtime.twilio.recordings(recording_sid).delete()
        note_voicemail(runtime, conversation_id, business_key, deleted=True)
    event("voicemail.transcribed", log, business=business_key, conversation=conversation_id,
          recording=recording_sid, words=len(transcript.split()))
    return transcript
