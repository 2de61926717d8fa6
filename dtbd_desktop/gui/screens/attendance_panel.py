"""Beside the attendance grid: the current session and learner (absences per module against the
limit, the explanation), and the make-up dialog (học bổ sung)."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.models.attendance_model import FIXED_COLUMNS, AttendanceModel, slot_text
from dtbd_desktop.gui.table_model import Column, RowTableModel
from dtbd_desktop.gui.widgets.date_field import DateField, dates_ok
from dtbd_desktop.rules.attendance import STATUS_CODES, ModuleAbsence, status_label

RIGHT = Qt.AlignmentFlag.AlignRight


def _share(m: ModuleAbsence) -> str:
    if not m.periods:
        return "–"
    return f"{m.absent_periods * 100 / m.periods:.1f}".replace(".", ",") + "%"


def _verdict(m: ModuleAbsence) -> str:
    if m.barred:
        return tr("attendance_panel", "Không được thi")
    if m.over_limit:
        return tr("attendance_panel", "Quá giới hạn")
    if m.absent_periods > m.counted_periods:
        return tr("attendance_panel", "Đã bù")
    return ""


def module_columns() -> list[Column[ModuleAbsence]]:
    return [
        Column(tr("attendance_panel", "Học phần"), lambda m: m.code),
        Column(tr("attendance_panel", "Vắng"), lambda m: f"{m.absent_periods}/{m.periods}", align=RIGHT),
        Column(tr("attendance_panel", "Tỷ lệ"), _share, align=RIGHT),
        Column(tr("attendance_panel", "Bù"), lambda m: m.made_up_periods or "", align=RIGHT),
        Column(tr("attendance_panel", "Kết luận"), _verdict),
    ]


class LearnerPanel(QWidget):
    """The current session (who is marked how) and the current learner's absences per module."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.info = QTextBrowser()  # wraps and scrolls by itself, unlike labels in a splitter
        self.info.setObjectName("attendance_info")
        self.info.setFrameShape(QFrame.Shape.NoFrame)
        self.info.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.info.viewport().setAutoFillBackground(False)
        self.info.setFixedHeight(self.fontMetrics().lineSpacing() * 12 + 10)
        self.explanations: list[str] = []
        self.modules: RowTableModel[ModuleAbsence] = RowTableModel(module_columns(), self)
        self.table = QTableView()
        self.table.setObjectName("module_absences")
        self.table.setModel(self.modules)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(20)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # not to contents: it is redone on every key
        metrics = self.table.fontMetrics()
        for column, sample in enumerate(("III.3", "00/000", "00,0%", "00")):
            header.resizeSection(column, max(metrics.horizontalAdvance(sample),
                                             metrics.horizontalAdvance(self.modules.columns[column].title)) + 10)
        header.setStretchLastSection(True)
        self._learner: int | None = None
        self.makeup_button = QPushButton(tr("attendance_panel", "Ghi học bổ sung..."))
        self.makeup_button.setObjectName("attendance_makeup")
        self.makeup_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the grid keeps the keyboard
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.info)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.makeup_button)

    def show_cell(self, model: AttendanceModel, row: int, column: int) -> None:
        parts: list[str] = []
        session = model.session_at(column)
        if session is not None:
            counts = model.grid.session_counts(session.id)
            tally = [f"{STATUS_CODES[s]} {counts[s]}" for s in STATUS_CODES]
            tally.append(tr("attendance_panel", "chưa {n}").format(n=counts["none"]))
            parts += [f"<b>{escape(slot_text(session))}</b>",
                      escape(f"{session.module_code or ''} {session.module_name or ''}".strip()),
                      escape(tr("attendance_panel", "{periods} tiết · GV: {lecturer}").format(
                          periods=session.periods, lecturer=session.lecturer or "–")),
                      " · ".join(tally)]
            if model.locked[column - FIXED_COLUMNS]:
                parts.append("<i>" + escape(tr("attendance_panel", "Đã khóa: sửa cần quyền và lý do.")) + "</i>")
        self.explanations = []
        if 0 <= row < model.rowCount():
            learner = model.grid.learners[row]
            summary = model.summary_at(row)
            self.explanations = list(summary.explanations)
            status = model.status_at(row, column) if session is not None else None
            parts += ["", f"<b>{escape(learner.full_name)}</b>"]
            if learner.organisation:
                parts.append(escape(learner.organisation))
            if session is not None:
                parts.append(escape(tr("attendance_panel", "Buổi này: {status}").format(
                    status=status_label(status) if status else tr("attendance_panel", "chưa điểm danh"))))
            parts.append(escape(tr("attendance_panel", "Cả khóa: vắng {absent}/{total} tiết; giới hạn {limit}").format(
                absent=summary.absent_periods, total=summary.course_periods, limit=model.grid.rules.limit_text)))
            parts += [f'<span style="color:#991b1b">{escape(line)}</span>' for line in summary.explanations]
            if learner.enrolment_id == self._learner and len(summary.modules) == len(self.modules.rows):
                self.modules.rows = list(summary.modules)  # same learner: repaint, no reset
                self.modules.dataChanged.emit(self.modules.index(0, 0), self.modules.index(
                    len(self.modules.rows) - 1, self.modules.columnCount() - 1))
            else:
                self.modules.set_rows(summary.modules)
            self._learner = learner.enrolment_id
        else:
            self._learner = None
            self.modules.set_rows([])
        self.info.setHtml("<br>".join(parts))


class MakeUpDialog(QDialog):
    """Record make-up lessons of one learner: the module (those with absences not yet made up),
    the day and the periods."""

    def __init__(self, full_name: str, modules: list[ModuleAbsence], today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("attendance_panel", "Học bổ sung – {name}").format(name=full_name))
        self.module = QComboBox()
        self.module.setObjectName("makeup_module")
        for m in modules:
            open_periods = m.absent_periods - m.made_up_periods
            self.module.addItem(tr("attendance_panel", "{code}: vắng {absent} tiết, còn {open} tiết chưa bù").format(
                code=m.code, absent=m.absent_periods, open=open_periods), (m.code, m.module_id, open_periods))
        self.date = DateField(QDate(today.year, today.month, today.day))
        self.date.setObjectName("makeup_date")
        self.periods = QSpinBox()
        self.periods.setObjectName("makeup_periods")
        self.note = QLineEdit()
        self.note.setObjectName("makeup_note")
        self.note.setPlaceholderText(tr("attendance_panel", "Học cùng lớp nào, giảng viên nào..."))
        form = QFormLayout()
        form.addRow(tr("attendance_panel", "Học phần:"), self.module)
        form.addRow(tr("attendance_panel", "Ngày học bổ sung:"), self.date)
        form.addRow(tr("attendance_panel", "Số tiết:"), self.periods)
        form.addRow(tr("attendance_panel", "Ghi chú:"), self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("attendance_panel", "Ghi nhận"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("attendance_panel", "Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.module.currentIndexChanged.connect(self._module_changed)
        self._module_changed()

    def _module_changed(self) -> None:
        data = self.module.currentData()
        open_periods = data[2] if data else 0
        self.periods.setRange(1, max(1, open_periods))
        self.periods.setValue(max(1, open_periods))

    def accept(self) -> None:
        if dates_ok(self):  # a date typed wrong is shown, not replaced by the old one
            super().accept()

    def values(self) -> tuple[str, int, dt.date, int, str]:
        """(module code, module id, date, periods, note)."""
        code, module_id, _open = self.module.currentData()
        q = self.date.date()
        return code, module_id, dt.date(q.year(), q.month(), q.day()), self.periods.value(), self.note.text()
