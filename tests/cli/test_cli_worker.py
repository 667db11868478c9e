"""`ivr worker`: the embedded Redis when REDIS_URL is unset, and jobs run in the worker's own
process, where the render process stays warm and a job past its timeout is still stopped."""

from __future__ import annotations

from cli_env import clean_env, ivr
from rq import Queue
from rq.job import Job, JobStatus

from ivr.jobs import DEFAULT


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
