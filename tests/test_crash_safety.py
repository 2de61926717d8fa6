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
from dtbd_desktop import backup
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
    with db.write() as s:
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
