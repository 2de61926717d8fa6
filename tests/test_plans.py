"""The annual plan: plan against actual in the centres' words, carried-over classes apart,
targets edited, training needs entered or imported and summed into a draft.

Every expected figure is worked out by hand from `tests/yearly_data.py`.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.rules.statistics import Figures
from dtbd_desktop.services import plans
from dtbd_desktop.services.plans import PlanTarget
from dtbd_desktop.workbooks.needs import export_needs_workbook, import_needs_workbook
from tests import yearly_data

D = dt.date


@pytest.fixture
def centre(db: Database) -> dict[str, int]:
    return yearly_data.build(db)


def test_plan_against_actual_at_the_end_of_the_year(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        report = plans.plan_vs_actual(s, 2025, as_of=D(2025, 12, 31))
    lines = {line.programme_code: line for line in report.lines}
    assert list(lines) == ["SC", "TC", "DVM"]  # catalogue order; only programmes with a target or a class
    # SC: SC25 (L1–L4: L5 transferred away is not counted, L4 withdrew and is) + SC25B (L9, L10) = 2 classes,
    # 4 + 2 = 6 learners, against 2 / 100: 2/2 = 100,0%, 6/100 = 6,0%.
    assert lines["SC"].opened == Figures(2, 6)
    assert lines["SC"].phrase == "2/2 lớp, 6/100 học viên, đạt 100,0% / 6,0%"
    # TC: nothing opened in 2025; TC24 (3 learners) is carried over from 2024, shown apart.
    assert lines["TC"].carried == Figures(1, 3)
    assert lines["TC"].sentence(2025) == ("Trung cấp lý luận chính trị - hành chính: 0/1 lớp, 0/10 học viên, đạt "
                                          "0,0% / 0,0%; ngoài ra 1 lớp chuyển tiếp từ năm 2024 (3 học viên)")
    assert lines["DVM"].phrase == "1/1 lớp, 3/30 học viên, đạt 100,0% / 10,0%"
    # Total: 3 classes of 4 = 75,0%; 9 learners of 140 = 6,428...% -> 6,4%.
    assert report.total.phrase == "3/4 lớp, 9/140 học viên, đạt 75,0% / 6,4%"
    assert report.summary == ("Năm 2025, thực hiện 3/4 lớp, 9/140 học viên, đạt 75,0% / 6,4% so với kế hoạch; "
                              "ngoài ra 1 lớp chuyển tiếp từ năm 2024 (3 học viên).")
    # Training (SC + TC): 2 of 3 classes = 66,7%; 6 of 110 learners = 5,4545% -> 5,5%. Fostering: DVM alone.
    kinds = {line.kind: line for line in report.subtotals}
    assert kinds["training"].phrase == "2/3 lớp, 6/110 học viên, đạt 66,7% / 5,5%"
    assert kinds["fostering"].phrase == "1/1 lớp, 3/30 học viên, đạt 100,0% / 10,0%"


def test_carried_over_classes_can_count_against_the_plan(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        report = plans.plan_vs_actual(s, 2025, as_of=D(2025, 12, 31), count_carried_over=True)
    # 3 + 1 carried = 4 of 4 classes = 100,0%; 9 + 3 = 12 of 140 learners = 8,571% -> 8,6%.
    assert report.total.phrase == "4/4 lớp, 12/140 học viên, đạt 100,0% / 8,6%"
    tc = next(line for line in report.lines if line.programme_code == "TC")
    assert tc.sentence(2025).endswith("1/1 lớp, 3/10 học viên, đạt 100,0% / 30,0%; trong đó 1 lớp chuyển tiếp "
                                      "từ năm 2024 (3 học viên)")


def test_during_the_year_classes_still_to_start_are_scheduled(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        report = plans.plan_vs_actual(s, 2025, as_of=D(2025, 10, 31))
    # SC25B starts 20/11: not held yet. Held: SC25 (4) + DVM25 (3) = 2 classes, 7 learners:
    # 2/4 = 50,0%; 7/140 = 5,0%.
    assert report.total.phrase == "2/4 lớp, 7/140 học viên, đạt 50,0% / 5,0%"
    assert report.total.scheduled == Figures(1, 2)
    assert report.summary.endswith("; 1 lớp sắp khai giảng (2 học viên).")


def test_a_year_without_a_plan_says_so(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        report = plans.plan_vs_actual(s, 2024, as_of=D(2024, 12, 31))
    # 2024: SC24 (4) and TC24 (3) opened, no plan.
    assert report.total.phrase == "2 lớp, 7 học viên (ngoài kế hoạch)"


def test_editing_targets_refuses_bad_numbers_and_removes_empty_lines(db: Database, centre: dict[str, int]) -> None:
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        plans.save_plan(s, 2025, [PlanTarget("SC", -1, 100), PlanTarget("XX", 1, 1), PlanTarget("DVM", 1, "ba")])
    assert [(p.row, p.field) for p in refused.value.problems] == [(1, "target_classes"), (2, "programme"),
                                                                  (3, "target_learners")]
    with db.write(raw=True) as s:
        changed = plans.save_plan(s, 2025, [PlanTarget("SC", 3, 120, "Thêm 1 lớp ở Cần Giuộc"),
                                            PlanTarget("TC", 0, 0), PlanTarget("DVM", 1, 30)])
    assert changed == 2  # SC changed, TC removed; DVM as it was
    with db.read() as s:
        sheet = {e.programme_code: e for e in plans.plan_sheet(s, 2025)}
        report = plans.plan_vs_actual(s, 2025, as_of=D(2025, 12, 31))
    assert (sheet["SC"].target_classes, sheet["SC"].target_learners, sheet["SC"].note) == (3, 120,
                                                                                           "Thêm 1 lớp ở Cần Giuộc")
    assert not sheet["TC"].has_plan
    # 3 of 4 classes; 9 of 150 learners = 6,0%.
    assert report.total.phrase == "3/4 lớp, 9/150 học viên, đạt 75,0% / 6,0%"


def test_needs_sum_into_a_draft_plan(db: Database, centre: dict[str, int]) -> None:
    with db.write(raw=True) as s:
        plans.save_need(s, year=2026, organisation_id=centre["C1"], programme_code="SC", learners=30)
        plans.save_need(s, year=2026, organisation_id=centre["C2"], programme_code="SC", learners=25)
        plans.save_need(s, year=2026, organisation_id=centre["PA"], programme_code="DVM", learners=40)
    with db.read() as s:
        draft = {d.programme_code: d for d in plans.draft_plan(s, 2026)}
    # SC classes of 2023–2025: SC24 4, SC25 4 (L5 transferred away), SC25B 2 -> (4 + 4 + 2) / 3 = 3,33 -> 3 a
    # class; 30 + 25 = 55 learners from 2 organisations -> ceil(55 / 3) = 19 classes.
    assert (draft["SC"].needs_learners, draft["SC"].needs_organisations, draft["SC"].class_size,
            draft["SC"].suggested_classes) == (55, 2, 3, 19)
    # DVM: DVM25 had 3 -> ceil(40 / 3) = 14.
    assert (draft["DVM"].needs_learners, draft["DVM"].class_size, draft["DVM"].suggested_classes) == (40, 3, 14)
    with db.write(raw=True) as s:
        plans.save_plan(s, 2026, [PlanTarget("DVM", 2, 60)])
        assert plans.apply_draft(s, 2026) == 1  # SC only: DVM already has a target and keeps it
    with db.read() as s:
        sheet = {e.programme_code: (e.target_classes, e.target_learners) for e in plans.plan_sheet(s, 2026)}
    assert sheet["SC"] == (19, 55) and sheet["DVM"] == (2, 60)
    with db.write(raw=True) as s:
        plans.save_need(s, year=2026, organisation_id=centre["PA"], programme_code="DVM", learners=0)  # withdrawn
        plans.save_need(s, year=2026, organisation_id=centre["C1"], programme_code="DVM", learners=9)
        assert plans.apply_draft(s, 2026, overwrite=True) == 1  # DVM now 9 -> ceil(9 / 3) = 3 classes
    with db.read() as s:
        sheet = {e.programme_code: (e.target_classes, e.target_learners) for e in plans.plan_sheet(s, 2026)}
        needs = [(n.organisation, n.programme_code, n.learners) for n in plans.list_needs(s, 2026)]
    assert sheet["DVM"] == (3, 9) and sheet["SC"] == (19, 55)
    assert needs == [("Xã Lương Hòa", "SC", 25), ("Xã Mỹ Yên", "SC", 30), ("Xã Mỹ Yên", "DVM", 9)]


def _row_of(ws: object, name: str) -> int:
    for row in range(5, ws.max_row + 1):  # type: ignore[attr-defined]
        if str(ws.cell(row=row, column=3).value or "").strip() == name:  # type: ignore[attr-defined]
            return row
    raise AssertionError(name)


def _column_of(ws: object, code: str) -> int:
    for column in range(5, ws.max_column + 1):  # type: ignore[attr-defined]
        if ws.cell(row=3, column=column).value == code:  # type: ignore[attr-defined]
            return column
    raise AssertionError(code)


def test_needs_workbook_goes_out_and_comes_back(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "nhu cau 2026.xlsx"
    with db.write(raw=True) as s:
        plans.save_need(s, year=2026, organisation_id=centre["C1"], programme_code="SC", learners=30)
    with db.read() as s:
        assert export_needs_workbook(s, 2026, path) == 6  # the six organisations of the tree
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    sc, dvm = _column_of(ws, "SC"), _column_of(ws, "DVM")
    assert ws.cell(row=_row_of(ws, "Xã Mỹ Yên"), column=sc).value == 30  # what was registered comes pre-filled
    ws.cell(row=_row_of(ws, "Xã Mỹ Yên"), column=sc).value = 35
    ws.cell(row=_row_of(ws, "Xã Lương Hòa"), column=dvm).value = 7
    ws.cell(row=_row_of(ws, "Sở Nội vụ tỉnh Long An"), column=sc).value = "mười"
    wb.save(path)
    with pytest.raises(InputError) as refused, db.write(raw=True) as s:
        import_needs_workbook(s, path)
    [problem] = refused.value.problems
    assert problem.row == _row_of(ws, "Sở Nội vụ tỉnh Long An") and "mười" in problem.message
    with db.read() as s:
        assert [n.learners for n in plans.list_needs(s, 2026)] == [30]  # nothing changed
    ws.cell(row=_row_of(ws, "Sở Nội vụ tỉnh Long An"), column=sc).value = None
    wb.save(path)
    with db.write(raw=True) as s:
        dry = import_needs_workbook(s, path, dry_run=True)
    assert (dry.cells, dry.changed) == (2, 2)
    with db.read() as s:
        assert [n.learners for n in plans.list_needs(s, 2026)] == [30]
    with pytest.raises(InputError, match="năm 2026, không phải năm 2027"), db.write(raw=True) as s:
        import_needs_workbook(s, path, year=2027)
    with db.write(raw=True) as s:
        result = import_needs_workbook(s, path)
    assert (result.year, result.cells, result.changed) == (2026, 2, 2)
    with db.read() as s:
        needs = [(n.organisation, n.programme_code, n.learners) for n in plans.list_needs(s, 2026)]
    assert needs == [("Xã Lương Hòa", "DVM", 7), ("Xã Mỹ Yên", "SC", 35)]


def test_a_workbook_of_another_kind_is_refused(db: Database, centre: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "khac.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "Danh sách"
    wb.save(path)
    with pytest.raises(InputError, match="không phải bảng tính do chương trình xuất ra"), db.write(raw=True) as s:
        import_needs_workbook(s, path)


def test_cli_plan_and_needs(db_url: str, centre_cli: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main = centre_cli
    assert main(["--db", db_url, "plan", "set", "--year", "2025", "--programme", "TC", "--classes", "2",
                 "--learners", "20", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "report", "plan", "--year", "2025", "--as-of", "2025-12-31", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    # TC target now 2 / 20: total 3 of 5 classes = 60,0%; 9 of 150 learners = 6,0%.
    assert doc["total"]["phrase"] == "3/5 lớp, 9/150 học viên, đạt 60,0% / 6,0%"
    assert doc["total"]["carried_over"] == {"classes": 1, "learners": 3}
    assert main(["--db", db_url, "plan", "set", "--year", "2025", "--programme", "TC", "--classes", "-2",
                 "--learners", "20", "--json"]) == 1
    assert json.loads(capsys.readouterr().out)["rejected"][0]["row"] == 1
    out = tmp_path / "needs.xlsx"
    assert main(["--db", db_url, "needs", "export", "--year", "2026", "--out", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["rows"] == 6
    assert main(["--db", db_url, "needs", "import", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["changed"] == 0


@pytest.fixture
def centre_cli(db_url: str) -> object:
    """The `dtbd` entry point with the report commands, on the small centre."""
    from dtbd_desktop.cli.main import main as cli_main
    from dtbd_desktop.db.engine import open_database

    database = open_database(db_url)
    try:
        yearly_data.build(database)
    finally:
        database.dispose()
    return cli_main
