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
from dtbd_desktop.services import audit_log, classes, settings

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
