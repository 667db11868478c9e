"""A real call through the carrier simulator, answered by voice over the Media Stream.

The app starts `<Start><Stream>`; the sim opens the WebSocket and the caller speaks Korean
(espeak-ng) into it; Vosk (the Korean model) transcribes; the voice turn logic records the
words, steps the flow and moves the live call on by REST.
"""

from __future__ import annotations

import re

from ivr.sim import wait_for
from ivr.sim.media_client import MediaStreams

HVAC = "+15125550200"
CALLER = "+15125550199"
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def caller_words(runtime) -> list[str]:
    return [turn["text"] for record in runtime.store.conversations()
            for turn in record["transcript"] if turn["role"] == "caller"]


def test_a_spoken_answer_reaches_the_transcript_and_moves_the_call_on(live_app, carrier,
                                                                      runtime):
    ears = MediaStreams(pace=2.0)
    call = carrier.phone(CALLER).call(HVAC, on_stream=ears)
    call.wait_for_gather(timeout=15)
    assert call.streams and call.streams[0].parameters["business"] == "polar-bear-hvac"
    prompts_before = len(call.twiml_log)
    ears.wait(timeout=10).speak_text("네", voice="ko")  # "yes": short, so quick to decode
    spoken = wait_for(lambda: [w for w in caller_words(runtime) if HANGUL.search(w)],
                      timeout=30)
    assert spoken, "the caller's words are in the conversation transcript"
    wait_for(lambda: len(call.twiml_log) > prompts_before, timeout=15)
    assert not call.errors
    call.hangup()
