"""Hostile and damaged files (issue 13, "Hostile files").

Text that arrives looking like a formula leaves every exported workbook as text; a learner list
that would cost a trusting reader minutes and gigabytes (a merge over the whole sheet, a cell at
XFD1048576, a million rows, a 50 MB string) is answered in milliseconds; a damaged file, an XML
entity or a LibreOffice file is explained, never "unexpected error". The hostile workbooks are
built by `tests.hostile_workbooks` from a real district list.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select, update

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Enrolment, GraduationResult, Learner, Organisation
from dtbd_desktop.services import classes, settings
from dtbd_desktop.workbooks import attendance as attendance_book
from dtbd_desktop.workbooks import xlsx as xl
from dtbd_desktop.workbooks.feedback import FORMULA_ROWS as FEEDBACK_ROWS
from dtbd_desktop.workbooks.files import MAX_CELL_CHARS
from dtbd_desktop.workbooks.roster import RosterFileError, read_roster, save_annotated_copy
from dtbd_desktop.workbooks.scores import read_score_workbook
from tests import hostile_workbooks as hw
from tests.test_roster_import import counts, district_book, open_class

PACKAGE = Path(__file__).resolve().parent.parent / "dtbd_desktop"
HOSTILE = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)"]
OWN_LOOKUP = re.compile(r'=IF\(B(\d+)="","",IFERROR\(VLOOKUP\(B\1,\'Danh mục\'!\$A:\$D,[34],FALSE\),"\?"\)\)')


def run(*args: str) -> tuple[int, Any, str]:
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([*args, "--json"])
    return code, json.loads(out.getvalue()) if out.getvalue().strip() else None, err.getvalue()


def cells_of(path: Path) -> list[Any]:
    """Every filled cell of every sheet of a saved workbook, reopened as Excel would."""
    wb = openpyxl.load_workbook(path)
    return [cell for ws in wb.worksheets for row in ws.iter_rows() for cell in row if cell.value is not None]


# --------------------------------------------------------------------------------------------
# Exports write text as text


def hostile_list(path: Path) -> Path:
    """A list whose four learners have formula-like text in position, organisation, place of
    birth and ethnicity, stored as text cells (as Excel stores what a person typed after ')."""
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Nơi sinh", "Số CCCD", "Chức vụ",
                "Đơn vị công tác"])
    names = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Minh Châu", "Phạm Ngọc Dũng"]
    for k, (name, value) in enumerate(zip(names, HOSTILE, strict=True), start=1):
        ws.append([k, name, f"0{k}/03/198{k}", "Nữ" if "Thị" in name else "Nam", None, None, f"08008{k}000123", None,
                   None])
        for column in (5, 6, 8, 9):
            cell = ws.cell(row=k + 1, column=column, value=value)
            cell.data_type = "s"  # text, not a formula
    wb.save(path)
    assert all(c.data_type == "s" for c in cells_of(path) if isinstance(c.value, str))
    return path


def test_text_that_looks_like_a_formula_leaves_every_export_as_text(sqlite_db: Database, sqlite_url: str,
                                                                    tmp_path: Path) -> None:
    db = ["--db", sqlite_url]
    assert run(*db, "class", "create", "--code", "HF1", "--programme", "DVM", "--start", "2025-03-03",
               "--end", "2025-03-14")[0] == 0
    source = hostile_list(tmp_path / "ds.xlsx")
    code, doc, err = run(*db, "roster", "import", "HF1", str(source), "--annotated", str(tmp_path / "ds_loi.xlsx"))
    assert code == 0 and doc["imported"] == 4, err
    with sqlite_db.read() as s:
        stored = {(p.position, p.place_of_birth, p.ethnicity) for p in s.scalars(select(Learner))}
        organisations = set(s.scalars(select(Organisation.name)))
    # kept as typed (the ethnicity is capitalised as names are: "@sum(a1)")
    assert {(p, b) for p, b, _e in stored} == {(v, v) for v in HOSTILE}
    assert {e for _p, _b, e in stored} == {'=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@sum(a1)"}
    assert set(HOSTILE) <= organisations

    assert run(*db, "timetable", "generate", "HF1")[0] == 0
    with sqlite_db.write(raw=True) as s:
        settings.set_settings(s, centre_name="TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", superior_body="TỈNH ỦY LONG AN",
                              place_name="Long An", director_title="HIỆU TRƯỞNG", director_name="Lê Văn Phước")
    assert run(*db, "graduation", "review", "HF1")[0] == 0
    module = run(*db, "programmes", "list")[1]
    module_code = next(p for p in module if p["code"] == "DVM")["modules"][0]["code"]
    outputs: dict[str, list[str]] = {
        "roster.xlsx": ["roster", "export", "HF1", "--out"],
        "attendance.xlsx": ["attendance", "export", "HF1", "--out"],
        "attendance_report.xlsx": ["attendance", "report", "HF1", "--out"],
        "review.xlsx": ["graduation", "documents", "HF1", "--kind", "review", "--out"],
        "scores.xlsx": ["graduation", "documents", "HF1", "--kind", "scores", "--out"],
        "transcripts.xlsx": ["graduation", "documents", "HF1", "--kind", "transcript", "--out"],
        "score_sheet.xlsx": ["grades", "sheet", "HF1", "--module", module_code, "--out"],
        "needs.xlsx": ["needs", "export", "--year", "2025", "--out"],
        "feedback.xlsx": ["feedback", "export", "HF1", "--out"],
    }
    with sqlite_db.write(raw=True) as s:  # everyone passed: the decision list and the register have lines
        cls = classes.get_class(s, "HF1")
        s.execute(update(GraduationResult).where(GraduationResult.enrolment_id.in_(
            select(Enrolment.id).where(Enrolment.class_id == cls.id))).values(
                eligible=True, classification="Đạt", reasons=[]))
    outputs["decision.xlsx"] = ["graduation", "documents", "HF1", "--kind", "decision", "--decision-number",
                                "12-QĐ/TCT", "--decision-date", "2025-03-18", "--out"]
    for name, args in outputs.items():
        code, _doc, err = run(*db, *args, str(tmp_path / name))
        assert code == 0, (name, err)
    assert run(*db, "certificates", "enrol-key", "--label", "Máy thử")[0] == 0
    code, issued, err = run(*db, "certificates", "issue", "HF1", "--date", "2025-03-20")
    assert code == 0 and len(issued) == 4, err
    for name, args in {"register.xlsx": ["certificates", "register", "--year", "2025", "--out"],
                       "annual.xlsx": ["report", "annual", "--year", "2025", "--out"]}.items():
        code, _doc, err = run(*db, *args, str(tmp_path / name))
        assert code == 0, (name, err)
        outputs[name] = args

    texts: dict[str, set[str]] = {}
    for name in [*outputs, "ds_loi.xlsx"]:
        cells = cells_of(tmp_path / name)
        formulas = [c.value for c in cells if c.data_type == "f"]
        if name == "feedback.xlsx":  # the program's own look-ups of the module and lecturer stay formulas
            assert len(formulas) == 2 * FEEDBACK_ROWS and all(OWN_LOOKUP.fullmatch(f) for f in formulas)
        else:
            assert formulas == [], name
        texts[name] = {c.value for c in cells if isinstance(c.value, str) and c.data_type == "s"}
    # where an export shows the fields, it shows them exactly as they were typed (and stored)
    assert set(HOSTILE) <= texts["ds_loi.xlsx"]
    assert {f"{v}, {v}" for v in HOSTILE} | {"@sum(a1)"} <= texts["roster.xlsx"]  # position, organisation; ethnicity
    assert set(HOSTILE) | {"@sum(a1)"} <= texts["register.xlsx"]  # place of birth, ethnicity
    for name in ("attendance.xlsx", "attendance_report.xlsx", "review.xlsx", "decision.xlsx", "needs.xlsx",
                 "annual.xlsx"):
        assert set(HOSTILE) <= texts[name], name  # organisations


def test_save_workbook_keeps_the_programs_own_formulas_and_quotes_formula_like_text(tmp_path: Path) -> None:
    wb, ws = xl.new_workbook("Thử")
    typed = ["=1+1", " =1+1", "\t=1+1", "\r=1+1", "+1", "-1", "@A1", "=", "- Chuyên viên", "Chuyên viên"]
    for row, value in enumerate(typed, start=1):
        ws.cell(row=row, column=1, value=value)
    xl.formula(ws, 1, 2, "=SUM(C1:C3)")
    ws.cell(row=2, column=2, value=xl.formula(ws, 2, 2, "=SUM(C1:C3)").value)  # the same text again: still ours
    ws.cell(row=3, column=2, value="=SUM(C1:C3)")  # not registered: text
    with pytest.raises(ValueError, match="starts with '='"):
        xl.formula(ws, 4, 2, "SUM(C1:C3)")
    xl.save_workbook(wb, tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx")["Thử"]
    # (XML reads a carriage return back as a line feed: openpyxl's and Excel's files alike)
    assert [back.cell(row=r, column=1).value for r in range(1, len(typed) + 1)] == [t.replace("\r", "\n") for t in typed]
    assert [back.cell(row=r, column=1).data_type for r in range(1, len(typed) + 1)] == ["s"] * len(typed)
    quoted = [bool(back.cell(row=r, column=1).quotePrefix) for r in range(1, len(typed) + 1)]
    assert quoted == [True, True, True, True, True, True, True, True, True, False]
    assert [(back.cell(row=r, column=2).data_type, back.cell(row=r, column=2).value) for r in (1, 2, 3)] == [
        ("f", "=SUM(C1:C3)"), ("f", "=SUM(C1:C3)"), ("s", "=SUM(C1:C3)")]


def test_every_xlsx_writer_saves_through_save_workbook() -> None:
    """`wb.save(path)` anywhere else would write "=..." text as a live formula."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if "gui" in path.relative_to(PACKAGE).parts or path.relative_to(PACKAGE).as_posix() == "workbooks/xlsx.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "save"
                    and node.args):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


# --------------------------------------------------------------------------------------------
# Formulas in the list


def test_formula_cells_give_the_value_excel_computed_and_uncomputed_ones_are_refused(tmp_path: Path) -> None:
    base = district_book(tmp_path / "base.xlsx")
    # Excel saved the value "Chuyên viên" with the formula: the import takes the value
    computed = hw.rewrite(base, tmp_path / "tinh.xlsx", {hw.SHEET: hw.replace_cell(
        "H9", b'<c r="H9" t="str"><f>HYPERLINK("http://x","Chuy\xc3\xaan vi\xc3\xaan")</f><v>Chuy\xc3\xaan vi\xc3\xaan'
              b"</v></c>")})
    table = read_roster(computed)
    assert table.value(table.rows[0], "position_organisation") == "Chuyên viên"
    # a program wrote the formula without its value: refused, the cell named
    uncomputed = hw.rewrite(base, tmp_path / "chua_tinh.xlsx", {hw.SHEET: hw.replace_cell(
        "H10", b'<c r="H10"><f>UPPER(B10)</f></c>')})
    with pytest.raises(RosterFileError) as refused:
        read_roster(uncomputed)
    assert "chua_tinh.xlsx có 1 ô công thức chưa được tính" in refused.value.message
    assert [(p.row, p.column) for p in refused.value.problems] == [(10, "H (Chức vụ, đơn vị công tác)")]


# --------------------------------------------------------------------------------------------
# Reading costs what the file holds


def _district(tmp_path: Path) -> Path:
    return district_book(tmp_path / "ben_luc.xlsx")


BOUNDED: dict[str, tuple[Callable[[Path, Path], Path], str | None, int]] = {
    # name: (builder, words of the refusal or None when the list imports, peak traced MB allowed)
    "one merge over the whole sheet": (lambda s, t: hw.merge_bomb(s, t, 1), "Không tìm thấy bảng danh sách", 20),
    "twenty merges over the whole sheet": (lambda s, t: hw.merge_bomb(s, t, 20), "các vùng gộp ô chồng lên nhau", 20),
    "a cell at XFD1048576": (hw.far_cell, None, 20),
    "300,000 filled rows": (lambda s, t: hw.many_rows(s, t, 20, 300_000, lambda r: hw.inline(f"B{r}", "Nguyen Van A")),
                            "có hơn 10.000 dòng; danh sách học viên không thể lớn như vậy", 60),
    "300,000 rows of spaces": (lambda s, t: hw.many_rows(s, t, 20, 300_000, lambda r: hw.inline(f"B{r}", "   ")),
                               None, 20),
    "a 50 MB string": (lambda s, t: hw.long_string(s, t, "H9", 50_000_000), "chứa 50.000.000 ký tự", 160),
    "half a million cell formats": (hw.styles_bomb, "tệp bị hỏng (500.003 kiểu định dạng ô, nhiều hơn Excel cho phép)", 20),
    "a thousand sheets": (lambda s, t: hw.many_sheets(s, t, 1000), "có 1001 trang tính, quá nhiều", 20),
}


@pytest.mark.parametrize("case", list(BOUNDED))
def test_a_hostile_list_is_answered_in_milliseconds(tmp_path: Path, case: str) -> None:
    build, words, megabytes = BOUNDED[case]
    path = build(_district(tmp_path), tmp_path / "hostile.xlsx")
    assert path.stat().st_size < 2_000_000

    def outcome() -> str:
        try:
            return f"{len(read_roster(path).rows)} rows"
        except RosterFileError as exc:
            return exc.message

    started = time.perf_counter()
    answer = outcome()
    elapsed = time.perf_counter() - started
    assert elapsed < 2.0, (case, elapsed)  # a trusting reader: 60 s for one merge, 22 s for the string
    tracemalloc.start()  # (slows Python down several times: timed above, measured here)
    try:
        assert outcome() == answer
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    assert peak < megabytes, (case, peak)  # a trusting reader: 6.7 GB for one merge, 870 MB for the string
    if words is None:
        assert answer == "4 rows"
    else:
        assert "hostile.xlsx" in answer and words in answer, answer


def test_a_long_text_is_refused_with_its_cell(tmp_path: Path) -> None:
    path = hw.long_string(_district(tmp_path), tmp_path / "dai.xlsx", "H10", MAX_CELL_CHARS + 1)
    with pytest.raises(RosterFileError) as refused:
        read_roster(path)
    assert [(p.row, p.column) for p in refused.value.problems] == [(10, "H")]
    assert refused.value.message.startswith("Ô H10 (trang 'Danh sách') của tệp dai.xlsx chứa 2.001 ký tự, quá 2.000")
    hw.long_string(_district(tmp_path), tmp_path / "vua.xlsx", "H10", MAX_CELL_CHARS)
    assert len(read_roster(tmp_path / "vua.xlsx").rows) == 4  # as long as allowed: read (cleaning then judges it)


# --------------------------------------------------------------------------------------------
# Damaged files are explained


DAMAGED = "tệp bị hỏng"
CASES: dict[str, tuple[Callable[[Path, Path], Path], str]] = {
    "malformed XML": (hw.bad_xml, f"{DAMAGED} (nội dung XML hỏng)"),
    "an external entity": (lambda s, t: hw.external_entity(s, t, "H9"), f"{DAMAGED} (có khai báo thực thể XML"),
    "billion laughs": (lambda s, t: hw.billion_laughs(s, t, "H9"), f"{DAMAGED} (có khai báo thực thể XML"),
    "a bad cell reference": (lambda s, t: hw.bad_reference(s, t, "H9"), f"{DAMAGED} (địa chỉ ô sai)"),
    "a shared string out of range": (lambda s, t: hw.string_out_of_range(s, t, "H9"),
                                     f"{DAMAGED} (ô tham chiếu tới nội dung không có trong tệp)"),
    "a merge that is no range": (lambda s, t: hw.rewrite(s, t, {hw.SHEET: hw.set_merges(["A1:ZZZZ9"])}),
                                 f"{DAMAGED} (vùng gộp ô 'A1:ZZZZ9' sai)"),
    "a zip that is no workbook": (lambda s, t: hw.not_a_workbook(t), "không phải tệp Excel .xlsx hợp lệ"),
    "a truncated zip": (hw.truncated, f"{DAMAGED} (tệp nén bị cắt cụt hoặc hỏng)"),
    "a LibreOffice file": (lambda s, t: hw.ods(t.with_suffix(".ods")),
                           "là tệp LibreOffice (.ods); mở bằng LibreOffice và lưu thành Excel (.xlsx)"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_damaged_file_is_explained_by_the_core(tmp_path: Path, case: str) -> None:
    build, words = CASES[case]
    path = build(_district(tmp_path), tmp_path / "hong.xlsx")
    with pytest.raises(RosterFileError) as refused:
        read_roster(path)
    assert path.name in refused.value.message and words in refused.value.message
    assert "root:" not in refused.value.message  # nothing of /etc/passwd


@pytest.mark.parametrize("case", [*CASES, *(c for c, v in BOUNDED.items() if v[1])])
def test_a_damaged_or_hostile_file_is_refused_by_the_command_line(capsys: pytest.CaptureFixture[str],
                                                                  sqlite_db: Database, sqlite_url: str,
                                                                  tmp_path: Path, case: str) -> None:
    build, words = CASES[case] if case in CASES else BOUNDED[case][:2]
    assert words is not None
    open_class(sqlite_db)
    path = build(_district(tmp_path), tmp_path / "hong.xlsx")
    code = main(["--db", sqlite_url, "roster", "import", "SC26", str(path), "--json"])
    out, err = capsys.readouterr()
    doc = json.loads(out)
    assert code == 1
    assert doc["imported"] == 0 and path.name in doc["error"] and words in doc["error"]
    assert doc["rejected"][0]["message"]
    assert "Lỗi không mong đợi" not in out + err and "Traceback" not in out + err
    assert counts(sqlite_db) == (0, 0, 0)


def test_an_excel_binary_workbook_is_named(tmp_path: Path) -> None:
    path = tmp_path / "ds.xlsb"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.bin", b"\0\1")
    with pytest.raises(RosterFileError, match=r"ds.xlsb là bảng tính Excel dạng nhị phân \(.xlsb\)"):
        read_roster(path)


def test_a_workbook_named_otherwise_is_read_by_its_content(tmp_path: Path) -> None:
    path = _district(tmp_path).rename(tmp_path / "ds_ben_luc.xls")  # an .xlsx saved under an .xls name
    assert len(read_roster(path).rows) == 4


def test_openpyxl_parses_through_defusedxml() -> None:
    assert openpyxl.DEFUSEDXML is True


# --------------------------------------------------------------------------------------------
# The other workbook readers go through the same door


@pytest.mark.parametrize("case", ["merge", "far cell", "bad XML", "laughs", "50 MB string"])
def test_the_other_workbook_readers_refuse_hostile_files(sqlite_db: Database, tmp_path: Path, case: str) -> None:
    base = _district(tmp_path)
    build = {"merge": lambda: hw.merge_bomb(base, tmp_path / "h.xlsx", 1),
             "far cell": lambda: hw.far_cell(base, tmp_path / "h.xlsx"),
             "bad XML": lambda: hw.bad_xml(base, tmp_path / "h.xlsx"),
             "laughs": lambda: hw.billion_laughs(base, tmp_path / "h.xlsx", "H9"),
             "50 MB string": lambda: hw.long_string(base, tmp_path / "h.xlsx", "H9", 50_000_000)}
    path = build[case]()
    words = {"merge": "có vùng gộp ô A1:XFD1048576 quá lớn", "far cell": "có hơn 20.000 dòng hoặc 2.000 cột",
             "bad XML": "tệp bị hỏng", "laughs": "tệp bị hỏng", "50 MB string": "chứa 50.000.000 ký tự"}[case]
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="SC26", programme="SC", start=dt.date(2026, 4, 6), end=dt.date(2026, 5, 8))
    readers: dict[str, Callable[[], Any]] = {
        "attendance": lambda: _attendance_import(sqlite_db, path),
        "scores": lambda: read_score_workbook(path, "SC26"),
        "annotated copy": lambda: save_annotated_copy(path, [], tmp_path / "copy.xlsx"),
    }
    for reader, call in readers.items():
        started = time.perf_counter()
        with pytest.raises(InputError) as refused:
            call()
        assert time.perf_counter() - started < 2.0, reader
        assert "h.xlsx" in refused.value.message and words in refused.value.message, (reader, refused.value.message)


def _attendance_import(db: Database, path: Path) -> None:
    with db.write(raw=True) as s:
        attendance_book.import_workbook(s, "SC26", path)
