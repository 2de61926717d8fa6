"""Laying a programme's modules over a class's dates in half-day sessions (pure functions).

Working days are Monday–Friday for full-time classes, the chosen weekdays for part-time
ones, less the centre's holidays. Each working day has a morning and an afternoon session;
each module takes as many sessions as its periods need (5 periods a session by default).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass

from dtbd_desktop.base.i18n import tr, tr_noop

PERIODS_PER_SESSION = 5
FULL_TIME_WEEKDAYS = (1, 2, 3, 4, 5)  # ISO: Monday = 1
PART_TIME_WEEKDAYS = (6, 7)
DAY_HALVES = ("morning", "afternoon")  # the halves a generated timetable uses
HALVES = ("morning", "afternoon", "evening")
HALF_ORDER = {half: index for index, half in enumerate(HALVES)}
HALF_LABELS = {"morning": tr_noop("timetable", "Sáng"), "afternoon": tr_noop("timetable", "Chiều"),
               "evening": tr_noop("timetable", "Tối")}
WEEKDAY_LABELS = {1: tr_noop("timetable", "Thứ Hai"), 2: tr_noop("timetable", "Thứ Ba"),
                  3: tr_noop("timetable", "Thứ Tư"), 4: tr_noop("timetable", "Thứ Năm"),
                  5: tr_noop("timetable", "Thứ Sáu"), 6: tr_noop("timetable", "Thứ Bảy"),
                  7: tr_noop("timetable", "Chủ nhật")}
SESSION_KIND_LABELS = {"lesson": tr_noop("timetable", "Lên lớp"), "field_trip": tr_noop("timetable", "Đi thực tế"),
                       "exam": tr_noop("timetable", "Thi, kiểm tra")}


def half_label(half: str) -> str:
    """"Sáng", "Chiều", "Tối"."""
    return tr("timetable", HALF_LABELS.get(half, half))


def weekday_label(day: dt.date) -> str:
    """"Thứ Hai" ... "Chủ nhật"."""
    return tr("timetable", WEEKDAY_LABELS[day.isoweekday()])


def session_kind_label(kind: str) -> str:
    return tr("timetable", SESSION_KIND_LABELS.get(kind, kind))


def slot_key(day: dt.date, half: str) -> tuple[dt.date, int]:
    """Sort key of a half-day: by date, then morning, afternoon, evening."""
    return day, HALF_ORDER.get(half, len(HALVES))


def class_weekdays(mode: str, chosen: Iterable[int] | None) -> tuple[int, ...]:
    """The ISO weekdays a class meets on: those chosen for it, else Monday–Friday for a full-time
    class and the weekend for a part-time one."""
    days = tuple(sorted({int(d) for d in chosen or () if 1 <= int(d) <= 7}))
    if days:
        return days
    return FULL_TIME_WEEKDAYS if mode == "full-time" else PART_TIME_WEEKDAYS


@dataclass(frozen=True)
class ModuleSpec:
    id: int
    periods: int
    kind: str = "module"


@dataclass(frozen=True)
class PlannedSession:
    date: dt.date
    half: str
    module_id: int | None
    periods: int
    kind: str


def fixed_national_holidays(year: int) -> dict[dt.date, str]:
    """The fixed-date national holidays (Tết Dương lịch, 30/4, 1/5, 2/9 with the day before or after).

    Lunar New Year and the Hùng Kings' day move each year; the centre enters them in its calendar.
    """
    return {
        dt.date(year, 1, 1): "Tết Dương lịch",
        dt.date(year, 4, 30): "Ngày Giải phóng miền Nam, thống nhất đất nước",
        dt.date(year, 5, 1): "Ngày Quốc tế Lao động",
        dt.date(year, 9, 1): "Quốc khánh (ngày liền kề)",
        dt.date(year, 9, 2): "Quốc khánh",
    }


def working_days(
    start: dt.date, end: dt.date, weekdays: Iterable[int], holidays: Iterable[dt.date] = ()
) -> Iterator[dt.date]:
    days = set(weekdays)
    off = set(holidays)
    day = start
    while day <= end:
        if day.isoweekday() in days and day not in off:
            yield day
        day += dt.timedelta(days=1)


def free_slots(
    start: dt.date,
    end: dt.date,
    weekdays: Iterable[int],
    holidays: Iterable[dt.date] = (),
    halves: tuple[str, ...] = DAY_HALVES,
    taken: Collection[tuple[dt.date, str]] = (),
) -> Iterator[tuple[dt.date, str]]:
    """The half-days from `start` to `end` a generated timetable may use: the working days'
    `halves`, less the half-days already `taken` by sessions that stay."""
    for day in working_days(start, end, weekdays, holidays):
        for half in halves:
            if (day, half) not in taken:
                yield day, half


def lay_out(
    modules: list[ModuleSpec],
    start: dt.date,
    end: dt.date,
    *,
    weekdays: Iterable[int] = FULL_TIME_WEEKDAYS,
    holidays: Iterable[dt.date] = (),
    halves: tuple[str, ...] = ("morning", "afternoon"),
    periods_per_session: int = PERIODS_PER_SESSION,
    taken: Collection[tuple[dt.date, str]] = (),
) -> list[PlannedSession]:
    """Sessions for the modules in order, as many as fit before `end`, around the half-days
    already `taken`.

    Exams and thesis defences (modules with no periods) get one exam session each.
    Returns fewer sessions than needed when the dates are too short; the caller reports it.
    """
    slots = free_slots(start, end, weekdays, holidays, halves, taken)
    planned: list[PlannedSession] = []
    for module in modules:
        remaining = module.periods
        if remaining <= 0:
            slot = next(slots, None)
            if slot is None:
                break
            planned.append(PlannedSession(slot[0], slot[1], module.id, 0, "exam"))
            continue
        while remaining > 0:
            slot = next(slots, None)
            if slot is None:
                return planned
            periods = min(periods_per_session, remaining)
            planned.append(PlannedSession(slot[0], slot[1], module.id, periods, "lesson"))
            remaining -= periods
    return planned


def sessions_needed(modules: list[ModuleSpec], periods_per_session: int = PERIODS_PER_SESSION) -> int:
    return sum(max(1, -(-m.periods // periods_per_session)) for m in modules)


def remaining_modules(modules: list[ModuleSpec], covered: Mapping[int, int]) -> list[ModuleSpec]:
    """What is left to lay out when sessions that stay already teach some of the programme:
    `covered` gives, per module id, the periods of its sessions that stay (a module with no
    periods, an exam or a thesis, is covered by any session of it, even of 0 periods). Modules
    fully covered are left out; the others keep their order with the periods still to teach."""
    left: list[ModuleSpec] = []
    for module in modules:
        if module.id not in covered:
            left.append(module)
        elif module.periods > covered[module.id]:
            left.append(ModuleSpec(module.id, module.periods - covered[module.id], module.kind))
    return left
