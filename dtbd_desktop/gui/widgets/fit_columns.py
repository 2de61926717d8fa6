"""Tables that fit their width: short columns as wide as their contents, the long text columns
(names of organisations, positions) sharing what is left, cut with "..." and shown whole in a
tooltip, so that no column a person needs hides behind a horizontal scroll bar at 1366×768."""

from __future__ import annotations

from collections.abc import Collection

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHeaderView, QTableView


def fit_columns(table: QTableView, flexible: Collection[int]) -> None:
    """Columns in `flexible` stretch into the room left; the others fit their contents."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    model = table.model()
    for column in range(model.columnCount() if model is not None else 0):
        mode = QHeaderView.ResizeMode.Stretch if column in flexible else QHeaderView.ResizeMode.ResizeToContents
        header.setSectionResizeMode(column, mode)
    table.setTextElideMode(Qt.TextElideMode.ElideRight)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
