"""What every screen gets: the open database and the task runner. Passed down, never global."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.tasks import TaskRunner


@dataclass
class AppContext:
    db: Database
    runner: TaskRunner

    def read(self, fn: Callable[[Session], Any], on_done: Callable[[Any], None], parent: QWidget | None = None) -> None:
        """Run `fn(session)` on the worker in a read session; `on_done(result)` on the GUI thread."""

        def job() -> Any:
            with self.db.read() as session:
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
            with self.db.write() as session:
                return fn(session)

        self.runner.run(job, on_done, parent=parent, on_failed=on_failed)
