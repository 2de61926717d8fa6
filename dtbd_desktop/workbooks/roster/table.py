"""The learner table found in a workbook, and which of its rows are learners.

`sheet.read_roster` finds the header and keeps every row below it as raw cell values (a
`DetectedTable`). This module decides which of those rows are data: from the header down to
the first empty row or the first row that is not a learner, skipping numbering rows, group
headings and a header repeated on a later page; a learner left below that end is reported
(`stray_rows`) rather than silently dropped. The column mapping may be changed (`remap`) and
the rows are worked out again from the same cells. Nothing is cleaned here: `cleaning` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from openpyxl.utils import get_column_letter

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.workbooks.files import WorkbookFileError
from dtbd_desktop.workbooks.roster import synonyms
from dtbd_desktop.workbooks.roster.synonyms import BIRTH_FIELDS, FIELDS, field_label

STRAY_SCAN_ROWS: Final = 300  # rows below the table searched for learners left outside it
_NUMBERING_CELL_RE: Final = re.compile(r"\(?\s*(?:\d{1,2}|[a-z]|[ivx]{1,4})\s*\)?")
_SECTION_RE: Final = re.compile(r"(?:[ivx]{1,4}|[a-z]|\d{1,2})\s*[.)/-]\s*\S")

Cell = Any  # a raw cell value from openpyxl: str, int, float, datetime, bool or None


class RosterFileError(WorkbookFileError):
    """The file cannot be read as a learner list; the message names the file and what to do."""


@dataclass(frozen=True)
class SheetColumn:
    """One column of the table as found: its sheet position, its heading, the field recognised."""

    index: int  # 1-based sheet column
    heading: str
    detected: str | None  # a field of FIELDS, "" for a column to ignore, None when unknown

    @property
    def letter(self) -> str:
        letter: str = get_column_letter(self.index)
        return letter

    @property
    def label(self) -> str:
        """"D (Ngày sinh)": the letter and the heading, as messages name a column."""
        return f"{self.letter} ({self.heading})" if self.heading else self.letter


@dataclass(frozen=True)
class SheetRow:
    """One sheet row inside the table's columns: raw values, and font names of non-ASCII text."""

    number: int
    values: tuple[Cell, ...]
    fonts: tuple[str | None, ...]

    def is_empty(self) -> bool:
        return all(v is None for v in self.values)


@dataclass
class DetectedTable:
    """The table found in a workbook. `mapping` (field -> sheet column index) may be changed
    by a person with `remap`; the rows are then worked out again from the same cells."""

    path: Path | None
    sheet: str
    header_rows: tuple[int, ...]
    columns: tuple[SheetColumn, ...]
    mapping: dict[str, int]
    rows: list[SheetRow] = field(default_factory=list)
    group_rows: list[int] = field(default_factory=list)  # group headings skipped inside the table
    stray_rows: list[int] = field(default_factory=list)  # learners apparently left below the table
    end_row: int | None = None  # first sheet row not read as data (None: the data ran to the end)
    grid: list[SheetRow] = field(default_factory=list, repr=False)  # every row below the header
    wide_cells: dict[tuple[int, int], int] = field(default_factory=dict, repr=False)  # merged across columns

    @property
    def file_name(self) -> str:
        return self.path.name if self.path else tr("roster_import", "(bảng đã đọc)")

    def position(self, column_index: int) -> int:
        """Where a sheet column sits in `SheetRow.values`."""
        return column_index - self.columns[0].index

    def sheet_column(self, column_index: int) -> SheetColumn:
        return self.columns[self.position(column_index)]

    def column_for(self, field_name: str) -> SheetColumn | None:
        index = self.mapping.get(field_name)
        return None if index is None else self.sheet_column(index)

    def value(self, row: SheetRow, field_name: str) -> Cell:
        index = self.mapping.get(field_name)
        return None if index is None else row.values[self.position(index)]

    def font(self, row: SheetRow, field_name: str) -> str | None:
        index = self.mapping.get(field_name)
        return None if index is None else row.fonts[self.position(index)]

    def remap(self, mapping: Mapping[str, int]) -> DetectedTable:
        """A copy with another column mapping, its data rows worked out again."""
        checked = check_mapping(mapping, self.columns)
        table = dataclasses.replace(self, mapping=checked)
        extract_rows(table)
        return table

    def preview(self, limit: int | None = 50) -> list[list[str]]:
        """The first data rows as text, one string per column, as a person would read them."""
        rows = self.rows if limit is None else self.rows[:limit]
        return [[display(v) for v in row.values] for row in rows]


def display(value: Cell) -> str:
    """A raw cell value as text: dates dd/mm/yyyy, whole numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return text.format_date(value.date() if isinstance(value, dt.datetime) else value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)



# --------------------------------------------------------------------------------------------
# The data rows


def _is_numbering_row(row: SheetRow) -> bool:
    cells = []
    for value in row.values:
        if value is None:
            continue
        if isinstance(value, str) and len(value) > 6:  # a name: a data row (most rows stop here)
            return False
        cells.append(display(value))
    if len(cells) < 2 or any(len(c) > 6 for c in cells):
        return False
    return all(_NUMBERING_CELL_RE.fullmatch(synonyms.normalize(c).replace(" ", "") or "-") for c in cells)


def _heading_parts(columns: tuple[SheetColumn, ...]) -> list[frozenset[str]]:
    return [frozenset(unicodedata.normalize("NFC", part).lower() for part in col.heading.split(" / ") if part)
            for col in columns]


def _repeats_header(row: SheetRow, parts: list[frozenset[str]], longest: int) -> bool:
    """A header row printed again inside the table (lists that run over several pages);
    `longest`: the length of the longest heading."""
    matches = 0
    for value, headings in zip(row.values, parts, strict=True):
        if (isinstance(value, str) and headings and len(value) <= 3 * longest  # 3: decomposed tones
                and unicodedata.normalize("NFC", value).lower() in headings):
            matches += 1
    return matches >= 2


def _name_of(table: DetectedTable, row: SheetRow) -> str:
    parts = [display(table.value(row, f)) for f in ("full_name", "family_middle", "family", "middle", "given")]
    return " ".join(p for p in parts if p).strip()


def _looks_like_id(value: Cell) -> bool:
    digits = re.sub(r"\D", "", display(value))
    return len(digits) >= 9


def looks_like_date(value: Cell) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        text.parse_date(value)
    except ValueError:
        return False
    return True


def _has_identity(table: DetectedTable, row: SheetRow) -> bool:
    """Something that identifies a person: an ID-like number or a date of birth."""
    if _looks_like_id(table.value(row, "national_id")):
        return True
    return any(looks_like_date(table.value(row, f)) for f in BIRTH_FIELDS)


def _first_text(row: SheetRow) -> str | None:
    for value in row.values:
        if isinstance(value, str) and not value.replace(".", "").isdigit():
            return value
    return None


def _is_group_heading(table: DetectedTable, row: SheetRow, sheet_wide: Mapping[tuple[int, int], int]) -> bool:
    filled = [(i, v) for i, v in enumerate(row.values) if v is not None]
    if len(filled) != 1:
        return False
    i, value = filled[0]
    col = table.columns[i].index
    return sheet_wide.get((row.number, col), 1) >= 2 or bool(_SECTION_RE.match(text.fold(display(value))))


def extract_rows(table: DetectedTable) -> None:
    """Take the data rows from `table.grid` under the current mapping."""
    wide = table.wide_cells
    parts = _heading_parts(table.columns)
    longest = max((len(part) for headings in parts for part in headings), default=0)
    rows: list[SheetRow] = []
    group_rows: list[int] = []
    end_row: int | None = None
    grid = table.grid
    started = False
    i = 0
    while i < len(grid):
        row = grid[i]
        if row.is_empty():
            if not started and i < 2:
                i += 1
                continue
            end_row = row.number
            break
        if _is_numbering_row(row) or _repeats_header(row, parts, longest):
            i += 1
            continue
        first = _first_text(row)
        if first is not None and synonyms.is_table_end(first):
            end_row = row.number
            break
        if _name_of(table, row) or _has_identity(table, row):
            rows.append(row)
            started = True
        elif (_is_group_heading(table, row, wide) and i + 1 < len(grid)
              and not grid[i + 1].is_empty() and _name_of(table, grid[i + 1])):
            group_rows.append(row.number)
        else:
            end_row = row.number
            break
        i += 1
    stray: list[int] = []
    if end_row is not None:
        start = next(k for k, r in enumerate(grid) if r.number == end_row)
        for row in grid[start + 1:start + 1 + STRAY_SCAN_ROWS]:
            if _name_of(table, row) and _has_identity(table, row):
                stray.append(row.number)
    table.rows, table.group_rows, table.stray_rows, table.end_row = rows, group_rows, stray, end_row


def check_mapping(mapping: Mapping[str, int], columns: Iterable[SheetColumn]) -> dict[str, int]:
    indexes = {col.index for col in columns}
    checked: dict[str, int] = {}
    for name, index in mapping.items():
        if name not in FIELDS:
            raise InputError(tr("roster_import", "Không có trường '{field}' để gán cột.").format(field=name))
        if index not in indexes:
            raise InputError(tr("roster_import", "Cột {column} nằm ngoài bảng danh sách: chọn một cột của bảng.")
                             .format(column=get_column_letter(index) if index > 0 else index))
        checked[name] = index
    used: dict[int, str] = {}
    for name, index in checked.items():
        if index in used:
            raise InputError(tr("roster_import", "Cột {column} đang được gán cho cả '{a}' và '{b}': mỗi cột chỉ "
                                                 "gán cho một trường.")
                             .format(column=get_column_letter(index), a=field_label(used[index]), b=field_label(name)))
        used[index] = name
    return checked


def default_mapping(columns: list[SheetColumn]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for col in columns:
        if col.detected and col.detected != "?" and col.detected not in mapping:
            mapping[col.detected] = col.index
    return mapping

