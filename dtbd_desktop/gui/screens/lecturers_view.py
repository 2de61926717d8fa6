"""Lecturers (full-time, part-time, guest): filtered by kind, searched without diacritics, a form."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import ROW_ROLE, Column, SortProxy, name_sort
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets.list_screen import ListScreen, RowList, filter_row, search_box
from dtbd_desktop.services import lecturers
from dtbd_desktop.services.lecturers import KIND_LABELS, LecturerRow

CENTER = Qt.AlignmentFlag.AlignHCenter


def kind_label(kind: str) -> str:
    return tr("lecturers", KIND_LABELS.get(kind, kind))


def lecturer_columns() -> list[Column[LecturerRow]]:
    yes, no = tr("lecturers_view", "Có"), tr("lecturers_view", "Không")
    return [
        Column(tr("lecturers_view", "Họ và tên"), lambda r: r.full_name,
               sort=lambda r: name_sort(r.full_name)),
        Column(tr("lecturers_view", "Học hàm, học vị"), lambda r: r.title),
        Column(tr("lecturers_view", "Loại giảng viên"), lambda r: kind_label(r.kind)),
        Column(tr("lecturers_view", "Khoa, phòng"), lambda r: r.department,
               sort=lambda r: text.vn_sort_key(r.department or "")),
        Column(tr("lecturers_view", "Nơi công tác"), lambda r: r.workplace,
               sort=lambda r: text.vn_sort_key(r.workplace or ""),
               tooltip=lambda r: r.workplace),
        Column(tr("lecturers_view", "Điện thoại"), lambda r: r.phone),
        Column(tr("lecturers_view", "Đang giảng dạy"), lambda r: yes if r.active else no, align=CENTER),
    ]


class LecturerFilter(SortProxy):
    """Keeps the rows of the chosen kind whose words contain the folded query."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.kind: str | None = None
        self.query = ""

    def set_filter(self, kind: str | None, query: str) -> None:
        begin = getattr(self, "beginFilterChange", None)  # Qt 6.10+; invalidateFilter before
        if begin is not None:
            begin()
        self.kind, self.query = kind, text.fold(query.strip()) if query.strip() else ""
        if begin is not None:
            self.endFilterChange()
        else:
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex) -> bool:
        row: LecturerRow = self.sourceModel().index(source_row, 0, source_parent).data(ROW_ROLE)
        if self.kind is not None and row.kind != self.kind:
            return False
        if not self.query:
            return True
        words = " ".join(filter(None, [row.full_name, row.title, row.department, row.workplace, row.phone]))
        return self.query in text.fold(words)


class LecturersView(ListScreen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("lecturers_view", "Giảng viên"))
        self.editing_id: int | None = None  # None: the form adds a new lecturer
        self._quiet = False

        self.kind_filter = QComboBox()
        self.kind_filter.setObjectName("kind_filter")
        self.kind_filter.addItem(tr("lecturers_view", "Mọi loại giảng viên"), None)
        for key in KIND_LABELS:
            self.kind_filter.addItem(kind_label(key), key)
        self.search = search_box("lecturer_search", tr("lecturers_view", "Tìm theo tên, nơi công tác, điện thoại..."))
        self.new_button = QPushButton(tr("lecturers_view", "Thêm giảng viên"))
        self.new_button.setObjectName("new_lecturer")
        filters = filter_row((tr("lecturers_view", "Loại:"), self.kind_filter), stretch=self.search,
                             after=(self.new_button,))

        self.proxy = LecturerFilter(self)
        self.listing: RowList[LecturerRow] = RowList(lecturer_columns(), "lecturers_table", self, proxy=self.proxy,
                                                     sort_by=(0, Qt.SortOrder.AscendingOrder))
        self.model, self.table = self.listing.model, self.listing.table
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.form_box = QGroupBox()
        self.full_name = QLineEdit()
        self.full_name.setObjectName("lecturer_name")
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("lecturer_title")
        self.title_edit.setPlaceholderText(tr("lecturers_view", "ví dụ: ThS., TS., PGS.TS."))
        self.kind = QComboBox()
        self.kind.setObjectName("lecturer_kind")
        for key in KIND_LABELS:
            self.kind.addItem(kind_label(key), key)
        self.department = QLineEdit()
        self.department.setObjectName("lecturer_department")
        self.workplace = QLineEdit()
        self.workplace.setObjectName("lecturer_workplace")
        self.phone = QLineEdit()
        self.phone.setObjectName("lecturer_phone")
        self.active = QCheckBox(tr("lecturers_view", "Đang giảng dạy"))
        self.active.setObjectName("lecturer_active")
        first, second = QFormLayout(), QFormLayout()
        first.addRow(tr("lecturers_view", "Họ và tên:"), self.full_name)
        first.addRow(tr("lecturers_view", "Học hàm, học vị:"), self.title_edit)
        first.addRow(tr("lecturers_view", "Loại giảng viên:"), self.kind)
        first.addRow("", self.active)
        second.addRow(tr("lecturers_view", "Khoa, phòng:"), self.department)
        second.addRow(tr("lecturers_view", "Nơi công tác:"), self.workplace)
        second.addRow(tr("lecturers_view", "Điện thoại:"), self.phone)
        self.save_button = QPushButton(tr("lecturers_view", "Lưu"))
        self.save_button.setObjectName("save_lecturer")
        self.errors = QLabel()
        self.errors.setObjectName("lecturer_errors")
        self.errors.setWordWrap(True)
        self.errors.setStyleSheet("color: #b71c1c;")
        self.status = QLabel()
        self.status.setObjectName("lecturer_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #1b5e20;")
        side = QVBoxLayout()
        side.addWidget(self.errors)
        side.addWidget(self.status)
        side.addStretch(1)
        side.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)
        columns = QHBoxLayout(self.form_box)
        columns.addLayout(first, 4)
        columns.addLayout(second, 4)
        columns.addLayout(side, 3)

        self.main_layout.addLayout(filters)
        self.main_layout.addWidget(self.table, 1)
        self.main_layout.addWidget(self.count_label)
        self.main_layout.addWidget(self.form_box)

        self.kind_filter.currentIndexChanged.connect(self.apply_filter)
        self.search.searched.connect(self.apply_filter)
        self.new_button.clicked.connect(self.new_lecturer)
        self.save_button.clicked.connect(self.save)
        self.table.selectionModel().currentRowChanged.connect(lambda index, _prev: self.edit_index(index))
        self.new_lecturer()

    # --- loading ------------------------------------------------------------------------
    def reload(self, select: int | None = None, message: str = "") -> None:
        self.ctx.read(lecturers.list_lecturers, lambda rows: self._show_rows(rows, select, message), self)

    def _show_rows(self, rows: list[LecturerRow], select: int | None, message: str) -> None:
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        for column, width in ((0, 240), (3, 260), (4, 320)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), width))
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.apply_filter()
        if select is not None:
            self.listing.select_where(lambda row: row.id == select)
        if message:
            self.status.setText(message)

    def apply_filter(self, *_args: Any) -> None:
        self._quiet = True  # rows leaving the view move the current row; the form stays as typed
        self.proxy.set_filter(self.kind_filter.currentData(), self.search.text())
        self._quiet = False
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        label = (tr("lecturers_view", "{n} giảng viên") if shown == total
                 else tr("lecturers_view", "{shown}/{n} giảng viên"))
        self.count_label.setText(label.format(shown=shown, n=total))

    def visible_rows(self) -> list[LecturerRow]:
        return self.listing.visible_rows()

    # --- the form -----------------------------------------------------------------------
    def new_lecturer(self) -> None:
        self.table.setCurrentIndex(QModelIndex())
        self.table.clearSelection()
        self._fill(None)
        self.full_name.setFocus()

    def edit_index(self, index: QModelIndex) -> None:
        row: LecturerRow | None = index.data(ROW_ROLE) if index.isValid() and not self._quiet else None
        if row is not None:
            self._fill(row)

    def _fill(self, row: LecturerRow | None) -> None:
        self.editing_id = row.id if row else None
        self.form_box.setTitle(tr("lecturers_view", "Sửa thông tin giảng viên") if row
                               else tr("lecturers_view", "Thêm giảng viên mới"))
        self.full_name.setText(row.full_name if row else "")
        self.title_edit.setText((row.title or "") if row else "")
        self.kind.setCurrentIndex(max(0, self.kind.findData(row.kind if row else "full_time")))
        self.department.setText((row.department or "") if row else "")
        self.workplace.setText((row.workplace or "") if row else "")
        self.phone.setText((row.phone or "") if row else "")
        self.active.setChecked(row.active if row else True)
        self.errors.clear()
        self.full_name.setStyleSheet("")

    def save(self) -> None:
        values = {"full_name": self.full_name.text(), "title": self.title_edit.text(),
                  "kind": self.kind.currentData(), "department": self.department.text(),
                  "workplace": self.workplace.text(), "phone": self.phone.text(),
                  "active": self.active.isChecked(), "lecturer_id": self.editing_id}
        self.status.clear()

        def write(session: Session) -> tuple[int, str]:
            lecturer = lecturers.save_lecturer(session, **values)
            return lecturer.id, lecturer.full_name

        def done(result: tuple[int, str]) -> None:
            self.errors.clear()
            self.editing_id = result[0]  # a second Save edits it, even if the filter hides its row
            self.form_box.setTitle(tr("lecturers_view", "Sửa thông tin giảng viên"))
            self.reload(result[0], tr("lecturers_view", "Đã lưu giảng viên {name}.").format(
                name=result[1]))

        self.ctx.write(write, done, self, on_failed=self._refused)

    def _refused(self, exc: BaseException) -> None:
        self.errors.setText(error_text(exc))
        fields = {p.field for p in getattr(exc, "problems", [])}
        self.full_name.setStyleSheet("border: 1px solid #b71c1c;" if "full_name" in fields else "")
