"""Writing attendance marks: `set_marks` writes a batch of changes (one key press, "everyone
present", a paste, an undo) in one transaction, all of them or none, after `plan_marks` has
checked them; `set_mark` marks one learner (by CCCD) in one session (by date and half-day).

Marking needs "mark_attendance" (a lecturer: only in a class they teach). Changing a mark on
a locked session (entering, changing or clearing) needs `allow_locked=True` (the caller asked
for it on purpose), the "override_attendance_lock" permission of the acting account, AND a
reason; each such change is written to the audit log with its old and new status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AttendanceMark, ClassSession, Enrolment, Learner, TrainingClass
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules import timetable
from dtbd_desktop.rules.attendance import STATUSES
from dtbd_desktop.services.attendance.grid import Change, lock_cutoff
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import get_setting
from dtbd_desktop.trust import audit, operations
from dtbd_desktop.trust.operations import operation

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


def enrolment_by_national_id(session: Session, cls: TrainingClass, national_id: str) -> Enrolment:
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
    enrolment = enrolment_by_national_id(session, cls, national_id)
    sess = find_session(session, cls, date, half)
    return set_marks(session, cls.id, [(enrolment.id, sess.id, status)], reason=reason,
                     allow_locked=allow_locked, today=today)
