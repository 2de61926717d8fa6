"""The main window on the demo centre: the class list, a class, the learner search."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from dtbd_desktop.base.text import fold
from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.main_window import MainWindow
from dtbd_desktop.gui.screens.class_dialog import ClassDialog
from dtbd_desktop.gui.screens.classes_view import ClassesView
from dtbd_desktop.gui.screens.learners_view import LearnersView
from dtbd_desktop.services import classes


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_class_list_filters_by_year_and_programme(qtbot: QtBot, demo_db: Database,
                                                  make_ctx: Callable[[Database], AppContext]) -> None:
    window = _window(qtbot, make_ctx(demo_db))
    view = window.show_section("classes")
    assert isinstance(view, ClassesView)
    with demo_db.read() as s:
        expected_all = {r.code for r in classes.list_classes(s)}
        expected_tc_2025 = {r.code for r in classes.list_classes(s, year=2025, programme="TC")}
    qtbot.waitUntil(lambda: view.proxy.rowCount() == len(expected_all), timeout=10_000)
    view.year.setCurrentIndex(view.year.findData(2025))
    view.programme.setCurrentIndex(view.programme.findData("TC"))
    qtbot.waitUntil(lambda: {view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())}
                    == expected_tc_2025, timeout=10_000)
    assert len(expected_tc_2025) == 2
    qtbot.keyClicks(view.search, "B21")  # filtered as typed, once the typing pauses
    qtbot.waitUntil(lambda: [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())] == ["B21.KTT"],
                    timeout=2_000)


def test_opening_a_class_shows_its_roster_in_vietnamese_order(qtbot: QtBot, demo_db: Database,
                                                             make_ctx: Callable[[Database], AppContext],
                                                             monkeypatch) -> None:
    monkeypatch.setattr(ClassDialog, "launch", lambda self: None)
    ctx = make_ctx(demo_db)
    view = ClassesView(ctx)
    qtbot.addWidget(view)
    dialog = view.open_class("A48")
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    assert dialog.code_edit.text() == "A48"
    assert dialog.programme.currentData() == "TC"
    names = [dialog.roster_model.index(r, 0).data() for r in range(dialog.roster_model.rowCount())]
    with demo_db.read() as s:
        from dtbd_desktop.services.roster import class_roster

        assert names == [r.full_name for r in class_roster(s, "A48")]
    assert len(names) == 62


def test_opening_a_new_class_from_the_keyboard(qtbot: QtBot, sqlite_db: Database,
                                               make_ctx: Callable[[Database], AppContext], monkeypatch) -> None:
    monkeypatch.setattr(ClassDialog, "launch", lambda self: None)
    ctx = make_ctx(sqlite_db)
    view = ClassesView(ctx)
    qtbot.addWidget(view)
    dialog = view.new_class()
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    qtbot.keyClicks(dialog.code_edit, "K74B.21")
    dialog.programme.setCurrentIndex(dialog.programme.findData("CC"))
    dialog.start.setDate(QDate(2026, 5, 11))
    dialog.end.setDate(QDate(2026, 1, 1))  # before the start: refused, shown in the dialog
    dialog.save()
    qtbot.waitUntil(lambda: "trước ngày khai giảng" in dialog.info.problem_labels["end"].text(), timeout=10_000)
    assert dialog.info.problem_labels["end"].isVisibleTo(dialog)
    with sqlite_db.read() as s:
        assert classes.list_classes(s) == []
    dialog.end.setDate(QDate(2028, 1, 15))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.info.save_button, Qt.MouseButton.LeftButton)
    with sqlite_db.read() as s:
        rows = classes.list_classes(s)
    assert [(r.code, r.programme_code, r.start, r.end) for r in rows] == [
        ("K74B.21", "CC", dt.date(2026, 5, 11), dt.date(2028, 1, 15))]


def test_learner_search_ignores_diacritics(qtbot: QtBot, demo_db: Database,
                                          make_ctx: Callable[[Database], AppContext]) -> None:
    window = _window(qtbot, make_ctx(demo_db))
    view = window.show_section("learners")
    assert isinstance(view, LearnersView)
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    qtbot.keyClicks(view.search, "nguyen van")
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and all(
        "nguyen van" in fold(view.model.index(r, 0).data()) for r in range(view.model.rowCount())),
        timeout=10_000)
    with demo_db.read() as s:
        from sqlalchemy import func, select

        from dtbd_desktop.db.models import Learner

        expected = s.scalar(select(func.count()).where(Learner.search_key.like("%nguyen van%")))
    assert view.model.rowCount() == min(expected, 200)


def test_withdrawing_a_learner_from_the_roster_tab(qtbot: QtBot, demo_db: Database,
                                                   make_ctx: Callable[[Database], AppContext], monkeypatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from dtbd_desktop.services.roster import class_roster

    monkeypatch.setattr(ClassDialog, "launch", lambda self: None)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Cơ quan cử đi công tác", True))
    ctx = make_ctx(demo_db)
    view = ClassesView(ctx)
    qtbot.addWidget(view)
    dialog = view.open_class("B22.KTT")
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    tab = dialog.roster_tab
    assert tab is not None
    tab.table.selectRow(0)
    first = tab.proxy.index(0, 0).data()
    with qtbot.waitSignal(tab.changed, timeout=10_000):
        tab.buttons["withdraw"].click()
    with demo_db.read() as s:
        rows = {r.full_name: r for r in class_roster(s, "B22.KTT")}
    assert rows[first].status == "withdrawn"
    assert dialog.tabs.tabText(1) == "Học viên (55)"


FRAME_FIRST = """
import sys
from PySide6.QtWidgets import QApplication
app = QApplication([])
from dtbd_desktop.gui import app as gui_app  # what the program loads before its first paint
from dtbd_desktop.gui.main_window import MainWindow
window = MainWindow()
window.show()
window.repaint()
app.processEvents()
heavy = sorted(m for m in ("sqlalchemy", "reportlab", "openpyxl", "PIL", "argon2", "cryptography", "keyring")
               if m in sys.modules)
print(window.nav.isEnabled(), window.nav.count(), window.stack.currentWidget().text(), heavy)
"""


def test_the_frame_paints_before_the_database_layer_loads() -> None:
    """What a person sees first: the window with its sidebar and "opening the database...", drawn
    before SQLAlchemy or any document library is even imported (gui/app.py paints it first)."""
    import os
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", FRAME_FIRST], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "DTBD_LANG": "vi"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False 10 Đang mở cơ sở dữ liệu... []"


def test_the_frame_takes_its_screens_when_the_database_is_open(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert not window.nav.isEnabled()
    assert not any(a.isEnabled() for a in window.needs_database)  # settings, go to, about: not yet
    window.attach(make_ctx(demo_db))
    assert window.nav.isEnabled() and all(a.isEnabled() for a in window.needs_database)
    assert window.stack.currentWidget() is window.sections["dashboard"]
    assert demo_db.display_url in window.db_label.text()
