"""The "Điểm" tab of a class: score entry like a spreadsheet.

Two views of the same scores: one module for the whole class, or one learner across the
modules (with the history of changes). Keyboard first: type a score and Enter (moves down),
arrows move, Delete clears, Ctrl+V pastes a block copied from Excel (saved all-or-nothing),
Ctrl+C copies. Each typed cell is saved on its own through the worker; a refused one stays red
with the reason. Finalising a module, reopening it with a reason, the fill-in workbook (export
and import), and the retake roster are here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.models.score_model import (
    CellEdit,
    Grid,
    ScoreGridModel,
    ScoreTable,
    learner_grid,
    module_grid,
)
from dtbd_desktop.gui.table_model import Column, RowTableModel
from dtbd_desktop.gui.tasks import error_text, show_error
from dtbd_desktop.gui.widgets import ask
from dtbd_desktop.gui.widgets.common import ERROR_STYLE, Buttons, MessageLabel, ask_reason, refused_cells
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.gui.widgets.transcript_print import TranscriptPrinter, install_row_menu
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.services import scores
from dtbd_desktop.services.scores import HistoryEntry, ScoreEntry
from dtbd_desktop.trust import operations
from dtbd_desktop.workbooks import scores as score_workbook


@dataclass(frozen=True)
class Overview:
    """What the tab needs about the class, read once (plain data)."""

    class_id: int
    modules: tuple[tuple[str, str, int, bool], ...]  # code, name, periods, finalised
    learners: tuple[tuple[int, str, str], ...]  # enrolment id, name, birth
    may_enter: bool
    may_finalise: bool
    may_override: bool


@dataclass(frozen=True)
class Shown:
    """A grid read for the screen, with what goes above and below it."""

    token: tuple[str, object]
    grid: Grid
    banner: str
    locked: bool
    history: tuple[HistoryEntry, ...] = field(default_factory=tuple)


def _allowed(session: Session, permission: str, class_id: int) -> bool:
    return operations.may(session, permission, class_id=class_id)


def load_overview(session: Session, class_code: str) -> Overview:
    data = scores.load_class_scores(session, class_code)
    return Overview(
        class_id=data.class_id,
        modules=tuple((m.code, m.name, m.periods, m.id in data.locks) for m in data.modules),
        learners=tuple((x.enrolment_id, x.full_name, x.birth_text) for x in data.learners),
        may_enter=_allowed(session, "enter_scores", data.class_id),
        may_finalise=_allowed(session, "finalise_scores", data.class_id),
        may_override=_allowed(session, "override_score_lock", data.class_id))


def load_module(session: Session, class_code: str, module_code: str) -> Shown:
    sheet = scores.load_score_sheet(session, class_code, module_code)
    parts = [f"{sheet.module_code} – {sheet.module_name}"]
    if sheet.periods:
        parts.append(tr("scores_tab", "{n} tiết").format(n=sheet.periods))
    if not sheet.plan.overall_only:
        parts.append(tr("scores_tab", "điểm thành phần: {parts}").format(parts=", ".join(
            f"{c.name} ×{score_rules.score_text(c.weight, 0)}" for c in sheet.plan.components)))
    parts.append(tr("scores_tab", "điểm đạt từ {mark}").format(mark=score_rules.score_text(sheet.pass_mark)))
    if sheet.locked and sheet.locked_at:
        parts.append(tr("scores_tab", "ĐÃ CHỐT ngày {date}, người chốt: {who}; sửa cần người có quyền và ghi lý do").format(
            date=text.format_date(sheet.locked_at.date()), who=sheet.locked_by_name or sheet.locked_by or ""))
    else:
        parts.append(tr("scores_tab", "chưa chốt"))
    return Shown(("module", sheet.module_code), module_grid(sheet), " · ".join(parts), sheet.locked)


def load_finalise_check(session: Session, class_code: str, module_code: str) -> tuple[list[str], int]:
    """Who has no score yet in the module, and how many learners are still in the class."""
    sheet = scores.load_score_sheet(session, class_code, module_code)
    return scores.unscored_learners(session, class_code, module_code), sum(1 for r in sheet.rows if r.editable)


def load_learner(session: Session, class_code: str, enrolment_id: int) -> Shown:
    t = scores.learner_transcript(session, class_code, enrolment_id=enrolment_id)
    line = t.learner
    parts = [line.full_name, line.birth_text, line.national_id or "", line.organisation or ""]
    return Shown(("learner", enrolment_id), learner_grid(t), " · ".join(p for p in parts if p), False, t.history)


class ScoresTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.overview: Overview | None = None
        self.shown: Shown | None = None
        self._reasons: dict[str, str] = {}  # module code -> reason given to change its finalised scores

        self.by_module = QRadioButton(tr("scores_tab", "Cả lớp, theo học phần"))
        self.by_module.setChecked(True)
        self.by_learner = QRadioButton(tr("scores_tab", "Một học viên, mọi học phần"))
        self.module_box = QComboBox()
        self.module_box.setObjectName("score_module")
        self.module_box.setMinimumContentsLength(40)
        self.learner_box = QComboBox()
        self.learner_box.setObjectName("score_learner")
        self.learner_box.setMinimumContentsLength(30)
        self.learner_box.setVisible(False)
        picker = QHBoxLayout()
        for w in (self.by_module, self.by_learner, self.module_box, self.learner_box):
            picker.addWidget(w)
        picker.addStretch(1)

        self.buttons = Buttons("scores")
        actions = self.buttons.row((
            ("finalise", tr("scores_tab", "Chốt điểm"), self.finalise),
            ("unfinalise", tr("scores_tab", "Mở lại để sửa..."), self.unfinalise),
            ("export", tr("scores_tab", "Xuất bảng điểm để nhập..."), self.export_sheet),
            ("import", tr("scores_tab", "Nhập bảng điểm..."), self.import_sheet),
            ("retakes", tr("scores_tab", "Danh sách thi lại..."), self.show_retakes),
        ))

        self.banner = QLabel()
        self.banner.setObjectName("scores_banner")
        self.banner.setWordWrap(True)
        self.model = ScoreGridModel(self)
        self.table = ScoreTable()
        self.table.setObjectName("scores_table")
        self.table.setModel(self.model)
        self.message = MessageLabel("scores_message")
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        install_row_menu(self.table, self._learner_at, TranscriptPrinter(ctx, class_code, self, self.message))
        hint = QLabel(tr("scores_tab", "Gõ điểm (8,5 hoặc 8.5) rồi Enter · mũi tên để di chuyển · Delete để xóa · "
                                       "Ctrl+V dán từ Excel (cả khối lưu hoặc không lưu ô nào) · Ctrl+C chép"))
        hint.setStyleSheet("color: #555;")
        self.history_model: RowTableModel[HistoryEntry] = RowTableModel(history_columns(), self)
        self.history = QTableView()
        self.history.setObjectName("scores_history")
        self.history.setModel(self.history_model)
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.history.setWordWrap(False)
        self.history.setVisible(False)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.history)
        split.setSizes([500, 150])

        layout = QVBoxLayout(self)
        layout.addLayout(picker)
        layout.addLayout(actions)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)
        layout.addWidget(hint)

        self.model.edits_requested.connect(self._save, Qt.ConnectionType.QueuedConnection)
        self.model.refused.connect(lambda m: self.show_message(m, error=True))
        self.table.paste_requested.connect(self.paste)
        self.table.clear_requested.connect(self.clear_selection)
        self.by_module.toggled.connect(self._mode_changed)
        self.module_box.currentIndexChanged.connect(lambda _i: self.reload_grid())
        self.learner_box.currentIndexChanged.connect(lambda _i: self.reload_grid())

    def showEvent(self, event: QShowEvent) -> None:
        """Read the class when the tab is shown (the roster or scores may have changed elsewhere)."""
        super().showEvent(event)
        self.reload()

    # --- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        code = self.class_code
        self.ctx.read(lambda s: load_overview(s, code), self._fill, self)

    def _fill(self, overview: Overview) -> None:
        self.overview = overview
        for box, items in ((self.module_box, [(c, f"{c} – {n}" + (tr("scores_tab", " (đã chốt)") if locked else ""))
                                              for c, n, _p, locked in overview.modules]),
                           (self.learner_box, [(e, f"{n} – {b}") for e, n, b in overview.learners])):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            for data, label in items:
                box.addItem(label, data)
            box.setCurrentIndex(max(0, box.findData(current)))
            box.blockSignals(False)
        self.table.setEditTriggers(ScoreTable.EDIT_TRIGGERS if overview.may_enter
                                   else QAbstractItemView.EditTrigger.NoEditTriggers)
        self.buttons["import"].setEnabled(overview.may_enter)
        self.reload_grid()

    def _fetcher(self) -> Callable[[Session], Shown] | None:
        code = self.class_code
        if self.by_module.isChecked():
            module = self.module_box.currentData()
            return None if module is None else (lambda s: load_module(s, code, module))
        enrolment_id = self.learner_box.currentData()
        return None if enrolment_id is None else (lambda s: load_learner(s, code, enrolment_id))

    def reload_grid(self) -> None:
        fetch = self._fetcher()
        if fetch is not None:
            self.ctx.read(fetch, self._show, self)

    def _show(self, shown: Shown) -> None:
        fresh = self.shown is None or self.shown.token != shown.token
        if fresh:
            self.model.clear_marks()
            self.message.clear()
        columns = self.model.columnCount()
        self.shown = shown
        self.model.set_grid(shown.grid)
        self.banner.setText(shown.banner)
        self.banner.setStyleSheet("font-weight: bold;" + (ERROR_STYLE if shown.locked else ""))
        self.history_model.set_rows(list(reversed(shown.history)))
        self.history.resizeColumnsToContents()
        self.history.setVisible(shown.token[0] == "learner")
        overview = self.overview
        by_module = shown.token[0] == "module"
        self.buttons["finalise"].setEnabled(bool(overview and overview.may_finalise and by_module and not shown.locked))
        self.buttons["unfinalise"].setEnabled(bool(overview and overview.may_finalise and by_module and shown.locked))
        for key in ("export", "import"):
            self.buttons[key].setEnabled(by_module and (key == "export" or bool(overview and overview.may_enter)))
        if fresh or columns != self.model.columnCount():
            self._size_columns(by_module)
        if not self.table.currentIndex().isValid() and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, self.model.first_entry))

    def _size_columns(self, by_module: bool) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(by_module)  # the organisation fills the width
        self.table.resizeColumnsToContents()
        for column in range(self.model.first_entry, self.model.first_entry + len(self.model.grid.columns) + 2):
            header.resizeSection(column, max(header.sectionSize(column), 90))
        for column in range(self.model.first_entry):
            header.resizeSection(column, min(header.sectionSize(column), 420))
        if not by_module:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the module's name

    def _mode_changed(self, by_module: bool) -> None:
        self.module_box.setVisible(by_module)
        self.learner_box.setVisible(not by_module)
        self.reload_grid()

    # --- saving -------------------------------------------------------------------------
    def _learner_at(self, index: QModelIndex) -> tuple[int, str] | None:
        """The learner of a grid row (right-click: print their transcript)."""
        if self.by_learner.isChecked():
            eid = self.learner_box.currentData()
            return None if eid is None else (int(eid), self.learner_box.currentText().split(" – ")[0])
        rows = self.model.grid.rows
        return (rows[index.row()].enrolment_id, rows[index.row()].info[0]) if index.row() < len(rows) else None

    def show_message(self, message: str, *, error: bool = False) -> None:
        self.message.say(message, error=error)

    def ask_reason(self, module_code: str) -> str | None:
        """The reason for changing a finalised module's scores (tests patch this)."""
        return ask_reason(self, tr("scores_tab", "Sửa điểm đã chốt"), tr(
            "scores_tab", "Điểm học phần {module} đã chốt. Lý do sửa (ghi vào nhật ký):").format(module=module_code)) or None

    def _save(self, edits: list[CellEdit]) -> None:
        overview, fetch = self.overview, self._fetcher()
        if not edits or overview is None or fetch is None:
            self.model.resolve(edits)
            return
        locked = sorted({e.module_code for e in edits if self._row_locked(e)})
        reason: str | None = None
        if locked and overview.may_override:
            for module in locked:
                self._reasons[module] = self._reasons.get(module) or self.ask_reason(module) or ""
            reason = "; ".join(dict.fromkeys(self._reasons[m] for m in locked if self._reasons[m]))
            if not all(self._reasons[m] for m in locked):
                why = tr("scores_tab", "Chưa ghi lý do sửa điểm đã chốt: điểm chưa được lưu.")
                self.model.resolve(edits, dict.fromkeys(range(len(edits)), why))
                self.show_message(why, error=True)
                return
        allow = bool(locked) and overview.may_override
        entries = [ScoreEntry(module_code=e.module_code, value=e.value, enrolment_id=e.enrolment_id, attempt=e.attempt,
                              component=e.component or None, row=e.row + 1, column=e.label, check_expected=True,
                              expected=e.expected) for e in edits]
        code = self.class_code

        def job(s: Session) -> tuple[list[scores.ScoreChange], Shown]:
            changes = scores.set_scores(s, code, entries, reason=reason, allow_locked=allow)
            return changes, fetch(s)

        self.ctx.write(job, lambda result: self._saved(edits, *result), self,
                       on_failed=lambda exc: self._refused(edits, exc))

    def _row_locked(self, edit: CellEdit) -> bool:
        rows = self.model.grid.rows
        return any(r.locked for r in rows if (r.enrolment_id, r.module_code) == (edit.enrolment_id, edit.module_code))

    def _saved(self, edits: list[CellEdit], changes: list[scores.ScoreChange], shown: Shown) -> None:
        self.model.resolve(edits)
        if self.shown is not None and shown.token == self.shown.token:
            self._show(shown)
        changed = [c for c in changes if c.changed]
        if len(changes) == 1 and changed:
            c = changed[0]
            self.show_message(tr("scores_tab", "Đã lưu: {name}, {module} {label}: {old} → {new}").format(
                name=c.full_name, module=c.module_code, label=edits[0].label,
                old=score_rules.score_text(c.old) or "–", new=score_rules.score_text(c.new) or tr("scores_tab", "(trống)")))
        else:
            self.show_message(tr("scores_tab", "Đã lưu {n} ô.").format(n=len(changed)))
        self.changed.emit()

    def _refused(self, edits: list[CellEdit], exc: BaseException) -> None:
        if not isinstance(exc, DtbdError):
            self.model.resolve(edits)
            show_error(self, exc)
            return
        self.model.resolve(edits, refused_cells(edits, exc))
        self.show_message(error_text(exc), error=True)
        if isinstance(exc, ConflictError):
            self.reload_grid()

    def paste(self) -> None:
        raw = QGuiApplication.clipboard().text().replace("\r\n", "\n").replace("\r", "\n").rstrip("\n")
        current = self.table.currentIndex()
        if not raw or not current.isValid():
            return
        block = [line.split("\t") for line in raw.split("\n")]
        selected = self.table.selectedIndexes()
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:  # one value into every selected cell
            top, left = min(i.row() for i in selected), min(i.column() for i in selected)
            block = [[""] * (max(i.column() for i in selected) - left + 1)
                     for _r in range(max(i.row() for i in selected) - top + 1)]
            for i in selected:
                block[i.row() - top][i.column() - left] = raw
        else:
            top, left = current.row(), current.column()
        edits, problems = self.model.block_edits(top, left, block)
        if problems:
            self.show_message("\n".join([tr("scores_tab", "Không dán: {n} ô có lỗi, không ô nào được lưu.").format(
                n=len(problems)), *("• " + p for p in problems[:20])]), error=True)
        elif edits:
            self._save(edits)

    def clear_selection(self) -> None:
        indexes = [i for i in self.table.selectedIndexes() if self.model.value_at(i.row(), i.column()) is not None
                   and self.model.flags(i) & Qt.ItemFlag.ItemIsEditable]
        if len(indexes) > 1 and not ask.before(self, tr("scores_tab", "Xóa điểm"), tr(
                "scores_tab", "Xóa {n} điểm đã nhập trong các ô đang chọn? Mỗi điểm xóa được ghi vào nhật ký.").format(
                n=len(indexes)), tr("scores_tab", "Xóa {n} điểm").format(n=len(indexes))):
            return
        edits = [e for i in sorted(indexes, key=lambda x: (x.row(), x.column()))
                 if (e := self.model.edit_cell(i.row(), i.column(), "")[0]) is not None]
        self._save(edits)

    # --- the module's other work --------------------------------------------------------
    def _module(self) -> str | None:
        return self.module_box.currentData() if self.by_module.isChecked() else None

    def _after(self, message: str) -> Callable[[Any], None]:
        def done(_result: Any) -> None:
            self._reasons.clear()
            self.show_message(message)
            self.changed.emit()
            self.reload()
        return done

    def finalise(self) -> None:
        """Finalise the module shown, after a question that names who still has no score."""
        module, code = self._module(), self.class_code
        if module is None:
            return
        self.ctx.read(lambda s: load_finalise_check(s, code, module), lambda found: self._finalise_after(module, *found),
                      self)

    def _finalise_after(self, module: str, missing: list[str], active: int) -> None:
        if missing:
            question = tr("scores_tab", "Học phần {module}: còn {n}/{total} học viên chưa có điểm. Sau khi chốt, nhập điểm "
                                        "cho họ cần người có quyền và ghi lý do (thi sau, thi lại).").format(
                module=module, n=len(missing), total=active)
            go = tr("scores_tab", "Vẫn chốt điểm")
            details = tr("scores_tab", "Chưa có điểm: {names}.").format(names=ask.names_text(missing))
        else:
            question = tr("scores_tab", "Chốt điểm học phần {module}? Sau khi chốt, sửa điểm cần người có quyền và ghi "
                                        "lý do.").format(module=module)
            go, details = tr("scores_tab", "Chốt điểm"), None
        if not ask.before(self, tr("scores_tab", "Chốt điểm"), question, go, details=details):
            self.show_message(tr("scores_tab", "Chưa chốt điểm học phần {module}.").format(module=module))
            return
        code = self.class_code

        def job(s: Session) -> scores.FinaliseResult:
            return scores.finalise_module(s, code, module)

        def done(result: scores.FinaliseResult) -> None:
            self._after(tr("scores_tab", "Đã chốt điểm học phần {module}.").format(module=module))(result)
            if result.missing:
                self.show_message(tr("scores_tab", "Đã chốt điểm học phần {module}; {n} học viên chưa có điểm (nhập sau "
                                                   "cần ghi lý do): {names}.").format(
                    module=module, n=len(result.missing), names=ask.names_text(result.missing)), error=True)

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def unfinalise(self) -> None:
        module, code = self._module(), self.class_code
        if module is None:
            return
        reason = self.ask_reason(module)
        if not reason:
            return

        def job(s: Session) -> None:
            scores.unfinalise_module(s, code, module, reason=reason)

        self.ctx.write(job, self._after(tr("scores_tab", "Đã mở lại điểm học phần {module} để sửa.").format(
            module=module)), self, on_failed=self.message.failed)

    def ask_path(self, title: str, name: str, *, save: bool) -> str:
        """A file to write or read (tests patch this)."""
        pattern = tr("scores_tab", "Excel (*.xlsx)")
        if save:
            return QFileDialog.getSaveFileName(self, title, name, pattern)[0]
        return QFileDialog.getOpenFileName(self, title, "", pattern)[0]

    def export_sheet(self) -> None:
        module, code = self._module(), self.class_code
        if module is None:
            return
        path = self.ask_path(tr("scores_tab", "Xuất bảng điểm để nhập"), f"Diem {code} {module}.xlsx", save=True)
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        self.ctx.read(lambda s: score_workbook.export_score_workbook(s, code, module, path), lambda n: self.message.saved_file(
            tr("scores_tab", "Đã lưu bảng điểm {n} học viên vào {path}.").format(n=n, path=path), Path(path)), self)

    def import_sheet(self) -> None:
        overview, code = self.overview, self.class_code
        path = self.ask_path(tr("scores_tab", "Nhập bảng điểm"), "", save=False)
        if not path or overview is None:
            return
        module = self._module()
        reason = None
        if self.shown is not None and self.shown.locked and overview.may_override and module:
            reason = self._reasons.get(module) or self.ask_reason(module)
            if not reason:
                return
            self._reasons[module] = reason
        allow = reason is not None

        def job(s: Session) -> score_workbook.ImportResult:
            return score_workbook.import_score_workbook(s, code, path, reason=reason, allow_locked=allow)

        def done(result: score_workbook.ImportResult) -> None:
            self._after(tr("scores_tab", "Đã nhập bảng điểm học phần {module}: {changed} điểm thay đổi, {same} giữ "
                                         "nguyên.").format(module=result.module_code, changed=result.changed,
                                                           same=result.unchanged))(result)

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def show_retakes(self) -> None:
        dialog = RetakeDialog(self.ctx, self.class_code, self._module(), self)
        self.retake_dialog = dialog
        dialog.launch()


def history_columns() -> list[Column[HistoryEntry]]:
    return [
        Column(tr("scores_tab", "Lúc"), lambda h: h.at.strftime("%d/%m/%Y %H:%M")),
        Column(tr("scores_tab", "Người sửa"), lambda h: h.who or h.username, tooltip=lambda h: h.username),
        Column(tr("scores_tab", "Mục"), lambda h: h.what),
        Column(tr("scores_tab", "Cũ"), lambda h: h.old),
        Column(tr("scores_tab", "Mới"), lambda h: h.new),
        Column(tr("scores_tab", "Lý do"), lambda h: h.reason),
    ]


def retake_columns() -> list[Column[scores.RetakeRow]]:
    return [
        Column(tr("scores_tab", "Học phần"), lambda r: r.module_code),
        Column(tr("scores_tab", "Họ và tên"), lambda r: r.full_name),
        Column(tr("scores_tab", "Ngày sinh"), lambda r: r.birth_text),
        Column(tr("scores_tab", "Đơn vị"), lambda r: r.organisation),
        Column(tr("scores_tab", "Điểm các lần"), lambda r: " · ".join(score_rules.score_text(a) or "–" for a in r.attempts)),
        Column(tr("scores_tab", "Điểm tính"), lambda r: score_rules.score_text(r.counted)),
        Column(tr("scores_tab", "Thi lại"), lambda r: scores.attempt_label(r.next_attempt)),
    ]


class RetakeDialog(QDialog):
    """Who must retake: one module or every module, in roster order."""

    def __init__(self, ctx: AppContext, class_code: str, module_code: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.class_code = ctx, class_code
        self.setWindowTitle(tr("scores_tab", "Danh sách thi lại lớp {code}").format(code=class_code))
        fit_to_screen(self, 900, 480)
        self.rows: list[scores.RetakeRow] | None = None
        self.module_box = QComboBox()
        self.module_box.addItem(tr("scores_tab", "Mọi học phần"), None)
        self.model: RowTableModel[scores.RetakeRow] = RowTableModel(retake_columns(), self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.count = QLabel()
        layout = QVBoxLayout(self)
        layout.addWidget(self.module_box)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        self.wanted = module_code
        self.module_box.currentIndexChanged.connect(lambda _i: self._filter())
        ctx.read(lambda s: scores.retake_roster(s, class_code), self._fill, self)

    def launch(self) -> None:
        self.open()

    def _fill(self, rows: list[scores.RetakeRow]) -> None:
        self.rows = rows
        self.module_box.blockSignals(True)
        for code in dict.fromkeys(r.module_code for r in rows):
            self.module_box.addItem(code, code)
        self.module_box.setCurrentIndex(max(0, self.module_box.findData(self.wanted)))
        self.module_box.blockSignals(False)
        self._filter()

    def _filter(self) -> None:
        module = self.module_box.currentData()
        shown = [r for r in self.rows or [] if module is None or r.module_code == module]
        self.model.set_rows(shown)
        self.table.resizeColumnsToContents()
        self.count.setText(tr("scores_tab", "{n} lượt học viên phải thi lại.").format(n=len(shown)))
