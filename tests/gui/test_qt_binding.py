"""Guards against a known PySide6 defect: 6.12.0 drops a reference to None each time a Python
model returns None from data()/headerData(), until Python aborts ("none_dealloc"). Every table
model returns None for roles it does not handle, so a binding with this defect must not ship."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from dtbd_desktop.gui.table_model import Column, RowTableModel


def test_returning_none_from_a_model_keeps_references(qtbot: QtBot) -> None:
    model: RowTableModel[int] = RowTableModel([Column("Số", lambda r: r)])
    model.set_rows(list(range(40)))
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(300, 600)
    view.show()
    before = sys.getrefcount(None)
    for _ in range(20):
        view.grab()
        for row in range(40):
            model.data(model.index(row, 0), Qt.ItemDataRole.DecorationRole)
    assert sys.getrefcount(None) >= before
