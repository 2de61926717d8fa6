"""The verification page in the GUI: *Văn bằng, chứng chỉ → Trang xác thực...* writes the page, the
address of the page in *Tệp → Cài đặt... → In giấy tờ*, and the check box reading a QR code that
is a link."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.settings_dialog import SettingsDialog
from dtbd_desktop.gui.screens.certificates_view import CertificatesView
from dtbd_desktop.services import certificates, settings
from dtbd_desktop.trust import operations

pytestmark = pytest.mark.gui
ADDRESS = "https://truongchinhtri.longan.gov.vn/xac-thuc"


def _view(qtbot: QtBot, ctx: AppContext) -> CertificatesView:
    view = CertificatesView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 720)
    view.show()
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() > 100, timeout=10_000)
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        view.grab().save(str(Path(folder) / "certificates-verify-page.png"))
    return view


def test_the_register_screen_writes_the_page_and_says_where_to_put_it(
        qtbot: QtBot, demo_db: Database, tmp_path: Path, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[tuple[str, str]]) -> None:
    view = _view(qtbot, make_ctx(demo_db))
    monkeypatch.setattr(CertificatesView, "ask_verify_page_folder", lambda self: str(tmp_path / "usb"))
    button = view.buttons["verify_page"]
    assert button.text() == "Trang xác thực..." and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20_000)
    page = tmp_path / "usb" / "xac-thuc" / "index.html"
    assert view.verify_page_path == page and page.is_file()
    kind, message = message_boxes[-1]
    assert kind == "information" and str(page) in message
    assert "Chưa đặt địa chỉ trang xác thực" in message  # the demo has no address yet
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'id="page-data">(.*?)</script>', text, re.S)[1])
    with demo_db.read() as s:
        head = settings.load_letterhead(s)
        revoked = certificates.list_certificates(s, None, None, None)
    assert data["centre"] == head.centre_name
    assert {r["serial"] for r in data["revoked"]} == {r.serial for r in revoked if r.status != "issued"}

    with operations.writing(demo_db, None) as s:
        settings.save_settings(s, verify_page_url=ADDRESS)
    message_boxes.clear()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(message_boxes), timeout=20_000)
    assert f"mở được ở địa chỉ {ADDRESS}" in message_boxes[-1][1]


def test_the_check_box_reads_a_qr_code_that_is_a_link(qtbot: QtBot, demo_db: Database,
                                                      make_ctx: Callable[[Database], AppContext]) -> None:
    with operations.writing(demo_db, None) as s:
        settings.save_settings(s, verify_page_url=ADDRESS)
    with demo_db.read() as s:
        row = certificates.list_certificates(s, year=2026, kind="certificate", limit=1)[0]
        job = certificates.print_job(s, row.class_code, [row.serial])
    (link,) = [values["qr"] for _id, values in job.documents]
    assert link.startswith(ADDRESS + "#DTBD1:")
    view = _view(qtbot, make_ctx(demo_db))
    view.verify_input.setText(link)  # what a USB scanner types
    qtbot.keyClick(view.verify_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "HỢP LỆ" in view.verify_result.text(), timeout=10_000)
    assert "KHÔNG" not in view.verify_result.text() and row.full_name in view.verify_result.text()


def test_the_address_is_set_in_the_settings_and_a_bad_one_is_refused(
        qtbot: QtBot, sqlite_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    with sqlite_db.write(raw=True) as s:
        settings.save_settings(s, centre_name="Trường Chính trị tỉnh Long An", place_name="Long An")
    dialog = SettingsDialog(make_ctx(sqlite_db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    dialog.tabs.setCurrentIndex(0)
    field = dialog.verify_page_url
    assert field.text() == "" and field.placeholderText() == ADDRESS
    field.setText("truongchinhtri.longan.gov.vn/xac thuc")
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert "Địa chỉ trang xác thực phải là địa chỉ web đầy đủ" in dialog.error_label.text()
    assert dialog.tabs.currentIndex() == 2  # the printing tab, where the field is
    field.clear()
    qtbot.keyClicks(field, ADDRESS + "  ")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.keyClick(QApplication.focusWidget() or dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    with sqlite_db.read() as s:
        assert settings.verify_page_link(s) == ADDRESS
    dialog.ctx.runner.wait()
