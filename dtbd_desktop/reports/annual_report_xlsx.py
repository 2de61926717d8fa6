"""The annual report as a workbook: the numbers of every table of the PDF, one sheet per part,
each laid out for printing (A4, fitted to the page width, the table header repeated on every
page, Times New Roman). Counts are numbers and shares are numbers formatted as percentages,
so the office can re-sort, sum and chart them in Excel.

Sheets: Kế hoạch, Thống kê, Đơn vị, Kết quả, So sánh, Giảng viên, Phản hồi, Sau đào tạo.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from dtbd_desktop.base import text
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.reports.annual_report import AnnualReport
from dtbd_desktop.rules.statistics import CRITERIA, change_percent, composition_lines, percent
from dtbd_desktop.services.feedback import criterion_label
from dtbd_desktop.services.followup import RATING_ABBREVIATIONS
from dtbd_desktop.services.plans import PlanLine
from dtbd_desktop.services.statistics import Breakdown, lecturer_kind_label
from dtbd_desktop.workbooks import xlsx as xl

PERCENT = "0.0%"
COUNT = "#,##0"


class _Sheet:
    """Writes headings, paragraphs and bordered tables down a sheet, one row after another."""

    def __init__(self, wb: Workbook, ws: Worksheet, widths: Sequence[float], doc: AnnualReport,
                 *, landscape: bool = False) -> None:
        self.wb, self.ws, self.doc = wb, ws, doc
        self.columns = len(widths)
        self.row = 1
        self.header_rows: tuple[int, int] | None = None
        xl.set_column_widths(ws, widths)
        xl.page_setup(ws, landscape=landscape)
        self.arrays: dict[str, Any] = {}  # style key -> openpyxl's StyleArray of a cell styled so
        self.styles = {
            "text": xl.cell_style(wb, "ar-text", cell_font=xl.font(xl.TABLE_SIZE)),
            "bold": xl.cell_style(wb, "ar-bold", cell_font=xl.font(xl.TABLE_SIZE, bold=True)),
            "centre": xl.cell_style(wb, "ar-centre", cell_font=xl.font(xl.TABLE_SIZE), horizontal="center"),
            "count": xl.cell_style(wb, "ar-count", cell_font=xl.font(xl.TABLE_SIZE), horizontal="right",
                                   number_format=COUNT),
            "count-bold": xl.cell_style(wb, "ar-count-b", cell_font=xl.font(xl.TABLE_SIZE, bold=True),
                                        horizontal="right", number_format=COUNT),
            "percent": xl.cell_style(wb, "ar-percent", cell_font=xl.font(xl.TABLE_SIZE), horizontal="right",
                                     number_format=PERCENT),
            "percent-bold": xl.cell_style(wb, "ar-percent-b", cell_font=xl.font(xl.TABLE_SIZE, bold=True),
                                          horizontal="right", number_format=PERCENT),
        }

    def _style(self, cell: Any, key: str) -> None:
        """The named style `key` on a cell: looked up once, then its style array copied, which
        spares openpyxl a search of the workbook's styles for every cell of a long table."""
        array = self.arrays.get(key)
        if array is None:
            cell.style = self.styles[key]
            self.arrays[key] = copy(cell._style)
        else:
            cell._style = copy(array)

    def letterhead(self) -> None:
        half = max(1, self.columns // 2)
        self.row = xl.write_letterhead(self.ws, self.doc.letterhead, row=1, left_cols=(1, half),
                                       right_cols=(half + 1, self.columns), date=self.doc.date,
                                       number=self.doc.number_line) + 1

    def title(self, value: str, *, size: float = 14) -> None:
        xl.merged_line(self.ws, self.row, 1, self.columns, value, cell_font=xl.font(size, bold=True), height=22)
        self.row += 1

    def paragraph(self, value: str, *, bold: bool = False, italic: bool = False) -> None:
        lines = max(1, len(value) // 95 + 1)
        xl.merged_line(self.ws, self.row, 1, self.columns, value, horizontal="left",
                       cell_font=xl.font(xl.BODY_SIZE, bold=bold, italic=italic), height=18 * lines)
        self.row += 1

    def table(self, headings: Sequence[str], rows: Sequence[Sequence[Any]], *, total_rows: int = 0,
              repeat: bool = False, indents: Sequence[int] | None = None) -> None:
        """A table from the current row: text, ints (counts) and Decimals (percent, printed as %)."""
        for column, heading in enumerate(headings, start=1):
            xl.header_cell(self.ws, self.row, column, heading)
        self.ws.row_dimensions[self.row].height = 32
        if repeat and self.header_rows is None:
            self.header_rows = (self.row, self.row)
            xl.print_titles(self.ws, self.row, self.row)
        self.row += 1
        for index, values in enumerate(rows):
            bold = index >= len(rows) - total_rows
            for column, value in enumerate(values, start=1):
                cell = self.ws.cell(row=self.row, column=column)
                if isinstance(value, Decimal):
                    cell.value = float(value / 100)
                    self._style(cell, "percent-bold" if bold else "percent")
                elif isinstance(value, int) and not isinstance(value, bool):
                    cell.value = value
                    self._style(cell, "count-bold" if bold else "count")
                else:
                    cell.value = text.nfc(str(value)) if value not in (None, "") else None
                    self._style(cell, "bold" if bold else "centre" if column == 1 else "text")
                    if column == 2 and indents and indents[index]:
                        cell.alignment = Alignment(horizontal="left", vertical="center", wrap_text=True,
                                                   indent=2 * indents[index])
            self.row += 1
        self.row += 1


def _blank(value: Decimal | None) -> Decimal | str:
    return "" if value is None else value


def _pct(part: int, whole: int) -> Decimal | str:
    value = percent(part, whole)
    return "" if value is None else value


def _plan_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    sheet = _Sheet(wb, ws, [6, 40, 9, 9, 10, 10, 10, 10, 9, 9], doc)
    sheet.letterhead()
    sheet.title(tr("annual_report", "BÁO CÁO"))
    sheet.title(tr("annual_report", "Kết quả công tác đào tạo, bồi dưỡng năm {year}").format(year=doc.year), size=13)
    if doc.partial:
        sheet.paragraph(tr("annual_report", "(Số liệu tính đến ngày {date})").format(
            date=text.format_date(doc.plan.as_of)), italic=True)
    sheet.paragraph(tr("annual_report", "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH"), bold=True)
    sheet.paragraph(doc.plan.summary)
    for line in [*doc.plan.subtotals, *doc.plan.lines]:
        sheet.paragraph("- " + line.sentence(doc.year) + ";")

    def row(number: Any, label: str, line: PlanLine) -> list[Any]:
        a, t = line.actual, line.target
        return [number, label, t.classes, a.classes, _pct(a.classes, t.classes), t.learners, a.learners,
                _pct(a.learners, t.learners), line.carried.classes, line.carried.learners]

    rows = [row(i, f"{ln.programme_name} ({ln.programme_code})", ln) for i, ln in enumerate(doc.plan.lines, start=1)]
    rows += [row("", ln.programme_name, ln) for ln in [*doc.plan.subtotals, doc.plan.total]]
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Chương trình"), tr("annual_report", "Lớp KH"),
                 tr("annual_report", "Lớp TH"), tr("annual_report", "% lớp"), tr("annual_report", "HV KH"),
                 tr("annual_report", "HV TH"), tr("annual_report", "% HV"), tr("annual_report", "Lớp chuyển tiếp"),
                 tr("annual_report", "HV chuyển tiếp")], rows, total_rows=len(doc.plan.subtotals) + 1, repeat=True)
    sheet.paragraph(tr("annual_report", "KH: kế hoạch; TH: thực hiện; HV: lượt học viên."), italic=True)


def _breakdown_rows(lines: Sequence[Breakdown], whole: int) -> list[list[Any]]:
    return [[i, b.label, b.classes, b.learners, _pct(b.learners, whole)] for i, b in enumerate(lines, start=1)]


def _statistics_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    st = doc.statistics
    sheet = _Sheet(wb, ws, [6, 52, 12, 14, 12], doc)
    sheet.title(tr("annual_report", "THỐNG KÊ LỚP HỌC VÀ HỌC VIÊN NĂM {year}").format(year=doc.year))
    total = ["", tr("annual_report", "Tổng cộng"), st.classes, st.learners, Decimal(100)]
    headings = [tr("annual_report", "STT"), "", tr("annual_report", "Số lớp"), tr("annual_report", "Lượt học viên"),
                tr("annual_report", "Tỷ lệ")]
    for title, lines in ((tr("annual_report", "Chương trình"), st.by_programme),
                         (tr("annual_report", "Trình độ"), st.by_programme_level),
                         (tr("annual_report", "Cấp của đơn vị cử đi học"), st.by_organisation_level),
                         (tr("annual_report", "Hình thức"), st.by_mode),
                         (tr("annual_report", "Địa điểm"), st.by_venue)):
        sheet.table([headings[0], title, *headings[2:]], [*_breakdown_rows(lines, st.learners), total], total_rows=1)
    c = st.composition
    composed = composition_lines(c, young_max_age=st.young_max_age, age_band_labels=st.age_band_labels)
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Cơ cấu học viên"), tr("annual_report", "Số lượng"),
                 tr("annual_report", "Tỷ lệ")],
                [*([i, line.label, line.count, "" if line.share is None else line.share]
                   for i, line in enumerate(composed, start=1)),
                 ["", tr("annual_report", "Tổng số lượt học viên"), c.total, ""]], total_rows=1)


def _organisation_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    st = doc.statistics
    sheet = _Sheet(wb, ws, [6, 60, 12, 14, 12], doc)
    sheet.title(tr("annual_report", "LƯỢT HỌC VIÊN THEO ĐƠN VỊ CỬ ĐI HỌC NĂM {year}").format(year=doc.year))
    sheet.paragraph(tr("annual_report", "Số của đơn vị cấp dưới được cộng vào đơn vị cấp trên (xã → huyện → tỉnh)."),
                    italic=True)
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Đơn vị"), tr("annual_report", "Số lớp"),
                 tr("annual_report", "Lượt học viên"), tr("annual_report", "Tỷ lệ")],
                _breakdown_rows(st.by_organisation, st.learners), repeat=True,
                indents=[b.depth for b in st.by_organisation])


def _results_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    st = doc.statistics
    names = st.classifications
    sheet = _Sheet(wb, ws, [6, 44, *([11] * (len(names) + 1))], doc)
    sheet.title(tr("annual_report", "KẾT QUẢ HỌC TẬP CÁC LỚP KẾT THÚC NĂM {year}").format(year=doc.year))
    total = st.results_total
    rows: list[list[Any]] = [[i, f"{ln.programme_name} ({ln.programme_code})", *(ln.count(n) for n in names),
                              ln.reviewed] for i, ln in enumerate(st.results, start=1)]
    rows.append(["", total.programme_name, *(total.count(n) for n in names), total.reviewed])
    rows.append(["", tr("annual_report", "Tỷ lệ"), *(_pct(total.count(n), total.reviewed) for n in names),
                 Decimal(100) if total.reviewed else ""])
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Chương trình"), *names, tr("annual_report", "Cộng")],
                rows, total_rows=2)


def _comparison_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    cmp = doc.comparison
    sheet = _Sheet(wb, ws, [6, 44, 10, 12, 10, 12, 14], doc)
    sheet.title(tr("annual_report", "SO SÁNH NĂM {year} VỚI NĂM {prev}").format(year=cmp.year, prev=cmp.previous_year))

    def change(old: int, new: int) -> Decimal | str:
        value = change_percent(old, new)
        return "" if value is None else value

    rows: list[list[Any]] = [[i, ln.label, ln.previous.classes, ln.previous.learners, ln.current.classes,
                              ln.current.learners, change(ln.previous.learners, ln.current.learners)]
                             for i, ln in enumerate(cmp.lines, start=1)]
    t = cmp.total
    rows.append(["", t.label, t.previous.classes, t.previous.learners, t.current.classes, t.current.learners,
                 change(t.previous.learners, t.current.learners)])
    p, y = cmp.previous_year, cmp.year
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Chương trình"), tr("annual_report", "Lớp {y}").format(y=p),
                 tr("annual_report", "HV {y}").format(y=p), tr("annual_report", "Lớp {y}").format(y=y),
                 tr("annual_report", "HV {y}").format(y=y), tr("annual_report", "Tăng, giảm HV")], rows, total_rows=1)
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Tỷ lệ"), str(p), str(y)],
                [[i, label, _pct(a, aw), _pct(b, bw)] for i, (label, a, aw, b, bw) in enumerate(cmp.shares, start=1)])


def _lecturer_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    lp = doc.lecturers
    codes = [code for code, _n in lp.programmes]
    sheet = _Sheet(wb, ws, [6, 30, 14, *([8] * len(codes)), 10, 10, 10], doc, landscape=True)
    sheet.title(tr("annual_report", "SỐ TIẾT GIẢNG NĂM {year} THEO GIẢNG VIÊN").format(year=doc.year))
    rows: list[list[Any]] = [[i, lec.display_name, lecturer_kind_label(lec.kind),
                              *(lec.programme_periods(c) or "" for c in codes), lec.lesson_periods + lec.exam_periods,
                              lec.field_trip_periods, lec.periods] for i, lec in enumerate(lp.lecturers, start=1)]
    rows.append(["", tr("annual_report", "Tổng cộng"), "", *(sum(lec.programme_periods(c) for lec in lp.lecturers)
                                                              for c in codes),
                 sum(lec.lesson_periods + lec.exam_periods for lec in lp.lecturers),
                 sum(lec.field_trip_periods for lec in lp.lecturers), lp.periods])
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Giảng viên"), tr("annual_report", "Loại"), *codes,
                 tr("annual_report", "Tiết giảng"), tr("annual_report", "Tiết thực tế"),
                 tr("annual_report", "Tổng số tiết")], rows, total_rows=1, repeat=True)
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Loại giảng viên"), tr("annual_report", "Số tiết")],
                [[i, lecturer_kind_label(k), v] for i, (k, v) in enumerate(lp.by_kind.items(), start=1)])


def _feedback_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    sat = doc.satisfaction
    sheet = _Sheet(wb, ws, [6, 40, 10, *([11] * len(CRITERIA)), 11, 10], doc, landscape=True)
    sheet.title(tr("annual_report", "TỶ LỆ HỌC VIÊN HÀI LÒNG VÀ RẤT HÀI LÒNG NĂM {year}").format(year=doc.year))
    sheet.paragraph(tr("annual_report", "Tỷ lệ đánh giá mức 4, 5 trên thang 1–5; cột cuối là điểm trung bình."),
                    italic=True)
    headings = [tr("annual_report", "STT"), "", tr("annual_report", "Số phiếu"), *(criterion_label(c) for c in CRITERIA),
                tr("annual_report", "Chung"), tr("annual_report", "Điểm TB")]

    def line_row(number: Any, line: Any) -> list[Any]:
        average = line.average()
        return [number, line.label, line.forms, *(_blank(line.share(c)) for c in CRITERIA), _blank(line.share()),
                float(round(average, 2)) if average is not None else ""]

    for title, lines in ((tr("annual_report", "Chương trình"), sat.by_programme),
                         (tr("annual_report", "Giảng viên"), sat.by_lecturer)):
        rows = [line_row(i, ln) for i, ln in enumerate(lines, start=1)]
        rows.append(line_row("", sat.total))
        sheet.table([headings[0], title, *headings[2:]], rows, total_rows=1)


def _followup_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    sheet = _Sheet(wb, ws, [6, 40, 9, 11, 11, 11, 11, 11, 11, 11, 11, 11], doc, landscape=True)
    sheet.title(tr("annual_report", "ĐÁNH GIÁ HỌC VIÊN SAU ĐÀO TẠO NĂM {year}").format(year=doc.year))
    rows = [[i if ln.cohort else "", f"{ln.programme_name} – {ln.cohort}" if ln.cohort else ln.programme_name,
             ln.graduates, ln.followed, *ln.ratings, ln.planned, ln.rotated, ln.promoted, ln.higher_duties]
            for i, ln in enumerate([*doc.followup, doc.followup_total], start=1)]
    sheet.table([tr("annual_report", "STT"), tr("annual_report", "Chương trình – khóa tốt nghiệp"),
                 tr("annual_report", "Tốt nghiệp"), tr("annual_report", "Đã đánh giá"), *RATING_ABBREVIATIONS,
                 tr("annual_report", "Quy hoạch"), tr("annual_report", "Luân chuyển"), tr("annual_report", "Bổ nhiệm"),
                 tr("annual_report", "NV cao hơn")], rows, total_rows=1)


def _texts_sheet(wb: Workbook, ws: Worksheet, doc: AnnualReport) -> None:
    """VIII and IX (the office's words), then "Nơi nhận" and the signature: the report's end."""
    sheet = _Sheet(wb, ws, [6, 40, 9, 9, 10, 10, 10, 10, 9, 9], doc)
    if doc.texts is not None:
        sheet.paragraph(tr("annual_report", "VIII. ĐÁNH GIÁ CHUNG"), bold=True)
        for line in doc.texts.paragraphs("assessment"):
            sheet.paragraph(line)
        sheet.paragraph(tr("annual_report", "IX. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {year}").format(year=doc.year + 1),
                        bold=True)
        for line in doc.texts.paragraphs("next_year"):
            sheet.paragraph(line)
    start = sheet.row + 1
    xl.write_recipients(ws, doc.letterhead, list(doc.recipients), row=start, cols=(1, 2))
    signer = doc.signer
    lines = [line for line in signer.title.split("\n") if line]
    for offset, line in enumerate(lines):
        xl.merged_line(ws, start + offset, 4, sheet.columns, line, cell_font=xl.font(14, bold=True))
    if signer.name:
        xl.merged_line(ws, start + len(lines) + 4, 4, sheet.columns, signer.name, cell_font=xl.font(14, bold=True))


def render_xlsx(doc: AnnualReport, path: str | os.PathLike[str]) -> int:
    """Write the workbook; returns the number of sheets."""
    wb, ws = xl.new_workbook(tr("annual_report", "Kế hoạch"))
    _plan_sheet(wb, ws, doc)
    for title, fill in ((tr("annual_report", "Thống kê"), _statistics_sheet),
                        (tr("annual_report", "Đơn vị"), _organisation_sheet),
                        (tr("annual_report", "Kết quả"), _results_sheet),
                        (tr("annual_report", "So sánh"), _comparison_sheet),
                        (tr("annual_report", "Giảng viên"), _lecturer_sheet),
                        (tr("annual_report", "Phản hồi"), _feedback_sheet),
                        (tr("annual_report", "Sau đào tạo"), _followup_sheet),
                        (tr("annual_report", "Đánh giá, phương hướng"), _texts_sheet)):
        fill(wb, wb.create_sheet(title), doc)
    xl.set_document_properties(wb, title=doc.title, author=doc.letterhead.centre_name)
    with atomic_output(path) as temp:
        xl.save_workbook(wb, temp)
    return len(wb.sheetnames)
