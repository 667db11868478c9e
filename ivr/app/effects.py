"""The side effects run after each flow step, in order. Each capability adds its hook here.

An effect has the signature `(runtime, business, record, actions) -> Outcome | None`: it acts on
the actions it cares about (staff texts, warm transfers, follow-ups, exports) and returns what
it did (`ivr.handoff.outcomes`: a `Handoff` naming who will call, a `FollowUp`, an `Exported`),
which `Conversations.handle` collects into the turn for the channel to word its reply from. It
must be idempotent for a retried webhook and must never raise into a caller's call: failures
are logged and queued.
"""

from __future__ import annotations

from ivr.config.business import Business
from ivr.conversation.service import Effect
from ivr.flow.actions import Action, End, NotifyStaff, QueueFollowUp, Transfer
from ivr.handoff.export import export_effect
from ivr.handoff.followups import follow_up_effect
from ivr.handoff.notify import notify_staff_by_text
from ivr.handoff.outcomes import Handoff
from ivr.handoff.sms_bridge import sms_bridge_effect
from ivr.runtime import Runtime
from ivr.store.records import Record


def default_effects() -> list[Effect]:
    """The effects a running ivr applies (listed explicitly, so the order is visible)."""
    return [
        notify_staff,  # a handoff: text the staff
        sms_bridge_effect,  # a Transfer on SMS: text and call the person, bridge
        follow_up_effect,  # QueueFollowUp: task, digest, confirmation
        export_effect,  # an End: queue the signed CRM export
    ]


def notify_staff(runtime: Runtime, business: Business, record: Record,
                 actions: list[Action]) -> Handoff | None:
    """Staff texts, less a texter's Transfer's: `sms_bridge_effect`'s job sends that one
    with the ring (one rq job instead of two, so half rq's bookkeeping)."""
    return notify_staff_by_text(runtime, business, record, actions, bridged=True)


def effects_act(business: Business, actions: list[Action]) -> bool:
    """Whether any effect above would act on `actions`: a staff text or a bridge (NotifyStaff,
    Transfer), a follow-up (QueueFollowUp), an export (End, where the business exports). A turn
    they all leave alone (words, an unanswered question, an End with no export) queues no
    work that reads its record, so it may save it with the request's closing writes."""
    return any(isinstance(a, NotifyStaff | Transfer | QueueFollowUp)
               or (isinstance(a, End) and bool(business.export)) for a in actions)
