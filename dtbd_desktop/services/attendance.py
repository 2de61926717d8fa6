"""Taking attendance: the grid of a class, marks (one at a time or in bulk), locking, make-up
lessons (học bổ sung) and each learner's absences against the rule set.

For the keyboard-driven grid: `attendance_grid` loads a whole class in a handful of set-based
queries (class, modules, learners, sessions, marks, make-ups; about 50 ms for 70 learners x
240 sessions with every mark taken) and hands back plain data that can recompute a learner's
summary in memory after each change (`AttendanceGrid.apply(saved.applied())`). `set_marks` writes a batch of changes (one key
press, "everyone present", a paste, an undo) in one transaction: all of them or none.

Permissions (`operations`): marking needs "mark_attendance" (a lecturer: only in a class they
teach). Locking: a session dated more than `attendance_lock_days` (settings) days before
today is locked. Changing a mark on it (entering, changing or clearing) needs
`allow_locked=True` (the caller asked for it on purpose), the "override_attendance_lock"
permission of the acting account, AND a reason; each such change is written to the audit
log with its old and new status.

The rules themselves (what counts as absent, the limit, make-up) are pure functions in
`dtbd_desktop.rules.attendance`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
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
from dtbd_desktop.trust import audit, operations
from dtbd_desktop.trust.operations import operation

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


# ---------------------------------------------------------------------------------- writing marks


@dataclass(frozen=True)
class MarkChange:
    """A change that will be (or was) written: the status before and after (None: no mark)."""

    enrolment_id: int
    session_id: int
    old: str | None
    new: str | None
    locked: bool


@dataclass
class MarkPlan:
    """What `set_marks` would do: the effective changes (no-ops dropped) and, by the index of
    the change in the input, every problem that refuses the batch."""

    changes: list[MarkChange] = field(default_factory=list)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def locked(self) -> list[MarkChange]:
        return [c for c in self.changes if c.locked]


@dataclass(frozen=True)
class MarksSaved:
    """What `set_marks` wrote; `changes` carry the old statuses, so the GUI can offer undo."""

    changes: list[MarkChange]
    audited: int

    @property
    def changed(self) -> int:
        return len(self.changes)

    def applied(self) -> list[Change]:
        """The changes as written, for `AttendanceGrid.apply`."""
        return [(c.enrolment_id, c.session_id, c.new) for c in self.changes]

    def undo(self) -> list[Change]:
        """The changes that put every mark back as it was."""
        return [(c.enrolment_id, c.session_id, c.old) for c in self.changes]


def _status_message(status: object) -> str:
    allowed = ", ".join(f"{s} ({rules_mod.status_label(s).lower()})" for s in STATUSES)
    return tr("attendance", "Trạng thái '{status}' không hợp lệ; dùng: {allowed}.").format(status=status,
                                                                                       allowed=allowed)


def _slot(day: dt.date, half: str) -> str:
    return tr("attendance", "{half} {date}").format(half=timetable.half_label(half).lower(),
                                                    date=text.format_date(day))


def plan_marks(session: Session, class_id: int, changes: Sequence[Change], *, reason: str | None = None,
               allow_locked: bool = False, today: dt.date | None = None) -> MarkPlan:
    """Check a batch of changes without writing anything (the importer's dry run uses it).

    Refused changes: an unknown status; a learner or session not of this class; present,
    late or unexcused in a session that has not happened yet (an excused absence may be
    entered ahead); a change on a locked session without `allow_locked` and a reason.
    A change that leaves a mark as it is, is dropped (and never refused)."""
    today = today or dt.date.today()
    plan = MarkPlan()
    operations.require(session, "mark_attendance", class_id=class_id)
    may_override: bool | None = None  # asked only when a change is locked
    wanted: dict[tuple[int, int], tuple[int, str | None]] = {}
    for index, (enrolment_id, session_id, status) in enumerate(changes):
        if status is not None and status not in STATUSES:
            plan.problems.append((index, _status_message(status)))
            continue
        wanted[(enrolment_id, session_id)] = (index, status)
    if not wanted:
        return plan
    enrolment_ids = {e for e, _s in wanted}
    session_ids = {s for _e, s in wanted}
    known_enrolments = set(session.scalars(select(Enrolment.id).where(
        Enrolment.class_id == class_id, Enrolment.id.in_(enrolment_ids))))
    known_sessions = {sid: (day, half) for sid, day, half in session.execute(
        select(ClassSession.id, ClassSession.date, ClassSession.half)
        .where(ClassSession.class_id == class_id, ClassSession.id.in_(session_ids)))}
    existing = {(eid, sid): status for eid, sid, status in session.execute(
        select(AttendanceMark.enrolment_id, AttendanceMark.session_id, AttendanceMark.status)
        .where(AttendanceMark.session_id.in_(session_ids), AttendanceMark.enrolment_id.in_(enrolment_ids)))}
    cutoff = lock_cutoff(session, today)
    clean_reason = text.clean(reason)
    for (enrolment_id, session_id), (index, status) in wanted.items():
        if enrolment_id not in known_enrolments:
            plan.problems.append((index, tr("attendance", "Học viên không có trong lớp này (có thể vừa được chuyển "
                                                          "lớp hoặc xóa).")))
            continue
        slot = known_sessions.get(session_id)
        if slot is None:
            plan.problems.append((index, tr("attendance", "Buổi học không có trong thời khóa biểu của lớp (có thể "
                                                          "vừa bị xóa).")))
            continue
        old = existing.get((enrolment_id, session_id))
        if old == status:
            continue
        day, half = slot
        if status in ("present", "late", "unexcused") and day > today:
            plan.problems.append((index, tr("attendance", "Buổi {slot} chưa diễn ra: chỉ ghi trước được vắng có "
                                                          "phép.").format(slot=_slot(day, half))))
            continue
        locked = cutoff is not None and day < cutoff
        if locked and not allow_locked:
            plan.problems.append((index, tr("attendance", "Điểm danh buổi {slot} đã khóa (quá {days} ngày): cần người "
                                                          "có quyền sửa và ghi lý do.").format(
                slot=_slot(day, half), days=get_setting(session, "attendance_lock_days"))))
            continue
        if locked and may_override is None:
            may_override = operations.may(session, "override_attendance_lock")
        if locked and not may_override:
            plan.problems.append((index, tr("attendance", "Điểm danh buổi {slot} đã khóa và tài khoản {user} không có "
                                                          "quyền sửa điểm danh đã khóa.").format(
                slot=_slot(day, half), user=operations.acting(session).username)))
            continue
        if locked and not clean_reason:
            plan.problems.append((index, tr("attendance", "Điểm danh buổi {slot} đã khóa: cần ghi lý do sửa.").format(
                slot=_slot(day, half))))
            continue
        plan.changes.append(MarkChange(enrolment_id, session_id, old, status, locked))
    plan.problems.sort()
    return plan


@operation("attendance.set_marks", permission="mark_attendance", scope=operations.class_id(), audited=False)
def set_marks(session: Session, class_id: int, changes: Sequence[Change], *,
              reason: str | None = None, allow_locked: bool = False, today: dt.date | None = None) -> MarksSaved:
    """Write a batch of marks, all or none (raises InputError listing every refused change by
    its position in `changes`, 1-based, and writes nothing). Returns what changed."""
    plan = plan_marks(session, class_id, changes, reason=reason, allow_locked=allow_locked, today=today)
    if plan.problems:
        problems = [Problem(message, row=index + 1) for index, message in plan.problems]
        if len(changes) == 1:
            raise InputError(problems[0].message)
        raise InputError(tr("attendance", "Chưa lưu điểm danh: {n} thay đổi không hợp lệ, không có gì bị thay đổi.")
                         .format(n=len(problems)), problems)
    apply_plan(session, plan, reason=reason)
    return MarksSaved(plan.changes, len(plan.locked))


def apply_plan(session: Session, plan: MarkPlan, *, reason: str | None = None) -> None:
    """Write a plan checked by `plan_marks` (with no problems), in the caller's transaction."""
    if not plan.changes:
        return
    who = operations.acting(session).username
    now = dt.datetime.now().replace(microsecond=0)
    inserts = [{"enrolment_id": c.enrolment_id, "session_id": c.session_id, "status": c.new, "updated_at": now,
                "updated_by": who} for c in plan.changes if c.old is None and c.new is not None]
    updates = [c for c in plan.changes if c.old is not None and c.new is not None]
    deletes = [c for c in plan.changes if c.old is not None and c.new is None]
    if inserts:
        session.execute(insert(AttendanceMark), inserts)
    if updates or deletes:
        pairs = [(c.enrolment_id, c.session_id) for c in (*updates, *deletes)]
        ids = {(eid, sid): mid for mid, eid, sid in session.execute(
            select(AttendanceMark.id, AttendanceMark.enrolment_id, AttendanceMark.session_id).where(
                AttendanceMark.enrolment_id.in_({p[0] for p in pairs}),
                AttendanceMark.session_id.in_({p[1] for p in pairs})))}
        if updates:
            session.execute(update(AttendanceMark), [
                {"id": ids[(c.enrolment_id, c.session_id)], "status": c.new, "updated_at": now, "updated_by": who}
                for c in updates])
        if deletes:
            session.execute(delete(AttendanceMark).where(
                AttendanceMark.id.in_([ids[(c.enrolment_id, c.session_id)] for c in deletes])))
    for c in plan.locked:
        audit.record(session, action="update" if c.old and c.new else "create" if c.new else "delete",
                     entity="attendance", entity_id=f"{c.enrolment_id}:{c.session_id}", field="status",
                     old=c.old, new=c.new, reason=text.clean(reason))
    session.flush()


def _enrolment_by_national_id(session: Session, cls: TrainingClass, national_id: str) -> Enrolment:
    try:
        nid = text.normalize_national_id(national_id)
    except ValueError as exc:
        raise InputError(tr("attendance", "Số CCCD '{value}' không hợp lệ: {error}.").format(
            value=national_id, error=exc)) from exc
    enrolment = session.scalar(select(Enrolment).join(Learner, Learner.id == Enrolment.learner_id)
                               .where(Enrolment.class_id == cls.id, Learner.national_id == nid))
    if enrolment is None:
        raise NotFoundError(tr("attendance", "Lớp {code} không có học viên số CCCD {nid}. Xem danh sách bằng lệnh: "
                                             "dtbd roster list {code}").format(code=cls.code, nid=nid))
    return enrolment


def find_session(session: Session, cls: TrainingClass, day: dt.date, half: str) -> ClassSession:
    """The class's session on that half-day; NotFoundError naming the sessions of the day, if any."""
    found = session.scalar(select(ClassSession).where(ClassSession.class_id == cls.id, ClassSession.date == day,
                                                      ClassSession.half == half))
    if found is not None:
        return found
    same_day = sorted(session.scalars(select(ClassSession.half).where(ClassSession.class_id == cls.id,
                                                                       ClassSession.date == day)),
                      key=lambda h: timetable.HALF_ORDER.get(h, 9))
    if same_day:
        hint = tr("attendance", " Ngày này lớp học buổi: {halves}.").format(
            halves=", ".join(timetable.half_label(h).lower() for h in same_day))
    else:
        hint = tr("attendance", " Ngày này lớp không có buổi học nào; xem thời khóa biểu bằng lệnh: "
                                "dtbd timetable list {code}").format(code=cls.code)
    raise NotFoundError(tr("attendance", "Lớp {code} không có buổi học {slot}.").format(
        code=cls.code, slot=_slot(day, half)) + hint)


@operation("attendance.set_mark", permission="mark_attendance", scope=operations.class_code(), audited=False)
def set_mark(session: Session, class_code: str, national_id: str, date: dt.date, half: str, status: str | None, *,
             reason: str | None = None, allow_locked: bool = False,
             today: dt.date | None = None) -> MarksSaved:
    """Mark one learner (by CCCD) in one session (by date and half); None clears the mark."""
    if status is not None and status not in STATUSES:
        raise InputError(_status_message(status))
    cls = get_class(session, class_code)
    enrolment = _enrolment_by_national_id(session, cls, national_id)
    sess = find_session(session, cls, date, half)
    return set_marks(session, cls.id, [(enrolment.id, sess.id, status)], reason=reason,
                     allow_locked=allow_locked, today=today)


# ---------------------------------------------------------------------------------- make-up


@dataclass(frozen=True)
class MakeUpRow:
    id: int
    enrolment_id: int
    national_id: str | None
    full_name: str
    module_code: str
    date: dt.date
    periods: int
    note: str | None


@operation("attendance.record_makeup", permission="mark_attendance", scope=operations.class_code())
def record_makeup(session: Session, class_code: str, national_id: str | None, module_code: str, date: dt.date,
                  periods: int, note: str | None = None, *,
                  today: dt.date | None = None, enrolment_id: int | None = None) -> MakeUpRow:
    """Record make-up lessons (học bổ sung) of a module for a learner (by national ID, or by
    `enrolment_id` for a learner whose record has no ID yet); audited.

    Refused: no periods; a date in the future or before the class began; a module not in the
    programme; more periods than the learner's absences in the module not yet made up."""
    today = today or dt.date.today()
    cls = get_class(session, class_code)
    if enrolment_id is not None:
        found = session.get(Enrolment, enrolment_id)
        if found is None or found.class_id != cls.id:
            raise NotFoundError(tr("attendance", "Học viên này không còn trong lớp {code}.").format(code=cls.code))
        enrolment = found
    else:
        enrolment = _enrolment_by_national_id(session, cls, national_id or "")
    module = session.scalar(select(Module).where(Module.programme_id == cls.programme_id,
                                                 Module.code == text.nfc(module_code)))
    problems: list[Problem] = []
    if module is None:
        codes = ", ".join(session.scalars(select(Module.code).where(Module.programme_id == cls.programme_id)
                                          .order_by(Module.position)))
        problems.append(Problem(tr("attendance", "Chương trình {programme} không có học phần '{module}' (có: {codes}).")
                                .format(programme=cls.programme.code, module=module_code, codes=codes), field="module"))
    if isinstance(periods, bool) or not isinstance(periods, int) or periods <= 0:
        problems.append(Problem(tr("attendance", "Số tiết học bổ sung phải là số nguyên lớn hơn 0."), field="periods"))
    if date > today:
        problems.append(Problem(tr("attendance", "Ngày học bổ sung {date} chưa tới.").format(
            date=text.format_date(date)), field="date"))
    if date < cls.start_date:
        problems.append(Problem(tr("attendance", "Ngày học bổ sung {date} trước ngày khai giảng {start}.").format(
            date=text.format_date(date), start=text.format_date(cls.start_date)), field="date"))
    if problems:
        raise InputError(tr("attendance", "Chưa ghi được học bổ sung."), problems)
    assert module is not None
    grid = load_grid(session, cls, today=today)
    summary = grid.summary[enrolment.id]
    absence = next(m for m in summary.modules if m.module_id == module.id)
    open_periods = absence.absent_periods - absence.made_up_periods
    if periods > open_periods:
        raise InputError(tr("attendance", "{name} vắng {absent} tiết học phần {module}, đã học bổ sung {made_up} tiết; "
                                          "không ghi thêm được {periods} tiết (tối đa {open}).").format(
            name=grid.learners[grid.learner_row[enrolment.id]].full_name, absent=absence.absent_periods,
            module=module.code, made_up=absence.made_up_periods, periods=periods, open=max(open_periods, 0)))
    row = MakeUp(enrolment_id=enrolment.id, module_id=module.id, date=date, periods=periods, note=text.clean(note))
    session.add(row)
    session.flush()
    audit.record(session, action="create", entity="makeup", entity_id=row.id, field="periods", old=None,
                 new={"enrolment": enrolment.id, "module": module.code, "date": date.isoformat(), "periods": periods},
                 reason=text.clean(note))
    learner = grid.learners[grid.learner_row[enrolment.id]]
    return MakeUpRow(row.id, enrolment.id, learner.national_id, learner.full_name, module.code, date, periods,
                     row.note)


def list_makeups(session: Session, class_code: str) -> list[MakeUpRow]:
    cls = get_class(session, class_code)
    rows = session.execute(
        select(MakeUp, Learner.national_id, Learner.family_name, Learner.middle_name, Learner.given_name, Module.code)
        .join(Enrolment, Enrolment.id == MakeUp.enrolment_id).join(Learner, Learner.id == Enrolment.learner_id)
        .join(Module, Module.id == MakeUp.module_id)
        .where(Enrolment.class_id == cls.id).order_by(Learner.sort_key, MakeUp.date, MakeUp.id))
    return [MakeUpRow(m.id, m.enrolment_id, nid, text.join_name(f, mid, g), code, m.date, m.periods, m.note)
            for m, nid, f, mid, g, code in rows]


@operation("attendance.delete_makeup", permission="mark_attendance", scope=operations.makeup())
def delete_makeup(session: Session, makeup_id: int, *, reason: str) -> None:
    """Remove a make-up record entered by mistake; audited, with a reason."""
    row = session.get(MakeUp, makeup_id)
    if row is None:
        raise NotFoundError(tr("attendance", "Không tìm thấy lần học bổ sung này."))
    clean = text.clean(reason)
    if not clean:
        raise InputError(tr("attendance", "Cần ghi lý do xóa học bổ sung."))
    audit.record(session, action="delete", entity="makeup", entity_id=row.id, field="periods",
                 old={"enrolment": row.enrolment_id, "module_id": row.module_id, "date": row.date.isoformat(),
                      "periods": row.periods}, new=None, reason=clean)
    session.delete(row)
    session.flush()


__all__ = [
    "AttendanceGrid", "Change", "GridLearner", "GridSession", "LearnerAttendance", "MakeUpRow", "MarkChange",
    "MarkPlan", "MarksSaved", "apply_plan", "attendance_grid", "attendance_summary", "class_rules", "delete_makeup",
    "find_session", "list_makeups", "load_grid", "lock_cutoff", "plan_marks", "record_makeup", "set_mark",
    "set_marks",
]
