"""A person on the terminal, through the carrier simulator: call or text a business, or sit in an
on-call seat, and see what everyone hears and receives.

The core is `Session`, which reads lines from any iterable and prints to any stream, so a
script file, a test and a human at a keyboard drive it the same way. `run_terminal` (behind
`ivr simulate`) points a fresh carrier at a running ivr; `DemoSession` (behind `ivr demo`) adds
a small command language on top of the demo's own carrier.

Lines during a call: digits (e.g. `1`, `12#`) press keys; any other words are typed speech;
`/silence` lets a prompt time out; `/message` leaves a recording; `/hangup` hangs up.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO
from urllib.parse import urlsplit

from ivr.business import Directory, load_directory
from ivr.config import Settings
from ivr.sim.call import Call
from ivr.sim.carrier import Carrier
from ivr.sim.wait import WaitTimeout, settle

KEYS = re.compile(r"^[0-9*#]+$")
DEFAULT_PERSON = "+15125550199"
HELP = """commands:
  businesses                      list the businesses and their staff
  call [BUSINESS]                 call a business (name, key or number)
  text [BUSINESS] MESSAGE         text a business
  seat NUMBER BEHAVIOUR           how a staff phone answers: accept pass no_answer busy
                                  voicemail manual
  agent NUMBER                    act as that staff phone (its next call is yours)
  wait [SECONDS]                  wait for texts and calls to arrive
  quit
during a call: digits press keys, other words are speech, /silence, /message, /hangup"""


def stdin_lines(prompt: str = "> ") -> Iterator[str]:
    """Lines typed at the terminal until EOF."""
    while True:
        try:
            yield input(prompt)
        except EOFError:
            return


class Session:
    """One person at the terminal (see the module docstring for the line language)."""

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

    # --- output ----------------------------------------------------------------------------
    def emit(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def as_person(self, number: str) -> Session:
        """This session's view with `number` as the person (to act for a staff phone)."""
        view = Session(self.carrier, self.directory, self.out, number, self.timeout)
        return view

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
        """Print whatever anyone heard or received since the last report."""
        for number, phone in list(self.carrier.phones.items()):
            mine = number == self.person
            who = "" if mine else f"[{self.label(number)}] "
            for message in phone.inbox[self._shown_texts.get(number, 0):]:
                self.emit(f"  {who}sms from {self.label(message.from_)}: {message.body}")
            self._shown_texts[number] = len(phone.inbox)
            for call in list(phone.calls):
                start = self._shown_heard.get(call.sid, 0)
                for line in call.heard[start:]:
                    self.emit(f"  {who}hears: {line}")
                self._shown_heard[call.sid] = len(call.heard)
                peers = tuple(p.to if p.direction.startswith("outbound") else p.from_
                              for p in call.peers)
                if mine and peers and peers != self._shown_peers.get(call.sid):
                    self.emit(f"  (you are now talking to {', '.join(map(self.label, peers))})")
                self._shown_peers[call.sid] = peers

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

    def settle(self) -> None:
        settle(lambda: sum(len(p.inbox) for p in list(self.carrier.phones.values())),
               self.carrier.settle_s)
        self.report()

    def handle(self, line: str) -> bool:
        """One line: a call action while a call is live, else a command. False means quit."""
        if self.call is not None and not self.call.ended:
            return self.in_call(line)
        word, _, rest = line.partition(" ")
        if word in ("quit", "exit", "/quit"):
            return False
        if word == "call":
            self.dial(self.resolve(rest.strip() or None))
        elif word == "text":
            self.text(rest)
        else:
            self.emit(HELP)
        return True

    def dial(self, number: str) -> None:
        self.emit(f"  calling {self.label(number)} …")
        self.call = self.carrier.phone(self.person).call(number)
        self.after_action()

    def text(self, rest: str) -> None:
        target, _, body = rest.partition(" ")
        try:
            number = self.resolve(target)
        except ValueError:
            number, body = self.resolve(None), rest
        if not body.strip():
            raise ValueError("nothing to text: text [BUSINESS] MESSAGE")
        self.carrier.phone(self.person).text(number, body.strip())

    def in_call(self, line: str) -> bool:
        call = self.call
        assert call is not None
        if line in ("/hangup", "hangup"):
            call.hangup()
        elif line == "/silence":
            call.silence(timeout=self.timeout)
        elif line == "/message":
            call.leave_message(timeout=self.timeout)
        elif KEYS.match(line):
            call.press(line, timeout=self.timeout)
        else:
            call.say(line, timeout=self.timeout)
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
            self.emit(f"  (call ended: {call.status})")


class AgentSession(Session):
    """The person is on-call staff: the app's next call to their number is theirs to drive."""

    def __init__(self, carrier: Carrier, **kwargs: object) -> None:
        super().__init__(carrier, **kwargs)  # type: ignore[arg-type]
        carrier.seat(self.person, "manual")

    def handle(self, line: str) -> bool:
        if self.call is None or self.call.ended:
            word, _, rest = line.partition(" ")
            if word in ("quit", "exit", "/quit"):
                return False
            if word in ("wait", "/wait", "answer"):
                self.call = self.take_call(float(rest or 60))
                self.after_action()
                return True
            return super().handle(line)
        return self.in_call(line)


    def take_call(self, timeout: float) -> Call:
        """The phone's ringing or live call, else the next one to arrive."""
        phone = self.carrier.phone(self.person)
        live = [call for call in list(phone.calls) if not call.ended]
        if live:
            return live[-1]
        self.emit("  waiting for the next call …")
        return phone.wait_for_call(timeout, len(phone.calls))


class DemoSession(Session):
    """`ivr demo`: the command language over the demo's carrier and shipped businesses."""

    def __init__(self, settings: Settings, carrier: Carrier, lines: Iterable[str] | None = None,
                 out: TextIO | None = None, person: str = DEFAULT_PERSON) -> None:
        super().__init__(carrier, load_directory(settings.config_path), out, person)
        self.lines = lines
        for business in self.directory or ():
            for staff in business.staff:
                if carrier.phone(staff.phone).behaviour is None:
                    carrier.seat(staff.phone, "accept")

    def run(self, lines: Iterable[str] | None = None, echo: bool | None = None) -> None:
        if lines is None and self.lines is None:
            self.emit(f"You are {self.person}. Type `help` for commands.")
        super().run(lines if lines is not None else self.lines, echo)

    def handle(self, line: str) -> bool:
        if self.call is not None and not self.call.ended:
            return self.in_call(line)
        word, _, rest = line.partition(" ")
        args = rest.split()
        if word == "businesses":
            for business in self.directory or ():
                staff = ", ".join(f"{s.name} {s.phone}" for s in business.staff)
                self.emit(f"  {business.name} ({business.key}) {', '.join(business.numbers)}"
                          f" — staff: {staff}")
        elif word == "seat" and len(args) == 2:
            self.carrier.seat(args[0], args[1])  # type: ignore[arg-type]
            self.emit(f"  {self.label(args[0])} will {args[1].replace('_', ' ')}")
        elif word == "agent" and args:
            self.carrier.seat(args[0], "manual")
            self.emit(f"  you now answer {self.label(args[0])}")
            self.call = AgentSession.take_call(self.as_person(args[0]), 60)
            self.after_action()
        elif word == "wait":
            settle(lambda: sum(len(p.inbox) + len(p.calls)
                               for p in list(self.carrier.phones.values())),
                   float(args[0]) if args else 2.0, limit=60)
        elif word == "help":
            self.emit(HELP)
        else:
            return super().handle(line)
        return True


def loopback_port(api_base: str) -> int:
    """The port of a loopback TWILIO_API_BASE (0 when it is not one of ours)."""
    parts = urlsplit(api_base)
    if parts.hostname in ("127.0.0.1", "localhost") and parts.port:
        return parts.port
    return 0


def run_terminal(settings: Settings, role: str = "caller", business: str | None = None,
                 caller: str = DEFAULT_PERSON, lines: Iterable[str] | None = None,
                 out: TextIO | None = None) -> None:
    """`ivr simulate`: seat the user as caller, texter or agent against a running ivr.

    The running `ivr serve` must share this process's TWILIO_ACCOUNT_SID/AUTH_TOKEN and have
    TWILIO_API_BASE pointing at a loopback port, which this carrier then serves, so the
    app's texts and calls reach the terminal.
    """
    out = out or sys.stdout
    if not settings.public_url:
        raise SystemExit("ivr simulate: set IVR_PUBLIC_URL to the running ivr (e.g. "
                         "http://127.0.0.1:5000)")
    port = loopback_port(settings.api_base)
    carrier = Carrier(settings.account_sid or "AC" + "0" * 32,
                      settings.auth_token).start(port)
    carrier.connect(settings.public_url, settings.public_url)
    if not port:
        print(f"note: the server's REST calls go to {settings.api_base}; run `ivr serve` with "
              f"TWILIO_API_BASE={carrier.api_base} so its texts and calls reach you", file=out)
    directory = load_directory(settings.config_path)
    try:
        if role == "agent":
            AgentSession(carrier, directory=directory, out=out, person=caller).run(lines)
            return
        session = Session(carrier, directory, out, person=caller)
        for each in directory:
            for staff in each.staff:
                carrier.seat(staff.phone, "accept")
        number = session.resolve(business)
        if role == "texter":
            texts = (stdin_lines() if lines is None else lines)
            session.run((f"text {number} {line}" for line in texts
                         if line.strip() not in ("quit", "exit")), echo=lines is not None)
        else:
            session.dial(number)
            session.run(lines)
    finally:
        carrier.stop()
