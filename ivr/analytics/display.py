"""How numbers and times are written for people: percentages, seconds, local times, changes.

Shared by the dashboard and `ivr report`. Undefined metrics (nothing to divide by) show as an
em dash, never as 0 % — an owner must be able to tell "no escalations" from "every escalation
was wrong".
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from ivr.analytics.metrics import RATES
from ivr.store.records import parse_iso

#: Metrics measured in seconds (the rest are fractions shown as percentages).
SECONDS = frozenset(name for name in RATES if name.endswith("_s"))

NONE = "—"


def pct(value: float | None) -> str:
    """0.4567 -> '45.7%'; None -> '—'."""
    return NONE if value is None else f"{value * 100:.1f}%".replace(".0%", "%")


def secs(value: float | None) -> str:
    """21.4 -> '21 s'; 95 -> '1 min 35 s'; None -> '—'."""
    if value is None:
        return NONE
    whole = round(value)
    return f"{whole} s" if whole < 60 else f"{whole // 60} min {whole % 60:02d} s"


def metric(value: float | None, name: str) -> str:
    """A metric value in its unit."""
    if name == "conversations":
        return NONE if value is None else f"{value:g}"
    return secs(value) if name in SECONDS else pct(value)


def delta(change: dict[str, object] | None, name: str) -> str:
    """'▲ 5.0 pts', '▼ 12 s', '±0' or '' when either period had nothing to measure."""
    if not change or change.get("delta") is None:
        return ""
    value = float(change["delta"])  # type: ignore[arg-type]
    if value == 0:
        return "no change"
    arrow = "▲" if value > 0 else "▼"
    if name == "conversations":
        return f"{arrow} {abs(value):g}"
    if name in SECONDS:
        return f"{arrow} {abs(value):.0f} s"
    return f"{arrow} {abs(value) * 100:.1f} pts"


def local(text: str | datetime | None, timezone: str | None = None,
          seconds: bool = False) -> str:
    """An ISO time as the business reads it, always with its zone: '24 Nov 2026 10:00 CST' in
    the business's timezone, or '24 Nov 2026 16:00 UTC' when no business is in question (a
    period across businesses, a failed job). With seconds for transfer timelines, where every
    second counts.

    The zone is part of every time shown: the overview, the conversation list and the review
    once mixed UTC and local times that looked alike, and an owner cannot tell them apart.
    """
    moment = parse_iso(text) if isinstance(text, str) else text
    if not isinstance(moment, datetime):
        return NONE
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    moment = moment.astimezone(ZoneInfo(timezone) if timezone else UTC)
    shown = moment.strftime("%d %b %Y %H:%M:%S" if seconds else "%d %b %Y %H:%M")
    return f"{shown} {moment.tzname() or 'UTC'}"


def words(name: str | None) -> str:
    """'emergency_repair' -> 'emergency repair'."""
    return (name or NONE).replace("_", " ")


#: The metrics in review order, with the names people read.
LABELS: dict[str, str] = {
    "conversations": "Conversations",
    "resolution_rate": "Resolution rate",
    "deflection_rate": "Deflection rate",
    "escalation_accuracy": "Escalation accuracy",
    "time_to_human_p50_s": "Time to a human (p50)",
    "time_to_human_p90_s": "Time to a human (p90)",
    "repeat_contact_rate_48h": "Repeat contact within 48 h",
}


#: Language names as the owner reads them (codes of `record.language`).
LANGUAGE_NAMES = {"en": "English", "es": "Spanish"}


def language_name(code: str | None) -> str:
    """'es' -> 'Spanish' (an unknown code is shown as it is stored)."""
    return LANGUAGE_NAMES.get(code or "", code or "unknown")
