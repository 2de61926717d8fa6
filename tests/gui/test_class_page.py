"""A class's page, as the training office uses it: details edited and saved, refused saves shown on
their field, a new class going on to its roster, one page per double click, deletion apart and
confirmed, unsaved details never lost without a question."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.class_dialog import ClassPage
from dtbd_desktop.gui.screens.classes_view import ClassesView
from dtbd_desktop.gui.widgets.date_field import DateField
from dtbd_desktop.services import classes, lecturers

D = dt.date


def _new_class(db: Database, code: str = "T27") -> None:
    """A fostering class with no learner, 4–8 January 2027."""
    with db.write(raw=True) as s:
        classes.create_class(s, code=code, programme="NTVD", start=D(2027, 1, 4), end=D(2027, 1, 8))


def _view(qtbot: QtBot, ctx: AppContext) -> ClassesView:
    view = ClassesView(ctx)
    qtbot.addWidget(view)
    view.resize(1176, 650)  # the room a 1366×768 screen leaves beside the sidebar
    view.show()
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() > 0, timeout=10_000)
    return view


def _open(qtbot: QtBot, view: ClassesView, code: str) -> ClassPage:
    page = view.open_class(code)
    assert page is not None
    qtbot.waitUntil(lambda: page.isEnabled() and page.detail is not None, timeout=10_000)
    return page


def double_click(qtbot: QtBot, view: QAbstractItemView, index: QModelIndex) -> None:
    """A double click as the system sends it: press, release, double click, release."""
    pos = view.visualRect(index).center()
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def type_text(widget: QWidget, value: str) -> None:
    """Type `value` key by key, Vietnamese letters included (QTest types ASCII only)."""
    for char in value:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def _retype(qtbot: QtBot, edit: QLineEdit | DateField, value: str) -> None:
    line = edit.edit if isinstance(edit, DateField) else edit
    line.setFocus()
    line.selectAll()
    type_text(line, value)
    qtbot.keyClick(line, Qt.Key.Key_Tab)


def test_every_detail_of_a_class_is_saved_and_shown_again(qtbot: QtBot, demo_db: Database,
                                                         make_ctx: Callable[[Database], AppContext]) -> None:
    _new_class(demo_db)
    with demo_db.read() as s:
        lecturer = lecturers.list_lecturers(s, active_only=True)[0]
    view = _view(qtbot, make_ctx(demo_db))
    page = _open(qtbot, view, "T27")
    info = page.info
    assert not info.save_button.isEnabled()  # nothing to save yet
    _retype(qtbot, info.code_edit, "T27B")
    _retype(qtbot, info.name_edit, "Lớp nhận thức về Đảng xã Lương Hòa")
    info.mode.setCurrentIndex(info.mode.findData("part-time"))
    _retype(qtbot, info.venue, "Hội trường UBND xã Lương Hòa")
    _retype(qtbot, info.start, "9/1/27")  # as typed in Excel
    _retype(qtbot, info.end, "30/01/2027")
    info.homeroom.setCurrentIndex(info.homeroom.findData(lecturer.id))
    info.status.setCurrentIndex(info.status.findData("running"))
    info.note.setPlainText("Học thứ Bảy, Chủ nhật")
    assert page.is_dirty() and page.tabs.tabText(0).endswith("•")
    assert not info.length_warning.isVisibleTo(page)  # 5 weekend days hold 50 periods
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: info.message.text() == "Đã lưu thông tin lớp T27B.", timeout=10_000)

    with demo_db.read() as s:
        d = classes.class_detail(s, "T27B")
    assert (d.name, d.mode, d.venue, d.start, d.end, d.homeroom_lecturer_id, d.status, d.note) == (
        "Lớp nhận thức về Đảng xã Lương Hòa", "part-time", "Hội trường UBND xã Lương Hòa", D(2027, 1, 9),
        D(2027, 1, 30), lecturer.id, "running", "Học thứ Bảy, Chủ nhật")
    qtbot.waitUntil(lambda: not page.is_dirty() and page.detail is not None and page.detail.code == "T27B",
                    timeout=10_000)
    qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
    assert view.page is None and view.pages.currentWidget() is view.list_page
    qtbot.waitUntil(lambda: "T27B" in [r.code for r in view.model.rows], timeout=10_000)

    again = _open(qtbot, view, "T27B")
    shown = again.info
    assert (shown.code_edit.text(), shown.name_edit.text(), shown.mode.currentData(), shown.venue.text(),
            shown.start.text(), shown.end.text(), shown.homeroom.currentText(), shown.status.currentData(),
            shown.note.toPlainText()) == (
        "T27B", "Lớp nhận thức về Đảng xã Lương Hòa", "part-time", "Hội trường UBND xã Lương Hòa", "09/01/2027",
        "30/01/2027", lecturer.display_name, "running", "Học thứ Bảy, Chủ nhật")
    assert again.title.text() == "Lớp T27B – Lớp nhận thức về Đảng xã Lương Hòa"


def test_a_refused_save_shows_the_problem_under_its_field(qtbot: QtBot, demo_db: Database,
                                                         make_ctx: Callable[[Database], AppContext]) -> None:
    _new_class(demo_db)
    view = _view(qtbot, make_ctx(demo_db))
    page = _open(qtbot, view, "T27")
    info = page.info
    _retype(qtbot, info.code_edit, "A48")  # a code the demo centre already uses
    _retype(qtbot, info.end, "01/01/2027")  # before the start
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: info.problem_labels["code"].isVisibleTo(page), timeout=10_000)
    assert info.problem_labels["code"].text() == "Đã có lớp mã 'A48'. Chọn mã khác."
    assert info.problem_labels["end"].text() == "Ngày kết thúc 01/01/2027 trước ngày khai giảng 04/01/2027."
    assert "b71c1c" in info.code_edit.styleSheet() and "b71c1c" in info.end.edit.styleSheet()
    assert not info.problem_labels["venue"].isVisibleTo(page)
    assert info.message.text().startswith("Chưa lưu được lớp T27.")
    with demo_db.read() as s:
        assert classes.class_detail(s, "T27").end == D(2027, 1, 8)  # nothing half-written
    # A date that is no date is named on its field before anything is sent.
    _retype(qtbot, info.end, "31/02/2027")
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)
    assert info.end.edit.toolTip() == "“31/02/2027” không phải là ngày: gõ ngày/tháng/năm, ví dụ 05/01/2027."
    _retype(qtbot, info.code_edit, "T27")
    _retype(qtbot, info.end, "15/01/2027")
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: info.message.text() == "Đã lưu thông tin lớp T27.", timeout=10_000)
    assert not any(label.isVisibleTo(page) for label in info.problem_labels.values())
    assert info.code_edit.styleSheet() == ""


def test_a_new_class_checks_its_dates_against_the_programme_then_goes_on_to_its_roster(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    answers = [False, True]
    monkeypatch.setattr(ClassPage, "confirm_dates", lambda self, message: asked.append(message) or answers.pop(0))
    view = _view(qtbot, make_ctx(demo_db))
    page = view.new_class()
    assert page is not None and view.pages.currentWidget() is page
    qtbot.waitUntil(page.isEnabled, timeout=10_000)
    info = page.info
    assert page.tabs.count() == 1 and page.title.text() == "Mở lớp mới"
    qtbot.keyClicks(info.code_edit, "TC27")
    info.programme.setCurrentIndex(info.programme.findData("TC"))
    _retype(qtbot, info.start, "05/01/2027")
    suggested = info.end.value()
    assert suggested - D(2027, 1, 5) > dt.timedelta(days=100)  # a Trung cấp course: months, not today
    assert not info.length_warning.isVisibleTo(page)
    _retype(qtbot, info.end, "05/01/2027")  # the slip: the end left on the start
    assert info.length_warning.isVisibleTo(page)
    assert info.length_warning.text().startswith(
        "Ngày kết thúc: từ 05/01/2027 đến 05/01/2027 lớp chỉ có 2 buổi học, chương trình TC (790 tiết) cần ít nhất ")
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)  # asked; "Sửa ngày"
    assert len(asked) == 1 and asked[0] == info.length_warning.text()
    assert info.end.edit.hasFocus()
    with demo_db.read() as s:
        assert "TC27" not in {r.code for r in classes.list_classes(s)}
    _retype(qtbot, info.end, "31/8/2027")
    assert not info.length_warning.isVisibleTo(page)
    info.mode.setCurrentIndex(info.mode.findData("part-time"))  # weekends only: 8 months are too short
    assert info.length_warning.isVisibleTo(page)
    qtbot.mouseClick(info.save_button, Qt.MouseButton.LeftButton)  # asked again; "Vẫn lưu"
    qtbot.waitUntil(lambda: page.detail is not None and page.tabs.count() == 7, timeout=10_000)
    assert len(asked) == 2
    assert page.tabs.currentWidget() is page.roster_tab  # on to the learners
    assert page.title.text().startswith("Lớp TC27 – ")
    with demo_db.read() as s:
        d = classes.class_detail(s, "TC27")
    assert (d.programme_code, d.mode, d.start, d.end) == ("TC", "part-time", D(2027, 1, 5), D(2027, 8, 31))


def test_a_double_click_or_enter_opens_a_class_once(qtbot: QtBot, demo_db: Database,
                                                   make_ctx: Callable[[Database], AppContext],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    view = _view(qtbot, make_ctx(demo_db))
    opened: list[str] = []
    original = view.open_class
    monkeypatch.setattr(view, "open_class", lambda code, tab=None: opened.append(code) or original(code))
    index = view.proxy.index(0, 0)
    code = index.data()
    double_click(qtbot, view.table, index)
    assert opened == [code]
    assert view.pages.count() == 2 and view.pages.currentWidget() is view.page
    view.close_page()
    view.table.setFocus()
    view.table.setCurrentIndex(view.proxy.index(1, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened == [code, view.proxy.index(1, 0).data()]
    assert view.pages.count() == 2  # one page at a time


def test_learners_roster_and_dashboard_open_once_per_double_click(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    from dtbd_desktop.gui.screens.dashboard_view import DashboardView
    from dtbd_desktop.gui.screens.learners_view import LearnerDialog, LearnersView
    from tests.conftest import DEMO_TODAY

    shown: list[str] = []
    monkeypatch.setattr(LearnerDialog, "launch", lambda self: shown.append(self.windowTitle()))
    ctx = make_ctx(demo_db)
    learners = LearnersView(ctx)
    qtbot.addWidget(learners)
    learners.show()
    learners.activate()
    qtbot.waitUntil(lambda: learners.model.rowCount() > 0, timeout=10_000)
    index = learners.table.model().index(0, 0)
    double_click(qtbot, learners.table, index)
    qtbot.waitUntil(lambda: len(shown) == 1, timeout=10_000)
    ctx.runner.wait()
    qtbot.wait(50)
    assert shown == ["Hồ sơ học viên " + index.data()]

    view = _view(qtbot, ctx)
    page = _open(qtbot, view, "B22.KTT")
    roster = page.roster_tab
    assert roster is not None
    page.tabs.setCurrentWidget(roster)
    row = roster.proxy.index(0, 0)
    double_click(qtbot, roster.table, row)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=10_000)
    ctx.runner.wait()
    qtbot.wait(50)
    assert shown[1] == "Hồ sơ học viên " + row.data()

    dashboard = DashboardView(ctx, today=DEMO_TODAY)
    qtbot.addWidget(dashboard)
    dashboard.show()
    dashboard.activate()
    qtbot.waitUntil(lambda: dashboard.running_model.rowCount() > 0, timeout=10_000)
    asked: list[tuple[str, str]] = []
    dashboard.open_class_requested.connect(lambda code, tab: asked.append((code, tab)))
    first = dashboard.running_table.model().index(0, 0)
    double_click(qtbot, dashboard.running_table, first)
    assert asked == [(first.data(), "")]


def test_deleting_is_apart_from_saving_confirmed_by_name_and_closes_the_page(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        message_boxes: list[tuple[str, str]]) -> None:
    _new_class(demo_db, "X27")
    _new_class(demo_db, "Y27")
    view = _view(qtbot, make_ctx(demo_db))
    page = _open(qtbot, view, "X27")
    info = page.info
    assert info.danger.isAncestorOf(info.delete_button) and not info.danger.isAncestorOf(info.save_button)
    assert info.delete_button.text() == "Xóa lớp X27..."
    for tab in range(1, page.tabs.count()):  # no deletion beside the other tabs' work
        assert not page.tabs.widget(tab).isAncestorOf(info.delete_button)
    qtbot.mouseClick(info.delete_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.page is None, timeout=10_000)
    assert message_boxes[-1] == ("question", "Xóa hẳn lớp X27 – Lớp Bồi dưỡng nhận thức về Đảng X27?\n\nChỉ xóa "
                                             "được lớp chưa có học viên và chưa cấp văn bằng, chứng chỉ. Việc xóa "
                                             "không hoàn tác được.")
    assert view.pages.currentWidget() is view.list_page and view.pages.count() == 1
    with demo_db.read() as s:
        assert not {"X27"} & {r.code for r in classes.list_classes(s)}

    # From the list's context menu, while the class's page is open: the page goes too.
    _open(qtbot, view, "Y27")
    qtbot.waitUntil(lambda: "Y27" in [r.code for r in view.model.rows], timeout=10_000)
    row = next(r for r in view.model.rows if r.code == "Y27")
    view.close_page()
    view.open_class("Y27")
    view.delete_class(row)
    qtbot.waitUntil(lambda: view.page is None and view.message.text() == "Đã xóa lớp Y27.", timeout=10_000)
    assert message_boxes[-1][1].startswith("Xóa hẳn lớp Y27 – ")


def test_the_class_list_context_menu_offers_opening_and_deleting(qtbot: QtBot, demo_db: Database,
                                                                 make_ctx: Callable[[Database], AppContext]) -> None:
    view = _view(qtbot, make_ctx(demo_db))
    index = view.proxy.index(0, 0)
    view._context_menu(view.table.visualRect(index).center())
    actions = [a.text() for a in view.context_menu.actions() if not a.isSeparator()]
    assert actions == [f"Mở lớp {index.data()}", f"Xóa lớp {index.data()}..."]
    delete = view.context_menu.actions()[-1]
    row = view.listing.row_at(index)
    assert row is not None and delete.isEnabled() is (row.learners == 0)
    view.context_menu.close()


@pytest.mark.parametrize(("answer", "saved", "still_open"), [("cancel", False, True), ("discard", False, False),
                                                             ("save", True, False)])
def test_esc_with_unsaved_details_asks_first(qtbot: QtBot, demo_db: Database,
                                            make_ctx: Callable[[Database], AppContext],
                                            monkeypatch: pytest.MonkeyPatch, answer: str, saved: bool,
                                            still_open: bool) -> None:
    asked: list[str] = []
    monkeypatch.setattr(ClassPage, "ask_unsaved", lambda self: asked.append(self.code or "") or answer)
    _new_class(demo_db)
    view = _view(qtbot, make_ctx(demo_db))
    page = _open(qtbot, view, "T27")
    qtbot.keyClick(page.info.venue, Qt.Key.Key_Escape)  # nothing changed: back at once
    assert view.page is None and asked == []
    page = _open(qtbot, view, "T27")
    page.info.venue.setFocus()
    type_text(page.info.venue, "Phòng 3")
    qtbot.keyClick(page.info.venue, Qt.Key.Key_Escape)
    assert asked == ["T27"]
    qtbot.waitUntil(lambda: (view.page is page) is still_open, timeout=10_000)
    with demo_db.read() as s:
        assert (classes.class_detail(s, "T27").venue == "Phòng 3") is saved


def test_closing_the_window_with_unsaved_details_asks_first(qtbot: QtBot, demo_db: Database,
                                                            make_ctx: Callable[[Database], AppContext],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from dtbd_desktop.gui.main_window import MainWindow

    answers = ["cancel", "discard"]
    monkeypatch.setattr(ClassPage, "ask_unsaved", lambda self: answers.pop(0))
    window = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(window)
    window.show()
    window.open_class("A48", "attendance")  # as a warning of absences does
    view = window.sections["classes"]
    assert isinstance(view, ClassesView) and view.page is not None
    page = view.page
    qtbot.waitUntil(lambda: page.detail is not None and page.tabs.count() == 7, timeout=10_000)
    assert window.stack.currentWidget() is view and page.tabs.currentWidget() is page.attendance_tab
    _retype(qtbot, page.info.name_edit, "Tên mới")
    assert not window.close() and window.isVisible() and answers == ["discard"]
    assert window.close() and answers == []


def test_a_class_page_fits_a_small_screen_and_uses_a_large_one(qtbot: QtBot, demo_db: Database,
                                                               make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.gui.main_window import MainWindow

    window = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(window)
    window.show()
    window.open_class("B22.KTT")
    page = window.sections["classes"].page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.detail is not None, timeout=10_000)
    assert window.minimumSizeHint().height() <= 768 - 40 - 30  # a taskbar and a title bar
    assert window.minimumSizeHint().width() <= 1366
    for size in ((1366, 768 - 70), (1920, 1080 - 70)):
        window.resize(*size)
        qtbot.wait(20)
        assert page.tabs.width() >= size[0] - 190 - 40  # all the window but the sidebar
        assert page.mapTo(window, QPoint(0, page.height())).y() <= size[1]


def test_the_main_window_comes_back_as_it_was_left(qtbot: QtBot, demo_db: Database,
                                                   make_ctx: Callable[[Database], AppContext]) -> None:
    from PySide6.QtCore import QSize

    from dtbd_desktop.gui.main_window import MainWindow

    first = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(first)
    first.show_restored()
    first.showNormal()
    first.resize(760, 520)  # within the offscreen screen (800×600)
    qtbot.wait(20)
    assert first.close()
    second = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(second)
    second.show_restored()
    qtbot.wait(20)
    assert second.size() == QSize(760, 520)
