"""The conversation service: load state, advance the flow core, record, hand actions on.

Both channels call `Conversations.handle`; it knows the store and the flow core, not Flask or
TwiML. Side effects that reach people (staff texts, warm transfers, follow-ups) are passed to
the `effects` hooks so each capability plugs in without this module growing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from phonenumbers import NumberParseException, geocoder, parse

from ivr.analytics.metrics import REPEAT_WINDOW
from ivr.config.business import Business
from ivr.conversation.optout import opted_out_at_carrier
from ivr.flow.actions import Action, Ask, End, Say, Unanswered
from ivr.flow.context import Context, CustomerFacts, Order, OrderIndex, Recent, Similar
from ivr.flow.engine import step
from ivr.flow.events import Input
from ivr.flow.language import Detect
from ivr.flow.loader import load_flow
from ivr.flow.model import Flow
from ivr.flow.redact import redact
from ivr.flow.state import State
from ivr.handoff.outcomes import Handoff, Outcome
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.semantic.language import detector
from ivr.store.conversations import Stored
from ivr.store.records import Record, Said, add_turn, iso, new_conversation

log = logging.getLogger("ivr.conversation.service")

T = TypeVar("T")

#: A hook run after each saved step: (runtime, business, record, actions) -> what it did, or
#: None when the actions were none of its business. It must be idempotent (a retried webhook
#: runs it again) and never raise.
Effect = Callable[[Runtime, Business, Record, list[Action]], Outcome | None]

#: The latest version (mtime) of each file loaded, with what it loaded (or how it failed).
_loaded: dict[Path, tuple[float, Any]] = {}
_loading = threading.Lock()


def load_once(path: Path, load: Callable[[], T]) -> T:
    """What `load()` made of `path`, loaded once per file version (a changed file reloads).

    Under a lock, so the threads of a fresh web worker that all take their first call at once
    load it once, not once each. A file that fails to load fails the same way until it
    changes, without being loaded again on every request.
    """
    mtime = path.stat().st_mtime
    found = _loaded.get(path)
    if found is None or found[0] != mtime:
        with _loading:
            found = _loaded.get(path)
            if found is None or found[0] != mtime:
                try:
                    value: Any = load()
                except Exception as exc:  # noqa: BLE001 - kept and raised again below
                    value = exc
                found = _loaded[path] = (mtime, value)
    if isinstance(found[1], Exception):
        raise found[1].with_traceback(None)  # tracebacks must not pile up on the kept one
    return found[1]


def flow_for(business: Business) -> Flow:
    """The business's flow, parsed once per file version (parsing takes tens of ms)."""
    return load_once(business.flow_path, lambda: load_flow(business.flow_path))


@dataclass(frozen=True)
class OrderBook:
    """A shop's orders, indexed once per file version (not scanned on every turn)."""

    by_phone: dict[str, tuple[Order, ...]]
    by_id: dict[str, Order]
    index: OrderIndex

    @classmethod
    def of(cls, orders: tuple[Order, ...]) -> OrderBook:
        by_phone: dict[str, list[Order]] = {}
        for order in orders:
            by_phone.setdefault(order.phone, []).append(order)
        return cls({k: tuple(v) for k, v in by_phone.items()}, {o.order_id: o for o in orders},
                   OrderIndex.of(orders))


_NO_ORDERS = OrderBook({}, {}, OrderIndex.of(()))


def orders_for(business: Business) -> OrderBook:
    """The shop's orders (`customers:` CSV), read and indexed once per file version."""
    path = business.customers_path
    if path is None or not path.exists():
        return _NO_ORDERS
    return load_once(path, lambda: OrderBook.of(business.load_orders()))


@lru_cache(maxsize=4096)
def place_of(phone: str) -> str | None:
    """The state or city a number is from (phonenumbers' geocoder, ~0.3 ms: cached per number)."""
    try:
        return geocoder.description_for_number(parse(phone, None), "en") or None
    except NumberParseException:
        return None


def customer_facts(business: Business, phone: str, locate: bool, book: OrderBook | None = None
                   ) -> tuple[CustomerFacts, dict[str, Order]]:
    """What the business knows of `phone`: its orders, its name, and (with `locate`) the
    state its number is from. `book`: the business's orders when already looked up."""
    if book is None:
        book = orders_for(business)
    mine = book.by_phone.get(phone, ())
    name = next((o.name for o in mine if o.name), None)
    return CustomerFacts(phone=phone, name=name, orders=mine,
                         suggested_state=place_of(phone) if locate else None), book.by_id


def asks_for_a_state(flow: Flow) -> bool:
    """Whether the flow has a state slot, the one question a number's place is offered for."""
    return any(slot.type == "state" for slot in flow.slots.values())


def build_context(business: Business, channel: str, phone: str, now: datetime,
                  flow: Flow, similar: Similar | None = None,
                  detect: Detect | None = None) -> Context:
    """The step's inputs for `flow`. A number is located only when the flow could offer the
    place (a new number's lookup costs more than the rest of a turn's facts). `similar` is the
    semantic layer for this flow (None: rules only); `detect` the language detector for the
    business's languages (None: English only)."""
    hours = business.opening_hours
    book = orders_for(business)  # once a turn: each look checks the file's version
    facts, by_id = customer_facts(business, phone, locate=asks_for_a_state(flow), book=book)
    return Context(now=now.astimezone(business.tz), channel=channel,  # type: ignore[arg-type]
                   business_name=business.name, params=business.params,
                   after_hours=not hours.is_open(now), next_opening=hours.next_opening(now),
                   customer=facts, orders_by_id=by_id,
                   order_index=book.index, hours_text=business.hours_text,
                   similar=similar, languages=business.languages, detect=detect)


#: Times a turn re-applies itself to a record that others keep changing before giving up.
SAVE_ATTEMPTS = 20


#: What a channel keeps with the live state for its next turn (an SMS menu's numbered options),
#: from the turn just taken: saved with the state, so it costs no write of its own.
Keep = Callable[["Turn"], dict[str, Any]]

#: Whether the effects would act on a turn's actions (`ivr.app.effects.effects_act`): only a
#: turn they leave alone may save its record with the request's closing writes.
Acts = Callable[[Business, list[Action]], bool]


@dataclass(frozen=True)
class Live:
    """A live conversation as a turn starts from it: flow state, record, the record's version,
    and what the channel kept with the state on the last turn (`Keep`)."""

    state: State
    record: Record
    version: str | None = None
    kept: dict[str, Any] = field(default_factory=dict)


@dataclass
class Turn:
    """The result of one `handle` call, for the channel to render.

    Attributes:
        actions: what the flow decided, in order.
        record: the conversation record after this turn (already saved).
        state: the flow state after this turn.
        key: the conversation key (the customer's number for SMS, the CallSid for voice).
        channel: "sms" or "voice".
        sid: the carrier's id of what started the turn (MessageSid or CallSid), if any.
        new: True when this turn began the conversation.
        outcomes: what the effects did, in the order they ran (`ivr.handoff.outcomes`).
        said: the bot's words of this turn as recorded in the transcript (`Words`).
    """

    actions: list[Action]
    record: Record
    state: State
    key: str
    channel: str = "sms"
    sid: str | None = None
    new: bool = False
    outcomes: tuple[Outcome, ...] = ()
    said: tuple[str, ...] = ()

    @property
    def ended(self) -> bool:
        return self.state.done

    @property
    def handoff(self) -> str | None:
        """Full name of the person the effects named to take over, if any (the staff text's
        first, else the call bridge's)."""
        return next((o.person for o in self.outcomes if isinstance(o, Handoff) and o.person),
                    None)


#: How a channel words one turn for the customer: the texts or prompts, in order, exactly as
#: they will be sent. Called before the effects (to record them with the turn) and again with
#: their outcomes; it must be pure (the same turn, the same words).
Words = Callable[[Turn], list[str]]


def flow_words(turn: Turn) -> list[str]:
    """The flow's own words: each `Say` and each question's prompt."""
    return [a.text if isinstance(a, Say) else a.prompt for a in turn.actions
            if isinstance(a, Say | Ask)]


#: What the warm-up says on each channel's throwaway first turn (`warm_flows`).
_WARM_TEXT = "Hi, what are your hours?"


def warm_flows(runtime: Runtime) -> None:
    """Take a throwaway first turn of every business's flow on each channel, saving nothing:
    it parses the flow, builds the semantic layer's index of its examples (loading the model),
    the language detector and the number's place, which a first customer after a start would
    otherwise wait seconds for (`ivr serve` runs this in each worker; `/readyz` waits for it).
    The flow core is pure, so nothing is stored or sent."""
    now = runtime.clock()
    for business in runtime.directory:
        try:
            flow = flow_for(business)
            for channel, inp in (("sms", Input.start(_WARM_TEXT)), ("voice", Input.start(""))):
                context = build_context(business, channel, business.numbers[0], now, flow,
                                        runtime.semantic.for_flow(flow),
                                        detector(business.languages))
                step(flow, State(flow=flow.name), inp, context)
        except Exception as exc:  # noqa: BLE001 - a broken flow fails its own turns, loudly
            event("warm_up.failed", log, logging.WARNING, business=business.key,
                  error=type(exc).__name__)


def repeat_since(now: datetime) -> datetime:
    """Where the repeat window starts: a text's arrival reads the number's records since."""
    return now - REPEAT_WINDOW


class Conversations:
    """Drives conversations for every business of a runtime."""

    def __init__(self, runtime: Runtime, effects: list[Effect] | None = None,
                 acts: Acts | None = None) -> None:
        self.runtime = runtime
        self.effects: list[Effect] = list(effects or [])
        #: Without a say from the effects' side, they are taken to act on every turn.
        self.acts: Acts = acts or (lambda _business, _actions: bool(self.effects))

    def _load(self, business: Business, channel: str, key: str) -> Live | None:
        return self.live(self.runtime.store.load_live(business.key, channel, key))

    @staticmethod
    def live(stored: Stored | None) -> Live | None:
        """A live conversation as the store read it (state dict, record, version), to step."""
        if stored is None:
            return None
        state, record, version = stored
        return Live(State.from_dict(state["flow_state"]), record, version,
                    state.get("kept") or {})

    def current(self, business: Business, channel: str, key: str) -> Live | None:
        """The live conversation under `key`, if any."""
        return self._load(business, channel, key)

    def opted_out_at_carrier(self, business: Business, phone: str) -> Record:
        """Twilio refused a text to `phone` (21610): close their conversation as `opted_out`.
        Reached through the runtime by the code that sends texts (`ivr.handoff.outbound`),
        which sits below this layer and so reports the refusal up rather than importing it."""
        return opted_out_at_carrier(self.runtime, business, phone)

    def handle(self, business: Business, channel: str, customer: str, inp: Input, *,
               loaded: Live | None, key: str | None = None, sid: str | None = None,
               words: Words = flow_words, earlier: list[Record] | None = None,
               keep: Keep | None = None, hold: bool = False) -> Turn:
        """Advance the conversation of `customer` (under `key`, default the customer's number)
        with one input; records the transcript and runs the effects hooks.

        `loaded` is what `current()` returned moments ago in the same request (None: no live
        conversation, this input starts one), so the state is not read twice. `words` is the
        channel's wording of the turn: what it records as the bot's lines is what it sends.
        The record is saved once, before the effects (their jobs read it); only when their
        outcomes change the words (a handoff that names the person) are the recorded lines
        replaced, in one more versioned write (`resay`).

        `earlier` is the customer's records in the repeat window as read with `loaded` (None:
        read here when needed); `keep` what the channel keeps with the state for its next
        turn. `hold`: the request sends its closing writes itself, so a turn the effects leave
        alone saves with them (one round trip with the reply), not in a round trip of its own.
        """
        key = key or customer
        now = self.runtime.clock()
        flow = flow_for(business)
        new = loaded is None
        if loaded is not None:
            state, record, version = loaded.state, loaded.record, loaded.version
        else:
            state, version = State(flow=flow.name), None
            record = new_conversation(business=business.name, business_key=business.key,
                                      channel=channel, caller=customer, flow=flow.name,
                                      now=now, sid=sid)
        context = build_context(business, channel, customer, now, flow,
                                self.runtime.semantic.for_flow(flow),
                                detector(business.languages))
        if new and channel == "sms":
            context = replace(context, recent=self.recent(business, customer, now, earlier))
        state, actions = step(flow, state, inp, context)
        turn = Turn(actions=actions, record=record, state=state, key=key, channel=channel,
                    sid=sid, new=new)
        turn.said = said = tuple(words(turn))
        if new and state.extra.get("after_end") and context.recent is not None:
            return self.after_the_end(business, turn, inp, context.recent, now,
                                      earlier=earlier, hold=hold)

        def change(into: Record) -> None:
            """This turn's part of the record: applied again on a fresh copy if need be."""
            if sid and sid not in into["sids"]:
                into["sids"].append(sid)
            if inp.kind in ("text", "speech", "digits") or (inp.kind == "start" and inp.text):
                add_turn(into, "caller", inp.text, now,
                         inp.confidence if inp.kind == "speech" else None)
            for text in said:
                add_turn(into, "bot", text, now)
            self._apply(into, state, actions, now)

        change(record)
        kept = keep(turn) if keep is not None else {}
        acts = self.acts(business, actions)
        self.save(business, channel, turn, version, change, kept=kept, hold=hold and not acts)
        event("flow.step", log, business=business.key, channel=channel,
              conversation=turn.record["id"], sid=sid or "-", bucket=state.bucket or "-",
              outcome=state.outcome or "-")
        if not acts:  # every effect would return None: the words stand as recorded
            return turn
        outcomes = [effect(self.runtime, business, turn.record, actions)
                    for effect in self.effects]
        turn.outcomes = tuple(o for o in outcomes if o is not None)
        final = tuple(words(turn)) if turn.outcomes else said  # pure: no outcome, same words
        if final != said:
            self.resay(business, turn, final)
        return turn

    def after_the_end(self, business: Business, turn: Turn, inp: Input, recent: Recent,
                      now: datetime, *, earlier: list[Record] | None = None,
                      hold: bool = False) -> Turn:
        """A short "thanks", "ok" or "no" after a conversation closed: kept on that
        conversation's record (its transcript and message ids), its outcome untouched.

        No new record is opened: one would count as a conversation resolved and as a repeat
        contact of the one it thanks, and the analytics would read better (and more often)
        than the business did. Nothing is for staff either, so no effect runs.

        With `hold` and the record among the `earlier` ones read on arrival, it is kept with
        the request's closing writes, as a turn the effects leave alone is (`save`), unless it
        changed since it was read; then, and otherwise, it is read again and kept
        (`Store.update`: three round trips of its own).
        """
        said = turn.said
        store = self.runtime.store

        def keep(into: Record) -> None:
            if turn.sid and turn.sid not in into["sids"]:
                into["sids"].append(turn.sid)
            add_turn(into, "caller", inp.text, now)
            for text in said:
                add_turn(into, "bot", text, now)

        def logged(kept: Record | None) -> None:
            event("flow.after_end", log, business=business.key, channel=turn.channel,
                  conversation=recent.conversation or "-", sid=turn.sid or "-",
                  kept=kept is not None)

        turn.new = False
        record = next((r for r in earlier or () if r.get("id") == recent.conversation), None)
        if hold and record is not None and store.holding():
            version = store.version_as_read(record)
            keep(record)
            turn.record = record

            def settled(saved: bool) -> None:
                logged(record if saved else store.update(recent.conversation or "", keep,
                                                         business=business.key))

            store.save_record_later(record, version, settled)
            return turn
        kept = (store.update(recent.conversation, keep, business=business.key)
                if recent.conversation else None)
        if kept is not None:
            turn.record = kept
        logged(kept)
        return turn

    def recent(self, business: Business, customer: str, now: datetime,
               records: list[Record] | None = None) -> Recent | None:
        """The number's last conversation when it ended within the repeat window (48 h), so
        a new text from it continues without a second greeting and disclosure. (Texts only: a
        call always opens with the greeting, the caller hears a new call.) `records`: the
        number's records started since `repeat_since(now)`, when already read."""
        if records is None:
            records = self.runtime.store.conversations([business.key],
                                                       since=repeat_since(now), phone=customer)
        ended = [r for r in records if r.get("ended_at")]
        if not ended:
            return None
        last = max(ended, key=lambda r: r["ended_at"])
        at = datetime.fromisoformat(last["ended_at"])
        if now - at > REPEAT_WINDOW:
            return None
        return Recent(ended_at=at, outcome=last.get("outcome"), conversation=last["id"])

    def resay(self, business: Business, turn: Turn, final: tuple[str, ...]) -> None:
        """Replace the bot's lines this turn recorded with `final` (what is actually sent)."""
        before = [redact(text) for text in turn.said]

        def fix(record: Record) -> None:
            transcript = record["transcript"]
            for start in range(len(transcript) - len(before), -1, -1):
                lines = transcript[start:start + len(before)]
                if [(t["role"], t["text"]) for t in lines] == [("bot", b) for b in before]:
                    at = lines[0]["at"] if lines else iso(self.runtime.clock())
                    transcript[start:start + len(before)] = [
                        Said(role="bot", text=redact(text), at=at) for text in final]
                    return

        updated = self.runtime.store.update(turn.record["id"], fix, business=business.key)
        if updated is not None:
            turn.record = updated
        turn.said = final

    def save(self, business: Business, channel: str, turn: Turn, version: str | None,
             change: Callable[[Record], None], *, kept: dict[str, Any] | None = None,
             hold: bool = False) -> None:
        """Persist the record, and the live state (with what the channel `kept`) unless the
        conversation ended; with `hold`, in the request's closing writes when it holds them.

        With the `version` the turn read, a record that changed meanwhile (a status callback,
        a staff-text job noting who was texted) is read again and `change` applied to it, so
        neither write is lost.
        """
        store = self.runtime.store
        live = None if turn.state.done else {"record_id": turn.record["id"],
                                             "flow_state": turn.state.to_dict()}
        if live is not None and kept:
            live["kept"] = kept
        if hold and store.holding():
            def settled(saved: bool) -> None:
                if not saved:
                    self._save_again(business, channel, turn, live, change)

            # a first turn that ended had no state to drop
            store.save_turn_later(turn.record, channel, turn.key, live, settled,
                                  index=turn.new, version=version, drop=not turn.new)
            return
        if not store.save_turn(turn.record, channel, turn.key, live, index=turn.new,
                               version=version):
            self._save_again(business, channel, turn, live, change)

    def _save_again(self, business: Business, channel: str, turn: Turn,
                    live: dict[str, Any] | None, change: Callable[[Record], None]) -> None:
        """The record changed since the turn read it: read it again, re-apply `change`, save."""
        store = self.runtime.store
        for _ in range(SAVE_ATTEMPTS):
            fresh = store.get_versioned(business.key, turn.record["id"])
            if fresh is None:  # deleted meanwhile: write this turn's copy
                version = None
            else:
                turn.record, version = fresh
                change(turn.record)
            if store.save_turn(turn.record, channel, turn.key, live, index=turn.new,
                               version=version):
                return
        raise RuntimeError(f"conversation {turn.record['id']} kept changing; turn not saved")

    @staticmethod
    def _apply(record: Record, state: State, actions: list[Action], now: datetime) -> None:
        """Copy the flow's decisions into the record (the bot's words are the channel's)."""
        for action in actions:
            if isinstance(action, Unanswered):
                record["unanswered"].append({"question": redact(action.question), "at": iso(now)})
            elif isinstance(action, End):
                record["ended_at"] = iso(now)
        record["language"] = state.language
        record["bucket"] = state.bucket
        record["route"] = state.route
        record["outcome"] = state.outcome or record.get("outcome")
        if state.qualification is not None:  # the verdict stays when the outcome moves on
            record["qualification"] = {"result": state.qualification["result"],
                                       "reasons": list(state.qualification["reasons"])}
        record["slots"] = {name: redact(value) if isinstance(value, str) else value
                           for name, value in state.slots.items()}
        record["escalation"] = {"reasons": list(state.reasons), "confidence": state.confidence,
                                "urgent": state.urgent}
