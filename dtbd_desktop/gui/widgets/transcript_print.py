"""Printing one learner's transcript from a row of the graduation or scores tab: a small dialog
with the signing date (today by default) and the file, then the export off the GUI thread
(`reports.graduation_reports.export_document`, the learner named by enrolment so that a learner
without a CCCD prints too). `signing_date_edit` is the date field the print rows share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMenu,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.widgets.common import MessageLabel, to_date
from dtbd_desktop.gui.widgets.date_field import DateField


def signing_date_edit(name: str = "signing_date") -> DateField:
    """The date printed at the foot of a document ("Long An, ngày ... tháng ... năm ..."): today
    unless the person picks another."""
    edit = DateField(QDate.currentDate())
    edit.setObjectName(name)
    edit.setToolTip(tr("transcript_print", "Ngày ký ghi ở cuối tài liệu"))
    return edit


def file_name(full_name: str, class_code: str) -> str:
    """"Bang diem Nguyen Van An A48.pdf": the learner's name without diacritics."""
    plain = " ".join(w.capitalize() for w in text.fold(full_name).split())
    return tr("transcript_print", "Bang diem {name} {code}").format(name=plain, code=class_code) + ".pdf"


class TranscriptDialog(QDialog):
    """Whose transcript, and the signing date."""

    def __init__(self, full_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("transcript_print", "In bảng điểm học tập"))
        self.date = signing_date_edit("transcript_date")
        form = QFormLayout(self)
        form.addRow(tr("transcript_print", "Học viên:"), QLabel(f"<b>{full_name}</b>"))
        form.addRow(tr("transcript_print", "Ngày ký:"), self.date)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("transcript_print", "In..."))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("transcript_print", "Hủy"))
        self.setMinimumWidth(360)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def launch(self) -> dt.date | None:
        return to_date(self.date.date()) if self.exec() == QDialog.DialogCode.Accepted else None


class TranscriptPrinter:
    """Prints one learner's transcript for a tab; tests patch `ask_date` and `ask_path`."""

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget, message: MessageLabel) -> None:
        self.ctx, self.class_code, self.parent, self.message = ctx, class_code, parent, message

    def ask_date(self, full_name: str) -> dt.date | None:
        return TranscriptDialog(full_name, self.parent).launch()

    def ask_path(self, name: str) -> str:
        path, chosen = QFileDialog.getSaveFileName(self.parent, tr("transcript_print", "Lưu bảng điểm học tập"), name,
                                                   tr("transcript_print", "PDF (*.pdf);;Excel (*.xlsx)"))
        if path and Path(path).suffix.lower() not in (".pdf", ".xlsx"):
            path += ".xlsx" if "xlsx" in chosen else ".pdf"
        return path

    def print_for(self, enrolment_id: int, full_name: str) -> None:
        on = self.ask_date(full_name)
        if on is None:
            return
        path = self.ask_path(file_name(full_name, self.class_code))
        if not path:
            return
        code = self.class_code

        def job(s: Session, _progress: Any) -> int:
            from dtbd_desktop.reports import graduation_reports

            return graduation_reports.export_document(s, code, "transcript", path, enrolment_id=enrolment_id, on=on)

        self.ctx.export(job, lambda _n: self.message.say(
            tr("transcript_print", "Đã lưu bảng điểm học tập của {name} vào {path}.").format(name=full_name, path=path)),
            self.parent, self.message.failed, progress_label=tr("transcript_print", "Đang in..."))


def install_row_menu(view: QAbstractItemView, learner_at: Callable[[QModelIndex], tuple[int, str] | None],
                     printer: TranscriptPrinter) -> None:
    """A right-click menu on a table's rows: "In bảng điểm học tập của <name>..."."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def show(point: QPoint) -> None:
        index = view.indexAt(point)
        found = learner_at(index) if index.isValid() else None
        if found is None:
            return
        enrolment_id, full_name = found
        menu = QMenu(view)
        menu.setObjectName("transcript_menu")
        menu.addAction(tr("transcript_print", "In bảng điểm học tập của {name}...").format(name=full_name),
                       lambda: printer.print_for(enrolment_id, full_name))
        menu.popup(view.viewport().mapToGlobal(point))

    view.customContextMenuRequested.connect(show)


__all__ = ["TranscriptDialog", "TranscriptPrinter", "file_name", "install_row_menu", "signing_date_edit"]
