"""The annual report (báo cáo kết quả công tác đào tạo, bồi dưỡng năm): plan against actual and
the year's statistics, as PDF (tables and charts) and XLSX (the numbers, ready to print).

Contents, in both formats:

I.   plan against actual, per programme and in total, in the words the centres use ("68/61
     lớp, 5.476/5.250 học viên, đạt 111,5% / 104,3%"), classes carried over from the year
     before shown apart;
II.  learner-times by programme (with a chart of this year against the last), by the level
     of the sending organisation and by organisation (the tree rolled up to districts and
     provincial bodies), by mode and venue; women, ethnic minorities, young cadres, Party
     members and the age bands;
III. results of the classes that ended in the year, by classification (with a pie chart);
IV.  the year against the year before;
V.   lecturers' periods by kind of lecturer;
VI.  learner feedback: the share satisfied or very satisfied, per programme;
VII. follow-up of graduates: the records of the year, per programme and cohort;
VIII. the office's assessment of the year and IX. the tasks of the next (`services.report_texts`:
     what the office wrote, else a default made from the figures).

It is an outgoing document: "Số 05-BC/TCT" from the book of outgoing documents when it is
finalised (`number_report`; a draft leaves the number blank), the place and signing date, and at
its end "Nơi nhận" beside the head's signature. A reprint keeps its number and date.

`load_annual_report` reads everything once (a few grouped queries); the renderers only draw.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.charts import bar_chart, pie_chart
from dtbd_desktop.printing.letterhead import Letterhead, number_line, signer_lines
from dtbd_desktop.rules.statistics import (
    CRITERIA,
    change_text,
    composition_lines,
    count_text,
    percent_text,
    share_text,
)
from dtbd_desktop.services import feedback, followup, outgoing, plans
from dtbd_desktop.services import statistics as reports
from dtbd_desktop.services.feedback import SatisfactionReport, criterion_label
from dtbd_desktop.services.followup import CohortLine
from dtbd_desktop.services.outgoing import BookEntry
from dtbd_desktop.services.plans import PlanReport
from dtbd_desktop.services.report_texts import AnnualTexts, annual_texts
from dtbd_desktop.services.settings import document_setting, load_letterhead, text_lines
from dtbd_desktop.services.statistics import (
    LecturerPeriodsReport,
    YearComparison,
    YearStatistics,
    lecturer_kind_label,
)

TABLE_SIZE = 11.0
STT = 30.0  # the number column
ORGANISATION_DEPTH = 1  # the printed tree: the province, then its districts and bodies


@dataclass(frozen=True)
class AnnualReport:
    letterhead: Letterhead
    year: int
    date: dt.date  # printed under the heading and the signature
    plan: PlanReport
    statistics: YearStatistics
    previous: YearStatistics
    comparison: YearComparison
    lecturers: LecturerPeriodsReport
    satisfaction: SatisfactionReport
    followup: list[CohortLine]
    followup_total: CohortLine
    texts: AnnualTexts | None = None
    entry: BookEntry | None = None  # its line in the book of outgoing documents, once numbered
    recipients: tuple[str, ...] = ()
    deputy: bool = False

    @property
    def number_line(self) -> str:
        return number_line(self.letterhead, "BC", None, self.entry.symbol if self.entry is not None else None)

    @property
    def signer(self) -> pdf.Signer:
        content = self.entry.content if self.entry is not None else {}
        if content.get("signer"):
            return pdf.Signer("\n".join(content["signer"]), str(content.get("signer_name", "")))
        lines, name = signer_lines(self.letterhead, deputy=self.deputy)
        return pdf.Signer("\n".join(lines), name)

    @property
    def subject(self) -> str:
        return tr("annual_report", "Kết quả công tác đào tạo, bồi dưỡng năm {year}").format(year=self.year)

    @property
    def title(self) -> str:
        return tr("annual_report", "Báo cáo kết quả công tác đào tạo, bồi dưỡng năm {year}").format(year=self.year)

    @property
    def partial(self) -> bool:
        """The year is not over at the date of the figures."""
        return self.plan.as_of < dt.date(self.year, 12, 31)


def report_source(year: int) -> str:
    return f"annual_report:{year}"


def load_annual_report(session: Session, year: int, *, as_of: dt.date | None = None, on: dt.date | None = None,
                       count_carried_over: bool = False, deputy: bool = False) -> AnnualReport:
    """Everything the annual report shows for `year`, figures taken at `as_of` (default: the end of
    the year, or today while it runs); `on` is the signing date printed (default: the date it was
    numbered with, else today)."""
    as_of = as_of or plans.default_as_of(year)
    stats = reports.year_statistics(session, year, as_of=as_of)
    previous = reports.year_statistics(session, year - 1, as_of=dt.date(year - 1, 12, 31))
    lines, total = followup.followup_report(session, cohorts=range(year - followup.FOLLOW_UP_YEARS, year),
                                            record_year=year)
    plan = plans.plan_vs_actual(session, year, as_of=as_of, count_carried_over=count_carried_over)
    satisfaction = feedback.satisfaction(session, year=year)
    entry = outgoing.entry_for(session, report_source(year))
    when = on or (entry.issued_on if entry is not None else dt.date.today())
    return AnnualReport(
        letterhead=load_letterhead(session), year=year, date=when, plan=plan,
        statistics=stats, previous=previous, comparison=reports.compare_years(stats, previous),
        lecturers=reports.lecturer_periods(session, year, as_of=as_of),
        satisfaction=satisfaction, followup=lines, followup_total=total,
        texts=annual_texts(session, year, plan=plan, stats=stats, satisfaction=satisfaction),
        entry=entry if entry is not None and entry.issued_on == when else None,
        recipients=tuple(text_lines(document_setting(session, "report_recipients"))), deputy=deputy,
    )


def number_report(session: Session, doc: AnnualReport) -> AnnualReport:
    """Number the report in the book of outgoing documents ("BC" of its signing date's year), in the
    caller's unit of work; a report already numbered keeps its number (and must keep its date)."""
    lines, name = signer_lines(doc.letterhead, deputy=doc.deputy)
    entry = outgoing.number_document(session, doc.letterhead, kind="BC", on=doc.date, subject=doc.subject,
                                     source=report_source(doc.year), recipients="\n".join(doc.recipients),
                                     signer=name, content={"signer": lines, "signer_name": name})
    return replace(doc, entry=entry, date=entry.issued_on)


# ---------------------------------------------------------------------------------- PDF building blocks


class _Styles:
    def __init__(self) -> None:
        self.title = pdf.style("ar-title", size=15, bold=True, align=TA_CENTER, space_before=10)
        self.subtitle = pdf.style("ar-subtitle", size=14, bold=True, align=TA_CENTER, space_after=2)
        self.note = pdf.style("ar-note", italic=True, align=TA_CENTER, space_after=8)
        self.heading = pdf.style("ar-heading", bold=True, space_before=10, space_after=4)
        self.subheading = pdf.style("ar-subheading", bold=True, italic=True, space_before=6, space_after=3)
        self.body = pdf.style("ar-body", align=TA_JUSTIFY, space_after=3, leading=13 * 1.3)
        self.bullet = pdf.style("ar-bullet", align=TA_JUSTIFY, space_after=2, leading=13 * 1.3)
        self.cell = pdf.style("ar-cell", size=TABLE_SIZE, align=TA_LEFT, leading=TABLE_SIZE * 1.15)
        self.cell_bold = pdf.style("ar-cell-b", size=TABLE_SIZE, bold=True, align=TA_LEFT, leading=TABLE_SIZE * 1.15)
        self.head = pdf.style("ar-head", size=TABLE_SIZE, bold=True, align=TA_CENTER, leading=TABLE_SIZE * 1.15)
        self.caption = pdf.style("ar-caption", size=11, italic=True, align=TA_CENTER, space_after=4)
        for heading in (self.heading, self.subheading):
            heading.keepWithNext = 1  # never the last line of a page


def _table(rows: list[list[object]], widths: list[float], styles: _Styles, *, header_rows: int = 1,
           spans: list[tuple[tuple[int, int], tuple[int, int]]] | None = None, total_rows: int = 0,
           numeric_from: int = 2, bold_rows: Sequence[int] = ()) -> Table:
    """A bordered table: headers bold and centred, text columns wrapped, numbers right-aligned,
    the last `total_rows` rows in bold."""
    body_rows: list[list[object]] = []
    for r, row in enumerate(rows):
        out: list[object] = []
        for c, value in enumerate(row):
            if r < header_rows:
                out.append(Paragraph(pdf.markup(str(value)), styles.head) if value != "" else "")
            elif 0 < c < numeric_from and isinstance(value, str) and value:
                bold = r >= len(rows) - total_rows or r in bold_rows
                out.append(Paragraph(pdf.markup(value), styles.cell_bold if bold else styles.cell))
            else:
                out.append(value)
        body_rows.append(out)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("GRID", (0, 0), (-1, -1), 0.5, "#000000"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (numeric_from, header_rows), (-1, -1), "RIGHT"),
        ("ALIGN", (0, header_rows), (0, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), "#eef3f8"),
    ]
    if total_rows:
        commands.append(("FONTNAME", (0, -total_rows), (-1, -1), pdf.FONT_BOLD))
    for r in bold_rows:
        commands.append(("FONTNAME", (0, r), (-1, r), pdf.FONT_BOLD))
    for start, end in spans or []:
        commands.append(("SPAN", start, end))
    # The report's tables are short: reportlab's own Table splits them across pages (repeating the
    # header) and, unlike PagedTable, keeps the styles of the total rows on the right rows.
    table = Table(body_rows, colWidths=widths, repeatRows=header_rows)
    table.setStyle(TableStyle(commands))
    return table


def _p(value: str, paragraph_style: ParagraphStyle) -> Paragraph:
    return pdf.para(value, paragraph_style)


# ---------------------------------------------------------------------------------- PDF sections


def _plan_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    plan = doc.plan
    out: list[Flowable] = [_p(tr("annual_report", "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH"), s.heading),
                           _p(plan.summary, s.body)]
    for line in [*plan.subtotals, *plan.lines]:
        out.append(_p("- " + line.sentence(doc.year) + ";", s.bullet))
    rows: list[list[object]] = [
        [tr("annual_report", "STT"), tr("annual_report", "Chương trình"), tr("annual_report", "Số lớp"), "", "",
         tr("annual_report", "Số học viên"), "", "", tr("annual_report", "Chuyển tiếp"), ""],
        ["", "", tr("annual_report", "KH"), tr("annual_report", "TH"), "%", tr("annual_report", "KH"),
         tr("annual_report", "TH"), "%", tr("annual_report", "Lớp"), tr("annual_report", "HV")],
    ]
    for i, line in enumerate(plan.lines, start=1):
        rows.append(_plan_row(str(i), f"{line.programme_name} ({line.programme_code})", line))
    for line in [*plan.subtotals, plan.total]:
        rows.append(_plan_row("", line.programme_name, line))
    name_width = width - STT - 8 * 40
    widths = [STT, name_width, *([40.0] * 8)]
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (4, 0)), ((5, 0), (7, 0)), ((8, 0), (9, 0))]
    out.append(Spacer(1, 4))
    out.append(_table(rows, widths, s, header_rows=2, spans=spans, total_rows=len(plan.subtotals) + 1))
    note = tr("annual_report", "KH: kế hoạch; TH: thực hiện (lớp đã khai giảng trong năm{carried}); chuyển tiếp: lớp "
                               "khai giảng năm {prev} còn học trong năm {year}.").format(
        carried=tr("annual_report", ", kể cả lớp chuyển tiếp") if plan.count_carried_over else "",
        prev=doc.year - 1, year=doc.year)
    out.append(_p(note, s.caption))
    return out


def _plan_row(number: str, label: str, line: plans.PlanLine) -> list[object]:
    actual, target = line.actual, line.target
    return [number, label, count_text(target.classes), count_text(actual.classes),
            percent_text(actual.classes, target.classes), count_text(target.learners), count_text(actual.learners),
            percent_text(actual.learners, target.learners), count_text(line.carried.classes) if line.carried.classes
            else "", count_text(line.carried.learners) if line.carried.learners else ""]


def _breakdown_table(title: str, lines: list[reports.Breakdown], total: reports.Breakdown | None, width: float,
                     s: _Styles, *, indent: bool = False, whole: int | None = None) -> list[Flowable]:
    learners = whole if whole is not None else total.learners if total else sum(b.learners for b in lines)
    rows: list[list[object]] = [[tr("annual_report", "STT"), title, tr("annual_report", "Số lớp"),
                                 tr("annual_report", "Lượt học viên"), tr("annual_report", "Tỷ lệ")]]
    number = 0
    bold_rows = []
    for b in lines:
        if indent and b.depth == 0:
            label, shown = b.label.upper(), ""
            bold_rows.append(len(rows))
        else:
            number += 1
            label, shown = ("    " * max(0, b.depth - 1) if indent else "") + b.label, str(number)
        rows.append([shown, label, count_text(b.classes), count_text(b.learners),
                     percent_text(b.learners, learners)])
    if total is not None:
        rows.append(["", total.label, count_text(total.classes), count_text(total.learners), "100,0%"])
    widths = [STT, width - STT - 3 * 62, 62, 62, 62]
    return [_table(rows, widths, s, total_rows=1 if total else 0, bold_rows=bold_rows)]


def _statistics_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    st, prev = doc.statistics, doc.previous
    total = reports.Breakdown("", tr("annual_report", "Tổng cộng"), st.classes, st.learners)
    out: list[Flowable] = [
        _p(tr("annual_report", "II. THỐNG KÊ LỚP HỌC VÀ HỌC VIÊN"), s.heading),
        _p(tr("annual_report", "Năm {year} có {classes} lớp khai giảng với {learners} lượt học viên; năm {prev}: "
                               "{pc} lớp, {pl} lượt học viên.").format(
            year=doc.year, classes=count_text(st.classes), learners=count_text(st.learners), prev=prev.year,
            pc=count_text(prev.classes), pl=count_text(prev.learners)), s.body),
        _p(tr("annual_report", "1. Theo chương trình"), s.subheading),
    ]
    codes = [b.key for b in doc.comparison.lines]
    previous = {b.key: b.learners for b in prev.by_programme}
    current = {b.key: b.learners for b in st.by_programme}
    chart = bar_chart(codes, [(tr("annual_report", "Năm {y}").format(y=prev.year), [previous.get(c, 0) for c in codes]),
                              (tr("annual_report", "Năm {y}").format(y=doc.year), [current.get(c, 0) for c in codes])],
                      width=width, title=tr("annual_report", "Lượt học viên theo chương trình"))
    out.append(KeepTogether([chart, _p(tr("annual_report", "Biểu đồ 1. Lượt học viên theo chương trình, năm {prev} "
                                                           "và năm {year}").format(prev=prev.year, year=doc.year),
                                       s.caption)]))
    programme_lines = [reports.Breakdown(b.key, f"{b.label} ({b.key})", b.classes, b.learners) for b in st.by_programme]
    out += _breakdown_table(tr("annual_report", "Chương trình"), programme_lines, total, width, s)
    out.append(_p(tr("annual_report", "2. Theo trình độ đào tạo"), s.subheading))
    out += _breakdown_table(tr("annual_report", "Trình độ"), st.by_programme_level, total, width, s)
    out.append(_p(tr("annual_report", "3. Theo cấp của đơn vị cử đi học"), s.subheading))
    out += _breakdown_table(tr("annual_report", "Cấp"), st.by_organisation_level, total, width, s)
    out.append(_p(tr("annual_report", "4. Theo đơn vị cử đi học (số của xã tính vào huyện, của huyện tính vào tỉnh)"),
                  s.subheading))
    shown = [b for b in st.by_organisation if b.depth <= ORGANISATION_DEPTH]
    out += _breakdown_table(tr("annual_report", "Đơn vị"), shown, None, width, s, indent=True, whole=st.learners)
    out.append(_p(tr("annual_report", "5. Theo hình thức học và địa điểm"), s.subheading))
    out += _breakdown_table(tr("annual_report", "Hình thức"), st.by_mode, total, width, s)
    out.append(Spacer(1, 6))
    out += _breakdown_table(tr("annual_report", "Địa điểm"), st.by_venue, total, width, s)
    out.append(_p(tr("annual_report", "6. Cơ cấu học viên"), s.subheading))
    c = st.composition
    rows: list[list[object]] = [[tr("annual_report", "STT"), tr("annual_report", "Nội dung"),
                                 tr("annual_report", "Số lượng"), tr("annual_report", "Tỷ lệ")]]
    lines = composition_lines(c, young_max_age=st.young_max_age, age_band_labels=st.age_band_labels)
    for i, line in enumerate(lines, start=1):
        rows.append([str(i), line.label, count_text(line.count), share_text(line.share)])
    rows.append(["", tr("annual_report", "Tổng số lượt học viên"), count_text(c.total), ""])
    out.append(_table(rows, [STT, width - STT - 2 * 80, 80, 80], s, total_rows=1))
    return out


def _results_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    st = doc.statistics
    out: list[Flowable] = [_p(tr("annual_report", "III. KẾT QUẢ HỌC TẬP"), s.heading)]
    if not st.results:
        return [*out, _p(tr("annual_report", "Chưa có lớp nào kết thúc và xét kết quả trong năm."), s.body)]
    total = st.results_total
    out.append(_p(tr("annual_report", "Các lớp kết thúc trong năm đã xét {n} học viên: {parts}.").format(
        n=count_text(total.reviewed), parts="; ".join(
            f"{name} {count_text(total.count(name))} ({percent_text(total.count(name), total.reviewed)})"
            for name in st.classifications)), s.body))
    names = st.classifications
    rows: list[list[object]] = [[tr("annual_report", "STT"), tr("annual_report", "Chương trình"), *names,
                                 tr("annual_report", "Cộng")]]
    for i, line in enumerate(st.results, start=1):
        rows.append([str(i), f"{line.programme_name} ({line.programme_code})",
                     *(count_text(line.count(n)) if line.count(n) else "" for n in names), count_text(line.reviewed)])
    rows.append(["", total.programme_name, *(count_text(total.count(n)) for n in names), count_text(total.reviewed)])
    rows.append(["", tr("annual_report", "Tỷ lệ"), *(percent_text(total.count(n), total.reviewed) for n in names),
                 "100,0%"])
    number_width = min(58.0, (width - STT - 150) / (len(names) + 1))
    widths = [STT, width - STT - number_width * (len(names) + 1), *([number_width] * (len(names) + 1))]
    out.append(_table(rows, widths, s, total_rows=2))
    chart = pie_chart([(n, total.count(n)) for n in names], width=width,
                      title=tr("annual_report", "Kết quả học tập theo xếp loại"))
    out.append(KeepTogether([Spacer(1, 6), chart, _p(tr("annual_report", "Biểu đồ 2. Kết quả học tập theo xếp loại"),
                                                     s.caption)]))
    return out


def _comparison_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    cmp = doc.comparison
    prev, year = cmp.previous_year, cmp.year
    rows: list[list[object]] = [
        [tr("annual_report", "STT"), tr("annual_report", "Chương trình"), tr("annual_report", "Năm {y}").format(y=prev),
         "", tr("annual_report", "Năm {y}").format(y=year), "", tr("annual_report", "Tăng, giảm (học viên)")],
        ["", "", tr("annual_report", "Lớp"), tr("annual_report", "HV"), tr("annual_report", "Lớp"),
         tr("annual_report", "HV"), ""],
    ]
    for i, line in enumerate(cmp.lines, start=1):
        rows.append([str(i), line.label, count_text(line.previous.classes), count_text(line.previous.learners),
                     count_text(line.current.classes), count_text(line.current.learners),
                     change_text(line.previous.learners, line.current.learners)])
    t = cmp.total
    rows.append(["", t.label, count_text(t.previous.classes), count_text(t.previous.learners),
                 count_text(t.current.classes), count_text(t.current.learners),
                 change_text(t.previous.learners, t.current.learners)])
    spans = [((0, 0), (0, 1)), ((1, 0), (1, 1)), ((2, 0), (3, 0)), ((4, 0), (5, 0)), ((6, 0), (6, 1))]
    out: list[Flowable] = [_p(tr("annual_report", "IV. SO SÁNH VỚI NĂM {prev}").format(prev=prev), s.heading),
                           _table(rows, [STT, width - STT - 4 * 48 - 80, 48, 48, 48, 48, 80], s, header_rows=2,
                                  spans=spans, total_rows=1), Spacer(1, 6)]
    share_rows: list[list[object]] = [[tr("annual_report", "STT"), tr("annual_report", "Tỷ lệ"),
                                       tr("annual_report", "Năm {y}").format(y=prev),
                                       tr("annual_report", "Năm {y}").format(y=year)]]
    for i, (label, a_part, a_whole, b_part, b_whole) in enumerate(cmp.shares, start=1):
        share_rows.append([str(i), label, percent_text(a_part, a_whole), percent_text(b_part, b_whole)])
    out.append(_table(share_rows, [STT, width - STT - 2 * 80, 80, 80], s))
    return out


def _lecturer_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    lp = doc.lecturers
    out: list[Flowable] = [_p(tr("annual_report", "V. GIẢNG DẠY"), s.heading)]
    if not lp.lecturers:
        return [*out, _p(tr("annual_report", "Thời khóa biểu trong năm chưa ghi giảng viên."), s.body)]
    parts = "; ".join(tr("annual_report", "{kind}: {n} tiết").format(kind=lecturer_kind_label(k).lower(),
                                                                      n=count_text(v))
                      for k, v in lp.by_kind.items())
    out.append(_p(tr("annual_report", "{n} giảng viên đã giảng {p} tiết ({parts}).").format(
        n=count_text(len(lp.lecturers)), p=count_text(lp.periods), parts=parts), s.body))
    rows: list[list[object]] = [[tr("annual_report", "STT"), tr("annual_report", "Giảng viên"),
                                 tr("annual_report", "Loại"), tr("annual_report", "Số lớp"),
                                 tr("annual_report", "Tiết giảng"), tr("annual_report", "Tiết thực tế"),
                                 tr("annual_report", "Tổng số tiết")]]
    for i, lec in enumerate(lp.lecturers, start=1):
        rows.append([str(i), lec.display_name, lecturer_kind_label(lec.kind), count_text(len(lec.classes)),
                     count_text(lec.lesson_periods + lec.exam_periods), count_text(lec.field_trip_periods),
                     count_text(lec.periods)])
    rows.append(["", tr("annual_report", "Tổng cộng"), "", "", count_text(sum(
        lec.lesson_periods + lec.exam_periods for lec in lp.lecturers)), count_text(sum(
            lec.field_trip_periods for lec in lp.lecturers)), count_text(lp.periods)])
    out.append(_table(rows, [STT, width - STT - 80 - 4 * 54, 80, 54, 54, 54, 54], s, total_rows=1, numeric_from=3))
    return out


def _feedback_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    sat = doc.satisfaction
    out: list[Flowable] = [_p(tr("annual_report", "VI. Ý KIẾN PHẢN HỒI CỦA HỌC VIÊN"), s.heading)]
    if not sat.total.forms:
        return [*out, _p(tr("annual_report", "Chưa nhập phiếu phản hồi của học viên trong năm."), s.body)]
    out.append(_p(tr("annual_report", "{n} phiếu phản hồi; tỷ lệ đánh giá hài lòng và rất hài lòng (mức 4, 5): "
                                      "{share}.").format(n=count_text(sat.total.forms),
                                                         share=_share(sat.total.share())), s.body))
    rows: list[list[object]] = [[tr("annual_report", "STT"), tr("annual_report", "Chương trình"),
                                 tr("annual_report", "Số phiếu"), *(criterion_label(c) for c in CRITERIA),
                                 tr("annual_report", "Chung")]]
    for i, line in enumerate([*sat.by_programme, sat.total], start=1):
        rows.append([str(i) if line is not sat.total else "", line.label, count_text(line.forms),
                     *(_share(line.share(c)) for c in CRITERIA), _share(line.share())])
    out.append(_table(rows, [STT, width - STT - 6 * 52, *([52.0] * 6)], s, total_rows=1))
    out.append(_p(tr("annual_report", "Tỷ lệ hài lòng theo giảng viên: xem bảng tính Excel của báo cáo."), s.caption))
    return out


def _share(value: Decimal | None) -> str:
    return "–" if value is None else text.format_percent(value, 1)


def _followup_section(doc: AnnualReport, width: float, s: _Styles) -> list[Flowable]:
    out: list[Flowable] = [_p(tr("annual_report", "VII. ĐÁNH GIÁ HỌC VIÊN SAU ĐÀO TẠO"), s.heading)]
    t = doc.followup_total
    if not t.graduates:
        return [*out, _p(tr("annual_report", "Không có học viên tốt nghiệp năm {a}, {b} cần theo dõi.").format(
            a=doc.year - 2, b=doc.year - 1), s.body)]
    out.append(_p(tr("annual_report", "Học viên tốt nghiệp năm {a} và {b}: {g} người, đã có đánh giá năm {year}: {f} "
                                      "người; được quy hoạch {p}, luân chuyển {r}, bổ nhiệm, đề bạt {pr}, giao nhiệm "
                                      "vụ cao hơn {h}.").format(
        a=doc.year - 2, b=doc.year - 1, g=count_text(t.graduates), year=doc.year, f=count_text(t.followed),
        p=count_text(t.planned), r=count_text(t.rotated), pr=count_text(t.promoted), h=count_text(t.higher_duties)),
        s.body))
    rows: list[list[object]] = [[tr("annual_report", "STT"), tr("annual_report", "Chương trình, khóa tốt nghiệp"),
                                 tr("annual_report", "Tốt nghiệp"), tr("annual_report", "Đã đánh giá"),
                                 tr("annual_report", "HTXS, HTT NV"), tr("annual_report", "Quy hoạch"),
                                 tr("annual_report", "Luân chuyển"), tr("annual_report", "Bổ nhiệm"),
                                 tr("annual_report", "NV cao hơn")]]
    for i, line in enumerate([*doc.followup, t], start=1):
        label = f"{line.programme_name} – {line.cohort}" if line.cohort else line.programme_name
        rows.append([str(i) if line is not t else "", label, count_text(line.graduates), count_text(line.followed),
                     count_text(line.ratings[0] + line.ratings[1]), count_text(line.planned), count_text(line.rotated),
                     count_text(line.promoted), count_text(line.higher_duties)])
    out.append(_table(rows, [STT, width - STT - 7 * 46, *([46.0] * 7)], s, total_rows=1))
    return out


def _texts_section(doc: AnnualReport, s: _Styles) -> list[Flowable]:
    if doc.texts is None:
        return []
    body = pdf.style("ar-text", align=TA_JUSTIFY, space_after=3, leading=13 * 1.3)
    body.firstLineIndent = 28
    out: list[Flowable] = [_p(tr("annual_report", "VIII. ĐÁNH GIÁ CHUNG"), s.heading)]
    out += [_p(line, body) for line in doc.texts.paragraphs("assessment")]
    out.append(_p(tr("annual_report", "IX. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year}").format(year=doc.year + 1), s.heading))
    out += [_p(line, body) for line in doc.texts.paragraphs("next_year")]
    return out


def build_story(doc: AnnualReport, width: float) -> list[Flowable]:
    s = _Styles()
    story: list[Flowable] = [
        official.PartStart(),
        pdf.letterhead(doc.letterhead, width, date=doc.date, document_number=doc.number_line),
        official.title(tr("annual_report", "BÁO CÁO"), size=15, space_before=10, name="ar-title"),
        official.title(doc.subject, size=14, space_after=2, name="ar-subtitle"),
    ]
    if doc.letterhead.party:
        story.append(official.title("-----", size=13, bold=False, name="ar-dashes"))
    if doc.partial:
        story.append(_p(tr("annual_report", "(Số liệu tính đến ngày {date})").format(
            date=text.format_date(doc.plan.as_of)), s.note))
    else:
        story.append(Spacer(1, 8))
    for section in (_plan_section, _statistics_section, _results_section, _comparison_section, _lecturer_section,
                    _feedback_section, _followup_section):
        story += section(doc, width, s)
    story += _texts_section(doc, s)
    story.append(Spacer(1, 12))
    story.append(KeepTogether([_signatures(doc, width)]))
    return story


def _signatures(doc: AnnualReport, width: float) -> Flowable:
    """"Nơi nhận" at the bottom left, the head (or the deputy) signing on the right."""
    return official.recipients_and_signature(doc.letterhead, list(doc.recipients), width, signer=doc.signer)


def render_pdf(doc: AnnualReport, path: str | os.PathLike[str]) -> int:
    """Write the report as an A4 portrait PDF; returns the number of pages."""
    with atomic_output(path) as temp:
        document = pdf.new_document(temp, title=doc.title, author=doc.letterhead.centre_name)
        pages = pdf.build(document, build_story(doc, pdf.content_width()), canvasmaker=official.OfficialCanvas)
    return pages


def export_annual_pdf(session: Session, year: int, path: str | os.PathLike[str], *, as_of: dt.date | None = None,
                      on: dt.date | None = None, count_carried_over: bool = False, draft: bool = True,
                      deputy: bool = False) -> tuple[AnnualReport, int]:
    """Load and write the PDF, numbered in the book of outgoing documents unless `draft` (the caller's
    unit of work must then be able to write); returns the report and the number of pages."""
    doc = load_annual_report(session, year, as_of=as_of, on=on, count_carried_over=count_carried_over, deputy=deputy)
    if not draft:
        doc = number_report(session, doc)
    return doc, render_pdf(doc, path)
