"""Cleaning and checking one row of a learner list: the values as the database will keep them.

Every text is converted from TCVN3/VNI when it is legacy text (the cell's font decides when it
names a legacy font; otherwise the text itself, and failing that the row's other texts), then
made NFC with single spaces. Names typed all in capitals or all in lower case get a capital
letter per word. Every problem becomes an `ImportProblem` with the sheet row and column and a
Vietnamese message saying what to do; nothing here touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Final

from dtbd_desktop.base import legacy_encoding, text
from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.rules.learner_fields import (  # the checks the learner form shares
    MAX_AGE,
    MIN_AGE,
    NAME_LIMITS,
    PARTY_MIN_AGE,
    TEXT_LIMITS,
    add_years,
    bad_name_characters,
    capitalise_name,
    national_id_warning,
    normalise_phone,
)
from dtbd_desktop.services.learners import person_keys
from dtbd_desktop.workbooks.roster.table import Cell, DetectedTable, SheetRow, display

_TEXT_FIELDS: Final = ("full_name", "family_middle", "family", "middle", "given", "gender", "gender_male",
                       "gender_female", *TEXT_LIMITS)


@dataclass
class ImportProblem(Problem):
    """A problem in one cell (or row) of the file; `cell` ("D12") is where to mark it."""

    cell: str | None = None


@dataclass
class PersonData:
    """One row, cleaned."""

    row: int
    family: str = ""
    middle: str = ""
    given: str = ""
    birth_date: dt.date | None = None
    birth_year: int | None = None
    gender: str | None = None
    ethnicity: str = "Kinh"
    national_id: str | None = None
    position: str | None = None
    organisation: str | None = None
    position_organisation: str | None = None
    party_join_date: dt.date | None = None
    education_level: str | None = None
    theory_level: str | None = None
    place_of_birth: str | None = None
    hometown: str | None = None
    phone: str | None = None
    converted: bool = False
    sort_key: str = ""  # Learner.sort_key and search_key, worked out once
    search_key: str = ""
    problems: list[ImportProblem] = field(default_factory=list)
    warnings: list[ImportProblem] = field(default_factory=list)

    @property
    def full_name(self) -> str:
        return text.join_name(self.family, self.middle, self.given)

    @property
    def name_key(self) -> str:
        """The name compared ignoring case and the old/new tone placement ("Hoà" = "Hòa")."""
        return name_key(self.sort_key)

    @property
    def birth_text(self) -> str:
        if self.birth_date:
            return text.format_date(self.birth_date)
        return str(self.birth_year) if self.birth_year else ""


def with_advice(message: str, advice: str) -> str:
    """A message from `text` ending in what to do: its own advice (after a colon outside
    parentheses) when it has one, else `advice`."""
    depth, has_advice = 0, False
    for ch in message:
        depth += (ch == "(") - (ch == ")")
        has_advice = has_advice or (ch == ":" and depth == 0)
    return f"{message}." if has_advice else f"{message}: {advice}."


def name_key(sort_key: str) -> str:
    """The primary and secondary levels of a name's sort key: letters and tones, not case."""
    first = sort_key.find("!")
    second = sort_key.find("!", first + 1) if first >= 0 else -1
    return sort_key if second < 0 else sort_key[:second]


def _suspicious(value: str) -> bool:
    """Text that may be legacy even though `detect` could not tell from the cell alone."""
    if value.isascii() or any(ord(ch) > 0xFF for ch in value):
        return False
    words = re.findall(r"[^\W\d_]+", value)
    return not all(w.isascii() or legacy_encoding.is_vietnamese_syllable(w) for w in words)


class RowCleaner:
    """Cleans rows of one table; `reference` is the class's start (for ages), `today` for the future."""

    def __init__(self, table: DetectedTable, reference: dt.date, today: dt.date | None = None) -> None:
        self.table = table
        self.reference = reference
        self.today = today or dt.date.today()
        self.text_fields = [name for name in _TEXT_FIELDS if name in table.mapping]
        self._converted: dict[tuple[str, str | None], tuple[str, bool, bool]] = {}
        self._cleaned: dict[str, str | None] = {}

    # -- helpers --------------------------------------------------------------------------
    def _where(self, row: SheetRow, field_name: str | None) -> tuple[str | None, str | None]:
        col = self.table.column_for(field_name) if field_name else None
        if col is None:
            return None, None
        return col.label, f"{col.letter}{row.number}"

    def _problem(self, person: PersonData, row: SheetRow, field_name: str | None, message: str,
                 *, warning: bool = False) -> None:
        column, cell = self._where(row, field_name)
        problem = ImportProblem(message, row=row.number, column=column, field=field_name, cell=cell)
        (person.warnings if warning else person.problems).append(problem)

    def _convert(self, value: str, font: str | None) -> tuple[str, bool, bool]:
        """(text, converted, still undecided) of one cell, remembered: lists repeat values."""
        key = (value, font)
        found = self._converted.get(key)
        if found is None:
            new, changed = legacy_encoding.convert_if_legacy(value, font)
            found = (new, changed, not changed and _suspicious(value))
            self._converted[key] = found
        return found

    def _clean(self, value: str) -> str | None:
        if value not in self._cleaned:
            self._cleaned[value] = text.clean(value)
        return self._cleaned[value]

    def _texts(self, row: SheetRow) -> tuple[dict[str, str], bool]:
        """The row's text fields converted from legacy encodings where needed, cleaned."""
        raw: dict[str, str] = {}
        converted = False
        undecided: list[str] = []
        for name in self.text_fields:
            value = self.table.value(row, name)
            if value is None:
                continue
            value = value if isinstance(value, str) else display(value)
            raw[name], changed, unsure = self._convert(value, self.table.font(row, name))
            converted = converted or changed
            if unsure:
                undecided.append(name)
        if undecided:
            encoding = legacy_encoding.detect("\n".join(raw[n] for n in undecided))
            if encoding is not None:
                for name in undecided:
                    new = legacy_encoding.to_unicode(raw[name], encoding)
                    converted = converted or new != raw[name]
                    raw[name] = new
        cleaned = {name: c for name, value in raw.items() if (c := self._clean(value))}
        return cleaned, converted

    # -- the row --------------------------------------------------------------------------
    def clean(self, row: SheetRow) -> PersonData:
        person = PersonData(row=row.number)
        texts, person.converted = self._texts(row)
        self._name(person, row, texts)
        if person.given:
            person.sort_key, person.search_key = person_keys(person.family, person.middle, person.given)
        self._birth(person, row)
        self._national_id(person, row)
        self._gender(person, row, texts)
        self._other_texts(person, row, texts)
        self._party(person, row)
        self._phone(person, row)
        self._check_id_against_person(person, row)
        return person

    def _name(self, person: PersonData, row: SheetRow, texts: dict[str, str]) -> None:
        t = self.table
        if "full_name" in t.mapping:
            field_name = "full_name"
            full = texts.get("full_name", "")
            if full:
                person.family, person.middle, person.given = text.split_full_name(capitalise_name(full))
        else:
            field_name = next((f for f in ("family_middle", "family", "middle") if f in t.mapping), "given")
            given = capitalise_name(texts.get("given", ""))
            if "family_middle" in t.mapping:
                family_middle = capitalise_name(texts.get("family_middle", ""))
                if family_middle:
                    person.family, person.middle, _ = text.split_full_name(family_middle + " x")
            else:
                person.family = capitalise_name(texts.get("family", ""))
                person.middle = capitalise_name(texts.get("middle", ""))
            person.given = given
            if given and not person.family and ("family_middle" in t.mapping or "family" in t.mapping):
                self._problem(person, row, field_name, tr(
                    "roster_import", "Thiếu họ của '{given}': ghi họ (và tên đệm) vào cột này.").format(given=given))
                return
            if not given and (person.family or person.middle):
                self._problem(person, row, "given", tr(
                    "roster_import", "Thiếu tên của '{name}': ghi tên vào cột này.").format(
                        name=text.join_name(person.family, person.middle, "")))
                return
        if not person.given:
            self._problem(person, row, field_name, tr(
                "roster_import", "Thiếu họ và tên: ghi đủ họ tên của học viên, hoặc xóa dòng này nếu không phải "
                                 "học viên."))
            return
        if not person.family and not person.middle:
            self._problem(person, row, field_name, tr(
                "roster_import", "Họ tên '{name}' chỉ có một chữ: kiểm tra xem đã ghi đủ họ, đệm và tên chưa.").format(
                    name=person.given), warning=True)
        bad = bad_name_characters(person.full_name)
        if bad:
            self._problem(person, row, field_name, tr(
                "roster_import", "Họ tên '{name}' có ký tự không phải chữ ({chars}): sửa lại họ tên.").format(
                    name=person.full_name, chars=" ".join(bad)))
        for part, limit in NAME_LIMITS.items():
            if len(getattr(person, part)) > limit:
                self._problem(person, row, field_name, tr(
                    "roster_import", "Họ tên '{name}' quá dài: kiểm tra lại, có thể đã ghi lẫn nội dung của cột khác.")
                    .format(name=person.full_name[:80]))
                break

    def _date(self, person: PersonData, row: SheetRow, field_name: str, value: Cell) -> tuple[dt.date | None, int] | None:
        try:
            return text.parse_date(value)
        except text.DateParseError as exc:
            advice = (tr("roster_import", "sửa lại ngày sinh") if field_name.startswith("birth")
                      else tr("roster_import", "sửa lại ngày vào Đảng"))
            self._problem(person, row, field_name, with_advice(exc.message, advice))
            return None

    def _birth(self, person: PersonData, row: SheetRow) -> None:
        t = self.table
        candidates = [(f, t.value(row, f)) for f in ("birth_date", "birth_male", "birth_female") if f in t.mapping]
        filled = [(f, v) for f, v in candidates if v is not None]
        if not candidates:
            self._problem(person, row, None, tr(
                "roster_import", "Tệp không có cột ngày sinh: thêm cột 'Ngày sinh' (hoặc chọn cột ngày sinh khi nhập)."))
            return
        if not filled:
            message = tr("roster_import", "Thiếu ngày sinh: ghi ngày sinh dạng dd/mm/yyyy (hoặc năm sinh).")
            if "birth_date" not in t.mapping:
                message = tr("roster_import", "Thiếu ngày sinh: ghi ngày sinh vào cột Nam (nếu là nam) hoặc cột Nữ "
                                              "(nếu là nữ), dạng dd/mm/yyyy.")
            self._problem(person, row, candidates[0][0], message)
            return
        if len(filled) > 1:
            self._problem(person, row, filled[1][0], tr(
                "roster_import", "Ngày sinh ghi ở cả cột Nam và cột Nữ: chỉ giữ ở cột đúng giới tính."))
            return
        field_name, value = filled[0]
        if field_name != "birth_date":  # the column holding the date gives the gender
            person.gender = "M" if field_name == "birth_male" else "F"
        parsed = self._date(person, row, field_name, value)
        if parsed is None:
            return
        person.birth_date, person.birth_year = parsed
        if person.birth_date is not None and person.birth_date > self.today:
            self._problem(person, row, field_name, tr(
                "roster_import", "Ngày sinh {date} ở tương lai: kiểm tra lại ngày sinh.").format(
                    date=text.format_date(person.birth_date)))
            return
        born = person.birth_date or dt.date(person.birth_year, 7, 1)
        age = self.reference.year - born.year - ((self.reference.month, self.reference.day) < (born.month, born.day))
        if not MIN_AGE <= age <= MAX_AGE:
            self._problem(person, row, field_name, tr(
                "roster_import", "Ngày sinh {date}: học viên {age} tuổi khi khai giảng lớp, không hợp lý; kiểm tra "
                                 "lại năm sinh.").format(date=person.birth_text, age=age))

    def _national_id(self, person: PersonData, row: SheetRow) -> None:
        value = self.table.value(row, "national_id")
        if value is None:
            return
        try:
            person.national_id = text.normalize_national_id(value)
        except text.NationalIdError as exc:
            self._problem(person, row, "national_id", with_advice(
                exc.message, tr("roster_import", "sửa lại số CCCD (12 chữ số, ghi dạng văn bản)")))

    def _gender(self, person: PersonData, row: SheetRow, texts: dict[str, str]) -> None:
        t = self.table
        found: list[tuple[str, str]] = []  # (field, gender)
        if person.gender is not None:
            found.append(("birth_male" if person.gender == "M" else "birth_female", person.gender))
        if "gender" in texts:
            try:
                found.append(("gender", text.parse_gender(texts["gender"])))
            except text.GenderParseError as exc:
                self._problem(person, row, "gender", with_advice(exc.message, tr("roster_import", "ghi 'Nam' hoặc 'Nữ'")))
                return
        marks = [("gender_male", "M"), ("gender_female", "F")]
        marked = [(f, g) for f, g in marks if t.value(row, f) is not None]
        if len(marked) > 1:
            self._problem(person, row, "gender_female", tr(
                "roster_import", "Đánh dấu cả Nam và Nữ: chỉ đánh dấu một cột giới tính."))
            return
        found += marked
        genders = {g for _f, g in found}
        if len(genders) > 1:
            self._problem(person, row, found[-1][0], tr(
                "roster_import", "Giới tính ở các cột không khớp nhau (Nam và Nữ): sửa cho đúng."))
            return
        if genders:
            person.gender = genders.pop()
            return
        digit = person.national_id[3] if person.national_id else None
        if digit in ("0", "1", "2", "3"):
            person.gender = "M" if digit in ("0", "2") else "F"
            return
        field_name = next((f for f in ("gender", "gender_male", "birth_date") if f in t.mapping), None)
        self._problem(person, row, field_name, tr(
            "roster_import", "Thiếu giới tính: ghi 'Nam' hoặc 'Nữ' (thêm cột 'Giới tính' nếu tệp chưa có)."))

    def _other_texts(self, person: PersonData, row: SheetRow, texts: dict[str, str]) -> None:
        for name, limit in TEXT_LIMITS.items():
            value = texts.get(name)
            if value is None:
                continue
            if len(value) > limit:
                self._problem(person, row, name, tr(
                    "roster_import", "Nội dung dài {n} ký tự, quá {limit} ký tự cho phép: rút gọn lại.").format(
                        n=len(value), limit=limit))
                continue
            if name == "ethnicity":
                value = capitalise_name(value)
            setattr(person, name, value)

    def _party(self, person: PersonData, row: SheetRow) -> None:
        value = self.table.value(row, "party_join_date")
        if value is None:
            return
        parsed = self._date(person, row, "party_join_date", value)
        if parsed is None:
            return
        joined, year = parsed
        if joined is None:
            self._problem(person, row, "party_join_date", tr(
                "roster_import", "Ngày vào Đảng chỉ có năm {year}: ghi đủ ngày dạng dd/mm/yyyy, hoặc để trống.")
                .format(year=year))
            return
        if joined > self.today:
            self._problem(person, row, "party_join_date", tr(
                "roster_import", "Ngày vào Đảng {date} ở tương lai: kiểm tra lại.").format(date=text.format_date(joined)))
            return
        if person.birth_year is not None:
            too_young = (joined.year - person.birth_year < PARTY_MIN_AGE - 1 if person.birth_date is None
                         else joined < add_years(person.birth_date, PARTY_MIN_AGE))
            if too_young:
                self._problem(person, row, "party_join_date", tr(
                    "roster_import", "Ngày vào Đảng {date} khi chưa đủ 18 tuổi (sinh {birth}): kiểm tra lại ngày vào "
                                     "Đảng và ngày sinh.").format(date=text.format_date(joined), birth=person.birth_text))
                return
        person.party_join_date = joined

    def _phone(self, person: PersonData, row: SheetRow) -> None:
        value = self.table.value(row, "phone")
        if value is None:
            return
        shown = display(value)
        phone = normalise_phone(shown)
        if phone is not None:
            person.phone = phone
            return
        self._problem(person, row, "phone", tr(
            "roster_import", "Số điện thoại '{phone}' không đúng dạng (10 chữ số, bắt đầu bằng 0): chưa lưu số này.")
            .format(phone=shown[:40]), warning=True)

    def _check_id_against_person(self, person: PersonData, row: SheetRow) -> None:
        """CCCD digits that do not match the row's gender or year of birth: a warning, for a
        person to check (`rules.learner_fields.national_id_warning`)."""
        if person.national_id is None:
            return
        warning = national_id_warning(person.national_id, person.birth_year, person.gender)
        if warning:
            self._problem(person, row, "national_id", warning, warning=True)
