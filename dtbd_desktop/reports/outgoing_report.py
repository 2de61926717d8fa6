"""The book of outgoing documents (sổ đăng ký văn bản đi) of a year, as PDF and XLSX.

A4 landscape, the header repeated on every page, one part per kind of document (Quyết định,
Công văn, Báo cáo...) with its own page numbers; columns after the State's model book (Nghị định
30/2020/NĐ-CP, Phụ lục IV): số và ký hiệu, ngày tháng, tên loại và trích yếu, người ký, nơi
nhận, ghi chú (a number typed by the office, a voided number and why). Numbers missing from the
book before its highest (given outside the program and not entered) are listed under each part.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports.tables import write_pdf_or_xlsx
from dtbd_desktop.rules.documents import kind_label
from dtbd_desktop.services.outgoing import BookEntry, gaps, list_book
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

TABLE_SIZE = 10.5
_PAD = 2.5


def headings() -> list[str]:
    return [tr("outgoing", "Số, ký hiệu"), tr("outgoing", "Ngày tháng"),
            tr("outgoing", "Tên loại và trích yếu nội dung"), tr("outgoing", "Người ký"), tr("outgoing", "Nơi nhận"),
            tr("outgoing", "Ghi chú")]


def note(entry: BookEntry) -> str:
    parts = []
    if entry.typed:
        parts.append(tr("outgoing", "Số cấp ngoài chương trình"))
    if entry.status == "void":
        parts.append(tr("outgoing", "Đã hủy: {reason}").format(reason=entry.void_reason))
    return "; ".join(parts)


def row(entry: BookEntry) -> list[str]:
    return [entry.symbol, text.format_date(entry.issued_on),
            f"{kind_label(entry.kind)} {entry.subject[:1].lower()}{entry.subject[1:]}",
            entry.signer, "; ".join(line for line in entry.recipients.splitlines() if line.strip()), note(entry)]


def gap_line(kind: str, missing: Sequence[int]) -> str:
    """"Số chưa vào sổ: 05, 06–09 (đã cấp ngoài chương trình?)"."""
    runs: list[str] = []
    start = previous = missing[0]
    for n in [*missing[1:], None]:
        if n is not None and n == previous + 1:
            previous = n
            continue
        runs.append(f"{start:02d}" if start == previous else f"{start:02d}–{previous:02d}")
        if n is not None:
            start = previous = n
    return tr("outgoing", "Số {kind} chưa có trong sổ: {numbers}. Vào sổ các văn bản đã cấp số ngoài chương trình "
                          "để sổ đủ số.").format(kind=kind, numbers=", ".join(runs))


def _parts(entries: Sequence[BookEntry]) -> list[tuple[str, list[BookEntry]]]:
    parts: dict[str, list[BookEntry]] = {}
    for entry in entries:
        parts.setdefault(entry.kind, []).append(entry)
    return list(parts.items())


# ---------------------------------------------------------------------------------- PDF

_WIDTHS = (82.0, 58.0, 0.0, 100.0, 150.0, 110.0)


def _table(entries: Sequence[BookEntry], width: float) -> pdf.PagedTable:
    widths = list(_WIDTHS)
    widths[2] = width - sum(widths)
    head_style = pdf.style("ob-head", size=TABLE_SIZE, bold=True, align=TA_CENTER)
    cell_style = pdf.style("ob-cell", size=TABLE_SIZE, align=TA_LEFT, leading=TABLE_SIZE * 1.2)
    data: list[list[object]] = [[pdf.para(h, head_style) for h in headings()]]
    for entry in entries:
        data.append([pdf.para(value, cell_style) if value else "" for value in row(entry)])
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD), ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3), ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("BOX", (0, 0), (-1, -1), 0.8, "black"),
    ]
    return pdf.PagedTable(data, widths, commands, header_rows=1)


def render_book_pdf(entries: Sequence[BookEntry], head: Letterhead, year: int, on: dt.date,
                    path: str | os.PathLike[str]) -> int:
    width = pdf.content_width(True)
    document = pdf.new_document(path, title=tr("outgoing", "Sổ đăng ký văn bản đi năm {year}").format(year=year),
                                author=head.centre_name, landscape_orientation=True)
    missing = gaps(list(entries))
    story: list[Flowable] = []
    info = pdf.style("ob-info", italic=True, align=TA_CENTER, space_after=6)
    gap_style = pdf.style("ob-gap", size=11, italic=True, space_before=4)
    for index, (kind, part) in enumerate(_parts(entries)):
        if index:
            story.append(PageBreak())
        story += [official.PartStart(), pdf.letterhead(head, width, date=on), Spacer(1, 8),
                  official.title(tr("outgoing", "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}").format(year=year), size=14),
                  pdf.para(tr("outgoing", "{kind} ({abbr}): {n} văn bản").format(
                      kind=kind_label(kind), abbr=kind, n=len(part)), info), _table(part, width)]
        if kind in missing:
            story.append(pdf.para(gap_line(kind, missing[kind]), gap_style))
    return pdf.build(document, story, canvasmaker=official.PartCanvas)


# ---------------------------------------------------------------------------------- XLSX

_XLSX_WIDTHS = (16.0, 12.0, 60.0, 22.0, 36.0, 30.0)


def render_book_xlsx(entries: Sequence[BookEntry], head: Letterhead, year: int, on: dt.date,
                     path: str | os.PathLike[str]) -> int:
    wb, ws = xl.new_workbook(tr("outgoing", "Sổ văn bản đi {year}").format(year=year))
    xl.set_document_properties(wb, title=tr("outgoing", "Sổ đăng ký văn bản đi năm {year}").format(year=year),
                               author=head.centre_name)
    last = len(_XLSX_WIDTHS)
    xl.set_column_widths(ws, _XLSX_WIDTHS)
    r = xl.write_letterhead(ws, head, row=1, left_cols=(1, 3), right_cols=(4, last), date=on) + 1
    xl.merged_line(ws, r, 1, last, tr("outgoing", "SỔ ĐĂNG KÝ VĂN BẢN ĐI NĂM {year}").format(year=year),
                   cell_font=xl.font(14, bold=True), height=22)
    r += 2
    header = r
    for column, value in enumerate(headings(), start=1):
        xl.header_cell(ws, r, column, value)
    ws.row_dimensions[r].height = 30
    r += 1
    left = xl.cell_style(wb, "DTBD sổ đi trái")
    centre = xl.cell_style(wb, "DTBD sổ đi giữa", horizontal="center")
    date_style = xl.cell_style(wb, "DTBD sổ đi ngày", horizontal="center", number_format=xl.DATE_FORMAT)
    for entry in entries:
        values = row(entry)
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=column, value=entry.issued_on if column == 2 else (value or None))
            cell.style = date_style if column == 2 else centre if column == 1 else left
        r += 1
    missing = gaps(list(entries))
    r += 1
    for kind, numbers in missing.items():
        xl.merged_line(ws, r, 1, last, gap_line(kind, numbers), cell_font=xl.font(11, italic=True), horizontal="left")
        r += 1
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, header, header)
    xl.freeze_below(ws, header)
    xl.save_workbook(wb, path)
    return len(entries)


def export_book(session: Session, year: int, path: str | os.PathLike[str], *, kind: str | None = None,
                on: dt.date | None = None) -> int:
    """The book of `year` (one kind or all) to PDF (pages) or XLSX (lines)."""
    entries = list_book(session, year, kind)
    if not entries:
        raise InputError(tr("outgoing", "Sổ văn bản đi năm {year} chưa có văn bản nào{kind}.").format(
            year=year, kind=tr("outgoing", " loại {kind}").format(kind=kind) if kind else ""))
    head = load_letterhead(session)
    when = on or dt.date.today()
    return write_pdf_or_xlsx(path, lambda p: render_book_pdf(entries, head, year, when, p),
                             lambda p: render_book_xlsx(entries, head, year, when, p))


__all__ = ["export_book", "gap_line", "headings", "render_book_pdf", "render_book_xlsx", "row"]
