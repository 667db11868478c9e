"""Calling the on-call person about a text conversation, from the worker.

A texter who needs a person now is not on a line waiting, so the SMS webhook only decides: it
creates the hunt (who is on call, in order, and the whisper: cheap and local, so the reply can
say "I'm passing this to Alex, who will call you in a minute") and queues `sms_bridge_job` on
the URGENT queue. The job sends the staff text with the summary (decided in the webhook, as
`ivr.handoff.notify` decides it), renders the whisper's audio, then dials the first person whose
number the carrier takes; they hear the whisper and press 1 to be bridged to the texter
(`ivr.handoff.agent_leg`). One job, not a staff text's and a bridge's: rq spends about 50 Redis
commands on each job's bookkeeping, more than either's own work (`bench.worker_cost`). A carrier outage is retried
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
from ivr.handoff.notify import (
    RecordChange,
    StaffText,
    final_failure,
    note_planned,
    plan_staff_text,
    text_staff,
    write_notes,
)
from ivr.handoff.outcomes import Handoff
from ivr.handoff.summary_audio import render_whisper
from ivr.handoff.transfer import new_hunt, ring_next_from_job, transfer_action
from ivr.jobs.queues import enqueue_urgent, give_up, job_runtime
from ivr.logs import event
from ivr.runtime import Runtime
from ivr.store.hunts import Hunt, Hunts
from ivr.store.records import Record

log = logging.getLogger("ivr.handoff.sms_bridge")


def hunt_id(record: Record) -> str:
    """The one hunt of a text conversation."""
    return f"sms-{record['id']}"


def conversation_of(hunt: str) -> str:
    """The conversation a text conversation's hunt id (`hunt_id`) belongs to."""
    return hunt.removeprefix("sms-")


def queue_sms_bridge(runtime: Runtime, business: Business, record: Record,
                     action: Transfer, staff: StaffText | None = None) -> Hunt:
    """Create the conversation's hunt (once) and queue the job that sends the `staff` text
    (when someone can be texted) and rings the hunt's first person.

    Returns the hunt; its first candidate is the person the texter is told will call.
    """
    hunts = Hunts(runtime.store)
    hunt = new_hunt(runtime, business, record, action, hunt_id=hunt_id(record), channel="sms")
    if not hunts.create(hunt):  # a retried webhook: the same hunt, and the same job if not run
        hunt = hunts.get(business.key, hunt.id) or hunt
    enqueue_urgent(runtime.redis, sms_bridge_job, business.key, hunt.id, staff,
                   name="bridge", business=business.key, key=hunt.id,
                   conversation=record["id"], what="staff_text_and_bridge")
    return hunt


def sms_bridge_effect(runtime: Runtime, business: Business, record: Record,
                      actions: list[Action]) -> Handoff | None:
    """Effect: a `Transfer` in a text conversation queues the staff text and the call bridge,
    in one job. Never raises.

    Returns whom the reply names: the first person the staff text goes to (via "text"), else
    the first the bridge will ring (via "call"; None as person when nobody is on call); None
    when no bridge was queued. `notify_staff_by_text` runs with `bridged=True` beside it, so
    this Transfer's staff text is queued here only.
    """
    action = transfer_action(actions)
    if action is None or record.get("channel") != "sms":
        return None
    texted: Handoff | None = None
    staff: StaffText | None = None
    try:
        staff = plan_staff_text(runtime, business, record, action, runtime.clock())
        texted = note_planned(business, record, staff[0])
    except Exception as exc:  # a staff text must never break the customer's reply
        event("notify.failed", log, logging.ERROR, business=business.key,
              conversation=record["id"], error=type(exc).__name__)
    try:
        hunt = queue_sms_bridge(runtime, business, record, action,
                                staff if staff and staff[0] else None)
    except Exception as exc:  # Redis trouble: the reply still goes out
        event("transfer.bridge_failed", log, logging.ERROR, business=business.key,
              conversation=record["id"], error=type(exc).__name__)
        return None
    event("transfer.bridge_queued", log, business=business.key, conversation=record["id"],
          candidates=len(hunt.candidates))
    return texted or Handoff(person=hunt.candidates[0]["name"] if hunt.candidates else None,
                             via="call")


def sms_bridge_job(business_key: str, hunt_id: str,
                   staff: StaffText | None = None) -> str | None:
    """Job: text `staff` the summary, then ring the hunt's first person who can be called;
    nobody → callback text, follow-up.

    Returns the leg's CallSid (None when nobody could be rung). A retried job finds the hunt
    ringing (or over) and rings nobody, and texts nobody twice (`text_staff` sends once per
    person). The ring goes ahead whatever the text did; the text's failure is raised after it
    (a transient one retried with the job, a final one failing it at once), unless the ring's
    own transient failure is raised first for rq to retry (the retry texts again if need be);
    on the last attempt the customer is told when we will call back before it fails.
    """
    runtime = job_runtime()
    texting: Exception | None = None
    notes: list[RecordChange] = []  # the text's note, written with the ring's (one write)
    if staff is not None:
        people, body, at = staff
        try:
            text_staff(runtime, business_key, conversation_of(hunt_id), people, body, at,
                       note=notes.append)
        except Exception as exc:  # noqa: BLE001 - raised after the ring, which matters more
            texting = exc
    hunts = Hunts(runtime.store)
    audio = render_first(runtime, hunts, business_key, hunt_id)
    try:
        with hunts.locked(business_key, hunt_id) as hunt:
            if hunt is not None and audio is not None:
                hunt.audio = audio  # named with the ring's own save: one lock, not two
            if hunt is None or hunt.leg is not None or not hunt.open:
                leg = hunt.leg if hunt is not None else None
            else:
                leg = ring_next_from_job(runtime, hunts, hunt, "transfer.bridge_gave_up",
                                         notes=notes)
    finally:
        if notes:  # no ring wrote the record (a retried bridge, or a dial to retry)
            write_notes(runtime, business_key, conversation_of(hunt_id), notes)
    if texting is not None:
        if final_failure(texting):
            give_up()
        raise texting
    return leg


def render_first(runtime: Runtime, hunts: Hunts, business_key: str,
                 hunt_id: str) -> str | None:
    """The whisper's audio, rendered in the bridge's own job just before the first ring (one
    job a text turn instead of two: `bench.worker_cost`), for the ring to name on the hunt. A
    lone worker ran the render job first anyway, so the person still hears the audio; a
    retried bridge finds it named and renders nothing; a render that fails leaves them <Say>
    (logged) and the ring goes ahead."""
    try:
        return render_whisper(runtime, hunts.get(business_key, hunt_id))
    except Exception as exc:  # noqa: BLE001 - the ring matters more than the audio
        event("whisper.render_failed", log, logging.WARNING, business=business_key,
              hunt=hunt_id, error=type(exc).__name__)
        return None
