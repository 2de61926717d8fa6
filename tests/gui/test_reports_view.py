"""The Reports screen's tabs doing the office's work on the demo centre: set next year's
targets, type in a feedback form, record a graduate's first year after graduation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.reports_view import ReportsView
from dtbd_desktop.services import feedback, followup, plans


def _reports(qtbot: QtBot, ctx: AppContext, year: int) -> ReportsView:
    view = ReportsView(ctx, year=year)
    qtbot.addWidget(view)
    view.resize(1176, 708)
    view.show()
    view.activate()
    return view


def test_setting_next_years_targets(qtbot: QtBot, demo_db: Database,
                                    make_ctx: Callable[[Database], AppContext]) -> None:
    view = _reports(qtbot, make_ctx(demo_db), 2027)
    qtbot.waitUntil(lambda: view.plan.table.rowCount() == 7, timeout=20_000)
    row = next(r for r in range(7) if view.plan.table.item(r, 0).text().endswith("(SC)"))
    view.plan.table.item(row, 4).setText("3")
    view.plan.table.item(row, 5).setText("150")
    view.plan.table.item(row, 9).setText("Mở thêm lớp ở Cần Giuộc")
    with qtbot.waitSignal(view.plan.saved, timeout=20_000):
        qtbot.mouseClick(view.plan.save_button, Qt.MouseButton.LeftButton)
    with demo_db.read() as s:
        sc = next(e for e in plans.plan_sheet(s, 2027) if e.programme_code == "SC")
    assert (sc.target_classes, sc.target_learners, sc.note) == (3, 150, "Mở thêm lớp ở Cần Giuộc")
    qtbot.waitUntil(lambda: "0/3 lớp, 0/150 học viên" in view.plan.summary.text(), timeout=20_000)


def test_typing_in_a_feedback_form(qtbot: QtBot, demo_db: Database,
                                   make_ctx: Callable[[Database], AppContext]) -> None:
    view = _reports(qtbot, make_ctx(demo_db), 2026)
    view.tabs.setCurrentWidget(view.feedback)
    qtbot.waitUntil(lambda: view.feedback.class_combo.count() > 0, timeout=20_000)
    view.feedback.class_combo.setCurrentText("A50")
    qtbot.waitUntil(lambda: view.feedback.targets.rowCount() > 0
                    and view.feedback.targets.row_at(0).module_code is not None, timeout=20_000)
    view.feedback.targets_table.selectRow(0)
    target = view.feedback.selected_target()
    for spin, value in zip(view.feedback.ratings, (5, 4, 4, 3), strict=True):
        spin.setValue(value)
    qtbot.mouseClick(view.feedback.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã thêm một phiếu" in view.feedback.form_status.text(), timeout=20_000)
    with demo_db.read() as s:
        report = feedback.satisfaction(s, class_code="A50")
    # One form, ratings 5, 4, 4, 3: three of four satisfied = 75%.
    assert [(line.label, line.forms, line.share()) for line in report.by_lecturer] == [(target.lecturer_name, 1, 75)]
    qtbot.waitUntil(lambda: "1 phiếu" in view.feedback.summary.text(), timeout=20_000)
    spin = view.feedback.ratings[0]
    assert spin.value() == 0  # the form is cleared for the next one
    qtbot.mouseClick(view.feedback.add_button, Qt.MouseButton.LeftButton)  # nothing rated: refused, said why
    qtbot.waitUntil(lambda: "không phải mức đánh giá" in view.feedback.form_status.text(), timeout=20_000)


def test_recording_a_graduates_first_year(qtbot: QtBot, demo_db: Database,
                                          make_ctx: Callable[[Database], AppContext]) -> None:
    view = _reports(qtbot, make_ctx(demo_db), 2026)
    view.tabs.setCurrentWidget(view.followup)
    qtbot.waitUntil(lambda: view.followup.model.rowCount() > 0, timeout=20_000)
    view.followup.table.selectRow(0)
    view.followup.table.setCurrentIndex(view.followup.proxy.index(0, 0))
    chosen = view.followup.selected()
    view.followup.rating.setCurrentIndex(view.followup.rating.findData(followup.RATINGS[1]))
    view.followup.flags["planned"].setChecked(True)
    qtbot.mouseClick(view.followup.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "đã đánh giá 1." in view.followup.summary.text(), timeout=20_000)
    with demo_db.read() as s:
        done = [r for r in followup.followup_due(s, 2026) if r.done]
    assert [(r.graduate.enrolment_id, r.record.annual_rating, r.record.planned) for r in done] == [
        (chosen.graduate.enrolment_id, "Hoàn thành tốt nhiệm vụ", True)]
