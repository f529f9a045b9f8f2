"""Errors the library raises; the CLI turns each into one clean message and exit code."""

from __future__ import annotations

from dataclasses import dataclass


class MagchainError(Exception):
    """A problem the user can fix; the message says what and how. Each kind has its exit code."""

    exit_code = 1


class InvalidInput(MagchainError):
    """An argument, file or value that magchain cannot use as given."""

    exit_code = 2


class NotFound(MagchainError):
    """An id, name or path that does not exist."""

    exit_code = 3


class Conflict(MagchainError):
    """Another writer holds the store, or a record clashes with one already there."""

    exit_code = 4


class Infeasible(MagchainError):
    """A scenario whose events contradict each other, so no allocation exists."""

    exit_code = 5


class StoreUnavailable(MagchainError):
    """The store cannot be reached or read; the message gives the repair to run."""

    exit_code = 6


class FileSystemFault(MagchainError):
    """A path that cannot be read or written; the message names it and what to do."""

    exit_code = 7


class SchedulerUnavailable(MagchainError):
    """A scheduler for scaled-out runs cannot be reached or started; the message says how to start one."""

    exit_code = 8


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


class ValidationFailed(InvalidInput):
    """An input had problems; nothing was written. Carries every problem found, not just the first."""

    def __init__(self, issues: list[Issue], limit: int = 50):
        self.issues = issues
        shown = "\n".join(f"  - {issue}" for issue in issues[:limit])
        more = f"\n  ... and {len(issues) - limit} more" if len(issues) > limit else ""
        super().__init__(f"{len(issues)} problem(s) found; nothing was written:\n{shown}{more}")


class Stale(Conflict):
    """A change made against an older version of a record someone else has changed since;
    ``current`` is the record as it stands, so the caller can look again and decide."""

    def __init__(self, message: str, current: dict):
        super().__init__(message)
        self.current = current
