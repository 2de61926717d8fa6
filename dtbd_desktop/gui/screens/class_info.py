"""The "Thông tin lớp" tab of a class page: its details as a form, each field with the problem the
core found in it, a warning when the dates cannot hold the programme, Lưu / Hoàn tác with the
line of news under them, and, apart at the bottom, the deletion of the class."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.widgets.common import ERROR_STYLE, MessageLabel
from dtbd_desktop.gui.widgets.date_field import DateField
from dtbd_desktop.rules.course_dates import date_warnings, earliest_end
from dtbd_desktop.rules.timetable import ModuleSpec, class_weekdays
from dtbd_desktop.services import classes
from dtbd_desktop.services.catalogue import ProgrammeInfo

WARNING_STYLE = "color: #8a4b00;"
FIELD_ERROR_FRAME = "border: 1px solid #b71c1c;"


@dataclass
class FormData:
    """What the form needs from the core: the programmes (with their modules), the lecturers, the
    centre's days off, and the class (None for a new one)."""

    programmes: list[ProgrammeInfo]
    lecturers: list[tuple[int, str]]
    holidays: list[dt.date] = field(default_factory=list)
    detail: classes.ClassDetail | None = None


class ClassInfoForm(QWidget):
    """The details of one class. `values()` are what the core's create/update take; `changed` is
    sent at each edit (the page compares with what was loaded)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data: FormData | None = None
        self._end_chosen = False  # the person set the end date: stop suggesting one
        self._filling = False
        self.code_edit = self._named(QLineEdit(), "code")
        self.name_edit = self._named(QLineEdit(), "name")
        self.programme = self._named(QComboBox(), "programme")
        self.mode = self._named(QComboBox(), "mode")
        for key in ("full-time", "part-time"):
            self.mode.addItem(classes.mode_label(key), key)
        self.venue = self._named(QLineEdit(), "venue")
        self.start = self._named(DateField(), "start")
        self.end = self._named(DateField(), "end")
        self.homeroom = self._named(QComboBox(), "homeroom")
        self.status = self._named(QComboBox(), "status")
        for key in classes.STATUS_LABELS:
            self.status.addItem(classes.status_label(key), key)
        self.note = self._named(QPlainTextEdit(), "note")
        self.note.setMaximumHeight(64)
        self.note.setTabChangesFocus(True)
        self.rules_label = QLabel()
        self.length_label = QLabel()
        self.length_label.setObjectName("length_note")
        self.length_label.setStyleSheet("color: #555;")
        self.length_warning = QLabel()
        self.length_warning.setObjectName("date_warning")
        self.length_warning.setStyleSheet(WARNING_STYLE)
        self.length_warning.setWordWrap(True)
        self.length_warning.hide()

        self.widgets: dict[str, QWidget] = {
            "code": self.code_edit, "name": self.name_edit, "programme": self.programme, "mode": self.mode,
            "venue": self.venue, "start": self.start, "end": self.end, "homeroom": self.homeroom,
            "status": self.status, "note": self.note}
        self.problem_labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label in (
            ("code", tr("class_dialog", "Mã lớp:")), ("name", tr("class_dialog", "Tên lớp:")),
            ("programme", tr("class_dialog", "Chương trình:")), ("mode", tr("class_dialog", "Hình thức:")),
            ("venue", tr("class_dialog", "Địa điểm:")), ("start", tr("class_dialog", "Khai giảng:")),
            ("end", tr("class_dialog", "Kết thúc:")), ("homeroom", tr("class_dialog", "GV chủ nhiệm:")),
            ("status", tr("class_dialog", "Trạng thái:")), ("note", tr("class_dialog", "Ghi chú:")),
        ):
            form.addRow(label, self._with_problem(key))
        form.addRow(tr("class_dialog", "Quy định áp dụng:"), self.rules_label)

        self.save_button = QPushButton(tr("class_dialog", "Lưu"))
        self.save_button.setObjectName("save_class")
        self.save_button.setDefault(True)
        self.undo_button = QPushButton(tr("class_dialog", "Hoàn tác"))
        self.undo_button.setObjectName("undo_class")
        self.undo_button.setToolTip(tr("class_dialog", "Bỏ các thay đổi chưa lưu"))
        actions = QHBoxLayout()
        actions.addWidget(self.save_button)
        actions.addWidget(self.undo_button)
        actions.addStretch(1)
        self.message = MessageLabel("class_message")
        self.errors = self.message  # older name of the line of news

        self.delete_button = QPushButton(tr("class_dialog", "Xóa lớp..."))
        self.delete_button.setObjectName("delete_class")
        self.danger = QGroupBox(tr("class_dialog", "Xóa lớp"))
        self.danger.setObjectName("danger_area")
        self.danger.setStyleSheet("QGroupBox#danger_area { border: 1px solid #e0b4b4; border-radius: 4px; "
                                  "margin-top: 14px; padding: 8px; } QGroupBox#danger_area::title { color: #b71c1c; "
                                  "subcontrol-origin: margin; left: 8px; }")
        danger_note = QLabel(tr("class_dialog", "Chỉ xóa được lớp chưa có học viên và chưa cấp văn bằng, chứng chỉ. "
                                                "Việc xóa không hoàn tác được."))
        danger_note.setWordWrap(True)
        danger_row = QHBoxLayout(self.danger)
        danger_row.addWidget(danger_note, 1)
        danger_row.addWidget(self.delete_button)

        body = QWidget()
        body.setMaximumWidth(860)
        column = QVBoxLayout(body)
        column.addLayout(form)
        column.addLayout(actions)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addWidget(self.danger)
        scroll = QScrollArea()  # the form scrolls rather than push the window past a small screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        scroll.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

        for edit in (self.code_edit, self.name_edit, self.venue):
            edit.textEdited.connect(self._edited)
        self.note.textChanged.connect(self._edited)
        for combo in (self.programme, self.mode, self.homeroom, self.status):
            combo.currentIndexChanged.connect(self._edited)
        self.programme.currentIndexChanged.connect(self._suggest_end)
        self.mode.currentIndexChanged.connect(self._suggest_end)
        self.start.dateChanged.connect(self._suggest_end)
        self.end.dateChanged.connect(self._end_edited)
        self.start.dateChanged.connect(self._edited)

    @staticmethod
    def _named(widget: Any, name: str) -> Any:
        widget.setObjectName(name)
        return widget

    def _with_problem(self, key: str) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(1)
        column.addWidget(self.widgets[key])
        label = QLabel()
        label.setObjectName(f"{key}_problem")
        label.setStyleSheet(ERROR_STYLE)
        label.setWordWrap(True)
        label.hide()
        column.addWidget(label)
        self.problem_labels[key] = label
        if key == "end":  # what the programme needs, and the warning, under the end date they are about
            column.addWidget(self.length_label)
            column.addWidget(self.length_warning)
        return holder

    # ------------------------------------------------------------------ filling

    def fill(self, data: FormData) -> None:
        self._filling = True
        self.data = data
        self.programme.clear()
        for p in data.programmes:
            if p.active or (data.detail is not None and p.code == data.detail.programme_code):
                self.programme.addItem(f"{p.code} – {p.name}", p.code)
        self.homeroom.clear()
        self.homeroom.addItem(tr("class_dialog", "(chưa phân công)"), None)
        for lid, name in data.lecturers:
            self.homeroom.addItem(name, lid)
        detail = data.detail
        if detail is not None:
            self.code_edit.setText(detail.code)
            self.name_edit.setText(detail.name)
            index = self.programme.findData(detail.programme_code)
            if index < 0:
                self.programme.addItem(f"{detail.programme_code} – {detail.programme_name}", detail.programme_code)
                index = self.programme.count() - 1
            self.programme.setCurrentIndex(index)
            self.programme.setEnabled(False)
            self.programme.setToolTip(tr("class_dialog", "Lớp đã mở thì không đổi chương trình được."))
            self.mode.setCurrentIndex(self.mode.findData(detail.mode))
            self.venue.setText(detail.venue or "")
            self.start.set_value(detail.start)
            self.end.set_value(detail.end)
            self.homeroom.setCurrentIndex(max(0, self.homeroom.findData(detail.homeroom_lecturer_id)))
            self.status.setCurrentIndex(self.status.findData(detail.status))
            self.status.setEnabled(True)
            self.note.setPlainText(detail.note or "")
            self.rules_label.setText(detail.rule_set_name)
            self._end_chosen = True
        else:
            self.status.setEnabled(False)
            self.rules_label.setText(tr("class_dialog", "quy định hiện hành của chương trình"))
            self._end_chosen = False
        self.danger.setVisible(detail is not None)
        self.delete_button.setText(tr("class_dialog", "Xóa lớp {code}...").format(code=detail.code) if detail else "")
        self._filling = False
        self._suggest_end()
        self.update_length()

    def values(self) -> dict[str, Any]:
        """The fields as the core takes them (dates as typed, even before the field is left)."""
        return {
            "code": self.code_edit.text(),
            "name": self.name_edit.text(),
            "mode": self.mode.currentData(),
            "venue": self.venue.text(),
            "start": self.start.value(),
            "end": self.end.value(),
            "homeroom_lecturer_id": self.homeroom.currentData(),
            "status": self.status.currentData(),
            "note": self.note.toPlainText(),
        }

    # ------------------------------------------------------------------ the programme's length

    def programme_info(self) -> ProgrammeInfo | None:
        code = self.programme.currentData()
        if self.data is None:
            return None
        return next((p for p in self.data.programmes if p.code == code), None)

    def _specs(self) -> tuple[ProgrammeInfo | None, list[ModuleSpec], tuple[int, ...]]:
        programme = self.programme_info()
        specs = [ModuleSpec(m.id, m.periods, m.kind) for m in programme.modules] if programme else []
        return programme, specs, class_weekdays(self.mode.currentData() or "full-time", None)

    def date_warnings(self) -> list[Problem]:
        """What looks wrong with the dates for the programme (a warning on the end date)."""
        programme, specs, weekdays = self._specs()
        if programme is None:
            return []
        return date_warnings(programme.code, programme.kind, specs, self.start.value(), self.end.value(),
                             weekdays=weekdays, holidays=self.data.holidays if self.data else ())

    def update_length(self) -> None:
        programme, specs, weekdays = self._specs()
        if programme is None or not specs:
            self.length_label.clear()
        else:
            soonest = earliest_end(specs, self.start.value(), weekdays=weekdays,
                                   holidays=self.data.holidays if self.data else ())
            self.length_label.setText(tr("class_dialog", "Chương trình {code}: {periods} tiết; học {mode} từ ngày "
                                                         "khai giảng thì sớm nhất kết thúc ngày {date}.").format(
                code=programme.code, periods=programme.total_periods, mode=classes.mode_label(
                    self.mode.currentData() or "full-time").lower(),
                date=text.format_date(soonest) if soonest else "—"))
        warnings = self.date_warnings()
        self.length_warning.setText("\n".join(p.message for p in warnings))
        self.length_warning.setVisible(bool(warnings))

    def _suggest_end(self, *_args: object) -> None:
        """A new class: the end date follows the programme, the mode and the start (a Trung cấp course
        ends months later, a fostering course days later) until the person sets it."""
        if self._filling:
            return
        if not self._end_chosen:
            programme, specs, weekdays = self._specs()
            soonest = earliest_end(specs, self.start.value(), weekdays=weekdays,
                                   holidays=self.data.holidays if self.data else ()) if programme else None
            if soonest is not None:
                self.end.blockSignals(True)
                self.end.set_value(soonest)
                self.end.blockSignals(False)
        self.update_length()

    def _end_edited(self, *_args: object) -> None:
        if not self._filling:
            self._end_chosen = True
            self.update_length()
            self._edited()

    def _edited(self, *_args: object) -> None:
        if not self._filling:
            self.changed.emit()

    # ------------------------------------------------------------------ problems

    def show_problems(self, problems: list[Problem]) -> list[Problem]:
        """Each problem under its field (the field framed in red, the first one focused); returns
        those that name no field of the form."""
        self.clear_problems()
        rest: list[Problem] = []
        first: QWidget | None = None
        for problem in problems:
            label = self.problem_labels.get(problem.field or "")
            if label is None:
                rest.append(problem)
                continue
            label.setText("\n".join(filter(None, [label.text(), problem.message])))
            label.show()
            widget = self.widgets[problem.field or ""]
            target = widget.edit if isinstance(widget, DateField) else widget
            target.setStyleSheet(f"{type(target).__name__} {{ {FIELD_ERROR_FRAME} }}")
            first = first or target
        if first is not None:
            first.setFocus()
        return rest

    def clear_problems(self) -> None:
        for key, label in self.problem_labels.items():
            label.clear()
            label.hide()
            widget = self.widgets[key]
            (widget.edit if isinstance(widget, DateField) else widget).setStyleSheet("")
