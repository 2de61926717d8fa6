"""The "Văn bằng, chứng chỉ" tab of a class: who is eligible, issue, preview and print, revoke, reissue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.certificates_preview import PreviewDialog
from dtbd_desktop.gui.screens.certificate_actions import (
    ask_certificate_reason,
    reissue_certificate,
    revoke_certificate,
)
from dtbd_desktop.gui.table_model import Column, name_sort
from dtbd_desktop.gui.widgets.common import Buttons, MessageLabel
from dtbd_desktop.gui.widgets.date_field import DateField, dates_ok
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.printing import layouts
from dtbd_desktop.services import certificates, settings
from dtbd_desktop.services.certificates import ClassDocuments, ClassLine

CENTER = Qt.AlignmentFlag.AlignHCenter


def _cert(line: ClassLine, attr: str) -> Any:
    return getattr(line.certificate, attr) if line.certificate is not None else None


def line_columns() -> list[Column[ClassLine]]:
    return [
        Column(tr("certificates_tab", "Họ và tên"), lambda r: r.full_name, sort=lambda r: name_sort(r.full_name)),
        Column(tr("certificates_tab", "Ngày sinh"), lambda r: r.birth_text, align=CENTER),
        Column(tr("certificates_tab", "Đủ điều kiện"),
               lambda r: (tr("certificates_tab", "Có") if r.eligible else tr("certificates_tab", "Không"))
               if r.reviewed else tr("certificates_tab", "Chưa xét"),
               tooltip=lambda r: "\n".join(r.reasons) or None, align=CENTER),
        Column(tr("certificates_tab", "Xếp loại"), lambda r: r.classification),
        Column(tr("certificates_tab", "Số hiệu"), lambda r: _cert(r, "serial")),
        Column(tr("certificates_tab", "Số vào sổ"), lambda r: _cert(r, "register_number")),
        Column(tr("certificates_tab", "Ngày cấp"), lambda r: text.format_date(_cert(r, "issue_date")),
               sort=lambda r: _cert(r, "issue_date") or dt.date.min, align=CENTER),
        Column(tr("certificates_tab", "Tình trạng"),
               lambda r: certificates.status_label(r.certificate.status) if r.certificate else "",
               tooltip=lambda r: _cert(r, "note")),
        Column(tr("certificates_tab", "Số lần in"), lambda r: _cert(r, "print_count"), align=CENTER),
        Column(tr("certificates_tab", "Mã xác thực"), lambda r: _cert(r, "verification_code")),
    ]


class IssueDialog(QDialog):
    """Confirm the issue: how many documents, and their date."""

    def __init__(self, docs: ClassDocuments, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("certificates_tab", "Cấp văn bằng cho lớp {code}").format(code=docs.class_code))
        self.date = DateField(QDate.currentDate())
        self.date.setObjectName("issue_date")
        kind = certificates.kind_label(docs.kind).lower()
        info = QLabel(tr("certificates_tab", "Cấp số hiệu, vào sổ gốc {kind} cho {n} học viên đủ điều kiện chưa có văn "
                                             "bằng của lớp. Số đã cấp không thu lại được: văn bằng sai sẽ được thu hồi "
                                             "hoặc cấp lại, dòng sổ vẫn giữ.").format(kind=kind, n=docs.to_issue))
        info.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("certificates_tab", "Cấp"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("certificates_tab", "Hủy"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("certificates_tab", "Ngày cấp:"), self.date)
        layout = QVBoxLayout(self)
        layout.addWidget(info)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if dates_ok(self):  # a date typed wrong is shown, not replaced by the old one
            super().accept()

    def chosen_date(self) -> dt.date:
        q = self.date.date()
        return dt.date(q.year(), q.month(), q.day())


class CertificatesTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.docs: ClassDocuments | None = None
        self.listing: RowList[ClassLine] = RowList(line_columns(), "certificates_table", self, row_numbers=True)
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.summary = QLabel()
        self.summary.setObjectName("certificates_summary")
        self.buttons = Buttons("certificates")
        bar = self.buttons.row((
            ("issue", tr("certificates_tab", "Cấp văn bằng..."), self.issue),
            ("preview", tr("certificates_tab", "Xem trước và in..."), self.preview),
            ("pdf", tr("certificates_tab", "Lưu PDF..."), self.save_pdf),
            ("revoke", tr("certificates_tab", "Thu hồi..."), self.revoke),
            ("reissue", tr("certificates_tab", "Cấp lại..."), self.reissue),
        ))
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self.message = MessageLabel("certificates_message")
        layout.addWidget(self.message)
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.reload()

    # ------------------------------------------------------------------ data

    def reload(self) -> None:
        code = self.class_code
        self.ctx.read(lambda s: certificates.class_documents(s, code), self.set_docs, self)

    def set_docs(self, docs: ClassDocuments) -> None:
        self.docs = docs
        self.model.set_rows(docs.lines)
        self.table.resizeColumnsToContents()
        kind = certificates.kind_label(docs.kind)
        self.summary.setText(tr("certificates_tab", "{kind}: đã cấp {issued}, chờ cấp {waiting}.").format(
            kind=kind, issued=docs.issued, waiting=docs.to_issue))
        self._update_buttons()

    def selected(self) -> ClassLine | None:
        return self.listing.selected()

    def _update_buttons(self) -> None:
        docs = self.docs
        line = self.selected()
        live = line is not None and line.certificate is not None and line.certificate.status == "issued"
        self.buttons["issue"].setEnabled(docs is not None and docs.to_issue > 0)
        self.buttons["preview"].setEnabled(docs is not None and docs.issued > 0)
        self.buttons["pdf"].setEnabled(docs is not None and docs.issued > 0)
        self.buttons["revoke"].setEnabled(live)
        self.buttons["reissue"].setEnabled(live)

    def _after_change(self) -> None:
        self.reload()
        self.changed.emit()

    def _done(self, message: str, path: Path | None = None) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self._after_change()
            if message and path is not None:
                self.message.saved_file(message, path)
            elif message:
                self.message.say(message)
        return done

    # ------------------------------------------------------------------ actions

    def ask_issue_date(self, docs: ClassDocuments) -> dt.date | None:
        """The issue dialog (tests patch this)."""
        dialog = IssueDialog(docs, self)
        return dialog.chosen_date() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def issue(self) -> None:
        if self.docs is None:
            return
        date = self.ask_issue_date(self.docs)
        if date is None:
            return
        self.issue_on(date)

    def issue_on(self, date: dt.date) -> None:
        code = self.class_code

        def job(session: Session, progress: Callable[[int, int, str], None]) -> int:
            return len(certificates.issue_for_class(session, code, date, progress=progress))

        def done(n: int) -> None:
            self._done(tr("certificates_tab", "Đã cấp và vào sổ {n} văn bằng.").format(n=n))(n)

        self.ctx.write(job, done, self, progress_label=tr("certificates_tab", "Đang cấp số văn bằng..."))

    def _load_job(self, on_done: Callable[[tuple[certificates.PrintJob, dict[str, Any]]], None]) -> None:
        code = self.class_code

        def fetch(session: Session) -> tuple[certificates.PrintJob, dict[str, Any]]:
            return certificates.print_job(session, code), settings.get_settings(session)

        self.ctx.read(fetch, on_done, self)

    def preview(self) -> None:
        self._load_job(self._show_preview)

    def _show_preview(self, loaded: tuple[certificates.PrintJob, dict[str, Any]]) -> None:
        job, values = loaded
        ids = job.certificate_ids

        def printed(_n: int) -> None:
            self.ctx.write(lambda s: certificates.record_prints(s, ids), self._done(""), self)

        def pages_for(printer: str | None) -> list[layouts.Page]:
            return job.pages(layouts.calibration_for(values, printer))

        dialog = PreviewDialog(job.pages(), tr("certificates_tab", "Văn bằng lớp {code}").format(code=job.class_code),
                               background=job.layout.background_path(), show_background=job.layout.mode == "blank",
                               on_printed=printed, pages_for_printer=pages_for, parent=self)
        self.preview_dialog = dialog
        dialog.launch()

    def ask_pdf_path(self) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("certificates_tab", "Lưu văn bằng ra PDF"), f"van-bang-{self.class_code}.pdf", "PDF (*.pdf)")
        return path

    def save_pdf(self) -> None:
        path = self.ask_pdf_path()
        if path:
            self.save_pdf_to(Path(path))

    def save_pdf_to(self, path: Path) -> None:
        code = self.class_code

        def job(session: Session, progress: Callable[[int, int, str], None]) -> int:
            return certificates.print_class(session, code, path, progress=progress).pages

        def done(pages: int) -> None:
            self._done(tr("certificates_tab", "Đã lưu {n} trang vào {path}. Khi in, chọn tỉ lệ 100% (kích thước thật).")
                       .format(n=pages, path=path), path)(pages)

        self.ctx.write(job, done, self, progress_label=tr("certificates_tab", "Đang tạo tệp PDF..."))

    def ask_reason(self, title: str, question: str) -> str | None:
        """The reason to revoke or reissue, the question saying what follows (tests patch this)."""
        return ask_certificate_reason(self, title, question)

    def revoke(self) -> None:
        line = self.selected()
        if line is not None and line.certificate is not None:
            revoke_certificate(self, self.ctx, line.certificate.serial, self._after_change, ask=self.ask_reason,
                               say=self.message.say)

    def reissue(self) -> None:
        line = self.selected()
        if line is not None and line.certificate is not None:
            reissue_certificate(self, self.ctx, line.certificate.serial, self._after_change, ask=self.ask_reason,
                                say=self.message.say)
