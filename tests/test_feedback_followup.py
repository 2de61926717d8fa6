"""Learner feedback and the follow-up of graduates on the small centre of `tests/yearly_data.py`;
every share worked out by hand."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.services import feedback, followup
from dtbd_desktop.services.feedback import FeedbackForm
from dtbd_desktop.workbooks.feedback import export_feedback_workbook, import_feedback_workbook
from tests import yearly_data


@pytest.fixture
def centre(db: Database) -> dict[str, int]:
    return yearly_data.build(db)


def _forms(db: Database, ids: dict[str, int]) -> None:
    a, b = ids["A"], ids["B"]
    with db.write(raw=True) as s:
        feedback.add_feedback(s, "SC25", [FeedbackForm("I.1", a, 5, 4, 3, 2), FeedbackForm("I.1", a, 4, 4, 4, 4),
                                          FeedbackForm("I.1", a, 1, 5, 5, 3, "Nói hơi nhanh"),
                                          FeedbackForm("I.2", b, 3, 3, 3, 3), FeedbackForm("I.2", b, 2, 2, 2, 2)])
        feedback.add_feedback(s, "DVM25", [FeedbackForm("B1", a, 5, 5, 5, 5)])
        # TC24's module I.1 was taught on 2 December 2024: a form of 2024.
        feedback.add_feedback(s, "TC24", [FeedbackForm("I.1", a, 5, 5, 5, 5)])


def test_satisfaction_per_lecturer_and_programme(db: Database, centre: dict[str, int]) -> None:
    _forms(db, centre)
    with db.read() as s:
        report = feedback.satisfaction(s, year=2025)
    lecturers = {line.label: line for line in report.by_lecturer}
    a, b = lecturers["Nguyễn Văn Giảng"], lecturers["Trần Thị Mời"]
    # A in 2025: (5,4,3,2) -> 2 ratings of 4-5; (4,4,4,4) -> 4; (1,5,5,3) -> 2; (5,5,5,5) -> 4: 12 of 16 = 75%.
    assert (a.forms, a.tally.satisfied(), a.tally.ratings()) == (4, 12, 16)
    assert a.share() == Decimal(75)
    # Per criterion: content 5, 4, 1, 5 -> 3 of 4; method 4, 4, 5, 5 -> 4; manner 3, 4, 5, 5 -> 3;
    # usefulness 2, 4, 3, 5 -> 2.
    assert [a.share(c) for c in ("content", "method", "manner", "usefulness")] == [75, 100, 75, 50]
    # Average: (14 + 16 + 14 + 20) / 16 = 4.
    assert a.average() == 4
    # B: (3,3,3,3), (2,2,2,2): nobody satisfied; average 20 / 8 = 2,5.
    assert (b.forms, b.share(), b.average()) == (2, 0, Decimal("2.5"))
    programmes = {line.key: line for line in report.by_programme}
    # SC: A's three forms (8 of 12) and B's two (0 of 8): 8 of 20 = 40%; DVM: one form, 4 of 4.
    assert (programmes["SC"].forms, programmes["SC"].share()) == (5, 40)
    assert (programmes["DVM"].forms, programmes["DVM"].share()) == (1, 100)
    assert list(programmes) == ["SC", "DVM"]
    # All of 2025: 12 of 24 = 50%.
    assert (report.total.forms, report.total.share()) == (6, 50)
    with db.read() as s:
        earlier = feedback.satisfaction(s, year=2024)
        ever = feedback.satisfaction(s)
        one_class = feedback.satisfaction(s, class_code="SC25")
    assert [(line.label, line.forms) for line in earlier.by_lecturer] == [("Nguyễn Văn Giảng", 1)]
    # Every year: A's 5 forms, 16 of 20 ratings = 80%.
    assert {line.label: line.share() for line in ever.by_lecturer}["Nguyễn Văn Giảng"] == 80
    assert [(line.label, line.forms) for line in one_class.by_lecturer] == [("Nguyễn Văn Giảng", 3),
                                                                            ("Trần Thị Mời", 2)]


def test_a_bad_form_is_refused_whole(db: Database, centre: dict[str, int]) -> None:
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        feedback.add_feedback(s, "SC25", [FeedbackForm("I.1", centre["A"], 5, 5, 5, 5),
                                          FeedbackForm("I.1", centre["A"], 0, 6, "tốt", 4),
                                          FeedbackForm("B1", centre["A"], 5, 5, 5, 5)])
    assert [(p.row, p.field) for p in refused.value.problems] == [
        (2, "content"), (2, "method"), (2, "manner"), (3, "module")]
    with db.read() as s:
        assert feedback.satisfaction(s).total.forms == 0


def test_feedback_workbook_round_trip(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "phieu SC25.xlsx"
    with db.read() as s:
        # The timetable of SC25 has I.1 by A and I.2 by B; the exam session has no lecturer to rate.
        assert export_feedback_workbook(s, "SC25", path) == 2
    wb = openpyxl.load_workbook(path)
    items = [(row[0], row[1], row[3]) for row in wb["Danh mục"].iter_rows(min_row=2, values_only=True)]
    assert items == [(1, "I.1", "Nguyễn Văn Giảng"), (2, "I.2", "Trần Thị Mời")]
    ws = wb.worksheets[0]
    for r, values in enumerate([(1, 5, 4, 3, 2), (1, 4, 4, 4, 4), (2, 3, 3, 3, 3), (9, 5, 5, 5, 5), (2, 6, 5, 5, 5)],
                               start=5):
        ws.cell(row=r, column=2, value=values[0])
        for offset, value in enumerate(values[1:]):
            ws.cell(row=r, column=5 + offset, value=value)
    wb.save(path)
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        import_feedback_workbook(s, "SC25", path)
    assert [(p.row, p.column) for p in refused.value.problems] == [(8, "B")]  # item 9 is not in the list
    ws.cell(row=8, column=2, value=2)
    wb.save(path)
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        import_feedback_workbook(s, "SC25", path)
    assert [(p.row, p.column) for p in refused.value.problems] == [(9, "E")]  # a rating of 6
    ws.cell(row=9, column=5, value=5)
    wb.save(path)
    with db.write(raw=True) as s:
        assert import_feedback_workbook(s, "SC25", path, dry_run=True).forms == 5
    with db.read() as s:
        assert feedback.satisfaction(s).total.forms == 0
    with pytest.raises(InputError, match="phiếu phản hồi lớp SC25, không phải lớp DVM25"), db.write(raw=True) as s:
        import_feedback_workbook(s, "DVM25", path)
    with db.write(raw=True) as s:
        assert import_feedback_workbook(s, "SC25", path).forms == 5
    with db.write(raw=True) as s:  # importing again with "replace" does not double the forms
        import_feedback_workbook(s, "SC25", path, replace=True)
    with db.read() as s:
        report = feedback.satisfaction(s, class_code="SC25")
        targets = feedback.feedback_targets(s, "SC25")
    lecturers = {line.label: line for line in report.by_lecturer}
    # A: (5,4,3,2), (4,4,4,4) -> 6 of 8 = 75%. B: (3,3,3,3), (5,5,5,5), (5,5,5,5) -> 8 of 12 = 66,67%.
    assert (lecturers["Nguyễn Văn Giảng"].forms, lecturers["Nguyễn Văn Giảng"].share()) == (2, 75)
    assert lecturers["Trần Thị Mời"].tally.satisfied() == 8 and lecturers["Trần Thị Mời"].forms == 3
    assert [(t.module_code, t.forms) for t in targets] == [("I.1", 2), ("I.2", 3)]


# ---------------------------------------------------------------------------------- follow-up


def test_who_is_due_and_the_outcome_report(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        due_2026 = followup.followup_due(s, 2026)
        due_2027 = followup.followup_due(s, 2027)
        due_2028 = followup.followup_due(s, 2028)
    # Graduates of the training programmes: SC25's L1, L2, L3 (L4 was not eligible; DVM25 is a short
    # course). SC25 ended 15/04/2025: cohort 2025, due in 2026 (first year) and 2027 (second), not in 2028.
    assert sorted(r.graduate.full_name for r in due_2026) == ["Lê Thị Hoa", "Nguyễn Thị Lan", "Thạch Văn Sang"]
    assert {r.year_after for r in due_2026} == {1} and {r.year_after for r in due_2027} == {2}
    assert due_2028 == []
    eid = {r.graduate.full_name: r.graduate.enrolment_id for r in due_2026}
    with db.write(raw=True) as s:
        followup.record_followup(s, enrolment_id=eid["Nguyễn Thị Lan"], year=2026, annual_rating="HTXSNV",
                                 planned=True)
        followup.record_followup(s, enrolment_id=eid["Thạch Văn Sang"], year=2026,
                                 annual_rating="hoan thanh tot nhiem vu")
        followup.record_followup(s, enrolment_id=eid["Nguyễn Thị Lan"], year=2027, annual_rating="HTTNV",
                                 promoted=True, note="Phó Chủ tịch UBND xã")
    with db.read() as s:
        due_2026 = followup.followup_due(s, 2026)
        lines, total = followup.followup_report(s)
        lines_2026, _total_2026 = followup.followup_report(s, record_year=2026)
    assert sum(r.done for r in due_2026) == 2
    [sc] = lines
    # Cohort 2025 of SC: 3 graduates, 2 followed; latest ratings: Lan HTTNV (2027), Sang HTTNV (2026);
    # planned: Lan (2026); promoted: Lan (2027).
    assert (sc.programme_code, sc.cohort, sc.graduates, sc.followed) == ("SC", 2025, 3, 2)
    assert sc.ratings == (0, 2, 0, 0)
    assert (sc.planned, sc.rotated, sc.promoted, sc.higher_duties) == (1, 0, 1, 0)
    assert (total.graduates, total.followed) == (3, 2)
    # Records of 2026 only: Lan HTXSNV and planned, Sang HTTNV.
    assert lines_2026[0].ratings == (1, 1, 0, 0) and lines_2026[0].promoted == 0


def test_follow_up_records_are_checked(db: Database, centre: dict[str, int]) -> None:
    with pytest.raises(InputError, match="chưa tốt nghiệp"), db.write(raw=True) as s:
        followup.record_followup(s, enrolment_id=centre["E-L4"], year=2026)
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        followup.record_followup(s, enrolment_id=centre["E-L1"], year=2025, annual_rating="giỏi lắm")
    assert [p.field for p in refused.value.problems] == ["year", "annual_rating"]


def test_cli_feedback_and_followup(db_url: str,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    from dtbd_desktop.cli.main import main as cli_main
    from dtbd_desktop.db.engine import open_database

    database = open_database(db_url)
    try:
        ids = yearly_data.build(database)
        _forms(database, ids)
    finally:
        database.dispose()
    main = cli_main
    assert main(["--db", db_url, "report", "feedback", "--year", "2025", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["total"]["forms"] == 6 and doc["total"]["satisfied_percent"] == 50.0
    assert [p["programme"] for p in doc["programmes"]] == ["SC", "DVM"]
    assert main(["--db", db_url, "followup", "record", "SC25", "--learner", "080195000001", "--year", "2026",
                 "--rating", "HTTNV", "--planned", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["annual_rating"] == "Hoàn thành tốt nhiệm vụ"
    assert main(["--db", db_url, "followup", "due", "--year", "2026", "--json"]) == 0
    due = json.loads(capsys.readouterr().out)
    assert [(d["full_name"], bool(d["record"])) for d in due if d["record"]] == [("Nguyễn Thị Lan", True)]
    assert main(["--db", db_url, "report", "followup", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["total"]["planned"] == 1
