"""The statistics tab: the year's classes and learner-times by programme, level, organisation
(the tree rolled up), mode and venue; the shares of women, ethnic minorities, young cadres and
Party members; results by classification; the year against the year before; with charts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets.charts import BarChart, PieChart
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.rules.statistics import change_text, composition_lines, count_text, percent_text, share_text
from dtbd_desktop.services import statistics as reports
from dtbd_desktop.services.statistics import YearComparison, YearStatistics

RIGHT = Qt.AlignmentFlag.AlignRight


@dataclass(frozen=True)
class StatLine:
    """A line of whichever table is shown: a label and up to four figures, already printed."""

    label: str
    a: str = ""
    b: str = ""
    c: str = ""
    d: str = ""
    depth: int = 0


TABLES = (
    ("programme", "Theo chương trình"), ("level", "Theo trình độ"), ("org_level", "Theo cấp đơn vị cử đi học"),
    ("organisation", "Theo đơn vị cử đi học"), ("mode", "Theo hình thức học"), ("venue", "Theo địa điểm học"),
    ("composition", "Cơ cấu học viên"), ("results", "Kết quả học tập"), ("comparison", "So với năm trước"),
)


class StatsView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.data: tuple[YearStatistics, YearStatistics, YearComparison] | None = None
        self.headline = QLabel()
        self.headline.setObjectName("stats_headline")
        self.headline.setWordWrap(True)
        self.headline.setStyleSheet("font-size: 14px;")
        self.bar = BarChart()
        self.pie = PieChart()
        charts = QVBoxLayout()
        bar_box = QGroupBox(tr("stats_view", "Lượt học viên theo chương trình"))
        QVBoxLayout(bar_box).addWidget(self.bar)
        pie_box = QGroupBox(tr("stats_view", "Kết quả học tập theo xếp loại (lớp kết thúc trong năm)"))
        QVBoxLayout(pie_box).addWidget(self.pie)
        charts.addWidget(bar_box, 3)
        charts.addWidget(pie_box, 2)
        left = QWidget()
        left.setLayout(charts)

        self.which = QComboBox()
        self.which.setObjectName("stats_table_choice")
        for key, label in TABLES:
            self.which.addItem(tr("stats_view", label), key)
        self.which.currentIndexChanged.connect(self._show_table)
        self.columns = [tr("stats_view", "Nội dung"), "", "", "", ""]
        stats: RowList[StatLine] = RowList(self._columns(), "stats_table", self, sortable=False)
        self.model, self.table = stats.model, stats.table
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        choose = QHBoxLayout()
        choose.addWidget(QLabel(tr("stats_view", "Bảng:")))
        choose.addWidget(self.which, 1)
        right_layout.addLayout(choose)
        right_layout.addWidget(self.table, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([1000, 1000])  # halves
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.headline)
        layout.addWidget(splitter, 1)

    def _columns(self) -> list[Column[StatLine]]:
        titles = self.columns
        return [Column(titles[0], lambda r: ("    " * r.depth) + r.label),
                Column(titles[1], lambda r: r.a, align=RIGHT), Column(titles[2], lambda r: r.b, align=RIGHT),
                Column(titles[3], lambda r: r.c, align=RIGHT), Column(titles[4], lambda r: r.d, align=RIGHT)]

    def set_year(self, year: int) -> None:
        def fetch(session: Any) -> tuple[YearStatistics, YearStatistics, YearComparison]:
            current = reports.year_statistics(session, year)
            previous = reports.year_statistics(session, year - 1, as_of=dt.date(year - 1, 12, 31))
            return current, previous, reports.compare_years(current, previous)

        self.ctx.read(fetch, self.show_data, self)

    def show_data(self, data: tuple[YearStatistics, YearStatistics, YearComparison]) -> None:
        self.data = data
        st, prev, cmp = data
        c = st.composition
        self.headline.setText(tr(
            "stats_view", "<b>Năm {year}</b>{partial}: {classes} lớp, {learners} lượt học viên (năm {prev}: {pc} lớp, "
                          "{pl} lượt). Nữ {women} · dân tộc thiểu số {minorities} · cán bộ trẻ (đến {age} tuổi) {young} · "
                          "đảng viên {party}.").format(
            year=st.year, partial=tr("stats_view", " (đến {date})").format(date=st.as_of.strftime("%d/%m/%Y"))
            if st.as_of < dt.date(st.year, 12, 31) else "", classes=count_text(st.classes),
            learners=count_text(st.learners), prev=prev.year, pc=count_text(prev.classes), pl=count_text(prev.learners),
            women=percent_text(c.women, c.total), minorities=percent_text(c.minorities, c.total), age=st.young_max_age,
            young=percent_text(c.young, c.total), party=percent_text(c.party_members, c.total)))
        codes = [line.key for line in cmp.lines]
        before = {b.key: b.learners for b in prev.by_programme}
        now = {b.key: b.learners for b in st.by_programme}
        self.bar.set_data(codes, [(str(prev.year), [before.get(k, 0) for k in codes]),
                                  (str(st.year), [now.get(k, 0) for k in codes])])
        self.pie.set_items([(name, st.results_total.count(name)) for name in st.classifications])
        self._show_table()

    def _show_table(self) -> None:
        if self.data is None:
            return
        st, _prev, cmp = self.data
        key = self.which.currentData()
        share = [tr("stats_view", "Số lớp"), tr("stats_view", "Lượt học viên"), tr("stats_view", "Tỷ lệ"), ""]
        lines: list[StatLine]
        if key in ("programme", "level", "org_level", "organisation", "mode", "venue"):
            source = {"programme": st.by_programme, "level": st.by_programme_level,
                      "org_level": st.by_organisation_level, "organisation": st.by_organisation,
                      "mode": st.by_mode, "venue": st.by_venue}[key]
            lines = [StatLine(b.label, count_text(b.classes), count_text(b.learners),
                              percent_text(b.learners, st.learners), depth=b.depth) for b in source]
            if key != "organisation":
                lines.append(StatLine(tr("stats_view", "Tổng cộng"), count_text(st.classes), count_text(st.learners),
                                      "100,0%"))
            titles = share
        elif key == "composition":
            c = st.composition
            lines = [StatLine(line.label, count_text(line.count), share_text(line.share)) for line in composition_lines(
                c, young_max_age=st.young_max_age, age_band_labels=st.age_band_labels)]
            lines.append(StatLine(tr("stats_view", "Tổng số lượt học viên"), count_text(c.total)))
            titles = [tr("stats_view", "Số lượng"), tr("stats_view", "Tỷ lệ"), "", ""]
        elif key == "results":
            total = st.results_total
            lines = [StatLine(name, count_text(total.count(name)), percent_text(total.count(name), total.reviewed))
                     for name in st.classifications]
            lines.append(StatLine(tr("stats_view", "Số học viên đã xét"), count_text(total.reviewed)))
            for r in st.results:
                lines.append(StatLine(f"{r.programme_name}: " + ", ".join(
                    f"{n} {count_text(r.count(n))}" for n in st.classifications if r.count(n)),
                    count_text(r.reviewed)))
            titles = [tr("stats_view", "Số học viên"), tr("stats_view", "Tỷ lệ"), "", ""]
        else:
            lines = [StatLine(ln.label, f"{count_text(ln.previous.classes)} / {count_text(ln.previous.learners)}",
                              f"{count_text(ln.current.classes)} / {count_text(ln.current.learners)}",
                              change_text(ln.previous.learners, ln.current.learners)) for ln in [*cmp.lines, cmp.total]]
            lines += [StatLine(label, percent_text(a, aw), percent_text(b, bw)) for label, a, aw, b, bw in cmp.shares]
            titles = [tr("stats_view", "Năm {y} (lớp / HV)").format(y=cmp.previous_year),
                      tr("stats_view", "Năm {y} (lớp / HV)").format(y=cmp.year), tr("stats_view", "Tăng, giảm HV"), ""]
        self.columns = [self.which.currentText(), *titles]
        self.model.columns = self._columns()
        self.model.set_rows(lines)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            self.table.setColumnHidden(column, not titles[column - 1])
