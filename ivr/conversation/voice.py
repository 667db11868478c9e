"""Voice turn-taking: one answer per question, whether it came by keypad, speech or recording.

A call asks one question at a time. Each question gets a number (`turn`), stored with its slot
and grammar so the Media Stream knows what it is listening for. The keypad answer arrives on
the Gather's action, a spoken answer from the stream (`on_speech`) or, for a business with
`speech: twilio`, as Twilio's SpeechResult on the Gather's action too (no stream then; the
Gather takes `dtmf speech`: `listening`), a recorded one from the record-mode job, and silence from the Gather's timeout redirect; every path first claims the
turn in Redis, so exactly one of them advances the flow. The winner settles the step first
(`settle`: the next question numbered, a transfer's hunt started and its first person rung),
then renders it with a pure function of what was settled (`render`), and stores that TwiML
under the turn, and anyone else (the loser, or the caller's leg held in a short
pause loop) picks it up from `/voice/next?turn=N`. Speech and recordings arrive outside the
call's own request, so their winner also redirects the live call by REST.

Flask-free: the web views, the stream handler and the rq job all call these functions.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ivr.config.business import Business
from ivr.conversation.service import Conversations, Words
from ivr.conversation.voice_fallback import overtaken
from ivr.conversation.voice_handoff import human_twiml, transfer_verbs, voice_of
from ivr.conversation.voice_hold import next_key, waiting
from ivr.flow.actions import Ask, End, Say, Transfer
from ivr.flow.events import Input
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.conversations import TurnStart
from ivr.twilio.twiml import (
    CONNECTING,
    Builder,
    Listening,
    Verbs,
    Voice,
    digits_needed,
    hints_for,
    polite_goodbye,
    spoken_prompt,
)
from ivr.twilio.urls import (
    VOICE_GATHER,
    VOICE_LISTEN,
    VOICE_NEXT,
    VOICE_RECORDED,
    VOICE_TIMEOUT,
    public_base,
    stream_refusal,
    stream_url,
    voice_url,
)

if TYPE_CHECKING:
    from ivr.conversation.service import Turn

log = logging.getLogger("ivr.conversation.voice")

#: Pause rounds a silence timeout waits while the stream says the caller is mid-sentence.
SPEAKING_LIMIT = 4

#: Prepended to the first words when the flow's greeting does not say it is automated.
DISCLOSURE = "You've reached {name}. I'm a virtual assistant."

GOODBYE = "Thank you for calling. Goodbye."
#: The call's facts an answer's step reads (`spanish_offer`: the question the offer was made on).
CALL_FACTS = ("caller", "base", "turn", "stream", "spanish_offer")

#: Said in Spanish on the greeting of a business that declares Spanish: the caller who does
#: not understand the English around it still understands this, and presses one key.
SPANISH_OFFER = "Para español, oprima 9."
SPANISH_KEY = "9"
#: Saying it instead of pressing it, on the same first question ("español", "en español",
#: "Spanish please").
_SPANISH_WORDS = re.compile(r"\b(espa[nñ]ol|spanish)\b", re.IGNORECASE)

_warned: set[str] = set()


# -- speech availability ----------------------------------------------------------------------
def speech_mode(runtime: Runtime, business: Business, base: str = "") -> str:
    """How this call listens: "stream" (audio to Vosk; the business wants it and a model is
    installed), "record" (recorded answers), "twilio" (Twilio's recogniser on each question's
    Gather: `speech: twilio`), or keypad only ("keypad", or "keypad_no_model"
    when the business wanted speech but this machine has no model — logged with the fix).
    """
    mode = listening_mode(runtime, business, base)
    if mode == "keypad_stream_refused":
        level = logging.INFO if business.key in _warned else logging.WARNING
        _warned.add(business.key)
        event("voice.keypad_only", log, level, business=business.key,
              why=stream_refusal(public_base(runtime.settings.public_url, base)) or "-")
        return mode
    if mode != "keypad_no_model":
        return mode
    model = runtime.settings.vosk_model
    level = logging.INFO if business.key in _warned else logging.WARNING
    _warned.add(business.key)
    event("voice.keypad_only", log, level, business=business.key, model=str(model),
          hint="install_a_speech_model_with:_ivr_models_install")
    return "keypad_no_model"


def listening_mode(runtime: Runtime, business: Business, base: str = "",
                   language: str = "en") -> str:
    """`speech_mode` without its log line, for asking on every turn.

    A public URL Twilio would refuse a stream on (`http` that is not loopback: error 31922) is
    keypad only ("keypad_stream_refused"), never a stream that silently carries nothing. A
    conversation in another language than English is heard only with that language's model
    (`ivr models install es`); without one it is keypad only, in record mode too: an English
    model would turn Spanish answers into confident English nonsense. `speech: twilio` needs
    no model and no stream ("twilio"): Twilio hears the caller, in the conversation's language.
    """
    if business.speech == "twilio":
        return "twilio"
    model = runtime.settings.speech_model(language)
    if business.speech == "record":
        return "record" if language == "en" or model.is_dir() else "keypad_no_model"
    if business.speech != "stream":
        return "keypad"
    if stream_refusal(public_base(runtime.settings.public_url, base)):
        return "keypad_stream_refused"
    return "stream" if model.is_dir() else "keypad_no_model"


# -- starting a call --------------------------------------------------------------------------
def start_call(runtime: Runtime, business: Business, call_sid: str, caller: str) -> str:
    """Greet a new call: open the conversation, start the stream, ask the first question.

    A retried webhook for the same CallSid gets the same TwiML back and changes nothing.
    """
    store = runtime.store
    base = public_base(runtime.settings.public_url)
    cached, live = store.open_call(business.key, call_sid, f"incoming:{call_sid}",
                                   caller=caller, base=base)
    if cached is not None:
        return cached
    turn = runtime.conversations.handle(business, "voice", caller, Input.start(), key=call_sid,
                                        sid=call_sid, loaded=Conversations.live(live),
                                        words=wording(business, greeting=True))
    mode = speech_mode(runtime, business, base)
    fallback = store.keep_call(business.key, call_sid, record=turn.record["id"],
                               stream=mode == "stream")
    step = settle(runtime, business, call_sid, turn, {}, base) if fallback is None else None
    if step is None or (step.ask is not None and not step.number):
        # Twilio gave up on us and fell back meanwhile: the caller is being put through to a
        # person, so this late greeting changes nothing (voice_fallback.overtaken)
        return overtaken(runtime, business, call_sid, turn.record["id"], base)
    if step.ask is not None and offers_spanish(business, turn):
        store.set_call(business.key, call_sid, spanish_offer=step.number, later=True)
    builder = Builder(voice_of(business, step.language), asides=asides(business, step))
    if mode == "stream":
        builder.start_stream(stream_url(base), business.key, call_sid)
    xml = render(business, step, base, builder, streaming=mode == "stream")
    store.cache_reply(business.key, f"incoming:{call_sid}", xml)
    event("voice.started", log, business=business.key, sid=call_sid, speech=mode)
    return xml


def _discloses(turn: Turn) -> bool:
    """Whether the flow's first words already say the caller is talking to an assistant."""
    words = " ".join(a.text if isinstance(a, Say) else a.prompt for a in turn.actions
                     if isinstance(a, Say | Ask)).lower()
    return "virtual" in words or "automated" in words


# -- choosing Spanish -------------------------------------------------------------------------
def offers_spanish(business: Business, turn: Turn) -> bool:
    """Whether this greeting offers Spanish: the business declares it, the caller is not
    already in Spanish, and the first question's menu does not use the key itself."""
    if not business.speaks("es") or turn.state.language == "es":
        return False
    asks = [a for a in turn.actions if isinstance(a, Ask)]
    return bool(asks) and not any(c.digit == SPANISH_KEY for c in asks[0].choices)


def chooses_spanish(business: Business, call: dict[str, Any], turn: int, inp: Input,
                    language: str) -> bool:
    """Whether this answer to the greeting's question is the caller taking the offer:
    9 on the keypad, or saying "español"; any other answer is an answer to the question."""
    if language == "es" or not business.speaks("es") or call.get("spanish_offer") != turn:
        return False
    if inp.kind == "digits":
        return inp.text == SPANISH_KEY
    return inp.kind == "speech" and bool(_SPANISH_WORDS.search(inp.text))


def asides(business: Business, step: Step) -> dict[str, Voice]:
    """Lines of `step` said in another voice: the Spanish offer, in Spanish."""
    return {SPANISH_OFFER: voice_of(business, "es")} if SPANISH_OFFER in step.said else {}


# -- wording one step -------------------------------------------------------------------------
def wording(business: Business, greeting: bool = False) -> Words:
    """How a voice step is worded: the disclosure on the greeting (unless the flow's first
    words say it), then the Spanish offer when the business declares Spanish, the flow's words
    up to the first question, transfer or end, the question's prompt with its keypad choices,
    and a goodbye when the step leaves the caller nothing to answer. Pure; `render` speaks
    exactly these lines, and the transcript records them."""
    def words(turn: Turn) -> list[str]:
        said = [] if not greeting or _discloses(turn) else [DISCLOSURE.format(name=business.name)]
        if greeting and offers_spanish(business, turn):
            said.append(SPANISH_OFFER)
        for action in turn.actions:
            if isinstance(action, Say):
                said.append(action.text)
            elif isinstance(action, Ask):
                return [*said, spoken_prompt(action)]
            elif isinstance(action, Transfer | End):
                return said
        return said if turn.ended else [*said, GOODBYE]
    return words


# -- settling, then rendering one step --------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One voice step with everything it had to store already stored: what `render` spells.

    `said` is spoken first (inside the question's Gather, so keys work throughout); then the
    question numbered `number`, or the `handover` verbs (a started transfer, or a direct dial),
    or, with neither, a hangup. `language` is the caller's: it picks the `<Say>` voice;
    `keypad_only` asks a record-mode business's question without recording an answer nobody
    could transcribe (no model for the caller's language); a `speech: twilio` business's
    questions are never keypad only (Twilio's recogniser needs nothing of ours).
    """

    said: tuple[str, ...]
    ask: Ask | None = None
    number: int = 0
    handover: Verbs = ()
    language: str = "en"
    keypad_only: bool = False


def settle(runtime: Runtime, business: Business, call_sid: str, turn: Turn,
           call: dict[str, Any], base: str) -> Step:
    """Store what the step needs before the caller hears it: a question is numbered and
    recorded for the stream; a transfer marks the call and starts the hunt (its first person
    rung). `call` holds the call's facts as read when its answer was claimed ({} for a new
    call, which is numbered atomically)."""
    store = runtime.store
    said = tuple(turn.said)
    language = turn.state.language
    for action in turn.actions:
        if isinstance(action, Ask):
            # the grammar (kilobytes) is kept only for a listener: the stream or a transcriber
            mode = listening_mode(runtime, business, base, language)
            listener = mode in ("stream", "record")
            number = store.number_question(
                business.key, call_sid, call.get("turn"), slot=action.slot,
                grammar=(list(action.grammar) or None) if listener else None, phase="ask",
                digits=digits_needed(action), language=language)
            return Step(said[:-1], action, number,  # the prompt is said by the Gather
                        language=language, keypad_only=not listener and mode != "twilio")
        if isinstance(action, End):
            return Step(said, language=language)
        if isinstance(action, Transfer):
            store.set_call(business.key, call_sid, phase="transfer")
            return Step(said, handover=transfer_verbs(runtime, business, turn, call_sid, base),
                        language=language)
    return Step(said, language=language)  # the goodbye included (`wording`)


def render(business: Business, step: Step, base: str, builder: Builder | None = None,
           streaming: bool = False) -> str:
    """The TwiML for a settled step, speaking the lines the turn recorded (`turn.said`, worded
    by `wording`). Pure: reads and writes nothing.

    Never leaves the caller in silence: a step without a question or a handover hangs up
    after its words, which then end with a goodbye (`wording`). `streaming`: the call's
    speech stream runs, and is stopped once the caller goes to a person or to voicemail.
    """
    builder = builder or Builder(voice_of(business, step.language), asides(business, step))
    if step.ask is not None:
        gather = voice_url(base, VOICE_GATHER, business.key, turn=step.number)
        timeout = voice_url(base, VOICE_TIMEOUT, business.key, turn=step.number)
        if business.speech == "record" and not step.keypad_only:
            record = voice_url(base, VOICE_RECORDED, business.key, turn=step.number)
            builder.recorded_question(step.ask, gather, record, timeout, step.said)
        else:
            builder.question(step.ask, gather, timeout, step.said, listening(business, step))
        return builder.xml()
    for text in step.said:
        builder.say(text)
    if step.handover:
        if streaming:
            builder.stop_stream()
        builder.extend(step.handover)
    else:
        builder.hangup()
    return builder.xml()


def listening(business: Business, step: Step) -> Listening | None:
    """How Twilio's recogniser hears `step`'s question: for a `speech: twilio` business, in the
    caller's language (the `<Say>` language of their voice: `en-US`, `es-US`) with the
    question's expected phrases as hints; None where speech comes over the Media Stream (or
    not at all), so the Gather stays keypad only, as Twilio then posts no SpeechResult."""
    if business.speech != "twilio" or step.ask is None or step.keypad_only:
        return None
    return Listening(voice_of(business, step.language).language, hints_for(step.ask))


# -- answers ----------------------------------------------------------------------------------
def answer(runtime: Runtime, business: Business, call_sid: str, turn: int, inp: Input,
           caller: str | None = None) -> str | None:
    """Act on the answer to question `turn` if it is the first; None when another answer won.

    The winner's next TwiML is stored under the turn for `/voice/next` to serve.
    """
    start = runtime.store.start_turn(business.key, call_sid, turn, CALL_FACTS)
    if not start.claimed:
        event("voice.turn_lost", log, business=business.key, sid=call_sid, turn=turn,
              kind=inp.kind)
        return None
    return _step(runtime, business, call_sid, turn, inp, caller, start)


def claim(runtime: Runtime, business: Business, call_sid: str, turn: int, kind: str) -> bool:
    """Whether this answer (keypad, speech, recording, silence) is the first for `turn`."""
    if runtime.store.claim_turn(business.key, call_sid, turn):
        return True
    event("voice.turn_lost", log, business=business.key, sid=call_sid, turn=turn, kind=kind)
    return False


def advance(runtime: Runtime, business: Business, call_sid: str, turn: int, inp: Input,
            caller: str | None = None) -> str | None:
    """Step the flow with the (already claimed) answer to `turn` and store the next TwiML;
    None when the call was already moved on without it (a hold that lasted too long)."""
    start = runtime.store.start_turn(business.key, call_sid, turn, CALL_FACTS, claim=False)
    return _step(runtime, business, call_sid, turn, inp, caller, start)


def _step(runtime: Runtime, business: Business, call_sid: str, turn: int, inp: Input,
          caller: str | None, start: TurnStart) -> str | None:
    if not start.call:
        # The call already ended (or its facts expired): never open a new conversation.
        return polite_goodbye(voice_of(business), GOODBYE)
    if not start.settled:
        return None  # the caller stopped holding for this answer and went to a person
    call = start.call
    loaded = Conversations.live(start.live)
    if loaded is not None and chooses_spanish(business, call, turn, inp, loaded.state.language):
        # The caller took the Spanish offer: the same question again, asked in Spanish.
        loaded = replace(loaded, state=replace(loaded.state, language="es"))
        inp = Input.start()
        event("voice.language_chosen", log, business=business.key, sid=call_sid,
              language="es")
    base = public_base(runtime.settings.public_url, call.get("base"))
    try:
        # With no Media Stream nothing reads the turn before the caller hears its TwiML, so
        # it is saved with the request's closing writes (the view sends them): one round trip
        # fewer. A stream reads the state as soon as the next question is numbered, so a
        # streamed call's turn is saved at once, before that number.
        result = runtime.conversations.handle(
            business, "voice", caller or call.get("caller", ""), inp, key=call_sid,
            sid=call_sid, loaded=loaded, words=wording(business),
            hold=not call.get("stream"))
        xml = render(business, settle(runtime, business, call_sid, result, call, base), base,
                     streaming=bool(call.get("stream")))
    except Exception as exc:  # noqa: BLE001 - the caller reaches a person instead
        event("voice.step_failed", log, logging.ERROR, business=business.key, sid=call_sid,
              turn=turn, error=type(exc).__name__)
        xml = human_twiml(runtime, business, base, intro=CONNECTING)
    runtime.store.cache_reply(business.key, next_key(call_sid, turn), xml)
    event("voice.answered", log, business=business.key, sid=call_sid, turn=turn, kind=inp.kind)
    return xml


def on_silence(runtime: Runtime, business: Business, call_sid: str, turn: int,
               wait: int = 0) -> str:
    """The Gather timed out. If the stream says the caller is still talking, wait a little;
    otherwise silence is the answer (the flow re-asks, then offers the keypad, then a human)."""
    call = runtime.store.get_call(business.key, call_sid)
    if call.get("speaking") == turn and wait < SPEAKING_LIMIT:
        builder = Builder(voice_of(business))
        base = public_base(runtime.settings.public_url, call.get("base"))
        builder.hold(voice_url(base, VOICE_TIMEOUT, business.key, turn=turn, wait=wait + 1))
        return builder.xml()
    xml = answer(runtime, business, call_sid, turn, Input.silence())
    return xml if xml is not None else waiting(runtime, business, call_sid, turn)


def mark_speaking(runtime: Runtime, business_key: str, call_sid: str, turn: int,
                  speaking: bool) -> None:
    """For the stream: the caller started (or stopped) talking over question `turn`, so a
    Gather timeout meanwhile waits for the words instead of counting silence; and, the first
    time per question, the prompt stops talking over them (barge-in)."""
    store = runtime.store
    store.set_call(business_key, call_sid, speaking=turn if speaking else None)
    if not speaking:
        return
    call = store.get_call(business_key, call_sid)
    if call.get("turn") != turn or call.get("phase") != "ask":
        return
    business = runtime.directory.by_key(business_key)
    if business is not None and store.once(business_key, f"barge:{call_sid}:{turn}"):
        redirect_call(runtime, business, call_sid, turn, VOICE_LISTEN)


def on_speech(runtime: Runtime, business_key: str, call_sid: str, turn: int, text: str,
              confidence: float) -> bool:
    """A finished utterance for question `turn` (from the Media Stream): act on it if it is
    the first answer, then move the live call to the next step. Returns whether it acted."""
    business = runtime.directory.by_key(business_key)
    if business is None:
        return False
    if runtime.store.get_call(business_key, call_sid).get("turn") != turn:
        return False  # an utterance for a question no longer (or not yet) asked
    inp = Input.speech(text, confidence) if text.strip() else Input("no_match")
    if answer(runtime, business, call_sid, turn, inp) is None:
        return False
    redirect_call(runtime, business, call_sid, turn)
    return True


def redirect_call(runtime: Runtime, business: Business, call_sid: str, turn: int,
                  path: str = VOICE_NEXT) -> None:
    """Move the live call to the stored next step of `turn` (REST through TWILIO_API_BASE).

    A failed redirect is logged, not raised: the call's own Gather timeout still reaches
    `/voice/timeout`, loses the claim and is served the same stored step.
    """
    base = public_base(runtime.settings.public_url,
                       runtime.store.get_call(business.key, call_sid).get("base"))
    try:
        runtime.twilio.calls(call_sid).update(url=voice_url(base, path, business.key, turn=turn),
                                              method="POST")
    except Exception as exc:  # noqa: BLE001 - the timeout path still carries the call
        event("voice.redirect_failed", log, logging.WARNING, business=business.key,
              sid=call_sid, turn=turn, error=type(exc).__name__)
