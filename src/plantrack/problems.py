"""The one problem type every stage reports, from the YAML reader to the checks."""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning"]


class Problem(NamedTuple):
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based; 0 when the problem concerns the whole file
    severity: Severity
    code: str
    message: str
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def location(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{self.col}"

    def as_text(self) -> str:
        return f"{self.location()}: {self.severity} [{self.code}] {self.message}"


class UsageError(Exception):
    """A problem with how the tool was called or with reading its input: exit code 2."""


def sort_key(problem: Problem) -> tuple[str, int, int, str]:
    return (problem.path, problem.line, problem.col, problem.code)
