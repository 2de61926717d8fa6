"""How long the annual report and the dashboard take on ten years of a provincial school
(issue 7: "under a second or two").

    .venv/bin/python benchmarks/bench_annual_report.py [--db URL] [--year Y] [--runs 3] [--running N]

Without --db it uses the generated ten-year dataset (`benchmarks/generate.py`, about 500
classes and 4.5 million attendance marks), copied to a temporary folder first, because the
copy is given some life the generator leaves out: the TC classes of the last year are set
running again (their 300,000-odd marks are what the dashboard's absence check reads), and
their learners get feedback forms. It times, best of `--runs`:

* loading the annual report's figures (plan, statistics of the year and the year before,
  lecturers' periods, feedback, follow-up),
* drawing it as PDF (tables and charts) and as XLSX,
* the command line end to end (`dtbd report annual`, a new process: start-up included),
* loading the dashboard (plan progress, running classes, the four kinds of warnings).
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from dtbd_desktop.reports.annual_report import load_annual_report, render_pdf  # noqa: E402
from dtbd_desktop.reports.annual_report_xlsx import render_xlsx  # noqa: E402
from dtbd_desktop.services.dashboard import load_dashboard  # noqa: E402
from dtbd_desktop.services.startup import open_centre as open_database  # noqa: E402

CLI_WRAPPER = """
import sys
from dtbd_desktop.cli import commands_reports, main as cli
original = cli._add_commands
def add(sub):
    original(sub)
    if "report" not in sub.choices:
        commands_reports.register(sub)
cli._add_commands = add
sys.exit(cli.main(sys.argv[1:]))
"""


def _enliven(path: Path, year: int, running_programme: str = "TC") -> dict[str, int]:
    """Set the last year's classes of a programme running and give them feedback forms."""
    con = sqlite3.connect(path)
    cur = con.cursor()
    ids = [r[0] for r in cur.execute(
        "SELECT c.id FROM classes c JOIN programmes p ON p.id = c.programme_id WHERE c.year = ? AND p.code = ?",
        (year, running_programme))]
    cur.executemany("UPDATE classes SET status = 'running', end_date = ? WHERE id = ?",
                    [(f"{year + 1}-06-30", cid) for cid in ids])
    forms = 0
    for cid in ids:
        # One form per learner and module, on the lecturer who taught the module most.
        taught = cur.execute("SELECT module_id, lecturer_id, COUNT(*) FROM sessions WHERE class_id = ? AND "
                             "lecturer_id IS NOT NULL GROUP BY module_id, lecturer_id", (cid,)).fetchall()
        main_lecturer: dict[int, tuple[int, int]] = {}
        for module, lecturer, n in taught:
            if module not in main_lecturer or n > main_lecturer[module][1]:
                main_lecturer[module] = (lecturer, n)
        pairs = [(module, lecturer) for module, (lecturer, _n) in main_lecturer.items()]
        learners = cur.execute("SELECT COUNT(*) FROM enrolments WHERE class_id = ?", (cid,)).fetchone()[0]
        rows = [(cid, m, lec, 4 + (i % 2), 4, 3 + (i % 3 == 0), 5) for m, lec in pairs for i in range(learners)]
        cur.executemany("INSERT INTO feedback (class_id, module_id, lecturer_id, content, method, manner, usefulness, "
                        "created_at) VALUES (?,?,?,?,?,?,?,CURRENT_TIMESTAMP)", rows)
        forms += len(rows)
    con.commit()
    con.execute("ANALYZE")
    con.close()
    return {"running_classes": len(ids), "feedback_forms": forms}


def _time(label: str, fn: Callable[[], Any], runs: int) -> Any:
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    print(f"  {label:<44} best {min(times):6.3f} s   median {statistics.median(times):6.3f} s")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="SQLAlchemy URL (default: a copy of the generated ten-year dataset)")
    parser.add_argument("--dataset", type=Path, help="a ten-year dataset made by generate.py (default: its cache)")
    parser.add_argument("--year", type=int, help="the report's year (default: the dataset's last year)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="dtbd-bench-"))
    try:
        if args.db:
            url = args.db
            year = args.year or dt.date.today().year
        else:
            import generate

            source = args.dataset or generate.ensure()
            copy = folder / "ten_years.sqlite3"
            shutil.copyfile(source, copy)
            year = args.year or generate.FIRST_YEAR + generate.YEARS - 1
            extra = _enliven(copy, year)
            print(f"dataset: {source} (copy; {extra})")
            url = f"sqlite:///{copy}"
        db = open_database(url)
        with db.read() as s:
            from sqlalchemy import func, select

            from dtbd_desktop.db.models import AttendanceMark, Enrolment, TrainingClass

            counts = (s.scalar(select(func.count(TrainingClass.id))), s.scalar(select(func.count(Enrolment.id))),
                      s.scalar(select(func.count(AttendanceMark.id))))
        print(f"{counts[0]:,} classes, {counts[1]:,} enrolments, {counts[2]:,} attendance marks; year {year}")
        today = dt.date(year, 11, 23)

        def load() -> Any:
            with db.read() as s:
                return load_annual_report(s, year, as_of=dt.date(year, 12, 31))

        doc = _time("annual report: load the figures", load, args.runs)
        print(f"    {doc.plan.summary}")
        _time("annual report: draw the PDF", lambda: render_pdf(doc, folder / "annual.pdf"), args.runs)
        _time("annual report: draw the XLSX", lambda: render_xlsx(doc, folder / "annual.xlsx"), args.runs)

        def whole_pdf() -> None:
            with db.read() as s:
                render_pdf(load_annual_report(s, year, as_of=dt.date(year, 12, 31)), folder / "whole.pdf")

        _time("annual report: load + PDF", whole_pdf, args.runs)
        from dtbd_desktop.cli.main import build_parser

        if "report" in build_parser()._subparsers._group_actions[0].choices:  # listed in cli/main.py
            cli = [sys.executable, "-m", "dtbd_desktop.cli", "--db", url, "report", "annual", "--year", str(year),
                   "--out", str(folder / "cli.pdf"), "--json"]
        else:  # not yet: register the commands in the child process
            cli = [sys.executable, "-c", CLI_WRAPPER, "--db", url, "report", "annual", "--year", str(year),
                   "--out", str(folder / "cli.pdf"), "--json"]
        _time("dtbd report annual (new process, PDF)",
              lambda: subprocess.run(cli, check=True, capture_output=True, cwd=ROOT), args.runs)

        def dashboard() -> Any:
            with db.read() as s:
                return load_dashboard(s, today)

        board = _time(f"dashboard as of {today.isoformat()}", dashboard, args.runs)
        kinds = {k: sum(1 for w in board.warnings if w.kind == k) for k in ("absence", "confirmation", "scores",
                                                                           "printing")}
        print(f"    {len(board.running)} classes running, warnings {kinds}")
        db.dispose()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
