"""Calling the on-call person about a text conversation, from the worker.

A texter who needs a person now is not on a line waiting, so the SMS webhook only decides: it
creates the hunt (who is on call, in order, and the whisper: cheap and local, so the reply can
say "I'm passing this to Alex, who will call you in a minute") and queues `sms_bridge_job` on
the URGENT queue. The job renders the whisper's audio, then dials the first person whose number the carrier takes; they hear the
whisper and press 1 to be bridged to the texter (`ivr.handoff.agent_leg`). A carrier outage is retried
with backoff; a refused number moves on through the hunt; nobody left (or the last retry
failing) ends in the callback text and a follow-up, as for a call (`ivr.handoff.transfer`).

The hunt id `sms-<record id>` makes it once per conversation: a retried webhook finds the
hunt, a retried job finds it ringing, and each dial is claimed (`ivr.handoff.transfer.dial_once`).
A caller's warm transfer dials inline instead: a caller is waiting on hold for it.
"""

from __future__ import annotations

import logging

from ivr.config.business import Business
from ivr.flow.actions import Action, Transfer
from ivr.handoff.outcomes import Handoff
from ivr.handoff.summary_audio import render_whisper_job
from ivr.handoff.transfer import new_hunt, ring_next_from_job, transfer_action
from ivr.jobs.queues import enqueue_urgent, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.hunts import Hunt, Hunts
from ivr.store.records import Record

log = logging.getLogger("ivr.handoff.sms_bridge")


def hunt_id(record: Record) -> str:
    """The one hunt of a text conversation."""
    return f"sms-{record['id']}"


def queue_sms_bridge(runtime: Runtime, business: Business, record: Record,
                     action: Transfer) -> Hunt:
    """Create the conversation's hunt (once) and queue the job that rings its first person.

    Returns the hunt; its first candidate is the person the texter is told will call.
    """
    hunts = Hunts(runtime.store)
    hunt = new_hunt(runtime, business, record, action, hunt_id=hunt_id(record), channel="sms")
    if not hunts.create(hunt):  # a retried webhook: the same hunt, and the same job if not run
        hunt = hunts.get(business.key, hunt.id) or hunt
    enqueue_urgent(runtime.redis, sms_bridge_job, business.key, hunt.id, name="bridge",
                   business=business.key, key=hunt.id, conversation=record["id"],
                   what="sms_bridge")
    return hunt


def sms_bridge_effect(runtime: Runtime, business: Business, record: Record,
                      actions: list[Action]) -> Handoff | None:
    """Effect: a `Transfer` in a text conversation queues the call bridge. Never raises.

    Returns the first person the bridge will ring (None as person when nobody is on call), so
    a reply can name them when the staff text named nobody (no textable number); None when
    no bridge was queued.
    """
    action = transfer_action(actions)
    if action is None or record.get("channel") != "sms":
        return None
    try:
        hunt = queue_sms_bridge(runtime, business, record, action)
    except Exception as exc:  # Redis trouble: the staff text (its own job) still goes out
        event("transfer.bridge_failed", log, logging.ERROR, business=business.key,
              conversation=record["id"], error=type(exc).__name__)
        return None
    event("transfer.bridge_queued", log, business=business.key, conversation=record["id"],
          candidates=len(hunt.candidates))
    return Handoff(person=hunt.candidates[0]["name"] if hunt.candidates else None, via="call")


def sms_bridge_job(business_key: str, hunt_id: str) -> str | None:
    """Job: ring the hunt's first person who can be called; nobody → callback text, follow-up.

    Returns the leg's CallSid (None when nobody could be rung). A retried job finds the hunt
    ringing (or over) and does nothing; a transient carrier failure is raised for rq to retry,
    and on the last attempt the customer is told when we will call back before it fails.
    """
    runtime = job_runtime()
    hunts = Hunts(runtime.store)
    render_first(business_key, hunt_id)
    with hunts.locked(business_key, hunt_id) as hunt:
        if hunt is None or hunt.leg is not None or not hunt.open:
            return hunt.leg if hunt is not None else None
        return ring_next_from_job(runtime, hunts, hunt, "transfer.bridge_gave_up")


def render_first(business_key: str, hunt_id: str) -> None:
    """The whisper, rendered in the bridge's own job just before the first ring (one job a
    text turn instead of two: `bench.worker_cost`). A lone worker ran the render job first
    anyway, so the person still hears the audio; a retried bridge finds it named and renders
    nothing; a render that fails leaves them <Say> (logged) and the ring goes ahead."""
    try:
        render_whisper_job(business_key, hunt_id)
    except Exception as exc:  # noqa: BLE001 - the ring matters more than the audio
        event("whisper.render_failed", log, logging.WARNING, business=business_key,
              hunt=hunt_id, error=type(exc).__name__)
