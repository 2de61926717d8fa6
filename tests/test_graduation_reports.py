"""The result documents, read back: PDF text with poppler (`pdftotext`, `pdffonts`), workbooks
reopened with openpyxl. The hand-built class of tests.test_graduation prints its names, results,
reasons and the rules applied; the demo's A48 score sheet runs over pages with its header."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.reports import graduation_reports as reports
from dtbd_desktop.services import graduation, scores
from tests.pdf_tools import poppler
from tests.test_graduation import fill_class
from tests.test_scores import NID

ON = dt.date(2025, 7, 15)




def pdf_text(path: Path, *, first: int | None = None, last: int | None = None, layout: bool = True) -> str:
    """The text of the PDF (or of some pages) with runs of white space as one space; `layout=False`
    reads in drawing order, so a table cell's wrapped lines follow each other."""
    pages = [*(["-f", str(first)] if first else []), *(["-l", str(last)] if last else [])]
    mode = "-layout" if layout else "-raw"
    result = subprocess.run([poppler("pdftotext"), mode, "-enc", "UTF-8", *pages, str(path), "-"],
                            capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def _embedded_column(path: Path) -> list[str]:
    listing = subprocess.run([poppler("pdffonts"), str(path)], capture_output=True, check=True, text=True).stdout
    lines = listing.splitlines()
    header = lines[0]
    start = header.index("emb")
    return [line[start:start + 3].strip() for line in lines[2:]]


@pytest.fixture
def filled(db: Database) -> Database:
    with db.write(raw=True) as s:
        fill_class(s)
        scores.set_score(s, "T01", NID["Em"], "B", "4,8", reason="Chấm lại bài thi")
    return db


def test_review_list_pdf(filled: Database, tmp_path: Path) -> None:
    out = tmp_path / "xet.pdf"
    with filled.read() as s:
        pages = reports.export_review(s, "T01", out, on=ON)
    assert pages >= 1
    content = pdf_text(out, layout=False)
    for expected in ("DANH SÁCH XÉT TỐT NGHIỆP", "Lớp thử T01", "Nguyễn Văn An", "Vũ Văn Hải", "Đủ điều kiện",
                     "Không đủ điều", "Chưa có nhận xét của cơ quan cử đi học", "Chưa có điểm học phần nào",
                     "8,6", "Giỏi", "Hạ một mức vì bị kỷ luật khiển trách",
                     "Tổng số 8 học viên; đủ điều kiện tốt nghiệp: 4; không đủ điều kiện: 4.",
                     "điểm đạt từ 5,0", "Xuất sắc từ 9,0; Giỏi từ 8,0; Khá từ 7,0; Trung bình từ 5,0",
                     "Hạ một mức xếp loại nếu có học phần phải thi lại", "quá 20% số tiết",
                     "Căn cứ: Quy chế đào tạo thử nghiệm", "ngày 15 tháng 7 năm 2025", "NGƯỜI LẬP BIỂU"):
        assert expected in content, expected
    assert set(_embedded_column(out)) == {"yes"}


def test_decision_list_pdf_and_xlsx(filled: Database, tmp_path: Path) -> None:
    with filled.read() as s, pytest.raises(InputError, match="chưa có kết quả xét tốt nghiệp"):
        reports.export_decision(s, "T01", tmp_path / "qd.pdf")
    with filled.write(raw=True) as s:
        graduation.review(s, "T01")
        graduation.set_decision(s, "T01", number="45/QĐ-TCT", date=dt.date(2025, 7, 10))
    with filled.read() as s:
        reports.export_decision(s, "T01", tmp_path / "qd.pdf")
        rows = reports.export_decision(s, "T01", tmp_path / "qd.xlsx")
    content = " ".join(pdf_text(tmp_path / "qd.pdf").split())
    assert "QUYẾT ĐỊNH" in content and "Số 45/QĐ-TCT" in content  # the number as the office typed it
    assert "DANH SÁCH HỌC VIÊN ĐƯỢC CÔNG NHẬN TỐT NGHIỆP" in content
    assert "(Kèm theo Quyết định số 45/QĐ-TCT ngày 10 tháng 7 năm 2025" in content
    assert "Lê Văn Cường" in content and "Phạm Thị Dung" not in content  # only the eligible learners
    assert "Danh sách có 4 học viên (Giỏi 3; Khá 1)." in content
    assert "Quy định đã áp dụng" not in content  # the rules block belongs to the review list, not here
    assert set(_embedded_column(tmp_path / "qd.pdf")) == {"yes"}
    assert rows == 4
    ws = openpyxl.load_workbook(tmp_path / "qd.xlsx").worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Vũ Văn" in values and "Hải" in values and "Giỏi" in values
    assert not any(isinstance(v, str) and v.startswith("1. Điểm từ 0 đến 10") for v in values)
    assert ws.print_title_rows


def test_transcript_shows_attempts_and_corrections(filled: Database, tmp_path: Path) -> None:
    out = tmp_path / "bd.pdf"
    with filled.read() as s:
        assert reports.export_transcripts(s, "T01", out, national_id=NID["Bình"], on=ON) == 1
        assert reports.export_transcripts(s, "T01", tmp_path / "em.pdf", national_id=NID["Em"], on=ON) == 1
        assert reports.export_transcripts(s, "T01", tmp_path / "all.pdf", on=ON) == 8
        assert reports.export_transcripts(s, "T01", tmp_path / "all.xlsx", on=ON) == 8
    content = pdf_text(out)
    for expected in ("BẢNG ĐIỂM HỌC TẬP", "Trần Thị Bình", "080190000002", "A. Triết học Mác - Lênin",
                     "Thi lại", "4,0 8,0 8,0 Đạt", "xếp loại tốt nghiệp: Khá",
                     "Hạ một mức vì có học phần phải thi lại (A).", "điểm đạt từ 5,0"):
        assert expected in content, expected
    em = pdf_text(tmp_path / "em.pdf")
    assert "Các lần sửa điểm, nhận xét đã ghi nhận" in em
    assert "4,5 → 4,8" in em and "Chấm lại bài thi" in em
    assert "Chưa đủ điều kiện tốt nghiệp: học phần B: chưa đạt (4,8 điểm" in em
    wb = openpyxl.load_workbook(tmp_path / "all.xlsx")
    assert len(wb.worksheets) == 8 and wb.worksheets[0].title == "1. Nguyễn Văn An"


def test_class_score_sheet(filled: Database, tmp_path: Path) -> None:
    with filled.read() as s:
        reports.export_score_table(s, "T01", tmp_path / "bd.pdf", on=ON)
        rows = reports.export_score_table(s, "T01", tmp_path / "bd.xlsx", on=ON)
    content = pdf_text(tmp_path / "bd.pdf")
    assert "BẢNG ĐIỂM TỔNG HỢP" in content and "Điểm các học phần, môn thi" in content
    assert "A: Triết học Mác - Lênin (60 tiết)" in content
    assert "8,0*" in content  # Bình's A after its retake
    assert rows == 8
    ws = openpyxl.load_workbook(tmp_path / "bd.xlsx").worksheets[0]
    assert ws.page_setup.orientation == "landscape"
    header = [c.value for c in ws[ws.print_title_rows.split(":")[-1].strip("$")]]
    assert header[2:8] == ["A", "B", "C", "TN1", "TN2", "KL"]


def test_demo_score_sheet_repeats_its_header(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "a48.pdf"
    with demo_db.read() as s:
        pages = reports.export_score_table(s, "A48", out)
    assert pages >= 3
    for page in range(1, pages):
        assert "Điểm các học phần, môn thi" in pdf_text(out, first=page, last=page)
    assert "Nguyễn" in pdf_text(out, first=2, last=2)


def test_bad_output_file(filled: Database, tmp_path: Path) -> None:
    with filled.read() as s:
        with pytest.raises(InputError, match="đuôi .pdf hoặc .xlsx"):
            reports.export_review(s, "T01", tmp_path / "x.docx")
        with pytest.raises(InputError, match="Không ghi được tệp"):
            reports.export_review(s, "T01", tmp_path / "missing" / "x.pdf")
    assert not (tmp_path / "x.docx").exists()
