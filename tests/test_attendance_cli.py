"""`dtbd timetable` and `dtbd attendance` keep the contract of shared/CLI.md: JSON keys, exit codes,
and nothing changed on a refusal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.db.models import AttendanceMark, AuditEntry, MakeUp
from dtbd_desktop.services import settings
from dtbd_desktop.services import timetable as tts
from tests.test_attendance_service import AN, BINH, build_class

TODAY = dt.date.today()
START = TODAY - dt.timedelta(days=TODAY.weekday(), weeks=2)  # the Monday two weeks ago
SUNDAY = START + dt.timedelta(days=6)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, object, str]:
    code = main([*args, "--json"])
    out, err = capsys.readouterr()
    return code, json.loads(out), err  # exactly one JSON document on stdout


@pytest.fixture
def url(db_url: str) -> str:
    """A database with class SC-T (Sơ cấp, from the Monday two weeks ago) and four learners, no timetable."""
    db = open_database(db_url)
    try:
        build_class(db, start=START, end=START + dt.timedelta(days=60), generate=False)
        with db.write(raw=True) as s:
            settings.set_settings(s, attendance_lock_days=365)
    finally:
        db.dispose()
    return db_url


def first_session(url: str) -> tts.SessionRow:
    db = open_database(url)
    try:
        with db.read() as s:
            return tts.list_sessions(s, "SC-T")[0]
    finally:
        db.dispose()


def count(url: str, model: type, *where: Any) -> int:
    db = open_database(url)
    try:
        with db.read() as s:
            return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)
    finally:
        db.dispose()


def test_timetable_generate_and_list(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, doc, _ = run(capsys, "--db", url, "timetable", "generate", "SC-T")
    assert (code, doc) == (0, {"sessions": 23})
    code, doc, _ = run(capsys, "--db", url, "timetable", "generate", "SC-T")
    assert code == 1 and "--replace" in doc["error"]  # type: ignore[index]
    code, doc, _ = run(capsys, "--db", url, "timetable", "generate", "SC-T", "--replace")
    assert (code, doc) == (0, {"sessions": 23})
    code, doc, _ = run(capsys, "--db", url, "timetable", "list", "SC-T")
    assert code == 0 and isinstance(doc, list) and len(doc) == 23
    assert doc[0] == {"date": first_session(url).date.isoformat(), "half": "morning", "module": "I.1",
                      "lecturer": None, "periods": 5, "kind": "lesson"}
    assert [d["kind"] for d in doc][-1] == "exam"
    dates = [(d["date"], {"morning": 0, "afternoon": 1, "evening": 2}[d["half"]]) for d in doc]
    assert dates == sorted(dates)


def test_timetable_regenerated_from_a_day_on_other_weekdays(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, "--db", url, "timetable", "generate", "SC-T")
    day = first_session(url).date.isoformat()
    run(capsys, "--db", url, "attendance", "set", "SC-T", "--learner", AN, "--date", day, "--half", "morning",
        "--status", "present")
    wednesday = (START + dt.timedelta(days=9)).isoformat()  # of the second week
    _, before, _ = run(capsys, "--db", url, "timetable", "list", "SC-T")
    held = sum(1 for r in before if r["date"] < wednesday)  # type: ignore[union-attr]
    code, doc, err = run(capsys, "--db", url, "timetable", "generate", "SC-T", "--replace", "--from", wednesday,
                         "--weekdays", "6,7")
    assert code == 0 and set(doc) == {"sessions"}  # type: ignore[arg-type]
    assert held >= 10 and f"Giữ nguyên {held} buổi" in err  # the marked one among them
    code, rows, _ = run(capsys, "--db", url, "timetable", "list", "SC-T")
    after = [r for r in rows if r["date"] >= wednesday]  # type: ignore[union-attr]
    assert len(after) == doc["sessions"] and {dt.date.fromisoformat(r["date"]).isoweekday() for r in after} == {6, 7}
    assert count(url, AttendanceMark) == 1
    code, doc, _ = run(capsys, "--db", url, "timetable", "generate", "SC-T", "--weekdays", "8")
    assert code == 2


def test_timetable_of_an_unknown_class(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, doc, err = run(capsys, "--db", url, "timetable", "list", "ZZ9")
    assert code == 1 and "ZZ9" in doc["error"] and "Traceback" not in err  # type: ignore[index]


def test_attendance_set_and_summary(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, "--db", url, "timetable", "generate", "SC-T")
    day = first_session(url).date.isoformat()
    code, doc, _ = run(capsys, "--db", url, "attendance", "set", "SC-T", "--learner", AN, "--date", day,
                       "--half", "morning", "--status", "unexcused")
    assert (code, doc) == (0, {"ok": True})
    run(capsys, "--db", url, "attendance", "set", "SC-T", "--learner", AN, "--date", day, "--half", "afternoon",
        "--status", "excused")
    code, doc, _ = run(capsys, "--db", url, "attendance", "summary", "SC-T")
    assert code == 0 and isinstance(doc, list) and len(doc) == 4
    assert all(set(row) == {"national_id", "absent_periods", "absent_share", "barred_modules",
                            "certificate_eligible"} for row in doc)
    an = next(row for row in doc if row["national_id"] == AN)
    assert an == {"national_id": AN, "absent_periods": 10, "absent_share": pytest.approx(10 / 110),
                  "barred_modules": ["I.1"], "certificate_eligible": False}
    binh = next(row for row in doc if row["national_id"] == BINH)
    assert binh == {"national_id": BINH, "absent_periods": 0, "absent_share": 0.0, "barred_modules": [],
                    "certificate_eligible": True}
    code, doc, _ = run(capsys, "--db", url, "attendance", "makeup", "SC-T", "--learner", AN, "--module", "I.1",
                       "--date", TODAY.isoformat(), "--periods", "7")  # 3 of 15 left: at the limit
    assert (code, doc) == (0, {"ok": True})
    code, doc, _ = run(capsys, "--db", url, "attendance", "summary", "SC-T")
    an = next(row for row in doc if row["national_id"] == AN)  # type: ignore[union-attr]
    assert (an["barred_modules"], an["certificate_eligible"], an["absent_periods"]) == ([], True, 10)


@pytest.mark.parametrize(
    ("args", "expected", "words"),
    [
        (["--learner", "080090000099", "--half", "morning", "--status", "present"], 1, "080090000099"),
        (["--learner", AN, "--date", SUNDAY.isoformat(), "--half", "morning", "--status", "present"], 1,
         "không có buổi học"),
        (["--learner", AN, "--half", "evening", "--status", "present"], 1, "không có buổi học tối"),
        (["--learner", AN, "--half", "morning", "--status", "absent"], 2, "absent"),
        (["--learner", AN, "--half", "noon", "--status", "present"], 2, "noon"),
        (["--learner", AN, "--half", "morning", "--status", "present", "--date", "2025-02-30"], 2, "30/02/2025"),
        (["--half", "morning", "--status", "present"], 2, "--learner"),
    ],
)
def test_attendance_set_refusals_change_nothing(capsys: pytest.CaptureFixture[str], url: str, args: list[str],
                                                expected: int, words: str) -> None:
    run(capsys, "--db", url, "timetable", "generate", "SC-T")
    if "--date" not in args:
        args = [*args, "--date", first_session(url).date.isoformat()]
    code, doc, err = run(capsys, "--db", url, "attendance", "set", "SC-T", *args)
    assert code == expected
    assert words in doc["error"] + err  # type: ignore[index,operator]
    assert "Traceback" not in err
    assert count(url, AttendanceMark) == 0


def test_a_locked_mark_needs_the_override_and_a_reason(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, "--db", url, "timetable", "generate", "SC-T")
    db = open_database(url)
    try:
        with db.write(raw=True) as s:
            settings.set_settings(s, attendance_lock_days=3)
    finally:
        db.dispose()
    day = first_session(url).date.isoformat()  # at least two weeks ago
    base = ["--db", url, "attendance", "set", "SC-T", "--learner", AN, "--date", day, "--half", "morning",
            "--status", "excused"]
    code, doc, _ = run(capsys, *base)
    assert code == 1 and "đã khóa" in doc["error"]  # type: ignore[index]
    code, doc, _ = run(capsys, *base, "--override-lock")
    assert code == 1 and "lý do" in doc["error"]  # type: ignore[index]
    assert count(url, AttendanceMark) == 0
    code, doc, _ = run(capsys, *base, "--override-lock", "--reason", "Bổ sung theo sổ ký tên")
    assert (code, doc) == (0, {"ok": True})
    assert count(url, AttendanceMark) == 1
    assert count(url, AuditEntry, AuditEntry.entity == "attendance") == 1


def test_makeup_refusals(capsys: pytest.CaptureFixture[str], url: str) -> None:
    run(capsys, "--db", url, "timetable", "generate", "SC-T")
    args = ["--db", url, "attendance", "makeup", "SC-T", "--learner", AN, "--date", TODAY.isoformat()]
    code, doc, _ = run(capsys, *args, "--module", "I.1", "--periods", "5")
    assert code == 1 and "không ghi thêm được 5 tiết" in doc["error"]  # type: ignore[index]
    code, doc, _ = run(capsys, *args, "--module", "XX", "--periods", "5")
    assert code == 1 and "XX" in json.dumps(doc, ensure_ascii=False)
    code, _doc, _ = run(capsys, *args, "--module", "I.1", "--periods", "0")
    assert code == 2
    assert count(url, MakeUp) == 0


def test_printouts_and_workbook_from_the_command_line(capsys: pytest.CaptureFixture[str], url: str,
                                                     tmp_path: Path) -> None:
    run(capsys, "--db", url, "timetable", "generate", "SC-T")
    day = first_session(url).date.isoformat()
    run(capsys, "--db", url, "attendance", "set", "SC-T", "--learner", AN, "--date", day, "--half", "morning",
        "--status", "unexcused")
    code, doc, _ = run(capsys, "--db", url, "attendance", "sheet", "SC-T", "--date", day, "--half", "morning",
                       "--out", str(tmp_path / "ky-ten.pdf"))
    assert (code, doc) == (0, {"path": str(tmp_path / "ky-ten.pdf"), "pages": 1})
    code, doc, _ = run(capsys, "--db", url, "attendance", "report", "SC-T", "--out", str(tmp_path / "tong-hop.pdf"))
    assert code == 0 and doc["pages"] >= 1  # type: ignore[index]
    code, doc, _ = run(capsys, "--db", url, "attendance", "report", "SC-T", "--out", str(tmp_path / "tong-hop.xlsx"))
    assert (code, doc) == (0, {"path": str(tmp_path / "tong-hop.xlsx"), "rows": 4})
    code, doc, _ = run(capsys, "--db", url, "attendance", "letters", "SC-T", "--out", str(tmp_path / "tb.pdf"))
    assert code == 0 and doc["letters"] == 1  # type: ignore[index]
    assert doc["organisations"] == ["Ủy ban nhân dân xã Mỹ Yên"]  # type: ignore[index]
    workbook = tmp_path / "diem-danh.xlsx"
    code, doc, _ = run(capsys, "--db", url, "attendance", "export", "SC-T", "--out", str(workbook))
    assert (code, doc) == (0, {"path": str(workbook), "rows": 4, "sessions": 23})
    code, doc, _ = run(capsys, "--db", url, "attendance", "import", "SC-T", str(workbook), "--dry-run")
    assert (code, doc) == (0, {"changed": 0, "unchanged": 1, "locked": 0, "dry_run": True, "rejected": []})
    code, doc, _ = run(capsys, "--db", url, "attendance", "sheet", "SC-T", "--date", SUNDAY.isoformat(), "--half",
                       "morning", "--out", str(tmp_path / "none.pdf"))
    assert code == 1 and not (tmp_path / "none.pdf").exists()
    code, doc, _ = run(capsys, "--db", url, "attendance", "report", "SC-T", "--out", str(tmp_path / "x.docx"))
    assert code == 1 and not (tmp_path / "x.docx").exists()


def test_conflicts_and_holidays(capsys: pytest.CaptureFixture[str], url: str) -> None:
    code, doc, _ = run(capsys, "--db", url, "holiday", "seed", "--year", "2030")
    assert (code, doc) == (0, {"added": 5})
    code, doc, _ = run(capsys, "--db", url, "holiday", "add", "--date", "2030-02-03", "--name", "Tết Nguyên đán")
    assert (code, doc) == (0, {"date": "2030-02-03", "name": "Tết Nguyên đán"})
    code, doc, _ = run(capsys, "--db", url, "holiday", "list", "--year", "2030")
    assert code == 0 and len(doc) == 6  # type: ignore[arg-type]
    code, doc, _ = run(capsys, "--db", url, "holiday", "remove", "--date", "2030-02-04")
    assert code == 1
    code, doc, _ = run(capsys, "--db", url, "timetable", "conflicts")
    assert (code, doc) == (0, [])
