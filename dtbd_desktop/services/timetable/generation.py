"""Generating a class's timetable, and regenerating one that already has sessions.

`plan_timetable` says, without writing anything, what generating would do: the sessions it
would add (module by module, with their first and last dates), the existing sessions it would
remove and those it keeps, the holidays it skips and the conflicts a person should look at
before saving. `generate_timetable` (the operation) does it.

What a regeneration keeps, whatever the options:

* every session before the day it starts from (`start`; by default the class's start, or the
  day after the last session with attendance marks, whichever is later: what was held stays);
* every session with attendance marks (the marks stay with their session);
* sessions added by hand as field trips, or with a content or place written (`topic`);
  generation makes neither.

The periods those kept sessions teach are taken off their module, so only what is left is laid
out, module after module, on the free half-days. A module's lecturer is carried over to its new
sessions (the lecturer who had most of its removed sessions), so a lecturer teaching another
class at the same time shows as a conflict in the preview.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, extract, func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import HALVES, ClassSession, Holiday, Lecturer, TrainingClass
from dtbd_desktop.rules import timetable
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.timetable.sessions import (
    MAX_PERIODS_PER_SESSION,
    Conflict,
    HolidayRow,
    SessionRow,
    _ensure_calendar,
    _session_rows,
    _slot_text,
    lecturer_display_name,
    timetable_conflicts,
)
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation


@dataclass(frozen=True)
class NewSession:
    """A session the generation would add."""

    date: dt.date
    half: str
    module_id: int
    module_code: str
    periods: int
    kind: str
    lecturer_id: int | None


@dataclass(frozen=True)
class ModulePlan:
    """One module of the programme in a preview: what the sessions that stay already teach, and
    the new sessions laid out for the rest."""

    code: str
    name: str
    periods: int  # the programme's
    kept_periods: int  # taught by sessions that stay
    sessions: int  # new sessions
    new_periods: int
    first: dt.date | None
    last: dt.date | None
    lecturer: str | None


@dataclass(frozen=True)
class TimetablePlan:
    """What generating a class's timetable would do (see the module's docstring)."""

    class_code: str
    class_start: dt.date
    class_end: dt.date
    start: dt.date
    weekdays: tuple[int, ...]
    halves: tuple[str, ...]
    periods_per_session: int
    sessions: list[NewSession]
    modules: list[ModulePlan]
    kept: list[SessionRow]
    removed: list[SessionRow]
    conflicts: list[Conflict]
    holidays: list[HolidayRow]  # days of the centre's calendar skipped
    existing_ids: tuple[int, ...]  # the class's sessions when planned, to notice a change before saving
    needed: int
    available: int
    problem: str | None = None  # why it cannot be saved as it is
    lecturers: dict[int, str] = field(default_factory=dict)

    @property
    def first(self) -> dt.date | None:
        return self.sessions[0].date if self.sessions else None

    @property
    def last(self) -> dt.date | None:
        return self.sessions[-1].date if self.sessions else None

    @property
    def marked_kept(self) -> list[SessionRow]:
        return [s for s in self.kept if s.marks]


@dataclass(frozen=True)
class GenerateResult:
    sessions: int
    replaced: int  # sessions of the previous timetable removed
    first: dt.date | None
    last: dt.date | None
    holidays_skipped: list[dt.date]
    kept: int = 0  # sessions of the previous timetable that stay

    def as_json(self) -> dict[str, Any]:
        return {"sessions": self.sessions}


def calendar_holidays(session: Session, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    """The centre's holidays from `start` to `end`, with the fixed national holidays of each year
    whose calendar is still empty (the ones generating fills in; nothing is written here)."""
    days = {d: n for d, n in session.execute(select(Holiday.date, Holiday.name)
                                             .where(Holiday.date.between(start, end)))}
    for year in range(start.year, end.year + 1):
        if not session.scalar(select(func.count(Holiday.id)).where(extract("year", Holiday.date) == year)):
            days.update({d: n for d, n in timetable.fixed_national_holidays(year).items() if start <= d <= end})
    return days


def _stays(row: SessionRow, start: dt.date) -> bool:
    return row.date < start or row.marks > 0 or row.kind == "field_trip" or bool(row.topic)


def default_start(cls: TrainingClass, rows: Sequence[SessionRow]) -> dt.date:
    """Where a regeneration starts by default: the class's start, or the day after its last
    session with attendance marks."""
    marked = [r.date for r in rows if r.marks]
    return max(cls.start_date, max(marked) + dt.timedelta(days=1)) if marked else cls.start_date


def _options_problem(weekdays: tuple[int, ...], halves: tuple[str, ...], periods_per_session: int,
                     start: dt.date, cls: TrainingClass) -> str | None:
    if not halves or any(h not in HALVES for h in halves):
        return tr("timetable", "Buổi học phải là sáng, chiều hoặc tối.")
    if not weekdays or any(not 1 <= d <= 7 for d in weekdays):
        return tr("timetable", "Hãy chọn ít nhất một ngày học trong tuần.")
    if not 1 <= periods_per_session <= MAX_PERIODS_PER_SESSION:
        return tr("timetable", "Mỗi buổi có từ 1 đến {n} tiết.").format(n=MAX_PERIODS_PER_SESSION)
    if not cls.start_date <= start <= cls.end_date:
        return tr("timetable", "Ngày bắt đầu xếp lịch {date} nằm ngoài thời gian học của lớp {code} ({start} – "
                               "{end}).").format(date=text.format_date(start), code=cls.code,
                                                 start=text.format_date(cls.start_date),
                                                 end=text.format_date(cls.end_date))
    return None


def plan_timetable(session: Session, class_code: str, *, start: dt.date | None = None,
                   weekdays: Sequence[int] | None = None, halves: Sequence[str] = timetable.DAY_HALVES,
                   periods_per_session: int = timetable.PERIODS_PER_SESSION) -> TimetablePlan:
    """What generating the class's timetable with these options would do; writes nothing.

    `weekdays` (ISO, Monday = 1) default to the class's own (`TrainingClass.weekdays`, else
    Monday–Friday full-time and the weekend part-time); holidays are the centre's calendar."""
    cls = get_class(session, class_code)
    rows = _session_rows(session, cls.id)
    begin = start or default_start(cls, rows)
    days = tuple(sorted(set(weekdays))) if weekdays is not None else timetable.class_weekdays(cls.mode, cls.weekdays)
    halves = tuple(h for h in HALVES if h in set(halves))
    kept = [r for r in rows if _stays(r, begin)]
    removed = [r for r in rows if not _stays(r, begin)]
    holidays = calendar_holidays(session, cls.start_date, cls.end_date)
    modules = list(cls.programme.modules)
    covered: dict[int, int] = {}
    for r in kept:
        if r.module_id is not None:
            covered[r.module_id] = covered.get(r.module_id, 0) + r.periods
    specs = [timetable.ModuleSpec(m.id, m.periods, m.kind) for m in modules]
    left = timetable.remaining_modules(specs, covered)
    taken = {(r.date, r.half) for r in kept}
    problem = _options_problem(days, halves, periods_per_session, begin, cls)
    needed = available = 0
    planned: list[timetable.PlannedSession] = []
    if problem is None:
        needed = timetable.sessions_needed(left, periods_per_session) if left else 0
        available = sum(1 for _slot in timetable.free_slots(begin, cls.end_date, days, holidays, halves, taken))
        planned = timetable.lay_out(left, begin, cls.end_date, weekdays=days, holidays=holidays, halves=halves,
                                    periods_per_session=periods_per_session, taken=taken)
        if not specs:
            problem = tr("timetable", "Chương trình {code} chưa có học phần nào.").format(code=cls.programme.code)
        elif len(planned) < needed:
            day_names = ", ".join(timetable.weekday_label(dt.date(2024, 1, d)) for d in days)  # 1/1/2024: a Monday
            problem = tr("timetable", "Từ {start} đến {end} lớp {code} chỉ có {available} buổi học ({days}, trừ "
                                      "ngày nghỉ), chương trình cần {needed} buổi. Hãy lùi ngày kết thúc hoặc "
                                      "chọn thêm ngày học trong tuần.").format(
                start=text.format_date(begin), end=text.format_date(cls.end_date), code=cls.code,
                available=available, days=day_names, needed=needed)

    carried = _carried_lecturers(kept, removed)
    by_id = {m.id: m for m in modules}
    new = [NewSession(p.date, p.half, p.module_id, by_id[p.module_id].code, p.periods, p.kind,
                      carried.get(p.module_id)) for p in planned if p.module_id is not None]
    lecturer_ids = {s.lecturer_id for s in new if s.lecturer_id is not None}
    names = {lec.id: lecturer_display_name(lec) or "" for lec in session.scalars(
        select(Lecturer).where(Lecturer.id.in_(lecturer_ids)))} if lecturer_ids else {}
    last = new[-1].date if new else begin
    skipped = [HolidayRow(d, n) for d, n in sorted(holidays.items())
               if begin <= d <= last and d.isoweekday() in days]
    conflicts = _conflicts(session, cls, new, kept, begin, names)
    return TimetablePlan(
        class_code=cls.code, class_start=cls.start_date, class_end=cls.end_date, start=begin, weekdays=days,
        halves=halves, periods_per_session=periods_per_session, sessions=new,
        modules=_module_plans(modules, kept, new, names), kept=kept, removed=removed, conflicts=conflicts,
        holidays=skipped, existing_ids=tuple(sorted(r.id for r in rows)), needed=needed, available=available,
        problem=problem, lecturers=names)


def _carried_lecturers(kept: list[SessionRow], removed: list[SessionRow]) -> dict[int, int]:
    """Module id -> the lecturer who had most of its removed sessions (else of those that stay)."""
    carried: dict[int, int] = {}
    for rows in (kept, removed):  # the removed sessions' choice wins
        counts: dict[int, Counter[int]] = {}
        for r in rows:
            if r.module_id is not None and r.lecturer_id is not None:
                counts.setdefault(r.module_id, Counter())[r.lecturer_id] += 1
        carried.update({m: c.most_common(1)[0][0] for m, c in counts.items()})
    return carried


def _module_plans(modules: list[Any], kept: list[SessionRow], new: list[NewSession],
                  names: dict[int, str]) -> list[ModulePlan]:
    out = []
    for m in modules:
        mine = [s for s in new if s.module_id == m.id]
        lecturers = {s.lecturer_id for s in mine if s.lecturer_id is not None}
        out.append(ModulePlan(
            code=m.code, name=m.name, periods=m.periods,
            kept_periods=sum(r.periods for r in kept if r.module_id == m.id), sessions=len(mine),
            new_periods=sum(s.periods for s in mine), first=mine[0].date if mine else None,
            last=mine[-1].date if mine else None,
            lecturer=", ".join(sorted(names.get(i, "?") for i in lecturers)) or None))
    return out


def _conflicts(session: Session, cls: TrainingClass, new: list[NewSession], kept: list[SessionRow],
               start: dt.date, names: dict[int, str]) -> list[Conflict]:
    out: list[Conflict] = []
    teaching = {(s.lecturer_id, s.date, s.half) for s in new if s.lecturer_id is not None}
    if teaching:
        others = session.execute(
            select(ClassSession.id, ClassSession.lecturer_id, ClassSession.date, ClassSession.half, TrainingClass.code)
            .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
            .where(ClassSession.class_id != cls.id, ClassSession.lecturer_id.in_({t[0] for t in teaching}),
                   ClassSession.date.between(new[0].date, new[-1].date)))
        for sid, lecturer_id, day, half, code in others:
            if (lecturer_id, day, half) in teaching:
                out.append(Conflict("lecturer", day, half, (sid,), (cls.code, code), tr(
                    "timetable", "Giảng viên {name} dạy hai lớp {a} và {b} cùng buổi {slot}.").format(
                    name=names.get(lecturer_id or 0, "?"), a=cls.code, b=code, slot=_slot_text(day, half))))
    kept_ids = {r.id for r in kept}
    out += [c for c in timetable_conflicts(session, cls.code) if kept_ids & set(c.session_ids)
            and c.date >= start]
    for r in kept:
        if r.marks and r.date >= start:
            out.append(Conflict("marked", r.date, r.half, (r.id,), (cls.code,), tr(
                "timetable", "Buổi {slot} ({what}) đã điểm danh {n} lượt: giữ nguyên buổi này.").format(
                slot=_slot_text(r.date, r.half), what=r.module_code or timetable.session_kind_label(r.kind).lower(),
                n=r.marks)))
    out.sort(key=lambda c: (*timetable.slot_key(c.date, c.half), c.kind))
    return out


@operation("timetable.generate", permission="edit_classes")
def generate_timetable(session: Session, class_code: str, *, replace: bool = False, start: dt.date | None = None,
                       weekdays: Sequence[int] | None = None, halves: Sequence[str] = timetable.DAY_HALVES,
                       periods_per_session: int = timetable.PERIODS_PER_SESSION,
                       expected_sessions: Sequence[int] | None = None) -> GenerateResult:
    """Lay the programme's modules over the class's dates, as `plan_timetable` says.

    Refused, with nothing changed: when the class already has a timetable and `replace` is
    false; when the plan has a problem (dates too short for the programme, options out of
    range); with `expected_sessions` (the ids a preview was made from), when the class's
    sessions changed since. Chosen `weekdays` are kept as the class's. Fixed national holidays
    are filled into the calendar for years that have none entered.
    """
    cls = get_class(session, class_code)
    existing = session.scalar(select(func.count(ClassSession.id)).where(ClassSession.class_id == cls.id)) or 0
    if existing and not replace:
        raise InputError(tr("timetable", "Lớp {code} đã có thời khóa biểu ({n} buổi). Muốn lập lại từ đầu thì "
                                         "chọn thay thế (dòng lệnh: --replace).").format(code=cls.code, n=existing))
    plan = plan_timetable(session, class_code, start=start, weekdays=weekdays, halves=halves,
                          periods_per_session=periods_per_session)
    if expected_sessions is not None and tuple(sorted(expected_sessions)) != plan.existing_ids:
        raise ConflictError(tr("timetable", "Thời khóa biểu lớp {code} vừa được người khác thay đổi: hãy xem "
                                            "trước lại rồi lưu.").format(code=cls.code))
    if plan.problem:
        raise InputError(plan.problem)
    _ensure_calendar(session, cls.start_date, cls.end_date)
    if weekdays is not None:
        default = timetable.class_weekdays(cls.mode, None)
        cls.weekdays = None if plan.weekdays == default else list(plan.weekdays)
    if plan.removed:
        session.execute(delete(ClassSession).where(ClassSession.id.in_([r.id for r in plan.removed])))
    if plan.sessions:
        session.add_all(ClassSession(class_id=cls.id, date=p.date, half=p.half, module_id=p.module_id,
                                     lecturer_id=p.lecturer_id, periods=p.periods, kind=p.kind)
                        for p in plan.sessions)
    session.flush()
    audit.record(session, action="timetable.generate", entity="class", entity_id=cls.id, field="sessions",
                 new={"class": cls.code, "from": plan.start.isoformat(), "weekdays": list(plan.weekdays),
                      "halves": list(plan.halves), "periods_per_session": plan.periods_per_session,
                      "added": len(plan.sessions), "removed": len(plan.removed), "kept": len(plan.kept)})
    return GenerateResult(sessions=len(plan.sessions), replaced=len(plan.removed), first=plan.first,
                          last=plan.last, holidays_skipped=[h.date for h in plan.holidays], kept=len(plan.kept))


__all__ = ["GenerateResult", "ModulePlan", "NewSession", "TimetablePlan", "calendar_holidays", "default_start",
           "generate_timetable", "plan_timetable"]
