"""The spoken summary an agent hears before taking a call, and its rendered audio.

The whole point of a warm transfer is that the caller never repeats themselves: the agent
hears who is calling, what it is about, what the bot collected, why it escalated and how sure
the bot was, then presses 1. The text is the flow core's summary (`ivr/flow/summary.py`,
carried on the Transfer action) made speakable, or built by a pure function here when a flow
gives none. The audio is rendered once per transfer by an rq job (`ivr.handoff.summary_audio`) through
the speech adapter's pyttsx3 process, and cached by content hash so a re-rung whisper costs
nothing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ivr.flow.summary import URGENT, their_words, urgency_words
from ivr.logs import event
from ivr.speech import tts

log = logging.getLogger("ivr.handoff.summary")

#: Longest gist of what the caller said, in words (the agent needs the gist, not the transcript).
GIST_WORDS = 18



def spoken_number(phone: str) -> str:
    """'+15125550199' -> '512 555 0199' spelled digit by digit, the way people read numbers."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    groups = (digits[:3], digits[3:6], digits[6:]) if len(digits) == 10 else (digits,)
    return ", ".join(" ".join(group) for group in groups)


def _words(name: str) -> str:
    return name.replace("_", " ")


_E164 = re.compile(r"\+\d{10,15}\b")


def speakable(summary: str) -> str:
    """The flow's written summary made fit to be read aloud: numbers digit by digit."""
    return _E164.sub(lambda m: spoken_number(m.group(0)), " ".join(summary.split()))


#: How staff are told the customer's language (in the business's language: English).
LANGUAGE_NAMES = {"es": "Spanish"}


def language_note(record: Mapping[str, Any]) -> str:
    """"Speaks Spanish." for a conversation not in English, so whoever takes it knows before
    they say hello; "" for English (the staff's own language, nothing to tell)."""
    language = record.get("language") or "en"
    if language == "en":
        return ""
    return f"Speaks {LANGUAGE_NAMES.get(language, language)}."


def with_language(summary: str, record: Mapping[str, Any]) -> str:
    """`summary` with the customer's language said near its start, after "Urgent." when it
    opens so (urgency is still the first thing heard). The customer's quoted words are left
    exactly as they wrote or said them: staff read the Spanish, not a translation."""
    note = language_note(record)
    if not note or note in summary:
        return summary
    if summary.startswith(f"{URGENT} "):
        return f"{URGENT} {note} {summary[len(URGENT) + 1:]}"
    return f"{note} {summary}" if summary else note


def whisper_for(record: Mapping[str, Any], summary: str, *, business: str,
                caller_name: str | None = None, urgent: bool = False,
                reasons: tuple[str, ...] | list[str] = ()) -> str:
    """What the agent hears: the flow core's summary (ivr/flow/summary.py builds it for the
    whisper and the staff text alike) read aloud, or our own when the flow gave none."""
    if summary.strip():
        return with_language(speakable(summary), record)
    return with_language(whisper_text(record, business=business, caller_name=caller_name,
                                      urgent=urgent, reasons=reasons), record)


def _cut(line: str) -> str:
    words = line.split()
    return " ".join(words[:GIST_WORDS]) + ("…" if len(words) > GIST_WORDS else "")


def gist(record: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The caller's words that needed a person and the lines before them, cut to a few words.

    The latest line with some substance (not a keypad digit, not a bare "yes" or "now"): an
    earlier unrelated question is context, not the reason the agent is being rung.
    """
    lines = [str(t["text"]) for t in record.get("transcript", ()) if t.get("role") == "caller"
             and t.get("text") and not str(t["text"]).strip().isdigit()]
    if not lines:
        return "", []
    substantive = [i for i, line in enumerate(lines) if len(line.split()) >= 3]
    at = substantive[-1] if substantive else len(lines) - 1
    return _cut(lines[at]), [_cut(line) for line in lines[:at]]


def whisper_text(record: Mapping[str, Any], *, business: str, caller_name: str | None = None,
                 urgent: bool = False, reasons: tuple[str, ...] | list[str] = ()) -> str:
    """The spoken summary: who, what, what we know, why it escalated, how sure the bot is."""
    who = caller_name or "a caller"
    caller = record.get("caller") or ""
    kind = "Call" if record.get("channel", "voice") == "voice" else "Text conversation"
    escalation = record.get("escalation") or {}
    pressing = urgency_words(record.get("route"), urgent or bool(escalation.get("urgent")),
                             now=True)
    opening = f"{'Urgent. ' if pressing == URGENT else ''}{kind} for {business} from {who}"
    parts = [f"{opening}, {spoken_number(caller)}." if caller else f"{opening}."]
    if record.get("bucket"):
        parts.append(f"About: {_words(record['bucket'])}.")
    slots = record.get("slots") or {}
    if slots:
        parts.append("Details: " + "; ".join(f"{_words(k)}: {_words(str(v))}"
                                              for k, v in slots.items()) + ".")
    if pressing != URGENT:
        parts.append(pressing)
    why = list(reasons) or list(escalation.get("reasons") or ())
    if why:
        parts.append("Reasons: " + ", ".join(_words(r) for r in why) + ".")
    confidence = escalation.get("confidence")
    if confidence is not None:
        parts.append(f"Bot confidence {round(float(confidence) * 100)} percent.")
    said = their_words(*gist(record))
    if said:
        parts.append(said)
    return " ".join(parts)


def written_summary(record: Mapping[str, Any], flow_summary: str, link: str) -> str:
    """The text an accepting agent receives: the flow's written summary plus the record link."""
    body = flow_summary.strip() or whisper_text(record, business=record.get("business", ""))
    return f"{body}\nConversation: {link}"


# -- rendering ---------------------------------------------------------------------------------
def render(settings: Any, text: str) -> Path | None:
    """Render `text` to telephony WAV through the speech adapter; None when rendering fails."""
    try:
        path = Path(tts.render(text, settings=settings))
    except Exception as exc:  # RenderFailed, a hung espeak, a full disk: the agent hears <Say>
        event("whisper.render_failed", log, logging.WARNING, error=type(exc).__name__)
        return None
    return path if path.exists() and path.stat().st_size > 0 else None


