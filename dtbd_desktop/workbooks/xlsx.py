"""What every printed XLSX shares: Times New Roman, thin borders, A4 page setup fitted to the
page width, print titles (the header rows repeated on every printed page), a frozen header,
column widths, merged heading lines and the letterhead.

Workbooks are made for the printer as much as for the screen: the training office opens
them in Excel, adjusts a line and prints.

Every workbook the program writes is saved by `save_workbook`, which writes text as text:
openpyxl turns any string beginning with "=" into a live formula, so a position typed as
`=HYPERLINK("http://...","...")` in a learner list would come back as a link in the roster
and the register. `save_workbook` makes every such cell a text cell again, and marks every
text beginning with =, +, -, @ (after spaces, tabs or line breaks too) with Excel's quote
prefix, so that editing the cell in Excel or LibreOffice keeps it text. A formula the program
means to write goes through `formula()`, the only way a cell leaves as a formula.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Sequence
from copy import copy
from functools import lru_cache
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing.letterhead import (
    Letterhead,
    heading_rows,
    recipient_lines,
    recipients_heading,
    signer_lines,
)

FONT_NAME = "Times New Roman"
BODY_SIZE = 13.0
TABLE_SIZE = 12.0
DATE_FORMAT = "dd/mm/yyyy"
MM_PER_INCH = 25.4
PORTRAIT_MARGINS_MM = (20.0, 20.0, 30.0, 15.0)  # top, bottom, left, right
LANDSCAPE_MARGINS_MM = (20.0, 18.0, 20.0, 15.0)

CellValue = str | float | dt.date | dt.datetime | None  # what the program writes into a cell (int is a float)


_DMY = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")


def date_value(value: str) -> CellValue:
    """A date printed as "dd/mm/yyyy" stored as a date (shown with `DATE_FORMAT`), a year alone
    ("1989", a year-only birth) as the number; anything else as it is."""
    found = _DMY.match(value or "")
    if found:
        day, month, year = (int(g) for g in found.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return value
    if value and value.isdigit() and len(value) == 4:
        return float(value)
    return value or None


def set_date_format(cell: Cell) -> None:
    """Dates shown as dd/mm/yyyy and years as plain numbers (no thousands separator)."""
    if isinstance(cell.value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(cell.value, int | float) and 1900 <= cell.value <= 2100 and float(cell.value).is_integer():
        cell.number_format = "0"


@lru_cache(maxsize=64)
def font(size: float = BODY_SIZE, *, bold: bool = False, italic: bool = False, underline: bool = False) -> Font:
    """A Times New Roman font (shared objects: openpyxl stores each distinct style once)."""
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, underline="single" if underline else None)


THIN = Side(style="thin", color="000000")
NO_SIDE = Side(style=None)
THIN_BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


@lru_cache(maxsize=64)
def border(*, left: bool = True, right: bool = True, top: bool = True, bottom: bool = True) -> Border:
    """A thin border on the sides asked for."""
    return Border(left=THIN if left else NO_SIDE, right=THIN if right else NO_SIDE,
                  top=THIN if top else NO_SIDE, bottom=THIN if bottom else NO_SIDE)


@lru_cache(maxsize=64)
def align(horizontal: str = "left", vertical: str = "center", wrap: bool = True) -> Alignment:
    return Alignment(horizontal=horizontal, vertical=vertical, wrap_text=wrap)


def cell_style(wb: Workbook, name: str, *, cell_font: Font | None = None, horizontal: str = "left",
               vertical: str = "center", wrap: bool = True, cell_border: Border | None = THIN_BORDER,
               number_format: str = "General") -> str:
    """Register a named cell style once per workbook and return its name.

    Assigning a named style (`cell.style = name`) is several times faster than setting font,
    alignment and border on each cell, which matters for a 1,000-row table; Excel lists the
    style in its gallery too, so the office can restyle a whole column at once.
    """
    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(
            name=name, font=cell_font or font(TABLE_SIZE), alignment=align(horizontal, vertical, wrap),
            border=cell_border or Border(), number_format=number_format,
        ))
    return name


def new_workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A workbook with one sheet named `title` (cut to Excel's 31 characters, no []:*?/\\)."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    safe = "".join("-" if ch in "[]:*?/\\" else ch for ch in text.nfc(title))[:31] or "Sheet1"
    ws.title = safe
    ws.sheet_view.zoomScale = 100
    return wb, ws


def set_column_widths(ws: Worksheet, widths: Sequence[float]) -> None:
    """Column widths in Excel's units (characters of the default font), from column A."""
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def page_setup(ws: Worksheet, *, landscape: bool = False, fit_width: bool = True,
               margins_mm: tuple[float, float, float, float] | None = None, footer_page_numbers: bool = True,
               center_horizontally: bool = True) -> None:
    """A4, portrait or landscape, fitted to one page wide (as many pages tall as needed).

    `margins_mm` is (top, bottom, left, right); by default those of the PDFs (Nghị định
    30/2020 in portrait, a narrower left margin in landscape). The footer shows "Trang n/N".
    """
    if margins_mm is None:
        margins_mm = LANDSCAPE_MARGINS_MM if landscape else PORTRAIT_MARGINS_MM
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE if landscape else ws.ORIENTATION_PORTRAIT
    if fit_width:
        if ws.sheet_properties.pageSetUpPr is None:  # openpyxl makes one with every sheet
            ws.sheet_properties.pageSetUpPr = PageSetupProperties()
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
    top, bottom, left, right = (value / MM_PER_INCH for value in margins_mm)
    ws.page_margins = PageMargins(left=left, right=right, top=top, bottom=bottom, header=0.3, footer=0.3)
    ws.print_options.horizontalCentered = center_horizontally
    if footer_page_numbers:
        label = tr("reports", "Trang {page}/{pages}").format(page="&P", pages="&N")
        footer = ws.oddFooter
        if footer is None:  # openpyxl makes one with every sheet
            footer = ws.oddFooter = HeaderFooterItem()
        footer.center.text = label
        footer.center.font = f"{FONT_NAME},Regular"
        footer.center.size = 11


def print_titles(ws: Worksheet, first_row: int, last_row: int) -> None:
    """Repeat rows `first_row`..`last_row` (the table header) at the top of every printed page."""
    ws.print_title_rows = f"{first_row}:{last_row}"


def freeze_below(ws: Worksheet, row: int, column: int = 1) -> None:
    """Freeze the rows down to `row` (and the columns before `column`) so the header stays on screen."""
    ws.freeze_panes = f"{get_column_letter(column)}{row + 1}"


def merged_line(ws: Worksheet, row: int, first_col: int, last_col: int, value: Any, *,
                cell_font: Font | None = None, horizontal: str = "center", height: float | None = None) -> None:
    """One line of text across columns `first_col`..`last_col` (merged when more than one)."""
    cell = ws.cell(row=row, column=first_col, value=text.nfc(value) if isinstance(value, str) else value)
    cell.font = cell_font or font()
    cell.alignment = align(horizontal, "center", wrap=True)
    if last_col > first_col:
        ws.merge_cells(start_row=row, start_column=first_col, end_row=row, end_column=last_col)
    if height is not None:
        ws.row_dimensions[row].height = height


#: The heading style of each workbook being written, by font size (`header_cell`); forgotten with
#: the workbook.
_HEADER_STYLES: WeakKeyDictionary[Workbook, dict[float, Any]] = WeakKeyDictionary()


def header_cell(ws: Worksheet, row: int, column: int, value: str, *, last_row: int | None = None,
                last_col: int | None = None, size: float = TABLE_SIZE) -> None:
    """A bold, centred, bordered table heading, merged over the rows and columns asked for."""
    last_row = last_row or row
    last_col = last_col or column
    for r in range(row, last_row + 1):
        for c in range(column, last_col + 1):
            if (r, c) != (row, column):
                ws.cell(row=r, column=c).border = THIN_BORDER
    cell: Any = ws.cell(row=row, column=column, value=text.nfc(value))
    # The heading's style is made once per workbook and size, then its style array copied: three
    # style assignments per heading cost a long report a tenth of its time.
    made = _HEADER_STYLES.setdefault(ws.parent, {}) if ws.parent is not None else {}
    array = made.get(size)
    if array is None:
        cell.border = THIN_BORDER
        cell.font = font(size, bold=True)
        cell.alignment = align("center", "center", wrap=True)
        made[size] = copy(cell._style)
    else:
        cell._style = copy(array)
    if last_row > row or last_col > column:
        ws.merge_cells(start_row=row, start_column=column, end_row=last_row, end_column=last_col)


def write_letterhead(ws: Worksheet, head: Letterhead, *, row: int, left_cols: tuple[int, int],
                     right_cols: tuple[int, int], date: dt.date | None = None, number: str | None = None,
                     subject: str | None = None) -> int:
    """The letterhead in merged cells, in the centre's format (`printing.letterhead`, the same
    description the PDFs draw); returns the first free row after it.

    Left (`left_cols`): the superior body, the issuing body in bold (with the "*" under it in the
    Party's format, underlined in the State's), then `number` (the whole "Số ..." line) and
    `subject`. Right (`right_cols`): "ĐẢNG CỘNG SẢN VIỆT NAM" or the national heading and motto,
    underlined, then the place and date in italics when `date` is given.
    """
    place_date = text.long_date(head.place_name, date) if date is not None else None
    rows = heading_rows(head, number=number, date_line=place_date, subject=subject)
    for offset, (left, right) in enumerate(rows.rows):
        for line, cols in ((left, left_cols), (right, right_cols)):
            if line is None or not line.text:
                continue
            merged_line(ws, row + offset, *cols, line.text, cell_font=font(
                line.size, bold=line.bold, italic=line.italic, underline=line.rule > 0))
    return row + len(rows.rows)


def write_signature(ws: Worksheet, head: Letterhead, *, row: int, cols: tuple[int, int], deputy: bool = False,
                    place_date: str | None = None, size: float = BODY_SIZE) -> int:
    """The signer's authority and title, four empty rows for the signature, the name; returns the
    first free row after it."""
    if place_date:
        merged_line(ws, row, *cols, place_date, cell_font=font(size, italic=True))
        row += 1
    lines, name = signer_lines(head, deputy=deputy)
    for line in lines:
        merged_line(ws, row, *cols, line, cell_font=font(size, bold=True))
        row += 1
    row += 4
    if name:
        merged_line(ws, row, *cols, name, cell_font=font(size, bold=True))
    return row + 1


def write_recipients(ws: Worksheet, head: Letterhead, items: Sequence[str], *, row: int,
                     cols: tuple[int, int]) -> int:
    """"Nơi nhận:" and its lines, left-aligned, in the centre's format; returns the next free row."""
    heading = font(14, underline=True) if head.party else font(12, bold=True, italic=True)
    merged_line(ws, row, *cols, recipients_heading(), cell_font=heading, horizontal="left")
    row += 1
    for line in recipient_lines(head, items):
        merged_line(ws, row, *cols, line, cell_font=font(12 if head.party else 11), horizontal="left")
        row += 1
    return row


_FORMULA_STARTS = frozenset("=+-@")
_LEADING_BLANKS = " \t\r\n\u00a0"


def looks_like_formula(value: str) -> bool:
    """Text that a spreadsheet would take for a formula when typed: =, +, -, @ first (after blanks)."""
    return value.lstrip(_LEADING_BLANKS)[:1] in _FORMULA_STARTS and bool(value.strip(_LEADING_BLANKS))


def formula(ws: Worksheet, row: int, column: int, expression: str) -> Cell:
    """Write a formula the program means, such as "=SUM(C5:C20)": `save_workbook` keeps it a
    formula (every other "=" text is written as text)."""
    if not expression.startswith("="):
        raise ValueError(f"a formula starts with '=': {expression!r}")
    cell = ws.cell(row=row, column=column, value=expression)
    intended: dict[tuple[int, int], str] = ws.__dict__.setdefault("_dtbd_formulas", {})
    intended[(row, column)] = expression
    return cell


def text_as_text(ws: Worksheet) -> int:
    """Make every formula not written by `formula()` a text cell, and quote-prefix formula-like
    text; returns the number of cells that would have been formulas."""
    intended: dict[tuple[int, int], str] = ws.__dict__.get("_dtbd_formulas", {})
    neutralised = 0
    for key, cell in ws._cells.items():
        value = cell._value  # type: ignore[union-attr]  # openpyxl's own, not in its stubs
        if not isinstance(value, str):
            continue
        if cell.data_type == "f":
            if intended.get(key) == value:
                continue
            cell.data_type = "s"
            neutralised += 1
        if cell.data_type == "s" and looks_like_formula(value):
            cell.quotePrefix = True
    return neutralised


def save_workbook(wb: Workbook, path: str | os.PathLike[str]) -> None:
    """Save a workbook the program made (or copied), text written as text: every XLSX the
    program writes is saved here."""
    for ws in wb.worksheets:
        if isinstance(ws, Worksheet):
            text_as_text(ws)
    wb.save(path)


def set_document_properties(wb: Workbook, *, title: str, author: str) -> None:
    wb.properties.title = text.nfc(title)
    wb.properties.creator = text.nfc(author) or "DTBD Desktop"
    wb.properties.lastModifiedBy = "DTBD Desktop"


__all__ = [
    "BODY_SIZE", "DATE_FORMAT", "date_value", "set_date_format", "FONT_NAME", "TABLE_SIZE", "THIN_BORDER", "align", "border", "cell_style", "font",
    "formula", "freeze_below", "header_cell", "looks_like_formula", "merged_line", "new_workbook", "page_setup",
    "print_titles", "save_workbook", "set_column_widths", "set_document_properties", "text_as_text",
    "write_letterhead", "write_recipients", "write_signature",
]
