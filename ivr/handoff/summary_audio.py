"""The spoken summary an agent hears, rendered by an rq job and shared through Redis.

Rendering (espeak-ng through pyttsx3, tens of milliseconds of CPU) is slow work kept off the
webhooks: a transfer queues it the moment it starts, and the agent's phone rings for seconds
before anyone listens. The WAV is kept in Redis beside the worker's disk cache, so whichever
web node Twilio's <Play> fetch reaches can serve it. No worker running, or a render that fails:
the agent hears the same words through <Say>.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

from rq import Worker
from rq.exceptions import InvalidJobOperation
from rq.job import Job, JobStatus

from ivr.handoff.summary import render
from ivr.jobs.queues import enqueue_urgent, job_id, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.audio import share_audio, shared_audio
from ivr.store.hunts import Hunt, Hunts

log = logging.getLogger("ivr.handoff.summary")

#: How long the shared WAV stays in Redis: a hunt rings its people within minutes, and a
#: whisper is ~100 KB (a node that fetched it keeps its own copy on disk).
SHARED_TTL_S = 3600
#: How long the agent's whisper waits for audio still rendering before it falls back to <Say>.
AUDIO_WAIT_S = 0.8
#: Seconds between looks while it waits.
AUDIO_POLL_S = 0.05


def queue_render(runtime: Runtime, hunt: Hunt) -> None:
    """Queue the rendering of the hunt's whisper (once per hunt, however often asked)."""
    try:
        enqueue_urgent(runtime.redis, render_whisper_job, hunt.business, hunt.id,
                       name="whisper", business=hunt.business, key=hunt.id,
                       conversation=hunt.record_id, what="whisper audio", retry=())
    except Exception as exc:  # the agent hears <Say> instead
        event("whisper.queue_failed", log, logging.WARNING, business=hunt.business,
              hunt=hunt.id, error=type(exc).__name__)


def render_whisper_job(business_key: str, hunt_id: str) -> str | None:
    """rq job: render the hunt's whisper, share the WAV, and name it on the hunt.

    Returns the file's name under the audio folder, or None when there is nothing to do (the
    hunt is gone, already has audio, or is over: someone took it or nobody could, so no agent
    will hear it, and a busy worker spends nothing on it) or rendering failed (logged; the
    agent hears <Say>).
    """
    runtime = job_runtime()
    hunts = Hunts(runtime.store)
    name = render_whisper(runtime, hunts.get(business_key, hunt_id))
    if name is not None:
        hunts.change(business_key, hunt_id, lambda h: setattr(h, "audio", name))
    return name


def render_whisper(runtime: Runtime, hunt: Hunt | None) -> str | None:
    """Render `hunt`'s whisper and share the WAV (naming it on the hunt is the caller's, under
    the hunt's lock); None when there is nothing to do (see `render_whisper_job`)."""
    if hunt is None or hunt.audio or not hunt.open:
        return None
    path = render(runtime.settings, hunt.whisper)
    if path is None:
        return None
    try:
        name = path.relative_to(runtime.settings.audio_dir).as_posix()
    except ValueError:  # rendered outside the served folder
        return None
    share_audio(runtime.store, hunt.business, name, path.read_bytes(), SHARED_TTL_S)
    event("whisper.rendered", log, business=hunt.business, hunt=hunt.id)
    return name


def local_audio(runtime: Runtime, business_key: str, name: str) -> Path | None:
    """The whisper WAV `name` on this node's disk, fetched from Redis first if another node
    rendered it; None when it is nowhere."""
    path = runtime.settings.audio_dir / name
    if path.is_file():
        return path
    data = shared_audio(runtime.store, business_key, name)
    if not data:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
    return path


def render_pending(runtime: Runtime, business_key: str, hunt_id: str) -> bool:
    """Whether a worker may still name the hunt's audio: its render job is queued or running
    and some worker is there to run it (no worker, or a render that finished without audio,
    and there is nothing to wait for)."""
    render = Job(job_id("whisper", business_key, hunt_id), connection=runtime.redis)
    try:
        status = render.get_status()
    except InvalidJobOperation:  # never queued, or long gone
        return False
    return status in (JobStatus.QUEUED, JobStatus.STARTED) and \
        Worker.count(connection=runtime.redis) > 0


def wait_for_audio(runtime: Runtime, business_key: str, hunt_id: str,
                   timeout: float = AUDIO_WAIT_S) -> Hunt | None:
    """The hunt once its whisper audio is named, or as it is when `timeout` runs out or no
    render is on its way (the agent then hears <Say> at once)."""
    hunts = Hunts(runtime.store)
    deadline = time.monotonic() + timeout
    hunt = hunts.get(business_key, hunt_id)
    if hunt is None or hunt.audio or not render_pending(runtime, business_key, hunt_id):
        return hunt
    while time.monotonic() < deadline:
        time.sleep(AUDIO_POLL_S)
        hunt = hunts.get(business_key, hunt_id)
        if hunt is None or hunt.audio:
            break
    return hunt
