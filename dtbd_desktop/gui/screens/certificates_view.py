"""The "Văn bằng, chứng chỉ" section: the register (sổ gốc) by year and kind, its export,
revoke and reissue, the offline verification box, the static verification page to publish, and
the doors to the layout editor and the printer calibration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions, ask_print
from dtbd_desktop.gui.screens.certificate_actions import reissue_certificate, revoke_certificate
from dtbd_desktop.gui.table_model import Column, name_sort
from dtbd_desktop.gui.widgets.common import Buttons, MessageLabel
from dtbd_desktop.gui.widgets.date_field import DateField, dates_ok
from dtbd_desktop.gui.widgets.list_screen import ListScreen, RowList, filter_row, search_box
from dtbd_desktop.services import certificates
from dtbd_desktop.services.certificates import CertificateRow, Verification

CENTER = Qt.AlignmentFlag.AlignHCenter


def register_columns() -> list[Column[CertificateRow]]:
    return [
        Column(tr("certificates_view", "Số vào sổ"), lambda r: r.register_number, sort=lambda r: (r.year, r.sequence)),
        Column(tr("certificates_view", "Số hiệu"), lambda r: r.serial, sort=lambda r: (r.year, r.sequence)),
        Column(tr("certificates_view", "Họ và tên"), lambda r: r.full_name, sort=lambda r: name_sort(r.full_name)),
        Column(tr("certificates_view", "Ngày sinh"), lambda r: r.birth_text, align=CENTER),
        Column(tr("certificates_view", "Lớp"), lambda r: r.class_code),
        Column(tr("certificates_view", "Xếp loại"), lambda r: r.classification),
        Column(tr("certificates_view", "Ngày cấp"), lambda r: text.format_date(r.issue_date), sort=lambda r: r.issue_date,
               align=CENTER),
        Column(tr("certificates_view", "Tình trạng"), lambda r: certificates.status_label(r.status),
               tooltip=lambda r: r.note),
        Column(tr("certificates_view", "Số lần in"), lambda r: r.print_count, align=CENTER),
        Column(tr("certificates_view", "Mã xác thực"), lambda r: r.verification_code),
    ]


class CertificatesView(ListScreen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("certificates_view", "Văn bằng, chứng chỉ"))

        # ---- verification
        self.verify_input = QLineEdit()
        self.verify_input.setObjectName("verify_input")
        self.verify_input.setPlaceholderText(tr("certificates_view", "Nhập mã xác thực (ví dụ K7QX2-M2PA9), quét mã QR "
                                                                     "hoặc nhập số hiệu..."))
        self.verify_input.setClearButtonEnabled(True)
        self.verify_button = QPushButton(tr("certificates_view", "Kiểm tra"))
        self.verify_button.setObjectName("verify_button")
        self.verify_result = QLabel()
        self.verify_result.setObjectName("verify_result")
        self.verify_result.setWordWrap(True)
        self.verify_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        verify_box = QGroupBox(tr("certificates_view", "Kiểm tra văn bằng (không cần mạng)"))
        vb = QVBoxLayout(verify_box)
        row = QHBoxLayout()
        row.addWidget(self.verify_input, 1)
        row.addWidget(self.verify_button)
        vb.addLayout(row)
        vb.addWidget(self.verify_result)

        # ---- register
        self.year = QComboBox()
        self.year.setObjectName("register_year")
        self.kind = QComboBox()
        self.kind.setObjectName("register_kind")
        self.kind.addItem(tr("certificates_view", "Mọi loại"), None)
        for key in ("diploma", "certificate"):
            self.kind.addItem(certificates.kind_label(key), key)
        self.search = search_box("register_search", tr("certificates_view", "Tìm theo họ tên, số hiệu, số vào sổ..."))
        filters = filter_row((tr("certificates_view", "Năm:"), self.year), (tr("certificates_view", "Loại:"), self.kind),
                             stretch=self.search)

        self.buttons = Buttons("register")
        actions = self.buttons.row((
            ("export_pdf", tr("certificates_view", "Xuất sổ gốc PDF..."), lambda: self.export(".pdf")),
            ("export_xlsx", tr("certificates_view", "Xuất sổ gốc Excel..."), lambda: self.export(".xlsx")),
            ("close", tr("certificates_view", "Khóa sổ..."), self.close_register),
            ("revoke", tr("certificates_view", "Thu hồi..."), self.revoke),
            ("reissue", tr("certificates_view", "Cấp lại..."), self.reissue),
            ("layouts", tr("certificates_view", "Mẫu in..."), self.open_layouts),
            ("calibrate", tr("certificates_view", "Căn chỉnh máy in..."), self.open_calibration),
            ("verify_page", tr("certificates_view", "Trang xác thực..."), self.publish_verify_page),
        ))
        self.buttons["verify_page"].setToolTip(tr("certificates_view", "Ghi trang xác thực (một tệp HTML) với khóa và "
                                                                       "danh sách thu hồi hôm nay, để đưa lên trang web "
                                                                       "của đơn vị hoặc chép vào USB"))

        self.listing: RowList[CertificateRow] = RowList(register_columns(), "register_table", self)
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        layout = self.main_layout
        layout.addWidget(verify_box)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        self.message = MessageLabel("register_message")
        layout.addLayout(filter_row(stretch=self.message, after=(self.count_label,)))

        self.verify_button.clicked.connect(self.verify)
        self.verify_input.returnPressed.connect(self.verify)
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.search.searched.connect(lambda _text: self.reload())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self._update_buttons()

    def first_load(self) -> None:
        self.ctx.read(certificates.register_years, self._fill_years, self)

    def refresh(self) -> None:
        self.first_load()  # a year's first certificate adds the year

    def _fill_years(self, years: list[int]) -> None:
        chosen = self.year.currentData() if self.year.count() else -1
        self.year.blockSignals(True)
        self.year.clear()
        for year in years:
            self.year.addItem(str(year), year)
        self.year.addItem(tr("certificates_view", "Mọi năm"), None)
        if chosen != -1:  # the year shown before, "Mọi năm" included
            index = self.year.count() - 1 if chosen is None else self.year.findData(chosen)
            self.year.setCurrentIndex(max(0, index))
        self.year.blockSignals(False)
        self.reload()

    # ------------------------------------------------------------------ register

    def reload(self) -> None:
        year, kind, search = self.year.currentData(), self.kind.currentData(), self.search.text().strip() or None
        self.ctx.read(lambda s: certificates.list_certificates(s, year, kind, search), self._show_rows, self)

    def _show_rows(self, rows: list[CertificateRow]) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        self.count_label.setText(tr("certificates_view", "{n} dòng sổ gốc.").format(n=len(rows)))
        self._update_buttons()

    def selected(self) -> CertificateRow | None:
        return self.listing.selected()

    def _update_buttons(self) -> None:
        row = self.selected()
        live = row is not None and row.status == "issued"
        self.buttons["revoke"].setEnabled(live)
        self.buttons["reissue"].setEnabled(live)
        has_year = self.year.currentData() is not None
        self.buttons["export_pdf"].setEnabled(has_year)
        self.buttons["export_xlsx"].setEnabled(has_year)
        self.buttons["close"].setEnabled(has_year)

    def ask_print(self, options: PrintOptions) -> PrintChoice | None:
        """The print dialog (tests patch this)."""
        return ask_print(options, self)

    def export(self, suffix: str) -> None:
        year = self.year.currentData()
        if year is None:
            return
        choice = self.ask_print(PrintOptions(
            title=tr("certificates_view", "Xuất sổ gốc"), file_name=f"so-goc-{year}{suffix}",
            patterns="PDF (*.pdf)" if suffix == ".pdf" else "Excel (*.xlsx)", date=dt.date.today(),
            choose_signer=False))
        if choice is not None:
            path = Path(choice.path)
            self.export_to(path if path.suffix.lower() == suffix else path.with_suffix(suffix), year, on=choice.date)

    def export_to(self, path: Path, year: int, *, on: dt.date | None = None) -> None:
        from dtbd_desktop.reports.register_report import export_register

        kind = self.kind.currentData()

        def done(result: tuple[Path, int]) -> None:
            self.message.saved_file(tr("certificates_view", "Đã xuất {n} dòng sổ gốc vào {path}.").format(
                n=result[1], path=result[0]), result[0])

        self.ctx.read(lambda s: export_register(s, year, path, kind=kind, on=on), done, self)

    def ask_close(self, registers: list[dict[str, Any]]) -> tuple[dict[str, Any], dt.date] | None:
        """Which register to close and on which day (tests patch this)."""
        dialog = CloseRegisterDialog(registers, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def close_register(self) -> None:
        year = self.year.currentData()
        if year is None:
            return

        def found(registers: list[dict[str, Any]]) -> None:
            open_ones = [r for r in registers if r["year"] == year and not r["closed_on"]]
            if not open_ones:
                QMessageBox.information(self, tr("certificates_view", "Khóa sổ"),
                                        tr("certificates_view", "Các sổ gốc năm {year} đều đã khóa.").format(year=year))
                return
            answer = self.ask_close(open_ones)
            if answer is None:
                return
            register, on = answer

            def job(s: Any) -> str:
                from dtbd_desktop.services import certificates_numbering

                closed = certificates_numbering.close_register(s, register["kind"], year, on, level=register["level"])
                return closed.name

            def done(name: str) -> None:
                QMessageBox.information(self, tr("certificates_view", "Khóa sổ"), tr(
                    "certificates_view", "Đã khóa {name} ngày {date}.").format(name=name, date=on.strftime("%d/%m/%Y")))

            self.ctx.write(job, done, self)

        self.ctx.read(certificates.registers, found, self)

    def revoke(self) -> None:
        row = self.selected()
        if row is not None:
            revoke_certificate(self, self.ctx, row.serial, self.reload, say=self.message.say)

    def reissue(self) -> None:
        row = self.selected()
        if row is not None:
            reissue_certificate(self, self.ctx, row.serial, self.reload, say=self.message.say)

    # ------------------------------------------------------------------ verification

    def verify(self) -> None:
        code = self.verify_input.text()

        def check(session: Session) -> Verification:
            return certificates.verify(session, code)

        self.ctx.read(check, self.show_verification, self)

    def show_verification(self, result: Verification) -> None:
        colour = "#1b5e20" if result.valid else "#b71c1c"
        verdict = (tr("certificates_view", "HỢP LỆ") if result.valid
                   else tr("certificates_view", "KHÔNG HỢP LỆ"))
        lines = [f"<b style='color:{colour}; font-size: 15px'>{verdict}</b> – {_escape(result.message)}"]
        if result.full_name:
            details: list[Any] = [f"<b>{_escape(result.full_name)}</b>"]
            if result.birth_text:
                details.append(tr("certificates_view", "sinh {date}").format(date=result.birth_text))
            if result.serial:
                details.append(tr("certificates_view", "số hiệu {serial}").format(serial=_escape(result.serial)))
            if result.issue_date:
                details.append(tr("certificates_view", "cấp ngày {date}").format(date=text.format_date(result.issue_date)))
            if result.classification:
                details.append(_escape(result.classification))
            lines.append(", ".join(str(d) for d in details))
        self.verify_result.setText("<br>".join(lines))
        self.last_verification = result

    # ------------------------------------------------------------------ the verification page

    def ask_verify_page_folder(self) -> str:
        return QFileDialog.getExistingDirectory(self, tr("certificates_view", "Chọn thư mục ghi trang xác thực"))

    def publish_verify_page(self) -> None:
        folder = self.ask_verify_page_folder()
        if folder:
            self.publish_verify_page_to(Path(folder))

    def publish_verify_page_to(self, folder: Path) -> None:
        from dtbd_desktop.reports.verify_page import write_verify_page
        from dtbd_desktop.services.settings import verify_page_link

        def write(session: Session) -> tuple[Path, str | None]:
            return write_verify_page(session, folder), verify_page_link(session)

        self.ctx.read(write, self._verify_page_written, self)

    def _verify_page_written(self, result: tuple[Path, str | None]) -> None:
        path, link = result
        self.verify_page_path = path
        message = tr("certificates_view", "Đã ghi trang xác thực vào {path}.").format(path=path)
        if link:
            message += "\n\n" + tr("certificates_view", "Đưa cả thư mục {folder} lên trang web của đơn vị sao cho "
                                                          "trang mở được ở địa chỉ {link} (mã QR trên văn bằng dẫn tới "
                                                          "đó). Ghi và đưa lại trang mỗi khi thu hồi hoặc cấp lại văn "
                                                          "bằng.").format(folder=path.parent, link=link)
        else:
            message += "\n\n" + tr("certificates_view", "Chưa đặt địa chỉ trang xác thực nên mã QR trên văn bằng chưa "
                                                          "dẫn tới trang này: đặt ở Tệp → Cài đặt... → In giấy tờ. "
                                                          "Trang vẫn dùng được từ USB: mở tệp rồi dán nội dung mã QR.")
        QMessageBox.information(self, tr("certificates_view", "Trang xác thực"), message)

    # ------------------------------------------------------------------ tools

    def open_layouts(self) -> None:
        from dtbd_desktop.gui.dialogs.certificates_layout_editor import LayoutEditor

        self.layout_editor = LayoutEditor(self.ctx, self)
        self.layout_editor.launch()

    def open_calibration(self) -> None:
        from dtbd_desktop.gui.dialogs.certificates_calibration import CalibrationDialog

        self.calibration_dialog = CalibrationDialog(self.ctx, self)
        self.calibration_dialog.launch()


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CloseRegisterDialog(QDialog):
    """Khóa sổ: which register of the year, and the day."""

    def __init__(self, registers: list[dict[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("certificates_view", "Khóa sổ gốc"))
        self.register = QComboBox()
        self.register.setObjectName("close_register")
        for item in registers:
            self.register.addItem(str(item["name"]), item)
        self.date = DateField(QDate.currentDate())
        self.date.setObjectName("close_date")
        note = QLabel(tr("certificates_view", "Sổ đã khóa không vào sổ thêm văn bằng nào; dòng khóa sổ in ngày này."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(lambda: self.accept() if dates_ok(self) else None)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("certificates_view", "Sổ gốc:"), self.register)
        form.addRow(tr("certificates_view", "Ngày khóa sổ:"), self.date)
        form.addRow(note)
        form.addRow(buttons)

    def values(self) -> tuple[dict[str, Any], dt.date]:
        q = self.date.date()
        return self.register.currentData(), dt.date(q.year(), q.month(), q.day())
