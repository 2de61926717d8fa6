"""Tests of dtbd_desktop.base.text: expected values are worked out by hand from the rules."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Callable
from decimal import Decimal

import pytest

from dtbd_desktop.base import text
from dtbd_desktop.base.text import (
    DateParseError,
    GenderParseError,
    NationalIdError,
    ScoreParseError,
    TextParseError,
)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


# ---------------------------------------------------------------------------------------------
# clean / nfc


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   \t\n ", None),
        ("\u00a0Nguyễn\tVăn\nAn\u200b ", "Nguyễn Văn An"),
        ("Nguy\u200bễn", "Nguyễn"),  # zero-width characters vanish, they do not split words
        ("\ufeffLê  Thị\r\n\r\nHà", "Lê Thị Hà"),
        ("A48\u2003\u3000K74B", "A48 K74B"),
        ("Tr\u00e2\u0300n", "Trần"),  # â + combining grave composes
        (8, "8"),
        ("x\x00y", "x y"),
    ],
)
def test_clean(raw: object, expected: str | None) -> None:
    assert text.clean(raw) == expected


def test_clean_gives_nfc_for_nfd_input() -> None:
    result = text.clean(nfd("Nguyễn Thị Hương"))
    assert result == "Nguyễn Thị Hương"
    assert result is not None and len(result) == len("Nguyễn Thị Hương")  # 16 code points, composed


def test_nfc_returns_empty_string_not_none() -> None:
    assert text.nfc("  ") == ""
    assert text.nfc(" a   b ") == "a b"
    assert text.nfc(nfd("Đặng")) == "Đặng"


def test_clean_keeps_soft_hyphen_for_tcvn3() -> None:
    assert text.clean("Tr\xadêng") == "Tr\xadêng"


# ---------------------------------------------------------------------------------------------
# names


@pytest.mark.parametrize(
    ("full", "parts"),
    [
        ("Nguyễn Văn An", ("Nguyễn", "Văn", "An")),
        ("Nguyễn Thị Ngọc Hân", ("Nguyễn", "Thị Ngọc", "Hân")),
        ("Lê An", ("Lê", "", "An")),
        ("An", ("", "", "An")),
        ("  nguyễn   văn  an ", ("nguyễn", "văn", "an")),
        ("Tôn Nữ Thị Hà", ("Tôn Nữ", "Thị", "Hà")),
        ("TÔN NỮ THỊ HÀ", ("TÔN NỮ", "THỊ", "HÀ")),
        ("Tôn Nữ Hà", ("Tôn Nữ", "", "Hà")),
        ("Tôn Nữ", ("Tôn", "", "Nữ")),  # a compound family name needs a given name after it
        ("Tôn Thất Thuyết", ("Tôn Thất", "", "Thuyết")),
        ("Công Tằng Tôn Nữ Thị Xuân", ("Công Tằng Tôn Nữ", "Thị", "Xuân")),
        ("Công Tôn Nữ Minh Châu", ("Công Tôn Nữ", "Minh", "Châu")),
        ("Âu Dương Phong", ("Âu Dương", "", "Phong")),
        ("Hoàng Phủ Ngọc Tường", ("Hoàng Phủ", "Ngọc", "Tường")),
        ("Hoàng Văn Phủ", ("Hoàng", "Văn", "Phủ")),
        ("Tư Mã Thị Lan", ("Tư Mã", "Thị", "Lan")),
        ("Nguyễn Phúc Thịnh", ("Nguyễn", "Phúc", "Thịnh")),  # Phúc is a middle name here
    ],
)
def test_split_full_name(full: str, parts: tuple[str, str, str]) -> None:
    assert text.split_full_name(full) == parts


def test_split_full_name_normalizes_nfd() -> None:
    assert text.split_full_name(nfd("Trần Thị Hương")) == ("Trần", "Thị", "Hương")


@pytest.mark.parametrize("empty", ["", "   ", "\u200b"])
def test_split_full_name_refuses_empty(empty: str) -> None:
    with pytest.raises(ValueError, match="Họ tên đang trống"):
        text.split_full_name(empty)


def test_compound_family_names_are_lower_case_nfc() -> None:
    assert isinstance(text.COMPOUND_FAMILY_NAMES, frozenset)
    for name in text.COMPOUND_FAMILY_NAMES:
        assert name == unicodedata.normalize("NFC", name).lower()
        assert " " in name


@pytest.mark.parametrize(
    ("parts", "full"),
    [
        (("Nguyễn", "Văn", "An"), "Nguyễn Văn An"),
        (("Lê", "", "An"), "Lê An"),
        (("", "", "An"), "An"),
        ((" Lê ", " Thị  Ngọc ", "Hà "), "Lê Thị Ngọc Hà"),
        (("Tôn Nữ", "Thị", "Hà"), "Tôn Nữ Thị Hà"),
    ],
)
def test_join_name(parts: tuple[str, str, str], full: str) -> None:
    assert text.join_name(*parts) == full


# ---------------------------------------------------------------------------------------------
# vn_sort_key

ALPHABET = ["a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
            "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z"]


def sorted_by(key: Callable[[str], str], items: list[str]) -> list[str]:
    shuffled = items[:]
    random.Random(7).shuffle(shuffled)
    return sorted(shuffled, key=key)


def test_alphabet_order() -> None:
    assert sorted_by(text.vn_sort_key, list(reversed(ALPHABET))) == ALPHABET
    capitals = [letter.upper() for letter in ALPHABET]
    assert sorted_by(text.vn_sort_key, capitals[::-1]) == capitals


def test_python_default_order_is_wrong_and_key_fixes_it() -> None:
    words = ["Đào", "Dung", "Ánh", "Bình", "Anh"]
    assert sorted(words) == ["Anh", "Bình", "Dung", "Ánh", "Đào"]  # code point order
    assert sorted_by(text.vn_sort_key, words) == ["Anh", "Ánh", "Bình", "Dung", "Đào"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("An", "An Bình"),  # the end of the text sorts first
        ("An Bình", "Anh"),  # a word boundary sorts before any letter
        ("An-Bình", "Anh"),
        ("Anh", "Ăn"),  # a < ă decides before the rest of the word
        ("Ăn", "Ân"),
        ("Dung", "Đào"),
        ("Duy", "Đào"),
        ("Em", "Ê"),
        ("Eo", "Êm"),
        ("Ong", "Ôn"),
        ("Ông", "Ơn"),
        ("Oanh", "Ông"),
        ("Tuấn", "Tư"),
        ("Uyên", "Ưng"),
        ("Ha", "Hà"),
        ("Hà", "Hả"),
        ("Hả", "Hã"),
        ("Hã", "Há"),
        ("Há", "Hạ"),
        ("Hạ", "Hai"),  # letters before tones: "ha" < "hai"
        ("Hạnh", "Hằng"),
        ("Hằng", "Hân"),
        ("an", "Anh"),  # case does not matter at the primary level
        ("AN", "anh"),
        ("an", "An"),  # lower case first when nothing else differs
        ("9", "A"),  # digits before letters
        ("Phường 2", "Phường 10"),  # numbers by value
        ("Phường 10", "Phường An Lạc"),
        ("Lớp K9", "Lớp K10"),
        ("Lớp 01", "Lớp 2"),
        ("(Ban) Tuyên giáo", "Ban Dân vận"),  # punctuation before everything
        ("Ēz", "Ê"),  # a non-Vietnamese mark is ignored: ē is e, and "ez" < "ê"
        ("Zoe", "Ωmega"),  # other letters after z
    ],
)
def test_vn_sort_key_pairs(before: str, after: str) -> None:
    assert text.vn_sort_key(before) < text.vn_sort_key(after)


def test_non_vietnamese_marks_do_not_count() -> None:
    assert text.vn_sort_key("Müller") == text.vn_sort_key("Muller")


def test_tone_is_secondary_across_the_whole_text() -> None:
    # The tone of the first word loses to a letter difference in the second word.
    assert text.vn_sort_key("Hà An") < text.vn_sort_key("Ha Anh")
    # Equal letters: the first word's tone decides before the second's.
    assert text.vn_sort_key("Ba Bá") < text.vn_sort_key("Bá Ba")


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("Nguyễn Văn An", "nguye}n.va}n.an!300!10000010010"),
        ("Đà Nẵng", "d}a.na}ng!13!101000"),
        ("Ơn", "o~n!0!10"),
        ("Phường 10", "phu}o~ng.210!10!100000"),
        ("", "!!"),
        ("K74B.21", "k274b.221!00!11"),
    ],
)
def test_vn_sort_key_documented_encoding(value: str, key: str) -> None:
    assert text.vn_sort_key(value) == key


def test_vn_sort_key_is_ascii_and_form_independent() -> None:
    for value in ["Nguyễn Thị Ngọc Hân", "Ưng Hoàng Phúc", "Straße 5", "Ωmega", "Đắk Lắk"]:
        key = text.vn_sort_key(value)
        assert key.isascii()
        assert text.vn_sort_key(nfd(value)) == key
        assert text.vn_sort_key(f"  {value} ") == key
    assert text.vn_sort_key("Hoà") == text.vn_sort_key("Hòa")  # old and new tone placement


def test_organisation_names_order() -> None:
    names = ["Xã Tân Lập", "Phường 10", "Phường 2", "Ban Tuyên giáo", "Đảng ủy Khối", "Ban Dân vận",
             "Phường 1", "Huyện Đức Hòa", "Huyện Đức Huệ", "Huyện Cần Giuộc", "Huyện Cần Đước"]
    assert sorted_by(text.vn_sort_key, names) == [
        "Ban Dân vận", "Ban Tuyên giáo", "Đảng ủy Khối", "Huyện Cần Đước", "Huyện Cần Giuộc",
        "Huyện Đức Hòa", "Huyện Đức Huệ", "Phường 1", "Phường 2", "Phường 10", "Xã Tân Lập",
    ]


# ---------------------------------------------------------------------------------------------
# name_sort_key: roster order by tên, đệm, họ

ROSTER = [
    # given "an": middle names Thị < Văn, then family Nguyễn < Phạm
    ("Trần", "Thị", "An"),
    ("Nguyễn", "Văn", "An"),
    ("Phạm", "Văn", "An"),
    # given "anh" (Ánh and Anh share it): middle Thị < Văn before the tone of Ánh counts
    ("Lê", "Thị", "Ánh"),
    ("Đỗ", "Văn", "Anh"),  # family Đỗ < Trần
    ("Trần", "Văn", "Anh"),
    ("Bùi", "Văn", "Ân"),  # anh < ân: a < â at the first letter
    ("Lê", "Thị", "Dung"),
    ("Phan", "Văn", "Duy"),
    ("Lê", "Văn", "Đào"),  # d < đ: every d... before đ...
    ("Trần", "Minh", "Đức"),
    # tone only: none, huyền, hỏi, ngã, sắc, nặng
    ("Lê", "Thị", "Ha"),
    ("Lê", "Thị", "Hà"),
    ("Lê", "Thị", "Hả"),
    ("Lê", "Thị", "Hã"),
    ("Lê", "Thị", "Há"),
    ("Lê", "Thị", "Hạ"),
    ("Trần", "Thị", "Hải"),
    ("Trần", "Thị", "Hạnh"),
    ("Phan", "Thị", "Hằng"),  # a < ă < â
    ("Võ", "Thị", "Hân"),
    ("Nguyễn", "Thị", "Huệ"),  # hue < hung < huy < hưng < hương
    ("Đinh", "Văn", "Hùng"),
    ("Lý", "Quang", "Huy"),
    ("Trần", "Văn", "Hưng"),
    ("Nguyễn", "Thị", "Hương"),
    ("Nguyễn", "Thị", "Loan"),  # loan < long < lộc < lợi: o < ô < ơ
    ("Bùi", "Văn", "Long"),
    ("Phạm", "Văn", "Lộc"),
    ("Hồ", "Văn", "Lợi"),
    # same given name: by middle name (none first), then family name
    ("Lê", "", "Mai"),
    ("Trần", "Ngọc", "Mai"),
    ("Lê", "Thị", "Mai"),
    ("Nguyễn", "Thị", "Mai"),
    ("Trần", "Thị", "Mai"),
    ("Đỗ", "Xuân", "Mai"),
    ("Lê", "Văn", "Tú"),  # tu < tuấn < tư < tường
    ("Lê", "Văn", "Tuấn"),
    ("Lê", "Văn", "Tư"),
    ("Lê", "Văn", "Tường"),
    # everything equal but the family name's tone: Nguyên (none) < Nguyễn (ngã)
    ("Nguyên", "Văn", "Vĩnh"),
    ("Nguyễn", "Văn", "Vĩnh"),
]


def test_roster_order() -> None:
    assert len(ROSTER) >= 25
    shuffled = ROSTER[:]
    random.Random(2025).shuffle(shuffled)
    assert sorted(shuffled, key=lambda p: text.name_sort_key(*p)) == ROSTER


def test_roster_keys_are_strictly_increasing_and_ascii() -> None:
    keys = [text.name_sort_key(*person) for person in ROSTER]
    assert all(key.isascii() for key in keys)
    assert all(a < b for a, b in zip(keys, keys[1:], strict=False))


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (("Nguyễn", "Văn", "An"), ("Lê", "Thị", "Ánh")),
        (("Lê", "Thị", "Ánh"), ("Trần", "Văn", "Anh")),
        (("Lê", "Thị", "Dung"), ("Lê", "Thị", "Đào")),
        (("Lê", "Thị", "Hạ"), ("Nguyễn", "Thị", "Hà")),  # family letters beat the given name's tone
        (("Trần", "Văn", "An"), ("Lê", "Văn", "An Bình")),  # one given name is a prefix
        (("Lê", "", "An"), ("Lê", "A", "An")),  # no middle name first
        (("Âu Dương", "", "Phong"), ("Bùi", "", "Phong")),
    ],
)
def test_name_sort_key_pairs(before: tuple[str, str, str], after: tuple[str, str, str]) -> None:
    assert text.name_sort_key(*before) < text.name_sort_key(*after)


def test_name_sort_key_documented_encoding() -> None:
    assert text.name_sort_key("Nguyễn", "Văn", "An") == "an,va}n,nguye}n!0,0,3!10,100,100000"
    assert text.name_sort_key("lê", "thị", "hà") < text.name_sort_key("Lê", "Thị", "Hà")


# ---------------------------------------------------------------------------------------------
# fold


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("Nguyễn Văn Ân", "nguyen van an"),
        ("ĐẶNG  Thị\tHƯƠNG", "dang thi huong"),
        ("Phường 10", "phuong 10"),
        ("Trường Chính trị tỉnh Long An", "truong chinh tri tinh long an"),
        ("Đắk Lắk", "dak lak"),
        ("ưng ơi ờ ắ ộ", "ung oi o a o"),
        ("", ""),
    ],
)
def test_fold(value: str, folded: str) -> None:
    assert text.fold(value) == folded
    assert text.fold(nfd(value)) == folded


# ---------------------------------------------------------------------------------------------
# dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(1985, 3, 5), (dt.date(1985, 3, 5), 1985)),
        (dt.datetime(1985, 3, 5, 10, 30), (dt.date(1985, 3, 5), 1985)),
        ("05/03/1985", (dt.date(1985, 3, 5), 1985)),
        ("5/3/1985", (dt.date(1985, 3, 5), 1985)),
        ("05-03-1985", (dt.date(1985, 3, 5), 1985)),
        ("05.03.1985", (dt.date(1985, 3, 5), 1985)),
        (" 05 / 03 / 1985 ", (dt.date(1985, 3, 5), 1985)),
        ("05/03/1985 00:00:00", (dt.date(1985, 3, 5), 1985)),
        ("1985-03-05", (dt.date(1985, 3, 5), 1985)),
        ("1985-03-05 00:00:00", (dt.date(1985, 3, 5), 1985)),
        ("1985-03-05T08:15", (dt.date(1985, 3, 5), 1985)),
        ("ngày 05 tháng 3 năm 1985", (dt.date(1985, 3, 5), 1985)),
        ("29/02/2024", (dt.date(2024, 2, 29), 2024)),
        ("1985", (None, 1985)),
        ("03/1985", (None, 1985)),
        ("3-1985", (None, 1985)),
        # numbers: a year, or an Excel serial day
        (1985, (None, 1985)),
        (1985.0, (None, 1985)),
        (31048, (dt.date(1985, 1, 1), 1985)),  # 25569 is 01/01/1970; + 15*365 + 4 leap days
        (31048.75, (dt.date(1985, 1, 1), 1985)),  # the time of day is dropped
        (Decimal("31048"), (dt.date(1985, 1, 1), 1985)),
        (45658, (dt.date(2025, 1, 1), 2025)),  # 45292 (01/01/2024) + 366
        (73415, (dt.date(2100, 12, 31), 2100)),
        (2101, (dt.date(1905, 10, 1), 1905)),
    ],
)
def test_parse_date(value: object, expected: tuple[dt.date | None, int]) -> None:
    assert text.parse_date(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/1980", "Ngày 31/02/1980 không có thật"),
        ("29/02/1900", "Ngày 29/02/1900 không có thật"),
        ("29/02/2023", "Ngày 29/02/2023 không có thật"),
        ("31/04/2024", "Ngày 31/04/2024 không có thật"),
        ("05/13/1980", "Ngày 05/13/1980 không có thật (tháng chỉ từ 1 đến 12; có thể đã đảo ngày và tháng)"),
        ("2024-02-30", "Ngày 30/02/2024 không có thật"),
        ("05/03/85", "Năm trong '05/03/85' phải viết đủ 4 chữ số, ví dụ 05/03/1985"),
        ("85", "Năm '85' phải viết đủ 4 chữ số, ví dụ 1985"),
        ("03/85", "Năm trong '03/85' phải viết đủ 4 chữ số, ví dụ 05/03/1985"),
        ("1850", "Năm 1850 nằm ngoài khoảng 1900–2100: kiểm tra lại năm"),
        ("05/03/2101", "Năm 2101 nằm ngoài khoảng 1900–2100: kiểm tra lại năm"),
        (dt.date(1850, 1, 1), "Năm 1850 nằm ngoài khoảng 1900–2100: kiểm tra lại năm"),
        ("13/1985", "Tháng 13 trong '13/1985' không có thật"),
        ("abc", "Không đọc được ngày 'abc': dùng dạng dd/mm/yyyy"),
        ("05/03-1985", "Không đọc được ngày '05/03-1985': dùng dạng dd/mm/yyyy"),
        ("31048", "Không đọc được ngày '31048': dùng dạng dd/mm/yyyy"),
        ("", "Chưa có ngày: nhập ngày dạng dd/mm/yyyy"),
        (None, "Chưa có ngày: nhập ngày dạng dd/mm/yyyy"),
        (True, "Chưa có ngày: nhập ngày dạng dd/mm/yyyy"),
        (0, "Không đọc được ngày '0': dùng dạng dd/mm/yyyy"),
        (150, "Không đọc được ngày '150': dùng dạng dd/mm/yyyy"),
        (73416, "Không đọc được ngày '73416': dùng dạng dd/mm/yyyy"),
        (-5, "Không đọc được ngày '-5': dùng dạng dd/mm/yyyy"),
        (float("nan"), "Không đọc được ngày 'nan': dùng dạng dd/mm/yyyy"),
    ],
)
def test_parse_date_errors(value: object, message: str) -> None:
    with pytest.raises(DateParseError) as caught:
        text.parse_date(value)
    assert caught.value.message == message
    assert str(caught.value) == message
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize(
    ("serial", "date"),
    [
        (1, dt.date(1900, 1, 1)),
        (59, dt.date(1900, 2, 28)),
        (61, dt.date(1900, 3, 1)),  # after Excel's fictitious 29/02/1900
        (25569, dt.date(1970, 1, 1)),
        (45658, dt.date(2025, 1, 1)),
    ],
)
def test_excel_serial_to_date(serial: int, date: dt.date) -> None:
    assert text.excel_serial_to_date(serial) == date


@pytest.mark.parametrize("serial", [0, 60, 73416])
def test_excel_serial_to_date_refuses(serial: int) -> None:
    with pytest.raises(DateParseError):
        text.excel_serial_to_date(serial)


@pytest.mark.parametrize(
    ("date", "shown"),
    [
        (dt.date(2025, 3, 5), "05/03/2025"),
        (dt.date(1905, 10, 1), "01/10/1905"),
        (dt.date(1985, 12, 31), "31/12/1985"),
        (dt.datetime(2025, 3, 5, 14, 0), "05/03/2025"),
        (None, ""),
    ],
)
def test_format_date(date: dt.date | None, shown: str) -> None:
    assert text.format_date(date) == shown


@pytest.mark.parametrize(
    ("place", "date", "line"),
    [
        ("Long An", dt.date(2025, 3, 5), "Long An, ngày 05 tháng 3 năm 2025"),
        ("Long An", dt.date(2025, 2, 5), "Long An, ngày 05 tháng 02 năm 2025"),
        ("Long An", dt.date(2025, 1, 10), "Long An, ngày 10 tháng 01 năm 2025"),
        ("Long An", dt.date(2025, 11, 15), "Long An, ngày 15 tháng 11 năm 2025"),
        ("Tân An", dt.date(2024, 12, 1), "Tân An, ngày 01 tháng 12 năm 2024"),
        ("  Đức  Hòa ", dt.date(2025, 9, 30), "Đức Hòa, ngày 30 tháng 9 năm 2025"),
        ("", dt.date(2025, 3, 5), "ngày 05 tháng 3 năm 2025"),
    ],
)
def test_long_date(place: str, date: dt.date, line: str) -> None:
    assert text.long_date(place, date) == line


# ---------------------------------------------------------------------------------------------
# numbers


@pytest.mark.parametrize(
    ("value", "places", "rounded"),
    [
        (8.25, 1, "8.3"),  # the float 8.25 is exact; half up
        (2.675, 2, "2.68"),  # the float is 2.67499999...; taken as the decimal it prints as
        (8.35, 1, "8.4"),
        (1.005, 2, "1.01"),
        (8.24, 1, "8.2"),
        ("8,25", 1, "8.3"),
        ("8.25", 1, "8.3"),
        (Decimal("2.5"), 0, "3"),
        (-2.5, 0, "-3"),  # half away from zero
        (7, 2, "7.00"),
        (7.456, 2, "7.46"),
    ],
)
def test_round_half_up(value: float | Decimal | str, places: int, rounded: str) -> None:
    result = text.round_half_up(value, places)
    assert isinstance(result, Decimal)
    assert str(result) == rounded


@pytest.mark.parametrize("value", ["abc", "", float("nan"), float("inf"), "1,5.2"])
def test_round_half_up_refuses(value: float | str) -> None:
    with pytest.raises(ValueError):
        text.round_half_up(value, 1)


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (8.5, 1, "8,5"),
        (8, 1, "8,0"),
        (8.25, 1, "8,3"),
        (8.24, 1, "8,2"),
        (2.675, 2, "2,68"),
        (5476, 0, "5.476"),
        (5250, 0, "5.250"),
        (5476, 1, "5.476,0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (999.95, 1, "1.000,0"),
        (1234567.891, 2, "1.234.567,89"),
        (-8.25, 1, "-8,3"),
        (-0.04, 1, "0,0"),
        (-1234.5, 1, "-1.234,5"),
        (Decimal("7.45"), 1, "7,5"),
        (0, 0, "0"),
        (None, 1, ""),
    ],
)
def test_format_decimal(value: float | Decimal | None, places: int, shown: str) -> None:
    assert text.format_decimal(value, places) == shown


def test_format_decimal_default_places_is_one() -> None:
    assert text.format_decimal(9) == "9,0"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (111.5, 1, "111,5%"),
        (104.25, 1, "104,3%"),
        (68 / 61 * 100, 1, "111,5%"),  # 111.47...
        (5476 / 5250 * 100, 1, "104,3%"),  # 104.30...
        (5, 0, "5%"),
        (1234.5, 1, "1.234,5%"),
        (None, 1, ""),
    ],
)
def test_format_percent(value: float | None, places: int, shown: str) -> None:
    assert text.format_percent(value, places) == shown


# ---------------------------------------------------------------------------------------------
# scores


@pytest.mark.parametrize(
    ("value", "score"),
    [
        ("8,5", "8.5"),
        ("8.5", "8.5"),
        (8.5, "8.5"),
        (8, "8.0"),
        (" 7 ", "7.0"),
        ("10", "10.0"),
        ("10,0", "10.0"),
        (10.0, "10.0"),
        ("0", "0.0"),
        (0, "0.0"),
        ("-0", "0.0"),
        (Decimal("9.5"), "9.5"),
        ("9,50", "9.5"),
        (",5", "0.5"),
        ("8.", "8.0"),
        ("\u00a08,5\t", "8.5"),
    ],
)
def test_parse_score(value: object, score: str) -> None:
    result = text.parse_score(value)
    assert isinstance(result, Decimal)
    assert str(result) == score


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("8,25", "Điểm chỉ có một chữ số thập phân, ví dụ 8,5 (đang là 8,25)"),
        (8.25, "Điểm chỉ có một chữ số thập phân, ví dụ 8,5 (đang là 8,25)"),
        (Decimal("7.75"), "Điểm chỉ có một chữ số thập phân, ví dụ 8,5 (đang là 7,75)"),
        ("11", "Điểm phải từ 0 đến 10 (đang là 11)"),
        (11, "Điểm phải từ 0 đến 10 (đang là 11)"),
        ("10,5", "Điểm phải từ 0 đến 10 (đang là 10,5)"),
        (-1, "Điểm phải từ 0 đến 10 (đang là -1)"),
        ("-0,5", "Điểm phải từ 0 đến 10 (đang là -0,5)"),
        ("abc", "Không đọc được điểm 'abc': nhập số từ 0 đến 10, ví dụ 8,5"),
        ("8,5,1", "Không đọc được điểm '8,5,1': nhập số từ 0 đến 10, ví dụ 8,5"),
        ("1e1", "Không đọc được điểm '1e1': nhập số từ 0 đến 10, ví dụ 8,5"),
        ("8 điểm", "Không đọc được điểm '8 điểm': nhập số từ 0 đến 10, ví dụ 8,5"),
        (float("nan"), "Không đọc được điểm 'nan': nhập số từ 0 đến 10, ví dụ 8,5"),
        ("", "Chưa nhập điểm: nhập số từ 0 đến 10, ví dụ 8,5"),
        (None, "Chưa nhập điểm: nhập số từ 0 đến 10, ví dụ 8,5"),
        (True, "Chưa nhập điểm: nhập số từ 0 đến 10, ví dụ 8,5"),
    ],
)
def test_parse_score_errors(value: object, message: str) -> None:
    with pytest.raises(ScoreParseError) as caught:
        text.parse_score(value)
    assert caught.value.message == message
    assert isinstance(caught.value, ValueError)


# ---------------------------------------------------------------------------------------------
# national ID (CCCD)


@pytest.mark.parametrize(
    ("value", "cccd"),
    [
        ("079090001234", "079090001234"),
        ("079 090 001 234", "079090001234"),
        ("079.090.001.234", "079090001234"),
        ("079-090-001-234", "079090001234"),
        ("'079090001234", "079090001234"),  # Excel's text prefix
        (" 079090001234\u00a0", "079090001234"),
        (79090001234, "079090001234"),  # Excel made it a number and dropped the zero
        (1090001234, "001090001234"),  # Hà Nội (001): two zeros lost
        (79090001234.0, "079090001234"),
        (1.23e11, "123000000000"),
        (123456789012, "123456789012"),
        (Decimal("79090001234"), "079090001234"),
        ("79090001234.0", "079090001234"),  # a float written out as text
    ],
)
def test_normalize_national_id(value: object, cccd: str) -> None:
    assert text.normalize_national_id(value) == cccd


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("123456789", "Số CCCD phải có đúng 12 chữ số (đang có 9: có thể là số CMND cũ, cần số CCCD 12 chữ số)"),
        (123456789, "Số CCCD phải có đúng 12 chữ số (đang có 9: có thể là số CMND cũ, cần số CCCD 12 chữ số)"),
        ("79090001234", "Số CCCD phải có đúng 12 chữ số (đang có 11: có thể Excel đã làm mất số 0 ở đầu; "
                        "định dạng cột là Văn bản (Text) rồi nhập lại)"),
        ("0790900012345", "Số CCCD phải có đúng 12 chữ số (đang có 13)"),
        (1234567890123, "Số CCCD phải có đúng 12 chữ số (đang có 13)"),
        (12345, "Số CCCD phải có đúng 12 chữ số (đang có 5)"),
        ("07909000123A", "Số CCCD chỉ gồm chữ số (đang là '07909000123A')"),
        ("7.9090001234E+10", "Excel đã đổi số CCCD thành dạng '7.9090001234E+10' và làm mất chữ số: "
                             "định dạng cột là Văn bản (Text) rồi nhập lại số CCCD"),
        (79090001234.5, "Số CCCD chỉ gồm chữ số (đang là '79090001234.5')"),
        (-79090001234, "Số CCCD chỉ gồm chữ số (đang là '-79090001234')"),
        ("", "Chưa có số CCCD"),
        (None, "Chưa có số CCCD"),
        (True, "Chưa có số CCCD"),
    ],
)
def test_normalize_national_id_errors(value: object, message: str) -> None:
    with pytest.raises(NationalIdError) as caught:
        text.normalize_national_id(value)
    assert caught.value.message == message


# ---------------------------------------------------------------------------------------------
# gender


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("Nam", "M"), ("nam", "M"), ("NAM", "M"), (" Nam ", "M"),
        ("Nữ", "F"), ("nữ", "F"), ("nu", "F"), ("NỮ", "F"), ("NU", "F"), (nfd("Nữ"), "F"),
    ],
)
def test_parse_gender(value: str, code: str) -> None:
    assert text.parse_gender(value) == code


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("x", "Giới tính 'x' không hợp lệ: ghi 'Nam' hoặc 'Nữ'"),
        ("M", "Giới tính 'M' không hợp lệ: ghi 'Nam' hoặc 'Nữ'"),
        ("Nam nữ", "Giới tính 'Nam nữ' không hợp lệ: ghi 'Nam' hoặc 'Nữ'"),
        (1, "Giới tính '1' không hợp lệ: ghi 'Nam' hoặc 'Nữ'"),
        ("", "Chưa ghi giới tính: ghi 'Nam' hoặc 'Nữ'"),
        (None, "Chưa ghi giới tính: ghi 'Nam' hoặc 'Nữ'"),
    ],
)
def test_parse_gender_errors(value: object, message: str) -> None:
    with pytest.raises(GenderParseError) as caught:
        text.parse_gender(value)
    assert caught.value.message == message


def test_gender_label() -> None:
    assert text.gender_label("M") == "Nam"
    assert text.gender_label("F") == "Nữ"
    with pytest.raises(GenderParseError):
        text.gender_label("X")


def test_error_hierarchy() -> None:
    for error in (DateParseError, ScoreParseError, NationalIdError, GenderParseError):
        assert issubclass(error, TextParseError)
        assert issubclass(error, ValueError)
