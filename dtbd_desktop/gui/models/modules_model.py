"""The editable table of a programme's modules."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QSpinBox,
    QStyledItemDelegate,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.widgets.programme_parts import (
    MODULE_KINDS,
    PROBLEM_BACKGROUND,
    RIGHT,
    labels,
)
from dtbd_desktop.services import catalogue
from dtbd_desktop.services.catalogue import ModuleEdit

Index = QModelIndex | QPersistentModelIndex
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole


class ModulesModel(QAbstractTableModel):
    """The editable module rows (ModuleEdit, plain data) of one programme, in their order."""

    KEYS = ("code", "name", "periods", "kind", "part")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[ModuleEdit] = []
        self.problem_rows: set[int] = set()  # 1-based, as the core counts rows
        self.titles = [tr("programmes_view", "Mã"), tr("programmes_view", "Tên học phần"),
                       tr("programmes_view", "Số tiết"), tr("programmes_view", "Loại"),
                       tr("programmes_view", "Phần")]

    def set_modules(self, modules: list[catalogue.ModuleInfo]) -> None:
        self.beginResetModel()
        self.rows = [ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in modules]
        self.problem_rows = set()
        self.endResetModel()

    def modules(self) -> list[ModuleEdit]:
        return [ModuleEdit(m.code, m.name, m.periods, m.kind, m.part, m.id) for m in self.rows]

    def total_periods(self) -> int:
        return sum(m.periods for m in self.rows)

    def mark_problems(self, rows: set[int]) -> None:
        self.problem_rows = rows
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.KEYS) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.KEYS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return super().flags(index) | Qt.ItemFlag.ItemIsEditable

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        key = self.KEYS[index.column()]
        value = getattr(self.rows[index.row()], key)
        if role == DISPLAY:
            if key == "kind":
                return labels(MODULE_KINDS).get(value, value)
            return "" if value is None else str(value)
        if role == EDIT:
            return "" if value is None else value
        if role == Qt.ItemDataRole.ToolTipRole and key in ("name", "part"):
            return value
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "periods":
            return int(RIGHT)
        if role == Qt.ItemDataRole.BackgroundRole and index.row() + 1 in self.problem_rows:
            return PROBLEM_BACKGROUND
        return None

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if not index.isValid() or role != EDIT:
            return False
        key = self.KEYS[index.column()]
        if key == "periods":
            try:
                value = int(value)
            except (TypeError, ValueError):
                return False
        elif key != "kind":
            value = str(value or "")
        setattr(self.rows[index.row()], key, value)
        self.dataChanged.emit(index, index)
        return True

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:
        if role != DISPLAY:
            return None
        return self.titles[section] if orientation == Qt.Orientation.Horizontal else section + 1

    def add_row(self, at: int) -> int:
        at = len(self.rows) if at < 0 else at
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.insert(at, ModuleEdit("", "", 0, "module"))
        self.endInsertRows()
        return at

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self.rows[row]
        self.endRemoveRows()

    def move_row(self, row: int, delta: int) -> bool:
        target = row + delta
        if not (0 <= row < len(self.rows) and 0 <= target < len(self.rows)):
            return False
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), target + 1 if delta > 0 else target)
        self.rows.insert(target, self.rows.pop(row))
        self.endMoveRows()
        return True


class ModuleDelegate(QStyledItemDelegate):
    """A spin box for periods, a combo for the kind; plain text elsewhere."""

    def createEditor(self, parent: QWidget, option: Any, index: Index) -> QWidget:
        key = ModulesModel.KEYS[index.column()]
        if key == "periods":
            spin = QSpinBox(parent)
            spin.setRange(0, 2000)
            return spin
        if key == "kind":
            combo = QComboBox(parent)
            for kind, label in labels(MODULE_KINDS).items():
                combo.addItem(label, kind)
            return combo
        return super().createEditor(parent, option, index)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(0, editor.findData(index.data(EDIT))))
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            super().setModelData(editor, model, index)


# --- the screen --------------------------------------------------------------------------
