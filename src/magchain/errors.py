"""Errors the library raises; the CLI turns each into one clean message and exit code."""

from __future__ import annotations

from dataclasses import dataclass


class MagchainError(Exception):
    """A problem the user can fix; the message says what and how."""


@dataclass(frozen=True)
class Issue:
    """One problem in an input: where it is, what is wrong, and the fix."""

    file: str
    row: int | None
    column: str | None
    value: object
    problem: str
    fix: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        text = f"{where}: {self.problem}"
        if self.value not in (None, ""):
            text += f" (value: {self.value!r})"
        if self.fix:
            text += f". {self.fix}"
        return text


class ValidationFailed(MagchainError):
    """An input had problems; nothing was written. Carries every problem found, not just the first."""

    def __init__(self, issues: list[Issue], limit: int = 50):
        self.issues = issues
        shown = "\n".join(f"  - {issue}" for issue in issues[:limit])
        more = f"\n  ... and {len(issues) - limit} more" if len(issues) > limit else ""
        super().__init__(f"{len(issues)} problem(s) found; nothing was written:\n{shown}{more}")
