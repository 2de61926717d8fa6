"""Settings (Tệp → Cài đặt...), and the Help menu, driven from the keyboard on a fresh database.

Outcomes are read back through the core: get_settings / logo_png for the centre's settings,
load_config / preferred_language for what belongs to this PC, the audit log for who changed what.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dtbd_desktop import __version__
from dtbd_desktop.base.config import config_path, load_config, preferred_language
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.help_dialog import AboutDialog, HelpDialog
from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog
from dtbd_desktop.gui.main_window import MainWindow
from dtbd_desktop.services import settings
from tests.logins import admin_login, create_account

pytestmark = pytest.mark.gui
REFUSED_PORT = 1


@pytest.fixture
def open_dialog(qtbot: QtBot, make_ctx: Callable[[Database], AppContext]) -> Iterator[Callable[[Database], SettingsDialog]]:
    opened: list[SettingsDialog] = []
    previous_locale = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese))  # as the program sets it for Vietnamese

    def make(db: Database) -> SettingsDialog:
        dialog = SettingsDialog(make_ctx(db))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isEnabled, timeout=10_000)  # the settings are read off the GUI thread
        opened.append(dialog)
        return dialog

    yield make
    for dialog in opened:
        dialog.ctx.runner.wait()
    QApplication.processEvents()
    QLocale.setDefault(previous_locale)


def key_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type key by key; letters beyond ASCII (which QTest refuses) as key events carrying the letter."""
    for char in text:
        if ord(char) < 128:
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key_text(qtbot, widget, text)


def save_by_keyboard(qtbot: QtBot, dialog: SettingsDialog) -> None:
    qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)


def set_up_centre(db: Database) -> Database:
    """A centre that went through the first-run wizard (its name and place are required)."""
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", place_name="Long An")
    return db


def stored(db: Database) -> dict:
    with db.read() as session:
        return settings.get_settings(session)


def test_the_training_office_edits_the_centre_and_the_rules(qtbot: QtBot, sqlite_db: Database,
                                                           open_dialog: Callable[[Database], SettingsDialog]) -> None:
    dialog = open_dialog(sqlite_db)
    assert dialog.tabs.currentIndex() == 0
    assert QApplication.focusWidget() is dialog.letterhead.centre_name
    type_into(qtbot, dialog.letterhead.centre_name, "Trường Chính trị tỉnh Long An")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    key_text(qtbot, QApplication.focusWidget(), "Tỉnh ủy Long An")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    key_text(qtbot, QApplication.focusWidget(), "Long An")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.letterhead.party_heading
    qtbot.keyClick(dialog.letterhead.party_heading, Qt.Key.Key_Space)  # a state school: the national heading
    type_into(qtbot, dialog.signer.director_title.lineEdit(), "Hiệu trưởng")
    type_into(qtbot, dialog.signer.director_name, "Nguyễn Văn Bình")

    qtbot.keyClick(dialog.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert dialog.tabs.currentIndex() == 1
    type_into(qtbot, dialog.lock_days, "10")
    type_into(qtbot, dialog.young_age, "30")
    type_into(qtbot, dialog.age_limits, "25, 35, 45, 55")
    assert dialog.age_preview.text() == "dưới 25 · 25–34 · 35–44 · 45–54 · từ 55"

    dialog.tabs.setCurrentIndex(2)
    type_into(qtbot, dialog.offset_x, "-1,5")  # Vietnamese decimal comma
    type_into(qtbot, dialog.offset_y, "2")
    type_into(qtbot, dialog.scale_x, "99,5")
    dialog.tabs.setCurrentIndex(3)
    type_into(qtbot, dialog.backup_keep, "20")

    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        save_by_keyboard(qtbot, dialog)
    values = stored(sqlite_db)
    assert (values["centre_name"], values["superior_body"], values["place_name"]) == (
        "Trường Chính trị tỉnh Long An", "Tỉnh ủy Long An", "Long An")
    assert values["party_heading"] is False
    assert (values["director_title"], values["director_name"]) == ("HIỆU TRƯỞNG", "Nguyễn Văn Bình")
    assert (values["attendance_lock_days"], values["young_cadre_max_age"], values["backup_keep"]) == (10, 30, 20)
    assert values["age_band_limits"] == [25, 35, 45, 55]
    assert values["printer_calibration"] == {"offset_x_mm": -1.5, "offset_y_mm": 2.0, "scale_x": 0.995, "scale_y": 1.0}
    assert not dialog.restart_needed and not config_path().exists()  # nothing changed for this PC
    with sqlite_db.read() as session:
        changed = {e.entity_id: (e.old_value, e.new_value) for e in session.scalars(
            select(AuditEntry).where(AuditEntry.action == "settings.change"))}
    assert changed["director_name"] == (None, "Nguyễn Văn Bình") or changed["director_name"][1] == "Nguyễn Văn Bình"
    assert "young_cadre_max_age" in changed and "logo_png" not in changed  # only what changed is logged


def test_refused_values_are_listed_and_nothing_is_stored(qtbot: QtBot, sqlite_db: Database,
                                                         open_dialog: Callable[[Database], SettingsDialog]) -> None:
    before = stored(sqlite_db)
    dialog = open_dialog(sqlite_db)
    type_into(qtbot, dialog.letterhead.centre_name, "   ")
    dialog.tabs.setCurrentIndex(1)
    type_into(qtbot, dialog.age_limits, "50, 40")
    dialog.tabs.setCurrentIndex(2)
    save_by_keyboard(qtbot, dialog)
    assert "Chưa nhập tên trường / trung tâm." in dialog.error_label.text()
    assert "Nhóm tuổi: nhập từ 1 đến 10 mốc tuổi tăng dần" in dialog.error_label.text()
    assert dialog.tabs.currentIndex() == 0  # the tab of the first refused value
    assert dialog.isVisible()
    dialog.ctx.runner.wait()
    assert stored(sqlite_db) == before


def test_a_bad_postgresql_server_is_tested_and_not_saved(qtbot: QtBot, sqlite_db: Database,
                                                         open_dialog: Callable[[Database], SettingsDialog]) -> None:
    dialog = open_dialog(set_up_centre(sqlite_db))
    dialog.tabs.setCurrentIndex(3)
    choice = dialog.database
    choice.server.setFocus()
    qtbot.keyClick(choice.server, Qt.Key.Key_Space)
    type_into(qtbot, choice.host, "127.0.0.1")
    type_into(qtbot, choice.port, str(REFUSED_PORT))
    type_into(qtbot, choice.password, "x")
    choice.test_button.setFocus()
    qtbot.keyClick(choice.test_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: choice.last_probe is not None, timeout=20_000)
    assert "Hãy kiểm tra địa chỉ máy chủ, cổng" in choice.result.text()
    assert "127.0.0.1" in choice.result.text()
    save_by_keyboard(qtbot, dialog)
    assert "Hãy bấm “Kiểm tra kết nối”" in dialog.error_label.text()
    assert dialog.tabs.currentIndex() == 3
    assert not config_path().exists()


def test_language_and_data_location_are_saved_for_this_pc(qtbot: QtBot, sqlite_db: Database, tmp_path: Path,
                                                          open_dialog: Callable[[Database], SettingsDialog]) -> None:
    dialog = open_dialog(set_up_centre(sqlite_db))
    dialog.tabs.setCurrentIndex(3)
    dialog.language.setFocus()
    qtbot.keyClick(dialog.language, Qt.Key.Key_Down)
    other = tmp_path / "khac" / "dtbd.sqlite3"
    type_into(qtbot, dialog.database.path, str(other))
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        save_by_keyboard(qtbot, dialog)
    assert dialog.restart_needed
    assert load_config() == {"language": "en", "database_url": f"sqlite:///{other.as_posix()}"}
    assert preferred_language() == "en"


def test_a_logo_is_stored_in_the_database(qtbot: QtBot, sqlite_db: Database, tmp_path: Path,
                                          open_dialog: Callable[[Database], SettingsDialog]) -> None:
    from PySide6.QtGui import QColor, QImage

    image = QImage(300, 200, QImage.Format.Format_ARGB32)
    image.fill(QColor("#ffd54f"))
    path = tmp_path / "bieu-trung.png"
    assert image.save(str(path))
    dialog = open_dialog(set_up_centre(sqlite_db))
    assert dialog.signer.logo.load_image(path)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        save_by_keyboard(qtbot, dialog)
    with sqlite_db.read() as session:
        png = settings.logo_png(session)
    assert png is not None and png.startswith(b"\x89PNG")
    reread = QImage()
    assert reread.loadFromData(png) and (reread.width(), reread.height()) == (300, 200)


def test_a_viewer_may_not_change_the_settings(qtbot: QtBot, sqlite_db: Database,
                                              make_ctx: Callable[[Database], AppContext]) -> None:
    set_up_centre(sqlite_db)
    admin = admin_login(sqlite_db)
    viewer = create_account(sqlite_db, "xem", "viewer", by=admin, full_name="Người xem")
    ctx = make_ctx(sqlite_db)
    ctx.login = viewer
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    type_into(qtbot, dialog.signer.director_name, "Ai đó")
    save_by_keyboard(qtbot, dialog)
    qtbot.waitUntil(lambda: "không có quyền" in dialog.error_label.text(), timeout=10_000)
    assert stored(sqlite_db)["director_name"] == ""


def test_the_menus_open_settings_guide_and_about(qtbot: QtBot, sqlite_db: Database, monkeypatch: pytest.MonkeyPatch,
                                                 make_ctx: Callable[[Database], AppContext]) -> None:
    monkeypatch.setattr(SettingsDialog, "launch", lambda self: None)
    monkeypatch.setattr(AboutDialog, "launch", lambda self: None)
    monkeypatch.setattr(HelpDialog, "launch", lambda self: None)
    window = MainWindow(make_ctx(sqlite_db))
    qtbot.addWidget(window)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    file_items = [a.text() for a in menus["&Tệp"].actions()]
    help_items = [a.text() for a in menus["Trợ &giúp"].actions()]
    assert "Cài đặt..." in file_items
    assert help_items == ["Hướng dẫn sử dụng", "Giới thiệu"]

    settings_dialog = window.show_settings()
    assert isinstance(settings_dialog, SettingsDialog)
    qtbot.waitUntil(settings_dialog.isEnabled, timeout=10_000)
    guide = window.show_guide()
    assert isinstance(guide, HelpDialog)
    text = guide.browser.toPlainText()
    for topic in ("Nhập danh sách học viên", "Điểm danh", "Nhập điểm", "In giấy chứng nhận"):
        assert topic in text
    about = window.show_about()
    assert isinstance(about, AboutDialog)
    details = about.findChild(QWidget, "details")
    assert __version__ in details.text() and "sqlite:///" in details.text()
    assert not about.windowIcon().isNull()
    window.ctx.runner.wait()


def test_the_school_name_printed_on_certificates(qtbot: QtBot, sqlite_db: Database,
                                                 open_dialog: Callable[[Database], SettingsDialog]) -> None:
    with sqlite_db.write(raw=True) as s:
        settings.set_settings(s, centre_name="TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", place_name="Long An")
    dialog = open_dialog(sqlite_db)
    assert dialog.issuing_name.text() == ""
    assert dialog.issuing_name.placeholderText() == "Trường Chính trị tỉnh Long An"  # what prints while empty
    dialog.tabs.setCurrentIndex(2)
    dialog.issuing_name.setFocus()
    key_text(qtbot, dialog.issuing_name, "Trường Chính trị  Long An")
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=10_000)
    with sqlite_db.read() as s:
        assert settings.get_setting(s, "issuing_name") == "Trường Chính trị Long An"
