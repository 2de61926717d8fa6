"""Whether a class's dates hold its programme (pure functions over plain data).

A programme knows its modules and their periods; laid out in half-day sessions (5 periods a
session, mornings and afternoons of the class's weekdays, holidays off: `rules.timetable`), that
gives the fewest sessions the class needs, hence the earliest day it can end. A Trung cấp course
(790 periods) needs months; a fostering course (50 periods) a week. Dates shorter than that are
almost always a slip (the end left at today's date), and so is a fostering course that runs for
months: both are *warnings* naming the end date, for the person to correct or confirm.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.rules.timetable import (
    DAY_HALVES,
    PERIODS_PER_SESSION,
    ModuleSpec,
    fixed_national_holidays,
    sessions_needed,
    working_days,
)

#: A fostering course (days to weeks) longer than this many days is asked about.
FOSTERING_LONGEST_DAYS = 92
#: How far ahead the earliest end is looked for (a programme that never fits: no suggestion).
SEARCH_DAYS = 3 * 366


@dataclass(frozen=True)
class CourseLength:
    periods: int  # the programme's periods
    needed: int  # half-day sessions the programme needs
    available: int  # half-day sessions between the class's dates

    @property
    def too_short(self) -> bool:
        return self.needed > 0 and self.available < self.needed


def holidays_between(start: dt.date, end: dt.date, entered: Iterable[dt.date] = ()) -> set[dt.date]:
    """The days off between two dates: those the centre entered, and the fixed national holidays."""
    days = {d for d in entered if start <= d <= end}
    for year in range(start.year, end.year + 1):
        days.update(d for d in fixed_national_holidays(year) if start <= d <= end)
    return days


def course_length(modules: Sequence[ModuleSpec], start: dt.date, end: dt.date, *, weekdays: Iterable[int],
                  holidays: Iterable[dt.date] = (), halves: Sequence[str] = DAY_HALVES,
                  periods_per_session: int = PERIODS_PER_SESSION) -> CourseLength:
    """How many sessions the programme needs and how many the dates hold."""
    needed = sessions_needed(list(modules), periods_per_session) if modules else 0
    days = sum(1 for _ in working_days(start, end, weekdays, holidays_between(start, end, holidays))) if end >= start else 0
    return CourseLength(periods=sum(m.periods for m in modules), needed=needed, available=days * len(halves))


def earliest_end(modules: Sequence[ModuleSpec], start: dt.date, *, weekdays: Iterable[int],
                 holidays: Iterable[dt.date] = (), halves: Sequence[str] = DAY_HALVES,
                 periods_per_session: int = PERIODS_PER_SESSION) -> dt.date | None:
    """The first day by which the programme's sessions fit, counted from `start`; None if it has no
    module or never fits within three years."""
    needed = sessions_needed(list(modules), periods_per_session) if modules else 0
    if needed == 0:
        return None
    last = start + dt.timedelta(days=SEARCH_DAYS)
    off = holidays_between(start, last, holidays)
    held = 0
    for day in working_days(start, last, weekdays, off):
        held += len(halves)
        if held >= needed:
            return day
    return None


def _span(start: dt.date, end: dt.date) -> str:
    days = (end - start).days + 1
    if days < 60:
        return tr("course_dates", "{n} ngày").format(n=days)
    return tr("course_dates", "khoảng {n} tháng").format(n=round(days / 30.4))


def date_warnings(programme: str, kind: str, modules: Sequence[ModuleSpec], start: dt.date, end: dt.date, *,
                  weekdays: Iterable[int], holidays: Iterable[dt.date] = ()) -> list[Problem]:
    """What looks wrong with a class's dates for its programme (`kind`: training or fostering), as
    problems on the end date; empty when they look right (or the end is before the start, which
    the class's own check refuses)."""
    if end < start or not modules:
        return []
    days = tuple(weekdays)
    length = course_length(modules, start, end, weekdays=days, holidays=holidays)
    problems: list[Problem] = []
    if length.too_short:
        soonest = earliest_end(modules, start, weekdays=days, holidays=holidays)
        hint = (tr("course_dates", " Học đủ chương trình thì sớm nhất kết thúc ngày {date}.").format(
            date=text.format_date(soonest)) if soonest else "")
        problems.append(Problem(tr(
            "course_dates", "Ngày kết thúc: từ {start} đến {end} lớp chỉ có {available} buổi học, chương trình "
                            "{programme} ({periods} tiết) cần ít nhất {needed} buổi.{hint} Kiểm tra lại ngày kết "
                            "thúc.").format(
            start=text.format_date(start), end=text.format_date(end), available=length.available,
            programme=programme, periods=text.format_decimal(length.periods, 0), needed=length.needed, hint=hint),
            field="end"))
    elif kind == "fostering" and (end - start).days + 1 > FOSTERING_LONGEST_DAYS:
        problems.append(Problem(tr(
            "course_dates", "Ngày kết thúc: lớp bồi dưỡng {programme} cần {needed} buổi học nhưng kéo dài từ {start} "
                            "đến {end} ({span}). Kiểm tra lại ngày kết thúc.").format(
            programme=programme, needed=length.needed, start=text.format_date(start), end=text.format_date(end),
            span=_span(start, end)), field="end"))
    return problems
