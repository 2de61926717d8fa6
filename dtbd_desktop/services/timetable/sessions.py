"""A class's sessions (buổi) and the centre's holiday calendar.

* `list_sessions`, `move_session`, `assign_lecturer`, `add_session`, `delete_session` edit a
  timetable one session at a time; two sessions of a class in one half-day are refused (and the
  database's unique constraint would refuse them too). Marks belong to the session, so a
  session moved after attendance was taken keeps its marks.
* `timetable_conflicts` reports what the week view flags: a lecturer teaching two classes in
  the same half-day, sessions on a holiday or outside the class's dates.
* The holiday calendar: `list_holidays`, `add_holiday`, `remove_holiday`,
  `seed_national_holidays` (the fixed-date national holidays of a year; Tết and the Hùng
  Kings' day move with the lunar calendar and are entered by the centre).

Generating a whole timetable is `generation`. Changes are operations needing the
"edit_classes" permission (`operations`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, extract, func, or_, select
from sqlalchemy.orm import Session, aliased

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import (
    HALVES,
    SESSION_KINDS,
    AttendanceMark,
    ClassSession,
    Holiday,
    Lecturer,
    Module,
    TrainingClass,
)
from dtbd_desktop.rules import timetable
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation

MAX_PERIODS_PER_SESSION = 6  # the database's check on sessions.periods


def _slot_text(day: dt.date, half: str) -> str:
    """"sáng Thứ Hai 05/03/2025"."""
    return tr("timetable", "{half} {weekday} {date}").format(
        half=timetable.half_label(half).lower(), weekday=timetable.weekday_label(day), date=text.format_date(day))


def lecturer_display_name(lecturer: Lecturer | None) -> str | None:
    if lecturer is None:
        return None
    return f"{lecturer.title} {lecturer.full_name}" if lecturer.title else lecturer.full_name


# ---------------------------------------------------------------------------------- holidays


@dataclass(frozen=True)
class HolidayRow:
    date: dt.date
    name: str


def holiday_dates(session: Session, start: dt.date, end: dt.date) -> set[dt.date]:
    return set(session.scalars(select(Holiday.date).where(Holiday.date.between(start, end))))


def list_holidays(session: Session, year: int | None = None) -> list[HolidayRow]:
    stmt = select(Holiday.date, Holiday.name).order_by(Holiday.date)
    if year is not None:
        stmt = stmt.where(Holiday.date.between(dt.date(year, 1, 1), dt.date(year, 12, 31)))
    return [HolidayRow(d, n) for d, n in session.execute(stmt)]


@operation("timetable.add_holiday", permission="edit_classes")
def add_holiday(session: Session, day: dt.date, name: str) -> HolidayRow:
    """Add a day without lessons (or rename one already in the calendar)."""
    clean = text.clean(name)
    if not clean:
        raise InputError(tr("timetable", "Cần ghi tên ngày nghỉ (ví dụ: Tết Nguyên đán)."))
    if len(clean) > 200:
        raise InputError(tr("timetable", "Tên ngày nghỉ dài quá 200 ký tự."))
    row = session.scalar(select(Holiday).where(Holiday.date == day))
    if row is None:
        session.add(Holiday(date=day, name=clean))
    else:
        row.name = clean
    session.flush()
    return HolidayRow(day, clean)


@operation("timetable.remove_holiday", permission="edit_classes")
def remove_holiday(session: Session, day: dt.date) -> None:
    row = session.scalar(select(Holiday).where(Holiday.date == day))
    if row is None:
        raise NotFoundError(tr("timetable", "Ngày {date} không có trong lịch nghỉ.").format(date=text.format_date(day)))
    session.delete(row)
    session.flush()


@operation("timetable.seed_holidays", permission="edit_classes")
def seed_national_holidays(session: Session, year: int) -> int:
    """Add the fixed-date national holidays of `year` that the calendar lacks; returns how many."""
    have = holiday_dates(session, dt.date(year, 1, 1), dt.date(year, 12, 31))
    added = 0
    for day, name in timetable.fixed_national_holidays(year).items():
        if day not in have:
            session.add(Holiday(date=day, name=name))
            added += 1
    session.flush()
    return added


def _ensure_calendar(session: Session, start: dt.date, end: dt.date) -> None:
    """Fill in the fixed national holidays of every year of the class whose calendar is empty.

    A year with any holiday entered is left as the centre made it (it may have moved the day
    next to 2/9, for instance)."""
    for year in range(start.year, end.year + 1):
        has_any = session.scalar(select(func.count(Holiday.id)).where(extract("year", Holiday.date) == year))
        if not has_any:
            seed_national_holidays(session, year)


# ---------------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class SessionRow:
    """One session of a class's timetable, as lists and the week view show it."""

    id: int
    date: dt.date
    half: str
    module_id: int | None
    module_code: str | None
    module_name: str | None
    lecturer_id: int | None
    lecturer: str | None
    periods: int
    kind: str
    topic: str | None
    marks: int  # attendance marks taken in it

    def as_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "half": self.half, "module": self.module_code,
                "lecturer": self.lecturer, "periods": self.periods, "kind": self.kind}


def list_sessions(session: Session, class_code: str) -> list[SessionRow]:
    """The class's sessions in date order (morning, afternoon, evening within a day)."""
    cls = get_class(session, class_code)
    return _session_rows(session, cls.id)


def _session_rows(session: Session, class_id: int) -> list[SessionRow]:
    marks = (select(AttendanceMark.session_id, func.count().label("n"))
             .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
             .where(ClassSession.class_id == class_id)
             .group_by(AttendanceMark.session_id).subquery())
    stmt = (
        select(ClassSession, Module.code, Module.name, Lecturer, func.coalesce(marks.c.n, 0))
        .outerjoin(Module, Module.id == ClassSession.module_id)
        .outerjoin(Lecturer, Lecturer.id == ClassSession.lecturer_id)
        .outerjoin(marks, marks.c.session_id == ClassSession.id)
        .where(ClassSession.class_id == class_id)
    )
    rows = [
        SessionRow(id=s.id, date=s.date, half=s.half, module_id=s.module_id, module_code=code, module_name=name,
                   lecturer_id=s.lecturer_id, lecturer=lecturer_display_name(lec), periods=s.periods, kind=s.kind,
                   topic=s.topic, marks=int(n))
        for s, code, name, lec, n in session.execute(stmt)
    ]
    rows.sort(key=lambda r: timetable.slot_key(r.date, r.half))
    return rows


# ---------------------------------------------------------------------------------- editing


def _get_session(session: Session, session_id: int) -> ClassSession:
    found = session.get(ClassSession, session_id)
    if found is None:
        raise NotFoundError(tr("timetable", "Không tìm thấy buổi học (có thể vừa bị người khác xóa)."))
    return found


def _check_slot(session: Session, cls: TrainingClass, day: dt.date, half: str, *,
                ignore_id: int | None = None) -> list[Problem]:
    problems: list[Problem] = []
    if half not in HALVES:
        problems.append(Problem(tr("timetable", "Buổi '{half}' không hợp lệ: dùng morning (sáng), afternoon (chiều) "
                                                "hoặc evening (tối).").format(half=half), field="half"))
        return problems
    if not cls.start_date <= day <= cls.end_date:
        problems.append(Problem(tr("timetable", "Ngày {date} nằm ngoài thời gian học của lớp {code} ({start} – {end}); "
                                                "nếu lớp kéo dài thì sửa ngày của lớp trước.").format(
            date=text.format_date(day), code=cls.code, start=text.format_date(cls.start_date),
            end=text.format_date(cls.end_date)), field="date"))
    clash = session.scalar(select(ClassSession).where(
        ClassSession.class_id == cls.id, ClassSession.date == day, ClassSession.half == half,
        *([ClassSession.id != ignore_id] if ignore_id is not None else [])))
    if clash is not None:
        what = clash.module.code if clash.module else timetable.session_kind_label(clash.kind).lower()
        problems.append(Problem(tr("timetable", "Lớp {code} đã có buổi học {slot} ({what}).").format(
            code=cls.code, slot=_slot_text(day, half), what=what), field="date"))
    return problems


@operation("timetable.move_session", permission="edit_classes")
def move_session(session: Session, session_id: int, day: dt.date, half: str) -> SessionRow:
    """Move a session to another half-day of its class; its attendance marks go with it.

    Refused when the class already has a session then, or the day is outside the class's dates.
    A session that has marks is moved with an audit entry (the record of when the learners
    signed changes)."""
    sess = _get_session(session, session_id)
    cls = sess.training_class
    if (sess.date, sess.half) == (day, half):
        return _row(session, sess)
    problems = _check_slot(session, cls, day, half, ignore_id=sess.id)
    if problems:
        raise InputError(tr("timetable", "Không dời được buổi học {slot}.").format(slot=_slot_text(sess.date, sess.half)),
                         problems)
    marks = _mark_count(session, sess.id)
    old = {"date": sess.date.isoformat(), "half": sess.half}
    sess.date, sess.half = day, half
    session.flush()
    if marks:
        audit.record(session, action="move", entity="session", entity_id=sess.id, field="date",
                     old=old, new={"date": day.isoformat(), "half": half},
                     reason=tr("timetable", "Dời buổi học đã điểm danh ({n} lượt)").format(n=marks))
    return _row(session, sess)


@operation("timetable.assign_lecturer", permission="edit_classes")
def assign_lecturer(session: Session, session_id: int, lecturer_id: int | None, *,
                    whole_module: bool = False) -> int:
    """Give a session (or, with `whole_module`, every session of its module in the class) a
    lecturer, or none; returns how many sessions changed."""
    sess = _get_session(session, session_id)
    if lecturer_id is not None and session.get(Lecturer, lecturer_id) is None:
        raise NotFoundError(tr("timetable", "Không tìm thấy giảng viên đã chọn."))
    targets = [sess]
    if whole_module and sess.module_id is not None:
        targets = list(session.scalars(select(ClassSession).where(
            ClassSession.class_id == sess.class_id, ClassSession.module_id == sess.module_id)))
    changed = 0
    for target in targets:
        if target.lecturer_id != lecturer_id:
            target.lecturer_id = lecturer_id
            changed += 1
    session.flush()
    return changed


@operation("timetable.add_session", permission="edit_classes")
def add_session(session: Session, class_code: str, *, day: dt.date, half: str, kind: str = "lesson",
                module_code: str | None = None, periods: int = timetable.PERIODS_PER_SESSION,
                lecturer_id: int | None = None, topic: str | None = None) -> SessionRow:
    """Add a session: an extra lesson, a field trip (đi thực tế) or an exam."""
    cls = get_class(session, class_code)
    problems = _check_slot(session, cls, day, half)
    if kind not in SESSION_KINDS:
        problems.append(Problem(tr("timetable", "Loại buổi '{kind}' không hợp lệ: lesson (lên lớp), field_trip (đi "
                                                "thực tế) hoặc exam (thi).").format(kind=kind), field="kind"))
    if not 0 <= periods <= MAX_PERIODS_PER_SESSION:
        problems.append(Problem(tr("timetable", "Số tiết của một buổi từ 0 đến {n}.").format(n=MAX_PERIODS_PER_SESSION),
                                field="periods"))
    module_id: int | None = None
    if module_code:
        module_id = session.scalar(select(Module.id).where(Module.programme_id == cls.programme_id,
                                                           Module.code == text.nfc(module_code)))
        if module_id is None:
            problems.append(Problem(tr("timetable", "Chương trình {programme} không có học phần '{module}'.").format(
                programme=cls.programme.code, module=module_code), field="module"))
    elif kind == "lesson":
        problems.append(Problem(tr("timetable", "Buổi lên lớp cần chọn học phần."), field="module"))
    if lecturer_id is not None and session.get(Lecturer, lecturer_id) is None:
        problems.append(Problem(tr("timetable", "Không tìm thấy giảng viên đã chọn."), field="lecturer"))
    if problems:
        raise InputError(tr("timetable", "Chưa thêm được buổi học."), problems)
    sess = ClassSession(class_id=cls.id, date=day, half=half, module_id=module_id, lecturer_id=lecturer_id,
                        periods=periods, kind=kind, topic=text.clean(topic))
    session.add(sess)
    session.flush()
    return _row(session, sess)


@operation("timetable.delete_session", permission="edit_classes")
def delete_session(session: Session, session_id: int, *, force: bool = False, reason: str | None = None) -> None:
    """Delete a session. One with attendance marks is refused unless `force` is given with a
    reason; then its marks go with it and the deletion is audited (with the marks removed)."""
    sess = _get_session(session, session_id)
    marks = list(session.execute(select(AttendanceMark.enrolment_id, AttendanceMark.status)
                                 .where(AttendanceMark.session_id == sess.id)))
    clean_reason = text.clean(reason)
    if marks and not force:
        raise InputError(tr("timetable", "Buổi học {slot} đã điểm danh {n} lượt nên không xóa được. Hãy dời buổi, "
                                         "hoặc xóa kèm lý do (điểm danh của buổi sẽ mất).").format(
            slot=_slot_text(sess.date, sess.half), n=len(marks)))
    if marks and not clean_reason:
        raise InputError(tr("timetable", "Cần ghi lý do xóa buổi học đã điểm danh."))
    if marks:
        audit.record(session, action="delete", entity="session", entity_id=sess.id,
                     old={"class": sess.training_class.code, "date": sess.date.isoformat(), "half": sess.half,
                          "module": sess.module.code if sess.module else None, "periods": sess.periods,
                          "marks": {str(e): s for e, s in marks}},
                     reason=clean_reason)
    session.execute(delete(AttendanceMark).where(AttendanceMark.session_id == sess.id))
    session.delete(sess)
    session.flush()


def _mark_count(session: Session, session_id: int) -> int:
    return session.scalar(select(func.count(AttendanceMark.id)).where(AttendanceMark.session_id == session_id)) or 0


def _row(session: Session, sess: ClassSession) -> SessionRow:
    return SessionRow(id=sess.id, date=sess.date, half=sess.half, module_id=sess.module_id,
                      module_code=sess.module.code if sess.module else None,
                      module_name=sess.module.name if sess.module else None, lecturer_id=sess.lecturer_id,
                      lecturer=lecturer_display_name(sess.lecturer), periods=sess.periods, kind=sess.kind,
                      topic=sess.topic, marks=_mark_count(session, sess.id))


# ---------------------------------------------------------------------------------- conflicts


@dataclass(frozen=True)
class Conflict:
    """Something the week view flags. kind: "lecturer" (one lecturer, two classes, one half-day),
    "holiday" (a session on a day of the holiday calendar), "outside" (outside the class's dates);
    in a generation's preview also "marked" (a session with attendance marks, which stays)."""

    kind: str
    date: dt.date
    half: str
    session_ids: tuple[int, ...]
    classes: tuple[str, ...]
    message: str

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "date": self.date.isoformat(), "half": self.half, "classes": list(self.classes),
                "message": self.message}


def timetable_conflicts(session: Session, class_code: str | None = None, *, start: dt.date | None = None,
                        end: dt.date | None = None) -> list[Conflict]:
    """Conflicts involving the class (or every class), between `start` and `end` if given."""
    class_id = get_class(session, class_code).id if class_code else None
    a, b = aliased(ClassSession), aliased(ClassSession)
    ca, cb = aliased(TrainingClass), aliased(TrainingClass)
    stmt = (
        select(a.id, b.id, a.date, a.half, a.lecturer_id, ca.code, cb.code)
        .join(b, and_(a.lecturer_id == b.lecturer_id, a.date == b.date, a.half == b.half, a.id < b.id))
        .join(ca, ca.id == a.class_id).join(cb, cb.id == b.class_id)
        .where(a.lecturer_id.is_not(None))
    )
    if class_id is not None:
        stmt = stmt.where(or_(a.class_id == class_id, b.class_id == class_id))
    if start is not None:
        stmt = stmt.where(a.date >= start)
    if end is not None:
        stmt = stmt.where(a.date <= end)
    rows = session.execute(stmt).all()
    names: dict[int | None, str | None] = {lec.id: lecturer_display_name(lec) for lec in session.scalars(
        select(Lecturer).where(Lecturer.id.in_({r[4] for r in rows})))} if rows else {}
    out: list[Conflict] = []
    for id_a, id_b, day, half, lecturer_id, code_a, code_b in rows:
        message = tr("timetable", "Giảng viên {name} dạy hai lớp {a} và {b} cùng buổi {slot}.").format(
            name=names.get(lecturer_id) or "?", a=code_a, b=code_b, slot=_slot_text(day, half))
        out.append(Conflict("lecturer", day, half, (id_a, id_b), (code_a, code_b), message))

    on_holiday = (select(ClassSession.id, ClassSession.date, ClassSession.half, TrainingClass.code, Holiday.name)
                  .join(Holiday, Holiday.date == ClassSession.date)
                  .join(TrainingClass, TrainingClass.id == ClassSession.class_id))
    outside = (select(ClassSession.id, ClassSession.date, ClassSession.half, TrainingClass.code)
               .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
               .where(or_(ClassSession.date < TrainingClass.start_date, ClassSession.date > TrainingClass.end_date)))
    for q in (on_holiday, outside):
        if class_id is not None:
            q = q.where(ClassSession.class_id == class_id)
        if start is not None:
            q = q.where(ClassSession.date >= start)
        if end is not None:
            q = q.where(ClassSession.date <= end)
        for row in session.execute(q):
            if len(row) == 5:
                sid, day, half, code, holiday = row
                out.append(Conflict("holiday", day, half, (sid,), (code,), tr(
                    "timetable", "Lớp {code} có buổi học {slot}, ngày nghỉ {holiday}.").format(
                    code=code, slot=_slot_text(day, half), holiday=holiday)))
            else:
                sid, day, half, code = row
                out.append(Conflict("outside", day, half, (sid,), (code,), tr(
                    "timetable", "Buổi học {slot} nằm ngoài thời gian học của lớp {code}.").format(
                    code=code, slot=_slot_text(day, half))))
    out.sort(key=lambda c: (*timetable.slot_key(c.date, c.half), c.kind))
    return out


__all__ = [
    "Conflict", "HolidayRow", "SessionRow", "add_holiday", "add_session", "assign_lecturer", "delete_session",
    "holiday_dates", "lecturer_display_name", "list_holidays", "list_sessions", "move_session", "remove_holiday",
    "seed_national_holidays", "timetable_conflicts",
]
