"""Errors a user can act on.

Bad input is reported as a :class:`ScenarioError` that carries *every* problem found, each naming
the file, line, column, the offending value and what was expected, so a scenario author can fix
them all in one pass instead of one traceback at a time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class InputIssue:
    """One problem in one place of a scenario's files."""

    file: str
    expected: str
    line: int | None = None
    column: str | None = None
    value: str | None = None
    severity: str = "error"  # "error" stops the run; "warning" is reported and the run goes on

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column '{self.column}'"
        got = "" if self.value is None else f": got {self.value!r}"
        return f"{where}{got}; expected {self.expected}"


class CorridorError(Exception):
    """Base class of errors corridor reports to users (exit code 2, message only)."""


class ScenarioError(CorridorError):
    """A scenario (or run folder) failed validation; ``issues`` lists every problem found."""

    def __init__(self, source: str, issues: Iterable[InputIssue]) -> None:
        self.source = source
        self.issues = [i for i in issues if i.severity == "error"]
        n = len(self.issues)
        lines = [f"{n} problem{'s' if n != 1 else ''} in {source}:"]
        lines += [f"  - {text}" for text in summarize(self.issues)]
        super().__init__("\n".join(lines))


class RunError(CorridorError):
    """A run could not complete for a reason that the scenario's author can act on."""


@dataclass
class IssueLog:
    """Collects issues while a scenario is read; raises once, with all of them, at the end."""

    source: str
    issues: list[InputIssue] = field(default_factory=list)

    def error(
        self,
        file: str,
        expected: str,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.issues.append(InputIssue(file, expected, line, column, _show(value)))

    def warn(
        self,
        file: str,
        expected: str,
        line: int | None = None,
        column: str | None = None,
        value: object = None,
    ) -> None:
        self.issues.append(InputIssue(file, expected, line, column, _show(value), "warning"))

    @property
    def errors(self) -> list[InputIssue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[InputIssue]:
        return [i for i in self.issues if i.severity == "warning"]

    def raise_if_errors(self) -> None:
        if self.errors:
            raise ScenarioError(self.source, self.errors)


def summarize(issues: list[InputIssue], keep: int = 3) -> list[str]:
    """One line per issue, except that a problem repeated on many lines of one file is shown
    ``keep`` times and then counted, so one systematic defect does not hide the others."""
    groups: dict[tuple[str, str, str | None], list[InputIssue]] = {}
    for issue in issues:
        groups.setdefault((issue.file, issue.expected, issue.column), []).append(issue)
    out: list[str] = []
    for group in groups.values():
        out += [str(i) for i in group[:keep]]
        rest = group[keep:]
        if rest:
            lines = [i.line for i in rest if i.line is not None]
            span = f" (lines {min(lines)}-{max(lines)})" if lines else ""
            out.append(f"... and {len(rest)} more of the same in {rest[0].file}{span}")
    return out


def _show(value: object) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."
