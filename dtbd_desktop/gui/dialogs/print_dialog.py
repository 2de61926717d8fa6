"""The print dialog of an official paper: the signing date printed on it, who signs (the head, or
the deputy "K/T" when the centre has one), the number (the next one in the book of outgoing
documents, or a draft with the number left blank) and the file.

A paper already numbered shows its number and date, which a reprint keeps: the date is then
fixed. Screens open it through their `ask_print` method (tests patch that).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.widgets.date_field import DateField, dates_ok


@dataclass(frozen=True)
class PrintChoice:
    """What the person chose: the file, the signing date, who signs, and whether to take a number."""

    path: str
    date: dt.date
    deputy: bool = False
    draft: bool = False


@dataclass(frozen=True)
class PrintOptions:
    """What the dialog offers for one paper."""

    title: str
    file_name: str
    patterns: str  # "PDF (*.pdf);;Excel (*.xlsx)"
    date: dt.date
    numbered: bool = False  # the paper takes a number from the book of outgoing documents
    existing: tuple[str, dt.date] | None = None  # its number and date when it already has them
    may_number: bool = True  # else only a draft can be printed
    deputy_title: str = ""  # the deputy who may sign K/T ("" : only the head)
    head_title: str = ""
    folder: str = ""
    choose_signer: bool = True  # False: the paper is signed as the centre's settings say (lists)
    draft_note: str = ""  # what to say when the paper has no number yet and cannot take one here


def qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def pydate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class PrintDialog(QDialog):
    def __init__(self, options: PrintOptions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.options = options
        self.setWindowTitle(options.title)
        self.setMinimumWidth(480)
        self.date = DateField(qdate(options.existing[1] if options.existing else options.date))
        self.date.setObjectName("print_date")
        self.signer = QComboBox()
        self.signer.setObjectName("print_signer")
        self.signer.addItem(options.head_title or tr("print_dialog", "Thủ trưởng"), False)
        if options.deputy_title:
            self.signer.addItem(tr("print_dialog", "{deputy} (ký thay)").format(deputy=options.deputy_title), True)
        self.signer.setEnabled(self.signer.count() > 1 and options.choose_signer)
        self.take_number = QRadioButton(tr("print_dialog", "Lấy số tiếp theo trong sổ văn bản đi"))
        self.take_number.setObjectName("print_take_number")
        self.draft = QRadioButton(tr("print_dialog", "Bản nháp: để trống số, không ghi vào sổ"))
        self.draft.setObjectName("print_draft")
        group = QButtonGroup(self)
        group.addButton(self.take_number)
        group.addButton(self.draft)
        self.number_note = QLabel()
        self.number_note.setObjectName("print_number_note")
        self.number_note.setWordWrap(True)
        self.path = QLineEdit(str(Path(options.folder or Path.home()) / options.file_name))
        self.path.setObjectName("print_path")
        browse = QPushButton(tr("print_dialog", "Chọn..."))
        browse.clicked.connect(self._browse)

        form = QFormLayout()
        form.addRow(tr("print_dialog", "Ngày ký:"), self.date)
        if options.choose_signer:
            form.addRow(tr("print_dialog", "Người ký:"), self.signer)
        if options.numbered:
            numbers = QVBoxLayout()
            numbers.addWidget(self.number_note)
            numbers.addWidget(self.take_number)
            numbers.addWidget(self.draft)
            form.addRow(tr("print_dialog", "Số văn bản:"), numbers)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow(tr("print_dialog", "Lưu vào tệp:"), file_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("print_dialog", "In"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("print_dialog", "Hủy"))
        buttons.accepted.connect(lambda: self.accept() if dates_ok(self) else None)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._set_numbering()

    def _set_numbering(self) -> None:
        o = self.options
        if o.existing is not None:
            number, when = o.existing
            self.number_note.setText(tr("print_dialog", "Đã vào sổ: số {number} ngày {date}. In lại giữ số và ngày "
                                                        "này.").format(number=number, date=text.format_date(when)))
            self.date.setEnabled(False)
            self.signer.setEnabled(False)
            self.take_number.setChecked(True)
            self.take_number.setEnabled(False)
            self.draft.setEnabled(False)
            return
        if not o.may_number:
            self.number_note.setText(o.draft_note or tr("print_dialog", "Tài khoản này không được lấy số văn bản: chỉ "
                                                                        "in bản nháp."))
            self.take_number.setEnabled(False)
            self.draft.setChecked(True)
            return
        self.number_note.setText(tr("print_dialog", "Khi in, văn bản lấy số tiếp theo trong sổ văn bản đi của năm "
                                                    "ký; in lại giữ số đó."))
        self.take_number.setChecked(True)

    def _browse(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, self.options.title, self.path.text(), self.options.patterns)
        if path:
            if Path(path).suffix.lower() not in (".pdf", ".xlsx"):
                path += ".xlsx" if "xlsx" in chosen and "pdf" not in chosen.lower() else ".pdf"
            self.path.setText(path)

    def choice(self) -> PrintChoice:
        path = self.path.text().strip()
        if path and Path(path).suffix.lower() not in (".pdf", ".xlsx"):
            path += ".pdf"
        return PrintChoice(path=path, date=pydate(self.date.date()), deputy=bool(self.signer.currentData()),
                           draft=self.options.numbered and self.draft.isChecked())


def ask_print(options: PrintOptions, parent: QWidget | None = None) -> PrintChoice | None:
    """Show the dialog; the choice, or None when the person cancelled (or gave no file)."""
    dialog = PrintDialog(options, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    choice = dialog.choice()
    return choice if choice.path else None


__all__ = ["PrintChoice", "PrintDialog", "PrintOptions", "ask_print", "pydate", "qdate"]
