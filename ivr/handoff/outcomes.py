"""What an effect did, as a value: the conversation renders its replies from these.

An effect (`ivr.app.effects`) runs after a turn is saved and returns one of these (or None when
the turn's actions were none of its business). `Conversations.handle` collects them into the
`Turn`, so the channel can say "I'm passing this to Rico" without asking anyone again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Handoff:
    """A person was asked to take the conversation over.

    Attributes:
        person: full name of the person who will reach the customer, or None when nobody
            could be named (the customer is promised "our team").
        via: how they were asked: a staff text ("text") or a call bridge ("call").
    """

    person: str | None
    via: Literal["text", "call"]


@dataclass(frozen=True)
class FollowUp:
    """The lead was queued for a call back.

    Attributes:
        when: when the customer should expect a reply, in words ("within the hour").
        callback: the callback task's id.
    """

    when: str
    callback: str


@dataclass(frozen=True)
class Exported:
    """The ended conversation's export to the business's CRM was queued."""

    conversation: str


Outcome = Handoff | FollowUp | Exported
