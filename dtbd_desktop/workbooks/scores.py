"""The fill-in score workbook of one module: exported to be filled in, imported back with the
same checks as typing in the grid, all or nothing."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.services.scores import (
    ScoreChange,
    ScoreEntry,
    load_score_sheet,
    set_scores,
)
from dtbd_desktop.trust import operations
from dtbd_desktop.trust.operations import operation

# ----------------------------------------------------------------------------- the fill-in workbook


def class_heading(name: str, code: str) -> str:
    """"Lớp Trung cấp ... A48" as it is; "Khóa 86" as "Lớp Khóa 86"; the code added when the name
    lacks it: never "Lớp Lớp ..."."""
    name = text.nfc(name).strip()
    if not text.fold(name).startswith("lop "):
        name = tr("scores", "Lớp {name}").format(name=name)
    if code.casefold() not in name.casefold():
        name = tr("scores", "{name} (mã lớp {code})").format(name=name, code=code)
    return name

META_SHEET = "dtbd"
META_MARK = "dtbd-score-sheet"
_FIXED_HEADERS = ("STT", "Số CCCD", "Họ và tên", "Ngày sinh")


def export_score_workbook(session: Session, class_code: str, module_code: str, path: str | os.PathLike[str]) -> int:
    """Write the module's sheet as a workbook to fill in (current scores included); returns the
    learner rows. A hidden sheet records the class, module and columns for the import."""
    from openpyxl.styles import PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from dtbd_desktop.base.files import atomic_output
    from dtbd_desktop.workbooks import xlsx as xl

    sheet = load_score_sheet(session, class_code, module_code)
    wb, ws = xl.new_workbook(tr("scores", "Điểm {module}").format(module=sheet.module_code))
    xl.set_document_properties(wb, title=tr("scores", "Bảng điểm học phần {module} lớp {code}").format(
        module=sheet.module_code, code=sheet.class_code), author="DTBD Desktop")
    first_score_col = len(_FIXED_HEADERS) + 1
    note_col = first_score_col + len(sheet.columns)
    id_col = note_col + 1
    xl.set_column_widths(ws, [5.5, 15, 28, 12, *([12.0] * len(sheet.columns)), 22, 8])
    xl.merged_line(ws, 1, 1, note_col, tr("scores", "BẢNG ĐIỂM HỌC PHẦN"), cell_font=xl.font(14, bold=True))
    xl.merged_line(ws, 2, 1, note_col, tr("scores", "{name} — học phần {module}: {title} ({periods} tiết)").format(
        name=class_heading(sheet.class_name, sheet.class_code), module=sheet.module_code, title=sheet.module_name,
        periods=sheet.periods), cell_font=xl.font(xl.BODY_SIZE, bold=True))
    xl.merged_line(ws, 3, 1, note_col, tr("scores", "Nhập điểm từ 0 đến 10, một chữ số thập phân (ví dụ 8,5). Ô để trống "
                                                    "thì điểm giữ nguyên. Không sửa cột Số CCCD, cột Mã và dòng tiêu đề."),
                   cell_font=xl.font(11, italic=True))
    header_row = 5
    headers = [tr("scores", h) for h in _FIXED_HEADERS] + [c.label for c in sheet.columns] + \
        [tr("scores", "Ghi chú"), tr("scores", "Mã")]
    for col, label in enumerate(headers, start=1):
        xl.header_cell(ws, header_row, col, label)
    ws.row_dimensions[header_row].height = 32
    grey = PatternFill("solid", fgColor="DDDDDD")
    body = xl.font(xl.TABLE_SIZE)
    row = header_row + 1
    for number, r in enumerate(sheet.rows, start=1):
        values: list[xl.CellValue] = [number, r.national_id, r.full_name, xl.date_value(r.birth_text)]
        values += [float(v) if (v := r.value(c)) is not None else None for c in sheet.columns]
        note = "" if r.editable else tr("scores", "Đã thôi học hoặc chuyển lớp")
        values += [note or None, r.enrolment_id]
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=value)
            cell.font = body
            cell.border = xl.THIN_BORDER
            if col == 2:
                cell.number_format = "@"
            if col == 4:
                xl.set_date_format(cell)
                cell.alignment = xl.align("center")
            if first_score_col <= col < note_col:
                cell.number_format = "0.0"
                cell.alignment = xl.align("center")
                if not r.editable:
                    cell.fill = grey
        row += 1
    last_row = max(row - 1, header_row + 1)
    if sheet.columns:
        validation = DataValidation(type="decimal", operator="between", formula1="0", formula2="10",
                                    allow_blank=True, showErrorMessage=True,
                                    error=tr("scores", "Điểm từ 0 đến 10, một chữ số thập phân."),
                                    errorTitle=tr("scores", "Điểm không hợp lệ"))
        validation.add(f"{get_column_letter(first_score_col)}{header_row + 1}:"
                       f"{get_column_letter(note_col - 1)}{last_row}")
        ws.add_data_validation(validation)
    ws.column_dimensions[get_column_letter(id_col)].hidden = True
    xl.page_setup(ws, landscape=len(sheet.columns) > 3)
    xl.print_titles(ws, header_row, header_row)
    xl.freeze_below(ws, header_row, 4)
    meta = wb.create_sheet(META_SHEET)
    meta.sheet_state = "hidden"
    meta_rows: list[list[object]] = [
        [META_MARK, 1], ["class", sheet.class_code], ["module", sheet.module_code], ["sheet", ws.title],
        ["header_row", header_row], ["nid_col", 2], ["id_col", id_col],
    ]
    meta_rows += [["column", first_score_col + i, c.attempt, c.component, c.label] for i, c in enumerate(sheet.columns)]
    for meta_row in meta_rows:
        meta.append(meta_row)
    with atomic_output(path) as temp:
        xl.save_workbook(wb, temp)
    return len(sheet.rows)


@dataclass(frozen=True)
class ImportResult:
    module_code: str
    changed: int
    unchanged: int
    changes: list[ScoreChange]


def read_score_workbook(path: str | os.PathLike[str], class_code: str) -> tuple[str, list[ScoreEntry]]:
    """The module and the filled cells of a workbook made by `export_score_workbook`.

    Empty cells are left out (the score stays as it is). Raises InputError when the file is not
    such a workbook, belongs to another class, or its header was changed (row and column given)."""
    from openpyxl.utils import get_column_letter

    from dtbd_desktop.workbooks.files import open_workbook

    wb = open_workbook(path)
    not_ours = InputError(tr("scores", "Tệp {path} không phải bảng điểm xuất từ chương trình (thiếu trang thông tin "
                                       "ẩn). Hãy xuất bảng điểm bằng lệnh: dtbd grades sheet").format(path=path))
    if META_SHEET not in wb.sheetnames:
        raise not_ours
    meta_ws = wb[META_SHEET]
    meta_rows = [list(r) for r in meta_ws.iter_rows(values_only=True)]
    if not meta_rows or meta_rows[0][0] != META_MARK:
        raise not_ours
    meta: dict[str, Any] = {str(r[0]): r[1] for r in meta_rows[1:] if r and r[0] != "column"}
    columns = [(int(r[1]), int(r[2]), str(r[3] or ""), str(r[4] or "")) for r in meta_rows if r and r[0] == "column"]
    if text.nfc(str(meta.get("class"))) != text.nfc(class_code):
        raise InputError(tr("scores", "Bảng điểm này của lớp {other}, không phải lớp {code}.").format(
            other=meta.get("class"), code=class_code))
    if meta.get("sheet") not in wb.sheetnames:
        raise not_ours
    ws = wb[str(meta["sheet"])]
    header_row, nid_col, id_col = int(meta["header_row"]), int(meta["nid_col"]), int(meta["id_col"])
    module_code = str(meta["module"])
    problems = [
        Problem(tr("scores", "Tiêu đề cột đã bị sửa (cần '{label}'); hãy dùng bảng điểm mới xuất.").format(label=label),
                row=header_row, column=get_column_letter(col))
        for col, _attempt, _component, label in columns
        if text.nfc(str(ws.cell(row=header_row, column=col).value or "")) != text.nfc(label)
    ]
    if problems:
        raise InputError(tr("scores", "Bảng điểm đã bị sửa cấu trúc; không có điểm nào được nhập."), problems)
    entries = []
    for row in range(header_row + 1, ws.max_row + 1):
        raw_id = ws.cell(row=row, column=id_col).value
        nid = ws.cell(row=row, column=nid_col).value
        filled = [(col, attempt, component, ws.cell(row=row, column=col).value) for col, attempt, component, _l in columns]
        filled = [f for f in filled if f[3] is not None and not (isinstance(f[3], str) and not f[3].strip())]
        if not filled:
            continue
        enrolment_id = raw_id if isinstance(raw_id, int) and not isinstance(raw_id, bool) else None
        if isinstance(raw_id, float) and raw_id.is_integer():
            enrolment_id = int(raw_id)
        for col, attempt, component, value in filled:
            entries.append(ScoreEntry(
                module_code=module_code, value=value, enrolment_id=enrolment_id,
                national_id=None if enrolment_id is not None else (str(nid) if nid is not None else None),
                attempt=attempt, component=component or None, row=row, column=get_column_letter(col)))
    return module_code, entries


@operation("scores.import_workbook", permission="enter_scores", scope=operations.class_code())
def import_score_workbook(session: Session, class_code: str, path: str | os.PathLike[str], *,
                          reason: str | None = None,
                          allow_locked: bool = False) -> ImportResult:
    """Read a filled-in score workbook and save it all-or-nothing (the same checks as the grid);
    every problem comes with its sheet row and column."""
    module_code, entries = read_score_workbook(path, class_code)
    changes = set_scores(session, class_code, entries, reason=reason, allow_locked=allow_locked) \
        if entries else []
    changed = sum(1 for c in changes if c.changed)
    return ImportResult(module_code=module_code, changed=changed, unchanged=len(changes) - changed, changes=changes)

