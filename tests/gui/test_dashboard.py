"""The dashboard on the demo centre (as of its own date, 23/11/2026), and the Reports screen.

The warnings list exactly the demo's truants (as `attendance_summary` judges them) and its
missing organisation confirmations; clicking a warning asks for its class."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Enrolment, Programme, TrainingClass
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.dashboard_view import DashboardView
from dtbd_desktop.gui.table_model import ROW_ROLE
from dtbd_desktop.services.attendance import attendance_summary
from tests.conftest import DEMO_TODAY


def _dashboard(qtbot: QtBot, ctx: AppContext) -> DashboardView:
    view = DashboardView(ctx, today=DEMO_TODAY)
    qtbot.addWidget(view)
    view.resize(1176, 708)
    view.show()
    with qtbot.waitSignal(view.loaded, timeout=20_000):
        view.activate()
    return view


def _truants(db: Database) -> set[tuple[str, str | None]]:
    with db.read() as s:
        running = list(s.scalars(select(TrainingClass.code).where(TrainingClass.status == "running")))
        return {(code, row.national_id) for code in running
                for row in attendance_summary(s, code, today=DEMO_TODAY)
                if row.enrolment_status == "enrolled" and (row.barred_modules or not row.certificate_eligible)}


def _missing_confirmations(db: Database) -> dict[str, int]:
    with db.read() as s:
        rows = s.execute(
            select(TrainingClass.code, func.count())
            .join(Enrolment, Enrolment.class_id == TrainingClass.id)
            .join(Programme, Programme.id == TrainingClass.programme_id)
            .where(TrainingClass.status == "running", Programme.kind == "training", Enrolment.status == "enrolled",
                   Enrolment.confirmation == "missing")
            .group_by(TrainingClass.code)).all()
    return {code: n for code, n in rows}


def test_warnings_list_the_truants_and_missing_confirmations(qtbot: QtBot, demo_db: Database,
                                                              make_ctx: Callable[[Database], AppContext]) -> None:
    view = _dashboard(qtbot, make_ctx(demo_db))
    absences = {(item.data(0, ROW_ROLE).class_code, item.data(0, ROW_ROLE).national_id)
                for item in view.warning_items("absence")}
    expected = _truants(demo_db)
    assert expected  # the demo has truants in its running classes
    assert absences == expected
    confirmations = {item.data(0, ROW_ROLE).class_code: item.data(0, ROW_ROLE).count
                     for item in view.warning_items("confirmation")}
    assert confirmations == _missing_confirmations(demo_db)
    assert set(confirmations) == {"K74B.21", "B21.KTT", "K75B.21", "B22.KTT"}
    # The demo's finished classes have certificates issued and never printed.
    assert {item.data(0, ROW_ROLE).class_code for item in view.warning_items("printing")} >= {"A50", "SC26.02"}
    # Plan progress of 2026 and the classes running on 23/11/2026.
    assert view.plan_summary.text().startswith("Năm 2026, thực hiện 10/11 lớp, 538/550 học viên")
    assert [view.running_model.row_at(r).code for r in range(view.running_model.rowCount())] == [
        "K74B.21", "B21.KTT", "K75B.21", "B22.KTT"]


def test_clicking_a_warning_asks_for_its_class(qtbot: QtBot, demo_db: Database,
                                              make_ctx: Callable[[Database], AppContext]) -> None:
    view = _dashboard(qtbot, make_ctx(demo_db))
    item = view.warning_items("confirmation")[1]
    code = item.data(0, ROW_ROLE).class_code
    view.warnings.scrollToItem(item)
    rect = view.warnings.visualItemRect(item)
    with qtbot.waitSignal(view.open_class_requested, timeout=5_000) as signal:
        qtbot.mouseClick(view.warnings.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [code, "graduation"]  # where the organisations' confirmations are entered
    truant = view.warning_items("absence")[0]
    truant.parent().setExpanded(True)  # long groups start collapsed
    view.warnings.setCurrentItem(truant)
    with qtbot.waitSignal(view.open_class_requested, timeout=5_000) as signal:
        qtbot.keyClick(view.warnings, Qt.Key.Key_Return)
    assert signal.args == [truant.data(0, ROW_ROLE).class_code, "attendance"]


def test_the_main_window_opens_on_the_dashboard_and_opens_the_class(qtbot: QtBot, demo_db: Database,
                                                                     make_ctx: Callable[[Database], AppContext],
                                                                     monkeypatch) -> None:
    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.screens.class_dialog import ClassDialog

    monkeypatch.setattr(ClassDialog, "launch", lambda self: None)
    window = MainWindow(make_ctx(demo_db))
    qtbot.addWidget(window)
    window.show()
    assert window.nav.currentRow() == 0
    dashboard = window.stack.currentWidget()
    assert dashboard is window.sections["dashboard"]
    opened: list[str] = []
    original = window.sections["classes"].open_class

    def record(code: str) -> object:
        opened.append(code)
        return original(code)

    monkeypatch.setattr(window.sections["classes"], "open_class", record)
    dashboard.open_class_requested.emit("B22.KTT", "")
    assert opened == ["B22.KTT"]
    assert window.sections["classes"].page.code == "B22.KTT"
    assert window.stack.currentWidget() is window.sections["classes"]


def test_reports_screen_shows_the_plan_and_writes_the_annual_report(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext], tmp_path: Path) -> None:
    from dtbd_desktop.gui.screens.reports_view import ReportsView

    view = ReportsView(make_ctx(demo_db), year=2026)
    qtbot.addWidget(view)
    view.show()
    view.activate()
    qtbot.waitUntil(lambda: view.plan.summary.text().startswith("Năm 2026, thực hiện"), timeout=20_000)
    assert view.plan.table.rowCount() == 7
    view.carried.setChecked(True)  # count the carried-over classes: 10 + 2 of 11 classes
    qtbot.waitUntil(lambda: view.plan.summary.text().startswith("Năm 2026, thực hiện 12/11 lớp"), timeout=20_000)
    view.tabs.setCurrentWidget(view.stats)
    qtbot.waitUntil(lambda: view.stats.model.rowCount() > 0, timeout=20_000)
    assert view.stats.model.row_at(view.stats.model.rowCount() - 1).b == "538"  # total learner-times of 2026
    view.stats.which.setCurrentIndex(view.stats.which.findData("organisation"))
    assert view.stats.model.row_at(0).label == "Tỉnh Long An"
    view.tabs.setCurrentWidget(view.lecturers)
    qtbot.waitUntil(lambda: view.lecturers.model.rowCount() == 24, timeout=20_000)
    path = tmp_path / "bao cao 2026.pdf"
    with qtbot.waitSignal(view.exported, timeout=30_000):
        view.export_annual_to(path)
    assert path.stat().st_size > 10_000
