"""A class's timetable: generating it over weekends and holidays, editing it, conflicts, the calendar."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, ClassSession, Holiday
from dtbd_desktop.services import attendance as att
from dtbd_desktop.services import settings
from dtbd_desktop.services import timetable as tts
from dtbd_desktop.services.lecturers import save_lecturer
from tests.test_attendance_service import AN, LEARNERS, build_class

D = dt.date


def sessions_of(db: Database, code: str) -> list[tts.SessionRow]:
    with db.read() as s:
        return tts.list_sessions(s, code)


def test_generate_skips_weekends_and_the_holidays_of_the_calendar(db: Database) -> None:
    # Monday 28/4/2025: 30/4 and 1/5 are national holidays, filled into the empty calendar.
    build_class(db, start=D(2025, 4, 28), end=D(2025, 5, 30), generate=False)
    with db.write(raw=True) as s:
        result = tts.generate_timetable(s, "SC-T")
    assert result.sessions == 23 and result.replaced == 0
    assert result.holidays_skipped == [D(2025, 4, 30), D(2025, 5, 1)]
    rows = sessions_of(db, "SC-T")
    days = sorted({r.date for r in rows})
    assert days[:4] == [D(2025, 4, 28), D(2025, 4, 29), D(2025, 5, 2), D(2025, 5, 5)]
    assert all(d.isoweekday() <= 5 for d in days)
    assert len(days) == 12 and rows[-1].kind == "exam" and rows[-1].module_code == "KT"
    assert sum(r.periods for r in rows) == 110
    assert [r.as_json() for r in rows[:2]] == [
        {"date": "2025-04-28", "half": "morning", "module": "I.1", "lecturer": None, "periods": 5, "kind": "lesson"},
        {"date": "2025-04-28", "half": "afternoon", "module": "I.1", "lecturer": None, "periods": 5,
         "kind": "lesson"}]
    with db.read() as s:
        assert len(tts.list_holidays(s, 2025)) == 5


def test_a_calendar_the_centre_edited_is_left_as_it_is(db: Database) -> None:
    with db.write(raw=True) as s:
        tts.add_holiday(s, D(2025, 4, 29), "Nghỉ bù")  # the centre's own calendar for 2025
    build_class(db, start=D(2025, 4, 28), end=D(2025, 5, 30))
    days = sorted({r.date for r in sessions_of(db, "SC-T")})
    assert days[:3] == [D(2025, 4, 28), D(2025, 4, 30), D(2025, 5, 1)]


def test_part_time_classes_meet_on_their_chosen_weekdays_or_at_weekends(db: Database) -> None:
    build_class(db, code="VLVH", mode="part-time", start=D(2025, 3, 1), end=D(2025, 6, 30), weekdays=[3, 6])
    build_class(db, code="CUOITUAN", mode="part-time", start=D(2025, 3, 1), end=D(2025, 6, 30),
                learners=[("Võ Văn Em", "080090000005", None)])
    assert {r.date.isoweekday() for r in sessions_of(db, "VLVH")} == {3, 6}
    assert {r.date.isoweekday() for r in sessions_of(db, "CUOITUAN")} == {6, 7}
    assert sessions_of(db, "CUOITUAN")[0].date == D(2025, 3, 1)


def test_dates_too_short_are_refused_and_nothing_is_written(db: Database) -> None:
    build_class(db, end=D(2025, 3, 7), generate=False)
    with pytest.raises(InputError, match="chỉ có 10 buổi học.*cần 23 buổi"), db.write(raw=True) as s:
        tts.generate_timetable(s, "SC-T")
    assert sessions_of(db, "SC-T") == []


def test_regenerating_needs_replace_and_keeps_the_sessions_held(db: Database) -> None:
    build_class(db)
    with pytest.raises(InputError, match="đã có thời khóa biểu"), db.write(raw=True) as s:
        tts.generate_timetable(s, "SC-T")
    with db.write(raw=True) as s:
        assert tts.generate_timetable(s, "SC-T", replace=True).replaced == 23
    assert len(sessions_of(db, "SC-T")) == 23
    # Monday 3/3 morning is marked; the class then meets Monday, Wednesday and Friday only.
    with db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 3), "morning", "present", today=D(2025, 3, 3))
    before = {(r.date, r.half): r for r in sessions_of(db, "SC-T")}
    with db.write(raw=True) as s:
        result = tts.generate_timetable(s, "SC-T", replace=True, weekdays=[1, 3, 5])
    # From Tuesday 4/3 (the day after the last marked session): 3/3 morning (marked) and 3/3
    # afternoon (before that day) stay, with 10 of I.1's 15 periods; the other 21 are replaced.
    assert (result.kept, result.replaced, result.sessions) == (2, 21, 21)
    rows = sessions_of(db, "SC-T")
    assert [r.id for r in rows[:2]] == [before[(D(2025, 3, 3), h)].id for h in ("morning", "afternoon")]
    assert rows[0].marks == 1
    assert [(r.date, r.half, r.module_code, r.periods) for r in rows[2:4]] == [
        (D(2025, 3, 5), "morning", "I.1", 5), (D(2025, 3, 5), "afternoon", "I.2", 5)]
    assert {r.date.isoweekday() for r in rows} == {1, 3, 5}
    assert sum(r.periods for r in rows) == 110 and len({(r.date, r.half) for r in rows}) == len(rows)
    with db.read() as s:
        assert s.scalar(select(ClassSession.class_id).where(ClassSession.id == rows[0].id)) is not None
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "timetable.generate")
                          .order_by(AuditEntry.id.desc()).limit(1)).one()
        assert '"kept": 2' in (entry.new_value or "") and '"weekdays": [1, 3, 5]' in (entry.new_value or "")
        plan = tts.plan_timetable(s, "SC-T")
    assert plan.weekdays == (1, 3, 5)  # kept as the class's weekdays


def test_a_session_moved_after_marks_were_taken_keeps_its_marks(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 3), "morning", "excused", today=D(2025, 3, 3))
    session_id = sessions_of(db, "SC-T")[0].id
    with db.write(raw=True) as s:
        moved = tts.move_session(s, session_id, D(2025, 3, 29), "morning")  # a Saturday, free
    assert (moved.date, moved.half, moved.marks) == (D(2025, 3, 29), "morning", 1)
    with db.read() as s:
        grid = att.attendance_grid(s, "SC-T", today=D(2025, 3, 29))
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "session")).one()
        assert (entry.action, entry.old_value) == ("move", '{"date": "2025-03-03", "half": "morning"}')
    assert grid.sessions[-1].id == session_id  # now the last session
    enrolment = next(lr.enrolment_id for lr in grid.learners if lr.national_id == AN)
    assert grid.marks == {(enrolment, session_id): "excused"}
    assert grid.summary[enrolment].absent_periods == 5


def test_moving_onto_a_taken_half_day_or_outside_the_class_is_refused(db: Database) -> None:
    build_class(db)
    rows = sessions_of(db, "SC-T")
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        tts.move_session(s, rows[0].id, D(2025, 3, 4), "afternoon")
    assert "đã có buổi học chiều Thứ Ba 04/03/2025 (I.2)" in refused.value.problems[0].message
    with pytest.raises(InputError, match="Không dời được"), db.write(raw=True) as s:
        tts.move_session(s, rows[0].id, D(2025, 5, 4), "morning")
    assert sessions_of(db, "SC-T")[0].date == D(2025, 3, 3)


def test_field_trips_exams_and_extra_sessions(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        trip = tts.add_session(s, "SC-T", day=D(2025, 3, 22), half="morning", kind="field_trip", module_code="IV.2",
                               periods=5, topic="Khu di tích Ngã Tư Đức Hòa")
        exam = tts.add_session(s, "SC-T", day=D(2025, 3, 24), half="morning", kind="exam", periods=0)
    assert (trip.kind, trip.module_code, trip.topic) == ("field_trip", "IV.2", "Khu di tích Ngã Tư Đức Hòa")
    assert exam.module_code is None
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        tts.add_session(s, "SC-T", day=D(2025, 3, 22), half="morning", kind="lesson", module_code="ZZ", periods=9)
    assert {p.field for p in refused.value.problems} == {"date", "module", "periods"}
    assert len(sessions_of(db, "SC-T")) == 25


def test_deleting_a_marked_session_needs_force_and_a_reason_and_is_audited(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 3), "morning", "unexcused", today=D(2025, 3, 3))
    rows = sessions_of(db, "SC-T")
    with pytest.raises(InputError, match="đã điểm danh 1 lượt"), db.write(raw=True) as s:
        tts.delete_session(s, rows[0].id)
    with pytest.raises(InputError, match="lý do"), db.write(raw=True) as s:
        tts.delete_session(s, rows[0].id, force=True)
    with db.write(raw=True) as s:
        tts.delete_session(s, rows[1].id)  # nothing marked in it
        tts.delete_session(s, rows[0].id, force=True, reason="Buổi học bị hủy do bão")
    assert len(sessions_of(db, "SC-T")) == 21
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "delete")).one()
        assert (entry.entity, entry.reason, entry.username) == ("session", "Buổi học bị hủy do bão", "quantri")
        assert '"unexcused"' in (entry.old_value or "")


def test_a_lecturer_in_two_classes_at_once_is_a_conflict(db: Database) -> None:
    build_class(db)
    build_class(db, code="SC-U", learners=[("Võ Văn Em", "080090000005", None)])
    with db.write(raw=True) as s:
        lecturer = save_lecturer(s, full_name="Nguyễn Văn Thuận", title="ThS.")
        other = save_lecturer(s, full_name="Lê Thị Hoa")
        lecturer_id, other_id = lecturer.id, other.id
    a, b = sessions_of(db, "SC-T"), sessions_of(db, "SC-U")
    with db.write(raw=True) as s:
        assert tts.assign_lecturer(s, a[0].id, lecturer_id, whole_module=True) == 3  # all of I.1
        tts.assign_lecturer(s, b[0].id, lecturer_id)
        tts.assign_lecturer(s, b[1].id, other_id)
    with db.read() as s:
        found = tts.timetable_conflicts(s, "SC-T")
        assert tts.timetable_conflicts(s) == found
        assert tts.timetable_conflicts(s, "SC-T", start=D(2025, 3, 4)) == []
    assert [(c.kind, c.date, c.half, c.classes) for c in found] == [
        ("lecturer", D(2025, 3, 3), "morning", ("SC-T", "SC-U"))]
    assert found[0].message == ("Giảng viên ThS. Nguyễn Văn Thuận dạy hai lớp SC-T và SC-U cùng buổi sáng Thứ Hai "
                                "03/03/2025.")
    assert sessions_of(db, "SC-T")[0].lecturer == "ThS. Nguyễn Văn Thuận"


def test_a_holiday_added_after_the_timetable_is_flagged(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        tts.add_holiday(s, D(2025, 3, 10), "Nghỉ theo quyết định của tỉnh")
    with db.read() as s:
        found = tts.timetable_conflicts(s, "SC-T")
    assert [(c.kind, c.half) for c in found] == [("holiday", "morning"), ("holiday", "afternoon")]
    assert "ngày nghỉ Nghỉ theo quyết định của tỉnh" in found[0].message


def test_the_holiday_calendar(db: Database) -> None:
    with db.write(raw=True) as s:
        assert tts.seed_national_holidays(s, 2026) == 5
        assert tts.seed_national_holidays(s, 2026) == 0
        tts.add_holiday(s, D(2026, 2, 17), "Tết Nguyên đán")
        tts.add_holiday(s, D(2026, 2, 17), "Mùng 1 Tết Nguyên đán")  # renamed, not doubled
        tts.remove_holiday(s, D(2026, 9, 1))
    with db.read() as s:
        rows = tts.list_holidays(s, 2026)
        assert s.scalar(select(func.count(Holiday.id))) == 5
    assert [(r.date, r.name) for r in rows][:2] == [(D(2026, 1, 1), "Tết Dương lịch"),
                                                    (D(2026, 2, 17), "Mùng 1 Tết Nguyên đán")]
    with pytest.raises(InputError), db.write(raw=True) as s:
        tts.remove_holiday(s, D(2026, 9, 1))
    with pytest.raises(InputError), db.write(raw=True) as s:
        tts.add_holiday(s, D(2026, 3, 1), "  ")


def test_locking_does_not_stop_a_move_but_the_move_is_recorded(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=1)
        att.set_mark(s, "SC-T", AN, D(2025, 3, 3), "morning", "present", today=D(2025, 3, 3))
    first = sessions_of(db, "SC-T")[0].id
    with db.write(raw=True) as s:
        tts.move_session(s, first, D(2025, 3, 31), "evening")
    with db.read() as s:
        assert s.scalar(select(ClassSession.half).where(ClassSession.id == first)) == "evening"
    assert len(LEARNERS) == 4
