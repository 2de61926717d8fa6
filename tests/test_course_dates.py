"""A class's dates against its programme's length (rules.course_dates), by tables of cases."""

from __future__ import annotations

import datetime as dt

import pytest

from dtbd_desktop.rules.course_dates import course_length, date_warnings, earliest_end
from dtbd_desktop.rules.timetable import FULL_TIME_WEEKDAYS, PART_TIME_WEEKDAYS, ModuleSpec

D = dt.date
FIFTY = [ModuleSpec(1, 20), ModuleSpec(2, 30)]  # 4 + 6 = 10 half-day sessions: a week full-time
TRUNG_CAP = [ModuleSpec(i, 40) for i in range(20)]  # 800 periods: 160 sessions, 16 weeks full-time


@pytest.mark.parametrize(("modules", "start", "weekdays", "holidays", "expected"), [
    (FIFTY, D(2027, 1, 4), FULL_TIME_WEEKDAYS, (), D(2027, 1, 8)),  # Monday to Friday
    (FIFTY, D(2027, 1, 6), FULL_TIME_WEEKDAYS, (), D(2027, 1, 12)),  # over the weekend
    (FIFTY, D(2027, 4, 26), FULL_TIME_WEEKDAYS, (), D(2027, 5, 3)),  # 30/4 is off, 1/5 a Saturday
    (FIFTY, D(2027, 1, 4), FULL_TIME_WEEKDAYS, (D(2027, 1, 5),), D(2027, 1, 11)),  # a day the centre closed
    (FIFTY, D(2027, 1, 4), PART_TIME_WEEKDAYS, (), D(2027, 1, 23)),  # five weekend days
    (TRUNG_CAP, D(2027, 1, 4), FULL_TIME_WEEKDAYS, (), D(2027, 4, 23)),  # 80 weekdays
    ([], D(2027, 1, 4), FULL_TIME_WEEKDAYS, (), None),
])
def test_the_earliest_end_of_a_course(modules: list[ModuleSpec], start: dt.date, weekdays: tuple[int, ...],
                                      holidays: tuple[dt.date, ...], expected: dt.date | None) -> None:
    assert earliest_end(modules, start, weekdays=weekdays, holidays=holidays) == expected


@pytest.mark.parametrize(("end", "available", "short"), [
    (D(2027, 1, 4), 2, True),  # start = end: the slip the training office made
    (D(2027, 1, 7), 8, True),
    (D(2027, 1, 8), 10, False),  # exactly enough
    (D(2027, 1, 3), 0, True),  # before the start: holds nothing
])
def test_how_many_sessions_the_dates_hold(end: dt.date, available: int, short: bool) -> None:
    length = course_length(FIFTY, D(2027, 1, 4), end, weekdays=FULL_TIME_WEEKDAYS)
    assert (length.periods, length.needed, length.available, length.too_short) == (50, 10, available, short)


def test_a_months_long_course_ending_the_day_it_starts_is_named_on_the_end_date() -> None:
    problems = date_warnings("TC", "training", TRUNG_CAP, D(2027, 1, 5), D(2027, 1, 5), weekdays=FULL_TIME_WEEKDAYS)
    assert [p.field for p in problems] == ["end"]
    assert problems[0].message == (
        "Ngày kết thúc: từ 05/01/2027 đến 05/01/2027 lớp chỉ có 2 buổi học, chương trình TC (800 tiết) cần ít nhất "
        "160 buổi. Học đủ chương trình thì sớm nhất kết thúc ngày 26/04/2027. Kiểm tra lại ngày kết thúc.")


@pytest.mark.parametrize(("kind", "modules", "end", "warned"), [
    ("training", TRUNG_CAP, D(2027, 8, 31), False),  # eight months of Trung cấp: right
    ("training", TRUNG_CAP, D(2027, 4, 22), True),  # a day short
    ("fostering", FIFTY, D(2027, 1, 15), False),  # a week and a half
    ("fostering", FIFTY, D(2027, 4, 5), False),  # 92 days: the longest asked nothing
    ("fostering", FIFTY, D(2027, 8, 31), True),  # a fostering course for eight months: a slip
    ("fostering", [], D(2027, 1, 4), False),  # no modules: nothing to compare with
])
def test_which_dates_are_warned_about(kind: str, modules: list[ModuleSpec], end: dt.date, warned: bool) -> None:
    problems = date_warnings("X", kind, modules, D(2027, 1, 4), end, weekdays=FULL_TIME_WEEKDAYS)
    assert bool(problems) is warned
    assert all(p.field == "end" and p.message.startswith("Ngày kết thúc:") for p in problems)
