"""GUI fixtures: a main window or a screen over a fresh database, its worker drained at the end."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.tasks import TaskRunner


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Message boxes never block a test: they are recorded (kind, text) and answered Yes/OK."""
    from PySide6.QtWidgets import QMessageBox

    shown: list[tuple[str, str]] = []

    def recorder(kind: str, answer: QMessageBox.StandardButton) -> object:
        def show(*args: object, **kwargs: object) -> QMessageBox.StandardButton:
            texts = [a for a in args if isinstance(a, str)]
            shown.append((kind, texts[1] if len(texts) > 1 else (texts[0] if texts else "")))
            return answer

        return show

    for kind, answer in (("information", QMessageBox.StandardButton.Ok), ("warning", QMessageBox.StandardButton.Ok),
                         ("critical", QMessageBox.StandardButton.Ok), ("question", QMessageBox.StandardButton.Yes)):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder(kind, answer)))

    from dtbd_desktop.gui.widgets import ask

    def before(_parent: object, _title: str, text: str, _go: str, *, details: str | None = None,
               back: str | None = None) -> bool:  # the questions before an action: recorded, and the action goes on
        shown.append(("before", text + ("\n" + details if details else "")))
        return True

    monkeypatch.setattr(ask, "before", before)
    return shown


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
