"""Writing a file the person asked for, whole or not at all."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr


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
