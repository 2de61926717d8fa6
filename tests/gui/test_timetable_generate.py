"""Generating a timetable from the class's tab, after a preview, on the demo centre (as of Monday
23/11/2026):

* a new Trung cấp class, full-time from Monday 4/1/2027: its hundreds of sessions laid out module
  by module around Tết and the other holidays, a choice of options that does not fit refused in
  the preview, then saved;
* the running part-time class B22.KTT (weekends, marked up to Sunday 22/11) regenerated on
  Fridays, Saturdays and Sundays: what was held stays with its marks, the lecturers come with
  their modules, the lecturer who also teaches K75B.21 shows in the preview, and the office is
  asked before anything is replaced;
* adding sessions one by one: the dialog starts with the last module and lecturer chosen.

Set DTBD_SCREENSHOTS=folder to keep pictures of the dialogs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AttendanceMark, ClassSession, Holiday, TrainingClass
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.timetable_dialogs import AddSessionDialog
from dtbd_desktop.gui.dialogs.timetable_generate import GenerateDialog
from dtbd_desktop.gui.screens.timetable_tab import TimetableTab
from dtbd_desktop.services import classes
from dtbd_desktop.services import timetable as tts
from tests.conftest import DEMO_TODAY

D = dt.date
NEW = "A52"
TC_PERIODS = [80, 60, 40, 40, 70, 60, 50, 40]  # the first modules of Trung cấp (programmes list)


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def open_tab(qtbot: QtBot, ctx: AppContext, code: str) -> TimetableTab:
    tab = TimetableTab(ctx, code, today=DEMO_TODAY)
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    qtbot.waitUntil(lambda: tab.data is not None, timeout=10_000)
    return tab


def open_generator(qtbot: QtBot, tab: TimetableTab) -> GenerateDialog:
    tab.buttons["generate"].click()
    dialog = tab.generator
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.plan is not None and dialog.save_button.isEnabled(), timeout=10_000)
    return dialog


def preview(qtbot: QtBot, dialog: GenerateDialog) -> None:
    """Wait for the preview of the options just chosen."""
    def shown() -> bool:
        plan, chosen = dialog.plan, dialog.options()
        return plan is not None and (plan.start, list(plan.weekdays), list(plan.halves), plan.periods_per_session) == (
            chosen["start"], chosen["weekdays"], chosen["halves"], chosen["periods_per_session"])

    qtbot.waitUntil(shown, timeout=10_000)


def module_row(dialog: GenerateDialog, code: str) -> list[str]:
    model = dialog.modules.model
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == code)
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


def test_a_new_trung_cap_class_gets_its_whole_timetable_after_a_preview(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    with demo_db.write(raw=True) as s:
        classes.create_class(s, code=NEW, programme="TC", start=D(2027, 1, 4), end=D(2027, 6, 30))
        modules = [(m.code, m.periods) for m in s.scalar(select(TrainingClass).where(TrainingClass.code == NEW))
                   .programme.modules]
        tet = sorted(s.scalars(select(Holiday.date).where(Holiday.name == "Tết Nguyên đán",
                                                          Holiday.date >= D(2027, 1, 1))))
    assert [p for _c, p in modules[:8]] == TC_PERIODS
    expected = sum(max(1, -(-periods // 5)) for _code, periods in modules)  # 5 periods a session, one per exam
    tab = open_tab(qtbot, make_ctx(demo_db), NEW)
    assert "chưa có thời khóa biểu" in tab.message.text()
    dialog = open_generator(qtbot, tab)
    assert dialog.windowTitle() == "Tạo thời khóa biểu lớp A52"
    # The class's own options: from its start, Monday to Friday, mornings and afternoons, 5 periods.
    assert dialog.start.date() == QDate(2027, 1, 4)
    assert [d for d, box in dialog.weekdays.items() if box.isChecked()] == [1, 2, 3, 4, 5]
    assert [h for h, box in dialog.halves.items() if box.isChecked()] == ["morning", "afternoon"]
    assert dialog.periods.value() == 5
    assert dialog.summary.text().startswith(f"Thêm {expected} buổi học, từ 04/01/2027 đến ")
    assert dialog.modules.model.rowCount() == len(modules)
    assert module_row(dialog, "I.1")[:7] == ["I.1", "Triết học Mác - Lênin", "80", "", "16", "04/01/2027",
                                             "13/01/2027"]
    notes = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
    assert len(notes) == 1 and notes[0].startswith("Không xếp buổi học vào ngày nghỉ: ")
    assert all(f"{d:%d/%m/%Y} (Tết Nguyên đán)" in notes[0] for d in tet if d.isoweekday() <= 5)
    _shot(dialog, "timetable-generate-new")

    # Mornings only: the dates are too short; the preview says so and nothing can be saved.
    qtbot.mouseClick(dialog.halves["afternoon"], Qt.MouseButton.LeftButton)
    preview(qtbot, dialog)
    assert not dialog.save_button.isEnabled() and dialog.problem.isVisible()
    assert "chỉ có" in dialog.problem.text() and f"cần {expected} buổi" in dialog.problem.text()
    qtbot.mouseClick(dialog.halves["afternoon"], Qt.MouseButton.LeftButton)
    assert not dialog.save_button.isEnabled()  # not until the preview of these options is there
    preview(qtbot, dialog)
    assert dialog.save_button.isEnabled() and not dialog.problem.isVisible()

    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not tab.loading and tab.ctx.runner.idle(), timeout=10_000)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Accepted
    assert tab.message.text().startswith(f"Đã lập thời khóa biểu: {expected} buổi mới, từ 04/01/2027 đến ")
    with demo_db.read() as s:
        rows = tts.list_sessions(s, NEW)
        holidays = set(s.scalars(select(Holiday.date)))
    assert len(rows) == expected and len(tab.data.sessions) == expected  # type: ignore[union-attr]
    assert all(r.date.isoweekday() <= 5 and r.date not in holidays for r in rows)
    assert sum(r.periods for r in rows) == sum(p for _c, p in modules)


def test_regenerating_a_running_class_keeps_what_was_held_and_asks_first(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        message_boxes: list[tuple[str, str]]) -> None:
    code = "B22.KTT"
    with demo_db.read() as s:
        before = {(r.date, r.half): r for r in tts.list_sessions(s, code)}
        marks = s.scalar(select(func.count(AttendanceMark.id)))
    held = {k: r for k, r in before.items() if r.date < DEMO_TODAY}
    trips = {k: r for k, r in before.items() if r.date >= DEMO_TODAY and r.kind == "field_trip"}  # đi thực tế
    assert held and all(r.marks == 55 for r in held.values()) and trips
    tab = open_tab(qtbot, make_ctx(demo_db), code)
    dialog = open_generator(qtbot, tab)
    assert dialog.windowTitle() == "Lập lại thời khóa biểu lớp B22.KTT"
    # From the day after the last marked session, on the class's weekends.
    assert dialog.start.date() == QDate(2026, 11, 23)
    assert [d for d, box in dialog.weekdays.items() if box.isChecked()] == [6, 7]
    qtbot.mouseClick(dialog.weekdays[5], Qt.MouseButton.LeftButton)  # Fridays too
    preview(qtbot, dialog)
    plan = dialog.plan
    assert plan is not None and plan.weekdays == (5, 6, 7) and plan.problem is None
    assert {r.id for r in plan.kept} == {r.id for r in (*held.values(), *trips.values())}
    assert len(plan.removed) == len(before) - len(held) - len(trips)
    assert dialog.summary.text() == (
        f"Thêm {len(plan.sessions)} buổi học, từ 27/11/2026 đến {plan.last:%d/%m/%Y}. Xóa {len(plan.removed)} buổi "
        f"chưa điểm danh của thời khóa biểu hiện có. Giữ nguyên {len(plan.kept)} buổi: {len(held)} buổi trước ngày "
        f"23/11/2026, {len(trips)} buổi đi thực tế hoặc thêm bằng tay.")
    # II.1 keeps its lecturer, who teaches K75B.21 on Friday 27/11 and at the weekend.
    assert module_row(dialog, "II.1")[-1] == "ThS. Nguyễn Thị Hồng Nhung"
    notes = [dialog.notes.item(i).text() for i in range(dialog.notes.count())]
    assert any(n.startswith("⚠ Giảng viên ThS. Nguyễn Thị Hồng Nhung dạy hai lớp B22.KTT và K75B.21") for n in notes)
    _shot(dialog, "timetable-generate-again")

    with qtbot.waitSignal(tab.changed, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    question = [text for kind, text in message_boxes if kind == "question"]
    assert len(question) == 1 and question[0].startswith("Lập lại thời khóa biểu lớp B22.KTT?\n\nThêm ")
    qtbot.waitUntil(lambda: not tab.loading and tab.ctx.runner.idle(), timeout=10_000)
    with demo_db.read() as s:
        after = {(r.date, r.half): r for r in tts.list_sessions(s, code)}
        weekdays = s.scalar(select(TrainingClass.weekdays).where(TrainingClass.code == code))
        assert s.scalar(select(func.count(AttendanceMark.id))) == marks
    assert {k: (r.id, r.marks) for k, r in after.items() if k[0] < DEMO_TODAY} == {
        k: (r.id, r.marks) for k, r in held.items()}
    assert all(after[k].id == r.id for k, r in trips.items())
    fresh = [r for r in after.values() if r.date >= DEMO_TODAY and r.kind != "field_trip"]
    assert len(fresh) == len(plan.sessions) and {r.date.isoweekday() for r in fresh} == {5, 6, 7}
    assert weekdays == [5, 6, 7]
    assert "Giữ nguyên" in tab.message.text()


def test_the_add_dialog_starts_with_the_last_module_and_lecturer(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    tab = open_tab(qtbot, make_ctx(demo_db), "B22.KTT")
    lecturer = tab.data.lecturers[3][0]  # type: ignore[union-attr]
    seen: list[tuple[str | None, int | None]] = []

    def fill(dialog: AddSessionDialog) -> QDialog.DialogCode:
        seen.append((dialog.module.currentData(), dialog.lecturer.currentData()))
        if len(seen) == 1:  # the first time the person chooses them
            dialog.module.setCurrentIndex(dialog.module.findData("II.2"))
            dialog.lecturer.setCurrentIndex(dialog.lecturer.findData(lecturer))
        dialog.date.setDate(QDate(2026, 11, 23 + len(seen)))  # Tuesday 24/11, then Wednesday 25/11
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddSessionDialog, "exec", fill)
    for _ in range(2):
        tab.buttons["add"].click()
        qtbot.waitUntil(lambda: not tab.loading and tab.ctx.runner.idle(), timeout=10_000)
    assert seen == [(None, None), ("II.2", lecturer)]
    with demo_db.read() as s:
        added = s.execute(select(ClassSession.date, ClassSession.lecturer_id).where(
            ClassSession.date.in_([D(2026, 11, 24), D(2026, 11, 25)]),
            ClassSession.class_id == select(TrainingClass.id).where(TrainingClass.code == "B22.KTT")
            .scalar_subquery())).all()
    assert sorted(added) == [(D(2026, 11, 24), lecturer), (D(2026, 11, 25), lecturer)]


def test_a_timetable_changed_after_the_preview_is_not_replaced(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    code = "B22.KTT"
    tab = open_tab(qtbot, make_ctx(demo_db), code)
    dialog = open_generator(qtbot, tab)
    seen = dialog.plan
    assert seen is not None
    with demo_db.write() as s:  # another PC adds an exam meanwhile
        tts.add_session(s, code, day=D(2026, 12, 2), half="evening", kind="exam", periods=0)
    with demo_db.read() as s:
        before = [(r.id, r.date, r.half) for r in tts.list_sessions(s, code)]
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.plan is not seen and dialog.save_button.isEnabled(), timeout=10_000)
    assert dialog.isVisible() and "vừa được người khác thay đổi" in dialog.problem.text()
    assert dialog.plan is not None and len(dialog.plan.existing_ids) == len(seen.existing_ids) + 1
    with demo_db.read() as s:
        assert [(r.id, r.date, r.half) for r in tts.list_sessions(s, code)] == before
