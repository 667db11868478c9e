"""Escalation triggers and qualification rules: when a person must take over, and who qualifies.

Escalation is the architecture, not an option: health and safety words, emergencies, asking for
a person and frustration are checked on every message before anything else happens. Predicate
triggers (`order.total > params.order_threshold`) are checked whenever the facts they read change.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from ivr.flow.expr import evaluate, parse_predicate
from ivr.flow.model import Flow, Rule, Trigger
from ivr.flow.negation import deny
from ivr.flow.phrasing import mask, padded
from ivr.flow.text import find_phrases, normalize

#: Ways people ask for a human (the built-in `asked_for_human` trigger).
HUMAN_PHRASES = (
    "talk to a person", "speak to a person", "talk to someone", "speak to someone",
    "speak with someone", "talk with someone", "real person", "a human", "human being",
    "live person", "representative", "operator", "an agent", "real agent", "customer service",
    "talk to a lawyer", "speak to a lawyer", "speak with a lawyer", "talk to an attorney",
    "speak to an attorney", "talk to a manager", "speak to a manager", "person please",
    "someone on the phone", "connect me", "transfer me", "put me through", "call me back",
    "someone call me", "somebody call me", "someone to call me", "have someone call",
    "phone me", "ring me", "give me a ring", "flesh and blood", "by voice",
    "lawyer on the line", "attorney on the line", "someone on the line", "somebody on the line",
    "real phone", "actual person", "actual human", "real lawyer", "real attorney",
    "actual lawyer", "actual attorney", "someone real", "somebody real", "live agent", "not a bot", "not a robot", "no bots",
    "don't want a bot", "do not want a bot", "don't want a robot", "not a machine",
    *(  # the same in Spanish, as Texas customers text it (accents optional: text is folded)
        "operador", "operadora", "hablar con una persona", "hablar con alguien", "persona real",
        "persona de verdad", "alguien de verdad", "un humano", "con un humano",
        "una persona por favor", "un agente", "una agente", "una representante",
        "no quiero un robot", "no quiero una maquina",
        "llamenme", "llameme", "llamame", "me puede llamar", "me pueden llamar",
        "me puedes llamar", "que me llame alguien", "que alguien me llame", "me puede marcar", "que me marque",
        "me pueden marcar", "marquenme", "comuniqueme con", "comunicame con", "pasame con",
        "paseme con", "me pasas con", "me pasa con", "hablar con el dueno",
        "hablar con un abogado", "hablar con una abogada", "hablar con un tecnico",
        "un representante", "alguien que me atienda", "alguien que me pueda atender",
    ),
)
#: A terse request for a person ("human please", "agent", "call me"): what is left of a short
#: message once the filler words are set aside (`bare_request`). Lawyer and attorney are not
#: here: alone they name a new legal matter as often as a person.
BARE_REQUESTS = {
    "human", "humans", "agent", "agents", "person", "operator", "representative", "rep",
    "someone", "somebody", "manager", "supervisor", "staff", "owner",
    "customer service", "customer support", "call", "call me", "phone call",
    "live chat", "people", "employee",
    # Spanish: "operadora", "una persona por favor", "pasame con alguien"
    "operadora", "operador", "persona", "humano", "agente", "representante", "alguien",
    "gerente", "encargado", "encargada", "llamenme", "llamame", "live person",
}
#: The bare requests that ask for a person even in answer to a question ("agent", "a person",
#: "operator please"); the others ("call me", "someone", "the owner") may answer it.
UNMISTAKABLE_REQUESTS = frozenset({
    "human", "humans", "agent", "agents", "person", "live person", "operator", "representative",
    "agente", "representante", "persona", "humano", "operador", "operadora",
})
FILLER = {"please", "pls", "plz", "a", "an", "the", "i", "id", "want", "need", "get", "me",
          "give", "now", "can", "talk", "to", "speak", "with", "just", "let", "like", "would",
          "you", "your", "one", "of", "yes", "ok", "okay", "hi", "hello", "hey", "asap",
          "thanks", "thank", "be", "is", "are", "any", "some", "no", "bot", "bots",
          "robot", "robots", "not",
          "por", "favor", "porfa", "un", "una", "con", "quiero", "hablar", "pasame",
          "necesito", "real", "hola", "ya", "otra", "otro", "puede", "pueden"}
#: Frustration: giving up on the bot, or swearing at it.
FRUSTRATION_PHRASES = (
    "this is useless", "useless", "not helping", "not helpful", "you are not listening",
    "stupid bot", "stupid machine", "stupid robot", "dumb bot", "waste of time", "ridiculous",
    "are you even listening", "i already told you", "i just told you", "for the last time",
    "this is stupid", "this is ridiculous", "forget it", "so annoying",
    # (annoyed with us or the bot; "my ex is annoying" is about the ex, not frustration)
    "this is annoying", "you are annoying", "bot is annoying", "how annoying",
    "annoying bot", "really annoying", "very annoying",
    "i am done", "fed up", "had enough", "so over this", "sick and tired", "unacceptable",
    "nobody calls back", "no one calls back", "nobody gets back", "never called back",
    "worst service", "terrible customer service", "losing my patience", "pointless",
    "passed around", "runaround", "run around", "bounced around",
    # disappointment said with weight is a complaint ("really disappointed with my delivery")
    "really disappointed", "so disappointed", "very disappointed", "extremely disappointed",
    "deeply disappointed", "beyond disappointed", "super disappointed",
    *(  # in Spanish
        "estoy harto", "estoy harta", "ya me harte", "me tienen harto", "me tienen harta",
        "que mal servicio", "pesimo servicio", "pesima atencion", "ya me canse", "que fastidio", "es una burla", "nadie me contesta", "nadie me regresa",
        "nadie me responde", "muy decepcionado", "muy decepcionada", "que decepcion",
    ),
)
#: Earlier contact that went unanswered or had to be repeated: "I emailed twice and heard nothing
#: back", "this is my fourth time reaching out", "ya les escribi tres correos y nadie contesta".
#: A customer who already tried us elsewhere is past what a bot should answer, in any business.
#: (Normalised text: digits kept, accents folded.)
_CONTACTED = (r"(emailed|e mailed|called|phoned|messaged|texted|wrote|written|writing|reached out|"
              r"reaching out|contacted|left (a )?(voicemail|message)s?|dm ?e?d|asked|"
              r"escribi|llame|marque|mande (un )?(correo|mensaje)s?|"
              # the Spanish present counts too: "ya van 3 veces que les escribo"
              r"(que|les|le) (llamo|escribo|marco|hablo))")
_TIMES = (r"(twice|2x|\d+ times|(two|three|four|five|several|multiple|many) times|"
          r"(second|third|fourth|fifth|\d+(st|nd|rd|th)) time|(dos|tres|cuatro|cinco|varias|muchas|\d+) veces|(segunda|tercera|cuarta|quinta) vez|"
          r"(\d+|two|three|four|five|several|multiple) (emails|e mails|messages|calls|voicemails|texts|dms)|"
          r"(tres|cuatro|varios|\d+) (correos|mensajes))")
UNANSWERED_CONTACT = re.compile(
    rf"\b{_CONTACTED}\b.{{0,40}}\b{_TIMES}\b|\b{_TIMES}\b.{{0,30}}\b{_CONTACTED}\b|"
    r"\b(heard nothing back|never heard back|not heard back|have not heard back|"
    r"(got|had|get|getting|received) no (reply|response|answer)|no (reply|response) (from|yet)|"
    r"no answer from|nobody (ever )?(got|gets|has gotten) back|no one (ever )?(got|gets|has gotten) back|"
    r"(nobody|no one) (has |ever )?(answered|replied|responded)|"
    r"(nobody|no one) (ever )?(answers|replies|responds)( to)?( me| my \w+)?\s*$|"
    r"still waiting (on|for) (an|a) (answer|reply|response)|"
    r"(you|you guys|y all|your (team|staff|support|company|store|shop)) (keep |kept |have been |are |been )?ignor(e|es|ed|ing)|"
    r"me (siguen |estan )?ignorando|me ignoran|"
    r"nadie (me )?(contesta|responde)|esperando (a )?que me (respondan|contesten)|"
    r"esperando (una )?respuesta|no me (han )?(contestado|respondido)|sin respuesta)\b")
PROFANITY = re.compile(r"\b(damn|dammit|hell|crap|shit\w*|bullshit|fuck\w*|wtf|bs|ass|asshole|"
                       r"bitch\w*|piss(ed)?|pinche|chingad\w*|mierda|pendej\w*|carajo)\b")
STOP_WORDS = {"stop", "stopall", "unsubscribe", "cancel", "end", "quit", "opt out"}


@dataclass(frozen=True)
class Fired:
    """A trigger that fired: its reason and where it sends the conversation."""

    reason: str
    bucket: str | None = None
    skill: str | None = None
    urgent: bool = False
    say: str = ""


def _from(trigger: Trigger) -> Fired:
    return Fired(trigger.name, trigger.bucket, trigger.skill, trigger.urgent, trigger.say)


def phrase_triggers(flow: Flow, text: str) -> list[Fired]:
    """Triggers whose phrases, word pairs or patterns occur in the message, most urgent first.

    A trigger's `ignore:` phrases are blanked out first ("sick of waiting" is not "sick").
    """
    message = padded(text)
    fired = [_from(t) for t in flow.triggers if _matches(t, message)]
    return sorted(fired, key=lambda f: not f.urgent)


def urgent_reason(flow: Flow, bucket: str | None, text: str) -> str | None:
    """The reason `text` makes `bucket` urgent (its `urgent_if:`), or None."""
    found = flow.buckets.get(bucket or "")
    if found is None or found.urgent_if is None:
        return None
    return found.urgent_if.name if _matches(found.urgent_if, padded(text)) else None


def trigger_words(trigger: Trigger) -> tuple[str, ...]:
    """Every phrase a trigger reads (its phrases and its pairs' groups), normalised."""
    return trigger.words


def _matches(trigger: Trigger, message: str) -> bool:
    """Whether a trigger's words are in the message, outside its `ignore:` phrases and outside
    what the customer denies ("not an emergency", "nobody is hurt": see negation.py)."""
    if not (trigger.keys or trigger.pairs or trigger.patterns):
        return False
    message = deny(message, trigger_words(trigger))  # before `ignore:` blanks "no smoke"'s "no"
    if trigger.ignore:
        message = mask(message, trigger.ignore)
    if any(f" {p} " in message for p in trigger.keys):
        return True
    if any(pair.score(message) for pair in trigger.pairs):
        return True
    low = message.replace(" | ", " ").strip()
    return any(p.search(low) for p in trigger.patterns)


def predicate_triggers(flow: Flow, scopes: Mapping[str, Mapping[str, Any]]) -> list[Fired]:
    """Triggers whose `when:` holds over what is known now."""
    return [_from(t) for t in flow.triggers
            if t.when and evaluate(parse_predicate(t.when), scopes) is True]


def asked_for_human(text: str) -> bool:
    """"Can I talk to a real person?" (keypad 0 is handled by the engine)."""
    return bare_request(text, UNMISTAKABLE_REQUESTS) or bool(find_phrases(text, HUMAN_PHRASES))


def bare_request(text: str, requests: Collection[str] = BARE_REQUESTS) -> bool:
    """A short message that is nothing but a request for a person, whatever the filler:
    "human please", "AGENT", "can I get a rep", "call me", "no bots. a person"."""
    words = [w for w in normalize(text).split() if w not in FILLER]
    return 0 < len(words) <= 2 and " ".join(words) in requests


def frustrated(text: str, previous: str) -> bool:
    """Swearing, giving up on the bot, earlier contact left unanswered or repeated
    (`UNANSWERED_CONTACT`), or sending the same message twice in a row."""
    low = normalize(text)
    if PROFANITY.search(low) or find_phrases(low, FRUSTRATION_PHRASES):
        return True
    if UNANSWERED_CONTACT.search(low):
        return True
    return len(low.split()) >= 3 and low == normalize(previous)


def opted_out(text: str) -> bool:
    """An SMS STOP (carriers handle the block; the conversation just ends).

    Only the words alone, any case, surrounding whitespace ignored — as Twilio matches them:
    "STOP!" is not blocked by the carrier, so it must not end the conversation here either.
    """
    return text.strip().lower() in STOP_WORDS


def failed_rule(rules: tuple[Rule, ...], scopes: Mapping[str, Mapping[str, Any]]) -> Rule | None:
    """The first qualification rule that is known to fail (rules with unknown slots wait)."""
    for rule in rules:
        if evaluate(parse_predicate(rule.when), scopes) is False:
            return rule
    return None
