"""Opening, editing, listing and deleting classes."""

from __future__ import annotations

import datetime as dt

import pytest

from dtbd_desktop.base.errors import ConflictError, InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Enrolment, Learner
from dtbd_desktop.services import classes

D = dt.date


def test_open_and_list_classes_by_year_and_programme(db: Database) -> None:
    with db.write(raw=True) as s:
        classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
        classes.create_class(s, code="DVM25.01", programme="DVM", start=D(2025, 3, 16), end=D(2025, 3, 25))
        classes.create_class(s, code="A50", programme="TC", start=D(2026, 3, 2), end=D(2026, 10, 30))
    with db.read() as s:
        assert [r.code for r in classes.list_classes(s, year=2025)] == ["DVM25.01", "A48"]
        assert [r.code for r in classes.list_classes(s, programme="TC")] == ["A50", "A48"]
        row = classes.list_classes(s, year=2026)[0]
    assert (row.programme_code, row.start, row.end, row.learners, row.status) == ("TC", D(2026, 3, 2),
                                                                                  D(2026, 10, 30), 0, "planned")
    assert row.name.startswith("Lớp Trung cấp")


def test_every_problem_is_reported_at_once(db: Database) -> None:
    with db.write(raw=True) as s:
        classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 1, 1), mode="weekly")
    assert {p.field for p in refused.value.problems} == {"code", "end", "mode"}


def test_codes_are_cleaned_to_nfc(db: Database) -> None:
    with db.write(raw=True) as s:
        cls = classes.create_class(s, code="  Khóa  86 ", programme="SC", start=D(2025, 4, 1),
                                   end=D(2025, 5, 1))
        assert cls.code == "Khóa 86"
    with db.read() as s:
        assert classes.get_class(s, "Kho\u0301a 86").code == "Khóa 86"  # typed in NFD, found in NFC


def test_status_moves_one_step_at_a_time(db: Database) -> None:
    with db.write(raw=True) as s:
        classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with pytest.raises(InputError), db.write(raw=True) as s:
        classes.update_class(s, "A48", status="closed")
    with db.write(raw=True) as s:
        classes.update_class(s, "A48", status="running", venue="Hội trường B")
    with db.read() as s:
        detail = classes.class_detail(s, "A48")
    assert (detail.status, detail.venue) == ("running", "Hội trường B")


def test_every_field_of_a_class_can_be_edited_the_code_included(db: Database) -> None:
    """What the class screen sends: the code with the other fields (once refused with "got multiple
    values for argument 'code'")."""
    with db.write(raw=True) as s:
        classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with db.write(raw=True) as s:
        classes.update_class(s, "A48", code="A48B", name="Lớp TC A48B", mode="part-time", venue="Huyện Đức Hòa",
                             start=D(2025, 3, 9), end=D(2026, 6, 30), homeroom_lecturer_id=None, status="running",
                             note="Học tối thứ Bảy")
    with db.read() as s:
        d = classes.class_detail(s, "A48B")
    assert (d.code, d.name, d.mode, d.venue, d.start, d.end, d.status, d.note) == (
        "A48B", "Lớp TC A48B", "part-time", "Huyện Đức Hòa", D(2025, 3, 9), D(2026, 6, 30), "running",
        "Học tối thứ Bảy")
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        classes.update_class(s, "A48B", homeroom_lecturer_id=999_999)
    assert [p.field for p in refused.value.problems] == ["homeroom"]


def test_a_stale_edit_is_refused_not_silently_overwritten(db: Database) -> None:
    with db.write(raw=True) as s:
        classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with db.read() as s:
        seen = classes.class_detail(s, "A48").version
    with db.write(raw=True) as s:
        classes.update_class(s, "A48", expected_version=seen, venue="Phòng 1")
    with pytest.raises(ConflictError), db.write(raw=True) as s:
        classes.update_class(s, "A48", expected_version=seen, venue="Phòng 2")
    with db.read() as s:
        assert classes.class_detail(s, "A48").venue == "Phòng 1"


def test_a_class_with_learners_cannot_be_deleted(db: Database) -> None:
    with db.write(raw=True) as s:
        cls = classes.create_class(s, code="A48", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
        classes.create_class(s, code="EMPTY", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
        person = Learner(family_name="Lê", middle_name="Thị", given_name="Hoa", birth_year=1985, gender="F",
                         sort_key="x", search_key="le thi hoa")
        s.add(Enrolment(training_class=cls, learner=person))
    with pytest.raises(InputError, match="1 học viên"), db.write(raw=True) as s:
        classes.delete_class(s, "A48")
    with db.write(raw=True) as s:
        classes.delete_class(s, "EMPTY")
    with db.read() as s:
        assert [r.code for r in classes.list_classes(s)] == ["A48"]
        assert classes.list_classes(s)[0].learners == 1
