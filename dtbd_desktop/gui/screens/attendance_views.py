"""The attendance grid's two views over one model: the names and absences frozen at the left,
the sessions scrolling at the right, rows of a fixed height, columns of a fixed width (nothing
sized to its contents: 70 x 240 cells must open at once)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QKeyEvent, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from dtbd_desktop.gui.models.attendance_model import (
    ABSENCE_COLUMN,
    FIXED_COLUMNS,
    NAME_COLUMN,
    AttendanceModel,
)
from dtbd_desktop.gui.table_model import Index

ROW_HEIGHT = 22
COLUMN_WIDTH = 38
CURRENT_COLOR = QColor("#2563eb")


class GridView(QTableView):
    """The sessions part of the grid; status keys go to `handle_key`, the rest (arrows...) to Qt."""

    def __init__(self, parent: QWidget, handle_key: Callable[[QKeyEvent], bool]) -> None:
        super().__init__(parent)
        self.handle_key = handle_key

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if not self.handle_key(event):
            super().keyPressEvent(event)


class CurrentRowDelegate(QStyledItemDelegate):
    """The frozen names: the current learner in bold with a bar at the left, so that the row's
    colour (over the limit) stays visible, which a selection highlight would hide."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.current_row = -1

    def initStyleOption(self, option: QStyleOptionViewItem, index: Index) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.row() == self.current_row:
            option.font.setBold(True)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        super().paint(painter, option, index)
        if index.row() == self.current_row:
            rect = option.rect
            painter.fillRect(rect.x(), rect.bottom() - 1, rect.width(), 2, CURRENT_COLOR)
            if index.column() == NAME_COLUMN:
                painter.fillRect(rect.x(), rect.y(), 4, rect.height(), CURRENT_COLOR)


def frozen_grid(parent: QWidget, handle_key: Callable[[QKeyEvent], bool]
                ) -> tuple[QTableView, GridView, CurrentRowDelegate]:
    """The names view (no focus, no selection, scrolled with the grid) and the sessions view."""
    names = QTableView()
    names.setObjectName("attendance_names")
    table = GridView(parent, handle_key)
    table.setObjectName("attendance_grid")
    for view in (names, table):
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setWordWrap(False)
        view.setCornerButtonEnabled(False)
        rows = view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        rows.setMinimumSectionSize(ROW_HEIGHT)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.horizontalHeader().setFixedHeight(view.fontMetrics().lineSpacing() * 3 + 10)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setDefaultSectionSize(COLUMN_WIDTH)
    table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
    names.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    delegate = CurrentRowDelegate(names)
    names.setItemDelegate(delegate)
    names.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    names.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    names.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    names.verticalScrollBar().valueChanged.connect(table.verticalScrollBar().setValue)
    table.verticalScrollBar().valueChanged.connect(names.verticalScrollBar().setValue)
    return names, table, delegate


def layout_columns(names: QTableView, table: QTableView, model: AttendanceModel) -> None:
    """Show the name and absence columns in the frozen view only, sized to the names."""
    columns = model.columnCount()
    for column in range(columns):
        names.setColumnHidden(column, column >= FIXED_COLUMNS)
    table.setColumnHidden(NAME_COLUMN, True)
    table.setColumnHidden(ABSENCE_COLUMN, True)
    metrics = names.fontMetrics()
    widest = max((metrics.horizontalAdvance(learner.full_name) for learner in model.grid.learners), default=120)
    names.setColumnWidth(NAME_COLUMN, min(max(widest + 16, 140), 260))
    names.setColumnWidth(ABSENCE_COLUMN, metrics.horizontalAdvance("000 (00,0%)") + 14)
    width = (names.columnWidth(NAME_COLUMN) + names.columnWidth(ABSENCE_COLUMN)
             + names.verticalHeader().sizeHint().width() + 2 * names.frameWidth())
    names.setFixedWidth(width)
