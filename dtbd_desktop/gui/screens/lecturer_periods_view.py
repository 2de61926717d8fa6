"""The lecturers' periods tab: periods taught in the year per lecturer (from the timetables), by
kind of lecturer, with the classes of the one selected, and the workbook for payment."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets.common import MessageLabel
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.rules.statistics import count_text
from dtbd_desktop.services import statistics as reports
from dtbd_desktop.services.lecturers import KIND_LABELS
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.services.statistics import LecturerClassPeriods, LecturerPeriods, LecturerPeriodsReport

RIGHT = Qt.AlignmentFlag.AlignRight


def _count(title: str, value: Any) -> Column[Any]:
    return Column(title, lambda r: count_text(value(r)), sort=value, align=RIGHT)


def lecturer_columns() -> list[Column[LecturerPeriods]]:
    return [
        Column(tr("lecturer_periods_view", "Giảng viên"), lambda r: r.display_name,
               sort=lambda r: text.vn_sort_key(r.full_name.split(" ")[-1] + " " + r.full_name)),
        Column(tr("lecturer_periods_view", "Loại"), lambda r: reports.lecturer_kind_label(r.kind)),
        Column(tr("lecturer_periods_view", "Đơn vị, khoa"), lambda r: r.workplace or r.department or ""),
        _count(tr("lecturer_periods_view", "Số lớp"), lambda r: len(r.classes)),
        _count(tr("lecturer_periods_view", "Số buổi"), lambda r: r.sessions),
        _count(tr("lecturer_periods_view", "Tiết giảng"), lambda r: r.lesson_periods),
        _count(tr("lecturer_periods_view", "Tiết thực tế"), lambda r: r.field_trip_periods),
        _count(tr("lecturer_periods_view", "Tiết thi"), lambda r: r.exam_periods),
        _count(tr("lecturer_periods_view", "Tổng số tiết"), lambda r: r.periods),
    ]


def class_columns() -> list[Column[LecturerClassPeriods]]:
    return [
        Column(tr("lecturer_periods_view", "Lớp"), lambda r: r.class_code),
        Column(tr("lecturer_periods_view", "Chương trình"), lambda r: r.programme_code),
        _count(tr("lecturer_periods_view", "Số buổi"), lambda r: r.sessions),
        _count(tr("lecturer_periods_view", "Tiết giảng"), lambda r: r.lesson_periods),
        _count(tr("lecturer_periods_view", "Tiết thực tế"), lambda r: r.field_trip_periods),
        _count(tr("lecturer_periods_view", "Tiết thi"), lambda r: r.exam_periods),
        _count(tr("lecturer_periods_view", "Tổng"), lambda r: r.periods),
    ]




class LecturerPeriodsView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.report: LecturerPeriodsReport | None = None
        self.head: Letterhead | None = None
        self.summary = QLabel()
        self.summary.setObjectName("periods_summary")
        self.summary.setWordWrap(True)
        self.kind = QComboBox()
        self.kind.addItem(tr("lecturer_periods_view", "Mọi loại giảng viên"), None)
        for key, label in KIND_LABELS.items():
            self.kind.addItem(tr("lecturers", label), key)
        self.kind.currentIndexChanged.connect(self._filter)
        self.export_button = QPushButton(tr("lecturer_periods_view", "Xuất bảng thanh toán (Excel)..."))
        self.export_button.clicked.connect(self.export)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.kind)
        top.addWidget(self.export_button)

        self.listing: RowList[LecturerPeriods] = RowList(lecturer_columns(), "periods_table", self)
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # the core's order until clicked
        classes: RowList[LecturerClassPeriods] = RowList(class_columns(), "periods_classes_table", self, sortable=False)
        self.classes_model, self.classes_table = classes.model, classes.table
        self.table.selectionModel().currentRowChanged.connect(self._show_classes)
        classes_box = QWidget()
        classes_layout = QVBoxLayout(classes_box)
        classes_layout.setContentsMargins(0, 0, 0, 0)
        self.classes_label = QLabel(tr("lecturer_periods_view", "Chọn một giảng viên để xem số tiết theo lớp."))
        classes_layout.addWidget(self.classes_label)
        classes_layout.addWidget(self.classes_table, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(classes_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([2000, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.message = MessageLabel("periods_message")
        layout.addWidget(self.message)

    def set_year(self, year: int) -> None:
        self.ctx.read(lambda s: (reports.lecturer_periods(s, year), load_letterhead(s)), self.show_report, self)

    def show_report(self, data: tuple[LecturerPeriodsReport, Letterhead]) -> None:
        self.report, self.head = data
        report = self.report
        parts = "; ".join(f"{reports.lecturer_kind_label(k).lower()} {count_text(v)}" for k, v in report.by_kind.items())
        until = min(report.as_of, dt.date(report.year, 12, 31))
        self.summary.setText(tr("lecturer_periods_view", "Năm {year} (đến {date}): {n} giảng viên, {p} tiết ({parts}).")
                             .format(year=report.year, date=text.format_date(until), n=len(report.lecturers),
                                     p=count_text(report.periods), parts=parts or "–"))
        self._filter()

    def _filter(self) -> None:
        if self.report is None:
            return
        kind = self.kind.currentData()
        self.model.set_rows([lec for lec in self.report.lecturers if kind is None or lec.kind == kind])
        self.classes_model.set_rows([])
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 260))
        self.classes_table.resizeColumnsToContents()

    def _show_classes(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = self.listing.row_at(current)
        self.classes_model.set_rows(row.classes if row else [])
        if row is not None:
            self.classes_label.setText(tr("lecturer_periods_view", "{name}: {n} lớp, {p} tiết.").format(
                name=row.display_name, n=len(row.classes), p=count_text(row.periods)))
        self.classes_table.resizeColumnsToContents()

    def export(self) -> None:
        if self.report is None:
            return
        path, _f = QFileDialog.getSaveFileName(
            self, tr("lecturer_periods_view", "Xuất bảng thanh toán giờ giảng"),
            tr("lecturer_periods_view", "So tiet giang {year}.xlsx").format(year=self.report.year),
            tr("lecturer_periods_view", "Excel (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from dtbd_desktop.reports.lecturer_periods_report import render_lecturer_periods_xlsx

        report, head = self.report, self.head
        if report is None or head is None:
            return

        def exported(n: int) -> None:
            self.message.saved_file(
                tr("lecturer_periods_view", "Đã lưu {path} ({n} giảng viên).").format(path=path, n=n), path)

        self.ctx.work(lambda: render_lecturer_periods_xlsx(report, head, path), exported, self)
