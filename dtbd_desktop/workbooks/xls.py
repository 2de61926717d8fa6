"""Excel 97-2003 workbooks (.xls), read directly: `as_xlsx` turns one into an .xlsx package in
memory that `files.open_workbook` then opens like any other, so every reader of the program
(learner lists, past registers, score sheets) takes .xls files with the same code and bounds.

The file is read by xlrd (the well-kept reader of the BIFF format; it reads cell values, the
dates as Excel stored them, merged ranges and, with `formatting_info`, each cell's font, whose
name tells TCVN3 (".VnTime") and VNI ("VNI-Times") text apart from Unicode). What is copied:
values (dates as dates, whole numbers as integers), the font name of every non-ASCII text cell
and the merged ranges. The same bounds as for .xlsx apply before anything is built: at most
`MAX_SHEETS` sheets, `MAX_SHEET_ROWS` rows, `MAX_CELLS` cells and `MAX_MERGES` merged ranges a
sheet, `MAX_CELL_FORMATS` cell formats and `MAX_CELL_CHARS` characters a cell; a file with a
password, or an OLE file that holds no workbook (a Word document), gets its own message.
"""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path
from typing import Any

import xlrd  # type: ignore[import-untyped]  # no stubs: its use is confined to this module
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.writer import excel as excel_writer

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.workbooks import file_limits as files

_log = logging.getLogger(__name__)


class _Quiet:
    """xlrd writes its warnings to a file-like `logfile`; they go to our log at debug level."""

    def write(self, text: str) -> int:
        if text.strip():
            _log.debug("xlrd: %s", text.strip())
        return len(text)


def _open(path: Path, error: type[files.WorkbookFileError]) -> Any:
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise error(tr("workbooks", "Không mở được tệp {file}: {error}. Đóng tệp nếu đang mở trong chương trình khác "
                                    "rồi thử lại.").format(file=name, error=exc.strerror or exc)) from exc
    if len(data) > files.MAX_FILE_BYTES:
        raise error(tr("workbooks", "Tệp {file} quá lớn để là bảng tính cần nhập: chép riêng bảng cần nhập sang một tệp "
                                    "Excel mới rồi dùng tệp đó.").format(file=name))
    try:
        return xlrd.open_workbook(file_contents=data, formatting_info=True, on_demand=True, logfile=_Quiet())
    except xlrd.biffh.XLRDError as exc:
        message = str(exc).lower()
        if "encrypt" in message or "password" in message:
            raise error(tr("workbooks", "Tệp {file} có đặt mật khẩu: mở tệp bằng Excel, bỏ mật khẩu (Tệp → Thông tin → "
                                        "Bảo vệ sổ làm việc), lưu lại rồi dùng tệp đó.").format(file=name)) from exc
        if "workbook" in message and "ole2" in message:
            raise error(tr("workbooks", "Tệp {file} không phải bảng tính Excel (có thể là tệp Word hoặc tệp khác của "
                                        "Office đổi tên): chọn đúng tệp Excel.").format(file=name)) from exc
        raise _broken(name, error) from exc
    except (xlrd.compdoc.CompDocError, MemoryError, OverflowError, ValueError, IndexError, KeyError, TypeError,
            AssertionError, EOFError, AttributeError, struct.error) as exc:
        raise _broken(name, error) from exc


def _broken(name: str, error: type[files.WorkbookFileError]) -> files.WorkbookFileError:
    return error(tr("workbooks", "Không đọc được tệp {file}: tệp Excel 97-2003 (.xls) bị hỏng hoặc có đặt mật khẩu. Mở "
                                 "tệp bằng Excel (Excel sẽ đề nghị sửa tệp), bỏ mật khẩu nếu có, chọn Lưu thành (Save As) "
                                 "kiểu .xlsx rồi dùng tệp mới.").format(file=name))


def _font_of(book: Any, xf_index: int, fonts: dict[str, Font]) -> Font | None:
    try:
        font_name = book.font_list[book.xf_list[xf_index].font_index].name
    except (IndexError, AttributeError):
        return None
    if not isinstance(font_name, str) or not font_name:
        return None
    if font_name not in fonts:
        fonts[font_name] = Font(name=font_name)
    return fonts[font_name]


def _value(book: Any, cell: Any) -> Any:
    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate.xldate_as_datetime(cell.value, book.datemode)
        except (ValueError, OverflowError, xlrd.xldate.XLDateError):
            return cell.value
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_NUMBER:
        value = float(cell.value)
        return int(value) if value.is_integer() and abs(value) < 1e15 else value
    return cell.value


def as_xlsx(path: str | Path, error: type[files.WorkbookFileError] = files.WorkbookFileError) -> io.BytesIO:
    """The .xls workbook at `path` as an .xlsx package in memory (see the module's docstring)."""
    source = Path(path)
    name = source.name
    book = _open(source, error)
    try:
        if book.nsheets > files.MAX_SHEETS:
            raise error(tr("workbooks", "Tệp {file} có {n} trang tính, quá nhiều cho một bảng tính cần nhập: tệp bị hỏng "
                                        "hoặc không phải tệp cần nhập. Chép riêng bảng cần nhập sang một tệp Excel mới "
                                        "rồi dùng tệp đó.").format(file=name, n=book.nsheets))
        if len(getattr(book, "xf_list", [])) > files.MAX_CELL_FORMATS:
            raise files.damaged(name, tr("workbooks", "{n} kiểu định dạng ô, nhiều hơn Excel cho phép").format(
                n=f"{len(book.xf_list):,}".replace(",", ".")), error)
        out = Workbook()
        for blank in list(out.worksheets):
            out.remove(blank)
        fonts: dict[str, Font] = {}
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            _copy_sheet(book, sheet, out.create_sheet(_title(sheet.name, out)), name, fonts, error)
            book.unload_sheet(index)
        if not out.worksheets:
            out.create_sheet("Sheet1")
    finally:
        book.release_resources()
    buffer = io.BytesIO()
    # In memory, never a file a person opens; every text cell was marked as text above.
    excel_writer.save_workbook(out, buffer)
    buffer.seek(0)
    return buffer


def _title(title: str, book: Workbook) -> str:
    """A sheet name openpyxl accepts (Excel's own rules), kept as close to the original as it can."""
    value = "".join("_" if ch in "[]:*?/\\" else ch for ch in (title or "Sheet"))[:31] or "Sheet"
    used = {ws.title for ws in book.worksheets}
    candidate, n = value, 1
    while candidate in used:
        n += 1
        candidate = f"{value[:28]}({n})"
    return candidate


def _copy_sheet(book: Any, sheet: Any, ws: Any, name: str, fonts: dict[str, Font],
                error: type[files.WorkbookFileError]) -> None:
    if sheet.nrows > files.MAX_SHEET_ROWS or sheet.ncols > files.MAX_SHEET_COLUMNS \
            or sheet.nrows * sheet.ncols > files.MAX_CELLS:
        raise error(tr("workbooks", "Trang tính '{sheet}' của tệp {file} có hơn {rows} dòng hoặc {cols} cột có dữ liệu: "
                                    "quá lớn cho bảng tính này. Xóa các dòng, cột thừa (kể cả ô lẻ ở xa cuối trang) rồi "
                                    "lưu lại.").format(sheet=sheet.name, file=name,
                                                      rows=f"{files.MAX_SHEET_ROWS:,}".replace(",", "."),
                                                      cols=f"{files.MAX_SHEET_COLUMNS:,}".replace(",", ".")))
    merges = list(getattr(sheet, "merged_cells", []) or [])
    if len(merges) > files.MAX_MERGES:
        raise error(tr("workbooks", "Trang tính '{sheet}' của tệp {file} có hơn {n} vùng gộp ô: tệp bị hỏng hoặc "
                                    "không phải bảng tính cần nhập. Bỏ gộp ô (Unmerge) ở các vùng thừa rồi lưu lại.")
                    .format(sheet=sheet.name, file=name, n=f"{files.MAX_MERGES:,}".replace(",", ".")))
    for r in range(sheet.nrows):
        for c in range(sheet.row_len(r)):
            cell = sheet.cell(r, c)
            value = _value(book, cell)
            if value is None:
                continue
            if isinstance(value, str):
                if len(value) > files.MAX_CELL_CHARS:
                    raise files.cell_too_long(name, sheet.name, r + 1, c + 1, len(value), error)
                if not value.strip():
                    continue
            target = ws.cell(row=r + 1, column=c + 1, value=value)
            if isinstance(value, str):
                target.data_type = "s"  # text that looks like a formula stays the text it is
            if isinstance(value, str) and not value.isascii():
                font = _font_of(book, cell.xf_index, fonts)
                if font is not None:
                    target.font = font
    for row_lo, row_hi, col_lo, col_hi in merges:
        if row_hi - row_lo > 1 or col_hi - col_lo > 1:
            ws.merge_cells(start_row=row_lo + 1, end_row=row_hi, start_column=col_lo + 1, end_column=col_hi)


__all__ = ["as_xlsx"]
