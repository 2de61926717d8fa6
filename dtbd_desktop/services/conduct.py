"""Conduct (rèn luyện), the sending organisation's confirmation (nhận xét, xác nhận của cơ quan cử đi
học) and any discipline of a class's learners: read for the whole class at once
(`load_conduct_sheet`) and saved as a block, all or nothing (`set_conducts`).

Learners are found by their enrolment in the class, so a learner without a national ID (CCCD)
is entered like any other; the national ID is still accepted (the command line's `--learner`).
Each cell of a block may carry the value the screen showed (`expected`): when the stored value
differs, someone else changed it since, and the block is refused instead of overwriting it.
Every change is audited (`enrolment.conduct`, old and new value, the reason given).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import Enrolment
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.scores.class_scores import LearnerLine, class_rules, learner_lines
from dtbd_desktop.trust import audit, operations
from dtbd_desktop.trust.operations import operation

FIELDS = ("confirmation", "discipline", "conduct")
FIELD_LABELS = {
    "confirmation": tr_noop("conduct", "Nhận xét của cơ quan cử đi học"),
    "discipline": tr_noop("conduct", "Kỷ luật"),
    "conduct": tr_noop("conduct", "Rèn luyện"),
}
CONDUCT_MAX = 40


def field_label(name: str) -> str:
    return tr("conduct", FIELD_LABELS.get(name, name))


@dataclass(frozen=True)
class ConductSheet:
    """The class's learners in roster order with their confirmation, discipline and conduct."""

    class_id: int
    class_code: str
    requires_confirmation: bool
    learners: tuple[LearnerLine, ...]

    @property
    def missing_confirmations(self) -> int:
        return sum(1 for line in self.learners if line.active and line.confirmation == "missing")


def load_conduct_sheet(session: Session, class_code: str) -> ConductSheet:
    cls = get_class(session, class_code)
    return ConductSheet(class_id=cls.id, class_code=cls.code, requires_confirmation=bool(class_rules(cls).get("requires_confirmation")),
                        learners=tuple(learner_lines(session, cls.id)))


@dataclass(frozen=True)
class ConductEntry:
    """One cell to save: the learner (by enrolment, else by national ID), the field (confirmation,
    discipline or conduct) and what was typed (a key, a label or a short form: `parse_value`);
    `row` and `column` name the cell in messages. With `check_expected`, the stored value must
    still be `expected` (a key, or the conduct text; None for an empty conduct)."""

    field: str
    value: object
    enrolment_id: int | None = None
    national_id: str | None = None
    row: int | None = None
    column: str | None = None
    check_expected: bool = False
    expected: str | None = None


@dataclass(frozen=True)
class ConductChange:
    enrolment_id: int
    full_name: str
    field: str
    old: str | None
    new: str | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


def parse_value(field_name: str, typed: object) -> str | None:
    """The value to store for what was typed in a field, or InputError saying what is accepted.
    Confirmation and discipline give their key; conduct its cleaned text (None when empty)."""
    if field_name == "confirmation":
        key = graduation_rules.parse_confirmation(typed)
        if key is None:
            raise InputError(tr("conduct", "'{typed}' không phải nhận xét của cơ quan cử đi học: gõ \u201cđạt\u201d (đã "
                                           "có, đạt yêu cầu), \u201ckhông đạt\u201d hoặc để trống (chưa có).").format(
                typed=text.nfc(str(typed))))
        return key
    if field_name == "discipline":
        key = graduation_rules.parse_discipline(typed)
        if key is None:
            raise InputError(tr("conduct", "'{typed}' không phải mức kỷ luật: gõ khiển trách, cảnh cáo, buộc thôi học "
                                           "hoặc để trống (không).").format(typed=text.nfc(str(typed))))
        return key
    if field_name == "conduct":
        value = text.clean(typed)
        if value and len(value) > CONDUCT_MAX:
            raise InputError(tr("conduct", "Xếp loại rèn luyện dài quá {n} ký tự.").format(n=CONDUCT_MAX))
        return value
    raise InputError(tr("conduct", "Không có mục '{field}' (chỉ có nhận xét, kỷ luật, rèn luyện).").format(
        field=field_name))


def value_text(field_name: str, value: str | None) -> str:
    """A stored value as the person reads it."""
    if field_name == "confirmation":
        return graduation_rules.confirmation_label(value or "missing")
    if field_name == "discipline":
        return graduation_rules.discipline_label(value or "none")
    return value or ""


def _learner(entry: ConductEntry, by_id: Mapping[int, LearnerLine], by_nid: Mapping[str, LearnerLine],
             class_code: str) -> LearnerLine:
    if entry.enrolment_id is not None:
        line = by_id.get(entry.enrolment_id)
        if line is None:
            raise InputError(tr("conduct", "Học viên này không có trong lớp {code}.").format(code=class_code))
        return line
    try:
        nid = text.normalize_national_id(entry.national_id or "")
    except text.NationalIdError as exc:
        raise InputError(exc.message) from exc
    line = by_nid.get(nid)
    if line is None:
        raise InputError(tr("conduct", "Không có học viên số CCCD {nid} trong lớp {code}.").format(
            nid=nid, code=class_code))
    return line


@operation("graduation.conducts", permission="enter_conduct", scope=operations.class_code())
def set_conducts(session: Session, class_code: str, entries: Sequence[ConductEntry], *,
                 reason: str | None = None) -> list[ConductChange]:
    """Save a block of cells all or nothing; one change per entry (unchanged ones included).

    Every entry is checked first; if any is refused (a value that is none of the accepted ones, a
    learner not in the class, a value changed by someone else since it was read), nothing is
    written and the error lists every problem with its row and column."""
    cls = get_class(session, class_code)
    lines = learner_lines(session, cls.id)
    by_id = {line.enrolment_id: line for line in lines}
    by_nid = {line.national_id: line for line in lines if line.national_id}
    enrolments = {e.id: e for e in session.scalars(select(Enrolment).where(Enrolment.class_id == cls.id))}
    state: dict[tuple[int, str], str | None] = {}
    planned: list[tuple[LearnerLine, str, str | None, str | None]] = []
    problems: list[Problem] = []
    errors: list[InputError] = []
    for entry in entries:
        try:
            line = _learner(entry, by_id, by_nid, cls.code)
            if entry.field not in FIELDS:
                raise InputError(tr("conduct", "Không có mục '{field}' (chỉ có nhận xét, kỷ luật, rèn luyện).").format(
                    field=entry.field))
            value = parse_value(entry.field, entry.value)
            key = (line.enrolment_id, entry.field)
            old = state[key] if key in state else getattr(enrolments[line.enrolment_id], entry.field)
            if entry.check_expected and old != entry.expected:
                raise ConflictError(tr("conduct", "{name}: ô này vừa được người khác sửa (đang là \u201c{value}\u201d); "
                                                  "hãy tải lại bảng.").format(name=line.full_name,
                                                                              value=value_text(entry.field, old)))
            state[key] = value
            planned.append((line, entry.field, old, value))
        except InputError as exc:
            problems.append(Problem(exc.message, row=entry.row, column=entry.column, field=entry.field))
            errors.append(exc)
    if problems:
        if len(entries) == 1:
            raise errors[0]
        conflict = any(isinstance(e, ConflictError) for e in errors)
        error = ConflictError if conflict else InputError
        raise error(tr("conduct", "Chưa lưu: {n} ô có lỗi, không ô nào được lưu.").format(n=len(problems)), problems)
    clean_reason = text.clean(reason)
    changes = []
    for line, name, old, value in planned:
        enrolment = enrolments[line.enrolment_id]
        current = getattr(enrolment, name)
        if current != value:
            setattr(enrolment, name, value)
            session.flush()
            audit.record(session, action="enrolment.conduct", entity="enrolment", entity_id=enrolment.id, field=name,
                         old=current, new=value, reason=clean_reason)
        changes.append(ConductChange(line.enrolment_id, line.full_name, name, old, value))
    return changes


__all__ = [
    "FIELDS", "ConductChange", "ConductEntry", "ConductSheet", "field_label", "load_conduct_sheet", "parse_value",
    "set_conducts", "value_text",
]
