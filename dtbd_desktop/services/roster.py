"""A class's roster: its learners in Vietnamese order (tên, đệm, họ)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr_noop
from dtbd_desktop.db.models import Enrolment, Learner, Organisation
from dtbd_desktop.services.classes import get_class

ENROLMENT_STATUS_LABELS = {"enrolled": tr_noop("roster", "Đang học"), "withdrawn": tr_noop("roster", "Thôi học"), "transferred": tr_noop("roster", "Chuyển lớp"),
                           "completed": tr_noop("roster", "Hoàn thành")}


@dataclass(frozen=True)
class RosterRow:
    enrolment_id: int
    learner_id: int
    full_name: str
    birth_date: dt.date | None
    birth_year: int
    gender: str
    ethnicity: str
    national_id: str | None
    organisation: str | None
    position: str | None
    status: str
    confirmation: str
    discipline: str

    @property
    def birth_text(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else str(self.birth_year)

    def as_json(self) -> dict[str, Any]:
        return {
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else str(self.birth_year),
            "gender": text.gender_label(self.gender),
            "ethnicity": self.ethnicity,
            "national_id": self.national_id,
            "organisation": self.organisation,
            "position": self.position,
        }


def class_roster(session: Session, class_code: str, *, include_withdrawn: bool = True) -> list[RosterRow]:
    cls = get_class(session, class_code)
    stmt = (
        select(Enrolment, Learner, Organisation.name)
        .join(Learner, Enrolment.learner_id == Learner.id)
        .outerjoin(Organisation, Enrolment.organisation_id == Organisation.id)
        .where(Enrolment.class_id == cls.id)
        .order_by(Learner.sort_key, Learner.id)
    )
    if not include_withdrawn:
        stmt = stmt.where(Enrolment.status != "withdrawn")
    return [
        RosterRow(
            enrolment_id=e.id, learner_id=p.id, full_name=p.full_name, birth_date=p.birth_date,
            birth_year=p.birth_year, gender=p.gender, ethnicity=p.ethnicity, national_id=p.national_id,
            organisation=org, position=e.position or p.position, status=e.status, confirmation=e.confirmation,
            discipline=e.discipline,
        )
        for e, p, org in session.execute(stmt)
    ]
