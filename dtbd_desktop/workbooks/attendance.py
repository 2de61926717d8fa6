"""The attendance workbook, for centres that still sign on paper: exported by the program,
typed in by the training office from the signed sheets, imported back.

Layout of the sheet "Điểm danh" (the program finds everything by position, so the header
must stay where it is; rows may be re-sorted):

    row 1-3   title, class, legend of the codes
    row 4     hidden: the id of each session column
    row 5-7   header: STT | Số CCCD | Họ và tên | Đơn vị | one column per session, with
              its date (dd/mm) / half-day (Sáng, Chiều, Tối) / module code
    row 8...  one row per learner; column A (hidden) holds the enrolment id

Codes: C có mặt, P vắng có phép, K vắng không phép, M đi muộn (any case; the English words
and the Vietnamese labels are read too). An empty cell changes nothing. Each session cell
has a drop-down list of the codes (Excel data validation). Sessions already locked are
shaded grey. A hidden sheet "dtbd" names the class, so a workbook of another class is
refused.

Import checks the whole file first and refuses it whole, naming every problem by its sheet
row and column: an unknown code, a learner or session no longer in the class, a CCCD that
does not match the learner of the row, a change on a locked session without permission and
reason, present/late/unexcused entered for a session still to come. Only then are the
changes written, by `services.attendance` in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules import timetable
from dtbd_desktop.services.attendance import AttendanceGrid, Change, apply_plan, load_grid, plan_marks
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.trust.operations import class_code as class_code_scope
from dtbd_desktop.trust.operations import operation
from dtbd_desktop.workbooks import xlsx as xl
from dtbd_desktop.workbooks.files import open_workbook

FORMAT_VERSION = 1
META_SHEET = "dtbd"
SHEET_TITLE = "Điểm danh"
IDS_ROW = 4
HEADER_ROWS = (5, 6, 7)
FIRST_DATA_ROW = 8
ID_COL, NUMBER_COL, NID_COL, NAME_COL, ORG_COL = 1, 2, 3, 4, 5
FIRST_SESSION_COL = 6
LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")
MAX_EMPTY_ROWS = 20  # reading stops after this many empty rows in a row


def _codes_line() -> str:
    """"C = có mặt; P = vắng có phép; K = vắng không phép; M = đi muộn" (Excel's messages: 255 characters)."""
    return "; ".join(f"{code} = {rules_mod.status_label(status).lower()}"
                     for status, code in rules_mod.STATUS_CODES.items())


def legend() -> str:
    return tr("attendance", "Ký hiệu: {codes}. Ô để trống: không thay đổi điểm danh đã có. Cột tô xám: buổi đã khóa "
                            "(sửa cần người có quyền và lý do).").format(codes=_codes_line())


# ---------------------------------------------------------------------------------- export


def render_workbook(grid: AttendanceGrid, path: str | os.PathLike[str], *, centre_name: str = "") -> int:
    """Write the workbook; returns the number of learner rows."""
    wb, ws = xl.new_workbook(tr("attendance", SHEET_TITLE))
    xl.set_document_properties(wb, title=tr("attendance", "Bảng điểm danh lớp {code}").format(code=grid.class_code),
                               author=centre_name)
    sessions = grid.sessions
    last_col = FIRST_SESSION_COL + len(sessions) - 1 if sessions else ORG_COL
    xl.set_column_widths(ws, [6, 5.5, 15, 26, 18])
    for index in range(len(sessions)):
        ws.column_dimensions[get_column_letter(FIRST_SESSION_COL + index)].width = 6.5
    ws.column_dimensions["A"].hidden = True
    span = min(last_col, FIRST_SESSION_COL + 20)
    xl.merged_line(ws, 1, NUMBER_COL, span, tr("attendance", "BẢNG ĐIỂM DANH LỚP {code}").format(code=grid.class_code),
                   cell_font=xl.font(14, bold=True), horizontal="left")
    xl.merged_line(ws, 2, NUMBER_COL, span, grid.class_name, cell_font=xl.font(xl.TABLE_SIZE, italic=True),
                   horizontal="left")
    xl.merged_line(ws, 3, NUMBER_COL, span, legend(), cell_font=xl.font(xl.TABLE_SIZE), horizontal="left", height=32)

    ws.cell(row=IDS_ROW, column=ID_COL, value="#")
    ws.row_dimensions[IDS_ROW].hidden = True
    top, bottom = HEADER_ROWS[0], HEADER_ROWS[-1]
    ws.cell(row=top, column=ID_COL, value=tr("attendance", "Mã"))
    for column, heading in ((NUMBER_COL, tr("reports", "STT")), (NID_COL, tr("attendance", "Số CCCD")),
                            (NAME_COL, tr("reports", "Họ và tên")), (ORG_COL, tr("reports", "Đơn vị"))):
        xl.header_cell(ws, top, column, heading, last_row=bottom)
    for index, s in enumerate(sessions):
        column = FIRST_SESSION_COL + index
        ws.cell(row=IDS_ROW, column=column, value=s.id)
        xl.header_cell(ws, top, column, f"{s.date.day:02d}/{s.date.month:02d}", size=10)
        xl.header_cell(ws, top + 1, column, timetable.half_label(s.half), size=10)
        xl.header_cell(ws, bottom, column, s.module_code or timetable.session_kind_label(s.kind), size=10)
        ws.cell(row=top, column=column).comment = Comment(
            f"{timetable.weekday_label(s.date)} {text.format_date(s.date)}, {timetable.half_label(s.half).lower()}"
            + (f"\n{s.module_code} – {s.module_name}" if s.module_code else "")
            + (f"\n{s.lecturer}" if s.lecturer else ""), "DTBD")
        if grid.is_locked(s.id):
            for r in HEADER_ROWS:
                ws.cell(row=r, column=column).fill = LOCKED_FILL
    body = xl.font(xl.TABLE_SIZE)
    centre = xl.align("center", "center", wrap=False)
    left = xl.align("left", "center", wrap=False)
    locked_columns = {FIRST_SESSION_COL + i for i, s in enumerate(sessions) if grid.is_locked(s.id)}
    row = FIRST_DATA_ROW
    for number, learner in enumerate(grid.learners, start=1):
        ws.cell(row=row, column=ID_COL, value=learner.enrolment_id)
        for column, value in ((NUMBER_COL, number), (NID_COL, learner.national_id),
                              (NAME_COL, learner.full_name), (ORG_COL, learner.organisation_short or learner.organisation)):
            c = ws.cell(row=row, column=column, value=value)
            c.font, c.border, c.alignment = body, xl.THIN_BORDER, centre if column == NUMBER_COL else left
            if column == NID_COL:
                c.number_format = "@"  # text: keep the leading zeros
        for index, s in enumerate(sessions):
            column = FIRST_SESSION_COL + index
            status = grid.marks.get((learner.enrolment_id, s.id))
            c = ws.cell(row=row, column=column, value=rules_mod.STATUS_CODES[status] if status else None)
            c.font, c.border, c.alignment = body, xl.THIN_BORDER, centre
            if column in locked_columns:
                c.fill = LOCKED_FILL
        row += 1
    last_row = max(row - 1, FIRST_DATA_ROW)
    if sessions:
        codes = ",".join(rules_mod.STATUS_CODES.values())
        validation = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=True, showErrorMessage=True,
                                    errorTitle=tr("attendance", "Ký hiệu không hợp lệ"),
                                    error=_codes_line()[:255], promptTitle=tr("attendance", "Điểm danh"),
                                    prompt=_codes_line()[:255])
        validation.add(f"{get_column_letter(FIRST_SESSION_COL)}{FIRST_DATA_ROW}:"
                       f"{get_column_letter(last_col)}{last_row}")
        ws.add_data_validation(validation)
    xl.freeze_below(ws, bottom, FIRST_SESSION_COL)
    xl.page_setup(ws, landscape=True, fit_width=False)
    xl.print_titles(ws, top, bottom)

    guide = wb.create_sheet(tr("attendance", "Hướng dẫn"))
    guide.column_dimensions["A"].width = 100
    lines = [
        tr("attendance", "Bảng điểm danh lớp {code} do chương trình DTBD xuất ngày {date}.").format(
            code=grid.class_code, date=text.format_date(grid.today)),
        tr("attendance", "Ghi vào mỗi ô (học viên × buổi học) một ký hiệu:"),
        *(f"   {code}: {rules_mod.status_label(status)}" for status, code in rules_mod.STATUS_CODES.items()),
        tr("attendance", "Ô để trống không thay đổi điểm danh đã có trong chương trình."),
        tr("attendance", "Không thêm, xóa hay đổi chỗ các cột; có thể sắp xếp lại các dòng học viên."),
        tr("attendance", "Cột tô xám là buổi học đã khóa: sửa các buổi này cần người có quyền và ghi lý do khi nhập."),
        tr("attendance", "Nhập lại vào chương trình: dtbd attendance import {code} TỆP.xlsx (thêm --dry-run để kiểm "
                         "tra trước). Nếu có lỗi, không có gì bị thay đổi và chương trình chỉ ra từng ô lỗi.").format(
            code=grid.class_code),
    ]
    for index, line in enumerate(lines, start=1):
        guide.cell(row=index, column=1, value=line).font = xl.font(xl.TABLE_SIZE)
    meta = wb.create_sheet(META_SHEET)
    entries: list[tuple[str, str | int]] = [("format", FORMAT_VERSION), ("class_code", grid.class_code),
                                            ("class_id", grid.class_id), ("exported", grid.today.isoformat())]
    for index, (key, value) in enumerate(entries, start=1):
        meta.cell(row=index, column=1, value=key)
        meta.cell(row=index, column=2, value=value)
    meta.sheet_state = "hidden"
    wb.active = 0
    xl.save_workbook(wb, path)
    return len(grid.learners)


def export_workbook(session: Session, class_code: str, path: str | os.PathLike[str], *,
                    today: dt.date | None = None) -> tuple[int, int]:
    """Write the class's attendance workbook; returns (learner rows, session columns)."""
    cls = get_class(session, class_code)
    grid = load_grid(session, cls, today=today)
    head = load_letterhead(session)
    with atomic_output(path) as temp:
        rows = render_workbook(grid, temp, centre_name=head.centre_name)
    return rows, len(grid.sessions)


# ---------------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do)."""

    changed: int = 0
    unchanged: int = 0  # filled cells equal to the mark already recorded
    locked: int = 0  # changes on locked sessions (audited)
    dry_run: bool = False
    rejected: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"changed": self.changed, "unchanged": self.unchanged, "locked": self.locked,
                "dry_run": self.dry_run, "rejected": [p.as_dict() for p in self.rejected]}


def _open(path: Path) -> Any:
    return open_workbook(path)


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


@operation("attendance.import_workbook", permission="mark_attendance", scope=class_code_scope(), audited=False)
def import_workbook(session: Session, class_code: str, path: str | os.PathLike[str], *, dry_run: bool = False,
                    reason: str | None = None, allow_locked: bool = False,
                    today: dt.date | None = None) -> ImportResult:
    """Read an attendance workbook exported for the class and write its marks, all or none.

    Raises InputError with every problem (sheet row, column letter, message) and changes
    nothing when any cell is refused. `dry_run` checks everything and writes nothing."""
    today = today or dt.date.today()
    cls = get_class(session, class_code)
    file = Path(path)
    wb = _open(file)
    if META_SHEET not in wb.sheetnames:
        raise InputError(tr("attendance", "Tệp {name} không phải bảng điểm danh do chương trình xuất ra (thiếu trang "
                                          "'{meta}'). Hãy xuất bảng điểm danh bằng lệnh: dtbd attendance export {code} "
                                          "--out TỆP.xlsx").format(name=file.name, meta=META_SHEET, code=cls.code))
    meta = {str(r[0]): r[1] for r in wb[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True) if r[0]}
    if str(meta.get("class_code")) != cls.code:
        raise InputError(tr("attendance", "Tệp {name} là bảng điểm danh lớp {other}, không phải lớp {code}.").format(
            name=file.name, other=meta.get("class_code"), code=cls.code))
    ws = wb.worksheets[0]
    grid = load_grid(session, cls, today=today)
    learners = {learner.enrolment_id: learner for learner in grid.learners}
    sessions = {s.id: s for s in grid.sessions}
    problems: list[Problem] = []

    columns: dict[int, int] = {}  # sheet column -> session id
    column = FIRST_SESSION_COL
    while column <= ws.max_column:
        raw = ws.cell(row=IDS_ROW, column=column).value
        heading = ws.cell(row=HEADER_ROWS[0], column=column).value
        if raw is None and heading is None:
            break
        sid = _int(raw)
        letter = get_column_letter(column)
        if sid is None or sid not in sessions:
            problems.append(Problem(tr("attendance", "Cột {letter} ({heading}): buổi học này không còn trong thời khóa "
                                                     "biểu của lớp; hãy xuất lại bảng điểm danh.").format(
                letter=letter, heading=heading or "?"), row=HEADER_ROWS[0], column=letter))
        else:
            columns[column] = sid
        column += 1

    changes: list[Change] = []
    cells: list[tuple[int, str]] = []  # (row, column letter) of each change
    seen: dict[int, int] = {}
    empty_run = 0
    row = FIRST_DATA_ROW
    while empty_run < MAX_EMPTY_ROWS and row <= ws.max_row:
        values = [ws.cell(row=row, column=c).value for c in range(1, max(columns, default=ORG_COL) + 1)]
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            empty_run += 1
            row += 1
            continue
        empty_run = 0
        eid = _int(values[ID_COL - 1])
        learner = learners.get(eid) if eid is not None else None
        if learner is None:
            problems.append(Problem(tr("attendance", "Dòng {row}: học viên {name} không có trong lớp {code} (dòng thêm "
                                                     "tay hoặc học viên đã chuyển lớp); hãy xóa dòng này hoặc xuất lại "
                                                     "bảng.").format(row=row, name=values[NAME_COL - 1] or "?",
                                                                     code=cls.code), row=row, column="A"))
            row += 1
            continue
        assert eid is not None
        if eid in seen:
            problems.append(Problem(tr("attendance", "Dòng {row}: học viên {name} đã có ở dòng {first}.").format(
                row=row, name=learner.full_name, first=seen[eid]), row=row, column="A"))
            row += 1
            continue
        seen[eid] = row
        typed_id = text.clean(values[NID_COL - 1])
        if typed_id is not None:
            with contextlib.suppress(ValueError):  # else compared as typed: it cannot match
                typed_id = text.normalize_national_id(values[NID_COL - 1])
        if learner.national_id and typed_id and typed_id != learner.national_id:
            problems.append(Problem(tr("attendance", "Dòng {row}: số CCCD {typed} không khớp với học viên {name} ({nid}) "
                                                     "của dòng này.").format(row=row, typed=typed_id,
                                                                            name=learner.full_name,
                                                                            nid=learner.national_id),
                                    row=row, column=get_column_letter(NID_COL)))
            row += 1
            continue
        for column, sid in columns.items():
            value = values[column - 1]
            letter = get_column_letter(column)
            try:
                status = rules_mod.parse_status(value)
            except ValueError:
                problems.append(Problem(tr("attendance", "Ô {cell}: ký hiệu '{value}' không hợp lệ; dùng C, P, K, M "
                                                         "hoặc để trống.").format(cell=f"{letter}{row}", value=value),
                                        row=row, column=letter))
                continue
            if status is None:
                continue
            changes.append((eid, sid, status))
            cells.append((row, letter))
        row += 1

    plan = plan_marks(session, cls.id, changes, reason=reason, allow_locked=allow_locked, today=today)
    for index, message in plan.problems:
        cell_row, letter = cells[index]
        problems.append(Problem(tr("attendance", "Ô {cell}: {message}").format(cell=f"{letter}{cell_row}",
                                                                              message=message),
                                row=cell_row, column=letter))
    result = ImportResult(changed=len(plan.changes), unchanged=len(changes) - len(plan.changes) - len(plan.problems),
                          locked=len(plan.locked), dry_run=dry_run)
    if problems:
        problems.sort(key=lambda p: (p.row or 0, len(p.column or ""), p.column or ""))
        raise InputError(tr("attendance", "Không nhập được tệp {name}: {n} lỗi; không có gì bị thay đổi.").format(
            name=file.name, n=len(problems)), problems)
    if not dry_run:
        apply_plan(session, plan, reason=reason)
    return result


__all__ = ["FORMAT_VERSION", "ImportResult", "export_workbook", "import_workbook", "legend", "render_workbook"]
