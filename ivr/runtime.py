"""The objects every part of a running ivr shares, built once from Settings.

The web app, the rq worker and the CLI each build one `Runtime`; nothing is created at import
time and the Redis connection is always explicit (rq's lesson).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from ivr.config.business import Directory, load_directory
from ivr.config.settings import Settings
from ivr.store.conversations import Store

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


@dataclass
class Runtime:
    """Settings plus the live connections built from them.

    Attributes:
        settings: the frozen environment view.
        redis: the connection (to REDIS_URL, or the embedded server the CLI started).
        directory: the businesses served.
        clock: injected so tests can stand at 23:00 on a Saturday.
    """

    settings: Settings
    redis: redis.Redis
    directory: Directory
    clock: Clock = field(default=system_clock)

    @classmethod
    def build(cls, settings: Settings, connection: redis.Redis | None = None,
              clock: Clock | None = None) -> Runtime:
        if connection is None:
            if not settings.redis_url:
                raise RuntimeError("REDIS_URL is not set and no embedded Redis was started")
            connection = connect(settings.redis_url)
        return cls(settings=settings, redis=connection,
                   directory=load_directory(settings.config_path), clock=clock or system_clock)

    @cached_property
    def store(self) -> Store:
        return Store(self.redis)

    def close(self) -> None:
        """Release the REST client's pooled connections (tests and CLI commands call this)."""
        client = self.__dict__.pop("twilio", None)
        if client is not None:
            client.http_client.close()

    @cached_property
    def conversations(self):  # -> ivr.conversation.service.Conversations
        """The conversation service with the default effects (transfers, texts, follow-ups)."""
        from ivr.app.effects import default_effects
        from ivr.conversation.service import Conversations

        return Conversations(self, default_effects())

    @cached_property
    def twilio(self):  # -> twilio.rest.Client
        """The REST client, honouring TWILIO_API_BASE."""
        from ivr.twilio.rest import make_client

        return make_client(self.settings)
