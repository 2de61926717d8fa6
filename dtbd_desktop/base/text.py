"""Vietnamese text core: cleaning, names, sort and search keys, dates, numbers, scores, IDs.

Pure standard library and free of Qt, so the services, the command line and the GUI share it.
Every error a person can cause is a subclass of `TextParseError` (a `ValueError`) whose message,
in Vietnamese, says what is wrong and what to do.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Final

# --------------------------------------------------------------------------------------------
# Errors


class TextParseError(ValueError):
    """A value typed by a person could not be read; `message` (Vietnamese) says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class DateParseError(TextParseError):
    """A date could not be read or does not exist."""


class ScoreParseError(TextParseError):
    """A score is not a number from 0 to 10 with at most one decimal place."""


class NationalIdError(TextParseError):
    """A citizen identity card number (CCCD) is not 12 digits."""


class GenderParseError(TextParseError):
    """A gender is neither "Nam" nor "Nữ"."""


# --------------------------------------------------------------------------------------------
# Cleaning

# Invisible characters that are dropped outright: zero-width space/joiners, word joiner, BOM.
_ZERO_WIDTH: Final = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"), None)
# `\s` covers tabs, newlines, NBSP (U+00A0), the U+2000 spaces, U+202F, U+3000...
_SPACES_RE: Final = re.compile(r"\s+")


@lru_cache(maxsize=65536)  # the same names, places and labels come back thousands of times in reports
def nfc(value: str) -> str:
    """`value` as Unicode NFC with invisible characters dropped and whitespace collapsed.

    Tabs, newlines, NBSP and other control characters become spaces; runs of spaces become
    one; the ends are stripped. Zero-width characters (U+200B-U+200D, U+2060, U+FEFF) are
    removed rather than turned into spaces, because they sit inside words ("Ng\u200buyễn").
    The soft hyphen U+00AD is kept: it is the letter "ư" in TCVN3 text, which
    `legacy_encoding` may still have to convert.
    """
    text = unicodedata.normalize("NFC", str(value).translate(_ZERO_WIDTH))
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        text = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return _SPACES_RE.sub(" ", text).strip()


def clean(value: object) -> str | None:
    """`nfc(str(value))`, or None when that is empty (or when `value` is None)."""
    if value is None:
        return None
    return nfc(str(value)) or None


# --------------------------------------------------------------------------------------------
# Names

#: Family names (họ) of more than one word, lower case NFC. The longest match wins, so
#: "Công Tằng Tôn Nữ Thị Hà" gives ("Công Tằng Tôn Nữ", "Thị", "Hà"). Deliberately absent:
#: pairs whose second word is also a common middle name, such as "Nguyễn Phúc" (Phúc is a
#: frequent đệm) or the parents' combined names "Nguyễn Trần", "Lê Phạm"; for those the first
#: word is the family name, which is how the registers usually record them.
COMPOUND_FAMILY_NAMES: Final[frozenset[str]] = frozenset({
    "tôn nữ",
    "tôn thất",
    "công tôn nữ",
    "công tằng tôn nữ",
    "công huyền tôn nữ",
    "tằng tôn nữ",
    "huyền tôn nữ",
    "lai huyền tôn nữ",
    "âu dương",
    "hoàng phủ",
    "tư mã",
    "tư đồ",
    "gia cát",
    "thượng quan",
})
_MAX_FAMILY_WORDS: Final = max(len(name.split(" ")) for name in COMPOUND_FAMILY_NAMES)


def split_full_name(full: str) -> tuple[str, str, str]:
    """Split a full name into (họ, đệm, tên): family, middle and given name.

    The first word is the family name (or a longer compound family name from
    `COMPOUND_FAMILY_NAMES`), the last word the given name, the words between the middle name.
    One word gives ("", "", word); two words (w1, "", w2). The input is cleaned first; the
    parts keep the capitalisation they were typed with. Raises ValueError when empty.
    """
    cleaned = nfc(full)
    if not cleaned:
        raise ValueError("Họ tên đang trống: nhập đủ họ, đệm và tên, ví dụ 'Nguyễn Văn An'")
    words = cleaned.split(" ")
    if len(words) == 1:
        return "", "", words[0]
    family_words = 1
    for count in range(min(_MAX_FAMILY_WORDS, len(words) - 1), 1, -1):
        if " ".join(words[:count]).lower() in COMPOUND_FAMILY_NAMES:
            family_words = count
            break
    return " ".join(words[:family_words]), " ".join(words[family_words:-1]), words[-1]


def join_name(family: str, middle: str, given: str) -> str:
    """The full name: the non-empty cleaned parts joined by single spaces."""
    return " ".join(part for part in (nfc(family), nfc(middle), nfc(given)) if part)


# --------------------------------------------------------------------------------------------
# Sort keys

_LEVEL_SEP: Final = "!"  # 0x21: between primary, secondary and tertiary levels
_PART_SEP: Final = ","  # 0x2C: between the given, middle and family parts of a name key
_WORD_SEP: Final = "."  # 0x2E: a run of spaces or punctuation
_FOREIGN: Final = "|"  # 0x7C: a letter outside a-z and đ, followed by 6 hex digits
_MARK_1: Final = "}"  # 0x7D: ă (after a), â/ê/ô (after a/e/o), ư (after u), đ (after d)
_MARK_2: Final = "~"  # 0x7E: â (after a), ơ (after o)

_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"
#: Combining tone mark -> secondary weight, in CLDR Vietnamese order (none = "0").
_TONE_WEIGHTS: Final[dict[str, str]] = {
    "\u0300": "1",  # huyền (grave)
    "\u0309": "2",  # hỏi (hook above)
    "\u0303": "3",  # ngã (tilde)
    "\u0301": "4",  # sắc (acute)
    "\u0323": "5",  # nặng (dot below)
}
#: (base letter, modifier) -> marker placed after the base letter in the primary key.
_LETTER_MARKERS: Final[dict[tuple[str, str], str]] = {
    ("a", _BREVE): _MARK_1,
    ("a", _CIRCUMFLEX): _MARK_2,
    ("e", _CIRCUMFLEX): _MARK_1,
    ("o", _CIRCUMFLEX): _MARK_1,
    ("o", _HORN): _MARK_2,
    ("u", _HORN): _MARK_1,
}


def _number_unit(digits: str) -> str:
    """A run of digits as a self-delimiting key unit that sorts by numeric value."""
    significant = digits.lstrip("0") or "0"
    length = len(significant)
    if length <= 14:
        return chr(0x30 + length) + significant  # "1".."9", ":" .. ">"
    return "?" + f"{min(length, 99):02d}" + significant


@lru_cache(maxsize=65536)  # names are made of a few thousand distinct words: imports hit the cache
def _levels(text: str) -> tuple[str, str, str]:
    """(primary, secondary, tertiary) strings of one piece of text; see `vn_sort_key`."""
    primary: list[str] = []
    secondary: list[str] = []
    tertiary: list[str] = []
    digits: list[str] = []
    word_tone: str | None = None
    in_word = False
    after_separator = False

    def flush_digits() -> None:
        if digits:
            primary.append(_number_unit("".join(digits)))
            digits.clear()

    for ch in nfc(text):
        decimal = unicodedata.decimal(ch, None)
        if decimal is not None:
            digits.append(str(decimal))
            in_word, after_separator = True, False
            continue
        flush_digits()
        if unicodedata.category(ch).startswith("M"):
            continue  # a stray combining mark (on a space, say) carries no weight
        decomposed = unicodedata.normalize("NFD", ch)
        base, marks = decomposed[0], decomposed[1:]
        lower = base.lower()
        if ch.isalpha() or lower == "đ":
            if "a" <= lower <= "z" and len(lower) == 1:
                unit = lower + next(
                    (_LETTER_MARKERS[lower, m] for m in marks if (lower, m) in _LETTER_MARKERS), "")
            elif lower == "đ":
                unit = "d" + _MARK_1
            else:
                unit = _FOREIGN + f"{ord(ch.lower()[0]):06x}"
            primary.append(unit)
            tertiary.append("1" if ch.isupper() else "0")
            if word_tone is None:
                word_tone = next((_TONE_WEIGHTS[m] for m in marks if m in _TONE_WEIGHTS), None)
            in_word, after_separator = True, False
            continue
        # space, punctuation or symbol: one word separator per run
        if in_word:
            secondary.append(word_tone or "0")
        word_tone, in_word = None, False
        if not after_separator:
            primary.append(_WORD_SEP)
            after_separator = True
    flush_digits()
    if in_word:
        secondary.append(word_tone or "0")
    return "".join(primary), "".join(secondary), "".join(tertiary)


def vn_sort_key(text: str) -> str:
    """An ASCII key whose plain byte order is Vietnamese alphabetical order.

    Stored in database columns compared with binary ("C") collation, so the encoding is fixed:

    ``primary "!" secondary "!" tertiary``

    * primary: one unit per letter, digit run or separator, lower-cased. A letter a-z is itself;
      a Vietnamese letter with a modifier is its base letter followed by a marker above every
      other unit: ``ă = a}``, ``â = a~``, ``đ = d}``, ``ê = e}``, ``ô = o}``, ``ơ = o~``,
      ``ư = u}``. So the order is a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x
      y z (f, j, w, z where ASCII puts them). A run of digits is one unit, a length character
      ("1".."9", ":".."?") then the digits without leading zeros, so numbers sort by value
      ("Phường 2" before "Phường 10") and before letters. Any run of spaces or punctuation is
      one ``.``, below every digit and letter, so "An" < "An Bình" < "Anh". Another letter
      (ß, ø, Greek...) is ``|`` and its code point in 6 hex digits, after z.
    * secondary: the tone of each word, one digit per word, in CLDR Vietnamese order: none
      ``0``, huyền ``1``, hỏi ``2``, ngã ``3``, sắc ``4``, nặng ``5``. Compared only when the
      primary strings are equal, so letters differ before tones do (Ha < Hà < Hả < Hã < Há <
      Hạ < Hai). Taking the tone per word makes "Hoà" and "Hòa" (old and new tone placement)
      equal at this level.
    * tertiary: ``0`` for each lower-case letter, ``1`` for an upper-case one (lower first).

    ``!`` is the smallest character used, so a key whose primary level is a prefix of another
    sorts first.
    """
    primary, secondary, tertiary = _levels(text)
    return _LEVEL_SEP.join((primary, secondary, tertiary))


def name_sort_key(family: str, middle: str, given: str) -> str:
    """Roster order: given name, then middle name, then family name (tên, đệm, họ).

    Same encoding as `vn_sort_key`, with each level holding the three parts in the order
    given, middle, family joined by ``,`` (below the word separator, so "An" with any middle
    name sorts before the given name "An Bình"). The letters of all three parts are compared
    before any tone: "Nguyễn Văn An" < "Lê Thị Ánh" < "Trần Văn Anh", because "an" < "anh",
    and for the two "anh" the middle names "thi" < "van" decide before the tone of "Ánh" is
    looked at.
    """
    levels = [_levels(part) for part in (given, middle, family)]
    return _LEVEL_SEP.join(_PART_SEP.join(level[i] for level in levels) for i in range(3))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Search key: cleaned, without diacritics, đ/Đ as d, lower case ("nguyen van an")."""
    decomposed = unicodedata.normalize("NFD", nfc(text).replace("đ", "d").replace("Đ", "D"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
    return nfc(stripped.lower())


def file_name(*parts: str) -> str:
    """A file name from Vietnamese words, without diacritics, joined by hyphens, case kept:
    ("điểm danh", "TC25.01", "sáng") -> "diem-danh-TC25.01-sang"; characters Windows refuses dropped."""
    words: list[str] = []
    for part in parts:
        decomposed = unicodedata.normalize("NFD", nfc(part).replace("đ", "d").replace("Đ", "D"))
        plain = "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))
        words.extend(w for w in re.split(r'[\s<>:"/\\|?*]+', plain) if w)
    return "-".join(words)


# --------------------------------------------------------------------------------------------
# Dates

MIN_YEAR: Final = 1900
MAX_YEAR: Final = 2100
_EXCEL_EPOCH: Final = dt.date(1899, 12, 30)  # serial 0 in the 1900 date system, from serial 61
_EXCEL_MAX_SERIAL: Final = (dt.date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days  # 73415
_TIME_SUFFIX: Final = r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY_RE: Final = re.compile(r"(\d{1,2}) ?([/.\-]) ?(\d{1,2}) ?\2 ?(\d+)" + _TIME_SUFFIX)
_YMD_RE: Final = re.compile(r"(\d{4})([/.\-])(\d{1,2})\2(\d{1,2})" + _TIME_SUFFIX)
_MY_RE: Final = re.compile(r"(\d{1,2}) ?[/.\-] ?(\d+)")
_DIGITS_RE: Final = re.compile(r"\d+")
_WORDS_RE: Final = re.compile(r"ngày (\d{1,2}) tháng (\d{1,2}) năm (\d+)", re.IGNORECASE)


def _check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(f"Năm {year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}: kiểm tra lại năm")
    return year


def _year_from_text(year_text: str, original: str) -> int:
    if len(year_text) != 4:
        raise DateParseError(f"Năm trong '{original}' phải viết đủ 4 chữ số, ví dụ 05/03/1985")
    return _check_year(int(year_text))


def _make_date(day: int, month: int, year: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        hint = " (tháng chỉ từ 1 đến 12; có thể đã đảo ngày và tháng)" if month > 12 else ""
        raise DateParseError(f"Ngày {day:02d}/{month:02d}/{year} không có thật{hint}") from None


def _is_finite(number: int | float | Decimal) -> bool:
    if isinstance(number, Decimal):
        return number.is_finite()
    return math.isfinite(number)


def excel_serial_to_date(serial: int) -> dt.date:
    """The date of an Excel serial day number in the 1900 date system.

    Excel counts 1 = 01/01/1900 but treats 1900 as a leap year, so serial 60 is the
    non-existent 29/02/1900 (refused) and from serial 61 (01/03/1900) on, every serial is one
    more than the true day count from 31/12/1899.
    """
    if serial == 60:
        raise DateParseError("Ngày 29/02/1900 (số ngày 60 của Excel) không có thật")
    if not 1 <= serial <= _EXCEL_MAX_SERIAL:
        raise DateParseError(f"Số ngày {serial} của Excel nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}")
    if serial < 60:
        return dt.date(1899, 12, 31) + dt.timedelta(days=serial)
    return _EXCEL_EPOCH + dt.timedelta(days=serial)


def _date_from_number(number: int | float | Decimal, shown: str) -> tuple[dt.date | None, int]:
    if not _is_finite(number):
        raise DateParseError(f"Không đọc được ngày '{shown}': dùng dạng dd/mm/yyyy")
    if number == int(number) and MIN_YEAR <= int(number) <= MAX_YEAR:
        return None, int(number)  # a year typed as a number
    serial = math.floor(number)  # the fraction is the time of day
    if not MAX_YEAR < serial <= _EXCEL_MAX_SERIAL:
        # Serials up to 2100 (dates before October 1905) are not plausible here; a small
        # number in a date column is a typing slip, not a day in 1900.
        raise DateParseError(f"Không đọc được ngày '{shown}': dùng dạng dd/mm/yyyy")
    date = excel_serial_to_date(serial)
    return date, date.year


def parse_date(value: object) -> tuple[dt.date | None, int]:
    """Read a date of birth or an event date; returns (full date or None, year).

    Accepted:

    * `datetime.date` / `datetime.datetime` (the time is dropped);
    * a number: an integer from 1900 to 2100 is a year alone, (None, year); a number from 2101
      (01/10/1905) to 73415 (31/12/2100) is an Excel serial date in the 1900 date system (see
      `excel_serial_to_date`), its fraction (time of day) ignored; smaller numbers are refused
      as typing slips;
    * text "dd/mm/yyyy" or "d/m/yyyy", with "/", "-" or "." (the same one twice), optionally
      followed by a time as openpyxl writes it; ISO "yyyy-mm-dd" (also with "/" or ".");
      "ngày 05 tháng 3 năm 1985";
    * text "yyyy" alone, and "mm/yyyy" (month and year only, as some registers record a birth):
      both give (None, year); the month of "mm/yyyy" is checked but not kept, since only a
      full date or a year is stored.

    Everything else raises `DateParseError`: two-digit years ("05/03/85" could be 1885 or
    1985), years outside 1900-2100, dates that do not exist (31/02/1980), empty input, text.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value, _check_year(value.year)
    if isinstance(value, bool) or value is None:
        raise DateParseError("Chưa có ngày: nhập ngày dạng dd/mm/yyyy")
    if isinstance(value, int | float | Decimal):
        return _date_from_number(value, str(value))
    text = nfc(str(value))
    if not text:
        raise DateParseError("Chưa có ngày: nhập ngày dạng dd/mm/yyyy")
    if _DIGITS_RE.fullmatch(text):
        if len(text) == 2:
            raise DateParseError(f"Năm '{text}' phải viết đủ 4 chữ số, ví dụ 1985")
        if len(text) != 4:
            raise DateParseError(f"Không đọc được ngày '{text}': dùng dạng dd/mm/yyyy")
        return None, _check_year(int(text))
    match = _DMY_RE.fullmatch(text) or _WORDS_RE.fullmatch(text)
    if match:
        groups = match.groups()
        day, month, year_text = groups[0], groups[-2], groups[-1]
        year = _year_from_text(year_text, text)
        date = _make_date(int(day), int(month), year)
        return date, year
    match = _YMD_RE.fullmatch(text)
    if match:
        year = _check_year(int(match.group(1)))
        date = _make_date(int(match.group(4)), int(match.group(3)), year)
        return date, year
    match = _MY_RE.fullmatch(text)
    if match:
        year = _year_from_text(match.group(2), text)
        if not 1 <= int(match.group(1)) <= 12:
            raise DateParseError(f"Tháng {int(match.group(1))} trong '{text}' không có thật")
        return None, year
    raise DateParseError(f"Không đọc được ngày '{text}': dùng dạng dd/mm/yyyy")


def format_date(d: dt.date | None) -> str:
    """dd/mm/yyyy ("05/03/2025"); "" for None."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def long_date(place: str, d: dt.date) -> str:
    """Place and date line of an administrative document: "Long An, ngày 05 tháng 3 năm 2025".

    Per Nghị định 30/2020/NĐ-CP, days below 10 and the months 1 and 2 take a leading zero
    ("ngày 05 tháng 02 năm 2025"); other months do not ("tháng 3", "tháng 11"). Without a
    place the line starts at "ngày".
    """
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    body = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    where = nfc(place)
    return f"{where}, {body}" if where else body


# --------------------------------------------------------------------------------------------
# Numbers


def _to_decimal(value: float | Decimal | str) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"Không đọc được số '{value}'")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))  # the shortest decimal that reads back as this float
    else:
        text = nfc(value)
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"Không đọc được số '{value}'") from None
    if not result.is_finite():
        raise ValueError(f"Không đọc được số '{value}'")
    return result


def round_half_up(value: float | Decimal | str, places: int) -> Decimal:
    """`value` rounded half away from zero to `places` decimals, as a Decimal.

    A float is taken as the decimal it prints as (`repr`), so 2.675 rounds to 2.68 and 8.25 to
    8.3 even though neither float is exactly that decimal. Text may use a decimal comma.
    """
    number = _to_decimal(value)
    with localcontext() as context:
        context.prec = max(28, number.adjusted() + places + 2)
        return number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_decimal(value: float | Decimal | None, places: int = 1) -> str:
    """Number for printed documents: decimal comma, "." between thousands, half-up rounding.

    8.5 -> "8,5"; 8.25 -> "8,3"; 5476 with places=0 -> "5.476"; 1234.5 -> "1.234,5";
    None -> "".
    """
    if value is None:
        return ""
    number = round_half_up(value, places)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{number.copy_abs():f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def format_percent(value: float | Decimal | None, places: int = 1) -> str:
    """A value already in percent, printed: 111.5 -> "111,5%"; None -> "".

    The caller multiplies a ratio by 100 (actual / plan * 100); this function does not.
    """
    if value is None:
        return ""
    return format_decimal(value, places) + "%"


# --------------------------------------------------------------------------------------------
# Scores

_SCORE_RE: Final = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)")
_TENTH: Final = Decimal("0.1")


def parse_score(value: object) -> Decimal:
    """A module or exam score: 0 to 10 with at most one decimal place, as Decimal("8.5").

    Accepts numbers and text with a decimal comma or point ("8,5", "8.5", " 7 "). The result is
    quantized to one decimal (8 -> Decimal("8.0")). Raises `ScoreParseError`.
    """
    if value is None or isinstance(value, bool):
        raise ScoreParseError("Chưa nhập điểm: nhập số từ 0 đến 10, ví dụ 8,5")
    if isinstance(value, int | float | Decimal):
        shown = repr(value) if isinstance(value, float) else str(value)
        shown = shown.replace(".", ",")
        try:
            number = _to_decimal(value)
        except ValueError:
            raise ScoreParseError(f"Không đọc được điểm '{shown}': nhập số từ 0 đến 10, ví dụ 8,5") from None
    else:
        shown = nfc(str(value))
        if not shown:
            raise ScoreParseError("Chưa nhập điểm: nhập số từ 0 đến 10, ví dụ 8,5")
        if not _SCORE_RE.fullmatch(shown):
            raise ScoreParseError(f"Không đọc được điểm '{shown}': nhập số từ 0 đến 10, ví dụ 8,5")
        number = Decimal(shown.replace(",", "."))
    if not Decimal(0) <= number <= Decimal(10):
        raise ScoreParseError(f"Điểm phải từ 0 đến 10 (đang là {shown})")
    if number != number.quantize(_TENTH):
        raise ScoreParseError(f"Điểm chỉ có một chữ số thập phân, ví dụ 8,5 (đang là {shown})")
    return number.copy_abs().quantize(_TENTH)


# --------------------------------------------------------------------------------------------
# National ID (CCCD)

_ID_SEPARATORS_RE: Final = re.compile(r"[\s.\-]")
_FLOAT_TEXT_RE: Final = re.compile(r"(\d{10,12})\.0+")
_SCIENTIFIC_RE: Final = re.compile(r"\d+(?:[.,]\d+)?[eE]\+?\d+")


def _id_length_error(count: int) -> NationalIdError:
    if count == 9:
        hint = ": có thể là số CMND cũ, cần số CCCD 12 chữ số"
    elif count in (10, 11):
        hint = ": có thể Excel đã làm mất số 0 ở đầu; định dạng cột là Văn bản (Text) rồi nhập lại"
    else:
        hint = ""
    return NationalIdError(f"Số CCCD phải có đúng 12 chữ số (đang có {count}{hint})")


def _id_from_number(number: int | float | Decimal) -> str:
    if not _is_finite(number):
        raise NationalIdError(f"Không đọc được số CCCD '{number}'")
    if number < 0 or number != int(number):
        raise NationalIdError(f"Số CCCD chỉ gồm chữ số (đang là '{number}')")
    digits = str(int(number))
    if len(digits) in (10, 11):
        # Excel stored the ID as a number and dropped the leading zeros of the province code
        # (001-096), which is why an ID read as a number has 10 or 11 digits.
        return digits.zfill(12)
    if len(digits) != 12:
        raise _id_length_error(len(digits))
    return digits


def normalize_national_id(value: object) -> str:
    """A CCCD number as 12 digits of text.

    Text is taken as typed once spaces, dots and dashes (and a leading apostrophe, Excel's
    "text" prefix) are removed: it must then be exactly 12 digits. A number (int, float,
    Decimal: a cell Excel typed as a number) of 10 or 11 digits gets back its leading zeros;
    one of 9 digits or fewer is refused rather than padded, since no province code is "000"
    and 9 digits is an old CMND. Text such as "12345678901.0" (a float turned into text) is
    read as that number. Raises `NationalIdError`.
    """
    if value is None or isinstance(value, bool):
        raise NationalIdError("Chưa có số CCCD")
    if isinstance(value, int | float | Decimal):
        return _id_from_number(value)
    text = nfc(str(value)).lstrip("'")
    if not text:
        raise NationalIdError("Chưa có số CCCD")
    float_text = _FLOAT_TEXT_RE.fullmatch(text)
    if float_text:
        return _id_from_number(int(float_text.group(1)))
    if _SCIENTIFIC_RE.fullmatch(text):
        raise NationalIdError(
            f"Excel đã đổi số CCCD thành dạng '{text}' và làm mất chữ số: "
            "định dạng cột là Văn bản (Text) rồi nhập lại số CCCD")
    digits = _ID_SEPARATORS_RE.sub("", text)
    if not digits.isascii() or not digits.isdigit():
        raise NationalIdError(f"Số CCCD chỉ gồm chữ số (đang là '{text}')")
    if len(digits) != 12:
        raise _id_length_error(len(digits))
    return digits


# --------------------------------------------------------------------------------------------
# Gender

GENDER_LABELS: Final[dict[str, str]] = {"M": "Nam", "F": "Nữ"}
_GENDER_BY_FOLDED: Final[dict[str, str]] = {"nam": "M", "nu": "F"}


def parse_gender(value: object) -> str:
    """"M" for Nam, "F" for Nữ, whatever the case and with or without diacritics ("nu").

    Anything else, including codes such as "x", raises `GenderParseError`.
    """
    text = clean(value)
    if text is None:
        raise GenderParseError("Chưa ghi giới tính: ghi 'Nam' hoặc 'Nữ'")
    code = _GENDER_BY_FOLDED.get(fold(text))
    if code is None:
        raise GenderParseError(f"Giới tính '{text}' không hợp lệ: ghi 'Nam' hoặc 'Nữ'")
    return code


def gender_label(code: str) -> str:
    """"Nam" for "M", "Nữ" for "F"."""
    try:
        return GENDER_LABELS[code]
    except KeyError:
        raise GenderParseError(f"Mã giới tính '{code}' không hợp lệ (chỉ có 'M' hoặc 'F')") from None
