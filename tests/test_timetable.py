"""Laying modules over working days in half-day sessions."""

from __future__ import annotations

import datetime as dt

from dtbd_desktop.rules.timetable import (
    ModuleSpec,
    fixed_national_holidays,
    lay_out,
    remaining_modules,
    sessions_needed,
    working_days,
)


def test_working_days_skip_weekends_and_holidays() -> None:
    # Monday 28/4/2025 to Sunday 4/5/2025: 30/4 and 1/5 are holidays, 3–4/5 a weekend.
    days = list(working_days(dt.date(2025, 4, 28), dt.date(2025, 5, 4), (1, 2, 3, 4, 5),
                             fixed_national_holidays(2025)))
    assert days == [dt.date(2025, 4, 28), dt.date(2025, 4, 29), dt.date(2025, 5, 2)]


def test_part_time_weekend_classes() -> None:
    days = list(working_days(dt.date(2025, 3, 3), dt.date(2025, 3, 16), (6, 7)))
    assert days == [dt.date(2025, 3, 8), dt.date(2025, 3, 9), dt.date(2025, 3, 15), dt.date(2025, 3, 16)]


def test_modules_fill_half_days_in_order() -> None:
    modules = [ModuleSpec(1, 12), ModuleSpec(2, 5), ModuleSpec(3, 0, "graduation_exam")]
    planned = lay_out(modules, dt.date(2025, 3, 3), dt.date(2025, 3, 31))
    # 12 periods = 5 + 5 + 2 over three half-days, then 5, then the exam session.
    assert [(p.date.day, p.half, p.module_id, p.periods, p.kind) for p in planned] == [
        (3, "morning", 1, 5, "lesson"),
        (3, "afternoon", 1, 5, "lesson"),
        (4, "morning", 1, 2, "lesson"),
        (4, "afternoon", 2, 5, "lesson"),
        (5, "morning", 3, 0, "exam"),
    ]
    assert sessions_needed(modules) == 5


def test_too_short_dates_give_fewer_sessions() -> None:
    planned = lay_out([ModuleSpec(1, 50)], dt.date(2025, 3, 3), dt.date(2025, 3, 4))
    assert len(planned) == 4
    assert sum(p.periods for p in planned) == 20


def test_what_is_left_when_sessions_stay() -> None:
    """Module 1 (12 periods) already has 7 in sessions that stay, module 2 all of its 5, the exam
    (3, no periods) a session of 0 periods; module 4 none."""
    modules = [ModuleSpec(1, 12), ModuleSpec(2, 5), ModuleSpec(3, 0, "graduation_exam"), ModuleSpec(4, 10)]
    left = remaining_modules(modules, {1: 7, 2: 5, 3: 0})
    assert left == [ModuleSpec(1, 5), ModuleSpec(4, 10)]
    assert remaining_modules(modules, {}) == modules
    assert remaining_modules(modules, {1: 15}) == modules[1:]  # more than the programme's: nothing left


def test_laying_out_around_half_days_taken() -> None:
    # Monday 3/3 morning and Tuesday 4/3 afternoon are taken by sessions that stay.
    taken = {(dt.date(2025, 3, 3), "morning"), (dt.date(2025, 3, 4), "afternoon")}
    planned = lay_out([ModuleSpec(1, 12), ModuleSpec(2, 5)], dt.date(2025, 3, 3), dt.date(2025, 3, 31), taken=taken)
    assert [(p.date.day, p.half, p.module_id, p.periods) for p in planned] == [
        (3, "afternoon", 1, 5), (4, "morning", 1, 5), (5, "morning", 1, 2), (5, "afternoon", 2, 5)]
