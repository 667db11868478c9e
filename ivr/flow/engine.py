"""The pure flow engine: `step(flow, state, input, context) -> (state, actions)`.

One function serves voice and SMS. Each step: understand the message (keypad digits, a pending
confirmation or offer, escalation triggers, the bucket, every slot it fills), then decide the next
move (escalate, decline, ask the next missing slot, answer, offer a person, queue for the
morning). The state passed in is never modified; a new one is returned.
"""

from __future__ import annotations

from typing import Any

from ivr.flow.actions import Action, Ask, Say
from ivr.flow.context import Context
from ivr.flow.decide import Decide
from ivr.flow.events import Input
from ivr.flow.extract import UNSURE, YES, extract, from_digits, match_option, yes_or_no
from ivr.flow.intent import classify, courtesy, person_also_heard
from ivr.flow.language import settle
from ivr.flow.model import Flow, Option, Slot
from ivr.flow.negation import denied_words, denies_danger, undenied
from ivr.flow.orders import named_order
from ivr.flow.phrasing import padded
from ivr.flow.places import suggested_state
from ivr.flow.rules import (
    Fired,
    asked_for_human,
    bare_request,
    frustrated,
    opted_out,
    phrase_triggers,
)
from ivr.flow.semantic import (
    FRUSTRATION,
    HUMAN,
    PERSON,
    asks_for_person,
    better_topic,
    combined,
    enough_words,
    frustrated_by_scores,
    needs_a_person,
    person_net,
    person_target,
    semantic_bucket,
    semantic_option,
    semantic_triggers,
    topic_scores,
)
from ivr.flow.smalltalk import small_talk
from ivr.flow.state import State
from ivr.flow.summary import slot_text
from ivr.flow.text import gist, normalize
from ivr.flow.wording import ask

#: Small talk recognised before looking for a bucket (acks may still answer a question).
EARLY_SMALL_TALK = ("greeting", "how_are_you", "repeat")
OFFER_OPTIONS = (
    Option("callback", "get a call back", "2", ("call back", "call me back", "callback",
                                                "call me", "later", "call me later")),
    Option("now", "talk to someone now", "1", ("now", "talk now", "right now", "connect me",
                                               "talk to someone", "speak to someone")),
    Option("no", "no thanks", "3", ("no thanks", "no thank you", "not now", "that is all")),
)


def step(flow: Flow, state: State, inp: Input, ctx: Context) -> tuple[State, list[Action]]:
    """Advance one conversation by one customer input; returns the new state and actions."""
    state = state.copy()
    state.flow = state.flow or flow.name
    if state.done:
        return state, []
    asked = False
    if inp.kind in ("text", "speech", "start") and inp.text.strip():
        state.language, asked = settle(state.language, state.extra, inp.text, ctx.languages,
                                       ctx.detect)
    flow = flow.in_language(state.language)  # the same rules, in the customer's words
    if asked:  # "en español" alone: the conversation goes on in that language, nothing to read
        inp = Input(kind="start", text="")
    turn = _Turn(flow, state, ctx)
    if not state.started and ctx.recent is not None and inp.text.strip() and inp.kind not in (
            "silence", "no_match"):
        state.started = True
        state.extra["continued"] = True  # the channel does not disclose a second time either
        if not turn.after_the_end(inp.text):
            turn.handle(inp)  # a new question: answered as one, without the greeting again
        return state, turn.actions
    if not state.started:
        state.started = True
        opening = turn.greeting()
        if not inp.text.strip() or inp.kind in ("silence", "no_match"):
            turn.out(ask(flow, state, ctx, "intent", prefix=opening))
            return state, turn.actions
        turn.out(Say(opening))
        turn.greeted = True
    elif inp.kind == "start" and not inp.text.strip():
        turn.reask()
        return state, turn.actions
    turn.handle(inp)
    return state, turn.actions


#: Below this, the rules' bucket is a near-miss of a phrase (`intent.classify`'s fuzzy match).
FUZZY_ONLY = 0.8


class _Turn(Decide):
    """One step's work: understanding then deciding, collecting actions."""

    def greeting(self) -> str:
        text = self.say(self.flow.greeting)
        if self.ctx.after_hours:
            text += " " + self.msg("after_hours")
        return text

    def after_the_end(self, text: str) -> bool:
        """A short reply to a conversation that just closed ("thanks", "ok", "no"): a short
        "You're welcome!" to thanks, nothing to the rest, never the greeting again. False when
        the message says more (a new question, which the conversation goes on to answer)."""
        kind = small_talk(text)
        closing = kind in ("thanks", "ack") or courtesy(text) or (
            yes_or_no(text) is False and len(text.split()) <= 4)
        if not closing:
            return False
        if kind == "thanks" or (kind is None and courtesy(text) and yes_or_no(text) is None):
            self.out(Say(self.msg("after_end")))
        self.state.extra["after_end"] = True  # the channel keeps it on the closed conversation
        self.finish("resolved")
        return True

    # -- understanding -------------------------------------------------------------------
    def handle(self, inp: Input) -> None:
        state, flow = self.state, self.flow
        text = inp.text.strip()
        if inp.kind in ("silence", "no_match") or not text:
            state.low_confidence_turns += inp.kind == "no_match"
            return self.failed()
        self.confidence = inp.confidence if inp.kind == "speech" else 1.0
        self.low = inp.kind == "speech" and self.confidence < flow.min_confidence
        if self.ctx.channel == "sms" and opted_out(text):
            return self.finish("opted_out")
        previous, state.last_text = state.last_text, text
        self.original = text
        self.small_talk_streak = state.extra.pop("small_talk", 0)
        self.misunderstood = state.extra.pop("misunderstood", 0)
        if inp.kind != "digits" and (not state.extra.get("gist") or len(text.split()) >= 4
                                     and len(state.extra["gist"].split()) < 4):
            state.extra["gist"] = gist(text)
        if inp.kind != "digits" and not text.isdigit():
            self.heard(text)
        digits = inp.kind == "digits" or (text.isdigit() and len(text) == 1 and state.asking)
        if digits:
            return self.digits(text)
        text = flow.heard(text)  # typos and mis-hearings of the flow's own words repaired
        self.option_scores = self.similarity(self.original)
        self.scores = topic_scores(self.option_scores)
        # Escalation comes first, whatever was asked: "no, I smell gas" is not just a "no".
        # The rules' triggers, then the semantic layer's (in every state, on every turn).
        fired = phrase_triggers(flow, text)
        self.danger_text, self.danger_scores = self.undenied(text)
        if not fired:
            for trigger in semantic_triggers(flow, self.danger_scores):
                fired.append(Fired(trigger.name, trigger.bucket, trigger.skill,
                                   trigger.urgent, trigger.say))
                self.semantic_score = max(self.semantic_score or 0.0,
                                          self.danger_scores[trigger.name])
        if state.asking != "offer":
            if asked_for_human(text) or state.asking not in flow.slots and bare_request(text):
                # (a terse "someone" answering a question is an answer, not a request)
                fired.append(Fired("asked_for_human"))
            elif state.asking not in flow.slots and asks_for_person(self.scores) is not None:
                # (an answer to a question, "no, I don't have a lawyer", is not a request for
                # one: there the rules' phrases and keypad 0 still reach a person)
                fired.append(Fired("asked_for_human"))
                self.semantic_score = max(self.semantic_score or 0.0, self.scores[HUMAN])
        if frustrated(text, previous) or text != self.original and frustrated(self.original,
                                                                               previous):
            # (the words as sent too: repairing "no one answers" to the flow's "answer" must
            # not hide a customer giving up on us)
            fired.append(Fired("frustration"))
        elif state.asking not in (*flow.slots, "offer") and (
                fed_up := frustrated_by_scores(flow, self.danger_scores)) is not None:
            # (as with asking for a person: an answer to a question is judged by the question)
            fired.append(Fired("frustration"))
            self.semantic_score = max(self.semantic_score or 0.0, fed_up)
        if fired:
            self.escalating = True  # safety first: no "did you say gas?" confirmation
            self.understand(text)  # keep what they said for the person taking over
            return self.escalate(*fired)
        if state.confirming is not None and self.answer_confirmation(text):
            return None
        if state.asking == "offer" and self.answer_offer(text):
            return None
        if state.asking == "anything_else" and self.answer_anything_else(text):
            return None
        if state.asking not in flow.slots and small_talk(text) in EARLY_SMALL_TALK:
            return self.not_understood(text)  # "how are you" is no question about our hours
        asking = state.asking
        understood = self.understand(text)
        if self.pending is not None:
            return None
        if asking not in (*flow.slots, "offer") and (net := self.needs_person()) is not None:
            self.escalating = True
            return self.escalate(net)
        if not understood:
            return self.not_understood(text)
        return self.decide(text)

    def understand(self, text: str) -> bool:
        """Classify (when no bucket yet) and fill every slot the message names."""
        state, flow = self.state, self.flow
        understood = False
        if state.bucket is None or state.asking not in flow.slots:
            found = classify(flow, text, self.ctx.params)
            if self.escalating and found is not None and found[1] < FUZZY_ONLY:
                found = None  # a topic guessed from a near-miss misleads the person taking over
            if found is not None and (also := person_also_heard(flow, text, found[0])):
                found = also  # the rules heard a person's topic too: safety first
            # (the layer judges what the customer affirms: "not an emergency" is no emergency)
            scores = self.danger_scores if self.danger_text is not None else self.scores
            if found is None:  # the rules are blind here: the semantic layer, when it is clear
                near = semantic_bucket(flow, scores)
                found = (near[0], combined(None, near[1])) if near else None
            elif (person := needs_a_person(flow, found[0], scores)) is not None:
                found = person  # the rules chose a bot's bucket; the layer hears a person's
            elif (topic := better_topic(flow, found[0], scores)) is not None:
                found = topic  # the rules heard one word; the sentence says another topic
            elif found[0] in self.scores:  # both layers speak: the combined confidence
                found = (found[0], combined(found[1], self.scores[found[0]]))
            if found is not None and found[0] != state.bucket:
                bucket, score = found
                confidence = round(min(score, self.confidence), 2)
                if not self.escalating:
                    self.note_trigger()
                if self.low and state.asking == "intent" and not self.escalating:
                    self.pending = self.confirm("intent", bucket,
                                                flow.buckets[bucket].label or bucket)
                    return True
                self.set_bucket(bucket, confidence)
                understood = True
        for name, slot in flow.slots.items():
            asked = state.asking == name
            if name in state.slots and not asked:
                continue
            if self.low and not asked:
                continue
            found = self.known_order(text, asked) if slot.type == "order_number" else None
            found = found or extract(slot, text, asked=asked, today=self.ctx.now.date(),
                                     near=suggested_state(self.ctx.customer.suggested_state))
            if asked and slot.type == "choice":
                found = self.described_option(slot, found)
            if found is None:
                continue
            value, score = found
            if self.low and asked:
                if self.escalating:
                    continue
                self.pending = self.confirm(name, value, slot_text(flow, name, value))
                return True
            if asked and score < UNSURE and not self.escalating:
                # Unsure ("I think so", "Springfield"): one short check, not a guess and not
                # the whole question again.
                self.pending = self.check(slot, value)
                return True
            self.fill(name, value, score * self.confidence)
            understood = True
        return understood

    def needs_person(self) -> Fired | None:
        """The net behind every other decision (`ivr.flow.semantic.person_net`): a message
        nobody sent to a person that is far nearer the flow's `needs_a_person:` examples than
        its routine ones goes to one, at the person's label it is nearest (a trigger, a bucket
        that hands over, asking for a person), else to a person with no topic guessed. What the
        customer denies is set aside first ("nothing like that, we just grew apart")."""
        flow, state = self.flow, self.state
        bucket = flow.buckets.get(state.bucket or "")
        if bucket is not None and bucket.hands_over:
            return None  # a person's already
        scores = self.danger_scores if self.danger_text is not None else self.scores
        score = person_net(flow, scores)
        if score is None:
            return None
        self.semantic_score = max(self.semantic_score or 0.0, score)
        target = person_target(flow, scores)
        trigger = next((t for t in flow.triggers if t.name == target), None)
        if trigger is not None:
            return Fired(trigger.name, trigger.bucket, trigger.skill, trigger.urgent, trigger.say)
        if target in flow.buckets:
            chosen = flow.buckets[target]
            return Fired(chosen.reason or target, target, chosen.skill, chosen.urgent)
        return Fired(target if target in (HUMAN, FRUSTRATION) else PERSON)

    def known_order(self, text: str, asked: bool) -> tuple[str, float] | None:
        """An id from the business's own customers file, as the file writes it: whatever its
        shape, so a shop whose ids are four digits is understood as well as "FG-10231"."""
        order = named_order(self.original or text, self.ctx.orders(), asked)
        return (order.order_id, 1.0) if order is not None else None

    def described_option(self, slot: Slot, found: tuple[Any, float] | None
                         ) -> tuple[Any, float] | None:
        """A choice answer that describes an option without naming it ("their dad hasn't paid a
        cent since June"): the synonyms first (one said outright is kept), then the option
        whose `examples:` the answer is nearest, when the semantic layer hears one; a fuzzy
        near-miss of a synonym gives way to it. Held at `OPTION_UNSURE` when another option is
        close, so the customer is asked "Just to check: is this about child support?"."""
        if found is not None and found[1] >= 1.0:
            return found
        heard = semantic_option(slot, self.option_scores)
        if heard is None:
            return found
        if found is not None and found[0] == heard[0]:
            return found[0], max(found[1], heard[1])
        return heard

    def check(self, slot: Slot, value: Any) -> Ask:
        """One short question about an unsure answer: the slot's own `check:` words, else for
        an option "is this about child support?", else the value as a person would say it."""
        template = "check_option" if slot.type == "choice" and not slot.said_back(value) else (
            "check")
        return self.confirm(slot.name, value, self.said_back(slot, value), template)

    def said_back(self, slot: Slot, value: Any) -> str:
        """How an unsure value is checked: the slot's own words, else the value as a person
        would say it ("you don't have a lawyer on this yet", "Missouri")."""
        return slot.said_back(value) or slot_text(self.flow, slot.name, value)

    def undenied(self, text: str) -> tuple[str, dict[str, float]]:
        """The message without what the customer denies, and its scores, for the danger checks.

        "Not an emergency and nobody's in danger" is close to the emergency examples word for
        word; what is left once the denials are set aside ("") is not. Only a message that
        denies something costs a second look by the semantic layer."""
        words = self.flow.trigger_words
        denied = denied_words(padded(text), words)
        # Only a denied danger is set aside: "he says I'll never see my kids again" keeps
        # every score it had.
        if not denies_danger(denied, self.flow.trigger_keys):
            return self.original or text, self.scores
        rest = undenied(padded(text), words)
        return rest, topic_scores(self.similarity(rest))

    def similarity(self, text: str) -> dict[str, float]:
        """The semantic layer's scores for this message, or {} (no layer, keypad digits, a short
        answer, small talk or thanks: the rules and the question asked decide those)."""
        similar = self.ctx.similar
        if similar is None or not enough_words(text) or courtesy(text) or small_talk(text):
            return {}
        return {label: float(score) for label, score in similar(text).items()}

    def digits(self, text: str) -> None:
        state, flow = self.state, self.flow
        if text == "0":
            return self.escalate(Fired("asked_for_human"))
        if state.confirming is not None:
            if text in ("1", "2"):
                self.answer_confirmation("yes" if text == "1" else "no")
                return None
            return self.failed()
        question = state.asking
        if question == "intent":
            picked = next((c.value for c in flow.menu if c.digit == text), None)
            if picked is None:
                return self.failed()
            self.set_bucket(picked, 1.0)
            return self.decide(text)
        if question == "offer":
            return self.answer_offer(text) or self.failed()
        if question == "anything_else":
            return self.answer_anything_else("yes" if text == "1" else "no")
        slot = flow.slots.get(question or "")
        value = from_digits(slot, text) if slot else None
        if slot is None or value is None:
            return self.failed()
        self.fill(slot.name, value, 1.0)
        return self.decide(text)

    def answer_confirmation(self, text: str) -> bool:
        """Handle a reply to "I heard X, is that right?"; False if it was about something else."""
        state, flow = self.state, self.flow
        question, value = state.asking or "", state.confirming
        slot = flow.slots.get(question)
        other = extract(slot, text, asked=True, today=self.ctx.now.date(),
                        near=suggested_state(self.ctx.customer.suggested_state)) if slot else None
        if other is not None and other[0] != value and not _opens_with_yes(text):
            state.confirming = None
            state.extra.pop("suggesting", None)
            if slot is not None and other[1] < UNSURE:  # "no, Springfield": which one?
                self.pending = self.check(slot, other[0])
                return True
            self.fill(question, other[0], other[1] * self.confidence)
            self.decide(text)
            return True
        answer = yes_or_no(text)
        if other is not None and other[0] == value and other[1] >= UNSURE and not self.low:
            answer = True  # naming what was proposed confirms it ("N. Texas" to "Texas?"),
            # unless the recogniser itself was unsure of the words: then "I heard Texas?" first
        state.confirming = None
        if answer is True:
            if question == "intent":
                self.set_bucket(str(value), max(self.confidence, flow.min_confidence))
            else:
                self.fill(question, value, max(self.confidence, flow.min_confidence))
            self.decide(text)
            return True
        if answer is False:
            if state.extra.pop("suggesting", None):
                state.extra["suggestion_declined"] = True
                self.out(ask(flow, state, self.ctx, question))
            else:
                self.failed()
            return True
        return False

    def answer_offer(self, text: str) -> bool:
        """"Talk to someone now, get a call back, or no thanks?" False: not an answer."""
        choice = next((c.value for c in self.flow.choices_for("offer") if c.digit == text), None)
        if choice is None:
            found = match_option(OFFER_OPTIONS, text, asked=True)
            yes = yes_or_no(text)
            choice = found[0] if found else ("now" if yes else "no" if yes is False else None)
        if choice is None:
            return False
        self.state.asking = None
        if choice == "now":
            self.escalate(Fired("asked_for_human"), outcome="transferred")
        elif choice == "callback":
            self.follow_up("callback", outcome="qualified")
        else:
            self.out(Say(self.msg("goodbye")))
            self.finish("resolved")
        return True

    def answer_anything_else(self, text: str) -> bool:
        answer = yes_or_no(text)
        if answer is False or courtesy(text):
            self.out(Say(self.msg("goodbye")))
            self.finish("resolved")
            return True
        self.state.bucket = self.state.route = None
        self.state.asking = "intent"
        if answer is True and len(text.split()) <= 3:
            self.out(ask(self.flow, self.state, self.ctx, "intent", text=self.msg("what_else")))
            return True
        return False


def _opens_with_yes(text: str) -> bool:
    """Whether a reply to "is it X?" opens with a yes ("yes, Killeen", "that's right"): a yes
    word later on is something else, "Muskogee OK" is Oklahoma's code, not an okay."""
    words = normalize(text).split()
    return any(" ".join(words[:size]) in YES for size in (1, 2, 3))
