"""The follow-up tab (đánh giá sau đào tạo): the graduates due for a record of the year (one
and two years after graduation), the record of the one selected, and the outcomes per
programme and cohort."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import (
    Column,
    name_sort,
)
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.rules.statistics import count_text
from dtbd_desktop.services import followup
from dtbd_desktop.services.followup import OUTCOMES, RATING_ABBREVIATIONS, RATINGS, CohortLine, DueRow

RIGHT = Qt.AlignmentFlag.AlignRight
CENTER = Qt.AlignmentFlag.AlignHCenter


def _flag(row: DueRow, name: str) -> str:
    return "✓" if row.record is not None and getattr(row.record, name) else ""


def _outcome_column(name: str) -> Column[DueRow]:
    return Column(followup.outcome_label(name, short=True), lambda r: _flag(r, name), align=CENTER,
                  tooltip=lambda r: followup.outcome_label(name))


def due_columns() -> list[Column[DueRow]]:
    return [
        Column(tr("followup_view", "Họ và tên"), lambda r: r.graduate.full_name, sort=lambda r: name_sort(
            r.graduate.full_name)),
        Column(tr("followup_view", "Lớp"), lambda r: r.graduate.class_code),
        Column(tr("followup_view", "Tốt nghiệp"), lambda r: text.format_date(r.graduate.graduated),
               sort=lambda r: r.graduate.graduated, align=CENTER),
        Column(tr("followup_view", "Năm thứ"), lambda r: r.year_after, align=CENTER),
        Column(tr("followup_view", "Đơn vị"), lambda r: r.graduate.organisation or ""),
        Column(tr("followup_view", "Xếp loại năm"), lambda r: RATING_ABBREVIATIONS[RATINGS.index(
            r.record.annual_rating)] if r.record and r.record.annual_rating in RATINGS else "",
            tooltip=lambda r: followup.rating_label(r.record.annual_rating) if r.record else None),
        *(_outcome_column(name) for name in OUTCOMES),
    ]


def cohort_columns() -> list[Column[CohortLine]]:
    def count(title: str, value: Any) -> Column[CohortLine]:
        return Column(title, lambda r: count_text(value(r)), sort=value, align=RIGHT)

    return [
        Column(tr("followup_view", "Chương trình – khóa"), lambda r: f"{r.programme_name} – {r.cohort}" if r.cohort
               else r.programme_name),
        count(tr("followup_view", "Tốt nghiệp"), lambda r: r.graduates),
        count(tr("followup_view", "Đã đánh giá"), lambda r: r.followed),
        *(count(abbr, lambda r, i=i: r.ratings[i]) for i, abbr in enumerate(RATING_ABBREVIATIONS)),
        *(count(followup.outcome_label(name, short=True), lambda r, n=name: r.outcome(n)) for name in OUTCOMES),
    ]




class FollowUpView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.year = 0
        self.summary = QLabel()
        self.summary.setObjectName("followup_summary")
        self.summary.setWordWrap(True)
        self.only_missing = QCheckBox(tr("followup_view", "Chỉ người chưa đánh giá"))
        self.only_missing.toggled.connect(self._filter)
        self.rows: list[DueRow] = []
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.only_missing)

        self.listing: RowList[DueRow] = RowList(due_columns(), "followup_due", self)
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.table.selectionModel().currentRowChanged.connect(self._show_record)

        self.rating = QComboBox()
        self.rating.addItem(tr("followup_view", "(chưa xếp loại)"), None)
        for rating, abbr in zip(RATINGS, RATING_ABBREVIATIONS, strict=True):
            self.rating.addItem(f"{followup.rating_label(rating)} ({abbr})", rating)
        self.flags = {name: QCheckBox(followup.outcome_label(name)) for name in OUTCOMES}
        self.note = QLineEdit()
        self.note.setPlaceholderText(tr("followup_view", "Ghi chú: chức vụ mới, nơi công tác..."))
        self.save_button = QPushButton(tr("followup_view", "Lưu đánh giá"))
        self.save_button.clicked.connect(self.save)
        self.status = QLabel()
        self.status.setWordWrap(True)
        record_box = QGroupBox(tr("followup_view", "Đánh giá năm của học viên đang chọn"))
        record_layout = QVBoxLayout(record_box)
        line = QHBoxLayout()
        line.addWidget(QLabel(tr("followup_view", "Xếp loại:")))
        line.addWidget(self.rating, 1)
        record_layout.addLayout(line)
        flags = QHBoxLayout()
        for box in self.flags.values():
            flags.addWidget(box)
        record_layout.addLayout(flags)
        record_layout.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        record_layout.addLayout(buttons)

        cohort_list: RowList[CohortLine] = RowList(cohort_columns(), "followup_cohorts", self, sortable=False)
        self.cohorts, self.cohort_table = cohort_list.model, cohort_list.table
        self.cohort_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        report_box = QGroupBox(tr("followup_view", "Kết quả theo chương trình và khóa tốt nghiệp (mọi năm)"))
        QVBoxLayout(report_box).addWidget(self.cohort_table)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(record_box)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(left)
        splitter.addWidget(report_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([3000, 1300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    def set_year(self, year: int) -> None:
        self.year = year

        def fetch(session: Any) -> tuple[list[DueRow], list[CohortLine]]:
            lines, total = followup.followup_report(session)
            return followup.followup_due(session, year), [*lines, total]

        self.ctx.read(fetch, self.show_data, self)

    def show_data(self, data: tuple[list[DueRow], list[CohortLine]]) -> None:
        self.rows, cohorts = data
        done = sum(1 for r in self.rows if r.done)
        self.summary.setText(tr("followup_view", "Năm {year}: {n} học viên tốt nghiệp năm {a}, {b} cần đánh giá; đã "
                                                 "đánh giá {d}.").format(year=self.year, n=count_text(len(self.rows)),
                                                                        a=self.year - 2, b=self.year - 1,
                                                                        d=count_text(done)))
        self._filter()
        self.cohorts.set_rows(cohorts)
        self.cohort_table.resizeColumnsToContents()
        self.cohort_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _filter(self) -> None:
        rows = [r for r in self.rows if not (self.only_missing.isChecked() and r.done)]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(0, max(self.table.columnWidth(0), 180))
        self.table.setColumnWidth(4, min(self.table.columnWidth(4), 220))

    def selected(self) -> DueRow | None:
        return self.listing.row_at(self.table.currentIndex())

    def _show_record(self, current: QModelIndex, _previous: QModelIndex | None = None) -> None:
        row = self.listing.row_at(current)
        record = row.record if row else None
        self.rating.setCurrentIndex(max(0, self.rating.findData(record.annual_rating if record else None)))
        for name, box in self.flags.items():
            box.setChecked(bool(record and getattr(record, name)))
        self.note.setText(record.note or "" if record else "")
        self.status.setText(tr("followup_view", "{name}, lớp {code}: đánh giá năm {year}.").format(
            name=row.graduate.full_name, code=row.graduate.class_code, year=self.year) if row else "")

    def save(self) -> None:
        row = self.selected()
        if row is None:
            self.status.setText(tr("followup_view", "Chọn một học viên trong bảng trước."))
            return
        values = {name: box.isChecked() for name, box in self.flags.items()}
        rating, note, year, eid = self.rating.currentData(), self.note.text(), self.year, row.graduate.enrolment_id
        self.ctx.write(lambda s: followup.record_followup(s, enrolment_id=eid, year=year, annual_rating=rating,
                                                          note=note, **values),
                       lambda _r: self.set_year(year), self)
