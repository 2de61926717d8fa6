"""Attendance printouts (sign-in sheet, summary, letters) and the paper-signing workbook."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AttendanceMark, AuditEntry
from dtbd_desktop.reports import attendance_reports as ar
from dtbd_desktop.services import attendance as att
from dtbd_desktop.services import classes, settings
from dtbd_desktop.services.lecturers import save_lecturer
from dtbd_desktop.workbooks import attendance as wbk
from tests.pdf_tools import needs
from tests.test_attendance_service import AN, BINH, CUONG, DUNG, build_class, ids

D = dt.date
TODAY = D(2025, 3, 12)

needs_poppler = needs("pdftotext", "pdffonts", package="poppler-utils")


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def flat(content: str) -> str:
    """The text with every run of spaces and line breaks as one space (table cells wrap)."""
    return " ".join(content.split())


def assert_fonts_embedded(path: Path) -> None:
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = lines[2:]
    assert fonts, "no fonts at all"
    for line in fonts:
        assert "LiberationSerif" in line, line
        assert line.split()[-5] == "yes", line  # the "emb" column


def marked_class(db: Database) -> int:
    class_id = build_class(db)
    with db.write(raw=True) as s:
        settings.set_settings(s, centre_name="TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", superior_body="TỈNH ỦY LONG AN",
                              place_name="Long An", director_title="HIỆU TRƯỞNG", director_name="Lê Văn Phước",
                              attendance_lock_days=60)
        lecturer = save_lecturer(s, full_name="Huỳnh Thị Mỹ Duyên", title="ThS.")
        classes.update_class(s, "SC-T", homeroom_lecturer_id=lecturer.id)
    learners, sessions = ids(db)
    with db.write(raw=True) as s:
        from dtbd_desktop.services import timetable as tts

        tts.assign_lecturer(s, sessions[(D(2025, 3, 3), "morning")], lecturer.id, whole_module=True)
        att.set_marks(s, class_id, [
            (learners[AN], sessions[(D(2025, 3, 3), "morning")], "excused"),
            (learners[AN], sessions[(D(2025, 3, 3), "afternoon")], "unexcused"),
            (learners[BINH], sessions[(D(2025, 3, 4), "afternoon")], "late"),
            (learners[DUNG], sessions[(D(2025, 3, 17), "morning")], "excused"),  # entered ahead
        ], today=TODAY)
    return class_id


@needs_poppler
def test_sign_in_sheet(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    out = tmp_path / "ky-ten.pdf"
    with db.read() as s:
        assert ar.export_sign_in_sheet(s, "SC-T", D(2025, 3, 17), "morning", out) == 1
    content = pdf_text(out)
    for words in ("TỈNH ỦY LONG AN", "TRƯỜNG CHÍNH TRỊ *", "ĐẢNG CỘNG SẢN VIỆT NAM", "DANH SÁCH KÝ TÊN HỌC VIÊN",
                  "STT", "Họ và tên", "Đơn vị", "Ký tên", "Ghi chú", "Buổi sáng thứ hai, ngày 17/03/2025",
                  "Nguyễn Văn", "Phạm Thị", "Dung", "Vắng có phép", "Ban Tổ chức Huyện ủy Bến Lức",
                  "Tổng số: 4 học viên", "GIẢNG VIÊN CHỦ NHIỆM", "ThS. Huỳnh Thị Mỹ Duyên", "Trang 1/1"):
        assert words in flat(content), words
    lines = content.splitlines()
    order = [next(i for i, line in enumerate(lines) if name in line) for name in ("An", "Bình", "Cường", "Dung")]
    assert order == sorted(order)  # roster order: by tên
    assert_fonts_embedded(out)
    with pytest.raises(NotFoundError), db.read() as s:
        ar.export_sign_in_sheet(s, "SC-T", D(2025, 3, 16), "morning", tmp_path / "none.pdf")
    assert not (tmp_path / "none.pdf").exists()


@needs_poppler
def test_attendance_summary_pdf_and_xlsx(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    with db.read() as s:
        assert ar.export_summary(s, "SC-T", tmp_path / "tong-hop.pdf", on=TODAY)[0] == "pages"
        assert ar.export_summary(s, "SC-T", tmp_path / "tong-hop.xlsx", on=TODAY) == ("rows", 4)
    content = pdf_text(tmp_path / "tong-hop.pdf")
    for words in ("TỔNG HỢP CHUYÊN CẦN CỦA HỌC VIÊN", "Vắng có", "Tỷ lệ", "Không được thi: I.1",
                  "Đủ điều kiện dự thi", "quá 20% số tiết của một học phần", "Căn cứ Chương trình, quy chế",
                  "Nguyễn Văn An: vắng 10/15 tiết học phần I.1, quá 20%", "HIỆU TRƯỞNG", "Lê Văn Phước",
                  "Long An, ngày 12 tháng 3 năm 2025"):
        assert words in flat(content), words
    assert_fonts_embedded(tmp_path / "tong-hop.pdf")
    sheet = openpyxl.load_workbook(tmp_path / "tong-hop.xlsx").worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    an = next(r for r in rows if r[1] == "Nguyễn Văn")
    assert an[4:11] == (5, 5, 0, 10, pytest.approx(round(10 / 110, 4)), 0, "Không được thi: I.1")


@needs_poppler
def test_letters_to_the_sending_organisations(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    out = tmp_path / "thong-bao.pdf"
    with db.read() as s:
        result = ar.export_letters(s, "SC-T", out, on=TODAY)
    assert (result.letters, result.organisations) == (2, ["Ban Tổ chức Huyện ủy Bến Lức", "Ủy ban nhân dân xã Mỹ Yên"])
    assert result.pages == 2
    pages = [flat(page) for page in pdf_text(out).split("\f")]
    assert "Kính gửi: Ban Tổ chức Huyện ủy Bến Lức" in pages[0]
    assert "Phạm Thị Dung" in pages[0] and "Nguyễn Văn An" not in pages[0]
    assert "Kính gửi: Ủy ban nhân dân xã Mỹ Yên" in pages[1]
    for words in ("Nguyễn Văn An", "Trần Thị Bình", "I.1 – ", "vắng 10/15 tiết học phần I.1, quá 20%",
                  "Trường Chính trị tỉnh Long An thông báo", "Nơi nhận:", "HIỆU TRƯỞNG", "Lê Văn Phước",
                  "Long An, ngày 12 tháng 3 năm 2025"):
        assert words in pages[1], words
    assert "Trang" not in pdf_text(out)  # one-page letters carry no page number
    assert_fonts_embedded(out)


def test_proper_names_for_running_text() -> None:
    assert ar.proper_name("TRUNG TÂM CHÍNH TRỊ HUYỆN BẾN LỨC") == "Trung tâm Chính trị huyện Bến Lức"
    assert ar.proper_name("Trường Chính trị tỉnh Long An") == "Trường Chính trị tỉnh Long An"


def test_workbook_round_trip(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    path = tmp_path / "diem-danh.xlsx"
    with db.read() as s:
        assert wbk.export_workbook(s, "SC-T", path, today=TODAY) == (4, 23)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert ws.title == "Điểm danh" and book["dtbd"].sheet_state == "hidden"
    assert [ws.cell(row=r, column=6).value for r in (5, 6, 7)] == ["03/03", "Sáng", "I.1"]
    rows = {ws.cell(row=r, column=3).value: r for r in range(8, 12)}
    assert ws.cell(row=rows[AN], column=6).value == "P" and ws.cell(row=rows[AN], column=7).value == "K"
    assert ws.data_validations.dataValidation[0].formula1 == '"C,P,K,M"'
    # The office types in the signed sheets of 10/3 (columns of the 15th and 16th sessions).
    col_morning = next(c for c in range(6, 29) if ws.cell(row=5, column=c).value == "10/03")
    for r in rows.values():
        ws.cell(row=r, column=col_morning, value="c")
    ws.cell(row=rows[CUONG], column=col_morning, value="K")
    ws.cell(row=rows[AN], column=6, value="P")  # unchanged
    ws.cell(row=rows[BINH], column=col_morning + 1, value="vắng có phép")
    book.save(path)
    with db.write(raw=True) as s:
        dry = wbk.import_workbook(s, "SC-T", path, dry_run=True, today=TODAY)
    assert (dry.changed, dry.dry_run) == (5, True)
    with db.write(raw=True) as s:
        result = wbk.import_workbook(s, "SC-T", path, today=TODAY)
    assert (result.changed, result.unchanged, result.locked) == (5, 4, 0)  # P, K, M and the P entered ahead
    with db.read() as s:
        grid = att.attendance_grid(s, "SC-T", today=TODAY)
    learners = {lr.national_id: lr.enrolment_id for lr in grid.learners}
    sessions = {(se.date, se.half): se.id for se in grid.sessions}
    assert grid.marks[(learners[CUONG], sessions[(D(2025, 3, 10), "morning")])] == "unexcused"
    assert grid.marks[(learners[AN], sessions[(D(2025, 3, 10), "morning")])] == "present"
    assert grid.marks[(learners[BINH], sessions[(D(2025, 3, 10), "afternoon")])] == "excused"
    assert len(grid.marks) == 4 + 5


def test_a_workbook_with_errors_is_refused_whole(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    path = tmp_path / "diem-danh.xlsx"
    with db.read() as s:
        wbk.export_workbook(s, "SC-T", path, today=TODAY)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    rows = {ws.cell(row=r, column=3).value: r for r in range(8, 12)}
    ws.cell(row=rows[CUONG], column=8, value="C")  # fine on its own
    ws.cell(row=rows[AN], column=9, value="X")  # not a code
    ws.cell(row=rows[BINH], column=28, value="C")  # the exam of 19/3: not yet held
    ws.cell(row=rows[DUNG], column=3, value="080190000009")  # someone typed over the CCCD
    ws.cell(row=12, column=1, value=9999)  # a row added by hand
    ws.cell(row=12, column=4, value="Người Lạ")
    book.save(path)
    with db.read() as s:
        before = {(m.enrolment_id, m.session_id, m.status) for m in s.scalars(select(AttendanceMark))}
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        wbk.import_workbook(s, "SC-T", path, today=TODAY)
    where = [(p.row, p.column) for p in refused.value.problems]
    assert where == [(rows[AN], "I"), (rows[BINH], "AB"), (rows[DUNG], "C"), (12, "A")]
    messages = " | ".join(p.message for p in refused.value.problems)
    assert "Ô I" in messages and "'X' không hợp lệ" in messages and "chưa diễn ra" in messages
    assert "không khớp" in messages and "Người Lạ" in messages
    with db.read() as s:
        assert {(m.enrolment_id, m.session_id, m.status) for m in s.scalars(select(AttendanceMark))} == before


def test_locked_columns_need_the_override_on_import(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    path = tmp_path / "diem-danh.xlsx"
    with db.write(raw=True) as s:
        settings.set_settings(s, attendance_lock_days=7)
    with db.read() as s:
        wbk.export_workbook(s, "SC-T", path, today=TODAY)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert ws.cell(row=5, column=6).fill.fgColor.rgb.endswith("D9D9D9")  # 3/3 is locked
    row = next(r for r in range(8, 12) if ws.cell(row=r, column=3).value == CUONG)
    ws.cell(row=row, column=6, value="C")
    book.save(path)
    with pytest.raises(InputError, match="1 lỗi"), db.write(raw=True) as s:
        wbk.import_workbook(s, "SC-T", path, today=TODAY)
    with db.write(raw=True) as s:
        result = wbk.import_workbook(s, "SC-T", path, today=TODAY, allow_locked=True,
                                     reason="Nhập từ sổ ký tên đã xác nhận")
    assert result.locked == 1
    with db.read() as s:
        assert s.scalars(select(AuditEntry.reason).where(AuditEntry.entity == "attendance")).all() == [
            "Nhập từ sổ ký tên đã xác nhận"]


def test_a_workbook_of_another_class_or_file_is_refused(db: Database, tmp_path: Path) -> None:
    marked_class(db)
    build_class(db, code="SC-U", learners=[("Võ Văn Em", "080090000005", None)])
    path = tmp_path / "diem-danh.xlsx"
    with db.read() as s:
        wbk.export_workbook(s, "SC-U", path, today=TODAY)
    with pytest.raises(InputError, match="là bảng điểm danh lớp SC-U, không phải lớp SC-T"), db.write(raw=True) as s:
        wbk.import_workbook(s, "SC-T", path, today=TODAY)
    other = tmp_path / "khac.xlsx"
    openpyxl.Workbook().save(other)
    with pytest.raises(InputError, match="không phải bảng điểm danh"), db.write(raw=True) as s:
        wbk.import_workbook(s, "SC-T", other, today=TODAY)
    (tmp_path / "hong.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(InputError, match="Không đọc được"), db.write(raw=True) as s:
        wbk.import_workbook(s, "SC-T", tmp_path / "hong.xlsx", today=TODAY)
