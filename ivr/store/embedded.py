"""The embedded Redis default: when REDIS_URL is unset, use a private redis-server under var/.

`ivr serve`, `ivr worker` and `ivr demo` share one such server: the first starts it and writes
its port to `var/redis/port`; later ones find it there and reuse it while it answers.
"""

from __future__ import annotations

import atexit
import logging

import redis
from redis.backoff import NoBackoff
from redis.retry import Retry

from ivr.config.settings import Settings
from ivr.logs import event
from ivr.store.redis_server import EmbeddedRedis

log = logging.getLogger("ivr.store.embedded")


def _running(port: int) -> bool:
    """Whether a Redis answers on `port` now. One try: redis-py's default retries with backoff
    would make every command wait seconds on a stale port file."""
    client = redis.Redis(port=port, socket_connect_timeout=0.3, retry=Retry(NoBackoff(), 0))
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def ensure_redis(settings: Settings, stop_at_exit: bool = True) -> Settings:
    """Settings with a usable `redis_url`: REDIS_URL as given, or the embedded server."""
    if settings.redis_url:
        return settings
    directory = settings.var_dir / "redis"
    port_file = directory / "port"
    if port_file.exists():
        port = int(port_file.read_text().strip() or 0)
        if port and _running(port):
            return settings.with_(redis_url=f"redis://127.0.0.1:{port}/0")
    server = EmbeddedRedis(directory, persist=True).start()
    port_file.write_text(str(server.port))
    event("redis.embedded", log, port=server.port, dir=directory)
    if stop_at_exit:
        atexit.register(server.stop)
    return settings.with_(redis_url=server.url)
