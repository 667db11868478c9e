"""Flow YAML to a validated `Flow`, with every problem reported as `file:line: problem`.

A business edits its own rules without code, so the loader is the safety net: unknown keys
(typos), missing prompts, bad routes, regexes that do not compile, triggers or rules naming slots
that do not exist, and buckets nothing can reach are all reported at once, each with its line.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ivr.flow.errors import ConfigError, Problem
from ivr.flow.expr import SCOPES, parse_predicate, template_fields
from ivr.flow.intent import fuzzy_index
from ivr.flow.language import DEFAULT_LANGUAGE, LANGUAGES
from ivr.flow.loadwords import (
    normalized,
    parse_ignore,
    parse_pairs,
    parse_urgent_if,
    parse_vocabulary,
    speller_for,
    strings,
)
from ivr.flow.model import (
    AFTER_HOURS,
    ROUTES,
    SLOT_TYPES,
    Bucket,
    Flow,
    Option,
    Rule,
    Slot,
    Text,
    Trigger,
)
from ivr.flow.yamlsrc import line_of, parse, plain

FLOW_KEYS = {"name", "description", "greeting", "ask", "reprompt", "skill", "default_bucket",
             "min_confidence", "messages", "slots", "buckets", "triggers", "vocabulary",
             "asked_for_human", "needs_a_person"}
SLOT_KEYS = {"type", "prompt", "reprompt", "label", "options", "pattern", "yes_phrases",
             "no_phrases", "unprompted", "description", "check"}
OPTION_KEYS = {"value", "label", "digit", "synonyms", "examples"}
BUCKET_KEYS = {"route", "skill", "phrases", "digit", "label", "slots", "answer", "qualify",
               "after_hours", "urgent", "reason", "lookup", "faq", "description", "pairs",
               "ignore", "places", "urgent_if", "examples"}
RULE_KEYS = {"name", "when", "decline"}
TRIGGER_KEYS = {"name", "phrases", "patterns", "when", "bucket", "skill", "urgent", "say",
                "pairs", "ignore", "examples"}
HUMAN_KEYS = {"examples"}
PERSON_KEYS = {"examples", "not"}
#: An example is a sentence, not a keyword: the semantic layer compares whole messages.
EXAMPLE_MIN_WORDS = 3
#: Template names the engine provides besides the scopes (see engine.scopes).
TEMPLATE_NAMES = {"business", "next_opening", "jurisdiction_names", "state", "value", "place",
                  "places"}


class _Checker:
    """Collects problems for one file while the pieces are built."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, node: Any, key: Any, message: str) -> None:
        self.problems.append(Problem(self.file, line_of(node, key), message))

    def keys(self, node: Any, known: set[str], what: str) -> None:
        for key in node:
            if key not in known:
                self.add(node, key, f"{what}: unknown key '{key}' (known: "
                                    f"{', '.join(sorted(known))})")

    def regex(self, node: Any, key: Any, text: str, what: str) -> re.Pattern[str] | None:
        try:
            return re.compile(str(text), re.IGNORECASE)
        except re.error as exc:
            self.add(node, key, f"{what}: bad regex pattern '{text}': {exc}")
            return None

    def refs(self, node: Any, key: Any, text: str, slots: dict[str, Any], what: str) -> None:
        """Templates and predicates may only name slots the flow defines."""
        for name in template_fields(text):
            scope, _, rest = name.partition(".")
            if name in TEMPLATE_NAMES or (scope in SCOPES and rest):
                if scope == "slots" and rest not in slots:
                    self.add(node, key, f"{what}: names unknown slot '{rest}'")
                continue
            self.add(node, key, f"{what}: unknown template name '{{{name}}}'")


def _examples(check: _Checker, node: Any, what: str, key: str = "examples"
              ) -> tuple[str, ...]:
    """`examples:` (or another `key`): a list of distinct sentences of at least
    EXAMPLE_MIN_WORDS words each."""
    if key not in node:
        return ()
    entries = node[key]
    if not isinstance(entries, list) or not entries:
        check.add(node, key, f"{what}: {key} is a list of sentences")
        return ()
    found: list[str] = []
    for i, entry in enumerate(entries):
        text = str(entry).strip() if isinstance(entry, str | int | float) else ""
        if len(text.split()) < EXAMPLE_MIN_WORDS:
            check.add(entries, i, f"{what}: example {i + 1} is not a sentence of at least "
                                  f"{EXAMPLE_MIN_WORDS} words (a keyword belongs in phrases)")
        elif text.lower() in (f.lower() for f in found):
            check.add(entries, i, f"{what}: example {i + 1} repeats an earlier one")
        else:
            found.append(text)
    return tuple(found)


def _slot(check: _Checker, name: str, node: Any, parent: Any) -> Slot | None:
    what = f"slot '{name}'"
    if not isinstance(node, dict):
        check.add(parent, name, f"{what}: a mapping with type and prompt")
        return None
    check.keys(node, SLOT_KEYS, what)
    kind = str(node.get("type", "text"))
    if kind not in SLOT_TYPES:
        check.add(node, "type", f"{what}: unknown type '{kind}' (types: {', '.join(SLOT_TYPES)})")
    if not node.get("prompt"):
        check.add(parent, name, f"{what}: missing prompt")
    options: list[Option] = []
    option_nodes: list[Any] = []
    digits: set[str] = set()
    for i, entry in enumerate(node.get("options") or []):
        if not isinstance(entry, dict) or "value" not in entry:
            check.add(node["options"], i, f"{what}: each option needs a value")
            continue
        check.keys(entry, OPTION_KEYS, f"{what} option")
        digit = str(entry.get("digit", ""))
        if digit and (digit in digits or not re.fullmatch(r"[0-9*#]", digit)):
            check.add(entry, "digit", f"{what}: digit '{digit}' repeated or not one key")
        digits.add(digit)
        examples = _examples(check, entry, f"{what} option '{entry['value']}'")
        if examples and kind != "choice":
            check.add(entry, "examples", f"{what} option '{entry['value']}': examples belong "
                                         f"to a choice slot's options (this slot is {kind})")
        options.append(Option(str(entry["value"]), str(entry.get("label", entry["value"])), digit,
                              strings(entry.get("synonyms")), examples))
        option_nodes.append(entry)
    if kind == "choice" and not options:
        check.add(node, None, f"{what}: a choice slot needs options")
    _examples_apart(check, option_nodes, options, what)
    pattern = check.regex(node, "pattern", node["pattern"], what) if node.get("pattern") else None
    return Slot(name=name, type=kind, prompt=str(node.get("prompt", "")),
                reprompt=str(node.get("reprompt", "")), options=tuple(options),
                label=str(node.get("label", name.replace("_", " "))), pattern=pattern,
                yes_phrases=strings(node.get("yes_phrases")),
                no_phrases=strings(node.get("no_phrases")),
                unprompted=bool(node.get("unprompted", True)),
                check=_check_phrases(check, node, what))


def _examples_apart(check: _Checker, nodes: list[Any], options: list[Option], what: str
                    ) -> None:
    """An example written under two options tells the semantic layer nothing: report the
    second one on its own line."""
    seen: dict[str, str] = {}
    for entry, option in zip(nodes, options, strict=True):
        raw = entry.get("examples")
        for k, example in enumerate(raw if isinstance(raw, list) else []):
            first = seen.setdefault(str(example).strip().lower(), option.value)
            if first != option.value:
                check.add(raw, k, f"{what} option '{option.value}': example {k + 1} is also "
                                  f"an example of '{first}'")


def _check_phrases(check: _Checker, node: Any, what: str) -> tuple[tuple[str, str], ...]:
    """A slot's `check:` ({value: how to say it back}) for "Just to check: ...?"."""
    found = node.get("check")
    if found is None:
        return ()
    if not isinstance(found, dict) or not all(isinstance(v, str) and v for v in found.values()):
        check.add(node, "check", f"{what}: check is a mapping of value to a short phrase")
        return ()
    # An unquoted yes/no key may load as a boolean: it still names the yes or no answer.
    return tuple((("yes" if k else "no") if isinstance(k, bool) else str(k).lower(), str(v))
                 for k, v in found.items())


def _rules(check: _Checker, bucket: str, node: Any, slots: dict[str, Slot]) -> list[Rule]:
    rules: list[Rule] = []
    if not isinstance(node, list):
        check.add(node, None, f"bucket '{bucket}': qualify is a list of rules")
        return rules
    for i, entry in enumerate(node):
        what = f"bucket '{bucket}' rule {i + 1}"
        if not isinstance(entry, dict) or not entry.get("when") or not entry.get("decline"):
            check.add(node, i, f"{what}: needs when and decline")
            continue
        check.keys(entry, RULE_KEYS, what)
        _predicate(check, entry, "when", slots, what)
        check.refs(entry, "decline", str(entry["decline"]), slots, what)
        rules.append(Rule(str(entry.get("name", f"rule{i + 1}")), str(entry["when"]),
                          str(entry["decline"]), line_of(entry)))
    return rules


def _predicate(check: _Checker, node: Any, key: str, slots: dict[str, Slot], what: str) -> None:
    try:
        predicate = parse_predicate(str(node[key]))
    except ValueError as exc:
        check.add(node, key, f"{what}: {exc}")
        return
    for scope, name in predicate.refs():
        if scope == "slots" and name not in slots:
            check.add(node, key, f"{what}: names unknown slot '{name}'")


def _bucket(check: _Checker, name: str, node: Any, slots: dict[str, Slot], skill: str,
            vocabulary: dict[str, tuple[str, ...]]) -> Bucket | None:
    what = f"bucket '{name}'"
    if not isinstance(node, dict):
        check.add(node, None, f"{what}: a mapping with at least a route")
        return None
    if "route" not in node:
        check.add(node, None, f"{what}: missing route (routes: {', '.join(ROUTES)})")
    check.keys(node, BUCKET_KEYS, what)
    route = str(node.get("route", ""))
    if "route" in node and route not in ROUTES:
        check.add(node, "route", f"{what}: bad route '{route}' (routes: {', '.join(ROUTES)})")
    for i, slot in enumerate(node.get("slots") or []):
        if slot not in slots:
            check.add(node["slots"], i, f"{what}: names unknown slot '{slot}'")
    default_after = "answer" if route == "bot_only" else "queue"
    after = str(node.get("after_hours", default_after))
    if after not in AFTER_HOURS:
        check.add(node, "after_hours", f"{what}: after_hours is one of {', '.join(AFTER_HOURS)}")
    if route == "bot_only" and not node.get("answer") and not node.get("faq"):
        check.add(node, None, f"{what}: a bot_only bucket needs an answer or faq")
    if node.get("answer"):
        check.refs(node, "answer", str(node["answer"]), slots, what)
    lookup = str(node.get("lookup", ""))
    if lookup not in ("", "order"):
        check.add(node, "lookup", f"{what}: lookup is 'order' or absent")
    rules = _rules(check, name, node["qualify"], slots) if node.get("qualify") else []
    places = node.get("places")
    if places is not None and (not isinstance(places, str) or not places.strip()):
        check.add(node, "places", f"{what}: places names a params key listing towns, "
                                  f"e.g. service_area")
    pairs = parse_pairs(check, node, vocabulary, what, town=bool(places))
    return Bucket(name=name, route=route, skill=str(node.get("skill", skill)),
                  phrases=strings(node.get("phrases")), digit=str(node.get("digit", "")),
                  label=str(node.get("label", "")),
                  slots=tuple(s for s in strings(node.get("slots")) if s in slots),
                  answer=str(node.get("answer", "")), qualify=tuple(rules), after_hours=after,
                  urgent=bool(node.get("urgent", False)), reason=str(node.get("reason", name)),
                  lookup=lookup, faq=str(node.get("faq", "")), pairs=pairs,
                  ignore=parse_ignore(check, node, what),
                  keys=normalized(strings(node.get("phrases"))),
                  places=str(places) if isinstance(places, str) else "",
                  urgent_if=parse_urgent_if(check, node, vocabulary, what)
                  if "urgent_if" in node else None,
                  examples=_examples(check, node, what))



def _trigger(check: _Checker, i: int, node: Any, slots: dict[str, Slot],
             buckets: dict[str, Any], vocabulary: dict[str, tuple[str, ...]]) -> Trigger | None:
    if not isinstance(node, dict) or not node.get("name"):
        check.add(node, None, f"trigger {i + 1}: needs a name")
        return None
    what = f"trigger '{node['name']}'"
    check.keys(node, TRIGGER_KEYS, what)
    if not (node.get("phrases") or node.get("patterns") or node.get("when")
            or node.get("pairs") or node.get("examples")):
        check.add(node, None, f"{what}: needs phrases, pairs, patterns, examples or when")
    if node.get("when") and node.get("examples"):
        check.add(node, "examples", f"{what}: a `when:` trigger reads facts, not words; "
                                    f"examples belong to a trigger on the customer's words")
    patterns = []
    for j, text in enumerate(node.get("patterns") or []):
        compiled = check.regex(node["patterns"], j, text, what)
        if compiled is not None:
            patterns.append(compiled)
    if node.get("when"):
        _predicate(check, node, "when", slots, what)
    bucket = node.get("bucket")
    if bucket is not None and bucket not in buckets:
        check.add(node, "bucket", f"{what}: names unknown bucket '{bucket}'")
    if node.get("say"):
        check.refs(node, "say", str(node["say"]), slots, what)
    return Trigger(name=str(node["name"]), phrases=strings(node.get("phrases")),
                   patterns=tuple(patterns), when=str(node.get("when", "")),
                   bucket=str(bucket) if bucket else None,
                   skill=str(node["skill"]) if node.get("skill") else None,
                   urgent=bool(node.get("urgent", False)), say=str(node.get("say", "")),
                   pairs=parse_pairs(check, node, vocabulary, what),
                   ignore=parse_ignore(check, node, what),
                   keys=normalized(strings(node.get("phrases"))),
                   examples=_examples(check, node, what))


def _human_examples(check: _Checker, node: Any) -> tuple[str, ...]:
    """`asked_for_human: {examples: [...]}`: the flow's own wordings of asking for a person."""
    found = node.get("asked_for_human")
    if found is None:
        return ()
    if not isinstance(found, dict):
        check.add(node, "asked_for_human", "asked_for_human: a mapping with examples")
        return ()
    check.keys(found, HUMAN_KEYS, "asked_for_human")
    return _examples(check, found, "asked_for_human")


def _person_examples(check: _Checker, node: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """`needs_a_person: {examples: [...], not: [...]}`: sentences that need a person, whatever
    the topic, and routine ones that do not (the contrast the net is measured against)."""
    found = node.get("needs_a_person")
    if found is None:
        return (), ()
    if not isinstance(found, dict):
        check.add(node, "needs_a_person", "needs_a_person: a mapping with examples and not")
        return (), ()
    check.keys(found, PERSON_KEYS, "needs_a_person")
    examples = _examples(check, found, "needs_a_person")
    routine = _examples(check, found, "needs_a_person", key="not")
    if bool(examples) != bool(routine):
        check.add(node, "needs_a_person", "needs_a_person: needs both examples (need a person) "
                                          "and not (routine): one is measured against the other")
    for i, text in enumerate(found.get("not") or []):
        if isinstance(text, str) and text.strip().lower() in (e.lower() for e in examples):
            check.add(found["not"], i, f"needs_a_person: not {i + 1} is also an example")
    return examples, routine


def _text_spots(node: dict[str, Any]) -> list[tuple[Any, Any, str]]:
    """Every customer-facing text of a flow document: (its mapping, its key, what it is).
    Each may be a plain string (English) or a map of languages, `{en: ..., es: ...}`."""
    spots: list[tuple[Any, Any, str]] = [(node, k, f"flow {k}") for k in
                                         ("greeting", "ask", "reprompt") if k in node]
    messages = node.get("messages")
    if isinstance(messages, dict):
        spots += [(messages, k, f"message '{k}'") for k in messages]
    for name, slot in (node.get("slots") or {}).items():
        if not isinstance(slot, dict):
            continue
        spots += [(slot, k, f"slot '{name}' {k}") for k in ("prompt", "reprompt") if k in slot]
        for option in slot.get("options") or []:
            if isinstance(option, dict) and "label" in option:
                spots.append((option, "label", f"slot '{name}' option '{option.get('value')}' "
                                               f"label"))
    for name, bucket in (node.get("buckets") or {}).items():
        if not isinstance(bucket, dict):
            continue
        spots += [(bucket, k, f"bucket '{name}' {k}") for k in ("answer", "label") if k in bucket]
        for i, rule in enumerate(bucket.get("qualify") or []):
            if isinstance(rule, dict) and "decline" in rule:
                spots.append((rule, "decline", f"bucket '{name}' rule {i + 1} decline"))
    for i, trigger in enumerate(node.get("triggers") or []):
        if isinstance(trigger, dict) and "say" in trigger:
            spots.append((trigger, "say", f"trigger '{trigger.get('name', i + 1)}' say"))
    return spots


def _texts(check: _Checker, node: dict[str, Any]) -> list[tuple[Any, Any, Text, dict[str, str]]]:
    """The flow's texts with their versions by language; a map's problems (an unknown language,
    no English, a version that is not a string) are reported on its line."""
    found: list[tuple[Any, Any, Text, dict[str, str]]] = []
    for parent, key, what in _text_spots(node):
        value = parent[key]
        if isinstance(value, dict):
            versions: dict[str, str] = {}
            for code, version in value.items():
                if str(code) not in LANGUAGES:
                    check.add(value, code, f"{what}: unknown language '{code}' (known: "
                                           f"{', '.join(LANGUAGES)})")
                elif not isinstance(version, str | int | float) or not str(version).strip():
                    check.add(value, code, f"{what}: the '{code}' version is not a text")
                else:
                    versions[str(code)] = str(version)
            if DEFAULT_LANGUAGE not in versions:
                check.add(parent, key, f"{what}: a map of languages needs its "
                                       f"'{DEFAULT_LANGUAGE}' text")
                versions.setdefault(DEFAULT_LANGUAGE, next(iter(versions.values()), ""))
        else:
            versions = {DEFAULT_LANGUAGE: "" if value is None else str(value)}
        neutral = not re.sub(r"\{[^}]*\}|\W", "", versions[DEFAULT_LANGUAGE])
        found.append((parent, key, Text(what, line_of(parent, key), tuple(versions), neutral),
                       versions))
    return found


def parse_flow(text: str, file: str) -> Flow:
    """Parse and validate flow YAML `text` (named `file` in errors); raises ConfigError.

    A text written in several languages (`{en: ..., es: ...}`) gives one `Flow` per language
    the file uses, the same rules with each one's words (`Flow.in_language`); a text missing
    in a language reads as its English there (`ivr flows check BUSINESS` reports it when the
    business declares that language).
    """
    node = parse(text, file)
    if not isinstance(node, dict):
        raise ConfigError([Problem(file, 1, "a flow file must be a mapping of keys")])
    check = _Checker(file)
    texts = _texts(check, node)
    if check.problems:
        raise ConfigError(sorted(check.problems, key=lambda p: p.line))
    used = [c for c in LANGUAGES if any(c in versions for *_, versions in texts)]
    flows: dict[str, Flow] = {}
    for code in used:
        for parent, key, _, versions in texts:
            parent[key] = versions.get(code, versions[DEFAULT_LANGUAGE])
        flows[code] = _parse_node(node, file, code)
    english = flows[DEFAULT_LANGUAGE]
    english.texts.extend(t for *_, t, _ in texts)
    for code, flow in flows.items():
        english.translations[code] = flow
        if flow is not english:
            flow.translations.update(english.translations)
            flow.texts.extend(english.texts)
    return english


def _parse_node(node: dict[str, Any], file: str, language: str) -> Flow:
    """One language's `Flow` from a parsed document whose texts are that language's strings."""
    check = _Checker(file)
    check.keys(node, FLOW_KEYS, "flow")
    for key in ("greeting", "ask"):
        if not node.get(key):
            check.add(node, None, f"flow: missing prompt '{key}'")
    skill = str(node.get("skill", "intake"))
    vocabulary = parse_vocabulary(check, node)
    slot_nodes = node.get("slots") or {}
    slots = {str(k): s for k, v in slot_nodes.items()
             if (s := _slot(check, str(k), v, slot_nodes))}
    for key in ("greeting", "ask", "reprompt"):  # a typo like {busines} would be read as ""
        if node.get(key):
            check.refs(node, key, str(node[key]), slots, f"flow {key}")
    for name, slot_node in slot_nodes.items():
        for key in ("prompt", "reprompt"):
            if isinstance(slot_node, dict) and slot_node.get(key):
                check.refs(slot_node, key, str(slot_node[key]), slots, f"slot '{name}' {key}")
    bucket_nodes = node.get("buckets") or {}
    if not bucket_nodes:
        check.add(node, None, "flow: needs at least one bucket")
    buckets = {str(k): b for k, v in bucket_nodes.items()
               if (b := _bucket(check, str(k), v, slots, skill, vocabulary))}
    triggers = [t for i, v in enumerate(node.get("triggers") or [])
                if (t := _trigger(check, i, v, slots, bucket_nodes, vocabulary))]
    default = node.get("default_bucket")
    if default is not None and default not in bucket_nodes:
        check.add(node, "default_bucket", f"flow: default_bucket '{default}' is not a bucket")
    digits: dict[str, str] = {}
    for name, bucket in buckets.items():
        if bucket.digit and bucket.digit in digits:
            check.add(bucket_nodes[name], "digit", f"bucket '{name}': digit {bucket.digit} "
                                                   f"already used by '{digits[bucket.digit]}'")
        digits.setdefault(bucket.digit, name)
        named = name == default or any(t.bucket == name for t in triggers)
        if not (bucket.phrases or bucket.pairs or bucket.digit or bucket.examples or named):
            check.add(bucket_nodes, name, f"bucket '{name}' is unreachable: no phrases, digit, "
                                          f"examples, default_bucket or trigger leads to it")
    messages = plain(node.get("messages") or {})
    for key, value in (node.get("messages") or {}).items():
        check.refs(node["messages"], key, str(value), slots, f"message '{key}'")
    try:
        min_confidence = float(node.get("min_confidence", 0.6))
    except (TypeError, ValueError):
        check.add(node, "min_confidence", "flow: min_confidence is a number between 0 and 1")
        min_confidence = 0.6
    human_examples = _human_examples(check, node)
    person_examples, routine_examples = _person_examples(check, node)
    if check.problems:
        raise ConfigError(sorted(check.problems, key=lambda p: p.line))
    flow = Flow(name=str(node.get("name") or Path(file).stem), greeting=str(node["greeting"]),
                ask=str(node["ask"]), reprompt=str(node.get("reprompt", node["ask"])),
                buckets=buckets, slots=slots, triggers=tuple(triggers),
                messages={str(k): str(v) for k, v in messages.items()},
                default_bucket=str(default) if default else None, skill=skill,
                min_confidence=min_confidence, source=file, vocabulary=vocabulary,
                speller=speller_for(vocabulary, buckets, slots, triggers),
                human_examples=human_examples, person_examples=person_examples,
                routine_examples=routine_examples, language=language)
    flow.fuzzy.update(fuzzy_index(flow))
    return flow



def load_flow(path: Path | str) -> Flow:
    """Read and validate the flow file at `path`."""
    path = Path(path)
    return parse_flow(path.read_text(encoding="utf-8"), str(path))


def is_flow_document(node: Any) -> bool:
    """Whether parsed YAML looks like a flow (rather than a business config)."""
    return isinstance(node, dict) and ("buckets" in node or "slots" in node
                                       or "triggers" in node)
