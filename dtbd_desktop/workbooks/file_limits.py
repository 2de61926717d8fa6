"""The bounds every workbook read by the program is held to, and the errors naming the file:
shared by `files` (.xlsx) and `xls` (Excel 97-2003), which `files` re-exports."""

from __future__ import annotations

from typing import Final

from openpyxl.utils.cell import get_column_letter

from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr

MAX_FILE_BYTES: Final = 100 * 1024 * 1024  # the file itself, compressed
MAX_PART_BYTES: Final = 64 * 1024 * 1024  # one part of the package, unpacked
MAX_MERGES: Final = 20_000  # merged ranges on one sheet
MAX_MERGED_CELLS: Final = 200_000  # cells inside merged ranges on one sheet (normal mode)
MAX_SHEET_ROWS: Final = 20_000  # normal mode
MAX_SHEET_COLUMNS: Final = 2_000  # normal mode
MAX_CELLS: Final = 600_000  # cells of one sheet (normal mode)
MAX_CELL_CHARS: Final = 2_000  # text in one cell
MAX_SHEETS: Final = 300  # sheets in one workbook
MAX_CELL_FORMATS: Final = 70_000  # cell formats (Excel itself stops at 64,000)


class WorkbookFileError(InputError):
    """The file cannot be read as a workbook; the message names the file and what to do."""


def damaged(name: str, reason: str, error: type[WorkbookFileError] = WorkbookFileError) -> WorkbookFileError:
    return error(tr("workbooks", "Không đọc được tệp {file}: tệp bị hỏng ({reason}). Mở tệp bằng Excel (Excel sẽ đề "
                                 "nghị sửa tệp), chọn Lưu thành (Save As) kiểu Excel (.xlsx) rồi dùng tệp mới.")
                 .format(file=name, reason=reason))


def cell_too_long(name: str, sheet: str, row: int, column: int, length: int,
                   error: type[WorkbookFileError]) -> WorkbookFileError:
    letter = get_column_letter(column)
    message = tr("workbooks", "Ô {cell} (trang '{sheet}') của tệp {file} chứa {n} ký tự, quá {limit} ký tự mà một ô của "
                              "bảng có thể có: tệp bị hỏng hoặc ô ghi nhầm nội dung. Xóa hoặc rút gọn nội dung ô đó rồi "
                              "nhập lại.").format(cell=f"{letter}{row}", sheet=sheet, file=name,
                                                  n=f"{length:,}".replace(",", "."),
                                                  limit=f"{MAX_CELL_CHARS:,}".replace(",", "."))
    return error(message, [Problem(message, row=row, column=letter)])



__all__ = ["MAX_CELLS", "MAX_CELL_CHARS", "MAX_CELL_FORMATS", "MAX_FILE_BYTES", "MAX_MERGED_CELLS", "MAX_MERGES",
           "MAX_PART_BYTES", "MAX_SHEETS", "MAX_SHEET_COLUMNS", "MAX_SHEET_ROWS", "WorkbookFileError", "cell_too_long",
           "damaged"]
