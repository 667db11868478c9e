"""Conversation state the flow core carries between turns; JSON-serialisable for Redis."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any


@dataclass
class State:
    """Where a conversation stands.

    Attributes:
        flow: the flow's name.
        started: whether the greeting has been given.
        bucket: the bucket chosen (None until known).
        route: the bucket's route ("bot_only", "bot_first", "human").
        slots: filled slot values by slot name.
        slot_confidence: confidence of each filled slot (0..1).
        asking: the slot (or "intent") the last question asked, None when not waiting.
        confirming: a value awaiting the customer's yes/no ("I heard Texas — is that right?").
        attempts: failed turns on the current question (silence, no match, low confidence).
        low_confidence_turns: low-confidence turns across the conversation.
        turn: increases by one per question asked; voice uses it to let one answer win.
        reasons: escalation reasons recorded so far.
        urgent: whether the handover was decided as urgent (it rang on-call now, even after
            hours); the staff text, the whisper and the record all read this one decision.
        confidence: the bot's overall confidence in its latest decision.
        outcome: set when the conversation ends.
        qualification: the bucket's `qualify:` verdict once it is known,
            {"result": "qualified"|"not_qualified", "reasons": [rule names]}: kept apart from
            the outcome, which changes when staff take the lead ("transferred") or it is
            queued for the morning, so a firm can still count its qualified leads.
        last_text: the customer's previous message (repeats signal frustration).
        extra: room for flow-specific bookkeeping.
        language: the language the customer is answered in ("en", "es"): English until the
            customer's words make another of the business's languages sure, or they ask for
            one ("en español"); set by the core each turn (`ivr.flow.language`); the voice
            a call speaks with, and what staff are told.
    """

    flow: str = ""
    started: bool = False
    bucket: str | None = None
    route: str | None = None
    slots: dict[str, Any] = field(default_factory=dict)
    slot_confidence: dict[str, float] = field(default_factory=dict)
    asking: str | None = None
    confirming: Any = None
    attempts: int = 0
    low_confidence_turns: int = 0
    turn: int = 0
    reasons: list[str] = field(default_factory=list)
    urgent: bool = False
    confidence: float | None = None
    outcome: str | None = None
    qualification: dict[str, Any] | None = None
    last_text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    language: str = "en"

    @property
    def done(self) -> bool:
        return self.outcome is not None

    def to_dict(self) -> dict[str, Any]:
        """A plain dict for JSON; it shares the state's lists and dicts (copy() does not)."""
        return {name: getattr(self, name) for name in _NAMES}

    def copy(self) -> State:
        """An independent copy: the flow core steps a copy, never the caller's state."""
        return State(**{name: _copied(getattr(self, name)) for name in _NAMES})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        return cls(**{k: v for k, v in data.items() if k in _NAMES})


#: Values shared rather than copied: nothing can change them in place.
_ATOMS = (str, int, float, bool, type(None))


def _copied(value: Any) -> Any:
    """A deep copy of a state value. A state holds what JSON holds (dicts, lists, strings,
    numbers), copied here directly: `copy.deepcopy`'s generality (its memo, its dispatch) was
    a visible part of a text's turn. Anything else goes to `copy.deepcopy`."""
    if isinstance(value, _ATOMS):
        return value
    if type(value) is dict:
        return {key: _copied(item) for key, item in value.items()}
    if type(value) is list:
        return [_copied(item) for item in value]
    return copy.deepcopy(value)


#: Field names, in order (a JSON state may carry names from older or newer versions).
_NAMES = tuple(f.name for f in fields(State))
