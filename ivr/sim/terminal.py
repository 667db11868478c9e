"""A person on the terminal, through the carrier simulator: call or text a business, or sit in an
on-call seat, and see what everyone hears and receives.

The core is `Session`, which reads lines from any iterable and prints to any stream, so a
script file, a test and a human at a keyboard drive it the same way. `run_terminal` (behind
`ivr simulate`) points a fresh carrier at a running ivr; `DemoSession` (behind `ivr demo`) adds
a small command language on top of the demo's own carrier.

Lines during a call: digits (e.g. `1`, `12#`) press keys; any other words are typed speech;
`/silence` lets a prompt time out; `/message` leaves a recording; `/hangup` hangs up.
Every seat opens with a banner naming its commands; `/help`, `/hangup` and `/quit` are the
terminal's and never reach the business; `quit`, `/quit` and Ctrl-D leave.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TextIO
from urllib.parse import urlsplit

import requests

from ivr.config.directory import load_directory
from ivr.config.settings import Settings
from ivr.sim.call import Call
from ivr.sim.carrier import Carrier
from ivr.sim.phone import BEHAVIOURS
from ivr.sim.session import CALL_HELP, DEFAULT_PERSON, HELP, QUIT, Session, take_call
from ivr.sim.wait import settle
from ivr.twilio import urls

__all__ = ["AgentSession", "CallerSession", "DemoSession", "Session", "TexterSession",
           "run_terminal"]

#: What `seat NUMBER BEHAVIOUR` promises, in words.
SEATED = {
    "accept": "will answer and press 1 to take the call",
    "pass": "will answer and press 2 to pass",
    "no_answer": "will not answer",
    "busy": "will be busy",
    "voicemail": "will let it go to their voicemail",
    "manual": "will be answered by you (`agent NUMBER`)",
}

AGENT_HELP = """you are on call: the app's calls to your phone are yours to answer.
  answer [SECONDS]                wait for the next call to your phone and answer it
  text [BUSINESS] MESSAGE         a customer ({customer}) texts the business, e.g.
                                  `text I smell gas`; escalations ring you
  help, /help                     this list
  quit, /quit, Ctrl-D             leave
during a call: digits press keys (1 takes it), other words are speech, /hangup ends it"""

TEXTER_HELP = """each line you type is a text to {business}; the replies are printed under it.
  /text MESSAGE                   text MESSAGE exactly (e.g. `/text help` sends the word HELP)
  /help                           this list
  /quit, quit, Ctrl-D             leave
if the business calls you back (a person takes your text), you are in a live call: what you
  type is said to them, /hangup ends the call and you are texting again"""


class AgentSession(Session):
    """The person is on-call staff: the app's next call to their number is theirs to drive."""

    def __init__(self, carrier: Carrier, customer: str = DEFAULT_PERSON,
                 **kwargs: object) -> None:
        super().__init__(carrier, **kwargs)  # type: ignore[arg-type]
        carrier.seat(self.person, "manual")
        #: Texts typed here come from this customer, so the escalation rings you, not them.
        self.customer = customer if customer != self.person else "+15125550198"
        answers_callbacks(carrier, self.customer)

    @property
    def banner(self) -> str:  # type: ignore[override]
        return (f"ivr: you are on call at {self.label(self.person)}.\n"
                + AGENT_HELP.format(customer=self.customer))

    def handle(self, line: str) -> bool:
        if self.call is None or self.call.ended:
            word, _, rest = line.partition(" ")
            if word in QUIT:
                return False
            if word in ("wait", "/wait", "answer"):
                self.call = self.take_call(float(rest or 60))
                self.after_action()
                return True
            if word == "text":
                self.carrier.phone(self.customer).text(*self.addressed(rest))
                return True
            self.emit(AGENT_HELP.format(customer=self.customer))
            return True
        return self.in_call(line)

    def take_call(self, timeout: float) -> Call:
        return take_call(self, self.person, timeout)


class DemoSession(Session):
    """`ivr demo`: the command language over the demo's carrier and shipped businesses."""

    def __init__(self, settings: Settings, carrier: Carrier, lines: Iterable[str] | None = None,
                 out: TextIO | None = None, person: str = DEFAULT_PERSON) -> None:
        super().__init__(carrier, load_directory(settings.config_path), out, person)
        self.lines = lines
        answers_callbacks(carrier, person)
        for business in self.directory or ():
            for staff in business.staff:
                if carrier.phone(staff.phone).behaviour is None:
                    carrier.seat(staff.phone, "accept")

    @property
    def banner(self) -> str:  # type: ignore[override]
        return f"ivr demo: you are {self.person}, a customer.\n{HELP}"

    def run(self, lines: Iterable[str] | None = None, echo: bool | None = None) -> None:
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
                orders = business.load_orders()
                if orders:  # something to ask the shop about
                    self.emit(f"    orders on file: {', '.join(o.order_id for o in orders[:3])}")
        elif word == "seat" and len(args) >= 2:
            number, behaviour = self.staff_number(" ".join(args[:-1])), args[-1]
            if behaviour not in BEHAVIOURS:
                raise ValueError(f"seat: behaviour is one of {', '.join(BEHAVIOURS)}")
            self.carrier.seat(number, behaviour)  # type: ignore[arg-type]
            self.emit(f"  {self.label(number)} {SEATED[behaviour]}")
        elif word == "agent" and args:
            number = self.staff_number(rest)
            self.carrier.seat(number, "manual")
            ringing = [call for call in list(self.carrier.phone(number).calls) if not call.ended]
            if not ringing:
                self.emit(f"  {self.label(number)}'s calls are yours to answer now: text the "
                          f"business (e.g. `text hvac I smell gas`), then `agent {rest}` again")
                return True
            self.emit(f"  you answer {self.label(number)}; /hangup when done")
            self.call = ringing[-1]
            self.after_action()
        elif word == "wait":
            settle(lambda: sum(len(p.inbox) + len(p.calls)
                               for p in list(self.carrier.phones.values())),
                   float(args[0]) if args else 2.0, limit=60)
        else:
            return super().handle(line)
        return True

    def staff_number(self, who: str) -> str:
        """A staff phone from a number or a (first) name, e.g. `Dana` or `+15125550111`."""
        who = who.strip()
        if who.startswith("+"):
            return who
        for business in self.directory or ():
            for staff in business.staff:
                if who and who.lower() in staff.name.lower():
                    return staff.phone
        raise ValueError(f"no staff member called {who!r} (try `businesses`)")


class TexterSession(Session):
    """`ivr simulate --as texter`: each line is a text to one business, except the terminal's
    own commands, which never reach it (a texted `/quit` once opted the texter out)."""

    def __init__(self, carrier: Carrier, business: str, **kwargs: object) -> None:
        super().__init__(carrier, **kwargs)  # type: ignore[arg-type]
        self.business = business

    @property
    def banner(self) -> str:  # type: ignore[override]
        return (f"ivr simulate: you are {self.person}, texting {self.label(self.business)}.\n"
                + self.help_text)

    @property
    def help_text(self) -> str:  # type: ignore[override]
        return TEXTER_HELP.format(business=self.label(self.business))

    def command(self, word: str, rest: str, line: str) -> None:
        """Every other line is a text; the terminal's own `/` commands never reach the business."""
        if word == "/text":
            if not rest.strip():
                raise ValueError("nothing to text: /text MESSAGE")
            self.carrier.phone(self.person).text(self.business, rest.strip())
        elif word == "/hangup":
            self.emit("  (no call in progress: each line you type is a text)")
        elif word.startswith("/"):
            self.emit(f"  (unknown command {word}: /help lists them)")
        else:
            self.carrier.phone(self.person).text(self.business, line)


class CallerSession(Session):
    """`ivr simulate` (as caller): the call to one business is placed as the session opens."""

    def __init__(self, carrier: Carrier, business: str, **kwargs: object) -> None:
        super().__init__(carrier, **kwargs)  # type: ignore[arg-type]
        self.business = business

    @property
    def banner(self) -> str:  # type: ignore[override]
        return (f"ivr simulate: you are {self.person}, calling {self.label(self.business)}.\n"
                f"{CALL_HELP}\nafter the call: `call`, `text`, `help`, `quit`")

    def open(self) -> None:
        super().open()
        self.dial(self.business)


def answers_callbacks(carrier: Carrier, number: str) -> None:
    """A customer's phone picks up when the app calls back (a texter's warm transfer)."""
    if carrier.phone(number).behaviour is None:
        carrier.seat(number, "accept", keys=())


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
        settings = settings.with_(public_url="http://127.0.0.1:5000")
    try:
        requests.get(f"{settings.public_url}/healthz", timeout=5).close()
    except requests.RequestException:
        raise SystemExit(f"ivr simulate: nothing answers at {settings.public_url}: start "
                         "`ivr serve` first, or set IVR_PUBLIC_URL to where it runs") from None
    port = loopback_port(settings.api_base)
    carrier = Carrier(settings.account_sid or "AC" + "0" * 32,
                      settings.auth_token).start(port)
    carrier.connect(settings.public_url, settings.public_url,  # the console's fallback URLs too
                    voice_fallback=urls.VOICE_FALLBACK, sms_fallback=urls.SMS_FALLBACK)
    if not port:
        print(f"note: the server's REST calls go to {settings.api_base}; run `ivr serve` with "
              f"TWILIO_API_BASE={carrier.api_base} so its texts and calls reach you", file=out)
    directory = load_directory(settings.config_path)
    try:
        if role == "agent":
            if caller == DEFAULT_PERSON:  # not given: the first in the business's hunt
                chosen = directory.by_number(Session(carrier, directory).resolve(business))
                first = chosen.staff_named(chosen.on_call[0].staff) if chosen else None
                caller = first.phone if first else caller
            AgentSession(carrier, directory=directory, out=out, person=caller).run(lines)
            return
        answers_callbacks(carrier, caller)
        for each in directory:
            for staff in each.staff:
                carrier.seat(staff.phone, "accept")
        number = Session(carrier, directory).resolve(business)
        if role == "texter":
            TexterSession(carrier, number, directory=directory, out=out, person=caller).run(lines)
        else:
            CallerSession(carrier, number, directory=directory, out=out,
                          person=caller).run(lines)
    finally:
        carrier.stop()

