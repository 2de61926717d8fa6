"""Follow-up of graduates (đánh giá sau đào tạo): who is due, their yearly outcomes, the report.

A graduate is a learner whose graduation review found them eligible (`GraduationResult`),
by default in the long training programmes (sơ cấp, trung cấp, cao cấp); they graduated on
the decision date, else on the class's last day, and belong to that year's cohort. The centre
follows each graduate for `FOLLOW_UP_YEARS` years after graduation: in year Y the graduates of
cohorts Y-1 and Y-2 are due for a record of year Y (annual rating, planned for a post
(quy hoạch), rotated (luân chuyển), promoted (bổ nhiệm, đề bạt), given higher duties).

The report, per programme and cohort: graduates, how many have records, the latest annual
rating of each, and how many were planned, rotated, promoted or given higher duties in any
recorded year.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    Enrolment,
    FollowUp,
    GraduationResult,
    Learner,
    Organisation,
    Programme,
    TrainingClass,
)
from dtbd_desktop.rules.statistics import percent
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust.operations import operation

FOLLOW_UP_YEARS = 2
#: The annual ratings of cadres (xếp loại chất lượng hằng năm), best first.
RATINGS = (
    tr_noop("followup", "Hoàn thành xuất sắc nhiệm vụ"),
    tr_noop("followup", "Hoàn thành tốt nhiệm vụ"),
    tr_noop("followup", "Hoàn thành nhiệm vụ"),
    tr_noop("followup", "Không hoàn thành nhiệm vụ"),
)
RATING_ABBREVIATIONS = ("HTXSNV", "HTTNV", "HTNV", "KHTNV")
OUTCOME_LABELS = {
    "planned": tr_noop("followup", "Được quy hoạch"),
    "rotated": tr_noop("followup", "Được luân chuyển"),
    "promoted": tr_noop("followup", "Được bổ nhiệm, đề bạt"),
    "higher_duties": tr_noop("followup", "Giao nhiệm vụ cao hơn"),
}
OUTCOMES = tuple(OUTCOME_LABELS)
OUTCOME_SHORT = {"planned": tr_noop("followup", "Quy hoạch"), "rotated": tr_noop("followup", "Luân chuyển"),
                 "promoted": tr_noop("followup", "Bổ nhiệm"), "higher_duties": tr_noop("followup", "NV cao hơn")}


def parse_rating(value: Any) -> str | None:
    """An annual rating from its words (any case, with or without diacritics) or abbreviation
    ("HTTNV"); None for an empty value. Raises ValueError for anything else."""
    cleaned = text.clean(value)
    if cleaned is None:
        return None
    folded = text.fold(cleaned).replace(" ", "")
    for rating, short in zip(RATINGS, RATING_ABBREVIATIONS, strict=True):
        if folded in (text.fold(rating).replace(" ", ""), short.lower()):
            return rating
    raise ValueError(cleaned)


# ---------------------------------------------------------------------------------- graduates


@dataclass(frozen=True)
class Graduate:
    enrolment_id: int
    national_id: str | None
    full_name: str
    birth_year: int
    organisation: str | None
    position: str | None
    class_code: str
    programme_code: str
    programme_name: str
    classification: str | None
    graduated: dt.date

    @property
    def cohort(self) -> int:
        return self.graduated.year


def _graduates_stmt(kinds: Sequence[str] | None, programme: str | None) -> Any:
    graduated = func.coalesce(GraduationResult.decision_date, TrainingClass.end_date)
    stmt = (
        select(Enrolment.id, Learner.national_id, Learner.family_name, Learner.middle_name, Learner.given_name,
               Learner.birth_year, Organisation.name, func.coalesce(Enrolment.position, Learner.position),
               TrainingClass.code, Programme.code, Programme.name, GraduationResult.classification, graduated,
               Learner.sort_key)
        .join(Enrolment, Enrolment.id == GraduationResult.enrolment_id)
        .join(Learner, Learner.id == Enrolment.learner_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Programme, Programme.id == TrainingClass.programme_id)
        .outerjoin(Organisation, Organisation.id == func.coalesce(Enrolment.organisation_id, Learner.organisation_id))
        .where(GraduationResult.eligible.is_(True), Enrolment.status != "transferred")
    )
    if kinds is not None:
        stmt = stmt.where(Programme.kind.in_(list(kinds)))
    if programme is not None:
        stmt = stmt.where(Programme.code == programme)
    return stmt, graduated


def graduates(session: Session, *, cohorts: Iterable[int] | None = None, kinds: Sequence[str] | None = ("training",),
              programme: str | None = None) -> list[Graduate]:
    """Graduates (of the cohorts given), by cohort, programme, class and name."""
    stmt, graduated = _graduates_stmt(kinds, programme)
    years = sorted(set(cohorts)) if cohorts is not None else None
    if years is not None:
        if not years:
            return []
        stmt = stmt.where(graduated >= dt.date(years[0], 1, 1), graduated <= dt.date(years[-1], 12, 31))
    out = []
    for (eid, nid, family, middle, given, birth_year, org, position, code, pcode, pname, classification, when,
         sort_key) in session.execute(stmt):
        if isinstance(when, str):  # SQLite returns COALESCE of dates as text
            when = dt.date.fromisoformat(when[:10])
        if years is not None and when.year not in years:
            continue
        out.append((sort_key, Graduate(eid, nid, text.join_name(family, middle, given), birth_year,
                                       text.nfc(org) if org else None, position, code, pcode, text.nfc(pname),
                                       classification, when)))
    out.sort(key=lambda item: (item[1].cohort, item[1].programme_code, item[1].class_code, item[0]))
    return [g for _k, g in out]


# ---------------------------------------------------------------------------------- records


@dataclass(frozen=True)
class FollowUpRecord:
    enrolment_id: int
    year: int
    annual_rating: str | None
    planned: bool
    rotated: bool
    promoted: bool
    higher_duties: bool
    note: str | None

    def as_json(self) -> dict[str, Any]:
        return {"year": self.year, "annual_rating": self.annual_rating, "planned": self.planned,
                "rotated": self.rotated, "promoted": self.promoted, "higher_duties": self.higher_duties,
                "note": self.note}


def _record(f: FollowUp) -> FollowUpRecord:
    return FollowUpRecord(f.enrolment_id, f.year, f.annual_rating, f.planned, f.rotated, f.promoted, f.higher_duties,
                          f.note)


def records_for(session: Session, enrolment_ids: Iterable[int]) -> dict[int, list[FollowUpRecord]]:
    ids = list(set(enrolment_ids))
    out: dict[int, list[FollowUpRecord]] = defaultdict(list)
    for chunk_start in range(0, len(ids), 900):
        chunk = ids[chunk_start:chunk_start + 900]
        for f in session.scalars(select(FollowUp).where(FollowUp.enrolment_id.in_(chunk)).order_by(FollowUp.year)):
            out[f.enrolment_id].append(_record(f))
    return dict(out)


def find_graduate(session: Session, class_code: str, national_id: str) -> int:
    """The enrolment id of a graduate of a class, by national ID."""
    cls = get_class(session, class_code)
    eid = session.scalar(
        select(Enrolment.id).join(Learner, Learner.id == Enrolment.learner_id)
        .where(Enrolment.class_id == cls.id, Learner.national_id == text.nfc(national_id)))
    if eid is None:
        raise NotFoundError(tr("followup", "Lớp {code} không có học viên số CCCD {nid}.").format(
            code=cls.code, nid=national_id))
    return eid


@operation("followup.record", permission="edit_roster")
def record_followup(session: Session, *, enrolment_id: int, year: int, annual_rating: Any = None,
                    planned: bool = False, rotated: bool = False, promoted: bool = False,
                    higher_duties: bool = False, note: str | None = None) -> FollowUpRecord:
    """Record (or correct) a graduate's outcome in `year`."""
    problems: list[Problem] = []
    result = session.scalar(select(GraduationResult).where(GraduationResult.enrolment_id == enrolment_id))
    if result is None or not result.eligible:
        raise InputError(tr("followup", "Học viên này chưa tốt nghiệp lớp học nên chưa theo dõi sau đào tạo."))
    graduated = result.decision_date or session.scalar(
        select(TrainingClass.end_date).join(Enrolment, Enrolment.class_id == TrainingClass.id)
        .where(Enrolment.id == enrolment_id))
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
        problems.append(Problem(tr("followup", "Năm '{year}' không hợp lệ.").format(year=year), field="year"))
    elif graduated is not None and year <= graduated.year:
        problems.append(Problem(tr("followup", "Năm đánh giá phải sau năm tốt nghiệp ({year}).").format(
            year=graduated.year), field="year"))
    try:
        rating = parse_rating(annual_rating)
    except ValueError:
        rating = None
        problems.append(Problem(tr("followup", "Xếp loại '{value}' không hợp lệ; dùng: {choices}.").format(
            value=annual_rating, choices=", ".join(f"{tr('followup', r)} ({a})" for r, a in
                                                   zip(RATINGS, RATING_ABBREVIATIONS, strict=True))),
            field="annual_rating"))
    if problems:
        raise InputError(tr("followup", "Chưa lưu kết quả theo dõi sau đào tạo."), problems)
    row = session.scalar(select(FollowUp).where(FollowUp.enrolment_id == enrolment_id, FollowUp.year == year))
    if row is None:
        row = FollowUp(enrolment_id=enrolment_id, year=year)
        session.add(row)
    row.annual_rating, row.note = rating, text.clean(note)
    row.planned, row.rotated, row.promoted, row.higher_duties = (bool(planned), bool(rotated), bool(promoted),
                                                                 bool(higher_duties))
    session.flush()
    return _record(row)


@operation("followup.delete", permission="edit_roster")
def delete_followup(session: Session, enrolment_id: int, year: int) -> bool:
    row = session.scalar(select(FollowUp).where(FollowUp.enrolment_id == enrolment_id, FollowUp.year == year))
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


# ---------------------------------------------------------------------------------- who is due


@dataclass(frozen=True)
class DueRow:
    graduate: Graduate
    year: int
    year_after: int  # 1 = the first year after graduation, 2 = the second...
    record: FollowUpRecord | None  # the record of `year`, if entered

    @property
    def done(self) -> bool:
        return self.record is not None


def followup_due(session: Session, year: int, *, years_after: int = FOLLOW_UP_YEARS,
                 kinds: Sequence[str] | None = ("training",), programme: str | None = None) -> list[DueRow]:
    """Graduates due for a record of `year`: cohorts `year - years_after` to `year - 1`, with
    the record of `year` where it was entered."""
    people = graduates(session, cohorts=range(year - years_after, year), kinds=kinds, programme=programme)
    records = records_for(session, (g.enrolment_id for g in people))
    return [DueRow(g, year, year - g.cohort, next((r for r in records.get(g.enrolment_id, []) if r.year == year), None))
            for g in people]


# ---------------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class CohortLine:
    programme_code: str
    programme_name: str
    cohort: int | None  # None for a programme's or the whole total
    graduates: int
    followed: int
    ratings: tuple[int, ...]  # per RATINGS, the latest rating of each graduate followed
    planned: int
    rotated: int
    promoted: int
    higher_duties: int

    def outcome(self, name: str) -> int:
        value: int = getattr(self, name)
        return value

    def share(self, part: int) -> Decimal | None:
        return percent(part, self.followed)


def followup_report(session: Session, *, cohorts: Iterable[int] | None = None, record_year: int | None = None,
                    years_after: int = FOLLOW_UP_YEARS, kinds: Sequence[str] | None = ("training",)) -> tuple[
        list[CohortLine], CohortLine]:
    """Outcomes per programme and cohort. Records counted: those of the follow-up years of each
    cohort (`cohort + 1` .. `cohort + years_after`), and only of `record_year` when given."""
    people = graduates(session, cohorts=cohorts, kinds=kinds)
    records = records_for(session, (g.enrolment_id for g in people))
    groups: dict[tuple[str, int], list[tuple[Graduate, list[FollowUpRecord]]]] = defaultdict(list)
    names: dict[str, str] = {}
    for g in people:
        names[g.programme_code] = g.programme_name
        kept = [r for r in records.get(g.enrolment_id, []) if g.cohort < r.year <= g.cohort + years_after
                and (record_year is None or r.year == record_year)]
        groups[(g.programme_code, g.cohort)].append((g, kept))
    positions = dict(session.execute(select(Programme.code, Programme.position)).all())

    def line(code: str, name: str, cohort: int | None,
             members: Sequence[tuple[Graduate, list[FollowUpRecord]]]) -> CohortLine:
        ratings = [0] * len(RATINGS)
        flags = dict.fromkeys(OUTCOMES, 0)
        followed = 0
        for _g, recs in members:
            if not recs:
                continue
            followed += 1
            latest = next((r.annual_rating for r in reversed(recs) if r.annual_rating), None)
            if latest in RATINGS:
                ratings[RATINGS.index(latest)] += 1
            for flag in OUTCOMES:
                flags[flag] += any(getattr(r, flag) for r in recs)
        return CohortLine(code, name, cohort, len(members), followed, tuple(ratings), flags["planned"],
                          flags["rotated"], flags["promoted"], flags["higher_duties"])

    keys = sorted(groups, key=lambda k: (positions.get(k[0], 0), k[0], k[1]))
    lines = [line(code, names[code], cohort, groups[(code, cohort)]) for code, cohort in keys]
    everyone = [m for members in groups.values() for m in members]
    return lines, line("", tr("followup", "Tổng cộng"), None, everyone)


def rating_label(rating: str | None) -> str:
    return tr("followup", rating) if rating else ""


def outcome_label(name: str, *, short: bool = False) -> str:
    return tr("followup", (OUTCOME_SHORT if short else OUTCOME_LABELS).get(name, name))
