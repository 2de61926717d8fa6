"""The class list: filter by year, programme and status; open a class (its page takes the list's
place, with a way back), open a new one, delete one from the list's context menu."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QMenu,
    QPushButton,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets.common import MessageLabel
from dtbd_desktop.gui.widgets.list_screen import ListScreen, RowList, filter_row, search_box
from dtbd_desktop.services import catalogue, classes
from dtbd_desktop.services.classes import ClassRow

if TYPE_CHECKING:  # opened on demand
    from dtbd_desktop.gui.screens.class_dialog import ClassPage

RIGHT = Qt.AlignmentFlag.AlignRight
CENTER = Qt.AlignmentFlag.AlignHCenter


def class_columns() -> list[Column[ClassRow]]:
    return [
        Column(tr("classes_view", "Mã lớp"), lambda r: r.code),
        Column(tr("classes_view", "Tên lớp"), lambda r: r.name, sort=lambda r: text.vn_sort_key(r.name)),
        Column(tr("classes_view", "Chương trình"), lambda r: r.programme_code, tooltip=lambda r: r.programme_name),
        Column(tr("classes_view", "Hình thức"), lambda r: classes.mode_label(r.mode)),
        Column(tr("classes_view", "Địa điểm"), lambda r: r.venue, sort=lambda r: text.vn_sort_key(r.venue or "")),
        Column(tr("classes_view", "Khai giảng"), lambda r: text.format_date(r.start), sort=lambda r: r.start,
               align=CENTER),
        Column(tr("classes_view", "Kết thúc"), lambda r: text.format_date(r.end), sort=lambda r: r.end, align=CENTER),
        Column(tr("classes_view", "Học viên"), lambda r: r.learners, sort=lambda r: r.learners, align=RIGHT),
        Column(tr("classes_view", "Trạng thái"), lambda r: classes.status_label(r.status)),
        Column(tr("classes_view", "GV chủ nhiệm"), lambda r: r.homeroom),
    ]


class ClassesView(ListScreen):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("classes_view", "Lớp học"), pages=True)
        self.page: ClassPage | None = None  # the class shown in the list's place, if any
        self.year = QComboBox()
        self.year.setObjectName("year_filter")
        self.programme = QComboBox()
        self.programme.setObjectName("programme_filter")
        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.addItem(tr("classes_view", "Mọi trạng thái"), None)
        for key in classes.STATUS_LABELS:
            self.status.addItem(classes.status_label(key), key)
        self.search = search_box("class_search", tr("classes_view", "Lọc theo mã, tên lớp, địa điểm..."))
        self.new_button = QPushButton(tr("classes_view", "Mở lớp mới..."))
        self.open_button = QPushButton(tr("classes_view", "Mở lớp"))
        filters = filter_row((tr("classes_view", "Năm:"), self.year),
                             (tr("classes_view", "Chương trình:"), self.programme),
                             (tr("classes_view", "Trạng thái:"), self.status),
                             stretch=self.search, after=(self.open_button, self.new_button))

        self.listing: RowList[ClassRow] = RowList(class_columns(), "classes_table", self,
                                                  sort_by=(5, Qt.SortOrder.DescendingOrder),
                                                  on_open=lambda row: self.open_class(row.code))
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setResizeContentsPrecision(60)  # fit columns to the first rows, not to hundreds of classes
        for combo, length in ((self.year, 8), (self.programme, 22), (self.status, 12)):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(length)

        self.main_layout.addLayout(filters)
        self.main_layout.addWidget(self.table, 1)
        self.message = MessageLabel("classes_message")
        bottom = filter_row(stretch=self.message, after=(self.count_label,))
        self.main_layout.addLayout(bottom)

        for combo in (self.year, self.programme, self.status):
            combo.currentIndexChanged.connect(self.reload)
        self.search.searched.connect(self._filter_text)
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(self.new_class)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)

    # --- loading ------------------------------------------------------------------------
    def first_load(self) -> None:
        self.load_filters()

    def load_filters(self) -> None:
        def fetch(session: Session) -> tuple[list[int], list[tuple[str, str]]]:
            years = classes.class_years(session)
            progs = [(p.code, p.name) for p in catalogue.list_programmes(session)]
            return years, progs

        def fill(result: tuple[list[int], list[tuple[str, str]]]) -> None:
            years, progs = result
            for combo in (self.year, self.programme):
                combo.blockSignals(True)
                combo.clear()
            self.year.addItem(tr("classes_view", "Mọi năm"), None)
            for y in years:
                self.year.addItem(str(y), y)
            self.programme.addItem(tr("classes_view", "Mọi chương trình"), None)
            for code, name in progs:
                self.programme.addItem(f"{code} – {name}", code)
            for combo in (self.year, self.programme):
                combo.blockSignals(False)
            self.reload()

        self.ctx.read(fetch, fill, self)

    def reload(self, *_args: object) -> None:
        year, programme, status = self.year.currentData(), self.programme.currentData(), self.status.currentData()
        self.ctx.read(lambda s: classes.list_classes(s, year=year, programme=programme, status=status),
                      self.show_rows, self)

    def show_rows(self, rows: list[ClassRow]) -> None:
        header = self.table.horizontalHeader()
        self.model.set_rows(rows)
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(4, min(self.table.columnWidth(4), 200))
        self.table.setColumnWidth(9, min(self.table.columnWidth(9), 150))
        # The class name takes what is left, so every column fits a 1366-pixel screen.
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._update_count()

    def _filter_text(self, value: str) -> None:
        self.proxy.setFilterFixedString(value.strip())
        self._update_count()

    def _update_count(self) -> None:
        learners = sum(row.learners for row in self.listing.visible_rows())
        self.count_label.setText(tr("classes_view", "{n} lớp, {m} học viên").format(
            n=self.proxy.rowCount(), m=text.format_decimal(learners, 0)))

    # --- opening ------------------------------------------------------------------------
    def selected_row(self) -> ClassRow | None:
        return self.listing.selected()

    def open_selected(self) -> None:
        row = self.selected_row()
        if row is not None:
            self.open_class(row.code)

    def open_class(self, code: str, tab: str | None = None) -> ClassPage | None:
        """Show class `code` in the list's place, on `tab` (class_dialog.TAB_KEYS) if given. A class
        already shown is shown again, not opened twice; another one with unsaved details asks
        first (None then: the page opens once answered)."""
        if self.page is not None and self.page.code == code:
            if tab is not None:
                self.page.show_tab(tab)
            self.page.launch()
            return self.page
        if self.page is not None and self.page.is_dirty():
            self.page.confirm_leave(lambda: self._open_page(code, tab))
            return None if self.page is not None and self.page.code != code else self.page
        return self._open_page(code, tab)

    def new_class(self) -> ClassPage | None:
        """The form of a new class in the list's place; saved, it goes on to the roster."""
        if self.page is not None and self.page.is_dirty():
            self.page.confirm_leave(lambda: self._open_page(None, None))
            return None
        return self._open_page(None, None)

    def _open_page(self, code: str | None, tab: str | None) -> ClassPage:
        from dtbd_desktop.gui.screens.class_dialog import ClassPage

        self._drop_page()
        assert self.pages is not None
        page = ClassPage(self.ctx, code, self.pages)
        self.pages.addWidget(page)
        self.page = page
        page.saved.connect(self.reload)
        page.created.connect(lambda _code: self.load_filters())
        page.deleted.connect(lambda _code: self.load_filters())
        page.close_requested.connect(lambda: self.close_page(page))
        if tab is not None:
            page.show_tab(tab)
        page.launch()
        return page

    def close_page(self, page: ClassPage | None = None) -> None:
        """Back to the list (the page's own question about unsaved details has been asked)."""
        if page is not None and page is not self.page:
            return
        self._drop_page()
        assert self.pages is not None
        self.pages.setCurrentWidget(self.list_page)
        self.table.setFocus()

    def _drop_page(self) -> None:
        if self.page is not None:
            assert self.pages is not None
            self.pages.removeWidget(self.page)
            self.page.deleteLater()
            self.page = None

    def confirm_leave(self, proceed: Callable[[], object]) -> None:
        """Run `proceed` once the open class's unsaved details are saved or given up (the window
        closes); not at all if the person stays."""
        if self.page is None:
            proceed()
        else:
            self.page.confirm_leave(proceed)

    # --- deleting from the list -------------------------------------------------------------
    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        row = self.listing.row_at(index)
        if row is None:
            return
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(tr("classes_view", "Mở lớp {code}").format(code=row.code), lambda: self.open_class(row.code))
        menu.addSeparator()
        delete = menu.addAction(tr("classes_view", "Xóa lớp {code}...").format(code=row.code),
                                lambda: self.delete_class(row))
        delete.setEnabled(row.learners == 0)
        if row.learners:
            delete.setToolTip(tr("classes_view", "Lớp còn học viên nên không xóa được."))
        self.context_menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def delete_class(self, row: ClassRow) -> None:
        """Delete a class after a question naming it; its page closes if it is shown."""
        from dtbd_desktop.gui.screens.class_dialog import confirm_delete

        if not confirm_delete(self, row.code, row.name):
            return

        def deleted(_result: object) -> None:
            if self.page is not None and self.page.code == row.code:
                self.page.loaded_values = None
                self.close_page()
            self.message.say(tr("classes_view", "Đã xóa lớp {code}.").format(code=row.code))
            self.load_filters()

        self.ctx.write(lambda s: classes.delete_class(s, row.code), deleted, self, on_failed=self.message.failed)
