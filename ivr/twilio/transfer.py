"""TwiML for warm transfers, as pure functions: caller leg, hold, whisper, join, voicemail.

The skeleton is TwilioDevEd's warm transfer — the caller waits in a conference named after
their CallSid while the agent is dialled by REST with a URL that joins the same conference —
plus what makes it warm: the agent first hears a spoken summary and accepts with a keypress,
and a caller nobody takes is offered voicemail instead of silence. Every function returns a
TwiML string, except the caller's side, which is also offered as `Verbs` (`caller_leg_verbs`,
`voicemail_offer_verbs`) so the voice turn appends it after what the flow said; URLs are
passed in so nothing here knows about Flask or Redis.
"""

from __future__ import annotations

from twilio.twiml.voice_response import Dial, Gather, Hangup, Record, Say, VoiceResponse

from ivr.config.business import Business
from ivr.twilio.twiml import Verbs, Voice

#: How a leg speaks: the business's `Voice` (voice and language), a bare voice name, or Twilio's
#: default. Every <Say> of a business's call carries its language, or a Spanish business's
#: caller hears the goodbye read with an English voice's rules.
Speaker = Voice | str | None

#: Seconds an agent has to press 1 or 2 after the summary before we treat it as a pass.
ACCEPT_TIMEOUT_S = 6

#: Longest voicemail we take (seconds).
VOICEMAIL_MAX_S = 120

#: What the agent is asked after the whisper.
ACCEPT_PROMPT = "Press 1 to take this call, or 2 to pass."

#: What the agent is asked when the conversation with the caller is over.
FEEDBACK_PROMPT = "Did this call need you? Press 1 for yes, 2 for no."


#: How Spanish is said when the business names no voice for it (`voices: {es: ...}`): Amazon
#: Polly's US Spanish voice, for callers in Texas.
SPANISH_VOICE = Voice(voice="Polly.Lupe", language="es-US")


def voice_of(business: Business | None, language: str = "en") -> Voice | None:
    """The `<Say>` voice and language for a conversation in `language` (None: Twilio's
    default, no business): the business's own (`voice:`, `language:`) when that is the
    language it speaks anyway, else its `voices:` entry with that language's locale; Spanish
    said with an English voice is unintelligible."""
    if business is None:
        return None
    own = Voice(voice=business.voice, language=business.language)
    if language == "en" or business.language.lower().startswith(language):
        return own
    if language == "es":
        return Voice(voice=business.voices.get("es", SPANISH_VOICE.voice),
                     language=SPANISH_VOICE.language)
    return own


def _voice(voice: Speaker) -> dict[str, str]:
    if isinstance(voice, Voice):
        return {"voice": voice.voice, "language": voice.language}
    return {"voice": voice} if voice else {}


#: What a caller hears before the hold, by language ({agent}: the first name of who is rung).
CONNECTING_WORDS = {"en": "Connecting you with {agent}, who has your details.",
                    "es": "Le comunico con {agent}, que ya tiene sus datos."}


def caller_leg_verbs(agent: str, conference: str, *, wait_url: str, status_url: str,
                     voice: Speaker = None, language: str = "en") -> Verbs:
    """The caller's side: told who is coming, then held in the conference until they join.

    `startConferenceOnEnter=false` keeps the caller on hold (hearing `wait_url`) until the
    agent arrives; `endConferenceOnExit=true` ends it for everyone when the caller hangs up.
    """
    dial = Dial()
    dial.conference(conference, wait_url=wait_url, wait_method="POST",
                    start_conference_on_enter=False, end_conference_on_exit=True,
                    status_callback=status_url, status_callback_method="POST",
                    status_callback_event="start join leave end")
    words = CONNECTING_WORDS.get(language, CONNECTING_WORDS["en"]).format(agent=agent)
    return Say(words, **_voice(voice)), dial


def hold(agent: str | None, *, music_url: str | None, voice: Speaker = None,
         again_url: str | None = None) -> str:
    """Hold for the waiting caller: a reassurance naming who is being rung, then music, then
    a `<Redirect>` back to `again_url` (the waitUrl itself).

    Twilio's conference docs say a waitUrl's TwiML is played while the caller waits, but not
    whether the URL is fetched again when the document ends or the same one is replayed
    (checked: the `<Conference>` noun's waitUrl section). The redirect makes it right either
    way: each pass fetches the hunt's state anew, so when the first person passes the caller
    hears who is being rung next, and a platform that loops by itself just loops through us.
    """
    response = VoiceResponse()
    if agent:
        response.say(f"{agent}'s phone is ringing — thanks for waiting.", **_voice(voice))
    else:
        response.say("We're finding someone for you — thanks for waiting.", **_voice(voice))
    if music_url:
        response.play(music_url)
    else:
        response.pause(length=10)
    if again_url:
        response.redirect(again_url, method="POST")
    return str(response)


def whisper(text: str, *, audio_url: str | None, accept_url: str,
            voice: Speaker = None) -> str:
    """The agent's first words: the spoken summary, then "press 1 to take this call".

    The summary is played from locally rendered audio when it is ready, else said. No key
    within the timeout falls through to a redirect to the same action without digits, which
    the app treats as a pass, so the hunt moves on instead of the agent's line going quiet.
    """
    response = VoiceResponse()
    gather = Gather(num_digits=1, action=accept_url, method="POST", timeout=ACCEPT_TIMEOUT_S)
    if audio_url:
        gather.play(audio_url)
    else:
        gather.say(text, **_voice(voice))
    gather.say(ACCEPT_PROMPT, **_voice(voice))
    response.append(gather)
    response.redirect(accept_url, method="POST")
    return str(response)


def _feedback(response: VoiceResponse, feedback_url: str, voice: Speaker) -> None:
    gather = Gather(num_digits=1, action=feedback_url, method="POST", timeout=ACCEPT_TIMEOUT_S)
    gather.say(FEEDBACK_PROMPT, **_voice(voice))
    response.append(gather)
    response.hangup()


def agent_join(conference: str, *, status_url: str, feedback_url: str,
               voice: Speaker = None) -> str:
    """The accepting agent joins the caller's conference; afterwards, asked for feedback."""
    response = VoiceResponse()
    response.say("Connecting you now.", **_voice(voice))
    dial = Dial()
    dial.conference(conference, start_conference_on_enter=True, end_conference_on_exit=True,
                    beep=False, status_callback=status_url, status_callback_method="POST",
                    status_callback_event="start join leave end")
    response.append(dial)
    _feedback(response, feedback_url, voice)
    return str(response)


def agent_bridge(customer: str, *, caller_id: str, answered_url: str, feedback_url: str,
                 voice: Speaker = None) -> str:
    """Click-to-call for an SMS conversation: the accepting agent's leg dials the customer.

    `answered_url` runs on the customer's leg when they pick up, before the two are bridged:
    it tells them who is calling and marks the moment they reached a person.
    """
    response = VoiceResponse()
    response.say("Calling the customer now.", **_voice(voice))
    dial = Dial(caller_id=caller_id, timeout=30)
    dial.number(customer, url=answered_url, method="POST")
    response.append(dial)
    _feedback(response, feedback_url, voice)
    return str(response)


def empty() -> str:
    """No words: the leg simply carries on (a bridged callee is connected straight away)."""
    return str(VoiceResponse())


def customer_greeting(agent: str, business: str, voice: Speaker = None) -> str:
    """What a texter hears on picking up the bridged call, before the agent is connected."""
    response = VoiceResponse()
    response.say(f"Hi, this is {agent} from {business} about your text. Connecting you now.",
                 **_voice(voice))
    return str(response)


def say_then_hangup(text: str, voice: Speaker = None) -> str:
    """A polite last word (a pass acknowledged, a caller already gone, thanks for feedback)."""
    response = VoiceResponse()
    if text:
        response.say(text, **_voice(voice))
    response.hangup()
    return str(response)


#: The voicemail offer's words by the caller's language ({when}: the callback time, worded in
#: that language): the offer, the goodbye when no message came, the thanks after one.
VOICEMAIL_WORDS = {
    "en": ("Sorry, nobody could take your call right now. Please leave a message after the "
           "tone and we'll call you back {when}. We'll also text you to confirm.",
           "We didn't get a message, but we have your number and will call you back {when}. "
           "Goodbye.",
           "Thanks, we've got your message. We'll call you back {when}. Goodbye."),
    "es": ("Lo sentimos, nadie pudo atender su llamada en este momento. Por favor deje un "
           "mensaje después del tono y le llamaremos {when}. También le enviaremos un mensaje "
           "de texto para confirmar.",
           "No recibimos ningún mensaje, pero tenemos su número y le llamaremos {when}. Adiós.",
           "Gracias, ya tenemos su mensaje. Le llamaremos {when}. Adiós."),
}


def worded(template: str, when: str) -> str:
    """`template` with the callback time in it (Spanish times are worded "de la mañana", so
    no abbreviation's full stop meets the sentence's own)."""
    return template.format(when=when)


def voicemail_offer_verbs(callback_when: str, *, record_url: str, recording_status_url: str,
                          voice: Speaker = None, language: str = "en") -> Verbs:
    """Nobody could take the call: apologise, say when we'll call back, take a message; in
    the caller's language (`callback_when` already worded in it)."""
    offer, no_message, _ = VOICEMAIL_WORDS.get(language, VOICEMAIL_WORDS["en"])
    return (
        Say(worded(offer, callback_when), **_voice(voice)),
        Record(action=record_url, method="POST", max_length=VOICEMAIL_MAX_S, timeout=5,
               play_beep=True, finish_on_key="#", recording_status_callback=recording_status_url,
               recording_status_callback_method="POST"),
        Say(worded(no_message, callback_when), **_voice(voice)),
        Hangup())


def voicemail_thanks(callback_when: str, voice: Speaker = None, language: str = "en") -> str:
    """After the message: confirm it was taken and when to expect the call."""
    thanks = VOICEMAIL_WORDS.get(language, VOICEMAIL_WORDS["en"])[2]
    return say_then_hangup(worded(thanks, callback_when), voice)
