"""Learners: their stored sort and search keys, searching, and a person's history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import NotFoundError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import (
    Certificate,
    Enrolment,
    GraduationResult,
    Learner,
    Lecturer,
    Organisation,
    Programme,
    TrainingClass,
)
from dtbd_desktop.trust.operations import operation


def person_keys(family: str, middle: str, given: str) -> tuple[str, str]:
    """(sort_key, search_key) of a person: Vietnamese roster order, and the folded full name."""
    return (
        text.name_sort_key(family, middle, given),
        text.fold(text.join_name(family, middle, given)),
    )


def refresh_keys(person: Learner | Lecturer) -> None:
    person.sort_key, person.search_key = person_keys(person.family_name, person.middle_name, person.given_name)


@dataclass(frozen=True)
class LearnerRow:
    id: int
    full_name: str
    birth_date: dt.date | None
    birth_year: int
    gender: str
    ethnicity: str
    national_id: str | None
    organisation: str | None
    position: str | None
    classes: list[str] = field(default_factory=list)

    @property
    def birth_text(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else str(self.birth_year)

    def as_find_json(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else str(self.birth_year),
            "national_id": self.national_id,
            "classes": self.classes,
        }


def _like_pattern(folded: str) -> str:
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_learners(session: Session, query: str, *, limit: int | None = 50, offset: int = 0) -> list[LearnerRow]:
    """People whose name (ignoring diacritics and case) or national ID contains the query,
    in Vietnamese order. An empty query lists everyone."""
    folded = text.fold(query or "")
    stmt = (
        select(Learner.id, Learner.family_name, Learner.middle_name, Learner.given_name, Learner.birth_date,
               Learner.birth_year, Learner.gender, Learner.ethnicity, Learner.national_id, Organisation.name,
               Learner.position)
        .outerjoin(Organisation, Learner.organisation_id == Organisation.id)
        .order_by(Learner.sort_key, Learner.id)
    )
    if folded:
        digits = folded.replace(" ", "")
        condition: ColumnElement[bool] = Learner.search_key.like(_like_pattern(folded), escape="\\")
        if digits.isdigit():
            condition = condition | Learner.national_id.like(f"%{digits}%")
        stmt = stmt.where(condition)
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    rows = session.execute(stmt).all()
    ids = [r[0] for r in rows]
    classes: dict[int, list[str]] = {i: [] for i in ids}
    if ids:
        for learner_id, code in session.execute(
            select(Enrolment.learner_id, TrainingClass.code)
            .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
            .where(Enrolment.learner_id.in_(ids))
            .order_by(TrainingClass.start_date)
        ):
            classes[learner_id].append(code)
    return [
        LearnerRow(
            id=r[0], full_name=text.join_name(r[1], r[2], r[3]), birth_date=r[4], birth_year=r[5], gender=r[6],
            ethnicity=r[7], national_id=r[8], organisation=r[9], position=r[10], classes=classes[r[0]],
        )
        for r in rows
    ]


@dataclass(frozen=True)
class HistoryRow:
    class_code: str
    programme: str
    start: dt.date
    end: dt.date
    status: str
    classification: str | None
    serial: str | None
    certificate_status: str | None


@dataclass(frozen=True)
class LearnerDetail:
    row: LearnerRow
    place_of_birth: str | None
    hometown: str | None
    party_member: bool
    party_join_date: dt.date | None
    education_level: str | None
    theory_level: str | None
    phone: str | None
    history: list[HistoryRow]


def learner_detail(session: Session, learner_id: int) -> LearnerDetail:
    """A person's identity and whole training history across classes, with their documents."""
    p = session.get(Learner, learner_id)
    if p is None:
        raise NotFoundError(tr("learners", "Không tìm thấy học viên."))
    org = session.get(Organisation, p.organisation_id) if p.organisation_id else None
    history = []
    for e, cls, prog_name, classification in session.execute(
        select(Enrolment, TrainingClass, Programme.name, GraduationResult.classification)
        .join(TrainingClass, Enrolment.class_id == TrainingClass.id)
        .join(Programme, TrainingClass.programme_id == Programme.id)
        .outerjoin(GraduationResult, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.learner_id == p.id)
        .order_by(TrainingClass.start_date)
    ):
        cert = session.scalar(select(Certificate).where(Certificate.enrolment_id == e.id)
                              .order_by(Certificate.id.desc()).limit(1))
        history.append(HistoryRow(cls.code, prog_name, cls.start_date, cls.end_date, e.status, classification,
                                  cert.serial if cert else None, cert.status if cert else None))
    row = LearnerRow(p.id, p.full_name, p.birth_date, p.birth_year, p.gender, p.ethnicity, p.national_id,
                     org.name if org else None, p.position, [h.class_code for h in history])
    return LearnerDetail(row, p.place_of_birth, p.hometown, p.party_member, p.party_join_date, p.education_level,
                         p.theory_level, p.phone, history)


IDENTITY_FIELDS = ("family_name", "middle_name", "given_name", "birth_date", "birth_year", "gender", "ethnicity",
                   "national_id", "place_of_birth")
EDITABLE_FIELDS = (*IDENTITY_FIELDS, "hometown", "party_member", "party_join_date", "position", "organisation_id",
                   "education_level", "theory_level", "phone")


@operation("learners.update", permission="edit_roster")
def update_learner(session: Session, /, learner_id: int, *, expected_version: int, reason: str | None = None,
                   **changes: Any) -> Learner:
    """Edit a learner's record. `expected_version` is the version the person saw: if someone else saved
    in between, ConflictError instead of a silent overwrite. Identity fields are audited."""
    from dtbd_desktop.base.errors import ConflictError, InputError
    from dtbd_desktop.trust import audit

    person = session.get(Learner, learner_id)
    if person is None:
        raise NotFoundError(tr("learners", "Không tìm thấy học viên."))
    if person.version != expected_version:
        raise ConflictError(tr("learners", "Hồ sơ của {name} vừa được người khác sửa. Hãy mở lại để xem bản mới "
                                           "nhất.").format(name=person.full_name))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InputError(tr("learners", "Không sửa được các trường: {fields}.").format(fields=", ".join(sorted(unknown))))
    for name, value in changes.items():
        value = text.clean(value) if isinstance(value, str) else value
        old = getattr(person, name)
        if old == value:
            continue
        if name in IDENTITY_FIELDS:
            audit.record(session, action="learner.identity", entity="learner", entity_id=person.id, field=name,
                         old=old, new=value, reason=reason)
        setattr(person, name, value)
    refresh_keys(person)
    session.flush()
    return person
