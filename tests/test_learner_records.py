"""A learner's record edited, and a person the import refused typed in by hand and enrolled.

The class is SC-T of `tests.test_attendance_service` (Sơ cấp, from Monday 3 March 2025, four
learners: An, Bình, Cường, Dung), planned.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import func, select, update

from dtbd_desktop.base.errors import ConflictError, InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Enrolment, Learner, Organisation
from dtbd_desktop.rules.learner_fields import PersonFields
from dtbd_desktop.services import classes, enrolments, learners
from dtbd_desktop.services.roster import class_roster
from tests.test_attendance_service import AN, build_class

D = dt.date
TODAY = D(2025, 2, 20)
EM = PersonFields("Võ", "Thị", "Em", D(1990, 7, 9), 1990, "F", "Kinh", "080190000777", place_of_birth="Xã Mỹ Yên",
                  party_member=False, position="Chuyên viên", phone="0912 345 678")


def person(db: Database, national_id: str) -> Learner:
    with db.read() as s:
        found = s.scalar(select(Learner).where(Learner.national_id == national_id))
        assert found is not None
        s.expunge(found)  # read as it is now, kept after the session
    return found


def count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def test_a_person_typed_in_by_hand_is_created_and_enrolled_in_one_step(db: Database) -> None:
    build_class(db, generate=False)
    with db.write(raw=True) as s:
        org = s.scalar(select(Organisation.id).where(Organisation.name == "Ủy ban nhân dân xã Mỹ Yên"))
        enrolment = learners.create_learner(s, "SC-T", EM, organisation_id=org, today=TODAY)
        enrolment_id = enrolment.id
    em = person(db, "080190000777")
    assert (em.full_name, em.birth_date, em.gender, em.party_member, em.phone, em.organisation_id) == (
        "Võ Thị Em", D(1990, 7, 9), "F", False, "0912345678", org)
    assert em.search_key == "vo thi em"
    with db.read() as s:
        rows = {r.full_name: r for r in class_roster(s, "SC-T")}
        entry = s.execute(select(AuditEntry.entity_id, AuditEntry.reason, AuditEntry.new_value)
                          .where(AuditEntry.action == "learner.create")).one()
    assert rows["Võ Thị Em"].enrolment_id == enrolment_id and rows["Võ Thị Em"].position == "Chuyên viên"
    assert rows["Võ Thị Em"].organisation == "Ủy ban nhân dân xã Mỹ Yên"
    assert entry.entity_id == str(em.id) and entry.reason == "Thêm bằng tay vào lớp SC-T"
    assert '"class": "SC-T"' in entry.new_value and '"national_id": "080190000777"' in entry.new_value


def test_what_the_import_refuses_is_refused_by_hand_too_and_nothing_is_written(db: Database) -> None:
    build_class(db, generate=False)
    before = count(db, Learner), count(db, Enrolment)
    cases = [
        (replace(EM, national_id="80190000777"), "national_id", "phải có đúng 12 chữ số"),
        (replace(EM, national_id=AN), "national_id", "đã có trong hồ sơ của Nguyễn Văn An, sinh 1985"),
        (replace(EM, birth_date=D(2012, 1, 1), birth_year=2012), "birth_date", "13 tuổi khi khai giảng lớp"),
        (replace(EM, given_name=""), "given_name", "Thiếu tên"),
    ]
    for fields, field, words in cases:
        with pytest.raises(InputError) as refused, db.write(raw=True) as s:
            learners.create_learner(s, "SC-T", fields, today=TODAY)
        assert [p.field for p in refused.value.problems] == [field] and words in refused.value.problems[0].message
    assert (count(db, Learner), count(db, Enrolment)) == before


def test_a_person_with_the_same_name_and_birth_is_shown_before_a_second_record_is_made(db: Database) -> None:
    build_class(db, generate=False)
    with db.write(raw=True) as s:
        learners.create_learner(s, "SC-T", replace(EM, national_id=None), today=TODAY)
    with db.write(raw=True) as s:  # another class, where the same name comes again without an ID
        classes.create_class(s, code="SC-U", programme="SC", start=D(2025, 4, 7), end=D(2025, 4, 30))
    again = replace(EM, national_id=None, phone=None)
    with db.read() as s:
        review = learners.review_new(s, "SC-U", again, today=TODAY)
    assert review.problems == [] and review.duplicates == ["Võ Thị Em, sinh 09/07/1990, chưa có CCCD, các lớp: SC-T"]
    with pytest.raises(InputError, match="Đã có người cùng họ tên và ngày sinh: Võ Thị Em"), db.write(raw=True) as s:
        learners.create_learner(s, "SC-U", again, today=TODAY)
    with db.write(raw=True) as s:  # checked: a different person
        learners.create_learner(s, "SC-U", again, same_name_checked=True, today=TODAY)
    with db.read() as s:
        assert s.scalar(select(func.count()).where(Learner.search_key == "vo thi em")) == 2


def test_an_identity_change_needs_a_reason_and_other_changes_are_recorded(db: Database) -> None:
    build_class(db, generate=False)
    an = person(db, AN)
    with pytest.raises(InputError, match="Sửa ngày sinh, số CCCD của Nguyễn Văn An cần ghi lý do"), \
            db.write(raw=True) as s:
        learners.update_learner(s, an.id, expected_version=an.version, birth_date=D(1985, 3, 5),
                                national_id="080085000124", today=TODAY)
    with db.write(raw=True) as s:
        learners.update_learner(s, an.id, expected_version=an.version, birth_date=D(1985, 3, 5),
                                national_id="080 085 000 124", phone="+84 912 000 111", party_member=True,
                                party_join_date=D(2012, 2, 3), reason="Theo CCCD bản gốc", today=TODAY)
    saved = person(db, "080085000124")
    assert (saved.birth_date, saved.phone, saved.party_member, saved.party_join_date, saved.version) == (
        D(1985, 3, 5), "0912000111", True, D(2012, 2, 3), an.version + 1)
    with db.read() as s:
        entries = [(e.action, e.field, e.old_value, e.new_value, e.reason) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.entity == "learner").order_by(AuditEntry.id))]
    assert entries[:2] == [("learner.identity", "birth_date", None, '"1985-03-05"', "Theo CCCD bản gốc"),
                           ("learner.identity", "national_id", AN, "080085000124", "Theo CCCD bản gốc")]
    assert entries[2][:2] == ("learner.update", "record") and '"phone": "0912000111"' in (entries[2][3] or "")


def test_an_edit_is_checked_on_what_it_brings_not_on_what_the_record_held(db: Database) -> None:
    build_class(db, generate=False)
    an = person(db, AN)
    with db.write(raw=True) as s:  # an old record with a phone number the form would refuse
        s.execute(update(Learner).where(Learner.id == an.id).values(phone="12"))
    with db.write(raw=True) as s:
        learners.update_learner(s, an.id, expected_version=an.version, position="Phó Chủ tịch", today=TODAY)
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        learners.update_learner(s, an.id, expected_version=an.version + 1, national_id="080190000002",
                                reason="Nhầm", today=TODAY)
    assert "đã có trong hồ sơ của Trần Thị Bình" in refused.value.problems[0].message
    with pytest.raises(ConflictError), db.write(raw=True) as s:  # an older version than the stored one
        learners.update_learner(s, an.id, expected_version=an.version, phone="0912000111", today=TODAY)


def test_a_corrected_position_reaches_the_running_class_but_not_a_finished_one(db: Database) -> None:
    build_class(db, generate=False)
    with db.write(raw=True) as s:
        classes.create_class(s, code="OLD", programme="DVM", start=D(2024, 3, 4), end=D(2024, 3, 12),
                             status="finished")
        em = learners.create_learner(s, "SC-T", replace(EM, position="Chuyên vien"), today=TODAY).learner
        enrolments.add_learner(s, "OLD", em.id)
        em_id, version = em.id, em.version
    with db.write(raw=True) as s:
        learners.update_learner(s, em_id, expected_version=version, position="Chuyên viên", today=TODAY)
    with db.read() as s:
        positions = dict(s.execute(select(Enrolment.class_id, Enrolment.position)
                                   .where(Enrolment.learner_id == em_id)).all())
        ids = {c.code: c.id for c in classes.list_classes(s)}
    assert positions == {ids["SC-T"]: "Chuyên viên", ids["OLD"]: "Chuyên vien"}
