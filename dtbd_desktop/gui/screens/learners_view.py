"""All learners, searched ignoring diacritics and case; a person's whole training history."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, RowTableModel
from dtbd_desktop.gui.widgets.list_screen import ListScreen, RowList, filter_row, search_box
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.services import learners
from dtbd_desktop.services.learners import HistoryRow, LearnerDetail, LearnerRow

PAGE = 200
CERT_STATUS = {"issued": "Đã cấp", "revoked": "Đã thu hồi", "replaced": "Đã cấp lại"}


def learner_columns() -> list[Column[LearnerRow]]:
    return [
        Column(tr("learners_view", "Họ và tên"), lambda r: r.full_name),
        Column(tr("learners_view", "Ngày sinh"), lambda r: r.birth_text, align=Qt.AlignmentFlag.AlignHCenter),
        Column(tr("learners_view", "Giới tính"), lambda r: text.gender_label(r.gender)),
        Column(tr("learners_view", "Dân tộc"), lambda r: r.ethnicity),
        Column(tr("learners_view", "Số CCCD"), lambda r: r.national_id),
        Column(tr("learners_view", "Đơn vị"), lambda r: r.organisation),
        Column(tr("learners_view", "Các lớp"), lambda r: ", ".join(r.classes)),
    ]


def history_columns() -> list[Column[HistoryRow]]:
    return [
        Column(tr("learners_view", "Lớp"), lambda h: h.class_code),
        Column(tr("learners_view", "Chương trình"), lambda h: h.programme),
        Column(tr("learners_view", "Từ ngày"), lambda h: text.format_date(h.start)),
        Column(tr("learners_view", "Đến ngày"), lambda h: text.format_date(h.end)),
        Column(tr("learners_view", "Kết quả"), lambda h: h.classification),
        Column(tr("learners_view", "Văn bằng, chứng chỉ"),
               lambda h: f"{h.serial} ({tr('learners_view', CERT_STATUS[h.certificate_status])})"
               if h.serial and h.certificate_status else ""),
    ]


class LearnersView(ListScreen):
    """The list pages through the database (PAGE rows at a time) in Vietnamese order."""

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx, tr("learners_view", "Học viên"))
        self._query = ""
        self.search = search_box("learner_search", tr(
            "learners_view", "Tìm theo họ tên (gõ có dấu hoặc không dấu) hoặc số CCCD..."))
        self.more_button = QPushButton(tr("learners_view", "Xem thêm"))
        self.more_button.setVisible(False)
        # In the database's order, page after page: not sorted again here.
        self.listing: RowList[LearnerRow] = RowList(learner_columns(), "learners_table", self, sortable=False,
                                                    row_numbers=True, on_open=lambda row: self.open_learner(row.id))
        self.model, self.table = self.listing.model, self.listing.table
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
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
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(5, min(self.table.columnWidth(5), 300))
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
        self.ctx.read(lambda s: learners.learner_detail(s, learner_id), self._show_detail, self)

    def _show_detail(self, detail: LearnerDetail) -> None:
        LearnerDialog(detail, self).launch()


class LearnerDialog(QDialog):
    def __init__(self, detail: LearnerDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        r = detail.row
        self.setWindowTitle(r.full_name)
        fit_to_screen(self, 860, 520)
        form = QFormLayout()
        no = tr("learners_view", "Không")
        party = (tr("learners_view", "Đảng viên, vào Đảng {date}").format(date=text.format_date(detail.party_join_date))
                 if detail.party_member else no)
        for label, value in (
            (tr("learners_view", "Họ và tên:"), r.full_name),
            (tr("learners_view", "Ngày sinh:"), r.birth_text),
            (tr("learners_view", "Giới tính:"), text.gender_label(r.gender)),
            (tr("learners_view", "Dân tộc:"), r.ethnicity),
            (tr("learners_view", "Số CCCD:"), r.national_id or ""),
            (tr("learners_view", "Nơi sinh:"), detail.place_of_birth or ""),
            (tr("learners_view", "Chức vụ:"), r.position or ""),
            (tr("learners_view", "Đơn vị:"), r.organisation or ""),
            (tr("learners_view", "Đảng viên:"), party),
            (tr("learners_view", "Trình độ chuyên môn:"), detail.education_level or ""),
            (tr("learners_view", "Trình độ LLCT:"), detail.theory_level or ""),
            (tr("learners_view", "Điện thoại:"), detail.phone or ""),
        ):
            label_value = QLabel(value)
            label_value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(label, label_value)
        self.history = RowTableModel(history_columns(), self)
        self.history.set_rows(detail.history)
        table = QTableView()
        table.setObjectName("history_table")
        table.setModel(self.history)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("learners_view", "Đóng"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("learners_view", "Quá trình học tập tại Trung tâm:")))
        layout.addWidget(table, 1)
        layout.addWidget(buttons)

    def launch(self) -> None:
        self.open()
