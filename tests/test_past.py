"""Bringing a centre's past in from the command line: ten years of registers (three layouts,
.xls and .xlsx, one TCVN3 year, years without national IDs), then verifying old serials, issuing
a copy, numbering on after the imported serials, reporting a past year; and every kind of bad
input refused with its sheet, row and column, changing nothing."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import func, select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Certificate, Learner, PossibleDuplicate, TrainingClass
from tests.logins import enrol_this_pc
from tests.past_archive import Archive, write_archive
from tests.pdf_tools import poppler


def run_cli(*args: str) -> tuple[int, Any, str]:
    from dtbd_desktop.cli import main as cli_main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main.main([*args, "--json"])
    return code, json.loads(out.getvalue()) if out.getvalue().strip() else None, err.getvalue()


def counts(db: Database) -> tuple[int, int, int, int]:
    with db.read() as s:
        return (s.scalar(select(func.count(Learner.id))) or 0, s.scalar(select(func.count(TrainingClass.id))) or 0,
                s.scalar(select(func.count(Certificate.id))) or 0, s.scalar(select(func.count(AuditEntry.id))) or 0)


@pytest.fixture
def archive(tmp_path: Path) -> Archive:
    return write_archive(tmp_path / "archive")


def import_all(url: str, archive: Archive) -> list[dict[str, Any]]:
    docs = []
    for path in archive.files:
        code, doc, err = run_cli("--db", url, "register", "import", str(path))
        assert code == 0, err
        docs.append(doc)
    return docs


def test_ten_years_of_registers_come_in_and_serve_the_office(db: Database, db_url: str,
                                                            archive: Archive, tmp_path: Path) -> None:
    docs = import_all(db_url, archive)
    assert [d["imported"] for d in docs] == [len(archive.by_year(y)) for y in range(2015, 2025)]
    assert [sorted(d["classes"]) for d in docs] == [sorted({ln.sheet for ln in archive.by_year(y)})
                                                    for y in range(2015, 2025)]
    by_file = {Path(d["file"]).stem[-4:]: d for d in docs}
    assert by_file["2016"]["converted_legacy"] == len(archive.by_year(2016))  # TCVN3 year, all converted
    assert by_file["2015"]["converted_legacy"] == 0
    assert by_file["2021"]["learners_matched"] == 1  # the Sơ cấp graduate of 2017, same ID
    returning = archive.returning_without_id
    assert returning is not None
    assert [(p["sheet"], p["row"]) for p in by_file["2019"]["possible_duplicates"]] == [("TC19.1", 8)]
    assert returning.full_name in by_file["2019"]["possible_duplicates"][0]["existing"]

    with db.read() as s:
        stored = {c.serial: c for c in s.scalars(select(Certificate))}
        tcvn3 = next(ln for ln in archive.by_year(2016))
        line = stored[tcvn3.serial]
        assert (line.full_name, line.birth_date_text, line.classification, line.register_number, line.issue_date) == (
            tcvn3.person.full_name, tcvn3.person.birth.strftime("%d/%m/%Y"), tcvn3.classification,
            tcvn3.register_number, tcvn3.issue_date)
        spaced = archive.by_year(2018)[0]
        assert stored[spaced.serial].full_name == spaced.person.full_name  # NFC, single spaces
        no_id = s.scalar(select(func.count(Learner.id)).where(Learner.national_id.is_(None)))
        assert no_id == len(archive.by_year(2015)) + len(archive.by_year(2016))
        assert s.scalar(select(func.count(PossibleDuplicate.id))) == 1

    # "Did this person graduate, when, with what grade?"
    code, verdict, _err = run_cli("--db", db_url, "certificates", "verify", tcvn3.serial)
    assert code == 0 and verdict["valid"] is True and verdict["status"] == "issued"
    assert verdict["full_name"] == tcvn3.person.full_name and verdict["signed"] is False
    assert "cấp trước khi dùng chương trình, không có chữ ký số" in verdict["message"]

    # "This diploma was lost: issue a copy from the register."
    copy_pdf = tmp_path / "ban_sao.pdf"
    code, doc, err = run_cli("--db", db_url, "certificates", "copy", tcvn3.serial, "--out", str(copy_pdf),
                             "--date", "2025-03-03")
    assert code == 0, err
    assert doc["copy_number"] == "001/BS-2025" and Path(doc["path"]) == copy_pdf
    printed = subprocess.run([poppler("pdftotext"), str(copy_pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert "BẢN SAO" in printed and tcvn3.serial in printed and tcvn3.person.full_name in printed
    assert "001/BS-2025" in printed and tcvn3.register_number in printed
    code, doc, _err = run_cli("--db", db_url, "certificates", "copy", tcvn3.serial, "--out",
                              str(tmp_path / "ban_sao_2.pdf"), "--date", "2025-04-01")
    assert doc["copy_number"] == "002/BS-2025"
    code, doc, _err = run_cli("--db", db_url, "certificates", "copies", "--year", "2025", "--out",
                              str(tmp_path / "so_ban_sao.xlsx"))
    assert code == 0 and doc["rows"] == 2
    sheet = openpyxl.load_workbook(tmp_path / "so_ban_sao.xlsx").active
    assert sheet is not None
    values = {str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None}
    assert {"001/BS-2025", "002/BS-2025", tcvn3.serial} <= values

    # A confirmation of graduation, numbered in the book of outgoing documents
    code, doc, err = run_cli("--db", db_url, "certificates", "confirm", tcvn3.serial, "--out",
                             str(tmp_path / "xac_nhan.pdf"), "--date", "2025-03-03")
    assert code == 0, err
    assert doc["number"].startswith("01-GXN/")

    # Numbering continues after the highest imported serial of the running series
    enrol_this_pc(db)
    a_series = sorted(ln.serial for ln in archive.lines if ln.serial.startswith("A"))
    lost = a_series[3]
    code, doc, err = run_cli("--db", db_url, "certificates", "reissue", lost, "--reason", "Bị mất",
                             "--date", "2025-05-02")
    assert code == 0, err
    assert doc["old_serial"] == lost and doc["serial"] == f"A{int(a_series[-1][1:]) + 1:06d}"
    code, verdict, _err = run_cli("--db", db_url, "certificates", "verify", lost)
    assert verdict["status"] == "replaced" and verdict["valid"] is False
    revoked = archive.by_year(2017)[0].serial
    code, doc, _err = run_cli("--db", db_url, "certificates", "revoke", revoked, "--reason", "Sai ngày sinh")
    assert code == 0 and doc == {"serial": revoked, "status": "revoked"}

    # "How many learners did we train in 2017?"
    code, doc, err = run_cli("--db", db_url, "report", "annual", "--year", "2017", "--out",
                             str(tmp_path / "bao_cao_2017.xlsx"), "--date", "2025-01-10")
    assert code == 0, err
    assert doc["learners"] == len(archive.by_year(2017)) and doc["classes"] == 2

    # Search finds people with their whole history; the audit holds every imported line
    same = archive.returning_same_id
    assert same is not None
    code, found, _err = run_cli("--db", db_url, "learners", "find", same.full_name)
    person = next(p for p in found if p["national_id"] == same.national_id)
    assert len(person["classes"]) == 2
    code, doc, _err = run_cli("--db", db_url, "audit", "verify")
    assert code == 0 and doc["intact"] is True


def test_a_past_line_edited_in_the_database_is_no_longer_confirmed(sqlite_db: Database, sqlite_url: str,
                                                                   archive: Archive) -> None:
    import sqlite3

    run_cli("--db", sqlite_url, "register", "import", str(archive.files[3]))
    line = archive.by_year(2018)[0]
    connection = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    connection.execute("UPDATE certificates SET classification = 'Xuất sắc', full_name = 'Người Khác' "
                       "WHERE serial = ?", (line.serial,))
    connection.commit()
    connection.close()
    code, verdict, _err = run_cli("--db", sqlite_url, "certificates", "verify", line.serial)
    assert verdict["valid"] is False and verdict["status"] == "unknown"
    code, doc, _err = run_cli("--db", sqlite_url, "audit", "verify")
    assert code == 1 and any(line.serial in b["problem"] for b in doc["breaks"])


def test_importing_the_same_year_twice_adds_nothing(db: Database, db_url: str, archive: Archive) -> None:
    run_cli("--db", db_url, "register", "import", str(archive.files[5]))
    before = counts(db)
    code, doc, err = run_cli("--db", db_url, "register", "import", str(archive.files[5]))
    assert code == 1 and doc["imported"] == 0
    first = archive.by_year(2020)[0]
    assert doc["rejected"][0]["sheet"] == first.sheet and doc["rejected"][0]["row"] == 6
    assert doc["rejected"][0]["column"].startswith("C (Số hiệu")
    assert first.serial in doc["rejected"][0]["message"] and "đã có trong sổ gốc" in doc["rejected"][0]["message"]
    assert counts(db) == before


# ---------------------------------------------------------------------------------- bad input


def register_book(path: Path, rows: list[list[Any]], *, title: str = "SỔ GỐC CẤP BẰNG TỐT NGHIỆP SƠ CẤP LÝ LUẬN "
                  "CHÍNH TRỊ", sheet: str = "SC21") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append([title])
    ws.append(["Quyết định công nhận tốt nghiệp số 45-QĐ/TTCT ngày 10/5/2021"])
    ws.append([])
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD", "Xếp loại", "Số hiệu", "Số vào sổ",
               "Ngày cấp"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


GOOD = [1, "Trần Văn Bình", "05/03/1980", "Nam", "080080000111", "Khá", "0001/SC-2021", "001/2021", "15/05/2021"]
OTHER = [2, "Lê Thị Hoa", "07/08/1985", "Nữ", "080185000222", "Giỏi", "0002/SC-2021", "002/2021", "15/05/2021"]


def _with(row: list[Any], index: int, value: Any) -> list[Any]:
    out = list(row)
    out[index] = value
    return out


@pytest.mark.parametrize(("rows", "options", "where", "words"), [
    ([GOOD, _with(OTHER, 8, "31/02/2021")], [], ("SC21", 6, "I (Ngày cấp)"), "31/02/2021"),
    ([GOOD, _with(OTHER, 6, None)], [], ("SC21", 6, "G (Số hiệu)"), "Thiếu số hiệu"),
    ([GOOD, _with(OTHER, 6, "0001/SC-2021")], [], ("SC21", 6, "G (Số hiệu)"), "trùng với trang 'SC21' dòng 5"),
    ([GOOD, _with(OTHER, 4, "080080000111")], [], ("SC21", 6, "E (Số CCCD)"), "080080000111"),
    ([GOOD, _with(OTHER, 2, "1910")], [], ("SC21", 6, "C (Ngày sinh)"), "tuổi"),
    ([GOOD, _with(_with(OTHER, 3, None), 4, None)], [], ("SC21", 6, "D (Giới tính)"), "Thiếu giới tính"),
])
def test_bad_rows_are_refused_with_sheet_row_and_column(db: Database, db_url: str, tmp_path: Path,
                                                        rows: list[list[Any]], options: list[str],
                                                        where: tuple[str, int, str], words: str) -> None:
    path = register_book(tmp_path / "so_goc.xlsx", rows)
    before = counts(db)
    code, doc, err = run_cli("--db", db_url, "register", "import", str(path), *options)
    assert code == 1 and doc["imported"] == 0
    found = [(p["sheet"], p["row"], p["column"]) for p in doc["rejected"]]
    assert where in found, doc["rejected"]
    assert words in " ".join(p["message"] for p in doc["rejected"])
    assert "trang 'SC21', dòng 6" in err
    assert counts(db) == before


def test_a_sheet_whose_programme_cannot_be_told_is_refused_until_one_is_chosen(
        db: Database, db_url: str, tmp_path: Path) -> None:
    path = register_book(tmp_path / "so.xlsx", [GOOD], title="SỔ GỐC NĂM 2021")
    before = counts(db)
    code, doc, _err = run_cli("--db", db_url, "register", "import", str(path))
    assert code == 1 and doc["rejected"][0]["sheet"] == "SC21" and "--programme" in doc["rejected"][0]["message"]
    assert counts(db) == before
    code, doc, _err = run_cli("--db", db_url, "register", "import", str(path), "--programme", "ZZ")
    assert code == 1 and "Không có chương trình mã 'ZZ'" in doc["error"]
    assert counts(db) == before
    code, doc, _err = run_cli("--db", db_url, "register", "import", str(path), "--programme", "SC", "--dry-run")
    assert code == 0 and doc["imported"] == 1 and doc["dry_run"] is True
    assert counts(db) == before
    code, doc, _err = run_cli("--db", db_url, "register", "import", str(path), "--programme", "SC")
    assert code == 0 and doc["classes"] == ["SC21"] and doc["learners_new"] == 1


@pytest.mark.parametrize(("name", "content", "words"), [
    ("so.ods", None, "LibreOffice (.ods)"),
    ("so.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "Excel 97-2003 (.xls) bị hỏng"),
    ("khong_co.xlsx", b"", "không phải tệp Excel .xlsx hợp lệ"),
])
def test_unreadable_files_are_refused_with_their_name(db: Database, db_url: str, tmp_path: Path,
                                                      name: str, content: bytes | None, words: str) -> None:
    path = tmp_path / name
    if content is None:
        import zipfile

        with zipfile.ZipFile(path, "w") as z:
            z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
            z.writestr("content.xml", "<x/>")
    else:
        path.write_bytes(content)
    before = counts(db)
    code, doc, err = run_cli("--db", db_url, "register", "import", str(path))
    assert code == 1 and words in doc["error"] and name in doc["error"]
    assert "Traceback" not in err
    assert counts(db) == before


def test_a_roster_in_excel_97_2003_with_tcvn3_names_is_read_directly(tmp_path: Path) -> None:
    import xlwt  # type: ignore[import-untyped]

    from dtbd_desktop.workbooks.roster import read_roster
    from tests.past_archive import to_tcvn3

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("DS")
    legacy = xlwt.easyxf("font: name .VnTime")
    for c, heading in enumerate(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"]):
        ws.write(2, c, to_tcvn3(heading), legacy)
    ws.write(3, 0, 1)
    ws.write(3, 1, to_tcvn3("Nguyễn Văn Hùng"), legacy)
    ws.write(3, 2, dt.date(1980, 3, 5), xlwt.easyxf(num_format_str="DD/MM/YYYY"))
    ws.write(3, 3, to_tcvn3("Nam"), legacy)
    ws.write(3, 4, "080080000999")
    wb.save(str(tmp_path / "ds.xls"))
    table = read_roster(tmp_path / "ds.xls")
    assert table.mapping == {"full_name": 2, "birth_date": 3, "gender": 4, "national_id": 5}
    assert table.font(table.rows[0], "full_name") == ".VnTime"
    from dtbd_desktop.workbooks.roster.cleaning import RowCleaner

    person = RowCleaner(table, dt.date(2020, 1, 1)).clean(table.rows[0])
    assert (person.full_name, person.birth_date, person.converted) == ("Nguyễn Văn Hùng", dt.date(1980, 3, 5), True)


def test_duplicates_merge_undo_confirm_and_dismiss(db: Database, db_url: str, archive: Archive) -> None:
    for path in (archive.files[0], archive.files[4]):
        run_cli("--db", db_url, "register", "import", str(path))
    code, pairs, _err = run_cli("--db", db_url, "learners", "duplicates")
    assert code == 0 and len(pairs) == 1 and pairs[0]["status"] == "open"
    pair = pairs[0]
    before = counts(db)
    code, merged, _err = run_cli("--db", db_url, "learners", "merge", str(pair["id"]))
    assert code == 0 and merged["status"] == "merged"
    assert sorted(merged["kept"]["classes"]) == sorted(pair["kept"]["classes"] + pair["other"]["classes"])
    assert counts(db)[0] == before[0] - 1
    code, undone, _err = run_cli("--db", db_url, "learners", "unmerge", str(pair["id"]))
    assert code == 0 and undone["status"] == "open"
    assert undone["other"] == pair["other"] and undone["kept"] == pair["kept"]
    assert counts(db)[0] == before[0]
    run_cli("--db", db_url, "learners", "merge", str(pair["id"]))
    code, confirmed, _err = run_cli("--db", db_url, "learners", "confirm-merge", str(pair["id"]))
    assert confirmed["status"] == "confirmed"
    code, doc, err = run_cli("--db", db_url, "learners", "unmerge", str(pair["id"]))
    assert code == 1 and "đã xác nhận" in err
    code, doc, _err = run_cli("--db", db_url, "audit", "verify")
    assert doc["intact"] is True


def test_past_class_results_come_in_beside_the_register(db: Database, db_url: str,
                                                        tmp_path: Path) -> None:
    path = register_book(tmp_path / "so.xlsx", [GOOD, OTHER])
    assert run_cli("--db", db_url, "register", "import", str(path))[0] == 0
    with db.read() as s:
        from dtbd_desktop.db.models import Module, Programme

        modules = [m.name for m in s.scalars(select(Module).join(Programme).where(
            Programme.code == "SC", Module.kind == "module").order_by(Module.position))][:2]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "SC21"
    ws.append(["BẢNG ĐIỂM TỔNG HỢP LỚP SC21"])
    ws.append(["STT", "Họ và tên", "Ngày sinh", modules[0], modules[1], "Điểm TB", "Xếp loại"])
    ws.append([1, "Trần Văn Bình", "05/03/1980", 8, "7,5", "7,8", "Khá"])
    ws.append([2, "Lê Thị Hoa", "07/08/1985", 9, "11", "8,5", "Giỏi"])
    wb.save(tmp_path / "diem.xlsx")
    code, doc, _err = run_cli("--db", db_url, "register", "results", str(tmp_path / "diem.xlsx"))
    assert code == 1 and doc["rejected"][0]["row"] == 4 and doc["rejected"][0]["column"].startswith("E ("), doc
    ws["E4"] = 9.5
    wb.save(tmp_path / "diem.xlsx")
    code, doc, err = run_cli("--db", db_url, "register", "results", str(tmp_path / "diem.xlsx"))
    assert code == 0, err
    assert doc["scores"] == 4 and doc["classes"] == ["SC21"]
    code, doc, _err = run_cli("--db", db_url, "audit", "verify")
    assert doc["intact"] is True
