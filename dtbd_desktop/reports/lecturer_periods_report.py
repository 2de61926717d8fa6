"""The lecturers' periods of a year as a workbook for payment (bảng tổng hợp số tiết giảng).

Sheet "Tổng hợp": the letterhead, the period covered, then the lecturers grouped by kind
(chuyên trách, kiêm chức, thỉnh giảng), each group with its subtotal: STT | Họ và tên | Học
hàm, học vị | Đơn vị công tác | Số buổi | Tiết giảng | Tiết thực tế | Tiết thi | Tổng số tiết |
Ký nhận; the total; the signatures (người lập biểu, kế toán, the head of the centre).
Sheet "Chi tiết": one line per lecturer and class, for checking against the timetables.
Counts are numbers, so the accountant can multiply by the rates in Excel.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.services.statistics import (
    KIND_ORDER,
    LecturerPeriods,
    LecturerPeriodsReport,
    lecturer_kind_label,
)
from dtbd_desktop.workbooks import xlsx as xl

COUNT = "#,##0"
ROMAN = ("I", "II", "III", "IV", "V")


def _values(lec: LecturerPeriods) -> list[int]:
    return [lec.sessions, lec.lesson_periods, lec.field_trip_periods, lec.exam_periods, lec.periods]


def render_lecturer_periods_xlsx(report: LecturerPeriodsReport, head: Letterhead, path: str | os.PathLike[str], *,
                                 on: dt.date | None = None) -> int:
    """Write the payment workbook; returns the number of lecturers."""
    wb, ws = xl.new_workbook(tr("lecturer_periods", "Tổng hợp"))
    widths = [6, 28, 12, 30, 9, 10, 10, 9, 11, 14]
    columns = len(widths)
    xl.set_column_widths(ws, widths)
    xl.page_setup(ws, landscape=True)
    row = xl.write_letterhead(ws, head, row=1, left_cols=(1, 4), right_cols=(5, columns), date=on or dt.date.today())
    row += 1
    xl.merged_line(ws, row, 1, columns, tr("lecturer_periods", "BẢNG TỔNG HỢP SỐ TIẾT GIẢNG NĂM {year}").format(
        year=report.year), cell_font=xl.font(14, bold=True), height=22)
    row += 1
    last = min(report.as_of, dt.date(report.year, 12, 31))
    xl.merged_line(ws, row, 1, columns, tr("lecturer_periods", "(Từ ngày 01/01/{year} đến ngày {end}, theo thời khóa "
                                                               "biểu các lớp)").format(year=report.year,
                                                                                     end=text.format_date(last)),
                   cell_font=xl.font(12, italic=True))
    row += 2
    headings = [tr("lecturer_periods", "STT"), tr("lecturer_periods", "Họ và tên"),
                tr("lecturer_periods", "Học hàm, học vị"), tr("lecturer_periods", "Đơn vị công tác"),
                tr("lecturer_periods", "Số buổi"), tr("lecturer_periods", "Tiết giảng"),
                tr("lecturer_periods", "Tiết thực tế"), tr("lecturer_periods", "Tiết thi"),
                tr("lecturer_periods", "Tổng số tiết"), tr("lecturer_periods", "Ký nhận")]
    for column, heading in enumerate(headings, start=1):
        xl.header_cell(ws, row, column, heading)
    ws.row_dimensions[row].height = 32
    xl.print_titles(ws, row, row)
    xl.freeze_below(ws, row)
    row += 1
    plain = xl.cell_style(wb, "lp-text", cell_font=xl.font(xl.TABLE_SIZE))
    bold = xl.cell_style(wb, "lp-bold", cell_font=xl.font(xl.TABLE_SIZE, bold=True))
    centre = xl.cell_style(wb, "lp-centre", cell_font=xl.font(xl.TABLE_SIZE), horizontal="center")
    count = xl.cell_style(wb, "lp-count", cell_font=xl.font(xl.TABLE_SIZE), horizontal="right", number_format=COUNT)
    count_bold = xl.cell_style(wb, "lp-count-b", cell_font=xl.font(xl.TABLE_SIZE, bold=True), horizontal="right",
                               number_format=COUNT)

    def line(values: list[Any], *, strong: bool = False) -> None:
        nonlocal row
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=column, value=value if value != "" else None)
            if isinstance(value, int) and column > 4:
                cell.style = count_bold if strong else count
            else:
                cell.style = bold if strong else centre if column == 1 else plain
        row += 1

    kinds = [k for k in KIND_ORDER if any(lec.kind == k for lec in report.lecturers)]
    kinds += sorted({lec.kind for lec in report.lecturers} - set(kinds))
    totals = [0] * 5
    for index, kind in enumerate(kinds):
        group = [lec for lec in report.lecturers if lec.kind == kind]
        line([ROMAN[index] if index < len(ROMAN) else str(index + 1),
              tr("lecturer_periods", "Giảng viên {kind}").format(kind=lecturer_kind_label(kind).lower()),
              "", "", "", "", "", "", "", ""], strong=True)
        subtotal = [0] * 5
        for number, lec in enumerate(group, start=1):
            values = _values(lec)
            subtotal = [a + b for a, b in zip(subtotal, values, strict=True)]
            line([number, lec.full_name, lec.title or "", lec.workplace or lec.department or "", *values, ""])
        line(["", tr("lecturer_periods", "Cộng"), "", "", *subtotal, ""], strong=True)
        totals = [a + b for a, b in zip(totals, subtotal, strict=True)]
    line(["", tr("lecturer_periods", "TỔNG CỘNG"), "", "", *totals, ""], strong=True)
    row += 1
    signers = [(1, 3, tr("lecturer_periods", "NGƯỜI LẬP BIỂU"), ""), (4, 6, tr("lecturer_periods", "KẾ TOÁN"), ""),
               (7, columns, (head.director_title or "").upper(), head.director_name)]
    for first, last_col, title, name in signers:
        xl.merged_line(ws, row, first, last_col, title, cell_font=xl.font(xl.BODY_SIZE, bold=True))
        if name:
            xl.merged_line(ws, row + 5, first, last_col, name, cell_font=xl.font(xl.BODY_SIZE, bold=True))

    detail = wb.create_sheet(tr("lecturer_periods", "Chi tiết"))
    xl.set_column_widths(detail, [6, 28, 14, 14, 10, 9, 10, 10, 9, 11])
    xl.page_setup(detail, landscape=True)
    xl.merged_line(detail, 1, 1, 10, tr("lecturer_periods", "CHI TIẾT SỐ TIẾT GIẢNG NĂM {year} THEO LỚP").format(
        year=report.year), cell_font=xl.font(14, bold=True), height=22)
    detail_headings = [tr("lecturer_periods", "STT"), tr("lecturer_periods", "Giảng viên"),
                       tr("lecturer_periods", "Loại"), tr("lecturer_periods", "Lớp"),
                       tr("lecturer_periods", "Chương trình"), tr("lecturer_periods", "Số buổi"),
                       tr("lecturer_periods", "Tiết giảng"), tr("lecturer_periods", "Tiết thực tế"),
                       tr("lecturer_periods", "Tiết thi"), tr("lecturer_periods", "Tổng số tiết")]
    for column, heading in enumerate(detail_headings, start=1):
        xl.header_cell(detail, 3, column, heading)
    xl.print_titles(detail, 3, 3)
    xl.freeze_below(detail, 3)
    r = 4
    number = 0
    for lec in report.lecturers:
        for c in lec.classes:
            number += 1
            cells: list[Any] = [number, lec.display_name, lecturer_kind_label(lec.kind), c.class_code,
                                 c.programme_code, c.sessions, c.lesson_periods, c.field_trip_periods, c.exam_periods,
                                 c.periods]
            for column, value in enumerate(cells, start=1):
                cell = detail.cell(row=r, column=column, value=value)
                cell.style = count if column > 5 else centre if column == 1 else plain
            r += 1
    xl.set_document_properties(wb, title=tr("lecturer_periods", "Số tiết giảng năm {year}").format(year=report.year),
                               author=head.centre_name)
    with atomic_output(path) as temp:
        xl.save_workbook(wb, temp)
    return len(report.lecturers)
