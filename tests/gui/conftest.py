"""GUI fixtures: a main window or a screen over a fresh database, its worker drained at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.tasks import TaskRunner


@pytest.fixture
def make_ctx() -> Iterator[object]:
    contexts: list[AppContext] = []

    def make(db: Database) -> AppContext:
        ctx = AppContext(db=db, runner=TaskRunner())
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.runner.wait()
