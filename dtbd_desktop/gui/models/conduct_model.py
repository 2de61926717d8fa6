"""The editable grid of a class's conduct: one row per learner, the sending organisation's
confirmation, any discipline and the conduct (rèn luyện), typed like the score grid.

The model saves nothing itself. A typed cell is read with the core's `conduct.parse_value`
("đạt", "không đạt", empty; "khiển trách"...); a refused one keeps what was typed, turns red and
carries the reason as its tooltip; an accepted one is shown at once (pending) and handed to the
screen as a `ConductEdit` through `edits_requested`. A pasted block or a filled selection
becomes one list of edits, checked whole first (`block_edits`), saved all or nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCompleter, QLineEdit, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.models.score_model import (
    CENTER,
    ERROR_BACKGROUND,
    FAILED_FOREGROUND,
    LOCKED_BACKGROUND,
    MUTED_FOREGROUND,
    PENDING_BACKGROUND,
)
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.services import conduct
from dtbd_desktop.services.conduct import ConductSheet
from dtbd_desktop.services.roster import ENROLMENT_STATUS_LABELS
from dtbd_desktop.services.scores import LearnerLine

Index = QModelIndex | QPersistentModelIndex
Cell = tuple[int, str]  # (enrolment id, field)
MISSING_FOREGROUND = QColor("#c55a11")
INFO_COLUMNS = 3  # name, birth, organisation
CONDUCT_WORDS = ("Tốt", "Khá", "Trung bình", "Yếu")


@dataclass(frozen=True)
class ConductEdit:
    """One cell to save: where it is in the grid and what goes in."""

    row: int
    column: int
    enrolment_id: int
    field: str
    label: str  # the column's title, for messages
    text: str
    value: str | None
    expected: str | None
    seq: int = 0

    @property
    def cell(self) -> Cell:
        return (self.enrolment_id, self.field)


def choices(field_name: str) -> list[str]:
    """What a cell of the field may say, as the person reads it (the completer's list)."""
    if field_name == "confirmation":
        return [graduation_rules.confirmation_label(k) for k in ("received", "unfavourable", "missing")]
    if field_name == "discipline":
        return [graduation_rules.discipline_label(k) for k in graduation_rules.DISCIPLINE_ORDER]
    return list(CONDUCT_WORDS)  # stored as typed: the ratings the centre's papers use


class ConductModel(QAbstractTableModel):
    edits_requested = Signal(object)  # list[ConductEdit]
    refused = Signal(str)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.lines: tuple[LearnerLine, ...] = ()
        self.editable = True
        self.pending: dict[Cell, tuple[str | None, int]] = {}
        self.errors: dict[Cell, tuple[str, str]] = {}
        self._seq = 0

    # --- shape ----------------------------------------------------------------------------
    @property
    def first_entry(self) -> int:
        return INFO_COLUMNS

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else INFO_COLUMNS + len(conduct.FIELDS)

    def field_at(self, column: int) -> str | None:
        i = column - INFO_COLUMNS
        return conduct.FIELDS[i] if 0 <= i < len(conduct.FIELDS) else None

    def column_of(self, field_name: str) -> int:
        return INFO_COLUMNS + conduct.FIELDS.index(field_name)

    def set_sheet(self, sheet: ConductSheet) -> None:
        same = [x.enrolment_id for x in self.lines] == [x.enrolment_id for x in sheet.learners]
        if not same:
            self.beginResetModel()
            self.lines = sheet.learners
            self.endResetModel()
            return
        self.lines = sheet.learners
        if self.lines:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))

    def clear_marks(self) -> None:
        self.pending.clear()
        self.errors.clear()

    # --- reading --------------------------------------------------------------------------
    def stored(self, row: int, field_name: str) -> str | None:
        value: str | None = getattr(self.lines[row], field_name)
        return value

    def value_at(self, row: int, field_name: str) -> str | None:
        """The cell's value as it will be once the pending saves are done."""
        cell = (self.lines[row].enrolment_id, field_name)
        return self.pending[cell][0] if cell in self.pending else self.stored(row, field_name)

    def text_at(self, row: int, field_name: str) -> str:
        value = self.value_at(row, field_name)
        if field_name == "discipline" and value in (None, "none"):
            return ""  # no discipline: an empty cell reads best down a column
        return conduct.value_text(field_name, value)

    def takes(self, row: int) -> bool:
        return self.editable and self.lines[row].active

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.lines):
            return None
        line, column = self.lines[index.row()], index.column()
        name = self.field_at(column)
        if name is None:
            if role == Qt.ItemDataRole.DisplayRole:
                return (line.full_name, line.birth_text, line.organisation or "")[column]
            if role == Qt.ItemDataRole.ToolTipRole and not line.active:
                return tr("roster", ENROLMENT_STATUS_LABELS.get(line.status, line.status))
            if role == Qt.ItemDataRole.ForegroundRole and not line.active:
                return MUTED_FOREGROUND
            if role == Qt.ItemDataRole.TextAlignmentRole and column == 1:
                return CENTER
            return None
        cell = (line.enrolment_id, name)
        error = self.errors.get(cell)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return error[0] if error is not None else self.text_at(index.row(), name)
        if role == Qt.ItemDataRole.ToolTipRole:
            if error is not None:
                return error[1]
            if not line.active:
                return tr("roster", ENROLMENT_STATUS_LABELS.get(line.status, line.status))
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            if error is not None:
                return ERROR_BACKGROUND
            if cell in self.pending:
                return PENDING_BACKGROUND
            return None if line.active else LOCKED_BACKGROUND
        if role == Qt.ItemDataRole.ForegroundRole and error is None and line.active:
            value = self.value_at(index.row(), name)
            if name == "confirmation" and value == "missing":
                return MISSING_FOREGROUND
            if (name, value) == ("confirmation", "unfavourable") or (name == "discipline" and value not in (None, "none")):
                return FAILED_FOREGROUND
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if 0 <= section < len(self.lines) else None
        titles = (tr("conduct_model", "Họ và tên"), tr("conduct_model", "Ngày sinh"),
                  tr("conduct_model", "Đơn vị cử đi học"), *(conduct.field_label(f) for f in conduct.FIELDS))
        return titles[section] if 0 <= section < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.field_at(index.column()) is not None and index.row() < len(self.lines) and self.takes(index.row()):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # --- editing --------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        edit, message = self.edit_cell(index.row(), index.column(), "" if value is None else str(value))
        if message is not None:
            self.refused.emit(message)
        elif edit is not None:
            self.edits_requested.emit([edit])
        return True

    def _where(self, row: int, column: int) -> str:
        return tr("conduct_model", "Dòng {row}, cột {column}: ").format(
            row=row + 1, column=self.headerData(column, Qt.Orientation.Horizontal))

    def edit_cell(self, row: int, column: int, typed: str) -> tuple[ConductEdit | None, str | None]:
        """Check one typed cell: the edit to save (None when nothing changes), or the refusal."""
        name = self.field_at(column)
        if name is None or not 0 <= row < len(self.lines) or not self.takes(row):
            return None, tr("conduct_model", "Ô này không nhập được.")
        typed = typed.strip()
        cell = (self.lines[row].enrolment_id, name)
        try:
            value = conduct.parse_value(name, typed)
        except InputError as exc:
            self.errors[cell] = (typed, exc.message)
            self.pending.pop(cell, None)
            self._changed(row, column)
            return None, self._where(row, column) + exc.message
        expected = self.value_at(row, name)
        had_error = self.errors.pop(cell, None) is not None
        if value == expected:
            if had_error:
                self._changed(row, column)
            return None, None
        self._seq += 1
        self.pending[cell] = (value, self._seq)
        self._changed(row, column)
        label = str(self.headerData(column, Qt.Orientation.Horizontal))
        return ConductEdit(row, column, cell[0], name, label, typed, value, expected, self._seq), None

    def block_edits(self, top: int, left: int, block: Sequence[Sequence[str]]) -> tuple[list[ConductEdit], list[str]]:
        """The edits a pasted block (or a filled selection) makes from (top, left), or the problems
        that refuse it whole, each naming its row and column. Blank cells over inactive rows are
        left out."""
        if not self.editable:
            return [], [tr("conduct_model", "Bạn chỉ được xem bảng này, không sửa được.")]
        problems: list[str] = []
        checked: list[tuple[int, int, str]] = []
        for i, line in enumerate(block):
            for j, raw in enumerate(line):
                row, column, typed = top + i, left + j, raw.strip()
                name = self.field_at(column)
                if name is None or not 0 <= row < len(self.lines):
                    if typed and not (0 <= row < len(self.lines) and 0 <= column < INFO_COLUMNS):
                        problems.append(tr("conduct_model", "Khối dán vượt ra ngoài bảng ('{text}').").format(text=typed))
                    elif typed and row < len(self.lines):
                        problems.append(self._where(row, column) + tr("conduct_model", "cột này không nhập được."))
                    continue
                if not self.takes(row):
                    if typed:
                        problems.append(self._where(row, column) + tr("conduct_model", "học viên đã thôi học hoặc "
                                                                                       "chuyển lớp."))
                    continue
                try:
                    conduct.parse_value(name, typed)
                except InputError as exc:
                    cell = (self.lines[row].enrolment_id, name)
                    self.errors[cell] = (typed, exc.message)
                    self._changed(row, column)
                    problems.append(self._where(row, column) + exc.message)
                    continue
                checked.append((row, column, typed))
        if problems:
            return [], problems
        edits = []
        for row, column, typed in checked:
            edit, _message = self.edit_cell(row, column, typed)
            if edit is not None:
                edits.append(edit)
        return edits, []

    def resolve(self, edits: Sequence[ConductEdit], refused: Mapping[int, str] | None = None) -> None:
        """The saves of `edits` are over; `refused` maps an edit's position to the reason it was refused."""
        for i, edit in enumerate(edits):
            if self.pending.get(edit.cell, (None, -1))[1] == edit.seq:
                del self.pending[edit.cell]
            if refused and i in refused:
                self.errors[edit.cell] = (edit.text, refused[i])
            rows = [r for r, x in enumerate(self.lines) if x.enrolment_id == edit.enrolment_id]
            for r in rows:
                self._changed(r, self.column_of(edit.field))

    def _changed(self, row: int, column: int) -> None:
        index = self.index(row, column)
        self.dataChanged.emit(index, index)


class ChoiceDelegate(QStyledItemDelegate):
    """A line to type in, completing the column's usual values ("đ" offers "đã có, đạt yêu cầu")."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QLineEdit(parent)
        model = index.model()
        name = model.field_at(index.column()) if isinstance(model, ConductModel) else None
        if name is not None:
            completer = QCompleter(choices(name), editor)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            editor.setCompleter(completer)
        return editor
