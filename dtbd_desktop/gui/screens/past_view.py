"""*Các năm trước*: bringing the centre's past in, and serving it.

* **Nhập sổ gốc cũ**: a wizard over the same engine as the command line (`workbooks.past`):
  choose the workbook (.xlsx or .xls), the kind and programme when the title block does not say,
  *Kiểm tra* (a dry run: what would come in, every problem by sheet, row and column), then
  *Nhập* (all or nothing). *Nhập bảng điểm cũ* brings in past class results the same way.
* **Học viên có thể trùng**: the pairs imports proposed; merge (undoable until confirmed), undo,
  confirm, or mark as two people.
* **Bản sao từ sổ gốc**: a serial, the date and who asks; a copy (numbered in the book of copies)
  or a confirmation of graduation (numbered in the book of outgoing documents), as PDF.

Every step runs off the GUI thread through `AppContext`; every change is an operation of the core.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets import copy_papers
from dtbd_desktop.gui.widgets.common import Buttons, MessageLabel, section_title, to_date
from dtbd_desktop.gui.widgets.date_field import DateField
from dtbd_desktop.gui.widgets.list_screen import RowList


class PastView(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.loaded = False
        self.workbook: Any = None
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(section_title(tr("past", "Dữ liệu các năm trước")))
        layout.addWidget(self._import_box())
        layout.addWidget(self._duplicates_box(), 1)
        layout.addWidget(self._copy_box())
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(inner)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def showEvent(self, event: Any) -> None:  # noqa: N802  (Qt's name)
        super().showEvent(event)
        if not self.loaded:
            self.loaded = True
            self.refresh()

    # ------------------------------------------------------------------------------ import
    def _import_box(self) -> QGroupBox:
        box = QGroupBox(tr("past", "Nhập sổ gốc cũ (Excel .xlsx hoặc .xls: mỗi trang một lớp)"))
        form = QFormLayout(box)
        self.file_edit = QLineEdit()
        self.file_edit.setObjectName("past_file")
        self.file_edit.setPlaceholderText(tr("past", "Chọn tệp sổ gốc..."))
        choose = Buttons("past")
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(choose.add("browse", tr("past", "Chọn tệp..."), self.browse))
        form.addRow(tr("past", "Tệp:"), row)
        self.kind = QComboBox()
        self.kind.setObjectName("past_kind")
        for label, value in ((tr("past", "Theo dòng tiêu đề của sổ"), None),
                             (tr("past", "Bằng tốt nghiệp"), "diploma"), (tr("past", "Giấy chứng nhận"), "certificate")):
            self.kind.addItem(label, value)
        form.addRow(tr("past", "Loại văn bằng:"), self.kind)
        self.programme = QComboBox()
        self.programme.setObjectName("past_programme")
        self.programme.addItem(tr("past", "Theo dòng tiêu đề của sổ"), None)
        form.addRow(tr("past", "Chương trình:"), self.programme)
        self.buttons = Buttons("past")
        form.addRow(self.buttons.row([("check", tr("past", "Kiểm tra"), self.check),
                                      ("import", tr("past", "Nhập"), self.run_import),
                                      ("results", tr("past", "Nhập bảng điểm cũ"), self.run_results)]))
        self.buttons["import"].setEnabled(False)
        self.summary = MessageLabel("past_summary")
        form.addRow(self.summary)
        self.problems: RowList[Any] = RowList([
            Column(tr("past", "Trang"), lambda p: p.sheet), Column(tr("past", "Dòng"), lambda p: p.row or ""),
            Column(tr("past", "Cột"), lambda p: p.column or ""), Column(tr("past", "Cần sửa"), lambda p: p.message)],
            "past_problems", self)
        self.problems.table.setMinimumHeight(140)
        form.addRow(self.problems.table)
        return box

    def browse(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("past", "Chọn tệp sổ gốc"), "",
                                                    tr("past", "Bảng tính Excel (*.xlsx *.xls)"))
        if path:
            self.file_edit.setText(path)

    def _options(self) -> dict[str, Any]:
        return {"kind": self.kind.currentData(), "programme": self.programme.currentData()}

    def check(self) -> None:
        path = Path(self.file_edit.text().strip())
        if not self.file_edit.text().strip():
            self.summary.say(tr("past", "Chọn tệp sổ gốc trước."), error=True)
            return
        from dtbd_desktop.workbooks.past.importing import import_registers
        from dtbd_desktop.workbooks.past.reading import read_past_workbook

        options = self._options()
        self.buttons["import"].setEnabled(False)

        def job() -> Any:
            self.workbook = read_past_workbook(path)
            return import_registers(self.ctx.db, self.workbook, dry_run=True, login=self.ctx.login, **options)

        self.ctx.work(job, self._checked, self, on_failed=self._failed,
                      progress_label=tr("past", "Đang đọc tệp {file}").format(file=path.name))

    def _failed(self, exc: BaseException) -> None:
        self.problems.set_rows([])
        self.summary.failed(exc)

    def _checked(self, result: Any) -> None:
        self.problems.set_rows(result.rejected)
        if result.refused:
            self.summary.say(tr("past", "Chưa nhập được: {n} lỗi (trang, dòng, cột ở bảng dưới). Sửa tệp rồi kiểm tra lại.")
                             .format(n=len(result.rejected)), error=True)
            return
        self.summary.say(tr("past", "Sẽ nhập {n} dòng sổ gốc, {k} lớp ({classes}); {new} hồ sơ mới, {dup} người có thể "
                                    "trùng. Bấm Nhập để ghi.").format(
            n=result.imported, k=len(result.classes), classes=", ".join(result.classes), new=result.learners_new,
            dup=len(result.possible_duplicates)))
        self.buttons["import"].setEnabled(True)

    def run_import(self) -> None:
        from dtbd_desktop.workbooks.past.importing import import_workbook

        workbook, options = self.workbook, self._options()
        self.buttons["import"].setEnabled(False)
        self.ctx.write(lambda s, progress: import_workbook(s, workbook, progress=progress, **options), self._imported,
                       self, on_failed=self._failed, progress_label=tr("past", "Đang nhập sổ gốc"))

    def _imported(self, result: Any) -> None:
        self.problems.set_rows(result.rejected)
        if result.refused:
            self.summary.say(tr("past", "Không nhập: {n} lỗi; không có gì bị thay đổi.").format(n=len(result.rejected)),
                             error=True)
            return
        self.summary.say(tr("past", "Đã nhập {n} dòng sổ gốc vào {k} lớp ({classes}).").format(
            n=result.imported, k=len(result.classes), classes=", ".join(result.classes)))
        self.refresh()

    def run_results(self) -> None:
        path = self.file_edit.text().strip()
        if not path:
            self.summary.say(tr("past", "Chọn tệp bảng điểm trước."), error=True)
            return
        from dtbd_desktop.workbooks.past.results import import_results

        self.ctx.work(lambda: import_results(self.ctx.db, path, login=self.ctx.login), self._results_done, self,
                      on_failed=self._failed, progress_label=tr("past", "Đang nhập bảng điểm"))

    def _results_done(self, result: Any) -> None:
        self.problems.set_rows(result.rejected)
        if result.refused:
            self.summary.say(tr("past", "Không nhập bảng điểm: {n} lỗi; không có gì bị thay đổi.").format(
                n=len(result.rejected)), error=True)
        else:
            self.summary.say(tr("past", "Đã nhập {n} điểm của {k} lớp.").format(n=result.scores, k=len(result.classes)))

    # ------------------------------------------------------------------------------ duplicates
    def _duplicates_box(self) -> QGroupBox:
        box = QGroupBox(tr("past", "Học viên có thể trùng (cùng họ tên, ngày sinh; không có CCCD để phân biệt)"))
        layout = QVBoxLayout(box)
        self.pairs: RowList[Any] = RowList([
            Column(tr("past", "Hồ sơ giữ"), lambda p: f"{p.kept.full_name}, {p.kept.birth_text}"),
            Column(tr("past", "Lớp"), lambda p: ", ".join(p.kept.classes)),
            Column(tr("past", "Hồ sơ kia"), lambda p: f"{p.other.full_name}, {p.other.birth_text}"),
            Column(tr("past", "Lớp "), lambda p: ", ".join(p.other.classes)),
            Column(tr("past", "Tình trạng"), lambda p: p.status_label),
            Column(tr("past", "Tìm thấy ở"), lambda p: p.source)], "past_pairs", self)
        self.pairs.table.setMinimumHeight(160)
        layout.addWidget(self.pairs.table)
        self.pair_buttons = Buttons("past_pair")
        layout.addLayout(self.pair_buttons.row([
            ("merge", tr("past", "Gộp thành một người"), lambda: self._pair("merge")),
            ("unmerge", tr("past", "Hoàn tác gộp"), lambda: self._pair("unmerge")),
            ("confirm", tr("past", "Xác nhận gộp"), lambda: self._pair("confirm")),
            ("dismiss", tr("past", "Hai người khác nhau"), lambda: self._pair("dismiss"))]))
        self.pair_message = MessageLabel("past_pair_message")
        layout.addWidget(self.pair_message)
        return box

    def refresh(self) -> None:
        from dtbd_desktop.services import catalogue, duplicates

        def load(session: Any) -> tuple[list[Any], list[tuple[str, str]]]:
            pairs = duplicates.list_pairs(session)
            programmes = [(p.code, p.name) for p in catalogue.list_programmes(session)]
            return pairs, programmes

        self.ctx.read(load, self._loaded, self, on_failed=self.pair_message.failed)

    def _loaded(self, data: tuple[list[Any], list[tuple[str, str]]]) -> None:
        pairs, programmes = data
        self.pairs.set_rows(pairs)
        if self.programme.count() == 1:
            for code, name in programmes:
                self.programme.addItem(f"{code} – {name}", code)

    def _pair(self, action: str) -> None:
        pair = self.pairs.selected()
        if pair is None:
            self.pair_message.say(tr("past", "Chọn một cặp hồ sơ trong bảng."), error=True)
            return
        from dtbd_desktop.services import duplicates

        fn = getattr(duplicates, action)

        def done(result: Any) -> None:
            self.pair_message.say(tr("past", "{kept} – {other}: {status}.").format(
                kept=result.kept.full_name, other=result.other.full_name, status=result.status_label))
            self.refresh()

        self.ctx.write(lambda s: fn(s, pair.id, expected_version=pair.version), done, self,
                       on_failed=self.pair_message.failed)

    # ------------------------------------------------------------------------------ copies
    def _copy_box(self) -> QGroupBox:
        box = QGroupBox(tr("past", "Bản sao văn bằng từ sổ gốc, giấy xác nhận tốt nghiệp"))
        form = QFormLayout(box)
        self.serial = QLineEdit()
        self.serial.setObjectName("past_serial")
        self.serial.setPlaceholderText(tr("past", "Số hiệu văn bằng, ví dụ 0012/TC-2016"))
        form.addRow(tr("past", "Số hiệu:"), self.serial)
        self.copy_date = DateField(QDate.currentDate())
        self.copy_date.setObjectName("past_copy_date")
        form.addRow(tr("past", "Ngày cấp:"), self.copy_date)
        self.requested_by = QLineEdit()
        self.requested_by.setObjectName("past_requested_by")
        form.addRow(tr("past", "Người yêu cầu:"), self.requested_by)
        self.copy_buttons = Buttons("past_copy")
        form.addRow(self.copy_buttons.row([("copy", tr("past", "Cấp bản sao..."), lambda: self._paper("copy")),
                                           ("confirm", tr("past", "Giấy xác nhận..."), lambda: self._paper("confirm"))]))
        self.copy_message = MessageLabel("past_copy_message")
        form.addRow(self.copy_message)
        return box

    def choose_pdf(self, suggested: str) -> str:
        """The file to write (tests patch this method)."""
        return copy_papers.choose_pdf(self, suggested)

    def _paper(self, kind: str) -> None:
        serial = self.serial.text().strip()
        if not serial:
            self.copy_message.say(tr("past", "Nhập số hiệu văn bằng."), error=True)
            return
        out = self.choose_pdf(copy_papers.suggested_name(kind, serial))
        if not out:
            return
        copy_papers.write_paper(self.ctx, self, kind, serial, out, to_date(self.copy_date.date()),
                                self.requested_by.text().strip() or None, self.copy_message.say,
                                self.copy_message.failed)
