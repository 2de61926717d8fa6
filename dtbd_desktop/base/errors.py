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


def _integrity_message(orig: object) -> str:
    """Which kind of constraint a database refused, from the driver's own error: the SQLSTATE of
    psycopg, or SQLite's "UNIQUE constraint failed: users.username". Never the row's values."""
    from dtbd_desktop.base.i18n import tr

    state = str(getattr(orig, "sqlstate", "") or "")
    text = str(orig)
    diag = getattr(orig, "diag", None)
    where = str(getattr(diag, "constraint_name", "") or "") if diag is not None else ""
    if not where and " constraint failed" in text:
        where = text.partition(":")[2].strip().splitlines()[0] if ":" in text else ""
    upper = text.upper()
    if state == "23505" or upper.startswith("UNIQUE CONSTRAINT"):
        message = tr("errors", "Dữ liệu bị trùng với một bản ghi đã có")
    elif state == "23503" or upper.startswith("FOREIGN KEY CONSTRAINT"):
        message = tr("errors", "Dữ liệu liên kết tới một bản ghi không có, hoặc bản ghi còn đang được dùng ở nơi khác")
    elif state == "23502" or upper.startswith("NOT NULL CONSTRAINT"):
        message = tr("errors", "Thiếu một giá trị bắt buộc")
    elif state == "23514" or upper.startswith("CHECK CONSTRAINT"):
        message = tr("errors", "Có giá trị nằm ngoài phạm vi cho phép")
    else:
        return tr("errors", "Dữ liệu bị trùng hoặc không hợp lệ.")
    return f"{message} ({where})." if where else f"{message}."


def describe_database_error(exc: BaseException) -> str:
    """A person's message for an error from the database (or any other unexpected error): never
    the SQL statement, its parameters (a new password's hash, national IDs) nor the password of
    a connection URL. A refused constraint says which kind; a failed connection keeps the
    driver's explanation ("Connection refused", "database is locked")."""
    from sqlalchemy.exc import DBAPIError, IntegrityError

    from dtbd_desktop.base.redact import scrub_secrets, without_sql

    if isinstance(exc, DtbdError):
        return exc.message
    if isinstance(exc, IntegrityError):
        return _integrity_message(exc.orig)
    text = str(exc.orig) if isinstance(exc, DBAPIError) and exc.orig is not None else str(exc)
    text = scrub_secrets(without_sql(text)).strip()
    return text or type(exc).__name__
