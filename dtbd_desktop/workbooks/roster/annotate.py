"""An annotated copy of a learner list: the bad cells filled light red, each with a comment
saying what is wrong, to send back to the organisation that sent the list."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Final

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.workbooks import xlsx as xl
from dtbd_desktop.workbooks.files import open_workbook
from dtbd_desktop.workbooks.roster.table import RosterFileError

BAD_FILL: Final = PatternFill(fill_type="solid", start_color="FFFFC7CE", end_color="FFFFC7CE")
WARNING_FILL: Final = PatternFill(fill_type="solid", start_color="FFFFEB9C", end_color="FFFFEB9C")
AUTHOR: Final = "DTBD"
_CELL_RE: Final = re.compile(r"([A-Z]{1,3})(\d+)")


def _cell_of(problem: Problem, first_column: int) -> str | None:
    cell = getattr(problem, "cell", None)
    if isinstance(cell, str) and _CELL_RE.fullmatch(cell):
        return cell
    if problem.row is None:
        return None
    if problem.column:
        letter = problem.column.split(" ", 1)[0]
        if re.fullmatch(r"[A-Z]{1,3}", letter):
            return f"{letter}{problem.row}"
    return f"{get_column_letter(first_column)}{problem.row}"


def save_annotated_copy(source_path: str | Path, problems: Iterable[Problem], target_path: str | Path, *,
                        sheet: str | None = None, first_column: int = 1,
                        warnings: Iterable[Problem] = ()) -> int:
    """Copy `source_path` to `target_path` with each problem's cell filled light red and commented
    (warnings light yellow). `sheet` is the table's sheet (default: the first). Problems without a
    row (about the whole file) go in a comment on cell A1. Returns the number of cells marked.

    openpyxl keeps values, styles, merged cells and comments; pictures and charts of the original
    are not copied.
    """
    source, target = Path(source_path), Path(target_path)
    workbook = open_workbook(source, keep_formulas=True, error=RosterFileError)
    ws = workbook[sheet] if sheet and sheet in workbook.sheetnames else workbook.worksheets[0]
    notes: dict[str, list[str]] = {}
    fills: dict[str, PatternFill] = {}
    for fill, items in ((BAD_FILL, problems), (WARNING_FILL, warnings)):
        for problem in items:
            cell = _cell_of(problem, first_column) or "A1"
            notes.setdefault(cell, []).append(problem.message)
            fills.setdefault(cell, fill)
    for cell, messages in notes.items():
        target_cell = ws[cell]
        if type(target_cell).__name__ == "MergedCell":  # comment the merged range's top-left cell
            for rng in ws.merged_cells.ranges:
                if cell in rng:
                    target_cell = ws.cell(rng.min_row, rng.min_col)
                    break
        target_cell.fill = fills[cell]
        body = "\n".join(f"• {m}" for m in messages)
        comment = Comment(body, AUTHOR)
        comment.width = 360
        comment.height = min(60 + 40 * len(messages), 400)
        target_cell.comment = comment
    try:
        xl.save_workbook(workbook, target)
    except OSError as exc:
        raise RosterFileError(tr("roster_import", "Không lưu được tệp {file}: {error}. Đóng tệp nếu đang mở trong "
                                                  "Excel rồi thử lại.").format(file=target, error=exc.strerror or exc)
                              ) from exc
    return len(notes)
