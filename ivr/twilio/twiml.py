"""Flow actions rendered as voice TwiML: pure functions from actions and URLs to XML strings.

Nothing here reads Redis, Flask or the clock; the voice turn logic (`ivr.conversation.voice`)
decides the turn number and the callback URLs, and these functions only spell them in TwiML.
Keeping the rendering pure lets tests parse the XML (Twilio's own warm-transfer sample does the
same) and lets the web views, the speech stream and the record-mode job share one renderer.

What another module decides the caller hears next (a warm transfer's conference, a direct
dial, a goodbye) comes back as `Verbs`, twilio's verb objects, which a `Builder` appends after
what the flow said: one document is built once, never re-parsed and spliced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from twilio.twiml import TwiML
from twilio.twiml.voice_response import Dial, Hangup, Say, Start, Stop, VoiceResponse

from ivr.flow.actions import Ask, Choice

#: Seconds a Gather waits for the first keypress after its prompt before the timeout redirect.
GATHER_TIMEOUT_S = 6

#: In record mode the keypad window after the prompt is short: the recording starts right away.
RECORD_KEYPAD_TIMEOUT_S = 1

#: Longest spoken answer recorded in record mode (seconds).
RECORD_MAX_S = 15

#: Seconds of silence that end a recording in record mode.
RECORD_SILENCE_S = 2

#: Twilio's limit on one `hints` phrase (characters); longer phrases are left out.
HINT_MAX_CHARS = 100

#: The most phrases one question hints to Twilio's recogniser: a menu's labels and the
#: question's grammar fit; a long grammar is cut, never sent as kilobytes on every Gather.
HINT_MAX_PHRASES = 60

#: How long a Dial to a person rings before the next person (or the polite goodbye).
DIAL_TIMEOUT_S = 20

#: What a caller hears when we hand them to a person outside the normal transfer.
CONNECTING = "Please hold while I connect you with someone who can help."

#: What a caller hears when nobody can be reached: never silence, never "application error".
SORRY = ("I'm sorry, we can't connect your call right now. We have your number and will call "
         "you back as soon as we can. Goodbye.")

_PRESS = re.compile(r"\bpress\s+\d", re.IGNORECASE)

#: TwiML verbs in the order the caller hears them, for a `Builder` (or `document`) to append.
Verbs = tuple[TwiML, ...]


@dataclass(frozen=True)
class Voice:
    """How a business speaks: the `<Say>` voice and language from its config."""

    voice: str = "Polly.Joanna"
    language: str = "en-US"


def choices_text(choices: Sequence[Choice]) -> str:
    """'Press 1 for custody, press 2 for divorce.' — the keypad menu spoken after a prompt."""
    if not choices:
        return ""
    items = [f"press {c.digit} for {c.label}" for c in choices]
    text = ", ".join(items)
    return text[0].upper() + text[1:] + "."


def spoken_prompt(ask: Ask) -> str:
    """The prompt plus its keypad choices, unless the prompt already names them."""
    if not ask.choices or _PRESS.search(ask.prompt):
        return ask.prompt
    return f"{ask.prompt} {choices_text(ask.choices)}"


@dataclass(frozen=True)
class Listening:
    """A question Twilio's own recogniser hears (a business with `speech: twilio`): the
    Gather takes `dtmf speech` in the caller's `language` (a BCP-47 tag, `en-US`, `es-US`),
    ends an utterance at Twilio's own pause detection (`speechTimeout="auto"`, valid because
    no `speechModel` is named: Twilio's warning 13335), and is told the phrases it expects."""

    language: str
    hints: tuple[str, ...] = ()


def hints_for(ask: Ask) -> tuple[str, ...]:
    """The phrases a caller is likely to say to `ask`: its menu's labels, then its grammar,
    without repeats, recogniser tokens (`[unk]`) or commas (Twilio's separator)."""
    seen: list[str] = []
    for phrase in (*(c.label for c in ask.choices), *ask.grammar):
        text = " ".join(phrase.replace(",", " ").split())
        if (text and not text.startswith("[") and len(text) <= HINT_MAX_CHARS
                and text not in seen):
            seen.append(text)
    return tuple(seen[:HINT_MAX_PHRASES])


def digits_needed(ask: Ask) -> int | None:
    """numDigits for a menu (the longest choice); None for free entry ended by '#'."""
    if not ask.choices:
        return None
    return max(len(c.digit) for c in ask.choices)


#: The name of a call's speech stream (unique per call, as Twilio requires), for `<Stop>`.
STREAM_NAME = "ivr-speech"


class Builder:
    """Accumulates one TwiML document; the turn logic feeds it actions in order."""

    def __init__(self, voice: Voice, asides: dict[str, Voice] | None = None) -> None:
        self.voice = voice
        #: Lines said in another voice than the call's: "Para español, oprima 9." is said in
        #: Spanish on an English greeting, or a Spanish caller would not understand the offer.
        self.asides = dict(asides or {})
        self.response = VoiceResponse()

    def say(self, text: str, into: object | None = None) -> None:
        if text:
            voice = self.asides.get(text, self.voice)
            (into or self.response).say(text, voice=voice.voice,  # type: ignore[attr-defined]
                                        language=voice.language)

    def start_stream(self, url: str, business: str, call_sid: str) -> None:
        """`<Start><Stream>` once per call, tagged so the stream knows whose audio it carries,
        and named (`STREAM_NAME`) so `stop_stream` can end it."""
        start = Start()
        stream = start.stream(name=STREAM_NAME, url=url, track="inbound_track")
        stream.parameter(name="business", value=business)
        stream.parameter(name="call", value=call_sid)
        self.response.append(start)

    def question(self, ask: Ask, gather_url: str, timeout_url: str,
                 lead: Sequence[str] = (), listening: Listening | None = None) -> None:
        """A keypad Gather around the spoken prompt, then the silence redirect.

        `lead` (what the flow said just before: a greeting, an answer, "sorry, I missed that")
        goes inside the Gather too, so a caller who knows the menu can press a key during it.
        With `listening` the Gather also hears speech (Twilio's recogniser posts SpeechResult
        and Confidence to the same action); without it the words come over the Media Stream.
        """
        self._gather(ask, gather_url, GATHER_TIMEOUT_S, lead, listening)
        self.response.redirect(timeout_url, method="POST")

    def recorded_question(self, ask: Ask, gather_url: str, record_url: str,
                          timeout_url: str, lead: Sequence[str] = ()) -> None:
        """Record mode: keypad during the prompt, then a recording of the spoken answer.

        Only '#' ends the recording early, so a stray key never reads as a menu choice."""
        self._gather(ask, gather_url, RECORD_KEYPAD_TIMEOUT_S, lead)
        self.response.record(action=record_url, method="POST", max_length=RECORD_MAX_S,
                             play_beep=False, timeout=RECORD_SILENCE_S, finish_on_key="#",
                             trim="trim-silence")
        self.response.redirect(timeout_url, method="POST")

    def listen(self, gather_url: str, timeout_url: str, digits: int | None) -> None:
        """Barge-in: the same question's keypad Gather without its prompt, so a caller who
        started talking over the prompt is no longer talked over (and may still press keys)."""
        self._keypad(gather_url, GATHER_TIMEOUT_S, digits)
        self.response.redirect(timeout_url, method="POST")

    def _gather(self, ask: Ask, action: str, timeout: int, lead: Sequence[str],
                listening: Listening | None = None) -> None:
        gather = self._keypad(action, timeout, digits_needed(ask), listening)
        for text in lead:
            self.say(text, into=gather)
        self.say(spoken_prompt(ask), into=gather)

    def _keypad(self, action: str, timeout: int, digits: int | None,
                listening: Listening | None = None):  # -> Gather
        options: dict[str, object] = {"input": "dtmf", "action": action, "method": "POST",
                                      "timeout": timeout, "action_on_empty_result": False}
        if listening is not None:
            options.update(input="dtmf speech", language=listening.language,
                           speech_timeout="auto")
            if listening.hints:
                options["hints"] = ", ".join(listening.hints)
        if digits is not None:
            options["num_digits"] = digits
        else:
            options["finish_on_key"] = "#"
        return self.response.gather(**options)

    def hold(self, url: str, seconds: int = 1) -> None:
        """A short pause then a redirect back to us: the caller waits while work finishes."""
        self.response.pause(length=seconds)
        self.response.redirect(url, method="POST")

    def redirect(self, url: str) -> None:
        self.response.redirect(url, method="POST")

    def stop_stream(self) -> None:
        """`<Stop><Stream name=…>`: the caller is going to a person or leaving a message, and
        neither is ours to decode (CPU, and words we need not hear).

        Twilio's docs do not say whether a `<Start><Stream>` outlives a REST redirect of the
        call (our speech turns redirect by REST). Read either way this is right: a stream still
        running is stopped by name; one already gone makes this a no-op.
        """
        stop = Stop()
        stop.stream(name=STREAM_NAME)
        self.response.append(stop)

    def hangup(self) -> None:
        self.response.hangup()

    def extend(self, verbs: Verbs) -> None:
        """Append verbs another module built (a transfer's conference, a direct dial)."""
        for verb in verbs:
            self.response.append(verb)

    def xml(self) -> str:
        return str(self.response)


def document(verbs: Verbs) -> str:
    """A whole TwiML document of `verbs` (for a webhook that answers with nothing else)."""
    response = VoiceResponse()
    for verb in verbs:
        response.append(verb)
    return str(response)


def _say(voice: Voice, text: str) -> Say:
    return Say(text, voice=voice.voice, language=voice.language)


def goodbye_verbs(voice: Voice, text: str = SORRY) -> Verbs:
    """Say a polite message and hang up: the last resort when nobody can be reached."""
    return (_say(voice, text), Hangup()) if text else (Hangup(),)


def polite_goodbye(voice: Voice, text: str = SORRY) -> str:
    """`goodbye_verbs` as a document."""
    return document(goodbye_verbs(voice, text))


def dial_verbs(voice: Voice, number: str, next_url: str, intro: str | None = None,
               caller_id: str | None = None) -> Verbs:
    """Ring one person; Twilio posts the Dial outcome to `next_url`, which tries the next."""
    dial = Dial(number, action=next_url, method="POST", timeout=DIAL_TIMEOUT_S,
                caller_id=caller_id)
    return (_say(voice, intro), dial) if intro else (dial,)


def dial_person(voice: Voice, number: str, next_url: str, intro: str | None = None,
                caller_id: str | None = None) -> str:
    """`dial_verbs` as a document."""
    return document(dial_verbs(voice, number, next_url, intro, caller_id))


def numbers_to_try(on_call: Iterable[str], fallback: str | None) -> list[str]:
    """The people to ring in order, without repeats: on-call first, then the fallback line."""
    seen: list[str] = []
    for number in (*on_call, fallback):
        if number and number not in seen:
            seen.append(number)
    return seen
