"""*Báo cáo → Sổ văn bản đi*: the book of outgoing documents of the year (decisions, letters,
reports, and what the office entered by hand), a kind to filter on, the numbers missing from the
book, and the office's actions: enter a document (the next number, or a number given outside
the program), void a number with its reason, print the book (PDF, Excel).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions, ask_print
from dtbd_desktop.gui.table_model import Column, RowTableModel
from dtbd_desktop.gui.widgets.common import Buttons, MessageLabel, ask_reason, to_date
from dtbd_desktop.gui.widgets.date_field import DateField, dates_ok
from dtbd_desktop.gui.widgets.list_screen import RowList, filter_row
from dtbd_desktop.rules.documents import KINDS, kind_label

VOID = QColor("#9e9e9e")


@dataclass(frozen=True)
class BookData:
    entries: list[Any]  # services.outgoing.BookEntry (loaded on the worker, with the core)
    gaps: dict[str, list[int]]
    may_number: bool


def _note(entry: Any) -> str:
    parts = []
    if entry.typed:
        parts.append(tr("outgoing_view", "số cấp ngoài chương trình"))
    if entry.status == "void":
        parts.append(tr("outgoing_view", "đã hủy: {reason}").format(reason=entry.void_reason))
    return "; ".join(parts)


def book_columns() -> list[Column[Any]]:
    return [
        Column(tr("outgoing_view", "Số, ký hiệu"), lambda e: e.symbol, sort=lambda e: (e.kind, e.number)),
        Column(tr("outgoing_view", "Ngày"), lambda e: text.format_date(e.issued_on), sort=lambda e: e.issued_on),
        Column(tr("outgoing_view", "Loại"), lambda e: kind_label(e.kind)),
        Column(tr("outgoing_view", "Trích yếu"), lambda e: e.subject),
        Column(tr("outgoing_view", "Người ký"), lambda e: e.signer),
        Column(tr("outgoing_view", "Nơi nhận"), lambda e: "; ".join(e.recipients.splitlines())),
        Column(tr("outgoing_view", "Ghi chú"), _note),
    ]


class BookModel(RowTableModel[Any]):
    """The book's lines; voided numbers in grey."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < len(self.rows):
            return VOID if self.rows[index.row()].status == "void" else None
        return super().data(index, role)


class EntryDialog(QDialog):
    """A document to enter in the book by hand: kind, date, trích yếu, number (empty: the next)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("outgoing_view", "Vào sổ văn bản đi"))
        self.kind = QComboBox()
        self.kind.setObjectName("entry_kind")
        for kind in KINDS:
            self.kind.addItem(f"{kind_label(kind)} ({kind})", kind)
        self.date = DateField(QDate.currentDate())
        self.date.setObjectName("entry_date")
        self.subject = QLineEdit()
        self.subject.setObjectName("entry_subject")
        self.number = QLineEdit()
        self.number.setObjectName("entry_number")
        self.number.setPlaceholderText(tr("outgoing_view", "để trống: lấy số tiếp theo"))
        self.recipients = QPlainTextEdit()
        self.recipients.setObjectName("entry_recipients")
        self.recipients.setFixedHeight(64)
        self.signer = QLineEdit()
        self.signer.setObjectName("entry_signer")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self.accept() if dates_ok(self) else None)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("outgoing_view", "Loại văn bản:"), self.kind)
        form.addRow(tr("outgoing_view", "Ngày ký:"), self.date)
        form.addRow(tr("outgoing_view", "Trích yếu:"), self.subject)
        form.addRow(tr("outgoing_view", "Số (nếu đã cấp ngoài chương trình):"), self.number)
        form.addRow(tr("outgoing_view", "Nơi nhận (mỗi nơi một dòng):"), self.recipients)
        form.addRow(tr("outgoing_view", "Người ký:"), self.signer)
        form.addRow(buttons)

    def values(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "on": to_date(self.date.date()), "subject": self.subject.text(),
                "number": self.number.text().strip() or None, "recipients": self.recipients.toPlainText(),
                "signer": self.signer.text()}


class OutgoingView(QWidget):
    """The book of outgoing documents of a year (`set_year`, as the Reports screen's tabs)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.year = dt.date.today().year
        self.data: BookData | None = None
        self.kind = QComboBox()
        self.kind.setObjectName("book_kind")
        self.kind.addItem(tr("outgoing_view", "Mọi loại"), None)
        for kind in KINDS:
            self.kind.addItem(f"{kind_label(kind)} ({kind})", kind)
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.buttons = Buttons("book")
        actions = self.buttons.row([
            ("add", tr("outgoing_view", "Vào sổ văn bản..."), self.add_entry),
            ("void", tr("outgoing_view", "Hủy số..."), self.void_entry),
            ("pdf", tr("outgoing_view", "In sổ (PDF)..."), lambda: self.print_book(".pdf")),
            ("xlsx", tr("outgoing_view", "In sổ (Excel)..."), lambda: self.print_book(".xlsx")),
        ])
        self.listing: RowList[Any] = RowList([], "book_table", self, model=BookModel(book_columns(), self),
                                                sort_by=(0, Qt.SortOrder.AscendingOrder))
        self.listing.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.gaps = QLabel()
        self.gaps.setObjectName("book_gaps")
        self.gaps.setWordWrap(True)
        self.message = MessageLabel("book_message")
        layout = QVBoxLayout(self)
        layout.addLayout(filter_row((tr("outgoing_view", "Loại:"), self.kind), after=[]))
        layout.addLayout(actions)
        layout.addWidget(self.listing.table, 1)
        layout.addWidget(self.gaps)
        layout.addWidget(self.message)

    def set_year(self, year: int) -> None:
        self.year = year
        self.reload()

    def reload(self) -> None:
        year, kind = self.year, self.kind.currentData()

        def load(s: Any) -> BookData:
            from dtbd_desktop.services import outgoing

            entries = outgoing.list_book(s, year, kind)
            return BookData(entries, outgoing.gaps(entries), outgoing.may_number(s))

        self.ctx.read(load, self._fill, self, on_failed=self.message.failed)

    def _fill(self, data: BookData) -> None:
        self.data = data
        self.listing.set_rows(data.entries)
        self.listing.table.resizeColumnsToContents()
        for column in (3, 5):  # trích yếu, nơi nhận: not wider than a screen can show
            self.listing.table.setColumnWidth(column, min(self.listing.table.columnWidth(column), 420))
        missing = [tr("outgoing_view", "{kind}: {numbers}").format(
            kind=kind, numbers=", ".join(f"{n:02d}" for n in numbers[:30]) + ("…" if len(numbers) > 30 else ""))
            for kind, numbers in data.gaps.items()]
        self.gaps.setText(tr("outgoing_view", "Số chưa có trong sổ (đã cấp ngoài chương trình?): {gaps}").format(
            gaps="; ".join(missing)) if missing else "")
        self._update_buttons()

    def _update_buttons(self) -> None:
        may = self.data is not None and self.data.may_number
        selected = self.listing.selected()
        self.buttons["add"].setEnabled(may)
        self.buttons["void"].setEnabled(may and selected is not None and selected.status == "issued")
        has_rows = bool(self.data and self.data.entries)
        self.buttons["pdf"].setEnabled(has_rows)
        self.buttons["xlsx"].setEnabled(has_rows)

    # --- actions ------------------------------------------------------------------------
    def ask_entry(self) -> dict[str, Any] | None:
        """The document to enter (tests patch this)."""
        dialog = EntryDialog(self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def add_entry(self) -> None:
        values = self.ask_entry()
        if values is None:
            return

        def job(s: Any) -> Any:
            from dtbd_desktop.services import outgoing
            from dtbd_desktop.services.settings import load_letterhead

            return outgoing.register_document(s, load_letterhead(s), **values)

        def done(entry: Any) -> None:
            self.message.say(tr("outgoing_view", "Đã vào sổ số {symbol} ngày {date}.").format(
                symbol=entry.symbol, date=text.format_date(entry.issued_on)))
            self.reload()

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def ask_void_reason(self, symbol: str) -> str | None:
        """Why the number is voided (tests patch this)."""
        return ask_reason(self, tr("outgoing_view", "Hủy số"),
                          tr("outgoing_view", "Lý do hủy số {symbol} (dòng vẫn giữ trong sổ):").format(symbol=symbol))

    def void_entry(self) -> None:
        entry = self.listing.selected()
        if entry is None:
            return
        reason = self.ask_void_reason(entry.symbol)
        if reason is None:
            return

        def job(s: Any) -> Any:
            from dtbd_desktop.services import outgoing

            return outgoing.void(s, entry.year, entry.kind, entry.number, reason, expected_version=entry.version)

        def done(_entry: Any) -> None:
            self.message.say(tr("outgoing_view", "Đã hủy số {symbol}.").format(symbol=entry.symbol))
            self.reload()

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def ask_print(self, options: PrintOptions) -> PrintChoice | None:
        """The print dialog (tests patch this)."""
        return ask_print(options, self)

    def print_book(self, suffix: str) -> None:
        year, kind = self.year, self.kind.currentData()
        options = PrintOptions(title=tr("outgoing_view", "In sổ văn bản đi năm {year}").format(year=year),
                               file_name=f"So van ban di {year}{suffix}",
                               patterns="PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)",
                               date=dt.date.today(), choose_signer=False)
        choice = self.ask_print(options)
        if choice is None:
            return
        path = Path(choice.path)

        def job(s: Any, _progress: Any) -> int:
            from dtbd_desktop.reports.outgoing_report import export_book

            return export_book(s, year, path, kind=kind, on=choice.date)

        self.ctx.export(job, lambda _n: self.message.say(tr("outgoing_view", "Đã lưu {path}.").format(path=path)),
                        self, self.message.failed, progress_label=tr("outgoing_view", "Đang in sổ..."))


__all__ = ["BookModel", "EntryDialog", "OutgoingView", "book_columns"]
