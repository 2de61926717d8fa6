"""The training-needs workbook (phiếu đăng ký nhu cầu đào tạo, bồi dưỡng): exported by the
program, filled in by the organisations or by the training office, imported back.

Layout of the first sheet (found by position, so the header must stay where it is; rows may
be re-sorted, and rows for organisations may be added by hand with the organisation's exact
name in column C):

    row 1-2   title and instructions
    row 3     hidden: the programme code of each programme column
    row 4     header: (hidden id) | STT | Đơn vị | Cấp | one column per programme | Ghi chú
    row 5...  one row per organisation (the tree, indented); column A (hidden) holds its id

A cell holds the number of learners the organisation plans to send; an empty cell changes
nothing, 0 removes what was registered. A hidden sheet "dtbd" names the year. Import checks
the whole file and refuses it whole, naming each problem by row and column.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Organisation, TrainingNeed
from dtbd_desktop.services.organisations import LEVEL_LABELS, OrganisationNode, organisation_tree
from dtbd_desktop.services.plans import active_programmes, set_needs
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.trust.operations import operation
from dtbd_desktop.workbooks import xlsx as xl
from dtbd_desktop.workbooks.files import open_workbook

KIND = "training_needs"
FORMAT_VERSION = 1
META_SHEET = "dtbd"
CODES_ROW = 3
HEADER_ROW = 4
FIRST_DATA_ROW = 5
ID_COL, NUMBER_COL, NAME_COL, LEVEL_COL = 1, 2, 3, 4
FIRST_PROGRAMME_COL = 5
MAX_EMPTY_ROWS = 20


def _flatten(nodes: list[OrganisationNode], depth: int = 0) -> list[tuple[OrganisationNode, int]]:
    out: list[tuple[OrganisationNode, int]] = []
    for node in nodes:
        out.append((node, depth))
        out.extend(_flatten(node.children, depth + 1))
    return out


def export_needs_workbook(session: Session, year: int, path: str | os.PathLike[str], *,
                          organisation_ids: set[int] | None = None) -> int:
    """Write the needs workbook of `year` (every active organisation, or those given), filled
    with what is registered so far. Returns the number of organisation rows."""
    programmes = active_programmes(session)
    active = set(session.scalars(select(Organisation.id).where(Organisation.active.is_(True))))
    registered = {(n.organisation_id, n.programme_id): n
                  for n in session.scalars(select(TrainingNeed).where(TrainingNeed.year == year))}
    rows = [(node, depth) for node, depth in _flatten(organisation_tree(session))
            if (node.id in active or any(k[0] == node.id for k in registered))
            and (organisation_ids is None or node.id in organisation_ids)]
    head = load_letterhead(session)

    wb, ws = xl.new_workbook(tr("plans", "Nhu cầu {year}").format(year=year))
    last_col = FIRST_PROGRAMME_COL + len(programmes)
    xl.set_column_widths(ws, [4, 5, 42, 10, *([11] * len(programmes)), 24])
    ws.column_dimensions["A"].hidden = True
    xl.merged_line(ws, 1, NUMBER_COL, last_col, tr("plans", "ĐĂNG KÝ NHU CẦU ĐÀO TẠO, BỒI DƯỠNG NĂM {year}").format(
        year=year), cell_font=xl.font(14, bold=True), height=24)
    xl.merged_line(ws, 2, NUMBER_COL, last_col, tr(
        "plans", "{centre}. Ghi số học viên dự kiến cử đi học vào cột của chương trình; để trống nếu không có "
                 "nhu cầu, ghi 0 để bỏ số đã đăng ký. Không sửa dòng tiêu đề.").format(centre=head.centre_name),
        cell_font=xl.font(11, italic=True), horizontal="left", height=32)
    ws.row_dimensions[CODES_ROW].hidden = True
    headings = [tr("plans", "STT"), tr("plans", "Đơn vị"), tr("plans", "Cấp")]
    for offset, heading in enumerate(headings):
        xl.header_cell(ws, HEADER_ROW, NUMBER_COL + offset, heading)
    for index, p in enumerate(programmes):
        column = FIRST_PROGRAMME_COL + index
        ws.cell(row=CODES_ROW, column=column, value=p.code)
        xl.header_cell(ws, HEADER_ROW, column, f"{text.nfc(p.name)} ({p.code})", size=10)
    xl.header_cell(ws, HEADER_ROW, last_col, tr("plans", "Ghi chú"))
    ws.row_dimensions[HEADER_ROW].height = 78

    body = xl.cell_style(wb, "needs-text", cell_font=xl.font(xl.TABLE_SIZE))
    centre = xl.cell_style(wb, "needs-centre", cell_font=xl.font(xl.TABLE_SIZE), horizontal="center")
    number = xl.cell_style(wb, "needs-number", cell_font=xl.font(xl.TABLE_SIZE), horizontal="right",
                           number_format="#,##0")
    for offset, (node, depth) in enumerate(rows):
        r = FIRST_DATA_ROW + offset
        ws.cell(row=r, column=ID_COL, value=node.id)
        ws.cell(row=r, column=NUMBER_COL, value=offset + 1).style = centre
        ws.cell(row=r, column=NAME_COL, value=("    " * depth) + node.name).style = body
        ws.cell(row=r, column=LEVEL_COL, value=tr("organisations", LEVEL_LABELS.get(node.level, node.level))).style = body
        notes = []
        for index, p in enumerate(programmes):
            need = registered.get((node.id, p.id))
            cell = ws.cell(row=r, column=FIRST_PROGRAMME_COL + index, value=need.learners if need else None)
            cell.style = number
            if need and need.note:
                notes.append(need.note)
        ws.cell(row=r, column=last_col, value="; ".join(dict.fromkeys(notes)) or None).style = body
    if rows and programmes:
        validation = DataValidation(type="whole", operator="between", formula1="0", formula2="100000",
                                    allow_blank=True, showErrorMessage=True,
                                    errorTitle=tr("plans", "Số học viên"),
                                    error=tr("plans", "Nhập số nguyên từ 0 trở lên, hoặc để trống."))
        validation.add(f"{get_column_letter(FIRST_PROGRAMME_COL)}{FIRST_DATA_ROW}:"
                       f"{get_column_letter(last_col - 1)}{FIRST_DATA_ROW + len(rows) - 1}")
        ws.add_data_validation(validation)
    xl.freeze_below(ws, HEADER_ROW, FIRST_PROGRAMME_COL)
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, HEADER_ROW, HEADER_ROW)

    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate((("kind", KIND), ("format_version", FORMAT_VERSION), ("year", year)), start=1):
        meta.cell(row=r, column=1, value=key)
        meta.cell(row=r, column=2, value=value)
    meta.sheet_state = "hidden"
    xl.set_document_properties(wb, title=tr("plans", "Đăng ký nhu cầu đào tạo, bồi dưỡng năm {year}").format(year=year),
                               author=head.centre_name)
    with atomic_output(path) as temp:
        xl.save_workbook(wb, temp)
    return len(rows)


@dataclass
class NeedsImport:
    year: int
    changed: int = 0
    cells: int = 0  # cells with a number
    dry_run: bool = False
    rejected: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "changed": self.changed, "cells": self.cells, "dry_run": self.dry_run,
                "rejected": [p.as_dict() for p in self.rejected]}


def _open(path: Path) -> Any:
    return open_workbook(path)


def read_meta(wb: Any, kind: str, name: str, hint: str) -> dict[str, Any]:
    """The hidden sheet naming what the workbook is; refuses a workbook of another kind."""
    if META_SHEET not in wb.sheetnames:
        raise InputError(tr("plans", "Tệp {name} không phải bảng tính do chương trình xuất ra (thiếu trang '{meta}'). "
                                     "{hint}").format(name=name, meta=META_SHEET, hint=hint))
    meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True) if r[0]}
    if meta.get("kind") != kind:
        raise InputError(tr("plans", "Tệp {name} là một bảng tính khác của chương trình, không phải loại này. "
                                     "{hint}").format(name=name, hint=hint))
    return meta


def whole_number(value: Any) -> int | None:
    """A cell as a non-negative whole number; None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        cleaned = value.strip().replace(".", "")
        if cleaned.isdigit():
            return int(cleaned)
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@operation("plans.import_needs", permission="edit_catalogue")
def import_needs_workbook(session: Session, path: str | os.PathLike[str], *, dry_run: bool = False,
                          year: int | None = None) -> NeedsImport:
    """Read a needs workbook and register its numbers, all or none (InputError lists every
    problem). The year is the workbook's; `year`, when given, must match it."""
    file = Path(path)
    wb = _open(file)
    hint = tr("plans", "Hãy xuất phiếu đăng ký nhu cầu bằng chương trình (Báo cáo → Kế hoạch) rồi nhập lại.")
    meta = read_meta(wb, KIND, file.name, hint)
    file_year = whole_number(meta.get("year"))
    if file_year is None:
        raise InputError(tr("plans", "Tệp {name} không ghi năm của phiếu đăng ký.").format(name=file.name))
    if year is not None and year != file_year:
        raise InputError(tr("plans", "Tệp {name} là phiếu đăng ký năm {other}, không phải năm {year}.").format(
            name=file.name, other=file_year, year=year))
    ws = wb.worksheets[0]
    known_codes = {p.code for p in active_programmes(session)}
    orgs = dict(session.execute(select(Organisation.id, Organisation.name)).all())
    by_name: dict[str, list[int]] = {}
    for org_id, org_name in orgs.items():
        by_name.setdefault(text.fold(org_name), []).append(org_id)
    problems: list[Problem] = []
    columns: dict[int, str] = {}
    column = FIRST_PROGRAMME_COL
    note_col = None
    while column <= ws.max_column:
        code = text.clean(ws.cell(row=CODES_ROW, column=column).value)
        if code is None:
            note_col = column
            break
        if code not in known_codes:
            problems.append(Problem(tr("plans", "Cột {letter}: không có chương trình mã '{code}'.").format(
                letter=get_column_letter(column), code=code), row=CODES_ROW, column=get_column_letter(column)))
        else:
            columns[column] = code
        column += 1

    values: list[tuple[int, str, int, str | None]] = []
    rows: list[int] = []
    seen: dict[int, int] = {}
    empty_run = 0
    r = FIRST_DATA_ROW
    result = NeedsImport(year=file_year, dry_run=dry_run)
    while empty_run < MAX_EMPTY_ROWS and r <= ws.max_row:
        cells = {c: ws.cell(row=r, column=c).value for c in range(1, (note_col or column) + 1)}
        if all(_blank(v) for c, v in cells.items() if c != NUMBER_COL):
            empty_run += 1
            r += 1
            continue
        empty_run = 0
        numbers = {c: cells[c] for c in columns if not _blank(cells[c])}
        name = text.clean(cells[NAME_COL])
        oid = whole_number(cells[ID_COL])
        if oid is None or oid not in orgs:
            matches = by_name.get(text.fold(name), []) if name else []
            oid = matches[0] if len(matches) == 1 else None
        if oid is None:
            if numbers:
                problems.append(Problem(tr("plans", "Dòng {row}: không tìm thấy đơn vị '{name}' trong danh mục đơn vị; "
                                                    "hãy thêm đơn vị trước hoặc ghi đúng tên.").format(
                    row=r, name=name or "?"), row=r, column=get_column_letter(NAME_COL)))
            r += 1
            continue
        if oid in seen:
            problems.append(Problem(tr("plans", "Dòng {row}: đơn vị '{name}' đã có ở dòng {first}.").format(
                row=r, name=orgs[oid], first=seen[oid]), row=r, column=get_column_letter(NAME_COL)))
            r += 1
            continue
        seen[oid] = r
        note = text.clean(cells.get(note_col)) if note_col else None
        for c, raw in numbers.items():
            n = whole_number(raw)
            letter = get_column_letter(c)
            if n is None or n > 100_000:
                problems.append(Problem(tr("plans", "Ô {cell}: '{value}' không phải số học viên (số nguyên từ 0).").format(
                    cell=f"{letter}{r}", value=raw), row=r, column=letter))
                continue
            values.append((oid, columns[c], n, note))
            rows.append(r)
        r += 1
    result.cells = len(values)
    if problems:
        raise InputError(tr("plans", "Chưa nhập phiếu đăng ký {name}: có {n} lỗi, không có gì bị thay đổi.").format(
            name=file.name, n=len(problems)), problems)
    result.changed = set_needs(session, file_year, values, rows=rows, dry_run=dry_run)
    return result
