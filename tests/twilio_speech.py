"""Businesses that let Twilio hear their callers (`speech: twilio`), for tests that talk.

The sim posts typed words (`call.say`) only where Twilio would: at a `<Gather>` that takes
speech. A shipped example keeps its default (`speech: stream`: our own Vosk over the Media
Stream, whose questions are keypad Gathers), so a test that drives a flow by voice first lets
Twilio's recogniser listen to the businesses it calls; its words then reach the app as a real
caller's words do, SpeechResult and Confidence on the Gather's action.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from ivr.config.directory import Directory

#: The business-file line a config directory (`jobs_support.business_dir`) takes for this.
TWILIO_SPEECH = {"speech": "twilio"}


def heard_by_twilio(runtime: Any, *keys: str) -> None:
    """Give the runtime's businesses (all, or those keyed) `speech: twilio`."""
    runtime.directory = Directory([
        replace(b, speech="twilio") if not keys or b.key in keys else b
        for b in runtime.directory])
