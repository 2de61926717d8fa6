"""The "Xét tốt nghiệp" tab of a class: the review as of the current scores (eligibility, average,
classification, reasons, ranking) with the rules it applied; saving it, the decision (its number
from the book of outgoing documents, or one typed, and its date), and the documents (review list,
the decision with its list, class score sheet, transcripts) through the print dialog (signing
date, signer, file).

The table always shows the review computed now (`graduation.load_review`, nothing stored);
"Xét tốt nghiệp" stores it, and the tab says when the stored review no longer matches.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions, ask_print
from dtbd_desktop.gui.table_model import ROW_ROLE, Column, RowTableModel, name_sort
from dtbd_desktop.gui.widgets.common import MessageLabel
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.reports import graduation_reports
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules.scores import score_text
from dtbd_desktop.services import graduation
from dtbd_desktop.services.graduation import ReviewRow
from dtbd_desktop.services.outgoing import PrintFacts
from dtbd_desktop.trust import operations

CENTER = Qt.AlignmentFlag.AlignHCenter
NOT_ELIGIBLE = QColor("#b71c1c")


@dataclass(frozen=True)
class ReviewData:
    """The review as the tab shows it (plain data read on the worker)."""

    rows: tuple[ReviewRow, ...]
    pass_fail: bool
    rule_set: str
    rules_lines: tuple[str, ...]
    bands: tuple[str, ...]
    reviewed_at: dt.datetime | None
    stale: int  # learners whose stored result differs from the review as of now
    decision: tuple[str | None, dt.date | None]
    may_review: bool


def load_review_data(session: Session, class_code: str) -> ReviewData:
    review = graduation.load_review(session, class_code)
    stored = {r.learner.enrolment_id: r for r in graduation.stored_results(session, class_code, data=review.data)}
    stale = sum(1 for r in review.rows if (s := stored.get(r.enrolment_id)) is None or
                (s.eligible, s.classification, s.average, s.reasons) != (r.eligible, r.classification, r.average,
                                                                          r.reasons))
    decided = next((s for s in stored.values() if s.eligible and s.decision_number), None)
    try:
        may_review = operations.may(session, "review_graduation")
    except InputError:
        may_review = False
    return ReviewData(
        rows=review.rows, pass_fail=review.pass_fail, rule_set=review.data.rule_set_name,
        rules_lines=tuple(review.rules_lines), bands=tuple(b["name"] for b in review.rules.get("bands", [])),
        reviewed_at=max((s.reviewed_at for s in stored.values()), default=None), stale=stale,
        decision=(decided.decision_number, decided.decision_date) if decided else (None, None), may_review=may_review)


def _notes(r: ReviewRow) -> str:
    return "; ".join(r.reasons) if not r.eligible else "; ".join(r.outcome.downgrades)


def review_columns(pass_fail: bool) -> list[Column[ReviewRow]]:
    return [
        Column(tr("graduation_tab", "Hạng"), lambda r: r.rank, sort=lambda r: r.rank or 10**6, align=CENTER),
        Column(tr("graduation_tab", "Họ và tên"), lambda r: r.full_name, sort=lambda r: name_sort(r.full_name)),
        Column(tr("graduation_tab", "Ngày sinh"), lambda r: r.learner.birth_text, align=CENTER),
        Column(tr("graduation_tab", "Điểm TB"), lambda r: score_text(r.average, 2),
               sort=lambda r: r.average, align=CENTER),
        Column(tr("graduation_tab", "Xếp loại"),
               lambda r: (r.outcome.essay_band or "") if pass_fail else (r.classification or "")),
        Column(tr("graduation_tab", "Kết quả"),
               lambda r: (tr("graduation_tab", "Đạt") if r.eligible else tr("graduation_tab", "Không đạt")) if pass_fail
               else (tr("graduation_tab", "Đủ điều kiện") if r.eligible else tr("graduation_tab", "Không đủ điều kiện"))),
        Column(tr("graduation_tab", "Học phần bị cấm thi"), lambda r: ", ".join(r.barred_modules)),
        Column(tr("graduation_tab", "Số QĐ"), lambda r: r.decision_number),
        Column(tr("graduation_tab", "Lý do, ghi chú"), _notes, tooltip=lambda r: "\n".join(
            [*r.reasons, *r.outcome.downgrades]) or None),
    ]


class ReviewModel(RowTableModel[ReviewRow]):
    """The review rows; learners who are not eligible in dark red."""

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and index.row() < len(self.rows):
            return NOT_ELIGIBLE if not self.rows[index.row()].eligible else None
        return super().data(index, role)


class ConductDialog(QDialog):
    """The sending organisation's confirmation, a discipline, the conduct of one learner."""

    def __init__(self, row: ReviewRow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(row.full_name)
        self.confirmation, self.discipline = QComboBox(), QComboBox()
        for box, keys, label, current in (
                (self.confirmation, graduation_rules.CONFIRMATION_LABELS, graduation_rules.confirmation_label, row.learner.confirmation),
                (self.discipline, graduation_rules.DISCIPLINE_LABELS, graduation_rules.discipline_label, row.learner.discipline)):
            for key in keys:
                box.addItem(label(key), key)
            box.setCurrentIndex(max(0, box.findData(current)))
        self.conduct = QLineEdit(row.learner.conduct or "")
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(tr("graduation_tab", "văn bản, căn cứ (ví dụ: Công văn số 45 của ...)"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("graduation_tab", "Nhận xét của cơ quan cử đi học:"), self.confirmation)
        form.addRow(tr("graduation_tab", "Kỷ luật trong khóa học:"), self.discipline)
        form.addRow(tr("graduation_tab", "Rèn luyện:"), self.conduct)
        form.addRow(tr("graduation_tab", "Căn cứ, ghi chú:"), self.reason)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {"confirmation": self.confirmation.currentData(), "discipline": self.discipline.currentData(),
                "conduct": self.conduct.text(), "reason": self.reason.text()}


class GraduationTab(QWidget):
    changed = Signal()

    def __init__(self, ctx: AppContext, class_code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.class_code = class_code
        self.data: ReviewData | None = None

        self.review_button = QPushButton(tr("graduation_tab", "Xét tốt nghiệp"))
        self.review_button.setObjectName("graduation_review")
        self.review_button.setToolTip(tr("graduation_tab", "Lưu kết quả xét theo điểm hiện tại"))
        self.review_button.clicked.connect(self.run_review)
        self.number = QLineEdit()
        self.number.setObjectName("decision_number")
        self.number.setPlaceholderText(tr("graduation_tab", "để trống: lấy số trong sổ"))
        self.number.setToolTip(tr("graduation_tab", "Để trống: quyết định lấy số tiếp theo trong sổ văn bản đi. "
                                                    "Nhập số (ví dụ 45 hoặc 45-QĐ/TCT) khi quyết định đã được cấp số "
                                                    "ngoài chương trình."))
        self.number.setMaximumWidth(200)
        self.date = QDateEdit()
        self.date.setObjectName("decision_date")
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.date.setCalendarPopup(True)
        self.date.setDate(QDate.currentDate())
        self.decision_button = QPushButton(tr("graduation_tab", "Ghi quyết định"))
        self.decision_button.setObjectName("graduation_decision")
        self.decision_button.clicked.connect(self.record_decision)
        self.conduct_button = QPushButton(tr("graduation_tab", "Nhận xét, kỷ luật..."))
        self.conduct_button.setObjectName("graduation_conduct")
        self.conduct_button.setToolTip(tr("graduation_tab", "Nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện của "
                                                            "học viên đang chọn"))
        self.conduct_button.clicked.connect(self.edit_conduct)
        top = QHBoxLayout()
        top.addWidget(self.review_button)
        top.addWidget(self.conduct_button)
        top.addSpacing(24)
        for widget in (QLabel(tr("graduation_tab", "Quyết định công nhận số:")), self.number,
                       QLabel(tr("graduation_tab", "ngày")), self.date, self.decision_button):
            top.addWidget(widget)
        top.addStretch(1)

        self.documents: dict[str, QPushButton] = {}
        docs = QHBoxLayout()
        docs.addWidget(QLabel(tr("graduation_tab", "In:")))
        for kind, label in (("review", tr("graduation_tab", "Danh sách xét tốt nghiệp...")),
                            ("decision", tr("graduation_tab", "Quyết định công nhận tốt nghiệp...")),
                            ("scores", tr("graduation_tab", "Bảng điểm tổng hợp...")),
                            ("transcript", tr("graduation_tab", "Bảng điểm cá nhân"))):
            button = QPushButton(label)
            button.setObjectName(f"document_{kind}")
            if kind == "transcript":
                menu = QMenu(button)
                menu.addAction(tr("graduation_tab", "Học viên đang chọn..."), lambda: self.export("transcript", True))
                menu.addAction(tr("graduation_tab", "Cả lớp..."), lambda: self.export("transcript"))
                button.setMenu(menu)
            else:
                button.clicked.connect(lambda _c=False, k=kind: self.export(k))
            docs.addWidget(button)
            self.documents[kind] = button
        docs.addStretch(1)

        self.status = QLabel()
        self.status.setObjectName("graduation_status")
        self.status.setWordWrap(True)
        # No row numbers: the rank is the first column.
        self.listing: RowList[ReviewRow] = RowList([], "graduation_table", self,
                                                   model=ReviewModel(review_columns(False), self))
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.rules = QLabel()
        self.rules.setObjectName("graduation_rules")
        self.rules.setWordWrap(True)
        self.rules.setStyleSheet("font-size: 11px; color: #333;")
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = MessageLabel("graduation_message")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(docs)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rules)
        layout.addWidget(self.message)

    def showEvent(self, event: QShowEvent) -> None:
        """Read the review when the tab is shown (scores may have changed in the other tab)."""
        super().showEvent(event)
        self.reload()

    # --- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        code = self.class_code
        self.ctx.read(lambda s: load_review_data(s, code), self._fill, self)

    def _fill(self, data: ReviewData) -> None:
        first = self.data is None
        self.data = data
        self.model.columns = review_columns(data.pass_fail)
        self.model.set_rows(list(data.rows))
        if first:
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            self.table.resizeColumnsToContents()
        self.status.setText(self._status_text(data))
        self.rules.setText("<b>" + tr("graduation_tab", "Quy định đã áp dụng ({name}):").format(name=data.rule_set)
                           + "</b><br>" + "<br>".join(f"{n}. {line}" for n, line in enumerate(data.rules_lines, 1)))
        number, date = data.decision
        if number and not self.number.text():
            self.number.setText(number)
        if date:
            self.date.setDate(QDate(date.year, date.month, date.day))
        self.review_button.setEnabled(data.may_review)
        self.decision_button.setEnabled(data.may_review)
        self.conduct_button.setEnabled(data.may_review)

    def _status_text(self, data: ReviewData) -> str:
        eligible = [r for r in data.rows if r.eligible]
        what = tr("graduation_tab", "đạt") if data.pass_fail else tr("graduation_tab", "đủ điều kiện tốt nghiệp")
        line = tr("graduation_tab", "{n} học viên; {what}: {ok}; không: {ko}.").format(
            n=len(data.rows), what=what, ok=len(eligible), ko=len(data.rows) - len(eligible))
        counts = Counter(r.classification for r in eligible if r.classification and not data.pass_fail)
        if counts:
            order = [b for b in data.bands if counts.get(b)] + sorted(c for c in counts if c not in data.bands)
            line += " " + tr("graduation_tab", "Xếp loại: {counts}.").format(
                counts=", ".join(f"{name} {counts[name]}" for name in order))
        if data.reviewed_at is None:
            line += " " + tr("graduation_tab", "Chưa lưu kết quả xét: bấm \u201cXét tốt nghiệp\u201d.")
        elif data.stale:
            line += " " + tr("graduation_tab", "Điểm đã thay đổi sau lần xét ngày {date} ({n} học viên khác kết quả "
                                               "đã lưu): bấm \u201cXét tốt nghiệp\u201d để lưu lại.").format(
                date=data.reviewed_at.strftime("%d/%m/%Y %H:%M"), n=data.stale)
        else:
            line += " " + tr("graduation_tab", "Đã xét và lưu ngày {date}.").format(
                date=data.reviewed_at.strftime("%d/%m/%Y %H:%M"))
        return line

    def show_message(self, message: str, *, error: bool = False) -> None:
        self.message.say(message, error=error)

    # --- actions ------------------------------------------------------------------------
    def run_review(self) -> None:
        code = self.class_code

        def job(s: Session) -> int:
            return sum(1 for r in graduation.review(s, code, save=True) if r.eligible)

        def done(eligible: int) -> None:
            self.show_message(tr("graduation_tab", "Đã xét và lưu kết quả: {n} học viên đủ điều kiện.").format(
                n=eligible))
            self.changed.emit()
            self.reload()

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def record_decision(self) -> None:
        code, number = self.class_code, text.clean(self.number.text())
        q = self.date.date()
        date = dt.date(q.year(), q.month(), q.day())

        def job(s: Session) -> tuple[int, str]:
            from dtbd_desktop.services import graduation_decision

            n = graduation.set_decision(s, code, number=number, date=date)
            return n, graduation_decision.load_decision(s, code).number or ""

        def done(result: tuple[int, str]) -> None:
            n, recorded = result
            self.number.setText(recorded)
            self.show_message(tr("graduation_tab", "Đã ghi quyết định số {number} ngày {date} cho {n} học viên.").format(
                number=recorded, date=text.format_date(date), n=n))
            self.changed.emit()
            self.reload()

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def ask_conduct(self, row: ReviewRow) -> dict[str, str] | None:
        """The learner's confirmation, discipline, conduct and the reason (tests patch this)."""
        dialog = ConductDialog(row, self)
        return dialog.values() if dialog.exec() == QDialog.DialogCode.Accepted else None

    def edit_conduct(self) -> None:
        row, code = self.selected(), self.class_code
        if row is None or not row.national_id:
            QMessageBox.information(self, tr("graduation_tab", "Chọn học viên"),
                                    tr("graduation_tab", "Hãy chọn một học viên (có số CCCD) trong danh sách."))
            return
        values = self.ask_conduct(row)
        if values is None:
            return
        national_id = row.national_id

        def job(s: Session) -> int:
            return len(graduation.set_conduct(s, code, national_id, **values))

        def done(n: int) -> None:
            self.show_message(tr("graduation_tab", "Đã ghi {n} thay đổi cho {name}.").format(n=n, name=row.full_name))
            self.reload()

        self.ctx.write(job, done, self, on_failed=self.message.failed)

    def selected(self) -> ReviewRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def ask_print(self, options: PrintOptions) -> PrintChoice | None:
        """The print dialog (tests patch this)."""
        return ask_print(options, self)

    def export(self, kind: str, selected_only: bool = False) -> None:
        code = self.class_code
        national_id = None
        names = {"review": tr("graduation_tab", "Xet tot nghiep {code}"),
                 "decision": tr("graduation_tab", "Quyet dinh cong nhan tot nghiep {code}"),
                 "scores": tr("graduation_tab", "Bang diem tong hop {code}"),
                 "transcript": tr("graduation_tab", "Bang diem ca nhan {code}")}
        if selected_only:
            row = self.selected()
            if row is None or not row.national_id:
                QMessageBox.information(self, tr("graduation_tab", "Chọn học viên"),
                                        tr("graduation_tab", "Hãy chọn một học viên (có số CCCD) trong danh sách."))
                return
            national_id = row.national_id

        def facts(s: Session) -> PrintFacts:
            from dtbd_desktop.services import graduation_decision, outgoing
            from dtbd_desktop.services.classes import get_class

            source = graduation_decision.decision_source(get_class(s, code).id) if kind == "decision" else None
            return outgoing.print_facts(s, source)

        def chosen(found: PrintFacts) -> None:
            decided = self.data.decision if self.data is not None else (None, None)
            options = PrintOptions(
                title=self.documents[kind].text().rstrip("."), file_name=names[kind].format(code=code) + ".pdf",
                patterns=tr("graduation_tab", "PDF (*.pdf);;Excel (*.xlsx)"),
                date=decided[1] or dt.date.today(), numbered=kind == "decision", existing=found.existing,
                may_number=False, head_title=found.head_title, deputy_title=found.deputy_title,
                choose_signer=kind == "decision" and found.existing is None,
                draft_note=tr("graduation_tab", "Chưa ghi quyết định: bấm \u201cGhi quyết định\u201d để lấy số; in bây "
                                                "giờ là bản nháp (số và ngày để trống nếu không chọn ngày)."))
            choice = self.ask_print(options)
            if choice is not None:
                self._write_document(kind, choice, national_id, found.existing is not None)

        self.ctx.read(facts, chosen, self, on_failed=self.message.failed)

    def _write_document(self, kind: str, choice: PrintChoice, national_id: str | None, numbered: bool) -> None:
        code, path = self.class_code, choice.path

        def job(s: Session, _progress: Any) -> int:
            if kind == "decision":
                return graduation_reports.export_decision(s, code, path, on=None if numbered else choice.date,
                                                          deputy=choice.deputy)
            return graduation_reports.export_document(s, code, kind, path, national_id=national_id, on=choice.date)

        self.ctx.export(job, lambda _n: self.show_message(tr("graduation_tab", "Đã lưu {path}.").format(path=path)),
                        self, self.message.failed, progress_label=tr("graduation_tab", "Đang in..."))
