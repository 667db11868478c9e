"""A loaded flow: buckets, slots, triggers and rules as frozen dataclasses.

The YAML (see flows/README.md) is parsed and validated by `ivr.flow.loader`; the engine only
ever sees these types, so a flow that loaded is a flow the engine can run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from ivr.flow.actions import Choice
from ivr.flow.phrasing import Pair
from ivr.flow.spelling import Speller

Route = Literal["bot_only", "bot_first", "human"]
ROUTES: tuple[str, ...] = ("bot_only", "bot_first", "human")
SLOT_TYPES: tuple[str, ...] = ("choice", "state", "money", "timeline", "yesno", "text",
                               "order_number")
AFTER_HOURS: tuple[str, ...] = ("answer", "queue", "transfer")


@dataclass(frozen=True)
class Option:
    """One value a choice slot can take, with the words that mean it and its keypad digit.

    `examples` are whole sentences a customer might answer with when they describe the option
    without naming it ("their dad hasn't paid a cent for the kids since June" for child
    support): the semantic layer scores an answer against them when the synonyms find nothing
    (`ivr.flow.semantic.semantic_option`)."""

    value: str
    label: str
    digit: str = ""
    synonyms: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    @cached_property
    def phrases(self) -> tuple[str, ...]:
        """Every phrase that names this option (value, label and synonyms); built once per
        loaded flow (every choice answer tries every option's phrases)."""
        return tuple(dict.fromkeys((self.value.replace("_", " "), self.label, *self.synonyms)))


@dataclass(frozen=True)
class Slot:
    """A fact the flow collects.

    Attributes:
        name: the slot name (API vocabulary, e.g. `budget`).
        type: one of SLOT_TYPES; picks the extractor.
        prompt: the question; reprompt: the second try, with an example answer.
        options: for choice slots the values; for any slot, keypad menu entries.
        label: how the summary names the slot ("budget").
        pattern: order_number/text: a regex whose first group (or match) is the value.
        yes_phrases/no_phrases: yesno slots: phrases that answer it even when not asked
            ("no lawyer yet" fills representation=no in a one-message intake).
        unprompted: whether the slot may be filled from a message that did not ask for it.
        check: how to say a value back when the answer was unsure ({"no": "you don't have a
            lawyer yet"}: "Just to check: you don't have a lawyer yet?").
    """

    name: str
    type: str
    prompt: str
    reprompt: str = ""
    options: tuple[Option, ...] = ()
    label: str = ""
    pattern: re.Pattern[str] | None = None
    yes_phrases: tuple[str, ...] = ()
    no_phrases: tuple[str, ...] = ()
    unprompted: bool = True
    check: tuple[tuple[str, str], ...] = ()

    def said_back(self, value: object) -> str | None:
        """The slot's `check:` phrase for `value`, or None."""
        return dict(self.check).get(str(value).lower())

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The keypad menu for this question (digit, label, value)."""
        if self.options:
            return tuple(Choice(o.digit, o.label, o.value) for o in self.options if o.digit)
        if self.type == "yesno":
            return (Choice("1", "yes", "yes"), Choice("2", "no", "no"))
        return ()

    @property
    def grammar(self) -> tuple[str, ...]:
        """Phrases a recogniser may constrain itself to when this slot is asked."""
        words: list[str] = []
        for option in self.options:
            words.extend(option.phrases)
        if self.type == "yesno":
            words.extend(("yes", "no", "yeah", "nope", "not yet", *self.yes_phrases,
                          *self.no_phrases))
        return tuple(dict.fromkeys(w.lower() for w in words))


@dataclass(frozen=True)
class Rule:
    """A qualification rule: `when` must hold once its slots are known, else `decline`."""

    name: str
    when: str
    decline: str
    line: int = 0


@dataclass(frozen=True)
class Trigger:
    """An escalation trigger: phrases/patterns in a message, or a predicate over known facts.

    Attributes:
        name: recorded in state.reasons (e.g. "health_safety").
        phrases / patterns: match the customer's words (patterns are compiled regexes).
        when: a predicate (`order.total > params.order_threshold`) instead of words.
        bucket: the bucket the conversation moves to when this fires (optional).
        skill: staff skill to reach (default: the bucket's, else the flow's).
        urgent: ring on-call now, even after hours.
        say: what the customer hears before the handoff (templated).
        pairs: word-pair rules (see `ivr.flow.phrasing`): "no heat" + "newborn".
        ignore: phrases that must not fire it ("sick of waiting", "burnt orange").
        keys: `phrases` normalised once at load, for matching.
        examples: natural sentences that mean this trigger, for the semantic layer.
    """

    name: str
    phrases: tuple[str, ...] = ()
    patterns: tuple[re.Pattern[str], ...] = ()
    when: str = ""
    bucket: str | None = None
    skill: str | None = None
    urgent: bool = False
    say: str = ""
    pairs: tuple[Pair, ...] = ()
    ignore: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Every phrase the trigger reads (its phrases and its pairs' groups), normalised;
        built once per loaded flow: every message is checked against every trigger."""
        return (*self.keys, *(p for pair in self.pairs for group in pair.groups for p in group))


@dataclass(frozen=True)
class Bucket:
    """One kind of conversation (from the 11-bucket mapping) and how it is handled.

    Attributes:
        route: bot_only (the bot answers), bot_first (bot collects, a human is offered),
            human (a person takes it).
        skill: the staff skill that handles it.
        phrases: words that put a message in this bucket.
        digit/label: its entry in the opening keypad menu.
        slots: slots to collect, in order, before finishing.
        answer: what the bot says (templated from params/slots/order).
        qualify: rules that must all hold before a human is involved.
        after_hours: answer, queue (capture for the morning) or transfer (on-call now).
        urgent: transfers are urgent (emergencies).
        reason: the escalation reason recorded when this bucket goes to a human.
        lookup: "order" to look the customer's order up before answering.
        faq: a params key holding [{keywords, answer}] entries to answer from.
        pairs / ignore / keys: as on `Trigger`, for choosing this bucket.
        places: a params key listing towns served; a named town gets a yes or a kind no.
        urgent_if: words that make this bucket urgent for this message (its `name` is the
            reason recorded): "furnace" + "stopped working" is urgent, "loud noise" is not.
        examples: natural sentences that belong in this bucket, for the semantic layer.
    """

    name: str
    route: str
    skill: str
    phrases: tuple[str, ...] = ()
    digit: str = ""
    label: str = ""
    slots: tuple[str, ...] = ()
    answer: str = ""
    qualify: tuple[Rule, ...] = ()
    after_hours: str = "queue"
    urgent: bool = False
    reason: str = ""
    lookup: str = ""
    faq: str = ""
    pairs: tuple[Pair, ...] = ()
    ignore: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    places: str = ""
    urgent_if: Trigger | None = None
    examples: tuple[str, ...] = ()

    @property
    def hands_over(self) -> bool:
        """Whether a message placed here reaches a person at once: a `human` route with
        nothing for the bot to qualify first (a law firm's new matter is `human` but qualified
        by the bot, so it reaches nobody yet)."""
        return self.route == "human" and not self.qualify

    @cached_property
    def words(self) -> tuple[str, ...]:
        """Every phrase the bucket reads (its phrases and its pairs' groups), normalised; built
        once per loaded flow, not on every turn that reads it."""
        return (*self.keys, *(p for pair in self.pairs for group in pair.groups for p in group))


@dataclass(frozen=True)
class Text:
    """One customer-facing text of a flow file: what it is, its line, its languages."""

    what: str
    line: int
    languages: tuple[str, ...]
    #: Nothing but a business's own words (`"{params.quote_text}"`): written by the business
    #: in its params, so the flow has nothing to translate.
    neutral: bool = False


@dataclass(frozen=True)
class Flow:
    """An industry template: what a business's front desk asks, answers and escalates.

    Attributes:
        name: the flow's name (`law_firm`).
        greeting: first words, naming the business and that this is a virtual assistant.
        ask: the opening question; reprompt: its second try.
        messages: the flow's other wording (handoff, decline, goodbye, ...), templated.
        default_bucket: the bucket for messages that fill slots but name no bucket.
        skill: the staff skill for escalations with no better one.
        min_confidence: speech below this is confirmed before it is used.
        vocabulary: named phrase sets that `pairs:` combine.
        speller: repairs typos towards the flow's own words (None: no repair).
        human_examples: the flow's own wordings of asking for a person (`asked_for_human:`),
            added to the built-in ones every flow has (`ivr.flow.semantic`).
        person_examples, routine_examples: `needs_a_person: {examples, not}`: messages that
            need a person whatever their topic, and routine ones that do not; the semantic
            layer's net hands over a message far nearer the first than the second
            (`ivr.flow.semantic.person_net`).
    """

    name: str
    greeting: str
    ask: str
    reprompt: str
    buckets: dict[str, Bucket]
    slots: dict[str, Slot]
    triggers: tuple[Trigger, ...] = ()
    messages: dict[str, str] = field(default_factory=dict)
    default_bucket: str | None = None
    skill: str = "intake"
    min_confidence: float = 0.6
    source: str = ""
    vocabulary: dict[str, tuple[str, ...]] = field(default_factory=dict)
    speller: Speller | None = field(default=None, compare=False, repr=False)
    fuzzy: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = field(
        default_factory=dict, compare=False, repr=False)  # see intent.fuzzy_index
    human_examples: tuple[str, ...] = ()
    person_examples: tuple[str, ...] = ()
    routine_examples: tuple[str, ...] = ()
    #: The language of this flow's words ("en"); `translations` holds the flow in every
    #: language its file writes (this one included), `texts` each text and its languages.
    language: str = "en"
    translations: dict[str, Flow] = field(default_factory=dict, compare=False, repr=False)
    texts: list[Text] = field(default_factory=list, compare=False, repr=False)

    def in_language(self, language: str) -> Flow:
        """This flow with `language`'s words (the rules are the same), else as it is."""
        return self.translations.get(language, self)

    @property
    def staff(self) -> Flow:
        """The flow in the business's language (English), in which staff read summaries."""
        return self.translations.get("en", self)

    def missing(self, language: str) -> list[Text]:
        """Texts with no version in `language` (they would be said in English)."""
        return [t for t in self.texts if language not in t.languages and not t.neutral]

    @cached_property
    def intent_grammar(self) -> tuple[str, ...]:
        """What a recogniser listens for at the opening question: every bucket phrase and every
        word of the vocabulary sets (so "furnace ... loud noise" can be heard), plus alarms."""
        words = [p for b in self.buckets.values() for p in (*b.phrases, *b.keys)]
        words += [p for group in self.vocabulary.values() for p in group]
        return tuple(dict.fromkeys(w.lower() for w in (*words, *self.alarm_grammar)))

    @cached_property
    def trigger_words(self) -> tuple[str, ...]:
        """Every trigger's words (`Trigger.words`), in order: what a message's denials are
        read against (`ivr.flow.negation`), once per loaded flow rather than once a turn."""
        return tuple(w for t in self.triggers for w in t.words)

    @cached_property
    def trigger_keys(self) -> tuple[str, ...]:
        """Every trigger's phrases (normalised), in order: the dangers a denial may set aside."""
        return tuple(k for t in self.triggers for k in t.keys)

    @cached_property
    def alarm_grammar(self) -> tuple[str, ...]:
        """Trigger phrases: the opening question must be able to hear "I smell gas". (Not added
        to a slot's short grammar, where "fire" would be one slip from "five".)"""
        words = [p for t in self.triggers for p in t.keys]
        words += [p for t in self.triggers for pair in t.pairs for g in pair.groups for p in g]
        return tuple(dict.fromkeys(w for w in words if not w.startswith("@")))

    def heard(self, text: str) -> str:
        """`text` with typos and mis-hearings of the flow's own words repaired."""
        return self.speller.correct(text) if self.speller else text

    def skill_for(self, bucket: str | None) -> str:
        """The staff skill that handles `bucket` (the flow's default for None or unknown)."""
        found = self.buckets.get(bucket or "")
        return found.skill if found else self.skill

    def route_for(self, bucket: str | None) -> str | None:
        found = self.buckets.get(bucket or "")
        return found.route if found else None

    @property
    def menu(self) -> tuple[Choice, ...]:
        """The opening keypad menu: buckets that carry a digit, by digit."""
        entries = [Choice(b.digit, b.label or b.name.replace("_", " "), b.name)
                   for b in self.buckets.values() if b.digit]
        return tuple(sorted(entries, key=lambda c: c.digit))

    def choices_for(self, question: str | None) -> tuple[Choice, ...]:
        """Keypad choices for a question: "intent" (the opening menu) or a slot name."""
        if question == "intent":
            return self.menu
        spanish = self.language == "es"
        if question in ("anything_else", "confirm"):
            return (Choice("1", "sí" if spanish else "yes", "yes"), Choice("2", "no", "no"))
        if question == "offer":
            return OFFER_CHOICES_ES if spanish else OFFER_CHOICES
        slot = self.slots.get(question or "")
        return slot.choices if slot else ()

    def message(self, key: str) -> str:
        """A wording from `messages:`, falling back to the built-in default in the flow's
        language (then English)."""
        return (self.messages.get(key) or BUILT_IN.get(self.language, {}).get(key)
                or DEFAULT_MESSAGES.get(key, ""))


OFFER_CHOICES = (Choice("1", "talk to someone now", "now"),
                 Choice("2", "get a call back", "callback"),
                 Choice("3", "no thanks", "no"))
OFFER_CHOICES_ES = (Choice("1", "hablar con alguien ahora", "now"),
                    Choice("2", "que le llamemos después", "callback"),
                    Choice("3", "no, gracias", "no"))

#: Wording every flow gets unless its `messages:` says otherwise (templated, see templates.py).
DEFAULT_MESSAGES: dict[str, str] = {
    "after_hours": "Our office is closed right now, but I can still help.",
    "connect": "Thanks. I'm connecting you with someone from our team now; they'll have "
               "your details, so you won't need to repeat yourself.",
    "connect_sms": "Thanks. Someone from our team will call you in a moment; they'll have "
                   "your details.",
    "queued": "Thanks, I've passed your details to our team. We're closed right now, so we'll "
              "call you back {next_opening}.",
    "callback": "Thanks, I've passed your details to our team and someone will call you back "
                "shortly.",
    "offer": "Would you like to talk to someone now, or get a call back? Say now, call back, "
             "or no thanks.",
    "anything_else": "Is there anything else I can help you with?",
    "what_else": "Sure, what else can I help you with?",
    "goodbye": "Thanks for contacting {business}. Goodbye!",
    "welcome": "You're welcome! Thanks for contacting {business}.",
    "after_end": "You're welcome!",
    "unanswered": "I'm sorry, I don't have an answer to that yet. I've noted your question "
                  "for our team.",
    "not_found": "I couldn't find that order number.",
    "menu_voice": "Let's use the keypad.",
    "menu_sms": "Sorry, I didn't get that. Reply with a number:",
    "confirm_state": "Is it {state}?",
    "heard": "I heard {value}. Is that right?",
    "check": "Just to check: {value}?",
    "check_option": "Just to check: is this about {value}?",
    "no_more": "Okay.",
    "place_served": "Yes, we serve {place}. Our service area is {places}.",
    "place_not_served": "I'm sorry, we don't serve {place} at the moment. We serve {places}.",
    "hello": "Hello!",
    "how_are_you": "I'm doing well, thanks for asking!",
}

#: The built-in wording in Spanish (natural Latin-American Spanish, written by people; usted,
#: as a front desk speaks to a customer): what a Spanish conversation hears where its flow's
#: `messages:` say nothing.
DEFAULT_MESSAGES_ES: dict[str, str] = {
    "after_hours": "Nuestra oficina está cerrada en este momento, pero con gusto le ayudo.",
    "connect": "Gracias. Le estoy comunicando con alguien de nuestro equipo; ya tendrán sus "
               "datos, así que no tendrá que repetir nada.",
    "connect_sms": "Gracias. Alguien de nuestro equipo le llamará en un momento; ya tendrá "
                   "sus datos.",
    "queued": "Gracias, ya le pasé sus datos a nuestro equipo. En este momento estamos "
              "cerrados, así que le llamaremos {next_opening}.",
    "callback": "Gracias, ya le pasé sus datos a nuestro equipo y alguien le devolverá la "
                "llamada muy pronto.",
    "offer": "¿Quiere hablar con alguien ahora o prefiere que le llamemos después? Diga ahora, "
             "llamada después o no, gracias.",
    "anything_else": "¿Hay algo más en lo que le pueda ayudar?",
    "what_else": "Claro, ¿en qué más le puedo ayudar?",
    "goodbye": "Gracias por comunicarse con {business}. ¡Que tenga buen día!",
    "welcome": "¡Con mucho gusto! Gracias por comunicarse con {business}.",
    "after_end": "¡Con mucho gusto!",
    "unanswered": "Lo siento, todavía no tengo la respuesta a eso. Ya anoté su pregunta para "
                  "nuestro equipo.",
    "not_found": "No encontré ese número de pedido.",
    "menu_voice": "Vamos a usar el teclado.",
    "menu_sms": "Perdón, no le entendí. Responda con un número:",
    "confirm_state": "¿Es en {state}?",
    "heard": "Entendí {value}. ¿Es correcto?",
    "check_option": "Solo para confirmar: ¿se trata de {value}?",
    "no_more": "Está bien.",
    "place_served": "Sí, damos servicio en {place}. Nuestra área de servicio es {places}.",
    "place_not_served": "Lo siento, por ahora no damos servicio en {place}. Damos servicio en "
                        "{places}.",
    "hello": "¡Hola!",
    "how_are_you": "Muy bien, ¡gracias por preguntar!",
}
#: The built-in wording by language.
BUILT_IN: dict[str, dict[str, str]] = {"en": DEFAULT_MESSAGES, "es": DEFAULT_MESSAGES_ES}
