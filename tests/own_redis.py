"""The real app on a Redis of its own, which a test may kill (SIGKILL, as a crash would) and
bring back on the same port: for the outage and fault tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import redis

from ivr.app.wiring import build_runtime
from ivr.config.settings import Settings
from ivr.runtime import Clock, Runtime
from ivr.sim import Carrier, LiveServer
from ivr.store.redis_server import EmbeddedRedis
from ivr.web import create_app


@dataclass
class OwnRedisApp:
    """The app, the carrier simulator in front of it, and the Redis behind it."""

    server: EmbeddedRedis
    runtime: Runtime
    carrier: Carrier
    live: LiveServer

    def restart_redis(self) -> None:
        self.server.start()


@contextmanager
def app_on_own_redis(settings: Settings, clock: Clock, tmp_path: Path) -> Iterator[OwnRedisApp]:
    """Everything started, and stopped again on exit."""
    server = EmbeddedRedis(tmp_path / "redis", persist=True).start()
    carrier = Carrier(settings.account_sid, settings.auth_token).start()
    conn = redis.Redis.from_url(server.url, socket_timeout=1, socket_connect_timeout=0.5)
    runtime = build_runtime(settings.with_(redis_url=server.url, api_base=carrier.api_base),
                            connection=conn, clock=clock)
    live = LiveServer(create_app(runtime=runtime)).start()
    carrier.connect(app_url=live.url, public_url=settings.public_url)
    try:
        yield OwnRedisApp(server, runtime, carrier, live)
    finally:
        carrier.stop()
        live.stop()
        conn.close()
        server.stop()
