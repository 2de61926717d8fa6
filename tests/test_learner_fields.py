"""The checks a learner's record must pass, shared by the roster import and the learner form."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from dtbd_desktop.rules.learner_fields import PersonFields, check_person, normalise_phone

D = dt.date
START, TODAY = D(2025, 3, 3), D(2025, 3, 1)
AN = PersonFields("Nguyễn", "Văn", "An", D(1985, 3, 5), 1985, "M", "Kinh", "080085000123", party_member=True,
                  party_join_date=D(2010, 5, 19), phone="0912345678")


def found(p: PersonFields) -> tuple[list[tuple[str | None, str]], list[tuple[str | None, str]]]:
    problems, warnings = check_person(p, reference=START, today=TODAY)
    return [(x.field, x.message) for x in problems], [(x.field, x.message) for x in warnings]


def test_a_complete_record_passes() -> None:
    assert found(AN) == ([], [])
    assert found(replace(AN, birth_date=None, national_id=None, party_member=None, party_join_date=None,
                         phone=None)) == ([], [])


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"given_name": ""}, "given_name", "Thiếu tên"),
    ({"given_name": "An2"}, "given_name", "có ký tự không phải chữ (2)"),
    ({"family_name": "N" * 61}, "family_name", "Họ dài quá 60 ký tự"),
    ({"birth_date": None, "birth_year": None}, "birth_date", "Thiếu ngày sinh"),
    ({"birth_date": D(2025, 3, 2), "birth_year": 2025, "party_join_date": None}, "birth_date", "ở tương lai"),
    ({"birth_date": D(2010, 3, 4), "birth_year": 2010, "party_join_date": None}, "birth_date",
     "học viên 14 tuổi khi khai giảng lớp (03/03/2025)"),
    ({"birth_date": None, "birth_year": 1940}, "birth_date", "học viên 84 tuổi"),
    ({"gender": None}, "gender", "Chọn giới tính"),
    ({"ethnicity": ""}, "ethnicity", "Thiếu dân tộc"),
    ({"position": "x" * 201}, "position", "Chức vụ dài 201 ký tự, quá 200"),
    ({"party_member": None}, "party_join_date", "chọn 'Có' ở mục Đảng viên"),
    ({"party_member": False}, "party_join_date", "chọn 'Có' ở mục Đảng viên"),
    ({"party_join_date": D(2025, 3, 2)}, "party_join_date", "ở tương lai"),
    ({"party_join_date": D(2003, 3, 4)}, "party_join_date", "khi chưa đủ 18 tuổi"),
    ({"phone": "12345"}, "phone", "không đúng dạng"),
])
def test_what_refuses_a_record(change: dict[str, object], field: str, words: str) -> None:
    problems, _warnings = found(replace(AN, **change))  # type: ignore[arg-type]
    assert [f for f, _m in problems] == [field] and words in problems[0][1]


def test_eighteen_on_the_day_is_old_enough_for_the_party() -> None:
    assert found(replace(AN, party_join_date=D(2003, 3, 5))) == ([], [])


@pytest.mark.parametrize(("change", "words"), [
    ({"national_id": "080185000123"}, "ứng với Nữ sinh năm 1985, nhưng dòng này ghi Nam sinh năm 1985"),
    ({"national_id": "099085000123"}, "mã tỉnh 099 không tồn tại"),
    ({"family_name": "", "middle_name": ""}, "chỉ có một chữ"),
])
def test_what_a_person_should_look_at(change: dict[str, object], words: str) -> None:
    problems, warnings = found(replace(AN, **change))  # type: ignore[arg-type]
    assert problems == [] and len(warnings) == 1 and words in warnings[0][1]


@pytest.mark.parametrize(("typed", "stored"), [
    ("0912345678", "0912345678"), ("0912 345 678", "0912345678"), ("+84 912.345.678", "0912345678"),
    ("912345678", "0912345678"), ("02723 812 345", "02723812345"), ("12345", None), ("09123456789012", None),
])
def test_phone_numbers(typed: str, stored: str | None) -> None:
    assert normalise_phone(typed) == stored
