"""*Tạo thời khóa biểu...*: generate a class's whole timetable, or regenerate it, after a preview.

The options are those the core offers (`services.timetable.plan_timetable`): the day to start
from, the weekdays and half-days the class meets, the periods of a session; holidays are the
centre's calendar. Each change of an option asks the core for a new preview (on the read lane):
how many sessions, from when to when, module by module, and what to look at (a lecturer
teaching another class at the same time, holidays skipped, sessions with attendance that stay).
Saving a timetable that replaces sessions says what will change and asks first; the core refuses
the save if the class's sessions changed since the preview.
"""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

import shiboken6
from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.timetable_dialogs import date_edit, to_date
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.common import ERROR_STYLE, MessageLabel
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.rules import timetable
from dtbd_desktop.services import timetable as tts
from dtbd_desktop.services.timetable import ModulePlan, TimetablePlan

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTRE = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignVCenter


class Options(TypedDict):
    """The options of `services.timetable.plan_timetable` as the dialog's widgets hold them."""

    start: dt.date
    weekdays: list[int]
    halves: list[str]
    periods_per_session: int


def qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def module_columns() -> list[Column[ModulePlan]]:
    def day(d: dt.date | None) -> str:
        return text.format_date(d) if d else ""

    return [
        Column(tr("timetable_generate", "Học phần"), lambda m: m.code),
        Column(tr("timetable_generate", "Tên học phần"), lambda m: m.name),
        Column(tr("timetable_generate", "Số tiết"), lambda m: m.periods, align=RIGHT),
        Column(tr("timetable_generate", "Đã có"), lambda m: m.kept_periods or "", align=RIGHT,
               tooltip=lambda _m: tr("timetable_generate", "Số tiết của các buổi được giữ nguyên")),
        Column(tr("timetable_generate", "Buổi mới"), lambda m: m.sessions or "", align=RIGHT),
        Column(tr("timetable_generate", "Từ ngày"), lambda m: day(m.first), sort=lambda m: m.first, align=CENTRE),
        Column(tr("timetable_generate", "Đến ngày"), lambda m: day(m.last), sort=lambda m: m.last, align=CENTRE),
        Column(tr("timetable_generate", "Giảng viên"), lambda m: m.lecturer or ""),
    ]


def summary_text(plan: TimetablePlan) -> str:
    """What saving would do, in one or two sentences."""
    added = (tr("timetable_generate", "Thêm {n} buổi học, từ {first} đến {last}.").format(
        n=len(plan.sessions), first=text.format_date(plan.first), last=text.format_date(plan.last))
        if plan.sessions else tr("timetable_generate", "Không cần thêm buổi nào."))
    if not plan.kept and not plan.removed:
        return added
    lines = [added]
    if plan.removed:
        lines.append(tr("timetable_generate", "Xóa {n} buổi chưa điểm danh của thời khóa biểu hiện có.").format(
            n=len(plan.removed)))
    if plan.kept:
        held = sum(1 for r in plan.kept if r.date < plan.start)
        marked = sum(1 for r in plan.kept if r.date >= plan.start and r.marks)
        other = len(plan.kept) - held - marked
        parts = []
        if held:
            parts.append(tr("timetable_generate", "{n} buổi trước ngày {start}").format(
                n=held, start=text.format_date(plan.start)))
        if marked:
            parts.append(tr("timetable_generate", "{n} buổi đã điểm danh từ ngày đó").format(n=marked))
        if other:
            parts.append(tr("timetable_generate", "{n} buổi đi thực tế hoặc thêm bằng tay").format(n=other))
        lines.append(tr("timetable_generate", "Giữ nguyên {n} buổi: {parts}.").format(
            n=len(plan.kept), parts=", ".join(parts)))
    return " ".join(lines)


class GenerateDialog(QDialog):
    """`has_sessions`: the class already has a timetable (a regeneration)."""

    generated = Signal(str)  # what was done, for the tab's line of news

    def __init__(self, ctx: AppContext, class_code: str, has_sessions: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.has_sessions = has_sessions
        self.plan: TimetablePlan | None = None
        self.asked = 0  # previews asked for; an older answer is dropped
        self.saving = False
        self.notice = ""  # why the last save was refused, shown with the next preview
        self.setWindowTitle(tr("timetable_generate", "Lập lại thời khóa biểu lớp {code}").format(code=class_code)
                            if has_sessions else
                            tr("timetable_generate", "Tạo thời khóa biểu lớp {code}").format(code=class_code))
        fit_to_screen(self, 1080, 640)

        self.start = date_edit(dt.date.today())
        self.start.setObjectName("generate_start")
        self.weekdays: dict[int, QCheckBox] = {}
        days = QHBoxLayout()
        for iso in range(1, 8):
            box = QCheckBox(timetable.weekday_label(dt.date(2024, 1, iso)))  # 1/1/2024 was a Monday
            box.setObjectName(f"generate_weekday_{iso}")
            self.weekdays[iso] = box
            days.addWidget(box)
        days.addStretch(1)
        self.halves: dict[str, QCheckBox] = {}
        halves = QHBoxLayout()
        for half in timetable.HALVES:
            box = QCheckBox(timetable.half_label(half))
            box.setObjectName(f"generate_half_{half}")
            self.halves[half] = box
            halves.addWidget(box)
        self.periods = QSpinBox()
        self.periods.setObjectName("generate_periods")
        self.periods.setRange(1, tts.MAX_PERIODS_PER_SESSION)
        halves.addSpacing(24)
        halves.addWidget(QLabel(tr("timetable_generate", "Số tiết mỗi buổi:")))
        halves.addWidget(self.periods)
        halves.addStretch(1)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start)
        start_row.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("timetable_generate", "Xếp lịch từ ngày:"), start_row)
        form.addRow(tr("timetable_generate", "Ngày học trong tuần:"), days)
        form.addRow(tr("timetable_generate", "Các buổi trong ngày:"), halves)
        form.addRow(tr("timetable_generate", "Ngày nghỉ:"), QLabel(tr(
            "timetable_generate", "theo lịch ngày nghỉ của Trung tâm (ngày lễ, Tết); không xếp buổi học vào các ngày "
                                  "này.")))
        if has_sessions:
            form.addRow("", QLabel(tr(
                "timetable_generate", "Giữ nguyên các buổi trước ngày bắt đầu, các buổi đã điểm danh và các buổi đi "
                                      "thực tế hoặc thêm bằng tay; các học phần chỉ xếp phần tiết còn lại.")))

        self.summary = QLabel()
        self.summary.setObjectName("generate_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        self.problem = MessageLabel("generate_problem", error_style=ERROR_STYLE)
        self.modules: RowList[ModulePlan] = RowList(module_columns(), "generate_modules", self, sortable=False)
        self.notes = QListWidget()
        self.notes.setObjectName("generate_notes")
        self.notes.setWordWrap(True)
        notes_box = QWidget()
        notes_layout = QVBoxLayout(notes_box)
        notes_layout.setContentsMargins(0, 0, 0, 0)
        notes_layout.addWidget(QLabel(tr("timetable_generate", "Cần xem lại:")))
        notes_layout.addWidget(self.notes, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.modules.table)
        split.addWidget(notes_box)
        split.setStretchFactor(0, 4)
        split.setStretchFactor(1, 1)
        split.setSizes([400, 120])

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(tr("timetable_generate", "Lưu thời khóa biểu"))
        self.save_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("timetable_generate", "Hủy"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        layout.addWidget(split, 1)
        layout.addWidget(self.buttons)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.refresh)
        self.start.dateChanged.connect(lambda _d: self._options_changed())
        for box in (*self.weekdays.values(), *self.halves.values()):
            box.toggled.connect(lambda _on: self._options_changed())
        self.periods.valueChanged.connect(lambda _v: self._options_changed())
        self._ask(None)  # the class's own options first

    def launch(self) -> None:
        """Show the dialog (window-modal, not blocking: tests drive it)."""
        self.open()

    # --- the preview --------------------------------------------------------------------------
    def options(self) -> Options:
        return {"start": to_date(self.start.date()),
                "weekdays": [d for d, box in self.weekdays.items() if box.isChecked()],
                "halves": [h for h, box in self.halves.items() if box.isChecked()],
                "periods_per_session": self.periods.value()}

    def _options_changed(self) -> None:
        """Nothing is saved from a preview of other options: the button waits for the new one."""
        self.save_button.setEnabled(False)
        self.timer.start()

    def refresh(self) -> None:
        self.timer.stop()
        self._ask(self.options())

    def _ask(self, options: Options | None) -> None:
        self.asked += 1
        number, code = self.asked, self.class_code
        self.save_button.setEnabled(False)

        def fetch(session: Session) -> TimetablePlan:
            return tts.plan_timetable(session, code, **options) if options else tts.plan_timetable(session, code)

        self.ctx.read(fetch, lambda plan: self._show(number, plan, options is None), self,
                      on_failed=self.problem.failed)

    def _show(self, number: int, plan: TimetablePlan, first: bool) -> None:
        if not shiboken6.isValid(self) or number != self.asked:
            return
        self.plan = plan
        if first:
            self._set_options(plan)
        self.summary.setText(summary_text(plan))
        shown = "\n".join(m for m in (self.notice, plan.problem or "") if m)
        self.notice = ""
        self.problem.say(shown, error=True)
        self.problem.setVisible(bool(shown))
        self.modules.set_rows(plan.modules)
        self.modules.table.resizeColumnsToContents()
        self.modules.table.setColumnWidth(1, min(self.modules.table.columnWidth(1), 420))
        self.notes.clear()
        for conflict in plan.conflicts:
            self.notes.addItem(QListWidgetItem("⚠ " + conflict.message))
        if plan.holidays:
            self.notes.addItem(QListWidgetItem(tr("timetable_generate", "Không xếp buổi học vào ngày nghỉ: {days}.")
                                               .format(days="; ".join(f"{text.format_date(h.date)} ({h.name})"
                                                                      for h in plan.holidays))))
        if not self.notes.count():
            self.notes.addItem(QListWidgetItem(tr("timetable_generate", "Không có gì cần xem lại.")))
        self.save_button.setEnabled(plan.problem is None and not self.saving)

    def _set_options(self, plan: TimetablePlan) -> None:
        """The widgets set to the options the core chose, without asking for another preview."""
        widgets = [self.start, self.periods, *self.weekdays.values(), *self.halves.values()]
        for widget in widgets:
            widget.blockSignals(True)
        self.start.setDateRange(qdate(plan.class_start), qdate(plan.class_end))
        self.start.setDate(qdate(plan.start))
        for iso, box in self.weekdays.items():
            box.setChecked(iso in plan.weekdays)
        for half, box in self.halves.items():
            box.setChecked(half in plan.halves)
        self.periods.setValue(plan.periods_per_session)
        for widget in widgets:
            widget.blockSignals(False)

    # --- saving -------------------------------------------------------------------------------
    def save(self) -> None:
        plan = self.plan
        if plan is None or plan.problem or self.timer.isActive():
            return
        if (plan.removed or plan.kept) and not self.confirm(plan):
            return
        code, options, expected = self.class_code, self.options(), plan.existing_ids
        self.saving = True
        self.save_button.setEnabled(False)

        def job(session: Session) -> tts.GenerateResult:
            return tts.generate_timetable(session, code, replace=bool(expected), expected_sessions=expected,
                                          **options)

        self.ctx.write(job, self._saved, self, on_failed=self._failed)

    def confirm(self, plan: TimetablePlan) -> bool:
        question = tr("timetable_generate", "Lập lại thời khóa biểu lớp {code}?").format(code=plan.class_code)
        return QMessageBox.question(self, tr("timetable_generate", "Lập lại thời khóa biểu"),
                                    question + "\n\n" + summary_text(plan)) == QMessageBox.StandardButton.Yes

    def _saved(self, result: tts.GenerateResult) -> None:
        self.saving = False
        if not shiboken6.isValid(self):
            return
        message = tr("timetable_generate", "Đã lập thời khóa biểu: {n} buổi mới, từ {first} đến {last}.").format(
            n=result.sessions, first=text.format_date(result.first), last=text.format_date(result.last))
        if result.kept:
            message += " " + tr("timetable_generate", "Giữ nguyên {n} buổi đã có.").format(n=result.kept)
        self.generated.emit(message)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.saving = False
        if not shiboken6.isValid(self):
            return
        self.problem.say(error_text(exc), error=True)
        self.problem.setVisible(True)
        if isinstance(exc, ConflictError):  # the timetable changed meanwhile: a fresh preview
            self.notice = error_text(exc)
            self._ask(self.options())
        elif self.plan is not None:
            self.save_button.setEnabled(self.plan.problem is None)
