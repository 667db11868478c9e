"""The numbers that say whether the front desk works, computed from conversation records. Pure.

Definitions (docs/contracts.md, "Metric definitions"; every rate is null when its denominator is 0):

- resolution rate: conversations whose issue was solved / all conversations. Solved = a human
  took it (`transfer.accepted`), or the bot answered (`outcome == "resolved"`) and the customer
  either confirmed (`confirmed: true`) or did not come back to the same business within 48 h
  (an answer less than 48 h old counts as resolved until the customer comes back).
- escalation accuracy: escalations the accepting staff member confirmed as needed
  (`feedback.needed` true) / escalations with feedback (`feedback.needed` true or false).
- time to human: `transfer.time_to_human_s` of accepted transfers; p50 and p90 (linear
  interpolation between the nearest samples, as numpy's default percentile does).
- repeat contact rate (48 h): conversations followed by another from the same number to the
  same business, on any channel, within 48 h of the first one starting / all conversations.
- deflection rate: conversations closed (ended or given an outcome) with no human involved —
  no transfer attempt, no voicemail, no hand-over outcome — / all conversations.
- qualified leads: conversations the flow's `qualify:` rules passed (`qualification.result ==
  "qualified"`), whatever happened next (staff took it: outcome "transferred"; queued for the
  morning); qualification rate: qualified leads / leads screened (qualified + not qualified).
  Both overall and per business (`by_business`), as a firm asks "how many qualified leads did
  we get this month".
- by language: per customer language (`record.language`, "en" for records older than it),
  the conversations, those resolved, and the resolution rate (the same definition).

`compute` takes the records of the period *plus* those of the 48 h after it, so contacts that
come back just after the period still count against it; only records started inside
[since, until) are counted.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from ivr.store.records import Record, iso, parse_iso, qualification_of

#: "Came back" window for repeat contact and for the bot's answers counting as resolved.
REPEAT_WINDOW = timedelta(hours=48)

#: Outcomes that hand the customer to a person (now or at the next opening).
HANDOVER_OUTCOMES = frozenset({"transferred", "escalated", "after_hours_queued", "qualified"})

#: The rates shown as cards and compared with the previous period; True = higher is better.
RATES: dict[str, bool | None] = {
    "resolution_rate": True,
    "escalation_accuracy": True,
    "time_to_human_p50_s": False,
    "time_to_human_p90_s": False,
    "repeat_contact_rate_48h": False,
    "deflection_rate": True,
}

#: Bucket name used for conversations the flow never classified.
UNCLASSIFIED = "unclassified"

#: The language of a record written before conversations kept one (they were all English).
DEFAULT_LANGUAGE = "en"


def ratio(part: int, whole: int) -> float | None:
    """part / whole rounded to 4 places, or None when nothing was counted."""
    return round(part / whole, 4) if whole else None


def percentile(values: Sequence[float], q: float) -> float | None:
    """The q-th percentile (0..100) by linear interpolation; None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    value = ordered[low] + (ordered[high] - ordered[low]) * (rank - low)
    return round(value, 2)


def started(record: Record) -> datetime | None:
    return parse_iso(record.get("started_at"))


def business_of(record: Record) -> str:
    return record.get("business_key") or record.get("business") or ""


def accepted(record: Record) -> bool:
    """A person took the conversation (the agent pressed 1 / answered the bridge)."""
    transfer = record.get("transfer") or {}
    return transfer.get("accepted") is True


def escalated(record: Record) -> bool:
    """The bot handed this conversation to staff (a transfer was attempted or it said so)."""
    return bool(record.get("transfer")) or record.get("outcome") in ("transferred", "escalated")


def judged_needed(record: Record) -> bool | None:
    """The accepting staff member's verdict: True needed, False not needed, None not asked."""
    needed = (record.get("feedback") or {}).get("needed")
    return needed if isinstance(needed, bool) else None


def human_involved(record: Record) -> bool:
    return (bool(record.get("transfer")) or bool(record.get("voicemail"))
            or record.get("outcome") in HANDOVER_OUTCOMES)


def closed(record: Record) -> bool:
    return record.get("ended_at") is not None or record.get("outcome") is not None


def returns_within(begin: datetime, starts: Sequence[datetime],
                   window: timedelta = REPEAT_WINDOW) -> bool:
    """Whether any of `starts` (the same caller's contacts with the same business, sorted)
    falls in (begin, begin + window]."""
    following = bisect_right(starts, begin)
    return following < len(starts) and starts[following] <= begin + window


def contact_times(records: Iterable[Record]) -> dict[tuple[str, str], list[datetime]]:
    """Start times per (business, caller), sorted: the index repeat contact looks up."""
    index: dict[tuple[str, str], list[datetime]] = {}
    for record in records:
        moment = started(record)
        if moment is not None:
            index.setdefault((business_of(record), record.get("caller", "")), []).append(moment)
    for times in index.values():
        times.sort()
    return index


def resolved(record: Record, came_back: bool) -> bool:
    """Solved per the contract: a human took it, or the bot's answer held."""
    if accepted(record):
        return True
    if record.get("outcome") != "resolved":
        return False
    confirmed = record.get("confirmed")
    if confirmed is not None:
        return confirmed is True
    return not came_back


def in_period(records: Iterable[Record], since: datetime | None,
              until: datetime | None) -> list[Record]:
    """The records started inside [since, until)."""
    out = []
    for record in records:
        moment = started(record)
        if moment is None:
            continue
        if (since is None or moment >= since) and (until is None or moment < until):
            out.append(record)
    return out


def time_to_human(records: Iterable[Record]) -> list[float]:
    """Seconds to a person, for every accepted transfer that measured it."""
    values = []
    for record in records:
        seconds = (record.get("transfer") or {}).get("time_to_human_s")
        if accepted(record) and isinstance(seconds, int | float) and not isinstance(seconds, bool):
            values.append(float(seconds))
    return values


def language_of(record: Record) -> str:
    """The customer's language of a conversation ("en" when the record predates it)."""
    return record.get("language") or DEFAULT_LANGUAGE


def by_language(rows: Mapping[str, Mapping[str, int]]) -> dict[str, dict[str, Any]]:
    """Per language, most conversations first: conversations, resolved and resolution_rate,
    so an owner sees whether Spanish speakers are served as well as English ones."""
    ordered = sorted(rows.items(), key=lambda kv: (-kv[1]["conversations"], kv[0]))
    return {language: {**row, "resolution_rate": ratio(row["resolved"], row["conversations"])}
            for language, row in ordered}


def _tally(rows: dict[str, dict[str, Any]], name: str, record: Record, solved: bool) -> None:
    row = rows.setdefault(name, {"conversations": 0, "route": None, "escalations": 0,
                                 "judged_needed": 0, "judged_unneeded": 0, "resolved": 0})
    row["conversations"] += 1
    row["route"] = row["route"] or record.get("route")
    row["escalations"] += escalated(record)
    verdict = judged_needed(record)
    row["judged_needed"] += verdict is True
    row["judged_unneeded"] += verdict is False
    row["resolved"] += solved


def compute(records: Iterable[Record], since: datetime | None = None,
            until: datetime | None = None) -> dict[str, Any]:
    """Every metric of docs/contracts.md for the records started in [since, until).

    Args:
        records: the period's records and any started up to 48 h after it (for look-ahead).
        since, until: the period (aware datetimes); None = unbounded.

    Returns:
        The `/api/metrics` body (without `unanswered`, which needs Redis for handled marks).
    """
    everything = list(records)
    period = in_period(everything, since, until)
    index = contact_times(everything)
    counts = {"resolved": 0, "escalations": 0, "escalations_with_feedback": 0,
              "escalations_needed": 0, "accepted_transfers": 0, "repeat_contacts": 0,
              "deflected": 0, "closed": 0, "qualified_leads": 0, "not_qualified_leads": 0}
    by_bucket: dict[str, dict[str, Any]] = {}
    by_route: dict[str, dict[str, Any]] = {}
    by_channel: dict[str, int] = {}
    by_outcome: dict[str, int] = {}
    by_business: dict[str, dict[str, Any]] = {}
    languages: dict[str, dict[str, int]] = {}
    for record in period:
        came_back = returns_within(started(record),  # type: ignore[arg-type]
                                   index[(business_of(record), record.get("caller", ""))])
        solved = resolved(record, came_back)
        verdict = judged_needed(record)
        counts["resolved"] += solved
        counts["repeat_contacts"] += came_back
        counts["escalations"] += escalated(record)
        counts["escalations_with_feedback"] += verdict is not None
        counts["escalations_needed"] += verdict is True
        counts["accepted_transfers"] += accepted(record)
        counts["closed"] += closed(record)
        counts["deflected"] += closed(record) and not human_involved(record)
        _tally(by_bucket, record.get("bucket") or UNCLASSIFIED, record, solved)
        _tally(by_route, record.get("route") or UNCLASSIFIED, record, solved)
        channel = record.get("channel") or "unknown"
        by_channel[channel] = by_channel.get(channel, 0) + 1
        outcome = record.get("outcome") or "open"
        by_outcome[outcome] = by_outcome.get(outcome, 0) + 1
        screened = qualification_of(record)
        verdict_key = None if screened is None else (
            "qualified_leads" if screened["result"] == "qualified" else "not_qualified_leads")
        if verdict_key is not None:
            counts[verdict_key] += 1
        mine = by_business.setdefault(record.get("business") or business_of(record),
                                      {"conversations": 0, "qualified_leads": 0,
                                       "not_qualified_leads": 0})
        mine["conversations"] += 1
        if verdict_key is not None:
            mine[verdict_key] += 1
        language = languages.setdefault(language_of(record), {"conversations": 0, "resolved": 0})
        language["conversations"] += 1
        language["resolved"] += solved
    for mine in by_business.values():
        mine["qualification_rate"] = ratio(
            mine["qualified_leads"], mine["qualified_leads"] + mine["not_qualified_leads"])
    total = len(period)
    waits = time_to_human(period)
    return {
        "since": iso(since), "until": iso(until),
        "conversations": total,
        "resolution_rate": ratio(counts["resolved"], total),
        "escalation_accuracy": ratio(counts["escalations_needed"],
                                     counts["escalations_with_feedback"]),
        "time_to_human_p50_s": percentile(waits, 50),
        "time_to_human_p90_s": percentile(waits, 90),
        "repeat_contact_rate_48h": ratio(counts["repeat_contacts"], total),
        "deflection_rate": ratio(counts["deflected"], total),
        "qualified_leads": counts["qualified_leads"],
        "qualification_rate": ratio(counts["qualified_leads"],
                                    counts["qualified_leads"] + counts["not_qualified_leads"]),
        "counts": counts,
        "time_to_human_s": sorted(waits),
        "by_bucket": dict(sorted(by_bucket.items(), key=lambda kv: -kv[1]["conversations"])),
        "by_route": by_route,
        "by_channel": by_channel,
        "by_outcome": by_outcome,
        "by_business": dict(sorted(by_business.items())),
        "by_language": by_language(languages),
    }


def change(current: Mapping[str, Any], previous: Mapping[str, Any]) -> dict[str, Any]:
    """Per rate: the previous value, the difference and whether it moved the good way.

    A rate undefined in either period has no difference (None), never a made-up zero.
    """
    out: dict[str, Any] = {}
    for name, higher_is_better in {**RATES, "conversations": None}.items():
        now, before = current.get(name), previous.get(name)
        delta = None if now is None or before is None else round(now - before, 4)
        better = None if not delta or higher_is_better is None else (
            (delta > 0) == higher_is_better)
        out[name] = {"previous": before, "delta": delta, "better": better}
    return out
