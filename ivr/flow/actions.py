"""What the flow core decides: channel-neutral actions the adapters carry out.

Voice turns an `Ask` into `<Gather input="dtmf">` around a `<Say>`; SMS sends the prompt as a
text. `Transfer` starts a warm transfer (voice) or a call bridge (SMS). `End` closes the
conversation with an outcome from the API contract.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Outcome = Literal[
    "resolved", "qualified", "not_qualified", "transferred", "escalated",
    "after_hours_queued", "abandoned", "opted_out",
]
Route = Literal["bot_only", "bot_first", "human"]


@dataclass(frozen=True)
class Choice:
    """One keypad option of a menu: press `digit` for `label` (the value filled in)."""

    digit: str
    label: str
    value: str


@dataclass(frozen=True)
class Say:
    """Tell the customer something (spoken on a call, texted by SMS).

    Attributes:
        text: the words.
        handoff: True for the flow's unnamed promise that a person will take over (said just
            before a `Transfer`); a channel that can name the person says that instead.
    """

    text: str
    handoff: bool = False


@dataclass(frozen=True)
class Ask:
    """Ask for a slot (or the opening "how can I help") and wait for the answer.

    Attributes:
        slot: the slot being asked, or "intent" for the opening question.
        prompt: the words.
        choices: keypad menu, offered by voice ("press 1 for ...") and as numbered SMS options.
        grammar: phrases a recogniser may constrain itself to for this question (plus [unk]).
        menu: True when this is the keypad-menu fallback after failed turns.
        confirm: the value being confirmed when this is a yes/no confirmation.
    """

    slot: str
    prompt: str
    choices: tuple[Choice, ...] = ()
    grammar: tuple[str, ...] = ()
    menu: bool = False
    confirm: str | None = None


@dataclass(frozen=True)
class Transfer:
    """Hand the conversation to a person now (warm transfer / call bridge).

    Attributes:
        skill: which staff skill the hunt looks for (e.g. "intake", "emergency").
        reasons: why (escalation reasons or "qualified").
        summary: one-paragraph written summary for the whisper and the staff text.
        urgent: emergencies bypass after-hours rules and ring on-call now.
    """

    skill: str
    reasons: tuple[str, ...]
    summary: str
    urgent: bool = False


@dataclass(frozen=True)
class QueueFollowUp:
    """Capture the lead for a callback at the next opening (after hours, or bot_first)."""

    summary: str
    skill: str = "intake"
    confirmation: str = ""  # the text telling the customer when to expect a reply


@dataclass(frozen=True)
class NotifyStaff:
    """Text on-call staff a written summary without bridging a call."""

    summary: str
    skill: str = "intake"


@dataclass(frozen=True)
class End:
    """Close the conversation with an outcome (voice hangs up after any preceding Say)."""

    outcome: Outcome
    hangup: bool = True


@dataclass(frozen=True)
class Unanswered:
    """The bot could not answer this question: log it for the monthly review."""

    question: str


Action = Say | Ask | Transfer | QueueFollowUp | NotifyStaff | End | Unanswered


@dataclass
class Decision:
    """Bookkeeping the engine exposes alongside its actions, for records and analytics."""

    bucket: str | None = None
    route: Route | None = None
    reasons: list[str] = field(default_factory=list)
    confidence: float | None = None
