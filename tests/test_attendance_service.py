"""Taking attendance in a class: marks one by one and in bulk, locking, make-up, the summary.

The small class: Sơ cấp LLCT (SC), full-time from Monday 3 March 2025; its timetable puts
module I.1 (15 periods) on 3/3 morning, 3/3 afternoon and 4/3 morning, I.2 (10) on 4/3
afternoon and 5/3 morning, ... 23 sessions, 110 periods.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from sqlalchemy import func, select

from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AttendanceMark, AuditEntry, ClassSession, Enrolment, Learner, Organisation
from dtbd_desktop.services import attendance as att
from dtbd_desktop.services import classes, settings
from dtbd_desktop.services import timetable as timetable_service
from dtbd_desktop.services.learners import person_keys

D = dt.date
TODAY = D(2025, 3, 12)  # a Wednesday: 3/3 is 9 days ago (locked at 7 days), 5/3 is 7 days ago (not yet)

LEARNERS = [
    ("Nguyễn Văn An", "080090000001", "Ủy ban nhân dân xã Mỹ Yên"),
    ("Trần Thị Bình", "080190000002", "Ủy ban nhân dân xã Mỹ Yên"),
    ("Lê Văn Cường", "080090000003", "Ban Tổ chức Huyện ủy Bến Lức"),
    ("Phạm Thị Dung", "080190000004", "Ban Tổ chức Huyện ủy Bến Lức"),
]


def add_learner(s: object, cls: object, full_name: str, national_id: str, organisation: str | None) -> Enrolment:
    from sqlalchemy.orm import Session

    assert isinstance(s, Session)
    family, *middle, given = full_name.split(" ")
    sort_key, search_key = person_keys(family, " ".join(middle), given)
    org = None
    if organisation:
        org = s.scalar(select(Organisation).where(Organisation.name == organisation))
        if org is None:
            org = Organisation(name=organisation, search_key=organisation.lower())
            s.add(org)
    person = Learner(family_name=family, middle_name=" ".join(middle), given_name=given, birth_year=1985,
                     gender="F" if national_id[3] == "1" else "M", national_id=national_id, sort_key=sort_key,
                     search_key=search_key, organisation=org)
    enrolment = Enrolment(training_class=cls, learner=person, organisation=org)
    s.add(enrolment)
    s.flush()
    return enrolment


CLASS_START, CLASS_END = D(2025, 3, 3), D(2025, 3, 31)


def build_class(db: Database, *, code: str = "SC-T", programme: str = "SC", start: dt.date = CLASS_START,
                end: dt.date = CLASS_END, learners: Sequence[tuple[str, str, str | None]] = LEARNERS,
                mode: str = "full-time", weekdays: list[int] | None = None, generate: bool = True) -> int:
    """A class with learners and (by default) its generated timetable; returns the class id."""
    with db.write(raw=True) as s:
        cls = classes.create_class(s, code=code, programme=programme, start=start, end=end, mode=mode,
                                   weekdays=weekdays)
        for full_name, national_id, organisation in learners:
            add_learner(s, cls, full_name, national_id, organisation)
        if generate:
            timetable_service.generate_timetable(s, code)
        return cls.id


def ids(db: Database, code: str = "SC-T") -> tuple[dict[str, int], dict[tuple[dt.date, str], int]]:
    """Enrolment ids by CCCD, session ids by (date, half)."""
    with db.read() as s:
        grid = att.attendance_grid(s, code, today=TODAY)
    return ({lr.national_id or "": lr.enrolment_id for lr in grid.learners},
            {(se.date, se.half): se.id for se in grid.sessions})


def marks_in(db: Database) -> dict[tuple[int, int], str]:
    with db.read() as s:
        return {(e, se): st for e, se, st in s.execute(
            select(AttendanceMark.enrolment_id, AttendanceMark.session_id, AttendanceMark.status))}


AN, BINH, CUONG, DUNG = (n for _name, n, _org in LEARNERS)


def test_the_grid_has_learners_in_vietnamese_order_and_sessions_in_date_order(db: Database) -> None:
    class_id = build_class(db)
    with db.read() as s:
        grid = att.attendance_grid(s, "SC-T", today=TODAY)
    assert grid.class_id == class_id
    assert [lr.full_name for lr in grid.learners] == ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường",
                                                      "Phạm Thị Dung"]
    assert len(grid.sessions) == 23
    assert [(se.date, se.half, se.module_code, se.periods) for se in grid.sessions[:4]] == [
        (D(2025, 3, 3), "morning", "I.1", 5), (D(2025, 3, 3), "afternoon", "I.1", 5),
        (D(2025, 3, 4), "morning", "I.1", 5), (D(2025, 3, 4), "afternoon", "I.2", 5)]
    assert grid.sessions[-1].kind == "exam"
    assert grid.marks == {}
    assert all(la.certificate_eligible and la.absent_periods == 0 for la in grid.summaries())
    assert grid.lock_before == D(2025, 3, 5)
    assert grid.is_locked(grid.sessions[0].id) and not grid.is_locked(grid.sessions[4].id)


def test_set_one_mark_change_it_and_clear_it(db: Database) -> None:
    build_class(db)
    learners, sessions = ids(db)
    with db.write(raw=True) as s:
        saved = att.set_mark(s, "SC-T", AN, D(2025, 3, 10), "morning", "excused", today=TODAY)
    assert saved.changed == 1 and saved.changes[0].old is None
    key = (learners[AN], sessions[(D(2025, 3, 10), "morning")])
    assert marks_in(db) == {key: "excused"}
    with db.write(raw=True) as s:
        saved = att.set_mark(s, "SC-T", AN, D(2025, 3, 10), "morning", "unexcused", today=TODAY)
        assert saved.changes[0].old == "excused"
        assert att.set_mark(s, "SC-T", AN, D(2025, 3, 10), "morning", "unexcused", today=TODAY).changed == 0
    assert marks_in(db) == {key: "unexcused"}
    with db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 10), "morning", None, today=TODAY)
    assert marks_in(db) == {}


@pytest.mark.parametrize(
    ("national_id", "day", "half", "status", "error", "words"),
    [
        ("080090000099", D(2025, 3, 10), "morning", "present", NotFoundError, "không có học viên số CCCD 080090000099"),
        (AN, D(2025, 3, 8), "morning", "present", NotFoundError, "không có buổi học nào"),  # a Saturday
        (AN, D(2025, 3, 10), "evening", "present", NotFoundError, "Ngày này lớp học buổi: sáng, chiều"),
        (AN, D(2025, 3, 10), "morning", "absent", InputError, "Trạng thái 'absent' không hợp lệ"),
        (AN, D(2025, 3, 14), "morning", "present", InputError, "chưa diễn ra"),
        ("12345", D(2025, 3, 10), "morning", "present", InputError, "CCCD"),
    ],
)
def test_set_mark_refusals_change_nothing(db: Database, national_id: str, day: dt.date, half: str, status: str,
                                          error: type[Exception], words: str) -> None:
    build_class(db)
    with pytest.raises(error, match=words), db.write(raw=True) as s:
        att.set_mark(s, "SC-T", national_id, day, half, status, today=TODAY)
    assert marks_in(db) == {}


def test_an_excused_absence_may_be_entered_ahead(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        att.set_mark(s, "SC-T", BINH, D(2025, 3, 17), "afternoon", "excused", today=TODAY)
    assert list(marks_in(db).values()) == ["excused"]


def test_everyone_present_paste_and_undo_in_bulk(db: Database) -> None:
    class_id = build_class(db)
    learners, sessions = ids(db)
    day = sessions[(D(2025, 3, 10), "morning")]
    with db.write(raw=True) as s:
        saved = att.set_marks(s, class_id, [(e, day, "present") for e in learners.values()], today=TODAY)
    assert saved.changed == 4
    pasted = [(learners[AN], day, "late"), (learners[AN], sessions[(D(2025, 3, 10), "afternoon")], "unexcused"),
              (learners[BINH], day, "present")]  # the last one changes nothing
    with db.write(raw=True) as s:
        saved = att.set_marks(s, class_id, pasted, today=TODAY)
    assert saved.changed == 2
    assert marks_in(db)[(learners[AN], day)] == "late"
    with db.write(raw=True) as s:
        att.set_marks(s, class_id, saved.undo(), today=TODAY)
    assert marks_in(db) == {(e, day): "present" for e in learners.values()}


def test_a_bulk_change_is_all_or_nothing(db: Database) -> None:
    class_id = build_class(db)
    other_id = build_class(db, code="SC-U", learners=[("Võ Văn Em", "080090000005", None)])
    learners, sessions = ids(db)
    other_learners, _ = ids(db, "SC-U")
    day = sessions[(D(2025, 3, 10), "morning")]
    changes: list[att.Change] = [
        (learners[AN], day, "present"),
        (learners[BINH], day, "asleep"),  # unknown status
        (other_learners["080090000005"], day, "present"),  # a learner of another class
        (learners[CUONG], sessions[(D(2025, 3, 3), "morning")], "present"),  # locked
    ]
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        att.set_marks(s, class_id, changes, today=TODAY)
    assert [p.row for p in refused.value.problems] == [2, 3, 4]
    assert "không có gì bị thay đổi" in refused.value.message
    assert marks_in(db) == {}
    assert other_id != class_id


def test_locked_marks_need_permission_and_a_reason_and_are_audited(db: Database) -> None:
    class_id = build_class(db)
    learners, sessions = ids(db)
    old_day = sessions[(D(2025, 3, 4), "morning")]  # 8 days before TODAY: locked
    edge_day = sessions[(D(2025, 3, 5), "morning")]  # 7 days before: still open
    with db.write(raw=True) as s:  # entered while it was open
        att.set_marks(s, class_id, [(learners[AN], old_day, "unexcused")], today=D(2025, 3, 4))
    with pytest.raises(InputError, match="đã khóa"), db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 4), "morning", "excused", today=TODAY)
    with pytest.raises(InputError, match="lý do"), db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 4), "morning", "excused", allow_locked=True, today=TODAY)
    with db.write(raw=True) as s:  # the day at the lock's edge needs nothing
        att.set_marks(s, class_id, [(learners[AN], edge_day, "present")], today=TODAY)
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.entity == "attendance")) == 0
    with db.write(raw=True) as s:
        saved = att.set_mark(s, "SC-T", AN, D(2025, 3, 4), "morning", "excused", allow_locked=True, today=TODAY,
                             reason="Có giấy xin phép của UBND xã")
    assert saved.audited == 1
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity == "attendance")).one()
        assert (entry.entity, entry.field, entry.old_value, entry.new_value, entry.reason, entry.username) == (
            "attendance", "status", "unexcused", "excused", "Có giấy xin phép của UBND xã", "quantri")
        assert entry.entity_id == f"{learners[AN]}:{old_day}"
    assert marks_in(db)[(learners[AN], old_day)] == "excused"


def test_lock_days_come_from_the_settings(db: Database) -> None:
    build_class(db)
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=30)
    with db.write(raw=True) as s:
        att.set_mark(s, "SC-T", AN, D(2025, 3, 3), "morning", "present", today=TODAY)
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=None)  # locking switched off
    with db.read() as s:
        assert att.attendance_grid(s, "SC-T", today=D(2026, 1, 1)).lock_before is None


def _mark(db: Database, class_id: int, statuses: dict[tuple[str, dt.date, str], str]) -> None:
    learners, sessions = ids(db)
    with db.write(raw=True) as s:
        att.set_marks(s, class_id, [(learners[n], sessions[(d, h)], st) for (n, d, h), st in statuses.items()],
                      today=TODAY)


def test_summary_worked_out_by_hand(db: Database) -> None:
    class_id = build_class(db)
    with db.read() as s:
        grid = att.attendance_grid(s, "SC-T", today=TODAY)
    by_slot = {(se.date, se.half): se.module_code for se in grid.sessions}
    # The timetable as laid out: I.1 3/3 M, 3/3 A, 4/3 M; I.2 4/3 A, 5/3 M; I.3 5/3 A, 6/3 M; I.4 6/3 A, 7/3 M;
    # II.1 7/3 A, 10/3 M, 10/3 A; II.2 11/3 M, 11/3 A; ...
    assert by_slot[(D(2025, 3, 6), "morning")] == "I.3"
    assert by_slot[(D(2025, 3, 10), "afternoon")] == "II.1"
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=60)
    _mark(db, class_id, {
        (AN, D(2025, 3, 3), "morning"): "excused",  # I.1
        (AN, D(2025, 3, 3), "afternoon"): "unexcused",  # I.1
        (AN, D(2025, 3, 5), "morning"): "present",
        (AN, D(2025, 3, 6), "morning"): "excused",  # I.3
        (BINH, D(2025, 3, 4), "afternoon"): "excused",  # I.2: 5 of 10
        (BINH, D(2025, 3, 3), "morning"): "late",
        (BINH, D(2025, 3, 3), "afternoon"): "late",
        (BINH, D(2025, 3, 10), "morning"): "late",
        (DUNG, D(2025, 3, 10), "afternoon"): "unexcused",  # II.1: 5 of 15, made up below
    })
    with db.write(raw=True) as s:
        att.record_makeup(s, "SC-T", DUNG, "II.1", D(2025, 3, 11), 5, "Học bù với lớp SC25.02", today=TODAY)
    with db.read() as s:
        rows = {r.national_id: r for r in att.attendance_summary(s, "SC-T", today=TODAY)}
    an, binh, cuong, dung = rows[AN], rows[BINH], rows[CUONG], rows[DUNG]
    # An: I.1 10/15 (excused 5 + unexcused 5) + the I.3 excused session 5 -> 15 periods of 110.
    assert (an.absent_periods, an.excused_periods, an.unexcused_periods) == (15, 10, 5)
    assert an.absent_share == pytest.approx(15 / 110)
    assert an.barred_modules == ["I.1", "I.3"] and not an.certificate_eligible
    assert an.explanations[0] == ("vắng 10/15 tiết học phần I.1, quá 20%: không được thi học phần này cho đến khi "
                                  "học bổ sung")
    # Bình: 5 periods of I.2 (50%), late three times (not absences).
    assert (binh.absent_periods, binh.late_sessions, binh.barred_modules) == (5, 3, ["I.2"])
    # Cường: nothing.
    assert (cuong.absent_periods, cuong.barred_modules, cuong.certificate_eligible, cuong.explanations) == (
        0, [], True, [])
    # Dung: II.1 5/15 made up in full: eligible, the absence stays on record.
    assert (dung.absent_periods, dung.made_up_periods, dung.counted_periods) == (5, 5, 0)
    assert dung.barred_modules == [] and dung.certificate_eligible
    assert dung.explanations == ["vắng 5/15 tiết học phần II.1, quá 20%; đã học bổ sung 5 tiết nên được thi"]
    assert dung.as_json() == {"national_id": DUNG, "absent_periods": 5, "absent_share": pytest.approx(5 / 110),
                              "barred_modules": [], "certificate_eligible": True}


def test_make_up_is_refused_beyond_the_absences_and_in_the_future(db: Database) -> None:
    class_id = build_class(db)
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=60)
    _mark(db, class_id, {(AN, D(2025, 3, 3), "morning"): "excused"})
    with pytest.raises(InputError, match="không ghi thêm được 10 tiết"), db.write(raw=True) as s:
        att.record_makeup(s, "SC-T", AN, "I.1", D(2025, 3, 11), 10, today=TODAY)
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        att.record_makeup(s, "SC-T", AN, "ZZ", D(2025, 4, 11), 0, today=TODAY)
    assert {p.field for p in refused.value.problems} == {"module", "periods", "date"}
    with db.write(raw=True) as s:
        row = att.record_makeup(s, "SC-T", AN, "I.1", D(2025, 3, 11), 5, today=TODAY)
    with db.read() as s:
        assert [(m.module_code, m.periods) for m in att.list_makeups(s, "SC-T")] == [("I.1", 5)]
    with db.write(raw=True) as s:
        att.delete_makeup(s, row.id, reason="Ghi nhầm học viên")
    with db.read() as s:
        assert att.list_makeups(s, "SC-T") == []


def test_make_up_for_a_learner_without_a_national_id_goes_by_enrolment(db: Database) -> None:
    from sqlalchemy import select, update

    from dtbd_desktop.db.models import Enrolment, Learner

    class_id = build_class(db)
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=60)
    _mark(db, class_id, {(AN, D(2025, 3, 3), "morning"): "excused"})
    with db.write(raw=True) as s:
        enrolment_id = s.scalar(select(Enrolment.id).join(Learner, Learner.id == Enrolment.learner_id)
                                .where(Learner.national_id == AN))
        s.execute(update(Learner).where(Learner.national_id == AN).values(national_id=None))
    with db.write(raw=True) as s:
        row = att.record_makeup(s, "SC-T", None, "I.1", D(2025, 3, 11), 5, today=TODAY, enrolment_id=enrolment_id)
    assert (row.enrolment_id, row.national_id, row.periods) == (enrolment_id, None, 5)
    with pytest.raises(InputError, match="không còn trong lớp"), db.write(raw=True) as s:
        att.record_makeup(s, "SC-T", None, "I.1", D(2025, 3, 11), 5, today=TODAY, enrolment_id=999_999)


def test_the_grid_recomputes_a_learner_in_memory_after_a_change(db: Database) -> None:
    class_id = build_class(db)
    learners, sessions = ids(db)
    with db.read() as s:
        grid = att.attendance_grid(s, "SC-T", today=TODAY)
    change: list[att.Change] = [(learners[CUONG], sessions[(D(2025, 3, 10), "morning")], "unexcused"),
                                (learners[CUONG], sessions[(D(2025, 3, 10), "afternoon")], "unexcused")]
    with db.write(raw=True) as s:
        saved = att.set_marks(s, class_id, change, today=TODAY)
    grid.apply(saved.applied())
    assert grid.summary[learners[CUONG]].barred_modules == ["II.1"]
    assert grid.session_counts(sessions[(D(2025, 3, 10), "morning")])["unexcused"] == 1
    with db.read() as s:
        fresh = att.attendance_grid(s, "SC-T", today=TODAY)
    assert fresh.summary == grid.summary and fresh.marks == grid.marks


def test_a_short_course_bars_the_certificate_over_the_limit(db: Database) -> None:
    # Nhận thức về Đảng: 5 lessons of 10 periods, Monday 3/3 to Friday 7/3.
    class_id = build_class(db, code="NT-T", programme="NTVD", end=D(2025, 3, 7))
    with db.read() as s:
        grid = att.attendance_grid(s, "NT-T", today=TODAY)
    learner = {lr.national_id: lr.enrolment_id for lr in grid.learners}
    days = [se.id for se in grid.sessions]
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=60)
        att.set_marks(s, class_id, [(learner[AN], days[0], "excused"), (learner[AN], days[1], "unexcused"),
                                    (learner[BINH], days[0], "excused"), (learner[BINH], days[1], "excused"),
                                    (learner[BINH], days[2], "excused")], today=TODAY)
    with db.read() as s:
        rows = {r.national_id: r for r in att.attendance_summary(s, "NT-T", today=TODAY)}
    assert (rows[AN].absent_periods, rows[AN].certificate_eligible, rows[AN].barred_modules) == (10, True, [])
    assert (rows[BINH].absent_periods, rows[BINH].certificate_eligible) == (15, False)
    assert rows[BINH].explanations == ["vắng 15/50 tiết của khóa học, quá 20%: không được cấp giấy chứng nhận"]


def _expected_barred(db: Database, class_code: str) -> dict[int, list[str]]:
    """Learners over 20% of a module's periods once make-up is deducted, counted straight in SQL
    (an independent check of the rules)."""
    from dtbd_desktop.db.models import MakeUp, Module, TrainingClass

    with db.read() as s:
        cls = s.scalar(select(TrainingClass).where(TrainingClass.code == class_code))
        assert cls is not None
        absent = s.execute(
            select(AttendanceMark.enrolment_id, Module.id, Module.code, Module.periods, Module.position,
                   func.sum(ClassSession.periods))
            .join(ClassSession, ClassSession.id == AttendanceMark.session_id)
            .join(Module, Module.id == ClassSession.module_id)
            .where(ClassSession.class_id == cls.id, AttendanceMark.status.in_(["excused", "unexcused"]))
            .group_by(AttendanceMark.enrolment_id, Module.id, Module.code, Module.periods, Module.position)).all()
        made_up = dict(((e, m), int(p)) for e, m, p in s.execute(
            select(MakeUp.enrolment_id, MakeUp.module_id, func.sum(MakeUp.periods))
            .join(Enrolment, Enrolment.id == MakeUp.enrolment_id).where(Enrolment.class_id == cls.id)
            .group_by(MakeUp.enrolment_id, MakeUp.module_id)))
    out: dict[int, list[tuple[int, str]]] = {}
    for enrolment_id, module_id, code, periods, position, missed in absent:
        counted = missed - min(missed, made_up.get((enrolment_id, module_id), 0))
        if periods and counted * 5 > periods:
            out.setdefault(enrolment_id, []).append((position, code))
    return {e: [c for _p, c in sorted(v)] for e, v in out.items()}


def test_the_demo_truants_are_barred(demo_db: Database) -> None:
    with demo_db.read() as s:
        rows = att.attendance_summary(s, "A50")
    expected = _expected_barred(demo_db, "A50")
    assert expected
    assert {r.enrolment_id: r.barred_modules for r in rows if r.barred_modules} == expected
    # The learners who missed more than half of a module and did not make it up are barred, and told why.
    truants = [r for r in rows if any(m.absent_periods * 2 > m.periods > 0 and not m.made_up_periods
                                      for m in r.modules)]
    assert truants
    assert all(r.barred_modules and not r.certificate_eligible for r in truants)
    assert all(any("quá 20%" in e for e in r.explanations) for r in truants)


def test_the_demo_short_course_decides_the_certificate_over_the_course(demo_db: Database) -> None:
    with demo_db.read() as s:
        rows = att.attendance_summary(s, "DVM26.01")
    assert len(rows) == 58 and any(r.absent_periods for r in rows)
    for r in rows:
        assert r.barred_modules == []  # a short course has no module exams to bar
        assert r.course_periods == 60
        assert r.certificate_eligible is (r.counted_periods * 5 <= r.course_periods)
