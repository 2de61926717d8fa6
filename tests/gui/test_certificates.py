"""The certificate screens on the demo centre: issue a class's certificates from its tab, preview
and print them, revoke one, verify codes in the register section, edit a layout, calibrate.

Set DTBD_SCREENSHOTS=folder to keep a picture of each screen.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.certificates_calibration import CalibrationDialog
from dtbd_desktop.gui.dialogs.certificates_layout_editor import LayoutEditor
from dtbd_desktop.gui.dialogs.certificates_preview import PreviewDialog
from dtbd_desktop.gui.screens.certificates_tab import CertificatesTab
from dtbd_desktop.gui.screens.certificates_view import CertificatesView
from dtbd_desktop.gui.screens.class_dialog import ClassDialog
from dtbd_desktop.services import certificates, settings

CLASS = "NT26.02"  # finished three days before the demo's today, reviewed, nothing issued yet
ISSUED_ON = dt.date(2026, 11, 30)


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def _tab(qtbot: QtBot, ctx: AppContext) -> CertificatesTab:
    tab = CertificatesTab(ctx, CLASS)
    qtbot.addWidget(tab)
    tab.resize(1200, 600)
    qtbot.waitUntil(lambda: tab.docs is not None, timeout=10_000)
    return tab


def _issue(qtbot: QtBot, tab: CertificatesTab, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(CertificatesTab, "ask_issue_date", lambda self, docs: ISSUED_ON)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    assert tab.docs is not None and tab.docs.to_issue > 0 and tab.docs.issued == 0
    qtbot.mouseClick(tab.buttons["issue"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.docs is not None and tab.docs.to_issue == 0, timeout=20_000)


def test_issuing_from_the_class_tab_then_preview_and_print(qtbot: QtBot, demo_db: Database, tmp_path: Path,
                                                            make_ctx: Callable[[Database], AppContext],
                                                            monkeypatch: pytest.MonkeyPatch, qtmodeltester) -> None:
    ctx = make_ctx(demo_db)
    tab = _tab(qtbot, ctx)
    _issue(qtbot, tab, monkeypatch)
    assert tab.docs is not None
    issued = tab.docs.issued
    assert issued > 30 and "đã cấp" in tab.summary.text()
    qtmodeltester.check(tab.model)
    serials = [line.certificate.serial for line in tab.docs.lines if line.certificate]
    assert serials == sorted(serials)  # numbered in roster order
    _shot(tab, "certificates-tab")

    monkeypatch.setattr(PreviewDialog, "launch", lambda self: None)
    tab.preview()
    qtbot.waitUntil(lambda: hasattr(tab, "preview_dialog"), timeout=10_000)
    dialog = tab.preview_dialog
    qtbot.addWidget(dialog)
    assert len(dialog.pages) == issued
    dialog.resize(1150, 820)
    _shot(dialog, "certificates-preview")
    dialog.page_box.setValue(2)
    assert not dialog.current_image().isNull()

    out = tmp_path / "printed.pdf"

    def to_pdf(self: PreviewDialog, printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        return True

    monkeypatch.setattr(PreviewDialog, "ask_printer", to_pdf)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)
    assert out.exists() and out.stat().st_size > 10_000
    qtbot.waitUntil(lambda: tab.docs is not None and all(
        line.certificate.print_count == 1 for line in tab.docs.lines if line.certificate), timeout=20_000)


def test_revoking_from_the_tab_keeps_the_line(qtbot: QtBot, demo_db: Database,
                                             make_ctx: Callable[[Database], AppContext],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = make_ctx(demo_db)
    tab = _tab(qtbot, ctx)
    _issue(qtbot, tab, monkeypatch)
    tab.table.selectRow(0)
    line = tab.selected()
    assert line is not None and line.certificate is not None and tab.buttons["revoke"].isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(CertificatesTab, "ask_reason", lambda self, title, question: asked.append(question) or
                        "Cấp nhầm người")
    qtbot.mouseClick(tab.buttons["revoke"], Qt.MouseButton.LeftButton)
    serial = line.certificate.serial
    qtbot.waitUntil(lambda: any(r.certificate and r.certificate.serial == serial and r.certificate.status == "revoked"
                                for r in tab.docs.lines), timeout=10_000)  # type: ignore[union-attr]
    with demo_db.read() as s:
        assert certificates.verify(s, serial).status == "revoked"
    assert "không hoàn tác được" in asked[0] and "dòng sổ gốc vẫn giữ" in asked[0]


def test_register_section_verifies_codes(qtbot: QtBot, demo_db: Database,
                                         make_ctx: Callable[[Database], AppContext]) -> None:
    with demo_db.read() as s:
        row = certificates.list_certificates(s, year=2026, kind="certificate", limit=1)[0]
    view = CertificatesView(make_ctx(demo_db))
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    view.activate()
    qtbot.waitUntil(lambda: view.model.rowCount() > 100, timeout=10_000)
    qtbot.keyClicks(view.verify_input, row.verification_code.lower())
    qtbot.mouseClick(view.verify_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "HỢP LỆ" in view.verify_result.text(), timeout=10_000)
    assert "KHÔNG" not in view.verify_result.text() and row.full_name in view.verify_result.text()
    _shot(view, "certificates-register")
    view.verify_input.clear()
    qtbot.keyClicks(view.verify_input, "ZZZZZ-ZZZZZ")
    qtbot.keyClick(view.verify_input, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "KHÔNG HỢP LỆ" in view.verify_result.text(), timeout=10_000)


def test_moving_a_field_in_the_layout_editor_saves_a_new_version(qtbot: QtBot, demo_db: Database,
                                                                 make_ctx: Callable[[Database], AppContext]) -> None:
    editor = LayoutEditor(make_ctx(demo_db))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.current is not None, timeout=10_000)
    editor.choice.setCurrentIndex(editor.choice.findData("diploma-blank"))
    layout = editor.layout_obj()
    version = layout.version
    editor.fields.setCurrentRow(1)  # the learner's name
    x_before = layout.fields[1].x_mm
    editor.x_box.setValue(x_before + 3)
    assert editor.boxes[1].pos().x() == pytest.approx(x_before + 3)
    editor.boxes[1].setPos(editor.boxes[1].pos().x() + 1, editor.boxes[1].pos().y())  # a drag
    assert editor.layout_obj().fields[1].x_mm == pytest.approx(x_before + 4)
    _shot(editor, "certificates-layout-editor")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: getattr(editor, "saved_version", 0) == version + 1, timeout=10_000)
    with demo_db.read() as s:
        saved = certificates.load_layouts(s)["diploma-blank"]
    assert saved.fields[1].x_mm == pytest.approx(x_before + 4) and saved.version == version + 1


def test_calibration_from_measured_marks(qtbot: QtBot, demo_db: Database,
                                         make_ctx: Callable[[Database], AppContext]) -> None:
    dialog = CalibrationDialog(make_ctx(demo_db))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.values), timeout=10_000)
    for label, (x, y) in {"A": (21.5, 19.0), "B": (279.0, 19.0), "C": (21.5, 189.5)}.items():
        dialog.marks[label][0].setValue(x)
        dialog.marks[label][1].setValue(y)
    qtbot.mouseClick(dialog.compute_button, Qt.MouseButton.LeftButton)
    assert dialog.offset_x.value() == pytest.approx(-1.5, abs=0.05)
    assert dialog.offset_y.value() == pytest.approx(1.06, abs=0.01)  # 19 mm for 20, stretched 170.5/170
    _shot(dialog, "certificates-calibration")
    with qtbot.waitSignal(dialog.finished, timeout=10_000):
        dialog.save()
    with demo_db.read() as s:
        stored = settings.get_setting(s, "printer_calibration")
    assert stored["offset_x_mm"] == pytest.approx(-1.5, abs=0.05)


def test_the_class_dialog_has_the_certificates_tab(qtbot: QtBot, demo_db: Database,
                                                   make_ctx: Callable[[Database], AppContext],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ClassDialog, "launch", lambda self: None)
    dialog = ClassDialog(make_ctx(demo_db), "A50")
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=10_000)
    tab = dialog.certificates_tab
    qtbot.waitUntil(lambda: tab.docs is not None, timeout=10_000)
    assert tab.docs.kind == "diploma" and tab.docs.issued > 0  # type: ignore[union-attr]
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert "Văn bằng, chứng chỉ" in titles


def test_a_png_scan_of_the_blank_is_kept_as_jpeg(tmp_path: Path) -> None:
    """The PDF library draws JPEG by itself (the bundle carries no Pillow): a PNG scan chosen in the
    layout editor is converted into the data folder; a JPEG is used where it is."""
    from PySide6.QtGui import QColor, QImage

    from dtbd_desktop.gui.dialogs.certificates_layout_editor import as_jpeg

    png = tmp_path / "phoi.png"
    image = QImage(210, 148, QImage.Format.Format_RGB32)
    image.fill(QColor("#f3e6c8"))
    assert image.save(str(png))
    converted = as_jpeg(png)
    assert converted.suffix == ".jpg" and converted.read_bytes()[:3] == b"\xff\xd8\xff"
    assert QImage(str(converted)).size() == image.size()
    assert as_jpeg(converted) == converted


def test_a_proof_over_a_png_blank_says_what_to_do(tmp_path: Path) -> None:
    from dtbd_desktop.base.errors import InputError
    from dtbd_desktop.printing import certificate_pdf, layouts

    layout = layouts.bundled_layouts()["diploma-blank"]
    page = layouts.page_ops(layout, {}, None, {})
    png = tmp_path / "phoi.png"
    png.write_bytes(b"\\x89PNG\\r\\n\\x1a\\n")
    with pytest.raises(InputError, match="phải là ảnh JPEG"):
        certificate_pdf.write_pdf(tmp_path / "x.pdf", [page], title="Thử", author="Trường", background=png)
    assert not (tmp_path / "x.pdf").exists()
