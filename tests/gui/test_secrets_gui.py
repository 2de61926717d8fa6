"""The server password in the wizard and Settings goes to the credential store (or is refused
when there is none); errors shown on screen carry no SQL or hash; the About dialog tells where
the log file is and opens its folder."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from dtbd_desktop.base.config import config_path, load_config, save_config
from dtbd_desktop.base.logfile import close_logging, log_path, setup_logging
from dtbd_desktop.db.engine import Database, resolve_url
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.first_run import FirstRunWizard
from dtbd_desktop.gui.dialogs.help_dialog import AboutDialog
from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog
from dtbd_desktop.gui.tasks import TaskRunner, error_text
from tests.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.gui
SERVER_PASSWORD = "Mat-khau-may-chu-1"


@pytest.fixture
def server_url(pg_url: str) -> str:
    """A database of its own on the test PostgreSQL server (which accepts any password)."""
    return pg_url


@pytest.fixture
def wizard(qtbot: QtBot) -> Iterator[FirstRunWizard]:
    w = FirstRunWizard()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.runner.wait()
    QApplication.processEvents()


def fill_in_server(qtbot: QtBot, wizard: FirstRunWizard, url: str) -> None:
    """The data page: a PostgreSQL server, typed in and tested."""
    u = make_url(url)
    wizard.next()
    choice = wizard.data_page.choice
    qtbot.mouseClick(choice.server, Qt.MouseButton.LeftButton)
    for field, value in ((choice.host, u.host or ""), (choice.database, u.database or ""),
                         (choice.user, u.username or ""), (choice.password, SERVER_PASSWORD)):
        field.clear()
        qtbot.keyClicks(field, value)
    choice.port.setValue(u.port or 5432)
    choice.test_connection()
    qtbot.waitUntil(lambda: choice.last_probe is not None, timeout=20_000)
    assert choice.verified(), choice.result.text()


def test_the_wizard_keeps_the_server_password_in_the_credential_store(
        qtbot: QtBot, wizard: FirstRunWizard, server_url: str, memory_keyring: MemoryKeyring) -> None:
    fill_in_server(qtbot, wizard, server_url)
    assert "kho mật khẩu của hệ điều hành" in wizard.data_page.choice.server_note.text()
    wizard.next()
    assert wizard.currentPage() is wizard.centre_page
    wizard.outcome().save_config()
    assert SERVER_PASSWORD not in config_path().read_text(encoding="utf-8")
    assert list(memory_keyring.passwords.values()) == [SERVER_PASSWORD]
    assert make_url(resolve_url(None)).password == SERVER_PASSWORD


def test_without_a_credential_store_the_wizard_refuses_to_keep_the_password(
        no_keyring: None, qtbot: QtBot, wizard: FirstRunWizard, server_url: str) -> None:
    fill_in_server(qtbot, wizard, server_url)
    assert "DTBD_DATABASE_URL" in wizard.data_page.choice.server_note.text()  # said before anything is typed
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    wizard.next()
    assert wizard.currentPage() is wizard.data_page  # refused
    assert "DTBD_DATABASE_URL" in wizard.data_page.error.text()
    assert not config_path().exists()


def test_settings_reads_the_password_back_from_the_store_and_refuses_one_it_cannot_keep(
        qtbot: QtBot, sqlite_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    save_config(database_url=f"postgresql+psycopg://dtbd:{SERVER_PASSWORD}@may-chu:5432/dtbd")  # as the wizard saves it
    dialog = SettingsDialog(make_ctx(sqlite_db))
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    choice = dialog.database
    assert choice.server.isChecked() and choice.host.text() == "may-chu"
    assert choice.password.text() == SERVER_PASSWORD  # from the credential store, not from config.json
    assert dialog._config_changes() == ({}, [])  # nothing changed: nothing to save for this PC

    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())
    choice.password.setText("Mat-khau-moi")
    changes, problems = dialog._config_changes()
    assert changes == {}
    assert len(problems) == 1 and "DTBD_DATABASE_URL" in problems[0].message
    dialog.ctx.runner.wait()


def test_an_error_shown_on_screen_has_no_sql_and_no_hash() -> None:
    exc = IntegrityError("INSERT INTO users (username, password_hash) VALUES (?, ?)",
                         ("thu.ky", "$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"),
                         Exception("UNIQUE constraint failed: users.username"))
    text = error_text(exc)
    assert "trùng" in text and "users.username" in text
    assert "INSERT" not in text and "argon2" not in text and "SQL" not in text


def test_a_failed_job_is_logged_with_its_traceback_scrubbed(qtbot: QtBot) -> None:
    setup_logging()
    runner = TaskRunner()
    failures: list[BaseException] = []

    def job() -> None:
        raise RuntimeError("không đọc được học viên 079190001234")

    try:
        runner.run(job, on_failed=failures.append)
        qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    finally:
        runner.wait()
        close_logging()
    logged = log_path().read_text(encoding="utf-8")
    assert "Traceback" in logged and "RuntimeError: không đọc được học viên ***" in logged
    assert "079190001234" not in logged


def test_about_shows_where_the_log_is_and_opens_its_folder(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    about = AboutDialog(database="sqlite:///dtbd.sqlite3")
    qtbot.addWidget(about)
    details = about.findChild(QWidget, "details")
    assert str(log_path()) in details.text()
    assert "Nhật ký lỗi" in details.text()
    button = about.findChild(QWidget, "open_log_folder")
    assert button is not None
    about.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert [Path(url.toLocalFile()) for url in opened] == [log_path().parent]
    assert log_path().parent.is_dir()
    if os.name != "nt":
        assert stat.S_IMODE(log_path().parent.stat().st_mode) == 0o700
    assert load_config() == {}  # the About dialog writes no configuration
