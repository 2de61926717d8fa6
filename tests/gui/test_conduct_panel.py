"""The class's conduct grid in the "Xét tốt nghiệp" tab: the confirmations of a whole class pasted
from Excel or filled down a column in one go (a learner without a CCCD among them), a bad cell
refusing the whole block with its place named, a value changed on another PC reported instead of
overwritten, clearing many cells asked first.

The class is tests.test_scores.build_class (T01): eight learners; here their organisations'
confirmations are still missing, and Bình has no national ID.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Enrolment, Learner
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.models.score_model import ERROR_BACKGROUND
from dtbd_desktop.gui.screens.conduct_panel import ConductPanel
from dtbd_desktop.gui.screens.graduation_tab import GraduationTab
from dtbd_desktop.services import conduct
from dtbd_desktop.services.conduct import ConductEntry
from tests.logins import admin_login, create_account
from tests.test_scores import build_class


@pytest.fixture
def ctx(sqlite_db: Database, make_ctx: Callable[[Database], AppContext]) -> AppContext:
    with sqlite_db.write(raw=True) as s:
        build_class(s)
        for e in s.scalars(select(Enrolment)):
            e.confirmation = "missing"
        binh = s.scalar(select(Learner).where(Learner.given_name == "Bình"))
        assert binh is not None
        binh.national_id = None
    return make_ctx(sqlite_db)


def open_grid(qtbot: QtBot, ctx: AppContext) -> tuple[GraduationTab, ConductPanel]:
    tab = GraduationTab(ctx, "T01")
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    tab.show_page("conduct")
    grid = tab.conduct
    qtbot.waitUntil(lambda: grid.sheet is not None and tab.data is not None and ctx.runner.idle(), timeout=10_000)
    return tab, grid


def stored(ctx: AppContext, field: str) -> dict[str, str | None]:
    with ctx.db.read() as s:
        return {line.given_name: getattr(line, field) for line in conduct.load_conduct_sheet(s, "T01").learners}


def audits(ctx: AppContext) -> list[tuple[str | None, str | None, str | None]]:
    with ctx.db.read() as s:
        return [(a.field, a.new_value, a.reason) for a in
                s.scalars(select(AuditEntry).where(AuditEntry.action == "enrolment.conduct"))]


def row_of(grid: ConductPanel, given: str) -> int:
    return next(r for r, line in enumerate(grid.model.lines) if line.given_name == given)


def click_title(qtbot: QtBot, grid: ConductPanel, column: int) -> None:
    """A click on a column's title: the whole column is selected."""
    header = grid.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def idle(qtbot: QtBot, ctx: AppContext) -> None:
    qtbot.waitUntil(ctx.runner.idle, timeout=10_000)


def test_a_column_pasted_from_excel_fills_the_class_in_one_go(qtbot: QtBot, ctx: AppContext, qtmodeltester) -> None:
    tab, grid = open_grid(qtbot, ctx)
    qtmodeltester.check(grid.model)
    assert "Còn 8 học viên chưa có nhận xét của cơ quan cử đi học" in grid.summary.text()
    assert [grid.model.headerData(c, Qt.Orientation.Horizontal) for c in range(6)] == [
        "Họ và tên", "Ngày sinh", "Đơn vị cử đi học", "Nhận xét của cơ quan cử đi học", "Kỷ luật", "Rèn luyện"]
    # Eight lines copied from the organisations' summary sheet: confirmation, discipline (none), conduct.
    QGuiApplication.clipboard().setText("\r\n".join(["Đạt\t\tTốt"] * 7 + ["Không đạt\t\tKhá"]) + "\r\n")
    grid.reason.setText("Công văn các đơn vị, tháng 6")
    grid.table.setCurrentIndex(grid.model.index(0, 3))
    grid.table.setFocus()
    qtbot.keyClick(grid.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, ctx)
    assert "Đã lưu 16 ô." in grid.message.text(), grid.message.text()
    confirmations = stored(ctx, "confirmation")
    last = grid.model.lines[-1].given_name
    assert confirmations.pop(last) == "unfavourable"
    assert set(confirmations.values()) == {"received"} and "Bình" in confirmations  # Bình has no CCCD
    assert set(stored(ctx, "conduct").values()) == {"Tốt", "Khá"}
    assert len(audits(ctx)) == 16 and {reason for _f, _v, reason in audits(ctx)} == {"Công văn các đơn vị, tháng 6"}
    idle(qtbot, ctx)
    assert "Đã có nhận xét của cơ quan cử đi học cho mọi học viên" in grid.summary.text()
    assert grid.model.index(row_of(grid, "Bình"), 3).data() == "đã có, đạt yêu cầu"
    # The review sees it at once: no learner is held back by a missing confirmation any more.
    tab.show_page("review")
    qtbot.waitUntil(lambda: tab.data is not None and ctx.runner.idle(), timeout=10_000)
    assert not any("Chưa có nhận xét" in reason for r in tab.data.rows for reason in r.reasons)  # type: ignore[union-attr]


def test_a_bad_cell_refuses_the_whole_block_and_says_where(qtbot: QtBot, ctx: AppContext) -> None:
    _tab, grid = open_grid(qtbot, ctx)
    QGuiApplication.clipboard().setText("đạt\t\ndat\tđình chỉ\nđạt\tkhiển trách\n")
    grid.table.setCurrentIndex(grid.model.index(0, 3))
    grid.paste()
    assert "Không lưu: 1 ô có lỗi, không ô nào được lưu." in grid.message.text()
    assert "Dòng 2, cột Kỷ luật: 'đình chỉ' không phải mức kỷ luật" in grid.message.text()
    assert grid.model.index(1, 4).data(Qt.ItemDataRole.BackgroundRole) == ERROR_BACKGROUND
    idle(qtbot, ctx)
    assert set(stored(ctx, "confirmation").values()) == {"missing"} and audits(ctx) == []


def test_filling_a_selected_column(qtbot: QtBot, ctx: AppContext) -> None:
    _tab, grid = open_grid(qtbot, ctx)
    click_title(qtbot, grid, 3)
    assert len(grid.table.selectedIndexes()) == 8, grid.table.selectedIndexes()
    grid._fill_choices()  # the menu of the button, for the column the cursor is in
    labels = [a.text() for a in grid.fill_menu.actions()]
    assert labels[0] == "\u201cđã có, đạt yêu cầu\u201d cho 8 ô đang chọn"
    grid.fill_menu.actions()[0].trigger()
    qtbot.waitUntil(lambda: "Đã lưu 8 ô." in grid.message.text(), timeout=10_000)
    assert set(stored(ctx, "confirmation").values()) == {"received"}

    # Clearing them again asks first; going back keeps them.
    asked: list[int] = []
    grid.confirm_clear = lambda n: asked.append(n) is not None  # type: ignore[method-assign]
    idle(qtbot, ctx)
    click_title(qtbot, grid, 3)
    qtbot.keyClick(grid.table, Qt.Key.Key_Delete)
    assert asked == [8]
    idle(qtbot, ctx)
    assert set(stored(ctx, "confirmation").values()) == {"received"}


def test_a_change_made_on_another_pc_is_not_overwritten(qtbot: QtBot, ctx: AppContext) -> None:
    _tab, grid = open_grid(qtbot, ctx)
    an = grid.model.lines[row_of(grid, "An")]
    with ctx.db.write(raw=True) as s:  # meanwhile, on another PC
        conduct.set_conducts(s, "T01", [ConductEntry("confirmation", "không đạt", enrolment_id=an.enrolment_id)])
    grid.table.setCurrentIndex(grid.model.index(row_of(grid, "An"), 3))
    assert grid.model.setData(grid.table.currentIndex(), "đạt")
    qtbot.waitUntil(lambda: "vừa được người khác sửa" in grid.message.text(), timeout=10_000)
    assert "không đạt yêu cầu" in grid.message.text()
    idle(qtbot, ctx)
    assert stored(ctx, "confirmation")["An"] == "unfavourable"
    qtbot.waitUntil(lambda: grid.model.lines[row_of(grid, "An")].confirmation == "unfavourable", timeout=10_000)


def test_the_review_button_reaches_a_learner_without_a_national_id(qtbot: QtBot, ctx: AppContext) -> None:
    tab, grid = open_grid(qtbot, ctx)
    tab.show_page("review")
    qtbot.waitUntil(lambda: tab.proxy.rowCount() == 8, timeout=10_000)
    row = next(r for r in range(tab.proxy.rowCount()) if tab.proxy.index(r, 1).data() == "Trần Thị Bình")
    tab.table.selectRow(row)
    tab.edit_conduct()
    qtbot.waitUntil(lambda: grid.isVisible() and ctx.runner.idle(), timeout=10_000)
    assert grid.model.lines[grid.table.currentIndex().row()].national_id is None
    assert grid.table.currentIndex().column() == 3


def test_a_viewer_reads_the_grid_but_cannot_change_it(qtbot: QtBot, ctx: AppContext) -> None:
    admin = admin_login(ctx.db)
    ctx.login = create_account(ctx.db, "xem", "viewer", by=admin, full_name="Lê Thị Xem")
    _tab, grid = open_grid(qtbot, ctx)
    assert "Bạn chỉ được xem." in grid.summary.text()
    index = grid.model.index(0, 3)
    assert not grid.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert not grid.fill_button.isEnabled() and not grid.reason.isEnabled()
    QGuiApplication.clipboard().setText("đạt\n")
    grid.table.setCurrentIndex(index)
    grid.paste()
    assert "Bạn chỉ được xem bảng này, không sửa được." in grid.message.text()
    idle(qtbot, ctx)
    assert set(stored(ctx, "confirmation").values()) == {"missing"}
