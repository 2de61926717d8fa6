"""Small widgets and helpers shared by the screens: a screen's title, its line of news
(`MessageLabel`: what was done, or why it failed), the question for a reason, tree items, dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QInputDialog, QLabel, QTreeWidget, QTreeWidgetItem, QWidget

from dtbd_desktop.base import text
from dtbd_desktop.gui.tasks import error_text

ERROR_STYLE = "color: #b71c1c;"
OK_STYLE = "color: #1b5e20;"
QUIET_STYLE = "color: #374151;"  # the news of a grid typed into all day: grey, errors bold
ALERT_STYLE = "color: #b91c1c; font-weight: bold;"


def section_title(title: str) -> QLabel:
    """The large bold title at the top of a screen."""
    label = QLabel(title)
    label.setStyleSheet("font-size: 18px; font-weight: bold;")
    return label


class MessageLabel(QLabel):
    """A screen's line of news: what was done (green) or what went wrong (red).

    `failed` is the `on_failed` of the screen's jobs: the error as the person should read it."""

    def __init__(self, name: str, parent: QWidget | None = None, *, ok_style: str = OK_STYLE,
                 error_style: str = ERROR_STYLE) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.ok_style, self.error_style = ok_style, error_style

    def say(self, message: str, *, error: bool = False) -> None:
        self.setStyleSheet(self.error_style if error else self.ok_style)
        self.setText(message)

    def failed(self, exc: BaseException) -> None:
        self.say(error_text(exc), error=True)


def ask_reason(parent: QWidget, title: str, question: str) -> str | None:
    """The reason the person types for a change that the log keeps (NFC, spaces collapsed; empty if
    they typed nothing); None if they cancel."""
    reason, ok = QInputDialog.getText(parent, title, question)
    return (text.clean(reason) or "") if ok else None


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
