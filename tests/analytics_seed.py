"""Conversation records with known answers, for the metrics, report and dashboard tests.

Records are built with `ivr.store.records.new_conversation` (the real shape) and, where a test needs
Redis, saved with `Store.save` — the same path the service writes through.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ivr.store.records import Record, add_turn, iso, new_conversation

HVAC = ("polar-bear-hvac", "Polar Bear HVAC", "hvac")
LAW = ("hartley-family-law", "Hartley Family Law", "law_firm")
SHOP = ("fernhill-goods", "Fernhill Goods", "ecommerce")

#: The seeded period: the first week of November 2026.
SINCE = datetime(2026, 11, 1, tzinfo=UTC)
UNTIL = datetime(2026, 11, 8, tzinfo=UTC)


def record(at: datetime, caller: str, *, business: tuple[str, str, str] = HVAC,
           channel: str = "voice", bucket: str | None = None, route: str | None = None,
           outcome: str | None = None, ended: bool = True, accepted: bool | None = None,
           seconds: float | None = None, needed: bool | None = None,
           confirmed: bool | None = None, unanswered: tuple[str, ...] = (),
           voicemail: dict[str, Any] | None = None, **extra: Any) -> Record:
    """One conversation as the service would have recorded it."""
    key, name, flow = business
    rec = new_conversation(business=name, business_key=key, channel=channel, caller=caller,
                           flow=flow, now=at)
    rec.update(bucket=bucket, route=route, outcome=outcome)
    add_turn(rec, "bot", "Hi, I'm a virtual assistant. How can I help?", at)
    add_turn(rec, "caller", f"question about {bucket or 'something'}", at + timedelta(seconds=5),
             0.87)
    if ended:
        rec["ended_at"] = iso(at + timedelta(minutes=3))
    if accepted is not None:
        rec["transfer"] = {"agent": "Alex Kim", "phone": "+15125550211",
                           "decided_at": iso(at + timedelta(seconds=30)),
                           "dialed_at": iso(at + timedelta(seconds=31)),
                           "answered_at": iso(at + timedelta(seconds=40)),
                           "accepted": accepted, "time_to_human_s": seconds,
                           "attempts": [{"name": "Alex Kim", "phone": "+15125550211"}]}
    if needed is not None:
        rec["feedback"] = {"needed": needed, "by": "Alex Kim", "at": iso(at + timedelta(hours=1))}
    if confirmed is not None:
        rec["confirmed"] = confirmed
    rec["unanswered"] = [{"question": q, "at": iso(at)} for q in unanswered]
    rec["voicemail"] = voicemail
    rec.update(extra)
    return rec


def week() -> list[Record]:
    """Ten conversations in [SINCE, UNTIL) and one just after, with these known answers:

    resolution 5/10, escalation accuracy 1/2, time to human p50 30 s / p90 38 s,
    repeat contact 3/10, deflection 6/10.
    """
    day = SINCE + timedelta(days=1, hours=15)
    return [
        # A: answered by the bot, never came back -> resolved, deflected
        record(day, "+15125550101", bucket="hours", route="bot_only", outcome="resolved"),
        # B: answered, but came back 24 h later (C) -> not resolved, a repeat contact
        record(day, "+15125550102", bucket="payment", route="bot_only", outcome="resolved"),
        # C: the return: an emergency a person took in 20 s; staff: needed
        record(day + timedelta(hours=24), "+15125550102", bucket="emergency_repair",
               route="human", outcome="transferred", accepted=True, seconds=20, needed=True),
        # D: a complaint a person took in 40 s; staff: not needed
        record(day, "+15125550103", bucket="complaint", route="human", outcome="transferred",
               accepted=True, seconds=40, needed=False),
        # E: answered and confirmed, then texted again (F) -> resolved, repeat contact
        record(day, "+15125550104", bucket="warranty", route="bot_first", outcome="resolved",
               confirmed=True),
        # F: the text: hung up -> closed with no human (deflected), not resolved
        record(day + timedelta(hours=47), "+15125550104", channel="sms", outcome="abandoned"),
        # G: nobody took the transfer, voicemail left -> not resolved, human involved
        record(day, "+15125550105", bucket="quote", route="bot_first", outcome="escalated",
               accepted=False, voicemail={"recording_sid": "RE" + "1" * 32}),
        # H: still going -> not closed
        record(day, "+15125550106", ended=False),
        # I: answered an hour before the period ends, came back 10 h after it (J)
        record(UNTIL - timedelta(hours=1), "+15125550107", bucket="hours", route="bot_only",
               outcome="resolved"),
        record(UNTIL + timedelta(hours=9), "+15125550107", bucket="hours", route="bot_only",
               outcome="resolved"),
        # K: A's number calling a *different* business: not a repeat of A
        record(day + timedelta(hours=2), "+15125550101", business=LAW, outcome="resolved"),
    ]
