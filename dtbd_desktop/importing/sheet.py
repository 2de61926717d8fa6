"""Reading a workbook and finding the learner table in it: `read_roster`.

Organisations send lists in their own layout: a letterhead and title above the table, a
header of one or two rows with merged cells, a numbering row "(1) (2) (3)" under it,
group headings inside it, totals, notes and signatures below it. The header is the row (or
pair of rows) within the first rows of a sheet whose cells name the most fields
(`synonyms`); merged header cells lend their text to every column they cover; a top heading
over two sub-headings ("Họ và tên" over "Họ đệm" | "Tên", "Ngày tháng năm sinh" over "Nam" |
"Nữ") gives each column its own field. The workbook is opened in openpyxl's normal mode,
since read-only mode does not know merged cells; a 5,000-row list opens in about a second.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import openpyxl
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from dtbd_desktop import text
from dtbd_desktop.i18n import tr
from dtbd_desktop.importing import synonyms
from dtbd_desktop.importing.synonyms import BIRTH_FIELDS, NAME_FIELDS
from dtbd_desktop.importing.table import (
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
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"


# --------------------------------------------------------------------------------------------
# Opening the file


def _open_workbook(path: Path) -> Any:
    name = path.name
    if not path.exists():
        raise RosterFileError(tr("roster_import", "Không tìm thấy tệp {file}: kiểm tra lại đường dẫn và tên tệp.")
                              .format(file=path))
    if path.is_dir():
        raise RosterFileError(tr("roster_import", "{file} là một thư mục, không phải tệp Excel: chọn tệp .xlsx.")
                              .format(file=path))
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
            fh.seek(0)
            if head.startswith(_OLE_MAGIC):
                raise RosterFileError(tr(
                    "roster_import",
                    "Tệp {file} là tệp Excel 97-2003 (.xls) hoặc tệp có đặt mật khẩu: mở tệp bằng Excel, bỏ mật "
                    "khẩu nếu có, chọn Lưu thành (Save As) kiểu .xlsx rồi nhập tệp mới.").format(file=name))
        # Read-only mode streams the cells (several times faster on large lists); the merged
        # ranges it does not load are read from the sheet's XML by `_merged_ranges`.
        return openpyxl.load_workbook(path, data_only=True, read_only=True)
    except RosterFileError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, IndexError, AttributeError) as exc:
        raise RosterFileError(tr(
            "roster_import",
            "Không đọc được tệp {file}: đây không phải tệp Excel .xlsx hợp lệ ({error}). Mở tệp bằng Excel và "
            "lưu lại dạng .xlsx.").format(file=name, error=type(exc).__name__)) from exc
    except OSError as exc:
        raise RosterFileError(tr("roster_import", "Không mở được tệp {file}: {error}. Đóng tệp nếu đang mở "
                                                  "trong chương trình khác rồi thử lại.")
                              .format(file=name, error=exc.strerror or exc)) from exc


_MERGE_CELL = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')


def _merged_ranges(ws: Any) -> list[tuple[int, int, int, int]]:
    """(min_col, min_row, max_col, max_row) of every merged range of a worksheet."""
    ranges = getattr(ws, "merged_cells", None)
    if ranges is not None:  # a normally opened worksheet
        return [(r.min_col, r.min_row, r.max_col, r.max_row) for r in ranges.ranges]
    archive = getattr(ws.parent, "_archive", None)
    path = getattr(ws, "_worksheet_path", None)
    if archive is None or path is None:
        return []
    with archive.open(path) as fh:
        data = fh.read()
    tail = data.rfind(b"mergeCells")
    if tail < 0:
        return []
    found = []
    for match in _MERGE_CELL.finditer(data, data.rfind(b"<", 0, data.find(b"mergeCells"))):
        bounds = range_boundaries(match.group(1).decode("ascii"))
        found.append((int(bounds[0] or 1), int(bounds[1] or 1), int(bounds[2] or 1), int(bounds[3] or 1)))
    return found


def _clean_value(value: Cell) -> Cell:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, dt.time):  # a time alone is no date; keep it visible as text
        return value.isoformat()
    return value


def _font_name(cell: Any) -> str | None:
    try:
        name = cell.font.name
    except AttributeError:
        return None
    return name if isinstance(name, str) else None


class _Sheet:
    """The cells of one worksheet as plain values, with merged ranges resolved."""

    def __init__(self, ws: Worksheet) -> None:
        self.ws = ws
        self.title = ws.title
        if getattr(ws, "read_only", False) and (ws.max_row or 0) <= 1:
            # The file's stated dimensions are missing or wrong (some tools write "A1"): count.
            ws.reset_dimensions()
            ws.calculate_dimension(force=True)
        self.max_row = ws.max_row or 0
        self.max_col = min(ws.max_column or 0, MAX_COLUMNS)
        self.merged_from: dict[tuple[int, int], tuple[int, int]] = {}  # cell -> top-left of its range
        self.single_column_ranges: set[tuple[int, int]] = set()  # top-lefts of vertical-only merges
        self.wide_ranges: dict[tuple[int, int], int] = {}  # top-left -> number of columns spanned
        for min_col, min_row, max_col, max_row in _merged_ranges(ws):
            top = (min_row, min_col)
            if max_col > min_col:
                self.wide_ranges[top] = max_col - min_col + 1
            elif max_row > min_row:
                self.single_column_ranges.add(top)
            for r in range(min_row, min(max_row, self.max_row) + 1):
                for c in range(min_col, min(max_col, self.max_col) + 1):
                    if (r, c) != top:
                        self.merged_from[(r, c)] = top
        self.values: dict[tuple[int, int], Cell] = {}
        self.fonts: dict[tuple[int, int], str | None] = {}

    def read(self, first: int, last: int) -> None:
        if last < first or self.max_col == 0:
            return
        for row in self.ws.iter_rows(min_row=first, max_row=last, max_col=self.max_col):
            for cell in row:
                value = _clean_value(getattr(cell, "value", None))
                if value is None:
                    continue
                key = (cell.row, cell.column)
                self.values[key] = value
                if isinstance(value, str) and not value.isascii():
                    self.fonts[key] = _font_name(cell)

    def header_text(self, r: int, c: int) -> tuple[str, str | None]:
        """Text of a header cell, a merged cell taking its range's value."""
        key = self.merged_from.get((r, c), (r, c))
        value = self.values.get(key)
        return ("" if value is None else text.nfc(display(value))), self.fonts.get(key)

    def continues_from_above(self, r: int, c: int) -> bool:
        top = self.merged_from.get((r, c))
        return top is not None and top[0] < r

    def data_value(self, r: int, c: int) -> tuple[Cell, str | None]:
        """A data cell; a cell merged down a single column takes the value at its top."""
        key = (r, c)
        top = self.merged_from.get(key)
        if top is not None and top in self.single_column_ranges:
            key = top
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


def _find_header(sheet: _Sheet) -> _Header | None:
    best: _Header | None = None
    for top in range(1, min(sheet.max_row, HEADER_SCAN_ROWS) + 1):
        for rows in (1, 2):
            if top + rows - 1 > sheet.max_row:
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
            sheet = _Sheet(ws)
            sheet.read(1, min(sheet.max_row, HEADER_SCAN_ROWS + 1))
            header = _find_header(sheet)
            if header is None:
                continue
            first_data = header.top + header.rows
            _read_rest(sheet, first_data)
            _decide_gender_columns(sheet, header, first_data)
            columns = tuple(header.columns)
            table = DetectedTable(
                path=source, sheet=sheet.title, header_rows=tuple(range(header.top, first_data)), columns=columns,
                mapping=default_mapping(header.columns) if mapping is None else check_mapping(mapping, columns),
            )
            table.grid = _grid(sheet, columns, first_data)
            table.wide_cells = sheet.wide_ranges
            extract_rows(table)
            return table
    finally:
        workbook.close()
    raise RosterFileError(tr(
        "roster_import",
        "Không tìm thấy bảng danh sách học viên trong tệp {file} (đã xem các trang: {sheets}). Bảng cần một dòng "
        "tiêu đề có cột 'Họ và tên' (hoặc hai cột 'Họ đệm' và 'Tên') và ít nhất một cột khác như 'Ngày sinh' "
        "hoặc 'Số CCCD': sửa tiêu đề cột trong tệp rồi nhập lại.").format(
            file=source.name, sheets=", ".join(checked_sheets) or "-"))


def _read_rest(sheet: _Sheet, first_data: int) -> None:
    """Read the rows below the header in one pass (a streamed sheet is read from its start on
    every pass), stopping after a long run of empty rows."""
    start = max(first_data, HEADER_SCAN_ROWS + 2)
    if start > sheet.max_row or sheet.max_col == 0:
        return
    empty_run = 0
    for row in sheet.ws.iter_rows(min_row=start, max_row=sheet.max_row, max_col=sheet.max_col):
        found = False
        for cell in row:
            value = _clean_value(getattr(cell, "value", None))
            if value is None:
                continue
            found = True
            key = (cell.row, cell.column)
            sheet.values[key] = value
            if isinstance(value, str) and not value.isascii():
                sheet.fonts[key] = _font_name(cell)
        empty_run = 0 if found else empty_run + 1
        if empty_run >= EMPTY_ROWS_TO_STOP:
            break


def _grid(sheet: _Sheet, columns: tuple[SheetColumn, ...], first_data: int) -> list[SheetRow]:
    indexes = [col.index for col in columns]
    last_row = max((r for (r, c) in sheet.values if c in set(indexes)), default=0)
    grid: list[SheetRow] = []
    for r in range(first_data, last_row + 1):
        cells = [sheet.data_value(r, c) for c in indexes]
        grid.append(SheetRow(r, tuple(v for v, _ in cells), tuple(f for _, f in cells)))
    return grid
