"""Handing a conversation to people: transfer now, queue for the morning, or the failure ladder.

The base of the engine's turn: bookkeeping (actions, filled slots, confidence) and every way a
conversation leaves the bot. After hours, anything not urgent is captured and queued with a
"we'll call you back Monday after 8:30 AM"; emergencies still ring on-call now.
"""

from __future__ import annotations

from typing import Any

from ivr.flow.actions import Action, Ask, End, Outcome, QueueFollowUp, Say, Transfer
from ivr.flow.context import Context
from ivr.flow.model import Flow
from ivr.flow.rules import Fired
from ivr.flow.semantic import combined
from ivr.flow.state import State
from ivr.flow.summary import summarize
from ivr.flow.text import gist
from ivr.flow.wording import ask, confirm, message, say

#: Failed turns on one question before the keypad menu, and before a person takes over.
MENU_AFTER = 2
HUMAN_AFTER = 3
#: The customer's recent messages kept for the summary (the trigger and what came before it).
KEPT_MESSAGES = 3


class Handoff:
    """Shared state of one step and the moves that end or hand over a conversation."""

    def __init__(self, flow: Flow, state: State, ctx: Context) -> None:
        self.flow, self.state, self.ctx = flow, state, ctx
        self.actions: list[Action] = []
        self.confidence = 1.0
        self.low = False
        self.pending: Ask | None = None
        self.filled_now: list[str] = []
        self.escalating = False
        self.original = ""  # the message as sent (what is logged), before typo repair
        self.greeted = False  # the opening greeting was given in this very step
        self.small_talk_streak = 0  # small-talk messages in a row before this one
        self.misunderstood = 0  # messages in a row not understood before this one
        self.scores: dict[str, float] = {}  # the semantic layer's, for this message
        self.option_scores: dict[str, float] = {}  # the same, with the choice options'
        # The message less what the customer denied, and its scores (the danger checks' view)
        self.danger_text: str | None = None
        self.danger_scores: dict[str, float] = {}
        self.semantic_score: float | None = None  # set when the semantic layer escalated

    # -- bookkeeping ---------------------------------------------------------------------
    def out(self, action: Action) -> None:
        self.actions.append(action)

    def say(self, template: str, **extra: Any) -> str:
        return say(self.flow, self.state, self.ctx, template, **extra)

    def msg(self, key: str, **extra: Any) -> str:
        return message(self.flow, self.state, self.ctx, key, **extra)

    def set_bucket(self, bucket: str, confidence: float) -> None:
        self.state.bucket = bucket
        self.state.route = self.flow.route_for(bucket)
        self.state.extra["intent_confidence"] = round(confidence, 2)
        self.state.attempts = 0
        self._update_confidence()

    def fill(self, name: str, value: Any, confidence: float) -> None:
        self.state.slots[name] = value
        self.state.slot_confidence[name] = round(confidence, 2)
        self.filled_now.append(name)
        if self.state.asking == name:
            self.state.attempts = 0
        self._update_confidence()

    def _update_confidence(self) -> None:
        known = [self.state.extra.get("intent_confidence"), *self.state.slot_confidence.values()]
        values = [v for v in known if v is not None]
        self.state.confidence = round(min(values), 2) if values else None

    def confirm(self, question: str, value: Any, shown: str, template: str = "heard",
                prefix: str = "") -> Ask:
        action = confirm(self.flow, self.state, self.ctx, question, value, shown, template,
                         prefix)
        self.out(action)
        return action

    def finish(self, outcome: Outcome) -> None:
        self.state.outcome = outcome
        self.state.asking = None
        self.state.confirming = None
        self.out(End(outcome))

    def reason(self, name: str) -> None:
        if name not in self.state.reasons:
            self.state.reasons.append(name)

    def heard(self, text: str) -> None:
        """Keep the customer's latest messages (bounded), so the summary can quote what came
        before the message that needed a person."""
        said = [*self.state.extra.get("said", []), gist(text)]
        self.state.extra["said"] = said[-KEPT_MESSAGES:]

    def note_trigger(self) -> None:
        """This message decided where the conversation goes (it chose the bucket or fired an
        escalation): the summary quotes it, not an earlier unrelated question, and quotes
        what came before it as context."""
        words = self.original.strip()
        if not words or words.isdigit():
            return
        said = self.state.extra.get("said") or []
        earlier = said[:-1] if said and said[-1] == gist(words) else said
        self.state.extra["trigger"] = gist(words)
        self.state.extra["before"] = [s for s in earlier if s != gist(words)][-2:]

    # -- leaving the bot -----------------------------------------------------------------
    def escalate(self, *fired: Fired, outcome: Outcome = "escalated") -> None:
        """Triggers fired: move to their bucket, tell the customer, and hand over."""
        first = fired[0]
        if self.escalating:  # fired by what they just said (not "now" to our offer)
            self.note_trigger()
        if first.bucket and first.bucket in self.flow.buckets:
            self.set_bucket(first.bucket, self.confidence)
        elif self._own_topic(first.reason):
            self.state.bucket = None  # a billing problem is no product question with a charge
        if self.semantic_score is not None:  # what staff hear: how sure the layer was
            self.state.extra["intent_confidence"] = round(
                min(combined(None, self.semantic_score), self.confidence), 2)
            self._update_confidence()
        for item in fired:
            self.reason(item.reason)
        self.state.route = "human"
        bucket = self.flow.buckets.get(self.state.bucket or "")
        skill = first.skill or self.flow.skill_for(self.state.bucket)
        urgent = any(f.urgent for f in fired) or bool(bucket and bucket.urgent
                                                     and first.bucket == bucket.name)
        if first.say:
            self.out(Say(self.say(first.say)))
        self.hand_over(skill, urgent, outcome)

    def _own_topic(self, reason: str) -> bool:
        """Whether a trigger on the customer's words with no bucket of its own fired over a
        bot's topic the rules read ("got billed for shipping though it said free" names
        shipping): the trigger is the topic, and the person taking over reads it, not a
        product question the bot would have answered."""
        trigger = next((t for t in self.flow.triggers if t.name == reason), None)
        bucket = self.flow.buckets.get(self.state.bucket or "")
        return (trigger is not None and not trigger.when and trigger.bucket is None
                and bucket is not None and bucket.route != "human")

    def hand_over(self, skill: str, urgent: bool, outcome: Outcome) -> None:
        """Transfer now, or (after hours, not urgent) capture and queue for the next opening."""
        bucket = self.flow.buckets.get(self.state.bucket or "")
        self.state.confirming = None
        if self.ctx.after_hours and not urgent and not (bucket and bucket.after_hours == "transfer"):
            return self.follow_up("queued", outcome="after_hours_queued", skill=skill)
        key = "connect_sms" if self.ctx.channel == "sms" else "connect"
        self.out(Say(self.msg(key), handoff=True))
        self.state.urgent = self.state.urgent or urgent  # the one decision everyone is told
        self.out(Transfer(skill=skill, reasons=tuple(self.state.reasons) or ("asked_for_human",),
                          summary=summarize(self.flow.staff, self.state, self.ctx, now=True),
                          urgent=self.state.urgent))
        self.state.outcome = outcome
        self.state.asking = None

    def follow_up(self, key: str, *, outcome: Outcome, skill: str | None = None) -> None:
        """Capture the lead for a call back; the confirmation names when to expect it."""
        confirmation = self.msg(key)
        self.out(QueueFollowUp(summary=summarize(self.flow.staff, self.state, self.ctx),
                               skill=skill or self.flow.skill_for(self.state.bucket),
                               confirmation=confirmation))
        self.out(Say(confirmation))
        self.finish(outcome)

    # -- the failure ladder ----------------------------------------------------------------
    def failed(self) -> None:
        """Silence, noise, or an answer we could not use: reprompt, then keypad, then a person."""
        state = self.state
        state.attempts += 1
        state.confirming = None
        if state.attempts >= HUMAN_AFTER or state.low_confidence_turns >= HUMAN_AFTER:
            self.reason("low_confidence")
            state.route = "human"
            return self.hand_over(self.flow.skill_for(state.bucket), False, "escalated")
        question = state.asking or "intent"
        if state.attempts >= MENU_AFTER:
            return self.out(ask(self.flow, state, self.ctx, question, reprompt=True, menu=True))
        return self.out(ask(self.flow, state, self.ctx, question, reprompt=True))

    def reask(self) -> None:
        """Ask the current question again as it was (a reconnect or a repeated webhook)."""
        self.out(ask(self.flow, self.state, self.ctx, self.state.asking or "intent"))
