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
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions
from dtbd_desktop.gui.screens.graduation_tab import GraduationTab
from dtbd_desktop.gui.widgets import ask
from dtbd_desktop.gui.widgets.transcript_print import TranscriptPrinter
from dtbd_desktop.services import graduation, scores
from tests.test_graduation_reports import pdf_text
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
    assert (an["Hạng"], an["TB học phần"], an["Xếp loại"], an["Kết quả"]) == ("2", "8,58", "Giỏi", "Đủ điều kiện")
    # every score that decides the result is on the row, with the band it gave
    assert (an["TN1"], an["TN2"], an["KL"], an["Căn cứ xếp loại"]) == ("7,0", "7,5", "", "TB 8,58 → Giỏi (từ 8,0)")
    hai = shown(tab, "Vũ Văn Hải")
    assert (hai["Hạng"], hai["TB học phần"], hai["Xếp loại"]) == ("1", "9,00", "Giỏi")
    assert hai["Căn cứ xếp loại"] == "TB 9,00 → Xuất sắc (từ 9,0), hạ một mức → Giỏi"
    assert "Hạ một mức vì bị kỷ luật" in hai["Lý do, ghi chú"]
    binh = shown(tab, "Trần Thị Bình")
    assert (binh["Hạng"], binh["TB học phần"], binh["Kết quả"]) == ("", "6,83", "Không đủ điều kiện")
    assert "cơ quan cử đi học" in binh["Lý do, ghi chú"]
    assert "Chưa có điểm học phần nào" in shown(tab, "Lê Văn Cường")["Lý do, ghi chú"]
    assert "đủ điều kiện tốt nghiệp: 2; không: 6" in tab.status.text()
    assert "Xếp loại: Giỏi 2" in tab.status.text()
    assert "Xếp loại theo điểm trung bình các học phần (điểm thi tốt nghiệp, khóa luận chỉ cần đạt): Xuất sắc từ 9,0; " \
           "Giỏi từ 8,0; Khá từ 7,0; Trung bình từ 5,0" in tab.rules.text()
    qtmodeltester.check(tab.model)

    # Her organisation's confirmation arrives: the review's button opens the class's grid on her line,
    # "đạt" typed there is saved with the letter as its ground; she becomes eligible (6.83, Trung bình).
    tab.table.selectRow(next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 1).data() == "Trần Thị Bình"))
    qtbot.mouseClick(tab.conduct_button, LEFT)
    grid = tab.conduct
    qtbot.waitUntil(lambda: grid.isVisible() and grid.sheet is not None and ctx.runner.idle(), timeout=10_000)
    current = grid.table.currentIndex()
    assert (grid.model.lines[current.row()].full_name, current.column()) == ("Trần Thị Bình", 3)
    assert current.data() == "chưa có"
    grid.reason.setText("Công văn số 45/UBND")  # (keyClicks types ASCII only)
    grid.table.setFocus()
    qtbot.keyClick(grid.table, "d")  # the first key opens the cell's editor, as in Excel
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, "at")  # "dat": typed without diacritics, as many do
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "Đã lưu: Trần Thị Bình" in grid.message.text(), timeout=10_000)
    tab.show_page("review")
    qtbot.waitUntil(lambda: shown(tab, "Trần Thị Bình")["Kết quả"] == "Đủ điều kiện", timeout=10_000)
    assert shown(tab, "Trần Thị Bình")["Xếp loại"] == "Trung bình"
    with ctx.db.read() as s:
        history = scores.learner_transcript(s, "T01", NID["Bình"]).history
    assert (history[-1].new, history[-1].reason) == ("đã có, đạt yêu cầu", "Công văn số 45/UBND")

    # A score changed after the review: the tab says the stored review is out of date.
    with ctx.db.write(raw=True) as s:
        put(s, "T01", "An", "A", "9.0")
    tab.reload()
    # (540 + 360 + 190) / 120 = 9.083… → 9.08: Xuất sắc now, first in rank
    qtbot.waitUntil(lambda: shown(tab, "Nguyễn Văn An")["TB học phần"] == "9,08", timeout=10_000)
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

    targets = iter([tmp_path / "xet.pdf", tmp_path / "cong-nhan.xlsx", tmp_path / "bang-diem.xlsx"])
    asked: list[PrintOptions] = []

    def ask_print(self: GraduationTab, options: PrintOptions) -> PrintChoice:
        asked.append(options)
        return PrintChoice(path=str(next(targets)), date=options.date)  # the dialog's date as offered

    monkeypatch.setattr(GraduationTab, "ask_print", ask_print)
    monkeypatch.setattr(TranscriptPrinter, "ask_date", lambda self, name: dt.date(2025, 7, 20))
    monkeypatch.setattr(TranscriptPrinter, "ask_path", lambda self, name: str(tmp_path / "an.pdf"))
    tab.sign_date.setDate(QDate(2025, 7, 16))  # offered by the print dialog of the review list
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
    assert "ngày 16 tháng 7 năm 2025" in pdf_text(tmp_path / "xet.pdf")  # the signing date chosen
    assert "ngày 20 tháng 7 năm 2025" in pdf_text(tmp_path / "an.pdf")
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


def test_reviewing_again_after_the_decision_says_what_changes(qtbot: QtBot, ctx: AppContext,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    with ctx.db.write(raw=True) as s:
        graduation.review(s, "T01")
        graduation.set_decision(s, "T01", number="12/QĐ-TCT", date=dt.date(2025, 7, 15))
        # since the decision: An's organisation reports a breach; Hải's module C is corrected
        graduation.set_conduct(s, "T01", NID["An"], confirmation="unfavourable")
        scores.set_score(s, "T01", NID["Hải"], "C", "9.5")
    tab = open_tab(qtbot, ctx)
    questions: list[tuple[str, str, str | None]] = []

    def go_back(_parent: object, _title: str, text: str, go: str, *, details: str | None = None,
                back: str | None = None) -> bool:
        questions.append((text, go, details))
        return False

    monkeypatch.setattr(ask, "before", go_back)
    qtbot.mouseClick(tab.review_button, LEFT)
    qtbot.waitUntil(lambda: bool(questions), timeout=10_000)
    text, go, details = questions[0]
    assert text.startswith("Lớp T01 đã có quyết định công nhận tốt nghiệp số 12/QĐ-TCT ngày 15/07/2025.")
    assert go == "Xét lại và lưu" and details is not None
    assert "2 học viên đổi kết quả:" in details
    assert "• Nguyễn Văn An: Giỏi (8,58) → Không đủ điều kiện" in details
    assert "• Vũ Văn Hải: Giỏi (9,00) → Giỏi (9,08)" in details  # (540 + 360 + 190) / 120
    assert "1 học viên không còn đủ điều kiện sẽ bị bỏ khỏi quyết định số 12/QĐ-TCT: Nguyễn Văn An." in details
    qtbot.waitUntil(ctx.runner.idle, timeout=10_000)
    with ctx.db.read() as s:  # "Quay lại": the stored review and its decision are as they were
        an = next(r for r in graduation.stored_results(s, "T01") if r.learner.national_id == NID["An"])
    assert (an.eligible, an.decision_number) == (True, "12/QĐ-TCT")

    monkeypatch.setattr(ask, "before", lambda *_a, **_k: True)
    qtbot.mouseClick(tab.review_button, LEFT)
    qtbot.waitUntil(lambda: "Đã xét và lưu kết quả" in tab.message.text(), timeout=10_000)
    with ctx.db.read() as s:
        an = next(r for r in graduation.stored_results(s, "T01") if r.learner.national_id == NID["An"])
    assert (an.eligible, an.decision_number) == (False, None)


def test_replacing_a_recorded_decision_asks_first(qtbot: QtBot, ctx: AppContext,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with ctx.db.write(raw=True) as s:
        graduation.review(s, "T01")
        graduation.set_decision(s, "T01", number="12/QĐ-TCT", date=dt.date(2025, 7, 15))
    tab = open_tab(qtbot, ctx)
    assert tab.number.text() == "12/QĐ-TCT"
    asked: list[str] = []
    monkeypatch.setattr(ask, "before", lambda _p, _t, text, _g, **_k: asked.append(text) is not None)
    tab.number.clear()
    qtbot.keyClicks(tab.number, "13/QD-TCT")
    qtbot.mouseClick(tab.decision_button, LEFT)
    assert asked == ["Lớp T01 đã ghi quyết định số 12/QĐ-TCT ngày 15/07/2025. Thay bằng số 13/QD-TCT ngày 15/07/2025 "
                     "cho mọi học viên đủ điều kiện?"]
    qtbot.waitUntil(ctx.runner.idle, timeout=10_000)
    with ctx.db.read() as s:
        assert {r.decision_number for r in graduation.stored_results(s, "T01") if r.eligible} == {"12/QĐ-TCT"}


def test_a_short_course_row_shows_the_essay_that_decides_its_band(
        qtbot: QtBot, sqlite_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    with sqlite_db.write(raw=True) as s:
        build_class(s, code="B01", kind="fostering")
        # An: B1 7.0, B2 7.5 and the bài thu hoạch (B3) 9.5: average 8.00 but Xuất sắc, by the essay
        for module, value in (("B1", "7.0"), ("B2", "7.5"), ("B3", "9.5")):
            put(s, "B01", "An", module, value)
    tab = open_tab(qtbot, make_ctx(sqlite_db), "B01")
    an = shown(tab, "Nguyễn Văn An")
    assert (an["Điểm TB"], an["Bài thu hoạch"], an["Xếp loại"], an["Kết quả"]) == ("8,00", "9,5", "Xuất sắc", "Đạt")
    assert an["Căn cứ xếp loại"] == "Bài thu hoạch 9,5 → Xuất sắc (từ 9,0)"
    assert "xếp loại theo điểm bài thu hoạch (không theo điểm trung bình)" in tab.rules.text()


def test_a_learners_transcript_from_the_right_click_menu(qtbot: QtBot, demo_db: Database, tmp_path: Path,
                                                        make_ctx: Callable[[Database], AppContext],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMenu

    tab = open_tab(qtbot, make_ctx(demo_db), "DVM25.01")
    asked: list[str] = []
    monkeypatch.setattr(TranscriptPrinter, "ask_date", lambda self, name: asked.append(name) or dt.date(2025, 4, 2))
    monkeypatch.setattr(TranscriptPrinter, "ask_path", lambda self, name: str(tmp_path / name))
    row = 2
    name = tab.proxy.index(row, 1).data()
    point = tab.table.visualRect(tab.proxy.index(row, 1)).center()
    tab.table.customContextMenuRequested.emit(point)
    menu = tab.table.findChild(QMenu, "transcript_menu")
    assert menu is not None
    action = menu.actions()[0]
    assert action.text() == f"In bảng điểm học tập của {name}..."
    action.trigger()
    qtbot.waitUntil(lambda: "Đã lưu bảng điểm học tập" in tab.message.text() and tab.ctx.runner.idle(),
                    timeout=30_000)
    assert asked == [name]
    saved = next(tmp_path.glob("Bang diem *.pdf"))
    content = pdf_text(saved)
    assert name in content and "ngày 02 tháng 4 năm 2025" in content and "Trang 1/1" in content
