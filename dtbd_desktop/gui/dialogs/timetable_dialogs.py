"""Small dialogs of the timetable tab: add a session (a lesson, a field trip, an exam), move a
session, assign a lecturer. They only collect values; the tab calls the core."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import HALVES, SESSION_KINDS
from dtbd_desktop.gui.widgets.date_field import DateField, dates_ok
from dtbd_desktop.rules import timetable


def date_edit(day: dt.date) -> DateField:
    return DateField(day)


def to_date(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def half_combo(half: str) -> QComboBox:
    combo = QComboBox()
    for key in HALVES:
        combo.addItem(timetable.half_label(key), key)
    combo.setCurrentIndex(max(0, combo.findData(half)))
    return combo


def lecturer_combo(lecturers: list[tuple[int, str]], current: int | None) -> QComboBox:
    combo = QComboBox()
    combo.addItem(tr("timetable_dialogs", "(chưa phân công)"), None)
    for lid, name in lecturers:
        combo.addItem(name, lid)
    combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


class _Form(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("timetable_dialogs", "Đồng ý"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("timetable_dialogs", "Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if dates_ok(self):  # a date typed wrong is shown, not replaced by the old one
            super().accept()


@dataclass(frozen=True)
class NewSession:
    day: dt.date
    half: str
    kind: str
    module_code: str | None
    periods: int
    lecturer_id: int | None
    topic: str | None


class AddSessionDialog(_Form):
    """A session to add: an extra lesson, a field trip (đi thực tế: the place in "topic") or an exam.
    `module` and `lecturer` are those chosen first (the last session's, as the tab remembers them)."""

    def __init__(self, day: dt.date, half: str, kind: str, modules: list[tuple[str, str]],
                 lecturers: list[tuple[int, str]], parent: QWidget | None = None, *, module: str | None = None,
                 lecturer: int | None = None) -> None:
        super().__init__(tr("timetable_dialogs", "Thêm buổi học"), parent)
        self.date = date_edit(day)
        self.half = half_combo(half)
        self.kind = QComboBox()
        self.kind.setObjectName("session_kind")
        for key in SESSION_KINDS:
            self.kind.addItem(timetable.session_kind_label(key), key)
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.module = QComboBox()
        self.module.setObjectName("session_module")
        self.module.addItem(tr("timetable_dialogs", "(không thuộc học phần nào)"), None)
        for code, name in modules:
            self.module.addItem(f"{code} – {name}", code)
        self.module.setCurrentIndex(max(0, self.module.findData(module)))
        self.periods = QSpinBox()
        self.periods.setRange(0, 6)
        self.lecturer = lecturer_combo(lecturers, lecturer)
        self.lecturer.setObjectName("session_lecturer")
        self.topic = QLineEdit()
        self.topic.setObjectName("session_topic")
        self.topic.setPlaceholderText(tr("timetable_dialogs", "Nơi đi thực tế, tên bài thi..."))
        self.form.addRow(tr("timetable_dialogs", "Ngày:"), self.date)
        self.form.addRow(tr("timetable_dialogs", "Buổi:"), self.half)
        self.form.addRow(tr("timetable_dialogs", "Loại:"), self.kind)
        self.form.addRow(tr("timetable_dialogs", "Học phần:"), self.module)
        self.form.addRow(tr("timetable_dialogs", "Số tiết:"), self.periods)
        self.form.addRow(tr("timetable_dialogs", "Giảng viên:"), self.lecturer)
        self.form.addRow(tr("timetable_dialogs", "Nội dung, địa điểm:"), self.topic)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._kind_changed()

    def _kind_changed(self) -> None:
        self.periods.setValue(0 if self.kind.currentData() == "exam" else timetable.PERIODS_PER_SESSION)

    def value(self) -> NewSession:
        return NewSession(day=to_date(self.date.date()), half=self.half.currentData(), kind=self.kind.currentData(),
                          module_code=self.module.currentData(), periods=self.periods.value(),
                          lecturer_id=self.lecturer.currentData(), topic=self.topic.text().strip() or None)


class MoveDialog(_Form):
    def __init__(self, what: str, day: dt.date, half: str, parent: QWidget | None = None) -> None:
        super().__init__(tr("timetable_dialogs", "Dời buổi học {what}").format(what=what), parent)
        self.date = date_edit(day)
        self.date.setObjectName("move_date")
        self.half = half_combo(half)
        self.half.setObjectName("move_half")
        self.form.addRow(tr("timetable_dialogs", "Sang ngày:"), self.date)
        self.form.addRow(tr("timetable_dialogs", "Buổi:"), self.half)

    def value(self) -> tuple[dt.date, str]:
        return to_date(self.date.date()), self.half.currentData()


class LecturerDialog(_Form):
    def __init__(self, what: str, lecturers: list[tuple[int, str]], current: int | None, has_module: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(tr("timetable_dialogs", "Phân công giảng viên – {what}").format(what=what), parent)
        self.lecturer = lecturer_combo(lecturers, current)
        self.lecturer.setObjectName("lecturer")
        self.whole_module = QCheckBox(tr("timetable_dialogs", "Cho mọi buổi của học phần này trong lớp"))
        self.whole_module.setEnabled(has_module)
        self.form.addRow(tr("timetable_dialogs", "Giảng viên:"), self.lecturer)
        self.form.addRow("", self.whole_module)

    def value(self) -> tuple[int | None, bool]:
        return self.lecturer.currentData(), self.whole_module.isChecked()
