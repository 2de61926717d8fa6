"""Generating with a preview, and regenerating a timetable around what must stay.

The small class SC-T (Sơ cấp, full-time from Monday 3 March 2025, 23 sessions) of
`tests.test_attendance_service`, and a second class SC-U over the same days.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dtbd_desktop.base.errors import ConflictError, InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import ClassSession
from dtbd_desktop.services import attendance as att
from dtbd_desktop.services import timetable as tts
from dtbd_desktop.services.lecturers import save_lecturer
from tests.test_attendance_service import AN, build_class

D = dt.date


def snapshot(db: Database) -> list[tuple[int, dt.date, str, int | None, int | None]]:
    with db.read() as s:
        return list(s.execute(select(ClassSession.id, ClassSession.date, ClassSession.half, ClassSession.module_id,
                                     ClassSession.lecturer_id).order_by(ClassSession.id)))


def test_the_preview_of_a_new_timetable_writes_nothing(db: Database) -> None:
    build_class(db, generate=False)
    with db.read() as s:
        plan = tts.plan_timetable(s, "SC-T")
    assert plan.problem is None and (plan.kept, plan.removed) == ([], [])
    assert (len(plan.sessions), plan.first, plan.last) == (23, D(2025, 3, 3), D(2025, 3, 18))
    first = plan.modules[0]
    assert (first.code, first.periods, first.kept_periods, first.sessions, first.new_periods, first.first,
            first.last) == ("I.1", 15, 0, 3, 15, D(2025, 3, 3), D(2025, 3, 4))
    assert sum(m.new_periods for m in plan.modules) == 110
    assert plan.holidays == []  # no holiday in March 2025
    assert snapshot(db) == []
    with db.read() as s:
        assert tts.list_holidays(s, 2025) == []  # the fixed holidays are filled in only when saving


def test_a_regeneration_preview_carries_lecturers_and_shows_conflicts_holidays_and_marks(db: Database) -> None:
    build_class(db)
    build_class(db, code="SC-U", learners=[("Võ Văn Em", "080090000005", None)])
    with db.write(raw=True) as s:
        thuan = save_lecturer(s, full_name="Nguyễn Văn Thuận", title="ThS.").id
        rows = tts.list_sessions(s, "SC-T")
        assert (rows[12].date, rows[12].half, rows[12].module_code) == (D(2025, 3, 11), "morning", "II.2")
        tts.assign_lecturer(s, rows[12].id, thuan, whole_module=True)  # II.2: Tuesday 11/3
        tts.assign_lecturer(s, tts.list_sessions(s, "SC-U")[12].id, thuan)  # SC-U on Tuesday 11/3 morning too
        tts.add_holiday(s, D(2025, 3, 18), "Nghỉ theo quyết định của tỉnh")
        att.set_mark(s, "SC-T", AN, D(2025, 3, 12), "morning", "present", today=D(2025, 3, 12))
    before = snapshot(db)
    # From Monday 10/3, on Mondays, Tuesdays and Thursdays: the ten sessions held before stay,
    # and so does the marked Wednesday 12/3 morning (II.3), whatever the new weekdays.
    with db.read() as s:
        plan = tts.plan_timetable(s, "SC-T", start=D(2025, 3, 10), weekdays=[1, 2, 4])
    assert plan.problem is None and plan.start == D(2025, 3, 10)
    assert len(plan.kept) == 11 and [(r.date, r.half) for r in plan.marked_kept] == [(D(2025, 3, 12), "morning")]
    assert len(plan.removed) == 12 and all(r.date >= D(2025, 3, 10) and not r.marks for r in plan.removed)
    assert plan.existing_ids == tuple(sorted(r.id for r in rows))
    assert {n.date.isoweekday() for n in plan.sessions} == {1, 2, 4}
    by_module = {m.code: m for m in plan.modules}
    assert (by_module["II.1"].kept_periods, by_module["II.1"].sessions) == (5, 2)  # 7/3 afternoon was held
    assert (by_module["II.3"].kept_periods, by_module["II.3"].sessions) == (5, 1)  # the marked session counts
    assert sum(m.kept_periods + m.new_periods for m in plan.modules) == 110
    # II.2 comes back on Tuesday 11/3 with its lecturer, who teaches SC-U that morning.
    assert [(n.date, n.half, n.lecturer_id) for n in plan.sessions if n.module_code == "II.2"] == [
        (D(2025, 3, 11), "morning", thuan), (D(2025, 3, 11), "afternoon", thuan)]
    assert by_module["II.2"].lecturer == "ThS. Nguyễn Văn Thuận"
    assert [(c.kind, c.date, c.half) for c in plan.conflicts] == [
        ("lecturer", D(2025, 3, 11), "morning"), ("marked", D(2025, 3, 12), "morning")]
    assert plan.conflicts[0].message == ("Giảng viên ThS. Nguyễn Văn Thuận dạy hai lớp SC-T và SC-U cùng buổi sáng "
                                         "Thứ Ba 11/03/2025.")
    assert plan.conflicts[1].message == ("Buổi sáng Thứ Tư 12/03/2025 (II.3) đã điểm danh 1 lượt: giữ nguyên buổi "
                                         "này.")
    assert [(h.date, h.name) for h in plan.holidays] == [(D(2025, 3, 18), "Nghỉ theo quyết định của tỉnh")]
    assert D(2025, 3, 18) not in {n.date for n in plan.sessions}
    assert snapshot(db) == before
    # Saved as previewed.
    with db.write(raw=True) as s:
        result = tts.generate_timetable(s, "SC-T", replace=True, start=D(2025, 3, 10), weekdays=[1, 2, 4],
                                        expected_sessions=plan.existing_ids)
    assert (result.sessions, result.replaced, result.kept) == (len(plan.sessions), 12, 11)
    with db.read() as s:
        saved = tts.list_sessions(s, "SC-T")
    assert [(r.date, r.half, r.module_code, r.lecturer_id) for r in saved if r.date >= D(2025, 3, 10)] == sorted(
        [(n.date, n.half, n.module_code, n.lecturer_id) for n in plan.sessions]
        + [(D(2025, 3, 12), "morning", "II.3", None)], key=lambda x: (x[0], ["morning", "afternoon"].index(x[1])))


def test_a_change_made_after_the_preview_refuses_the_save(db: Database) -> None:
    build_class(db)
    with db.read() as s:
        plan = tts.plan_timetable(s, "SC-T", start=D(2025, 3, 10))
    with db.write(raw=True) as s:  # someone adds an exam meanwhile
        tts.add_session(s, "SC-T", day=D(2025, 3, 15), half="morning", kind="exam", periods=0)
    before = snapshot(db)
    with pytest.raises(ConflictError, match="vừa được người khác thay đổi"), db.write(raw=True) as s:
        tts.generate_timetable(s, "SC-T", replace=True, start=D(2025, 3, 10), expected_sessions=plan.existing_ids)
    assert snapshot(db) == before


def test_dates_too_short_show_in_the_preview_and_refuse_the_save(db: Database) -> None:
    build_class(db, end=D(2025, 3, 7), generate=False)
    with db.read() as s:
        plan = tts.plan_timetable(s, "SC-T")
        weekend = tts.plan_timetable(s, "SC-T", weekdays=[])
        outside = tts.plan_timetable(s, "SC-T", start=D(2025, 4, 1))
    assert plan.problem is not None and "chỉ có 10 buổi học" in plan.problem and "cần 23 buổi" in plan.problem
    assert weekend.problem == "Hãy chọn ít nhất một ngày học trong tuần."
    assert outside.problem is not None and "nằm ngoài thời gian học của lớp SC-T" in outside.problem
    with pytest.raises(InputError, match="chỉ có 10 buổi học"), db.write(raw=True) as s:
        tts.generate_timetable(s, "SC-T", expected_sessions=plan.existing_ids)
    with db.read() as s:
        assert s.scalar(select(func.count(ClassSession.id))) == 0
