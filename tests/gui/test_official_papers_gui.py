"""The screens of the official papers on the demo centre: the book of outgoing documents
(*Báo cáo → Sổ văn bản đi*: enter a document, void a number, print the book), the annual
report numbered through the print dialog, and the office's assessment and next-year tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.annual_texts_dialog import AnnualTextsDialog
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintDialog, PrintOptions
from dtbd_desktop.gui.screens.reports_view import ReportsView
from dtbd_desktop.services import outgoing, report_texts


def _reports(qtbot: QtBot, ctx: AppContext, year: int) -> ReportsView:
    view = ReportsView(ctx, year=year)
    qtbot.addWidget(view)
    view.resize(1176, 708)
    view.show()
    view.activate()
    return view


def test_the_book_of_outgoing_documents(qtbot: QtBot, demo_db: Database, tmp_path: Path,
                                        make_ctx: Callable[[Database], AppContext],
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    view = _reports(qtbot, make_ctx(demo_db), 2026)
    book = view.book
    view.tabs.setCurrentWidget(book)
    with demo_db.read() as s:
        before = outgoing.list_book(s, 2026)
    qtbot.waitUntil(lambda: book.listing.model.rowCount() == len(before) > 0, timeout=20_000)
    assert book.buttons["add"].isEnabled()

    monkeypatch.setattr(book, "ask_entry", lambda: {
        "kind": "KH", "on": dt.date(2026, 11, 25), "subject": "Kế hoạch mở lớp năm 2027", "number": None,
        "recipients": "Ban Tổ chức Tỉnh ủy", "signer": "Lê Văn Phước"})
    book.buttons["add"].click()
    qtbot.waitUntil(lambda: "Đã vào sổ số 01-KH/TCT ngày 25/11/2026" in book.message.text(), timeout=20_000)
    qtbot.waitUntil(lambda: book.listing.model.rowCount() == len(before) + 1, timeout=20_000)

    row = next(r for r in range(book.listing.model.rowCount()) if book.listing.model.rows[r].kind == "KH")
    book.listing.table.selectRow(book.listing.proxy.mapFromSource(book.listing.model.index(row, 0)).row())
    assert book.buttons["void"].isEnabled()
    monkeypatch.setattr(book, "ask_void_reason", lambda symbol: "Lấy nhầm số")
    book.buttons["void"].click()
    qtbot.waitUntil(lambda: "Đã hủy số 01-KH/TCT" in book.message.text(), timeout=20_000)
    with demo_db.read() as s:
        line = next(e for e in outgoing.list_book(s, 2026, "KH"))
    assert (line.status, line.void_reason) == ("void", "Lấy nhầm số")  # the line stays, with the reason

    monkeypatch.setattr(book, "ask_print", lambda options: PrintChoice(path=str(tmp_path / "so.pdf"),
                                                                      date=dt.date(2026, 12, 31)))
    book.buttons["pdf"].click()
    qtbot.waitUntil(lambda: "Đã lưu" in book.message.text(), timeout=30_000)
    assert (tmp_path / "so.pdf").read_bytes()[:5] == b"%PDF-"


def test_the_annual_report_takes_its_number_and_keeps_it(qtbot: QtBot, demo_db: Database, tmp_path: Path,
                                                         make_ctx: Callable[[Database], AppContext],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    view = _reports(qtbot, make_ctx(demo_db), 2026)
    asked: list[PrintOptions] = []
    paths = iter([tmp_path / "bc.pdf", tmp_path / "bc-lai.pdf"])

    def ask_print(options: PrintOptions) -> PrintChoice:
        asked.append(options)
        return PrintChoice(path=str(next(paths)), date=dt.date(2026, 12, 20))

    monkeypatch.setattr(view, "ask_print", ask_print)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.open", lambda self: None)
    exported: list[str] = []
    view.exported.connect(exported.append)
    view.export_annual(".pdf")
    qtbot.waitUntil(lambda: len(exported) == 1, timeout=60_000)
    with demo_db.read() as s:
        reports = outgoing.list_book(s, 2026, "BC")
    assert [e.issued_on for e in reports] == [dt.date(2026, 12, 20)] and asked[0].numbered
    assert asked[0].existing is None
    view.export_annual(".pdf")  # the reprint: the dialog shows the number it has
    qtbot.waitUntil(lambda: len(exported) == 2, timeout=60_000)
    assert asked[1].existing == (reports[0].symbol, dt.date(2026, 12, 20))
    with demo_db.read() as s:
        assert [e.symbol for e in outgoing.list_book(s, 2026, "BC")] == [reports[0].symbol]


def test_the_print_dialog_fixes_the_date_of_a_numbered_paper(qtbot: QtBot) -> None:
    dialog = PrintDialog(PrintOptions(title="Quyết định", file_name="qd.pdf", patterns="PDF (*.pdf)",
                                      date=dt.date(2026, 12, 1), numbered=True,
                                      existing=("07-QĐ/TCT", dt.date(2026, 11, 6)),
                                      head_title="HIỆU TRƯỞNG", deputy_title="PHÓ HIỆU TRƯỞNG"))
    qtbot.addWidget(dialog)
    assert not dialog.date.isEnabled()
    assert (dialog.date.date().year(), dialog.date.date().month(), dialog.date.date().day()) == (2026, 11, 6)


def test_the_assessment_and_next_years_tasks(qtbot: QtBot, demo_db: Database,
                                             make_ctx: Callable[[Database], AppContext],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(AnnualTextsDialog, "launch", lambda self: None)
    dialog = AnnualTextsDialog(make_ctx(demo_db), 2026)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.isEnabled, timeout=20_000)
    assert "Chưa ghi" in dialog.note.text()
    assert "2026" in dialog.assessment.toPlainText()  # the default, made from the year's figures
    dialog.assessment.setPlainText("Hoàn thành vượt kế hoạch đào tạo.\nChất lượng học viên được nâng lên.")
    dialog.next_year.setPlainText("Mở thêm hai lớp trung cấp.")
    results: list[Any] = []
    dialog.accepted.connect(lambda: results.append(True))
    dialog.save()
    qtbot.waitUntil(lambda: results == [True], timeout=20_000)
    with demo_db.read() as s:
        texts = report_texts.annual_texts(s, 2026)
    assert texts.written and texts.paragraphs("assessment") == [
        "Hoàn thành vượt kế hoạch đào tạo.", "Chất lượng học viên được nâng lên."]
    assert texts.next_year == "Mở thêm hai lớp trung cấp."
