"""A class as a page of the main window (`ClassPage`; `ClassDialog` is its older name): a header
with the way back to the class list, then the class's tabs (details, roster, timetable,
attendance, scores, graduation, documents), using the whole window. A new class starts with its
details only and, once saved, goes on to its roster.

Leaving (Esc, the back button, opening another class, closing the window) with unsaved details
asks whether to save them; deleting the class closes its page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.certificates_tab import CertificatesTab
from dtbd_desktop.gui.screens.class_info import ClassInfoForm, FormData
from dtbd_desktop.gui.screens.roster_tab import RosterTab
from dtbd_desktop.gui.table_model import RowTableModel
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.date_field import dates_ok, from_qdate, to_qdate
from dtbd_desktop.services import catalogue, classes, lecturers, roster
from dtbd_desktop.services.roster import RosterRow

__all__ = ["TAB_KEYS", "ClassDialog", "ClassPage", "from_qdate", "to_qdate"]

#: The tabs of a class page, in order, by key (what the dashboard's warnings open).
TAB_KEYS = ("info", "roster", "timetable", "attendance", "scores", "graduation", "certificates")


class ClassPage(QWidget):
    """`code` None opens an empty form for a new class."""

    saved = Signal()  # the class or its roster changed: lists showing it reload
    created = Signal(str)  # a new class was saved under this code
    deleted = Signal(str)
    close_requested = Signal()  # the page is done: its host shows the class list again

    def __init__(self, ctx: AppContext, code: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("class_page")
        self.ctx = ctx
        self.code = code
        self.detail: classes.ClassDetail | None = None
        self.loaded_values: dict[str, Any] | None = None
        self.pending_tab: str | None = None
        self.roster_tab: RosterTab | None = None

        self.back_button = QToolButton()
        self.back_button.setObjectName("back_to_classes")
        self.back_button.setText(tr("class_dialog", "◀ Danh sách lớp"))
        self.back_button.setToolTip(tr("class_dialog", "Trở về danh sách lớp (Esc)"))
        self.back_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.back_button.clicked.connect(self.request_close)
        self.title = QLabel()
        self.title.setObjectName("class_title")
        self.title.setStyleSheet("font-size: 17px; font-weight: bold;")
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        header = QHBoxLayout()
        header.addWidget(self.back_button)
        header.addSpacing(8)
        header.addWidget(self.title, 1)

        self.info = ClassInfoForm(self)
        self.info.save_button.clicked.connect(self.save)
        self.info.undo_button.clicked.connect(self.undo)
        self.info.delete_button.clicked.connect(self.delete)
        self.info.changed.connect(self._update_dirty)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("class_tabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.info, tr("class_dialog", "Thông tin lớp"))

        # The form's fields under the names screens and tests knew them by.
        info = self.info
        self.code_edit, self.name_edit, self.programme, self.mode = (info.code_edit, info.name_edit, info.programme,
                                                                     info.mode)
        self.venue, self.start, self.end, self.homeroom = info.venue, info.start, info.end, info.homeroom
        self.status, self.note, self.rules_label, self.error_label = (info.status, info.note, info.rules_label,
                                                                      info.message)
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)
        self._set_title()
        self.setEnabled(False)
        self.load()

    def launch(self) -> None:
        """Show the page: in its host's stack, or on its own (tests patch this)."""
        host = self.parentWidget()
        if isinstance(host, QStackedWidget):
            host.setCurrentWidget(self)
        else:
            self.show()
        if self.code is None:
            self.info.code_edit.setFocus()

    def _set_title(self) -> None:
        if self.detail is None:
            self.title.setText(tr("class_dialog", "Mở lớp mới"))
            self.setWindowTitle(self.title.text())
            return
        self.title.setText(tr("class_dialog", "Lớp {code} – {name}").format(code=self.detail.code,
                                                                          name=self.detail.name))
        self.setWindowTitle(tr("class_dialog", "Lớp {code}").format(code=self.detail.code))

    # --- loading ----------------------------------------------------------------------------
    def load(self) -> None:
        code = self.code

        def fetch(session: Session) -> dict[str, Any]:
            import datetime as dt

            from dtbd_desktop.services.timetable import holiday_dates

            today = dt.date.today()
            data: dict[str, Any] = {"form": FormData(
                programmes=catalogue.list_programmes(session),
                lecturers=[(lec.id, lec.display_name) for lec in lecturers.list_lecturers(session, active_only=True)],
                holidays=sorted(holiday_dates(session, today.replace(year=today.year - 3),
                                              today.replace(year=today.year + 4))))}
            if code is not None:
                data["form"].detail = classes.class_detail(session, code)
                data["roster"] = roster.class_roster(session, code)
            return data

        self.ctx.read(fetch, self._fill, self, on_failed=self._load_failed)

    def _load_failed(self, exc: BaseException) -> None:
        self.setEnabled(True)
        self.info.message.failed(exc)

    def _fill(self, data: dict[str, Any]) -> None:
        form: FormData = data["form"]
        self.info.fill(form)
        self.detail = form.detail
        self._set_title()
        if self.detail is not None:
            self._build_tabs(self.detail)
            assert self.roster_tab is not None
            self.roster_tab.set_rows(data["roster"])
            self._roster_changed()
        self.loaded_values = self.info.values()
        self._update_dirty()
        self.setEnabled(True)
        if self.pending_tab is not None:
            self.show_tab(self.pending_tab)

    def _build_tabs(self, detail: classes.ClassDetail) -> None:
        if self.roster_tab is not None:
            return
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
        self.certificates_tab.changed.connect(self.saved)

    def show_tab(self, key: str) -> None:
        """Show the tab `key` (TAB_KEYS); a tab not built yet is shown once the class has loaded."""
        index = TAB_KEYS.index(key) if key in TAB_KEYS else 0
        if index < self.tabs.count():
            self.tabs.setCurrentIndex(index)
            self.pending_tab = None
        else:
            self.pending_tab = key

    @property
    def roster_model(self) -> RowTableModel[RosterRow]:
        assert self.roster_tab is not None
        return self.roster_tab.model

    def _roster_changed(self) -> None:
        assert self.roster_tab is not None
        self.tabs.setTabText(1, tr("class_dialog", "Học viên ({n})").format(n=self.roster_tab.model.rowCount()))
        empty = self.roster_tab.model.rowCount() == 0  # a class with learners is not deleted
        self.info.delete_button.setEnabled(empty)
        self.info.delete_button.setToolTip("" if empty else tr("class_dialog", "Lớp còn học viên nên không xóa được."))

    # --- unsaved details ----------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self.loaded_values is not None and self.info.values() != self.loaded_values

    def _update_dirty(self) -> None:
        dirty = self.is_dirty() or self.detail is None
        self.info.save_button.setEnabled(dirty)
        self.info.undo_button.setEnabled(self.is_dirty())
        mark = " •" if self.is_dirty() else ""
        self.tabs.setTabText(0, tr("class_dialog", "Thông tin lớp") + mark)

    def undo(self) -> None:
        if self.info.data is not None:
            self.info.fill(self.info.data)
            self.info.clear_problems()
            self.info.message.clear()
            self._update_dirty()

    def ask_unsaved(self) -> str:
        """Save, discard or cancel the unsaved details: "save", "discard", "cancel" (tests patch this)."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("class_dialog", "Thay đổi chưa lưu"),
                          tr("class_dialog", "Thông tin lớp {code} có thay đổi chưa lưu. Lưu trước khi rời trang?")
                          .format(code=self.info.code_edit.text() or self.code or ""),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                          | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Save).setText(tr("class_dialog", "Lưu"))
        box.button(QMessageBox.StandardButton.Discard).setText(tr("class_dialog", "Không lưu"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("class_dialog", "Ở lại"))
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        return {QMessageBox.StandardButton.Save: "save",
                QMessageBox.StandardButton.Discard: "discard"}.get(QMessageBox.StandardButton(answer), "cancel")

    def confirm_leave(self, proceed: Callable[[], object]) -> None:
        """Run `proceed` once the details are saved or given up; not at all if the person stays."""
        if not self.is_dirty():
            proceed()
            return
        answer = self.ask_unsaved()
        if answer == "discard":
            self.loaded_values = None  # leaves without asking again
            proceed()
        elif answer == "save":
            self.tabs.setCurrentWidget(self.info)
            self.save(then=proceed)

    def request_close(self) -> None:
        self.confirm_leave(self.close_requested.emit)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802  (Qt's name)
        if event.key() == Qt.Key.Key_Escape:  # what a grid or an editor did not take
            self.request_close()
            return
        super().keyPressEvent(event)

    # --- saving --------------------------------------------------------------------------------
    def confirm_dates(self, message: str) -> bool:
        """Keep dates that look wrong for the programme? (tests patch this)"""
        box = QMessageBox(QMessageBox.Icon.Warning, tr("class_dialog", "Kiểm tra ngày kết thúc"), message,
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, self)
        box.button(QMessageBox.StandardButton.Save).setText(tr("class_dialog", "Vẫn lưu"))
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("class_dialog", "Sửa ngày"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box.exec() == QMessageBox.StandardButton.Save

    def save(self, *, then: Callable[[], object] | None = None) -> None:
        self.info.message.clear()
        if not dates_ok(self.info):
            return
        warnings = self.info.date_warnings()
        if warnings and not self.confirm_dates("\n".join(p.message for p in warnings)):
            self.info.end.edit.setFocus()
            return
        values = self.info.values()
        if self.detail is None:
            programme = self.info.programme.currentData()
            del values["status"], values["note"]

            def create(session: Session) -> str:
                return classes.create_class(session, programme=programme, **values).code

            self.ctx.write(create, lambda code: self._created(code, then), self, on_failed=self._failed)
        else:
            code, version = self.detail.code, self.detail.version

            def update(session: Session) -> str:
                return classes.update_class(session, code, expected_version=version, **values).code

            self.ctx.write(update, lambda new_code: self._saved(new_code, then), self, on_failed=self._failed)

    def _saved(self, code: str, then: Callable[[], object] | None) -> None:
        self.code = code
        self.info.clear_problems()
        self.loaded_values = self.info.values()
        self._update_dirty()
        self.info.message.say(tr("class_dialog", "Đã lưu thông tin lớp {code}.").format(code=code))
        self.saved.emit()
        if then is not None:
            then()
        else:
            self.load()  # the new version number, the list's names

    def _created(self, code: str, then: Callable[[], object] | None) -> None:
        self.code = code
        self.info.clear_problems()
        self.loaded_values = self.info.values()
        self.saved.emit()
        self.created.emit(code)
        if then is not None:
            then()
            return
        self.pending_tab = "roster"  # a new class goes on to its learners
        self.load()
        self.info.message.say(tr("class_dialog", "Đã mở lớp {code}. Tiếp theo: nhập danh sách học viên.").format(
            code=code))

    def _failed(self, exc: BaseException) -> None:
        if isinstance(exc, DtbdError):
            rest = self.info.show_problems(list(exc.problems))
            lines = [exc.message, *(f"• {p.message}" for p in rest)]
            self.info.message.say("\n".join(lines), error=True)
        else:
            self.info.message.say(error_text(exc), error=True)

    # --- deleting -------------------------------------------------------------------------------
    def delete(self) -> None:
        if self.detail is None:
            return
        code, name = self.detail.code, self.detail.name
        if not confirm_delete(self, code, name):
            return
        self.ctx.write(lambda s: classes.delete_class(s, code), lambda _r: self._deleted(code), self,
                       on_failed=self._failed)

    def _deleted(self, code: str) -> None:
        self.loaded_values = None
        self.deleted.emit(code)
        self.close_requested.emit()


def confirm_delete(parent: QWidget, code: str, name: str) -> bool:
    """Delete class `code`? The question names the class; No is the default."""
    answer = QMessageBox.question(
        parent, tr("class_dialog", "Xóa lớp {code}").format(code=code),
        tr("class_dialog", "Xóa hẳn lớp {code} – {name}?\n\nChỉ xóa được lớp chưa có học viên và chưa cấp văn bằng, "
                           "chứng chỉ. Việc xóa không hoàn tác được.").format(code=code, name=name),
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


ClassDialog = ClassPage  # the name screens and tests knew it by
