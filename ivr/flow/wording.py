"""The words of each question: templated prompts, keypad menus per channel, callback times.

Kept apart from the engine's decisions so wording can change without touching the logic: the
engine decides *that* it asks for the budget with a keypad menu; this module says it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ivr.flow.actions import Ask, Choice
from ivr.flow.context import Context
from ivr.flow.expr import render, spoken_list
from ivr.flow.hours import describe_opening
from ivr.flow.model import Flow
from ivr.flow.places import state_name
from ivr.flow.state import State

#: Weekdays in Spanish, Monday first.
DIAS = ("el lunes", "el martes", "el miércoles", "el jueves", "el viernes", "el sábado",
        "el domingo")


def part_of_day(hour: int) -> str:
    """The Spanish words after a clock time for `hour` (0-23): "de la mañana", "de la tarde"."""
    if hour < 12:
        return "de la mañana"
    if hour == 12:
        return "del mediodía"
    return "de la tarde" if hour < 20 else "de la noche"


def opening_text(now: datetime, opening: datetime | None, language: str = "en") -> str:
    """"Monday after 8:30 AM", "tomorrow after 9:00 AM", in the business's timezone; in
    Spanish "el lunes después de las 8:30 de la mañana", "mañana después de las 2:00 de la
    tarde"."""
    if opening is None:
        return "lo antes posible" if language == "es" else "as soon as we can"
    if language == "es":
        when = opening.astimezone(opening.tzinfo or now.tzinfo)
        days = (when.date() - now.astimezone(when.tzinfo).date()).days
        hour = when.hour % 12 or 12
        # "de la mañana", not "a. m.": the abbreviation's period doubled the sentence's own
        # ("le llamaremos mañana después de las 9:00 a. m..")
        clock = f"{hour}:{when.minute:02d} {part_of_day(when.hour)}"
        at = f"después de la {clock}" if hour == 1 else f"después de las {clock}"
        if days <= 0:
            return f"hoy {at}"
        if days == 1:
            return f"mañana {at}"
        return f"{DIAS[when.weekday()]} {at}" if days < 7 else \
            f"{DIAS[when.weekday()]} {when.day}/{when.month} {at}"
    return describe_opening(opening, now, opening.tzinfo or now.tzinfo)  # type: ignore[arg-type]


def scopes(state: State, ctx: Context) -> dict[str, Any]:
    """Everything templates and predicates may read, by name."""
    customer = ctx.customer
    served = ctx.params.get("jurisdictions") or []
    return {
        "slots": state.slots,
        # the hours in words come from `hours:` unless the business words them itself
        "params": ({"hours_text": ctx.hours_text, **ctx.params} if ctx.hours_text
                   else ctx.params),
        "customer": {"phone": customer.phone, "name": customer.name,
                     "purchases": customer.purchases},
        "order": state.extra.get("order") or {},
        "business": ctx.business_name,
        "next_opening": opening_text(ctx.now, ctx.next_opening, state.language),
        "jurisdiction_names": spoken_list([state_name(s) for s in served]) or (
            "nuestra área" if state.language == "es" else "our area"),
    }


def say(flow: Flow, state: State, ctx: Context, template: str, /, **extra: Any) -> str:
    """Render a template against the conversation."""
    return render(template, {**scopes(state, ctx), **extra}).strip()


def message(flow: Flow, state: State, ctx: Context, key: str, /, **extra: Any) -> str:
    """Render one of the flow's `messages:` (or its built-in default) by key."""
    return say(flow, state, ctx, flow.message(key), **extra)


def menu_prompt(choices: tuple[Choice, ...], channel: str, intro: str,
                language: str = "en") -> str:
    """A keypad menu read out ("For divorce, press 1.") or texted ("1 divorce")."""
    if language == "es":
        if channel == "sms":
            return (intro + " " + ", ".join(f"{c.digit} para {c.label}" for c in choices)
                    + " o 0 para hablar con una persona.")
        spoken = " ".join(f"Para {c.label}, oprima {c.digit}." for c in choices)
        return f"{intro} {spoken} Para hablar con una persona, oprima 0."
    if channel == "sms":  # a person is always on offer too (issue 16: two misses, a person)
        return (intro + " " + ", ".join(f"{c.digit} for {c.label}" for c in choices)
                + ", or 0 to talk to a person.")
    spoken = " ".join(f"For {c.label}, press {c.digit}." for c in choices)
    return f"{intro} {spoken} To reach a person, press 0."


def ask(flow: Flow, state: State, ctx: Context, question: str, *, reprompt: bool = False,
        menu: bool = False, prefix: str = "", text: str | None = None) -> Ask:
    """The Ask for `question` ("intent", a slot, "offer", "anything_else"); counts the turn.

    `text` replaces the question's usual wording; `prefix` goes before it (a greeting).
    """
    choices = flow.choices_for(question)
    grammar: tuple[str, ...] = ()
    if question == "intent":
        prompt = flow.reprompt if reprompt else flow.ask
        grammar = flow.intent_grammar
    elif question in flow.slots:
        slot = flow.slots[question]
        prompt = (slot.reprompt or slot.prompt) if reprompt else slot.prompt
        grammar = slot.grammar
    else:
        prompt = flow.message(question)
        grammar = tuple(c.label for c in choices) + ("yes", "no")
    prompt = say(flow, state, ctx, prompt if text is None else text)
    if menu and choices:
        intro = flow.message("menu_sms" if ctx.channel == "sms" else "menu_voice")
        prompt = menu_prompt(choices, ctx.channel, say(flow, state, ctx, intro), state.language)
    elif menu and ctx.channel == "voice":
        prompt += (" O oprima 0 para hablar con una persona." if state.language == "es"
                   else " Or press 0 to reach a person.")
    state.asking = question
    state.turn += 1
    return Ask(slot=question, prompt=f"{prefix} {prompt}".strip(), choices=choices,
               grammar=grammar, menu=menu)


def confirm(flow: Flow, state: State, ctx: Context, question: str, value: Any, shown: str,
            template: str = "heard", prefix: str = "") -> Ask:
    """A yes/no check before using what was heard ("I heard Texas. Is that right?")."""
    prompt = message(flow, state, ctx, template, value=shown, state=shown)
    state.asking = question
    state.confirming = value
    state.turn += 1
    return Ask(slot=question, prompt=f"{prefix} {prompt}".strip(),
               choices=flow.choices_for("confirm"), grammar=("yes", "no", "yeah", "nope"),
               confirm=str(value))
