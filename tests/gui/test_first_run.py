"""The first-run wizard, filled from the keyboard the way a training office would on a new PC.

Every test reads the outcome back through the core: this PC's config.json (load_config,
preferred_language, resolve_url) and the centre's settings in the database (get_settings).
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot

from dtbd_desktop.base.config import config_path, load_config, preferred_language
from dtbd_desktop.base.i18n import current_language, load_ts
from dtbd_desktop.db.engine import Database, open_database, resolve_url, sqlite_path
from dtbd_desktop.gui import app as gui_app
from dtbd_desktop.gui.dialogs.first_run import FirstRunWizard
from dtbd_desktop.services import settings

pytestmark = pytest.mark.gui
REFUSED_PORT = 1  # nothing listens on port 1 of the loopback: the connection is refused at once


@pytest.fixture
def wizard(qtbot: QtBot) -> Iterator[FirstRunWizard]:
    w = FirstRunWizard()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    w.activateWindow()
    yield w
    w.runner.wait()
    QApplication.processEvents()
    w.switch_language("vi")  # leave no English translator installed for the next test


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def key_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type text key by key; letters beyond ASCII (QTest refuses them) as key events carrying the letter,
    as a Vietnamese keyboard (Unikey, the Windows Vietnamese layout) delivers them."""
    for char in text:
        if ord(char) < 128:
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def type_into(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Focus a field, select what is there and type over it."""
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key_text(qtbot, widget, text)


def tab_and_type(qtbot: QtBot, text: str) -> QWidget:
    """Tab to the next field (as a person does) and type into it; returns the field."""
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    field = focused()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    key_text(qtbot, field, text)
    return field


def press_enter(qtbot: QtBot, wizard: QWizard) -> None:
    qtbot.keyClick(focused() if QApplication.focusWidget() else wizard, Qt.Key.Key_Return)


def test_a_district_centre_sets_up_its_pc_from_the_keyboard(qtbot: QtBot, wizard: FirstRunWizard,
                                                            tmp_path: Path) -> None:
    data_file = tmp_path / "du-lieu" / "trung-tam.sqlite3"
    assert wizard.currentPage() is wizard.language_page
    wizard.language_page.language.setFocus()
    press_enter(qtbot, wizard)
    assert wizard.currentPage() is wizard.data_page
    choice = wizard.data_page.choice
    assert choice.local.isChecked()  # this PC is the default
    type_into(qtbot, choice.path, str(data_file))
    press_enter(qtbot, wizard)

    assert wizard.currentPage() is wizard.centre_page
    fields = wizard.centre_page.fields
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # the centre's name is required
    type_into(qtbot, fields.centre_name, "Trung tâm Chính trị huyện Bến Lức")
    assert tab_and_type(qtbot, "Huyện ủy Bến Lức") is fields.superior_body
    assert tab_and_type(qtbot, "Bến Lức") is fields.place_name
    assert "Bến Lức, ngày" in fields.preview.text()
    assert "HUYỆN ỦY BẾN LỨC" in fields.preview.text()
    press_enter(qtbot, wizard)

    assert wizard.currentPage() is wizard.signer_page
    signer = wizard.signer_page.fields
    type_into(qtbot, signer.director_title.lineEdit(), "Giám đốc")
    assert tab_and_type(qtbot, "Trần Thị Mai") is signer.director_name
    press_enter(qtbot, wizard)

    assert wizard.currentPage() is wizard.summary_page
    assert "Trung tâm Chính trị huyện Bến Lức" in wizard.summary_page.summary.text()
    press_enter(qtbot, wizard)
    assert wizard.result() == QWizard.DialogCode.Accepted

    outcome = wizard.outcome()
    outcome.save_config()
    assert load_config() == {"language": "vi", "database_url": f"sqlite:///{data_file.as_posix()}"}
    assert sqlite_path(resolve_url(None)) == data_file
    db = open_database()  # where the configuration says
    try:
        outcome.save_settings(db, None)
        with db.read() as session:
            values = settings.get_settings(session)
    finally:
        db.dispose()
    assert data_file.exists()
    assert (values["centre_name"], values["superior_body"], values["place_name"]) == (
        "Trung tâm Chính trị huyện Bến Lức", "Huyện ủy Bến Lức", "Bến Lức")
    assert (values["director_title"], values["director_name"]) == ("GIÁM ĐỐC", "Trần Thị Mai")
    assert values["party_heading"] is True
    assert values["logo_png"] is None


def test_a_bad_postgresql_address_fails_clearly_and_blocks_the_next_step(qtbot: QtBot,
                                                                          wizard: FirstRunWizard) -> None:
    wizard.next()
    choice = wizard.data_page.choice
    choice.server.setFocus()
    qtbot.keyClick(choice.server, Qt.Key.Key_Space)
    assert choice.server.isChecked()
    type_into(qtbot, choice.host, "127.0.0.1")
    type_into(qtbot, choice.port, str(REFUSED_PORT))
    type_into(qtbot, choice.password, "sai-mat-khau")
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()  # untested server
    choice.test_button.setFocus()
    qtbot.keyClick(choice.test_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: choice.last_probe is not None, timeout=20_000)
    message = choice.result.text()
    assert "127.0.0.1" in message and str(REFUSED_PORT) in message  # what was tried
    assert "Hãy kiểm tra địa chỉ máy chủ, cổng" in message  # and what to do about it
    assert "b71c1c" in choice.result.styleSheet()  # shown as a failure
    assert not choice.verified()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert not config_path().exists()


def test_a_malformed_server_name_is_refused_with_a_message(qtbot: QtBot, wizard: FirstRunWizard) -> None:
    wizard.next()
    choice = wizard.data_page.choice
    choice.server.setChecked(True)
    type_into(qtbot, choice.host, "may chu co dau cach")
    choice.test_connection()
    qtbot.waitUntil(lambda: choice.last_probe is not None, timeout=20_000)
    assert not choice.verified()
    assert "Hãy kiểm tra" in choice.result.text()


def test_a_second_pc_finds_the_centre_already_set_up(qtbot: QtBot, wizard: FirstRunWizard, db_url: str) -> None:
    """The data chosen already holds a centre (a copied file, or the office's server): its settings
    fill the next pages, so nothing is typed twice."""
    db = open_database(db_url)
    try:
        with db.write(raw=True) as session:
            settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An",
                                   superior_body="Tỉnh ủy Long An", place_name="Long An",
                                   director_title="HIỆU TRƯỞNG", director_name="Nguyễn Văn Bình")
    finally:
        db.dispose()
    wizard.next()
    choice = wizard.data_page.choice
    choice.set_url(db_url)
    if choice.server.isChecked():
        choice.test_connection()
        qtbot.waitUntil(choice.verified, timeout=20_000)
        assert "Máy chủ đã có dữ liệu của DTBD Desktop (Trường Chính trị tỉnh Long An)" in choice.result.text()
    else:
        assert "đã có" in choice.local_note.text()
    wizard.next()
    assert wizard.currentPage() is wizard.centre_page
    assert wizard.centre_page.fields.centre_name.text() == "Trường Chính trị tỉnh Long An"
    assert wizard.centre_page.note.isVisibleTo(wizard.centre_page)
    assert wizard.signer_page.fields.director_name.text() == "Nguyễn Văn Bình"
    assert wizard.outcome().database_url == db_url


def test_choosing_english_switches_the_wizard_and_is_remembered(qtbot: QtBot, wizard: FirstRunWizard,
                                                                tmp_path: Path) -> None:
    combo = wizard.language_page.language
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentData() == "en"
    assert current_language() == "en"  # installed at once: the pages are shown again in English
    english = load_ts("en").get(("first_run", "Thiết lập DTBD Desktop"))
    if english:  # once the English translation has this string
        assert wizard.windowTitle() == english
        assert wizard.buttonText(QWizard.WizardButton.NextButton) != "Tiếp >"
    wizard.next()
    wizard.data_page.choice.path.setText(str(tmp_path / "dtbd.sqlite3"))
    wizard.next()
    wizard.centre_page.fields.centre_name.setText("Trường Chính trị tỉnh Long An")
    wizard.centre_page.fields.place_name.setText("Long An")
    wizard.outcome().save_config()
    assert load_config()["language"] == "en"
    assert preferred_language() == "en"
    assert preferred_language("vi") == "vi"  # --lang still wins
    wizard.switch_language("vi")
    assert wizard.windowTitle() == "Thiết lập DTBD Desktop"


def test_a_logo_is_kept_as_a_small_png(qtbot: QtBot, wizard: FirstRunWizard, tmp_path: Path) -> None:
    from PySide6.QtGui import QColor, QImage

    big = QImage(1600, 1200, QImage.Format.Format_RGB32)
    big.fill(QColor("#b71c1c"))
    photo = tmp_path / "logo.jpg"
    assert big.save(str(photo), "JPG")
    logo = wizard.signer_page.fields.logo
    assert logo.load_image(photo)
    png = settings.decode_logo(logo.value())
    image = QImage()
    assert image.loadFromData(png, "PNG")
    assert (image.width(), image.height()) == (600, 450)
    assert not logo.load_image(tmp_path / "khong-phai-anh.txt")
    assert "Không đọc được ảnh" in logo.message.text()
    assert logo.value() is not None  # the good logo stays


def _args(**overrides: Any) -> argparse.Namespace:
    values = {"demo": False, "db": None, "self_check": False, "lang": None}
    values.update(overrides)
    return argparse.Namespace(**values)


def test_when_the_wizard_shows(monkeypatch: pytest.MonkeyPatch) -> None:
    assert gui_app.needs_first_run(_args())  # a new PC
    assert not gui_app.needs_first_run(_args(demo=True))
    assert not gui_app.needs_first_run(_args(db="sqlite:///x.sqlite3"))
    assert not gui_app.needs_first_run(_args(self_check=True))
    monkeypatch.setenv("DTBD_DATABASE_URL", "postgresql+psycopg://dtbd@may-chu/dtbd")
    assert not gui_app.needs_first_run(_args())
    monkeypatch.delenv("DTBD_DATABASE_URL")
    default_file = sqlite_path(resolve_url(None))
    assert default_file is not None
    default_file.parent.mkdir(parents=True)
    default_file.write_bytes(b"")  # a PC that used the program before the wizard existed
    assert not gui_app.needs_first_run(_args())
    default_file.unlink()
    config_path().write_text("{}", encoding="utf-8")
    assert not gui_app.needs_first_run(_args())


def test_cancelling_the_wizard_leaves_nothing_behind(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> None:
    monkeypatch.setattr(FirstRunWizard, "run", lambda self: False)
    assert gui_app.main([]) == 0
    assert not config_path().exists()
    default_file = sqlite_path(resolve_url(None))
    assert default_file is not None and not default_file.exists()


def test_finishing_the_wizard_opens_the_program_on_the_new_centre(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot,
                                                                  tmp_path: Path) -> None:
    data_file = tmp_path / "truong.sqlite3"
    shown: list[Any] = []

    def fill(self: FirstRunWizard) -> bool:
        self.data_page.choice.path.setText(str(data_file))
        self.centre_page.fields.centre_name.setText("Trường Chính trị tỉnh Long An")
        self.centre_page.fields.place_name.setText("Long An")
        self.signer_page.fields.director_title.setCurrentText("HIỆU TRƯỞNG")
        return True

    def no_event_loop(*_args: Any) -> int:
        window = next(w for w in QApplication.topLevelWidgets() if w.objectName() != "first_run" and w.isVisible()
                      and type(w).__name__ == "MainWindow")
        shown.append(window)
        window.close()
        return 0

    monkeypatch.setattr(FirstRunWizard, "run", fill)
    monkeypatch.setattr(QApplication, "exec", staticmethod(no_event_loop))
    monkeypatch.setattr(gui_app, "open_with_progress", lambda app, opener, parent=None: opener(lambda _m: None))
    assert gui_app.main([]) == 0
    assert shown and "Cơ sở dữ liệu: sqlite:///" in shown[0].db_label.text()
    assert sqlite_path(resolve_url(None)) == data_file
    db = open_database()
    try:
        with db.read() as session:
            values = settings.get_settings(session)
    finally:
        db.dispose()
    assert values["centre_name"] == "Trường Chính trị tỉnh Long An"
    assert values["director_title"] == "HIỆU TRƯỞNG"
    for window in shown:
        window.ctx.runner.wait()
        window.deleteLater()
    assert os.environ.get("QT_QPA_PLATFORM") == "offscreen"


@pytest.mark.parametrize(("centre", "title"), [("Trường Chính trị tỉnh Long An", "HIỆU TRƯỞNG"),
                                               ("Trung tâm Chính trị huyện Bến Lức", "GIÁM ĐỐC")])
def test_the_signer_follows_the_kind_of_unit(qtbot: QtBot, wizard: FirstRunWizard, tmp_path: Path,
                                             centre: str, title: str) -> None:
    wizard.next()
    type_into(qtbot, wizard.data_page.choice.path, str(tmp_path / "du-lieu.sqlite3"))
    wizard.next()
    fields = wizard.centre_page.fields
    type_into(qtbot, fields.centre_name, centre)
    type_into(qtbot, fields.place_name, "Long An")
    wizard.next()
    assert wizard.currentPage() is wizard.signer_page
    assert wizard.signer_page.fields.director_title.currentText() == title
    wizard.back()  # the name corrected: the title follows while nobody chose one
    other = "Trung tâm Chính trị huyện Cần Đước" if title == "HIỆU TRƯỞNG" else "Trường Chính trị tỉnh Long An"
    type_into(qtbot, fields.centre_name, other)
    wizard.next()
    signer = wizard.signer_page.fields
    assert signer.director_title.currentText() != title
    type_into(qtbot, signer.director_title.lineEdit(), "Phó Giám đốc")  # chosen: kept from now on
    wizard.back()
    type_into(qtbot, fields.centre_name, centre)
    wizard.next()
    assert wizard.outcome().settings["director_title"] == "PHÓ GIÁM ĐỐC"


def test_a_centre_without_a_stored_signer_gets_its_unit_s_title(db: Database) -> None:
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trường Chính trị tỉnh Long An", place_name="Long An")
    with db.read() as session:
        assert settings.get_settings(session)["director_title"] == "HIỆU TRƯỞNG"
        assert settings.load_letterhead(session).director_title == "HIỆU TRƯỞNG"
    with db.write(raw=True) as session:
        settings.save_settings(session, centre_name="Trung tâm Chính trị huyện Bến Lức")
    with db.read() as session:
        assert settings.get_settings(session)["director_title"] == "GIÁM ĐỐC"
