"""Qt's own strings in Vietnamese: standard buttons, wizards, the text fields' context menu.

PySide6 ships no Vietnamese translation of Qt; the program brings `resources/translations/qtbase_vi.ts`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.gui import translations

QT_TS = resource_path("translations", "qtbase_vi.ts")
Button = QMessageBox.StandardButton


def _install(translator: QTranslator) -> Iterator[None]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    app.installTranslator(translator)
    try:
        yield
    finally:
        app.removeTranslator(translator)


@pytest.fixture(params=["ts", "qm"])
def vietnamese_qt(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[None]:
    """Qt's strings in Vietnamese, from the .ts read by the program (a wheel) or the compiled .qm."""
    if request.param == "ts":
        yield from _install(translations.TableTranslator(translations.read_qt_ts(QT_TS)))
        return
    import subprocess
    import sys

    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    if not lrelease.exists():  # PySide6 ships it: missing only in a partial environment
        if os.environ.get("CI") == "true":
            pytest.fail("pyside6-lrelease is not installed")
        pytest.skip("pyside6-lrelease is not installed")
    qm = tmp_path / "qtbase_vi.qm"
    subprocess.run([str(lrelease), "-silent", str(QT_TS), "-qm", str(qm)], check=True)
    compiled = QTranslator()
    assert compiled.load(str(qm))
    yield from _install(compiled)


def _texts(box: QMessageBox | QDialogButtonBox) -> set[str]:
    return {b.text().replace("&", "") for b in box.buttons()}


def test_message_box_and_button_box_buttons_in_vietnamese(qtbot: QtBot, vietnamese_qt: None) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Hỏi", "Lưu thay đổi?",
                      Button.Yes | Button.No | Button.Cancel | Button.Save | Button.Discard | Button.Ok)
    qtbot.addWidget(box)
    assert _texts(box) == {"Có", "Không", "Hủy", "Lưu", "Bỏ", "Đồng ý"}
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Apply
                               | QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.RestoreDefaults)
    qtbot.addWidget(buttons)
    assert _texts(buttons) == {"Đồng ý", "Hủy", "Đóng", "Áp dụng", "Mở", "Khôi phục mặc định"}


def test_wizard_and_text_menu_in_vietnamese(qtbot: QtBot, vietnamese_qt: None) -> None:
    wizard = QWizard()
    wizard.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
    qtbot.addWidget(wizard)
    assert {wizard.buttonText(w).replace("&", "") for w in (
        QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton, QWizard.WizardButton.FinishButton,
        QWizard.WizardButton.CancelButton)} == {"< Quay lại", "Tiếp >", "Xong", "Hủy"}
    field = QLineEdit("Nguyễn Văn An")
    qtbot.addWidget(field)
    menu = field.createStandardContextMenu()
    actions = [a.text().split("\t")[0].replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert {"Hoàn tác", "Làm lại", "Cắt", "Chép", "Dán", "Xóa", "Chọn tất cả"} <= set(actions)


def test_every_qt_translation_keeps_its_placeholders_and_is_vietnamese() -> None:
    table = translations.read_qt_ts(QT_TS)
    assert len(table) > 250
    for (context, source), text in table.items():
        for n in range(1, 4):
            assert (f"%{n}" in source) == (f"%{n}" in text), (context, source, text)
        assert source.count("&") - source.count("&&") <= 1 and text.count("&") <= 1, (context, source, text)


def _remove_translators(app: QApplication) -> None:
    """Every translator an earlier test left installed (the first-run wizard keeps its own)."""
    for t in app.findChildren(QTranslator):
        app.removeTranslator(t)


def test_the_program_installs_them_for_vietnamese_and_not_for_english(qtbot: QtBot) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    _remove_translators(app)
    try:
        translations.install_translations(app, "vi")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Hủy"
        assert QCoreApplication.translate("QFileDialog", "File &name:") == "&Tên tệp:"
        _remove_translators(app)
        translations.install_translations(app, "en")
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancel"
    finally:
        _remove_translators(app)
        translations.install_translations(app, "vi")  # the core's tr() back to Vietnamese
        _remove_translators(app)
