"""The objects every part of a running ivr shares, built once from Settings.

The web app, the rq worker and the CLI each get one `Runtime`; nothing is created at import
time and the Redis connection is always explicit (rq's lesson).

The conversation service sits above this layer (it uses the runtime), so the runtime does not
build it: the wiring in `ivr.app.wiring` builds `Conversations(runtime, default_effects())` and
hands it to `Runtime.wire`, and `runtime.conversations` is typed by the `ConversationService`
protocol below, which names only types from the layers beneath (flow, config, store). A runtime
that was never wired (a job, a CLI report) has no conversation service and says so if asked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from typing import Protocol

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry
from twilio.rest import Client

from ivr.config.business import Business
from ivr.config.directory import Directory, load_directory
from ivr.config.settings import Settings
from ivr.flow.actions import Action
from ivr.flow.events import Input
from ivr.flow.state import State
from ivr.semantic import Semantic, shared
from ivr.store.conversations import Store
from ivr.store.records import Record
from ivr.twilio.rest import make_client

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, timezone-aware (UTC)."""
    return datetime.now(UTC)


#: Seconds a Redis command may take before the webhook gives up and fails open.
REDIS_TIMEOUT_S = 2.0


def connect(url: str) -> redis.Redis:
    """A Redis connection that fails fast: one quick retry, short timeouts. A caller waiting on
    a webhook is better put through to a person than held while Redis is retried for seconds."""
    return redis.Redis.from_url(
        url, socket_timeout=REDIS_TIMEOUT_S, socket_connect_timeout=0.5,
        retry=Retry(ExponentialBackoff(cap=0.1, base=0.02), 1), health_check_interval=30)


class LiveConversation(Protocol):
    """A live conversation as a turn starts from it (`ivr.conversation.service.Live`)."""

    @property
    def state(self) -> State: ...
    @property
    def record(self) -> Record: ...
    @property
    def version(self) -> str | None: ...


class ConversationTurn(Protocol):
    """What one turn did, for the channel to render (`ivr.conversation.service.Turn`)."""

    actions: list[Action]
    record: Record
    state: State
    key: str
    channel: str
    sid: str | None
    new: bool
    outcomes: tuple[object, ...]
    said: tuple[str, ...]

    @property
    def ended(self) -> bool: ...


class ConversationService(Protocol):
    """The conversation service as the runtime carries it (`ivr.conversation.service
    .Conversations`, built and wired by `ivr.app.wiring`)."""

    def current(self, business: Business, channel: str, key: str) -> LiveConversation | None:
        ...

    def opted_out_at_carrier(self, business: Business, phone: str) -> Record:
        """Close `phone`'s conversation as `opted_out`: Twilio refused a text (21610)."""
        ...

    def handle(self, business: Business, channel: str, customer: str, inp: Input, *,
               loaded: LiveConversation | None, key: str | None = None,
               sid: str | None = None, words: Callable[..., object] = ...
               ) -> ConversationTurn:
        ...


@dataclass
class Runtime:
    """Settings plus the live connections built from them.

    Attributes:
        settings: the frozen environment view.
        redis: the connection (to REDIS_URL, or the embedded server the CLI started).
        directory: the businesses served.
        clock: injected so tests can stand at 23:00 on a Saturday.
        conversations: the conversation service, once `wire` has been given it.
    """

    settings: Settings
    redis: redis.Redis
    directory: Directory
    clock: Clock = field(default=system_clock)
    _conversations: ConversationService | None = field(default=None, init=False, repr=False)

    @classmethod
    def build(cls, settings: Settings, connection: redis.Redis | None = None,
              clock: Clock | None = None) -> Runtime:
        if connection is None:
            if not settings.redis_url:
                raise RuntimeError("REDIS_URL is not set and no embedded Redis was started")
            connection = connect(settings.redis_url)
        return cls(settings=settings, redis=connection,
                   directory=load_directory(settings.config_path), clock=clock or system_clock)

    @property
    def semantic(self) -> Semantic:
        """The process's semantic layer (one model, loaded lazily, shared by every runtime of
        the process: the web app's and the worker's)."""
        return shared()

    @cached_property
    def store(self) -> Store:
        return Store(self.redis)

    def close(self) -> None:
        """Release the REST client's pooled connections (tests and CLI commands call this)."""
        client = self.__dict__.pop("twilio", None)
        if client is not None:
            client.http_client.close()

    def wire(self, conversations: ConversationService) -> Runtime:
        """Give this runtime its conversation service (the app's wiring calls this once)."""
        self._conversations = conversations
        return self

    @property
    def conversations(self) -> ConversationService:
        """The conversation service with the default effects (transfers, texts, follow-ups)."""
        if self._conversations is None:
            raise RuntimeError("this Runtime has no conversation service: build it with "
                               "ivr.app.wiring.build_runtime")
        return self._conversations

    @cached_property
    def twilio(self) -> Client:
        """The REST client, honouring TWILIO_API_BASE."""
        return make_client(self.settings)
