"""The unanswered-questions log: what callers asked that the bot could not answer.

Each conversation record keeps the questions it could not answer (`record["unanswered"]`, a
list of `{question, at}`). For the monthly review those are grouped — "do you do boilers?" and
"do you service boilers" are one question asked twice — with rapidfuzz, counted and shown with
a few examples. Once the owner has added an answer, they mark the group handled; the mark is
kept in Redis as the group's text and a time, so the same question asked *again* afterwards
reopens the group instead of hiding it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

import redis
from rapidfuzz import fuzz, process

from ivr.store.conversations import Store
from ivr.store.records import Record, iso, parse_iso

#: Two questions whose token-set similarity (0..100) reaches this are the same question.
SIMILARITY = 78

#: How many example wordings a group shows.
EXAMPLES = 3

_NOISE = re.compile(r"[^a-z0-9' ]+")


def normalize(question: str) -> str:
    """Lower case, punctuation and extra spaces removed: the text groups are matched on."""
    return " ".join(_NOISE.sub(" ", question.lower()).split())


@dataclass
class Occurrence:
    """One time a question went unanswered."""

    question: str
    at: datetime | None
    business: str
    conversation: str


@dataclass
class Group:
    """Similar unanswered questions, counted together.

    Attributes:
        key: the normalized text of the first wording seen (what a handled mark stores).
        question: the most frequent wording, shown as the group's title.
        count: how many times it went unanswered.
        examples: up to `EXAMPLES` distinct wordings, most frequent first.
        businesses: business keys it was asked of.
        last_at: the latest time it was asked.
        open_count: times it was asked and not covered by a handled mark.
    """

    key: str
    question: str = ""
    count: int = 0
    examples: list[str] = field(default_factory=list)
    businesses: list[str] = field(default_factory=list)
    last_at: datetime | None = None
    open_count: int = 0
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def handled(self) -> bool:
        """Handled when every time it was asked came before an answer was added."""
        return self.count > 0 and self.open_count == 0

    def as_dict(self) -> dict[str, object]:
        return {"key": self.key, "question": self.question, "count": self.count,
                "examples": list(self.examples), "businesses": list(self.businesses),
                "last_at": iso(self.last_at), "handled": self.handled,
                "open_count": self.open_count}


def occurrences(records: Iterable[Record]) -> list[Occurrence]:
    """Every unanswered question in the records, oldest first."""
    found = [Occurrence(str(item.get("question", "")).strip(), parse_iso(item.get("at")),
                        record.get("business_key") or record.get("business", ""), record["id"])
             for record in records for item in record.get("unanswered") or []
             if str(item.get("question", "")).strip()]
    found.sort(key=lambda o: (o.at is None, o.at or datetime.min))
    return found


def _covered(occurrence: Occurrence, marks: Mapping[str, datetime]) -> bool:
    """Whether a handled mark similar to this question was made after it was asked."""
    text = normalize(occurrence.question)
    for mark_text, marked_at in marks.items():
        if occurrence.at is not None and occurrence.at > marked_at:
            continue
        if fuzz.token_set_ratio(text, mark_text) >= SIMILARITY:
            return True
    return False


def group_questions(records: Iterable[Record],
                    handled: Mapping[str, Mapping[str, datetime]] | None = None) -> list[Group]:
    """Group the records' unanswered questions by similarity; most asked first.

    Args:
        records: conversation records (any businesses).
        handled: per business key, handled marks `{normalized text: marked at}`.
    """
    groups: list[Group] = []
    keys: list[str] = []
    handled = handled or {}
    for occ in occurrences(records):
        text = normalize(occ.question)
        match = process.extractOne(text, keys, scorer=fuzz.token_set_ratio,
                                   score_cutoff=SIMILARITY) if keys else None
        if match is None:
            group = Group(key=text)
            groups.append(group)
            keys.append(text)
        else:
            group = groups[match[2]]
        group.occurrences.append(occ)
        group.count += 1
        if occ.business not in group.businesses:
            group.businesses.append(occ.business)
        if occ.at is not None and (group.last_at is None or occ.at > group.last_at):
            group.last_at = occ.at
        if not _covered(occ, handled.get(occ.business, {})):
            group.open_count += 1
    for group in groups:
        wordings: dict[str, int] = {}
        for occ in group.occurrences:
            wordings[occ.question] = wordings.get(occ.question, 0) + 1
        ranked = sorted(wordings, key=lambda w: -wordings[w])
        group.question = ranked[0]
        group.examples = ranked[:EXAMPLES]
    groups.sort(key=lambda g: (g.handled, -g.count, g.key))
    return groups


class HandledMarks:
    """Handled marks in Redis: `ivr:{business}:unanswered:handled` = {text: ISO time}.

    Args:
        connection: the Redis connection (explicit, never global).
        prefix: the store's key prefix.
    """

    def __init__(self, connection: redis.Redis, prefix: str = "ivr") -> None:
        self.redis = connection
        self.prefix = prefix

    @classmethod
    def of(cls, store: Store) -> HandledMarks:
        """The marks kept in `store`'s Redis under its prefix."""
        return cls(store.redis, store.prefix)

    def _key(self, business: str) -> str:
        return f"{self.prefix}:{business}:unanswered:handled"

    def mark(self, business: str, question: str, now: datetime) -> str:
        """Record that `question` (and anything similar asked until `now`) has an answer."""
        text = normalize(question)
        if not text:
            raise ValueError("an empty question cannot be marked handled")
        self.redis.hset(self._key(business), text, iso(now) or "")
        return text

    def marks(self, business: str) -> dict[str, datetime]:
        raw = self.redis.hgetall(self._key(business))
        out: dict[str, datetime] = {}
        for text, at in raw.items():
            moment = parse_iso(at.decode())
            if moment is not None:
                out[text.decode()] = moment
        return out

    def all_marks(self, businesses: Iterable[str]) -> dict[str, dict[str, datetime]]:
        return {business: self.marks(business) for business in businesses}


def unanswered_log(connection: redis.Redis, records: list[Record],
                   prefix: str = "ivr") -> list[Group]:
    """The grouped log for these records, with the handled marks from Redis applied."""
    businesses = {r.get("business_key") or r.get("business", "") for r in records}
    return group_questions(records, HandledMarks(connection, prefix).all_marks(businesses))


def unanswered_in(store: Store, records: list[Record]) -> list[Group]:
    """`unanswered_log` with the marks kept in `store`."""
    return unanswered_log(store.redis, records, store.prefix)
