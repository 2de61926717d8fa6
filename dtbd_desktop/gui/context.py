"""What every screen gets: the open database, who is logged in and the task runner. Passed down,
never global.

Screens reach the core through the typed helpers here, never on the GUI thread:

* `read(fn, on_done)`: `fn(session)` in a read session for the person logged in, on the *read*
  lane, so what a screen shows never waits behind a change or a long export;
* `write(fn, on_done)`: `fn(session)` in one unit of work for the person logged in (the core's
  operations check what they may do and audit it), on the *write* lane, one change at a time;
  with `progress_label`, `fn(session, progress)` and a cancellable progress dialog;
* `export(fn, on_done, progress_label)`: `fn(session, progress)` in a read session on the *long*
  lane (a PDF of a whole class, a check of the whole audit log);
* `work(fn, on_done)`: work with no database (reading a workbook, a password check) on the *long*
  lane.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtWidgets import QWidget

from dtbd_desktop.gui.tasks import TaskRunner

if TYPE_CHECKING:  # the database layer loads after the window is painted (gui/app.py)
    from sqlalchemy.orm import Session

    from dtbd_desktop.db.engine import Database
    from dtbd_desktop.trust.accounts import Login

R = TypeVar("R")
Progress = Callable[[int, int, str], None]
Failed = Callable[[BaseException], None]


@dataclass
class AppContext:
    db: Database
    runner: TaskRunner
    login: Login | None = None  # None: the local administrator of a database without accounts

    def reading(self) -> AbstractContextManager[Session]:
        """A read session for the person logged in (inside a job)."""
        from dtbd_desktop.trust import operations

        return operations.reading(self.db, self.login)

    def writing(self) -> AbstractContextManager[Session]:
        """A unit of work for the person logged in (inside a job)."""
        from dtbd_desktop.trust import operations

        return operations.writing(self.db, self.login)

    def read(self, fn: Callable[[Session], R], on_done: Callable[[R], None], parent: QWidget | None = None,
             on_failed: Failed | None = None) -> None:
        """`fn(session)` on the read lane; `on_done(result)` on the GUI thread."""

        def job() -> R:
            with self.reading() as session:
                return fn(session)

        self.runner.run(job, on_done, parent=parent, on_failed=on_failed, lane="read")

    def write(self, fn: Callable[..., R], on_done: Callable[[R], None] | None = None, parent: QWidget | None = None,
              on_failed: Failed | None = None, *, progress_label: str | None = None) -> None:
        """`fn(session)` (with `progress_label`: `fn(session, progress)`) as one unit of work on the
        write lane: all or nothing."""

        def job(*progress: Progress) -> R:
            with self.writing() as session:
                return fn(session, *progress)

        def done(result: R) -> None:
            self.runner.wrote.emit()
            if on_done is not None:
                on_done(result)

        self.runner.run(job, done, parent=parent, on_failed=on_failed, progress_label=progress_label, lane="write")

    def export(self, fn: Callable[[Session, Progress], R], on_done: Callable[[R], None], parent: QWidget | None = None,
               on_failed: Failed | None = None, *, progress_label: str) -> None:
        """`fn(session, progress)` in a read session on the long lane, with a progress dialog."""

        def job(progress: Progress) -> R:
            with self.reading() as session:
                return fn(session, progress)

        self.runner.run(job, on_done, parent=parent, on_failed=on_failed, progress_label=progress_label, lane="long")

    def work(self, fn: Callable[[], R], on_done: Callable[[R], None], parent: QWidget | None = None,
             on_failed: Failed | None = None, *, progress_label: str | None = None) -> None:
        """Work with no database (reading a file, checking a password) on the long lane."""
        call: Callable[..., Any] = (lambda _progress: fn()) if progress_label is not None else fn
        self.runner.run(call, on_done, parent=parent, on_failed=on_failed, progress_label=progress_label, lane="long")
