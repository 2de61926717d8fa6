"""Diplomas and certificates say what the programme's settings say, read back with pdftotext from
the demo centre's documents: the salutation, the course and its period, the issuing school, the
result as the rule set grades it, no internal class code; Sơ cấp on a layout of its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Certificate, Enrolment, TrainingClass
from dtbd_desktop.printing import certificate_pdf
from dtbd_desktop.services import certificates, document_wording, graduation, settings
from dtbd_desktop.services.document_wording import course_label, document_result, proper_name, venue_text
from tests.test_graduation_reports import pdf_text

BANDS = ("Xuất sắc", "Giỏi", "Khá", "Trung bình")


def printed(db: Database, class_code: str, out: Path) -> tuple[str, str]:
    """The class's documents as printed (first page's text, the layout's id), without counting a print."""
    with db.read() as s:
        job = certificates.print_job(s, class_code)
    certificate_pdf.write_pdf(out, job.pages(), title=class_code, author="test")
    return pdf_text(out, first=1, last=1), job.layout.id


@pytest.mark.parametrize(("name", "expected"), [
    ("TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", "Trường Chính trị tỉnh Long An"),
    ("TRUNG TÂM CHÍNH TRỊ HUYỆN ĐỨC HÒA", "Trung tâm Chính trị huyện Đức Hòa"),
    ("Trung tâm Chính trị thành phố Tân An", "Trung tâm Chính trị thành phố Tân An"),
    ("TRƯỜNG CHÍNH TRỊ NGUYỄN VĂN CỪ", "Trường Chính trị Nguyễn Văn Cừ"),
    ("TRUNG TÂM CHÍNH TRỊ THỊ XÃ KIẾN TƯỜNG", "Trung tâm Chính trị thị xã Kiến Tường"),
    ("", ""),
])
def test_the_school_as_written_in_a_sentence(name: str, expected: str) -> None:
    assert proper_name(name) == expected


def _class(code: str, start: dt.date, end: dt.date) -> TrainingClass:
    return TrainingClass(code=code, start_date=start, end_date=end)


@pytest.mark.parametrize(("pattern", "code", "start", "end", "expected"), [
    ("Khóa {number} ({years})", "A48", dt.date(2025, 3, 2), dt.date(2025, 6, 26), "Khóa 48 (2025)"),
    ("Khóa {number} ({years})", "B21.KTT", dt.date(2025, 9, 7), dt.date(2027, 3, 1), "Khóa 21 (2025 - 2027)"),
    ("Khóa {number}", "Khóa 086", dt.date(2025, 9, 7), dt.date(2025, 9, 9), "Khóa 86"),
    ("Khóa {number}", "ABC", dt.date(2025, 9, 7), dt.date(2026, 1, 9), "2025 - 2026"),  # no number: the years
    ("{years}", "SC25.01", dt.date(2025, 4, 6), dt.date(2025, 4, 23), "2025"),
    ("từ {start} đến {end}", "X", dt.date(2025, 4, 6), dt.date(2025, 4, 23), "từ 06/04/2025 đến 23/04/2025"),
    ("", "A48", dt.date(2025, 3, 2), dt.date(2025, 6, 26), ""),
])
def test_the_course_label(pattern: str, code: str, start: dt.date, end: dt.date, expected: str) -> None:
    assert course_label(pattern, _class(code, start, end)) == expected


def test_venue_and_result_rules() -> None:
    school = "Trường Chính trị tỉnh Long An"
    assert venue_text("Trường Chính trị tỉnh", school) == school  # cut short: the school in full
    assert venue_text(None, school) == school
    assert venue_text("Trung tâm Chính trị huyện Đức Hòa", school) == "Trung tâm Chính trị huyện Đức Hòa"
    graded = {"outcome": "pass_fail", "graded_essay": True}
    assert document_result(graded, "Đạt", "Giỏi") == "Giỏi"
    assert document_result({**graded, "graded_essay": False}, "Đạt", "Giỏi") == "Đạt"
    assert document_result({"outcome": "classification"}, "Khá", None) == "Khá"


def test_a_new_party_members_certificate(demo_db: Database, tmp_path: Path) -> None:
    content, layout = printed(demo_db, "DVM25.01", tmp_path / "dvm.pdf")
    assert layout == "certificate-full"
    assert "Đồng chí:" in content and "Ông (Bà)" not in content
    assert "Đã hoàn thành chương trình bồi dưỡng lý luận chính trị dành cho đảng viên mới." in content
    assert "bồi dưỡng: Bồi dưỡng" not in content
    assert "Học tập từ ngày 16/03/2025 đến ngày 24/03/2025 tại Trường Chính trị tỉnh Long An." in content
    assert "DVM25.01" not in content and "Lớp DVM" not in content  # no internal code
    assert "HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" in content
    with demo_db.read() as s:
        first = s.scalars(select(Certificate).join(Enrolment).join(TrainingClass)
                          .where(TrainingClass.code == "DVM25.01").order_by(Certificate.sequence)).first()
        assert first is not None
        review = {r.enrolment_id: r for r in graduation.load_review(s, "DVM25.01").rows}
        band = review[first.enrolment_id].outcome.essay_band
        assert band in BANDS and first.classification == band  # the register keeps the band it prints
    assert f"Xếp loại: {band}" in content and "Kết quả: Đạt" not in content


def test_a_course_for_non_members_and_a_course_held_in_a_district(demo_db: Database, tmp_path: Path) -> None:
    content, _layout = printed(demo_db, "NT25.01", tmp_path / "nt.pdf")
    assert "Ông (Bà):" in content and "Đồng chí" not in content
    assert "Đã hoàn thành chương trình bồi dưỡng nhận thức về Đảng." in content
    assert "tại Trung tâm Chính trị huyện Thủ Thừa." in content


def test_a_trung_cap_diploma_prints_the_course_and_the_issuing_school(demo_db: Database, tmp_path: Path) -> None:
    content, layout = printed(demo_db, "A48", tmp_path / "a48.pdf")
    assert layout == "diploma-blank"
    assert "Khóa 48 (2025)" in content and "A48" not in content
    assert "HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" in content
    assert "TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH" in content


def test_so_cap_has_its_own_layout(demo_db: Database, tmp_path: Path) -> None:
    content, layout = printed(demo_db, "SC25.01", tmp_path / "sc.pdf")
    assert layout == "so-cap-full"
    for expected in ("HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", "BẰNG TỐT NGHIỆP", "SƠ CẤP LÝ LUẬN CHÍNH TRỊ",
                     "Cho Đồng chí:", "Khóa học: 2025", "Hình thức đào tạo: Tập trung", "Xếp loại tốt nghiệp:",
                     "Số vào sổ cấp bằng:"):
        assert expected in content, expected
    assert "SC25.01" not in content


def test_the_wording_comes_from_the_programme_and_the_centre_settings(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.write(raw=True) as s:
        document_wording.save_wording(s, "DVM", salutation="Ông (Bà)", course_label="Khóa {number}/{years}")
        settings.set_settings(s, issuing_name="Trường Chính trị tỉnh Long An (cơ sở 2)")
    content, _layout = printed(demo_db, "DVM25.01", tmp_path / "dvm.pdf")
    assert "Ông (Bà):" in content
    assert "Khóa 25/2025, học từ ngày 16/03/2025 đến ngày 24/03/2025, tại Trường Chính trị tỉnh Long An (cơ sở 2)." in content
    with demo_db.write(raw=True) as s, pytest.raises(InputError) as refused:
        document_wording.save_wording(s, "DVM", salutation=" ", course_label="Khóa {khoa}")
    fields = {p.field for p in refused.value.problems}
    assert fields == {"salutation", "course_label"}
    with demo_db.read() as s:
        from dtbd_desktop.services.catalogue import get_programme

        kept = document_wording.programme_wording(s, get_programme(s, "DVM"))
    assert kept.salutation == "Ông (Bà)"  # nothing of the refused edit was stored
