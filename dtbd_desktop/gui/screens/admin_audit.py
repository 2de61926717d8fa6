"""Quản trị → Nhật ký thay đổi: the audit log in words, its filters, the raw entry, and the check."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QDate, QItemSelection, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, RowTableModel, read_only_table
from dtbd_desktop.gui.widgets.common import to_date
from dtbd_desktop.gui.widgets.date_field import DateField
from dtbd_desktop.gui.widgets.list_screen import search_box
from dtbd_desktop.services import audit_log
from dtbd_desktop.trust import audit_check, operations, witness


@dataclass(frozen=True)
class _Page:
    lines: list[audit_log.AuditLine]
    people: list[tuple[str, str]]
    classes: list[str]


def _combo(name: str, everything: str) -> QComboBox:
    box = QComboBox()
    box.setObjectName(name)
    box.addItem(everything, None)
    box.setMinimumContentsLength(14)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


def _refill(box: QComboBox, items: list[tuple[str, str]]) -> None:
    """Keep the first item ("all") and the current choice, put `items` (value, label) after it."""
    current = box.currentData()
    box.blockSignals(True)
    while box.count() > 1:
        box.removeItem(1)
    for value, label in items:
        box.addItem(label, value)
    index = box.findData(current)
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)


class AuditTab(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.text = search_box("audit_text", tr("admin_view", "Tìm (tên học viên, lớp, học phần, lý do...; không cần "
                                                              "dấu)"))
        self.text.searched.connect(lambda _text: self.reload())
        self.since = DateField(QDate.currentDate().addMonths(-1))
        self.until = DateField(QDate.currentDate())
        for field in (self.since, self.until):
            field.dateChanged.connect(lambda _day: self.reload())
        self.person = _combo("audit_person", tr("admin_view", "Mọi người"))
        self.class_code = _combo("audit_class", tr("admin_view", "Mọi lớp"))
        self.kind = _combo("audit_kind", tr("admin_view", "Mọi loại thay đổi"))
        for key in audit_log.KINDS:
            self.kind.addItem(audit_log.kind_label(key), key)
        for box in (self.person, self.class_code, self.kind):
            box.currentIndexChanged.connect(self.reload)
        search = QPushButton(tr("admin_view", "Tìm"))
        search.setObjectName("audit_search")
        search.clicked.connect(self.reload)
        check = QPushButton(tr("admin_view", "Kiểm tra nhật ký không bị sửa"))
        check.setObjectName("check_chain")
        check.clicked.connect(self.check_chain)
        self.status = QLabel()
        self.status.setObjectName("chain_status")
        self.status.setWordWrap(True)
        self.count = QLabel()
        self.count.setObjectName("audit_count")
        self.model: RowTableModel[audit_log.AuditLine] = RowTableModel([
            Column(tr("admin_view", "Thời điểm"), lambda r: r.when, sort=lambda r: r.at),
            Column(tr("admin_view", "Người làm"), lambda r: r.who),
            Column(tr("admin_view", "Loại thay đổi"), lambda r: r.kind_label),
            Column(tr("admin_view", "Lớp"), lambda r: r.class_code or ""),
            Column(tr("admin_view", "Nội dung"), lambda r: r.sentence, tooltip=lambda r: r.sentence),
        ], self)
        self.table = read_only_table(self.model, "audit_table")
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.details = QPlainTextEdit()
        self.details.setObjectName("audit_details")
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(tr("admin_view", "Chọn một dòng để xem đầy đủ, kèm dữ liệu gốc cho hỗ trợ kỹ "
                                                         "thuật."))
        filters = QGridLayout()
        filters.addWidget(self.text, 0, 0, 1, 3)
        dates = QHBoxLayout()
        dates.addWidget(QLabel(tr("admin_view", "Từ:")))
        dates.addWidget(self.since)
        dates.addWidget(QLabel(tr("admin_view", "đến:")))
        dates.addWidget(self.until)
        dates.addWidget(search)
        filters.addLayout(dates, 0, 3)
        filters.addWidget(self.person, 1, 0)
        filters.addWidget(self.class_code, 1, 1)
        filters.addWidget(self.kind, 1, 2)
        filters.addWidget(self.count, 1, 3)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.details)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(check)
        bottom.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)
        layout.addLayout(bottom)

    def reload(self) -> None:
        text = self.text.text().strip() or None
        since, until = to_date(self.since.date()), to_date(self.until.date())
        person, class_code, kind = self.person.currentData(), self.class_code.currentData(), self.kind.currentData()

        def load(s: Session) -> _Page:
            lines = audit_log.search(s, text=text, since=since, until=until, username=person, class_code=class_code,
                                     kind=kind)
            return _Page(lines, audit_log.people(s), audit_log.class_codes(s))

        self.ctx.read(load, self._show, self)

    def _show(self, page: _Page) -> None:
        _refill(self.person, page.people)
        _refill(self.class_code, [(code, code) for code in page.classes])
        self.model.set_rows(page.lines)
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount() - 1):
            header.resizeSection(column, min(header.sectionSize(column), 220))
        self.details.clear()
        self.count.setText(tr("admin_view", "{n} thay đổi").format(n=len(page.lines)) if len(page.lines) < 500
                           else tr("admin_view", "500 thay đổi mới nhất; thu hẹp điều kiện để xem thêm"))

    def _selected(self, _new: QItemSelection, _old: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.details.clear()
            return
        line = self.model.row_at(rows[0].row())
        self.details.setPlainText("\n".join([
            f"{line.when} — {line.who}",
            line.sentence,
            "",
            tr("admin_view", "Dữ liệu gốc của mục nhật ký số {seq} (cho hỗ trợ kỹ thuật):").format(seq=line.seq),
            line.raw_json(),
        ]))

    def check_chain(self) -> None:
        db = self.ctx.db
        seen = witness.recall(db)

        def show(report: audit_check.Report) -> None:
            if report.breaks:
                self.status.setStyleSheet("color: #b71c1c; font-weight: bold;")
                lines = [tr("admin_view", "Nhật ký hoặc dữ liệu được bảo vệ đã bị can thiệp ngoài chương trình ({n} "
                                          "chỗ):").format(n=len(report.breaks))]
                lines += ["• " + b.problem for b in report.breaks[:5]]
                self.status.setText("\n".join(lines))
            else:
                witness.reset(db, report.head)
                self.status.setStyleSheet("color: #1b5e20;")
                self.status.setText(tr("admin_view", "Nhật ký nguyên vẹn ({n} mục); dữ liệu được bảo vệ khớp nhật "
                                                     "ký.").format(n=report.entries))

        def job() -> audit_check.Report:
            # Not personal data, and it must run even when the acting account was tampered with.
            with operations.reading(db, self.ctx.login, personal=False) as s:
                return audit_check.verify(s, witness=seen)

        self.ctx.runner.run(job, show, parent=self, lane="long")
