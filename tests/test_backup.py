"""Backups are consistent while the database is in use; restores check first and keep the old one."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import Database, open_database
from dtbd_desktop.services import backup, classes


def _path(db: Database) -> Path:
    return Path(db.url.removeprefix("sqlite:///"))


def _codes(url: str) -> list[str]:
    db = open_database(url)
    try:
        with db.read() as s:
            return [r.code for r in classes.list_classes(s)]
    finally:
        db.dispose()


def test_backup_while_a_write_is_in_progress_is_consistent(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="A1", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    with sqlite_db.write(raw=True) as s:  # a second program is in the middle of a unit of work
        classes.create_class(s, code="A2", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
        s.flush()
        result = backup.backup(sqlite_db.url, tmp_path / "copy.sqlite3")
    con = sqlite3.connect(result.path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [r[0] for r in con.execute("SELECT code FROM classes")] == ["A1"]  # the committed state only
    finally:
        con.close()
    assert result.bytes == result.path.stat().st_size


def test_restore_keeps_the_current_database_aside(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="A1", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    copy = backup.backup(sqlite_db.url, tmp_path / "copy.sqlite3").path
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="LATER", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    url = sqlite_db.url
    sqlite_db.dispose()
    result = backup.restore(url, copy)
    assert _codes(url) == ["A1"]
    assert result.previous is not None and sorted(_codes(f"sqlite:///{result.previous}")) == ["A1", "LATER"]


def test_a_damaged_or_foreign_file_is_refused_and_nothing_changes(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="A1", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    bad = tmp_path / "not-a-backup.sqlite3"
    bad.write_bytes(b"this is a spreadsheet, not a database" * 100)
    foreign = tmp_path / "foreign.sqlite3"
    con = sqlite3.connect(foreign)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    url = sqlite_db.url
    sqlite_db.dispose()
    for candidate in (bad, foreign, tmp_path / "missing.sqlite3"):
        with pytest.raises(InputError):
            backup.restore(url, candidate)
    assert _codes(url) == ["A1"]


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    names = [f"dtbd-2025010{i}-120000-000000.sqlite3" for i in range(1, 7)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    removed = backup.rotate(tmp_path, 4)
    assert sorted(p.name for p in removed) == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == names[2:]


def test_backup_is_due_after_a_day(tmp_path: Path) -> None:
    assert backup.backup_due(tmp_path)
    f = tmp_path / "dtbd-20250101-120000-000000.sqlite3"
    f.write_bytes(b"x")
    assert not backup.backup_due(tmp_path)
    old = time.time() - 25 * 3600
    os.utime(f, (old, old))
    assert backup.backup_due(tmp_path)


def test_cli_backup_and_restore(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    main(["--db", sqlite_url, "class", "create", "--code", "A1", "--programme", "TC", "--start", "2025-01-06",
          "--end", "2025-08-01"])
    capsys.readouterr()
    out = tmp_path / "b.sqlite3"
    assert main(["--db", sqlite_url, "backup", "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc == {"path": str(out), "bytes": out.stat().st_size}
    main(["--db", sqlite_url, "class", "create", "--code", "A2", "--programme", "TC", "--start", "2025-01-06",
          "--end", "2025-08-01"])
    capsys.readouterr()
    assert main(["--db", sqlite_url, "restore", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["restored"] is True and Path(doc["previous"]).exists()
    assert _codes(sqlite_url) == ["A1"]
    assert main(["--db", sqlite_url, "restore", str(tmp_path / "nothing.sqlite3"), "--json"]) == 1
    assert "Không có tệp" in json.loads(capsys.readouterr().out)["error"]


def test_postgresql_backup_and_restore(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("postgresql"):
        assert db_url.startswith("sqlite")  # the SQLite path is covered above
        return
    db = open_database(db_url)
    with db.write(raw=True) as s:
        classes.create_class(s, code="PG1", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    db.dispose()
    dump = backup.backup(db_url, tmp_path / "pg.dump").path
    db = open_database(db_url)
    with db.write(raw=True) as s:
        classes.create_class(s, code="PG2", programme="TC", start=dt.date(2025, 1, 6), end=dt.date(2025, 8, 1))
    db.dispose()
    backup.restore(db_url, dump)
    assert _codes(db_url) == ["PG1"]
    db = open_database(db_url)
    with db.read() as s:
        from dtbd_desktop.db.models import Programme

        assert len(s.scalars(select(Programme)).all()) == 7
    db.dispose()


def test_a_backup_asked_for_needs_the_backup_permission(sqlite_db: Database, tmp_path: Path) -> None:
    """The screen and `dtbd backup` both go through `backup.backup_as`: a full copy holds
    everyone's data and the accounts."""
    from dtbd_desktop.base.errors import PermissionDenied
    from tests.logins import admin_login, create_account

    admin = admin_login(sqlite_db)
    viewer = create_account(sqlite_db, "xem", "viewer", by=admin)
    for login in (None, viewer):
        with pytest.raises(PermissionDenied):
            backup.backup_as(sqlite_db, login, tmp_path / "refused.sqlite3")
    assert not (tmp_path / "refused.sqlite3").exists()
    made = backup.backup_as(sqlite_db, admin, tmp_path / "copy.sqlite3")
    assert made.path == tmp_path / "copy.sqlite3" and made.path.stat().st_size > 0
