"""The flow's actions as text messages, and the keywords carriers reserve. Pure: no I/O.

Like the voice TwiML, this is a set of pure functions (TwilioDevEd's habit): actions in, reply
bodies out, then the `<Response>` XML. A keypad menu becomes numbered SMS options ("Reply 1
for ..."), a transfer becomes a promise naming the person who will reach out, and the carrier
keywords (STOP, START, HELP) are recognised exactly as Twilio recognises them: the whole message,
any case, surrounding spaces ignored, or Twilio's own verdict (`OptOutType`) when it sends one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

from ivr.config.oncall import first_name
from ivr.flow.actions import Action, Ask, Choice, QueueFollowUp, Say, Transfer

Keyword = Literal["stop", "start", "help"]

# Twilio's default keyword handling on long codes and toll-free numbers (Twilio's support
# article "Twilio support for opt-out keywords (SMS STOP filtering)" and the Messaging docs'
# "Advanced Opt-Out" page), which these sets and `keyword` follow:
# - a keyword counts only when it is the whole message: any case, surrounding whitespace
#   ignored; "STOP!" or "stop please" is not one, Twilio neither blocks nor answers it, so
#   neither do we;
# - Twilio itself answers STOP, START and HELP on a long code with its default replies, blocks
#   every later text to a number that sent STOP (error 21610) until it sends START;
# - with Advanced Opt-Out (a Messaging Service's custom or localised keywords), Twilio adds
#   `OptOutType` (STOP, START or HELP) to the incoming-message webhook of a text it took as a
#   keyword, so that field, when present, decides — our own word lists are only the fallback.

#: Twilio's default opt-out keywords; any of them alone opts the sender out. REVOKE and OPTOUT
#: joined Twilio's list in 2025 (the FCC's revocation rule); honouring them locally only ever
#: errs toward not texting someone who asked us to stop.
OPT_OUT_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE",
                           "OPTOUT"})
#: Twilio's default opt-in keywords: they undo an opt-out.
OPT_IN_WORDS = frozenset({"START", "UNSTOP", "YES"})
#: Twilio's default help keywords.
HELP_WORDS = frozenset({"HELP", "INFO"})
#: `OptOutType` values (Advanced Opt-Out) and the keyword each means.
OPT_OUT_TYPES: dict[str, Keyword] = {"STOP": "stop", "START": "start", "HELP": "help"}

#: Longest body Twilio accepts for one message (it splits it into segments on the way).
MAX_MESSAGE_CHARS = 1600
#: Longest customer text we pass on to the flow; anything longer is cut (a pasted essay or an
#: abusive payload must not slow the extractors down or bloat the record).
MAX_INBOUND_CHARS = 1600

MMS_NOTICE = "I can only read text, so I couldn't open the picture or file you sent."
MMS_ONLY = "Could you describe what you need in a few words?"
DISCLOSURE = "Hi, this is the automated assistant for {name}."
OPT_IN_REPLY = ("You're subscribed again to texts from {name}. Reply HELP for help or STOP to "
                "stop texts.")
HELP_REPLY = ("{name}: you're texting an automated assistant. To reach a person, call {contact}"
              " or reply with \"talk to a person\". Reply STOP to stop texts.")
HANDOFF_NAMED = "Thanks — I'm passing this to {name}, who will call you in a minute."
HANDOFF_TEAM = "Thanks — I'm passing this to our team, who will contact you shortly."

#: The product's own SMS wording in Spanish, for a conversation the customer holds in Spanish:
#: written by people in natural Latin-American Spanish (usted, as a front desk writes to a
#: customer), never translated at run time. The carrier's keywords stay as the carrier reads
#: them (HELP, STOP): a Spanish word there would not be recognised.
SPANISH: dict[str, str] = {
    "mms_notice": "Solo puedo leer texto, así que no pude abrir la foto o el archivo que me "
                  "envió.",
    "mms_only": "¿Me podría describir en pocas palabras lo que necesita?",
    "disclosure": "Hola, le atiende el asistente automático de {name}.",
    "opt_in": ("Volvió a suscribirse a los mensajes de {name}. Responda HELP si necesita ayuda "
               "o STOP para dejar de recibir mensajes."),
    "help": ("{name}: está escribiéndole a un asistente automático. Para hablar con una "
             "persona, llame al {contact} o responda \"quiero hablar con una persona\". "
             "Responda STOP para dejar de recibir mensajes."),
    "handoff_named": "Gracias. Le paso su mensaje a {name}, quien le llamará en un momento.",
    "handoff_team": ("Gracias. Le paso su mensaje a nuestro equipo; alguien se comunicará con "
                     "usted muy pronto."),
}
#: Our wording by language: what each key says in English and in Spanish.
WORDING: dict[str, dict[str, str]] = {
    "en": {"mms_notice": MMS_NOTICE, "mms_only": MMS_ONLY, "disclosure": DISCLOSURE,
           "opt_in": OPT_IN_REPLY, "help": HELP_REPLY, "handoff_named": HANDOFF_NAMED,
           "handoff_team": HANDOFF_TEAM},
    "es": SPANISH,
}
#: How a numbered SMS menu is introduced and each option joined, by language.
MENU_WORDS: dict[str, tuple[str, str]] = {"en": ("Reply", "for"), "es": ("Responda", "para")}
#: Words that already tell a texter they are talking with an automated assistant.
DISCLOSED = ("assistant", "automated", "a bot", "asistente", "automático", "automatizado")


def own(key: str, language: str = "en") -> str:
    """Our wording `key` in `language`, English for a language we have no wording in."""
    return WORDING.get(language, WORDING["en"]).get(key) or WORDING["en"][key]


def keyword(body: str, opt_out_type: str | None = None) -> Keyword | None:
    """The carrier keyword a text is, if it is one.

    `opt_out_type` (Twilio's `OptOutType`, sent for a text it took as a keyword, custom or
    localised ones included) decides when present; otherwise `body` must be one of Twilio's
    default keywords alone: any case, surrounding whitespace ignored. "Stop texting me" and
    "STOP!" are not keywords (Twilio does not act on them either).
    """
    if opt_out_type and opt_out_type.strip():
        return OPT_OUT_TYPES.get(opt_out_type.strip().upper())
    word = body.strip().upper()
    if word in OPT_OUT_WORDS:
        return "stop"
    if word in OPT_IN_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def clip(body: str, limit: int = MAX_INBOUND_CHARS) -> str:
    """`body` stripped of NULs and whitespace and cut to `limit` characters."""
    body = (body or "").replace("\x00", "").strip()
    return body if len(body) <= limit else body[:limit].rstrip()


def choices_line(choices: Sequence[Choice], language: str = "en") -> str:
    """'Reply 1 for Heating, 2 for Cooling.' — a keypad menu as SMS options; in Spanish
    'Responda 1 para calefacción, 2 para aire acondicionado.'"""
    verb, joiner = MENU_WORDS.get(language, MENU_WORDS["en"])
    parts = [f"{c.digit} {joiner} {c.label}" for c in choices]
    return f"{verb} " + ", ".join(parts) + "."


def handoff_line(person: str | None, language: str = "en") -> str:
    """What the texter is told when a person takes over: who will contact them."""
    if person:
        return own("handoff_named", language).format(name=first_name(person))
    return own("handoff_team", language)


def question_text(ask: Ask, language: str = "en") -> str:
    """The question, with its numbered options unless the prompt already lists them."""
    prompt = ask.prompt.strip()
    if not ask.choices:
        return prompt
    first = ask.choices[0]
    joiner = MENU_WORDS.get(language, MENU_WORDS["en"])[1]
    if f"{first.digit} {joiner} {first.label}" in prompt:
        return prompt
    return f"{prompt} {choices_line(ask.choices, language)}".strip()


def reply_texts(actions: Iterable[Action], handoff: str | None = None,
                follow_up: str = "", language: str = "en") -> list[str]:
    """The texts the customer should receive for one step's actions.

    Args:
        actions: the flow's decisions for this step.
        handoff: full name of the staff member taking over (the effects' `Handoff`), if any;
            when given, the named line replaces the flow's unnamed promise (`Say.handoff`).
        follow_up: the confirmation for a `QueueFollowUp` whose flow gave none.
        language: the conversation's language ("en", "es"): our own lines (the numbered
            options, the person named) are worded in it, as the flow's already are.
    """
    texts: list[str] = []
    for action in actions:
        if isinstance(action, Say) and action.text.strip():
            if handoff and action.handoff:
                continue
            texts.append(action.text.strip())
        elif isinstance(action, Ask):
            texts.append(question_text(action, language))
        elif isinstance(action, Transfer):
            texts.append(handoff_line(handoff, language))
        elif isinstance(action, QueueFollowUp):
            texts.append(action.confirmation.strip() or follow_up)
    return list(dict.fromkeys(t for t in texts if t))  # one text never sent twice in a reply


def menu_of(actions: Iterable[Action]) -> dict[str, str]:
    """The numbered options the last question offered (digit -> label), or {}."""
    menu: dict[str, str] = {}
    for action in actions:
        if isinstance(action, Ask):
            menu = {c.digit: c.label for c in action.choices}
    return menu


def disclose(texts: list[str], business_name: str, language: str = "en") -> list[str]:
    """Make sure the first reply says, in the conversation's language, that it comes from an
    automated assistant."""
    said = " ".join(texts).lower()
    if any(word in said for word in DISCLOSED):
        return texts
    return [own("disclosure", language).format(name=business_name), *texts]


def bodies(texts: Sequence[str], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Combine texts into as few messages as fit Twilio's limit, splitting at word breaks."""
    out: list[str] = []
    current = ""
    for text in texts:
        for piece in _split(text, limit):
            if current and len(current) + 1 + len(piece) > limit:
                out.append(current)
                current = piece
            else:
                current = f"{current}\n{piece}" if current else piece
    if current:
        out.append(current)
    return out


def _split(text: str, limit: int) -> list[str]:
    pieces: list[str] = []
    while len(text) > limit:
        cut = text.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return [*pieces, text] if text else pieces


_XML = '<?xml version="1.0" encoding="UTF-8"?>'


def _text(body: str) -> str:
    """`body` as XML character data (what ElementTree escapes: &, < and >)."""
    return body.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def messaging_twiml(texts: Sequence[str]) -> str:
    """A `<Response>` with one `<Message>` per body; empty texts give an empty response.

    Every text turn's reply is this, so it is written out directly: the same bytes as twilio's
    `MessagingResponse` (tests/twilio/test_messaging.py holds them equal) without building an
    ElementTree and serialising it each time."""
    messages = "".join(f"<Message>{_text(body)}</Message>" for body in bodies(texts))
    return f"{_XML}<Response>{messages}</Response>" if messages else f"{_XML}<Response />"


def help_reply(business_name: str, contact: str, wording: str = "",
               language: str = "en") -> str:
    """Our answer to HELP: the business's own `wording` ({name}, {contact} filled) or ours in
    the texter's `language`. (The owner's words are theirs and may carry what their carrier
    registration requires, so they are sent as written.)"""
    return _fill(wording or own("help", language), business_name, contact)


def opt_in_reply(business_name: str, contact: str = "", wording: str = "",
                 language: str = "en") -> str:
    """Our answer to START: the business's own `wording` ({name}, {contact} filled) or ours in
    the texter's `language`."""
    return _fill(wording or own("opt_in", language), business_name, contact)


def _fill(wording: str, name: str, contact: str) -> str:
    """`{name}` and `{contact}` filled in; any other brace left as written (an owner's text)."""
    return wording.replace("{name}", name).replace("{contact}", contact)
