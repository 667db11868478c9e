"""`ivr flows check`: validate flow files and business configs, reporting every problem.

Which kind a file is comes from its keys (a flow has buckets/slots/triggers, a business has
numbers/staff); a business config is also checked against its own flow, so a business that
forgot a param its flow reads is caught before a caller hears an empty answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from ivr.config.business import load_business
from ivr.flow.errors import ConfigError, Problem
from ivr.flow.expr import parse_predicate, required_fields
from ivr.flow.loader import is_flow_document, load_flow, parse_flow
from ivr.flow.model import Flow
from ivr.flow.places import STATES
from ivr.flow.yamlsrc import line_of, parse

#: Params compared with amounts by the shipped flows' rules and triggers.
NUMERIC_PARAMS = ("min_budget", "order_threshold")


#: Params the product fills itself when the business leaves them out: the hours in words come
#: from the business's `hours:` (see `ivr.flow.wording.scopes`).
DERIVED_PARAMS = ("hours_text",)


def _params_read(flow: Flow) -> set[str]:
    """The `params.*` names a flow's rules, triggers and FAQ answers read (its texts are checked
    line by line in `text_param_problems`)."""
    predicates = [r.when for b in flow.buckets.values() for r in b.qualify]
    predicates += [t.when for t in flow.triggers if t.when]
    names = {name for when in predicates for scope, name in parse_predicate(when).refs()
             if scope == "params"}
    names |= {b.faq for b in flow.buckets.values() if b.faq}
    return names


def _texts(node: Any) -> Iterator[tuple[str, int]]:
    """Every string in a parsed YAML tree, with its 1-based line."""
    items = (node.items() if isinstance(node, dict)
             else enumerate(node) if isinstance(node, list) else ())
    for key, value in items:
        if isinstance(value, str):
            yield value, line_of(node, key)
        else:
            yield from _texts(value)


def text_param_problems(flow_path: Path, values: Mapping[str, Any], business: str,
                        business_path: Path) -> list[Problem]:
    """Each text of the flow naming a param `business` does not set, without a default, as
    `flow-file:line: problem`: the customer would otherwise hear half a sentence.

    Names inside an optional `[...]` part or with a `{params.NAME|default}` are fine: the part
    is left out, or the default said. Params the product derives (the hours) are fine too.
    """
    file = str(flow_path)
    try:
        node = parse(Path(flow_path).read_text(encoding="utf-8"), file)
    except (ConfigError, OSError, UnicodeDecodeError):
        return []  # the flow's own check reports it
    problems: list[Problem] = []
    for text, line in _texts(node):
        for name in dict.fromkeys(required_fields(text)):
            scope, _, key = name.partition(".")
            if scope != "params" or key in values or key in DERIVED_PARAMS:
                continue
            problems.append(Problem(file, line, (
                f"'{{{name}}}' is not set by business '{business}' ({business_path}): set "
                f"params: {key} there, or give the flow a default, {{{name}|...}}, or make "
                "the part optional, [... {" + name + "}]")))
    return problems


def check_business(path: Path) -> list[Problem]:
    """Problems in one business config, including params its flow needs but it lacks."""
    try:
        business = load_business(path)
    except ConfigError as exc:
        return list(exc.problems)
    try:
        flow = load_flow(business.flow_path)
    except ConfigError as exc:
        return list(exc.problems)
    return [*param_problems(path, business.params, flow),
            *text_param_problems(business.flow_path, business.params, business.name, path),
            *language_problems(flow, business.languages, business.name)]


def language_problems(flow: Flow, languages: tuple[str, ...], business: str) -> list[Problem]:
    """Each flow text with no version in a language `business` declares, as
    `flow-file:line: problem`: that customer would otherwise read it in English."""
    return [Problem(flow.source, text.line, f"{text.what} has no '{code}' text, and business "
                                            f"'{business}' declares languages: "
                                            f"[{', '.join(languages)}]; write it as "
                                            f"{{en: ..., {code}: ...}}")
            for code in languages for text in flow.missing(code)]


def param_problems(path: Path, values: Mapping[str, Any], flow: Flow | None = None
                   ) -> list[Problem]:
    """Params of the wrong kind, each on its line; given `flow`, also params its rules read but
    the business lacks. (`ivr serve` refuses the first kind at start; `flows check` reports
    both.)"""
    node = parse(Path(path).read_text(encoding="utf-8"), str(path))
    params = node.get("params") if isinstance(node.get("params"), dict) else {}
    line = line_of(node, "params") if "params" in node else 1
    problems = [] if flow is None else [
        Problem(str(path), line, f"params: '{name}' is read by flow '{flow.name}' but not set")
        for name in sorted(_params_read(flow)) if name not in values]
    for key, value in values.items():
        message = _param_problem(key, value)
        if message:
            problems.append(Problem(str(path), line_of(params, key, line), message))
    return problems


def _param_problem(key: str, value: Any) -> str | None:
    """Params the shipped flows compare with: numbers must be numbers, states must be states."""
    if key in NUMERIC_PARAMS and (isinstance(value, bool) or not isinstance(value, int | float)):
        return f"params: {key} must be a number of dollars, not '{value}'"
    if key == "jurisdictions":
        codes = value if isinstance(value, list) else [value]
        bad = [str(c) for c in codes if str(c).upper() not in STATES]
        if bad or not isinstance(value, list):
            return (f"params: jurisdictions is a list of two-letter state codes like [TX]; "
                    f"not {', '.join(bad) or value}")
    if key == "service_area" and not isinstance(value, list):
        return "params: service_area is a list of towns"
    return None


def check_file(path: Path) -> list[Problem]:
    """Every problem in one flow or business file."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
        node = parse(text, file)
    except ConfigError as exc:
        return list(exc.problems)
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(file, 1, f"cannot read: {exc}")]
    if is_flow_document(node):
        try:
            parse_flow(text, file)
        except ConfigError as exc:
            return list(exc.problems)
        return []
    if isinstance(node, dict) and ("numbers" in node or "staff" in node or "name" in node):
        return check_business(path)
    return [Problem(file, 1, "neither a flow (buckets, slots) nor a business config (numbers, "
                             "staff)")]


def check_files(paths: Iterable[Path]) -> list[Problem]:
    """Every problem in every file (directories: their *.yaml files), in file order."""
    problems: list[Problem] = []
    for path in paths:
        path = Path(path)
        files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        for file in files:
            problems.extend(check_file(file))
    return problems
