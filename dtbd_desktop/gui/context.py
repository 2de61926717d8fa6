"""What every screen gets: the open database, who is logged in and the task runner. Passed down,
never global. Screens change records only through the core's operations, in units of work opened
here for the person logged in (`dtbd_desktop.trust.operations`)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.tasks import TaskRunner
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.accounts import Login


@dataclass
class AppContext:
    db: Database
    runner: TaskRunner
    login: Login | None = None  # None: the local administrator of a database without accounts

    def reading(self) -> AbstractContextManager[Session]:
        """A read session for the person logged in (for jobs that open their own)."""
        return operations.reading(self.db, self.login)

    def writing(self) -> AbstractContextManager[Session]:
        """A unit of work for the person logged in (for jobs that open their own)."""
        return operations.writing(self.db, self.login)

    def read(self, fn: Callable[[Session], Any], on_done: Callable[[Any], None], parent: QWidget | None = None) -> None:
        """Run `fn(session)` on the worker in a read session; `on_done(result)` on the GUI thread."""

        def job() -> Any:
            with operations.reading(self.db, self.login) as session:
                return fn(session)

        self.runner.run(job, on_done, parent=parent)

    def write(
        self,
        fn: Callable[[Session], Any],
        on_done: Callable[[Any], None] | None = None,
        parent: QWidget | None = None,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `fn(session)` on the worker as one unit of work (all or nothing)."""

        def job() -> Any:
            with operations.writing(self.db, self.login) as session:
                return fn(session)

        self.runner.run(job, on_done, parent=parent, on_failed=on_failed)
