"""The terminal session core: one person driven by lines of text, printing what everyone hears.

`Session` reads lines from any iterable and prints to any stream, so a script file, a test and
a human at a keyboard drive it the same way (see terminal.py for `ivr simulate`/`ivr demo`).
Lines during a call: digits (e.g. `1`, `12#`) press keys; any other words are typed speech,
posted as Twilio's recogniser would, at a question that takes speech (elsewhere the terminal
says the question takes keys only); `/silence` lets a prompt time out; `/message` leaves a recording; `/hangup` hangs up.
A line starting with `/` is always the terminal's own command and never reaches the business;
`quit`, `/quit` and Ctrl-D leave (hanging up a live call first).
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO
from urllib.parse import urlsplit

from ivr.config.directory import Directory
from ivr.sim.call import Call
from ivr.sim.carrier import Carrier
from ivr.sim.controls import SpeechNotGathered
from ivr.sim.wait import WaitTimeout, settle

KEYS = re.compile(r"^[0-9*#]+$")
PLAYED = re.compile(r"^\[play (\S+)\]$")
DEFAULT_PERSON = "+15125550199"
HELP = """commands:
  businesses                      list the businesses and their staff
  call [BUSINESS]                 call a business (name, key or number)
  text [BUSINESS] MESSAGE         text a business
  seat STAFF BEHAVIOUR            how a staff phone (name or number) answers: accept pass
                                  no_answer busy voicemail manual
  agent STAFF                     answer that staff phone yourself (its calls wait for you)
  wait [SECONDS]                  wait for texts and calls to arrive
  help, /help                     this list
  quit, /quit, Ctrl-D             leave
during a call: digits press keys, other words are speech, /silence, /message,
  /hangup ends the call, /quit leaves"""

#: What is typed during a call, for `/help` in a call.
CALL_HELP = """during a call: digits (1, 12#) press keys, other words are speech, /silence lets the
  prompt time out, /message leaves a recording, /hangup ends the call, /quit (or Ctrl-D) leaves"""

#: Words that leave the terminal wherever they are typed.
QUIT = ("quit", "exit", "/quit")
#: Said when words are typed at a question that takes keys only: on Twilio they would reach no
#: one (the business hears speech over a Media Stream, which a terminal has no audio for).
KEYS_ONLY = ("  (this question takes keys only here: words reach this business as audio over "
             "its Media Stream, which the terminal cannot send; press keys, or give the "
             "business `speech: twilio` so Twilio's recogniser hears typed words)")


def shown(heard: str) -> str:
    """A heard line as a person would describe it: audio by what it is, not by its URL."""
    match = PLAYED.match(heard)
    if match is None:
        return heard
    path = urlsplit(match.group(1)).path
    if "/transfer/audio/" in path:
        return "(audio: the spoken summary of the conversation, as texted)"
    if "hold" in path:
        return "(hold music)"
    return f"(audio: {path})"


def indented(text: str, indent: str = "    ") -> str:
    """A multi-line message with its later lines indented under the first."""
    return text.replace("\n", "\n" + indent)


def stdin_lines(prompt: str = "> ") -> Iterator[str]:
    """Lines typed at the terminal until Ctrl-D (EOF) or Ctrl-C, both of which leave."""
    while True:
        try:
            yield input(prompt)
        except (EOFError, KeyboardInterrupt):
            print()  # the shell's prompt starts on a line of its own
            return


class Session:
    """One person at the terminal (see the module docstring for the line language)."""

    #: Printed when the session opens, so nobody meets a bare prompt (None: say nothing).
    banner: str | None = None

    def __init__(self, carrier: Carrier, directory: Directory | None = None,
                 out: TextIO | None = None, person: str = DEFAULT_PERSON,
                 timeout: float = 15.0) -> None:
        self.carrier = carrier
        self.directory = directory
        self.out = out or sys.stdout
        self.person = person
        self.timeout = timeout
        self.call: Call | None = None
        self._shown_heard: dict[str, int] = {}
        self._shown_texts: dict[str, int] = {}
        self._shown_peers: dict[str, tuple[str, ...]] = {}
        self._shown_ends: set[str] = set()

    # --- output ----------------------------------------------------------------------------
    def emit(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def label(self, number: str) -> str:
        if self.directory is not None:
            for business in self.directory:
                for staff in business.staff:
                    if staff.phone == number:
                        return f"{staff.name} {number}"
                if number in business.numbers:
                    return f"{business.name} {number}"
        return "you" if number == self.person else number

    def report(self) -> None:
        """Print whatever anyone heard or received since the last report: texts first (yours,
        the reply to what you just did, then staff's), then what each call heard."""
        phones = list(self.carrier.phones.items())
        for number, phone in sorted(phones, key=lambda item: item[0] != self.person):
            for message in phone.inbox[self._shown_texts.get(number, 0):]:
                self.emit(f"  {self.who(number)}sms from {self.label(message.from_)}: "
                          f"{indented(message.body)}")
            self._shown_texts[number] = len(phone.inbox)
        for number, phone in phones:
            for call in list(phone.calls):
                self.report_call(number, call)

    def who(self, number: str) -> str:
        return "" if number == self.person else f"[{self.label(number)}] "

    def report_call(self, number: str, call: Call) -> None:
        start = self._shown_heard.get(call.sid, 0)
        for line in call.heard[start:]:
            self.emit(f"  {self.who(number)}hears: {shown(line)}")
        self._shown_heard[call.sid] = len(call.heard)
        peers = peer_numbers(call)
        if number == self.person and peers and peers != self._shown_peers.get(call.sid):
            names = ", ".join(map(self.label, peers))
            self.emit(f"  (you are now talking to {names})")
            if self.call is None or self.call.ended:
                self.call = call  # a call back (after a text): what you type goes here
                self.emit(live_call_notice(self.label(call.from_), names))
        self._shown_peers[call.sid] = peers
        if call is self.call and call.ended:
            self.note_end(call)

    def note_end(self, call: Call) -> None:
        """Say once that the call is over, and so what is typed next is a command again."""
        if call.sid not in self._shown_ends:
            self._shown_ends.add(call.sid)
            self.emit(f"  (call ended: {call.status})")

    # --- input -----------------------------------------------------------------------------
    def resolve(self, name: str | None) -> str:
        """A business's number from its name, key or number (default: the first business)."""
        if name and name.startswith("+"):
            return name
        if self.directory is None or not len(self.directory):
            raise ValueError("no businesses loaded: give a number like +15125550100")
        for business in self.directory:
            if not name or name.lower() in (business.key, business.name.lower()) \
                    or name.lower() in business.name.lower():
                return business.numbers[0]
        raise ValueError(f"no business called {name!r} (try `businesses`)")

    def run(self, lines: Iterable[str] | None = None, echo: bool | None = None) -> None:
        """Handle `lines` (default: the keyboard) until they end or `quit`."""
        echo = lines is not None if echo is None else echo
        self.open()
        for raw in (stdin_lines() if lines is None else lines):
            line = raw.strip()
            if not line or line.startswith("#!"):
                continue
            if echo:
                self.emit(f"> {line}")
            try:
                if not self.handle(line):
                    break
            except (ValueError, WaitTimeout) as problem:
                self.emit(f"  ! {problem}")
            self.settle()
        if self.call is not None and not self.call.ended:
            self.call.hangup()
        self.settle()

    def open(self) -> None:
        """What happens as the session opens: the banner naming the commands."""
        if self.banner:
            self.emit(self.banner)

    def settle(self) -> None:
        settle(lambda: sum(len(p.inbox) for p in list(self.carrier.phones.values())),
               self.carrier.settle_s)
        self.report()

    #: What `help` prints between calls.
    help_text = HELP

    def handle(self, line: str) -> bool:
        """One line: a call action while a call is live, else a command. False means quit."""
        if self.call is not None and not self.call.ended:
            return self.in_call(line)
        word, _, rest = line.partition(" ")
        if word in QUIT:
            return False
        if word in ("help", "/help"):
            self.emit(self.help_text)
        else:
            self.command(word, rest, line)
        return True

    def command(self, word: str, rest: str, line: str) -> None:
        """A line between calls that is neither quit nor help."""
        if word == "call":
            self.dial(self.resolve(rest.strip() or None))
        elif word == "text":
            self.text(rest)
        elif word.startswith("/") or KEYS.match(word):
            self.emit("  (no call in progress: `call BUSINESS` first, `help` for commands)")
        else:
            self.emit(self.help_text)

    def dial(self, number: str) -> None:
        self.emit(f"  calling {self.label(number)} …")
        self.call = self.carrier.phone(self.person).call(number)
        self.after_action()

    def text(self, rest: str) -> None:
        self.carrier.phone(self.person).text(*self.addressed(rest))

    def addressed(self, rest: str) -> tuple[str, str]:
        """(business number, message) from `[BUSINESS] MESSAGE` (no business: the first)."""
        target, _, body = rest.partition(" ")
        try:
            number = self.resolve(target)
        except ValueError:
            number, body = self.resolve(None), rest
        if not body.strip():
            raise ValueError("nothing to text: text [BUSINESS] MESSAGE")
        return number, body.strip()

    def in_call(self, line: str) -> bool:
        call = self.call
        assert call is not None
        if line in QUIT:  # leave the terminal: hang up first
            call.hangup()
            self.after_action()
            return False
        if line == "/help":
            self.emit(CALL_HELP)
            return True
        if line in ("/hangup", "hangup"):
            call.hangup()
        elif line == "/silence":
            call.silence(timeout=self.timeout)
        elif line == "/message":
            call.leave_message(timeout=self.timeout)
        elif KEYS.match(line):
            call.press(line, timeout=self.timeout)
        elif line.startswith("/"):  # the terminal's, never said to the business
            self.emit(f"  (unknown command {line.split()[0]}: /help lists them)")
            return True
        elif call.peers:
            # Talking to a person, not the bot: nothing listens for a Gather, so don't wait.
            names = ", ".join(self.label(n) if n != self.person else f"the caller {n}"
                              for n in peer_numbers(call))
            self.emit(f"  (you say to {names}: {line})")
            return True
        else:
            try:
                call.say(line, timeout=self.timeout)
            except SpeechNotGathered:
                self.emit(KEYS_ONLY)
                return True
        self.after_action()
        return True

    def after_action(self) -> None:
        call = self.call
        if call is None:
            return
        with contextlib.suppress(WaitTimeout):
            call.settle(self.timeout)
        self.report()
        if call.ended:
            self.note_end(call)


def live_call_notice(caller: str, names: str) -> str:
    """What the terminal says when a text turns into a live call: from now on what is typed is
    said to a person, not texted, until the call ends."""
    return (f"  ** live call: {caller} called you back and put you through to {names}. What you "
            "type now is said to them, not texted.\n     /hangup ends the call; /quit or Ctrl-D "
            "leaves the terminal.")


def peer_numbers(call: Call) -> tuple[str, ...]:
    """The phone numbers of the people `call` is talking to right now."""
    return tuple(p.to if p.direction.startswith("outbound") else p.from_ for p in call.peers)


def take_call(session: Session, number: str, timeout: float) -> Call:
    """`number`'s ringing or live call, else the next one to arrive (the user answers it)."""
    phone = session.carrier.phone(number)
    live = [call for call in list(phone.calls) if not call.ended]
    if live:
        return live[-1]
    session.emit("  waiting for the next call …")
    return phone.wait_for_call(timeout, len(phone.calls))
