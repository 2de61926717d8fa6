"""A class's attendance as plain data (`AttendanceGrid`): learners, sessions, marks, make-ups and
each learner's summary against the rule set, loaded in a handful of set-based queries (class,
modules, learners, sessions, marks, make-ups; about 50 ms for 70 learners x 240 sessions with
every mark taken), recomputed in memory after each change (`AttendanceGrid.apply`). Sessions
older than `attendance_lock_days` (settings) are locked (`lock_cutoff`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.db.models import (
    AttendanceMark,
    ClassSession,
    Enrolment,
    Learner,
    Lecturer,
    MakeUp,
    Module,
    Organisation,
    TrainingClass,
)
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules import timetable
from dtbd_desktop.rules.attendance import STATUSES, AttendanceRules, ModuleAbsence, ModuleInfo, SessionInfo
from dtbd_desktop.rules.rule_sets import with_defaults
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import get_setting

Change = tuple[int, int, str | None]
"""(enrolment_id, session_id, status); None clears the mark."""


# ---------------------------------------------------------------------------------- plain rows


@dataclass(frozen=True)
class GridLearner:
    """A row of the grid: one enrolment, in roster order (tên, đệm, họ)."""

    enrolment_id: int
    learner_id: int
    national_id: str | None
    full_name: str
    family_middle: str  # họ và đệm, for printouts that split the name
    given_name: str
    organisation_id: int | None
    organisation: str | None
    enrolment_status: str  # enrolled, withdrawn, transferred, completed
    organisation_short: str | None = None  # "Sở KH&ĐT", for narrow columns


@dataclass(frozen=True)
class GridSession:
    """A column of the grid: one session, in date order."""

    id: int
    date: dt.date
    half: str
    module_id: int | None
    module_code: str | None
    module_name: str | None
    periods: int
    kind: str
    lecturer: str | None
    topic: str | None


@dataclass(frozen=True)
class LearnerAttendance:
    """A learner's attendance over the course and per module, with the conclusion.

    The graduation review relies on: enrolment_id, national_id, full_name, absent_periods,
    absent_share, barred_modules, certificate_eligible, explanations."""

    enrolment_id: int
    learner_id: int
    national_id: str | None
    full_name: str
    organisation_id: int | None
    organisation: str | None
    enrolment_status: str
    absent_periods: int  # absences on record (statuses the rule set counts), make-up not deducted
    absent_share: float  # absent_periods / course_periods, 0..1
    course_periods: int
    barred_modules: list[str]  # module codes the learner may not sit (over the limit, not made up)
    certificate_eligible: bool  # attendance does not stand in the way of the certificate / diploma
    explanations: list[str]
    excused_periods: int
    unexcused_periods: int
    late_sessions: int
    made_up_periods: int
    counted_periods: int  # absences after make-up, as checked against the limit
    over_course_limit: bool
    modules: list[ModuleAbsence] = field(default_factory=list)
    explanation_holds: list[bool] = field(default_factory=list)  # per explanation: still stands in the way

    def as_json(self) -> dict[str, Any]:
        return {"national_id": self.national_id, "absent_periods": self.absent_periods,
                "absent_share": self.absent_share, "barred_modules": list(self.barred_modules),
                "certificate_eligible": self.certificate_eligible}


def _summarise(learner: GridLearner, result: rules_mod.LearnerResult) -> LearnerAttendance:
    return LearnerAttendance(
        enrolment_id=learner.enrolment_id, learner_id=learner.learner_id, national_id=learner.national_id,
        full_name=learner.full_name, organisation_id=learner.organisation_id, organisation=learner.organisation,
        enrolment_status=learner.enrolment_status, absent_periods=result.absent_periods,
        absent_share=result.absent_share, course_periods=result.course_periods,
        barred_modules=list(result.barred_modules), certificate_eligible=result.certificate_eligible,
        explanations=list(result.explanations), excused_periods=result.excused_periods,
        unexcused_periods=result.unexcused_periods, late_sessions=result.late_sessions,
        made_up_periods=result.made_up_periods, counted_periods=result.counted_periods,
        over_course_limit=result.over_course_limit, modules=list(result.modules),
        explanation_holds=list(result.explanation_holds),
    )


# ---------------------------------------------------------------------------------- locking


def lock_cutoff(session: Session, today: dt.date | None = None) -> dt.date | None:
    """Sessions dated before this day are locked; None when the settings switch locking off
    (attendance_lock_days empty or negative)."""
    days = get_setting(session, "attendance_lock_days")
    if days is None or isinstance(days, bool):
        return None
    try:
        n = int(days)
    except (TypeError, ValueError):
        return None
    if n < 0:
        return None
    return (today or dt.date.today()) - dt.timedelta(days=n)


# ---------------------------------------------------------------------------------- the grid


@dataclass
class AttendanceGrid:
    """A class's attendance as plain data, for the grid and the printouts.

    `marks` maps (enrolment_id, session_id) to a status; a missing key means not taken.
    `summary` maps enrolment_id to the learner's `LearnerAttendance`; after a successful
    `set_marks`, call `apply(changes)` to update both without reloading."""

    class_id: int
    class_code: str
    class_name: str
    programme_code: str
    programme_name: str
    rule_set_name: str
    regulation: str | None
    rules: AttendanceRules
    modules: list[ModuleInfo]
    learners: list[GridLearner]
    sessions: list[GridSession]
    marks: dict[tuple[int, int], str]
    makeups: dict[tuple[int, int], int]  # (enrolment_id, module_id) -> periods made up
    lock_before: dt.date | None
    today: dt.date
    summary: dict[int, LearnerAttendance] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.learner_row = {learner.enrolment_id: i for i, learner in enumerate(self.learners)}
        self.session_column = {s.id: i for i, s in enumerate(self.sessions)}
        self._session_infos = [SessionInfo(s.id, s.module_id, s.periods) for s in self.sessions]
        self._denominators = rules_mod.module_denominators(self.modules, self._session_infos)
        if not self.summary:
            self._recompute_all()

    # -- reading
    def status(self, enrolment_id: int, session_id: int) -> str | None:
        return self.marks.get((enrolment_id, session_id))

    def is_locked(self, session_id: int) -> bool:
        column = self.session_column.get(session_id)
        if column is None or self.lock_before is None:
            return False
        return self.sessions[column].date < self.lock_before

    def session_counts(self, session_id: int) -> dict[str, int]:
        """How many learners have each status in a session (and "none": not taken)."""
        counts = dict.fromkeys((*STATUSES, "none"), 0)
        for learner in self.learners:
            counts[self.marks.get((learner.enrolment_id, session_id)) or "none"] += 1
        return counts

    def learner_marks(self, enrolment_id: int) -> dict[int, str]:
        return {s.id: st for s in self.sessions if (st := self.marks.get((enrolment_id, s.id))) is not None}

    # -- updating after a write
    def apply(self, changes: Iterable[Change]) -> None:
        touched: set[int] = set()
        for enrolment_id, session_id, status in changes:
            if status is None:
                self.marks.pop((enrolment_id, session_id), None)
            else:
                self.marks[(enrolment_id, session_id)] = status
            touched.add(enrolment_id)
        for enrolment_id in touched:
            self.recompute(enrolment_id)

    def recompute(self, enrolment_id: int) -> LearnerAttendance:
        learner = self.learners[self.learner_row[enrolment_id]]
        made_up = {m.id: p for m in self.modules if (p := self.makeups.get((enrolment_id, m.id)))}
        result = rules_mod.learner_result(self.modules, self._session_infos, self.learner_marks(enrolment_id),
                                          made_up, self.rules, self._denominators)
        summary = _summarise(learner, result)
        self.summary[enrolment_id] = summary
        return summary

    def _recompute_all(self) -> None:
        per_learner: dict[int, dict[int, str]] = {learner.enrolment_id: {} for learner in self.learners}
        for (enrolment_id, session_id), status in self.marks.items():
            bucket = per_learner.get(enrolment_id)
            if bucket is not None:
                bucket[session_id] = status
        made_up: dict[int, dict[int, int]] = {}
        for (enrolment_id, module_id), periods in self.makeups.items():
            made_up.setdefault(enrolment_id, {})[module_id] = periods
        for learner in self.learners:
            result = rules_mod.learner_result(self.modules, self._session_infos, per_learner[learner.enrolment_id],
                                              made_up.get(learner.enrolment_id, {}), self.rules, self._denominators)
            self.summary[learner.enrolment_id] = _summarise(learner, result)

    def summaries(self) -> list[LearnerAttendance]:
        """The learners' summaries in roster order."""
        return [self.summary[learner.enrolment_id] for learner in self.learners]


def class_rules(cls: TrainingClass) -> AttendanceRules:
    return AttendanceRules.from_params(with_defaults(dict(cls.rule_set.params or {}), cls.programme.kind))


def attendance_grid(session: Session, class_code: str, *, today: dt.date | None = None) -> AttendanceGrid:
    """Everything the grid shows for a class, loaded with one query per table."""
    cls = get_class(session, class_code)
    return load_grid(session, cls, today=today)


def load_grid(session: Session, cls: TrainingClass, *, today: dt.date | None = None) -> AttendanceGrid:
    today = today or dt.date.today()
    modules = [ModuleInfo(mid, code, name, periods) for mid, code, name, periods in session.execute(
        select(Module.id, Module.code, Module.name, Module.periods)
        .where(Module.programme_id == cls.programme_id).order_by(Module.position, Module.id))]
    learners = [
        GridLearner(enrolment_id=eid, learner_id=lid, national_id=nid,
                    full_name=text.join_name(family, middle, given), family_middle=text.join_name(family, middle, ""),
                    given_name=given, organisation_id=org_id, organisation=org, enrolment_status=status,
                    organisation_short=short)
        for eid, lid, nid, family, middle, given, org_id, org, short, status in session.execute(
            select(Enrolment.id, Learner.id, Learner.national_id, Learner.family_name, Learner.middle_name,
                   Learner.given_name, Enrolment.organisation_id, Organisation.name, Organisation.short_name,
                   Enrolment.status)
            .join(Learner, Learner.id == Enrolment.learner_id)
            .outerjoin(Organisation, Organisation.id == Enrolment.organisation_id)
            .where(Enrolment.class_id == cls.id)
            .order_by(Learner.sort_key, Learner.id))
    ]
    sessions = []
    for sid, day, half, module_id, code, name, periods, kind, title, family, middle, given, topic in session.execute(
        select(ClassSession.id, ClassSession.date, ClassSession.half, ClassSession.module_id, Module.code,
               Module.name, ClassSession.periods, ClassSession.kind, Lecturer.title, Lecturer.family_name,
               Lecturer.middle_name, Lecturer.given_name, ClassSession.topic)
        .outerjoin(Module, Module.id == ClassSession.module_id)
        .outerjoin(Lecturer, Lecturer.id == ClassSession.lecturer_id)
        .where(ClassSession.class_id == cls.id)
    ):
        lecturer = None
        if given:
            lecturer = text.join_name(family, middle, given)
            lecturer = f"{title} {lecturer}" if title else lecturer
        sessions.append(GridSession(sid, day, half, module_id, code, name, periods, kind, lecturer, topic))
    sessions.sort(key=lambda s: (*timetable.slot_key(s.date, s.half), s.id))
    # The biggest result (70 x 240 rows): a Core query on the tables, without the ORM's row handling.
    marks_t, sessions_t = AttendanceMark.__table__, ClassSession.__table__
    marks: dict[tuple[int, int], str] = {
        (eid, sid): status for eid, sid, status in session.connection().execute(
            select(marks_t.c.enrolment_id, marks_t.c.session_id, marks_t.c.status)
            .join(sessions_t, sessions_t.c.id == marks_t.c.session_id)
            .where(sessions_t.c.class_id == cls.id)).all()
    }
    makeups: dict[tuple[int, int], int] = {}
    for eid, module_id, periods in session.execute(
        select(MakeUp.enrolment_id, MakeUp.module_id, MakeUp.periods)
        .join(Enrolment, Enrolment.id == MakeUp.enrolment_id).where(Enrolment.class_id == cls.id)
    ):
        makeups[(eid, module_id)] = makeups.get((eid, module_id), 0) + periods
    rule_set = cls.rule_set
    return AttendanceGrid(
        class_id=cls.id, class_code=cls.code, class_name=cls.name, programme_code=cls.programme.code,
        programme_name=cls.programme.name, rule_set_name=rule_set.name, regulation=rule_set.regulation,
        rules=class_rules(cls), modules=modules, learners=learners, sessions=sessions, marks=marks,
        makeups=makeups, lock_before=lock_cutoff(session, today), today=today,
    )


def attendance_summary(session: Session, class_code: str, *, today: dt.date | None = None) -> list[LearnerAttendance]:
    """Every learner of the class (roster order, withdrawn ones included with their status):
    absences, share, barred modules, certificate eligibility and the explanations."""
    return attendance_grid(session, class_code, today=today).summaries()
