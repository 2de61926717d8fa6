"""The attendance tab's other actions: the clipboard (a block of letters pasted from Excel, or
copied back), make-up lessons (học bổ sung) of the current learner, the sign-in sheet of the
selected session, the class's attendance summary, the letters to the sending organisations,
and the attendance workbook exported for paper signing and imported back (checked first,
all or nothing).

A mixin of `AttendanceTab`: what it uses of the tab is written down as the `AttendanceHost`
protocol, and each method takes `self` as such a host, so that mypy checks both sides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QItemSelection, QItemSelectionModel, SignalInstance
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QWidget
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions, ask_print
from dtbd_desktop.gui.models.attendance_model import AttendanceModel
from dtbd_desktop.gui.screens.attendance_panel import MakeUpDialog
from dtbd_desktop.gui.screens.attendance_views import GridView
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.common import MessageLabel
from dtbd_desktop.rules.attendance import STATUS_CODES, ModuleAbsence, parse_status
from dtbd_desktop.services import attendance as att


def sign_in_file_name(class_code: str, day: dt.date, half: str) -> str:
    """"diem-danh-TC25.01-05-01-2027-sang.pdf": Vietnamese without diacritics, whatever the UI's language."""
    from dtbd_desktop.base.text import file_name
    from dtbd_desktop.rules.timetable import HALF_LABELS

    return f"diem-danh-{file_name(class_code)}-{day:%d-%m-%Y}-{file_name(HALF_LABELS.get(half, half)).lower()}.pdf"

MakeUp = tuple[str, int, dt.date, int, str]  # module code, module id, day, periods, note


class AttendanceHost(Protocol):
    """What the actions need from the tab they are mixed into (`AttendanceTab`)."""

    ctx: AppContext
    class_code: str
    model: AttendanceModel | None  # None until the grid is loaded
    table: GridView  # the sessions grid
    status: MessageLabel  # the tab's line of news

    @property
    def saved(self: _Actions) -> SignalInstance:
        """Emitted when marks were written."""
        ...

    def as_widget(self: _Actions) -> QWidget:
        """The tab itself, parent of the actions' dialogs and jobs."""
        ...

    def selected_cells(self: _Actions) -> list[tuple[int, int]]: ...

    def commit(self: _Actions, cells: list[tuple[int, int, str | None]]) -> bool: ...

    def refresh_panel(self: _Actions) -> None: ...

    def show_message(self: _Actions, message: str, *, error: bool = True) -> None: ...

    def ask_reason(self: _Actions, cells: int) -> str | None: ...

    def load(self: _Actions, message: str | None = None) -> None: ...


class _Actions(AttendanceHost, Protocol):
    """A host with the actions mixed in: what an action may call on `self`."""

    def paste_text(self: _Actions, text: str) -> None: ...

    def ask_makeup(self: _Actions, full_name: str, modules: list[ModuleAbsence], today: dt.date) -> MakeUp | None: ...

    def ask_path(self: _Actions, title: str, name: str, pattern: str, *, save: bool = True) -> str: ...

    def _export(self: _Actions, fn: Callable[[Session, Path], object], title: str, name: str, pattern: str) -> None: ...

    def ask_print(self: _Actions, options: PrintOptions) -> PrintChoice | None: ...

    def write_letters(self: _Actions, choice: PrintChoice) -> None: ...


class ActionsMixin:
    # --- clipboard --------------------------------------------------------------------------
    def paste(self: _Actions) -> None:
        self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self: _Actions, text: str) -> None:
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

    def copy(self: _Actions) -> None:
        model = self.model
        cells = self.selected_cells()
        if model is None or not cells:
            return
        rows = sorted({r for r, _c in cells})
        columns = sorted({c for _r, c in cells})
        lines = ["\t".join(STATUS_CODES.get(model.status_at(r, c) or "", "") for c in columns) for r in rows]
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")

    # --- make-up ----------------------------------------------------------------------------
    def record_makeup(self: _Actions) -> None:
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


        def failed(exc: BaseException) -> None:
            self.show_message(error_text(exc))

        self.ctx.write(job, done, self.as_widget(), on_failed=failed)

    def ask_makeup(self: _Actions, full_name: str, modules: list[ModuleAbsence], today: dt.date) -> MakeUp | None:
        """The make-up to record, from a dialog (tests patch this)."""
        dialog = MakeUpDialog(full_name, modules, today, self.as_widget())
        return dialog.values() if dialog.exec() == MakeUpDialog.DialogCode.Accepted else None

    # --- printouts and the workbook ---------------------------------------------------------
    def ask_path(self: _Actions, title: str, name: str, pattern: str, *, save: bool = True) -> str:
        """A file to write or read (tests patch this)."""
        if save:
            return QFileDialog.getSaveFileName(self.as_widget(), title, name, pattern)[0]
        return QFileDialog.getOpenFileName(self.as_widget(), title, "", pattern)[0]

    def _export(self: _Actions, fn: Callable[[Session, Path], object], title: str, name: str, pattern: str) -> None:
        path = self.ask_path(title, name, pattern)
        if not path:
            return
        target = Path(path)

        def done(_result: object) -> None:
            self.status.saved_file(tr("attendance_tab", "Đã lưu {path}.").format(path=target), target)

        self.ctx.read(lambda s: fn(s, target), done, self.as_widget())

    def print_sign_in(self: _Actions) -> None:
        from dtbd_desktop.reports import attendance_reports  # reportlab takes a while to load

        session = self.model.session_at(self.table.currentIndex().column()) if self.model else None
        if session is None:
            self.show_message(tr("attendance_tab", "Hãy chọn một buổi học (một cột) trước."))
            return
        code, day, half = self.class_code, session.date, session.half
        self._export(lambda s, path: attendance_reports.export_sign_in_sheet(s, code, day, half, path),
                     tr("attendance_tab", "In danh sách ký tên"), sign_in_file_name(code, day, half),
                     tr("attendance_tab", "PDF (*.pdf)"))

    def ask_print(self: _Actions, options: PrintOptions) -> PrintChoice | None:
        """The print dialog: signing date, signer, number, file (tests patch this)."""
        return ask_print(options, self.as_widget())

    def print_summary(self: _Actions) -> None:
        from dtbd_desktop.reports import attendance_reports

        code, today = self.class_code, self.model.today if self.model else None
        choice = self.ask_print(PrintOptions(
            title=tr("attendance_tab", "Tổng hợp chuyên cần"), file_name=f"Chuyen can {code}.pdf",
            patterns=tr("attendance_tab", "PDF (*.pdf);;Excel (*.xlsx)"), date=today or dt.date.today(),
            choose_signer=False))
        if choice is None:
            return
        target, on = Path(choice.path), choice.date

        def done(_result: object) -> None:
            self.show_message(tr("attendance_tab", "Đã lưu {path}.").format(path=target), error=False)

        self.ctx.read(lambda s: attendance_reports.export_summary(s, code, target, on=on), done, self.as_widget())

    def print_letters(self: _Actions) -> None:
        code, today = self.class_code, self.model.today if self.model else None

        def facts(session: Session) -> object:
            from dtbd_desktop.services import outgoing

            return outgoing.print_facts(session, None)

        def chosen(found: object) -> None:
            from dtbd_desktop.services.outgoing import PrintFacts

            assert isinstance(found, PrintFacts)
            choice = self.ask_print(PrintOptions(
                title=tr("attendance_tab", "Công văn gửi đơn vị cử đi học"), file_name=f"Cong van chuyen can {code}.pdf",
                patterns=tr("attendance_tab", "PDF (*.pdf)"), date=today or dt.date.today(), numbered=True,
                may_number=found.may_number, head_title=found.head_title, deputy_title=found.deputy_title))
            if choice is not None:
                self.write_letters(choice)

        self.ctx.read(facts, chosen, self.as_widget())

    def write_letters(self: _Actions, choice: PrintChoice) -> None:
        from dtbd_desktop.reports import attendance_reports

        code, target = self.class_code, Path(choice.path)
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")

        def job(session: Session) -> object:
            return attendance_reports.export_letters(session, code, target, on=choice.date, draft=choice.draft,
                                                     deputy=choice.deputy)

        def done(result: object) -> None:
            numbers = ", ".join(getattr(result, "numbers", []) or [])
            message = tr("attendance_tab", "Đã lưu {path}.").format(path=target)
            if numbers:
                message += " " + tr("attendance_tab", "Số công văn: {numbers}.").format(numbers=numbers)
            self.show_message(message, error=False)

        if choice.draft:
            self.ctx.read(job, done, self.as_widget())
        else:
            self.ctx.write(job, done, self.as_widget())

    def export_workbook(self: _Actions) -> None:
        from dtbd_desktop.workbooks import attendance as attendance_workbook

        code, today = self.class_code, self.model.today if self.model else None
        self._export(lambda s, path: attendance_workbook.export_workbook(s, code, path, today=today),
                     tr("attendance_tab", "Xuất bảng điểm danh"), f"Diem danh {code}.xlsx",
                     tr("attendance_tab", "Excel (*.xlsx)"))

    def import_workbook(self: _Actions) -> None:
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

            self.ctx.write(write, written, self.as_widget())

        self.ctx.read(check, checked, self.as_widget())

