"""What a customer did, as the flow core sees it: channel-neutral typed inputs.

Carriers are translated at the edge (Twilio form fields, Media Streams frames) into these.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

InputKind = Literal["start", "text", "speech", "digits", "silence", "no_match"]


@dataclass(frozen=True)
class Input:
    """One customer turn.

    Attributes:
        kind: `start` opens a conversation (a call rings in, or the first text arrives and also
            carries `text`); `text` an SMS body; `speech` a finished Vosk utterance; `digits`
            keypad presses; `silence` a prompt timed out with nothing heard; `no_match` the
            recogniser heard only noise / `[unk]`.
        text: the words (SMS body or transcript); the digits for `digits`.
        confidence: 0..1, the recogniser's confidence; 1.0 for typed text and keypad.
    """

    kind: InputKind
    text: str = ""
    confidence: float = 1.0

    @classmethod
    def start(cls, text: str = "") -> Input:
        return cls("start", text)

    @classmethod
    def sms(cls, body: str) -> Input:
        return cls("text", body)

    @classmethod
    def speech(cls, text: str, confidence: float) -> Input:
        return cls("speech", text, confidence)

    @classmethod
    def digits(cls, digits: str) -> Input:
        return cls("digits", digits)

    @classmethod
    def silence(cls) -> Input:
        return cls("silence")
