"""The question asked before an action with consequences: its buttons say what they do, and
Enter or Esc go back (nothing happens unless the person picks the action)."""

from __future__ import annotations

import importlib

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from dtbd_desktop.gui.widgets import ask


@pytest.mark.parametrize("choice", ["Vẫn chốt điểm", "Quay lại", None])
def test_the_question_goes_back_unless_the_action_is_chosen(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
                                                            choice: str | None) -> None:
    real = importlib.reload(ask)  # the module's own function (tests answer it elsewhere)
    seen: list[tuple[str, str, list[str], str]] = []

    def fake_exec(box: QMessageBox) -> int:
        default, escape = box.defaultButton(), box.escapeButton()
        assert default is not None and escape is not None
        seen.append((default.text(), escape.text(), sorted(b.text() for b in box.buttons()), box.informativeText()))
        for button in box.buttons():
            if button.text() == choice:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", fake_exec)
    parent = QWidget()
    qtbot.addWidget(parent)
    answer = real.before(parent, "Chốt điểm", "Còn 3/55 học viên chưa có điểm.", "Vẫn chốt điểm",
                         details="Chưa có điểm: An, Bình, Cường.")
    assert answer == (choice == "Vẫn chốt điểm")
    assert seen == [("Quay lại", "Quay lại", ["Quay lại", "Vẫn chốt điểm"], "Chưa có điểm: An, Bình, Cường.")]


def test_long_lists_of_names_are_cut_short() -> None:
    names = [f"Học viên {n}" for n in range(1, 16)]
    assert ask.names_text(names[:3]) == "Học viên 1, Học viên 2, Học viên 3"
    assert ask.names_text(names, most=2) == "Học viên 1, Học viên 2 và 13 người khác"
