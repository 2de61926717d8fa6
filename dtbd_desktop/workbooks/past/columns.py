"""What a past register (sổ gốc) says beyond a learner list: its own columns and its title block.

The learner columns (name, birth date, gender, ID...) are recognised by the roster import's
synonyms; the register's own columns here, by their headings (legacy TCVN3/VNI headings read
converted): số hiệu, số vào sổ, ngày cấp, xếp loại, the decision's number and date (two columns,
or one "Số, ngày quyết định"), the course, the mode, the average. The title block above the
table gives what a column does not: the kind of document ("BẰNG TỐT NGHIỆP", "GIẤY CHỨNG
NHẬN"), the level or programme ("TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH"), the class, the
course, the mode, and "Quyết định công nhận tốt nghiệp số 123-QĐ/TCT ngày 20/6/2016".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Final

from dtbd_desktop.base import legacy_encoding, text
from dtbd_desktop.base.i18n import tr_noop
from dtbd_desktop.workbooks.roster import synonyms

#: The register's own fields, with their labels (messages name a column by its heading).
PAST_FIELDS: Final[dict[str, str]] = {
    "serial": tr_noop("past_import", "Số hiệu"),
    "register_number": tr_noop("past_import", "Số vào sổ"),
    "issue_date": tr_noop("past_import", "Ngày cấp"),
    "classification": tr_noop("past_import", "Xếp loại"),
    "decision_number": tr_noop("past_import", "Số quyết định"),
    "decision_date": tr_noop("past_import", "Ngày quyết định"),
    "decision": tr_noop("past_import", "Số, ngày quyết định"),
    "course": tr_noop("past_import", "Khóa học"),
    "mode": tr_noop("past_import", "Hình thức đào tạo"),
    "average": tr_noop("past_import", "Điểm trung bình"),
}

_HEADINGS: Final[dict[str, tuple[str, ...]]] = {
    "serial": ("so hieu", "so hieu van bang", "so hieu bang", "so hieu bang tot nghiep", "so hieu chung chi",
               "so hieu giay chung nhan", "so hieu gcn", "so bang", "so hieu vb", "seri", "so seri"),
    "register_number": ("so vao so", "so vao so goc", "so vao so cap bang", "so vao so cap van bang", "so so goc",
                        "so vao so goc cap van bang", "so vs"),
    "issue_date": ("ngay cap", "ngay cap bang", "ngay cap van bang", "ngay cap chung chi", "ngay cap gcn",
                   "ngay thang cap", "ngay thang nam cap"),
    "classification": ("xep loai", "xep loai tot nghiep", "loai tot nghiep", "xep loai tn", "ket qua",
                       "ket qua xep loai", "xep loai ket qua"),
    "decision_number": ("so quyet dinh", "so qd", "quyet dinh so", "qd so", "so quyet dinh tot nghiep",
                        "so quyet dinh cong nhan tot nghiep", "quyet dinh so"),
    "decision_date": ("ngay quyet dinh", "ngay qd", "ngay ky quyet dinh", "ngay ky qd",
                      "ngay quyet dinh cong nhan tot nghiep"),
    "decision": ("so ngay quyet dinh", "so ngay qd", "quyet dinh cong nhan tot nghiep", "quyet dinh tot nghiep",
                 "so va ngay quyet dinh", "quyet dinh", "so ngay thang quyet dinh",
                 "so ngay quyet dinh cong nhan tot nghiep", "qd cong nhan tot nghiep"),
    "course": ("khoa hoc", "khoa", "nien khoa", "khoa dao tao"),
    "mode": ("hinh thuc dao tao", "he dao tao", "he", "hinh thuc hoc", "loai hinh dao tao"),
    "average": ("diem tb", "diem trung binh", "diem tbc", "diem trung binh chung", "dtb", "tbc",
                "diem trung binh toan khoa", "diem tbtk"),
}
_LOOKUP: Final = {heading: name for name, headings in _HEADINGS.items() for heading in headings}
#: Second-row headings under a "Quyết định ..." heading.
_DECISION_PARTS: Final = {"so": "decision_number", "so qd": "decision_number", "ngay": "decision_date",
                          "ngay thang": "decision_date", "ngay thang nam": "decision_date"}


def match_past_heading(heading: str) -> str | None:
    """The register field a column heading names ("A / B" for two header rows), else None."""
    parts = [p for p in heading.split(" / ") if p]
    variants: list[list[str]] = [synonyms.heading_variants(p) for p in parts]
    if len(parts) == 2:
        for top in variants[0]:
            for sub in variants[1]:
                if "quyet dinh" in top or top.startswith("qd"):
                    found = _DECISION_PARTS.get(sub)
                    if found:
                        return found
                combined = _LOOKUP.get(f"{top} {sub}")
                if combined:
                    return combined
        for sub in variants[1]:
            if sub in _LOOKUP:
                return _LOOKUP[sub]
    for options in variants[:1]:
        for value in options:
            if value in _LOOKUP:
                return _LOOKUP[value]
            plain = synonyms.normalize(re.sub(r"\([^)]*\)", " ", value))
            if plain in _LOOKUP:
                return _LOOKUP[plain]
    return None


# ---------------------------------------------------------------------------------- decision text

_NUMBER_RE: Final = re.compile(r"(?:s[ốo]\s*:?\s*)?(\d{1,5}\s*[-/][\wĐđ\-/.]*[\wĐđ]|\d{1,5})", re.IGNORECASE)
_DATE_NUM_RE: Final = re.compile(r"(\d{1,2})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{4})")
_DATE_WORDS_RE: Final = re.compile(r"ngày\s*(\d{1,2})\s*tháng\s*(\d{1,2})\s*năm\s*(\d{4})", re.IGNORECASE)


def find_date(value: str) -> dt.date | None:
    """The first date written in a text: "20/6/2016", "20-06-2016", "ngày 20 tháng 6 năm 2016"."""
    for pattern in (_DATE_WORDS_RE, _DATE_NUM_RE):
        match = pattern.search(value)
        if match:
            try:
                return dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            except ValueError:
                continue
    return None


def split_decision(value: str) -> tuple[str | None, dt.date | None]:
    """"123-QĐ/TCT ngày 20/6/2016" -> ("123-QĐ/TCT", 2016-06-20); either part may be missing."""
    value = " ".join(text.nfc(value).split())
    date = find_date(value)
    head = re.split(r"\bngày\b|,", value, maxsplit=1, flags=re.IGNORECASE)[0]
    head = re.sub(r"^(?:quyết định|qđ)\s*", "", head.strip(), flags=re.IGNORECASE)
    match = _NUMBER_RE.search(head)
    number = match.group(1).strip(" .;,") if match and not _DATE_NUM_RE.fullmatch(head.strip()) else None
    return (number or None), date


# ---------------------------------------------------------------------------------- title block


@dataclass(frozen=True)
class TitleFacts:
    """What a sheet's title block says (each None when it does not say)."""

    kind: str | None = None  # diploma | certificate
    level: str | None = None  # so_cap | trung_cap | cao_cap
    class_code: str | None = None
    course: str | None = None
    mode: str | None = None  # full-time | part-time
    decision_number: str | None = None
    decision_date: dt.date | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    year: int | None = None
    folded: str = ""  # the whole block folded, to find a programme's name in it
    decision_row: int | None = None


_TOKEN_RE: Final = re.compile(r"[\wĐđ][\w.\-/]*[\wĐđ]|\w")
_COURSE_RE: Final = re.compile(r"khóa\s*học\s*:?\s*(\d{4}\s*[-–]\s*\d{4})|\b(\d{4}\s*[-–]\s*\d{4})\b", re.IGNORECASE)
_PERIOD_RE: Final = re.compile(r"từ\s*(?:ngày)?\s*(\d{1,2}/\d{1,2}/\d{4})\s*đến\s*(?:ngày)?\s*(\d{1,2}/\d{1,2}/\d{4})",
                               re.IGNORECASE)
_YEAR_RE: Final = re.compile(r"\bnăm\s*(\d{4})\b", re.IGNORECASE)


def readable(value: str, font: str | None) -> str:
    """A title cell's text as Unicode NFC: converted from TCVN3/VNI when it is legacy text."""
    converted, _changed = legacy_encoding.convert_if_legacy(value, font)
    return " ".join(text.nfc(converted).split())


def _class_code(line: str, low: str) -> str | None:
    """"Lớp K74B.21" -> "K74B.21"; "Khóa 86" -> "Khóa 86": the first token with a digit on a line
    naming the class (not the course years, not a date)."""
    if not (low.startswith(("lop", "khoa ")) or " lop " in f" {low} ") or low.startswith("khoa hoc"):
        return None
    tokens: list[str] = _TOKEN_RE.findall(line)
    for index, token in enumerate(tokens):
        if not any(ch.isdigit() for ch in token) or re.fullmatch(r"\d{4}", token) or _DATE_NUM_RE.search(token):
            continue
        if token.isdigit():
            return f"{tokens[index - 1]} {token}" if index else token
        return token.rstrip(".,;")
    return None


def parse_title(lines: list[tuple[int, str]]) -> TitleFacts:
    """The facts of a title block given as (row, Unicode text) lines."""
    kind = level = class_code = course = mode = number = None
    decision_date = start = end = None
    year = None
    decision_row = None
    for row, line in lines:
        low = text.fold(line)
        if kind is None and ("bang tot nghiep" in low or "cap bang" in low or "van bang" in low):
            kind = "diploma"
        if kind is None and ("chung nhan" in low or "chung chi" in low):
            kind = "certificate"
        for words, found in (("trung cap", "trung_cap"), ("so cap", "so_cap"), ("cao cap", "cao_cap")):
            if level is None and words in low:
                level = found
        if mode is None:
            if "khong tap trung" in low or "vua lam vua hoc" in low or "tai chuc" in low:
                mode = "part-time"
            elif "tap trung" in low:
                mode = "full-time"
        if ("quyet dinh" in low or re.search(r"\bqd\b", low)) and number is None:
            at = re.search(r"quyết định|qđ", line, re.IGNORECASE)
            rest = line[at.start():] if at else line
            number_match = re.search(r"\bsố\s*:?\s*(\d{1,5}[^\s,;]*)", rest, re.IGNORECASE)
            if number_match:
                number = number_match.group(1).rstrip(".;,")
            decision_date = find_date(rest) or decision_date
            decision_row = row
            continue
        period = _PERIOD_RE.search(line)
        if period:
            start, end = find_date(period.group(1)), find_date(period.group(2))
        found_course = _COURSE_RE.search(line)
        if course is None and found_course:
            course = re.sub(r"\s*[-–]\s*", " - ", found_course.group(1) or found_course.group(2))
        if class_code is None:
            class_code = _class_code(line, low)
        found_year = _YEAR_RE.search(line)
        if year is None and found_year and not found_course:
            year = int(found_year.group(1))
    folded = " ".join(text.fold(line) for _row, line in lines)
    return TitleFacts(kind, level, class_code, course, mode, number, decision_date, start, end, year, folded,
                      decision_row)


__all__ = ["PAST_FIELDS", "TitleFacts", "find_date", "match_past_heading", "parse_title", "readable",
           "split_decision"]
