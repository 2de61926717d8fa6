"""The Reports screen (Báo cáo): a year, the annual report (PDF, Excel: through the print dialog,
numbered in the book of outgoing documents or printed as a draft; the office's assessment and
tasks in "Nhận định, phương hướng..."), and tabs for the plan, the statistics, the lecturers'
periods, feedback, the follow-up of graduates and the book of outgoing documents.

Each tab is a screen of its own module with `set_year(year)`; a tab loads when it is shown
(and again when the year changes while it is shown), so opening the screen costs one tab."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions, ask_print
from dtbd_desktop.gui.widgets.common import MessageLabel, section_title


def year_spin(year: int | None = None) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(2000, 2100)
    spin.setValue(year or dt.date.today().year)
    spin.setKeyboardTracking(False)  # typing "2025" does not load 2, 20, 202 on the way
    return spin


class ReportsView(QWidget):
    exported = Signal(str)  # the path of an annual report written

    def __init__(self, ctx: AppContext, year: int | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self._shown_years: dict[int, int] = {}
        title = section_title(tr("reports_view", "Báo cáo"))
        self.year = year_spin(year)
        self.year.setObjectName("report_year")
        self.carried = QCheckBox(tr("reports_view", "Tính lớp chuyển tiếp vào số thực hiện"))
        self.carried.setToolTip(tr("reports_view", "Lớp khai giảng năm trước còn học trong năm: mặc định ghi riêng, "
                                                   "không tính vào số thực hiện so với kế hoạch."))
        self.pdf_button = QPushButton(tr("reports_view", "Báo cáo năm (PDF)..."))
        self.xlsx_button = QPushButton(tr("reports_view", "Báo cáo năm (Excel)..."))
        self.pdf_button.clicked.connect(lambda: self.export_annual(".pdf"))
        self.xlsx_button.clicked.connect(lambda: self.export_annual(".xlsx"))
        self.texts_button = QPushButton(tr("reports_view", "Nhận định, phương hướng..."))
        self.texts_button.setObjectName("annual_texts")
        self.texts_button.setToolTip(tr("reports_view", "Phần đánh giá chung và phương hướng năm sau của báo cáo năm"))
        self.texts_button.clicked.connect(self.edit_texts)
        top = QHBoxLayout()
        top.addWidget(title)
        top.addSpacing(16)
        top.addWidget(QLabel(tr("reports_view", "Năm:")))
        top.addWidget(self.year)
        top.addWidget(self.carried)
        top.addStretch(1)
        top.addWidget(self.texts_button)
        top.addWidget(self.pdf_button)
        top.addWidget(self.xlsx_button)

        from dtbd_desktop.gui.screens.feedback_view import FeedbackView
        from dtbd_desktop.gui.screens.followup_view import FollowUpView
        from dtbd_desktop.gui.screens.lecturer_periods_view import LecturerPeriodsView
        from dtbd_desktop.gui.screens.outgoing_view import OutgoingView
        from dtbd_desktop.gui.screens.plan_view import PlanView
        from dtbd_desktop.gui.screens.stats_view import StatsView

        self.plan = PlanView(ctx, self)
        self.stats = StatsView(ctx)
        self.lecturers = LecturerPeriodsView(ctx)
        self.feedback = FeedbackView(ctx)
        self.followup = FollowUpView(ctx)
        self.book = OutgoingView(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("report_tabs")
        for widget, label in ((self.plan, tr("reports_view", "Kế hoạch")),
                              (self.stats, tr("reports_view", "Thống kê")),
                              (self.lecturers, tr("reports_view", "Giờ giảng")),
                              (self.feedback, tr("reports_view", "Phản hồi của học viên")),
                              (self.followup, tr("reports_view", "Sau đào tạo")),
                              (self.book, tr("reports_view", "Sổ văn bản đi"))):
            self.tabs.addTab(widget, label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        self.message = MessageLabel("reports_message")
        layout.addWidget(self.message)
        self.year.valueChanged.connect(self._load_current)
        self.carried.toggled.connect(lambda _on: self._load_current(force=True))
        self.tabs.currentChanged.connect(lambda _i: self._load_current())

    @property
    def count_carried_over(self) -> bool:
        return self.carried.isChecked()

    def activate(self) -> None:
        self._load_current()

    def _load_current(self, *_args: Any, force: bool = False) -> None:
        index = self.tabs.currentIndex()
        year = self.year.value()
        if force or self._shown_years.get(index) != year:
            self._shown_years[index] = year
            widget: Any = self.tabs.currentWidget()
            widget.set_year(year)

    def reload_current(self) -> None:
        self._load_current(force=True)

    # --- the annual report --------------------------------------------------------------
    def ask_print(self, options: PrintOptions) -> PrintChoice | None:
        """The print dialog (tests patch this)."""
        return ask_print(options, self)

    def export_annual(self, suffix: str) -> None:
        year = self.year.value()

        def facts(session: Any) -> Any:
            from dtbd_desktop.reports.annual_report import report_source
            from dtbd_desktop.services import outgoing

            return outgoing.print_facts(session, report_source(year))

        def chosen(found: Any) -> None:
            options = PrintOptions(
                title=tr("reports_view", "Báo cáo năm {year}").format(year=year),
                file_name=tr("reports_view", "Bao cao nam {year}{suffix}").format(year=year, suffix=suffix),
                patterns=tr("reports_view", "PDF (*.pdf)") if suffix == ".pdf" else tr("reports_view", "Excel (*.xlsx)"),
                date=dt.date.today(), numbered=True, existing=found.existing, may_number=found.may_number,
                head_title=found.head_title, deputy_title=found.deputy_title)
            choice = self.ask_print(options)
            if choice is not None:
                path = Path(choice.path)
                if path.suffix.lower() != suffix:
                    path = path.with_suffix(suffix)
                self.export_annual_to(path, on=choice.date, draft=choice.draft, deputy=choice.deputy)

        self.ctx.read(facts, chosen, self)

    def export_annual_to(self, path: Path, *, on: dt.date | None = None, draft: bool = True,
                         deputy: bool = False) -> None:
        from dtbd_desktop.reports.annual_report import load_annual_report, number_report, render_pdf
        from dtbd_desktop.reports.annual_report_xlsx import render_xlsx

        year, carried = self.year.value(), self.count_carried_over
        render = render_pdf if path.suffix.lower() == ".pdf" else render_xlsx

        def job(session: Any) -> str:
            doc = load_annual_report(session, year, on=on, count_carried_over=carried, deputy=deputy)
            if not draft:
                doc = number_report(session, doc)
            render(doc, path)
            number = tr("reports_view", "Số {number} ngày {date}.").format(
                number=doc.entry.symbol, date=doc.date.strftime("%d/%m/%Y")) if doc.entry is not None else \
                tr("reports_view", "Bản nháp, chưa lấy số.")
            return f"{doc.plan.summary}\n\n{number}"

        def done(summary: str) -> None:
            self.exported.emit(str(path))
            if self.tabs.currentWidget() is self.book:
                self.book.reload()
            self.message.saved_file(tr("reports_view", "Đã lưu {path}. {summary}").format(path=path, summary=summary),
                                    Path(path))

        if draft:
            self.ctx.read(job, done, self)
        else:
            self.ctx.write(job, done, self)

    def edit_texts(self) -> None:
        from dtbd_desktop.gui.dialogs.annual_texts_dialog import AnnualTextsDialog

        dialog = AnnualTextsDialog(self.ctx, self.year.value(), self)
        dialog.launch()
