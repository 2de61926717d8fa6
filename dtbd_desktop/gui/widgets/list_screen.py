"""What every list screen shares: a read-only table of rows from the core (`RowList`: the model,
its sort-and-filter proxy, the view; the row selected or opened), and the screen around it
(`ListScreen`: a title, a filter row with a search box, a count under the list, the data loaded
the first time the screen is shown)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import ROW_ROLE, Column, Row, RowTableModel, SortProxy, read_only_table
from dtbd_desktop.gui.widgets.common import section_title


class EnterOpens(QObject):
    """Enter (or Return) on a view opens what is current there, once per key press."""

    def __init__(self, view: QAbstractItemView, on_enter: Callable[[], object]) -> None:
        super().__init__(view)
        self.on_enter = on_enter
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt's name)
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.isAutoRepeat()):
            self.on_enter()
            return True
        return False


class RowList(Generic[Row]):
    """Rows shown read-only: whole rows selected one at a time, sorted by a click on a header
    (`sortable`), opened by a double click or Enter (`on_open`). `proxy` filters them, if the
    screen has its own filter, and `model` shows them, if it is a model of its own; `row_numbers`
    shows the number of each row at the left."""

    def __init__(self, columns: Sequence[Column[Row]], name: str, parent: QWidget, *,
                 model: RowTableModel[Row] | None = None, proxy: QSortFilterProxyModel | None = None,
                 sortable: bool = True, sort_by: tuple[int, Qt.SortOrder] | None = None, row_numbers: bool = False,
                 on_open: Callable[[Row], object] | None = None) -> None:
        self.model: RowTableModel[Row] = model if model is not None else RowTableModel(columns, parent)
        self.proxy = proxy if proxy is not None else SortProxy(parent)
        self.proxy.setSourceModel(self.model)
        self.table: QTableView = read_only_table(self.proxy, name)
        self.table.verticalHeader().setVisible(row_numbers)
        self.table.setSortingEnabled(sortable)
        if sort_by is not None:
            self.table.sortByColumn(*sort_by)
        if on_open is not None:
            def open_index(index: QModelIndex) -> None:
                row = self.row_at(index)
                if row is not None:
                    on_open(row)

            # A double click opens once (Qt also sends `activated` for it, so that is not connected);
            # Enter opens the current row.
            self.table.doubleClicked.connect(open_index)
            self._enter = EnterOpens(self.table, lambda: open_index(self.table.currentIndex()))

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.model.set_rows(rows)

    @staticmethod
    def row_at(index: QModelIndex | QPersistentModelIndex) -> Row | None:
        row: Row | None = index.data(ROW_ROLE) if index.isValid() else None
        return row

    def selected(self) -> Row | None:
        """The selected row; None when there is none."""
        selection = self.table.selectionModel()
        indexes = selection.selectedRows() if selection is not None else []
        return self.row_at(indexes[0]) if indexes else None

    def visible_rows(self) -> list[Row]:
        """The rows the filter lets through, in the order shown."""
        rows = (self.row_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount()))
        return [row for row in rows if row is not None]

    def select_where(self, wanted: Callable[[Row], bool]) -> bool:
        """Select the first row shown that is `wanted`; False if none is."""
        for number, row in enumerate(self.visible_rows()):
            if wanted(row):
                self.table.selectRow(number)
                return True
        return False


class ListScreen(QWidget):
    """A screen of the sidebar listing records. Subclasses build their filter row and list, put
    them in `layout` under the title, and load in `reload()`, which runs the first time the
    screen is shown (`activate()`), not when the window starts. With `pages`, the list is the first
    page of `self.pages`, and the screen can show a record's own page in its place (a class)."""

    def __init__(self, ctx: AppContext, title: str, *, pages: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self._loaded = False
        self._stale = False  # something was saved elsewhere since the list was loaded
        ctx.runner.wrote.connect(self._records_changed)
        self.count_label = QLabel()
        self.pages: QStackedWidget | None = None
        if pages:
            self.pages = QStackedWidget(self)
            self.list_page = QWidget()
            self.pages.addWidget(self.list_page)
            outer = QVBoxLayout(self)
            outer.setContentsMargins(0, 0, 0, 0)
            outer.addWidget(self.pages)
        self.main_layout = QVBoxLayout(self.list_page if pages else self)
        self.main_layout.addWidget(section_title(title))

    def activate(self) -> None:
        """Called when the screen is shown: load once, then again if records changed meanwhile
        (certificates issued in a class show in the register)."""
        if not self._loaded:
            self._loaded = True
            self.first_load()
        elif self._stale:
            self._stale = False
            self.refresh()

    def _records_changed(self) -> None:
        if self._loaded and not self.isVisible():
            self._stale = True

    def refresh(self) -> None:
        """Load again what changed (the list; a screen whose filters follow the data does more)."""
        self.reload()

    def first_load(self) -> None:
        self.reload()

    def reload(self) -> None:
        raise NotImplementedError


SEARCH_DELAY_MS = 300


class SearchBox(QLineEdit):
    """The search field of every list: `searched(text)` as the person types, once they pause
    (SEARCH_DELAY_MS), and at once on Enter or when the field is cleared."""

    searched = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setClearButtonEnabled(True)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_now)
        self.textChanged.connect(self._typed)
        self.returnPressed.connect(self.search_now)

    def _typed(self, value: str) -> None:
        if value:
            self.timer.start()
        else:
            self.search_now()

    def search_now(self) -> None:
        self.timer.stop()
        self.searched.emit(self.text())


def search_box(name: str, placeholder: str) -> SearchBox:
    """The search field of a list screen, with its clear button (see `SearchBox`)."""
    search = SearchBox()
    search.setObjectName(name)
    search.setPlaceholderText(placeholder)
    return search


def filter_row(*items: QWidget | tuple[str, QWidget], stretch: QWidget | None = None,
               after: Sequence[QWidget] = ()) -> QHBoxLayout:
    """The row above a list: labelled filters, then the widget that takes the room left (the
    search box), then buttons."""
    row = QHBoxLayout()
    for item in items:
        if isinstance(item, tuple):
            row.addWidget(QLabel(item[0]))
            row.addWidget(item[1])
        else:
            row.addWidget(item)
    if stretch is not None:
        row.addWidget(stretch, 1)
    for widget in after:
        row.addWidget(widget)
    return row
