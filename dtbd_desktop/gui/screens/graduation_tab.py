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
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.print_dialog import PrintChoice, PrintOptions, ask_print
from dtbd_desktop.gui.screens.conduct_panel import ConductPanel
from dtbd_desktop.gui.table_model import ROW_ROLE, Column, RowTableModel, name_sort
from dtbd_desktop.gui.widgets import ask
from dtbd_desktop.gui.widgets.common import MessageLabel, to_date
from dtbd_desktop.gui.widgets.date_field import DateField
from dtbd_desktop.gui.widgets.list_screen import RowList
from dtbd_desktop.gui.widgets.transcript_print import TranscriptPrinter, install_row_menu, signing_date_edit
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
    finals: tuple[tuple[str, str], ...] = ()  # the graduation exams and thesis: (code, name)
    essay: tuple[str, str] | None = None  # a short course's bài thu hoạch module: (code, name)
    rules: Mapping[str, Any] = field(default_factory=dict)


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
    modules = review.data.modules
    finals = tuple((m.code, m.name) for m in modules if m.kind in graduation_rules.FINAL_KINDS)
    essay = None
    if review.pass_fail and review.rules.get("graded_essay"):
        code = graduation_rules.essay_module_code([review.data.module_result(0, m) for m in modules], review.rules)
        essay = next(((m.code, m.name) for m in modules if m.code == code), None)
    return ReviewData(
        finals=() if review.pass_fail else finals, essay=essay, rules=review.rules,
        rows=review.rows, pass_fail=review.pass_fail, rule_set=review.data.rule_set_name,
        rules_lines=tuple(review.rules_lines), bands=tuple(b["name"] for b in review.rules.get("bands", [])),
        reviewed_at=max((s.reviewed_at for s in stored.values()), default=None), stale=stale,
        decision=(decided.decision_number, decided.decision_date) if decided else (None, None), may_review=may_review)


def _notes(r: ReviewRow) -> str:
    return "; ".join(r.reasons) if not r.eligible else "; ".join(r.outcome.downgrades)


def _module_score(code: str) -> Column[ReviewRow]:
    def score(r: ReviewRow) -> Decimal | None:
        return next((m.counted for m in r.modules if m.code == code), None)

    return Column(code, lambda r: score_text(score(r)), sort=lambda r: score(r) or Decimal(-1), align=CENTER)


def _final_column(code: str, name: str) -> Column[ReviewRow]:
    column = _module_score(code)
    column.tooltip = lambda r: name + ("" if code in r.outcome.final_modules or r.outcome.final_modules == () else
                                       tr("graduation_tab", " (không tính: học viên được xét theo {codes})").format(
                                           codes=", ".join(r.outcome.final_modules)))
    return column


def review_columns(data: ReviewData | None = None) -> list[Column[ReviewRow]]:
    """The review's columns: every score that decides the result (the module average; the
    graduation exams and thesis of long training; a short course's bài thu hoạch), the band and
    which score and band gave it, then the result and why."""
    pass_fail = bool(data and data.pass_fail)
    rules = data.rules if data is not None else {}
    shared = Decimal(str(rules.get("final_share", 0) or 0)) > 0
    scores: list[Column[ReviewRow]] = []
    if pass_fail:
        scores.append(Column(tr("graduation_tab", "Điểm TB"), lambda r: score_text(r.average, 2),
                             sort=lambda r: r.average or Decimal(-1), align=CENTER))
        if data is not None and data.essay is not None:
            essay = _module_score(data.essay[0])
            essay.title = tr("graduation_tab", "Bài thu hoạch")
            scores.append(essay)
    else:
        scores.append(Column(tr("graduation_tab", "TB học phần"), lambda r: score_text(
            r.outcome.module_average if shared else r.average, 2), sort=lambda r: r.average or Decimal(-1),
            align=CENTER))
        scores += [_final_column(code, name) for code, name in (data.finals if data is not None else ())]
        if shared:
            scores.append(Column(tr("graduation_tab", "Điểm xét TN"), lambda r: score_text(r.average, 2),
                                 sort=lambda r: r.average or Decimal(-1), align=CENTER))
    return [
        Column(tr("graduation_tab", "Hạng"), lambda r: r.rank, sort=lambda r: r.rank or 10**6, align=CENTER),
        Column(tr("graduation_tab", "Họ và tên"), lambda r: r.full_name, sort=lambda r: name_sort(r.full_name)),
        Column(tr("graduation_tab", "Ngày sinh"), lambda r: r.learner.birth_text, align=CENTER),
        *scores,
        Column(tr("graduation_tab", "Xếp loại"),
               lambda r: (r.outcome.essay_band or "") if pass_fail else (r.classification or "")),
        Column(tr("graduation_tab", "Căn cứ xếp loại"),
               lambda r: graduation_rules.classification_basis(r.outcome, rules) if rules else ""),
        Column(tr("graduation_tab", "Kết quả"),
               lambda r: (tr("graduation_tab", "Đạt") if r.eligible else tr("graduation_tab", "Không đạt")) if pass_fail
               else (tr("graduation_tab", "Đủ điều kiện") if r.eligible else tr("graduation_tab", "Không đủ điều kiện"))),
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
        self.date = DateField(QDate.currentDate())
        self.date.setObjectName("decision_date")
        self.decision_button = QPushButton(tr("graduation_tab", "Ghi quyết định"))
        self.decision_button.setObjectName("graduation_decision")
        self.decision_button.clicked.connect(self.record_decision)
        self.conduct_button = QPushButton(tr("graduation_tab", "Nhận xét, kỷ luật..."))
        self.conduct_button.setObjectName("graduation_conduct")
        self.conduct_button.setToolTip(tr("graduation_tab", "Nhận xét của cơ quan cử đi học, kỷ luật, rèn luyện của cả "
                                                            "lớp (con trỏ ở học viên đang chọn)"))
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
        self.sign_date = signing_date_edit("document_date")
        docs.addSpacing(12)
        docs.addWidget(QLabel(tr("graduation_tab", "Ngày ký:")))
        docs.addWidget(self.sign_date)
        docs.addStretch(1)

        self.status = QLabel()
        self.status.setObjectName("graduation_status")
        self.status.setWordWrap(True)
        # No row numbers: the rank is the first column.
        self.listing: RowList[ReviewRow] = RowList([], "graduation_table", self,
                                                   model=ReviewModel(review_columns(), self))
        self.model, self.proxy, self.table = self.listing.model, self.listing.proxy, self.listing.table
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.rules = QLabel()
        self.rules.setObjectName("graduation_rules")
        self.rules.setWordWrap(True)
        self.rules.setStyleSheet("font-size: 11px; color: #333;")
        self.rules.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = MessageLabel("graduation_message")
        self.transcripts = TranscriptPrinter(ctx, class_code, self, self.message)
        install_row_menu(self.table, self._learner_at, self.transcripts)

        review_page = QWidget()
        layout = QVBoxLayout(review_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(docs)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.rules)
        layout.addWidget(self.message)

        self.conduct = ConductPanel(ctx, class_code, self)
        self.conduct.changed.connect(self._conduct_changed)
        self.pages = QStackedWidget()
        self.pages.addWidget(review_page)
        self.pages.addWidget(self.conduct)
        self.show_review = QRadioButton(tr("graduation_tab", "Kết quả xét tốt nghiệp"))
        self.show_review.setChecked(True)
        self.show_conduct = QRadioButton(tr("graduation_tab", "Rèn luyện, nhận xét của cơ quan cử đi học (cả lớp)"))
        self.show_conduct.setObjectName("graduation_show_conduct")
        self.show_conduct.toggled.connect(lambda on: self.pages.setCurrentIndex(1 if on else 0))
        switch = QHBoxLayout()
        switch.addWidget(self.show_review)
        switch.addWidget(self.show_conduct)
        switch.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addLayout(switch)
        outer.addWidget(self.pages, 1)
        self._conduct_dirty = False

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
        columns = review_columns(data)
        reshaped = [c.title for c in columns] != [c.title for c in self.model.columns]
        self.model.columns = columns
        self.model.set_rows(list(data.rows))
        if first or reshaped:
            self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
            self.table.resizeColumnsToContents()
            last = self.model.columnCount() - 1  # the reasons: whole in the tooltip, the width is the window's
            self.table.setColumnWidth(last, min(self.table.columnWidth(last), 360))
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
        """Store the review; once the class has its decision, first say what a new review changes."""
        code = self.class_code
        if self.data is not None and self.data.decision[0]:
            self.ctx.read(lambda s: graduation.review_effects(s, code), self._review_after_question, self)
        else:
            self._store_review()

    def _review_after_question(self, effects: graduation.ReviewEffects) -> None:
        if effects.decision is None or self.confirm_review(effects):
            self._store_review()

    def confirm_review(self, effects: graduation.ReviewEffects) -> bool:
        number, date = effects.decision or ("", None)
        question = tr("graduation_tab", "Lớp {code} đã có quyết định công nhận tốt nghiệp số {number}{date}. Xét lại sẽ "
                                        "thay kết quả đã lưu bằng kết quả theo điểm, nhận xét và kỷ luật hiện nay.").format(
            code=self.class_code, number=number,
            date=tr("graduation_tab", " ngày {date}").format(date=text.format_date(date)) if date else "")
        lines = []
        if not effects.changes:
            lines.append(tr("graduation_tab", "Không học viên nào đổi kết quả: chỉ ghi lại ngày xét."))
        else:
            changed = [tr("graduation_tab", "{n} học viên đổi kết quả:").format(n=len(effects.changes))]
            changed += [f"• {c.full_name}: {c.old or '–'} → {c.new or tr('graduation_tab', '(không còn xét ở lớp này)')}"
                        for c in effects.changes[:8]]
            if len(effects.changes) > 8:
                changed.append(tr("graduation_tab", "• và {n} học viên khác.").format(n=len(effects.changes) - 8))
            lines.append("\n".join(changed))
        losing = effects.losing_decision
        if losing:
            lines.append(tr("graduation_tab", "{n} học viên không còn đủ điều kiện sẽ bị bỏ khỏi quyết định số {number}: "
                                              "{names}.").format(n=len(losing), number=number,
                                                                 names=ask.names_text([c.full_name for c in losing])))
        gained = [c for c in effects.changes if c.now_eligible and not c.was_eligible]
        if gained:
            lines.append(tr("graduation_tab", "{n} học viên mới đủ điều kiện chưa có số quyết định: {names}; ghi lại "
                                              "quyết định cho họ nếu họ thuộc quyết định này.").format(
                n=len(gained), names=ask.names_text([c.full_name for c in gained])))
        holders = effects.with_documents
        if holders:
            lines.append(tr("graduation_tab", "{n} học viên đổi kết quả đã được cấp văn bằng ({serials}): văn bằng và sổ "
                                              "gốc vẫn giữ nội dung cũ; nếu cần, thu hồi hoặc cấp lại ở thẻ “Văn "
                                              "bằng, chứng chỉ”.").format(
                n=len(holders), serials=ask.names_text([c.document or "" for c in holders], most=6)))
        lines.append(tr("graduation_tab", "Học viên vẫn đủ điều kiện giữ số quyết định. Mỗi thay đổi được ghi vào nhật ký."))
        return ask.before(self, tr("graduation_tab", "Xét lại lớp đã có quyết định"), question,
                          tr("graduation_tab", "Xét lại và lưu"), details="\n\n".join(lines))

    def _store_review(self) -> None:
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
        problem = self.date.problem()
        if problem is not None:
            self.date.commit()
            self.message.say(problem, error=True)
            return
        q = self.date.date()
        date = dt.date(q.year(), q.month(), q.day())
        old_number, old_date = self.data.decision if self.data is not None else (None, None)
        # A typed number other than the recorded one replaces the decision: asked first. Left empty,
        # the book gives the number (the recorded decision stays when its date is the same).
        if old_number and number and (old_number, old_date) != (number, date) and not ask.before(
                self, tr("graduation_tab", "Thay quyết định đã ghi"),
                tr("graduation_tab", "Lớp {code} đã ghi quyết định số {old} ngày {old_date}. Thay bằng số {number} ngày "
                                     "{date} cho mọi học viên đủ điều kiện?").format(
                    code=code, old=old_number, old_date=text.format_date(old_date) if old_date else "–",
                    number=text.clean(number) or "–", date=text.format_date(date)),
                tr("graduation_tab", "Thay quyết định"),
                details=tr("graduation_tab", "Danh sách công nhận và văn bằng in từ nay mang số mới; văn bằng đã in vẫn "
                                             "ghi số cũ. Số cũ được ghi vào nhật ký.")):
            return

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

    def show_page(self, page: str) -> None:
        """"review" or "conduct" (the two views of the tab)."""
        (self.show_conduct if page == "conduct" else self.show_review).setChecked(True)

    def edit_conduct(self) -> None:
        """The class's conduct grid, the cursor on the learner selected in the review."""
        row = self.selected()
        self.show_page("conduct")
        if row is not None:
            enrolment_id = row.enrolment_id
            if self.conduct.sheet is None:
                self.ctx.read(lambda _s: None, lambda _r: self.conduct.select_learner(enrolment_id), self)
            else:
                self.conduct.select_learner(enrolment_id)

    def _conduct_changed(self) -> None:
        self.changed.emit()
        self.reload()

    def selected(self) -> ReviewRow | None:
        indexes = self.table.selectionModel().selectedRows()
        return indexes[0].data(ROW_ROLE) if indexes else None

    def ask_print(self, options: PrintOptions) -> PrintChoice | None:
        """The print dialog (tests patch this)."""
        return ask_print(options, self)

    def _learner_at(self, index: Any) -> tuple[int, str] | None:
        row: ReviewRow | None = index.sibling(index.row(), 0).data(ROW_ROLE)
        return (row.enrolment_id, row.full_name) if row is not None else None

    def export(self, kind: str, selected_only: bool = False) -> None:
        code = self.class_code
        names = {"review": tr("graduation_tab", "Xet tot nghiep {code}"),
                 "decision": tr("graduation_tab", "Quyet dinh cong nhan tot nghiep {code}"),
                 "scores": tr("graduation_tab", "Bang diem tong hop {code}"),
                 "transcript": tr("graduation_tab", "Bang diem ca nhan {code}")}
        if selected_only:
            row = self.selected()
            if row is None:
                QMessageBox.information(self, tr("graduation_tab", "Chọn học viên"),
                                        tr("graduation_tab", "Hãy chọn một học viên trong danh sách."))
                return
            self.transcripts.print_for(row.enrolment_id, row.full_name)
            return
        national_id = None

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
                date=(decided[1] or dt.date.today()) if kind == "decision" else to_date(self.sign_date.date()),
                numbered=kind == "decision", existing=found.existing,
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

        self.ctx.export(job, lambda _n: self.message.saved_file(tr("graduation_tab", "Đã lưu {path}.").format(path=path),
                                                                Path(path)),
                        self, self.message.failed, progress_label=tr("graduation_tab", "Đang in..."))
