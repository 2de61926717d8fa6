"""A class's timetable (thời khóa biểu) and the centre's holiday calendar.

* `sessions`: the sessions of a class, listed and edited one at a time (move, assign a
  lecturer, add a lesson, a field trip or an exam, delete), the conflicts the week view flags
  (a lecturer in two classes at once, a session on a holiday or outside the class's dates), and
  the holiday calendar;
* `generation`: the whole timetable laid out from the programme's modules over working days
  (`plan_timetable`: the preview, writing nothing; `generate_timetable`: the operation), and
  regenerated around the sessions that must stay (held, with attendance marks, added by hand).

Changes are operations needing the "edit_classes" permission (`operations`).
"""

from dtbd_desktop.services.timetable.generation import (
    GenerateResult,
    ModulePlan,
    NewSession,
    TimetablePlan,
    calendar_holidays,
    default_start,
    generate_timetable,
    plan_timetable,
)
from dtbd_desktop.services.timetable.sessions import (
    MAX_PERIODS_PER_SESSION,
    Conflict,
    HolidayRow,
    SessionRow,
    add_holiday,
    add_session,
    assign_lecturer,
    delete_session,
    holiday_dates,
    lecturer_display_name,
    list_holidays,
    list_sessions,
    move_session,
    remove_holiday,
    seed_national_holidays,
    timetable_conflicts,
)

__all__ = [
    "MAX_PERIODS_PER_SESSION", "Conflict", "GenerateResult", "HolidayRow", "ModulePlan", "NewSession", "SessionRow",
    "TimetablePlan", "add_holiday", "add_session", "assign_lecturer", "calendar_holidays", "default_start",
    "delete_session", "generate_timetable", "holiday_dates", "lecturer_display_name", "list_holidays",
    "list_sessions", "move_session", "plan_timetable", "remove_holiday", "seed_national_holidays",
    "timetable_conflicts",
]
