"""A centre's year through the screens alone, on a new PC: the guard of "works from the GUI".

The first-run wizard on an empty folder; the programmes screen; a lecturer; a Trung cấp class and
a short fostering course opened from the classes screen (dates typed as a person types them); the
class's details edited and saved; a district's Excel list imported through the wizard, its two
refused people typed in by hand; the timetable generated after a preview; a week of attendance
marked from the keyboard and a make-up lesson; scores typed, a retake, modules finalised;
conduct and the organisations' confirmations for the whole class at once; the graduation review
and decision; certificates issued, previewed, printed to PDF, one revoked and one reissued; the
register and the annual report exported.

Nothing is set up through the core after the wizard: every change goes through the widgets (the
modal dialogs are answered by monkeypatching where they open). The results are read back through
the core's read functions and the audit log in words after each step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.first_run import FirstRunWizard
from dtbd_desktop.gui.main_window import MainWindow
from dtbd_desktop.gui.screens.class_dialog import ClassPage
from dtbd_desktop.gui.screens.classes_view import ClassesView
from dtbd_desktop.gui.tasks import TaskRunner
from dtbd_desktop.gui.widgets.date_field import DateField
from dtbd_desktop.services import audit_log, classes, learners, roster, settings

pytestmark = pytest.mark.gui
T = TypeVar("T")
D = dt.date
LEFT = Qt.MouseButton.LeftButton
TC = "TC25.01"  # the Trung cấp class, full-time, January–August 2025
SHORT = "NT25.03"  # a fostering course (nhận thức về Đảng), one week of March 2025


# --- typing as a person does --------------------------------------------------------------------

def key_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type key by key; letters beyond ASCII (QTest refuses them) as key events carrying the
    letter, as a Vietnamese keyboard (Unikey) delivers them."""
    for char in text:
        if ord(char) < 128:
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def retype(qtbot: QtBot, field: QLineEdit | DateField, text: str) -> None:
    """Click into a field, select what is there, type over it and Tab out."""
    line = field.edit if isinstance(field, DateField) else field
    line.setFocus()
    line.selectAll()
    key_text(qtbot, line, text)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def focused(fallback: QWidget | None = None) -> QWidget:
    widget = QApplication.focusWidget() or fallback
    assert widget is not None
    return widget


# --- reading the outcome through the core -------------------------------------------------------

class Year:
    """The window, its context and the database, with ways to wait and to read back."""

    def __init__(self, qtbot: QtBot, window: MainWindow, ctx: AppContext) -> None:
        self.qtbot, self.window, self.ctx = qtbot, window, ctx

    @property
    def db(self) -> Database:
        return self.ctx.db

    def idle(self) -> None:
        self.qtbot.waitUntil(self.ctx.runner.idle, timeout=20_000)
        QApplication.processEvents()

    def read(self, fn: Callable[[Session], T]) -> T:
        self.idle()
        with self.db.read() as session:
            return fn(session)

    def audit(self, since: int = 0) -> list[str]:
        """The audit log in words, oldest first, from entry `since` on."""
        lines = self.read(lambda s: audit_log.search(s, limit=5000))
        return [line.sentence for line in reversed(lines) if line.id > since]

    def last_audit_id(self) -> int:
        lines = self.read(lambda s: audit_log.search(s, limit=1))
        return lines[0].id if lines else 0

    def classes_view(self) -> ClassesView:
        view = self.window.show_section("classes")
        assert isinstance(view, ClassesView)
        return view

    def page(self) -> ClassPage:
        page = self.classes_view().page
        assert page is not None
        return page


# --- 1. the first run ---------------------------------------------------------------------------

def first_run(qtbot: QtBot, data_file: Path) -> FirstRunWizard:
    """The wizard filled from the keyboard, as on a new PC of the provincial school."""
    wizard = FirstRunWizard()
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    assert wizard.currentPage() is wizard.language_page
    wizard.language_page.language.setFocus()
    qtbot.keyClick(focused(wizard), Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.data_page
    path = wizard.data_page.choice.path
    path.setFocus()
    qtbot.keyClick(path, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key_text(qtbot, path, str(data_file))
    qtbot.keyClick(focused(wizard), Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.centre_page
    fields = wizard.centre_page.fields
    retype(qtbot, fields.centre_name, "Trường Chính trị tỉnh Long An")
    retype(qtbot, fields.superior_body, "Tỉnh ủy Long An")
    retype(qtbot, fields.place_name, "Long An")
    qtbot.keyClick(focused(wizard), Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.signer_page
    signer = wizard.signer_page.fields
    assert signer.director_title.currentText() == "HIỆU TRƯỞNG"  # a provincial school: its head's title
    retype(qtbot, signer.director_name, "Nguyễn Văn Bình")
    qtbot.keyClick(focused(wizard), Qt.Key.Key_Return)
    assert wizard.currentPage() is wizard.summary_page
    assert "Trường Chính trị tỉnh Long An" in wizard.summary_page.summary.text()
    qtbot.keyClick(focused(wizard), Qt.Key.Key_Return)
    assert wizard.result() == QWizard.DialogCode.Accepted
    return wizard


@pytest.fixture
def year(qtbot: QtBot, tmp_path: Path) -> Iterator[Year]:
    """After the wizard, what `gui.app.main` does: the configuration saved, the centre's database
    opened (made and seeded, as on first start), the main window attached, the wizard's details
    saved on the write lane."""
    from dtbd_desktop.services.startup import open_centre

    data_file = tmp_path / "du-lieu" / "truong.sqlite3"
    wizard = first_run(qtbot, data_file)
    outcome = wizard.outcome()
    wizard.runner.wait()
    outcome.save_config()
    db = open_centre(outcome.database_url)
    ctx = AppContext(db=db, runner=TaskRunner())
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    ctx.write(lambda session: outcome.write_settings(session))
    try:
        yield Year(qtbot, window, ctx)
    finally:
        for _ in range(3):
            ctx.runner.wait()
            QApplication.processEvents()
        window._leaving = True
        db.dispose()


# --- the year -----------------------------------------------------------------------------------

def check_first_run(year: Year) -> None:
    values = year.read(settings.get_settings)
    assert (values["centre_name"], values["superior_body"], values["place_name"], values["director_title"],
            values["director_name"]) == ("Trường Chính trị tỉnh Long An", "Tỉnh ủy Long An", "Long An",
                                         "HIỆU TRƯỞNG", "Nguyễn Văn Bình")
    assert any("Trường Chính trị tỉnh Long An" in line for line in year.audit())


def check_catalogue(year: Year) -> None:
    """The programmes screen lists the seeded Trung cấp programme and its modules."""
    from dtbd_desktop.gui.screens.programmes_view import ProgrammesView

    view = year.window.show_section("programmes")
    assert isinstance(view, ProgrammesView)
    year.qtbot.waitUntil(lambda: view.list_model.rowCount() >= 7, timeout=10_000)
    listed = [view.list_model.index(r, 0).data() for r in range(view.list_model.rowCount())]
    assert "TC – Trung cấp lý luận chính trị - hành chính" in listed
    view.select_programme("TC")
    year.qtbot.waitUntil(lambda: view.current is not None and view.current.code == "TC", timeout=10_000)
    modules = view.modules_model
    shown = [modules.index(r, 1).data() for r in range(modules.rowCount())]
    assert "Triết học Mác - Lênin" in shown and "Nghiên cứu thực tế" in shown
    assert view.name_edit.text() == "Trung cấp lý luận chính trị - hành chính"


def add_lecturer(year: Year, name: str) -> None:
    """The Giảng viên screen: Thêm giảng viên, the name typed, Lưu."""
    from dtbd_desktop.gui.screens.lecturers_view import LecturersView

    view = year.window.show_section("lecturers")
    assert isinstance(view, LecturersView)
    year.idle()
    year.qtbot.mouseClick(view.new_button, LEFT)
    retype(year.qtbot, view.full_name, name)
    year.qtbot.mouseClick(view.save_button, LEFT)
    year.idle()


def open_new_class(year: Year, code: str, programme: str, name: str, start: str, end: str) -> ClassPage:
    """Lớp học → Mở lớp mới...: code, programme, name and dates typed; Lưu; the page goes on to the roster."""
    view = year.classes_view()
    year.idle()
    year.qtbot.mouseClick(view.new_button, LEFT)
    page = view.page
    assert page is not None and view.pages.currentWidget() is page
    year.qtbot.waitUntil(page.isEnabled, timeout=10_000)
    info = page.info
    assert page.title.text() == "Mở lớp mới"
    info.programme.setFocus()
    info.programme.setCurrentIndex(info.programme.findData(programme))
    retype(year.qtbot, info.code_edit, code)
    retype(year.qtbot, info.name_edit, name)
    retype(year.qtbot, info.start, start)
    retype(year.qtbot, info.end, end)
    assert not info.length_warning.isVisibleTo(page), info.length_warning.text()
    year.qtbot.mouseClick(info.save_button, LEFT)
    year.qtbot.waitUntil(lambda: page.detail is not None and page.tabs.count() == 7, timeout=10_000)
    assert page.tabs.currentWidget() is page.roster_tab  # on to the learners
    assert page.title.text() == f"Lớp {code} – {name}"
    return page


def edit_class(year: Year, code: str) -> None:
    """The details tab: venue, homeroom lecturer and end date changed, Lưu; back to the list and
    the class opened again shows them."""
    view = year.classes_view()
    page = year.page()
    page.tabs.setCurrentWidget(page.info)
    info = page.info
    retype(year.qtbot, info.venue, "Hội trường A, Trường Chính trị tỉnh Long An")
    info.homeroom.setFocus()
    info.homeroom.setCurrentIndex(info.homeroom.findText("Trần Thị Hạnh"))
    retype(year.qtbot, info.end, "28/08/2025")
    assert page.is_dirty()
    year.qtbot.mouseClick(info.save_button, LEFT)
    year.qtbot.waitUntil(lambda: info.message.text() == f"Đã lưu thông tin lớp {code}.", timeout=10_000)
    year.qtbot.waitUntil(lambda: not page.is_dirty(), timeout=10_000)
    year.qtbot.mouseClick(page.back_button, LEFT)
    assert view.page is None
    year.qtbot.waitUntil(lambda: code in [r.code for r in view.model.rows], timeout=10_000)
    again = view.open_class(code)
    assert again is not None
    year.qtbot.waitUntil(lambda: again.detail is not None and again.isEnabled(), timeout=10_000)
    shown = again.info
    assert (shown.venue.text(), shown.homeroom.currentText(), shown.end.text()) == (
        "Hội trường A, Trường Chính trị tỉnh Long An", "Trần Thị Hạnh", "28/08/2025")


#: The district's list: (family and middle, given, birth date, gender, ethnicity, CCCD, position, unit).
#: Rows 9 (a CCCD of 11 digits) and 13 (no birth date) are refused by the import.
DISTRICT = [
    ("Nguyễn Văn", "An", "05/03/1985", "Nam", "Kinh", "080085000123", "Phó Chủ tịch UBND xã", "UBND xã Mỹ Yên"),
    ("Trần Thị", "Bích", "12/07/1990", "Nữ", "Kinh", "080190000456", "Chuyên viên", "UBND xã Mỹ Yên"),
    ("Lê Hoàng", "Cường", "21/11/1982", "Nam", "Kinh", "08008200078", "Bí thư Đoàn xã", "UBND xã Mỹ Yên"),
    ("Phạm Thị", "Dung", "03/02/1988", "Nữ", "Khmer", "080188000111", "Kế toán", "UBND xã Thạnh Đức"),
    ("Võ Minh", "Đức", "15/09/1986", "Nam", "Kinh", "080086000222", "Chủ tịch Hội Nông dân", "UBND xã Thạnh Đức"),
    ("Huỳnh Thị", "Giang", "", "Nữ", "Kinh", "080191000333", "Văn thư", "UBND xã Thạnh Đức"),
    ("Đặng Văn", "Hải", "30/04/1984", "Nam", "Kinh", "080084000444", "Trưởng Công an xã", "UBND xã Thạnh Đức"),
    ("Bùi Thị", "Hoa", "08/03/1992", "Nữ", "Kinh", "080192000555", "Chuyên viên", "UBND xã Mỹ Yên"),
    ("Ngô Quốc", "Khánh", "19/05/1987", "Nam", "Kinh", "080087000666", "Phó Bí thư Đảng ủy", "UBND xã Mỹ Yên"),
    ("Dương Thị", "Lan", "25/12/1989", "Nữ", "Kinh", "080189000777", "Chuyên viên", "UBND xã Thạnh Đức"),
    ("Lý Văn", "Minh", "11/10/1983", "Nam", "Hoa", "080083000888", "Chỉ huy trưởng Quân sự", "UBND xã Mỹ Yên"),
    ("Trương Thị", "Ngọc", "02/06/1991", "Nữ", "Kinh", "080191000999", "Chuyên viên", "UBND xã Thạnh Đức"),
]
REFUSED = {"Cường", "Giang"}


def district_list(path: Path) -> Path:
    """The list as a district's Ban Tổ chức sends it: letterhead, title, one header row, the people."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách"
    sheet.append(["HUYỆN ỦY BẾN LỨC", None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"])
    sheet.append(["BAN TỔ CHỨC"])
    sheet.append([None, None, None, None, None, "Bến Lức, ngày 20 tháng 12 năm 2024"])
    sheet.append(["DANH SÁCH CÁN BỘ ĐI HỌC LỚP TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH K25.01"])
    sheet.append([])
    sheet.append(["STT", "Họ và tên đệm", "Tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Chức vụ",
                  "Đơn vị công tác"])
    for number, person in enumerate(DISTRICT, start=1):
        sheet.append([number, *person])
    for row in sheet.iter_rows(min_row=7, min_col=7, max_col=7):
        for cell in row:
            cell.number_format = "@"  # the CCCD as text, leading zero kept
    book.save(path)
    return path


def import_list(year: Year, path: Path) -> None:
    """Học viên tab → Nhập từ Excel...: the file typed, the check shows the refused rows with their
    sheet, row and column; "skip the rows with errors"; import."""
    from PySide6.QtWidgets import QCheckBox, QListWidget

    from dtbd_desktop.gui.dialogs.import_wizard import ImportWizard

    page = year.page()
    roster_tab = page.roster_tab
    assert roster_tab is not None
    page.tabs.setCurrentWidget(roster_tab)
    year.qtbot.mouseClick(roster_tab.buttons["import"], LEFT)
    wizard = roster_tab.findChild(ImportWizard)
    assert wizard is not None and wizard.isVisible()
    key_text(year.qtbot, wizard.file_page.path_edit, str(path))
    year.qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    year.qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10_000)
    assert wizard.preview_model.rowCount() == len(DISTRICT)
    year.qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), LEFT)
    check = wizard.check_page
    year.qtbot.waitUntil(lambda: check.result is not None, timeout=10_000)
    problems = wizard.findChild(QListWidget, "problems")
    listed = [problems.item(i).text() for i in range(problems.count())]
    assert len(listed) == 2, listed
    assert listed[0].startswith("Dòng 9, cột G (Số CCCD)"), listed
    assert listed[1].startswith("Dòng 12, cột D (Ngày sinh)") and "Thiếu ngày sinh" in listed[1], listed
    assert f"{len(DISTRICT)} dòng học viên: {len(DISTRICT) - 2} dòng nhập được, 2 dòng có lỗi." in check.summary.text()
    commit = wizard.button(QWizard.WizardButton.CommitButton)
    assert not commit.isEnabled()
    year.qtbot.mouseClick(wizard.findChild(QCheckBox, "skip_invalid"), LEFT)
    assert commit.isEnabled()
    year.qtbot.mouseClick(commit, LEFT)
    year.qtbot.waitUntil(lambda: wizard.result_page.finished, timeout=20_000)
    summary = wizard.result_page.summary.text()
    assert summary.startswith(f"Đã nhập {len(DISTRICT) - 2} học viên vào lớp {TC}"), summary
    year.qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), LEFT)
    year.qtbot.waitUntil(lambda: roster_tab.model.rowCount() == len(DISTRICT) - 2, timeout=10_000)


def add_by_hand(year: Year, monkeypatch: pytest.MonkeyPatch, person: tuple[str, ...], birth: str,
                national_id: str) -> None:
    """Học viên tab → Thêm học viên... → nobody found → "Người mới, chưa có hồ sơ...": the record typed in."""
    from PySide6.QtWidgets import QDialog

    from dtbd_desktop.gui.screens.roster_tab import FindLearnerDialog

    page = year.page()
    tab = page.roster_tab
    assert tab is not None
    before = tab.model.rowCount()
    family_middle, given = person[0], person[1]

    def search_then_new(dialog: FindLearnerDialog) -> QDialog.DialogCode:
        key_text(year.qtbot, dialog.search, f"{family_middle} {given}")
        dialog.new_button.click()
        return QDialog.DialogCode(dialog.result())

    monkeypatch.setattr(FindLearnerDialog, "exec", search_then_new)
    tab.new_dialog = None
    year.qtbot.mouseClick(tab.buttons["add"], LEFT)
    year.qtbot.waitUntil(lambda: tab.new_dialog is not None and tab.new_dialog.isVisible(), timeout=10_000)
    dialog = tab.new_dialog
    assert dialog is not None
    form = dialog.form
    assert form.given.text() == given
    form.birth.setFocus()
    key_text(year.qtbot, form.birth, birth)
    form.national_id.setFocus()
    key_text(year.qtbot, form.national_id, national_id)
    form.organisation.setCurrentIndex(form.organisation.findText(person[7]))
    assert form.organisation.currentText() == person[7]
    form.position.setFocus()
    key_text(year.qtbot, form.position, person[6])
    with year.qtbot.waitSignal(dialog.created, timeout=10_000):
        year.qtbot.mouseClick(dialog.add_button, LEFT)
    year.qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1, timeout=10_000)


def edit_learner(year: Year, monkeypatch: pytest.MonkeyPatch, name: str, *, place_of_birth: str, phone: str,
                 reason: str) -> None:
    """Học viên tab → double-click the learner → the record: fields typed, Lưu, the reason given."""
    from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog

    tab = year.page().roster_tab
    assert tab is not None
    source = next(i for i, r in enumerate(tab.model.rows) if r.full_name == name)
    tab.table.selectRow(tab.proxy.mapFromSource(tab.model.index(source, 0)).row())
    tab.record_dialog = None
    tab.open_learner()
    year.qtbot.waitUntil(lambda: tab.record_dialog is not None and tab.record_dialog.isVisible(), timeout=10_000)
    dialog = tab.record_dialog
    assert isinstance(dialog, LearnerDialog)
    form = dialog.form
    for field, value in ((form.place_of_birth, place_of_birth), (form.phone, phone)):
        field.setFocus()
        field.selectAll()
        key_text(year.qtbot, field, value)
    asked: list[str] = []
    monkeypatch.setattr(LearnerDialog, "ask_reason", lambda self, question: asked.append(question) or reason)
    assert dialog.save_button.isEnabled()
    with year.qtbot.waitSignal(dialog.saved, timeout=10_000):
        year.qtbot.mouseClick(dialog.save_button, LEFT)
    assert asked  # the identity field asked for its reason
    dialog.close()


def assign_module_lecturer(year: Year, monkeypatch: pytest.MonkeyPatch, first: Any, name: str) -> None:
    """Thời khóa biểu tab: a session chosen, Phân công giảng viên..., the lecturer picked and "for
    every session of this module" ticked in the dialog, OK."""
    from dtbd_desktop.gui.dialogs.timetable_dialogs import LecturerDialog

    tab = year.page().timetable_tab
    tab.select_session(first)

    def pick(dialog: LecturerDialog) -> int:
        dialog.lecturer.setCurrentIndex(dialog.lecturer.findText(name))
        dialog.whole_module.setChecked(True)
        dialog.accept()
        return int(LecturerDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(LecturerDialog, "exec", pick)
    with year.qtbot.waitSignal(tab.changed, timeout=10_000):
        year.qtbot.mouseClick(tab.buttons["lecturer"], LEFT)
    year.qtbot.waitUntil(lambda: year.ctx.runner.idle(), timeout=10_000)


def generate_timetable(year: Year) -> int:
    """Thời khóa biểu tab → Tạo thời khóa biểu...: the preview of the class's own options, Lưu.
    Returns the number of sessions the preview announced."""
    import re

    page = year.page()
    tab = page.timetable_tab
    page.tabs.setCurrentWidget(tab)
    year.qtbot.waitUntil(lambda: tab.data is not None, timeout=10_000)
    assert "chưa có thời khóa biểu" in tab.message.text()
    year.qtbot.mouseClick(tab.buttons["generate"], LEFT)
    dialog = tab.generator
    assert dialog is not None and dialog.isVisible()
    year.qtbot.waitUntil(lambda: dialog.plan is not None and dialog.save_button.isEnabled(), timeout=10_000)
    assert dialog.windowTitle() == f"Lập thời khóa biểu lớp {TC}" or dialog.windowTitle() == f"Tạo thời khóa biểu lớp {TC}"
    found = re.match(r"Thêm (\d+) buổi học, từ 06/01/2025 đến ", dialog.summary.text())
    assert found, dialog.summary.text()
    with year.qtbot.waitSignal(tab.changed, timeout=20_000):
        year.qtbot.mouseClick(dialog.save_button, LEFT)
    year.qtbot.waitUntil(lambda: not tab.loading and year.ctx.runner.idle(), timeout=20_000)
    assert not dialog.isVisible()
    return int(found.group(1))


WEEK = [D(2025, 1, 6) + dt.timedelta(days=n) for n in range(5)]  # the first week, Monday to Friday


def mark_first_week(year: Year, monkeypatch: pytest.MonkeyPatch) -> None:
    """Điểm danh tab: the first week from the paper register, with the keyboard: a key per status for
    the absences and the late arrival, then Ctrl+Shift+A (everyone else present) on each session.
    The sessions of 2025 are locked by now: the office gives its reason once per change."""
    from dtbd_desktop.gui.models import attendance_model as am

    page = year.page()
    tab = page.attendance_tab
    page.tabs.setCurrentWidget(tab)
    year.qtbot.waitUntil(lambda: tab.model is not None and not tab.loading, timeout=10_000)
    reasons: list[int] = []
    monkeypatch.setattr(tab, "ask_reason", lambda cells: reasons.append(cells) or "Nhập từ sổ điểm danh giấy")
    model = tab.model
    assert model is not None and model.rowCount() == len(DISTRICT)

    def settle() -> None:
        year.qtbot.waitUntil(lambda: tab.pending == 0 and not tab.loading and year.ctx.runner.idle(), timeout=20_000)

    def go(name: str, day: dt.date, half: str) -> None:
        assert tab.model is not None
        row = next(i for i, learner in enumerate(tab.model.grid.learners) if learner.full_name == name)
        column = next(i for i, se in enumerate(tab.model.grid.sessions) if (se.date, se.half) == (day, half))
        tab.select_cell(row, column + am.FIXED_COLUMNS)
        tab.table.setFocus()

    go("Bùi Thị Hoa", WEEK[0], "morning")
    year.qtbot.keyClick(tab.table, Qt.Key.Key_P)  # excused: her commune's meeting
    go("Đặng Văn Hải", WEEK[1], "afternoon")
    year.qtbot.keyClick(tab.table, Qt.Key.Key_K)  # unexcused
    go("Ngô Quốc Khánh", WEEK[2], "morning")
    year.qtbot.keyClick(tab.table, Qt.Key.Key_M)  # late
    settle()
    for day in WEEK:
        for half in ("morning", "afternoon"):
            go("Nguyễn Văn An", day, half)
            year.qtbot.keyClick(tab.table, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier
                                | Qt.KeyboardModifier.ShiftModifier)
            settle()
    assert reasons, "the locked sessions asked for a reason"


def record_makeup(year: Year, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """The learner's cell, "Ghi học bổ sung...": the dialog filled (module, day typed, note), Ghi nhận."""
    from dtbd_desktop.gui.models import attendance_model as am
    from dtbd_desktop.gui.screens.attendance_panel import MakeUpDialog

    tab = year.page().attendance_tab
    assert tab.model is not None
    row = next(i for i, learner in enumerate(tab.model.grid.learners) if learner.full_name == name)
    tab.select_cell(row, am.FIXED_COLUMNS)

    def fill(dialog: MakeUpDialog) -> int:
        assert dialog.module.count() == 1
        retype(year.qtbot, dialog.date, "17/01/2025")
        assert dialog.periods.value() == 5  # the whole afternoon missed
        key_text(year.qtbot, dialog.note, "Học cùng lớp TC24.02")
        dialog.accept()
        return int(dialog.result())

    monkeypatch.setattr(MakeUpDialog, "exec", fill)
    year.qtbot.mouseClick(tab.panel.makeup_button, LEFT)
    year.qtbot.waitUntil(lambda: "học bổ sung 5 tiết" in tab.status.text(), timeout=10_000)
    year.idle()


#: Each learner's usual score (classifications spread from Trung bình to Xuất sắc).
USUAL = {f"{p[0]} {p[1]}": score for p, score in zip(DISTRICT, ("9,2", "8,5", "7,4", "8,0", "6,8", "7,7", "9,0",
                                                                  "8,3", "7,1", "6,5", "8,8", "7,9"), strict=True)}


class Scores:
    """The Điểm tab, driven from the keyboard."""

    def __init__(self, year: Year) -> None:
        from dtbd_desktop.gui.screens.scores_tab import ScoresTab

        page = year.page()
        self.year, self.tab = year, page.scores_tab
        assert isinstance(self.tab, ScoresTab)
        page.tabs.setCurrentWidget(self.tab)
        year.window.activateWindow()
        year.qtbot.waitUntil(lambda: self.tab.shown is not None, timeout=10_000)

    def idle(self) -> None:
        self.year.qtbot.waitUntil(lambda: self.year.ctx.runner.idle() and not self.tab.model.pending, timeout=20_000)

    def module(self, code: str) -> None:
        tab = self.tab
        tab.module_box.setCurrentIndex(tab.module_box.findData(code))
        self.year.qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.token == ("module", code),
                                  timeout=10_000)
        self.idle()

    def row(self, name: str) -> int:
        return next(i for i, r in enumerate(self.tab.model.grid.rows) if r.info[0] == name)

    def column(self, label: str) -> int:
        model = self.tab.model
        return next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == label)

    def names(self) -> list[str]:
        return [r.info[0] for r in self.tab.model.grid.rows]

    def type(self, name: str, label: str, typed: str) -> None:
        """Go to the cell, type over it (the first key opens the editor) and press Enter."""
        tab, qtbot = self.tab, self.year.qtbot
        self.year.window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is self.year.window, timeout=5_000)
        tab.table.setFocus()
        tab.table.setCurrentIndex(tab.model.index(self.row(name), self.column(label)))
        qtbot.keyClick(tab.table, typed[0])
        editor = QApplication.focusWidget()
        assert isinstance(editor, QLineEdit)
        qtbot.keyClicks(editor, typed[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: tab.table.state() != tab.table.State.EditingState, timeout=5_000)
        self.idle()

    def type_column(self, values: dict[str, str]) -> None:
        """From the first learner down, a score and Enter each (the cursor goes down by itself)."""
        tab, qtbot = self.tab, self.year.qtbot
        names = self.names()
        tab.table.setFocus()
        tab.table.setCurrentIndex(tab.model.index(0, self.column("Điểm")))
        for name in names:
            typed = values.get(name)
            if typed is None:
                qtbot.keyClick(tab.table, Qt.Key.Key_Down)
                continue
            assert tab.table.currentIndex().row() == self.row(name)
            qtbot.keyClick(tab.table, typed[0])
            editor = QApplication.focusWidget()
            assert isinstance(editor, QLineEdit)
            qtbot.keyClicks(editor, typed[1:])
            qtbot.keyClick(editor, Qt.Key.Key_Return)
            qtbot.waitUntil(lambda: tab.table.state() != tab.table.State.EditingState, timeout=5_000)
        self.idle()

    def paste_column(self, values: dict[str, str]) -> None:
        """A column copied from the lecturer's Excel sheet, pasted on the first learner's cell."""
        from PySide6.QtGui import QGuiApplication

        tab = self.tab
        QGuiApplication.clipboard().setText("".join(values[name] + "\r\n" for name in self.names()))
        tab.table.setFocus()
        tab.table.setCurrentIndex(tab.model.index(0, self.column("Điểm")))
        self.year.qtbot.keyClick(tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
        self.idle()
        assert "Đã lưu" in tab.message.text(), tab.message.text()

    def finalise(self) -> None:
        tab = self.tab
        assert tab.buttons["finalise"].isEnabled()
        self.year.qtbot.mouseClick(tab.buttons["finalise"], LEFT)
        self.year.qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.locked, timeout=10_000)
        self.idle()


def print_to(monkeypatch: pytest.MonkeyPatch, target: Path) -> None:
    """The print dialog of an official paper as a person fills it: the file typed in, the date and
    the signer as offered, OK."""
    from PySide6.QtWidgets import QDialog as _Dialog

    from dtbd_desktop.gui.dialogs.print_dialog import PrintDialog

    def fill(dialog: PrintDialog) -> int:
        dialog.path.setText(str(target))
        dialog.accept()
        return int(_Dialog.DialogCode.Accepted.value)

    monkeypatch.setattr(PrintDialog, "exec", fill)


def test_a_centre_s_year_through_the_screens(year: Year, qtbot: QtBot, tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch,
                                            message_boxes: list[tuple[str, str]]) -> None:
    # 1. The first run wrote the centre's details.
    check_first_run(year)

    # 2. The catalogue as seeded.
    check_catalogue(year)

    # 3. Two lecturers (the homeroom lecturer, and one for the timetable).
    mark = year.last_audit_id()
    add_lecturer(year, "Trần Thị Hạnh")
    add_lecturer(year, "Lê Minh Tuấn")
    from dtbd_desktop.services import lecturers

    names = {lec.display_name for lec in year.read(lambda s: lecturers.list_lecturers(s, active_only=True))}
    assert {"Trần Thị Hạnh", "Lê Minh Tuấn"} <= {n.split(" ", 1)[-1] if n.startswith(("ThS", "TS")) else n
                                                   for n in names}
    assert sum("Trần Thị Hạnh" in line for line in year.audit(mark)) >= 1

    # 4. A Trung cấp class and a short course, from the classes screen.
    mark = year.last_audit_id()
    open_new_class(year, SHORT, "NTVD", "Lớp bồi dưỡng nhận thức về Đảng khóa 3", "10/3/25", "14/03/2025")
    open_new_class(year, TC, "TC", "Lớp Trung cấp lý luận chính trị - hành chính K25.01", "06/01/2025",
                   "29/8/2025")
    detail = year.read(lambda s: classes.class_detail(s, TC))
    assert (detail.programme_code, detail.start, detail.end) == ("TC", D(2025, 1, 6), D(2025, 8, 29))
    short = year.read(lambda s: classes.class_detail(s, SHORT))
    assert (short.programme_code, short.start, short.end) == ("NTVD", D(2025, 3, 10), D(2025, 3, 14))
    words = year.audit(mark)
    assert any(TC in line for line in words) and any(SHORT in line for line in words), words


    # 5. The class's details edited and saved.
    mark = year.last_audit_id()
    edit_class(year, TC)
    detail = year.read(lambda s: classes.class_detail(s, TC))
    assert (detail.venue, detail.end) == ("Hội trường A, Trường Chính trị tỉnh Long An", D(2025, 8, 28))
    assert detail.homeroom_lecturer_id is not None
    assert year.audit(mark) == [f"Sửa thông tin lớp {TC}"]

    # 6. The district's list imported; the two refused people typed in by hand.
    mark = year.last_audit_id()
    import_list(year, district_list(tmp_path / "Danh sach Ben Luc.xlsx"))
    rows = year.read(lambda s: roster.class_roster(s, TC))
    assert sorted(r.full_name for r in rows) == sorted(f"{p[0]} {p[1]}" for p in DISTRICT if p[1] not in REFUSED)
    an = next(r for r in rows if r.full_name == "Nguyễn Văn An")
    assert (an.birth_date, an.gender, an.national_id, an.organisation) == (
        D(1985, 3, 5), "M", "080085000123", "UBND xã Mỹ Yên")
    assert year.audit(mark) == [
        "Thêm đơn vị UBND xã Mỹ Yên", "Thêm đơn vị UBND xã Thạnh Đức",
        f"Nhập danh sách lớp {TC} từ tệp Danh sach Ben Luc.xlsx: 10 học viên (10 người mới); bỏ qua 2 dòng lỗi "
        f"— lý do: Nhập danh sách Danh sach Ben Luc.xlsx vào lớp {TC}"]
    mark = year.last_audit_id()
    cuong = next(p for p in DISTRICT if p[1] == "Cường")
    giang = next(p for p in DISTRICT if p[1] == "Giang")
    add_by_hand(year, monkeypatch, cuong, cuong[2], "080082000078")  # the CCCD asked again of the district
    add_by_hand(year, monkeypatch, giang, "14/02/1991", giang[5])  # the birth date asked of her
    rows = year.read(lambda s: roster.class_roster(s, TC))
    assert len(rows) == len(DISTRICT)
    giang_row = next(r for r in rows if r.full_name == "Huỳnh Thị Giang")
    assert (giang_row.birth_date, giang_row.gender, giang_row.organisation, giang_row.position) == (
        D(1991, 2, 14), "F", "UBND xã Thạnh Đức", "Văn thư")
    assert year.audit(mark) == [
        f"Thêm học viên {name} (nhập bằng tay) vào lớp {TC} — lý do: Thêm bằng tay vào lớp {TC}"
        for name in ("Lê Hoàng Cường", "Huỳnh Thị Giang")]

    # The learner's record edited from the roster: a place of birth (an identity field: a reason
    # is asked) and a telephone number.
    mark = year.last_audit_id()
    edit_learner(year, monkeypatch, "Huỳnh Thị Giang", place_of_birth="Xã Thạnh Đức, huyện Bến Lức, tỉnh Long An",
                 phone="0912345678", reason="Theo giấy khai sinh")
    giang_record = year.read(lambda s: learners.learner_detail(s, giang_row.learner_id))
    assert (giang_record.place_of_birth, giang_record.phone) == ("Xã Thạnh Đức, huyện Bến Lức, tỉnh Long An",
                                                                  "0912345678")
    edited = year.audit(mark)
    assert any(w.startswith("Sửa nơi sinh của học viên Huỳnh Thị Giang") and "Theo giấy khai sinh" in w
               for w in edited), edited
    assert any(w.startswith("Sửa hồ sơ học viên Huỳnh Thị Giang: điện thoại") for w in edited), edited

    # 7. The timetable, generated after its preview.
    mark = year.last_audit_id()
    sessions = generate_timetable(year)
    from dtbd_desktop.services import timetable as tts

    listed = year.read(lambda s: tts.list_sessions(s, TC))
    assert len(listed) == sessions and listed[0].date == D(2025, 1, 6) and listed[-1].date <= D(2025, 8, 28)
    words = year.audit(mark)
    assert any(w.startswith(f"Lập thời khóa biểu lớp {TC}") for w in words), words

    # The first module's lecturer, for every session of that module (Phân công giảng viên...).
    mark = year.last_audit_id()
    assign_module_lecturer(year, monkeypatch, listed[0], "Lê Minh Tuấn")
    taught = [x for x in year.read(lambda s: tts.list_sessions(s, TC)) if x.module_id == listed[0].module_id]
    assert taught and {x.lecturer for x in taught} == {"Lê Minh Tuấn"}
    assert any(w.startswith("Phân công giảng viên Lê Minh Tuấn dạy mọi buổi cùng học phần") for w in year.audit(mark))

    # 8. A week of attendance from the keyboard, and a make-up lesson for the absence.
    from dtbd_desktop.services import attendance as att

    mark = year.last_audit_id()
    mark_first_week(year, monkeypatch)
    grid = year.read(lambda s: att.attendance_grid(s, TC))
    name_of = {learner.enrolment_id: learner.full_name for learner in grid.learners}
    slot_of = {se.id: (se.date, se.half) for se in grid.sessions}
    marks = {(name_of[e], *slot_of[sid]): status for (e, sid), status in grid.marks.items()}
    assert len(marks) == len(DISTRICT) * 10
    assert {k: v for k, v in marks.items() if v != "present"} == {
        ("Bùi Thị Hoa", WEEK[0], "morning"): "excused", ("Đặng Văn Hải", WEEK[1], "afternoon"): "unexcused",
        ("Ngô Quốc Khánh", WEEK[2], "morning"): "late"}
    record_makeup(year, monkeypatch, "Đặng Văn Hải")
    hai = next(s for s in year.read(lambda s: att.attendance_summary(s, TC)) if s.full_name == "Đặng Văn Hải")
    assert (hai.absent_periods, hai.made_up_periods) == (5, 5)
    words = year.audit(mark)
    assert words[0] == (f"Điểm danh Bùi Thị Hoa, buổi sáng 06/01/2025 (học phần I.1) lớp {TC}: (chưa điểm danh) → "
                        "vắng có phép — lý do: Nhập từ sổ điểm danh giấy")
    assert len(words) == len(DISTRICT) * 10 + 1
    assert words[-1] == (f"Ghi học bù cho Đặng Văn Hải (lớp {TC}): học phần I.1, 5 tiết ngày 17/01/2025 — lý do: "
                         "Học cùng lớp TC24.02")

    # 9. Scores: module I.1 typed down the column, one learner failing, another without a score
    # when the module is finalised (the question names her); the failed learner on the retake list,
    # the retake typed in its column; the other modules pasted from the lecturers' sheets.
    from decimal import Decimal

    from dtbd_desktop.services import scores

    mark = year.last_audit_id()
    grid = Scores(year)
    grid.module("I.1")
    first = dict(USUAL, **{"Lê Hoàng Cường": "4"})
    del first["Huỳnh Thị Giang"]  # ill on the exam day
    grid.type_column(first)
    grid.idle()
    year.qtbot.waitUntil(lambda: "Thi lại lần 1" in [grid.tab.model.headerData(c, Qt.Orientation.Horizontal)
                                                    for c in range(grid.tab.model.columnCount())], timeout=10_000)
    assert grid.tab.model.index(grid.row("Lê Hoàng Cường"), grid.column("Kết quả")).data() == "Chưa đạt"
    year.qtbot.mouseClick(grid.tab.buttons["retakes"], LEFT)
    retakes = grid.tab.retake_dialog
    year.qtbot.waitUntil(lambda: retakes.rows is not None, timeout=10_000)
    assert [(r.full_name, r.module_code) for r in retakes.rows or []] == [("Lê Hoàng Cường", "I.1")]
    assert retakes.count.text() == "1 lượt học viên phải thi lại."
    retakes.close()
    grid.type("Lê Hoàng Cường", "Thi lại lần 1", "6,5")
    asked = len(message_boxes)
    grid.finalise()
    question = [text for kind, text in message_boxes[asked:] if kind == "before"]
    assert question and question[0].startswith(f"Học phần I.1: còn 1/{len(DISTRICT)} học viên chưa có điểm."), question
    assert "Huỳnh Thị Giang" in question[0]
    monkeypatch.setattr(grid.tab, "ask_reason", lambda module: "Thi sau vì ốm, có giấy của bệnh viện")
    grid.type("Huỳnh Thị Giang", "Điểm", "7,7")
    sheet = year.read(lambda s: scores.load_score_sheet(s, TC, "I.1"))
    got = {r.full_name: r.values for r in sheet.rows}
    assert got["Lê Hoàng Cường"][(1, "")] == Decimal("4.0") and got["Lê Hoàng Cường"][(2, "")] == Decimal("6.5")
    assert got["Huỳnh Thị Giang"][(1, "")] == Decimal("7.7")
    assert got["Nguyễn Văn An"][(1, "")] == Decimal("9.2")
    words = year.audit(mark)
    assert words[0] == f"Nhập điểm học phần I.1 của Nguyễn Văn An (lớp {TC}): (trống) → 9,2"
    assert words[-3:] == [
        f"Nhập điểm học phần I.1 lần 2 của Lê Hoàng Cường (lớp {TC}): (trống) → 6,5",
        f"Chốt điểm học phần I.1 lớp {TC}",
        f"Nhập điểm học phần I.1 của Huỳnh Thị Giang (lớp {TC}): (trống) → 7,7 — lý do: Thi sau vì ốm, có giấy "
        "của bệnh viện"]

    # The other modules: each lecturer's column pasted from Excel, then finalised (asked first).
    others = [grid.tab.module_box.itemData(i) for i in range(grid.tab.module_box.count())]
    modules = [code for code in others if code not in ("I.1", "TN1", "TN2", "KL")]
    assert len(modules) == 15, others
    for code in modules:
        grid.module(code)
        grid.paste_column(USUAL)
        grid.finalise()
    finalised = year.read(lambda s: [m for m in scores.load_score_sheet(s, TC, "II.1").rows])
    assert {r.full_name: r.values[(1, "")] for r in finalised} == {
        name: Decimal(value.replace(",", ".")) for name, value in USUAL.items()}

    # 10. Conduct and the organisations' confirmations for the whole class at once: the lines of the
    # organisations' summary sheet pasted into the conduct grid; Khánh's conduct filled down too.
    from PySide6.QtGui import QGuiApplication

    from dtbd_desktop.gui.screens.graduation_tab import GraduationTab
    from dtbd_desktop.services import conduct

    mark = year.last_audit_id()
    page = year.page()
    review = page.graduation_tab
    assert isinstance(review, GraduationTab)
    page.tabs.setCurrentWidget(review)
    review.show_page("conduct")
    sheet_grid = review.conduct
    qtbot.waitUntil(lambda: sheet_grid.sheet is not None and review.data is not None and year.ctx.runner.idle(),
                    timeout=10_000)
    assert f"Còn {len(DISTRICT)} học viên chưa có nhận xét của cơ quan cử đi học" in sheet_grid.summary.text()
    QGuiApplication.clipboard().setText("".join("Đạt\t\tTốt\r\n" for _ in DISTRICT))
    key_text(qtbot, sheet_grid.reason, "Công văn của Ban Tổ chức Huyện ủy Bến Lức, tháng 8/2025")
    sheet_grid.table.setCurrentIndex(sheet_grid.model.index(0, 3))
    sheet_grid.table.setFocus()
    qtbot.keyClick(sheet_grid.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    year.idle()
    assert f"Đã lưu {len(DISTRICT) * 2} ô." in sheet_grid.message.text(), sheet_grid.message.text()
    lines = year.read(lambda s: conduct.load_conduct_sheet(s, TC).learners)
    assert {(line.confirmation, line.conduct) for line in lines} == {("received", "Tốt")}
    words = year.audit(mark)
    assert len(words) >= len(DISTRICT) * 2 and all("Công văn của Ban Tổ chức Huyện ủy Bến Lức" in w for w in words)

    # 11. The graduation exams, pasted, finalised.
    grid = Scores(year)
    for code in ("TN1", "TN2"):
        grid.module(code)
        grid.paste_column(USUAL)
        grid.finalise()

    # 12. The graduation review, then the decision's number and date.

    from dtbd_desktop.services import graduation

    mark = year.last_audit_id()
    page.tabs.setCurrentWidget(review)
    review.show_page("review")
    qtbot.waitUntil(lambda: review.data is not None and year.ctx.runner.idle(), timeout=10_000)
    qtbot.mouseClick(review.review_button, LEFT)
    qtbot.waitUntil(lambda: "Đã xét và lưu ngày" in review.status.text(), timeout=10_000)
    results = year.read(lambda s: graduation.stored_results(s, TC))
    assert len(results) == len(DISTRICT) and all(r.eligible for r in results), [
        (r.learner.full_name, r.reasons) for r in results if not r.eligible]
    bands = {r.learner.full_name: r.classification for r in results}
    assert (bands["Nguyễn Văn An"], bands["Ngô Quốc Khánh"]) == ("Xuất sắc", "Khá")
    assert bands["Lê Hoàng Cường"] == "Trung bình"  # 7,31 is Khá, one band less for the retake
    review.number.clear()
    key_text(qtbot, review.number, "125-QĐ/TCT")
    retype(qtbot, review.date, "05/09/2025")
    qtbot.mouseClick(review.decision_button, LEFT)
    qtbot.waitUntil(lambda: "Đã ghi quyết định số 125-QĐ/TCT ngày 05/09/2025" in review.message.text(),
                    timeout=10_000)
    decided = year.read(lambda s: {(r.decision_number, r.decision_date) for r in graduation.stored_results(s, TC)})
    assert decided == {("125-QĐ/TCT", D(2025, 9, 5))}
    words = year.audit(mark)
    assert f"Xét tốt nghiệp Lê Hoàng Cường (lớp {TC}): Trung bình (7,31)" in words
    assert words[-1] == f"Ghi quyết định công nhận tốt nghiệp lớp {TC}: số 125-QĐ/TCT ngày 05/09/2025"

    # 13. This PC's signing key enrolled (Quản trị → Khóa ký văn bằng → Đăng ký khóa của máy này...),
    # without which no diploma is issued.
    from dtbd_desktop.gui.screens.admin_keys import KeysTab
    from dtbd_desktop.gui.screens.admin_view import AdminView
    from dtbd_desktop.services import signing_keys

    admin = year.window.show_section("admin")
    assert isinstance(admin, AdminView)
    admin.tabs.setCurrentWidget(admin.keys)
    monkeypatch.setattr(KeysTab, "ask_text", lambda self, title, label: "Máy phòng Đào tạo")
    qtbot.mouseClick(admin.keys.findChild(QWidget, "enrol_key"), LEFT)
    qtbot.waitUntil(lambda: admin.keys.message.text().startswith("Đã đăng ký khóa"), timeout=10_000)
    assert [k.label for k in year.read(signing_keys.list_keys)] == ["Máy phòng Đào tạo"]
    year.classes_view()

    # 14. The diplomas: issued (the date typed in the issue dialog), previewed, saved as a PDF.
    import subprocess

    from PySide6.QtWidgets import QFileDialog

    from dtbd_desktop.gui.dialogs.certificates_preview import PreviewDialog
    from dtbd_desktop.gui.screens.certificates_tab import CertificatesTab, IssueDialog
    from dtbd_desktop.services import certificates

    mark = year.last_audit_id()
    docs_tab = page.certificates_tab
    assert isinstance(docs_tab, CertificatesTab)
    page.tabs.setCurrentWidget(docs_tab)
    docs_tab.reload()
    qtbot.waitUntil(lambda: docs_tab.docs is not None and docs_tab.docs.to_issue == len(DISTRICT), timeout=10_000)

    def issue_dialog(dialog: IssueDialog) -> int:
        retype(qtbot, dialog.date, "15/09/2025")
        dialog.accept()

        return int(dialog.result())

    monkeypatch.setattr(IssueDialog, "exec", issue_dialog)
    qtbot.mouseClick(docs_tab.buttons["issue"], LEFT)
    qtbot.waitUntil(lambda: docs_tab.docs is not None and docs_tab.docs.issued == len(DISTRICT), timeout=20_000)
    lines = docs_tab.docs.lines
    serials = [line.certificate.serial for line in lines if line.certificate]
    assert len(set(serials)) == len(DISTRICT) and serials == sorted(serials)
    assert all(line.certificate and line.certificate.issue_date == D(2025, 9, 15) for line in lines)

    monkeypatch.setattr(PreviewDialog, "launch", lambda self: None)
    qtbot.mouseClick(docs_tab.buttons["preview"], LEFT)
    qtbot.waitUntil(lambda: hasattr(docs_tab, "preview_dialog"), timeout=10_000)
    preview = docs_tab.preview_dialog
    assert len(preview.pages) == len(DISTRICT) and not preview.current_image().isNull()
    preview.close()

    pdf = tmp_path / "van-bang-TC25.01.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(pdf), "PDF (*.pdf)")))
    qtbot.mouseClick(docs_tab.buttons["pdf"], LEFT)
    qtbot.waitUntil(lambda: docs_tab.message.text().startswith(f"Đã lưu {len(DISTRICT)} trang vào"), timeout=30_000)
    assert pdf.exists()
    printed = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Nguyễn Văn An" in printed or "NGUYỄN VĂN AN" in printed, printed[:500]
    words = year.audit(mark)
    assert words[0] == (f"Cấp văn bằng số hiệu 0001/TC-2025 (số vào sổ 0001/2025/TC) cho Nguyễn Văn An lớp {TC}, "
                        "ngày cấp 15/09/2025")
    assert len([w for w in words if w.startswith("Cấp văn bằng số hiệu")]) == len(DISTRICT)
    assert f"In văn bằng số hiệu 0001/TC-2025 của Nguyễn Văn An (lớp {TC})" in words

    # 15. One diploma revoked (given to the wrong person), one reissued (a misspelt place of birth).
    mark = year.last_audit_id()
    reasons = iter(["Cấp nhầm: học viên đề nghị thu hồi để bổ sung hồ sơ", "Sai nơi sinh, cấp lại"])
    monkeypatch.setattr(CertificatesTab, "ask_reason", lambda self, title, question: next(reasons))

    def choose(name: str) -> str:
        row = next(r for r in range(docs_tab.proxy.rowCount())
                   if docs_tab.listing.row_at(docs_tab.proxy.index(r, 0)).full_name == name)
        docs_tab.table.selectRow(row)
        chosen = docs_tab.selected()
        assert chosen is not None and chosen.certificate is not None
        return chosen.certificate.serial

    revoked = choose("Dương Thị Lan")
    qtbot.mouseClick(docs_tab.buttons["revoke"], LEFT)
    qtbot.waitUntil(lambda: year.read(lambda s: certificates.verify(s, revoked).status) == "revoked", timeout=10_000)
    year.idle()
    qtbot.waitUntil(lambda: docs_tab.docs is not None and any(
        ln.certificate and ln.certificate.serial == revoked and ln.certificate.status == "revoked"
        for ln in docs_tab.docs.lines), timeout=10_000)
    replaced = choose("Võ Minh Đức")
    qtbot.mouseClick(docs_tab.buttons["reissue"], LEFT)
    qtbot.waitUntil(lambda: year.read(lambda s: certificates.verify(s, replaced).status) != "valid", timeout=10_000)
    year.idle()
    words = year.audit(mark)
    assert words[0] == (f"Thu hồi văn bằng số hiệu {revoked} của Dương Thị Lan (lớp {TC}) — lý do: Cấp nhầm: học "
                        "viên đề nghị thu hồi để bổ sung hồ sơ")
    assert words[-1].startswith(f"Cấp lại văn bằng của Võ Minh Đức (lớp {TC}): số hiệu mới ")
    assert words[-1].endswith(f"thay số hiệu {replaced} — lý do: Sai nơi sinh, cấp lại")

    # 16. The register (Văn bằng, chứng chỉ): the year's lines, the revoked one kept; exported.
    from dtbd_desktop.gui.screens.certificates_view import CertificatesView

    register = year.window.show_section("certificates")
    assert isinstance(register, CertificatesView)
    register.refresh()
    qtbot.waitUntil(lambda: register.year.findData(2025) >= 0, timeout=10_000)
    register.year.setCurrentIndex(register.year.findData(2025))
    qtbot.waitUntil(lambda: register.model.rowCount() == len(DISTRICT), timeout=10_000)
    shown_rows = {row.serial: row for row in register.model.rows}
    assert shown_rows[revoked].status == "revoked" and shown_rows[revoked].full_name == "Dương Thị Lan"
    assert shown_rows[replaced].full_name == "Võ Minh Đức"
    book = tmp_path / "so-goc-2025.xlsx"
    print_to(monkeypatch, book)
    qtbot.mouseClick(register.buttons["export_xlsx"], LEFT)
    qtbot.waitUntil(lambda: register.message.text().startswith("Đã xuất"), timeout=20_000)
    import openpyxl

    cells = " ".join(str(c.value) for ws in openpyxl.load_workbook(book).worksheets for row in ws.iter_rows()
                     for c in row if c.value is not None)
    assert "SỔ GỐC CẤP BẰNG TỐT NGHIỆP TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH" in cells and "PHỤ LỤC" in cells
    assert "Nguyễn Văn An" in cells and "0001/2025/TC" in cells and revoked in cells
    assert "125-QĐ/TCT" in cells  # the decision the register links to
    # The reissue is noted on the old line; its appendix line belongs to the register of the year
    # the new diploma was issued in (today's).
    assert "Đã cấp lại số hiệu mới" in cells and "Cấp nhầm: học viên đề nghị thu hồi" in cells

    # 17. The annual report of 2025 (Báo cáo), in Excel and PDF.
    from dtbd_desktop.gui.screens.reports_view import ReportsView

    reports = year.window.show_section("reports")
    assert isinstance(reports, ReportsView)
    reports.year.setValue(2025)
    for suffix in (".xlsx", ".pdf"):
        target = tmp_path / f"Bao cao nam 2025{suffix}"
        print_to(monkeypatch, target)
        qtbot.mouseClick(reports.xlsx_button if suffix == ".xlsx" else reports.pdf_button, LEFT)
        qtbot.waitUntil(lambda t=target: reports.message.text().startswith(f"Đã lưu {t}"), timeout=30_000)
        assert target.exists()
    report = " ".join(str(c.value) for ws in openpyxl.load_workbook(tmp_path / "Bao cao nam 2025.xlsx").worksheets
                      for row in ws.iter_rows() for c in row if c.value is not None)
    assert "Kết quả công tác đào tạo, bồi dưỡng năm 2025" in report
    assert "Trung cấp lý luận chính trị - hành chính: 1 lớp, 12 học viên" in report
    text = subprocess.run(["pdftotext", str(tmp_path / "Bao cao nam 2025.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Năm 2025, thực hiện 2 lớp, 12 học viên" in text
    # The Party format's letterhead and the report's number from the book of outgoing documents.
    assert "TỈNH ỦY LONG AN" in text and "TRƯỜNG CHÍNH TRỊ\n*" in text and "Số 01-BC/TCT" in text

    # 18. The short course, the shorter path: its roster, a learner the centre knows added by search.
    from PySide6.QtWidgets import QDialog as _Dialog

    from dtbd_desktop.gui.screens.roster_tab import FindLearnerDialog

    view = year.classes_view()
    view.close_page()
    short_page = view.open_class(SHORT, "roster")
    assert short_page is not None
    qtbot.waitUntil(lambda: short_page.roster_tab is not None and short_page.isEnabled(), timeout=10_000)
    short_roster = short_page.roster_tab
    assert short_roster is not None

    def find_known(dialog: FindLearnerDialog) -> _Dialog.DialogCode:
        key_text(qtbot, dialog.search, "ngo quoc khanh")  # without the diacritics, as typed in a hurry
        dialog.refresh()
        qtbot.waitUntil(lambda: dialog.results.count() == 1, timeout=10_000)
        assert dialog.results.item(0).text().startswith("Ngô Quốc Khánh – 19/05/1987")
        dialog.accept()
        return _Dialog.DialogCode(dialog.result())

    monkeypatch.setattr(FindLearnerDialog, "exec", find_known)
    qtbot.mouseClick(short_roster.buttons["add"], LEFT)
    qtbot.waitUntil(lambda: short_roster.model.rowCount() == 1, timeout=10_000)
    assert [r.full_name for r in year.read(lambda s: roster.class_roster(s, SHORT))] == ["Ngô Quốc Khánh"]
    assert year.audit(year.last_audit_id() - 1)[-1] == f"Thêm học viên Ngô Quốc Khánh vào lớp {SHORT}"
