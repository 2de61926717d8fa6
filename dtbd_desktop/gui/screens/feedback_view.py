"""The feedback tab: a class's modules and lecturers with the forms entered, a form typed in
(four ratings 1–5) or many pasted from Excel at once (all or none), the workbook to type many forms in Excel and import them; and the year's
satisfaction shares (ratings 4–5) per lecturer and per programme."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import ROW_ROLE, Column
from dtbd_desktop.gui.widgets.common import MessageLabel
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.rules.statistics import CRITERIA, count_text
from dtbd_desktop.services import feedback, plans
from dtbd_desktop.services.feedback import FeedbackForm, FeedbackTarget, SatisfactionLine, SatisfactionReport

RIGHT = Qt.AlignmentFlag.AlignRight


def _share(value: Any) -> str:
    return "–" if value is None else text.format_percent(value, 1)


def _criterion_column(criterion: str) -> Column[SatisfactionLine]:
    return Column(feedback.criterion_label(criterion), lambda r: _share(r.share(criterion)),
                  sort=lambda r: r.share(criterion) or 0, align=RIGHT)


def satisfaction_columns(first: str) -> list[Column[SatisfactionLine]]:
    return [
        Column(first, lambda r: r.label, sort=lambda r: text.vn_sort_key(r.label)),
        Column(tr("feedback_view", "Phiếu"), lambda r: count_text(r.forms), sort=lambda r: r.forms, align=RIGHT),
        *(_criterion_column(c) for c in CRITERIA),
        Column(tr("feedback_view", "Hài lòng chung"), lambda r: _share(r.share()), sort=lambda r: r.share() or 0,
               align=RIGHT),
        Column(tr("feedback_view", "Điểm TB"), lambda r: text.format_decimal(r.average(), 2) if r.average() else "–",
               sort=lambda r: r.average() or 0, align=RIGHT),
    ]


def target_columns() -> list[Column[FeedbackTarget]]:
    return [
        Column(tr("feedback_view", "Học phần"), lambda r: f"{r.module_code} – {r.module_name}"),
        Column(tr("feedback_view", "Giảng viên"), lambda r: r.lecturer_name),
        Column(tr("feedback_view", "Tiết"), lambda r: r.periods, align=RIGHT),
        Column(tr("feedback_view", "Phiếu đã nhập"), lambda r: r.forms, align=RIGHT),
    ]




class FeedbackView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.year = 0
        self.class_combo = QComboBox()
        self.class_combo.setObjectName("feedback_class")
        self.class_combo.setMinimumContentsLength(16)
        self.class_combo.currentIndexChanged.connect(self._load_targets)
        self.export_button = QPushButton(tr("feedback_view", "Xuất bảng nhập phiếu..."))
        self.import_button = QPushButton(tr("feedback_view", "Nhập từ bảng tính..."))
        self.replace = QCheckBox(tr("feedback_view", "thay các phiếu đã nhập của lớp"))
        self.export_button.clicked.connect(self.export)
        self.import_button.clicked.connect(self.import_file)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("feedback_view", "Lớp:")))
        top.addWidget(self.class_combo)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.import_button)
        top.addWidget(self.replace)

        targets: RowList[FeedbackTarget] = RowList(target_columns(), "feedback_targets", self, sortable=False)
        self.targets, self.targets_table = targets.model, targets.table
        self.ratings = []
        ratings_row = QHBoxLayout()
        for criterion in CRITERIA:
            spin = QSpinBox()
            spin.setRange(0, 5)
            spin.setSpecialValueText("–")
            spin.setObjectName(f"rating_{criterion}")
            spin.setFixedWidth(spin.fontMetrics().horizontalAdvance("00") + 40)
            self.ratings.append(spin)
            ratings_row.addWidget(QLabel(feedback.criterion_label(criterion) + ":"))
            ratings_row.addWidget(spin)
            ratings_row.addSpacing(8)
        ratings_row.addStretch(1)
        self.comment = QLineEdit()
        self.comment.setPlaceholderText(tr("feedback_view", "Ý kiến khác (nếu có)"))
        self.add_button = QPushButton(tr("feedback_view", "Thêm phiếu"))
        self.add_button.clicked.connect(self.add_form)
        self.paste_button = QPushButton(tr("feedback_view", "Dán nhiều phiếu"))
        self.paste_button.setObjectName("feedback_paste")
        self.paste_button.setToolTip(tr("feedback_view", "Chép từ Excel các dòng phiếu của dòng đang chọn: mỗi dòng một "
                                                         "phiếu, bốn cột điểm 1–5 (nội dung, phương pháp, tác phong, "
                                                         "tính thiết thực), cột thứ năm ý kiến nếu có; cả khối lưu hoặc "
                                                         "không lưu phiếu nào"))
        self.paste_button.clicked.connect(self.paste_forms)
        self.form_status = MessageLabel("feedback_form_status")
        entry = QGroupBox(tr("feedback_view", "Nhập một phiếu cho dòng đang chọn (1: rất không hài lòng … 5: rất hài lòng)"))
        entry_layout = QVBoxLayout(entry)
        entry_layout.addLayout(ratings_row)
        comment_row = QHBoxLayout()
        comment_row.addWidget(self.comment, 1)
        comment_row.addWidget(self.add_button)
        comment_row.addWidget(self.paste_button)
        entry_layout.addLayout(comment_row)
        entry_layout.addWidget(self.form_status)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.targets_table, 1)
        left_layout.addWidget(entry)

        self.summary = QLabel()
        self.summary.setObjectName("feedback_summary")
        self.summary.setWordWrap(True)
        by_lecturer: RowList[SatisfactionLine] = RowList(
            satisfaction_columns(tr("feedback_view", "Giảng viên")), "satisfaction_lecturers", self)
        by_programme: RowList[SatisfactionLine] = RowList(
            satisfaction_columns(tr("feedback_view", "Chương trình")), "satisfaction_programmes", self)
        self.by_lecturer, self.by_programme = by_lecturer.model, by_programme.model
        self.satisfaction_tables = [by_lecturer.table, by_programme.table]
        tabs = QTabWidget()
        tabs.addTab(by_lecturer.table, tr("feedback_view", "Theo giảng viên"))
        tabs.addTab(by_programme.table, tr("feedback_view", "Theo chương trình"))
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.summary)
        right_layout.addWidget(tabs, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([1000, 1000])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.message = MessageLabel("feedback_message")
        layout.addWidget(self.message)

    # --- loading ------------------------------------------------------------------------
    def set_year(self, year: int) -> None:
        self.year = year

        def fetch(session: Any) -> tuple[list[str], SatisfactionReport]:
            codes = [c.code for c in plans.year_classes(session, year)]
            return codes, feedback.satisfaction(session, year=year)

        self.ctx.read(fetch, self.show_year, self)

    def show_year(self, data: tuple[list[str], SatisfactionReport]) -> None:
        codes, report = data
        current = self.class_combo.currentText()
        self.class_combo.blockSignals(True)
        self.class_combo.clear()
        self.class_combo.addItems(codes)
        if current in codes:
            self.class_combo.setCurrentText(current)
        self.class_combo.blockSignals(False)
        self.show_satisfaction(report)
        self._load_targets()

    def show_satisfaction(self, report: SatisfactionReport) -> None:
        total = report.total
        if total.forms:
            self.summary.setText(tr("feedback_view", "Năm {year}: {n} phiếu; hài lòng và rất hài lòng (mức 4, 5): "
                                                     "{share}; điểm trung bình {avg}.").format(
                year=self.year, n=count_text(total.forms), share=_share(total.share()),
                avg=text.format_decimal(total.average(), 2)))
        else:
            self.summary.setText(tr("feedback_view", "Năm {year} chưa có phiếu phản hồi.").format(year=self.year))
        self.by_lecturer.set_rows(report.by_lecturer)
        self.by_programme.set_rows(report.by_programme)
        for view in self.satisfaction_tables:
            view.resizeColumnsToContents()

    def _load_targets(self) -> None:
        code = self.class_combo.currentText()
        if not code:
            self.targets.set_rows([])
            return
        self.ctx.read(lambda s: feedback.feedback_targets(s, code), self._show_targets, self)

    def _show_targets(self, targets: list[FeedbackTarget]) -> None:
        self.targets.set_rows(targets)
        self.targets_table.resizeColumnsToContents()
        self.targets_table.setColumnWidth(0, min(self.targets_table.columnWidth(0), 280))
        self.targets_table.setColumnWidth(1, min(self.targets_table.columnWidth(1), 180))
        if targets:
            self.targets_table.selectRow(0)

    # --- entering -----------------------------------------------------------------------
    def selected_target(self) -> FeedbackTarget | None:
        indexes = self.targets_table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def add_form(self) -> None:
        target, code = self.selected_target(), self.class_combo.currentText()
        if target is None or not code:
            self.form_status.say(tr("feedback_view", "Chọn học phần và giảng viên trong bảng trước."), error=True)
            return
        content, method, manner, usefulness = (spin.value() or None for spin in self.ratings)
        form = FeedbackForm(target.module_code, target.lecturer_id, content, method, manner, usefulness,
                            comment=self.comment.text())
        self.ctx.write(lambda s: feedback.add_feedback(s, code, [form]), lambda _n: self._after_add(target),
                       self, on_failed=self.form_status.failed)

    def paste_forms(self) -> None:
        """Many forms for the selected module and lecturer, copied from Excel (one form a line: the
        four ratings, then the comment if any), saved all or none with each refused line named."""
        target, code = self.selected_target(), self.class_combo.currentText()
        if target is None or not code:
            self.form_status.say(tr("feedback_view", "Chọn học phần và giảng viên trong bảng trước."), error=True)
            return
        raw = QGuiApplication.clipboard().text().replace("\r\n", "\n").replace("\r", "\n")
        lines = [line.split("\t") for line in raw.split("\n") if line.strip()]
        if not lines:
            self.form_status.say(tr("feedback_view", "Chưa có gì để dán: chép các dòng phiếu trong Excel trước (mỗi "
                                                     "dòng bốn điểm 1–5, rồi ý kiến nếu có)."), error=True)
            return
        ratings = [[cells[i].strip() if i < len(cells) else None for i in range(4)] for cells in lines]
        forms = [FeedbackForm(target.module_code, target.lecturer_id, r[0], r[1], r[2], r[3],
                              comment="\t".join(cells[4:]) or None) for r, cells in zip(ratings, lines, strict=True)]
        rows = list(range(1, len(forms) + 1))

        def done(n: int) -> None:
            self._after_add(target, tr("feedback_view", "Đã thêm {n} phiếu cho {label}.").format(n=n, label=target.label))

        self.ctx.write(lambda s: feedback.add_feedback(s, code, forms, rows=rows), done, self,
                       on_failed=self.form_status.failed)

    def _after_add(self, target: FeedbackTarget, message: str | None = None) -> None:
        for spin in self.ratings:
            spin.setValue(0)
        self.comment.clear()
        self.form_status.say(message or tr("feedback_view", "Đã thêm một phiếu cho {label}.").format(label=target.label))
        row = self.targets_table.currentIndex().row()
        year = self.year
        self.ctx.read(lambda s: feedback.satisfaction(s, year=year), self.show_satisfaction, self)
        code = self.class_combo.currentText()

        def show_targets(rows: list[FeedbackTarget]) -> None:
            self.targets.set_rows(rows)
            self.targets_table.selectRow(max(0, row))

        self.ctx.read(lambda s: feedback.feedback_targets(s, code), show_targets, self)

    # --- the workbook -------------------------------------------------------------------
    def export(self) -> None:
        code = self.class_combo.currentText()
        if not code:
            return
        path, _f = QFileDialog.getSaveFileName(self, tr("feedback_view", "Xuất bảng nhập phiếu phản hồi"),
                                               tr("feedback_view", "Phieu phan hoi {code}.xlsx").format(code=code),
                                               tr("feedback_view", "Excel (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from dtbd_desktop.workbooks.feedback import export_feedback_workbook

        code = self.class_combo.currentText()

        def exported(n: int) -> None:
            self.message.saved_file(tr("feedback_view", "Đã lưu {path} ({n} mục).").format(path=path, n=n), path)

        self.ctx.read(lambda s: export_feedback_workbook(s, code, path), exported, self)

    def import_file(self) -> None:
        path, _f = QFileDialog.getOpenFileName(self, tr("feedback_view", "Nhập phiếu phản hồi"), "",
                                               tr("feedback_view", "Excel (*.xlsx)"))
        if path:
            self.import_from(Path(path))

    def import_from(self, path: Path) -> None:
        from dtbd_desktop.workbooks.feedback import import_feedback_workbook

        code, replace = self.class_combo.currentText(), self.replace.isChecked()

        def done(result: Any) -> None:
            self.message.say(tr(
                "feedback_view", "Lớp {code}: đã nhập {n} phiếu.").format(code=result.class_code, n=result.forms))
            self.set_year(self.year)

        self.ctx.write(lambda s: import_feedback_workbook(s, code, path, replace=replace), done, self)
