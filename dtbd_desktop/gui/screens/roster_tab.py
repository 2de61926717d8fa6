"""The roster tab of a class: the learners in Vietnamese order, and the changes the office makes to it:
import a list, add someone the centre knows (searched) or a new person typed in by hand
(`dialogs.learner_dialog.NewLearnerDialog`), remove, move, withdraw, open and edit a record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, name_sort
from dtbd_desktop.gui.widgets.common import Buttons, MessageLabel, ask_reason
from dtbd_desktop.gui.widgets.fit_columns import fit_columns
from dtbd_desktop.gui.widgets.list_screen import RowList, search_box
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.services import classes, enrolments, learners, roster
from dtbd_desktop.services.roster import RosterRow

if TYPE_CHECKING:  # opened on demand
    from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, NewLearnerDialog


def roster_columns() -> list[Column[RosterRow]]:
    return [
        Column(tr("roster_tab", "Họ và tên"), lambda r: r.full_name, sort=lambda r: name_sort(r.full_name)),
        Column(tr("roster_tab", "Ngày sinh"), lambda r: r.birth_text,
               sort=lambda r: (r.birth_date or dt.date(r.birth_year, 1, 1))),
        Column(tr("roster_tab", "Giới tính"), lambda r: text.gender_label(r.gender)),
        Column(tr("roster_tab", "Dân tộc"), lambda r: r.ethnicity),
        Column(tr("roster_tab", "Số CCCD"), lambda r: r.national_id),
        Column(tr("roster_tab", "Chức vụ"), lambda r: r.position, tooltip=lambda r: r.position),
        Column(tr("roster_tab", "Đơn vị"), lambda r: r.organisation, tooltip=lambda r: r.organisation),
        Column(tr("roster_tab", "Tình trạng"), lambda r: tr("roster", roster.ENROLMENT_STATUS_LABELS[r.status])),
    ]


class FindLearnerDialog(QDialog):
    """Search the centre's learners (ignoring diacritics) and pick one; or, for someone who is not
    there, ask for a new record ("Người mới, chưa có hồ sơ...": `wants_new`)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("roster_tab", "Thêm học viên đã có vào lớp"))
        fit_to_screen(self, 640, 420)
        self.search = search_box("find_learner", tr("roster_tab", "Họ tên hoặc số CCCD..."))
        self.results = QListWidget()
        self.results.setObjectName("find_results")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("roster_tab", "Thêm vào lớp"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("roster_tab", "Hủy"))
        self.new_button = QPushButton(tr("roster_tab", "Người mới, chưa có hồ sơ..."))
        self.new_button.setObjectName("find_new")
        self.new_button.setToolTip(tr("roster_tab", "Nhập hồ sơ bằng tay cho người chưa học ở Trung tâm (ví dụ dòng bị "
                                                    "từ chối khi nhập danh sách) và thêm vào lớp"))
        self.buttons.addButton(self.new_button, QDialogButtonBox.ButtonRole.ResetRole)
        self.wants_new = False
        self.new_button.clicked.connect(self._new)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.buttons)
        self.search.searched.connect(lambda _text: self.refresh())

    def refresh(self) -> None:
        query = self.search.text()
        if not text.fold(query):
            self.results.clear()
            return
        self.ctx.read(lambda s: learners.search_learners(s, query, limit=50), self._show, self)

    def _show(self, rows: list[learners.LearnerRow]) -> None:
        self.results.clear()
        for r in rows:
            label = f"{r.full_name} – {r.birth_text} – {r.national_id or ''} – {r.organisation or ''}"
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, r.id)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)

    def _new(self) -> None:
        self.wants_new = True
        self.reject()

    def chosen_id(self) -> int | None:
        item = self.results.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None


class RosterTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, class_code: str, programme_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.programme_code = programme_code
        self.listing: RowList[RosterRow] = RowList(roster_columns(), "roster_table", self, row_numbers=True,
                                                   sort_by=(0, Qt.SortOrder.AscendingOrder),
                                                   on_open=lambda _row: self.open_learner())
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        fit_columns(self.table, flexible=(5, 6))  # position and organisation share what is left
        self.new_dialog: NewLearnerDialog | None = None
        self.record_dialog: LearnerDialog | None = None

        self.buttons = Buttons("roster")
        actions = self.buttons.row((
            ("import", tr("roster_tab", "Nhập từ Excel..."), self.import_excel),
            ("add", tr("roster_tab", "Thêm học viên..."), self.add_learner),
            ("remove", tr("roster_tab", "Xóa khỏi lớp"), self.remove_learner),
            ("move", tr("roster_tab", "Chuyển lớp..."), self.move_learner),
            ("withdraw", tr("roster_tab", "Thôi học..."), self.withdraw_learner),
            ("open", tr("roster_tab", "Xem hồ sơ"), self.open_learner),
            ("export", tr("roster_tab", "In danh sách..."), self.export),
        ))
        self.message = MessageLabel("roster_message")
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    # --- data ---------------------------------------------------------------------------
    def set_rows(self, rows: list[RosterRow]) -> None:
        self.model.set_rows(rows)

    def reload(self) -> None:
        code = self.class_code
        self.ctx.read(lambda s: roster.class_roster(s, code), self._reloaded, self)

    def _reloaded(self, rows: list[RosterRow]) -> None:
        self.set_rows(rows)
        self.changed.emit()

    def selected(self) -> RosterRow | None:
        row = self.listing.selected()
        if row is None:
            QMessageBox.information(self, tr("roster_tab", "Chọn học viên"),
                                    tr("roster_tab", "Hãy chọn một học viên trong danh sách trước."))
        return row

    def _write(self, fn: Any) -> None:
        self.ctx.write(fn, lambda _r: self.reload(), self)

    # --- actions ------------------------------------------------------------------------
    def import_excel(self) -> None:
        from dtbd_desktop.gui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self.class_code, self)
        wizard.imported.connect(self.reload)
        wizard.launch()

    def add_learner(self) -> None:
        dialog = FindLearnerDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            if dialog.wants_new:
                self.new_learner(dialog.search.text())
            return
        learner_id = dialog.chosen_id()
        if learner_id is not None:
            code = self.class_code
            self._write(lambda s: enrolments.add_learner(s, code, learner_id) and None)

    def new_learner(self, typed: str = "") -> None:
        """The form for a person typed in by hand (what was searched for already in it)."""
        from dtbd_desktop.gui.dialogs.learner_dialog import NewLearnerDialog

        code = self.class_code

        def show(choices: learners.LearnerChoices) -> None:
            self.new_dialog = NewLearnerDialog(self.ctx, code, choices, typed, self)
            self.new_dialog.created.connect(lambda _name: self.reload())
            self.new_dialog.launch()

        self.ctx.read(learners.learner_choices, show, self)

    def remove_learner(self) -> None:
        row = self.selected()
        if row is None:
            return
        answer = QMessageBox.question(self, tr("roster_tab", "Xóa khỏi lớp"),
                                      tr("roster_tab", "Xóa {name} khỏi danh sách lớp?").format(name=row.full_name))
        if answer == QMessageBox.StandardButton.Yes:
            self._write(lambda s: enrolments.remove_learner(s, row.enrolment_id))

    def withdraw_learner(self) -> None:
        row = self.selected()
        if row is None:
            return
        reason = ask_reason(self, tr("roster_tab", "Thôi học"),
                            tr("roster_tab", "Lý do {name} thôi học:").format(name=row.full_name))
        if reason is not None:
            self._write(lambda s: enrolments.withdraw(s, row.enrolment_id, reason) and None)

    def move_learner(self) -> None:
        row = self.selected()
        if row is None:
            return
        programme, current = self.programme_code, self.class_code

        def targets(session: Session) -> list[str]:
            return [c.code for c in classes.list_classes(session, programme=programme) if c.code != current]

        def choose(codes: list[str]) -> None:
            if not codes:
                QMessageBox.information(self, tr("roster_tab", "Chuyển lớp"),
                                        tr("roster_tab", "Chưa có lớp nào khác cùng chương trình."))
                return
            target, ok = QInputDialog.getItem(self, tr("roster_tab", "Chuyển lớp"),
                                              tr("roster_tab", "Chuyển {name} sang lớp:").format(name=row.full_name),
                                              codes, 0, False)
            if ok:
                self._write(lambda s: enrolments.move_to_class(s, row.enrolment_id, target) and None)

        self.ctx.read(targets, choose, self)

    def open_learner(self) -> None:
        row = self.selected()
        if row is None:
            return
        from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, load_record

        def show(record: tuple[learners.LearnerDetail, learners.LearnerChoices, bool]) -> None:
            self.record_dialog = LearnerDialog(self.ctx, *record, parent=self)
            self.record_dialog.saved.connect(self.reload)
            self.record_dialog.launch()

        self.ctx.read(lambda s: load_record(s, row.learner_id), show, self)

    def export(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("roster_tab", "In danh sách học viên"), f"Danh sach {self.class_code}.pdf",
            tr("roster_tab", "PDF (*.pdf);;Excel (*.xlsx)"))
        if path:
            self.export_to(Path(path))

    def export_to(self, path: Path) -> None:
        from dtbd_desktop.reports import roster_report

        code = self.class_code
        exporter = roster_report.export_roster_xlsx if path.suffix.lower() == ".xlsx" else roster_report.export_roster_pdf

        def exported(_n: int) -> None:
            self.message.saved_file(tr("roster_tab", "Đã lưu {path}.").format(path=path), path)

        self.ctx.read(lambda s: exporter(s, code, path), exported, self)
