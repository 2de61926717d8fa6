"""Taking attendance: the grid of a class, marks (one at a time or in bulk), locking, make-up
lessons (học bổ sung) and each learner's absences against the rule set.

* `grid`: the whole class as plain data for the keyboard-driven grid and the printouts
  (`attendance_grid`, `load_grid`: a handful of set-based queries), each learner's summary
  recomputed in memory after each change (`AttendanceGrid.apply(saved.applied())`), and
  `attendance_summary` for the graduation review;
* `marks`: `set_marks` writes a batch of changes in one transaction, all or none; `set_mark`
  one learner in one session;
* `makeups`: make-up lessons recorded, listed and deleted.

Permissions (`operations`): marking needs "mark_attendance" (a lecturer: only in a class they
teach). Locking: a session dated more than `attendance_lock_days` (settings) days before
today is locked. Changing a mark on it (entering, changing or clearing) needs
`allow_locked=True` (the caller asked for it on purpose), the "override_attendance_lock"
permission of the acting account, AND a reason; each such change is written to the audit
log with its old and new status.

The rules themselves (what counts as absent, the limit, make-up) are pure functions in
`dtbd_desktop.rules.attendance`.
"""

from dtbd_desktop.rules.attendance import ModuleAbsence
from dtbd_desktop.services.attendance.grid import (
    AttendanceGrid,
    Change,
    GridLearner,
    GridSession,
    LearnerAttendance,
    attendance_grid,
    attendance_summary,
    class_rules,
    load_grid,
    lock_cutoff,
)
from dtbd_desktop.services.attendance.makeups import MakeUpRow, delete_makeup, list_makeups, record_makeup
from dtbd_desktop.services.attendance.marks import (
    MarkChange,
    MarkPlan,
    MarksSaved,
    apply_plan,
    find_session,
    plan_marks,
    set_mark,
    set_marks,
)

__all__ = [
    "AttendanceGrid", "Change", "GridLearner", "GridSession", "LearnerAttendance", "MakeUpRow", "MarkChange",
    "MarkPlan", "MarksSaved", "ModuleAbsence", "apply_plan", "attendance_grid", "attendance_summary", "class_rules",
    "delete_makeup", "find_session", "list_makeups", "load_grid", "lock_cutoff", "plan_marks", "record_makeup",
    "set_mark", "set_marks",
]
