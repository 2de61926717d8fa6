"""What a learner's record may hold: the checks shared by the roster import and the learner form.

`check_person` looks at one person's fields (already cleaned: NFC, single spaces) and returns
the problems that refuse them and the warnings a person should look at, each naming its field.
The limits are the database's column sizes; the ages and the CCCD's coded digits are the ones
the import applies to a list's rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr

MIN_AGE: Final = 16  # at the class's start
MAX_AGE: Final = 80
PARTY_MIN_AGE: Final = 18  # Điều lệ Đảng: from eighteen
TEXT_LIMITS: Final[dict[str, int]] = {
    "ethnicity": 40, "position": 200, "organisation": 200, "position_organisation": 400,
    "education_level": 80, "theory_level": 80, "place_of_birth": 200, "hometown": 200,
}
NAME_LIMITS: Final = {"family": 60, "middle": 80, "given": 40}
NAME_CHAR_RE: Final = re.compile(r"[^\W\d_]|[ '\-.]")
PHONE_RE: Final = re.compile(r"0\d{9,10}")


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def capitalise_name(value: str) -> str:
    """"NGUYỄN VĂN AN" and "nguyễn văn an" -> "Nguyễn Văn An"; mixed case is kept as typed."""
    words = []
    for word in value.split(" "):
        if word.isupper() or word.islower():
            word = word[:1].upper() + word[1:].lower()
        words.append(word)
    return " ".join(words)


def normalise_phone(shown: str) -> str | None:
    """A phone number as 10 or 11 digits starting with 0 ("+84 912 345 678" -> "0912345678"; a
    number whose leading zero a spreadsheet dropped gets it back), or None if it is not one."""
    digits = re.sub(r"[\s.\-()]", "", shown)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.isdigit() and len(digits) in (9, 10) and not digits.startswith("0"):
        digits = "0" + digits
    return digits if PHONE_RE.fullmatch(digits) else None


def bad_name_characters(full_name: str) -> list[str]:
    """The characters of a name that are not letters, spaces, apostrophes, dashes or dots."""
    return sorted({ch for ch in full_name if not NAME_CHAR_RE.fullmatch(ch)})


def national_id_warning(national_id: str, birth_year: int | None, gender: str | None) -> str | None:
    """CCCD digits 1-3 code the province, 4-6 the gender, century and year of birth (Thông tư
    59/2021/TT-BCA): what does not match, for a person to check; None when it all does."""
    province = int(national_id[:3])
    if not 1 <= province <= 96:
        return tr("roster_import", "Số CCCD {id} có mã tỉnh {code} không tồn tại (001–096): kiểm tra lại số CCCD.").format(
            id=national_id, code=national_id[:3])
    digit = int(national_id[3])
    if digit > 3 or birth_year is None or gender is None:
        return None
    coded_year = (1900 if digit < 2 else 2000) + int(national_id[4:6])
    coded_gender = "M" if digit % 2 == 0 else "F"
    if coded_year == birth_year and coded_gender == gender:
        return None
    return tr("roster_import", "Số CCCD {id} ứng với {gender} sinh năm {year}, nhưng dòng này ghi {row_gender} sinh "
                               "năm {row_year}: kiểm tra lại số CCCD, giới tính và năm sinh.").format(
        id=national_id, gender=text.gender_label(coded_gender), year=coded_year,
        row_gender=text.gender_label(gender), row_year=birth_year)


@dataclass(frozen=True)
class PersonFields:
    """A learner's record as a form holds it (text cleaned; dates and the national ID parsed)."""

    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date | None
    birth_year: int | None
    gender: str | None
    ethnicity: str | None = "Kinh"
    national_id: str | None = None
    place_of_birth: str | None = None
    hometown: str | None = None
    party_member: bool | None = None  # None: not known
    party_join_date: dt.date | None = None
    position: str | None = None
    education_level: str | None = None
    theory_level: str | None = None
    phone: str | None = None

    @property
    def full_name(self) -> str:
        return text.join_name(self.family_name, self.middle_name, self.given_name)

    @property
    def birth_text(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else str(self.birth_year or "")


def _age(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def check_person(p: PersonFields, *, reference: dt.date, today: dt.date) -> tuple[list[Problem], list[Problem]]:
    """(problems, warnings) of a person's fields; `reference` is the day their age is checked at
    (the class's start), `today` what "in the future" means."""
    problems: list[Problem] = []
    warnings: list[Problem] = []

    def problem(name: str, message: str) -> None:
        problems.append(Problem(message, field=name))

    if not p.given_name:
        problem("given_name", tr("learner_fields", "Thiếu tên: ghi đủ họ, đệm và tên, ví dụ 'Nguyễn Văn An'."))
    elif not p.family_name and not p.middle_name:
        warnings.append(Problem(tr("roster_import", "Họ tên '{name}' chỉ có một chữ: kiểm tra xem đã ghi đủ họ, đệm và "
                                                    "tên chưa.").format(name=p.given_name), field="family_name"))
    bad = bad_name_characters(p.full_name)
    if bad:
        problem("given_name", tr("roster_import", "Họ tên '{name}' có ký tự không phải chữ ({chars}): sửa lại họ tên.")
                .format(name=p.full_name, chars=" ".join(bad)))
    for part, name, label in (("family", "family_name", tr("learner_fields", "Họ")),
                              ("middle", "middle_name", tr("learner_fields", "Tên đệm")),
                              ("given", "given_name", tr("learner_fields", "Tên"))):
        if len(getattr(p, name)) > NAME_LIMITS[part]:
            problem(name, tr("learner_fields", "{label} dài quá {limit} ký tự.").format(
                label=label, limit=NAME_LIMITS[part]))

    if p.birth_year is None:
        problem("birth_date", tr("learner_fields", "Thiếu ngày sinh: ghi ngày sinh dạng dd/mm/yyyy (hoặc năm sinh)."))
    elif p.birth_date is not None and p.birth_date > today:
        problem("birth_date", tr("roster_import", "Ngày sinh {date} ở tương lai: kiểm tra lại ngày sinh.").format(
            date=text.format_date(p.birth_date)))
    else:
        age = _age(p.birth_date or dt.date(p.birth_year, 7, 1), reference)
        if not MIN_AGE <= age <= MAX_AGE:
            problem("birth_date", tr("learner_fields", "Ngày sinh {date}: học viên {age} tuổi khi khai giảng lớp ({start}), "
                                                       "không hợp lý; kiểm tra lại năm sinh.").format(
                date=p.birth_text, age=age, start=text.format_date(reference)))
    if p.gender not in ("M", "F"):
        problem("gender", tr("learner_fields", "Chọn giới tính Nam hoặc Nữ."))

    if not p.ethnicity:
        problem("ethnicity", tr("learner_fields", "Thiếu dân tộc (ví dụ: Kinh)."))
    for name, label in (("ethnicity", tr("learner_fields", "Dân tộc")),
                        ("place_of_birth", tr("learner_fields", "Nơi sinh")),
                        ("hometown", tr("learner_fields", "Quê quán")), ("position", tr("learner_fields", "Chức vụ")),
                        ("education_level", tr("learner_fields", "Trình độ chuyên môn")),
                        ("theory_level", tr("learner_fields", "Trình độ LLCT"))):
        value = getattr(p, name)
        if value and len(value) > TEXT_LIMITS[name]:
            problem(name, tr("learner_fields", "{label} dài {n} ký tự, quá {limit} ký tự cho phép: rút gọn lại.").format(
                label=label, n=len(value), limit=TEXT_LIMITS[name]))

    if p.national_id and len(p.national_id) == 12 and p.national_id.isascii() and p.national_id.isdigit():
        warning = national_id_warning(p.national_id, p.birth_year, p.gender)
        if warning:
            warnings.append(Problem(warning, field="national_id"))

    if p.party_join_date is not None:
        if p.party_member is not True:
            problem("party_join_date", tr("learner_fields", "Có ngày vào Đảng thì chọn 'Có' ở mục Đảng viên (hoặc xóa "
                                                            "ngày vào Đảng)."))
        elif p.party_join_date > today:
            problem("party_join_date", tr("roster_import", "Ngày vào Đảng {date} ở tương lai: kiểm tra lại.").format(
                date=text.format_date(p.party_join_date)))
        elif p.birth_year is not None and (
                p.party_join_date.year - p.birth_year < PARTY_MIN_AGE - 1 if p.birth_date is None
                else p.party_join_date < add_years(p.birth_date, PARTY_MIN_AGE)):
            problem("party_join_date", tr("roster_import", "Ngày vào Đảng {date} khi chưa đủ 18 tuổi (sinh {birth}): "
                                                           "kiểm tra lại ngày vào Đảng và ngày sinh.").format(
                date=text.format_date(p.party_join_date), birth=p.birth_text))

    if p.phone and normalise_phone(p.phone) is None:
        problem("phone", tr("learner_fields", "Số điện thoại '{phone}' không đúng dạng (10 chữ số, bắt đầu bằng 0).")
                .format(phone=p.phone[:40]))
    return problems, warnings
