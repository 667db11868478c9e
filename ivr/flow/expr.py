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
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.]*)\}")


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
    """The `{names}` a template reads."""
    return _FIELD.findall(template)


def render(template: str, scopes: Mapping[str, Any]) -> str:
    """Fill `{business}`, `{params.hours_text}`, `{order.status}` ...; unknown names read ""."""

    def one(match: re.Match[str]) -> str:
        value: Any = scopes
        for part in match.group(1).split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
            if value is None:
                return ""
        return spoken_list(value)

    return _FIELD.sub(one, template)


def missing_fields(template: str, scopes: Mapping[str, Any]) -> list[str]:
    """The `{names}` in a template that have no value (a business param not configured)."""
    missing = []
    for name in template_fields(template):
        value: Any = scopes
        for part in name.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if value in (None, "", [], ()):
            missing.append(name)
    return missing
