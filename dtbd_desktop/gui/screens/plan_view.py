"""The plan tab: targets per programme for the year (edited in place), what the registered
needs suggest, what was done; the needs themselves (entered one by one or through the
workbook the program exports)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets.common import MessageLabel
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.rules.statistics import count_text, percent_text
from dtbd_desktop.services import plans
from dtbd_desktop.services.plans import NeedRow, PlanEntry, PlanReport, PlanTarget

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
EDITABLE = (4, 5, 9)  # target classes, target learners, note
EDITABLE_BACKGROUND = QColor("#fff8dc")


def need_columns() -> list[Column[NeedRow]]:
    return [
        Column(tr("plan_view", "Đơn vị"), lambda r: r.organisation, sort=lambda r: text.vn_sort_key(r.organisation)),
        Column(tr("plan_view", "Chương trình"), lambda r: r.programme_code, tooltip=lambda r: r.programme_name),
        Column(tr("plan_view", "Số học viên"), lambda r: r.learners, sort=lambda r: r.learners,
               align=Qt.AlignmentFlag.AlignRight),
        Column(tr("plan_view", "Ghi chú"), lambda r: r.note),
    ]


class PlanView(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, reports: Any = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.reports = reports
        self.year = 0
        self.entries: list[PlanEntry] = []
        self.summary = QLabel()
        self.summary.setObjectName("plan_summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 14px;")

        self.table = QTableWidget(0, 10)
        self.table.setObjectName("plan_table")
        self.table.setHorizontalHeaderLabels([
            tr("plan_view", "Chương trình"), tr("plan_view", "Nhu cầu ĐK"), tr("plan_view", "Sĩ số TB"),
            tr("plan_view", "Đề xuất lớp"), tr("plan_view", "Chỉ tiêu lớp"), tr("plan_view", "Chỉ tiêu HV"),
            tr("plan_view", "TH lớp"), tr("plan_view", "TH học viên"), tr("plan_view", "Đạt (lớp / HV)"),
            tr("plan_view", "Ghi chú")])
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.horizontalHeader().setSectionResizeMode(9, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(tr("plan_view", "Sửa trực tiếp các cột Chỉ tiêu lớp, Chỉ tiêu HV và Ghi chú, rồi bấm "
                                              "Lưu kế hoạch."))
        self.save_button = QPushButton(tr("plan_view", "Lưu kế hoạch"))
        self.draft_button = QPushButton(tr("plan_view", "Lấy đề xuất từ nhu cầu"))
        self.save_button.clicked.connect(self.save)
        self.draft_button.clicked.connect(self.apply_draft)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(tr("plan_view", "ĐK: đăng ký; TH: thực hiện; HV: học viên.")))
        buttons.addStretch(1)
        buttons.addWidget(self.draft_button)
        buttons.addWidget(self.save_button)
        plan_box = QGroupBox(tr("plan_view", "Chỉ tiêu kế hoạch"))
        plan_layout = QVBoxLayout(plan_box)
        plan_layout.addWidget(self.summary)
        plan_layout.addWidget(self.table, 1)
        plan_layout.addLayout(buttons)

        needs: RowList[NeedRow] = RowList(need_columns(), "needs_table", self)
        self.needs_model, self.needs_table = needs.model, needs.table
        self.needs_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.organisation = QComboBox()
        self.organisation.setEditable(True)
        self.organisation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organisation.setMinimumContentsLength(24)
        self.programme = QComboBox()
        self.learners = QSpinBox()
        self.learners.setRange(0, 100_000)
        self.add_need_button = QPushButton(tr("plan_view", "Ghi"))
        self.add_need_button.setToolTip(tr("plan_view", "Ghi số học viên đơn vị đăng ký (0: bỏ đăng ký)."))
        self.add_need_button.clicked.connect(self.save_need)
        self.export_button = QPushButton(tr("plan_view", "Xuất phiếu đăng ký..."))
        self.import_button = QPushButton(tr("plan_view", "Nhập phiếu đăng ký..."))
        self.export_button.clicked.connect(self.export_needs)
        self.import_button.clicked.connect(self.import_needs)
        form = QHBoxLayout()
        form.addWidget(QLabel(tr("plan_view", "Đơn vị:")))
        form.addWidget(self.organisation, 3)
        form.addWidget(self.programme, 1)
        form.addWidget(self.learners)
        form.addWidget(self.add_need_button)
        form.addSpacing(20)
        form.addWidget(self.export_button)
        form.addWidget(self.import_button)
        needs_box = QGroupBox(tr("plan_view", "Nhu cầu các đơn vị đăng ký"))
        needs_layout = QVBoxLayout(needs_box)
        needs_layout.addWidget(self.needs_table, 1)
        needs_layout.addLayout(form)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(plan_box)
        splitter.addWidget(needs_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self.message = MessageLabel("plan_message")
        layout.addWidget(self.message)

    @property
    def count_carried_over(self) -> bool:
        return bool(self.reports is not None and self.reports.count_carried_over)

    # --- loading ------------------------------------------------------------------------
    def set_year(self, year: int) -> None:
        self.year = year
        carried = self.count_carried_over

        def fetch(session: Any) -> tuple[list[PlanEntry], PlanReport, list[NeedRow], list[tuple[int, str]]]:
            return (plans.plan_sheet(session, year), plans.plan_vs_actual(session, year, count_carried_over=carried),
                    plans.list_needs(session, year), plans.organisation_choices(session))

        self.ctx.read(fetch, self.show_data, self)

    def show_data(self, data: tuple[list[PlanEntry], PlanReport, list[NeedRow], list[tuple[int, str]]]) -> None:
        entries, report, needs, orgs = data
        self.entries = entries
        self.summary.setText(report.summary)
        done = {line.programme_code: line for line in report.lines}
        self.table.blockSignals(True)
        self.table.setRowCount(len(entries))
        for r, e in enumerate(entries):
            line = done.get(e.programme_code)
            actual = line.actual if line else None
            values: list[Any] = [
                f"{e.programme_name} ({e.programme_code})", e.needs_learners, e.class_size, e.suggested_classes,
                e.target_classes, e.target_learners, actual.classes if actual else 0, actual.learners if actual else 0,
                f"{percent_text(actual.classes, e.target_classes)} / {percent_text(actual.learners, e.target_learners)}"
                if actual else "", e.note or ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(count_text(value) if isinstance(value, int) and c not in (4, 5) else str(value))
                if isinstance(value, int) or c == 8:
                    item.setTextAlignment(RIGHT)
                if c not in EDITABLE:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                else:
                    item.setBackground(EDITABLE_BACKGROUND)
                    item.setToolTip(tr("plan_view", "Sửa trực tiếp ô này rồi bấm Lưu kế hoạch."))
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        for column in range(9):
            self.table.resizeColumnToContents(column)
        self.needs_model.set_rows(needs)
        current = self.organisation.currentData()
        self.organisation.clear()
        for oid, name in orgs:
            self.organisation.addItem(name, oid)
        if current is not None:
            self.organisation.setCurrentIndex(max(0, self.organisation.findData(current)))
        code = self.programme.currentData()
        self.programme.clear()
        for e in entries:
            self.programme.addItem(e.programme_code, e.programme_code)
        if code:
            self.programme.setCurrentIndex(max(0, self.programme.findData(code)))

    # --- saving -------------------------------------------------------------------------
    def targets(self) -> list[PlanTarget]:
        """The targets as edited in the table (a cell that is not a number is left as typed,
        so the core names it)."""
        out = []
        for r, e in enumerate(self.entries):
            note_item = self.table.item(r, 9)
            out.append(PlanTarget(e.programme_code, self._number(r, 4), self._number(r, 5),
                                  note_item.text() if note_item else None))
        return out

    def _number(self, row: int, column: int) -> Any:
        item = self.table.item(row, column)
        raw = (item.text() if item else "").strip().replace(".", "")
        return int(raw) if raw.isdigit() else (0 if raw == "" else raw)

    def save(self) -> None:
        year, targets = self.year, self.targets()
        self.ctx.write(lambda s: plans.save_plan(s, year, targets), lambda _n: self._after_save(), self)

    def _after_save(self) -> None:
        self.saved.emit()
        self.set_year(self.year)

    def apply_draft(self) -> None:
        year = self.year
        answer = QMessageBox.question(self, tr("plan_view", "Lấy đề xuất từ nhu cầu"), tr(
            "plan_view", "Đặt chỉ tiêu năm {year} theo nhu cầu đã đăng ký cho các chương trình chưa có chỉ tiêu?").format(
            year=year))
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.write(lambda s: plans.apply_draft(s, year), lambda _n: self._after_save(), self)

    def save_need(self) -> None:
        oid, code, n, year = self.organisation.currentData(), self.programme.currentData(), self.learners.value(), \
            self.year
        if oid is None or code is None:
            return
        self.ctx.write(lambda s: plans.save_need(s, year=year, organisation_id=oid, programme_code=code, learners=n),
                       lambda _r: self.set_year(year), self)

    # --- the needs workbook ---------------------------------------------------------------
    def export_needs(self) -> None:
        path, _f = QFileDialog.getSaveFileName(
            self, tr("plan_view", "Xuất phiếu đăng ký nhu cầu"),
            tr("plan_view", "Dang ky nhu cau {year}.xlsx").format(year=self.year), tr("plan_view", "Excel (*.xlsx)"))
        if path:
            self.export_needs_to(Path(path))

    def export_needs_to(self, path: Path) -> None:
        from dtbd_desktop.workbooks.needs import export_needs_workbook

        year = self.year

        def exported(n: int) -> None:
            self.message.saved_file(tr("plan_view", "Đã lưu {path} ({n} đơn vị).").format(path=path, n=n), path)

        self.ctx.read(lambda s: export_needs_workbook(s, year, path), exported, self)

    def import_needs(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, tr("plan_view", "Nhập phiếu đăng ký nhu cầu"), "",
                                               tr("plan_view", "Excel (*.xlsx)"))
        if path:
            self.import_needs_from(Path(path))

    def import_needs_from(self, path: Path) -> None:
        from dtbd_desktop.workbooks.needs import import_needs_workbook

        def done(result: Any) -> None:
            self.message.say(tr(
                "plan_view", "Năm {year}: {n} ô có số, {c} dòng nhu cầu thay đổi.").format(
                year=result.year, n=result.cells, c=result.changed))
            self.set_year(self.year)

        self.ctx.write(lambda s: import_needs_workbook(s, path), done, self)
