"""The attendance tab's other actions: the clipboard (a block of letters pasted from Excel, or
copied back), make-up lessons (học bổ sung) of the current learner, the sign-in sheet of the
selected session, the class's attendance summary, the letters to the sending organisations,
and the attendance workbook exported for paper signing and imported back (checked first,
all or nothing).

A mixin of `AttendanceTab`: it uses the tab's `ctx`, `class_code`, `model`, `table`,
`selected_cells`, `commit`, `refresh_panel`, `show_message`, `ask_reason`, `load` and `saved`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelection, QItemSelectionModel
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.screens.attendance_panel import MakeUpDialog
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.rules.attendance import STATUS_CODES, parse_status
from dtbd_desktop.services import attendance as att


class ActionsMixin:
    # --- clipboard --------------------------------------------------------------------------
    def paste(self) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> None:
        """Paste a tab-separated block of status letters (from Excel) at the selection."""
        model = self.model
        if model is None:
            return
        lines = text.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n").split("\n")
        block: list[list[str | None]] = []
        for r, line in enumerate(lines):
            values: list[str | None] = []
            for c, raw in enumerate(line.split("\t")):
                try:
                    values.append(parse_status(raw))
                except ValueError:
                    self.show_message(tr("attendance_tab", "Không dán được: ô ở dòng {row}, cột {column} của khối dán "
                                                           "là '{value}', không phải C, P, K, M hay ô trống.").format(
                        row=r + 1, column=c + 1, value=raw.strip()))
                    return
            block.append(values)
        cells = self.selected_cells()
        if not cells or not block:
            return
        top, left = min(r for r, _c in cells), min(c for _r, c in cells)
        if len(block) == 1 and len(block[0]) == 1 and len(cells) > 1:
            changes = [(r, c, block[0][0]) for r, c in cells]
        else:
            height, width = len(block), max(len(b) for b in block)
            if top + height > model.rowCount() or left + width > model.columnCount():
                self.show_message(tr("attendance_tab", "Không dán được: khối dán có {rows} dòng x {columns} cột, vượt "
                                                       "quá bảng từ ô đang chọn.").format(rows=height, columns=width))
                return
            changes = [(top + r, left + c, value) for r, values in enumerate(block) for c, value in enumerate(values)]
            selection = QItemSelection(model.index(top, left), model.index(top + height - 1, left + width - 1))
            self.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.commit(changes)

    def copy(self) -> None:
        model = self.model
        cells = self.selected_cells()
        if model is None or not cells:
            return
        rows = sorted({r for r, _c in cells})
        columns = sorted({c for _r, c in cells})
        lines = ["\t".join(STATUS_CODES.get(model.status_at(r, c) or "", "") for c in columns) for r in rows]
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    # --- make-up ----------------------------------------------------------------------------
    def record_makeup(self) -> None:
        model, current = self.model, self.table.currentIndex()
        if model is None or not current.isValid():
            return
        learner = model.grid.learners[current.row()]
        modules = [m for m in model.summary_at(current.row()).modules if m.absent_periods > m.made_up_periods]
        if not modules:
            self.show_message(tr("attendance_tab", "{name} không có tiết vắng nào cần học bổ sung.").format(
                name=learner.full_name), error=False)
            return
        values = self.ask_makeup(learner.full_name, modules, model.today)
        if values is None:
            return
        module_code, module_id, day, periods, note = values
        code, today, eid = self.class_code, model.today, learner.enrolment_id

        def job(s: Session) -> att.MakeUpRow:
            return att.record_makeup(s, code, None, module_code, day, periods, note, today=today, enrolment_id=eid)

        def done(row: att.MakeUpRow) -> None:
            model.add_makeup(eid, module_id, row.periods)
            self.refresh_panel()
            self.show_message(tr("attendance_tab", "Đã ghi {name} học bổ sung {periods} tiết học phần {module}.").format(
                name=learner.full_name, periods=row.periods, module=module_code), error=False)

        self.ctx.write(job, done, self, on_failed=lambda exc: self.show_message(error_text(exc)))

    def ask_makeup(self, full_name: str, modules: list[Any], today: dt.date) -> tuple[str, int, dt.date, int, str] | None:
        """The make-up to record, from a dialog (tests patch this)."""
        dialog = MakeUpDialog(full_name, modules, today, self)
        return dialog.values() if dialog.exec() == MakeUpDialog.DialogCode.Accepted else None

    # --- printouts and the workbook ---------------------------------------------------------
    def ask_path(self, title: str, name: str, pattern: str, *, save: bool = True) -> str:
        """A file to write or read (tests patch this)."""
        if save:
            return QFileDialog.getSaveFileName(self, title, name, pattern)[0]
        return QFileDialog.getOpenFileName(self, title, "", pattern)[0]

    def _export(self, fn: Any, title: str, name: str, pattern: str) -> None:
        path = self.ask_path(title, name, pattern)
        if not path:
            return
        target = Path(path)
        self.ctx.read(lambda s: fn(s, target), lambda _r: self.show_message(
            tr("attendance_tab", "Đã lưu {path}.").format(path=target), error=False), self)

    def print_sign_in(self) -> None:
        session = self.model.session_at(self.table.currentIndex().column()) if self.model else None
        if session is None:
            self.show_message(tr("attendance_tab", "Hãy chọn một buổi học (một cột) trước."))
            return
        code, day, half = self.class_code, session.date, session.half
        self._export(lambda s, path: _reports().export_sign_in_sheet(s, code, day, half, path),
                     tr("attendance_tab", "In danh sách ký tên"), f"Ky ten {code} {day:%Y-%m-%d} {half}.pdf",
                     tr("attendance_tab", "PDF (*.pdf)"))

    def print_summary(self) -> None:
        code, today = self.class_code, self.model.today if self.model else None
        self._export(lambda s, path: _reports().export_summary(s, code, path, on=today),
                     tr("attendance_tab", "Tổng hợp chuyên cần"), f"Chuyen can {code}.pdf",
                     tr("attendance_tab", "PDF (*.pdf);;Excel (*.xlsx)"))

    def print_letters(self) -> None:
        code, today = self.class_code, self.model.today if self.model else None
        self._export(lambda s, path: _reports().export_letters(s, code, path, on=today),
                     tr("attendance_tab", "Thông báo gửi đơn vị cử đi học"), f"Thong bao don vi {code}.pdf",
                     tr("attendance_tab", "PDF (*.pdf)"))

    def export_workbook(self) -> None:
        from dtbd_desktop.workbooks import attendance as attendance_workbook

        code, today = self.class_code, self.model.today if self.model else None
        self._export(lambda s, path: attendance_workbook.export_workbook(s, code, path, today=today),
                     tr("attendance_tab", "Xuất bảng điểm danh"), f"Diem danh {code}.xlsx",
                     tr("attendance_tab", "Excel (*.xlsx)"))

    def import_workbook(self) -> None:
        """Check the workbook (a dry run), ask for a reason if it changes locked sessions, then import."""
        from dtbd_desktop.workbooks import attendance as wb

        model = self.model
        path = self.ask_path(tr("attendance_tab", "Nhập bảng điểm danh"), "", tr("attendance_tab", "Excel (*.xlsx)"),
                             save=False)
        if model is None or not path:
            return
        code, today, may_override = self.class_code, model.today, model.can_override
        checking = tr("attendance_tab", "(kiểm tra)")

        def check(s: Session) -> wb.ImportResult:
            return wb.import_workbook(s, code, path, dry_run=True, allow_locked=may_override, reason=checking,
                                      today=today)

        def checked(result: wb.ImportResult) -> None:
            if not result.changed:
                self.show_message(tr("attendance_tab", "Tệp không có thay đổi nào so với điểm danh đã lưu."),
                                  error=False)
                return
            reason = None
            if result.locked:
                reason = self.ask_reason(result.locked)
                if not reason:
                    self.show_message(tr("attendance_tab", "Chưa nhập: sửa điểm danh đã khóa cần ghi lý do."))
                    return

            def write(s: Session) -> wb.ImportResult:
                return wb.import_workbook(s, code, path, allow_locked=bool(reason), reason=reason, today=today)

            def written(done: wb.ImportResult) -> None:
                self.saved.emit()
                self.load(tr("attendance_tab", "Đã nhập {n} thay đổi điểm danh.").format(n=done.changed))

            self.ctx.write(write, written, self)

        self.ctx.read(check, checked, self)


def _reports() -> Any:
    """The printouts module, imported when first used (reportlab takes a while to load)."""
    from dtbd_desktop.reports import attendance_reports

    return attendance_reports
