"""The wizard that imports a sending organisation's Excel list into a class.

Choose the file → see the table found and correct the column mapping → see every problem
(click one to see its cell), choose what to do with possible duplicates and bad rows → import
(one unit of work, on the worker thread) → result. The work is done by the Qt-free
`dtbd_desktop.workbooks.roster`; this module only shows it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.workbooks.roster import (
    FIELDS,
    DetectedTable,
    ImportProblem,
    ImportResult,
    apply_import,
    field_label,
    read_roster,
    save_annotated_copy,
)
from dtbd_desktop.workbooks.roster.table import display

Index = QModelIndex | QPersistentModelIndex
BAD = QColor("#ffc7ce")
WARN = QColor("#ffeb9c")


class PreviewModel(QAbstractTableModel):
    """The table's data rows as read (all of them; the view shows what fits), bad cells coloured."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.table: DetectedTable | None = None
        self.marks: dict[tuple[int, int], tuple[QColor, str]] = {}  # (sheet row, sheet column) -> colour, text

    def set_table(self, table: DetectedTable | None) -> None:
        self.beginResetModel()
        self.table = table
        self.marks = {}
        self.endResetModel()

    def set_problems(self, problems: list[ImportProblem], warnings: list[ImportProblem]) -> None:
        self.beginResetModel()
        self.marks = {}
        for colour, items in ((WARN, warnings), (BAD, problems)):
            for p in items:
                column = self.column_of(p)
                if p.row is not None and column is not None:
                    old = self.marks.get((p.row, column))
                    message = p.message if old is None else f"{old[1]}\n{p.message}"
                    self.marks[(p.row, column)] = (colour, message)
        self.endResetModel()

    def column_of(self, problem: ImportProblem) -> int | None:
        if self.table is None:
            return None
        if problem.field and problem.field in self.table.mapping:
            return self.table.mapping[problem.field]
        return self.table.columns[0].index if problem.row is not None else None

    def index_of(self, sheet_row: int, sheet_column: int) -> QModelIndex:
        if self.table is None:
            return QModelIndex()
        for r, row in enumerate(self.table.rows):
            if row.number == sheet_row:
                return self.index(r, self.table.position(sheet_column))
        return QModelIndex()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.table is None else len(self.table.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.table is None or not index.isValid():
            return None
        row = self.table.rows[index.row()]
        col = self.table.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display(row.values[index.column()])
        mark = self.marks.get((row.number, col.index))
        if mark is not None and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(mark[0])
        if mark is not None and role == Qt.ItemDataRole.ToolTipRole:
            return mark[1]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self.table is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return self.table.rows[section].number if section < len(self.table.rows) else None
        col = self.table.columns[section]
        chosen = next((f for f, i in self.table.mapping.items() if i == col.index), None)
        target = field_label(chosen) if chosen else tr("import_wizard", "(không nhập)")
        return f"{col.letter}: {col.heading}\n→ {target}"


def _preview_view(model: PreviewModel, name: str) -> QTableView:
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.horizontalHeader().setDefaultSectionSize(150)
    view.horizontalHeader().setResizeContentsPrecision(40)  # measure the first rows only: lists run to thousands
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)

    def fit() -> None:
        view.resizeColumnsToContents()
        for column in range(model.columnCount()):
            view.setColumnWidth(column, min(view.columnWidth(column), 260))

    model.modelReset.connect(fit)
    return view


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setObjectName("page_file")
        self.setTitle(tr("import_wizard", "Chọn tệp danh sách"))
        self.setSubTitle(tr("import_wizard", "Tệp Excel (.xlsx) do đơn vị gửi, theo mẫu nào cũng được: chương trình "
                                             "tự tìm bảng danh sách và nhận ra các cột."))
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("import_path")
        self.path_edit.setPlaceholderText(tr("import_wizard", "Đường dẫn tệp .xlsx"))
        self.path_edit.returnPressed.connect(lambda: self.load(advance=False))
        self.path_edit.textChanged.connect(lambda _text: self.completeChanged.emit())
        browse = QPushButton(tr("import_wizard", "Chọn tệp..."))
        browse.setObjectName("browse")
        browse.clicked.connect(self.browse)
        self.status = QLabel()
        self.status.setObjectName("file_status")
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(browse)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.loaded_path: str | None = None
        self.busy = False

    def browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("import_wizard", "Chọn tệp danh sách học viên"), "",
                                              tr("import_wizard", "Tệp Excel (*.xlsx *.xlsm)"))
        if path:
            self.path_edit.setText(path)
            self.load(advance=False)

    def load(self, *, advance: bool) -> None:
        path = self.path_edit.text().strip()
        if not path or self.busy:
            return
        self.busy = True
        self.status.setText(tr("import_wizard", "Đang đọc {file}...").format(file=Path(path).name))
        self.completeChanged.emit()

        def done(table: DetectedTable) -> None:
            self.busy = False
            self.loaded_path = path
            self.wiz.set_table(table)
            rows = [r.number for r in table.rows]
            self.status.setText(tr(
                "import_wizard", "Đã tìm thấy bảng ở trang '{sheet}', tiêu đề ở dòng {header}, {n} dòng học viên "
                                 "(dòng {first}–{last}).").format(
                sheet=table.sheet, header="–".join(str(r) for r in table.header_rows), n=len(rows),
                first=rows[0] if rows else "-", last=rows[-1] if rows else "-"))
            self.completeChanged.emit()
            if advance:
                self.wiz.next()

        def failed(exc: BaseException) -> None:
            self.busy = False
            self.loaded_path = None
            self.wiz.set_table(None)
            self.status.setText(error_text(exc))
            self.completeChanged.emit()

        self.wiz.ctx.work(lambda: read_roster(path), done, self, failed)

    def isComplete(self) -> bool:
        return bool(self.path_edit.text().strip()) and not self.busy

    def validatePage(self) -> bool:
        if self.wiz.table is not None and self.loaded_path == self.path_edit.text().strip():
            return True
        self.load(advance=True)
        return False


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setObjectName("page_mapping")
        self.setTitle(tr("import_wizard", "Xem trước và chọn cột"))
        self.setSubTitle(tr("import_wizard", "Kiểm tra mỗi cột của tệp được nhập vào đúng mục; chọn lại ở cột "
                                             "'Nhập vào' nếu chương trình nhận sai."))
        self.info = QLabel()
        self.info.setObjectName("mapping_info")
        self.mapping = QTableWidget(0, 3)
        self.mapping.setObjectName("mapping")
        self.mapping.setHorizontalHeaderLabels([tr("import_wizard", "Cột"), tr("import_wizard", "Tiêu đề trong tệp"),
                                                tr("import_wizard", "Nhập vào")])
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.mapping.verticalHeader().setVisible(False)
        self.preview = _preview_view(wizard.preview_model, "preview")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.mapping)
        splitter.addWidget(self.preview)
        splitter.setSizes([260, 240])
        layout = QVBoxLayout(self)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)
        self.combos: dict[int, QComboBox] = {}
        self._filling = False

    def initializePage(self) -> None:
        table = self.wiz.table
        if table is None:
            return
        self._filling = True
        self.mapping.setRowCount(len(table.columns))
        self.combos = {}
        by_column = {i: f for f, i in table.mapping.items()}
        for r, col in enumerate(table.columns):
            self.mapping.setItem(r, 0, QTableWidgetItem(col.letter))
            self.mapping.setItem(r, 1, QTableWidgetItem(col.heading))
            combo = QComboBox()
            combo.setObjectName(f"map_{col.letter}")
            combo.addItem(tr("import_wizard", "(không nhập)"), None)
            for name in FIELDS:
                combo.addItem(field_label(name), name)
            combo.setCurrentIndex(max(0, combo.findData(by_column.get(col.index))))
            combo.currentIndexChanged.connect(lambda _i, index=col.index: self.changed(index))
            self.mapping.setCellWidget(r, 2, combo)
            self.combos[col.index] = combo
        self.mapping.resizeColumnToContents(0)
        self.mapping.setColumnWidth(2, 260)
        self._filling = False
        self._show_info()

    def _show_info(self) -> None:
        table = self.wiz.table
        if table is not None:
            self.info.setText(tr("import_wizard", "Tệp {file}, trang '{sheet}': {n} dòng học viên.").format(
                file=table.file_name, sheet=table.sheet, n=len(table.rows)))

    def set_field(self, column_letter: str, field_name: str | None) -> None:
        """Choose what a column is imported as (what a person does with the combo)."""
        combo = self.findChild(QComboBox, f"map_{column_letter}")
        if combo is not None:
            combo.setCurrentIndex(combo.findData(field_name))

    def changed(self, column_index: int) -> None:
        if self._filling or self.wiz.table is None:
            return
        chosen = self.combos[column_index].currentData()
        self._filling = True
        if chosen is not None:  # one column per field: the other column holding it lets go
            for index, combo in self.combos.items():
                if index != column_index and combo.currentData() == chosen:
                    combo.setCurrentIndex(0)
        self._filling = False
        mapping = {c.currentData(): i for i, c in self.combos.items() if c.currentData() is not None}
        self.wiz.set_table(self.wiz.table.remap(mapping), keep_mapping_page=True)
        self._show_info()


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setObjectName("page_check")
        self.setTitle(tr("import_wizard", "Kiểm tra trước khi nhập"))
        self.setSubTitle(tr("import_wizard", "Chưa có gì được ghi. Bấm vào một lỗi để xem ô đó; có thể lưu bản "
                                             "đánh dấu lỗi để gửi lại đơn vị."))
        self.summary = QLabel()
        self.summary.setObjectName("check_summary")
        self.summary.setWordWrap(True)
        self.problems = QListWidget()
        self.problems.setObjectName("problems")
        self.problems.setWordWrap(True)
        self.problems.itemClicked.connect(self.show_problem)
        self.duplicates = QListWidget()
        self.duplicates.setObjectName("duplicates")
        self.duplicates.setWordWrap(True)
        self.duplicates.setToolTip(tr("import_wizard", "Đánh dấu nếu là cùng một người: dùng hồ sơ đã có thay vì "
                                                       "tạo hồ sơ mới."))
        self.preview = _preview_view(wizard.preview_model, "check_preview")
        self.skip_invalid = QCheckBox(tr("import_wizard", "Bỏ qua các dòng có lỗi, chỉ nhập các dòng đúng"))
        self.skip_invalid.setObjectName("skip_invalid")
        self.skip_invalid.toggled.connect(lambda _on: self.completeChanged.emit())
        self.annotate_button = QPushButton(tr("import_wizard", "Lưu bản đánh dấu lỗi..."))
        self.annotate_button.setObjectName("save_annotated")
        self.annotate_button.clicked.connect(self.choose_annotated)
        lists = QSplitter(Qt.Orientation.Horizontal)
        lists.addWidget(self._titled(tr("import_wizard", "Lỗi và lưu ý"), self.problems))
        self.duplicates_box = self._titled(
            tr("import_wizard", "Có thể trùng người đã có (đánh dấu nếu cùng một người)"), self.duplicates)
        lists.addWidget(self.duplicates_box)
        lists.setSizes([600, 380])
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(lists)
        splitter.addWidget(self.preview)
        self.annotated_status = QLabel()
        self.annotated_status.setObjectName("annotated_status")
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_invalid)
        buttons.addStretch(1)
        buttons.addWidget(self.annotated_status)
        buttons.addWidget(self.annotate_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.result: ImportResult | None = None
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, tr("import_wizard", "Nhập danh sách"))

    @staticmethod
    def _titled(title: str, widget: QWidget) -> QWidget:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(title))
        layout.addWidget(widget)
        return box

    def initializePage(self) -> None:
        self.result = None
        self.problems.clear()
        self.duplicates.clear()
        self.summary.setText(tr("import_wizard", "Đang kiểm tra..."))
        self.completeChanged.emit()
        table, code, db, login = self.wiz.table, self.wiz.class_code, self.wiz.ctx.db, self.wiz.ctx.login
        assert table is not None
        self.wiz.ctx.work(lambda: apply_import(db, code, table, dry_run=True, skip_invalid=True, login=login),
                          self._checked, self, self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText(error_text(exc))

    def _checked(self, result: ImportResult) -> None:
        self.result = result
        self.wiz.preview_model.set_problems(result.rejected, result.warnings)
        bad_rows = len({p.row for p in result.rejected if p.row is not None})
        lines = [tr("import_wizard", "{n} dòng học viên: {good} dòng nhập được, {bad} dòng có lỗi.").format(
            n=result.rows_read, good=result.imported, bad=bad_rows)]
        if result.converted_legacy:
            lines.append(tr("import_wizard", "{n} dòng gõ bằng bảng mã cũ (TCVN3/VNI) sẽ được chuyển sang Unicode.")
                         .format(n=result.converted_legacy))
        if result.new_organisations:
            lines.append(tr("import_wizard", "Đơn vị mới sẽ được thêm vào danh mục: {names}.").format(
                names="; ".join(result.new_organisations)))
        self.summary.setText("\n".join(lines))
        for problem, bad in [(p, True) for p in result.rejected] + [(w, False) for w in result.warnings]:
            where = ", ".join(part for part in (
                tr("import_wizard", "Dòng {row}").format(row=problem.row) if problem.row else "",
                tr("import_wizard", "cột {column}").format(column=problem.column) if problem.column else "") if part)
            item = QListWidgetItem((f"{where}: " if where else "") + problem.message)
            item.setBackground(QBrush(BAD if bad else WARN))
            item.setData(Qt.ItemDataRole.UserRole, problem)
            self.problems.addItem(item)
        for dup in result.possible_duplicates:
            item = QListWidgetItem(tr("import_wizard", "Dòng {row} giống hồ sơ: {existing}").format(
                row=dup.row, existing=dup.existing))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setData(Qt.ItemDataRole.UserRole, (dup.row, dup.learner_id))
            self.duplicates.addItem(item)
        self.duplicates_box.setVisible(bool(result.possible_duplicates))
        self.completeChanged.emit()

    def show_problem(self, item: QListWidgetItem) -> None:
        """Select the problem's cell in the preview."""
        problem: ImportProblem = item.data(Qt.ItemDataRole.UserRole)
        column = self.wiz.preview_model.column_of(problem)
        if problem.row is None or column is None:
            return
        index = self.wiz.preview_model.index_of(problem.row, column)
        if index.isValid():
            self.preview.setCurrentIndex(index)
            self.preview.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def links(self) -> dict[int, int]:
        """The duplicates a person marked as the same person: {sheet row: learner id}."""
        chosen: dict[int, int] = {}
        for i in range(self.duplicates.count()):
            item = self.duplicates.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                row, learner_id = item.data(Qt.ItemDataRole.UserRole)
                chosen[row] = learner_id
        return chosen

    def isComplete(self) -> bool:
        r = self.result
        return r is not None and not r.refused and (not r.rejected or self.skip_invalid.isChecked())

    def choose_annotated(self) -> None:
        table = self.wiz.table
        if table is None or table.path is None:
            return
        suggested = str(table.path.with_name(f"{table.path.stem} - loi.xlsx"))
        path, _ = QFileDialog.getSaveFileName(self, tr("import_wizard", "Lưu bản đánh dấu lỗi"), suggested,
                                              tr("import_wizard", "Tệp Excel (*.xlsx)"))
        if path:
            self.save_annotated_to(Path(path))

    def save_annotated_to(self, target: Path) -> None:
        table, result = self.wiz.table, self.result
        if table is None or table.path is None or result is None:
            return
        source = table.path

        def save() -> int:
            return save_annotated_copy(source, result.rejected, target, sheet=table.sheet,
                                       first_column=table.columns[0].index, warnings=result.warnings)

        def saved(marked: int) -> None:
            self.wiz.last_annotated = target
            self.annotated_status.setText(tr("import_wizard", "Đã đánh dấu {n} ô trong {path}.").format(
                n=marked, path=target))

        def failed(exc: BaseException) -> None:
            self.annotated_status.setText(error_text(exc))

        self.wiz.ctx.work(save, saved, self, failed)


class ResultPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setObjectName("page_result")
        self.setTitle(tr("import_wizard", "Kết quả"))
        self.setSubTitle(tr("import_wizard", "Danh sách được ghi một lần cho cả tệp: nếu có lỗi giữa chừng thì "
                                             "không có gì bị thay đổi."))
        self.summary = QLabel()
        self.summary.setObjectName("result_summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addStretch(1)
        self.result: ImportResult | None = None
        self.finished = False

    def initializePage(self) -> None:
        table, code, db, login = self.wiz.table, self.wiz.class_code, self.wiz.ctx.db, self.wiz.ctx.login
        assert table is not None
        skip, links = self.wiz.check_page.skip_invalid.isChecked(), self.wiz.check_page.links()
        self.summary.setText(tr("import_wizard", "Đang nhập danh sách..."))

        def job(progress: Any) -> ImportResult:
            return apply_import(db, code, table, skip_invalid=skip, link_duplicates=links, progress=progress,
                                login=login)

        self.wiz.ctx.runner.run(job, self._done, parent=self, on_failed=self._failed,
                                progress_label=tr("import_wizard", "Đang nhập danh sách học viên..."))

    def _done(self, result: ImportResult) -> None:
        self.result, self.finished = result, True
        if result.refused:
            self.summary.setText(tr("import_wizard", "Không nhập: dữ liệu đã thay đổi từ lúc kiểm tra ({n} lỗi). Không "
                                                     "có gì bị thay đổi; hãy nhập lại.").format(n=len(result.rejected)))
        else:
            lines = [tr("import_wizard", "Đã nhập {n} học viên vào lớp {code}: {new} hồ sơ mới, {old} người đã có "
                                         "hồ sơ.").format(n=result.imported, code=result.class_code,
                                                          new=result.new_learners, old=result.existing_learners)]
            bad = len({p.row for p in result.rejected if p.row is not None})
            if bad:
                lines.append(tr("import_wizard", "Bỏ qua {bad} dòng có lỗi.").format(bad=bad))
            if result.converted_legacy:
                lines.append(tr("import_wizard", "Đã chuyển {n} dòng từ bảng mã cũ (TCVN3/VNI) sang Unicode.").format(
                    n=result.converted_legacy))
            if result.new_organisations:
                lines.append(tr("import_wizard", "Đã thêm vào danh mục đơn vị: {names}.").format(
                    names="; ".join(result.new_organisations)))
            kept = [d for d in result.possible_duplicates if not d.linked]
            if kept:
                lines.append(tr("import_wizard", "{n} người trùng họ tên và ngày sinh với hồ sơ đã có được tạo hồ sơ "
                                                 "mới; kiểm tra lại ở mục Học viên.").format(n=len(kept)))
            self.summary.setText("\n".join(lines))
            self.wiz.imported.emit()
        self.completeChanged.emit()

    def _failed(self, exc: BaseException) -> None:
        self.finished = True
        self.summary.setText(tr("import_wizard", "Không nhập được; không có gì bị thay đổi.") + "\n" + error_text(exc))
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.finished


class ImportWizard(QWizard):
    """Opened from the class screen: `ImportWizard(ctx, class_code, parent).launch()`."""

    imported = Signal()

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.table: DetectedTable | None = None
        self.last_annotated: Path | None = None
        self.setObjectName("import_wizard")
        self.setWindowTitle(tr("import_wizard", "Nhập danh sách học viên vào lớp {code}").format(code=class_code))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setButtonText(QWizard.WizardButton.NextButton, tr("import_wizard", "Tiếp >"))
        self.setButtonText(QWizard.WizardButton.BackButton, tr("import_wizard", "< Quay lại"))
        self.setButtonText(QWizard.WizardButton.FinishButton, tr("import_wizard", "Xong"))
        self.setButtonText(QWizard.WizardButton.CancelButton, tr("import_wizard", "Hủy"))
        fit_to_screen(self, 1000, 680)
        self.preview_model = PreviewModel(self)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.result_page = ResultPage(self)
        for page in (self.file_page, self.mapping_page, self.check_page, self.result_page):
            self.addPage(page)

    def launch(self) -> None:
        """Show the wizard (tests patch this to avoid a modal loop)."""
        self.open()

    def set_path(self, path: str | Path) -> None:
        """Put a file in the first page and read it (what "Chọn tệp..." does)."""
        self.file_page.path_edit.setText(str(path))
        self.file_page.load(advance=False)

    def set_table(self, table: DetectedTable | None, *, keep_mapping_page: bool = False) -> None:
        self.table = table
        self.preview_model.set_table(table)
        if not keep_mapping_page:
            self.check_page.result = None
