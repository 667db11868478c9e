"""A conversation with a shipped business's flow, for the pure flow-core tests (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest

from ivr.flow.actions import Action, Ask, End, QueueFollowUp, Say, Transfer, Unanswered
from ivr.flow.context import Context
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.model import Flow
from ivr.flow.state import State

#: Tuesday 24 Nov 2026, 10:00 in Austin: open.
TUESDAY_MORNING = datetime(2026, 11, 24, 16, 0, tzinfo=UTC)
#: Friday 27 Nov 2026, 22:00 in Austin: closed (Polar Bear opens Saturday 9:00, others Monday).
FRIDAY_NIGHT = datetime(2026, 11, 28, 4, 0, tzinfo=UTC)
CALLER = "+15125550199"


@dataclass
class Chat:
    """One conversation with a business's flow, keeping every action it produced."""

    flow: Flow
    ctx: Context
    state: State
    actions: list[Action] = field(default_factory=list)
    last: list[Action] = field(default_factory=list)

    def send(self, text: str = "", *, kind: str | None = None,
             confidence: float = 1.0) -> list[Action]:
        """One customer turn: SMS text, speech (on voice), digits, silence or no_match."""
        if kind is None:
            kind = "text" if self.ctx.channel == "sms" else "speech"
        if not self.state.started and kind == "text":
            kind = "start"
        inp = Input(kind, text, confidence if kind == "speech" else 1.0)  # type: ignore[arg-type]
        self.state, self.last = step(self.flow, self.state, inp, self.ctx)
        self.actions.extend(self.last)
        return self.last

    def call(self) -> list[Action]:
        """A call rings in: the greeting and the first question."""
        return self.send("", kind="start")

    def of(self, kind: type) -> list:
        return [a for a in self.actions if isinstance(a, kind)]

    @property
    def transfer(self) -> Transfer | None:
        found = self.of(Transfer)
        return found[-1] if found else None

    @property
    def queued(self) -> QueueFollowUp | None:
        found = self.of(QueueFollowUp)
        return found[-1] if found else None

    @property
    def ask(self) -> Ask | None:
        found = [a for a in self.last if isinstance(a, Ask)]
        return found[-1] if found else None

    @property
    def said(self) -> str:
        """Everything the bot said or asked in the last turn, as one string."""
        return " ".join(a.text if isinstance(a, Say) else a.prompt for a in self.last
                        if isinstance(a, Say | Ask))

    @property
    def outcome(self) -> str | None:
        ends = self.of(End)
        return ends[-1].outcome if ends else self.state.outcome

    @property
    def unanswered(self) -> list[str]:
        return [a.question for a in self.of(Unanswered)]


def cases(table: dict[str, list[str]]) -> list:
    """A {expected: [phrasings]} table as pytest params, each named "expected: phrasing"."""
    return [pytest.param(key, text, id=f"{key}: {text}") for key, texts in table.items()
            for text in texts]
