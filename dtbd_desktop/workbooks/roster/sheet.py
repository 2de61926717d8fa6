"""Reading a workbook and finding the learner table in it: `read_roster`.

Organisations send lists in their own layout: a letterhead and title above the table, a
header of one or two rows with merged cells, a numbering row "(1) (2) (3)" under it,
group headings inside it, totals, notes and signatures below it. The header is the row (or
pair of rows) within the first rows of a sheet whose cells name the most fields
(`synonyms`); merged header cells lend their text to every column they cover; a top heading
over two sub-headings ("Họ và tên" over "Họ đệm" | "Tên", "Ngày tháng năm sinh" over "Nam" |
"Nữ") gives each column its own field.

The workbook is opened by `workbook_files.open_workbook` in read-only mode and its rows are
streamed once, the rows the file leaves out never made up; merged ranges are read from the
sheet's XML and looked up without expanding them (`_Merges`). So reading costs what the file
really holds: a merge over the whole sheet, a cell typed at XFD1048576 or a million rows of
spaces are answered in milliseconds, and a sheet with more than `MAX_ROWS` filled rows is
refused. A 5,000-row list opens in about a second. Values are those Excel computed for
formulas; a formula whose value was never computed is refused with its cell.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.workbooks.files import RowCell, damaged, merged_ranges, open_workbook, real_rows
from dtbd_desktop.workbooks.roster import synonyms
from dtbd_desktop.workbooks.roster.synonyms import BIRTH_FIELDS, NAME_FIELDS
from dtbd_desktop.workbooks.roster.table import (
    Cell,
    DetectedTable,
    RosterFileError,
    SheetColumn,
    SheetRow,
    check_mapping,
    default_mapping,
    display,
    extract_rows,
    looks_like_date,
)

HEADER_SCAN_ROWS: Final = 40  # the header starts within the first rows of a sheet
MAX_COLUMNS: Final = 60
EMPTY_ROWS_TO_STOP: Final = 200  # reading stops after this many empty rows in a row
MAX_ROWS: Final = 10_000  # rows holding something on the table's sheet: no learner list is longer


# --------------------------------------------------------------------------------------------
# Opening the file


def _open_workbook(path: Path) -> Any:
    """The workbook in read-only mode: it streams the cells (several times faster on large lists);
    the merged ranges it does not load are read from the sheet's XML by `merged_ranges`."""
    return open_workbook(path, read_only=True, error=RosterFileError)


def _clean_value(value: Cell) -> Cell:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.time):  # a time alone is no date; keep it visible as text
        return value.isoformat()
    return value


class _Merges:
    """The merged ranges of a sheet, looked up without expanding a range cell by cell beyond
    the header rows: a range over the whole sheet costs what the cells read cost, not 17
    billion entries."""

    def __init__(self, ranges: list[tuple[int, int, int, int]], file_name: str, sheet: str) -> None:
        self.header_from: dict[tuple[int, int], tuple[int, int]] = {}  # header-area cell -> top-left of its range
        self.single_column: set[tuple[int, int]] = set()  # top-lefts of vertical-only merges
        self.wide: dict[tuple[int, int], int] = {}  # top-left -> number of columns spanned
        self.columns: dict[int, tuple[list[int], list[int]]] = {}  # column -> (first rows, last rows) of vertical merges
        self.right = 0  # the rightmost column a range starting in the header rows reaches (<= MAX_COLUMNS)
        header_last = HEADER_SCAN_ROWS + 1
        vertical: dict[int, list[tuple[int, int]]] = {}
        for min_col, min_row, max_col, max_row in ranges:
            if min_col > MAX_COLUMNS:
                continue
            top = (min_row, min_col)
            if max_col > min_col:
                self.wide[top] = max_col - min_col + 1
            elif max_row > min_row:
                self.single_column.add(top)
                vertical.setdefault(min_col, []).append((min_row, max_row))
            if min_row > header_last:
                continue
            self.right = max(self.right, min(max_col, MAX_COLUMNS))
            for r in range(min_row, min(max_row, header_last) + 1):
                for c in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                    if (r, c) in self.header_from:
                        raise damaged(file_name, tr("roster_import", "các vùng gộp ô chồng lên nhau ở trang '{sheet}'")
                                      .format(sheet=sheet), RosterFileError)
                    if (r, c) != top:
                        self.header_from[(r, c)] = top
        for column, spans in vertical.items():
            spans.sort()
            self.columns[column] = ([a for a, _ in spans], [b for _, b in spans])

    def top_of(self, r: int, c: int) -> tuple[int, int] | None:
        """The top-left cell of the range covering (r, c) in the header rows."""
        return self.header_from.get((r, c))

    def column_top(self, r: int, c: int) -> tuple[int, int] | None:
        """The top of a vertical-only range covering (r, c), anywhere on the sheet."""
        spans = self.columns.get(c)
        if spans is None:
            return None
        k = bisect.bisect_right(spans[0], r) - 1
        if k >= 0 and spans[0][k] < r <= spans[1][k]:
            return spans[0][k], c
        return None


class _Sheet:
    """The cells of one worksheet as plain values, read once from the file as far as needed,
    with merged ranges resolved."""

    def __init__(self, ws: Any, file_name: str) -> None:
        self.ws = ws
        self.title = ws.title
        self.file_name = file_name
        self.merges = _Merges(merged_ranges(ws, RosterFileError), file_name, ws.title)
        self.wide_ranges = self.merges.wide
        self.values: dict[tuple[int, int], Cell] = {}
        self.fonts: dict[tuple[int, int], str | None] = {}
        self.uncomputed: set[tuple[int, int]] = set()  # formulas Excel never computed a value for
        self.max_row = 0  # the last row read that holds something
        self.max_col = 0
        self.filled_rows = 0
        self._rows = real_rows(ws, MAX_COLUMNS, RosterFileError)
        self._pending: tuple[int, list[RowCell]] | None = None
        self._last_seen = 0  # the last row taken from the file, empty or not

    def close(self) -> None:
        self._rows.close()

    def _next(self) -> tuple[int, list[RowCell]] | None:
        if self._pending is not None:
            found, self._pending = self._pending, None
            return found
        return next(self._rows, None)

    def _take(self, number: int, cells: list[RowCell]) -> bool:
        """Keep a row's values; whether it holds anything."""
        self._last_seen = number
        found = False
        for column, raw, font, uncomputed in cells:
            if uncomputed:
                self.uncomputed.add((number, column))
            value = _clean_value(raw)
            if value is None:
                continue
            found = True
            key = (number, column)
            self.values[key] = value
            if font is not None and isinstance(value, str):
                self.fonts[key] = font
            self.max_col = max(self.max_col, column)
        if found:
            self.max_row = number
            self.filled_rows += 1
            if self.filled_rows > MAX_ROWS:
                raise RosterFileError(tr(
                    "roster_import",
                    "Trang tính '{sheet}' của tệp {file} có hơn {n} dòng; danh sách học viên không thể lớn như vậy. "
                    "Chép riêng danh sách học viên sang một tệp mới rồi nhập tệp đó.").format(
                        sheet=self.title, file=self.file_name, n=f"{MAX_ROWS:,}".replace(",", ".")))
        return found

    def read_top(self, last: int) -> None:
        """Read the rows down to `last` (the rows the header is looked for in)."""
        while (item := self._next()) is not None:
            if item[0] > last:
                self._pending = item
                break
            self._take(*item)
        self.max_col = max(self.max_col, self.merges.right)

    def read_rest(self) -> None:
        """Read on to the end of the table, stopping after a long run of empty rows (rows the
        file leaves out count as empty)."""
        empty_run = 0
        previous = max(self._last_seen, HEADER_SCAN_ROWS + 1)
        while (item := self._next()) is not None:
            number, cells = item
            empty_run += max(number - previous - 1, 0)
            if empty_run >= EMPTY_ROWS_TO_STOP:
                break
            previous = number
            empty_run = 0 if self._take(number, cells) else empty_run + 1
            if empty_run >= EMPTY_ROWS_TO_STOP:
                break
        self.max_col = min(self.max_col, MAX_COLUMNS)

    def header_text(self, r: int, c: int) -> tuple[str, str | None]:
        """Text of a header cell, a merged cell taking its range's value."""
        key = self.merges.top_of(r, c) or (r, c)
        value = self.values.get(key)
        return ("" if value is None else text.nfc(display(value))), self.fonts.get(key)

    def continues_from_above(self, r: int, c: int) -> bool:
        top = self.merges.top_of(r, c)
        return top is not None and top[0] < r

    def data_value(self, r: int, c: int) -> tuple[Cell, str | None]:
        """A data cell; a cell merged down a single column takes the value at its top."""
        key = self.merges.column_top(r, c) or (r, c)
        return self.values.get(key), self.fonts.get(key)


# --------------------------------------------------------------------------------------------
# The header


@dataclass
class _Header:
    top: int
    rows: int
    columns: list[SheetColumn]
    score: int
    continuation: bool


def _column_field(top: str, top_font: str | None, sub: str, sub_font: str | None) -> tuple[str | None, bool]:
    """(field, undecided Nam/Nữ) of a column from its heading on one row (`sub` empty) or two."""
    if not sub or sub == top:
        found = synonyms.match_heading(top, top_font) if top else None
        return found, found is None and synonyms.sub_gender(top, top_font) is not None
    top_field = synonyms.match_heading(top, top_font) if top else None
    gender = synonyms.sub_gender(sub, sub_font)
    if gender and top_field in BIRTH_FIELDS:
        return ("birth_male" if gender == "M" else "birth_female"), False
    if gender and top_field == "gender":
        return ("gender_male" if gender == "M" else "gender_female"), False
    if top:
        combined = synonyms.match_heading(f"{top} {sub}", prefixes=False)
        if combined is not None:
            return combined, False
    sub_field = synonyms.match_heading(sub, sub_font)
    if sub_field is not None:
        return sub_field, False
    if gender and not top:
        return None, True
    return top_field, False


def _has_name(fields: set[str]) -> bool:
    return "full_name" in fields or ("given" in fields and bool(fields & {"family_middle", "family"}))


def _header_at(sheet: _Sheet, top: int, rows: int) -> _Header | None:
    columns: list[SheetColumn] = []
    continuation = False
    for c in range(1, sheet.max_col + 1):
        top_text, top_font = sheet.header_text(top, c)
        sub_text, sub_font = sheet.header_text(top + 1, c) if rows == 2 else ("", None)
        continuation = continuation or (bool(top_text) and sheet.continues_from_above(top, c))
        found, undecided = _column_field(top_text, top_font, sub_text, sub_font)
        heading = top_text if not sub_text or sub_text == top_text else (
            f"{top_text} / {sub_text}" if top_text else sub_text)
        columns.append(SheetColumn(c, heading, "?" if undecided else found))
    fields = {col.detected for col in columns if col.detected}
    fields.discard("?")
    if not _has_name(fields) or not fields - NAME_FIELDS:
        return None
    headed = [col.index for col in columns if col.heading]
    columns = columns[headed[0] - 1:headed[-1]]
    return _Header(top, rows, columns, len(fields), continuation)


def _is_data_row(sheet: _Sheet, r: int) -> bool:
    """A row holding a date or an ID-like number is data, never a second header row."""
    for (row, _c), value in sheet.values.items():
        if row != r:
            continue
        if isinstance(value, dt.date | dt.datetime):
            return True
        shown = display(value)
        if sum(ch.isdigit() for ch in shown) >= 9 or (any(ch.isdigit() for ch in shown) and looks_like_date(value)):
            return True
    return False


def _find_header(sheet: _Sheet) -> _Header | None:
    best: _Header | None = None
    for top in range(1, min(sheet.max_row, HEADER_SCAN_ROWS) + 1):
        for rows in (1, 2):
            if top + rows - 1 > sheet.max_row or (rows == 2 and _is_data_row(sheet, top + 1)):
                continue
            found = _header_at(sheet, top, rows)
            if found is None:
                continue
            key = (found.score, not found.continuation, -found.rows, -found.top)
            if best is None or key > (best.score, not best.continuation, -best.rows, -best.top):
                best = found
    return best



def _decide_gender_columns(sheet: _Sheet, header: _Header, first_data: int) -> None:
    """Columns headed only "Nam" / "Nữ": birth dates when they hold dates, else gender marks."""
    for k, col in enumerate(header.columns):
        if col.detected != "?":
            continue
        gender = synonyms.sub_gender(col.heading.split(" / ")[-1])
        values = [sheet.data_value(r, col.index)[0] for r in range(first_data, min(first_data + 30, sheet.max_row + 1))]
        dates = any(looks_like_date(v) for v in values if not isinstance(v, str) or any(ch.isdigit() for ch in v))
        kind = "birth" if dates else "gender"
        header.columns[k] = dataclasses.replace(col, detected=f"{kind}_{'male' if gender == 'M' else 'female'}")


@dataclass(frozen=True)
class SheetTable:
    """A table found on one sheet (`read_tables`), with the text above its header (the title
    block: "SỔ GỐC CẤP BẰNG...", the course, "Quyết định ... số 123-QĐ/TCT ngày 20/6/2016") as
    (row, text, font of the first non-ASCII cell) lines, and the text below it."""

    table: DetectedTable
    title_lines: tuple[tuple[int, str, str | None], ...]
    foot_lines: tuple[tuple[int, str, str | None], ...]


def _lines(sheet: _Sheet, rows: range) -> tuple[tuple[int, str, str | None], ...]:
    out = []
    for r in rows:
        cells = sorted((c, v) for (row, c), v in sheet.values.items() if row == r)
        words = [text.nfc(display(v)) for _c, v in cells]
        fonts = [sheet.fonts.get((r, c)) for c, v in cells if isinstance(v, str) and not v.isascii()]
        if words:
            out.append((r, " ".join(words), next((f for f in fonts if f), None)))
    return tuple(out)


def read_tables(path: str | Path) -> tuple[list[SheetTable], list[str]]:
    """Every sheet's table (the same finding as `read_roster`, one sheet after another), and the
    names of the sheets that hold none. Raises `RosterFileError` when the file cannot be read."""
    source = Path(path)
    workbook = _open_workbook(source)
    found: list[SheetTable] = []
    without: list[str] = []
    try:
        for ws in workbook.worksheets:
            if not isinstance(ws, Worksheet | ReadOnlyWorksheet):
                continue
            sheet = _Sheet(ws, source.name)
            try:
                sheet.read_top(HEADER_SCAN_ROWS + 1)
                header = _find_header(sheet)
                if header is None:
                    if sheet.values:
                        without.append(ws.title)
                    continue
                first_data = header.top + header.rows
                sheet.read_rest()
            finally:
                sheet.close()
            _decide_gender_columns(sheet, header, first_data)
            columns = tuple(header.columns)
            table = DetectedTable(path=source, sheet=sheet.title, header_rows=tuple(range(header.top, first_data)),
                                  columns=columns, mapping=default_mapping(header.columns))
            table.grid = _grid(sheet, columns, first_data)
            table.wide_cells = sheet.wide_ranges
            extract_rows(table)
            _refuse_uncomputed_formulas(sheet, table)
            end = table.end_row or sheet.max_row + 1
            found.append(SheetTable(table, _lines(sheet, range(1, header.top)),
                                    _lines(sheet, range(end, min(sheet.max_row, end + 15) + 1))))
    finally:
        workbook.close()
    return found, without


def read_roster(path: str | Path, *, mapping: Mapping[str, int] | None = None) -> DetectedTable:
    """Find the learner table on the first sheet that has one (see the module's docstring).

    `mapping` (field -> 1-based sheet column) replaces the columns recognised from the
    headings. Raises `RosterFileError` (an `InputError`) naming the file when it cannot be
    read or holds no table with a name column.
    """
    source = Path(path)
    workbook = _open_workbook(source)
    try:
        checked_sheets: list[str] = []
        for ws in workbook.worksheets:
            if not isinstance(ws, Worksheet | ReadOnlyWorksheet):  # not a chart sheet
                continue
            checked_sheets.append(ws.title)
            sheet = _Sheet(ws, source.name)
            try:
                sheet.read_top(HEADER_SCAN_ROWS + 1)
                header = _find_header(sheet)
                if header is None:
                    continue
                first_data = header.top + header.rows
                sheet.read_rest()
            finally:
                sheet.close()
            _decide_gender_columns(sheet, header, first_data)
            columns = tuple(header.columns)
            table = DetectedTable(
                path=source, sheet=sheet.title, header_rows=tuple(range(header.top, first_data)), columns=columns,
                mapping=default_mapping(header.columns) if mapping is None else check_mapping(mapping, columns),
            )
            table.grid = _grid(sheet, columns, first_data)
            table.wide_cells = sheet.wide_ranges
            extract_rows(table)
            _refuse_uncomputed_formulas(sheet, table)
            return table
    finally:
        workbook.close()
    raise RosterFileError(tr(
        "roster_import",
        "Không tìm thấy bảng danh sách học viên trong tệp {file} (đã xem các trang: {sheets}). Bảng cần một dòng "
        "tiêu đề có cột 'Họ và tên' (hoặc hai cột 'Họ đệm' và 'Tên') và ít nhất một cột khác như 'Ngày sinh' "
        "hoặc 'Số CCCD': sửa tiêu đề cột trong tệp rồi nhập lại.").format(
            file=source.name, sheets=", ".join(checked_sheets) or "-"))


def _refuse_uncomputed_formulas(sheet: _Sheet, table: DetectedTable) -> None:
    """The import takes the values Excel computed for formulas; a formula of the table whose value
    was never computed (a file written by a program, not saved by Excel) would come in empty."""
    if not sheet.uncomputed:
        return
    columns = {col.index: col for col in table.columns}
    rows = {row.number for row in table.rows}
    cells = sorted((r, c) for r, c in sheet.uncomputed if c in columns and r in rows)
    if not cells:
        return
    problems = [Problem(tr("roster_import", "Ô {cell} là công thức chưa được tính (tệp không lưu giá trị của nó).")
                        .format(cell=f"{columns[c].letter}{r}"), row=r, column=columns[c].label) for r, c in cells[:50]]
    raise RosterFileError(tr(
        "roster_import",
        "Tệp {file} có {n} ô công thức chưa được tính giá trị (tệp do một chương trình khác tạo, chưa lưu bằng Excel): "
        "mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại.").format(file=sheet.file_name, n=len(cells)),
        problems)


def _grid(sheet: _Sheet, columns: tuple[SheetColumn, ...], first_data: int) -> list[SheetRow]:
    indexes = [col.index for col in columns]
    last_row = max((r for (r, c) in sheet.values if c in set(indexes)), default=0)
    grid: list[SheetRow] = []
    for r in range(first_data, last_row + 1):
        cells = [sheet.data_value(r, c) for c in indexes]
        grid.append(SheetRow(r, tuple(v for v, _ in cells), tuple(f for _, f in cells)))
    return grid
