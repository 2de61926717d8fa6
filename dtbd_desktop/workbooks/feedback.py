"""The feedback workbook of a class: exported by the program, the paper forms typed in by the
training office (one row per form), imported back.

Sheet "Danh mục" lists what can be rated: one item per module and lecturer of the class's
timetable (Mục 1, 2, ...; hidden columns keep the module code and the lecturer's id).
Sheet "Phiếu phản hồi" (found by position; the header must stay where it is):

    row 1-2   title and instructions
    row 4     header: STT | Mục | Học phần | Giảng viên | Nội dung | Phương pháp | Tác phong |
              Tính thiết thực | Ý kiến khác
    row 5...  one row per form: the item number, four ratings from 1 to 5, a comment;
              "Học phần" and "Giảng viên" are looked up from the item by formulas.

A hidden sheet "dtbd" names the class, so the forms of another class are refused. Import
checks everything and stores all forms or none (`services.feedback.add_feedback`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.rules.statistics import CRITERIA
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.feedback import (
    FeedbackForm,
    add_feedback,
    check_forms,
    criterion_label,
    feedback_targets,
)
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.trust.operations import operation
from dtbd_desktop.workbooks import xlsx as xl
from dtbd_desktop.workbooks.needs import META_SHEET, _open, read_meta, whole_number

KIND = "feedback"
FORMAT_VERSION = 1
ITEMS_SHEET = "Danh mục"
HEADER_ROW = 4
FIRST_DATA_ROW = 5
NUMBER_COL, ITEM_COL, MODULE_COL, LECTURER_COL = 1, 2, 3, 4
FIRST_RATING_COL = 5
COMMENT_COL = FIRST_RATING_COL + len(CRITERIA)
FORMULA_ROWS = 400  # rows prepared with the look-up formulas
MAX_EMPTY_ROWS = 30


def export_feedback_workbook(session: Session, class_code: str, path: str | os.PathLike[str]) -> int:
    """Write the class's feedback workbook; returns the number of items (module × lecturer)."""
    cls = get_class(session, class_code)
    targets = feedback_targets(session, cls.code)
    head = load_letterhead(session)
    wb, ws = xl.new_workbook(tr("feedback", "Phiếu phản hồi"))
    xl.set_column_widths(ws, [6, 7, 34, 26, 11, 12, 11, 12, 30])
    xl.merged_line(ws, 1, 1, COMMENT_COL, tr("feedback", "PHIẾU PHẢN HỒI CỦA HỌC VIÊN – LỚP {code}").format(
        code=cls.code), cell_font=xl.font(14, bold=True), height=24)
    xl.merged_line(ws, 2, 1, COMMENT_COL, tr(
        "feedback", "{centre}. Mỗi dòng là một phiếu: ghi số Mục (trang '{items}') và mức đánh giá từ 1 (rất không "
                    "hài lòng) đến 5 (rất hài lòng). Không sửa dòng tiêu đề.").format(
        centre=head.centre_name, items=ITEMS_SHEET), cell_font=xl.font(11, italic=True), horizontal="left", height=32)
    headings = [tr("feedback", "STT"), tr("feedback", "Mục"), tr("feedback", "Học phần"), tr("feedback", "Giảng viên"),
                *(criterion_label(c) for c in CRITERIA), tr("feedback", "Ý kiến khác")]
    for column, heading in enumerate(headings, start=1):
        xl.header_cell(ws, HEADER_ROW, column, heading)
    ws.row_dimensions[HEADER_ROW].height = 34
    items_ref = f"'{ITEMS_SHEET}'!$A:$D"
    plain = xl.cell_style(wb, "fb-text", cell_font=xl.font(xl.TABLE_SIZE))
    centre = xl.cell_style(wb, "fb-centre", cell_font=xl.font(xl.TABLE_SIZE), horizontal="center")
    for r in range(FIRST_DATA_ROW, FIRST_DATA_ROW + FORMULA_ROWS):
        ws.cell(row=r, column=NUMBER_COL, value=r - FIRST_DATA_ROW + 1).style = centre
        ws.cell(row=r, column=ITEM_COL).style = centre
        xl.formula(ws, r, MODULE_COL, f'=IF(B{r}="","",IFERROR(VLOOKUP(B{r},{items_ref},3,FALSE),"?"))').style = plain
        xl.formula(ws, r, LECTURER_COL, f'=IF(B{r}="","",IFERROR(VLOOKUP(B{r},{items_ref},4,FALSE),"?"))').style = plain
        for column in range(FIRST_RATING_COL, COMMENT_COL):
            ws.cell(row=r, column=column).style = centre
        ws.cell(row=r, column=COMMENT_COL).style = plain
    last = FIRST_DATA_ROW + FORMULA_ROWS - 1
    ratings = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True,
                             showErrorMessage=True, errorTitle=tr("feedback", "Mức đánh giá"),
                             error=tr("feedback", "Nhập số từ 1 đến 5."))
    ratings.add(f"{get_column_letter(FIRST_RATING_COL)}{FIRST_DATA_ROW}:{get_column_letter(COMMENT_COL - 1)}{last}")
    ws.add_data_validation(ratings)
    if targets:
        items = DataValidation(type="whole", operator="between", formula1="1", formula2=str(len(targets)),
                               allow_blank=True, showErrorMessage=True, errorTitle=tr("feedback", "Mục"),
                               error=tr("feedback", "Ghi số Mục có trong trang '{items}'.").format(items=ITEMS_SHEET))
        items.add(f"B{FIRST_DATA_ROW}:B{last}")
        ws.add_data_validation(items)
    xl.freeze_below(ws, HEADER_ROW)
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, HEADER_ROW, HEADER_ROW)

    sheet = wb.create_sheet(ITEMS_SHEET)
    xl.set_column_widths(sheet, [7, 12, 44, 30, 10, 10])
    for column, heading in enumerate([tr("feedback", "Mục"), tr("feedback", "Mã học phần"), tr("feedback", "Học phần"),
                                      tr("feedback", "Giảng viên"), "module", "lecturer_id"], start=1):
        xl.header_cell(sheet, 1, column, heading)
    for number, t in enumerate(targets, start=1):
        for column, value in enumerate([number, t.module_code, t.module_name, t.lecturer_name, t.module_code,
                                        t.lecturer_id], start=1):
            sheet.cell(row=number + 1, column=column, value=value).style = plain
    sheet.column_dimensions["E"].hidden = True
    sheet.column_dimensions["F"].hidden = True
    xl.page_setup(sheet, landscape=False)

    meta = wb.create_sheet(META_SHEET)
    for r, (key, value) in enumerate((("kind", KIND), ("format_version", FORMAT_VERSION), ("class_code", cls.code)),
                                     start=1):
        meta.cell(row=r, column=1, value=key)
        meta.cell(row=r, column=2, value=value)
    meta.sheet_state = "hidden"
    xl.set_document_properties(wb, title=tr("feedback", "Phiếu phản hồi lớp {code}").format(code=cls.code),
                               author=head.centre_name)
    with atomic_output(path) as temp:
        xl.save_workbook(wb, temp)
    return len(targets)


@dataclass
class FeedbackImport:
    class_code: str
    forms: int = 0
    replaced: bool = False
    dry_run: bool = False
    rejected: list[Problem] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"class": self.class_code, "forms": self.forms, "replaced": self.replaced, "dry_run": self.dry_run,
                "rejected": [p.as_dict() for p in self.rejected]}


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@operation("feedback.import_workbook", permission="edit_classes")
def import_feedback_workbook(session: Session, class_code: str, path: str | os.PathLike[str], *,
                             dry_run: bool = False, replace: bool = False) -> FeedbackImport:
    """Read the class's feedback workbook and store its forms, all or none. With `replace` the
    forms entered before for the class are removed first (the workbook holds them all)."""
    cls = get_class(session, class_code)
    file = Path(path)
    wb = _open(file)
    hint = tr("feedback", "Hãy xuất phiếu phản hồi của lớp bằng chương trình rồi nhập lại.")
    meta = read_meta(wb, KIND, file.name, hint)
    if str(meta.get("class_code")) != cls.code:
        raise InputError(tr("feedback", "Tệp {name} là phiếu phản hồi lớp {other}, không phải lớp {code}.").format(
            name=file.name, other=meta.get("class_code"), code=cls.code))
    if ITEMS_SHEET not in wb.sheetnames:
        raise InputError(tr("feedback", "Tệp {name} thiếu trang '{items}'. {hint}").format(
            name=file.name, items=ITEMS_SHEET, hint=hint))
    items: dict[int, tuple[str, int | None]] = {}
    for values in wb[ITEMS_SHEET].iter_rows(min_row=2, max_col=6, values_only=True):
        number = whole_number(values[0])
        if number is None:
            continue
        items[number] = (str(values[4] or values[1] or ""), whole_number(values[5]))
    ws = wb.worksheets[0]
    problems: list[Problem] = []
    forms: list[FeedbackForm] = []
    rows: list[int] = []
    empty_run = 0
    r = FIRST_DATA_ROW
    while empty_run < MAX_EMPTY_ROWS and r <= ws.max_row:
        values = [ws.cell(row=r, column=c).value for c in range(1, COMMENT_COL + 1)]
        typed = [values[ITEM_COL - 1], *values[FIRST_RATING_COL - 1:]]
        if all(_blank(v) for v in typed):
            empty_run += 1
            r += 1
            continue
        empty_run = 0
        number = whole_number(values[ITEM_COL - 1])
        item = items.get(number) if number is not None else None
        if item is None:
            problems.append(Problem(tr("feedback", "Dòng {row}: Mục '{value}' không có trong trang '{items}'.").format(
                row=r, value="" if values[ITEM_COL - 1] is None else values[ITEM_COL - 1], items=ITEMS_SHEET),
                row=r, column=get_column_letter(ITEM_COL)))
            r += 1
            continue
        module_code, lecturer_id = item
        content, method, manner, usefulness = values[FIRST_RATING_COL - 1:COMMENT_COL - 1]
        forms.append(FeedbackForm(module_code or None, lecturer_id, content, method, manner, usefulness,
                                  comment=text.clean(values[COMMENT_COL - 1])))
        rows.append(r)
        r += 1
    result = FeedbackImport(cls.code, len(forms), replace, dry_run)
    if problems:
        raise InputError(tr("feedback", "Chưa nhập phiếu phản hồi {name}: có {n} lỗi, không có gì bị thay đổi.").format(
            name=file.name, n=len(problems)), problems)
    if not forms:
        raise InputError(tr("feedback", "Tệp {name} chưa có phiếu nào (dòng có số Mục và mức đánh giá).").format(
            name=file.name))
    if dry_run:
        _check_only(session, cls.code, forms, rows)
        return result
    try:
        add_feedback(session, cls.code, forms, rows=rows, replace=replace)
    except InputError as exc:
        _name_cells(exc)
        raise
    return result


def _check_only(session: Session, class_code: str, forms: list[FeedbackForm], rows: list[int]) -> None:
    """Validate as the real import would, writing nothing."""
    try:
        check_forms(session, class_code, forms, rows=rows)
    except InputError as exc:
        _name_cells(exc)
        raise


def _name_cells(exc: InputError) -> None:
    """Turn a problem's field (criterion) into the workbook column it came from."""
    columns = {c: get_column_letter(FIRST_RATING_COL + i) for i, c in enumerate(CRITERIA)}
    columns["module"] = columns["lecturer"] = get_column_letter(ITEM_COL)
    for p in exc.problems:
        if p.field in columns and p.column is None:
            p.column = columns[p.field]
