"""The carrier: Twilio's part on loopback — numbers, handsets, calls, texts, conferences,
recordings, the REST API and signed webhooks to the app.

    carrier = Carrier(account_sid, auth_token).start()
    carrier.connect(app_url=live.url, public_url=settings.public_url)
    replies = carrier.phone("+15125550199").text("+15125550100", "my furnace is out")
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ivr.sim import rest
from ivr.sim.couriers import Couriers
from ivr.sim.fallback import Fallback
from ivr.sim.faults import Faults
from ivr.sim.ids import API_VERSION, now
from ivr.sim.messaging import Message
from ivr.sim.optout import OptOuts
from ivr.sim.phone import Behaviour, Phone
from ivr.sim.server import LiveServer
from ivr.sim.wait import wait_for
from ivr.sim.webhooks import Exchange, Signing, Webhooks

if TYPE_CHECKING:
    from ivr.sim.call import Call
    from ivr.sim.conference import Conference
    from ivr.sim.recording import Recording

log = logging.getLogger("ivr.sim")


class Carrier:
    """Twilio stand-in for one account.

    Args:
        settle_s: how long `phone.text` keeps collecting replies after the last one arrived.
        pause_scale: <Pause length> is multiplied by this (pauses are dead air in a test).
        timeout_scale: <Gather>/<Record> timeouts are multiplied by this when nobody acts.
        ring_s: how long a seat rings before it answers.
        no_answer_s: how long an unanswered call rings (capped by the call's own Timeout).
        say_s_per_char: seconds a top-level <Say> takes per character (0: instant). A test sets
            it to make a window in which a person can hang up while words are still spoken
            (Twilio speaks at roughly 0.07 s per character).
    """

    def __init__(self, account_sid: str, auth_token: str, *, settle_s: float = 0.3,
                 pause_scale: float = 0.1, timeout_scale: float = 1.0, ring_s: float = 0.02,
                 no_answer_s: float = 0.3, say_s_per_char: float = 0.0) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.settle_s = settle_s
        self.pause_scale = pause_scale
        self.timeout_scale = timeout_scale
        self.ring_s = ring_s
        self.no_answer_s = no_answer_s
        self.say_s_per_char = say_s_per_char
        #: What a callback's `Timestamp` says. Twilio's clock and the app's agree in production;
        #: a test whose app runs on a FakeClock hands the carrier that clock (`live_app` does).
        self.clock: Callable[[], datetime] = now
        #: Seconds one pass of a conference waitUrl document lasts (its hold music, in a test).
        self.hold_loop_s = 0.5
        #: Words that take longer to say than `say_s_per_char` gives (`slow_say`).
        self.slow_phrases: dict[str, float] = {}
        self.webhooks = Webhooks(auth_token)
        #: The business numbers' Voice fallback URL (see `connect`).
        self.voice_fallback: Fallback | None = None
        #: Their Messaging fallback URL (see `connect`).
        self.sms_fallback: Fallback | None = None
        self.phones: dict[str, Phone] = {}
        self.messages: list[Message] = []
        self.calls: list[Call] = []
        self.conferences: list[Conference] = []
        self.recordings: dict[str, Recording] = {}
        self.errors: list[str] = []
        #: Refused numbers and Messages API outages a test asks for (see ivr/sim/faults.py).
        self.faults = Faults()
        #: Twilio's own STOP/START/HELP handling and opt-out list (see ivr/sim/optout.py).
        self.opt_outs = OptOuts()
        #: Default Media Stream handler for calls that do not set their own (see Call.on_stream).
        self.on_stream: Callable[..., object] | None = None
        self.lock = threading.RLock()
        self._server: LiveServer | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._couriers = Couriers(self._deliver_callback, faults=self.faults.callbacks)

    def slow_say(self, phrase: str, seconds: float) -> None:
        """Any <Say> containing `phrase` lasts `seconds` (0 forgets it): the window in which a
        test hangs up or acts while those words are still being spoken."""
        if seconds > 0:
            self.slow_phrases[phrase] = seconds
        else:
            self.slow_phrases.pop(phrase, None)

    def opt_out_management(self, enabled: bool = True, advanced: bool = False) -> None:
        """How the business numbers treat STOP/START/HELP: Twilio's default handling (on, as
        on a long code), off (a number that leaves keywords to the app), or Advanced Opt-Out
        (`advanced`: the webhook also carries OptOutType)."""
        self.opt_outs.enabled = enabled
        self.opt_outs.advanced = advanced

    def say_seconds(self, text: str) -> float:
        """How long saying `text` takes here (see `say_s_per_char` and `slow_say`)."""
        slow = [s for phrase, s in self.slow_phrases.items() if phrase in text]
        return max(slow) if slow else len(text) * self.say_s_per_char

    # --- lifecycle -------------------------------------------------------------------------
    def start(self, port: int = 0) -> Carrier:
        """Serve the REST API on loopback at `port` (0: a free one; see `api_base`)."""
        if self._server is None:
            self._server = LiveServer(rest.RestApi(self), port=port).start()
        self._couriers.start()
        return self

    @property
    def api_base(self) -> str:
        """The TWILIO_API_BASE that points the app's REST client at this carrier."""
        if self._server is None:
            raise RuntimeError("carrier not started: call carrier.start() first")
        return self._server.url

    @property
    def base_path(self) -> str:
        return f"/{API_VERSION}/Accounts/{self.account_sid}"

    def connect(self, app_url: str, public_url: str | None = None,
                voice_fallback: str | None = None, sms_fallback: str | None = None) -> Carrier:
        """Send webhooks to `app_url`, signed for `public_url` (the app's IVR_PUBLIC_URL).

        `voice_fallback`: the business numbers' Voice fallback URL ("Primary handler fails",
        a path or URL), requested when their calls' TwiML cannot be fetched or read
        (ivr/sim/fallback.py); None: such a call hears Twilio's application error.
        `sms_fallback`: their Messaging fallback URL, requested when `/sms/incoming` fails.
        """
        self.webhooks.connect(app_url, public_url)
        self.voice_fallback = (Fallback(self.webhooks.absolute(voice_fallback))
                               if voice_fallback else None)
        self.sms_fallback = (Fallback(self.webhooks.absolute(sms_fallback))
                             if sms_fallback else None)
        return self

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    def stop(self) -> None:
        """Hang up every live call, stop every sim thread and the REST server."""
        self._stopping.set()
        for call in list(self.calls):
            call.hangup(wait=False)
        for thread in list(self._threads):
            thread.join(timeout=5)
        self._couriers.stop()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def spawn(self, target: Callable[[], object], name: str) -> threading.Thread:
        """Run `target` on a tracked daemon thread (joined by `stop`)."""
        thread = threading.Thread(target=self._guard(target), name=f"sim-{name}", daemon=True)
        with self.lock:
            self._threads = [t for t in self._threads if t.is_alive()]
            self._threads.append(thread)
        thread.start()
        return thread

    # --- asynchronous callbacks ----------------------------------------------------------------
    def notify(self, url: str, params: Mapping[str, str], method: str = "POST",
               key: str = "") -> None:
        """Queue a status callback about resource `key` (a SID); callbacks about one resource
        arrive in order, off the caller's thread (Twilio's are asynchronous too)."""
        key = key or params.get("ConferenceSid") or params.get("CallSid") \
            or params.get("MessageSid") or ""
        self._couriers.post(key, self.webhooks.absolute(url), dict(params), method or "POST")

    def drain(self, timeout: float = 20.0, key: str = "") -> None:
        """Wait until the status callbacks queued so far (about `key`, or all) were delivered."""
        self._couriers.drain(key, timeout)

    def release_callbacks(self) -> None:
        """Deliver the callbacks `faults.park_callbacks` kept back, and keep no more."""
        self._couriers.release_parked()

    def _deliver_callback(self, url: str, params: dict[str, str], method: str) -> None:
        exchange = self.webhooks.request(url, params, method)
        if not exchange.ok:
            self.note_error(f"callback {url} answered {exchange.status} {exchange.error}".strip())

    def _guard(self, target: Callable[[], object]) -> Callable[[], None]:
        def run() -> None:
            try:
                target()
            except Exception as exc:  # a sim bug must surface in the test, not vanish
                log.exception("sim thread failed")
                self.note_error(f"sim thread crashed: {type(exc).__name__}: {exc}")
        return run

    # --- people ----------------------------------------------------------------------------
    def phone(self, number: str) -> Phone:
        """The handset for `number` (created on first use)."""
        with self.lock:
            if number not in self.phones:
                self.phones[number] = Phone(self, number)
            return self.phones[number]

    def seat(self, number: str, behaviour: Behaviour = "accept",
             keys: str | Sequence[str] = "1", answered_by: str | None = None) -> Phone:
        """Seat someone at `number` who answers the app's calls as `behaviour` (`answered_by`:
        what machine detection reports, see `Phone.seat`)."""
        return self.phone(number).seat(behaviour, keys, answered_by)

    agent = phone

    # --- records ---------------------------------------------------------------------------
    def record_message(self, message: Message) -> None:
        with self.lock:
            self.messages.append(message)

    def record_call(self, call: Call) -> None:
        with self.lock:
            self.calls.append(call)

    def note_error(self, problem: str) -> None:
        """Something the real Twilio would have flagged in its debugger (error 11200 etc.)."""
        log.warning("sim: %s", problem)
        with self.lock:
            self.errors.append(problem)

    def find_call(self, sid: str) -> Call | None:
        with self.lock:
            return next((c for c in self.calls if c.sid == sid), None)

    def find_message(self, sid: str) -> Message | None:
        with self.lock:
            return next((m for m in self.messages if m.sid == sid), None)

    def conference(self, name: str) -> Conference:
        """The newest conference called `name` (waits up to 5 s for it to appear)."""
        def newest() -> Conference | None:
            with self.lock:
                found = [c for c in self.conferences if c.name == name or c.sid == name]
            return found[-1] if found else None
        return wait_for(newest, 5.0, f"conference {name!r}")

    # --- tests -----------------------------------------------------------------------------
    def send(self, path: str, params: Mapping[str, str], method: str = "POST",
             signing: Signing = "valid") -> Exchange:
        """Send one webhook to the app by hand (e.g. a forged one with signing="wrong")."""
        params = {"AccountSid": self.account_sid, "ApiVersion": API_VERSION, **params}
        return self.webhooks.request(self.webhooks.absolute(path), params, method, signing)

    def wait_for(self, condition: Callable[[], Any], timeout: float = 15.0,
                 what: str = "condition") -> Any:
        return wait_for(condition, timeout, what)

    @property
    def exchanges(self) -> list[Exchange]:
        """Every request the sim made to the app, in order."""
        return list(self.webhooks.log)
