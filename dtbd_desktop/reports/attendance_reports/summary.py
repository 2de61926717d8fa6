"""The class's attendance summary (tổng hợp chuyên cần), A4 landscape, as PDF or XLSX: per learner
the periods absent with and without leave, the sessions late, total and share, make-up periods
and the conclusion (modules barred, or the certificate); the rule applied is printed above the
table and the explanations below it. The workbook has a second sheet by module.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.platypus import Flowable, KeepTogether, LongTable, Spacer, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports.attendance_reports.common import (
    ABSENT_FROM_CLASS,
    SMALL_SIZE,
    TABLE_SIZE,
    TITLE_SIZE,
    cell,
    class_title,
    conclusion,
    name_grid_commands,
    rule_text,
    share_text,
)
from dtbd_desktop.services.attendance import AttendanceGrid, load_grid
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

# ---------------------------------------------------------------------------------- summary


def _header_block(grid: AttendanceGrid, head: Letterhead, width: float, title: str, on: dt.date) -> list[Flowable]:
    info = pdf.style("sum-info", italic=True, align=TA_CENTER)
    return [
        pdf.letterhead(head, width),
        pdf.para(title, pdf.style("sum-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=10)),
        pdf.para(class_title(grid), pdf.style("sum-class", bold=True, align=TA_CENTER)),
        pdf.para(tr("reports", "Số liệu điểm danh tính đến ngày {date}").format(date=text.format_date(on)), info),
    ]


def _summary_headings(scope: str) -> list[str]:
    return [tr("reports", "STT"), tr("reports", "Họ và tên"), "", tr("reports", "Đơn vị"),
            tr("reports", "Vắng có phép (tiết)"), tr("reports", "Vắng không phép (tiết)"),
            tr("reports", "Đi muộn (buổi)"), tr("reports", "Tổng vắng (tiết)"), tr("reports", "Tỷ lệ vắng"),
            tr("reports", "Học bổ sung (tiết)"), tr("reports", "Kết luận")]


def render_summary_pdf(grid: AttendanceGrid, head: Letterhead, path: str | os.PathLike[str], on: dt.date) -> int:
    width = pdf.content_width(True)
    title = tr("reports", "TỔNG HỢP CHUYÊN CẦN CỦA HỌC VIÊN")
    document = pdf.new_document(path, title=tr("reports", "Tổng hợp chuyên cần lớp {code}").format(code=grid.class_code),
                                author=head.centre_name, landscape_orientation=True)
    story = _header_block(grid, head, width, title, on)
    story.append(pdf.para(rule_text(grid), pdf.style("sum-rule", size=TABLE_SIZE, align=TA_JUSTIFY,
                                                      space_before=4, space_after=6)))
    widths = [30.0, 112.0, 46.0, 0.0, 52.0, 58.0, 46.0, 50.0, 46.0, 54.0, 130.0]
    widths[3] = width - sum(widths)
    head_style = pdf.style("sum-head", size=SMALL_SIZE, bold=True, align=TA_CENTER)
    wrap = pdf.style("sum-cell", size=SMALL_SIZE, align=TA_LEFT)
    data: list[list[Any]] = [[pdf.para(h, head_style) if h else "" for h in _summary_headings(grid.rules.scope)]]
    details: list[str] = []
    summaries = grid.summaries()
    for number, la in enumerate(summaries, start=1):
        learner = grid.learners[grid.learner_row[la.enrolment_id]]
        data.append([
            str(number), cell(learner.family_middle, widths[1], wrap, SMALL_SIZE),
            cell(learner.given_name, widths[2], wrap, SMALL_SIZE),
            cell(learner.organisation_short or learner.organisation or "", widths[3], wrap, SMALL_SIZE),
            str(la.excused_periods or ""), str(la.unexcused_periods or ""), str(la.late_sessions or ""),
            str(la.absent_periods or ""), share_text(la.absent_share) if la.absent_periods else "",
            str(la.made_up_periods or ""), cell(conclusion(grid, la), widths[10], wrap, SMALL_SIZE),
        ])
        for explanation in la.explanations:
            details.append(f"{la.full_name}: {explanation}.")
    commands = name_grid_commands(SMALL_SIZE) + [("ALIGN", (4, 1), (9, -1), "CENTER")]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    story.append(table)
    barred = sum(1 for la in summaries if not la.certificate_eligible and la.enrolment_status not in ABSENT_FROM_CLASS)
    story.append(pdf.para(tr("reports", "Lớp có {n} học viên; {barred} học viên chưa đủ điều kiện về chuyên cần.").format(
        n=len(summaries), barred=barred), pdf.style("sum-count", size=TABLE_SIZE, space_before=6)))
    lines: list[Flowable] = []
    if details:
        detail_style = pdf.style("sum-detail", size=SMALL_SIZE, align=TA_LEFT)
        lines = [pdf.para(f"- {line}", detail_style) for line in details]
        heading = pdf.para(tr("reports", "Chi tiết:"), pdf.style("sum-detail-h", size=TABLE_SIZE, bold=True,
                                                                  space_before=4))
        story.append(KeepTogether([heading, *lines[:2]]))  # never a heading alone at the foot of a page
        lines = lines[2:]
    signers = [pdf.Signer(tr("reports", "Người lập biểu")), official.official_signer(head)]
    story.extend(lines[:-3])
    # The signatures never stand alone on a page: the last lines go over with them.
    story.append(KeepTogether([*lines[-3:], Spacer(1, 8), pdf.signature_block(
        signers, width, place_date=text.long_date(head.place_name, on))]))
    return pdf.build(document, story)


_SUMMARY_XLSX_WIDTHS: Sequence[float] = (5.5, 20, 8, 34, 10, 10, 9, 9, 9, 10, 22, 60)


def render_summary_xlsx(grid: AttendanceGrid, head: Letterhead, path: str | os.PathLike[str], on: dt.date) -> int:
    wb, ws = xl.new_workbook(tr("reports", "Chuyên cần {code}").format(code=grid.class_code))
    xl.set_document_properties(wb, title=tr("reports", "Tổng hợp chuyên cần lớp {code}").format(code=grid.class_code),
                               author=head.centre_name)
    last = len(_SUMMARY_XLSX_WIDTHS)
    xl.set_column_widths(ws, _SUMMARY_XLSX_WIDTHS)
    row = xl.write_letterhead(ws, head, row=1, left_cols=(1, 4), right_cols=(6, last))
    row += 1
    xl.merged_line(ws, row, 1, last, tr("reports", "TỔNG HỢP CHUYÊN CẦN CỦA HỌC VIÊN"),
                   cell_font=xl.font(TITLE_SIZE, bold=True), height=22)
    xl.merged_line(ws, row + 1, 1, last, class_title(grid), cell_font=xl.font(xl.BODY_SIZE, bold=True))
    xl.merged_line(ws, row + 2, 1, last, tr("reports", "Số liệu điểm danh tính đến ngày {date}").format(
        date=text.format_date(on)), cell_font=xl.font(xl.BODY_SIZE, italic=True))
    xl.merged_line(ws, row + 3, 1, last, rule_text(grid), cell_font=xl.font(xl.TABLE_SIZE), horizontal="left",
                   height=32)
    row += 5
    headings = [*_summary_headings(grid.rules.scope), tr("reports", "Ghi chú")]
    header_row = row
    xl.header_cell(ws, row, 1, headings[0])
    xl.header_cell(ws, row, 2, headings[1], last_col=3)
    for column in range(4, last + 1):
        xl.header_cell(ws, row, column, headings[column - 1])
    ws.row_dimensions[row].height = 45
    row += 1
    body = xl.font(xl.TABLE_SIZE)
    left, centre = xl.align("left", "center"), xl.align("center", "center")
    for number, la in enumerate(grid.summaries(), start=1):
        learner = grid.learners[grid.learner_row[la.enrolment_id]]
        values: list[Any] = [number, learner.family_middle, learner.given_name, learner.organisation,
                             la.excused_periods, la.unexcused_periods, la.late_sessions, la.absent_periods,
                             round(la.absent_share, 4), la.made_up_periods, conclusion(grid, la),
                             "; ".join(la.explanations) or None]
        for column, value in enumerate(values, start=1):
            c = ws.cell(row=row, column=column, value=value)
            c.font = body
            c.alignment = centre if column in (1, 5, 6, 7, 8, 9, 10) else left
            c.border = xl.THIN_BORDER
            if column == 9:
                c.number_format = "0.0%"
        row += 1
    rows = len(grid.learners)
    _module_sheet(wb, grid)
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, header_row, header_row)
    xl.freeze_below(ws, header_row)
    xl.save_workbook(wb, path)
    return rows


def _module_sheet(wb: Any, grid: AttendanceGrid) -> None:
    """A second sheet: absent periods per learner and module, the modules over the limit marked."""
    ws = wb.create_sheet(tr("reports", "Theo học phần"))
    modules = [m for m in grid.modules if m.periods > 0]
    xl.set_column_widths(ws, [5.5, 28, *([8.5] * len(modules))])
    xl.header_cell(ws, 1, 1, tr("reports", "STT"), last_row=2)
    xl.header_cell(ws, 1, 2, tr("reports", "Họ và tên"), last_row=2)
    for index, m in enumerate(modules, start=3):
        xl.header_cell(ws, 1, index, m.code)
        xl.header_cell(ws, 2, index, tr("reports", "{n} tiết").format(n=m.periods))
    over = xl.font(xl.TABLE_SIZE, bold=True)
    body = xl.font(xl.TABLE_SIZE)
    for number, la in enumerate(grid.summaries(), start=1):
        row = number + 2
        ws.cell(row=row, column=1, value=number).border = xl.THIN_BORDER
        ws.cell(row=row, column=2, value=la.full_name).border = xl.THIN_BORDER
        by_module = {m.module_id: m for m in la.modules}
        for index, m in enumerate(modules, start=3):
            absence = by_module.get(m.id)
            c = ws.cell(row=row, column=index, value=absence.absent_periods if absence and absence.absent_periods else None)
            c.border = xl.THIN_BORDER
            c.alignment = xl.align("center", "center")
            c.font = over if absence and absence.over_limit else body
    xl.freeze_below(ws, 2, 3)
    xl.page_setup(ws, landscape=True)


def export_summary(session: Session, class_code: str, path: str | os.PathLike[str], *,
                   on: dt.date | None = None) -> tuple[str, int]:
    """The class's attendance summary as .pdf or .xlsx (by the file's extension).
    Returns ("pages", n) or ("rows", n)."""
    suffix = os.fspath(path).lower().rsplit(".", 1)[-1]
    if suffix not in ("pdf", "xlsx"):
        raise InputError(tr("reports", "Tệp kết quả phải có đuôi .pdf hoặc .xlsx."))
    on = on or dt.date.today()
    cls = get_class(session, class_code)
    grid = load_grid(session, cls, today=on)
    head = load_letterhead(session)
    with atomic_output(path) as temp:
        if suffix == "pdf":
            return "pages", render_summary_pdf(grid, head, temp, on)
        return "rows", render_summary_xlsx(grid, head, temp, on)
