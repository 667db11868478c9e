"""SMS conversations: one incoming text in, the texts to reply with out.

Carrier keywords come first (STOP silences us for good, START lifts it, HELP says who we are
and how to reach a person — unless the carrier answers those itself, the default), as Twilio
reports them (`OptOutType`) or, without that, as its default keywords, then a staff member's Y/N feedback answer (TRANSFER's); everything
else is the customer's conversation with the flow. The web view (`ivr.web.sms`) only checks the
signature, parses Twilio's form, keeps a retried webhook from acting twice and renders TwiML.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from ivr.config.business import Business
from ivr.conversation import optout
from ivr.conversation.service import Conversations, Live, Turn, Words
from ivr.flow.actions import QueueFollowUp
from ivr.flow.events import Input
from ivr.handoff.followups import confirmation_text, expected_reply
from ivr.handoff.outcomes import FollowUp
from ivr.handoff.transfer import feedback_reply  # a staff Y/N to "Did this call need you?"
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.conversations import Arrival
from ivr.store.records import Record
from ivr.twilio.gsm import gsm_safe
from ivr.twilio.messaging import (
    Keyword,
    disclose,
    help_reply,
    keyword,
    menu_of,
    opt_in_reply,
    own,
    reply_texts,
)

log = logging.getLogger("ivr.conversation.sms")

CHANNEL = "sms"


@dataclass(frozen=True)
class Text:
    """One incoming text, as the carrier delivered it (already clipped to a safe length)."""

    sender: str
    sid: str
    body: str
    media: int = 0
    #: Twilio's `OptOutType` (STOP, START or HELP) when it took the text as a keyword, custom
    #: or localised ones included (Advanced Opt-Out); "" otherwise.
    opt_out_type: str = ""


def contact_number(business: Business) -> str:
    """The number a texter can call to reach a person: the fallback line, else the main one."""
    return business.fallback_number or business.numbers[0]


def answer(runtime: Runtime, business: Business, text: Text,
           arrival: Arrival | None = None) -> list[str]:
    """The texts to send back for one incoming text (after keywords, MMS and the flow).

    `arrival` is what the web view read when it claimed the message (opt-out, live
    conversation); without it (a replayed text) they are read here.
    """
    word = keyword(text.body, text.opt_out_type)
    if word == "stop":
        optout.opt_out(runtime, business, text.sender, text.body, text.sid)
        return []  # Twilio sends the carrier-required confirmation and blocks any reply
    opted_out = (arrival.opted_out if arrival is not None
                 else runtime.store.opted_out(business.key, text.sender))
    if opted_out:
        if word == "start":
            optout.opt_in(runtime, business, text.sender, text.sid)
            return keyword_reply(business, word, texter_language(runtime, business, text.sender))
        event("sms.ignored_opted_out", log, business=business.key, sid=text.sid)
        return []
    # START/YES from a texter who never opted out goes on to the flow: "yes" answers questions
    live = (Conversations.live(arrival.live) if arrival is not None
            else runtime.conversations.current(business, CHANNEL, text.sender))
    if word == "help":
        return keyword_reply(business, word,
                             texter_language(runtime, business, text.sender, live))
    staff_reply = feedback_reply(runtime, business, text.sender, text.body)
    if staff_reply is not None:
        return [staff_reply]
    if text.media and not text.body:
        language = texter_language(runtime, business, text.sender, live)
        return [gsm_safe(own("mms_notice", language)), gsm_safe(own("mms_only", language))]
    if arrival is None:
        return converse(runtime, business, text, live)
    return converse(runtime, business, text, live, earlier=arrival.earlier, hold=True)


def texter_language(runtime: Runtime, business: Business, sender: str,
                    live: Live | None = None) -> str:
    """The language a texter's conversation is held in, for a reply the flow does not word
    (HELP, START, a picture alone): the live conversation's, else their latest record's (a
    STOP ended the conversation before its START), else English; only one the business
    speaks."""
    language = live.state.language if live is not None else None
    if language is None:
        records = runtime.store.conversations([business.key], phone=sender)
        language = records[-1].get("language") if records else None
    return language if language and business.speaks(language) else "en"


def keyword_reply(business: Business, word: Keyword, language: str = "en") -> list[str]:
    """What we answer to START or HELP: nothing where the carrier answers them itself (a long
    code's default, so the texter gets one reply, not two), else the business's wording or
    ours (`sms:` in the business file) in the texter's `language`."""
    keywords = business.sms
    if keywords.carrier_handles_keywords:
        return []
    contact = contact_number(business)
    if word == "help":
        return [gsm_safe(help_reply(business.name, contact, keywords.wording("help", language),
                                    language))]
    return [gsm_safe(opt_in_reply(business.name, contact, keywords.wording("start", language),
                                  language))]


def converse(runtime: Runtime, business: Business, text: Text, live: Live | None, *,
             earlier: list[Record] | None = None, hold: bool = False) -> list[str]:
    """One turn of the flow: the text in, the texts to send out (a notice first when it came
    with a picture we cannot read), exactly as the transcript records them.

    `earlier` is the texter's records in the repeat window as read on arrival (None: read
    when needed); `hold`: the web view sends the request's closing writes itself, so a turn
    that queues no work saves with them (`Conversations.handle`).
    """
    conversations = runtime.conversations
    if live is None:
        inp = Input.start(text.body)
    elif not text.body:
        inp = Input.silence()
    elif keyish(text.body) and text.body in menu(live):
        inp = Input.digits(text.body)
    else:
        inp = Input.sms(text.body)
    turn = conversations.handle(business, CHANNEL, text.sender, inp, sid=text.sid,
                                loaded=live, words=wording(runtime, business, media=bool(text.media)),
                                earlier=earlier, keep=keep_menu, hold=hold)
    return list(turn.said)


def wording(runtime: Runtime, business: Business, media: bool = False) -> Words:
    """How a text turn is worded, in the conversation's language as this turn left it: the
    notice of an unreadable picture (`media`), the disclosure on a first text, then the flow's
    words with the effects' results (the person named, when to expect a reply). Pure: the same
    turn gives the same texts, so the transcript records exactly what is sent."""
    def words(turn: Turn) -> list[str]:
        language = turn.state.language
        follow_up = (follow_up_confirmation(runtime, business, turn)
                     if any(isinstance(a, QueueFollowUp) for a in turn.actions) else "")
        texts = reply_texts(turn.actions, handoff=turn.handoff, follow_up=follow_up,
                            language=language)
        # disclosed once: not again to the same number continuing within the repeat window
        first = turn.new and not turn.state.extra.get("continued")
        notes = [own("mms_notice", language)] if media else []
        said = [*notes, *(disclose(texts, business.name, language) if first else texts)]
        # GSM-safe as sent (and so as recorded): our dashes and curly quotes cost UCS-2
        return [gsm_safe(t) for t in said]
    return words


def follow_up_confirmation(runtime: Runtime, business: Business, turn: Turn) -> str:
    """The follow-up queue's confirmation, for a texter whose lead was queued (FOLLOWUPS):
    when the effect said to expect a reply, else (before it ran) when it will say; in Spanish
    worded afresh for the same moment (the effect words it for staff, in English)."""
    language = turn.state.language
    if language != "en":
        return confirmation_text(business, expected_reply(business, runtime.clock(),
                                                          language)[1], language)
    when = next((o.when for o in turn.outcomes if isinstance(o, FollowUp)), None)
    when = when or (turn.record.get("followup") or {}).get("when") or expected_reply(
        business, runtime.clock())[1]
    return confirmation_text(business, when)


def keyish(body: str) -> bool:
    """Whether a text could pick a numbered option (menus are keyed by keypad keys): only
    then is the last menu worth a look."""
    return 0 < len(body) <= 3 and all(ch in "0123456789*#" for ch in body)


def menu(live: Live) -> dict[str, str]:
    """The numbered options our last text offered this texter (a reply "2" picks option 2)."""
    return live.kept.get("menu") or {}


def keep_menu(turn: Turn) -> dict[str, Any]:
    """Kept with the live state (no write of its own): only the texter's next text reads the
    options, and only while the conversation lives (a text after its end starts anew)."""
    options = menu_of(turn.actions)
    return {"menu": options} if options else {}
