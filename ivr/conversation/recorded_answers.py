"""Record mode: each spoken answer is a Twilio recording, transcribed by Vosk in an rq job.

For deployments that cannot expose a WebSocket to Twilio (`speech: record` in the business
config). The `/voice/recorded` view claims the turn and enqueues `transcribe_answer`; the job
fetches the recording with the account's credentials through TWILIO_API_BASE (Twilio answers
404 for a moment after the recording ends, so it retries), transcribes it with the process's
one Vosk model, steps the flow, stores the next TwiML and redirects the live call, which has
been holding in a short pause loop (`/voice/next`) meanwhile.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import requests

from ivr.config.settings import Settings
from ivr.conversation import voice
from ivr.conversation.voice_hold import stored_next
from ivr.flow.events import Input
from ivr.jobs.queues import URGENT, enqueue, job_id, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.speech.audio import PHONE_RATE, read_wav, resample
from ivr.speech.vosk import Recognizer

log = logging.getLogger("ivr.conversation.recorded_answers")

#: Seconds between tries while the recording is not ready (404), doubling each time.
FETCH_BACKOFF_S = 0.25

#: Tries before giving up on a recording (about 8 s of waiting in all).
FETCH_TRIES = 6


def enqueue_transcription(runtime: Runtime, business_key: str, call_sid: str, turn: int,
                          recording_url: str) -> None:
    """Queue the transcription of the recorded answer to question `turn` (urgent: a caller is
    holding). No rq retries: the job retries the download itself, and a failed transcription
    still advances the call."""
    enqueue(runtime.redis, transcribe_answer, business_key, call_sid, turn, recording_url,
            queue_name=URGENT, retry=(), unique_id=job_id("voice", call_sid, str(turn)),
            timeout=120, meta={"business": business_key, "what": "voice-answer"})
    event("voice.recording_queued", log, business=business_key, sid=call_sid, turn=turn)


def transcribe_answer(business_key: str, call_sid: str, turn: int, recording_url: str) -> str:
    """rq job: recording → words → flow step → the live call moves on. Returns the outcome kind.

    Whatever fails (no recording, no model), the turn still advances — as "no_match", which
    the flow answers by re-asking, then the keypad menu, then a person — so a caller on hold
    is never left there.
    """
    runtime = job_runtime()
    business = runtime.directory.by_key(business_key)
    if business is None:
        return "unknown_business"
    if stored_next(runtime, business, call_sid, turn) is not None:
        return "too_late"  # the caller stopped holding and was put through to a person
    call = runtime.store.get_call(business_key, call_sid, "grammar", "record", "language")
    model = runtime.settings.speech_model(call.get("language") or "en")  # a Spanish answer: es
    try:
        audio = fetch_recording(runtime.settings, recording_url)
        text, confidence = transcribe(model, audio, call.get("grammar"))
    except Exception as exc:  # noqa: BLE001 - the caller must move on either way
        event("voice.transcribe_failed", log, logging.WARNING, business=business_key,
              sid=call_sid, turn=turn, error=type(exc).__name__)
        text, confidence = "", 0.0
    else:
        if business.delete_recordings:
            delete_recording(runtime, business_key, recording_url)
        elif call.get("record"):  # kept: listed so the retention purge deletes it later
            sid = recording_sid(recording_url)
            runtime.store.update(call["record"], lambda r: r.setdefault(
                "recordings", []).append(sid), business=business_key)
    inp = Input.speech(text, confidence) if text else Input("no_match")
    if voice.advance(runtime, business, call_sid, turn, inp) is None:
        return "too_late"  # the caller was already put through to a person
    voice.redirect_call(runtime, business, call_sid, turn)
    return inp.kind


def media_url(settings: Settings, recording_url: str) -> str:
    """The recording's WAV through TWILIO_API_BASE (Twilio gives URLs on api.twilio.com)."""
    parts = urlsplit(recording_url)
    url = recording_url
    if parts.hostname and parts.hostname.endswith("twilio.com"):
        url = settings.api_base + parts.path + (f"?{parts.query}" if parts.query else "")
    if not urlsplit(url).path.rsplit("/", 1)[-1].count("."):
        url = url.split("?", 1)[0] + ".wav"
    return url


def recording_sid(recording_url: str) -> str:
    """The RE... SID at the end of a RecordingUrl (with or without an extension)."""
    return urlsplit(recording_url).path.rsplit("/", 1)[-1].split(".", 1)[0]


def delete_recording(runtime: Runtime, business_key: str, recording_url: str) -> None:
    """Remove the caller's recorded answer from Twilio once transcribed (`delete_recordings`)."""
    sid = recording_sid(recording_url)
    try:
        runtime.twilio.recordings(sid).delete()
    except Exception as exc:  # noqa: BLE001 - logged for the operator; the caller moves on
        event("voice.recording_delete_failed", log, logging.WARNING, business=business_key,
              recording=sid, error=type(exc).__name__)


def fetch_recording(settings: Settings, recording_url: str) -> bytes:
    """Download the recording (HTTP basic auth with the account), retrying while it is 404."""
    url = media_url(settings, recording_url)
    delay = FETCH_BACKOFF_S
    for attempt in range(FETCH_TRIES):
        response = requests.get(url, auth=(settings.account_sid, settings.auth_token),
                                timeout=10)
        if response.status_code != 404:
            response.raise_for_status()
            return response.content
        if attempt < FETCH_TRIES - 1:
            time.sleep(delay)
            delay *= 2
    raise FileNotFoundError("recording not available")


def transcribe(model_path: Path, wav: bytes, grammar: list[str] | None = None
               ) -> tuple[str, float]:
    """A WAV recording → (text, the bot's confidence in it), through the process's shared
    Vosk model (`ivr.speech.vosk`), the whole file at once."""
    with tempfile.NamedTemporaryFile(suffix=".wav") as handle:
        handle.write(wav)
        handle.flush()
        samples, rate = read_wav(Path(handle.name))
    recognizer = Recognizer(model_path, grammar)
    recognizer.accept(resample(samples, rate, PHONE_RATE) if rate != PHONE_RATE else samples)
    heard = recognizer.final()
    return heard.text, heard.confidence
