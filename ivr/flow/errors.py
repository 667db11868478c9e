"""Errors that name the file, the line and the problem, so a business can fix its own YAML."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: `file:line: problem`."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class ConfigError(ValueError):
    """One or more problems in a flow or business file."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


def fail(file: str, line: int, message: str) -> ConfigError:
    """A ConfigError for a single problem."""
    return ConfigError([Problem(file, line, message)])
