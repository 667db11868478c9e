"""`ivr worker`: the embedded Redis when REDIS_URL is unset, and jobs run in the worker's own
process, where the render process stays warm and a job past its timeout is still stopped."""

from __future__ import annotations

import subprocess
import sys

from cli_env import clean_env, ivr
from rq import Queue, Worker
from rq.job import Job, JobStatus

from ivr.config.settings import PROJECT_ROOT
from ivr.jobs.queues import DEFAULT
from ivr.sim import wait_for


def test_the_worker_without_redis_url_starts_the_embedded_redis(tmp_path):
    result = ivr("worker", "--burst", env=clean_env(tmp_path / "var"))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "var" / "redis" / "port").read_text().strip().isdigit()
    assert "redis.embedded" in result.stderr


def _render_jobs(redis_conn, audio_dir, *texts: str) -> list[Job]:
    queue = Queue(DEFAULT, connection=redis_conn)
    return [queue.enqueue("ivr.speech.tts.render", text, audio_dir=audio_dir) for text in texts]


def test_one_render_process_speaks_every_summary_the_worker_renders(tmp_path, redis_server,
                                                                    redis_conn):
    jobs = _render_jobs(redis_conn, tmp_path / "audio", "Gas smell at the Ortiz house.",
                        "No heat, baby at home.", "Water pouring from the ceiling.")
    result = ivr("worker", "--burst",
                 env=clean_env(tmp_path / "var", REDIS_URL=redis_server.url))
    assert result.returncode == 0, result.stderr[-2000:]
    assert [job.get_status(refresh=True) for job in jobs] == [JobStatus.FINISHED] * 3
    assert all(path.stat().st_size > 2000 for path in (job.return_value() for job in jobs))
    assert result.stderr.count("event=tts.started") == 1
    assert "Ortiz" not in result.stderr and "baby" not in result.stderr  # no job arguments


def test_with_fork_each_job_runs_in_a_work_horse_of_its_own(tmp_path, redis_server, redis_conn):
    jobs = _render_jobs(redis_conn, tmp_path / "audio", "Gas smell.", "No heat.")
    result = ivr("worker", "--burst", "--fork",
                 env=clean_env(tmp_path / "var", REDIS_URL=redis_server.url))
    assert result.returncode == 0, result.stderr[-2000:]
    assert [job.get_status(refresh=True) for job in jobs] == [JobStatus.FINISHED] * 2
    assert result.stderr.count("event=tts.started") == 2  # each horse starts cold


def test_a_job_past_its_timeout_fails_and_the_worker_goes_on_to_the_next(tmp_path, redis_server,
                                                                         redis_conn):
    queue = Queue(DEFAULT, connection=redis_conn)
    stuck = queue.enqueue("time.sleep", 60, job_timeout=1)
    after = _render_jobs(redis_conn, tmp_path / "audio", "Still here.")[0]
    result = ivr("worker", "--burst",
                 env=clean_env(tmp_path / "var", REDIS_URL=redis_server.url), timeout=30)
    assert result.returncode == 0, result.stderr[-2000:]
    assert stuck.get_status(refresh=True) == JobStatus.FAILED
    assert "JobTimeoutException" in (stuck.latest_result().exc_string or "")
    assert after.get_status(refresh=True) == JobStatus.FINISHED


def test_after_a_run_of_jobs_the_waiting_worker_stays_registered(tmp_path, redis_server,
                                                                 redis_conn):
    """The registration must outlive the worker's wait for its next job: it is what tells the
    agent's answer that a summary is still coming, and what keeps its jobs from being taken
    for abandoned."""
    queue = Queue(DEFAULT, connection=redis_conn)
    jobs = [queue.enqueue("builtins.len", "abc") for _ in range(5)]
    worker = subprocess.Popen([sys.executable, "-m", "ivr.app.cli", "worker"],
                              env=clean_env(tmp_path / "var", REDIS_URL=redis_server.url),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              cwd=PROJECT_ROOT)
    try:
        wait_for(lambda: all(job.get_status(refresh=True) == JobStatus.FINISHED for job in jobs),
                 timeout=30)
        registered = wait_for(lambda: [w for w in Worker.all(connection=redis_conn)
                                       if w.get_state() == "idle"], timeout=10)
        assert len(registered) == 1
        assert redis_conn.ttl(registered[0].key) > registered[0].dequeue_timeout
    finally:
        worker.terminate()
        worker.wait(30)
