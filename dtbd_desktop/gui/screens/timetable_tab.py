"""The timetable tab of a class: a week or month view; generate or regenerate the whole timetable
after a preview ("Tạo thời khóa biểu...", `dialogs.timetable_generate`); move a session (drag it
in the week view, or "Dời buổi..."), assign lecturers, add lessons, field trips and exams (the
module and lecturer of the last one added come back), delete a session.
Conflicts (a lecturer teaching two classes in one half-day, a session on a holiday or outside
the class's dates) are listed below the view and flagged on the sessions; two sessions of the
class in one half-day are refused by the core, and a drop onto a taken half-day is not offered.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.timetable_dialogs import (
    AddSessionDialog,
    LecturerDialog,
    MoveDialog,
    NewSession,
)
from dtbd_desktop.gui.dialogs.timetable_generate import GenerateDialog
from dtbd_desktop.gui.models.timetable_model import (
    MONTH,
    WEEK,
    TimetableData,
    TimetableModel,
    fetch_timetable,
)
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.common import ALERT_STYLE, QUIET_STYLE, Buttons, MessageLabel, ask_reason
from dtbd_desktop.rules import timetable
from dtbd_desktop.services import timetable as tts
from dtbd_desktop.services.timetable import SessionRow


def describe(s: SessionRow) -> str:
    """"I.1, sáng Thứ Bảy 12/09/2026"."""
    what = s.module_code or timetable.session_kind_label(s.kind)
    return tr("timetable_tab", "{what}, {half} {weekday} {date}").format(
        what=what, half=timetable.half_label(s.half).lower(), weekday=timetable.weekday_label(s.date),
        date=text.format_date(s.date))


class TimetableTab(QWidget):
    """`today` is the day the view opens on (tests); by default the real date."""

    changed = Signal()  # the timetable was changed (the attendance grid reloads)

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None, *,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.today = today or dt.date.today()
        self.data: TimetableData | None = None
        self.loading = False
        self.model = TimetableModel(self)
        self.model.today = self.today
        self.model.move_requested.connect(self.move_to)
        self.generator: GenerateDialog | None = None
        self.last_module: str | None = None  # of the last session added: the next one starts with them
        self.last_lecturer: int | None = None

        self.view = QTableView()
        self.view.setObjectName("timetable_view")
        self.view.setModel(self.model)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setWordWrap(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.doubleClicked.connect(self._double_clicked)

        self.title = QLabel()
        self.title.setObjectName("timetable_title")
        self.title.setStyleSheet("font-weight: bold;")
        self.mode = QComboBox()
        self.mode.setObjectName("timetable_mode")
        self.mode.addItem(tr("timetable_tab", "Tuần"), WEEK)
        self.mode.addItem(tr("timetable_tab", "Tháng"), MONTH)
        self.mode.currentIndexChanged.connect(lambda _i: self.set_mode(self.mode.currentData()))
        self.buttons = Buttons("timetable")
        top = QHBoxLayout()
        top.addWidget(self.buttons.add("previous", "◀", lambda: self.step(False)))
        top.addWidget(self.buttons.add("today", tr("timetable_tab", "Hôm nay"), self.go_to_today))
        top.addWidget(self.buttons.add("next", "▶", lambda: self.step(True)))
        top.addWidget(self.title, 1)
        top.addWidget(self.mode)
        actions = QHBoxLayout()
        for key, label, slot in (
            ("generate", tr("timetable_tab", "Tạo thời khóa biểu..."), self.open_generator),
            ("add", tr("timetable_tab", "Thêm buổi học..."), lambda: self.add_session("lesson")),
            ("field_trip", tr("timetable_tab", "Thêm buổi đi thực tế..."), lambda: self.add_session("field_trip")),
            ("exam", tr("timetable_tab", "Thêm buổi thi..."), lambda: self.add_session("exam")),
            ("move", tr("timetable_tab", "Dời buổi..."), self.move_selected),
            ("lecturer", tr("timetable_tab", "Phân công giảng viên..."), self.assign_lecturer),
            ("delete", tr("timetable_tab", "Xóa buổi"), self.delete_selected),
        ):
            actions.addWidget(self.buttons.add(key, label, slot))
        actions.addStretch(1)
        self.message = MessageLabel("timetable_message", ok_style=QUIET_STYLE, error_style=ALERT_STYLE)
        self.conflicts = QListWidget()
        self.conflicts.setObjectName("timetable_conflicts")
        self.conflicts.itemActivated.connect(self._conflict_chosen)
        self.conflicts.itemClicked.connect(self._conflict_chosen)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(actions)
        layout.addWidget(self.message)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.conflicts)

    # --- loading and moving around ----------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self.data is None and not self.loading:
            self.load()

    def load(self, message: str | None = None) -> None:
        """(Re)load the timetable; `message` is shown once it is there (else the count of sessions)."""
        self.loading = True
        code = self.class_code
        self.ctx.read(lambda s: fetch_timetable(s, code), lambda data: self._loaded(data, message), self)

    def _loaded(self, data: TimetableData, message: str | None = None) -> None:
        if not shiboken6.isValid(self):
            return
        first = self.data is None
        self.loading = False
        self.data = data
        self.model.set_timetable(data)
        if first:
            self.go_to_today()
        self._show_conflicts()
        if message is None and not data.sessions:
            message = tr("timetable_tab", "Lớp chưa có thời khóa biểu ({start} – {end}): bấm \"Tạo thời khóa biểu...\" "
                                          "để xếp các học phần vào các buổi học.").format(
                start=text.format_date(data.start), end=text.format_date(data.end))
        self.say(message or tr("timetable_tab", "{n} buổi học từ {start} đến {end}; {conflicts} trùng lịch.").format(
            n=len(data.sessions), start=text.format_date(data.start), end=text.format_date(data.end),
            conflicts=len(data.conflicts)), error=False)

    def _show_conflicts(self) -> None:
        assert self.data is not None
        self.conflicts.clear()
        for c in self.data.conflicts:
            item = QListWidgetItem("⚠ " + c.message)
            item.setData(Qt.ItemDataRole.UserRole, c.date)
            self.conflicts.addItem(item)
        self.conflicts.setVisible(bool(self.data.conflicts))
        rows = min(max(self.conflicts.count(), 1), 4)
        self.conflicts.setFixedHeight(rows * self.conflicts.fontMetrics().lineSpacing() + 8)

    def say(self, message: str, *, error: bool = True) -> None:
        self.message.say(message, error=error)

    def show_day(self, day: dt.date, mode: str | None = None) -> None:
        self.model.show(mode or self.model.mode, day)
        self.title.setText(self.model.title())
        self.mode.blockSignals(True)
        self.mode.setCurrentIndex(self.mode.findData(self.model.mode))
        self.mode.blockSignals(False)

    def go_to_today(self) -> None:
        """The week of today during the class, else of its nearest end."""
        day = self.today
        if self.data is not None:
            day = min(max(day, self.data.start), self.data.end)
            upcoming = [s.date for s in self.data.sessions if s.date >= day]
            if upcoming and (upcoming[0] - day).days < 14:
                day = upcoming[0]
        self.show_day(day)

    def step(self, forward: bool) -> None:
        self.model.step(forward)
        self.title.setText(self.model.title())

    def set_mode(self, mode: str) -> None:
        selected = self.view.currentIndex()
        day = self.model.day_at(selected) if selected.isValid() else self.model.anchor
        self.show_day(day, mode)

    def _double_clicked(self, index: QModelIndex) -> None:
        if self.model.mode == MONTH:
            self.show_day(self.model.day_at(index), WEEK)
        elif self.model.session_at(index) is not None:
            self.assign_lecturer()

    def _conflict_chosen(self, item: QListWidgetItem) -> None:
        self.show_day(item.data(Qt.ItemDataRole.UserRole), WEEK)

    def select_session(self, s: SessionRow) -> None:
        """Show the week of a session and select it."""
        self.show_day(s.date, WEEK)
        self.view.setCurrentIndex(self.model.index_of(s))

    def selected_session(self) -> SessionRow | None:
        s = self.model.session_at(self.view.currentIndex())
        if s is None:
            self.say(tr("timetable_tab", "Hãy chọn một buổi học trong tuần trước (ở chế độ tháng: nhấn đúp vào ngày)."))
        return s

    # --- changing ---------------------------------------------------------------------------
    def _write(self, fn: Callable[[Session], Any], done_message: str) -> None:
        def done(_result: Any) -> None:
            if not shiboken6.isValid(self):
                return
            self.changed.emit()
            self.load(done_message)

        def failed(exc: BaseException) -> None:
            if shiboken6.isValid(self):
                self.say(error_text(exc))

        self.ctx.write(fn, done, self, on_failed=failed)

    def open_generator(self) -> None:
        """The generation dialog, with its preview; the timetable reloads once it is saved."""
        if self.data is None:
            return
        self.generator = GenerateDialog(self.ctx, self.class_code, bool(self.data.sessions), self)
        self.generator.generated.connect(self._generated)
        self.generator.launch()

    def _generated(self, message: str) -> None:
        if shiboken6.isValid(self):
            self.changed.emit()
            self.load(message)

    def add_session(self, kind: str) -> None:
        if self.data is None:
            return
        index = self.view.currentIndex()
        day = self.model.day_at(index) if index.isValid() else self.model.anchor
        half = self.model.half_at(index) if index.isValid() else None
        new = self.ask_new_session(day, half or "morning", kind)
        if new is None:
            return
        self.last_module, self.last_lecturer = new.module_code, new.lecturer_id
        code = self.class_code

        def job(s: Session) -> None:
            tts.add_session(s, code, day=new.day, half=new.half, kind=new.kind, module_code=new.module_code,
                            periods=new.periods, lecturer_id=new.lecturer_id, topic=new.topic)

        self._write(job, tr("timetable_tab", "Đã thêm buổi {kind} {half} {date}.").format(
            kind=timetable.session_kind_label(new.kind).lower(), half=timetable.half_label(new.half).lower(),
            date=text.format_date(new.day)))

    def move_selected(self) -> None:
        s = self.selected_session()
        if s is None:
            return
        target = self.ask_move(s)
        if target is not None:
            self.move_to(s.id, *target)

    def move_to(self, session_id: int, day: dt.date, half: str) -> None:
        self._write(lambda s: tts.move_session(s, session_id, day, half),
                    tr("timetable_tab", "Đã dời buổi học sang {half} {date}.").format(
                        half=timetable.half_label(half).lower(), date=text.format_date(day)))

    def assign_lecturer(self) -> None:
        s = self.selected_session()
        if s is None or self.data is None:
            return
        choice = self.ask_lecturer(s)
        if choice is None:
            return
        lecturer_id, whole_module = choice
        self._write(lambda session: tts.assign_lecturer(session, s.id, lecturer_id, whole_module=whole_module),
                    tr("timetable_tab", "Đã phân công giảng viên."))

    def delete_selected(self) -> None:
        s = self.selected_session()
        if s is None:
            return
        reason: str | None = None
        if s.marks:
            reason = self.ask_delete_reason(s)
            if not reason:
                return
        elif not self.confirm_delete(s):
            return
        self._write(lambda session: tts.delete_session(session, s.id, force=bool(reason), reason=reason),
                    tr("timetable_tab", "Đã xóa buổi {what}.").format(what=describe(s)))

    # --- questions (tests patch these) ------------------------------------------------------
    def ask_new_session(self, day: dt.date, half: str, kind: str) -> NewSession | None:
        assert self.data is not None
        dialog = AddSessionDialog(day, half, kind, self.data.modules, self.data.lecturers, self,
                                  module=self.last_module, lecturer=self.last_lecturer)
        return dialog.value() if dialog.exec() == AddSessionDialog.DialogCode.Accepted else None

    def ask_move(self, s: SessionRow) -> tuple[dt.date, str] | None:
        dialog = MoveDialog(describe(s), s.date, s.half, self)
        return dialog.value() if dialog.exec() == MoveDialog.DialogCode.Accepted else None

    def ask_lecturer(self, s: SessionRow) -> tuple[int | None, bool] | None:
        assert self.data is not None
        dialog = LecturerDialog(describe(s), self.data.lecturers, s.lecturer_id, s.module_id is not None, self)
        return dialog.value() if dialog.exec() == LecturerDialog.DialogCode.Accepted else None

    def confirm_delete(self, s: SessionRow) -> bool:
        return QMessageBox.question(self, tr("timetable_tab", "Xóa buổi học"), tr(
            "timetable_tab", "Xóa buổi {what}?").format(what=describe(s))) == QMessageBox.StandardButton.Yes

    def ask_delete_reason(self, s: SessionRow) -> str | None:
        return ask_reason(self, tr("timetable_tab", "Xóa buổi đã điểm danh"), tr(
            "timetable_tab", "Buổi {what} đã điểm danh {n} lượt; xóa buổi sẽ xóa cả điểm danh. Lý do:").format(
            what=describe(s), n=s.marks)) or None
