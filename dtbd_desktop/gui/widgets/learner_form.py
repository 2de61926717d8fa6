"""A learner's record as a form: the fields the import reads, in two columns, for editing a
record (`dialogs.learner_dialog.LearnerDialog`) and for a person typed in by hand
(`NewLearnerDialog`).

The whole name typed in one field is split into họ, đệm and tên as the import splits it (each
part stays editable for a name the rule gets wrong); a birth is a date or a year alone; Party
membership is "Chưa rõ" (not known), "Có" or "Không". The form only reads and shows values: the
checks are the core's (`services.learners.review_*`), shown here field by field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.rules.learner_fields import PersonFields, capitalise_name
from dtbd_desktop.services.learners import LearnerChoices

PROBLEM_STYLE = "border: 1px solid #b71c1c; background: #fef2f2;"
PARTY = ((None, tr_noop("learner_form", "Chưa rõ")), (True, tr_noop("learner_form", "Có")),
         (False, tr_noop("learner_form", "Không")))


@dataclass(frozen=True)
class FormValue:
    """What the form holds: the fields, the organisation chosen, and what could not be read."""

    fields: PersonFields
    organisation_id: int | None
    problems: list[Problem]


def _line(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _choice(name: str, values: Sequence[str]) -> QComboBox:
    """An editable list: one of the values already used, or anything typed."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setEditable(True)
    combo.addItems(["", *values])
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    return combo


class LearnerForm(QWidget):
    changed = Signal()  # anything typed or chosen

    def __init__(self, choices: LearnerChoices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._splitting = False
        self.full_name = _line("learner_full_name", tr("learner_form", "Họ và tên, ví dụ: Nguyễn Văn An"))
        self.family = _line("learner_family")
        self.middle = _line("learner_middle")
        self.given = _line("learner_given")
        self.birth = _line("learner_birth", tr("learner_form", "dd/mm/yyyy, hoặc năm sinh"))
        self.gender = QComboBox()
        self.gender.setObjectName("learner_gender")
        for code, label in ((None, ""), ("M", text.gender_label("M")), ("F", text.gender_label("F"))):
            self.gender.addItem(label, code)
        self.ethnicity = _choice("learner_ethnicity", choices.ethnicities)
        self.national_id = _line("learner_national_id", tr("learner_form", "12 chữ số"))
        self.place_of_birth = _line("learner_place_of_birth")
        self.hometown = _line("learner_hometown")
        self.party = QComboBox()
        self.party.setObjectName("learner_party")
        for value, label in PARTY:
            self.party.addItem(tr("learner_form", label), value)
        self.party_date = _line("learner_party_date", tr("learner_form", "ngày vào Đảng, dd/mm/yyyy"))
        self.position = _line("learner_position")
        self.organisation = QComboBox()
        self.organisation.setObjectName("learner_organisation")
        self.organisation.setEditable(True)
        self.organisation.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.organisation.addItem(tr("learner_form", "(chưa có)"), None)
        for org_id, name in choices.organisations:
            self.organisation.addItem(name, org_id)
        completer = QCompleter(self.organisation.model(), self.organisation)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.organisation.setCompleter(completer)
        self.education = _choice("learner_education", choices.education_levels)
        self.theory = _choice("learner_theory", choices.theory_levels)
        self.phone = _line("learner_phone")

        parts = QHBoxLayout()
        parts.setContentsMargins(0, 0, 0, 0)
        for label, edit, stretch in ((tr("learner_form", "Họ"), self.family, 2),
                                     (tr("learner_form", "Đệm"), self.middle, 3),
                                     (tr("learner_form", "Tên"), self.given, 2)):
            edit.setPlaceholderText(label)
            edit.setToolTip(label)
            parts.addWidget(edit, stretch)
        party = QHBoxLayout()
        party.setContentsMargins(0, 0, 0, 0)
        party.addWidget(self.party)
        party.addWidget(self.party_date, 1)
        left, right = QFormLayout(), QFormLayout()
        for form, rows in (
            (left, ((tr("learner_form", "Họ và tên:"), self.full_name),
                    (tr("learner_form", "Họ / đệm / tên:"), parts),
                    (tr("learner_form", "Ngày sinh:"), self.birth),
                    (tr("learner_form", "Giới tính:"), self.gender),
                    (tr("learner_form", "Dân tộc:"), self.ethnicity),
                    (tr("learner_form", "Số CCCD:"), self.national_id),
                    (tr("learner_form", "Nơi sinh:"), self.place_of_birth))),
            (right, ((tr("learner_form", "Quê quán:"), self.hometown),
                     (tr("learner_form", "Đảng viên:"), party),
                     (tr("learner_form", "Chức vụ:"), self.position),
                     (tr("learner_form", "Đơn vị:"), self.organisation),
                     (tr("learner_form", "Trình độ chuyên môn:"), self.education),
                     (tr("learner_form", "Trình độ LLCT:"), self.theory),
                     (tr("learner_form", "Điện thoại:"), self.phone))),
        ):
            for label, widget in rows:
                form.addRow(label, widget)
        columns = QHBoxLayout(self)
        columns.setContentsMargins(0, 0, 0, 0)
        columns.addLayout(left, 1)
        columns.addSpacing(16)
        columns.addLayout(right, 1)

        self.widgets: dict[str, QWidget] = {
            "family_name": self.family, "middle_name": self.middle, "given_name": self.given,
            "birth_date": self.birth, "birth_year": self.birth, "gender": self.gender, "ethnicity": self.ethnicity,
            "national_id": self.national_id, "place_of_birth": self.place_of_birth, "hometown": self.hometown,
            "party_member": self.party, "party_join_date": self.party_date, "position": self.position,
            "organisation_id": self.organisation, "education_level": self.education, "theory_level": self.theory,
            "phone": self.phone}
        self.full_name.textEdited.connect(self._split)
        self.full_name.editingFinished.connect(lambda: self._join(""))  # shown as it will be kept
        for edit in (self.family, self.middle, self.given):
            edit.textEdited.connect(self._join)
        for line in (self.full_name, self.family, self.middle, self.given, self.birth, self.national_id,
                     self.place_of_birth, self.hometown, self.party_date, self.position, self.phone):
            line.textEdited.connect(lambda _t: self.changed.emit())
        for combo in (self.ethnicity, self.education, self.theory, self.organisation):
            combo.editTextChanged.connect(lambda _t: self.changed.emit())
        for combo in (self.gender, self.party, self.organisation):
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.party.currentIndexChanged.connect(lambda _i: self._party_changed())
        self.national_id.textEdited.connect(self._gender_from_id)
        self._party_changed()

    # --- the name in one field or in parts ------------------------------------------------------
    def _split(self, full: str) -> None:
        """The whole name typed: split (and capitalised) as the import does it."""
        try:
            family, middle, given = text.split_full_name(capitalise_name(text.nfc(full)))
        except ValueError:
            family = middle = given = ""
        for edit, part in ((self.family, family), (self.middle, middle), (self.given, given)):
            edit.setText(part)

    def _join(self, _typed: str) -> None:
        self.full_name.setText(text.join_name(self.family.text(), self.middle.text(), self.given.text()))

    def _party_changed(self) -> None:
        member = self.party.currentData() is True
        self.party_date.setEnabled(member)
        if not member:
            self.party_date.clear()

    # --- values -------------------------------------------------------------------------------
    def set_value(self, fields: PersonFields, organisation_id: int | None) -> None:
        self.family.setText(fields.family_name)
        self.middle.setText(fields.middle_name)
        self.given.setText(fields.given_name)
        self._join("")
        self.birth.setText(fields.birth_text)
        self.gender.setCurrentIndex(max(0, self.gender.findData(fields.gender)))
        self.ethnicity.setCurrentText(fields.ethnicity or "")
        self.national_id.setText(fields.national_id or "")
        self.place_of_birth.setText(fields.place_of_birth or "")
        self.hometown.setText(fields.hometown or "")
        self.party.setCurrentIndex(max(0, self.party.findData(fields.party_member)))
        self._party_changed()
        self.party_date.setText(text.format_date(fields.party_join_date) if fields.party_join_date else "")
        self.position.setText(fields.position or "")
        index = self.organisation.findData(organisation_id)
        self.organisation.setCurrentIndex(max(0, index))
        self.education.setCurrentText(fields.education_level or "")
        self.theory.setCurrentText(fields.theory_level or "")
        self.phone.setText(fields.phone or "")
        self.show_problems([])

    def _organisation(self) -> tuple[bool, int | None]:
        """(found, id) of the organisation whose name is in the box, typed or chosen; an empty box
        and "(chưa có)" are found, with no id."""
        typed = self.organisation.currentText().strip()
        if not typed:
            return True, None
        index = self.organisation.findText(typed, Qt.MatchFlag.MatchFixedString)
        if index < 0:
            return False, None
        value = self.organisation.itemData(index)
        return True, value if isinstance(value, int) else None

    def _gender_from_id(self, typed: str) -> None:
        """CCCD digit 4 codes the gender (as the import reads it when a list has no gender column):
        filled in while none is chosen."""
        digits = "".join(ch for ch in typed if ch.isdigit())
        if len(digits) == 12 and self.gender.currentData() is None and digits[3] in "0123":
            self.gender.setCurrentIndex(self.gender.findData("M" if digits[3] in "02" else "F"))

    def value(self) -> FormValue:
        problems: list[Problem] = []
        birth_date: dt.date | None = None
        birth_year: int | None = None
        if self.birth.text().strip():
            try:
                birth_date, birth_year = text.parse_date(self.birth.text())
            except text.DateParseError as exc:
                problems.append(Problem(tr("learner_form", "Ngày sinh: {error}.").format(error=exc.message),
                                        field="birth_date"))
        joined: dt.date | None = None
        if self.party_date.isEnabled() and self.party_date.text().strip():
            try:
                joined, year = text.parse_date(self.party_date.text())
                if joined is None:
                    problems.append(Problem(tr("roster_import", "Ngày vào Đảng chỉ có năm {year}: ghi đủ ngày dạng "
                                                                "dd/mm/yyyy, hoặc để trống.").format(year=year),
                                            field="party_join_date"))
            except text.DateParseError as exc:
                problems.append(Problem(tr("learner_form", "Ngày vào Đảng: {error}.").format(error=exc.message),
                                        field="party_join_date"))
        found, organisation_id = self._organisation()
        if not found:
            problems.append(Problem(tr("learner_form", "Đơn vị '{name}' chưa có trong danh mục đơn vị: chọn một đơn vị "
                                                       "trong danh sách, hoặc thêm đơn vị ở mục Đơn vị cử đi học trước.")
                                    .format(name=self.organisation.currentText().strip()), field="organisation_id"))

        def clean(edit: QLineEdit | QComboBox) -> str | None:
            return text.clean(edit.text() if isinstance(edit, QLineEdit) else edit.currentText())

        fields = PersonFields(
            family_name=text.nfc(self.family.text()), middle_name=text.nfc(self.middle.text()),
            given_name=text.nfc(self.given.text()), birth_date=birth_date, birth_year=birth_year,
            gender=self.gender.currentData(), ethnicity=clean(self.ethnicity), national_id=clean(self.national_id),
            place_of_birth=clean(self.place_of_birth), hometown=clean(self.hometown),
            party_member=self.party.currentData(), party_join_date=joined, position=clean(self.position),
            education_level=clean(self.education), theory_level=clean(self.theory), phone=clean(self.phone))
        return FormValue(fields, organisation_id, problems)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """Mark the fields the problems name (the messages are shown by the dialog)."""
        marked = {p.field for p in problems if p.field}
        for name, widget in self.widgets.items():
            if name == "birth_year":
                continue
            widget.setStyleSheet(PROBLEM_STYLE if name in marked or (name == "birth_date" and "birth_year" in marked)
                                 else "")

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.full_name, *self.widgets.values()):
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)
