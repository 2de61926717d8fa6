"""The whole class's conduct (rèn luyện), the sending organisation's confirmation (nhận xét của cơ
quan cử đi học) and discipline, in one grid, in the "Xét tốt nghiệp" tab.

Keyboard first, like the score grid: type ("đạt", "không đạt", "khiển trách", "Tốt") and Enter
(moves down), Delete clears, Ctrl+V pastes a block copied from Excel (saved all or nothing, the
refused cells named), Ctrl+C copies. "Điền các ô đang chọn" writes one value into every selected
cell (a whole column: click its title first). Every save is one unit of work through the core's
`conduct.set_conducts`, with the value each cell showed, so a change made meanwhile on another PC
is reported instead of overwritten; the "căn cứ" typed above goes into the audit log with it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import ConflictError, DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.models.conduct_model import ChoiceDelegate, ConductEdit, ConductModel, choices
from dtbd_desktop.gui.models.score_model import ScoreTable
from dtbd_desktop.gui.tasks import error_text, show_error
from dtbd_desktop.gui.widgets import ask
from dtbd_desktop.gui.widgets.common import QUIET_STYLE, MessageLabel, refused_cells
from dtbd_desktop.services import conduct
from dtbd_desktop.services.conduct import ConductChange, ConductEntry, ConductSheet
from dtbd_desktop.trust import operations


def load_sheet(session: Session, class_code: str) -> tuple[ConductSheet, bool]:
    """The class's conduct sheet, and whether the person may change it."""
    sheet = conduct.load_conduct_sheet(session, class_code)
    return sheet, operations.may(session, "enter_conduct", class_id=sheet.class_id)


class ConductPanel(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.class_code = ctx, class_code
        self.sheet: ConductSheet | None = None
        self.summary = QLabel()
        self.summary.setObjectName("conduct_summary")
        self.summary.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setObjectName("conduct_reason")
        self.reason.setPlaceholderText(tr("conduct_panel", "văn bản, căn cứ (ví dụ: Công văn số 45 của Huyện ủy ...); "
                                                           "ghi vào nhật ký cùng mỗi thay đổi"))
        self.fill_button = QPushButton(tr("conduct_panel", "Điền các ô đang chọn"))
        self.fill_button.setObjectName("conduct_fill")
        self.fill_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.fill_menu = QMenu(self.fill_button)
        self.fill_menu.aboutToShow.connect(self._fill_choices)
        self.fill_button.setMenu(self.fill_menu)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("conduct_panel", "Căn cứ:")))
        top.addWidget(self.reason, 1)
        top.addWidget(self.fill_button)

        self.model = ConductModel(self)
        self.table = ScoreTable()
        self.table.setObjectName("conduct_table")
        self.table.setModel(self.model)
        self.table.setItemDelegate(ChoiceDelegate(self.table))
        self.message = MessageLabel("conduct_message", ok_style=QUIET_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        hint = QLabel(tr("conduct_panel", "Nhận xét: gõ \u201cđạt\u201d, \u201ckhông đạt\u201d hoặc để trống (chưa có) · "
                                          "kỷ luật: khiển trách, cảnh cáo, buộc thôi học · rèn luyện: Tốt, Khá... · "
                                          "Enter xuống dòng · Delete xóa · Ctrl+V dán từ Excel (cả khối lưu hoặc không "
                                          "lưu ô nào) · bấm tên cột để chọn cả cột rồi \u201cĐiền các ô đang chọn\u201d"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(hint)

        self.model.edits_requested.connect(self._save, Qt.ConnectionType.QueuedConnection)
        self.model.refused.connect(lambda m: self.message.say(m, error=True))
        self.table.paste_requested.connect(self.paste)
        self.table.clear_requested.connect(self.clear_selection)
        self._sized = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.reload()

    # --- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        code = self.class_code
        self.ctx.read(lambda s: load_sheet(s, code), self._fill, self)

    def _fill(self, loaded: tuple[ConductSheet, bool]) -> None:
        sheet, may_enter = loaded
        self.sheet = sheet
        self.model.editable = may_enter
        self.model.set_sheet(sheet)
        self.table.setEditTriggers(ScoreTable.EDIT_TRIGGERS if may_enter
                                   else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.fill_button.setEnabled(may_enter)
        self.reason.setEnabled(may_enter)
        active = [x for x in sheet.learners if x.active]
        line = tr("conduct_panel", "{n} học viên đang học.").format(n=len(active))
        missing = sheet.missing_confirmations
        if sheet.requires_confirmation:
            line += " " + (tr("conduct_panel", "Còn {n} học viên chưa có nhận xét của cơ quan cử đi học (điều kiện "
                                               "xét tốt nghiệp).").format(n=missing) if missing else
                           tr("conduct_panel", "Đã có nhận xét của cơ quan cử đi học cho mọi học viên."))
        else:
            line += " " + tr("conduct_panel", "Quy định của lớp không đòi nhận xét của cơ quan cử đi học.")
        if not may_enter:
            line += " " + tr("conduct_panel", "Bạn chỉ được xem.")
        self.summary.setText(line)
        if not self._sized and sheet.learners:
            self._sized = True
            self.table.resizeColumnsToContents()
            header = self.table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
            header.resizeSection(0, min(max(header.sectionSize(0), 180), 260))
            header.resizeSection(2, min(max(header.sectionSize(2), 160), 320))
            for column in range(3, 6):
                header.resizeSection(column, max(header.sectionSize(column) + 24, 200))
            header.setStretchLastSection(True)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, self.model.first_entry))

    def select_learner(self, enrolment_id: int) -> None:
        """Put the cursor on a learner's confirmation (the review's button opens the grid so)."""
        row = next((r for r, x in enumerate(self.model.lines) if x.enrolment_id == enrolment_id), None)
        if row is not None:
            index = self.model.index(row, self.model.column_of("confirmation"))
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)
            self.table.setFocus()

    # --- saving -------------------------------------------------------------------------
    def _save(self, edits: list[ConductEdit]) -> None:
        if not edits:
            return
        entries = [ConductEntry(field=e.field, value=e.value or "", enrolment_id=e.enrolment_id, row=e.row + 1,
                                column=e.label, check_expected=True, expected=e.expected) for e in edits]
        code, reason = self.class_code, self.reason.text()

        def job(s: Session) -> tuple[list[ConductChange], tuple[ConductSheet, bool]]:
            return conduct.set_conducts(s, code, entries, reason=reason), load_sheet(s, code)

        self.ctx.write(job, lambda result: self._saved(edits, *result), self,
                       on_failed=lambda exc: self._refused(edits, exc))

    def _saved(self, edits: list[ConductEdit], changes: list[ConductChange],
               loaded: tuple[ConductSheet, bool]) -> None:
        self.model.resolve(edits)
        self._fill(loaded)
        changed = [c for c in changes if c.changed]
        if len(changed) == 1:
            c = changed[0]
            self.message.say(tr("conduct_panel", "Đã lưu: {name}, {what}: {old} → {new}").format(
                name=c.full_name, what=conduct.field_label(c.field), old=conduct.value_text(c.field, c.old) or "–",
                new=conduct.value_text(c.field, c.new) or tr("conduct_panel", "(trống)")))
        else:
            self.message.say(tr("conduct_panel", "Đã lưu {n} ô.").format(n=len(changed)))
        self.changed.emit()

    def _refused(self, edits: list[ConductEdit], exc: BaseException) -> None:
        if not isinstance(exc, DtbdError):
            self.model.resolve(edits)
            show_error(self, exc)
            return
        self.model.resolve(edits, refused_cells(edits, exc))
        self.message.say(error_text(exc), error=True)
        if isinstance(exc, ConflictError):
            self.reload()

    def _apply_block(self, top: int, left: int, block: list[list[str]]) -> None:
        edits, problems = self.model.block_edits(top, left, block)
        if problems:
            self.message.say("\n".join([tr("conduct_panel", "Không lưu: {n} ô có lỗi, không ô nào được lưu.").format(
                n=len(problems)), *("• " + p for p in problems[:20])]), error=True)
        elif edits:
            self._save(edits)
        else:
            self.message.say(tr("conduct_panel", "Không có gì thay đổi."))

    def _selection_block(self, value: str) -> tuple[int, int, list[list[str]]] | None:
        """The selected cells as a block holding `value` (cells not selected stay as they are)."""
        selected = [i for i in self.table.selectedIndexes() if self.model.field_at(i.column()) is not None]
        if not selected:
            return None
        top, left = min(i.row() for i in selected), min(i.column() for i in selected)
        block = [[self.model.data(self.model.index(r, c)) or "" for c in range(left, max(i.column() for i in selected) + 1)]
                 for r in range(top, max(i.row() for i in selected) + 1)]
        for i in selected:
            block[i.row() - top][i.column() - left] = value
        for r, row in enumerate(block):  # inactive rows are left alone
            if not self.model.takes(top + r):
                block[r] = [""] * len(row)
        return top, left, block

    def paste(self) -> None:
        raw = QGuiApplication.clipboard().text().replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
        current = self.table.currentIndex()
        if not raw or not current.isValid():
            return
        block = [line.split("\t") for line in raw.split("\n")]
        if len(block) == 1 and len(block[0]) == 1 and len(self.table.selectedIndexes()) > 1:
            found = self._selection_block(raw)
            if found is not None:
                self._apply_block(*found)
            return
        self._apply_block(current.row(), current.column(), block)

    def fill_selection(self, value: str) -> None:
        """Write `value` into every selected cell that takes entry (one save, all or nothing)."""
        found = self._selection_block(value)
        if found is None:
            self.message.say(tr("conduct_panel", "Chọn các ô cần điền trước (bấm tên cột để chọn cả cột)."), error=True)
            return
        self._apply_block(*found)

    def _fill_choices(self) -> None:
        self.fill_menu.clear()
        name = self.model.field_at(self.table.currentIndex().column())
        if name is None:
            action = self.fill_menu.addAction(tr("conduct_panel", "Chọn các ô của một cột nhận xét, kỷ luật hoặc rèn "
                                                                  "luyện trước"))
            action.setEnabled(False)
            return
        selected = sum(1 for i in self.table.selectedIndexes() if self.model.field_at(i.column()) is not None
                       and self.model.takes(i.row()))
        for value in choices(name):
            action = self.fill_menu.addAction(tr("conduct_panel", "\u201c{value}\u201d cho {n} ô đang chọn").format(
                value=value, n=selected))
            action.triggered.connect(self._filler(value))

    def _filler(self, value: str) -> Callable[[], None]:
        def fill() -> None:
            self.fill_selection(value)
        return fill

    def confirm_clear(self, count: int) -> bool:
        """Clearing several filled cells asks first (tests patch this)."""
        return ask.before(self, tr("conduct_panel", "Xóa"), tr(
            "conduct_panel", "Xóa {n} ô đang có nội dung (nhận xét về \u201cchưa có\u201d, kỷ luật về \u201ckhông\u201d)? "
                             "Mỗi thay đổi được ghi vào nhật ký.").format(n=count), tr("conduct_panel", "Xóa {n} ô").format(
            n=count))

    def clear_selection(self) -> None:
        found = self._selection_block("")
        if found is None:
            return
        top, left, block = found
        filled = sum(1 for r, row in enumerate(block) for c, typed in enumerate(row) if typed == "" and
                     (name := self.model.field_at(left + c)) is not None and self.model.takes(top + r) and
                     self.model.value_at(top + r, name) not in (None, "missing", "none"))
        if filled > 1 and not self.confirm_clear(filled):
            return
        self._apply_block(top, left, block)
