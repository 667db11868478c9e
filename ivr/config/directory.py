"""The businesses one process serves: a business file or a directory of them, each business
reached by its own Twilio numbers (`To`). Every problem in every file is reported at once, so
`ivr serve` refuses a broken config with the whole list of `file:line: problem`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ivr.config.business import Business, e164, load_business
from ivr.config.checks import param_problems
from ivr.flow.errors import ConfigError, Problem
from ivr.flow.loader import is_flow_document
from ivr.flow.yamlsrc import line_of, parse


class Directory:
    """Every business this process serves, found by its numbers or its key."""

    def __init__(self, businesses: list[Business]) -> None:
        self._by_key = {b.key: b for b in businesses}
        self._by_number = {n: b for b in businesses for n in b.numbers}

    def by_number(self, number: str) -> Business | None:
        found = self._by_number.get(number)  # Twilio's To is already E.164: no parse needed
        if found is not None:
            return found
        normal = e164(number) if number else None
        return self._by_number.get(normal or number)

    def by_key(self, key: str) -> Business | None:
        return self._by_key.get(key)

    def named_like(self, text: str) -> Business | None:
        """The one business whose name or key contains `text` ("hvac", "hartley"), else None:
        what a person types at the command line."""
        wanted = text.strip().lower()
        found = [b for b in self._by_key.values()
                 if wanted and (wanted in b.name.lower() or wanted in b.key)]
        return found[0] if len(found) == 1 else None

    def __iter__(self) -> Iterator[Business]:
        return iter(self._by_key.values())

    def __len__(self) -> int:
        return len(self._by_key)


def business_files(path: Path) -> list[Path]:
    """The business files at `path`: the file itself, or a directory's *.yaml files other than
    flows (a business may keep its own flow beside its config)."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir()
                      if p.suffix in (".yaml", ".yml") and not _is_flow_file(p))
    return [path]


def _is_flow_file(path: Path) -> bool:
    try:
        return is_flow_document(parse(path.read_text(encoding="utf-8"), str(path)))
    except (ConfigError, OSError, UnicodeDecodeError):
        return False  # load_business reports it


def numbers_line(file: Path) -> int:
    """The line of a (valid) business file's `numbers:` key."""
    return line_of(parse(Path(file).read_text(encoding="utf-8"), str(file)), "numbers")


def load_directory(path: Path) -> Directory:
    """Load one business file or a directory of them; every problem in every file is raised."""
    problems: list[Problem] = []
    businesses: list[Business] = []
    seen: dict[str, str] = {}
    if not Path(path).exists():
        raise ConfigError([Problem(str(path), 1, "no such business config file or directory "
                                                 "(IVR_CONFIG)")])
    for file in business_files(path):
        try:
            business = load_business(file)
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(param_problems(file, dict(business.params)))
        for number in business.numbers:
            if number in seen:
                problems.append(Problem(str(file), numbers_line(file), f"numbers: {number} "
                                        f"already belongs to {seen[number]}"))
            seen[number] = business.name
        businesses.append(business)
    if not businesses and not problems:
        problems.append(Problem(str(path), 1, "no business config (*.yaml) found"))
    if problems:
        raise ConfigError(problems)
    return Directory(businesses)
