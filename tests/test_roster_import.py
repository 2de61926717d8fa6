"""Importing the learner lists that sending organisations send (core and `dtbd roster import`).

Every workbook is built here with openpyxl in the layouts organisations really use, and
every expected value (names, dates, IDs, sheet rows and columns) is written out by hand.
Database behaviour runs on SQLite and PostgreSQL (the `db` fixture).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Enrolment, Learner, Organisation
from dtbd_desktop.services import classes
from dtbd_desktop.services.organisations import save_organisation
from dtbd_desktop.trust.audit import verify_chain
from dtbd_desktop.workbooks.roster import (
    RosterFileError,
    apply_import,
    plan_import,
    read_roster,
    save_annotated_copy,
    writing,
)
from tests.logins import admin_login, create_account

D = dt.date
START = D(2026, 4, 6)


def nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


# --------------------------------------------------------------------------------------------
# Building workbooks


def write_book(path: Path, rows: Sequence[Sequence[Any]], *, start_row: int = 1, merges: Sequence[str] = (),
               fonts: dict[str, str] | None = None, title: str = "Danh sách",
               sheets_before: Sequence[tuple[str, Sequence[Sequence[Any]]]] = ()) -> Path:
    """`rows` written from `start_row`, column A on; `fonts` {cell: font name}."""
    wb = openpyxl.Workbook()
    first = wb.active
    for k, (name, content) in enumerate(sheets_before):
        ws = first if k == 0 else wb.create_sheet()
        ws.title = name
        for r, row in enumerate(content, start=1):
            for c, value in enumerate(row, start=1):
                ws.cell(r, c, value)
    ws = wb.create_sheet(title) if sheets_before else first
    ws.title = title
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
    for rng in merges:
        ws.merge_cells(rng)
    for cell, font in (fonts or {}).items():
        ws[cell].font = openpyxl.styles.Font(name=font)
    wb.save(path)
    return path


DISTRICT_PEOPLE: list[list[Any]] = [
    # STT, họ đệm, tên, sinh (Nam), sinh (Nữ), dân tộc, CCCD, chức vụ - đơn vị, ghi chú
    [1, nfd("Nguyễn Văn"), nfd("An"), dt.datetime(1985, 3, 5), None, "Kinh", 80085000123,
     nfd("Phó Chủ tịch UBND xã Mỹ Yên"), None],
    [2, "  Lê   Thị Hồng ", "Nhung", None, "12/11/1990", "Kinh", "080190000456",
     "Chuyên viên, Ban Tổ chức Huyện ủy Bến Lức", None],
    [3, nfd("Trần Văn"), nfd("Bình"), "1979", None, "Khmer", 80079001234, nfd("Bí thư Đoàn xã Lương Hòa"), None],
    [4, nfd("Huỳnh Thị Ngọc"), nfd("Hân"), None, "7/9/1992", "Kinh", 1192004321.0,
     nfd("Công chức Tư pháp - Hộ tịch, Xã Mỹ Yên"), "Chuyển từ xã khác"],
]


def district_book(path: Path, people: Sequence[Sequence[Any]] = DISTRICT_PEOPLE) -> Path:
    """A district's list: letterhead, a merged title, a two-row merged header (Họ và tên over Họ
    đệm | Tên, Ngày tháng năm sinh over Nam | Nữ), a numbering row, people from row 9, then the
    place and date, the signer and a "Nơi nhận" block."""
    top: list[list[Any]] = [
        ["HUYỆN ỦY BẾN LỨC", None, None, None, None, "ĐẢNG CỘNG SẢN VIỆT NAM"],
        ["BAN TỔ CHỨC", None, None, None, None, None],
        [None, None, None, None, None, "Bến Lức, ngày 10 tháng 3 năm 2026"],
        ["DANH SÁCH CÁN BỘ ĐĂNG KÝ HỌC LỚP SƠ CẤP LÝ LUẬN CHÍNH TRỊ"],
        ["(Kèm theo Công văn số 125-CV/BTCHU ngày 10/3/2026)"],
        ["STT", "Họ và tên", None, "Ngày tháng năm sinh", None, "Dân tộc", "Số CCCD", "Chức vụ, đơn vị công tác",
         "Ghi chú"],
        [None, "Họ đệm", "Tên", "Nam", "Nữ"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"],
    ]
    below: list[list[Any]] = [
        [],
        [None, None, None, None, None, "Bến Lức, ngày 10 tháng 3 năm 2026"],
        ["Nơi nhận:", None, None, None, None, "TM. BAN THƯỜNG VỤ"],
        ["- Trường Chính trị tỉnh;", None, None, None, None, "PHÓ BÍ THƯ"],
        ["- Lưu VT."],
        [None, None, None, None, None, "Nguyễn Văn Tư"],
    ]
    merges = ["A4:I4", "A5:I5", "A6:A7", "B6:C6", "D6:E6", "F6:F7", "G6:G7", "H6:H7", "I6:I7"]
    return write_book(path, [*top, *people, *below], merges=merges)


def open_class(db: Database, code: str = "SC26", start: dt.date = START) -> None:
    with db.write(raw=True) as s:
        classes.create_class(s, code=code, programme="SC", start=start, end=start + dt.timedelta(days=32))


def learners_of(db: Database, code: str = "SC26") -> list[tuple[Any, ...]]:
    """(full name, birth date, birth year, gender, ethnicity, ID) of the class, by sheet order of IDs."""
    with db.read() as s:
        cls = classes.get_class(s, code)
        rows = s.scalars(select(Learner).join(Enrolment).where(Enrolment.class_id == cls.id).order_by(Learner.id))
        return [(p.full_name, p.birth_date, p.birth_year, p.gender, p.ethnicity, p.national_id) for p in rows]


def counts(db: Database) -> tuple[int, int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Learner)) or 0,
                s.scalar(select(func.count()).select_from(Enrolment)) or 0,
                s.scalar(select(func.count()).select_from(Organisation)) or 0)


def add_organisations(db: Database) -> dict[str, int]:
    with db.write(raw=True) as s:
        district = save_organisation(s, name="Huyện Bến Lức", level="district", short_name="Bến Lức")
        ids = {"Huyện Bến Lức": district.id}
        for name, level in [("Xã Mỹ Yên", "commune"), ("Xã Lương Hòa", "commune"),
                            ("Ban Tổ chức Huyện ủy Bến Lức", "agency"), ("Ủy ban nhân dân huyện Bến Lức", "agency")]:
            ids[name] = save_organisation(s, name=name, level=level, parent_id=district.id).id
    return ids


def simple_book(path: Path, people: Sequence[Sequence[Any]], *,
                header: Sequence[str] = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD")) -> Path:
    """One header row on row 1, people from row 2."""
    return write_book(path, [list(header), *people])


# --------------------------------------------------------------------------------------------
# Finding the table


def test_district_layout_is_found_under_title_rows_with_merged_two_row_header(tmp_path: Path) -> None:
    table = read_roster(district_book(tmp_path / "ben_luc.xlsx"))
    assert table.sheet == "Danh sách"
    assert table.header_rows == (6, 7)
    assert {f: table.sheet_column(i).letter for f, i in table.mapping.items()} == {
        "family_middle": "B", "given": "C", "birth_male": "D", "birth_female": "E", "ethnicity": "F",
        "national_id": "G", "position_organisation": "H"}
    assert [c.label for c in table.columns] == [
        "A (STT)", "B (Họ và tên / Họ đệm)", "C (Họ và tên / Tên)", "D (Ngày tháng năm sinh / Nam)",
        "E (Ngày tháng năm sinh / Nữ)", "F (Dân tộc)", "G (Số CCCD)", "H (Chức vụ, đơn vị công tác)", "I (Ghi chú)"]
    assert [r.number for r in table.rows] == [9, 10, 11, 12]  # the numbering row 8 is skipped
    assert table.end_row == 13 and table.stray_rows == []
    assert table.preview(2) == [
        ["1", nfd("Nguyễn Văn"), nfd("An"), "05/03/1985", "", "Kinh", "80085000123", nfd("Phó Chủ tịch UBND xã Mỹ Yên"),
         ""],
        ["2", "Lê   Thị Hồng", "Nhung", "", "12/11/1990", "Kinh", "080190000456",
         "Chuyên viên, Ban Tổ chức Huyện ủy Bến Lức", ""],
    ]


def test_acceptance_district_list_gives_exactly_the_people_in_it(
        capsys: pytest.CaptureFixture[str], db: Database, db_url: str, tmp_path: Path) -> None:
    """`dtbd roster import` of a real-looking district list: title rows, split name columns, the
    Nam/Nữ date columns, NFD text and numeric IDs."""
    open_class(db)
    orgs = add_organisations(db)
    code = main(["--db", db_url, "roster", "import", "SC26", str(district_book(tmp_path / "ben_luc.xlsx")), "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["imported"] == 4 and doc["rejected"] == [] and doc["possible_duplicates"] == []
    assert doc["converted_legacy"] == 0
    assert learners_of(db) == [
        ("Nguyễn Văn An", D(1985, 3, 5), 1985, "M", "Kinh", "080085000123"),
        ("Lê Thị Hồng Nhung", D(1990, 11, 12), 1990, "F", "Kinh", "080190000456"),
        ("Trần Văn Bình", None, 1979, "M", "Khmer", "080079001234"),
        ("Huỳnh Thị Ngọc Hân", D(1992, 9, 7), 1992, "F", "Kinh", "001192004321"),
    ]
    with db.read() as s:
        people = {p.national_id: p for p in s.scalars(select(Learner))}
        enrolments = {e.learner.national_id: (e.position, e.organisation_id) for e in s.scalars(select(Enrolment))}
        an = people["080085000123"]
        assert (an.family_name, an.middle_name, an.given_name) == ("Nguyễn", "Văn", "An")
        assert an.full_name == unicodedata.normalize("NFC", an.full_name)
        nhung = people["080190000456"]
        assert (nhung.family_name, nhung.middle_name, nhung.given_name) == ("Lê", "Thị Hồng", "Nhung")
    assert enrolments == {
        "080085000123": ("Phó Chủ tịch UBND xã Mỹ Yên", orgs["Xã Mỹ Yên"]),
        "080190000456": ("Chuyên viên", orgs["Ban Tổ chức Huyện ủy Bến Lức"]),
        "080079001234": ("Bí thư Đoàn xã Lương Hòa", orgs["Xã Lương Hòa"]),
        "001192004321": ("Công chức Tư pháp - Hộ tịch", orgs["Xã Mỹ Yên"]),
    }


def test_split_columns_ho_dem_ten_and_separate_gender(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn", "Thị Thu", "Hà", "02/01/1988", "Nữ", "080188000001"],
        [2, "Công Tằng Tôn Nữ", "Thị", "Hoa", "1991", "nu", "079191000002"],
    ], header=("TT", "Họ", "Tên đệm", "Tên", "Ngày, tháng, năm sinh", "Giới tính", "CMND/CCCD"))
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.rejected) == (2, [])
    with db.read() as s:
        names = [(p.family_name, p.middle_name, p.given_name, p.gender) for p in s.scalars(select(Learner).order_by(Learner.id))]
    assert names == [("Nguyễn", "Thị Thu", "Hà", "F"), ("Công Tằng Tôn Nữ", "Thị", "Hoa", "F")]


def test_gender_marked_with_x_under_gioi_tinh_nam_nu(tmp_path: Path) -> None:
    path = write_book(tmp_path / "x.xlsx", [
        ["STT", "Họ và tên", "Năm sinh", "Giới tính", None, "Số định danh cá nhân"],
        [None, None, None, "Nam", "Nữ"],
        [1, "Phạm Minh Tuấn", 1984, "x", None, "080084000011"],
        [2, "Võ Thị Lan", 1987, None, "x", "080187000012"],
    ], merges=["A1:A2", "B1:B2", "C1:C2", "D1:E1", "F1:F2"])
    table = read_roster(path)
    assert table.mapping == {"full_name": 2, "birth_date": 3, "gender_male": 4, "gender_female": 5, "national_id": 6}
    from dtbd_desktop.workbooks.roster.cleaning import RowCleaner
    people = [RowCleaner(table, START).clean(row) for row in table.rows]
    assert [(p.full_name, p.birth_year, p.birth_date, p.gender) for p in people] == [
        ("Phạm Minh Tuấn", 1984, None, "M"), ("Võ Thị Lan", 1987, None, "F")]


def test_single_row_nam_nu_headings_holding_dates_are_birth_columns(tmp_path: Path) -> None:
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Đỗ Văn Hải", "03/04/1980", None, "080080000021"],
        [2, "Đinh Thị Mai", None, "15/06/1986", "080186000022"],
    ], header=("STT", "Họ tên", "Nam", "Nữ", "Số CCCD"))
    table = read_roster(path)
    assert table.mapping == {"full_name": 2, "birth_male": 3, "birth_female": 4, "national_id": 5}


def test_table_on_the_second_sheet_group_headings_and_repeated_header(tmp_path: Path) -> None:
    header = ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "CCCD"]
    path = write_book(tmp_path / "x.xlsx", [
        ["DANH SÁCH HỌC VIÊN"],
        header,
        ["I. XÃ MỸ YÊN"],
        [1, "Nguyễn Văn Một", "01/01/1980", "Nam", "080080000031"],
        ["II. XÃ LƯƠNG HÒA"],
        header,  # the header printed again on page 2
        [2, "Nguyễn Văn Hai", "02/02/1981", "Nam", "080081000032"],
        ["Tổng cộng: 2 người"],
        [3, "Nguyễn Văn Ba", "03/03/1982", "Nam", "080082000033"],
    ], merges=["A3:E3", "A5:E5"], sheets_before=[("Hướng dẫn", [["Điền danh sách ở trang sau"]])])
    table = read_roster(path)
    assert (table.sheet, table.header_rows) == ("Danh sách", (2,))
    assert [r.number for r in table.rows] == [4, 7]
    assert table.group_rows == [3, 5]
    assert table.end_row == 8
    assert table.stray_rows == [9]  # a person below "Tổng cộng" is not silently dropped


def test_person_left_below_a_blank_row_refuses_the_list(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn Một", "01/01/1980", "Nam", "080080000031"],
        [],
        [2, "Nguyễn Văn Hai", "02/02/1981", "Nam", "080081000032"],
    ])
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert result.refused and result.imported == 0
    assert [(p.row, p.column) for p in result.rejected] == [(4, None)]
    assert result.rejected[0].message == ("Dòng 4 có vẻ là một học viên nhưng nằm ngoài bảng (bảng kết thúc ở dòng 3): "
                                          "xóa dòng trống hoặc dòng ghi chú xen giữa danh sách, rồi nhập lại.")
    assert counts(db)[:2] == (0, 0)


@pytest.mark.parametrize(("content", "words"), [
    (b"", "không phải tệp Excel .xlsx hợp lệ"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "Excel 97-2003 (.xls)"),
    (b"STT;Ho ten\n1;An\n", "không phải tệp Excel .xlsx hợp lệ"),
])
def test_unreadable_files_are_named_in_the_message(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "ds_xa.xlsx"
    path.write_bytes(content)
    with pytest.raises(RosterFileError) as refused:
        read_roster(path)
    assert "ds_xa.xlsx" in refused.value.message and words in refused.value.message


def test_a_workbook_without_a_learner_table_says_what_heading_is_needed(tmp_path: Path) -> None:
    path = write_book(tmp_path / "bang_luong.xlsx", [["Tháng", "Số tiền"], [1, 5000000]])
    with pytest.raises(RosterFileError) as refused:
        read_roster(path)
    assert refused.value.message.startswith(
        "Không tìm thấy bảng danh sách học viên trong tệp bang_luong.xlsx (đã xem các trang: Danh sách).")
    assert "'Họ và tên'" in refused.value.message


# --------------------------------------------------------------------------------------------
# Cleaning


def test_every_cleaning_rule(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "  NGUYỄN   văn\u00a0AN ", dt.datetime(1985, 3, 5), "Nam", 80085000123],  # caps, spaces, Excel date
        [2, nfd("trần thị bích"), "5/3/1986", "NỮ", "0801 8600 0002"],  # NFD, lower case, d/m/yyyy
        [3, "Lê Văn Cường", "1979", "nam", 1079000003],  # year as text; ID lost two zeros
        [4, "Phạm Thị Dung", 1990, "Nữ", "'080190000004"],  # year as a number; Excel's text prefix
        [5, "Hoàng Văn Em", 31111, "Nam", 80085000005.0],  # Excel serial day 31111 = 05/03/1985
        [6, "Bùi Thị Phương", "ngày 07 tháng 9 năm 1992", "Nữ", "080-192-000-006"],
    ], header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"))
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.rejected, result.converted_legacy) == (6, [], 0)
    assert learners_of(db) == [
        ("Nguyễn Văn An", D(1985, 3, 5), 1985, "M", "Kinh", "080085000123"),
        ("Trần Thị Bích", D(1986, 3, 5), 1986, "F", "Kinh", "080186000002"),
        ("Lê Văn Cường", None, 1979, "M", "Kinh", "001079000003"),
        ("Phạm Thị Dung", None, 1990, "F", "Kinh", "080190000004"),
        ("Hoàng Văn Em", D(1985, 3, 5), 1985, "M", "Kinh", "080085000005"),
        ("Bùi Thị Phương", D(1992, 9, 7), 1992, "F", "Kinh", "080192000006"),
    ]


def test_other_columns_are_cleaned_and_stored(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1985", "Nam", "080085000123", "kinh", "Đại học  Luật", "Sơ cấp",
         "19/05/2010", "Xã Mỹ Yên, huyện Bến Lức", "Long An", 912345678, "  Chuyên viên "],
    ], header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Trình độ chuyên môn",
               "Trình độ LLCT", "Ngày vào Đảng", "Nơi sinh", "Quê quán", "SĐT", "Chức vụ"))
    open_class(db)
    assert apply_import(db, "SC26", path).imported == 1
    with db.read() as s:
        p = s.scalars(select(Learner)).one()
        assert (p.ethnicity, p.education_level, p.theory_level, p.party_member, p.party_join_date) == (
            "Kinh", "Đại học Luật", "Sơ cấp", True, D(2010, 5, 19))
        assert (p.place_of_birth, p.hometown, p.phone, p.position) == (
            "Xã Mỹ Yên, huyện Bến Lức", "Long An", "0912345678", "Chuyên viên")


def test_a_list_that_says_nothing_of_the_party_leaves_it_unknown(tmp_path: Path, db: Database) -> None:
    """Only a join date says someone is a member; an empty cell is "not known", never "no"."""
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1985", "Nam", "080085000123", "19/05/2010"],
        [2, "Trần Thị Bình", "07/09/1990", "Nữ", "080190000124", None],
    ], header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Ngày vào Đảng"))
    open_class(db)
    assert apply_import(db, "SC26", path).imported == 2
    with db.read() as s:
        stored = {p.given_name: (p.party_member, p.party_join_date) for p in s.scalars(select(Learner))}
    assert stored == {"An": (True, D(2010, 5, 19)), "Bình": (None, None)}


# Legacy strings written by hand from the TCVN3 and VNI tables.
TCVN3_NAMES = ["NguyÔn V¨n An", "Lª ThÞ Hång Nhung"]
VNI_NAMES = ["Nguyeãn Vaên An", "Leâ Thò Hoàng Nhung"]


@pytest.mark.parametrize(("names", "font", "gender_texts"), [
    (TCVN3_NAMES, ".VnTime", ["Nam", "N÷"]),
    (TCVN3_NAMES, None, ["Nam", "N÷"]),
    (VNI_NAMES, "VNI-Times", ["Nam", "Nöõ"]),
    (VNI_NAMES, None, ["Nam", "Nöõ"]),
])
def test_legacy_tcvn3_and_vni_cells_are_converted_and_counted(
        tmp_path: Path, db: Database, names: list[str], font: str | None, gender_texts: list[str]) -> None:
    fonts = {f"{col}{row}": font for col in "BD" for row in (2, 3)} if font else {}
    path = write_book(tmp_path / "x.xlsx", [
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc"],
        [1, names[0], "05/03/1985", gender_texts[0], "080085000123", "Kinh"],
        [2, names[1], "12/11/1990", gender_texts[1], "080190000456", "Kinh"],
        [3, "Trần Văn Bình", "1979", "Nam", "080079001234", "Kinh"],
    ], fonts=fonts)
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.rejected, result.converted_legacy) == (3, [], 2)
    assert [p[0] for p in learners_of(db)] == ["Nguyễn Văn An", "Lê Thị Hồng Nhung", "Trần Văn Bình"]
    assert [p[3] for p in learners_of(db)] == ["M", "F", "M"]


def test_a_list_typed_entirely_in_tcvn3_headings_included(tmp_path: Path, db: Database) -> None:
    fonts = {f"{c}{r}": ".VnTime" for c in "ABCDE" for r in (1, 2)}
    path = write_book(tmp_path / "x.xlsx", [
        ["STT", "Hä vµ tªn", "Ngµy sinh", "Giíi tÝnh", "D©n téc"],
        [1, "TrÇn ThÞ Thu", "01/02/1983", "N÷", "Kinh"],
    ], fonts=fonts)
    table = read_roster(path)
    assert table.mapping == {"full_name": 2, "birth_date": 3, "gender": 4, "ethnicity": 5}
    open_class(db)
    result = apply_import(db, "SC26", table)
    assert (result.imported, result.converted_legacy) == (1, 1)
    assert learners_of(db) == [("Trần Thị Thu", D(1983, 2, 1), 1983, "F", "Kinh", None)]


def test_unicode_text_left_in_a_legacy_font_is_not_converted(tmp_path: Path, db: Database) -> None:
    path = write_book(tmp_path / "x.xlsx", [
        ["STT", "Họ và tên", "Ngày sinh", "Giới tính"],
        [1, "Lê Chí Tú", "01/02/1983", "Nam"],
        [2, "Nguyễn Thị Ánh", "01/02/1984", "Nữ"],
    ], fonts={"B2": "Times New Roman", "B3": ".VnTime"})
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.converted_legacy) == (2, 0)
    assert [p[0] for p in learners_of(db)] == ["Lê Chí Tú", "Nguyễn Thị Ánh"]


# --------------------------------------------------------------------------------------------
# Refusals: every problem, with its sheet row and column


def test_every_refusal_with_its_sheet_row_and_column(tmp_path: Path, db: Database) -> None:
    path = district_book(tmp_path / "loi.xlsx", [
        [1, "Nguyễn Văn", "An", "31/02/1985", None, "Kinh", "080085000123", "Chuyên viên", None],  # row 9
        [2, None, None, "05/03/1985", None, "Kinh", "080085000124", "Chuyên viên", None],  # 10: no name
        [3, "Lê Văn", "Bình", "05/03/1985", None, "Kinh", "123456789", "Chuyên viên", None],  # 11: CMND
        [4, "Lê Văn", "Cường", "05/03/85", None, "Kinh", "08008500012A", "Chuyên viên", None],  # 12
        [5, "Lê Thị", "Dung", "01/01/1990", "01/01/1990", "Kinh", "080190000125", None, None],  # 13: both
        [6, "Lê Thị", "Em", None, None, "Kinh", "080190000126", None, None],  # 14: no birth date
        [7, "Lê Thị", "Gấm", None, "01/01/1990", "Kinh", "080190000126", None, None],  # 15: same ID as 14
        [8, "Lê Văn", None, "01/01/1990", None, "Kinh", "080090000127", None, None],  # 16: no tên
        [9, "Lê Văn", "Hùng", "01/01/2015", None, "Kinh", "080015000128", None, None],  # 17: 11 years old
        [10, "Lê Văn", "Khoa", "không rõ", None, "Kinh", "080090000129", None, None],  # 18: not a date
        [11, "Lê Văn 3", "Long", "1990", None, "Kinh", "080090000130", None, None],  # 19: digit in name
    ])
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert result.refused and result.imported == 0
    got = [(p.row, p.column, p.message) for p in result.rejected]
    assert got == [
        (9, "D (Ngày tháng năm sinh / Nam)", "Ngày 31/02/1985 không có thật: sửa lại ngày sinh."),
        (10, "B (Họ và tên / Họ đệm)", "Thiếu họ và tên: ghi đủ họ tên của học viên, hoặc xóa dòng này nếu không phải "
                                        "học viên."),
        (11, "G (Số CCCD)", "Số CCCD phải có đúng 12 chữ số (đang có 9: có thể là số CMND cũ, cần số CCCD 12 chữ "
                            "số): sửa lại số CCCD (12 chữ số, ghi dạng văn bản)."),
        (12, "D (Ngày tháng năm sinh / Nam)", "Năm trong '05/03/85' phải viết đủ 4 chữ số, ví dụ 05/03/1985: sửa "
                                              "lại ngày sinh."),
        (12, "G (Số CCCD)", "Số CCCD chỉ gồm chữ số (đang là '08008500012A'): sửa lại số CCCD (12 chữ số, ghi dạng "
                            "văn bản)."),
        (13, "E (Ngày tháng năm sinh / Nữ)", "Ngày sinh ghi ở cả cột Nam và cột Nữ: chỉ giữ ở cột đúng giới tính."),
        (14, "D (Ngày tháng năm sinh / Nam)", "Thiếu ngày sinh: ghi ngày sinh vào cột Nam (nếu là nam) hoặc cột Nữ "
                                              "(nếu là nữ), dạng dd/mm/yyyy."),
        (15, "G (Số CCCD)", "Số CCCD 080190000126 trùng với dòng 14: một người chỉ ghi một lần; kiểm tra lại số CCCD "
                            "của hai dòng."),
        (16, "C (Họ và tên / Tên)", "Thiếu tên của 'Lê Văn': ghi tên vào cột này."),
        (17, "D (Ngày tháng năm sinh / Nam)", "Ngày sinh 01/01/2015: học viên 11 tuổi khi khai giảng lớp, không hợp "
                                              "lý; kiểm tra lại năm sinh."),
        (18, "D (Ngày tháng năm sinh / Nam)", "Không đọc được ngày 'không rõ': dùng dạng dd/mm/yyyy."),
        (19, "B (Họ và tên / Họ đệm)", "Họ tên 'Lê Văn 3 Long' có ký tự không phải chữ (3): sửa lại họ tên."),
    ]
    assert counts(db) == (0, 0, 0)


def test_unknown_gender_and_missing_gender(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1985", "x", None],
        [2, "Nguyễn Văn Bảo", "05/03/1985", None, None],
        [3, "Nguyễn Văn Cao", "05/03/1985", None, "080085000003"],  # gender read from the CCCD
        [4, "Nguyễn Thị Duyên", "05/03/1985", None, "080185000004"],
    ])
    open_class(db)
    result = apply_import(db, "SC26", path, skip_invalid=True)
    assert [(p.row, p.column, p.message) for p in result.rejected] == [
        (2, "D (Giới tính)", "Giới tính 'x' không hợp lệ: ghi 'Nam' hoặc 'Nữ'."),
        (3, "D (Giới tính)", "Thiếu giới tính: ghi 'Nam' hoặc 'Nữ' (thêm cột 'Giới tính' nếu tệp chưa có)."),
    ]
    assert [(p[0], p[3]) for p in learners_of(db)] == [("Nguyễn Văn Cao", "M"), ("Nguyễn Thị Duyên", "F")]


def test_cccd_that_disagrees_with_gender_and_year_is_a_warning(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "080186000001"]])
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.rejected) == (1, [])
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (2, "E (Số CCCD)", "Số CCCD 080186000001 ứng với Nữ sinh năm 1986, nhưng dòng này ghi Nam sinh năm 1985: "
                           "kiểm tra lại số CCCD, giới tính và năm sinh.")]


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad(tmp_path: Path, db: Database) -> None:
    path = district_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn", "An", "05/03/1985", None, "Kinh", "080085000123", None, None],
        [2, "Lê Văn", "Bình", "31/02/1985", None, "Kinh", "080085000124", None, None],
        [3, "Trần Thị", "Cúc", None, "1990", "Kinh", "080190000125", None, None],
    ])
    open_class(db)
    result = apply_import(db, "SC26", path, skip_invalid=True)
    assert (result.refused, result.imported) == (False, 2)
    assert [(p.row, p.column) for p in result.rejected] == [(10, "D (Ngày tháng năm sinh / Nam)")]
    assert [p[0] for p in learners_of(db)] == ["Nguyễn Văn An", "Trần Thị Cúc"]


def test_dry_run_writes_nothing_and_says_what_would_happen(tmp_path: Path, db: Database) -> None:
    open_class(db)
    add_organisations(db)
    before = counts(db)
    result = apply_import(db, "SC26", district_book(tmp_path / "x.xlsx"), dry_run=True)
    assert (result.dry_run, result.refused, result.imported, result.new_learners) == (True, False, 4, 4)
    assert counts(db) == before


def test_an_empty_table_is_refused(tmp_path: Path, db: Database) -> None:
    open_class(db)
    result = apply_import(db, "SC26", district_book(tmp_path / "x.xlsx", []), skip_invalid=True)
    assert result.refused and result.imported == 0
    assert result.rejected[0].message == ("Tệp x.xlsx không có dòng học viên nào dưới dòng tiêu đề (dòng 7) của trang "
                                          "'Danh sách': kiểm tra lại tệp.")


# --------------------------------------------------------------------------------------------
# People already known


def _known_person(db: Database, **changes: Any) -> int:
    values: dict[str, Any] = dict(family_name="Nguyễn", middle_name="Văn", given_name="An", birth_date=None,
                                  birth_year=1985, gender="M", ethnicity="Kinh", national_id="080085000123",
                                  place_of_birth=None, phone=None, sort_key="k", search_key="nguyen van an")
    values.update(changes)
    open_class(db, "A40", D(2024, 3, 4))
    with db.write(raw=True) as s:
        from dtbd_desktop.services.learners import refresh_keys
        person = Learner(**values)
        refresh_keys(person)
        s.add(person)
        s.flush()
        s.add(Enrolment(class_id=classes.get_class(s, "A40").id, learner_id=person.id))
        return person.id


def test_same_national_id_is_the_same_person_and_empty_fields_are_filled(tmp_path: Path, db: Database) -> None:
    known = _known_person(db, phone="0909000111")
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "NGUYỄN VĂN AN", "05/03/1985", "Nam", "080085000123", "Xã Mỹ Yên", "0912345678", "Khmer"]],
        header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Nơi sinh", "Điện thoại", "Dân tộc"))
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.new_learners, result.existing_learners) == (1, 0, 1)
    assert [(w.row, w.column, w.message) for w in result.warnings] == [
        (2, "H (Dân tộc)", "Hồ sơ đã lưu của Nguyễn Văn An ghi dân tộc 'Kinh', tệp ghi 'Khmer': giữ giá trị đã lưu; "
                           "nếu cần, sửa ở mục Học viên.")]
    with db.read() as s:
        person = s.get(Learner, known)
        assert person is not None
        assert (person.birth_date, person.place_of_birth, person.phone, person.ethnicity) == (
            D(1985, 3, 5), "Xã Mỹ Yên", "0909000111", "Kinh")
        assert sorted(e.training_class.code for e in person.enrolments) == ["A40", "SC26"]
    assert counts(db)[0] == 1


def test_importing_is_audited_and_needs_the_roster_permission(tmp_path: Path, db: Database) -> None:
    known = _known_person(db, national_id=None, birth_date=None)
    path = simple_book(tmp_path / "ds.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "080085000123"]])
    open_class(db)
    admin = admin_login(db)
    viewer = create_account(db, "xem", "viewer", by=admin)
    with pytest.raises(DtbdError, match="không có quyền"):
        apply_import(db, "SC26", path, link_duplicates=True, login=viewer)
    with pytest.raises(DtbdError, match="đăng nhập"):
        apply_import(db, "SC26", path, link_duplicates=True)  # nobody logged in
    assert counts(db)[:2] == (1, 1)
    assert apply_import(db, "SC26", path, dry_run=True, login=viewer).imported == 1  # looking is allowed
    with pytest.raises(DtbdError, match="đăng nhập"):
        apply_import(db, "SC26", path, dry_run=True)  # but not for nobody: the list holds personal data

    assert apply_import(db, "SC26", path, link_duplicates=True, login=admin).existing_learners == 1
    with db.read() as s:
        entries = [(e.username, e.action, e.entity_id, e.field, e.old_value, e.new_value)
                   for e in s.scalars(select(AuditEntry).where(AuditEntry.action.in_(
                       ["learner.identity", "roster.import"])).order_by(AuditEntry.id))]
        assert verify_chain(s) == []
    assert entries[:2] == [("quantri", "learner.identity", str(known), "national_id", None, "080085000123"),
                           ("quantri", "learner.identity", str(known), "birth_date", None, '"1985-03-05"')]
    assert entries[2][:4] == ("quantri", "roster.import", entries[2][2], "enrolments")
    assert json.loads(entries[2][5] or "") == {"file": "ds.xlsx", "sheet": "Danh sách", "imported": 1,
                                               "new_learners": 0, "rejected_rows": []}


def test_same_national_id_with_another_name_is_refused_not_overwritten(tmp_path: Path, db: Database) -> None:
    known = _known_person(db, birth_date=D(1985, 3, 5))
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn Ân", "06/03/1985", "Nam", "080085000123"]])
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert result.refused
    assert [(p.row, p.column, p.message) for p in result.rejected] == [
        (2, "E (Số CCCD)", "Số CCCD 080085000123 đã thuộc hồ sơ học viên có họ tên 'Nguyễn Văn An'; ngày sinh "
                           "05/03/1985, khác với dòng này: kiểm tra lại số CCCD; nếu hồ sơ đã lưu bị sai, sửa hồ sơ "
                           "đó ở mục Học viên (tìm số CCCD, mở hồ sơ, sửa rồi bấm Lưu) rồi nhập lại.")]
    with db.read() as s:
        person = s.get(Learner, known)
        assert person is not None and person.full_name == "Nguyễn Văn An"


def test_old_and_new_tone_placement_and_capitals_are_the_same_name(tmp_path: Path, db: Database) -> None:
    _known_person(db, given_name="Hòa", national_id="080085000123")
    path = simple_book(tmp_path / "x.xlsx", [[1, "NGUYỄN VĂN HOÀ", "1985", "Nam", "080085000123"]])
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.existing_learners, result.rejected) == (1, 1, [])


def test_person_already_in_the_class_is_refused(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "080085000123"],
                                             [2, "Lê Thị Bé", "05/03/1986", "Nữ", None]])
    open_class(db)
    assert apply_import(db, "SC26", path).imported == 2
    again = apply_import(db, "SC26", path)
    assert again.refused
    assert [(p.row, p.column, p.message) for p in again.rejected] == [
        (2, "E (Số CCCD)", "Học viên Nguyễn Văn An (CCCD 080085000123) đã có trong lớp SC26: xóa dòng này khỏi tệp."),
        (3, "B (Họ và tên)", "Học viên này đã có trong lớp SC26 (Lê Thị Bé, sinh 05/03/1986, chưa có CCCD, các lớp: "
                             "SC26): xóa dòng này khỏi tệp."),
    ]
    assert counts(db)[:2] == (2, 2)


def test_same_name_and_birth_without_id_is_a_possible_duplicate(tmp_path: Path, db: Database) -> None:
    known = _known_person(db, national_id=None, birth_date=D(1985, 3, 5))
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "080085000123"],
                                             [2, "Nguyễn Văn An", "06/03/1985", "Nam", None]])
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.new_learners) == (2, 2)  # default: a new record, listed for a person
    assert result.as_json()["possible_duplicates"] == [
        {"row": 2, "existing": "Nguyễn Văn An, sinh 05/03/1985, chưa có CCCD, các lớp: A40"}]
    assert counts(db)[0] == 3

    open_class(db, "SC27", D(2026, 6, 1))
    linked = apply_import(db, "SC27", path, link_duplicates=True)
    assert (linked.imported, linked.new_learners, linked.existing_learners) == (2, 0, 2)
    # the row with the ID matched the record made above; the other one matched nobody new
    with db.read() as s:
        person = s.get(Learner, known)
        assert person is not None and person.national_id is None


def test_linking_a_duplicate_fills_the_missing_national_id(tmp_path: Path, db: Database) -> None:
    known = _known_person(db, national_id=None, birth_date=D(1985, 3, 5))
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "080085000123"]])
    open_class(db)
    result = apply_import(db, "SC26", path, link_duplicates={2: known})
    assert (result.imported, result.existing_learners) == (1, 1)
    with db.read() as s:
        person = s.get(Learner, known)
        assert person is not None and person.national_id == "080085000123"


# --------------------------------------------------------------------------------------------
# Organisations


def test_organisations_are_matched_to_the_tree_and_unknown_ones_added(tmp_path: Path, db: Database) -> None:
    orgs = add_organisations(db)
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1985", "Nam", "UBND xã Mỹ Yên"],
        [2, "Lê Văn Bình", "05/03/1986", "Nam", "Đảng ủy xã Lương Hòa"],
        [3, "Trần Văn Cao", "05/03/1987", "Nam", "BTC Huyện ủy Bến Lức"],
        [4, "Phạm Văn Dũng", "05/03/1988", "Nam", "UBND huyện Bến Lức"],
        [5, "Võ Văn Em", "05/03/1989", "Nam", "Phòng Nội vụ huyện Bến Lức"],
        [6, "Đỗ Văn Giang", "05/03/1990", "Nam", "Phòng Nội vụ  huyện Bến Lức"],
    ], header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Đơn vị công tác"))
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert result.new_organisations == ["Phòng Nội vụ huyện Bến Lức"]
    with db.read() as s:
        got = {e.learner.given_name: e.organisation_id for e in s.scalars(select(Enrolment))}
        new = s.scalars(select(Organisation).where(Organisation.name == "Phòng Nội vụ huyện Bến Lức")).one()
        assert (new.parent_id, new.level) == (orgs["Huyện Bến Lức"], "agency")
        new_id = new.id
    assert got == {"An": orgs["Xã Mỹ Yên"], "Bình": orgs["Xã Lương Hòa"], "Cao": orgs["Ban Tổ chức Huyện ủy Bến Lức"],
                   "Dũng": orgs["Ủy ban nhân dân huyện Bến Lức"], "Em": new_id, "Giang": new_id}


def test_the_organisation_column_wins_over_the_combined_position_column(tmp_path: Path, db: Database) -> None:
    orgs = add_organisations(db)
    path = simple_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn An", "05/03/1985", "Nam", "Chuyên viên, Xã Mỹ Yên", "Xã Lương Hòa"],
        [2, "Lê Văn Bình", "05/03/1986", "Nam", "Phó Bí thư Đảng ủy xã Mỹ Yên", None],
        [3, "Bình", "05/03/1987", "Nam", "Cán bộ - phụ trách văn phòng", None],
    ], header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Chức vụ, đơn vị công tác", "Đơn vị"))
    open_class(db)
    result = apply_import(db, "SC26", path)
    assert (result.imported, result.new_organisations) == (3, [])
    assert [(w.row, w.message) for w in result.warnings] == [
        (4, "Họ tên 'Bình' chỉ có một chữ: kiểm tra xem đã ghi đủ họ, đệm và tên chưa.")]
    with db.read() as s:
        got = [(e.position, e.organisation_id) for e in s.scalars(select(Enrolment).order_by(Enrolment.id))]
    assert got == [("Chuyên viên", orgs["Xã Lương Hòa"]), ("Phó Bí thư Đảng ủy xã Mỹ Yên", orgs["Xã Mỹ Yên"]),
                   ("Cán bộ - phụ trách văn phòng", None)]


def test_unknown_organisations_are_only_listed_when_not_to_be_created(tmp_path: Path, db: Database) -> None:
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "Xã Tân Bửu"]],
                       header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Cơ quan"))
    open_class(db)
    result = apply_import(db, "SC26", path, create_organisations=False)
    assert (result.imported, result.new_organisations) == (1, ["Xã Tân Bửu"])
    assert counts(db)[2] == 0


# --------------------------------------------------------------------------------------------
# All or nothing


def test_a_crash_in_the_middle_leaves_the_database_as_it_was(tmp_path: Path, db: Database,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    open_class(db)
    before = counts(db)
    people = [[i, "Nguyễn Văn", name, "05/03/1985", None, "Kinh", None, "Chuyên viên, Xã Mới", None]
              for i, name in enumerate(["An", "Bình", "Cường", "Dũng", "Em"], start=1)]
    path = district_book(tmp_path / "x.xlsx", people)
    calls: list[int] = []
    real = writing._insert_enrolments

    def failing(session: Any, values: list[dict[str, Any]]) -> None:
        calls.append(len(values))
        if len(calls) == 2:
            with_learners = session.scalar(select(func.count()).select_from(Learner))
            assert with_learners == 4  # two chunks of learners are in the transaction already
            raise RuntimeError("disk full")
        real(session, values)

    monkeypatch.setattr(writing, "CHUNK", 2)
    monkeypatch.setattr(writing, "_insert_enrolments", failing)
    with pytest.raises(RuntimeError, match="disk full"):
        apply_import(db, "SC26", path)
    assert calls == [2, 2]
    assert counts(db) == before


# --------------------------------------------------------------------------------------------
# Annotated copy


def test_annotated_copy_marks_the_bad_cells_with_comments(tmp_path: Path, db: Database) -> None:
    path = district_book(tmp_path / "x.xlsx", [
        [1, "Nguyễn Văn", "An", "31/02/1985", None, "Kinh", "080085000123", None, None],
        [2, None, None, "05/03/1985", None, "Kinh", "080085000124", None, None],
    ])
    open_class(db)
    result = apply_import(db, "SC26", path)
    target = tmp_path / "x_loi.xlsx"
    assert save_annotated_copy(path, result.rejected, target, sheet="Danh sách") == 2
    ws = openpyxl.load_workbook(target)["Danh sách"]
    assert ws["D9"].fill.start_color.rgb == "FFFFC7CE"
    assert ws["D9"].comment.text == "• Ngày 31/02/1985 không có thật: sửa lại ngày sinh."
    assert ws["B10"].comment.text.startswith("• Thiếu họ và tên")
    assert ws["G9"].comment is None
    assert ws["B9"].value == "Nguyễn Văn"  # the content is untouched


# --------------------------------------------------------------------------------------------
# The command line


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any], str]:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err


def test_cli_refusal_lists_the_rows_and_changes_nothing(capsys: pytest.CaptureFixture[str], db: Database,
                                                        db_url: str, tmp_path: Path) -> None:
    open_class(db)
    path = district_book(tmp_path / "xa_my_yen.xlsx", [
        [1, "Nguyễn Văn", "An", "05/03/1985", None, "Kinh", "080085000123", None, None],
        [2, "Lê Văn", "Bình", "31/02/1985", None, "Kinh", "080085000124", None, None],
    ])
    code, doc, err = run_cli(capsys, "--db", db_url, "roster", "import", "SC26", str(path))
    assert code == 1
    assert {"imported", "rejected", "converted_legacy", "possible_duplicates"} <= set(doc)
    assert doc["imported"] == 0 and doc["refused"] is True
    assert doc["rejected"] == [{"row": 10, "column": "D (Ngày tháng năm sinh / Nam)",
                                "message": "Ngày 31/02/1985 không có thật: sửa lại ngày sinh."}]
    assert ("  - xa_my_yen.xlsx, dòng 10, cột D (Ngày tháng năm sinh / Nam): Ngày 31/02/1985 không có thật: sửa lại "
            "ngày sinh." in err.splitlines())
    assert counts(db)[:2] == (0, 0)

    code, doc, err = run_cli(capsys, "--db", db_url, "roster", "import", "SC26", str(path), "--dry-run",
                             "--skip-invalid")
    assert (code, doc["imported"], doc["dry_run"]) == (0, 1, True)
    assert counts(db)[:2] == (0, 0)

    annotated = tmp_path / "tra_lai.xlsx"
    code, doc, err = run_cli(capsys, "--db", db_url, "roster", "import", "SC26", str(path), "--skip-invalid",
                             "--annotated", str(annotated))
    assert (code, doc["imported"], len(doc["rejected"])) == (0, 1, 1)
    assert openpyxl.load_workbook(annotated)["Danh sách"]["D10"].comment is not None
    assert learners_of(db) == [("Nguyễn Văn An", D(1985, 3, 5), 1985, "M", "Kinh", "080085000123")]


def test_cli_human_output_is_a_vietnamese_summary(capsys: pytest.CaptureFixture[str], db: Database, db_url: str,
                                                  tmp_path: Path) -> None:
    open_class(db)
    code = main(["--db", db_url, "roster", "import", "SC26", str(district_book(tmp_path / "ben_luc.xlsx"))])
    out, _err = capsys.readouterr()
    assert code == 0
    assert out.splitlines()[:2] == [
        "Tệp ben_luc.xlsx, trang 'Danh sách': 4 dòng học viên (dòng 9–12).",
        "Đã nhập 4 học viên vào lớp SC26 (4 hồ sơ mới, 0 người đã có hồ sơ).",
    ]


def test_cli_map_option_corrects_a_column(capsys: pytest.CaptureFixture[str], db: Database, db_url: str,
                                          tmp_path: Path) -> None:
    open_class(db)
    add_organisations(db)
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "Xã Mỹ Yên", "0912345678"]],
                       header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Nơi cử đi", "Số CCCD"))
    code, doc, err = run_cli(capsys, "--db", db_url, "roster", "import", "SC26", str(path), "--map", "organisation=e",
                             "--map", "national_id=", "--map", "phone=F")
    assert code == 0, err
    with db.read() as s:
        p = s.scalars(select(Learner)).one()
        assert (p.national_id, p.phone, p.organisation.name if p.organisation else None) == (
            None, "0912345678", "Xã Mỹ Yên")
    code, doc, err = run_cli(capsys, "--db", db_url, "roster", "import", "SC26", str(path), "--map", "quê=B")
    assert code == 2 and "không có trường 'quê'" in doc["error"]


def test_read_roster_with_a_mapping_given(tmp_path: Path) -> None:
    path = simple_book(tmp_path / "x.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "0912345678"]],
                       header=("STT", "Người học", "Ngày sinh", "Giới tính", "Số máy"))
    with pytest.raises(RosterFileError):
        read_roster(path)  # "Người học" is no heading the program knows
    path = simple_book(tmp_path / "y.xlsx", [[1, "Nguyễn Văn An", "05/03/1985", "Nam", "0912345678"]],
                       header=("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số máy"))
    table = read_roster(path, mapping={"full_name": 2, "birth_date": 3, "gender": 4, "phone": 5})
    assert table.mapping == {"full_name": 2, "birth_date": 3, "gender": 4, "phone": 5}
    with pytest.raises(DtbdError, match="Cột Z nằm ngoài bảng"):
        table.remap({"phone": 26})
    with pytest.raises(DtbdError, match="Cột E đang được gán cho cả"):
        table.remap({"phone": 5, "national_id": 5})


@pytest.mark.parametrize(("args", "expected", "words"), [
    (["SC26", "{tmp}/khong_co.xlsx"], 1, "khong_co.xlsx"),
    (["SC26", "{tmp}/cu.xls"], 1, "Excel 97-2003 (.xls)"),
    (["ZZ9", "{book}"], 1, "Không có lớp mã 'ZZ9'"),
    (["SC26"], 2, "FILE.xlsx"),
    (["SC26", "{book}", "--bogus"], 2, "--bogus"),
])
def test_cli_bad_input_and_usage(capsys: pytest.CaptureFixture[str], sqlite_db: Database, sqlite_url: str,
                                 tmp_path: Path, args: list[str], expected: int, words: str) -> None:
    open_class(sqlite_db)
    (tmp_path / "cu.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    book = district_book(tmp_path / "ben_luc.xlsx")
    filled = [a.format(tmp=tmp_path, book=book) for a in args]
    code = main(["--db", sqlite_url, "roster", "import", *filled, "--json"])
    out, err = capsys.readouterr()
    assert code == expected
    doc = json.loads(out)
    assert "Traceback" not in out + err
    assert words in json.dumps(doc, ensure_ascii=False) + err
    if expected == 1:
        assert doc["imported"] == 0 and doc["rejected"][0]["message"]
    assert counts(sqlite_db)[:2] == (0, 0)


# --------------------------------------------------------------------------------------------
# Garbage never crashes the importer nor writes part of a list

JUNK = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=260),
    st.integers(min_value=-10**15, max_value=10**15),
    st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
    st.dates(min_value=D(1900, 3, 1), max_value=D(2200, 12, 31)),
    st.sampled_from(["Nam", "Nữ", "x", "080085000123", "31/02/1985", "1985", "Kinh", "N÷", "Nguyễn Văn An"]),
)
HEADINGS = st.sampled_from(["Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Dân tộc", "Đơn vị", "Chức vụ",
                            "Ghi chú", "STT", "Nam", "Nữ", "Họ đệm", "Tên", "Điện thoại", "Ngày vào Đảng", "xyz"])


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(headings=st.lists(HEADINGS, min_size=1, max_size=8),
       cells=st.lists(st.lists(JUNK, min_size=0, max_size=8), min_size=0, max_size=12),
       skip_invalid=st.booleans(), dry_run=st.booleans())
def test_junk_workbooks_never_crash_and_never_write_partially(
        sqlite_db: Database, tmp_path: Path, headings: list[str], cells: list[list[Any]], skip_invalid: bool,
        dry_run: bool) -> None:
    if not any(c.code == "SC26" for c in _classes(sqlite_db)):
        open_class(sqlite_db)
    path = write_book(tmp_path / "junk.xlsx", [["DANH SÁCH"], list(headings), *cells])
    learners, enrolments, orgs = counts(sqlite_db)
    try:
        result = apply_import(sqlite_db, "SC26", path, dry_run=dry_run, skip_invalid=skip_invalid)
    except DtbdError:
        assert counts(sqlite_db) == (learners, enrolments, orgs)
        return
    after = counts(sqlite_db)
    if result.refused or result.dry_run:
        assert after == (learners, enrolments, orgs)
    else:
        assert after[0] == learners + result.new_learners
        assert after[1] == enrolments + result.imported


def _classes(db: Database) -> list[classes.ClassRow]:
    with db.read() as s:
        return classes.list_classes(s)


def test_plan_import_alone_writes_nothing(tmp_path: Path, db: Database) -> None:
    open_class(db)
    table = read_roster(district_book(tmp_path / "x.xlsx"))
    with db.write(raw=True) as s:
        plan = plan_import(s, "SC26", table)
        assert [r.person.full_name for r in plan.good_rows] == [
            "Nguyễn Văn An", "Lê Thị Hồng Nhung", "Trần Văn Bình", "Huỳnh Thị Ngọc Hân"]
    assert counts(db) == (0, 0, 0)
