"""Programmes: their modules (học phần) and the rule set they apply, as the centre edits them.

The list on the left comes from `catalogue.list_programmes`; the editor on the right keeps
what the person typed until a save succeeds, and a refusal lists its problems in red next
to the part that was refused. Saving one part (programme and modules, or rules) refreshes
only that part, so unsaved edits in the other tab are kept.

Three pieces live here because only this screen uses them: `RulesEditor` (the rule-set
form), `ModulesModel` with its delegate (the editable module table) and the view itself.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.models.modules_model import ModuleDelegate, ModulesModel
from dtbd_desktop.gui.screens.rules_editor import RulesEditor
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets.common import ERROR_STYLE, OK_STYLE
from dtbd_desktop.gui.widgets.list_screen import ListScreen, RowList
from dtbd_desktop.gui.widgets.programme_parts import (
    PROBLEM_BORDER,
    RIGHT,
    commit_open_editor,
    message_label,
    problem_text,
    programme_kind_label,
)
from dtbd_desktop.services import catalogue
from dtbd_desktop.services.catalogue import ProgrammeInfo


def programme_columns() -> list[Column[ProgrammeInfo]]:
    def name(p: ProgrammeInfo) -> str:
        return p.name if p.active else tr("programmes_view", "{name} (ngừng sử dụng)").format(name=p.name)

    return [
        Column(tr("programmes_view", "Chương trình"), lambda p: f"{p.code} – {name(p)}",
               sort=lambda p: p.code, tooltip=name),
        Column(tr("programmes_view", "Loại"), lambda p: programme_kind_label(p.kind)),
        Column(tr("programmes_view", "Số lớp"), lambda p: p.classes, sort=lambda p: p.classes, align=RIGHT),
    ]


class ProgrammesView(ListScreen):
    programme_saved = Signal(str)

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("programmes_view", "Chương trình đào tạo, bồi dưỡng"))
        self._quiet = False
        self.current: ProgrammeInfo | None = None

        self.listing: RowList[ProgrammeInfo] = RowList(programme_columns(), "programmes_list", self, sortable=False)
        self.list_model, self.list = self.listing.model, self.listing.table
        self.list.setWordWrap(True)  # a long name takes two lines
        self.list.setMinimumWidth(300)  # the names readable beside the editor, on a 1366-pixel screen too
        header = self.list.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

        self.heading = message_label("programme_heading")
        self.heading.setStyleSheet("font-size: 15px; font-weight: bold;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_programme_tab(), tr("programmes_view", "Thông tin và học phần"))
        self.tabs.addTab(self._build_rules_tab(), tr("programmes_view", "Quy định đánh giá, xếp loại"))
        self.editor_panel = QWidget()
        right_layout = QVBoxLayout(self.editor_panel)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.tabs, 1)
        self.editor_panel.setEnabled(False)
        splitter = QSplitter()
        splitter.addWidget(self.list)
        splitter.addWidget(self.editor_panel)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([320, 860])
        self.main_layout.addWidget(splitter, 1)
        self.list.selectionModel().currentRowChanged.connect(lambda cur, _prev: self._select_row(cur.row()))

    def _build_programme_tab(self) -> QWidget:
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("programme_name")
        self.description = QPlainTextEdit()
        self.description.setObjectName("programme_description")
        self.description.setMaximumHeight(60)
        self.active = QCheckBox(tr("programmes_view", "Đang sử dụng (được mở lớp mới)"))
        self.active.setObjectName("programme_active")
        form = QFormLayout()
        form.addRow(tr("programmes_view", "Tên chương trình:"), self.name_edit)
        form.addRow(tr("programmes_view", "Mô tả:"), self.description)
        form.addRow("", self.active)

        self.modules_model = ModulesModel(self)
        self.modules = QTableView()
        self.modules.setObjectName("modules_table")
        self.modules.setModel(self.modules_model)
        self.modules.setItemDelegate(ModuleDelegate(self.modules))
        self.modules.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.modules.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.modules.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers
                                     & ~QAbstractItemView.EditTrigger.CurrentChanged)
        self.modules.setAlternatingRowColors(True)
        self.modules.setWordWrap(False)
        self.modules.verticalHeader().setDefaultSectionSize(self.modules.fontMetrics().height() + 10)
        self.modules.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.modules.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for signal in (self.modules_model.modelReset, self.modules_model.dataChanged,
                       self.modules_model.rowsInserted, self.modules_model.rowsRemoved):
            signal.connect(self._update_total)

        buttons = QHBoxLayout()
        for name, label, slot in (
            ("add_module", tr("programmes_view", "Thêm học phần"), self.add_module),
            ("remove_module", tr("programmes_view", "Xóa dòng"), self.remove_module),
            ("module_up", tr("programmes_view", "Lên"), lambda: self.move_module(-1)),
            ("module_down", tr("programmes_view", "Xuống"), lambda: self.move_module(1)),
        ):
            button = QPushButton(label)
            button.setObjectName(name)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.total_label = QLabel()
        self.total_label.setObjectName("total_periods")
        buttons.addWidget(self.total_label)

        self.programme_errors = message_label("programme_errors")
        self.programme_status = message_label("programme_status")
        self.save_programme_button = QPushButton(tr("programmes_view", "Lưu chương trình"))
        self.save_programme_button.setObjectName("save_programme")
        self.save_programme_button.clicked.connect(self.save_programme)
        bottom = QHBoxLayout()
        bottom.addWidget(self.programme_status, 1)
        bottom.addWidget(self.save_programme_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("programmes_view", "Học phần, chuyên đề (nhấn đúp vào ô để sửa):")))
        layout.addWidget(self.modules, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.programme_errors)
        layout.addLayout(bottom)
        return tab

    def _build_rules_tab(self) -> QWidget:
        self.rules = RulesEditor()
        self.rules_errors = message_label("rules_errors")
        self.rules_status = message_label("rules_status")
        self.save_rules_button = QPushButton(tr("programmes_view", "Lưu quy định"))
        self.save_rules_button.setObjectName("save_rules")
        self.save_rules_button.clicked.connect(self.save_rules)
        bottom = QHBoxLayout()
        bottom.addWidget(self.rules_status, 1)
        bottom.addWidget(self.save_rules_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(self.rules, 1)
        layout.addWidget(self.rules_errors)
        layout.addLayout(bottom)
        return tab

    # --- loading ------------------------------------------------------------------------
    def reload(self, select: str | None = None, part: str = "all", message: str = "") -> None:
        """Reload the list; `part` ("all", "programme" or "rules") says which form to refill."""
        keep = select or (self.current.code if self.current else None)
        self.ctx.read(catalogue.list_programmes,
                      lambda rows: self._show_list(rows, keep, part, message), self)

    def _show_list(self, rows: list[ProgrammeInfo], select: str | None, part: str, message: str) -> None:
        self._quiet = True
        self.list_model.set_rows(rows)
        self.list.resizeRowsToContents()
        for row in range(len(rows)):
            self.list.setRowHeight(row, self.list.rowHeight(row) + 6)
        codes = [p.code for p in rows]
        if rows:
            self.list.selectRow(codes.index(select) if select in codes else 0)
        self._quiet = False
        if rows:
            self.show_programme(self.list_model.row_at(self.list.currentIndex().row()), part)
        if message:
            label = self.rules_status if part == "rules" else self.programme_status
            label.setStyleSheet(OK_STYLE)
            label.setText(message)

    def select_programme(self, code: str) -> None:
        self.list.selectRow([p.code for p in self.list_model.rows].index(code))

    def _select_row(self, row: int) -> None:
        if not self._quiet and 0 <= row < len(self.list_model.rows):
            self.show_programme(self.list_model.row_at(row))

    def show_programme(self, info: ProgrammeInfo, part: str = "all") -> None:
        self.current = info
        self.editor_panel.setEnabled(True)
        self.heading.setText(tr("programmes_view", "{code} – {name} ({kind}, {n} lớp)").format(
            code=info.code, name=info.name, kind=programme_kind_label(info.kind), n=info.classes))
        if part in ("all", "programme"):
            self.name_edit.setText(info.name)
            self.name_edit.setStyleSheet("")
            self.description.setPlainText(info.description or "")
            self.active.setChecked(info.active)
            self.modules_model.set_modules(info.modules)
            self.modules.resizeColumnsToContents()
            self.modules.setColumnWidth(0, max(self.modules.columnWidth(0), 60))
            self.modules.setColumnWidth(4, min(self.modules.columnWidth(4), 190))
            self.programme_errors.clear()
            self.programme_status.clear()
        if part in ("all", "rules"):
            self.rules.set_programme(info)
            self.rules_errors.clear()
            self.rules_status.clear()

    def _update_total(self, *_args: Any) -> None:
        self.total_label.setText(tr("programmes_view", "Tổng: {n} học phần, {p} tiết").format(
            n=self.modules_model.rowCount(), p=text.format_decimal(self.modules_model.total_periods(), 0)))

    # --- module rows --------------------------------------------------------------------
    def _current_module_row(self) -> int:
        index = self.modules.currentIndex()
        return index.row() if index.isValid() else -1

    def add_module(self) -> None:
        current = self._current_module_row()
        index = self.modules_model.index(self.modules_model.add_row(current + 1 if current >= 0 else -1), 0)
        self.modules.setCurrentIndex(index)
        self.modules.edit(index)

    def remove_module(self) -> None:
        row = self._current_module_row()
        if row >= 0:
            self.modules_model.remove_row(row)

    def move_module(self, delta: int) -> None:
        row = self._current_module_row()
        column = max(0, self.modules.currentIndex().column())
        if self.modules_model.move_row(row, delta):
            self.modules.setCurrentIndex(self.modules_model.index(row + delta, column))

    # --- saving -------------------------------------------------------------------------
    def save_programme(self) -> None:
        if self.current is None:
            return
        commit_open_editor(self.modules)
        code, name, description = self.current.code, self.name_edit.text(), self.description.toPlainText()
        active, modules = self.active.isChecked(), self.modules_model.modules()
        self.programme_status.clear()

        def save(session: Session) -> str:
            return catalogue.save_programme(session, code, name=name, description=description, active=active,
                                            modules=modules).code

        def done(_code: str) -> None:
            message = tr("programmes_view", "Đã lưu chương trình {code}.").format(code=code)
            self.reload(code, "programme", message)
            self.programme_saved.emit(code)

        self.ctx.write(save, done, self, on_failed=self._programme_refused)

    def _programme_refused(self, exc: BaseException) -> None:
        problems = exc.problems if isinstance(exc, DtbdError) else []
        self.programme_status.clear()
        self.programme_errors.setStyleSheet(ERROR_STYLE)
        self.programme_errors.setText(problem_text(exc))
        self.modules_model.mark_problems({p.row for p in problems if p.row is not None})
        self.name_edit.setStyleSheet(PROBLEM_BORDER if any(p.field == "name" for p in problems) else "")

    def save_rules(self) -> None:
        if self.current is None:
            return
        commit_open_editor(self.rules.bands)
        code, old_rule_set = self.current.code, self.current.rule_set_id
        params, name = self.rules.params(), self.rules.rule_set_name()
        regulation = self.rules.regulation_text()
        self.rules_status.clear()

        def save(session: Session) -> tuple[int | None, str | None]:
            info = catalogue.save_rule_set(session, code, params, name=name, regulation=regulation)
            return info.rule_set_id, info.rule_set_name

        def done(result: tuple[int | None, str | None]) -> None:
            new_id, new_name = result
            message = (tr("programmes_view", "Đã tạo phiên bản quy định mới \"{name}\"; các lớp đã mở giữ "
                                             "quy định cũ.") if new_id != old_rule_set
                       else tr("programmes_view", "Đã lưu quy định \"{name}\"."))
            self.reload(code, "rules", message.format(name=new_name or ""))
            self.programme_saved.emit(code)

        self.ctx.write(save, done, self, on_failed=self._rules_refused)

    def _rules_refused(self, exc: BaseException) -> None:
        self.rules_status.clear()
        self.rules_errors.setStyleSheet(ERROR_STYLE)
        self.rules_errors.setText(problem_text(exc))
        self.rules.mark_problems({p.field for p in getattr(exc, "problems", []) if p.field})
