"""Score entry in the class's "Điểm" tab, as the training office does it: type a module's scores
by keyboard (8,5 Enter, the cursor moves down), a refused cell that says why, a block pasted from
Excel saved all-or-nothing, Delete, a retake column, a finalised module that only a permitted
person may change (with a reason), one learner across modules, the fill-in workbook, the retake
roster; and the tab on the demo class A48. Every value is read back through the core.

The class is tests.test_scores.build_class: T01, learners An, Bình, Cường... in roster order,
modules A (60 periods), B (40), C (20), graduation exams TN1, TN2, thesis KL.
Set DTBD_SCREENSHOTS=folder to keep a picture of the tab.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, TrainingClass
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.models.score_model import ERROR_BACKGROUND
from dtbd_desktop.gui.screens.scores_tab import ScoresTab
from dtbd_desktop.gui.widgets import ask
from dtbd_desktop.gui.widgets.common import ERROR_STYLE
from dtbd_desktop.services import lecturers, scores
from dtbd_desktop.trust.accounts import Login
from tests.logins import admin_login, create_account
from tests.test_scores import NID, build_class

D = Decimal
LEFT = Qt.MouseButton.LeftButton
MakeCtx = Callable[[Database], AppContext]


@pytest.fixture
def ctx(sqlite_db: Database, make_ctx: MakeCtx) -> AppContext:
    with sqlite_db.write(raw=True) as s:
        build_class(s)
    return make_ctx(sqlite_db)


def open_tab(qtbot: QtBot, ctx: AppContext, module: str = "A", code: str = "T01") -> ScoresTab:
    tab = ScoresTab(ctx, code)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitUntil(lambda: tab.shown is not None, timeout=10_000)
    show_module(qtbot, tab, module)
    tab.activateWindow()
    tab.table.setFocus()
    return tab


def show_module(qtbot: QtBot, tab: ScoresTab, module: str) -> None:
    tab.module_box.setCurrentIndex(tab.module_box.findData(module))
    qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.token == ("module", module), timeout=10_000)


def row_of(tab: ScoresTab, given: str) -> int:
    return next(i for i, r in enumerate(tab.model.grid.rows) if r.info[0].endswith(" " + given))


def column_of(tab: ScoresTab, label: str) -> int:
    return next(c for c in range(tab.model.columnCount())
                if tab.model.headerData(c, Qt.Orientation.Horizontal) == label)


def idle(qtbot: QtBot, ctx: AppContext, tab: ScoresTab | None = None) -> None:
    """Wait for the saves under way (a typed cell stays pending until its save is over)."""
    qtbot.waitUntil(lambda: ctx.runner.idle() and not (tab and tab.model.pending), timeout=10_000)


def type_cell(qtbot: QtBot, tab: ScoresTab, row: int, column: int, typed: str) -> None:
    """Go to a cell, type over it (the first key opens the editor, as in Excel) and press Enter."""
    tab.table.setCurrentIndex(tab.model.index(row, column))
    qtbot.keyClick(tab.table, typed[0])
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    if typed[1:]:
        qtbot.keyClicks(editor, typed[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: tab.table.state() != tab.table.State.EditingState, timeout=5_000)
    idle(qtbot, tab.ctx, tab)


def saved(ctx: AppContext, module: str, given: str, attempt: int = 1) -> Decimal | None:
    with ctx.db.read() as s:
        row = next(r for r in scores.load_score_sheet(s, "T01", module).rows if r.national_id == NID[given])
    return row.values.get((attempt, ""))


def score_audits(ctx: AppContext) -> int:
    with ctx.db.read() as s:
        return len(list(s.scalars(select(AuditEntry).where(AuditEntry.entity == "score"))))


def test_typing_a_module_s_scores_by_keyboard(qtbot: QtBot, ctx: AppContext, qtmodeltester) -> None:
    tab = open_tab(qtbot, ctx)
    qtmodeltester.check(tab.model)  # and it keeps watching the model while cells and columns change
    score = column_of(tab, "Điểm")
    type_cell(qtbot, tab, row_of(tab, "An"), score, "8,5")
    assert saved(ctx, "A", "An") == D("8.5")
    assert tab.table.currentIndex().row() == row_of(tab, "An") + 1  # Enter moved down, to Bình
    assert "8,5" in tab.message.text()

    # Keep typing down the column: the cursor is already on Bình.
    qtbot.keyClick(tab.table, "7")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit)
    qtbot.keyClicks(editor, ".5")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: saved(ctx, "A", "Bình") == D("7.5"), timeout=10_000)
    idle(qtbot, ctx)
    assert tab.model.index(row_of(tab, "Bình"), score).data() == "7,5"
    assert tab.model.index(row_of(tab, "An"), score + 1).data() == "8,5"  # the module's score beside it

    # A failed first sitting: the sheet adds the retake column, which takes the retake.
    type_cell(qtbot, tab, row_of(tab, "Cường"), score, "4")
    qtbot.waitUntil(lambda: "Thi lại lần 1" in [tab.model.headerData(c, Qt.Orientation.Horizontal)
                                                for c in range(tab.model.columnCount())], timeout=10_000)
    assert tab.model.index(row_of(tab, "Cường"), column_of(tab, "Kết quả")).data() == "Chưa đạt"
    type_cell(qtbot, tab, row_of(tab, "Cường"), column_of(tab, "Thi lại lần 1"), "6")
    assert (saved(ctx, "A", "Cường"), saved(ctx, "A", "Cường", attempt=2)) == (D("4.0"), D("6.0"))
    assert tab.model.index(row_of(tab, "Cường"), column_of(tab, "Điểm học phần")).data() == "6,0"

    # Delete clears the selected cell.
    tab.table.setCurrentIndex(tab.model.index(row_of(tab, "Bình"), score))
    qtbot.keyClick(tab.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: saved(ctx, "A", "Bình") is None, timeout=10_000)
    idle(qtbot, ctx)
    assert tab.model.index(row_of(tab, "Bình"), score).data() == ""
    _shot(tab, "scores-tab-small")


@pytest.mark.parametrize(("typed", "reason"), [("11", "Điểm phải từ 0 đến 10 (đang là 11)"),
                                               ("8,25", "Điểm chỉ có một chữ số thập phân"),
                                               ("abc", "Không đọc được điểm 'abc'")])
def test_a_refused_cell_shows_why_and_nothing_is_saved(qtbot: QtBot, ctx: AppContext, typed: str,
                                                      reason: str) -> None:
    tab = open_tab(qtbot, ctx)
    row, score = row_of(tab, "An"), column_of(tab, "Điểm")
    type_cell(qtbot, tab, row, score, typed)
    index = tab.model.index(row, score)
    assert index.data() == typed  # what was typed stays in the cell...
    assert index.data(Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND  # ...in red...
    assert reason in index.data(Qt.ItemDataRole.ToolTipRole)  # ...with the reason
    assert reason in tab.message.text()
    assert saved(ctx, "A", "An") is None and score_audits(ctx) == 0

    type_cell(qtbot, tab, row, score, "9")  # corrected: saved, no longer red
    assert saved(ctx, "A", "An") == D("9.0")
    assert index.data(Qt.ItemDataRole.BackgroundRole) != ERROR_BACKGROUND
    assert index.data() == "9,0"


def paste(qtbot: QtBot, tab: ScoresTab, row: int, column: int, clipboard: str) -> None:
    QGuiApplication.clipboard().setText(clipboard)
    tab.table.setCurrentIndex(tab.model.index(row, column))
    qtbot.keyClick(tab.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, tab.ctx, tab)


def test_a_block_pasted_from_excel_is_saved_all_or_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    tab = open_tab(qtbot, ctx)
    top, score = row_of(tab, "An"), column_of(tab, "Điểm")
    paste(qtbot, tab, top, score, "8,5\r\n11\r\n7\r\n")  # Excel copies 3 rows × 1 column like this
    assert [saved(ctx, "A", g) for g in ("An", "Bình", "Cường")] == [None, None, None]
    assert score_audits(ctx) == 0
    bad = tab.model.index(top + 1, score)
    assert bad.data() == "11" and bad.data(Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND
    assert "không ô nào được lưu" in tab.message.text()
    assert "Dòng 2, cột Điểm: Điểm phải từ 0 đến 10 (đang là 11)" in tab.message.text()
    assert tab.model.index(top, score).data() == ""  # the good cells were not saved either

    paste(qtbot, tab, top, score, "8,5\r\n9\r\n7.5\r\n")
    assert [saved(ctx, "A", g) for g in ("An", "Bình", "Cường")] == [D("8.5"), D("9.0"), D("7.5")]
    assert bad.data() == "9,0" and bad.data(Qt.ItemDataRole.BackgroundRole) != ERROR_BACKGROUND
    assert "Đã lưu 3 ô" in tab.message.text()

    # A block the core refuses (a retake for learners who passed): still nothing saved.
    type_cell(qtbot, tab, row_of(tab, "Dung"), score, "3")
    retake = column_of(tab, "Thi lại lần 1")
    paste(qtbot, tab, row_of(tab, "Cường"), retake, "6\n5,5\n")
    assert saved(ctx, "A", "Cường", attempt=2) is None and saved(ctx, "A", "Dung", attempt=2) is None
    assert "đã đạt" in tab.message.text() and "không ô nào được lưu" in tab.message.text()
    assert tab.model.index(row_of(tab, "Cường"), retake).data(Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND


def _lecturer_of_the_class(db: Database) -> tuple[Login, Login]:
    """Accounts: an administrator, and a lecturer who is the class's homeroom lecturer; logged in."""
    with db.write(raw=True) as s:
        lecturer = lecturers.save_lecturer(s, full_name="Trần Văn Giảng")
        s.scalar(select(TrainingClass).where(TrainingClass.code == "T01")).homeroom_lecturer_id = lecturer.id
        lecturer_id = lecturer.id
    admin = admin_login(db)
    return admin, create_account(db, "giang", "lecturer", by=admin, full_name="Trần Văn Giảng",
                                 lecturer_id=lecturer_id)


def test_a_finalised_module_is_changed_only_with_permission_and_a_reason(qtbot: QtBot, ctx: AppContext,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, ctx)
    row, score = row_of(tab, "An"), column_of(tab, "Điểm")
    type_cell(qtbot, tab, row, score, "6,5")
    # Finalising with scores missing: the question comes first, naming how many and who; "Quay lại" keeps it open.
    questions: list[tuple[str, str, str | None]] = []

    def go_back(_parent: object, _title: str, text: str, go: str, *, details: str | None = None,
                back: str | None = None) -> bool:
        questions.append((text, go, details))
        return False

    monkeypatch.setattr(ask, "before", go_back)
    qtbot.mouseClick(tab.buttons["finalise"], LEFT)
    qtbot.waitUntil(lambda: "Chưa chốt điểm học phần A." in tab.message.text(), timeout=10_000)
    text, go, details = questions[0]
    assert "còn 7/8 học viên chưa có điểm" in text and go == "Vẫn chốt điểm"
    assert details is not None and details.startswith("Chưa có điểm: Trần Thị Bình, Lê Văn Cường, Phạm Thị Dung")
    with ctx.db.read() as s:
        assert "A" not in scores.finalised_modules(s, "T01")

    # Asked again, the person goes on: finalised; who is still missing stays on screen, in red.
    monkeypatch.setattr(ask, "before", lambda *_a, **_k: True)
    qtbot.mouseClick(tab.buttons["finalise"], LEFT)
    qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.locked, timeout=10_000)
    with ctx.db.read() as s:
        assert "A" in scores.finalised_modules(s, "T01")
    assert "ĐÃ CHỐT" in tab.banner.text() and "người chốt: Quản trị (máy này);" in tab.banner.text()
    assert "7 học viên chưa có điểm" in tab.message.text() and tab.message.styleSheet() == ERROR_STYLE

    # A lecturer of the class enters scores but may not change finalised ones.
    admin, lecturer = _lecturer_of_the_class(ctx.db)
    ctx.login = lecturer
    tab.reload()
    qtbot.waitUntil(lambda: tab.overview is not None and not tab.overview.may_override, timeout=10_000)
    idle(qtbot, ctx)
    assert not tab.buttons["unfinalise"].isEnabled()
    type_cell(qtbot, tab, row, score, "9")
    assert saved(ctx, "A", "An") == D("6.5")
    assert "đã được chốt" in tab.model.index(row, score).data(Qt.ItemDataRole.ToolTipRole)
    assert "cần người có quyền và ghi lý do" in tab.message.text()

    # The administrator may, once a reason is given; the change is audited with it.
    ctx.login = admin
    tab.reload()
    qtbot.waitUntil(lambda: tab.overview is not None and tab.overview.may_override, timeout=10_000)
    idle(qtbot, ctx)
    asked: list[str] = []
    monkeypatch.setattr(ScoresTab, "ask_reason", lambda self, module: asked.append(module) or "Phúc khảo bài thi")
    type_cell(qtbot, tab, row, score, "7")
    type_cell(qtbot, tab, row + 1, score, "8")
    assert (saved(ctx, "A", "An"), saved(ctx, "A", "Bình")) == (D("7.0"), D("8.0"))
    assert asked == ["A"]  # asked once for the module
    with ctx.db.read() as s:
        history = scores.learner_transcript(s, "T01", NID["An"]).history
    assert (history[-1].old, history[-1].new, history[-1].reason, history[-1].username, history[-1].who) == \
        ("6,5", "7,0", "Phúc khảo bài thi", "quantri", "Nguyễn Văn Quản")  # the account's name


def test_one_learner_across_modules(qtbot: QtBot, ctx: AppContext, qtmodeltester) -> None:
    tab = open_tab(qtbot, ctx)
    qtmodeltester.check(tab.model)
    tab.by_learner.setChecked(True)
    tab.learner_box.setCurrentIndex(tab.learner_box.findText("Trần Thị Bình", Qt.MatchFlag.MatchStartsWith))
    qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.token[0] == "learner"
                    and "Trần Thị Bình" in tab.banner.text(), timeout=10_000)
    rows = {r.module_code: i for i, r in enumerate(tab.model.grid.rows)}
    assert list(rows) == ["A", "B", "C", "TN1", "TN2", "KL"]
    score = column_of(tab, "Điểm")
    type_cell(qtbot, tab, rows["B"], score, "9,5")
    assert tab.table.currentIndex().row() == rows["C"]
    type_cell(qtbot, tab, rows["C"], score, "4,5")
    assert (saved(ctx, "B", "Bình"), saved(ctx, "C", "Bình")) == (D("9.5"), D("4.5"))
    qtbot.waitUntil(lambda: tab.history_model.rowCount() == 2, timeout=10_000)
    assert tab.history.isVisible() and tab.history_model.rows[0].what == "C lần 1"
    assert "Thi lại lần 1" in [tab.model.headerData(c, Qt.Orientation.Horizontal)
                               for c in range(tab.model.columnCount())]

    tab.show_retakes()  # C failed: she is on the retake roster
    dialog = tab.retake_dialog
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.rows is not None, timeout=10_000)
    assert [(r.module_code, r.full_name) for r in dialog.model.rows] == [("C", "Trần Thị Bình")]


def test_the_fill_in_workbook_goes_out_and_comes_back(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, ctx, module="B")
    path = tmp_path / "diem B.xlsx"
    monkeypatch.setattr(ScoresTab, "ask_path", lambda self, title, name, save: str(path))
    qtbot.mouseClick(tab.buttons["export"], LEFT)
    qtbot.waitUntil(path.exists, timeout=10_000)
    idle(qtbot, ctx)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ids = {ws.cell(row=r, column=2).value: r for r in range(6, ws.max_row + 1)}
    ws.cell(row=ids[NID["Giang"]], column=5, value="8,5")
    ws.cell(row=ids[NID["Hải"]], column=5, value=7)
    wb.save(path)
    qtbot.mouseClick(tab.buttons["import"], LEFT)
    qtbot.waitUntil(lambda: saved(ctx, "B", "Giang") == D("8.5"), timeout=10_000)
    idle(qtbot, ctx)
    assert saved(ctx, "B", "Hải") == D("7.0")
    assert "2 điểm thay đổi" in tab.message.text()
    qtbot.waitUntil(lambda: tab.model.index(row_of(tab, "Giang"), column_of(tab, "Điểm")).data() == "8,5",
                    timeout=10_000)


def test_the_scores_of_the_demo_class_a48(qtbot: QtBot, demo_db: Database, make_ctx: MakeCtx, qtmodeltester) -> None:
    ctx = make_ctx(demo_db)
    tab = open_tab(qtbot, ctx, module="I.1", code="A48")
    assert tab.model.rowCount() == 62 and tab.module_box.count() == 19
    with demo_db.read() as s:
        sheet = scores.load_score_sheet(s, "A48", "I.1")
    first = sheet.rows[0]
    assert tab.model.index(0, 0).data() == first.full_name
    assert tab.model.index(0, column_of(tab, "Điểm")).data() == first.value(sheet.columns[0]).to_eng_string() \
        .replace(".", ",")
    qtmodeltester.check(tab.model)
    _shot(tab, "scores-tab-A48")
    tab.by_learner.setChecked(True)
    qtbot.waitUntil(lambda: tab.shown is not None and tab.shown.token[0] == "learner", timeout=10_000)
    assert tab.model.rowCount() == 19
    _shot(tab, "scores-tab-A48-learner")


def _shot(widget: ScoresTab, name: str) -> None:
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_a_learners_transcript_from_the_grid(qtbot: QtBot, ctx: AppContext, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMenu

    from dtbd_desktop.gui.widgets.transcript_print import TranscriptPrinter
    from tests.test_graduation_reports import pdf_text

    tab = open_tab(qtbot, ctx)
    monkeypatch.setattr(TranscriptPrinter, "ask_date", lambda self, name: dt.date(2025, 7, 1))
    monkeypatch.setattr(TranscriptPrinter, "ask_path", lambda self, name: str(tmp_path / "bd.pdf"))
    row = tab.model.grid.rows[1]
    tab.table.customContextMenuRequested.emit(tab.table.visualRect(tab.model.index(1, 0)).center())
    menu = tab.table.findChild(QMenu, "transcript_menu")
    assert menu is not None and row.info[0] in menu.actions()[0].text()
    menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: "Đã lưu bảng điểm học tập" in tab.message.text() and tab.ctx.runner.idle(),
                    timeout=30_000)
    content = pdf_text(tmp_path / "bd.pdf")
    assert row.info[0] in content and "ngày 01 tháng 7 năm 2025" in content
