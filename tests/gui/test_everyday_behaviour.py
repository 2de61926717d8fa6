"""What every screen does the same way: searching as you type, saving told on the screen with the
file a click away, lists brought up to date, the warnings read in full, one name for the sending
organisations, and the first account's consequence said before it is made."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.widgets.list_screen import SEARCH_DELAY_MS, SearchBox
from dtbd_desktop.services import certificates
from tests.conftest import DEMO_TODAY
from tests.gui.test_class_page import type_text


@pytest.mark.parametrize(("module", "name", "box"), [
    ("classes_view", "ClassesView", "search"), ("learners_view", "LearnersView", "search"),
    ("certificates_view", "CertificatesView", "search"), ("lecturers_view", "LecturersView", "search"),
    ("organisations_view", "OrganisationsView", "search")])
def test_every_list_searches_as_you_type_after_a_pause(qtbot: QtBot, demo_db: Database,
                                                      make_ctx: Callable[[Database], AppContext],
                                                      module: str, name: str, box: str) -> None:
    import importlib

    view = getattr(importlib.import_module(f"dtbd_desktop.gui.screens.{module}"), name)(make_ctx(demo_db))
    qtbot.addWidget(view)
    search = getattr(view, box)
    assert isinstance(search, SearchBox)
    searched: list[str] = []
    search.searched.connect(searched.append)
    type_text(search, "ngu")
    assert searched == []  # not at each key
    qtbot.waitUntil(lambda: searched == ["ngu"], timeout=SEARCH_DELAY_MS * 5)
    type_text(search, "y")
    search.returnPressed.emit()  # Enter: at once
    assert searched == ["ngu", "nguy"]
    qtbot.wait(SEARCH_DELAY_MS * 2)
    assert searched == ["ngu", "nguy"]  # and not once more after the pause
    search.clear()
    assert searched[-1] == ""


def test_the_audit_log_searches_the_same_way(qtbot: QtBot, sqlite_db: Database,
                                             make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.gui.screens.admin_view import AuditTab

    tab = AuditTab(make_ctx(sqlite_db))
    qtbot.addWidget(tab)
    assert isinstance(tab.text, SearchBox)


def test_a_file_saved_is_told_on_the_screen_with_links_to_it(qtbot: QtBot, demo_db: Database,
                                                            make_ctx: Callable[[Database], AppContext],
                                                            monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            message_boxes: list[tuple[str, str]]) -> None:
    from dtbd_desktop.gui.screens.roster_tab import RosterTab

    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    tab = RosterTab(make_ctx(demo_db), "A48", "TC")
    qtbot.addWidget(tab)
    target = tmp_path / "Danh sach A48.pdf"
    tab.export_to(target)
    qtbot.waitUntil(lambda: tab.message.file is not None, timeout=20_000)
    assert target.exists() and message_boxes == []  # no box to click away
    assert tab.message.text().startswith(f"Đã lưu {target}.")
    assert "href='file'" in tab.message.text() and "Mở thư mục" in tab.message.text()
    tab.message.linkActivated.emit("file")
    tab.message.linkActivated.emit("folder")
    assert [url.toLocalFile() for url in opened] == [str(target), str(tmp_path)]
    tab.message.say("Đã thêm học viên.")  # a later news line has no file
    tab.message.linkActivated.emit("file")
    assert len(opened) == 2


def test_the_register_shows_certificates_issued_in_a_class_when_shown_again(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.screens.certificates_view import CertificatesView

    window = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(window)
    window.show()
    register = window.show_section("certificates")
    assert isinstance(register, CertificatesView)
    qtbot.waitUntil(lambda: register.model.rowCount() > 0, timeout=10_000)
    register.year.setCurrentIndex(register.year.count() - 1)  # every year
    with demo_db.read() as s:
        before = len(certificates.list_certificates(s, None, None, None))
    qtbot.waitUntil(lambda: register.model.rowCount() == before, timeout=10_000)
    with demo_db.read() as s:
        docs = certificates.class_documents(s, "NT26.02")
    assert docs.to_issue > 0  # the demo's class whose certificates wait to be issued
    window.open_class(docs.class_code, "certificates")
    page = window.sections["classes"].page  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: page.detail is not None and page.tabs.count() == 7, timeout=10_000)
    tab = page.certificates_tab
    qtbot.waitUntil(lambda: tab.docs is not None, timeout=10_000)
    tab.issue_on(DEMO_TODAY + dt.timedelta(days=3))
    qtbot.waitUntil(lambda: tab.message.text().startswith("Đã cấp và vào sổ"), timeout=30_000)
    window.show_section("certificates")
    qtbot.waitUntil(lambda: register.model.rowCount() == before + docs.to_issue, timeout=10_000)
    assert register.year.currentData() is None  # the year chosen is kept


def test_long_warnings_wrap_and_say_everything_in_their_tooltip(qtbot: QtBot, demo_db: Database,
                                                                make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.gui.screens.dashboard_view import DashboardView
    from dtbd_desktop.gui.table_model import ROW_ROLE

    view = DashboardView(make_ctx(demo_db), today=DEMO_TODAY)
    qtbot.addWidget(view)
    view.resize(1176, 650)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.activate()
    assert view.warnings.wordWrap()
    items = view.warning_items()
    assert items and all(item.toolTip(0) == item.data(0, ROW_ROLE).message for item in items)
    longest = max(items, key=lambda item: view.warnings.fontMetrics().horizontalAdvance(item.text(0)))
    longest.parent().setExpanded(True)
    view.warnings.scrollToItem(longest)
    qtbot.wait(20)
    rect = view.warnings.visualItemRect(longest)
    needed = view.warnings.fontMetrics().horizontalAdvance(longest.text(0))
    if needed > view.warnings.columnWidth(0) - 40:  # wider than its column: on more lines, not cut
        assert rect.height() > view.warnings.fontMetrics().height() * 1.5


def test_one_name_for_the_sending_organisations(qtbot: QtBot, demo_db: Database,
                                                make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.gui.main_window import MainWindow

    window = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(window)
    labels = [window.nav.item(r).text() for r in range(window.nav.count())]
    assert "Đơn vị cử đi học" in labels
    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "dtbd_desktop").rglob("*.py"), root / "resources" / "help" / "huong-dan.md"]
    wrong = [f"{p.name}: {m.group(0)}" for p in sources
             for m in re.finditer(r"[Đđ]ơn vị\s+cử học(?! viên)", p.read_text(encoding="utf-8"))]
    assert wrong == []


def test_the_first_account_says_it_turns_logins_on(qtbot: QtBot, sqlite_db: Database,
                                                   make_ctx: Callable[[Database], AppContext],
                                                   message_boxes: list[tuple[str, str]]) -> None:
    from dtbd_desktop.gui.screens.admin_view import AdminView

    view = AdminView(make_ctx(sqlite_db))
    qtbot.addWidget(view)
    view.show()
    view.activate()
    users = view.users
    qtbot.waitUntil(lambda: users.logins_note.isVisible(), timeout=10_000)
    assert "BẬT ĐĂNG NHẬP" in users.logins_note.text() and "cả dòng lệnh" in users.logins_note.text()
    type_text(users.username, "quantri")
    type_text(users.full_name, "Nguyễn Văn Quản")
    users.role.setCurrentIndex(users.role.findData("admin"))
    type_text(users.password, "mat-khau-dai")
    users.add_user()
    assert message_boxes and message_boxes[-1][0] == "question"
    assert message_boxes[-1][1].startswith("Đây là tài khoản đầu tiên. Sau khi tạo, mọi người (cả dòng lệnh) phải "
                                           "đăng nhập")
    qtbot.waitUntil(lambda: view.ctx.login is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not users.logins_note.isVisible(), timeout=10_000)


def test_no_window_of_the_class_work_is_taller_than_a_small_screen(qtbot: QtBot, demo_db: Database,
                                                                  make_ctx: Callable[[Database], AppContext]) -> None:
    from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, load_record
    from dtbd_desktop.services import learners

    with demo_db.read() as s:
        record = load_record(s, learners.search_learners(s, "", limit=1)[0].id)
    dialog: QWidget = LearnerDialog(make_ctx(demo_db), *record)
    qtbot.addWidget(dialog)
    assert dialog.height() <= 768 - 70 and dialog.minimumSizeHint().height() <= 768 - 70
