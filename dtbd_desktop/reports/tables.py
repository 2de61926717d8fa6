"""Documents made of a heading, one table and a foot, drawn alike as PDF and as XLSX.

A `TableDoc` holds the letterhead, the title and the lines under it, the columns (with an
optional heading over several of them, and "họ đệm | tên" as two columns under one heading),
the rows as text, the summary, the legend, the rules applied and the signers.
`render_table_pdf` draws it on A4 (portrait or landscape) with the header repeated on every
page; `render_table_xlsx` on a worksheet ready to print, numbers kept as numbers.
`write_pdf_or_xlsx` chooses by the file's suffix and writes atomically.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.platypus import Flowable, KeepTogether, LongTable, Paragraph, Spacer, TableStyle

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.workbooks import xlsx as xl

TITLE_SIZE = 14.0
TABLE_SIZE = 11.0
SMALL_SIZE = 10.0
_PAD = 3.0


# ----------------------------------------------------------------------------- the table, for PDF and XLSX


@dataclass(frozen=True)
class Column:
    title: str
    width_pt: float  # PDF width; 0 = takes what the others leave
    width_xl: float  # Excel width in characters
    align: str = "left"  # left | center
    group: str | None = None  # a heading spanning several columns above this one


@dataclass(frozen=True)
class TableDoc:
    """A document made of a heading, one table and a foot: what every result list shares."""

    head: Letterhead
    title: str
    subtitle_lines: list[str]  # bold first line, then italics
    columns: list[Column]
    rows: list[list[str]]
    summary: list[str]
    rules_heading: str
    rules_lines: list[str]
    legend: list[str]
    landscape: bool
    on: dt.date
    signers: list[pdf.Signer]
    doc_title: str
    split_name: bool = False  # columns 1 and 2 are họ đệm | tên, with no rule between them
    reference: str | None = None  # "(Kèm theo Quyết định số ...)", in italics under the title


# ----------------------------------------------------------------------------- PDF rendering


def pdf_table(doc: TableDoc, width: float, size: float = TABLE_SIZE, *, compact: bool = False) -> LongTable:
    """The table of `doc` as a flowable `width` points wide, its header repeated on every page."""
    fixed = sum(c.width_pt for c in doc.columns)
    flexible = [i for i, c in enumerate(doc.columns) if c.width_pt == 0]
    rest = max(width - fixed, 40.0) / max(len(flexible), 1)
    widths = [c.width_pt or rest for c in doc.columns]
    leading = size * (1.08 if compact else 1.15)
    head_style = pdf.style("gr-head", size=size, bold=True, align=TA_CENTER, leading=leading)
    left = pdf.style("gr-cell", size=size, align=TA_LEFT, leading=leading)
    centre = pdf.style("gr-cell-c", size=size, align=TA_CENTER, leading=leading)
    groups = [c.group for c in doc.columns]
    two_rows = any(groups)
    header: list[list[Any]] = []
    spans: list[tuple[tuple[int, int], tuple[int, int]]] = []
    if two_rows:
        top: list[Any] = []
        bottom: list[Any] = []
        i = 0
        while i < len(doc.columns):
            group = groups[i]
            if group:
                j = i
                while j + 1 < len(groups) and groups[j + 1] == group:
                    j += 1
                top.extend([pdf.para(group, head_style)] + [""] * (j - i))
                bottom.extend(pdf.para(c.title, head_style) for c in doc.columns[i:j + 1])
                if j > i:
                    spans.append(((i, 0), (j, 0)))
                i = j + 1
            else:
                top.append(pdf.para(doc.columns[i].title, head_style) if doc.columns[i].title else "")
                bottom.append("")
                spans.append(((i, 0), (i, 1)))
                i += 1
        header = [top, bottom]
    else:
        header = [[pdf.para(c.title, head_style) if c.title else "" for c in doc.columns]]
    if doc.split_name:
        spans = [s for s in spans if s[0][0] not in (1, 2)]
        spans.append(((1, 0), (2, len(header) - 1)))
        header[0][1] = pdf.para(tr("reports", "Họ và tên"), head_style)
        header[0][2] = ""

    def cell(value: str, column: int) -> Any:
        if not value:
            return ""
        value = pdf.nfc(value)
        if "\n" not in value and pdf.text_width(value, pdf.FONT, size) <= widths[column] - 2 * _PAD:
            return value
        style = centre if doc.columns[column].align == "center" else left
        return Paragraph("<br/>".join(pdf.markup(part) for part in value.split("\n")), style)

    body = [[cell(v, i) for i, v in enumerate(row)] for row in doc.rows]
    header_rows = len(header)
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), leading),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 0.5 if compact else 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5 if compact else 3),
        ("BOX", (0, 0), (-1, -1), 0.8, "black"),
        ("INNERGRID", (0, 0), (-1, header_rows - 1), 0.5, "black"),
        ("LINEBELOW", (0, header_rows - 1), (-1, -1), 0.5, "black"),
    ]
    for i, c in enumerate(doc.columns):
        if c.align == "center":
            commands.append(("ALIGN", (i, header_rows), (i, -1), "CENTER"))
        if doc.split_name and i == 1:
            commands.append(("RIGHTPADDING", (1, header_rows), (1, -1), 1))
            commands.append(("LEFTPADDING", (2, header_rows), (2, -1), 1))
            continue
        if i < len(doc.columns) - 1:
            commands.append(("LINEAFTER", (i, header_rows), (i, -1), 0.5, "black"))
    commands += [("SPAN", a, b) for a, b in spans]
    table = LongTable(header + body, colWidths=widths, repeatRows=header_rows, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return table


def _title_block(doc: TableDoc) -> list[Flowable]:
    first = pdf.style("gr-sub", bold=True, align=TA_CENTER)
    rest = pdf.style("gr-info", italic=True, align=TA_CENTER)
    out: list[Flowable] = [official.title(doc.title, size=TITLE_SIZE, space_before=10, name="gr-title")]
    if doc.reference:
        out.append(pdf.para(doc.reference, pdf.style("gr-ref", italic=True, align=TA_CENTER, space_after=2)))
    for index, line in enumerate(doc.subtitle_lines):
        out.append(pdf.para(line, first if index == 0 else rest))
    out.append(Spacer(1, 8))
    return out


def _foot(doc: TableDoc, width: float) -> list[Flowable]:
    summary_style = pdf.style("gr-summary", space_before=6)
    legend_style = pdf.style("gr-legend", size=SMALL_SIZE, align=TA_JUSTIFY, leading=SMALL_SIZE * 1.2)
    rules_head = pdf.style("gr-rules-head", size=SMALL_SIZE, bold=True, space_before=6, leading=SMALL_SIZE * 1.2)
    rules_style = pdf.style("gr-rules", size=SMALL_SIZE, align=TA_JUSTIFY, leading=SMALL_SIZE * 1.2)
    out: list[Flowable] = [pdf.para(line, summary_style) for line in doc.summary]
    out += [pdf.para(line, legend_style) for line in doc.legend]
    # The rules and the signatures stay together: a page of signatures alone would sign nothing.
    out.append(KeepTogether([pdf.para(doc.rules_heading, rules_head),
                             *(pdf.para(line, rules_style) for line in doc.rules_lines),
                             Spacer(1, 8),
                             pdf.signature_block(doc.signers, width,
                                                 place_date=text.long_date(doc.head.place_name, doc.on))]))
    return out


def render_table_pdf(doc: TableDoc, path: str | os.PathLike[str]) -> int:
    """`doc` as a PDF: letterhead, title, table, foot; returns the pages."""
    width = pdf.content_width(doc.landscape)
    document = pdf.new_document(path, title=doc.doc_title, author=doc.head.centre_name,
                                landscape_orientation=doc.landscape)
    story: list[Flowable] = [pdf.letterhead(doc.head, width), *_title_block(doc),
                             pdf_table(doc, width, SMALL_SIZE if len(doc.columns) > 12 else TABLE_SIZE),
                             *_foot(doc, width)]
    return pdf.build(document, story)


# ----------------------------------------------------------------------------- XLSX rendering


def write_table_sheet(ws: Any, doc: TableDoc) -> int:
    """Draw `doc` on a worksheet; returns the data rows."""
    ncols = len(doc.columns)
    xl.set_column_widths(ws, [c.width_xl for c in doc.columns])
    split = max(2, ncols // 2)
    row = xl.write_letterhead(ws, doc.head, row=1, left_cols=(1, split - 1 if split > 2 else 2),
                              right_cols=(split, ncols))
    row += 1
    xl.merged_line(ws, row, 1, ncols, doc.title, cell_font=xl.font(TITLE_SIZE, bold=True), height=22)
    row += 1
    if doc.reference:
        xl.merged_line(ws, row, 1, ncols, doc.reference, cell_font=xl.font(xl.BODY_SIZE, italic=True))
        row += 1
    for index, line in enumerate(doc.subtitle_lines):
        xl.merged_line(ws, row, 1, ncols, line, cell_font=xl.font(xl.BODY_SIZE, bold=index == 0, italic=index > 0))
        row += 1
    row += 1
    header_top = row
    groups = [c.group for c in doc.columns]
    two_rows = any(groups)
    i = 0
    while i < ncols:
        group = groups[i]
        if doc.split_name and i == 1:  # họ đệm | tên under one heading
            xl.header_cell(ws, row, 2, tr("reports", "Họ và tên"), last_row=row + (1 if two_rows else 0), last_col=3,
                           size=xl.TABLE_SIZE)
            i = 3
        elif two_rows and group:
            j = i
            while j + 1 < ncols and groups[j + 1] == group:
                j += 1
            xl.header_cell(ws, row, i + 1, group, last_col=j + 1, size=xl.TABLE_SIZE)
            for k in range(i, j + 1):
                xl.header_cell(ws, row + 1, k + 1, doc.columns[k].title, size=xl.TABLE_SIZE)
            i = j + 1
        else:
            xl.header_cell(ws, row, i + 1, doc.columns[i].title, last_row=row + 1 if two_rows else None,
                           size=xl.TABLE_SIZE)
            i += 1
    header_bottom = row + (1 if two_rows else 0)
    ws.row_dimensions[header_top].height = 30
    row = header_bottom + 1
    body = xl.font(xl.TABLE_SIZE)
    for values in doc.rows:
        for column, value in enumerate(values, start=1):
            c = ws.cell(row=row, column=column, value=_xl_value(value))
            c.font = body
            if isinstance(c.value, float):
                c.number_format = "0.0"
            elif isinstance(c.value, dt.date):
                c.number_format = xl.DATE_FORMAT
            spec = doc.columns[column - 1]
            c.alignment = xl.align("center" if spec.align == "center" else "left", "center", wrap=True)
            if doc.split_name and column == 2:
                c.border = xl.border(right=False)
            elif doc.split_name and column == 3:
                c.border = xl.border(left=False)
            else:
                c.border = xl.THIN_BORDER
        row += 1
    data_rows = len(doc.rows)
    row += 1
    for line in doc.summary + doc.legend:
        xl.merged_line(ws, row, 1, ncols, line, cell_font=xl.font(xl.TABLE_SIZE), horizontal="left")
        ws.row_dimensions[row].height = 16 * max(1, len(line) // 110 + 1)
        row += 1
    if doc.rules_heading:
        xl.merged_line(ws, row, 1, ncols, doc.rules_heading, cell_font=xl.font(11, bold=True), horizontal="left")
        row += 1
    for line in doc.rules_lines:
        xl.merged_line(ws, row, 1, ncols, line, cell_font=xl.font(11), horizontal="left")
        ws.row_dimensions[row].height = 15 * max(1, len(line) // (12 * ncols if ncols > 8 else 100) + 1)
        row += 1
    if doc.signers:
        row += 1
        xl.merged_line(ws, row, split, ncols, text.long_date(doc.head.place_name, doc.on),
                       cell_font=xl.font(xl.BODY_SIZE, italic=True))
        row += 1
        if len(doc.signers) > 1:
            xl.merged_line(ws, row, 1, split - 1, doc.signers[0].title.upper(),
                           cell_font=xl.font(xl.BODY_SIZE, bold=True))
        signer = doc.signers[-1]
        lines = [line for line in signer.title.upper().split("\n") if line]
        for offset, line in enumerate(lines):
            xl.merged_line(ws, row + offset, split, ncols, line, cell_font=xl.font(xl.BODY_SIZE, bold=True))
        row += len(lines) + 4
        if signer.name:
            xl.merged_line(ws, row, split, ncols, signer.name, cell_font=xl.font(xl.BODY_SIZE, bold=True))
    xl.page_setup(ws, landscape=doc.landscape)
    xl.print_titles(ws, header_top, header_bottom)
    xl.freeze_below(ws, header_bottom)
    return data_rows


def _xl_value(value: str) -> Any:
    """A number stays a number in the workbook: "8,5" -> 8.5 (shown 8,5 by a Vietnamese Excel),
    "12" -> 12 (STT, periods, a year-only birth); a date "dd/mm/yyyy" a date; longer digit strings
    (an ID number) stay text."""
    if value and value.replace(",", "", 1).isdigit() and "," in value:
        return float(value.replace(",", "."))
    if value.isdigit() and len(value) <= 4:
        return int(value)
    return xl.date_value(value)


def render_table_xlsx(doc: TableDoc, path: str | os.PathLike[str], sheet_title: str) -> int:
    """`doc` as a one-sheet workbook; returns the data rows."""
    wb, ws = xl.new_workbook(sheet_title)
    xl.set_document_properties(wb, title=doc.doc_title, author=doc.head.centre_name)
    rows = write_table_sheet(ws, doc)
    xl.save_workbook(wb, path)
    return rows


# ----------------------------------------------------------------------------- PDF or XLSX, by the suffix


def _format_of(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise InputError(tr("reports", "Tệp kết quả phải có đuôi .pdf hoặc .xlsx (đang là '{suffix}').").format(
            suffix=suffix or Path(path).name))
    return suffix[1:]


def write_pdf_or_xlsx(path: str | os.PathLike[str], pdf_writer: Callable[[Path], int],
                      xlsx_writer: Callable[[Path], int]) -> int:
    """Write `path` with the writer its suffix asks for (.pdf or .xlsx, else InputError), through a
    temporary file that replaces it only once complete; returns what the writer returns."""
    fmt = _format_of(path)
    with atomic_output(path) as temp:
        return pdf_writer(temp) if fmt == "pdf" else xlsx_writer(temp)
