"""GET /healthz tells a load balancer whether this node can serve; GET /api/health tells the
owner the figures behind it."""

from ivr.app.wiring import build_runtime
from ivr.config.settings import PROJECT_ROOT
from ivr.store.redis_server import EmbeddedRedis


def test_healthz_is_ok_with_redis(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_api_health_shows_the_owner_the_figures(client):
    response = client.get("/api/health", headers={"Authorization": "Bearer test-api-token"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["redis"] == "ok" and body["businesses"] >= 1
    assert body["spooled_texts"] == 0 and body["urgent_jobs"] == 0


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


SETTLE = """
import gc, threading, time
from ivr.web.warm import settle_heap
loaded = threading.Event()
threading.Timer(0.3, loaded.set).start()
models = [list(range(1000)) for _ in range(200)]  # what a warm-up keeps for the process's life
settle_heap(loaded.is_set)
print(loaded.is_set(), gc.get_freeze_count() >= 200)
"""


def test_a_serving_process_settles_its_heap_once_its_models_are_in():
    """A gunicorn worker, once its models are loaded and its warm-up done, freezes its heap
    (`settle_heap`): the collector never scans the models and flows again, where a full
    collection in a warmed worker took 240-450 ms and fell on some webhook. In a process of
    its own: the test runner's heap is not the test's to freeze."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", SETTLE], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, timeout=60, check=True)
    assert done.stdout.split() == ["True", "True"]  # after the models, and frozen
