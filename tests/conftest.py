"""Shared fixtures: a real redis-server on loopback, settings, the app and its test client.

The redis-server is started once per session on a free port and its database is wiped around
each test (rq's habit). Nothing is skipped when redis-server is missing: the suite fails loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis

from ivr.app.wiring import build_runtime
from ivr.config.settings import PROJECT_ROOT, Settings
from ivr.runtime import Runtime
from ivr.store.redis_server import EmbeddedRedis

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
API_TOKEN = "test-api-token"

#: `carrier` and `live_app` fixtures for end-to-end tests through the carrier simulator.
pytest_plugins = ["sim_fixtures"]


class FakeClock:
    """A settable clock: tests stand at any moment (after hours, DST edges)."""

    def __init__(self, now: datetime | None = None) -> None:
        self.now = now or datetime(2026, 11, 24, 16, 0, tzinfo=UTC)  # a Tuesday, 10:00 Chicago

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        self.now = moment


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedRedis]:
    server = EmbeddedRedis(tmp_path_factory.mktemp("redis"), persist=False).start()
    yield server
    server.stop()


@pytest.fixture
def redis_conn(redis_server: EmbeddedRedis) -> Iterator[redis.Redis]:
    conn = redis.Redis.from_url(redis_server.url)
    conn.flushdb()
    yield conn
    conn.flushdb()
    conn.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def settings(redis_server: EmbeddedRedis, tmp_path: Path) -> Settings:
    return Settings(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, api_base="http://127.0.0.1:1",
        public_url="https://ivr.test", redis_url=redis_server.url,
        config_path=PROJECT_ROOT / "examples", api_token=API_TOKEN,
        var_dir=tmp_path / "var", audio_dir=tmp_path / "audio",
    )


@pytest.fixture
def runtime(settings: Settings, redis_conn: redis.Redis, clock: FakeClock) -> Iterator[Runtime]:
    built = build_runtime(settings, connection=redis_conn, clock=clock)
    yield built
    built.close()


@pytest.fixture
def app(runtime: Runtime):
    from ivr.web import create_app

    app = create_app(runtime=runtime)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()
