"""A generated ten-year archive of a centre's registers (sổ gốc), as the office kept them in Excel.

`write_archive(folder)` writes one workbook per year, 2015-2024, each with one sheet per class,
and returns what it wrote (the expected lines, to check against without the code under test):

* the layout changes with the clerk: three column orders, a one-row or a two-row header, the
  decision in the title block or in columns, dates as Excel dates or as text;
* 2015-2017 are Excel 97-2003 files (.xls, written with xlwt); 2016 is typed in TCVN3 (font
  ".VnTime"); 2015 and 2016 have no national ID column;
* names arrive with stray spaces and in NFD in 2018;
* serials: "0001/TC-2015" style until 2019, then one series running on across years "A000101";
* some people come back: a Sơ cấp graduate of 2017 takes Trung cấp in 2021 (same ID), and a
  person of 2015 (no ID then) graduates again in 2019 with an ID: a possible duplicate.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from dtbd_desktop.base.legacy_encoding import TCVN3_TO_UNICODE

FAMILIES = ["Nguyễn", "Trần", "Lê", "Phạm", "Võ", "Huỳnh", "Đặng", "Bùi", "Dương", "Trương"]
MIDDLES_M = ["Văn", "Hữu", "Minh", "Quốc", "Thanh"]
MIDDLES_F = ["Thị", "Ngọc", "Thu", "Kim", "Mỹ"]
GIVEN_M = ["Hùng", "Dũng", "Tâm", "Phúc", "Long", "Hải", "Nam", "Sơn", "Tuấn", "Bình"]
GIVEN_F = ["Hoa", "Lan", "Hương", "Mai", "Nga", "Thảo", "Trang", "Yến", "Hằng", "Linh"]
CLASSES = ["Giỏi", "Khá", "Khá", "Trung bình", "Xuất sắc"]
_TCVN3 = {u: k for k, u in TCVN3_TO_UNICODE.items()}


def to_tcvn3(value: str) -> str:
    """Unicode text as TCVN3 (ABC) would store it: capitals with tones are not in the encoding."""
    out = []
    for ch in unicodedata.normalize("NFC", value):
        if ch.isascii():
            out.append(ch)
        elif ch in _TCVN3:
            out.append(_TCVN3[ch])
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return "".join(out)


@dataclass
class Person:
    full_name: str
    birth: dt.date
    gender: str  # "Nam" | "Nữ"
    national_id: str | None


@dataclass
class Line:
    year: int
    sheet: str
    person: Person
    serial: str
    register_number: str
    issue_date: dt.date
    classification: str
    decision: str


@dataclass
class Archive:
    files: list[Path] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    classes: dict[str, int] = field(default_factory=dict)  # sheet -> year
    returning_same_id: Person | None = None
    returning_without_id: Person | None = None

    def by_year(self, year: int) -> list[Line]:
        return [line for line in self.lines if line.year == year]


def _person(i: int, year: int, with_id: bool) -> Person:
    female = i % 3 == 0
    family = FAMILIES[(i * 7 + year) % len(FAMILIES)]
    middle = (MIDDLES_F if female else MIDDLES_M)[(i + year) % 5]
    given = (GIVEN_F if female else GIVEN_M)[(i * 3 + year) % 10]
    birth = dt.date(1970 + (i * 5 + year) % 25, 1 + i % 12, 1 + (i * 11) % 27)
    nid = None
    if with_id:
        century = 0 if birth.year < 2000 else 2
        nid = f"080{century + (1 if female else 0)}{birth.year % 100:02d}{(year * 1000 + i) % 1000000:06d}"
    return Person(f"{family} {middle} {given}", birth, "Nữ" if female else "Nam", nid)


def _serials(year: int, n: int, running: list[int]) -> tuple[str, str]:
    if year < 2020:
        return f"{n:04d}/TC-{year}", f"{n:03d}/{year}"
    running[0] += 1
    return f"A{running[0]:06d}", f"{n:03d}/{year}"


def write_archive(folder: Path, *, per_class: int = 6) -> Archive:
    folder.mkdir(parents=True, exist_ok=True)
    archive = Archive()
    running = [100]
    comeback_id: Person | None = None
    comeback_no_id: Person | None = None
    for year in range(2015, 2025):
        sheets: list[tuple[str, str, list[Line]]] = []
        decision_date = dt.date(year, 6, 20)
        for k, (level, code) in enumerate((("TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH", f"TC{year % 100}.{1}"),
                                           ("TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH", f"TC{year % 100}.{2}"))):
            decision = f"{100 + year % 100 * 2 + k}-QĐ/TCT"
            lines = []
            for i in range(per_class):
                n = k * per_class + i + 1
                person = _person(i + k * per_class, year, with_id=year >= 2017)
                if year == 2015 and k == 0 and i == 1:
                    comeback_no_id = person
                if year == 2019 and k == 0 and i == 2 and comeback_no_id is not None:
                    person = Person(comeback_no_id.full_name, comeback_no_id.birth, comeback_no_id.gender,
                                    "080" + ("1" if comeback_no_id.gender == "Nữ" else "0")
                                    + f"{comeback_no_id.birth.year % 100:02d}999001")
                    archive.returning_without_id = person
                if year == 2017 and k == 1 and i == 0:
                    comeback_id = person
                if year == 2021 and k == 0 and i == 3 and comeback_id is not None:
                    person = comeback_id
                    archive.returning_same_id = person
                serial, number = _serials(year, n, running)
                lines.append(Line(year, code, person, serial, number, decision_date.replace(day=25),
                                  CLASSES[(i + year) % len(CLASSES)], decision))
            sheets.append((level, code, lines))
            archive.classes[code] = year
        archive.lines += [line for _l, _c, lines in sheets for line in lines]
        archive.files.append(_write_year(folder, year, sheets))
    return archive


def _title(level: str, code: str, decision: str, day: dt.date) -> list[str]:
    return [f"SỔ GỐC CẤP BẰNG TỐT NGHIỆP {level}", f"Lớp {code} - Khóa học {day.year - 1} - {day.year}",
            f"Quyết định công nhận tốt nghiệp số {decision} ngày {day.day:02d}/{day.month:02d}/{day.year}"]


def _rows(year: int, lines: list[Line]) -> tuple[list[str], list[list[object]]]:
    """Headings and rows in the year's layout."""
    as_text = year % 2 == 0
    rows: list[list[object]] = []
    if year % 3 == 0:
        headings = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Số CCCD", "Xếp loại", "Số hiệu",
                    "Số vào sổ", "Ngày cấp"]
    elif year % 3 == 1:
        headings = ["STT", "Số vào sổ", "Số hiệu văn bằng", "Họ và tên", "Giới tính", "Ngày sinh", "Số CCCD",
                    "Xếp loại tốt nghiệp", "Ngày cấp"]
    else:
        headings = ["STT", "Họ và tên", "Nam/Nữ", "Ngày, tháng, năm sinh", "Số CCCD", "Kết quả xếp loại",
                    "Số hiệu", "Số vào sổ gốc", "Ngày cấp bằng"]
    for n, line in enumerate(lines, start=1):
        p = line.person
        name = p.full_name
        if year == 2018:  # stray spaces, decomposed accents
            name = "  " + unicodedata.normalize("NFD", name).replace(" ", "   ") + " "
        birth: object = p.birth.strftime("%d/%m/%Y") if as_text else p.birth
        issued: object = line.issue_date.strftime("%d/%m/%Y") if as_text else line.issue_date
        values = {"STT": n, "Họ và tên": name, "Ngày sinh": birth, "Ngày, tháng, năm sinh": birth,
                  "Giới tính": p.gender, "Nam/Nữ": p.gender, "Dân tộc": "Kinh", "Số CCCD": p.national_id,
                  "Xếp loại": line.classification, "Xếp loại tốt nghiệp": line.classification,
                  "Kết quả xếp loại": line.classification, "Số hiệu": line.serial, "Số hiệu văn bằng": line.serial,
                  "Số vào sổ": line.register_number, "Số vào sổ gốc": line.register_number, "Ngày cấp": issued,
                  "Ngày cấp bằng": issued}
        rows.append([values[h] for h in headings])
    if year < 2017:  # no national IDs before 2017
        keep = [i for i, h in enumerate(headings) if h != "Số CCCD"]
        headings = [headings[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    return headings, rows


def _write_year(folder: Path, year: int, sheets: list[tuple[str, str, list[Line]]]) -> Path:
    if year <= 2017:
        return _write_xls(folder / f"so_goc_{year}.xls", year, sheets)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for level, code, lines in sheets:
        ws = wb.create_sheet(code)
        for r, title in enumerate(_title(level, code, lines[0].decision, lines[0].issue_date.replace(day=20)), 1):
            ws.cell(row=r, column=1, value=title)
            ws.merge_cells(start_row=r, end_row=r, start_column=1, end_column=8)
        headings, rows = _rows(year, lines)
        for c, heading in enumerate(headings, 1):
            ws.cell(row=5, column=c, value=heading)
        for r, row in enumerate(rows, 6):
            for c, value in enumerate(row, 1):
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, dt.date):
                    cell.number_format = "DD/MM/YYYY"
        ws.cell(row=7 + len(rows), column=2, value=f"Long An, ngày 30 tháng 6 năm {year}")
    path = folder / f"so_goc_{year}.xlsx"
    wb.save(path)
    return path


def _write_xls(path: Path, year: int, sheets: list[tuple[str, str, list[Line]]]) -> Path:
    import xlwt  # type: ignore[import-untyped]

    legacy = year == 2016
    font = "font: name .VnTime" if legacy else "font: name Times New Roman"
    style = xlwt.easyxf(font)
    date_style = xlwt.easyxf(font, num_format_str="DD/MM/YYYY")

    def put(value: object) -> object:
        return to_tcvn3(value) if legacy and isinstance(value, str) else value

    wb = xlwt.Workbook(encoding="utf-8")
    for level, code, lines in sheets:
        ws = wb.add_sheet(code)
        for r, title in enumerate(_title(level, code, lines[0].decision, lines[0].issue_date.replace(day=20))):
            ws.write_merge(r, r, 0, 7, put(title.lower() if legacy and r == 0 else title), style)
        headings, rows = _rows(year, lines)
        for c, heading in enumerate(headings):
            ws.write(4, c, put(heading), style)
        for r, row in enumerate(rows, 5):
            for c, value in enumerate(row):
                if value is None:
                    continue
                ws.write(r, c, put(value), date_style if isinstance(value, dt.date) else style)
    wb.save(str(path))
    return path
