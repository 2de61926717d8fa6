"""Transcripts one per learner, read back from the PDF page by page (pdftotext): each numbered
within itself, the signature never alone on a page, the learner's name on every page, only the
final assessments the learner's path has; and the XLSX, one sheet per learner."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import openpyxl
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from dtbd_desktop.db.engine import Database
from dtbd_desktop.printing import pdf
from dtbd_desktop.reports import graduation_reports as reports
from dtbd_desktop.reports.attendance_reports.common import cell
from dtbd_desktop.services import graduation, scores
from tests.test_graduation_reports import pdf_text

ON = dt.date(2026, 12, 4)
PAGE = re.compile(r"Trang (\d+)/(\d+)")


def page_texts(path: Path, pages: int) -> list[str]:
    return [pdf_text(path, first=p, last=p) for p in range(1, pages + 1)]


def transcripts_by_page(texts: list[str]) -> list[list[str]]:
    """The file's pages grouped into transcripts by their own numbers: "Trang 1/n" starts one."""
    groups: list[list[str]] = []
    for content in texts:
        found = PAGE.findall(content)
        assert len(found) == 1, content[-200:]
        page, count = (int(x) for x in found[0])
        if page == 1:
            groups.append([])
        groups[-1].append(content)
        assert len(groups[-1]) == page and page <= count
    return groups


def _long_transcript(db: Database) -> tuple[str, str]:
    """A learner of the demo's A48 with eighteen corrected scores (a transcript over two pages)."""
    with db.read() as s:
        data = scores.load_class_scores(s, "A48")
        line = data.learners[36]
    with db.write(raw=True) as s:
        for module in ("I.1", "I.2", "I.3", "I.4", "II.1", "II.2"):
            for value in ("6,1", "6,2", "6,3"):
                scores.set_score(s, "A48", line.national_id, module, value, reason="Chấm phúc khảo",
                                 allow_locked=True)
    assert line.national_id
    return line.national_id, line.full_name


def test_a_class_prints_one_transcript_per_learner_each_numbered_within_itself(demo_db: Database,
                                                                              tmp_path: Path) -> None:
    nid, name = _long_transcript(demo_db)
    out = tmp_path / "a48.pdf"
    with demo_db.read() as s:
        learners = [line.full_name for line in scores.load_class_scores(s, "A48").learners]
        pages = reports.export_transcripts(s, "A48", out, on=ON)
    groups = transcripts_by_page(page_texts(out, pages))
    assert len(groups) == len(learners) == 62
    assert pages == 63  # one transcript runs over two pages
    for learner, group in zip(learners, groups, strict=True):
        count = int(PAGE.findall(group[0])[0][1])
        assert len(group) == count
        assert all(learner in content for content in group), learner  # the name on every page
        last = group[-1]
        # The signature is never alone: the last page holds the result, the signers and table rows.
        assert "NGƯỜI LẬP BIỂU" in last and "HIỆU TRƯỞNG" in last and "Lê Văn Phước" in last
        assert "Long An, ngày 04 tháng 12 năm 2026" in last
        assert "Điểm trung bình chung" in last or "Chưa đủ điều kiện" in last
        assert re.search(r"\bTN2\.|\bKL\.", last), learner
    long = next(g for g in groups if name in g[0] and len(g) == 2)
    assert "Bảng điểm học tập của " + name in long[1]  # the page after the first says whose it is
    assert "Trang 2/2" in long[1] and "Chấm phúc khảo" in long[1]
    assert nid in long[0]


def test_a_transcript_lists_the_path_the_learner_took_and_reads_right(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        review = graduation.load_review(s, "A48")
    thesis = next(r for r in review.rows if r.outcome.final_modules == ("KL",))
    exams = next(r for r in review.rows if r.outcome.final_modules == ("TN1", "TN2") and r.eligible)
    with demo_db.write(raw=True) as s:
        graduation.set_conduct(s, "A48", exams.national_id or "", conduct="Tốt")
    with demo_db.read() as s:
        reports.export_document(s, "A48", "transcript", tmp_path / "kl.pdf", enrolment_id=thesis.enrolment_id, on=ON)
        reports.export_document(s, "A48", "transcript", tmp_path / "tn.pdf", national_id=exams.national_id, on=ON)
    kl, tn = pdf_text(tmp_path / "kl.pdf"), pdf_text(tmp_path / "tn.pdf")
    assert "KL. Khóa luận tốt nghiệp" in kl and "TN1." not in kl and "TN2." not in kl
    assert "TN1. Thi tốt nghiệp" in tn and "TN2. Thi tốt nghiệp" in tn and "KL." not in tn
    for content in (kl, tn):
        assert "Lớp: Trung cấp lý luận chính trị - hành chính A48, học từ 02/03/2025 đến 26/06/2025" in content
        assert "Lớp Lớp" not in content and "Lớp: Lớp" not in content
        assert "chưa xếp loại" not in content
        assert "Trang 1/1" in content
    assert "Rèn luyện: Tốt." in tn and "Rèn luyện" not in kl


def test_one_learner_without_a_cccd_prints_by_enrolment(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        line = scores.load_class_scores(s, "DVM25.01").learners[3]
        assert reports.export_transcripts(s, "DVM25.01", tmp_path / "one.xlsx", enrolment_id=line.enrolment_id,
                                          on=ON) == 1
        assert reports.export_transcripts(s, "DVM25.01", tmp_path / "one.pdf", enrolment_id=line.enrolment_id,
                                          on=ON) == 1
    ws = openpyxl.load_workbook(tmp_path / "one.xlsx").worksheets[0]
    values = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert f"Họ và tên: {line.full_name}" in values
    assert any(v.startswith("Kết quả: Đạt; điểm bài thu hoạch") for v in values)
    assert line.full_name in pdf_text(tmp_path / "one.pdf")


def test_a_name_too_wide_for_its_column_shrinks_instead_of_breaking() -> None:
    style = ParagraphStyle("t", fontName=pdf.FONT, fontSize=12)
    assert cell("An", 50, style) == "An"  # fits: plain text
    wide = cell("Chương", 40, style)  # 38.9 pt at 12 pt in 34 pt of room
    assert isinstance(wide, Paragraph)
    assert wide.style.fontSize < 12 and not wide.style.splitLongWords
    assert pdf.text_width("Chương", pdf.FONT, wide.style.fontSize) <= 34
    two = cell("Nguyễn Thị Hồng", 60, style)  # several words wrap at their spaces, at full size
    assert isinstance(two, Paragraph) and two.style.fontSize == 12 and not two.style.splitLongWords


def test_the_sign_in_sheet_never_cuts_a_name(demo_db: Database, tmp_path: Path) -> None:
    from dtbd_desktop.reports.attendance_reports import export_sign_in_sheet

    out = tmp_path / "ky.pdf"
    with demo_db.read() as s:
        export_sign_in_sheet(s, "A48", dt.date(2025, 3, 3), "morning", out)
    content = pdf_text(out)
    assert re.search(r"Nguyễn Hữu Chương Sở Tư pháp", content), content[:2000]
    assert "Chươn g" not in content
