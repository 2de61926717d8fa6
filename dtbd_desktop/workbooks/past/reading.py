"""Reading a workbook of past registers (or of past class results): every sheet's table found by
the roster import's engine (`roster.sheet.read_tables`: the table under its title rows, headings
matched as data, legacy encodings), its title block read (`columns.parse_title`), and every row
cleaned: the person by the roster import's `RowCleaner`, the register's own cells here. Nothing
here touches the database; every problem names its sheet, row and column.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from dtbd_desktop.base import legacy_encoding, text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.workbooks.past.columns import (
    PAST_FIELDS,
    TitleFacts,
    match_past_heading,
    parse_title,
    readable,
    split_decision,
)
from dtbd_desktop.workbooks.roster.cleaning import ImportProblem, PersonData, RowCleaner, with_advice
from dtbd_desktop.workbooks.roster.sheet import SheetTable, read_tables
from dtbd_desktop.workbooks.roster.table import DetectedTable, SheetRow, display

SERIAL_LIMIT = 60
CLASSIFICATIONS = {"xuat sac": "Xuất sắc", "gioi": "Giỏi", "kha": "Khá", "trung binh kha": "Trung bình khá",
                   "trung binh": "Trung bình", "dat": "Đạt", "tb": "Trung bình", "tbk": "Trung bình khá"}


@dataclass
class SheetProblem:
    """A problem at a sheet, row and column of the file (row and column None: the whole sheet)."""

    sheet: str
    row: int | None
    column: str | None
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "message": self.message}


@dataclass
class PastLine:
    """One row of a past register, cleaned: the person and the register line as printed."""

    sheet: str
    row: int
    person: PersonData
    serial: str | None = None
    register_number: str | None = None
    issue_date: dt.date | None = None
    classification: str | None = None
    decision_number: str | None = None
    decision_date: dt.date | None = None
    average: Decimal | None = None
    course: str | None = None
    mode: str | None = None
    birth_printed: str = ""  # the birth date as the register prints it
    converted: bool = False
    scores: dict[str, Decimal] = field(default_factory=dict)  # past class results: module column -> score


@dataclass
class PastSheet:
    name: str
    table: DetectedTable
    facts: TitleFacts
    past_columns: dict[str, int]  # register field -> sheet column index
    lines: list[PastLine] = field(default_factory=list)
    problems: list[SheetProblem] = field(default_factory=list)
    header_row: int = 1

    def column_label(self, field_name: str) -> str | None:
        index = self.past_columns.get(field_name)
        if index is not None:
            return self.table.sheet_column(index).label
        col = self.table.column_for(field_name)
        return col.label if col is not None else None


@dataclass
class PastWorkbook:
    path: Path
    sheets: list[PastSheet]
    empty_sheets: list[str]

    @property
    def file_name(self) -> str:
        return self.path.name

    @property
    def problems(self) -> list[SheetProblem]:
        return [p for sheet in self.sheets for p in sheet.problems]


def _title_facts(found: SheetTable) -> TitleFacts:
    lines = [(row, readable(value, font)) for row, value, font in found.title_lines]
    return parse_title(lines)


def _past_columns(table: DetectedTable) -> tuple[dict[str, int], DetectedTable]:
    """The register's columns, and the table with those columns taken out of the learner mapping."""
    past: dict[str, int] = {}
    for col in table.columns:
        found = match_past_heading(col.heading) if col.heading else None
        if found is not None and found not in past:
            past[found] = col.index
    used = set(past.values())
    mapping = {name: index for name, index in table.mapping.items() if index not in used}
    if mapping != table.mapping:
        table = dataclasses.replace(table, mapping=mapping)
    return past, table


def _cell(table: DetectedTable, row: SheetRow, index: int | None) -> tuple[Any, str | None]:
    if index is None:
        return None, None
    position = table.position(index)
    return row.values[position], row.fonts[position]


def _text(value: Any, font: str | None) -> tuple[str | None, bool]:
    if value is None:
        return None, False
    raw = value if isinstance(value, str) else display(value)
    converted, changed = legacy_encoding.convert_if_legacy(raw, font)
    return text.clean(converted), changed


def classification_of(value: str | None) -> str | None:
    """A classification as the register writes it, in its usual spelling ("KHÁ" -> "Khá")."""
    if not value:
        return None
    return CLASSIFICATIONS.get(text.fold(value).strip(" ."), value)


class LineCleaner:
    """Cleans the rows of one sheet; problems go to `sheet.problems` with their row and column."""

    def __init__(self, sheet: PastSheet, today: dt.date) -> None:
        self.sheet = sheet
        self.today = today
        self.reference = sheet.facts.start or sheet.facts.decision_date or dt.date(sheet.facts.year or 2000, 6, 30)
        self.people = RowCleaner(sheet.table, self.reference, today)

    def problem(self, row: int | None, field_name: str | None, message: str) -> None:
        self.sheet.problems.append(SheetProblem(self.sheet.name, row, self.sheet.column_label(field_name)
                                                if field_name else None, message))

    def clean(self, row: SheetRow) -> PastLine:
        sheet, table = self.sheet, self.sheet.table
        person = self.people.clean(row)
        for p in person.problems:
            sheet.problems.append(SheetProblem(sheet.name, p.row, p.column, p.message))
        line = PastLine(sheet.name, row.number, person, converted=person.converted)
        birth_value = next((table.value(row, f) for f in ("birth_date", "birth_male", "birth_female")
                            if table.value(row, f) is not None), None)
        line.birth_printed = (text.format_date(person.birth_date) if person.birth_date else
                              str(person.birth_year) if person.birth_year else display(birth_value))
        values: dict[str, tuple[Any, str | None]] = {name: _cell(table, row, index)
                                                     for name, index in sheet.past_columns.items()}
        texts: dict[str, str | None] = {}
        for name, (value, font) in values.items():
            if name in ("issue_date", "decision_date", "average"):
                continue
            texts[name], changed = _text(value, font)
            line.converted = line.converted or changed
        line.serial = texts.get("serial")
        line.register_number = texts.get("register_number")
        line.classification = classification_of(texts.get("classification"))
        line.course = texts.get("course")
        line.mode = texts.get("mode")
        line.decision_number = texts.get("decision_number")
        if texts.get("decision"):
            number, date = split_decision(texts["decision"] or "")
            line.decision_number = line.decision_number or number
            line.decision_date = date
        line.issue_date = self._date(row, "issue_date", values.get("issue_date", (None, None))[0])
        decision_date = self._date(row, "decision_date", values.get("decision_date", (None, None))[0])
        line.decision_date = decision_date or line.decision_date
        line.decision_number = line.decision_number or sheet.facts.decision_number
        line.decision_date = line.decision_date or sheet.facts.decision_date
        self._average(line, row, values.get("average", (None, None))[0])
        for name, limit in (("serial", SERIAL_LIMIT), ("register_number", SERIAL_LIMIT), ("decision_number", 60),
                            ("classification", 40)):
            value = getattr(line, name)
            if value is not None and len(value) > limit:
                self.problem(row.number, name, tr("past_import", "'{value}' dài quá {n} ký tự: kiểm tra lại ô này.")
                             .format(value=value[:80], n=limit))
        return line

    def _date(self, row: SheetRow, field_name: str, value: Any) -> dt.date | None:
        if value is None:
            return None
        try:
            day, _year = text.parse_date(value)
        except text.DateParseError as exc:
            self.problem(row.number, field_name, with_advice(exc.message, tr("past_import", "ghi ngày dạng dd/mm/yyyy")))
            return None
        if day is None:
            self.problem(row.number, field_name, tr("past_import", "Ô này chỉ ghi năm: ghi đủ ngày dạng dd/mm/yyyy."))
            return None
        if day > self.today:
            self.problem(row.number, field_name, tr("past_import", "Ngày {date} ở tương lai: kiểm tra lại.").format(
                date=text.format_date(day)))
            return None
        return day

    def _average(self, line: PastLine, row: SheetRow, value: Any) -> None:
        if value is None:
            return
        try:
            line.average = text.parse_score(value)
        except text.ScoreParseError as exc:
            self.problem(row.number, "average", with_advice(exc.message, tr("past_import", "ghi điểm từ 0 đến 10")))


def read_past_workbook(path: str | Path, *, today: dt.date | None = None) -> PastWorkbook:
    """Every sheet of the workbook that holds a table of learners, its rows cleaned (see the
    module's docstring). Raises `RosterFileError` (an InputError naming the file) when the file
    cannot be read; a file with no table at all is refused the same way."""
    source = Path(path)
    found, empty = read_tables(source)
    today = today or dt.date.today()
    sheets: list[PastSheet] = []
    for item in found:
        # Headings typed in TCVN3/VNI are shown converted in every message naming their column
        columns = tuple(dataclasses.replace(col, heading=" / ".join(readable(part, None) for part in
                                                                   col.heading.split(" / ")))
                        for col in item.table.columns)
        past, table = _past_columns(dataclasses.replace(item.table, columns=columns))
        sheet = PastSheet(table.sheet, table, _title_facts(item), past, header_row=table.header_rows[0])
        cleaner = LineCleaner(sheet, today)
        sheet.lines = [cleaner.clean(row) for row in table.rows]
        for number in table.stray_rows:
            cleaner.problem(number, None, tr("past_import", "Dòng {row} có vẻ là một học viên nhưng nằm ngoài bảng (bảng "
                                                            "kết thúc ở dòng {end}): xóa dòng trống hoặc dòng ghi chú "
                                                            "xen giữa, rồi nhập lại.").format(row=number,
                                                                                              end=table.end_row))
        sheets.append(sheet)
    return PastWorkbook(source, sheets, empty)


def field_label(name: str) -> str:
    return tr("past_import", PAST_FIELDS[name])


__all__ = ["ImportProblem", "PastLine", "PastSheet", "PastWorkbook", "SheetProblem", "classification_of",
           "field_label", "read_past_workbook"]
