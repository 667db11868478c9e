"""Deciding the next move once a message is understood: the heart of each flow's behaviour.

In order: predicate triggers (a big order, a regular customer), qualification (decline early and
kindly), the next missing slot (never one already filled), then by route: a person for `human`,
an answer plus an offer of a person for `bot_first`, an answer for `bot_only`.
"""

from __future__ import annotations

import re

from ivr.flow.actions import Say, Unanswered
from ivr.flow.context import Order, OrderIndex, compact_id
from ivr.flow.expr import missing_fields, spoken_list
from ivr.flow.handoff import HUMAN_AFTER, MENU_AFTER, Handoff
from ivr.flow.intent import courtesy, faq_answer
from ivr.flow.model import Bucket, Rule
from ivr.flow.places import state_name, suggested_state
from ivr.flow.rules import Fired, failed_rule, predicate_triggers, urgent_reason
from ivr.flow.semantic import distress_cue
from ivr.flow.smalltalk import Kind, small_talk
from ivr.flow.text import looks_like_question, normalize
from ivr.flow.towns import named_town
from ivr.flow.wording import ask, scopes

#: Small-talk messages in a row answered warmly; the next goes to the failure ladder.
SMALL_TALK_LIMIT = 3


class Decide(Handoff):
    """The deciding half of a turn (the understanding half is in engine.py)."""

    def decide(self, text: str) -> None:
        state, flow, ctx = self.state, self.flow, self.ctx
        if state.bucket is None:
            if state.slots and flow.default_bucket:
                self.set_bucket(flow.default_bucket, state.confidence or 1.0)
            else:
                if state.slots:  # no topic, but a fact a rule reads ("please cancel FG-10250",
                    self.attach_order()  # a $129 order): the rule holds whatever the topic
                    fired = predicate_triggers(flow, scopes(state, ctx))
                    if fired:
                        return self.escalate(*fired)
                return self.not_understood(text)
        bucket = flow.buckets[state.bucket or ""]
        if bucket.lookup == "order" and not self.lookup_order():
            return None
        self.attach_order()
        fired = predicate_triggers(flow, scopes(state, ctx))
        if fired:
            return self.escalate(*fired)
        rule = failed_rule(bucket.qualify, scopes(state, ctx))
        if rule is not None:
            return self.decline(rule)
        missing = next((s for s in bucket.slots if s not in state.slots), None)
        answer = self.faq(bucket, text) if bucket.faq else None
        if missing and answer is None:
            return self.ask_slot(missing)
        if bucket.qualify:  # every rule held: the lead is qualified, whoever takes it
            state.qualification = {"result": "qualified",
                                   "reasons": [rule.name for rule in bucket.qualify]}
        if bucket.route == "human":
            why = urgent_reason(flow, bucket.name, text)
            if why is not None:
                state.extra["urgent"] = why
            urgent = bucket.urgent or "urgent" in state.extra
            self.reason(state.extra.get("urgent") or bucket.reason)
            outcome = "qualified" if bucket.qualify else ("escalated" if urgent
                                                           else "transferred")
            return self.hand_over(bucket.skill, urgent, outcome)
        if answer is None:
            answer = self.answer(bucket, text)
        if answer is not None:
            self.out(Say(answer))
            state.extra["answered"] = True
        if bucket.route == "bot_first" or answer is None:
            if ctx.after_hours:
                return self.follow_up("queued", outcome="after_hours_queued")
            return self.out(ask(flow, state, ctx, "offer"))
        if ctx.channel == "voice":
            return self.out(ask(flow, state, ctx, "anything_else"))
        return self.finish("resolved")

    def faq(self, bucket: Bucket, text: str) -> str | None:
        """An answer from the business's FAQ-style params (`faq`, `recommendations`)."""
        entries = self.ctx.params.get(bucket.faq)
        said = " ".join([text, *(str(v) for v in self.state.slots.values())])
        found = faq_answer(entries, said)
        return self.say(found) if found else None

    def answer(self, bucket: Bucket, text: str) -> str | None:
        """The bucket's templated answer; None (and logged as unanswered) when there is none."""
        if bucket.places:
            town = self.town(bucket, text)
            if town is not None:
                return town
        if bucket.faq:
            default = self.ctx.params.get(f"{bucket.faq}_default")
            if default:
                return self.say(str(default))
        elif bucket.answer and not missing_fields(bucket.answer, scopes(self.state, self.ctx)):
            return self.say(bucket.answer)
        self.unanswered(text)
        return None

    def town(self, bucket: Bucket, text: str) -> str | None:
        """"Do you work in Georgetown?": yes, or a kind no with the towns served."""
        towns = self.ctx.params.get(bucket.places)
        if not isinstance(towns, list) or not towns:
            return None
        found = named_town(text, [str(t) for t in towns])
        if found is None:
            return None
        place, served = found
        return self.msg("place_served" if served else "place_not_served", place=place,
                        places=spoken_list([str(t) for t in towns]))

    def unanswered(self, text: str) -> None:
        self.out(Unanswered(question=self.original or text))
        self.out(Say(self.msg("unanswered")))

    def decline(self, rule: Rule) -> None:
        """Not qualified: a courteous no with a referral; no staff member is disturbed."""
        self.reason(f"not_qualified:{rule.name}")
        self.state.qualification = {"result": "not_qualified", "reasons": [rule.name]}
        self.out(Say(self.say(rule.decline)))
        self.finish("not_qualified")

    def ask_slot(self, name: str) -> None:
        """Ask for a slot; a state is first offered from the caller's number, to confirm."""
        slot, state = self.flow.slots[name], self.state
        if slot.type == "state" and not state.extra.get("suggestion_declined"):
            code = suggested_state(self.ctx.customer.suggested_state)
            if code:
                state.extra["suggesting"] = True
                self.confirm(name, code, state_name(code), "confirm_state",
                             prefix=self.say(slot.prompt))
                return
        self.out(ask(self.flow, state, self.ctx, name))

    def lookup_order(self) -> bool:
        """Find the order (by number, else the customer's only one); False when we asked again.

        A customer known by phone with one order needs no number. With several, the number is
        asked (True: the missing slot asks it): the latest is not necessarily the one meant.
        """
        state, ctx = self.state, self.ctx
        if "order" in state.extra:
            return True
        number = state.slots.get("order_number")
        if number is None and len(ctx.customer.orders) == 1:
            number = ctx.customer.orders[0].order_id
            self.fill("order_number", number, 1.0)
        if number is None:
            return True
        order = find_order(ctx.orders(), ctx.customer.orders, str(number))
        if order is None:
            state.slots.pop("order_number", None)
            state.slot_confidence.pop("order_number", None)
            self.out(Say(self.msg("not_found")))
            state.asking = "order_number"
            self.failed()
            return False
        state.extra["order"] = order_facts(order)
        return True

    def attach_order(self) -> None:
        """Make `order.*` known in every bucket, not only where the order is looked up: the
        order the customer named, else their only one. So "I want to return FG-10250" (a $129
        order) meets the order-over-threshold rule as "where is FG-10250" does."""
        state, ctx = self.state, self.ctx
        if "order" in state.extra:
            return
        number = state.slots.get("order_number")
        order = find_order(ctx.orders(), ctx.customer.orders, str(number)) if number else None
        if order is None and number is None and len(ctx.customer.orders) == 1:
            order = ctx.customer.orders[0]
            if "order_number" in self.flow.slots:
                self.fill("order_number", order.order_id, 1.0)
        if order is not None:
            state.extra["order"] = order_facts(order)

    def not_understood(self, text: str) -> None:
        """Nothing usable in the message: say goodbye to thanks, log questions, then the ladder."""
        kind = small_talk(text)
        answered = self.state.extra.get("answered")
        if (courtesy(text) and self.state.asking not in self.flow.slots
                and (kind != "ack" or answered)):
            self.out(Say(self.msg("welcome")))
            return self.finish("resolved" if answered else "abandoned")
        if kind is not None and self.chat(kind):
            return None
        if self.state.asking not in self.flow.slots and (
                fired := predicate_triggers(self.flow, scopes(self.state, self.ctx))):
            return self.escalate(*fired)  # a regular's "back for more, what's new" is unplaced,
            # but the flow promises regulars a person whatever they wrote
        # (what the customer denied, "nobody is hurt", is no cue)
        if self.danger_text is None:
            why = distress_cue(self.flow, self.original or text, self.scores)
        else:
            why = distress_cue(self.flow, self.danger_text, self.danger_scores)
        if why is not None:  # the safety net: never "I didn't catch that" to someone in trouble
            self.state.extra["distress_cue"] = why  # for the person taking over
            return self.escalate(Fired("distress", urgent=True))
        if self.low:
            self.state.low_confidence_turns += 1
        self.state.extra["misunderstood"] = self.misunderstood + 1
        if looks_like_question(text) and kind is None and len(normalize(text).split()) >= 3:
            return self.unknown_question(text)
        if self.misunderstood >= 1:  # the second in a row: the menu, which offers a person
            self.state.attempts = max(self.state.attempts, MENU_AFTER - 1)
        return self.failed()

    def unknown_question(self, text: str) -> None:
        """A real question we have no answer to: one courteous reply, never two.

        "I don't have an answer to that yet, I've noted your question" followed by "Sorry, I
        didn't catch that" told the customer two contradicting things (we understood it; we did
        not). The question is logged for the monthly review (`Unanswered`) and the one reply
        says so and offers a person, the same offer a bucket without an answer makes. The turn
        still counts towards the failure ladder, so someone who only ever asks what we cannot
        answer is handed to a person rather than asked again and again.
        """
        state = self.state
        self.out(Unanswered(question=self.original or text))
        state.attempts += 1
        if state.attempts >= HUMAN_AFTER:
            self.reason("low_confidence")
            state.route = "human"
            self.out(Say(self.msg("unanswered")))
            return self.hand_over(self.flow.skill_for(state.bucket), False, "escalated")
        state.confirming = None
        self.out(ask(self.flow, state, self.ctx, "offer", prefix=self.msg("unanswered")))


    def chat(self, kind: Kind) -> bool:
        """Small talk: a warm reply and the same question again, not a failed turn.

        False (the failure ladder takes over) on the third small talk in a row, so a caller
        who only ever says "okay" still reaches the keypad menu and a person.
        """
        state = self.state
        if state.confirming is not None or self.small_talk_streak >= SMALL_TALK_LIMIT:
            return False
        state.extra["small_talk"] = self.small_talk_streak + 1
        prefix = ""
        if kind == "how_are_you":
            prefix = self.msg("how_are_you")
        elif kind == "greeting" and not self.greeted:
            prefix = self.msg("hello")
        self.out(ask(self.flow, state, self.ctx, state.asking or "intent", prefix=prefix))
        return True


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def order_facts(order: Order) -> dict[str, object]:
    """What templates and predicates read as `order.*`."""
    return {"order_id": order.order_id, "total": order.total, "status": order.status,
            "name": order.name}


def find_order(index: OrderIndex, mine: tuple[Order, ...], number: str) -> Order | None:
    """An order by its number as written, with or without prefix and separators, or by its
    digits ("10231" finds FG-10231); the customer's own orders first."""
    wanted = _digits(number)
    for order in mine:
        if compact_id(order.order_id) == compact_id(number) or (
                wanted and _digits(order.order_id) == wanted):
            return order
    return index.find(number)
