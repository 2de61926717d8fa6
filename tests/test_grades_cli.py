"""`dtbd grades`, `dtbd conduct`, `dtbd graduation` keep shared/CLI.md: names, JSON keys, exit codes
(0 done, 1 refused with the reason and nothing changed, 2 wrong usage)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Enrolment, Learner, Score
from tests.test_scores import NID, build_class, put


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, object, str]:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, json.loads(out), err  # exactly one JSON document on stdout


@pytest.fixture
def cls_db(db: Database) -> Database:
    with db.write(raw=True) as s:
        build_class(s)
    return db


def score_count(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Score.id))) or 0)


@pytest.mark.parametrize("typed", ["8.5", "8,5"])
def test_grades_set(capsys: pytest.CaptureFixture[str], cls_db: Database, typed: str) -> None:
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "set", "T01", "--learner", NID["An"], "--module", "A",
                          "--score", typed)
    assert (code, doc) == (0, {"ok": True})
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "show", "T01", "--module", "A")
    assert doc[0] == {"national_id": NID["An"], "full_name": "Nguyễn Văn An",  # type: ignore[index]
                      "scores": [{"attempt": 1, "component": "", "value": 8.5}], "counted": 8.5, "status": "passed"}


@pytest.mark.parametrize(
    ("args", "expected", "words"),
    [
        (["--score", "11"], 1, "Điểm phải từ 0 đến 10 (đang là 11)"),
        (["--score", "abc"], 1, "Không đọc được điểm 'abc': nhập số từ 0 đến 10, ví dụ 8,5"),
        (["--score", "8,25"], 1, "Điểm chỉ có một chữ số thập phân"),
        (["--score", ""], 1, "Chưa nhập điểm"),
        (["--score", "8", "--component", "TX"], 1, "không có điểm thành phần 'TX'"),
        (["--score", "8", "--attempt", "2"], 1, "Chưa có điểm lần 1 nên chưa nhập được lần 2"),
        (["--score", "8", "--attempt", "x"], 2, "Lần thi 'x'"),
        (["--score", "8", "--attempt", "0"], 2, "Lần thi '0'"),
        (["--score", "8", "--retake", "--attempt", "2"], 2, "--attempt"),
        ([], 2, "--score"),
    ],
)
def test_grades_set_refused(capsys: pytest.CaptureFixture[str], cls_db: Database, args: list[str], expected: int,
                            words: str) -> None:
    code, doc, err = run(capsys, "--db", cls_db.url, "grades", "set", "T01", "--learner", NID["An"], "--module", "A",
                         *args)
    assert code == expected
    assert isinstance(doc, dict) and "error" in doc
    assert words in doc["error"] + err
    assert score_count(cls_db) == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["Z9", "--learner", "080190000001", "--module", "A"], "Không có lớp mã 'Z9'"),
        (["T01", "--learner", "080190000099", "--module", "A"], "Không có học viên số CCCD 080190000099"),
        (["T01", "--learner", "080190000001", "--module", "Q"], "không có học phần mã 'Q'"),
    ],
)
def test_grades_set_unknown_things(capsys: pytest.CaptureFixture[str], cls_db: Database, args: list[str],
                                   words: str) -> None:
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "set", *args, "--score", "8")
    assert code == 1 and words in doc["error"]  # type: ignore[index]


def test_finalised_module_from_the_command_line(capsys: pytest.CaptureFixture[str], cls_db: Database) -> None:
    base = ["--db", cls_db.url, "grades", "set", "T01", "--learner", NID["An"], "--module", "A"]
    assert run(capsys, *base, "--score", "6")[0] == 0
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "finalise", "T01", "--module", "A")
    assert code == 0 and doc["finalised"] is True and "Trần Thị Bình" in doc["missing"]  # type: ignore[index]
    code, doc, _err = run(capsys, *base, "--score", "7")
    assert code == 1 and "đã được chốt" in doc["error"]  # type: ignore[index]
    code, doc, _err = run(capsys, *base, "--score", "7", "--allow-locked")
    assert code == 1 and "phải ghi lý do" in doc["error"]  # type: ignore[index]
    assert run(capsys, *base, "--score", "7", "--allow-locked", "--reason", "phúc khảo")[:2] == (0, {"ok": True})


def test_retakes_from_the_command_line(capsys: pytest.CaptureFixture[str], cls_db: Database) -> None:
    base = ["--db", cls_db.url, "grades", "set", "T01", "--learner", NID["Bình"], "--module", "B"]
    assert run(capsys, *base, "--score", "3,5")[0] == 0
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "retakes", "T01")
    assert doc == [{"module": "B", "national_id": NID["Bình"], "full_name": "Trần Thị Bình", "attempts": [3.5],
                    "counted": 3.5, "next_attempt": 2}]
    assert run(capsys, *base, "--score", "6", "--retake")[0] == 0
    assert run(capsys, "--db", cls_db.url, "grades", "retakes", "T01")[1] == []


def test_conduct_set(capsys: pytest.CaptureFixture[str], cls_db: Database) -> None:
    base = ["--db", cls_db.url, "conduct", "set", "T01", "--learner", NID["An"]]
    assert run(capsys, *base, "--confirmation", "unfavourable", "--discipline", "reprimand")[:2] == (0, {"ok": True})
    with cls_db.read() as s:
        e = s.scalar(select(Enrolment).join(Learner).where(Learner.national_id == NID["An"]))
        assert e is not None and (e.confirmation, e.discipline) == ("unfavourable", "reprimand")
    for args in ([], ["--confirmation", "yes"], ["--discipline", "fired"]):
        code, doc, _err = run(capsys, *base, *args)
        assert code == 2 and "error" in doc  # type: ignore[operator]
    code, doc, _err = run(capsys, "--db", cls_db.url, "conduct", "set", "T01", "--learner", "080190000099",
                          "--confirmation", "received")
    assert code == 1 and "080190000099" in doc["error"]  # type: ignore[index]


def test_graduation_review_json(capsys: pytest.CaptureFixture[str], cls_db: Database) -> None:
    with cls_db.write(raw=True) as s:
        for module, value in (("A", "8.0"), ("B", "9.0"), ("C", "9.5"), ("TN1", "7.0"), ("TN2", "7.5")):
            put(s, "T01", "An", module, value)
    code, doc, _err = run(capsys, "--db", cls_db.url, "graduation", "review", "T01")
    assert code == 0 and isinstance(doc, list) and len(doc) == 8
    assert all(set(row) == {"national_id", "full_name", "average", "classification", "eligible", "reasons"}
               for row in doc)
    an = next(row for row in doc if row["national_id"] == NID["An"])
    assert an == {"national_id": NID["An"], "full_name": "Nguyễn Văn An", "average": 8.58, "classification": "Giỏi",
                  "eligible": True, "reasons": []}
    giang = next(row for row in doc if row["national_id"] == NID["Giang"])
    assert giang["average"] is None and giang["eligible"] is False
    assert giang["reasons"] == ["Chưa có điểm học phần nào"]
    code, doc, _err = run(capsys, "--db", cls_db.url, "graduation", "review", "NOPE")
    assert code == 1 and "Không có lớp mã 'NOPE'" in doc["error"]  # type: ignore[index]


def test_graduation_documents_and_decision(capsys: pytest.CaptureFixture[str], cls_db: Database,
                                           tmp_path: Path) -> None:
    with cls_db.write(raw=True) as s:
        for module, value in (("A", "8.0"), ("B", "9.0"), ("C", "9.5"), ("TN1", "7.0"), ("TN2", "7.5")):
            put(s, "T01", "An", module, value)
    url = cls_db.url
    out = tmp_path / "xet.pdf"
    code, doc, _err = run(capsys, "--db", url, "graduation", "documents", "T01", "--kind", "review", "--out", str(out))
    assert code == 0 and doc["path"] == str(out) and doc["pages"] >= 1 and out.exists()  # type: ignore[index]
    code, doc, _err = run(capsys, "--db", url, "graduation", "documents", "T01", "--kind", "decision", "--out",
                          str(tmp_path / "qd.pdf"))
    assert code == 1 and "graduation review T01" in doc["error"]  # type: ignore[index]
    assert run(capsys, "--db", url, "graduation", "review", "T01")[0] == 0
    code, doc, _err = run(capsys, "--db", url, "graduation", "documents", "T01", "--kind", "decision", "--out",
                          str(tmp_path / "qd.xlsx"), "--decision-number", "12/QĐ-TCT", "--decision-date",
                          "2025-07-10")
    assert (code, doc) == (0, {"path": str(tmp_path / "qd.xlsx"), "rows": 1})
    ws = openpyxl.load_workbook(tmp_path / "qd.xlsx").worksheets[0]
    assert any(str(c.value).startswith("(Kèm theo Quyết định số 12/QĐ-TCT ngày 10 tháng 7 năm 2025")
               for c in ws["A"])
    code, doc, _err = run(capsys, "--db", url, "graduation", "decision", "T01", "--number", "13/QĐ-TCT", "--date",
                          "2025-07-11")
    assert doc == {"class": "T01", "decision_number": "13/QĐ-TCT", "decision_date": "2025-07-11", "learners": 1}
    code, doc, _err = run(capsys, "--db", url, "graduation", "documents", "T01", "--kind", "transcript",
                          "--learner", NID["An"], "--out", str(tmp_path / "bd.pdf"))
    assert (code, doc) == (0, {"path": str(tmp_path / "bd.pdf"), "pages": 1})
    for args, expected in (
        (["--kind", "scores", "--out", str(tmp_path / "x.docx")], 1),
        (["--kind", "nope", "--out", str(tmp_path / "x.pdf")], 2),
        (["--kind", "review", "--out", str(tmp_path / "x.pdf"), "--decision-number", "1"], 2),
        (["--kind", "review", "--out", str(tmp_path / "x.pdf"), "--learner", NID["An"]], 2),
        (["--kind", "review", "--out", str(tmp_path / "no" / "dir" / "x.pdf")], 1),
    ):
        code, doc, _err = run(capsys, "--db", url, "graduation", "documents", "T01", *args)
        assert code == expected, args
        assert "error" in doc  # type: ignore[operator]


def test_score_sheet_export_and_import(capsys: pytest.CaptureFixture[str], cls_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "diem-C.xlsx"
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "sheet", "T01", "--module", "C", "--out", str(path))
    assert (code, doc) == (0, {"path": str(path), "rows": 8})
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    ws["E6"] = "7,5"
    ws["E7"] = "12"
    wb.save(path)
    code, doc, err = run(capsys, "--db", cls_db.url, "grades", "import", "T01", str(path))
    assert code == 1
    assert doc["rejected"] == [{"row": 7, "column": "E", "message": "Điểm phải từ 0 đến 10 (đang là 12)"}]  # type: ignore[index]
    assert "dòng 7, cột E" in err
    assert score_count(cls_db) == 0
    ws["E7"] = 6
    wb.save(path)
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "import", "T01", str(path), "--dry-run")
    assert doc == {"module": "C", "imported": 2, "unchanged": 0, "dry_run": True}
    assert score_count(cls_db) == 0
    code, doc, _err = run(capsys, "--db", cls_db.url, "grades", "import", "T01", str(path))
    assert (code, doc) == (0, {"module": "C", "imported": 2, "unchanged": 0, "dry_run": False})
    assert score_count(cls_db) == 2
