"""Who is on call right now, in hunt order: the roster a warm transfer rings through.

A business lists `on_call:` entries in hunt order; an entry may carry `when:` (days and hours
in the business timezone, the same notation as `hours:`, overnight ranges allowed) so that,
say, Dana covers evenings and Sam weekdays. The flow names the skill a conversation needs
(from its bucket); people with that skill are rung first, then the rest of the roster, so an
emergency is never left ringing nobody because the one skilled person is off rota.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ivr.config.business import Business, Staff, e164
from ivr.config.directory import Directory
from ivr.flow.hours import covers


@dataclass(frozen=True)
class OnCall:
    """One person in the hunt, with why they are in it.

    Attributes:
        staff: the staff member.
        skilled: True when they have the skill the conversation asked for.
        when: the entry's `when:` rule (None = always on call).
    """

    staff: Staff
    skilled: bool = True
    when: dict[str, str] | None = None

    @property
    def first_name(self) -> str:
        return first_name(self.staff.name)


def first_name(name: str) -> str:
    """'Dana Ortiz' -> 'Dana': what callers hear ("Connecting you with Dana")."""
    return name.split()[0] if name.strip() else name


def on_call(business: Business, now: datetime, skill: str | None = None,
            language: str = "en") -> list[OnCall]:
    """The hunt order at `now`: on-call people with `skill` first, then the other on-call people.

    Each person appears once even when listed under several `when:` entries. With no skill
    asked for, everyone on call is rung in roster order. For a conversation in another
    `language` than English, the people who speak it (`languages:` on staff) come first, in
    that same order, then everyone else: a Spanish speaker should not have to repeat
    themselves in English to the first person who answers, but nobody is left unrung.
    """
    seen: set[str] = set()
    present: list[Staff] = []
    entries: dict[str, dict[str, str] | None] = {}
    for entry in business.on_call:
        person = business.staff_named(entry.staff)
        if person is None or person.name in seen or not covers(entry.when, business.timezone, now):
            continue
        seen.add(person.name)
        present.append(person)
        entries[person.name] = dict(entry.when) if entry.when else None
    skilled = [p for p in present if skill is None or skill in p.skills]
    others = [p for p in present if p not in skilled]
    hunt = ([OnCall(p, True, entries[p.name]) for p in skilled]
            + [OnCall(p, False, entries[p.name]) for p in others])
    return ([p for p in hunt if p.staff.speaks(language)]
            + [p for p in hunt if not p.staff.speaks(language)])


def roster_view(business: Business, now: datetime, skill: str | None = None) -> dict[str, Any]:
    """The JSON shape of `GET /api/oncall`: who is on call now, in hunt order."""
    return {
        "business": business.name,
        "key": business.key,
        "at": now.astimezone(business.tz).isoformat(timespec="minutes"),
        "skill": skill,
        "on_call": [
            {"order": i + 1, "name": p.staff.name, "phone": p.staff.phone,
             "skills": list(p.staff.skills), "skilled": p.skilled, "when": p.when}
            for i, p in enumerate(on_call(business, now, skill))
        ],
    }


def find_business(directory: Directory, name: str) -> Business | None:
    """A business by key, exact name (any case) or one of its numbers."""
    wanted = name.strip().lower()
    number = e164(name.strip()) if any(c.isdigit() for c in name) else None
    for business in directory:
        if wanted in (business.key, business.name.lower()) or number in business.numbers:
            return business
    return None


def format_roster(view: dict[str, Any]) -> str:
    """A terminal table of one business's roster."""
    lines = [f"{view['business']} — on call at {view['at']}"]
    if not view["on_call"]:
        lines.append("  nobody is on call now (callers are offered voicemail)")
    for row in view["on_call"]:
        when = ", ".join(f"{d} {h}" for d, h in (row["when"] or {}).items()) or "always"
        lines.append(f"  {row['order']}. {row['name']:<16} {row['phone']:<14} "
                     f"{'/'.join(row['skills']) or '-':<20} {when}")
    return "\n".join(lines)
