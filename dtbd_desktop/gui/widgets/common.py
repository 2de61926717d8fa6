"""Small widgets and helpers shared by the screens: a screen's title, its line of news
(`MessageLabel`: what was done, or why it failed), the question for a reason, tree items, dates."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
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
    """A screen's line of news: what was done (green) or what went wrong (red); the one way the
    program tells that something was saved. After a file is written (`saved_file`), the line
    offers to open the file or its folder.

    `failed` is the `on_failed` of the screen's jobs: the error as the person should read it."""

    def __init__(self, name: str, parent: QWidget | None = None, *, ok_style: str = OK_STYLE,
                 error_style: str = ERROR_STYLE) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWordWrap(True)
        self.ok_style, self.error_style = ok_style, error_style
        self.file: Path | None = None
        self.linkActivated.connect(self.open_link)

    def say(self, message: str, *, error: bool = False) -> None:
        self.file = None
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(self.error_style if error else self.ok_style)
        self.setText(message)

    def saved_file(self, message: str, path: Path) -> None:
        """`message` about the file written at `path`, with "Mở tệp" and "Mở thư mục" links."""
        self.setStyleSheet(self.ok_style)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setText(f"{html.escape(message)} &nbsp;<a href='file'>{html.escape(tr('common', 'Mở tệp'))}</a>"
                     f" · <a href='folder'>{html.escape(tr('common', 'Mở thư mục'))}</a>")
        self.file = path

    def open_link(self, link: str) -> None:
        """Open the file just saved, or its folder, with what the system uses for it."""
        if self.file is not None:
            target = self.file if link == "file" else self.file.parent
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def failed(self, exc: BaseException) -> None:
        self.say(error_text(exc), error=True)


class Buttons(dict[str, QPushButton]):
    """A screen's buttons by key, each named `{prefix}_{key}` (tests find them so). With
    `focus=False` a click leaves the keyboard where it was (a grid typed into)."""

    def __init__(self, prefix: str, *, focus: bool = True) -> None:
        super().__init__()
        self.prefix, self.focus = prefix, focus

    def add(self, key: str, label: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(label)
        button.setObjectName(f"{self.prefix}_{key}")
        if not self.focus:
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(slot)
        self[key] = button
        return button

    def row(self, actions: Iterable[tuple[str, str, Callable[[], object]]], *, stretch: bool = True) -> QHBoxLayout:
        """A row of buttons, (key, label, slot) each, pushed to the left."""
        row = QHBoxLayout()
        for key, label, slot in actions:
            row.addWidget(self.add(key, label, slot))
        if stretch:
            row.addStretch(1)
        return row


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


def refused_cells(edits: Sequence[Any], exc: DtbdError) -> dict[int, str]:
    """Which of a grid's `edits` (each with `row` from 0 and its column's `label`) the core refused,
    with why: the problems that name a row and column; every edit when none does."""
    places = {(e.row + 1, e.label): i for i, e in enumerate(edits)}
    refused = {places[(p.row, p.column)]: p.message for p in exc.problems
               if p.row is not None and p.column is not None and (p.row, p.column) in places}
    return refused or dict.fromkeys(range(len(edits)), exc.message)
