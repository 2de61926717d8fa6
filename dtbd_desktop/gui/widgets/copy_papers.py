"""Papers printed from a register line (Thông tư 21/2019/TT-BGDĐT): a copy of a diploma or
certificate (bản sao từ sổ gốc, numbered in the book of copies) and a confirmation of graduation
(giấy xác nhận, numbered in the book of outgoing documents). The past-years screen and the
learner's record both print them through `write_paper`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QFileDialog, QWidget

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext

KINDS = ("copy", "confirm")


def suggested_name(kind: str, serial: str) -> str:
    safe = "".join(ch if ch.isalnum() else "_" for ch in serial)
    return f"{'ban_sao' if kind == 'copy' else 'xac_nhan'}_{safe}.pdf"


def choose_pdf(parent: QWidget, suggested: str) -> str:
    path, _filter = QFileDialog.getSaveFileName(parent, tr("past", "Lưu tệp PDF"), suggested, "PDF (*.pdf)")
    return path


def write_paper(ctx: AppContext, parent: QWidget, kind: str, serial: str, out: str, on: dt.date,
                requested_by: str | None, done: Callable[[str], None],
                failed: Callable[[BaseException], None]) -> None:
    """Issue the copy (`kind` "copy") or the confirmation ("confirm") of `serial` dated `on`, write
    it to `out` (PDF) and tell `done` what was done, in words."""
    from dtbd_desktop.reports import copy_report
    from dtbd_desktop.services import certificate_copies
    from dtbd_desktop.services.settings import load_letterhead

    def job(session: Any) -> str:
        head = load_letterhead(session)
        if kind == "copy":
            entry = certificate_copies.issue_copy(session, serial, on, requested_by=requested_by)
            copy_report.write_pdf(out, lambda p: copy_report.render_copy(entry, head, p))
            return tr("past", "Đã cấp bản sao số {number} ({name}) vào {path}.").format(
                number=entry.copy_number, name=entry.facts.full_name, path=out)
        book, facts = certificate_copies.confirm_graduation(session, serial, on, requested_by=requested_by)
        copy_report.write_pdf(out, lambda p: copy_report.render_confirmation(book, facts, head, p))
        return tr("past", "Đã in giấy xác nhận số {number} ({name}) vào {path}.").format(
            number=book.symbol, name=facts.full_name, path=out)

    ctx.write(job, done, parent, on_failed=failed)


__all__ = ["KINDS", "choose_pdf", "suggested_name", "write_paper"]
