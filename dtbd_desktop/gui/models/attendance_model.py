"""The attendance grid's model: learners x sessions over the core's plain `AttendanceGrid`.

The whole class comes from ONE core call (`services.attendance.attendance_grid`) and stays in
plain Python structures: the core's `marks` dict keyed by (enrolment id, session id), and a
few per-row and per-column lists made once. `data()` computes what a cell shows when the view
asks (a dict look-up and a constant brush); nothing is made per cell.

Columns: 0 the learner's name, 1 the absences over the course (both shown frozen at the left
by the tab), then one column per session in date order. Rows: the learners in roster order.

Changing marks goes through `Edit`s: `make_edit` checks what the grid can check by itself
(permission, a session not yet held, a locked session), `apply` shows the change at once and
recomputes the learner's summary in memory, the caller writes `edit.changes_for_core()` with
`set_marks` (one small transaction), and on failure `revert` puts the cells back. Each
applied edit (one key, a paste, "everyone present") is one undo step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleData,
    QModelRoleDataSpan,
    QPersistentModelIndex,
    Qt,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.widgets.attendance_style import (
    BARRED_BG,
    BOLD,
    BRUSHES,
    FG_BRUSHES,
    FUTURE_BG,
    HALF_SHORT,
    INACTIVE_FG,
    ITALIC,
    LOCKED_FG,
    RESTORED_BG,
    cell_tooltip,
    learner_tooltip,
    module_line,
    scope_text,
    session_tooltip,
    share_text,
    slot_text,
)
from dtbd_desktop.rules.attendance import STATUS_CODES
from dtbd_desktop.services.attendance import (
    AttendanceGrid,
    Change,
    GridSession,
    LearnerAttendance,
    attendance_grid,
    set_marks,
)
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.accounts import Login

Index = QModelIndex | QPersistentModelIndex

NAME_COLUMN = 0
ABSENCE_COLUMN = 1
FIXED_COLUMNS = 2
STATUS_ROLE = int(Qt.ItemDataRole.UserRole) + 10  # the status of a cell ("present", ... or None)

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_CENTER = int(Qt.AlignmentFlag.AlignCenter)
_CELL_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # made once: enum arithmetic is slow
_NO_FLAGS = Qt.ItemFlag.NoItemFlags
_ROOT = QModelIndex()
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

class EditRefused(Exception):
    """A change the grid refuses before writing (the message says why)."""


@dataclass(frozen=True)
class CellChange:
    enrolment_id: int
    session_id: int
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Edit:
    """One undo step: the cells it changes (old and new statuses), whether any session is locked,
    and the reason given for changing locked ones."""

    changes: tuple[CellChange, ...]
    locked: bool = False
    reason: str | None = None

    def changes_for_core(self) -> list[Change]:
        return [(c.enrolment_id, c.session_id, c.new) for c in self.changes]

    def inverse(self) -> Edit:
        return Edit(tuple(CellChange(c.enrolment_id, c.session_id, c.new, c.old) for c in self.changes),
                    self.locked, self.reason)

    def with_reason(self, reason: str | None) -> Edit:
        return Edit(self.changes, self.locked, reason)

    def __len__(self) -> int:
        return len(self.changes)


def write_edit(session: Session, class_id: int, edit: Edit, today: dt.date) -> int:
    """Save an edit with the core, all or nothing; returns how many marks changed. Runs on the worker."""
    saved = set_marks(session, class_id, edit.changes_for_core(), reason=edit.reason, allow_locked=edit.locked,
                      today=today)
    return saved.changed


def _role_data(span: QModelRoleDataSpan | QModelRoleData) -> Iterable[QModelRoleData]:
    """The roles a view asks for in one `multiData` call. PySide6 hands over a span, which iterates
    (its stub does not say so); a single role is its own span."""
    if isinstance(span, QModelRoleData):
        return (span,)
    return cast("Iterable[QModelRoleData]", span)


class AttendanceModel(QAbstractTableModel):
    """Learners x sessions. `can_mark`: the acting account may mark this class;
    `can_override`: it may change locked sessions (with a reason)."""

    def __init__(self, grid: AttendanceGrid, *, can_mark: bool = True, can_override: bool = False,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self.database: Database | None = None  # set by load_grid_model, for `mark`
        self.login: Login | None = None
        self.undo_stack: list[Edit] = []
        self._set_grid(grid, can_mark, can_override)

    def _set_grid(self, grid: AttendanceGrid, can_mark: bool, can_override: bool) -> None:
        self.grid = grid
        self.can_mark = can_mark
        self.can_override = can_override
        self.marks = grid.marks  # the core's dict, kept up to date by grid.apply
        self.enrolment_ids = [learner.enrolment_id for learner in grid.learners]
        self.session_ids = [s.id for s in grid.sessions]
        self.locked = [grid.lock_before is not None and s.date < grid.lock_before for s in grid.sessions]
        self.future = [s.date > grid.today for s in grid.sessions]
        self.inactive = [learner.enrolment_status not in ("enrolled", "completed") for learner in grid.learners]
        self._rows, self._columns = len(self.enrolment_ids), len(self.session_ids) + FIXED_COLUMNS
        self._headers: list[str | None] = [None] * len(grid.sessions)
        self._today_column = next((i for i, s in enumerate(grid.sessions) if s.date == grid.today), -1)

    def reset_grid(self, grid: AttendanceGrid, *, can_mark: bool, can_override: bool) -> None:
        """Show a freshly loaded grid (after a reload); the undo history no longer applies."""
        self.beginResetModel()
        self._set_grid(grid, can_mark, can_override)
        self.undo_stack.clear()
        self.endResetModel()

    # --- reading --------------------------------------------------------------------------
    @property
    def today(self) -> dt.date:
        return self.grid.today

    def rowCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = _ROOT) -> int:
        return 0 if parent.isValid() else self._columns

    def session_at(self, column: int) -> GridSession | None:
        c = column - FIXED_COLUMNS
        return self.grid.sessions[c] if 0 <= c < len(self.session_ids) else None

    def summary_at(self, row: int) -> LearnerAttendance:
        return self.grid.summary[self.enrolment_ids[row]]

    def status_at(self, row: int, column: int) -> str | None:
        return self.marks.get((self.enrolment_ids[row], self.session_ids[column - FIXED_COLUMNS]))

    def column_of_day(self, day: dt.date) -> int:
        """The column to mark on `day`: its first session, else the last one before it, else the first."""
        found = 0
        for i, s in enumerate(self.grid.sessions):
            if s.date > day:
                break
            if s.date == day:
                return i + FIXED_COLUMNS
            found = i
        return found + FIXED_COLUMNS

    def over_limit(self, row: int) -> bool:
        """Absent beyond the limit (in a module or the course), whether or not made up."""
        return bool(self.summary_at(row).explanations)

    def barred(self, row: int) -> bool:
        summary = self.summary_at(row)
        return bool(summary.barred_modules) or not summary.certificate_eligible

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        role = int(role)
        if column >= FIXED_COLUMNS:
            c = column - FIXED_COLUMNS
            if role == _DISPLAY:
                status = self.marks.get((self.enrolment_ids[row], self.session_ids[c]))
                return STATUS_CODES[status] if status else ""
            if role == _BACKGROUND:
                status = self.marks.get((self.enrolment_ids[row], self.session_ids[c]))
                brush = BRUSHES[(status, self.locked[c])]
                if brush is None and self.future[c]:
                    return FUTURE_BG
                return brush
            if role == _FOREGROUND:
                if self.locked[c] or self.inactive[row]:
                    return LOCKED_FG
                status = self.marks.get((self.enrolment_ids[row], self.session_ids[c]))
                return FG_BRUSHES.get(status) if status else None
            if role == _ALIGN:
                return _CENTER
            if role == STATUS_ROLE:
                return self.marks.get((self.enrolment_ids[row], self.session_ids[c]))
            if role == _TOOLTIP:
                return self._cell_tooltip(row, c)
            return None
        if role == _DISPLAY:
            if column == NAME_COLUMN:
                return self.grid.learners[row].full_name
            summary = self.summary_at(row)
            return tr("attendance_tab", "{periods} ({share})").format(periods=summary.absent_periods,
                                                                      share=share_text(summary.absent_share))
        if role == _BACKGROUND:
            if not self.over_limit(row):
                return None
            return BARRED_BG if self.barred(row) else RESTORED_BG
        if role == _FOREGROUND:
            return INACTIVE_FG if self.inactive[row] else None
        if role == _FONT:
            return ITALIC if self.inactive[row] else None
        if role == _TOOLTIP:
            return self._learner_tooltip(row, detailed=column == ABSENCE_COLUMN)
        if role == _ALIGN and column == ABSENCE_COLUMN:
            return _RIGHT
        return None

    def multiData(self, index: Index, span: QModelRoleDataSpan | QModelRoleData) -> None:  # noqa: N802
        """What the view's delegate asks of a cell at once (seven roles): one Python call per
        session cell, not seven, so that painting or scrolling the grid stays quick."""
        if not index.isValid():
            return
        row, column = index.row(), index.column()
        if column < FIXED_COLUMNS:
            for item in _role_data(span):
                item.setData(self.data(index, item.role()))
            return
        c = column - FIXED_COLUMNS
        status = self.marks.get((self.enrolment_ids[row], self.session_ids[c]))
        for item in _role_data(span):
            role = item.role()
            if role == _DISPLAY:
                item.setData(STATUS_CODES[status] if status else "")
            elif role == _BACKGROUND:
                brush = BRUSHES[(status, self.locked[c])]
                if brush is None and self.future[c]:
                    brush = FUTURE_BG
                item.setData(brush) if brush is not None else item.clearData()
            elif role == _FOREGROUND:
                brush = LOCKED_FG if self.locked[c] or self.inactive[row] else FG_BRUSHES.get(status) if status else None
                item.setData(brush) if brush is not None else item.clearData()
            elif role == _ALIGN:
                item.setData(_CENTER)
            else:
                item.clearData()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        role = int(role)
        if orientation == Qt.Orientation.Vertical:
            if role == _DISPLAY and 0 <= section < len(self.enrolment_ids):
                return str(section + 1)
            return None
        if section == NAME_COLUMN:
            return tr("attendance_tab", "Họ và tên") if role == _DISPLAY else None
        if section == ABSENCE_COLUMN:
            if role == _DISPLAY:
                return tr("attendance_tab", "Vắng\n(tiết, %)")
            if role == _TOOLTIP:
                return tr("attendance_tab", "Số tiết vắng trên cả khóa và tỷ lệ; giới hạn {limit} ({scope}).").format(
                    limit=self.grid.rules.limit_text, scope=scope_text(self.grid.rules.scope))
            return None
        c = section - FIXED_COLUMNS
        if not 0 <= c < len(self.session_ids):
            return None
        if role == _DISPLAY:
            header = self._headers[c]
            if header is None:
                s = self.grid.sessions[c]
                half = tr("attendance_tab", HALF_SHORT[s.half]) if s.half in HALF_SHORT else "?"
                header = f"{s.date.day}/{s.date.month}\n{half}\n{s.module_code or ''}"
                self._headers[c] = header
            return header
        if role == _TOOLTIP:
            return self._session_tooltip(c)
        if role == _FOREGROUND:
            return LOCKED_FG if self.locked[c] else None
        if role == _FONT and c == self._today_column:
            return BOLD
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _CELL_FLAGS if index.isValid() else _NO_FLAGS

    # --- tooltips (built on demand) -----------------------------------------------------------
    def _session_tooltip(self, c: int) -> str:
        return session_tooltip(self.grid.sessions[c], locked=self.locked[c], future=self.future[c])

    def _cell_tooltip(self, row: int, c: int) -> str:
        s = self.grid.sessions[c]
        return cell_tooltip(self.grid.learners[row].full_name, s, self.marks.get((self.enrolment_ids[row], s.id)),
                            locked=self.locked[c])

    def _learner_tooltip(self, row: int, *, detailed: bool) -> str:
        return learner_tooltip(self.grid.learners[row], self.summary_at(row), self.grid.rules.limit_text,
                               inactive=self.inactive[row], detailed=detailed)

    # --- changing ------------------------------------------------------------------------------
    def make_edit(self, cells: Iterable[tuple[int, int, str | None]]) -> Edit:
        """An edit from (row, column, status) cells; cells already so are left out. Raises
        EditRefused for what the grid knows the core would refuse, and for a locked session
        when the account may not change it."""
        if not self.can_mark:
            raise EditRefused(tr("attendance_tab", "Tài khoản này không có quyền điểm danh lớp {code}.").format(
                code=self.grid.class_code))
        changes: dict[tuple[int, int], CellChange] = {}
        locked = False
        for row, column, status in cells:
            c = column - FIXED_COLUMNS
            if not (0 <= row < len(self.enrolment_ids) and 0 <= c < len(self.session_ids)):
                continue
            key = (self.enrolment_ids[row], self.session_ids[c])
            old = self.marks.get(key)
            if old == status:
                changes.pop(key, None)
                continue
            s = self.grid.sessions[c]
            if self.future[c] and status in ("present", "late", "unexcused"):
                raise EditRefused(tr("attendance_tab", "Buổi {slot} chưa diễn ra: chỉ ghi trước được vắng có phép (P).")
                                  .format(slot=slot_text(s)))
            if self.locked[c]:
                if not self.can_override:
                    raise EditRefused(tr("attendance_tab", "Điểm danh buổi {slot} đã khóa; tài khoản này không có "
                                                           "quyền sửa điểm danh đã khóa.").format(slot=slot_text(s)))
                locked = True
            changes[key] = CellChange(key[0], key[1], old, status)
        return Edit(tuple(changes.values()), locked)

    def apply(self, edit: Edit) -> None:
        """Show an edit at once (optimistic) and recompute the learners' summaries."""
        self.grid.apply(edit.changes_for_core())
        self._changed(edit.changes)

    def revert_edit(self, edit: Edit) -> None:
        """Put back the cells of an edit that could not be saved (those not changed again since)."""
        known = [c for c in edit.changes  # the grid may have been reloaded meanwhile
                 if c.enrolment_id in self.grid.learner_row and c.session_id in self.grid.session_column]
        self.grid.apply([(c.enrolment_id, c.session_id, c.old) for c in known
                         if self.marks.get((c.enrolment_id, c.session_id)) == c.new])
        self._changed(known)

    def _changed(self, changes: Sequence[CellChange]) -> None:
        if not changes:
            return
        rows = [self.grid.learner_row[c.enrolment_id] for c in changes]
        columns = [self.grid.session_column[c.session_id] + FIXED_COLUMNS for c in changes]
        top, bottom = min(rows), max(rows)
        self.dataChanged.emit(self.index(top, min(columns)), self.index(bottom, max(columns)))
        self.dataChanged.emit(self.index(top, NAME_COLUMN), self.index(bottom, ABSENCE_COLUMN))

    def add_makeup(self, enrolment_id: int, module_id: int, periods: int) -> None:
        """Show make-up lessons just recorded (the summary and the highlight follow)."""
        key = (enrolment_id, module_id)
        self.grid.makeups[key] = self.grid.makeups.get(key, 0) + periods
        self.grid.recompute(enrolment_id)
        row = self.grid.learner_row[enrolment_id]
        self.dataChanged.emit(self.index(row, NAME_COLUMN), self.index(row, ABSENCE_COLUMN))


def fetch_grid(session: Session, class_code: str, today: dt.date | None = None) -> tuple[AttendanceGrid, bool, bool]:
    """The class's grid (one core call) and what the acting account may do with it. Runs on the worker."""
    grid = attendance_grid(session, class_code, today=today)
    can_mark = operations.may(session, "mark_attendance", class_id=grid.class_id)
    can_override = operations.may(session, "override_attendance_lock")
    return grid, can_mark, can_override


def load_grid_model(db: Database, class_code: str, *, today: dt.date | None = None,
                    login: Login | None = None) -> AttendanceModel:
    """Load a class's grid and build its model, synchronously (benchmarks, tests)."""
    with operations.reading(db, login) as session:
        grid, can_mark, can_override = fetch_grid(session, class_code, today)
    model = AttendanceModel(grid, can_mark=can_mark, can_override=can_override)
    model.database = db
    model.login = login
    return model


def mark(model: AttendanceModel, row: int, col: int, status: str | None, *, reason: str | None = None) -> None:
    """One key press, saved synchronously: `col` is the model's column (sessions start at
    FIXED_COLUMNS). Shows the mark at once, writes it, puts it back and raises if refused."""
    assert model.database is not None, "load the model with load_grid_model"
    edit = model.make_edit([(row, col, status)]).with_reason(reason)
    if not edit:
        return
    model.apply(edit)
    try:
        with operations.writing(model.database, model.login) as session:
            write_edit(session, model.grid.class_id, edit, model.today)
    except BaseException:
        model.revert_edit(edit)
        raise
    model.undo_stack.append(edit)


__all__ = [
    "ABSENCE_COLUMN", "FIXED_COLUMNS", "NAME_COLUMN", "STATUS_ROLE", "AttendanceModel", "CellChange", "Edit",
    "EditRefused", "fetch_grid", "load_grid_model", "mark", "module_line", "slot_text", "write_edit",
]
