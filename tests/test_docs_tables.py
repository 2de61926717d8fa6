"""The result tables read right: the review list shows the scores that decide each row, the
workbooks keep dates as dates and year-only births as years, the score workbook names its class
once; and the command line prints one learner's transcript with its signing date, and keeps a
programme's wording."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from openpyxl.worksheet.worksheet import Worksheet

from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import Database
from dtbd_desktop.reports import graduation_reports as reports
from dtbd_desktop.services import graduation, scores
from dtbd_desktop.workbooks import scores as score_workbook
from tests.test_graduation_reports import pdf_text

ON = dt.date(2026, 12, 4)


def birth_cells(ws: Worksheet, column: int) -> list[object]:
    """The values under the "Ngày sinh" heading of a table sheet."""
    rows = list(ws.iter_rows(values_only=True))
    top = next(i for i, r in enumerate(rows) if r[column - 1] == "Ngày sinh")
    return [r[column - 1] for r in rows[top + 1:] if isinstance(r[0], int)]


def test_the_trung_cap_review_list_shows_the_exam_and_thesis_scores(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        reports.export_review(s, "A48", tmp_path / "xet.pdf", on=ON)
        reports.export_review(s, "A48", tmp_path / "xet.xlsx", on=ON)
        review = graduation.load_review(s, "A48")
    content = pdf_text(tmp_path / "xet.pdf", first=1, last=1)
    for expected in ("Điểm", "TN1", "TN2", "KL"):
        assert expected in content, expected
    thesis = next(r for r in review.rows if r.outcome.final_modules == ("KL",))
    kl = next(m for m in thesis.modules if m.code == "KL")
    assert kl.counted is not None
    ws = openpyxl.load_workbook(tmp_path / "xet.xlsx").worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert any("Điểm TB học phần" in r and "Điểm thi tốt nghiệp, khóa luận" in r for r in rows)
    heading = next(r for r in rows if "TN1" in r)
    row = next(r for r in rows if r[1] == thesis.learner.family_middle and r[2] == thesis.learner.given_name)
    assert row[heading.index("KL")] == pytest.approx(float(kl.counted))
    assert row[heading.index("TN1")] is None  # judged on the thesis instead of the exams
    everything = " ".join(pdf_text(tmp_path / "xet.pdf").split())
    assert "TN1: Thi tốt nghiệp môn Lý luận chính trị" in everything


def test_the_short_course_review_list_shows_the_essay_score(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        reports.export_review(s, "DVM25.01", tmp_path / "xet.xlsx", on=ON)
        review = graduation.load_review(s, "DVM25.01")
    ws = openpyxl.load_workbook(tmp_path / "xet.xlsx").worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    heading = next(r for r in rows if "Điểm bài thu hoạch" in r)
    essay, band = heading.index("Điểm bài thu hoạch"), heading.index("Xếp loại bài thu hoạch")
    first = review.rows[0]
    line = next(r for r in rows if r[1] == first.learner.family_middle and r[2] == first.learner.given_name)
    assert first.outcome.essay_score is not None
    assert line[essay] == pytest.approx(float(first.outcome.essay_score))
    assert line[band] == first.outcome.essay_band


def test_review_and_decision_workbooks_store_dates_as_dates(demo_db: Database, tmp_path: Path) -> None:
    with demo_db.read() as s:
        reports.export_review(s, "DVM25.01", tmp_path / "xet.xlsx", on=ON)
        reports.export_decision(s, "DVM25.01", tmp_path / "qd.xlsx")
        learners = scores.load_class_scores(s, "DVM25.01").learners
    year_only = {line.birth_year for line in learners if line.birth_date is None}
    assert year_only  # the demo has learners known only by their year of birth
    for name in ("xet.xlsx", "qd.xlsx"):
        ws = openpyxl.load_workbook(tmp_path / name).worksheets[0]
        births = birth_cells(ws, 4)
        assert births and all(isinstance(b, dt.datetime | int) for b in births), name
        assert {b for b in births if isinstance(b, int)} <= year_only
        dated = next(c for row in ws.iter_rows() for c in row if isinstance(c.value, dt.datetime))
        assert dated.number_format == "dd/mm/yyyy"


def test_the_score_workbook_names_its_class_once_and_keeps_dates(demo_db: Database, tmp_path: Path) -> None:
    out = tmp_path / "diem.xlsx"
    with demo_db.read() as s:
        score_workbook.export_score_workbook(s, "DVM25.01", "B1", out)
        learners = scores.load_class_scores(s, "DVM25.01").learners
    ws = openpyxl.load_workbook(out).worksheets[0]
    heading = str(ws.cell(row=2, column=1).value)
    assert heading.startswith("Lớp Bồi dưỡng lý luận chính trị dành cho đảng viên mới DVM25.01 — học phần B1")
    assert "Lớp Lớp" not in heading and "mã lớp" not in heading
    births = [ws.cell(row=r, column=4) for r in range(6, 6 + len(learners))]
    assert all(isinstance(c.value, dt.datetime) and c.number_format == "dd/mm/yyyy" or isinstance(c.value, int)
               for c in births)
    assert any(isinstance(c.value, int) for c in births)
    assert score_workbook.class_heading("Khóa 86", "K86") == "Lớp Khóa 86 (mã lớp K86)"


def test_the_command_line_prints_one_transcript_with_its_date(demo_db: Database, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    with demo_db.read() as s:
        line = scores.load_class_scores(s, "A48").learners[5]
    out = tmp_path / "bd.pdf"
    code = main(["--db", str(demo_db.engine.url), "graduation", "documents", "A48", "--kind", "transcript",
                 "--learner", line.national_id or "", "--date", "2027-01-05", "--out", str(out), "--json"])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["pages"] == 1
    content = pdf_text(out)
    assert line.full_name in content and "Long An, ngày 05 tháng 01 năm 2027" in content
    assert "Trang 1/1" in content


def test_the_command_line_keeps_a_programmes_wording(demo_db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url = str(demo_db.engine.url)
    assert main(["--db", url, "programmes", "wording", "NTVD", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown == {"code": "NTVD", "salutation": "Ông (Bà)", "course_title": "bồi dưỡng nhận thức về Đảng",
                     "course_label": ""}
    assert main(["--db", url, "programmes", "wording", "NTVD", "--salutation", "Đồng chí", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["salutation"] == "Đồng chí"
    assert main(["--db", url, "programmes", "wording", "NTVD", "--course-label", "Khóa {x}"]) == 1
    assert "Khóa học: không có ô '{x}'" in capsys.readouterr().err
