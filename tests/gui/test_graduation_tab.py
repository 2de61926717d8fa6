"""The class's "Xét tốt nghiệp" tab: scores set by hand, the review button stores the review and
the table shows each learner's average, classification, reasons and rank, with the rules applied
under it; the decision's number and date; the documents through the save dialog; the demo class
A48. Set DTBD_SCREENSHOTS=folder to keep a picture of the tab.

The class is tests.test_scores.build_class (T01): modules A 60, B 40, C 20 periods, exams TN1, TN2.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions
from dtbd_desktop.gui.screens.graduation_tab import GraduationTab
from dtbd_desktop.services import graduation, scores
from tests.test_scores import NID, build_class, put

D = Decimal
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def ctx(sqlite_db: Database, make_ctx: Callable[[Database], AppContext]) -> AppContext:
    with sqlite_db.write(raw=True) as s:
        build_class(s)
        # An: (8.0×60 + 9.0×40 + 9.5×20) / 120 = (480 + 360 + 190) / 120 = 1030 / 120 = 8.583… → 8.58: Giỏi
        for module, value in (("A", "8.0"), ("B", "9.0"), ("C", "9.5"), ("TN1", "7.0"), ("TN2", "7.5")):
            put(s, "T01", "An", module, value)
        # Hải: 9.0 everywhere = 9.00, Xuất sắc, but reprimanded during the course: one band less, Giỏi
        for module in ("A", "B", "C", "TN1", "TN2"):
            put(s, "T01", "Hải", module, "9.0")
        graduation.set_conduct(s, "T01", NID["Hải"], discipline="reprimand", reason="Quyết định kỷ luật số 5")
        # Bình: A 7.0, B 6.0, C 8.0 → (420 + 240 + 160) / 120 = 820 / 120 = 6.833… → 6.83 (Trung bình),
        # but no confirmation from her organisation: not eligible
        for module, value in (("A", "7.0"), ("B", "6.0"), ("C", "8.0"), ("TN1", "6.0"), ("TN2", "6.0")):
            put(s, "T01", "Bình", module, value)
        graduation.set_conduct(s, "T01", NID["Bình"], confirmation="missing")
    return make_ctx(sqlite_db)


def open_tab(qtbot: QtBot, ctx: AppContext, code: str = "T01") -> GraduationTab:
    tab = GraduationTab(ctx, code)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitUntil(lambda: tab.data is not None and ctx.runner.idle(), timeout=10_000)
    return tab


def shown(tab: GraduationTab, name: str) -> dict[str, str]:
    """A learner's line of the table as the person sees it, by column title."""
    model = tab.proxy
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    row = next(r for r in range(model.rowCount()) if model.index(r, 1).data() == name)
    return {title: model.index(row, c).data() for c, title in enumerate(titles)}


def test_the_review_button_classifies_learners_whose_scores_were_set_by_hand(
        qtbot: QtBot, ctx: AppContext, qtmodeltester, monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, ctx)
    assert "Chưa lưu kết quả xét" in tab.status.text()
    qtbot.mouseClick(tab.review_button, LEFT)
    qtbot.waitUntil(lambda: "Đã xét và lưu kết quả" in tab.message.text(), timeout=10_000)
    qtbot.waitUntil(lambda: "Đã xét và lưu ngày" in tab.status.text(), timeout=10_000)

    with ctx.db.read() as s:
        stored = {r.learner.national_id: r for r in graduation.stored_results(s, "T01")}
    assert (stored[NID["An"]].eligible, stored[NID["An"]].average, stored[NID["An"]].classification) == \
        (True, D("8.58"), "Giỏi")
    assert (stored[NID["Hải"]].classification, stored[NID["Hải"]].rank) == ("Giỏi", 1)

    an = shown(tab, "Nguyễn Văn An")
    assert (an["Hạng"], an["Điểm TB"], an["Xếp loại"], an["Kết quả"]) == ("2", "8,58", "Giỏi", "Đủ điều kiện")
    hai = shown(tab, "Vũ Văn Hải")
    assert (hai["Hạng"], hai["Điểm TB"], hai["Xếp loại"]) == ("1", "9,00", "Giỏi")
    assert "Hạ một mức vì bị kỷ luật" in hai["Lý do, ghi chú"]
    binh = shown(tab, "Trần Thị Bình")
    assert (binh["Hạng"], binh["Điểm TB"], binh["Kết quả"]) == ("", "6,83", "Không đủ điều kiện")
    assert "cơ quan cử đi học" in binh["Lý do, ghi chú"]
    assert "Chưa có điểm học phần nào" in shown(tab, "Lê Văn Cường")["Lý do, ghi chú"]
    assert "đủ điều kiện tốt nghiệp: 2; không: 6" in tab.status.text()
    assert "Xếp loại: Giỏi 2" in tab.status.text()
    assert "Xuất sắc từ 9,0; Giỏi từ 8,0; Khá từ 7,0; Trung bình từ 5,0" in tab.rules.text()
    qtmodeltester.check(tab.model)

    # Her organisation's confirmation arrives: recorded from the tab, she becomes eligible (6.83, Trung bình).
    tab.table.selectRow(next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 1).data() == "Trần Thị Bình"))
    asked: list[str] = []
    monkeypatch.setattr(GraduationTab, "ask_conduct", lambda self, row: asked.append(row.full_name) or {
        "confirmation": "received", "reason": "Công văn số 45/UBND"})
    qtbot.mouseClick(tab.conduct_button, LEFT)
    qtbot.waitUntil(lambda: shown(tab, "Trần Thị Bình")["Kết quả"] == "Đủ điều kiện", timeout=10_000)
    assert asked == ["Trần Thị Bình"] and shown(tab, "Trần Thị Bình")["Xếp loại"] == "Trung bình"
    with ctx.db.read() as s:
        history = scores.learner_transcript(s, "T01", NID["Bình"]).history
    assert (history[-1].new, history[-1].reason) == ("đã có, đạt yêu cầu", "Công văn số 45/UBND")

    # A score changed after the review: the tab says the stored review is out of date.
    with ctx.db.write(raw=True) as s:
        put(s, "T01", "An", "A", "9.0")
    tab.reload()
    # (540 + 360 + 190) / 120 = 9.083… → 9.08: Xuất sắc now, first in rank
    qtbot.waitUntil(lambda: shown(tab, "Nguyễn Văn An")["Điểm TB"] == "9,08", timeout=10_000)
    assert (shown(tab, "Nguyễn Văn An")["Xếp loại"], shown(tab, "Nguyễn Văn An")["Hạng"]) == ("Xuất sắc", "1")
    assert "Điểm đã thay đổi sau lần xét" in tab.status.text()
    assert "(2 học viên khác kết quả đã lưu)" in tab.status.text()  # Bình, then An


def test_the_decision_and_the_documents(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, ctx)
    qtbot.mouseClick(tab.review_button, LEFT)
    qtbot.waitUntil(lambda: "Đã xét và lưu ngày" in tab.status.text(), timeout=10_000)
    tab.number.clear()
    qtbot.keyClicks(tab.number, "12/QD-TCT")
    tab.date.setDate(QDate(2025, 7, 15))
    qtbot.mouseClick(tab.decision_button, LEFT)
    qtbot.waitUntil(lambda: "Đã ghi quyết định số 12/QD-TCT ngày 15/07/2025 cho 2 học viên" in tab.message.text(),
                    timeout=10_000)
    with ctx.db.read() as s:
        decided = {(r.decision_number, r.decision_date) for r in graduation.stored_results(s, "T01") if r.eligible}
    assert decided == {("12/QD-TCT", dt.date(2025, 7, 15))}
    qtbot.waitUntil(lambda: shown(tab, "Nguyễn Văn An")["Số QĐ"] == "12/QD-TCT", timeout=10_000)

    targets = iter([tmp_path / "xet.pdf", tmp_path / "cong-nhan.xlsx", tmp_path / "bang-diem.xlsx",
                    tmp_path / "an.pdf"])
    asked: list[PrintOptions] = []

    def ask_print(self: GraduationTab, options: PrintOptions) -> PrintChoice:
        asked.append(options)
        return PrintChoice(path=str(next(targets)), date=dt.date(2025, 7, 20))

    monkeypatch.setattr(GraduationTab, "ask_print", ask_print)
    for kind in ("review", "decision", "scores"):
        qtbot.mouseClick(tab.documents[kind], LEFT)
        qtbot.waitUntil(lambda: "Đã lưu" in tab.message.text() and tab.ctx.runner.idle(), timeout=30_000)
        tab.message.clear()
    tab.table.selectRow(next(r for r in range(tab.proxy.rowCount())
                             if tab.proxy.index(r, 1).data() == "Nguyễn Văn An"))
    tab.export("transcript", selected_only=True)  # the menu's "Học viên đang chọn..."
    qtbot.waitUntil(lambda: "Đã lưu" in tab.message.text() and tab.ctx.runner.idle(), timeout=30_000)

    for name in ("xet.pdf", "an.pdf"):
        assert (tmp_path / name).read_bytes()[:5] == b"%PDF-"
    decision = openpyxl.load_workbook(tmp_path / "cong-nhan.xlsx").worksheets[0]
    cells = [str(c.value) for row in decision.iter_rows() for c in row if c.value is not None]
    assert any("12/QD-TCT" in c for c in cells) and "Vũ Văn Hải" in " ".join(cells)
    assert "Trần Thị Bình" not in " ".join(cells)  # not eligible: not on the decision's list
    # The decision recorded keeps its number and date: the dialog shows them, the paper prints them.
    assert asked[1].numbered and asked[1].existing == ("12/QD-TCT", dt.date(2025, 7, 15))
    assert any("ngày 15 tháng 7 năm 2025" in c for c in cells)
    assert openpyxl.load_workbook(tmp_path / "bang-diem.xlsx").worksheets[0].max_row > 8


def test_the_review_of_the_demo_class_a48(qtbot: QtBot, demo_db: Database,
                                          make_ctx: Callable[[Database], AppContext]) -> None:
    tab = open_tab(qtbot, make_ctx(demo_db), "A48")
    assert tab.model.rowCount() == 62
    with demo_db.read() as s:
        review = graduation.load_review(s, "A48")
    first = min((r for r in review.rows if r.rank), key=lambda r: r.rank or 0)
    top = shown(tab, first.full_name)
    assert (top["Hạng"], top["Xếp loại"]) == ("1", first.classification)
    assert tab.proxy.index(0, 1).data() == first.full_name  # sorted by rank
    assert "Căn cứ" in tab.rules.text()
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        tab.grab().save(str(Path(folder) / "graduation-tab-A48.png"))
