"""GET /healthz tells a load balancer whether this node can serve."""

from ivr.app.wiring import build_runtime
from ivr.config.settings import PROJECT_ROOT
from ivr.store.redis_server import EmbeddedRedis


def test_healthz_is_ok_with_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["redis"] == "ok"


def test_healthz_is_503_when_redis_is_unreachable(settings, tmp_path):
    import redis

    from ivr.web import create_app

    server = EmbeddedRedis(tmp_path / "r", persist=False).start()
    conn = redis.Redis.from_url(server.url, socket_timeout=0.5, socket_connect_timeout=0.5)
    app = create_app(runtime=build_runtime(settings.with_(config_path=PROJECT_ROOT / "examples"),
                                           connection=conn))
    server.kill()
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "degraded"
