"""Opening a workbook that someone else made, safely: `open_workbook`, `real_rows`, `merged_ranges`.

Every workbook the program reads (learner lists, attendance, score, needs and feedback
workbooks, the source of an annotated copy) is opened here, so that a damaged or hostile file
gets one clear answer naming the file, never "unexpected error", and costs time and memory in
proportion to what it really holds:

- The kind of file is told by its content, not its name: Excel 97-2003 (.xls, read through
  `workbooks.xls` into the same checks and bounds) or a password (OLE), LibreOffice (.ods), Excel binary (.xlsb), a zip that holds no workbook, a truncated
  zip, something that is no zip at all (CSV, HTML, text).
- openpyxl parses the XML through defusedxml (installed with the program; `openpyxl.DEFUSEDXML`),
  which refuses DTDs with entities and external references: no billion laughs, no file of the
  PC read into a cell.
- No part of the package may unpack to more than `MAX_PART_BYTES` (a zip bomb is refused
  before it is unpacked).
- Merged ranges: at most `MAX_MERGES`. In normal mode openpyxl makes one object per merged
  cell, so the merged area is bounded too (`MAX_MERGED_CELLS`); in read-only mode
  `merged_ranges` hands them to the caller, which clips them to the cells it reads.
- Normal mode: a sheet with more than `MAX_SHEET_ROWS` rows or `MAX_SHEET_COLUMNS` columns (a
  cell typed at XFD1048576) or more than `MAX_CELLS` cells is refused, so that code walking
  `ws.max_row` stays small. Read-only mode: `real_rows` yields only the rows the file holds,
  never the empty ones in between, skips cells right of the columns asked for unparsed, and
  refuses a text longer than `MAX_CELL_CHARS` naming its sheet, row and column.
- Any parsing error of a damaged file (bad XML, a bad cell reference, a shared-string index
  out of range...) becomes "the file is damaged: open it in Excel and save it again".
"""

from __future__ import annotations

import io
import os
import re
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final
from xml.etree.ElementTree import ParseError
from xml.parsers.expat import ExpatError

import defusedxml  # noqa: F401  (openpyxl parses through it when it is installed)
import openpyxl
from openpyxl.reader.excel import SUPPORTED_FORMATS
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.exceptions import CellCoordinatesException, InvalidFileException
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.workbooks.file_limits import (
    MAX_CELL_CHARS,
    MAX_CELL_FORMATS,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_MERGED_CELLS,
    MAX_MERGES,
    MAX_PART_BYTES,
    MAX_SHEET_COLUMNS,
    MAX_SHEET_ROWS,
    MAX_SHEETS,
    WorkbookFileError,
    cell_too_long,
    damaged,
)

_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0"
_ZIP_MAGIC: Final = b"PK"
_CHUNK: Final = 1 << 20
_MERGE_RE: Final = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref\s*=\s*"([^"]*)"')
_CELL_RE: Final = re.compile(rb"<(?:\w+:)?c[\s/>]")
_FORMAT_RE: Final = re.compile(rb"<(?:\w+:)?xf[\s/>]")
_COORDINATE_RE: Final = re.compile(r"\$?([A-Za-z]{1,3})\$?([1-9][0-9]{0,6})")
_PARSE_ERRORS: Final = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, KeyError, ValueError,
                        IndexError, TypeError, AttributeError, ParseError, ExpatError, OverflowError,
                        InvalidFileException, CellCoordinatesException, NotImplementedError)

Bounds = tuple[int, int, int, int]  # min_col, min_row, max_col, max_row


def _reason(exc: BaseException) -> str:
    """What is wrong with a damaged file, in a few words (the innermost cause decides)."""
    while exc.__cause__ is not None or exc.__context__ is not None:
        inner = exc.__cause__ or exc.__context__
        assert inner is not None
        exc = inner
    name = type(exc).__name__
    if name in ("DTDForbidden", "EntitiesForbidden", "ExternalReferenceForbidden"):
        return tr("workbooks", "có khai báo thực thể XML (DTD, ENTITY) không được phép")
    if isinstance(exc, ParseError | ExpatError):
        return tr("workbooks", "nội dung XML hỏng")
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return tr("workbooks", "tệp nén bị cắt cụt hoặc hỏng")
    if isinstance(exc, IndexError):
        return tr("workbooks", "ô tham chiếu tới nội dung không có trong tệp")
    if isinstance(exc, CellCoordinatesException) or (isinstance(exc, ValueError) and "coordinate" in str(exc).lower()):
        return tr("workbooks", "địa chỉ ô sai")
    if isinstance(exc, KeyError):
        return tr("workbooks", "thiếu một phần của bảng tính")
    return name


@contextmanager
def parse_errors(name: str, error: type[WorkbookFileError] = WorkbookFileError) -> Iterator[None]:
    """Turn what openpyxl and the XML and zip libraries raise on a damaged file into `error`."""
    try:
        yield
    except DtbdError:
        raise
    except MemoryError as exc:
        raise _too_large(name, error) from exc
    except _PARSE_ERRORS as exc:
        raise damaged(name, _reason(exc), error) from exc


def _too_large(name: str, error: type[WorkbookFileError]) -> WorkbookFileError:
    return error(tr("workbooks", "Tệp {file} quá lớn để là bảng tính cần nhập (một phần của tệp giải nén ra hơn {mb} MB): "
                                 "tệp bị hỏng hoặc không phải tệp cần nhập. Chép riêng bảng cần nhập sang một tệp Excel "
                                 "mới rồi dùng tệp đó.").format(file=name, mb=MAX_PART_BYTES // (1024 * 1024)))


def _not_a_workbook(name: str, error: type[WorkbookFileError]) -> WorkbookFileError:
    return error(tr("workbooks", "Không đọc được tệp {file}: đây không phải tệp Excel .xlsx hợp lệ (có thể là tệp CSV, "
                                 "HTML, Word hoặc tệp khác đổi tên). Mở tệp bằng Excel và lưu lại dạng .xlsx.")
                 .format(file=name))


def _check_package(path: Path, error: type[WorkbookFileError]) -> tuple[zipfile.ZipFile, bool]:
    """The opened zip of an .xlsx file after every check on its kind and size, and whether its
    name has an extension openpyxl accepts."""
    name = path.name
    if not path.exists():
        raise error(tr("workbooks", "Không có tệp {file}: kiểm tra lại đường dẫn và tên tệp.").format(file=path))
    if path.is_dir():
        raise error(tr("workbooks", "{file} là một thư mục, không phải tệp Excel: chọn tệp .xlsx.").format(file=path))
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise error(tr("workbooks", "Không mở được tệp {file}: {error}. Đóng tệp nếu đang mở trong chương trình khác "
                                    "rồi thử lại.").format(file=name, error=exc.strerror or exc)) from exc
    if head.startswith(_OLE_MAGIC):  # `open_workbook` reads these through `workbooks.xls` before coming here
        raise error(tr("workbooks", "Tệp {file} là tệp Excel 97-2003 (.xls) hoặc tệp có đặt mật khẩu: mở tệp bằng Excel, "
                                    "bỏ mật khẩu nếu có, chọn Lưu thành (Save As) kiểu .xlsx rồi dùng tệp mới.")
                    .format(file=name))
    if not head.startswith(_ZIP_MAGIC):
        raise _not_a_workbook(name, error)
    if size > MAX_FILE_BYTES:
        raise _too_large(name, error)
    with parse_errors(name, error):
        archive = zipfile.ZipFile(path)
    try:
        names = set(archive.namelist())
        if "mimetype" in names:
            with parse_errors(name, error), archive.open("mimetype") as fh:
                mimetype = fh.read(200)
            if mimetype.startswith(b"application/vnd.oasis.opendocument.spreadsheet"):
                raise error(tr("workbooks", "Tệp {file} là tệp LibreOffice (.ods); mở bằng LibreOffice và lưu thành "
                                            "Excel (.xlsx): Tệp → Lưu thành, chọn kiểu Excel 2007-365 (.xlsx).")
                            .format(file=name))
        if "xl/workbook.bin" in names:
            raise error(tr("workbooks", "Tệp {file} là bảng tính Excel dạng nhị phân (.xlsb): mở bằng Excel, chọn Lưu thành "
                                        "(Save As) kiểu .xlsx rồi dùng tệp mới.").format(file=name))
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
            raise _not_a_workbook(name, error)
        if any(info.file_size > MAX_PART_BYTES for info in archive.infolist()):
            raise _too_large(name, error)
        sheets = sum(1 for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
        if sheets > MAX_SHEETS:
            raise error(tr("workbooks", "Tệp {file} có {n} trang tính, quá nhiều cho một bảng tính cần nhập: tệp bị hỏng "
                                        "hoặc không phải tệp cần nhập. Chép riêng bảng cần nhập sang một tệp Excel mới "
                                        "rồi dùng tệp đó.").format(file=name, n=sheets))
        if "xl/styles.xml" in names:  # openpyxl makes an object for every format: bound them before it does
            with parse_errors(name, error):
                formats = sum(1 for _ in _scan(archive, "xl/styles.xml", _FORMAT_RE))
            if formats > MAX_CELL_FORMATS:
                raise damaged(name, tr("workbooks", "{n} kiểu định dạng ô, nhiều hơn Excel cho phép").format(
                    n=f"{formats:,}".replace(",", ".")), error)
    except BaseException:
        archive.close()
        raise
    return archive, path.suffix.lower() in SUPPORTED_FORMATS


def _scan(archive: zipfile.ZipFile, part: str, pattern: re.Pattern[bytes]) -> Iterator[re.Match[bytes]]:
    """Matches of a short tag pattern in one part, read in chunks (memory stays small)."""
    carry = b""
    with archive.open(part) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            data = carry + chunk
            if not chunk:
                yield from pattern.finditer(data)
                return
            cut = data.rfind(b"<")
            if cut < 0 or len(data) - cut > 4096:  # no tag starts near the end: nothing to carry
                cut = len(data)
            yield from pattern.finditer(data, 0, cut)
            carry = data[cut:]


def _merges_of_part(archive: zipfile.ZipFile, part: str, name: str, sheet: str,
                    error: type[WorkbookFileError]) -> list[Bounds]:
    found: set[Bounds] = set()
    for match in _scan(archive, part, _MERGE_RE):
        ref = match.group(1).decode("ascii", "replace")
        try:
            min_col, min_row, max_col, max_row = range_boundaries(ref)
        except (ValueError, TypeError) as exc:
            raise damaged(name, tr("workbooks", "vùng gộp ô '{ref}' sai").format(ref=ref[:40]), error) from exc
        if None in (min_col, min_row, max_col, max_row):  # a whole column or row ("A:A"): Excel never writes it
            raise damaged(name, tr("workbooks", "vùng gộp ô '{ref}' sai").format(ref=ref[:40]), error)
        found.add((int(min_col or 1), int(min_row or 1), int(max_col or 1), int(max_row or 1)))
        if len(found) > MAX_MERGES:
            raise error(tr("workbooks", "Trang tính '{sheet}' của tệp {file} có hơn {n} vùng gộp ô: tệp bị hỏng hoặc "
                                        "không phải bảng tính cần nhập. Bỏ gộp ô (Unmerge) ở các vùng thừa rồi lưu lại.")
                        .format(sheet=sheet, file=name, n=f"{MAX_MERGES:,}".replace(",", ".")))
    return sorted(found, key=lambda b: (b[1], b[0]))


def merged_ranges(ws: Any, error: type[WorkbookFileError] = WorkbookFileError) -> list[Bounds]:
    """(min_col, min_row, max_col, max_row) of every merged range of a sheet opened by
    `open_workbook`, as written in the file (clip them to what you read); duplicates dropped."""
    ranges = getattr(ws, "merged_cells", None)
    if ranges is not None:  # a normally opened worksheet
        return [(r.min_col, r.min_row, r.max_col, r.max_row) for r in ranges.ranges]
    archive = getattr(ws.parent, "_archive", None)
    part = getattr(ws, "_worksheet_path", None)
    name = getattr(ws.parent, "_dtbd_file_name", "?")
    if archive is None or part is None:
        return []
    with parse_errors(name, error):
        return _merges_of_part(archive, str(part).lstrip("/"), name, ws.title, error)


def _check_normal_sheets(archive: zipfile.ZipFile, name: str, error: type[WorkbookFileError]) -> None:
    """Before openpyxl loads every cell and makes an object for every merged cell."""
    for info in archive.infolist():
        part = info.filename
        if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
            continue
        sheet = part.rsplit("/", 1)[-1].removesuffix(".xml")
        cells = sum(1 for _ in _scan(archive, part, _CELL_RE))
        if cells > MAX_CELLS:
            raise _sheet_too_large(name, sheet, error)
        area = 0
        for min_col, min_row, max_col, max_row in _merges_of_part(archive, part, name, sheet, error):
            area += (max_col - min_col + 1) * (max_row - min_row + 1)
            if area > MAX_MERGED_CELLS:
                ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
                raise error(tr("workbooks", "Tệp {file} có vùng gộp ô {ref} quá lớn (gộp cả trang tính): tệp bị hỏng hoặc "
                                            "không phải bảng tính cần nhập. Bỏ gộp ô (Unmerge) ở vùng đó rồi lưu lại.")
                            .format(file=name, ref=ref))


def _sheet_too_large(name: str, sheet: str, error: type[WorkbookFileError]) -> WorkbookFileError:
    return error(tr("workbooks", "Trang tính '{sheet}' của tệp {file} có hơn {rows} dòng hoặc {cols} cột có dữ liệu: quá "
                                 "lớn cho bảng tính này. Xóa các dòng, cột thừa (kể cả ô lẻ ở xa cuối trang) rồi lưu "
                                 "lại.").format(sheet=sheet, file=name, rows=f"{MAX_SHEET_ROWS:,}".replace(",", "."),
                                                cols=f"{MAX_SHEET_COLUMNS:,}".replace(",", ".")))


def _is_ole(path: Path) -> bool:
    """Whether the file starts as an OLE compound document (.xls, or any file with a password)."""
    try:
        with path.open("rb") as fh:
            return fh.read(8).startswith(_OLE_MAGIC)
    except OSError:
        return False  # `_check_package` says what is wrong


def open_workbook(path: str | os.PathLike[str], *, read_only: bool = False, keep_formulas: bool = False,
                  error: type[WorkbookFileError] = WorkbookFileError) -> Any:
    """An openpyxl workbook, after every check of the module's docstring; raises `error` naming
    the file. Values are those Excel computed (`keep_formulas` gives the formulas instead, for
    a copy saved back). A read-only workbook must be closed (`close()`); read its sheets with
    `real_rows` and `merged_ranges`."""
    source = Path(path)
    name = source.name
    if _is_ole(source):  # Excel 97-2003 (.xls), or a workbook with a password
        from dtbd_desktop.workbooks import xls

        with parse_errors(name, error):
            workbook = openpyxl.load_workbook(xls.as_xlsx(source, error), read_only=read_only, data_only=True,
                                              keep_links=False)
        workbook.__dict__["_dtbd_file_name"] = name
        if not read_only:
            _check_loaded_sheets(workbook, name, error)
        return workbook
    archive, usual_name = _check_package(source, error)
    try:
        if not read_only:
            _check_normal_sheets(archive, name, error)
    finally:
        archive.close()
    with parse_errors(name, error):
        target: Any = source if usual_name else io.BytesIO(source.read_bytes())
        workbook = openpyxl.load_workbook(target, read_only=read_only, data_only=not keep_formulas, keep_links=False)
    workbook.__dict__["_dtbd_file_name"] = name  # our mark on openpyxl's object, for error messages
    if not read_only:
        _check_loaded_sheets(workbook, name, error)
    return workbook


def _check_loaded_sheets(workbook: Any, name: str, error: type[WorkbookFileError]) -> None:
    for ws in workbook.worksheets:
        if getattr(ws, "max_row", 0) > MAX_SHEET_ROWS or getattr(ws, "max_column", 0) > MAX_SHEET_COLUMNS:
            raise _sheet_too_large(name, ws.title, error)
        for (row, column), cell in getattr(ws, "_cells", {}).items():
            value = cell._value
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise cell_too_long(name, ws.title, row, column, len(value), error)


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, skipping cells right of `max_col` before parsing them and
    marking formulas whose value was never computed."""

    def __init__(self, *args: Any, max_col: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_col = max_col

    def parse_row(self, row: Any) -> tuple[int, list[dict[str, Any]]]:
        number = row.get("r")
        if number is not None:
            value = float(number)
            if not value.is_integer() or value < 1:
                raise ValueError(f"{number[:20]} is not a valid row number")
            self.row_counter = int(value)
        else:
            self.row_counter += 1
        self.col_counter = 0
        cells = []
        for element in row:
            coordinate = element.get("r")
            if coordinate:
                parts = _COORDINATE_RE.fullmatch(coordinate)
                if parts is None or int(parts.group(2)) > 1_048_576:
                    raise CellCoordinatesException(f"Invalid cell coordinates ({coordinate[:20]})")
                column = column_index_from_string(parts.group(1).upper())
                if column > self.max_col:
                    self.col_counter = column
                    continue
            elif self.col_counter + 1 > self.max_col:
                self.col_counter += 1
                continue
            cell = self.parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None:
                cell["formula"] = True
            cells.append(cell)
        return self.row_counter, cells


RowCell = tuple[int, Any, str | None, bool]  # column, value, font name of non-ASCII text, formula without value


def _font_name(workbook: Any, style_id: int) -> str | None:
    style = workbook._cell_styles[style_id]
    name = workbook._fonts[style.fontId].name
    return name if isinstance(name, str) else None


def real_rows(ws: Any, max_col: int, error: type[WorkbookFileError] = WorkbookFileError) -> Generator[
        tuple[int, list[RowCell]], None, None]:
    """(row number, cells) of each row a read-only sheet holds, in order; the rows the file
    leaves out are not made up (a cell at XFD1048576 costs one row, not a million). Cells right
    of `max_col` are skipped; a text longer than `MAX_CELL_CHARS` is refused with its cell."""
    workbook = ws.parent
    name = getattr(workbook, "_dtbd_file_name", "?")
    with parse_errors(name, error), ws._get_source() as source:
        parser = _Parser(source, ws._shared_strings, data_only=workbook.data_only, epoch=workbook.epoch,
                         date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats,
                         max_col=max_col)
        for number, cells in parser.parse():
            row: list[RowCell] = []
            for cell in cells:
                value = cell["value"]
                font = None
                if isinstance(value, str):
                    if len(value) > MAX_CELL_CHARS:
                        raise cell_too_long(name, ws.title, number, cell["column"], len(value), error)
                    if not value.isascii():
                        font = _font_name(workbook, cell["style_id"])
                row.append((cell["column"], value, font, bool(cell.get("formula"))))
            yield number, row


__all__ = ["MAX_CELL_CHARS", "WorkbookFileError", "cell_too_long", "damaged", "merged_ranges", "open_workbook", "parse_errors",
           "real_rows"]
