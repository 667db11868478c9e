"""`ivr worker` without REDIS_URL uses the embedded Redis under var/, as serve and demo do."""

from __future__ import annotations

from cli_env import clean_env, ivr


def test_the_worker_without_redis_url_starts_the_embedded_redis(tmp_path):
    result = ivr("worker", "--burst", env=clean_env(tmp_path / "var"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "var" / "redis" / "port").read_text().strip().isdigit()
    assert "redis.embedded" in result.stderr
