"""Printed documents (PDF and XLSX): rosters now; sign-in sheets, score sheets, certificates,
registers and annual reports later.

What every document shares lives here and in `pdf_common` / `xlsx_common`:

* `Letterhead`, read once from the centre's settings, so every document heads the same way;
* `atomic_output`, so a failed export never leaves a half-written file where the person
  expects the document (it writes a temporary file next to the target, then renames it).

No Qt here: the command line and the GUI call the same functions.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.services.settings import get_settings

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"


@dataclass(frozen=True)
class Letterhead:
    """Who issues a document (left of the letterhead) and who signs it, from the settings."""

    superior_body: str  # cơ quan chủ quản, e.g. "TỈNH ỦY LONG AN"; may be empty
    centre_name: str  # e.g. "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN"
    place_name: str  # e.g. "Long An", for "Long An, ngày 05 tháng 3 năm 2025"
    director_title: str  # e.g. "HIỆU TRƯỞNG", "GIÁM ĐỐC"
    director_name: str
    party_heading: bool  # "ĐẢNG CỘNG SẢN VIỆT NAM" on the right, else the national heading


def load_letterhead(session: Session) -> Letterhead:
    values = get_settings(session)

    def value(key: str) -> str:
        return text.nfc(str(values.get(key) or ""))

    return Letterhead(
        superior_body=value("superior_body"),
        centre_name=value("centre_name"),
        place_name=value("place_name"),
        director_title=value("director_title"),
        director_name=value("director_name"),
        party_heading=bool(values.get("party_heading", True)),
    )


def _cannot_write(path: Path, exc: OSError) -> InputError:
    if isinstance(exc, PermissionError):
        reason = tr("reports", "không có quyền ghi, hoặc tệp đang mở trong chương trình khác (Excel, trình đọc PDF); "
                               "hãy đóng tệp hoặc chọn thư mục khác rồi làm lại")
    elif isinstance(exc, FileNotFoundError):
        reason = tr("reports", "thư mục {folder} không tồn tại").format(folder=path.parent)
    else:
        reason = exc.strerror or str(exc)
    return InputError(tr("reports", "Không ghi được tệp {path}: {reason}.").format(path=path, reason=reason))


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path next to `path`; on success it replaces `path` in one rename.

    On any error the temporary file is removed and `path` is left as it was (absent, or the
    previous document). An `OSError` (folder missing, no permission, file locked by Excel)
    becomes an `InputError` whose message names the file.
    """
    target = Path(path).expanduser()
    if target.is_dir():
        raise InputError(tr("reports", "Không ghi được tệp {path}: đây là một thư mục.").format(path=target))
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    os.close(handle)
    temp = Path(temp_name)
    with contextlib.suppress(OSError):
        temp.chmod(0o644)  # mkstemp makes it private; a document is an ordinary file
    try:
        yield temp
        try:
            os.replace(temp, target)
        except OSError as exc:
            raise _cannot_write(target, exc) from exc
    except OSError as exc:
        raise _cannot_write(target, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


__all__ = ["NATIONAL_MOTTO", "NATIONAL_NAME", "PARTY_HEADING", "Letterhead", "atomic_output", "load_letterhead"]
