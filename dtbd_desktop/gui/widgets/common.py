"""Small widgets and helpers shared by the screens."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem


def section_title(text: str) -> QLabel:
    """The large bold title at the top of a screen."""
    label = QLabel(text)
    label.setStyleSheet("font-size: 18px; font-weight: bold;")
    return label


def top_level_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    """The items at the top of a tree, in order."""
    items = (tree.topLevelItem(i) for i in range(tree.topLevelItemCount()))
    return [item for item in items if item is not None]


def child_items(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    """The children of a tree item, in order."""
    children = (item.child(i) for i in range(item.childCount()))
    return [child for child in children if child is not None]


def to_date(value: QDate) -> dt.date:
    """A date from a date field."""
    return dt.date(value.year(), value.month(), value.day())
