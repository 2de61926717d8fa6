"""The timetable of the demo's running class B22.KTT (weekends, as of Monday 23/11/2026): the week
shows the lecturer who teaches two classes on Saturday 28/11; the office gives one of the
sessions to another lecturer, then the whole module; moves a session (dragged in the week view,
and through the dialog, refused onto a taken half-day); adds a field trip and an exam; deletes
them; looks at the month. Everything is read back through the core.

Set DTBD_SCREENSHOTS=folder to keep pictures of the screens.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.timetable_dialogs import AddSessionDialog, NewSession
from dtbd_desktop.gui.models import timetable_model as tm
from dtbd_desktop.gui.screens.timetable_tab import TimetableTab
from dtbd_desktop.services import attendance as att
from dtbd_desktop.services import timetable as tts
from dtbd_desktop.services.timetable import SessionRow
from tests.conftest import DEMO_TODAY

D = dt.date
CODE = "B22.KTT"
SAT, SUN = D(2026, 11, 28), D(2026, 11, 29)
NHUNG, ANH = 16, 11  # the lecturer of module II.1, and one free that Saturday


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def open_tab(qtbot: QtBot, ctx: AppContext) -> TimetableTab:
    tab = TimetableTab(ctx, CODE, today=DEMO_TODAY)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=10_000)
    return tab


def settle(qtbot: QtBot, tab: TimetableTab) -> None:
    qtbot.waitUntil(lambda: not tab.loading and tab.ctx.runner.idle(), timeout=10_000)


def sessions(db: Database) -> dict[tuple[dt.date, str], SessionRow]:
    with db.read() as s:
        return {(r.date, r.half): r for r in tts.list_sessions(s, CODE)}


def cell(tab: TimetableTab, day: dt.date, half: str) -> QModelIndex:
    model = tab.model
    return model.index(("morning", "afternoon", "evening").index(half), (day - model.first).days)


def test_the_week_flags_a_lecturer_in_two_classes_and_another_lecturer_clears_it(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch, qtmodeltester: object) -> None:
    tab = open_tab(qtbot, make_ctx(demo_db))
    model = tab.model
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert tab.title.text() == "Tuần 23/11 – 29/11/2026"
    assert model.headerData(5, Qt.Orientation.Horizontal) == "Thứ Bảy\n28/11"
    saturday = cell(tab, SAT, "morning")
    text = model.data(saturday)
    assert text.startswith("⚠ TRÙNG LỊCH\nII.1 · 5 tiết") and "ThS. Nguyễn Thị Hồng Nhung" in text
    assert model.data(saturday, Qt.ItemDataRole.BackgroundRole) is tm.CONFLICT_BG
    assert "dạy hai lớp B22.KTT và K75B.21" in model.data(saturday, Qt.ItemDataRole.ToolTipRole)
    assert model.data(cell(tab, SUN, "morning"), Qt.ItemDataRole.BackgroundRole) is tm.KIND_BG["lesson"]
    assert [tab.conflicts.item(i).text() for i in range(tab.conflicts.count())] == [
        "⚠ Giảng viên ThS. Nguyễn Thị Hồng Nhung dạy hai lớp B22.KTT và K75B.21 cùng buổi sáng Thứ Bảy 28/11/2026.",
        "⚠ Giảng viên ThS. Nguyễn Thị Hồng Nhung dạy hai lớp B22.KTT và K75B.21 cùng buổi chiều Thứ Bảy 28/11/2026.",
    ]
    _shot(tab, "timetable-week-conflicts")

    # Saturday morning to another lecturer: that conflict goes, the afternoon's stays.
    choices = iter([(ANH, False), (ANH, True)])
    monkeypatch.setattr(tab, "ask_lecturer", lambda s: next(choices))
    tab.view.setCurrentIndex(saturday)
    tab.buttons["lecturer"].click()
    settle(qtbot, tab)
    assert sessions(demo_db)[(SAT, "morning")].lecturer_id == ANH
    assert tab.conflicts.count() == 1 and "chiều" in tab.conflicts.item(0).text()
    assert model.data(cell(tab, SAT, "morning"), Qt.ItemDataRole.BackgroundRole) is tm.KIND_BG["lesson"]
    # Then the whole module: every II.1 session of the class, no conflict left.
    tab.view.setCurrentIndex(cell(tab, SAT, "afternoon"))
    tab.buttons["lecturer"].click()
    settle(qtbot, tab)
    ii1 = [r for r in sessions(demo_db).values() if r.module_code == "II.1"]
    assert len(ii1) > 10 and {r.lecturer_id for r in ii1} == {ANH}
    assert tab.conflicts.count() == 0 and not tab.conflicts.isVisible()
    with demo_db.read() as s:
        assert tts.timetable_conflicts(s, CODE) == []


def test_moving_sessions_by_dragging_and_through_the_dialog(qtbot: QtBot, demo_db: Database,
                                                            make_ctx: Callable[[Database], AppContext],
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, make_ctx(demo_db))
    model = tab.model
    # Last Sunday's morning (marked, not locked) moved to Wednesday evening: its marks go with it.
    tab.step(False)
    assert tab.title.text() == "Tuần 16/11 – 22/11/2026"
    source = cell(tab, D(2026, 11, 22), "morning")
    moved = model.session_at(source)
    assert moved is not None and moved.marks == 55
    mime = model.mimeData([source])
    assert not model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, cell(tab, D(2026, 11, 21), "morning"))
    target = cell(tab, D(2026, 11, 18), "evening")
    assert model.canDropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    assert model.dropMimeData(mime, Qt.DropAction.CopyAction, -1, -1, target)
    settle(qtbot, tab)
    now = sessions(demo_db)
    assert (D(2026, 11, 22), "morning") not in now and now[(D(2026, 11, 18), "evening")].marks == 55
    assert model.session_at(target).id == moved.id and "Đã dời buổi học" in tab.message.text()
    with demo_db.read() as s:
        grid = att.attendance_grid(s, CODE, today=DEMO_TODAY)
    column = grid.session_column[moved.id]
    assert grid.sessions[column].date == D(2026, 11, 18)
    assert sum(1 for learner in grid.learners if grid.marks.get((learner.enrolment_id, moved.id))) == 55

    # Through the dialog onto a half-day the class already has: refused, nothing changed.
    monkeypatch.setattr(tab, "ask_move", lambda s: (D(2026, 11, 21), "afternoon"))
    tab.view.setCurrentIndex(target)
    tab.buttons["move"].click()
    settle(qtbot, tab)
    assert "Không dời được" in tab.message.text() and "đã có buổi học" in tab.message.text()
    assert sessions(demo_db) == now

    # Nothing selected: the tab says what to do.
    tab.view.setCurrentIndex(cell(tab, D(2026, 11, 16), "morning"))
    tab.buttons["move"].click()
    assert "Hãy chọn một buổi học" in tab.message.text()


def test_adding_a_field_trip_and_an_exam_then_deleting(qtbot: QtBot, demo_db: Database,
                                                       make_ctx: Callable[[Database], AppContext],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, make_ctx(demo_db))
    model = tab.model
    tuesday = D(2026, 11, 24)
    asked: list[tuple[dt.date, str, str]] = []
    planned = iter([
        NewSession(tuesday, "morning", "field_trip", None, 5, ANH, "Khu di tích lịch sử Ngã tư Đức Hòa"),
        NewSession(tuesday, "afternoon", "exam", "I.4", 0, None, "Kiểm tra học phần I.4"),
    ])

    def ask(day: dt.date, half: str, kind: str) -> NewSession:
        asked.append((day, half, kind))
        return next(planned)

    monkeypatch.setattr(tab, "ask_new_session", ask)
    tab.view.setCurrentIndex(cell(tab, tuesday, "morning"))
    tab.buttons["field_trip"].click()
    settle(qtbot, tab)
    tab.view.setCurrentIndex(cell(tab, tuesday, "afternoon"))
    tab.buttons["exam"].click()
    settle(qtbot, tab)
    assert asked == [(tuesday, "morning", "field_trip"), (tuesday, "afternoon", "exam")]
    now = sessions(demo_db)
    trip, exam = now[(tuesday, "morning")], now[(tuesday, "afternoon")]
    assert (trip.kind, trip.topic, trip.lecturer_id, trip.periods) == (
        "field_trip", "Khu di tích lịch sử Ngã tư Đức Hòa", ANH, 5)
    assert (exam.kind, exam.module_code, exam.periods) == ("exam", "I.4", 0)
    assert model.data(cell(tab, tuesday, "morning")).startswith("Đi thực tế · 5 tiết\nKhu di tích")
    assert model.data(cell(tab, tuesday, "morning"), Qt.ItemDataRole.BackgroundRole) is tm.KIND_BG["field_trip"]
    assert model.data(cell(tab, tuesday, "afternoon")).startswith("Thi, kiểm tra I.4 · 0 tiết")
    _shot(tab, "timetable-week-field-trip")

    # The field trip is called off; a session with attendance asks for a reason instead.
    monkeypatch.setattr(tab, "confirm_delete", lambda s: True)
    tab.view.setCurrentIndex(cell(tab, tuesday, "morning"))
    tab.buttons["delete"].click()
    settle(qtbot, tab)
    assert (tuesday, "morning") not in sessions(demo_db) and model.data(cell(tab, tuesday, "morning")) == ""
    reasons: list[str | None] = [None, "Lớp học bù vào tuần sau"]
    monkeypatch.setattr(tab, "ask_delete_reason", lambda s: reasons.pop(0))
    tab.step(False)
    marked = cell(tab, D(2026, 11, 21), "morning")
    tab.view.setCurrentIndex(marked)
    tab.buttons["delete"].click()  # no reason: nothing happens
    settle(qtbot, tab)
    assert (D(2026, 11, 21), "morning") in sessions(demo_db)
    tab.buttons["delete"].click()
    settle(qtbot, tab)
    assert (D(2026, 11, 21), "morning") not in sessions(demo_db)


def test_the_month_view_and_back_to_a_week(qtbot: QtBot, demo_db: Database,
                                           make_ctx: Callable[[Database], AppContext],
                                           qtmodeltester: object) -> None:
    tab = open_tab(qtbot, make_ctx(demo_db))
    tab.mode.setCurrentIndex(tab.mode.findData(tm.MONTH))
    model = tab.model
    assert model.mode == tm.MONTH and tab.title.text() == "Tháng 11/2026"
    qtmodeltester.check(model)  # type: ignore[attr-defined]
    assert model.rowCount() == 6 and model.first == D(2026, 10, 26)
    saturday = model.index(4, 5)
    assert model.day_at(saturday) == SAT
    assert model.data(saturday).splitlines() == [
        "28", "Sáng: II.1 (ThS. Nguyễn Thị Hồng Nhung) ⚠", "Chiều: II.1 (ThS. Nguyễn Thị Hồng Nhung) ⚠"]
    assert model.data(saturday, Qt.ItemDataRole.BackgroundRole) is tm.CONFLICT_BG
    assert model.data(model.index(0, 0), Qt.ItemDataRole.ForegroundRole) is tm.GREY_FG  # 26/10: last month
    _shot(tab, "timetable-month")
    tab.step(True)
    assert tab.title.text() == "Tháng 12/2026"
    tab.step(False)
    tab._double_clicked(saturday)
    assert model.mode == tm.WEEK and tab.title.text() == "Tuần 23/11 – 29/11/2026"
    assert tab.mode.currentData() == tm.WEEK


def test_the_add_dialog_fills_periods_by_kind(qtbot: QtBot) -> None:
    dialog = AddSessionDialog(SAT, "evening", "exam", [("I.1", "Triết học Mác - Lênin")], [(ANH, "ThS. Lâm Ngọc Ánh")])
    qtbot.addWidget(dialog)
    assert dialog.periods.value() == 0
    dialog.kind.setCurrentIndex(dialog.kind.findData("field_trip"))
    dialog.topic.setText("  Bảo tàng tỉnh  ")
    dialog.lecturer.setCurrentIndex(1)
    assert dialog.value() == NewSession(SAT, "evening", "field_trip", None, 5, ANH, "Bảo tàng tỉnh")
