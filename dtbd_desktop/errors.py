"""Errors the core raises for people to read; the CLI and GUI show their message, never a traceback."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    """One problem with one piece of input: where it is (row, column or field) and what to do."""

    message: str
    row: int | None = None
    column: str | None = None
    field: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}


class DtbdError(Exception):
    """Base of the errors the program explains to a person."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []


class InputError(DtbdError):
    """Refused because of the input or a rule; nothing was changed."""


class NotFoundError(InputError):
    """A class, programme, learner... named in the input does not exist."""


class PermissionDenied(InputError):
    """Refused because of who is acting: nobody logged in, or a role that may not do this."""


class ConflictError(InputError):
    """Someone else changed the record in the meantime (optimistic version check)."""


class DatabaseError(DtbdError):
    """The database could not be opened, created or upgraded."""


@dataclass
class Rows:
    """Helper to collect problems row by row before refusing."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(message, row, column))

    def __bool__(self) -> bool:
        return bool(self.problems)
