"""A learner's record: edited (`LearnerDialog`, from *Học viên* and from a class's roster), or
typed in by hand for a person the import refused and enrolled in the class (`NewLearnerDialog`).

Saving asks the core first what it would refuse or ask about (`review_update`, `review_new`, on
the read lane), shows the problems on the fields, asks about warnings and people of the same name
and birth, asks for the reason of a change to an identity field, then calls the operation. A
record someone else saved meanwhile is refused by the core (the version check) and said here;
nothing is overwritten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import fields as dataclass_fields
from typing import Any

import shiboken6
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, DtbdError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.table_model import Column, RowTableModel
from dtbd_desktop.gui.tasks import error_text
from dtbd_desktop.gui.widgets import copy_papers
from dtbd_desktop.gui.widgets.common import Buttons, MessageLabel, ask_reason
from dtbd_desktop.gui.widgets.learner_form import FormValue, LearnerForm
from dtbd_desktop.gui.widgets.screen_fit import fit_to_screen
from dtbd_desktop.rules.learner_fields import PersonFields
from dtbd_desktop.services import learners
from dtbd_desktop.services.learners import HistoryRow, LearnerChoices, LearnerDetail, LearnerReview

CERT_STATUS = {"issued": "Đã cấp", "revoked": "Đã thu hồi", "replaced": "Đã cấp lại"}


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


def messages(problems: Sequence[Problem]) -> str:
    return "\n".join("• " + p.message for p in problems)


class _RecordDialog(QDialog):
    """What both dialogs share: the form, a line of news under it, the buttons."""

    def __init__(self, choices: LearnerChoices, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.form = LearnerForm(choices, self)
        self.message = MessageLabel("learner_message")
        self.buttons = QDialogButtonBox()
        self.busy = False

    def say(self, message: str, *, error: bool = False) -> None:
        self.message.say(message, error=error)

    def refused(self, problems: Sequence[Problem], read: Sequence[Problem] = ()) -> None:
        """Show what refuses the record: what the form could not read first, then the core's
        problems with the other fields."""
        unread = {p.field for p in read}
        shown = [*read, *(p for p in problems if not (p.field in unread or
                                                     (p.field == "birth_date" and "birth_date" in unread)))]
        self.form.show_problems(shown)
        self.say(messages(shown), error=True)

    def failed(self, exc: BaseException) -> None:
        self.busy = False
        if not shiboken6.isValid(self):
            return
        if isinstance(exc, DtbdError) and exc.problems:
            self.form.show_problems(exc.problems)
        self.say(error_text(exc), error=True)

    def review_passed(self, value: FormValue, review: LearnerReview, question: str) -> bool:
        """After the core's review of the form: False (and said) when it refused something, or
        warned and the person chose to look again; `question` holds "{warnings}"."""
        self.busy = False
        if not shiboken6.isValid(self):
            return False
        if review.problems or value.problems:
            self.refused(review.problems, value.problems)
            return False
        if review.warnings and not self.confirm(tr("learner_dialog", "Kiểm tra lại hồ sơ"),
                                                question.format(warnings=messages(review.warnings))):
            self.form.show_problems(review.warnings)
            return False
        return True

    def confirm(self, title: str, question: str) -> bool:
        return QMessageBox.question(self, title, question) == QMessageBox.StandardButton.Yes

    def ask_reason(self, question: str) -> str | None:
        return ask_reason(self, tr("learner_dialog", "Lý do sửa hồ sơ"), question)

    def launch(self) -> None:
        """Show the dialog (window-modal, not blocking: tests drive it)."""
        self.open()


class LearnerDialog(_RecordDialog):
    """A person's record, editable by those who may change rosters, with their training history."""

    saved = Signal()

    def __init__(self, ctx: AppContext, detail: LearnerDetail, choices: LearnerChoices, may_edit: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self.ctx = ctx
        self.detail = detail
        fit_to_screen(self, 1000, 640)
        self.form.set_read_only(not may_edit)
        self.history = RowTableModel(history_columns(), self)
        table = QTableView()
        table.setObjectName("history_table")
        table.setModel(self.history)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().setVisible(False)
        self.history_table = table
        self.save_button = QPushButton(tr("learner_dialog", "Lưu"))
        self.save_button.setObjectName("learner_save")
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setVisible(may_edit)  # after joining the box, which shows its buttons
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("learner_dialog", "Đóng"))
        self.save_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.form.changed.connect(lambda: self.save_button.setEnabled(bool(self.changes()[0])))
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addWidget(QLabel(tr("learners_view", "Quá trình học tập tại Trung tâm:")))
        layout.addWidget(table, 1)
        # Papers printed from the register line of the document chosen above (lost diplomas).
        self.papers = Buttons("learner_paper")
        layout.addLayout(self.papers.row([
            ("copy", tr("learner_dialog", "In bản sao văn bằng..."), lambda: self.print_paper("copy")),
            ("confirm", tr("learner_dialog", "In giấy xác nhận tốt nghiệp..."), lambda: self.print_paper("confirm"))]))
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._update_papers())
        layout.addWidget(self.buttons)
        self.show_detail(detail)
        self._update_papers()
        if not may_edit:
            self.say(tr("learner_dialog", "Tài khoản của bạn chỉ được xem hồ sơ."))

    def chosen_document(self) -> HistoryRow | None:
        """The history line chosen, when it holds a live document."""
        rows = self.history_table.selectionModel().selectedRows()
        row = self.history.rows[rows[0].row()] if rows else None
        return row if row is not None and row.serial and row.certificate_status == "issued" else None

    def _update_papers(self) -> None:
        live = self.chosen_document() is not None
        for key in copy_papers.KINDS:
            self.papers[key].setEnabled(live)
            self.papers[key].setToolTip("" if live else tr("learner_dialog", "Chọn một dòng có văn bằng, chứng chỉ còn "
                                                                             "hiệu lực."))

    def choose_pdf(self, suggested: str) -> str:
        """The file to write (tests patch this method)."""
        return copy_papers.choose_pdf(self, suggested)

    def print_paper(self, kind: str) -> None:
        """A copy from the register (or a confirmation of graduation) of the chosen document, dated
        today, asked for by the learner."""
        row = self.chosen_document()
        if row is None or row.serial is None:
            return
        out = self.choose_pdf(copy_papers.suggested_name(kind, row.serial))
        if out:
            copy_papers.write_paper(self.ctx, self, kind, row.serial, out, dt.date.today(), self.detail.row.full_name,
                                    self.say, self.failed)

    def show_detail(self, detail: LearnerDetail) -> None:
        self.detail = detail
        self.setWindowTitle(tr("learner_dialog", "Hồ sơ học viên {name}").format(name=detail.row.full_name))
        self.form.set_value(detail.fields, detail.organisation_id)
        self.history.set_rows(detail.history)
        self.history_table.resizeColumnsToContents()
        self.save_button.setEnabled(False)

    def changes(self) -> tuple[dict[str, Any], FormValue]:
        """The fields the form changes (by the record's names), and what it holds."""
        value = self.form.value()
        before, after = self.detail.fields, value.fields
        changed = {f.name: getattr(after, f.name) for f in dataclass_fields(PersonFields)
                   if getattr(after, f.name) != getattr(before, f.name)}
        if value.organisation_id != self.detail.organisation_id:
            changed["organisation_id"] = value.organisation_id
        return changed, value

    def save(self) -> None:
        if self.busy:
            return
        changes, value = self.changes()
        if not changes and not value.problems:
            self.say(tr("learner_dialog", "Không có gì thay đổi."))
            return
        learner_id = self.detail.row.id
        self.busy = True
        self.ctx.read(lambda s: learners.review_update(s, learner_id, changes),
                      lambda review: self._reviewed(changes, value, review), self, on_failed=self.failed)

    def _reviewed(self, changes: dict[str, Any], value: FormValue, review: LearnerReview) -> None:
        if not self.review_passed(value, review, tr("learner_dialog", "{warnings}\n\nVẫn lưu hồ sơ?")):
            return
        identity = [name for name in learners.IDENTITY_FIELDS if name in changes]
        reason: str | None = None
        if identity:
            reason = self.ask_reason(tr("learner_dialog", "Sửa {fields} của {name}: lý do (ghi vào nhật ký, ví dụ "
                                                          "\"theo CCCD bản gốc\"):").format(
                fields=", ".join(tr("learners", learners.FIELD_LABELS[n]) for n in identity),
                name=self.detail.row.full_name))
            if reason is None:
                return
            if not reason:
                self.say(tr("learner_dialog", "Chưa lưu: sửa họ tên, ngày sinh, giới tính, dân tộc, số CCCD hay nơi "
                                              "sinh cần ghi lý do."), error=True)
                return
        learner_id, version = self.detail.row.id, self.detail.version

        def job(session: Session) -> LearnerDetail:
            learners.update_learner(session, learner_id, expected_version=version, reason=reason, **changes)
            return learners.learner_detail(session, learner_id)

        self.busy = True
        self.ctx.write(job, self._saved, self, on_failed=self._save_failed)

    def _saved(self, detail: LearnerDetail) -> None:
        self.busy = False
        if not shiboken6.isValid(self):
            return
        self.show_detail(detail)
        self.say(tr("learner_dialog", "Đã lưu hồ sơ của {name}.").format(name=detail.row.full_name))
        self.saved.emit()

    def _save_failed(self, exc: BaseException) -> None:
        self.failed(exc)
        if isinstance(exc, ConflictError) and shiboken6.isValid(self):
            self.say(error_text(exc) + " " + tr("learner_dialog", "Những gì bạn vừa sửa chưa được lưu; đóng hồ sơ, "
                                                                  "mở lại rồi sửa lại."), error=True)


class NewLearnerDialog(_RecordDialog):
    """A person typed in by hand, made and enrolled in the class in one step. `name` prefills the
    form (what was searched for: a name, or a national ID)."""

    created = Signal(str)  # the person's name

    def __init__(self, ctx: AppContext, class_code: str, choices: LearnerChoices, name: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(choices, parent)
        self.ctx = ctx
        self.class_code = class_code
        self.setWindowTitle(tr("learner_dialog", "Thêm học viên mới vào lớp {code}").format(code=class_code))
        fit_to_screen(self, 1000, 420)
        note = QLabel(tr("learner_dialog", "Cho người chưa có hồ sơ (ví dụ dòng bị từ chối khi nhập danh sách). Các "
                                           "ô được kiểm tra như khi nhập từ Excel. Người đã học ở Trung tâm thì tìm "
                                           "và chọn ở \"Thêm học viên...\"."))
        note.setWordWrap(True)
        self.add_button = QPushButton(tr("learner_dialog", "Thêm vào lớp"))
        self.add_button.setObjectName("learner_add")
        self.buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(tr("learner_dialog", "Hủy"))
        self.add_button.clicked.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.form)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        typed = name.strip()
        if typed.replace(" ", "").isdigit():
            self.form.national_id.setText(typed)
            self.form.national_id.textEdited.emit(typed)  # the gender its digits say
        elif typed:
            self.form.full_name.setText(typed)
            self.form.full_name.textEdited.emit(typed)
        self.form.ethnicity.setCurrentText("Kinh")

    def save(self) -> None:
        if self.busy:
            return
        value = self.form.value()
        code, fields, organisation = self.class_code, value.fields, value.organisation_id
        self.busy = True
        self.ctx.read(lambda s: learners.review_new(s, code, fields, organisation_id=organisation),
                      lambda review: self._reviewed(value, review), self, on_failed=self.failed)

    def _reviewed(self, value: FormValue, review: LearnerReview) -> None:
        if not self.review_passed(value, review, tr("learner_dialog", "{warnings}\n\nVẫn thêm học viên?")):
            return
        if review.duplicates and not self.confirm(tr("learner_dialog", "Có thể trùng người"), tr(
                "learner_dialog", "Đã có hồ sơ cùng họ tên và ngày sinh:\n{people}\n\nĐây là một người khác: tạo hồ "
                                  "sơ mới? (Nếu là cùng một người thì không tạo, mà tìm và chọn họ ở \"Thêm học "
                                  "viên...\".)").format(people="\n".join("• " + d for d in review.duplicates))):
            return
        code, fields, organisation = self.class_code, value.fields, value.organisation_id
        checked = bool(review.duplicates)

        def create(session: Session) -> str:
            return learners.create_learner(session, code, fields, organisation_id=organisation,
                                           same_name_checked=checked).learner.full_name

        self.busy = True
        self.ctx.write(create, self._created, self, on_failed=self.failed)

    def _created(self, name: str) -> None:
        self.busy = False
        if not shiboken6.isValid(self):
            return
        self.created.emit(name)
        self.accept()


def load_record(session: Session, learner_id: int) -> tuple[LearnerDetail, LearnerChoices, bool]:
    """What `LearnerDialog` shows: the record, the form's choices, whether this person may edit."""
    from dtbd_desktop.trust import operations

    return (learners.learner_detail(session, learner_id), learners.learner_choices(session),
            operations.may(session, "edit_roster"))
