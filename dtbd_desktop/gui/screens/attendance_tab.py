"""The attendance tab of a class: learners x sessions, marked from the keyboard alone.

Keys: C có mặt, P vắng có phép, K vắng không phép, M đi muộn, Delete clears; after a key the
cursor moves down. With several cells selected a key marks them all. Ctrl+Z undoes the last
step (a key, a paste, "everyone present"), Ctrl+V pastes a block of letters copied from Excel,
Ctrl+C copies the selection as such a block, Ctrl+Shift+A marks everyone not yet marked
present in the current session, F5 reloads.

Each change is shown at once and written on the worker (`ctx.write`, one small transaction);
a refused write puts the cells back and says why. Names and absences stay frozen at the left
(a second view over the same model).
"""

from __future__ import annotations

import datetime as dt

import shiboken6
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.models.attendance_model import (
    FIXED_COLUMNS,
    AttendanceModel,
    Edit,
    EditRefused,
    fetch_grid,
    write_edit,
)
from dtbd_desktop.gui.screens.attendance_actions import ActionsMixin
from dtbd_desktop.gui.screens.attendance_panel import LearnerPanel
from dtbd_desktop.gui.screens.attendance_views import frozen_grid, layout_columns
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.common import ALERT_STYLE, QUIET_STYLE, Buttons, MessageLabel, ask_reason
from dtbd_desktop.rules.attendance import CODE_STATUSES
from dtbd_desktop.services import attendance as att

KEY_STATUS = {getattr(Qt.Key, f"Key_{code}"): status for code, status in CODE_STATUSES.items()}
CLEAR_KEYS = {Qt.Key.Key_Delete, Qt.Key.Key_Backspace}
EVERYONE_KEYS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier | Qt.Key.Key_A


class AttendanceTab(ActionsMixin, QWidget):
    """`today` fixes the day the grid is taken on (tests); by default the real date."""

    saved = Signal()  # marks were written

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.today = today
        self.model: AttendanceModel | None = None
        self.loading = False
        self.pending = 0
        self._message_after_load: str | None = None
        self._panel_due = False

        self.names, self.table, self.names_delegate = frozen_grid(self, self.handle_key)
        self.names.clicked.connect(self._name_clicked)

        self.buttons = Buttons("attendance", focus=False)  # the grid keeps the keyboard
        marking = QHBoxLayout()
        for key, label, slot in (
            ("everyone", tr("attendance_tab", "Cả buổi có mặt"), self.everyone_present),
            ("undo", tr("attendance_tab", "Hoàn tác"), self.undo),
            ("paste", tr("attendance_tab", "Dán từ Excel"), self.paste),
            ("today", tr("attendance_tab", "Hôm nay"), self.go_to_today),
            ("reload", tr("attendance_tab", "Tải lại"), lambda: self.load()),
        ):
            marking.addWidget(self.buttons.add(key, label, slot))
        self.hint = QLabel(tr("attendance_tab", "Phím: C có mặt · P vắng có phép · K vắng không phép · M đi muộn · "
                                                "Delete xóa · Ctrl+Z hoàn tác"))
        self.hint.setStyleSheet("color: #4b5563;")
        marking.addWidget(self.hint, 1)
        printing = QHBoxLayout()
        for key, label, slot in (
            ("sign_in", tr("attendance_tab", "Danh sách ký tên buổi này..."), self.print_sign_in),
            ("summary", tr("attendance_tab", "Tổng hợp chuyên cần..."), self.print_summary),
            ("letters", tr("attendance_tab", "Công văn gửi đơn vị cử đi học..."), self.print_letters),
            ("export", tr("attendance_tab", "Xuất bảng điểm danh..."), self.export_workbook),
            ("import", tr("attendance_tab", "Nhập bảng điểm danh..."), self.import_workbook),
        ):
            printing.addWidget(self.buttons.add(key, label, slot))
        printing.addStretch(1)
        self.status = MessageLabel("attendance_status", ok_style=QUIET_STYLE, error_style=ALERT_STYLE)
        self.status.setText(tr("attendance_tab", "Đang tải bảng điểm danh..."))

        grid = QWidget()
        grid_layout = QHBoxLayout(grid)
        grid_layout.setContentsMargins(0, 0, 0, 0)
        grid_layout.setSpacing(0)
        names_box = QVBoxLayout()
        names_box.setSpacing(0)
        names_box.addWidget(self.names, 1)
        names_box.addSpacing(self.table.horizontalScrollBar().sizeHint().height())
        grid_layout.addLayout(names_box)
        grid_layout.addWidget(self.table, 1)
        self.panel = LearnerPanel()
        self.panel.makeup_button.clicked.connect(self.record_makeup)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(grid)
        splitter.addWidget(self.panel)
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([1000, 350])
        layout = QVBoxLayout(self)
        layout.addLayout(marking)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        layout.addLayout(printing)

    # --- loading ----------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.model is None and not self.loading:
            self.load()

    def load(self, message: str | None = None) -> None:
        """(Re)load the grid; `message` is shown once it is there (else the class's summary line)."""
        if self.loading:
            return
        self.loading = True
        self._message_after_load = message
        code, today = self.class_code, self.today
        self.ctx.read(lambda s: fetch_grid(s, code, today), self._loaded, self)

    def reload_if_loaded(self) -> None:
        """Reload when already shown (the timetable changed); else the first showing loads it."""
        if self.model is not None:
            self.load()

    def _loaded(self, result: tuple[att.AttendanceGrid, bool, bool]) -> None:
        if not shiboken6.isValid(self):
            return
        grid, can_mark, can_override = result
        self.loading = False
        first = self.model is None
        if self.model is None:
            self.model = AttendanceModel(grid, can_mark=can_mark, can_override=can_override, parent=self)
            self.names.setModel(self.model)
            self.table.setModel(self.model)
            self.table.selectionModel().currentChanged.connect(self._current_changed)
        else:
            self.model.reset_grid(grid, can_mark=can_mark, can_override=can_override)
        layout_columns(self.names, self.table, self.model)
        self.show_message(self._message_after_load or self._summary_text(), error=False)
        if first:
            self.go_to_today()
        self.table.setFocus()

    def _summary_text(self) -> str:
        assert self.model is not None
        grid = self.model.grid
        barred = sum(1 for row in range(self.model.rowCount()) if self.model.barred(row))
        text = tr("attendance_tab", "{learners} học viên, {sessions} buổi. Vắng quá {limit} ({rules}): {n} học viên."
                  ).format(learners=len(grid.learners), sessions=len(grid.sessions), limit=grid.rules.limit_text,
                           rules=grid.rule_set_name, n=barred)
        if not self.model.can_mark:
            text += " " + tr("attendance_tab", "Chỉ xem: tài khoản này không có quyền điểm danh lớp này.")
        return text

    def as_widget(self) -> QWidget:
        return self

    def show_message(self, message: str, *, error: bool = True) -> None:
        self.status.say(message, error=error)

    # --- moving around ----------------------------------------------------------------------
    def go_to_today(self) -> None:
        if self.model is None or self.model.rowCount() == 0 or self.model.columnCount() <= FIXED_COLUMNS:
            return
        row = max(self.table.currentIndex().row(), 0)
        index = self.model.index(row, self.model.column_of_day(self.model.today))
        self.select_cell(index.row(), index.column())
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def select_cell(self, row: int, column: int) -> None:
        """Make a cell current and the only one selected, whatever modifier keys are held (a
        capital letter typed with Shift must not extend the selection as the cursor moves down)."""
        assert self.model is not None
        self.table.selectionModel().setCurrentIndex(self.model.index(row, column),
                                                    QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def _name_clicked(self, index: QModelIndex) -> None:
        if self.model is None:
            return
        column = max(self.table.currentIndex().column(), FIXED_COLUMNS)
        self.select_cell(index.row(), column)
        self.table.setFocus()

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self.model is None or not current.isValid():
            return
        self.names_delegate.current_row = current.row()
        self.names.viewport().update()
        self.refresh_panel()

    def refresh_panel(self) -> None:
        """Show the current cell in the panel, once per pass of the event loop however many changes."""
        if not self._panel_due:
            self._panel_due = True
            QTimer.singleShot(0, self._show_panel)

    def _show_panel(self) -> None:
        self._panel_due = False
        current = self.table.currentIndex()
        if self.model is not None and current.isValid() and shiboken6.isValid(self):
            self.panel.show_cell(self.model, current.row(), current.column())

    def selected_cells(self) -> list[tuple[int, int]]:
        """(row, column) of the selected session cells; the current cell when one or none is selected."""
        cells = [(i.row(), i.column()) for i in self.table.selectionModel().selectedIndexes()
                 if i.column() >= FIXED_COLUMNS]
        if len(cells) > 1:
            return sorted(cells)
        current = self.table.currentIndex()
        return [(current.row(), current.column())] if current.isValid() and current.column() >= FIXED_COLUMNS else []

    # --- marking ----------------------------------------------------------------------------
    def handle_key(self, event: QKeyEvent) -> bool:
        """True when the key was a grid command (a status, clear, undo, paste, copy, everyone present, reload)."""
        if self.model is None:
            return False
        if event.matches(QKeySequence.StandardKey.Undo):
            self.undo()
            return True
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return True
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return True
        if event.matches(QKeySequence.StandardKey.Refresh) or event.key() == Qt.Key.Key_F5:
            self.load()
            return True
        if event.keyCombination() == EVERYONE_KEYS:
            self.everyone_present()
            return True
        modifiers = event.modifiers() & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        key = event.key()
        if key in KEY_STATUS:
            self.set_status(KEY_STATUS[key])
            return True
        if key in CLEAR_KEYS:
            self.set_status(None)
            return True
        return False

    def set_status(self, status: str | None) -> None:
        """Mark the selected cells (or the current one, then move down)."""
        cells = self.selected_cells()
        if not cells:
            return
        if self.commit([(row, column, status) for row, column in cells]) and len(cells) == 1:
            row, column = cells[0]
            assert self.model is not None
            if row + 1 < self.model.rowCount():
                self.select_cell(row + 1, column)

    def everyone_present(self) -> None:
        """Everyone still enrolled and not yet marked in the current session: present."""
        model, current = self.model, self.table.currentIndex()
        if model is None or not current.isValid() or current.column() < FIXED_COLUMNS:
            return
        column = current.column()
        cells: list[tuple[int, int, str | None]] = [(row, column, "present") for row in range(model.rowCount())
                 if not model.inactive[row] and model.status_at(row, column) is None]
        if not cells:
            self.show_message(tr("attendance_tab", "Mọi học viên đã được điểm danh trong buổi này."), error=False)
            return
        self.commit(cells)

    def commit(self, cells: list[tuple[int, int, str | None]]) -> bool:
        """Check, show and save a change of cells as one undo step; False when refused."""
        if self.model is None or self.loading:
            return False
        try:
            edit = self.model.make_edit(cells)
        except EditRefused as exc:
            self.show_message(str(exc))
            return False
        if not edit:
            return True
        if edit.locked:
            reason = self.ask_reason(len(edit))
            if not reason:
                self.show_message(tr("attendance_tab", "Chưa sửa: sửa điểm danh đã khóa cần ghi lý do."))
                return False
            edit = edit.with_reason(reason)
        self.model.undo_stack.append(edit)
        self._save(edit, undo_of=None)
        return True

    def undo(self) -> None:
        model = self.model
        if model is None or self.loading:
            return
        if not model.undo_stack:
            self.show_message(tr("attendance_tab", "Không còn thao tác nào để hoàn tác."), error=False)
            return
        edit = model.undo_stack.pop()
        first = edit.changes[0]
        self.select_cell(model.grid.learner_row[first.enrolment_id],
                         model.grid.session_column[first.session_id] + FIXED_COLUMNS)
        self._save(edit.inverse(), undo_of=edit)

    def _save(self, edit: Edit, *, undo_of: Edit | None) -> None:
        model = self.model
        assert model is not None
        model.apply(edit)
        self.refresh_panel()
        self.pending += 1
        self.show_message(tr("attendance_tab", "Đang lưu..."), error=False)
        class_id, today = model.grid.class_id, model.today

        def done(_changed: int) -> None:
            if not shiboken6.isValid(self):
                return
            self.pending -= 1
            if not self.pending:
                self.show_message(tr("attendance_tab", "Đã lưu."), error=False)
            self.saved.emit()

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            self.pending -= 1
            model.revert_edit(edit)
            if undo_of is not None:
                model.undo_stack.append(undo_of)
            elif edit in model.undo_stack:
                model.undo_stack.remove(edit)
            self.refresh_panel()
            self.show_message(tr("attendance_tab", "Chưa lưu được, đã trả lại như cũ: {error}").format(
                error=error_text(exc)))

        self.ctx.write(lambda s: write_edit(s, class_id, edit, today), done, self, on_failed=failed)

    def ask_reason(self, cells: int) -> str | None:
        """The reason for changing `cells` marks of locked sessions (tests patch this)."""
        return ask_reason(self, tr("attendance_tab", "Sửa điểm danh đã khóa"), tr(
            "attendance_tab", "Điểm danh đã khóa (quá số ngày cho phép). Lý do sửa {n} ô:").format(n=cells)) or None
