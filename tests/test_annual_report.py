"""The annual report as the party committee receives it: PDF (tables, charts, letterhead) and
XLSX (the numbers, formatted for printing), and `dtbd report annual`; the figures are those
worked out by hand in `tests/yearly_data.py`, `test_plans.py` and `test_statistics.py`."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from dtbd_desktop.db.engine import Database
from dtbd_desktop.reports.annual_report import load_annual_report, render_pdf
from dtbd_desktop.reports.annual_report_xlsx import render_xlsx
from dtbd_desktop.services import feedback
from dtbd_desktop.services.feedback import FeedbackForm
from tests import yearly_data
from tests.pdf_tools import poppler

D = dt.date




def pdf_text(path: Path) -> str:
    result = subprocess.run([poppler("pdftotext"), "-layout", "-enc", "UTF-8", str(path), "-"],
                            capture_output=True, text=True, check=True)
    return result.stdout


@pytest.fixture
def centre(db: Database) -> dict[str, int]:
    ids = yearly_data.build(db)
    with db.write(raw=True) as s:
        feedback.add_feedback(s, "SC25", [FeedbackForm("I.1", ids["A"], 5, 4, 3, 2),
                                          FeedbackForm("I.2", ids["B"], 3, 3, 3, 3)])
    return ids


def test_the_report_holds_the_years_figures(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        doc = load_annual_report(s, 2025, as_of=D(2025, 12, 31), on=D(2026, 1, 10))
    assert not doc.partial
    assert doc.plan.total.phrase == "3/4 lớp, 9/140 học viên, đạt 75,0% / 6,4%"
    assert (doc.statistics.learners, doc.previous.learners) == (9, 7)
    assert doc.lecturers.periods == 24
    # Forms of 2025: (5,4,3,2) -> 2 of 4; (3,3,3,3) -> 0: 2 of 8 = 25%.
    assert (doc.satisfaction.total.forms, doc.satisfaction.total.share()) == (2, 25)
    # Follow-up in 2025 of the cohorts 2023 and 2024: the small centre graduated nobody in those years.
    assert doc.followup_total.graduates == 0


def test_pdf_report(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "bao cao 2025.pdf"
    with db.read() as s:
        doc = load_annual_report(s, 2025, as_of=D(2025, 12, 31), on=D(2026, 1, 10))
    pages = render_pdf(doc, path)
    assert pages >= 2
    content = " ".join(pdf_text(path).split())
    for expected in (
        "ĐẢNG CỘNG SẢN VIỆT NAM", "ngày 10 tháng 01 năm 2026",
        "Kết quả công tác đào tạo, bồi dưỡng năm 2025",
        "Năm 2025, thực hiện 3/4 lớp, 9/140 học viên, đạt 75,0% / 6,4% so với kế hoạch; ngoài ra 1 lớp chuyển "
        "tiếp từ năm 2024 (3 học viên).",
        "Sơ cấp lý luận chính trị: 2/2 lớp, 6/100 học viên, đạt 100,0% / 6,0%",
        "I. KẾT QUẢ THỰC HIỆN KẾ HOẠCH", "II. THỐNG KÊ LỚP HỌC VÀ HỌC VIÊN", "III. KẾT QUẢ HỌC TẬP",
        "IV. SO SÁNH VỚI NĂM 2024", "V. GIẢNG DẠY", "VI. Ý KIẾN PHẢN HỒI CỦA HỌC VIÊN",
        "VII. ĐÁNH GIÁ HỌC VIÊN SAU ĐÀO TẠO",
        "Biểu đồ 1. Lượt học viên theo chương trình, năm 2024 và năm 2025",
        "Biểu đồ 2. Kết quả học tập theo xếp loại",
        "2 giảng viên đã giảng 24 tiết (chuyên trách: 15 tiết; thỉnh giảng: 9 tiết)",
        "Giỏi: 1 (14,3%)",  # the pie's legend: 1 of 7 reviewed
    ):
        assert expected in content, expected
    assert "VIII. ĐÁNH GIÁ CHUNG" in content and "IX. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026" in content
    assert "Nơi nhận:" in content and "NGƯỜI LẬP BÁO CÁO" not in content  # the head signs, beside "Nơi nhận"
    assert "Số -BC/" in content.replace("\u00a0", "")  # a draft: the number left blank to write in by hand
    assert "2" in pdf_text(path).split("\f")[1].split()  # pages after the first carry their number
    fonts = subprocess.run([poppler("pdffonts"), str(path)], capture_output=True, text=True, check=True).stdout
    names = [line.split()[0] for line in fonts.splitlines()[2:]]
    assert names and all("LiberationSerif" in name for name in names), names  # charts too: no Helvetica


def test_report_during_the_year_says_up_to_when(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "giua nam.pdf"
    with db.read() as s:
        doc = load_annual_report(s, 2025, as_of=D(2025, 10, 31), on=D(2025, 11, 1))
    render_pdf(doc, path)
    content = " ".join(pdf_text(path).split())
    assert "(Số liệu tính đến ngày 31/10/2025)" in content
    assert "1 lớp sắp khai giảng (2 học viên)" in content


def test_xlsx_report_reopens_with_numbers(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "bao cao 2025.xlsx"
    with db.read() as s:
        doc = load_annual_report(s, 2025, as_of=D(2025, 12, 31), on=D(2026, 1, 10))
    assert render_xlsx(doc, path) == 9
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Kế hoạch", "Thống kê", "Đơn vị", "Kết quả", "So sánh", "Giảng viên", "Phản hồi",
                             "Sau đào tạo", "Đánh giá, phương hướng"]
    ws = wb["Kế hoạch"]
    rows = {row[1]: row for row in ws.iter_rows(values_only=True) if row[1]}
    sc = rows["Sơ cấp lý luận chính trị (SC)"]
    # Target 2 / 100, done 2 / 6: 100% and 6% as numbers formatted as percentages.
    assert sc[2:8] == (2, 2, 1.0, 100, 6, 0.06)
    tc = rows["Trung cấp lý luận chính trị - hành chính (TC)"]
    assert tc[8:10] == (1, 3)  # carried over
    total = rows["Tổng cộng"]
    assert total[2:8] == (4, 3, 0.75, 140, 9, pytest.approx(9 / 140))
    percent_cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, float)]
    assert percent_cells and all(c.number_format == "0.0%" for c in percent_cells)
    assert int(ws.page_setup.paperSize) == 9 and ws.sheet_properties.pageSetUpPr.fitToPage  # A4
    assert ws.print_title_rows is not None
    stats = {row[1]: row for row in wb["Thống kê"].iter_rows(values_only=True) if row[1]}
    assert stats["Nữ"][2:4] == (5, pytest.approx(5 / 9))
    assert stats["Dân tộc thiểu số"][2] == 2
    organisations = [(row[1].value, row[1].alignment.indent, row[2].value, row[3].value)
                     for row in wb["Đơn vị"].iter_rows(min_row=4) if row[1].value]
    # The tree, indented two steps a level: the district rolls up its communes and bodies.
    assert organisations[:3] == [("Tỉnh Long An", 0, 3, 8), ("Huyện Bến Lức", 2, 3, 7), ("Xã Lương Hòa", 4, 2, 2)]
    lecturers = {row[1]: row for row in wb["Giảng viên"].iter_rows(values_only=True) if row[1]}
    assert lecturers["Nguyễn Văn Giảng"][-1] == 15 and lecturers["Tổng cộng"][-1] == 24


def test_cli_annual_report(db_url: str, tmp_path: Path,
                           capsys: pytest.CaptureFixture[str]) -> None:
    from dtbd_desktop.cli.main import main as cli_main
    from dtbd_desktop.db.engine import open_database

    database = open_database(db_url)
    try:
        yearly_data.build(database)
    finally:
        database.dispose()
    main = cli_main
    out = tmp_path / "bc.pdf"
    assert main(["--db", db_url, "report", "annual", "--year", "2025", "--out", str(out), "--as-of", "2025-12-31",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["path"] == str(out.resolve())
    assert (doc["classes"], doc["learners"]) == (3, 9)
    assert (doc["planned_classes"], doc["planned_learners"]) == (4, 140)
    assert (doc["classes_percent"], doc["learners_percent"]) == (75.0, 6.4)
    assert (doc["carried_over_classes"], doc["carried_over_learners"]) == (1, 3)
    assert doc["pages"] >= 2 and out.exists()
    xlsx = tmp_path / "bc.xlsx"
    assert main(["--db", db_url, "report", "annual", "--year", "2025", "--out", str(xlsx), "--as-of", "2025-12-31",
                 "--count-carried-over", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert (doc["classes"], doc["learners"], doc["sheets"]) == (4, 12, 9)
    assert main(["--db", db_url, "report", "annual", "--year", "2025", "--out", str(tmp_path / "bc.docx"),
                 "--json"]) == 2
    capsys.readouterr()
    missing = tmp_path / "khong co" / "bc.pdf"
    assert main(["--db", db_url, "report", "annual", "--year", "2025", "--out", str(missing), "--json"]) == 1
    assert "Không ghi được tệp" in json.loads(capsys.readouterr().out)["error"]
    assert not missing.exists()


def test_a_year_without_anything_still_reports(db: Database, tmp_path: Path) -> None:
    with db.read() as s:
        doc = load_annual_report(s, 2030, as_of=D(2030, 12, 31))
    assert doc.plan.total.phrase == "0 lớp, 0 học viên (ngoài kế hoạch)"
    assert render_pdf(doc, tmp_path / "trong.pdf") >= 1
    assert render_xlsx(doc, tmp_path / "trong.xlsx") == 9


def test_lecturers_periods_workbook_for_payment(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    from dtbd_desktop.reports.lecturer_periods_report import render_lecturer_periods_xlsx
    from dtbd_desktop.services.settings import load_letterhead
    from dtbd_desktop.services.statistics import lecturer_periods

    path = tmp_path / "so tiet 2025.xlsx"
    with db.read() as s:
        report = lecturer_periods(s, 2025, as_of=D(2025, 12, 31))
        assert render_lecturer_periods_xlsx(report, load_letterhead(s), path, on=D(2026, 1, 5)) == 2
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Tổng hợp", "Chi tiết"]
    rows = [row for row in wb["Tổng hợp"].iter_rows(values_only=True) if row[1]]
    labels = [row[1] for row in rows]
    # Full-time group (A: 3 sessions, 15 lesson periods), its subtotal, guests (B: 2 sessions, 5 + 4 field
    # trip = 9), theirs, then the total 24.
    start = labels.index("Giảng viên chuyên trách")
    assert [row[1] for row in rows[start:]] == ["Giảng viên chuyên trách", "Nguyễn Văn Giảng", "Cộng",
                                                "Giảng viên thỉnh giảng", "Trần Thị Mời", "Cộng", "TỔNG CỘNG"]
    assert rows[start + 1][4:9] == (3, 15, 0, 0, 15)
    assert rows[start + 4][4:9] == (2, 5, 4, 0, 9)
    assert rows[-1][4:9] == (5, 20, 4, 0, 24)
    detail = [row[1:] for row in wb["Chi tiết"].iter_rows(min_row=4, values_only=True) if row[1]]
    assert detail == [("Nguyễn Văn Giảng", "Chuyên trách", "DVM25", "DVM", 1, 5, 0, 0, 5),
                      ("Nguyễn Văn Giảng", "Chuyên trách", "SC25", "SC", 2, 10, 0, 0, 10),
                      ("Trần Thị Mời", "Thỉnh giảng", "SC25", "SC", 1, 0, 4, 0, 4),
                      ("Trần Thị Mời", "Thỉnh giảng", "TC24", "TC", 1, 5, 0, 0, 5)]


def test_the_benchmark_runs_on_a_tiny_ten_year_dataset(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks/bench_annual_report.py stays runnable (on a ten-year dataset at 2% scale)."""
    import sys

    bench_dir = Path(__file__).resolve().parent.parent / "benchmarks"
    monkeypatch.syspath_prepend(str(bench_dir))
    import bench_annual_report
    import generate

    dataset = tmp_path / "tiny.sqlite3"
    generate.generate(dataset, 0.02, progress=False)
    monkeypatch.setattr(sys, "argv", ["bench", "--dataset", str(dataset), "--runs", "1"])
    assert bench_annual_report.main() == 0
    out = capsys.readouterr().out
    assert "annual report: load + PDF" in out and "dashboard as of 2025-11-23" in out
    assert "Năm 2025, thực hiện" in out
