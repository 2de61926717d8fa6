"""`annual_report`: the annual statistics of one year as XLSX (issue 7: under a second or two).

Timed: loading the year's figures (plan vs actual, statistics of the year and the year before,
lecturers' periods, feedback, follow-up) and writing the workbook. Floor: the same counts by
plain SQL with sqlite3 (classes and learner-times per programme; women, ethnic minorities,
Party members; learners per organisation; results by classification; lecturers' periods).
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate  # noqa: E402
from run import Case  # noqa: E402

YEAR = generate.FIRST_YEAR + generate.YEARS - 1

FLOOR_QUERIES = [
    "SELECT p.code, count(DISTINCT c.id), count(e.id) FROM classes c JOIN programmes p ON p.id = c.programme_id "
    "LEFT JOIN enrolments e ON e.class_id = c.id WHERE c.year IN (?, ?) GROUP BY c.year, p.code",
    "SELECT sum(l.gender = 'F'), sum(l.ethnicity <> 'Kinh'), sum(l.party_member), count(*) FROM enrolments e "
    "JOIN classes c ON c.id = e.class_id JOIN learners l ON l.id = e.learner_id WHERE c.year IN (?, ?) "
    "GROUP BY c.year",
    "SELECT coalesce(e.organisation_id, l.organisation_id), count(*) FROM enrolments e JOIN classes c "
    "ON c.id = e.class_id JOIN learners l ON l.id = e.learner_id WHERE c.year IN (?, ?) GROUP BY 1",
    "SELECT g.classification, count(*) FROM graduation_results g JOIN enrolments e ON e.id = g.enrolment_id "
    "JOIN classes c ON c.id = e.class_id WHERE c.year IN (?, ?) GROUP BY 1",
    "SELECT s.lecturer_id, sum(s.periods) FROM sessions s WHERE s.date BETWEEN ? AND ? GROUP BY 1",
]


def setup(db_path: Path, work: Path) -> dict[str, Any]:
    from dtbd_desktop.services.startup import open_centre as open_database

    return {"db": open_database(f"sqlite:///{db_path}"), "path": db_path, "out": work / "annual.xlsx"}


def run(state: dict[str, Any]) -> int:
    from dtbd_desktop.reports.annual_report import load_annual_report
    from dtbd_desktop.reports.annual_report_xlsx import render_xlsx

    with state["db"].read() as session:
        doc = load_annual_report(session, YEAR, as_of=dt.date(YEAR, 12, 31), on=dt.date(YEAR + 1, 1, 5))
    return render_xlsx(doc, state["out"])


def floor(state: dict[str, Any]) -> list[Any]:
    con = state.setdefault("floor_con", sqlite3.connect(state["path"]))
    results = []
    for sql in FLOOR_QUERIES:
        args = (f"{YEAR}-01-01", f"{YEAR}-12-31") if "s.date" in sql else (YEAR - 1, YEAR)
        results.append(con.execute(sql, args).fetchall())
    return results


CASES = {"annual_report": Case("annual_report", setup, run, floor)}
