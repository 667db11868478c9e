"""YAML text to plain data that remembers line numbers, for `file:line: problem` errors.

ruamel.yaml's round-trip loader keeps each mapping's and sequence's position; `line_of` reads
it back (1-based). The flow core parses text handed to it: reading the file is the caller's job.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError

from ivr.flow.errors import fail


def parse(text: str, file: str) -> Any:
    """Parse YAML `text`; a syntax error becomes a ConfigError naming `file` and the line."""
    yaml = YAML(typ="rt")
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        raise fail(file, line, f"YAML syntax: {exc.problem or exc.context}") from None


def line_of(node: Any, key: Any = None, default: int = 1) -> int:
    """1-based line of `node` itself, or of `node[key]` when `key` is given."""
    lc = getattr(node, "lc", None)
    if lc is None:
        return default
    try:
        if key is None:
            return lc.line + 1
        if isinstance(key, int):
            return lc.item(key)[0] + 1
        return lc.key(key)[0] + 1
    except (KeyError, IndexError, TypeError, AttributeError):
        return (lc.line + 1) if lc.line is not None else default


def plain(node: Any) -> Any:
    """Deep copy into plain dicts/lists/str (drops ruamel's comment bookkeeping)."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, str):
        return str(node)
    return node
