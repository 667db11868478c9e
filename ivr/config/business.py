"""Business configs: who the business is, its numbers, hours, staff, on-call order and params.

One file per business (or a directory of them); each business is reached by its own Twilio
numbers (`To`). Validation names the file, line and key: `hartley.yaml:7: numbers: ...`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers

from ivr.config.settings import PROJECT_ROOT
from ivr.flow.context import Order
from ivr.flow.errors import ConfigError, Problem
from ivr.flow.hours import OpeningHours, describe_week, holiday_problems
from ivr.flow.language import DEFAULT_LANGUAGE, LANGUAGES
from ivr.flow.yamlsrc import line_of, parse, plain

#: Keys a business file may carry (docs/contracts.md's Business config plus our extensions).
KNOWN_KEYS = {
    "name", "numbers", "timezone", "hours", "holidays", "flow", "staff", "on_call", "params",
    "customers", "speech", "voice", "fallback_number", "export", "retention_days",
    "sms_countries", "key", "language", "answers", "delete_recordings", "sms", "languages",
    "voices",
}
#: How a business hears its callers (`speech:`, docs/configuration.md): "stream" (default:
#: our own Vosk over a Media Stream; audio stays here), "record" (recorded answers transcribed
#: here, where WebSockets cannot be exposed), "twilio" (Twilio's recogniser on each question's
#: Gather: no model or CPU here, paid per use, and the audio is heard by Twilio).
SPEECH_MODES = ("stream", "record", "twilio")
#: Keys of `sms:` (how carrier keywords are answered; docs/contracts.md, Business config).
SMS_KEYS = {"help_reply", "start_reply", "carrier_handles_keywords"}
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Staff:
    """A person who may take conversations; `languages` are the customers' languages they
    speak besides English (`languages: [es]`), so a Spanish conversation rings them first."""

    name: str
    phone: str
    skills: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()

    def speaks(self, language: str) -> bool:
        """Whether this person can talk with a customer in `language` (English: everyone)."""
        return language == "en" or language in self.languages


@dataclass(frozen=True)
class SmsKeywords:
    """How HELP and START are answered (`sms:` in a business file).

    By default the carrier answers them: on a long code Twilio itself replies to STOP, START
    and HELP (and with Advanced Opt-Out, to the keywords and replies configured there), so a
    reply of ours would be the texter's second. Set `carrier_handles_keywords: false` where
    Twilio's keyword replies are turned off; then `help_reply` and `start_reply` (or ours by
    default) are sent. `{name}` and `{contact}` in them become the business's name and the
    number to call for a person. Each is a text (English) or a map of languages
    (`{en: ..., es: ...}`), like a flow's texts.
    """

    carrier_handles_keywords: bool = True
    help_reply: str | Mapping[str, str] = ""
    start_reply: str | Mapping[str, str] = ""

    def wording(self, word: str, language: str = "en") -> str:
        """The owner's reply to HELP (`word` "help") or START for a texter in `language`:
        that language's version, else their English one (the words their carrier registered;
        `ivr flows check` reports the missing language), else "" (ours, in `language`)."""
        found = self.help_reply if word == "help" else self.start_reply
        if isinstance(found, str):
            return found
        return found.get(language) or found.get(DEFAULT_LANGUAGE) or ""


@dataclass(frozen=True)
class OnCallEntry:
    """One step of the hunt: a staff member, optionally only `when` (days/hours)."""

    staff: str
    when: Mapping[str, str] | None = None


@dataclass(frozen=True)
class Business:
    """A validated business config."""

    key: str
    name: str
    numbers: tuple[str, ...]
    timezone: str
    hours: Mapping[str, str]
    flow_path: Path
    staff: tuple[Staff, ...]
    on_call: tuple[OnCallEntry, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    customers_path: Path | None = None
    holidays: tuple[str, ...] = ()
    speech: str = "stream"
    voice: str = "Polly.Joanna"
    fallback_number: str | None = None
    export: Mapping[str, Any] | None = None
    retention_days: int = 90
    sms_countries: tuple[str, ...] = ("US", "CA")
    language: str = "en-US"
    delete_recordings: bool = False
    sms: SmsKeywords = SmsKeywords()
    source: Path | None = None
    #: The languages its customers are answered in (`languages: [en, es]`), English first by
    #: default: the flow's texts must exist in each (`ivr flows check`), and a customer is
    #: answered in another only once their words make it sure or they ask for it.
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    #: A `<Say>` voice per customer language (`voices: {es: Polly.Lupe}`); see `voice_for`.
    voices: Mapping[str, str] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def opening_hours(self) -> OpeningHours:
        """The business clock, built once (its parsed week and holidays are cached in it)."""
        return OpeningHours(self.hours, self.timezone, self.holidays)

    @cached_property
    def hours_text(self) -> str:
        """The opening hours in words, local to the business ("Monday to Friday 8:30 AM to
        5:30 PM, Saturday 9 AM to noon"): what the flow says when no `hours_text` param is set."""
        return describe_week(self.hours)

    @property
    def flow_name(self) -> str:
        return self.flow_path.stem

    def speaks(self, language: str) -> bool:
        """Whether this business answers customers in `language`."""
        return language in self.languages

    def staff_named(self, name: str) -> Staff | None:
        return next((s for s in self.staff if s.name == name), None)

    def load_orders(self) -> tuple[Order, ...]:
        """The shop's order export (`customers:` CSV), or () when none is configured."""
        if self.customers_path is None or not self.customers_path.exists():
            return ()
        with self.customers_path.open(newline="", encoding="utf-8") as handle:
            return tuple(
                Order(order_id=row["order_id"].strip(), phone=e164(row["phone"]) or row["phone"],
                      name=row.get("name", "").strip(), total=float(row.get("total") or 0),
                      status=row.get("status", "").strip())
                for row in csv.DictReader(handle)
            )


@lru_cache(maxsize=4096)
def e164(number: str, region: str = "US") -> str | None:
    """`number` in E.164, or None when it is not a possible phone number (cached: parsing
    takes tens of microseconds and the same numbers come back all day)."""
    try:
        parsed = phonenumbers.parse(str(number), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def dialable(number: str, region: str = "US") -> str | None:
    """`number` in E.164 when `phonenumbers` calls it a valid number, else None.

    Stricter than `e164` on purpose: "555-0400" is a *possible* number (so `e164` makes it
    +15550400), but no carrier will ever send to or ring it, and a business config must not
    promise it. Numbers written without a country code are read in the business's `region`.
    The 555-01xx numbers the examples and docs use are valid to `phonenumbers` (they have a real
    area code), so no exception is needed for them.
    """
    try:
        parsed = phonenumbers.parse(str(number), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=1)
def _zone_countries() -> dict[str, str]:
    """Time zone -> ISO country, from the system's zone.tab (empty where there is none)."""
    for table in (Path("/usr/share/zoneinfo/zone.tab"), Path("/usr/share/zoneinfo/zone1970.tab")):
        try:
            rows = table.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        return {cols[2]: cols[0].split(",")[0] for cols in
                (row.split("\t") for row in rows if row and not row.startswith("#"))
                if len(cols) >= 3}
    return {}


def business_region(numbers: Any, timezone: Any) -> str:
    """The region a business's local numbers are read in: the country of its first number
    written with a country code, else its time zone's country, else US."""
    for raw in numbers if isinstance(numbers, list) else ():
        if str(raw).strip().startswith("+"):
            try:
                region = phonenumbers.region_code_for_number(phonenumbers.parse(str(raw)))
            except phonenumbers.NumberParseException:
                continue
            if region and region != "ZZ":
                return region
    return _zone_countries().get(str(timezone), "US")


def slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-") or "business"


def _read_as(region: str) -> str:
    """How a rejected number was read, so the fix is obvious ("write it with +1 …")."""
    code = phonenumbers.country_code_for_region(region)
    return f"(read as a {region} number: write it in full, +{code} then the number)"


def _hours_ok(spec: str) -> bool:
    return bool(re.fullmatch(r"(closed|\d{2}:\d{2}-\d{2}:\d{2}(,\s*\d{2}:\d{2}-\d{2}:\d{2})*)",
                             str(spec).strip()))


def _days_ok(days: str) -> bool:
    for part in str(days).split(","):
        ends = part.strip().split("-")
        if not 1 <= len(ends) <= 2 or any(d not in DAY_NAMES for d in ends):
            return False
    return True


def load_business(path: Path) -> Business:
    """Parse and validate one business file; raises ConfigError listing every problem."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(file, 1, f"cannot read: {exc}")]) from exc
    node = parse(text, file)
    problems: list[Problem] = []

    def problem(key: Any, message: str, parent: Any = node) -> None:
        problems.append(Problem(file, line_of(parent, key), message))

    if not isinstance(node, dict):
        raise ConfigError([Problem(file, 1, "a business file must be a mapping of keys")])
    for key in node:
        if key not in KNOWN_KEYS:
            problem(key, f"unknown key '{key}' (known: {', '.join(sorted(KNOWN_KEYS))})")
    for required in ("name", "numbers", "timezone", "hours", "flow", "staff", "on_call"):
        if required not in node:
            problems.append(Problem(file, 1, f"missing key '{required}'"))
    if problems and any("missing" in p.message for p in problems):
        raise ConfigError(problems)

    region = business_region(node["numbers"], node["timezone"])
    numbers = []
    if not isinstance(node["numbers"], list) or not node["numbers"]:
        problem("numbers", "numbers: a list of at least one Twilio number in E.164")
    else:
        for i, raw in enumerate(node["numbers"]):
            number = dialable(str(raw), region)
            if number is None:
                problem(i, f"numbers: '{raw}' is not a phone number {_read_as(region)}",
                        node["numbers"])
            else:
                numbers.append(number)
    try:
        ZoneInfo(str(node["timezone"]))
    except (ZoneInfoNotFoundError, ValueError):
        problem("timezone", f"timezone: unknown time zone '{node['timezone']}'")
    hours = node["hours"]
    if not isinstance(hours, dict):
        problem("hours", "hours: a mapping like {mon-fri: '08:30-17:30'}")
        hours = {}
    for days, spec in hours.items():
        if not _days_ok(days):
            problem(days, f"hours: '{days}' is not a day or day range (mon..sun)", hours)
        if not _hours_ok(spec):
            problem(days, f"hours: '{spec}' is not HH:MM-HH:MM or 'closed'", hours)

    flow_path = (path.parent / str(node["flow"])).resolve()
    if not flow_path.exists():
        alt = (path.parent.parent / str(node["flow"])).resolve()
        shipped = (PROJECT_ROOT / str(node["flow"])).resolve()
        flow_path = alt if alt.exists() else shipped
        if not flow_path.exists():
            problem("flow", f"flow: file '{node['flow']}' not found")

    staff: list[Staff] = []
    named: set[str] = set()  # every staff name, even one whose phone is wrong (reported once)
    if not isinstance(node["staff"], list):
        problem("staff", "staff: a list of {name, phone, skills}")
    else:
        for i, entry in enumerate(node["staff"]):
            if not isinstance(entry, dict) or "name" not in entry or "phone" not in entry:
                problem(i, "staff: each entry needs name and phone", node["staff"])
                continue
            named.add(str(entry["name"]))
            phone = dialable(str(entry["phone"]), region)
            if phone is None:
                problem(i, f"staff: '{entry['phone']}' is not a phone number {_read_as(region)}",
                        node["staff"])
                continue
            skills = entry.get("skills", [])
            spoken = _languages(entry.get("languages", []), i, node["staff"], problem)
            staff.append(Staff(str(entry["name"]), phone, tuple(str(s) for s in skills),
                               spoken))
    names = named
    on_call: list[OnCallEntry] = []
    if not isinstance(node["on_call"], list):
        problem("on_call", "on_call: a list of {staff: NAME, when: {...}}")
    else:
        for i, entry in enumerate(node["on_call"]):
            who = entry.get("staff") if isinstance(entry, dict) else None
            if who not in names:
                problem(i, f"on_call: '{who}' is not one of the staff", node["on_call"])
                continue
            when = entry.get("when")
            if when is not None and not isinstance(when, dict):
                problem(i, "on_call: when: a mapping like {mon-fri: '17:30-08:30'}",
                        node["on_call"])
                when = None
            for days, spec in (when or {}).items():
                if not _days_ok(days) or not _hours_ok(spec):
                    problem(i, f"on_call: when: '{days}: {spec}' is not days (mon..sun) with "
                            "HH:MM-HH:MM", node["on_call"])
            on_call.append(OnCallEntry(str(who), plain(when) if when else None))

    holidays = node.get("holidays") or []
    if not isinstance(holidays, list):
        problem("holidays", "holidays: a list of dates (2026-12-25), ranges or country codes (US)")
        holidays = []
    for message in holiday_problems([str(h) for h in holidays]):
        problem("holidays", message)
    params = node.get("params") or {}
    if not isinstance(params, dict):
        problem("params", "params: a mapping of the facts this business's flow reads")
        params = {}
    customers = None
    if node.get("customers"):
        customers = (path.parent / str(node["customers"])).resolve()
        if not customers.exists():
            problem("customers", f"customers: file '{node['customers']}' not found")
    speech = str(node.get("speech", "stream"))
    if speech not in SPEECH_MODES:
        problem("speech", f"speech: '{speech}' is not a way to hear callers: 'stream' (our Vosk "
                "over Media Streams), 'record' (recorded answers, transcribed here) or 'twilio' "
                "(Twilio's recogniser on each question)")
    fallback = node.get("fallback_number")
    if fallback is not None and dialable(str(fallback), region) is None:
        problem("fallback_number",
                f"fallback_number: '{fallback}' is not a phone number {_read_as(region)}")
    languages = _business_languages(node.get("languages"), problem)
    sms = _sms_keywords(node.get("sms"), problem, languages)
    voices = node.get("voices") or {}
    if not isinstance(voices, dict) or any(str(k) not in LANGUAGES for k in voices):
        problem("voices", f"voices: a mapping of language ({', '.join(LANGUAGES)}) to a <Say> "
                "voice, like {es: Polly.Lupe}")
        voices = {}
    if problems:
        raise ConfigError(problems)
    return Business(
        key=str(node.get("key") or slug(str(node["name"]))), name=str(node["name"]),
        numbers=tuple(numbers), timezone=str(node["timezone"]),
        hours={str(k): str(v) for k, v in hours.items()}, flow_path=flow_path,
        staff=tuple(staff), on_call=tuple(on_call), params=plain(params),
        customers_path=customers, holidays=tuple(str(h) for h in node.get("holidays") or ()),
        speech=speech, voice=str(node.get("voice", "Polly.Joanna")),
        fallback_number=dialable(str(fallback), region) if fallback else None,
        export=plain(node.get("export")) if node.get("export") else None,
        retention_days=int(node.get("retention_days", 90)),
        sms_countries=tuple(node.get("sms_countries") or ("US", "CA")),
        language=str(node.get("language", "en-US")),
        delete_recordings=bool(node.get("delete_recordings", False)), sms=sms, source=path,
        languages=languages, voices={str(k): str(v) for k, v in voices.items()},
    )


def _languages(value: Any, key: Any, parent: Any, problem: Any) -> tuple[str, ...]:
    """A `languages:` list (of a business or a staff member), its problems reported through
    `problem(key, message, parent)`; unknown languages are dropped after being reported."""
    if not isinstance(value, list):
        problem(key, f"languages: a list like [{', '.join(LANGUAGES)}]", parent)
        return ()
    known = []
    for language in value:
        if str(language) not in LANGUAGES:
            problem(key, f"languages: '{language}' is not one of {', '.join(LANGUAGES)}", parent)
        elif str(language) not in known:
            known.append(str(language))
    return tuple(known)


def _business_languages(node: Any, problem: Any) -> tuple[str, ...]:
    """`languages: [en, es]`: known codes, no repeats; English is always among them (it is the
    answer when the customer's language is unsure), so `[es]` alone is refused."""
    if node is None:
        return (DEFAULT_LANGUAGE,)
    if not isinstance(node, list) or not node:
        problem("languages", f"languages: a list of language codes ({', '.join(LANGUAGES)})")
        return (DEFAULT_LANGUAGE,)
    found: list[str] = []
    for raw in node:
        code = str(raw).strip().lower()
        if code not in LANGUAGES:
            problem("languages", f"languages: unknown language '{raw}' (known: "
                                 f"{', '.join(LANGUAGES)})")
        elif code in found:
            problem("languages", f"languages: '{code}' is listed twice")
        else:
            found.append(code)
    if found and DEFAULT_LANGUAGE not in found:
        problem("languages", f"languages: must include '{DEFAULT_LANGUAGE}' (the answer when a "
                             f"customer's language is unsure)")
    return tuple(found) or (DEFAULT_LANGUAGE,)


def _sms_keywords(node: Any, problem: Any,
                  languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)) -> SmsKeywords:
    """The `sms:` mapping, its problems reported through `problem(key, message, parent)`; a
    reply without a version in a language the business declares is one of them."""
    if node is None:
        return SmsKeywords()
    if not isinstance(node, dict):
        problem("sms", "sms: a mapping like {carrier_handles_keywords: true, help_reply: ...}")
        return SmsKeywords()
    for key in node:
        if key not in SMS_KEYS:
            problem(key, f"sms: unknown key '{key}' (known: {', '.join(sorted(SMS_KEYS))})", node)
    handles = node.get("carrier_handles_keywords", True)
    if not isinstance(handles, bool):
        problem("carrier_handles_keywords", "sms: carrier_handles_keywords: true or false", node)
        handles = True
    replies: dict[str, str | dict[str, str]] = {}
    for key in ("help_reply", "start_reply"):
        replies[key] = _keyword_reply(node, key, problem, languages)
    return SmsKeywords(carrier_handles_keywords=handles, **replies)  # type: ignore[arg-type]


def _keyword_reply(node: dict, key: str, problem: Any,
                   languages: tuple[str, ...]) -> str | dict[str, str]:
    """One of `sms:`'s replies: a text (English) or `{en: ..., es: ...}`."""
    value = node.get(key, "")
    if isinstance(value, dict):
        bad = [k for k, v in value.items() if str(k) not in LANGUAGES or not isinstance(v, str)]
        if bad:
            problem(key, f"sms: {key}: a text per language ({', '.join(LANGUAGES)})", node)
        texts = {str(k): v.strip() for k, v in value.items()
                 if str(k) in LANGUAGES and isinstance(v, str) and v.strip()}
    elif isinstance(value, str):
        texts = {DEFAULT_LANGUAGE: value.strip()} if value.strip() else {}
    else:
        problem(key, f"sms: {key}: the text to send, or one per language like {{en: ..., es: ...}}",
                node)
        return ""
    missing = [lang for lang in languages if texts and lang not in texts]
    if missing:
        problem(key, f"sms: {key}: no version in {', '.join(missing)} (the business declares "
                f"languages: [{', '.join(languages)}]); a texter in it would get another "
                "language's", node)
    return value.strip() if isinstance(value, str) else texts

