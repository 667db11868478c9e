"""The two tiny languages inside flow YAML: predicates and templates.

Predicates (`slots.budget >= params.min_budget`, `customer.purchases > 2`) let a business's
rules be edited without code; templates (`We're open {params.hours_text}.`) fill answers from
the business's own facts. Both read names from the same scopes: slots, params, customer, order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCOPES = ("slots", "params", "customer", "order")
_PREDICATE = re.compile(r"^\s*(\S+)\s*(==|!=|>=|<=|>|<|not in|in)\s*(.+?)\s*$")
_REF = re.compile(r"^(slots|params|customer|order)\.([A-Za-z_][A-Za-z0-9_]*)$")
#: `{name}`, or `{name|default}`: the default is said when the business has not set the name.
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)(?:\|([^{}\[\]]*))?\}")
#: `[...]` around text naming a field: the whole part is left out when a field in it has no
#: value, so "[; in Texas that is {params.referral}]" never reads "in Texas that is .".
_OPTIONAL = re.compile(r"\[([^\[\]]*\{[^\[\]]*)\]")
#: What leaving a part out may strand: doubled spaces, a space before punctuation.
_LOOSE = ((re.compile(r"[ \t]{2,}"), " "), (re.compile(r" +([.,;:!?])"), r"\1"),
          (re.compile(r"([.,;:])(?:\s*[,;:])+"), r"\1"))


@dataclass(frozen=True)
class Predicate:
    """`left op right`, each side a reference (`slots.budget`) or a literal."""

    left: str
    op: str
    right: str

    def refs(self) -> list[tuple[str, str]]:
        """The (scope, name) pairs this predicate reads."""
        return [(m.group(1), m.group(2)) for side in (self.left, self.right)
                if (m := _REF.match(side))]


def parse_predicate(text: str) -> Predicate:
    """Parse `left op right`; ValueError says what is wrong."""
    match = _PREDICATE.match(str(text))
    if not match:
        raise ValueError(f"'{text}' is not 'left OP right' (OP: == != > >= < <= in, not in)")
    left, op, right = match.groups()
    for side in (left, right):
        if "." in side and not _REF.match(side) and not _is_number(side):
            raise ValueError(f"'{side}' is not a name in {', '.join(SCOPES)}")
    return Predicate(left, op, right)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _value(side: str, scopes: Mapping[str, Mapping[str, Any]]) -> Any:
    match = _REF.match(side)
    if match:
        return (scopes.get(match.group(1)) or {}).get(match.group(2))
    if _is_number(side):
        return float(side)
    return side.strip("'\"")


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return str(a).lower() == str(b).lower()


def evaluate(predicate: Predicate, scopes: Mapping[str, Mapping[str, Any]]) -> bool | None:
    """True/False, or None while a side is still unknown (a slot not yet filled)."""
    left, right = _value(predicate.left, scopes), _value(predicate.right, scopes)
    if left is None or right is None:
        return None
    op = predicate.op
    if op in ("in", "not in"):
        items = right if isinstance(right, list | tuple | set) else [right]
        inside = any(_same(left, item) for item in items)
        return inside if op == "in" else not inside
    if op == "==":
        return _same(left, right)
    if op == "!=":
        return not _same(left, right)
    try:
        a, b = float(left), float(right)
    except (TypeError, ValueError):
        return None
    return {">": a > b, ">=": a >= b, "<": a < b, "<=": a <= b}[op]


def spoken_list(items: Any) -> str:
    """['Austin', 'Round Rock', 'Kyle'] -> 'Austin, Round Rock and Kyle'."""
    if not isinstance(items, list | tuple):
        return "" if items is None else str(items)
    parts = [str(i) for i in items]
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def template_fields(template: str) -> list[str]:
    """The `{names}` a template reads (with or without a default)."""
    return [m.group(1) for m in _FIELD.finditer(template)]


def required_fields(template: str) -> list[str]:
    """The `{names}` a template needs a value for: neither given a default nor inside an
    optional `[...]` part (which is left out when a name in it has no value)."""
    bare = _OPTIONAL.sub("", template)
    return [m.group(1) for m in _FIELD.finditer(bare) if m.group(2) is None]


def _lookup(name: str, scopes: Mapping[str, Any]) -> Any:
    value: Any = scopes
    for part in name.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return None if value in ("", [], ()) else value


def render(template: str, scopes: Mapping[str, Any]) -> str:
    """Fill `{business}`, `{params.hours_text}`, `{order.status}` ...

    `{name|default}` says the default when the name has no value; an optional `[...]` part is
    left out whole when a name in it has none. A name with neither reads "" and the sentence is
    tidied, so nothing is ever said as " can help." or "that is ." (and `ivr flows check`
    reports such a name, unset by the business, as a problem).
    """
    tidy = False

    def one(match: re.Match[str]) -> str:
        nonlocal tidy
        value = _lookup(match.group(1), scopes)
        if value is None:
            if match.group(2) is not None:
                return match.group(2)
            tidy = True
            return ""
        return spoken_list(value)

    def optional(match: re.Match[str]) -> str:
        nonlocal tidy
        part = match.group(1)
        if any(_lookup(m.group(1), scopes) is None and m.group(2) is None
               for m in _FIELD.finditer(part)):
            tidy = True
            return ""
        return part

    text = _FIELD.sub(one, _OPTIONAL.sub(optional, template))
    if tidy:
        for loose, tight in _LOOSE:
            text = loose.sub(tight, text)
        text = text.strip()
        text = text[:1].upper() + text[1:]
    return text


def missing_fields(template: str, scopes: Mapping[str, Any]) -> list[str]:
    """The `{names}` a template needs that have no value (a business param not configured);
    names with a default or inside an optional `[...]` part are never missing."""
    return [name for name in required_fields(template) if _lookup(name, scopes) is None]
