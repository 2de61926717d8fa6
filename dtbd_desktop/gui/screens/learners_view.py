"""All learners, searched ignoring diacritics and case; a person's record (editable) and whole
training history (`dialogs.learner_dialog`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QPushButton,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, load_record
from dtbd_desktop.gui.table_model import Column
from dtbd_desktop.gui.widgets.fit_columns import fit_columns
from dtbd_desktop.gui.widgets.list_screen import ListScreen, RowList, filter_row, search_box
from dtbd_desktop.services import learners
from dtbd_desktop.services.learners import LearnerChoices, LearnerDetail, LearnerRow

PAGE = 200


def learner_columns() -> list[Column[LearnerRow]]:
    return [
        Column(tr("learners_view", "Họ và tên"), lambda r: r.full_name),
        Column(tr("learners_view", "Ngày sinh"), lambda r: r.birth_text, align=Qt.AlignmentFlag.AlignHCenter),
        Column(tr("learners_view", "Giới tính"), lambda r: text.gender_label(r.gender)),
        Column(tr("learners_view", "Dân tộc"), lambda r: r.ethnicity),
        Column(tr("learners_view", "Số CCCD"), lambda r: r.national_id),
        Column(tr("learners_view", "Đơn vị"), lambda r: r.organisation, tooltip=lambda r: r.organisation),
        Column(tr("learners_view", "Các lớp"), lambda r: ", ".join(r.classes), tooltip=lambda r: ", ".join(r.classes)),
    ]


class LearnersView(ListScreen):
    """The list pages through the database (PAGE rows at a time) in Vietnamese order."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("learners_view", "Học viên"))
        self._query = ""
        self.dialog: LearnerDialog | None = None  # the record open last
        self.search = search_box("learner_search", tr(
            "learners_view", "Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc số CCCD..."))
        self.more_button = QPushButton(tr("learners_view", "Xem thêm"))
        self.more_button.setVisible(False)
        # In the database's order, page after page: not sorted again here.
        self.listing: RowList[LearnerRow] = RowList(learner_columns(), "learners_table", self, sortable=False,
                                                    row_numbers=True, on_open=lambda row: self.open_learner(row.id))
        self.model, self.table = self.listing.model, self.listing.table
        fit_columns(self.table, flexible=(5, 6))  # organisation and classes share what is left
        self.search.searched.connect(lambda _text: self.reload())
        self.more_button.clicked.connect(self.load_more)

        self.main_layout.addLayout(filter_row(stretch=self.search))
        self.main_layout.addWidget(self.table, 1)
        self.main_layout.addLayout(filter_row(stretch=self.count_label, after=(self.more_button,)))

    def reload(self) -> None:
        query = self.search.text()
        self._query = query
        self.ctx.read(lambda s: learners.search_learners(s, query, limit=PAGE + 1), self._show_first, self)

    def _show_first(self, rows: list[LearnerRow]) -> None:
        self.model.set_rows(rows[:PAGE])
        self.more_button.setVisible(len(rows) > PAGE)
        self._update_count()

    def load_more(self) -> None:
        query, offset = self._query, self.model.rowCount()
        self.ctx.read(lambda s: learners.search_learners(s, query, limit=PAGE + 1, offset=offset),
                      self._append, self)

    def _append(self, rows: list[LearnerRow]) -> None:
        self.model.set_rows(self.model.rows + rows[:PAGE])
        self.more_button.setVisible(len(rows) > PAGE)
        self._update_count()

    def _update_count(self) -> None:
        more = "+" if self.more_button.isVisible() else ""
        self.count_label.setText(tr("learners_view", "{n}{more} học viên").format(n=self.model.rowCount(), more=more))

    def open_learner(self, learner_id: int) -> None:
        self.ctx.read(lambda s: load_record(s, learner_id), self._show_detail, self)

    def _show_detail(self, record: tuple[LearnerDetail, LearnerChoices, bool]) -> None:
        self.dialog = LearnerDialog(self.ctx, *record, parent=self)
        self.dialog.saved.connect(self.reload)
        self.dialog.launch()
