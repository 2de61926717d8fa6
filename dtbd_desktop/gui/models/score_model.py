"""The editable score grid: a table model over plain rows built from the core's score sheet
(one module, the whole class) or from a learner's transcript (one learner, every module).

The model saves nothing itself. A typed cell is checked with `scores.validate_cell`; a refused
one keeps what was typed, turns red and carries the reason as its tooltip; an accepted one is
shown at once (pending) and handed to the screen as a `CellEdit` through `edits_requested`,
which writes it through the worker and then calls `resolve()` with what the core said and
`set_grid()` with the sheet read back. A pasted block becomes one list of edits (saved
all-or-nothing by the screen); `block_edits()` maps the block onto the grid and checks it first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLineEdit,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.scores import ModuleResult
from dtbd_desktop.services.roster import ENROLMENT_STATUS_LABELS
from dtbd_desktop.services.scores import ScoreSheet, Transcript, attempt_label, validate_cell

Index = QModelIndex | QPersistentModelIndex
Key = tuple[int, str]  # (attempt, component)
CellKey = tuple[int, str, int, str]  # (enrolment id, module code, attempt, component)

ERROR_BACKGROUND = QColor("#f8d0d0")
PENDING_BACKGROUND = QColor("#fff4c2")
LOCKED_BACKGROUND = QColor("#ececec")
FAILED_FOREGROUND = QColor("#b71c1c")
MUTED_FOREGROUND = QColor("#777777")
CENTER = int(Qt.AlignmentFlag.AlignCenter)


@dataclass(frozen=True)
class EntryColumn:
    attempt: int
    component: str
    label: str

    @property
    def key(self) -> Key:
        return (self.attempt, self.component)


@dataclass(frozen=True)
class GridRow:
    """One line of the grid: a learner's module (module view) or a module (learner view)."""

    enrolment_id: int
    module_code: str
    info: tuple[str, ...]
    values: Mapping[Key, Decimal]
    result: ModuleResult
    tail: tuple[str, ...] = ()  # shown after the result
    active: bool = True
    locked: bool = False
    keys: frozenset[Key] | None = None  # the entry columns this row takes; None: all of them
    note: str | None = None  # why some cells take no entry
    status_text: str | None = None  # instead of the module result (withdrawn, transferred)

    def takes(self, key: Key) -> bool:
        return self.active and (self.keys is None or key in self.keys)


@dataclass(frozen=True)
class Grid:
    info_titles: tuple[str, ...]
    columns: tuple[EntryColumn, ...]
    rows: tuple[GridRow, ...]
    pass_mark: Decimal = Decimal("5.0")
    tail_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellEdit:
    """One cell to save: where it is in the grid and what goes in."""

    row: int
    column: int
    enrolment_id: int
    module_code: str
    attempt: int
    component: str
    label: str  # the column's title, for messages
    text: str
    value: Decimal | None
    expected: Decimal | None
    seq: int = 0

    @property
    def cell(self) -> CellKey:
        return (self.enrolment_id, self.module_code, self.attempt, self.component)


def module_grid(sheet: ScoreSheet) -> Grid:
    """The module view: every learner of the class, the sheet's columns (retakes included)."""
    rows = tuple(
        GridRow(enrolment_id=r.enrolment_id, module_code=sheet.module_code, info=(r.full_name, r.birth_text),
                values=r.values, result=r.result, tail=(r.organisation or "",), active=r.editable, locked=sheet.locked,
                status_text=None if r.editable else tr("roster", ENROLMENT_STATUS_LABELS.get(r.status, r.status)))
        for r in sheet.rows)
    columns = tuple(EntryColumn(c.attempt, c.component, c.label) for c in sheet.columns)
    return Grid((tr("score_model", "Họ và tên"), tr("score_model", "Ngày sinh")), columns, rows, sheet.pass_mark,
                (tr("score_model", "Đơn vị"),))


def learner_grid(transcript: Transcript) -> Grid:
    """The learner view: every module of the programme, one column per attempt. Modules assessed by
    components show their computed score here and are entered in the module view."""
    data, line = transcript.data, transcript.learner
    attempts = max([1, *(m.latest_attempt for m in transcript.modules)])
    if line.active and any(m.status == "failed" and m.latest_attempt == attempts for m in transcript.modules):
        attempts += 1
    rows = []
    for module, result in zip(data.modules, transcript.modules, strict=True):
        marks = data.marks.get((line.enrolment_id, module.id), ())
        overall = module.plan.overall_only
        rows.append(GridRow(
            enrolment_id=line.enrolment_id, module_code=module.code,
            info=(module.code, module.name, str(module.periods) if module.periods else ""),
            values={(m.attempt, m.component): m.value for m in marks}, result=result, active=line.active,
            locked=module.id in data.locks, keys=None if overall else frozenset(),
            note=None if overall else tr("score_model", "Học phần có điểm thành phần: nhập ở chế độ theo học phần.")))
    columns = tuple(EntryColumn(n, "", tr("score_model", "Điểm") if n == 1 else attempt_label(n))
                    for n in range(1, attempts + 1))
    titles = (tr("score_model", "Mã"), tr("score_model", "Học phần"), tr("score_model", "Số tiết"))
    return Grid(titles, columns, tuple(rows), score_rules.pass_mark(data.rules))


class ScoreGridModel(QAbstractTableModel):
    edits_requested = Signal(object)  # list[CellEdit]
    refused = Signal(str)  # a message about a cell refused before saving

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.grid = Grid((), (), ())
        self.pending: dict[CellKey, tuple[Decimal | None, int]] = {}
        self.errors: dict[CellKey, tuple[str, str]] = {}  # cell -> (what was typed, why refused)
        self._seq = 0

    # --- shape ----------------------------------------------------------------------------
    @property
    def first_entry(self) -> int:
        return len(self.grid.info_titles)

    @property
    def result_columns(self) -> tuple[str, str]:
        return (tr("score_model", "Điểm học phần"), tr("score_model", "Kết quả"))

    def entry_column(self, column: int) -> EntryColumn | None:
        i = column - self.first_entry
        return self.grid.columns[i] if 0 <= i < len(self.grid.columns) else None

    def column_of(self, key: Key) -> int | None:
        for i, c in enumerate(self.grid.columns):
            if c.key == key:
                return self.first_entry + i
        return None

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.grid.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.first_entry + len(self.grid.columns) + 2 + len(self.grid.tail_titles)

    def set_grid(self, grid: Grid) -> None:
        """Show a new grid; when only values changed or retake columns came or went at the end, the
        view keeps its current cell and any open editor."""
        old = self.grid
        same_rows = [(r.enrolment_id, r.module_code) for r in old.rows] == \
            [(r.enrolment_id, r.module_code) for r in grid.rows]
        keys_old, keys_new = [c.key for c in old.columns], [c.key for c in grid.columns]
        if not same_rows or old.info_titles != grid.info_titles or old.tail_titles != grid.tail_titles or \
                keys_new[:len(keys_old)] != keys_old and keys_old[:len(keys_new)] != keys_new:
            self.beginResetModel()
            self.grid = grid
            self.endResetModel()
            return
        start = self.first_entry
        if len(keys_new) > len(keys_old):
            self.beginInsertColumns(QModelIndex(), start + len(keys_old), start + len(keys_new) - 1)
            self.grid = grid
            self.endInsertColumns()
        elif len(keys_new) < len(keys_old):
            self.beginRemoveColumns(QModelIndex(), start + len(keys_new), start + len(keys_old) - 1)
            self.grid = grid
            self.endRemoveColumns()
        else:
            self.grid = grid
        if grid.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)

    def clear_marks(self) -> None:
        """Forget refused and pending cells (another module or learner is shown)."""
        self.errors.clear()
        self.pending.clear()

    # --- reading --------------------------------------------------------------------------
    def _cell(self, row: int, column: int) -> tuple[GridRow, EntryColumn, CellKey] | None:
        entry = self.entry_column(column)
        if entry is None or not 0 <= row < len(self.grid.rows):
            return None
        r = self.grid.rows[row]
        return r, entry, (r.enrolment_id, r.module_code, entry.attempt, entry.component)

    def value_at(self, row: int, column: int) -> Decimal | None:
        """The cell's value as it will be once the pending saves are done."""
        found = self._cell(row, column)
        if found is None:
            return None
        r, entry, cell = found
        if cell in self.pending:
            return self.pending[cell][0]
        return r.values.get(entry.key)

    def error_at(self, row: int, column: int) -> str | None:
        found = self._cell(row, column)
        return self.errors[found[2]][1] if found and found[2] in self.errors else None

    def _result_data(self, r: GridRow, which: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if which == 0:
                return score_rules.score_text(r.result.counted)
            return r.status_text or (score_rules.status_label(r.result.status) if r.result.scored else "")
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CENTER
        if role == Qt.ItemDataRole.ForegroundRole and r.result.status == "failed":
            return FAILED_FOREGROUND
        if role == Qt.ItemDataRole.FontRole and which == 0:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _entry_data(self, r: GridRow, entry: EntryColumn, cell: CellKey, role: int) -> Any:
        error = self.errors.get(cell)
        value = self.pending[cell][0] if cell in self.pending else r.values.get(entry.key)
        computed = None
        if value is None and not entry.component and not r.takes(entry.key):
            found = r.result.attempt(entry.attempt)
            computed = found.score if found else None  # a module scored by components
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if error is not None:
                return error[0]
            return score_rules.score_text(value if value is not None else computed)
        if role == Qt.ItemDataRole.ToolTipRole:
            if error is not None:
                return error[1]
            if r.locked and r.takes(entry.key):
                return tr("score_model", "Điểm đã chốt: muốn sửa cần người có quyền và ghi lý do.")
            return r.note if not r.takes(entry.key) else None
        if role == Qt.ItemDataRole.BackgroundRole:
            if error is not None:
                return ERROR_BACKGROUND
            if cell in self.pending:
                return PENDING_BACKGROUND
            if r.locked or not r.takes(entry.key):
                return LOCKED_BACKGROUND
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if error is None and value is not None and value < self.grid.pass_mark:
                return FAILED_FOREGROUND
            return MUTED_FOREGROUND if computed is not None else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return CENTER
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.grid.rows):
            return None
        r = self.grid.rows[index.row()]
        column = index.column()
        found = self._cell(index.row(), column)
        if found is not None:
            return self._entry_data(r, found[1], found[2], role)
        rest = column - self.first_entry - len(self.grid.columns)
        if 0 <= rest < 2:
            return self._result_data(r, rest, role)
        if role == Qt.ItemDataRole.DisplayRole:
            cells = r.info if column < self.first_entry else r.tail
            i = column if column < self.first_entry else rest - 2
            return cells[i] if 0 <= i < len(cells) else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return r.status_text
        if role == Qt.ItemDataRole.ForegroundRole and not r.active:
            return MUTED_FOREGROUND
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Vertical:
            return section + 1 if 0 <= section < len(self.grid.rows) else None
        if 0 <= section < self.first_entry:
            return self.grid.info_titles[section]
        entry = self.entry_column(section)
        if entry is not None:
            return entry.label
        rest = section - self.first_entry - len(self.grid.columns)
        titles = self.result_columns + self.grid.tail_titles
        return titles[rest] if 0 <= rest < len(titles) else None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        found = self._cell(index.row(), index.column())
        if found is not None and found[0].takes(found[1].key):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    # --- editing --------------------------------------------------------------------------
    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not (self.flags(index) & Qt.ItemFlag.ItemIsEditable):
            return False
        typed = "" if value is None else str(value).strip()
        edit, message = self.edit_cell(index.row(), index.column(), typed)
        if message is not None:
            self.refused.emit(message)
        elif edit is not None:
            self.edits_requested.emit([edit])
        return True

    def edit_cell(self, row: int, column: int, typed: str) -> tuple[CellEdit | None, str | None]:
        """Check one typed cell: the edit to save (None when nothing changes), or the refusal."""
        found = self._cell(row, column)
        if found is None or not found[0].takes(found[1].key):
            return None, tr("score_model", "Ô này không nhập điểm.")
        r, entry, cell = found
        check = validate_cell(typed)
        if not check.ok:
            self.mark_error(cell, typed, check.message or "")
            return None, check.message
        expected = self.value_at(row, column)
        had_error = self.errors.pop(cell, None) is not None
        if check.value == expected:
            if had_error:
                self._changed(row, column)
            return None, None
        self._seq += 1
        self.pending[cell] = (check.value, self._seq)
        self._changed(row, column)
        return CellEdit(row, column, r.enrolment_id, r.module_code, entry.attempt, entry.component, entry.label, typed,
                        check.value, expected, self._seq), None

    def block_edits(self, top: int, left: int, block: Sequence[Sequence[str]]) -> tuple[list[CellEdit], list[str]]:
        """The edits a pasted block makes from (top, left), or the problems that refuse it whole
        ("dòng 3, cột Điểm: ..."); refused cells are marked. Blank cells clear; blank cells over
        empty or inactive cells are left out."""
        edits: list[CellEdit] = []
        problems: list[str] = []
        checked: list[tuple[int, int, str]] = []
        for i, line in enumerate(block):
            for j, typed in enumerate(line):
                row, column = top + i, left + j
                typed = typed.strip()
                found = self._cell(row, column)
                if found is None:
                    if typed:
                        problems.append(tr("score_model", "Khối dán vượt ra ngoài các cột điểm của bảng ('{text}').")
                                        .format(text=typed))
                    continue
                r, entry, cell = found
                if not typed and (not r.takes(entry.key) or self.value_at(row, column) is None):
                    continue
                if not r.takes(entry.key):
                    problems.append(self._where(row, column) + (r.status_text or r.note or tr(
                        "score_model", "ô này không nhập điểm.")))
                    continue
                check = validate_cell(typed)
                if not check.ok:
                    self.mark_error(cell, typed, check.message or "")
                    problems.append(self._where(row, column) + (check.message or ""))
                    continue
                checked.append((row, column, typed))
        if problems:
            return [], problems
        for row, column, typed in checked:
            edit, _message = self.edit_cell(row, column, typed)
            if edit is not None:
                edits.append(edit)
        return edits, []

    def _where(self, row: int, column: int) -> str:
        title = self.headerData(column, Qt.Orientation.Horizontal)
        return tr("score_model", "Dòng {row}, cột {column}: ").format(row=row + 1, column=title)

    def mark_error(self, cell: CellKey, typed: str, message: str) -> None:
        self.errors[cell] = (typed, message)
        self.pending.pop(cell, None)
        self._changed_cell(cell)

    def resolve(self, edits: Sequence[CellEdit], refused: Mapping[int, str] | None = None) -> None:
        """The saves of `edits` are over; `refused` maps an edit's position to the reason it was refused."""
        for i, edit in enumerate(edits):
            if self.pending.get(edit.cell, (None, -1))[1] == edit.seq:
                del self.pending[edit.cell]
            if refused and i in refused:
                self.errors[edit.cell] = (edit.text, refused[i])
            self._changed_cell(edit.cell)

    def _changed_cell(self, cell: CellKey) -> None:
        column = self.column_of((cell[2], cell[3]))
        for i, r in enumerate(self.grid.rows):
            if (r.enrolment_id, r.module_code) == cell[:2] and column is not None:
                self._changed(i, column)

    def _changed(self, row: int, column: int) -> None:
        index = self.index(row, column)
        self.dataChanged.emit(index, index)


class TypingDelegate(QStyledItemDelegate):
    """What a person is typing stays in the cell: a save of the cell above coming back meanwhile
    refreshes the grid, and Qt would otherwise put the old value back into the open editor (the
    score typed quickly after Enter was lost without a word)."""

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QLineEdit) and editor.isModified():
            return
        super().setEditorData(editor, index)


class ScoreTable(QTableView):
    """The grid's view: Enter moves down, Delete clears, Ctrl+V pastes, Ctrl+C copies."""

    paste_requested = Signal()
    clear_requested = Signal()
    EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
                     | QAbstractItemView.EditTrigger.AnyKeyPressed)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setItemDelegate(TypingDelegate(self))
        self.setEditTriggers(self.EDIT_TRIGGERS)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(24)

    def move_down(self) -> None:
        current = self.currentIndex()
        if current.isValid() and current.row() + 1 < self.model().rowCount():
            self.setCurrentIndex(self.model().index(current.row() + 1, current.column()))

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:
            self.move_down()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and event.matches(QKeySequence.StandardKey.Paste):
            self.paste_requested.emit()
        elif not editing and event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif not editing and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.move_down()
        elif not editing and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.clear_requested.emit()
        else:
            super().keyPressEvent(event)

    def copy_selection(self) -> None:
        indexes = self.selectedIndexes()
        if not indexes:
            return
        rows = sorted({i.row() for i in indexes})
        columns = sorted({i.column() for i in indexes})
        model = self.model()
        lines = ["\t".join(str(model.index(r, c).data() or "") for c in columns) for r in rows]
        QGuiApplication.clipboard().setText("\n".join(lines))
