"""Open or create a class: its details (editable) and its roster."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.certificates_tab import CertificatesTab
from dtbd_desktop.gui.screens.roster_tab import RosterTab
from dtbd_desktop.gui.table_model import RowTableModel
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.services import catalogue, classes, lecturers, roster
from dtbd_desktop.services.roster import RosterRow


def to_qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def from_qdate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setDate(QDate.currentDate())
    return edit


class ClassDialog(QDialog):
    """`code` None opens an empty form for a new class."""

    saved = Signal()

    def __init__(self, ctx: AppContext, code: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.code = code
        self.detail: classes.ClassDetail | None = None
        self.setWindowTitle(tr("class_dialog", "Mở lớp mới") if code is None
                            else tr("class_dialog", "Lớp {code}").format(code=code))
        fit_to_screen(self, 980, 620)

        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("code")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("name")
        self.programme = QComboBox()
        self.programme.setObjectName("programme")
        self.mode = QComboBox()
        self.mode.setObjectName("mode")
        for key in ("full-time", "part-time"):
            self.mode.addItem(classes.mode_label(key), key)
        self.venue = QLineEdit()
        self.venue.setObjectName("venue")
        self.start = date_edit()
        self.start.setObjectName("start")
        self.end = date_edit()
        self.end.setObjectName("end")
        self.homeroom = QComboBox()
        self.homeroom.setObjectName("homeroom")
        self.status = QComboBox()
        self.status.setObjectName("status")
        for key in classes.STATUS_LABELS:
            self.status.addItem(classes.status_label(key), key)
        self.note = QPlainTextEdit()
        self.note.setMaximumHeight(70)
        self.rules_label = QLabel()
        self.error_label = QLabel()
        self.error_label.setObjectName("errors")
        self.error_label.setStyleSheet("color: #b71c1c;")
        self.error_label.setWordWrap(True)

        form = QFormLayout()
        form.addRow(tr("class_dialog", "Mã lớp:"), self.code_edit)
        form.addRow(tr("class_dialog", "Tên lớp:"), self.name_edit)
        form.addRow(tr("class_dialog", "Chương trình:"), self.programme)
        form.addRow(tr("class_dialog", "Hình thức:"), self.mode)
        form.addRow(tr("class_dialog", "Địa điểm:"), self.venue)
        form.addRow(tr("class_dialog", "Khai giảng:"), self.start)
        form.addRow(tr("class_dialog", "Kết thúc:"), self.end)
        form.addRow(tr("class_dialog", "GV chủ nhiệm:"), self.homeroom)
        form.addRow(tr("class_dialog", "Trạng thái:"), self.status)
        form.addRow(tr("class_dialog", "Ghi chú:"), self.note)
        form.addRow(tr("class_dialog", "Quy định áp dụng:"), self.rules_label)
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(form)
        details_layout.addWidget(self.error_label)
        details_layout.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(details, tr("class_dialog", "Thông tin lớp"))
        self.roster_tab: RosterTab | None = None

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("class_dialog", "Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("class_dialog", "Đóng"))
        self.delete_button = QPushButton(tr("class_dialog", "Xóa lớp"))
        self.delete_button.setVisible(code is not None)
        self.buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self.delete)

        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.setEnabled(False)
        self.load()

    def launch(self) -> None:
        """Show the dialog (tests patch this to avoid a modal loop)."""
        self.open()

    def load(self) -> None:
        code = self.code

        def fetch(session: Session) -> dict[str, Any]:
            data: dict[str, Any] = {
                "programmes": [(p.code, p.name, p.rule_set_name) for p in catalogue.list_programmes(session)
                               if p.active],
                "lecturers": [(lec.id, lec.display_name) for lec in lecturers.list_lecturers(session, active_only=True)],
            }
            if code is not None:
                data["detail"] = classes.class_detail(session, code)
                data["roster"] = roster.class_roster(session, code)
            return data

        self.ctx.read(fetch, self._fill, self)

    def _fill(self, data: dict[str, Any]) -> None:
        self.programme.clear()
        for pcode, name, _rules in data["programmes"]:
            self.programme.addItem(f"{pcode} – {name}", pcode)
        self.homeroom.clear()
        self.homeroom.addItem(tr("class_dialog", "(chưa phân công)"), None)
        for lid, name in data["lecturers"]:
            self.homeroom.addItem(name, lid)
        detail: classes.ClassDetail | None = data.get("detail")
        self.detail = detail
        if detail is not None:
            self.code_edit.setText(detail.code)
            self.name_edit.setText(detail.name)
            index = self.programme.findData(detail.programme_code)
            if index < 0:
                self.programme.addItem(f"{detail.programme_code} – {detail.programme_name}", detail.programme_code)
                index = self.programme.count() - 1
            self.programme.setCurrentIndex(index)
            self.programme.setEnabled(False)
            self.mode.setCurrentIndex(self.mode.findData(detail.mode))
            self.venue.setText(detail.venue or "")
            self.start.setDate(to_qdate(detail.start))
            self.end.setDate(to_qdate(detail.end))
            self.homeroom.setCurrentIndex(max(0, self.homeroom.findData(detail.homeroom_lecturer_id)))
            self.status.setCurrentIndex(self.status.findData(detail.status))
            self.note.setPlainText(detail.note or "")
            self.rules_label.setText(detail.rule_set_name)
            if self.roster_tab is None:
                self.roster_tab = RosterTab(self.ctx, detail.code, detail.programme_code, self)
                self.roster_tab.changed.connect(self._roster_changed)
                self.roster_tab.changed.connect(self.saved)
                self.tabs.addTab(self.roster_tab, "")
                from dtbd_desktop.gui.screens.attendance_tab import AttendanceTab
                from dtbd_desktop.gui.screens.timetable_tab import TimetableTab

                self.timetable_tab = TimetableTab(self.ctx, detail.code, self)
                self.tabs.addTab(self.timetable_tab, tr("class_dialog", "Thời khóa biểu"))
                self.attendance_tab = AttendanceTab(self.ctx, detail.code, self)
                self.tabs.addTab(self.attendance_tab, tr("class_dialog", "Điểm danh"))
                self.timetable_tab.changed.connect(self.attendance_tab.reload_if_loaded)
                from dtbd_desktop.gui.screens.graduation_tab import GraduationTab
                from dtbd_desktop.gui.screens.scores_tab import ScoresTab

                self.scores_tab = ScoresTab(self.ctx, detail.code, self)
                self.tabs.addTab(self.scores_tab, tr("class_dialog", "Điểm"))
                self.graduation_tab = GraduationTab(self.ctx, detail.code, self)
                self.tabs.addTab(self.graduation_tab, tr("class_dialog", "Xét tốt nghiệp"))
                self.certificates_tab = CertificatesTab(self.ctx, detail.code, self)
                self.tabs.addTab(self.certificates_tab, tr("class_dialog", "Văn bằng, chứng chỉ"))
            self.roster_tab.set_rows(data["roster"])
            self._roster_changed()
        else:
            self.status.setEnabled(False)
            self.rules_label.setText(tr("class_dialog", "quy định hiện hành của chương trình"))
        self.setEnabled(True)

    @property
    def roster_model(self) -> RowTableModel[RosterRow]:
        assert self.roster_tab is not None
        return self.roster_tab.model

    def _roster_changed(self) -> None:
        assert self.roster_tab is not None
        self.tabs.setTabText(1, tr("class_dialog", "Học viên ({n})").format(n=self.roster_tab.model.rowCount()))

    def save(self) -> None:
        values: dict[str, Any] = {
            "code": self.code_edit.text(),
            "name": self.name_edit.text(),
            "mode": self.mode.currentData(),
            "venue": self.venue.text(),
            "start": from_qdate(self.start.date()),
            "end": from_qdate(self.end.date()),
            "homeroom_lecturer_id": self.homeroom.currentData(),
        }
        if self.detail is None:
            programme = self.programme.currentData()

            def create(session: Session) -> str:
                cls = classes.create_class(session, programme=programme, **values)
                return cls.code

            self.ctx.write(create, self._saved, self, on_failed=self._failed)
        else:
            code, version = self.detail.code, self.detail.version
            values.update(status=self.status.currentData(), note=self.note.toPlainText())

            def update(session: Session) -> str:
                return classes.update_class(session, code, expected_version=version, **values).code

            self.ctx.write(update, self._saved, self, on_failed=self._failed)

    def _saved(self, code: str) -> None:
        self.error_label.clear()
        self.saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, DtbdError):
            self.error_label.setText(error_text(exc))
        else:
            QMessageBox.warning(self, tr("class_dialog", "Không lưu được"), error_text(exc))

    def delete(self) -> None:
        if self.detail is None:
            return
        code = self.detail.code
        answer = QMessageBox.question(
            self, tr("class_dialog", "Xóa lớp"),
            tr("class_dialog", "Xóa lớp {code}? Chỉ xóa được lớp chưa có học viên.").format(code=code))
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.ctx.write(lambda s: classes.delete_class(s, code), lambda _r: self._saved(code), self,
                       on_failed=self._failed)

