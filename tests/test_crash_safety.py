"""Killing the program mid-way leaves the database intact and the operation complete or absent."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from dtbd_desktop.db.engine import Database

BACKUP_SCRIPT = """
import sys
from pathlib import Path
from dtbd_desktop.services import backup
print("started", flush=True)
while True:  # keep copying until killed
    backup.backup(sys.argv[1], Path(sys.argv[2]))
"""


def _kill_after_start(args: list[str], delay: float) -> None:
    proc = subprocess.Popen([sys.executable, "-c", *args], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "started"
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)


def test_a_backup_killed_midway_leaves_no_half_file(demo_db: Database, tmp_path: Path) -> None:
    source = Path(demo_db.url.removeprefix("sqlite:///"))
    for delay in (0.05, 0.2, 0.4):
        target = tmp_path / f"copy-{delay}.sqlite3"
        _kill_after_start([BACKUP_SCRIPT, demo_db.url, str(target)], delay)
        if target.exists():  # complete from an earlier round of the loop, never partial
            con = sqlite3.connect(target)
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            con.close()
    con = sqlite3.connect(source)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    con.close()


WRITER_SCRIPT = """
import sys, datetime as dt
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.services import classes
db = open_database(sys.argv[1])
print("started", flush=True)
n = 0
while True:
    with db.write(raw=True) as s:
        for _ in range(50):
            n += 1
            classes.create_class(s, code=f"K{n}", programme="SC", start=dt.date(2025, 1, 6), end=dt.date(2025, 2, 6))
"""


def test_a_unit_of_work_killed_midway_is_absent_whole(sqlite_url: str, tmp_path: Path) -> None:
    _kill_after_start([WRITER_SCRIPT, sqlite_url], 1.0)
    con = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        count = con.execute("SELECT count(*) FROM classes").fetchone()[0]
    finally:
        con.close()
    assert count % 50 == 0  # whole batches of 50 only: a batch is all or nothing


ISSUE_SCRIPT = """
import sys, datetime as dt
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.services import certificates
db = open_database(sys.argv[1])
print("started", flush=True)
with db.write(raw=True) as s:
    certificates.issue_for_class(s, "NT26.02", dt.date(2026, 11, 30))
print("issued", flush=True)
"""


def test_issuing_a_batch_killed_midway_leaves_no_numbers_taken(demo_db: Database, tmp_path: Path) -> None:
    path = Path(demo_db.url.removeprefix("sqlite:///"))
    demo_db.dispose()
    con = sqlite3.connect(path)
    registers_before = dict(con.execute("SELECT id, last_number FROM registers").fetchall())
    con.close()
    env_script = [ISSUE_SCRIPT, f"sqlite:///{path}"]
    _kill_after_start(env_script, 0.15)
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        issued = con.execute(
            "SELECT count(*) FROM certificates c JOIN enrolments e ON e.id = c.enrolment_id "
            "JOIN classes k ON k.id = e.class_id WHERE k.code = 'NT26.02'").fetchone()[0]
        eligible = con.execute(
            "SELECT count(*) FROM graduation_results g JOIN enrolments e ON e.id = g.enrolment_id "
            "JOIN classes k ON k.id = e.class_id WHERE k.code = 'NT26.02' AND g.eligible").fetchone()[0]
        assert issued in (0, eligible)  # the whole batch or none of it
        for register_id, last in con.execute("SELECT id, last_number FROM registers"):
            sequences = [r[0] for r in con.execute(
                "SELECT sequence FROM certificates WHERE register_id = ? ORDER BY sequence", (register_id,))]
            assert sequences == list(range(1, last + 1))  # no number taken without its line, no gap
            if issued == 0 and register_id in registers_before:
                assert last == registers_before[register_id]
    finally:
        con.close()


IMPORT_SCRIPT = """
import sys, datetime as dt
sys.path.insert(0, sys.argv[3])
from bench_roster_import import build
from pathlib import Path
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.workbooks.roster import apply_import
from dtbd_desktop.services import classes
workbook = Path(sys.argv[2])
build(workbook, 3000)
db = open_database(sys.argv[1])
with db.write(raw=True) as s:
    classes.create_class(s, code="KILL1", programme="DVM", start=dt.date(2026, 3, 2), end=dt.date(2026, 3, 9))
print("started", flush=True)
apply_import(db, "KILL1", workbook)
print("imported", flush=True)
"""


def test_an_import_killed_midway_is_absent_whole(sqlite_url: str, tmp_path: Path) -> None:
    benchmarks = Path(__file__).resolve().parent.parent / "benchmarks"
    path = sqlite_url.removeprefix("sqlite:///")
    for delay in (0.5, 1.5):
        con = sqlite3.connect(path)
        learners_before = con.execute("SELECT count(*) FROM learners").fetchone()[0]
        con.close()
        _kill_after_start([IMPORT_SCRIPT, sqlite_url, str(tmp_path / f"list-{delay}.xlsx"), str(benchmarks)], delay)
        con = sqlite3.connect(path)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            enrolled = con.execute("SELECT count(*) FROM enrolments e JOIN classes c ON c.id = e.class_id "
                                   "WHERE c.code = 'KILL1'").fetchone()[0]
            added = con.execute("SELECT count(*) FROM learners").fetchone()[0] - learners_before
            assert enrolled in (0, 3000)  # the whole list or nothing of it
            assert added in (0, enrolled)
            con.execute("DELETE FROM enrolments WHERE class_id IN (SELECT id FROM classes WHERE code = 'KILL1')")
            con.execute("DELETE FROM classes WHERE code = 'KILL1'")
            con.commit()
        finally:
            con.close()
