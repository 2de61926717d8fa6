"""Roster changes: add, remove, withdraw, move — records are never lost."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AttendanceMark, ClassSession, Enrolment, Learner
from dtbd_desktop.services import enrolments
from dtbd_desktop.services.classes import create_class
from dtbd_desktop.services.learners import person_keys
from dtbd_desktop.services.roster import class_roster

D = dt.date


def _setup(db: Database) -> tuple[int, int]:
    with db.write(raw=True) as s:
        create_class(s, code="SC1", programme="SC", start=D(2025, 4, 1), end=D(2025, 5, 1))
        create_class(s, code="SC2", programme="SC", start=D(2025, 6, 1), end=D(2025, 7, 1))
        create_class(s, code="DVM1", programme="DVM", start=D(2025, 6, 1), end=D(2025, 6, 10))
        sort_key, search_key = person_keys("Đỗ", "Thị", "Hằng")
        person = Learner(family_name="Đỗ", middle_name="Thị", given_name="Hằng", birth_year=1988, gender="F",
                         sort_key=sort_key, search_key=search_key)
        s.add(person)
        s.flush()
        enrolment = enrolments.add_learner(s, "SC1", person.id)
        return person.id, enrolment.id


def test_add_once_only(db: Database) -> None:
    person_id, _ = _setup(db)
    with pytest.raises(InputError, match="Đỗ Thị Hằng đã có trong lớp SC1"), db.write(raw=True) as s:
        enrolments.add_learner(s, "SC1", person_id)
    with db.read() as s:
        assert [r.full_name for r in class_roster(s, "SC1")] == ["Đỗ Thị Hằng"]


def test_remove_only_without_records_then_withdraw_keeps_them(db: Database) -> None:
    _, enrolment_id = _setup(db)
    with db.write(raw=True) as s:
        cls_id = s.scalar(select(Enrolment.class_id).where(Enrolment.id == enrolment_id))
        session_row = ClassSession(class_id=cls_id, date=D(2025, 4, 1), half="morning", periods=5)
        s.add(session_row)
        s.flush()
        s.add(AttendanceMark(session_id=session_row.id, enrolment_id=enrolment_id, status="present"))
    with pytest.raises(InputError, match="thôi học"), db.write(raw=True) as s:
        enrolments.remove_learner(s, enrolment_id)
    with pytest.raises(InputError, match="lý do"), db.write(raw=True) as s:
        enrolments.withdraw(s, enrolment_id, "   ")
    with db.write(raw=True) as s:
        enrolments.withdraw(s, enrolment_id, "Cơ quan điều động công tác khác")
    with db.read() as s:
        row = class_roster(s, "SC1")[0]
        assert row.status == "withdrawn"
        assert s.scalar(select(AttendanceMark.status)) == "present"


def test_move_without_records_moves_the_enrolment(db: Database) -> None:
    _, enrolment_id = _setup(db)
    with pytest.raises(InputError, match="cùng chương trình"), db.write(raw=True) as s:
        enrolments.move_to_class(s, enrolment_id, "DVM1")
    with db.write(raw=True) as s:
        enrolments.move_to_class(s, enrolment_id, "SC2")
    with db.read() as s:
        assert class_roster(s, "SC1") == []
        assert [r.full_name for r in class_roster(s, "SC2")] == ["Đỗ Thị Hằng"]


def test_move_with_records_leaves_a_transferred_line(db: Database) -> None:
    _, enrolment_id = _setup(db)
    with db.write(raw=True) as s:
        cls_id = s.scalar(select(Enrolment.class_id).where(Enrolment.id == enrolment_id))
        session_row = ClassSession(class_id=cls_id, date=D(2025, 4, 1), half="morning", periods=5)
        s.add(session_row)
        s.flush()
        s.add(AttendanceMark(session_id=session_row.id, enrolment_id=enrolment_id, status="excused"))
    with db.write(raw=True) as s:
        enrolments.move_to_class(s, enrolment_id, "SC2")
    with db.read() as s:
        assert [(r.full_name, r.status) for r in class_roster(s, "SC1")] == [("Đỗ Thị Hằng", "transferred")]
        assert [(r.full_name, r.status) for r in class_roster(s, "SC2")] == [("Đỗ Thị Hằng", "enrolled")]
        assert s.scalar(select(AttendanceMark.enrolment_id)) == enrolment_id
