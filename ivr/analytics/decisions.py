"""What a flow decided for a customer, read the same way by `make eval` and `ivr flows try`.

Kept apart from `ivr.analytics.replay` so the evaluation harness stays free of the carrier and
store layers (`tests/understanding` checks that it imports only the flow core and config).

"Reached a person": the step emitted a `Transfer` (warm transfer / call bridge now), a
`NotifyStaff` (staff texted a summary) or a `QueueFollowUp` (the lead captured for a person to
call back). An offer of a person ("talk to someone now, or get a call back?") is not reaching
one: the customer still has to ask.
"""

from __future__ import annotations

from collections.abc import Iterable

from ivr.flow.actions import Action, NotifyStaff, QueueFollowUp, Transfer
from ivr.flow.context import Context
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.model import Flow
from ivr.flow.state import State

#: The actions that put a person in front of the customer (or disturb staff).
PERSON_ACTIONS = (Transfer, NotifyStaff, QueueFollowUp)
NO_BUCKET = "(none)"


def reached_person(actions: Iterable[Action]) -> str:
    """How a step put a person in front of the customer: "transfer", "notify",
    "follow-up", or "" when it did not."""
    for action in actions:
        if isinstance(action, Transfer):
            return "transfer"
        if isinstance(action, NotifyStaff):
            return "notify"
        if isinstance(action, QueueFollowUp):
            return "follow-up"
    return ""


def first_step(flow: Flow, text: str, context: Context) -> tuple[State, list[Action]]:
    """The first text of a new SMS conversation, as `Conversations.handle` steps it."""
    return step(flow, State(flow=flow.name), Input.start(text), context)
