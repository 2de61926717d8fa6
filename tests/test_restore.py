"""A restore is an administrator's act, audited; it never brings back an edited copy, never loses a
register line or a revocation, and never makes a serial reusable."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from dtbd_desktop.base.errors import InputError, PermissionDenied
from dtbd_desktop.db.engine import Database, open_database
from dtbd_desktop.db.models import AuditEntry, Certificate, Score
from dtbd_desktop.services import backup, certificates, classes, scores
from dtbd_desktop.trust import operations, witness
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.trust.audit_check import verify
from tests.logins import PASSWORD, admin_login, create_account
from tests.test_certificates import make_class
from tests.test_scores import NID, build_class

D = dt.date


def _file(db: Database) -> Path:
    return Path(db.url.removeprefix("sqlite:///"))


def _lines(url: str) -> list[tuple[str, str]]:
    db = open_database(url)
    try:
        with db.read() as s:
            return [(c.serial, c.status) for c in s.scalars(select(Certificate).order_by(Certificate.serial))]
    finally:
        db.dispose()


def _report(url: str) -> list[str]:
    db = open_database(url)
    try:
        with db.read() as s:
            return [b.problem for b in verify(s, witness=witness.recall(db)).breaks]
    finally:
        db.dispose()


def test_restore_needs_an_administrator_and_is_audited(sqlite_db: Database, tmp_path: Path) -> None:
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 1, 6), end=D(2025, 8, 1))
    admin = admin_login(sqlite_db)
    viewer = create_account(sqlite_db, "xem", "viewer", by=admin)
    copy = backup.backup(sqlite_db.url, tmp_path / "copy.sqlite3").path
    url = sqlite_db.url
    sqlite_db.dispose()
    for who in (None, viewer):
        with pytest.raises(PermissionDenied):
            backup.restore(url, copy, login=who)
    result = backup.restore(url, copy, login=admin)
    assert result.previous is not None and result.previous.parent == backup.restore_copies_dir()
    db = open_database(url)
    try:
        with db.read() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "backup.restore")).one()
            assert entry.username == "quantri" and entry.signature
            assert json.loads(entry.new_value or "{}")["file"] == "copy.sqlite3"
    finally:
        db.dispose()
    assert _report(url) == []  # the chain holds, and this PC's witness follows the restore


def test_a_copy_without_the_administrators_account_is_refused(sqlite_db: Database, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    """A backup made before accounts existed would make everyone an administrator again."""
    from dtbd_desktop.cli.main import main

    before_accounts = backup.backup(sqlite_db.url, tmp_path / "old.sqlite3").path
    with sqlite_db.write(raw=True) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 1, 6), end=D(2025, 8, 1))
    admin_login(sqlite_db)
    url = sqlite_db.url
    sqlite_db.dispose()
    monkeypatch.setenv("DTBD_PASSWORD", "sai-mat-khau")
    assert main(["--db", url, "--user", "quantri", "restore", str(before_accounts), "--json"]) == 1
    assert "không đúng" in json.loads(capsys.readouterr().out)["error"]
    monkeypatch.setenv("DTBD_PASSWORD", PASSWORD)
    assert main(["--db", url, "--user", "quantri", "restore", str(before_accounts), "--json"]) == 1
    assert "không phải tài khoản quản trị" in json.loads(capsys.readouterr().out)["error"]
    db = open_database(url)
    try:
        with operations.reading(db, None, personal=False) as s:
            assert [c.code for c in classes.list_classes(s)] == ["A1"]  # nothing changed
    finally:
        db.dispose()


def _scored_copy(db: Database, tmp_path: Path) -> tuple[Path, Login]:
    with db.write(raw=True) as s:
        build_class(s)
    admin = admin_login(db)
    with operations.writing(db, admin) as s:
        scores.set_score(s, "T01", NID["An"], "A", "6,0")
    return backup.backup(db.url, tmp_path / "copy.sqlite3").path, admin


def test_a_copy_edited_with_sqlite_is_refused_unless_an_administrator_gives_a_reason(
        sqlite_db: Database, tmp_path: Path) -> None:
    copy, admin = _scored_copy(sqlite_db, tmp_path)
    con = sqlite3.connect(copy)
    con.execute("UPDATE scores SET value = 10")
    con.commit()
    con.close()
    url = sqlite_db.url
    sqlite_db.dispose()
    with pytest.raises(backup.BackupNotVerified) as refused:
        backup.restore(url, copy, login=admin)
    assert any("10,0" in p.message for p in refused.value.problems)
    db = open_database(url)
    with db.read() as s:
        assert [float(v) for v in s.scalars(select(Score.value))] == [6.0]  # the database was left alone
    db.dispose()
    result = backup.restore(url, copy, login=admin, override="Chỉ còn bản này sau khi ổ cứng hỏng")
    assert result.overridden
    db = open_database(url)
    try:
        with db.read() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "backup.restore")).one()
            assert entry.reason == "Chỉ còn bản này sau khi ổ cứng hỏng"
            assert "10,0" in (entry.new_value or "")  # what was wrong is recorded with it
    finally:
        db.dispose()


def _issued(db: Database) -> Login:
    make_class(db, "DVM1", size=4)
    admin = admin_login(db)
    with operations.writing(db, admin) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    return admin


def test_lines_issued_or_revoked_after_the_backup_are_carried_and_numbers_never_repeat(
        db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    admin = _issued(db)
    copy = backup.backup(db.url, tmp_path / "copy.dump").path
    with operations.writing(db, admin) as s:  # after the backup: a reissue and a revocation
        old, new = certificates.reissue(s, "0001/GCN-2025", "Bị mất", D(2025, 4, 1))
        certificates.revoke(s, "0002/GCN-2025", "Cấp nhầm")
    db.dispose()
    before = _lines(db_url)
    result = backup.restore(db_url, copy, login=admin)
    assert result.summary is not None
    assert (result.summary.carried_lines, result.summary.carried_statuses) == (1, 2)  # the new line; replaced, revoked
    assert _lines(db_url) == before  # every line, with its status, as it was before the restore
    assert _report(db_url) == []
    db = open_database(db_url)
    try:
        make_class(db, "DVM2", size=1, by=admin)
        with operations.writing(db, admin) as s:
            (next_one,) = certificates.issue_for_class(s, "DVM2", D(2025, 4, 2))
        with db.read() as s:
            assert certificates.verify(s, "0002/GCN-2025").status == "revoked"
            assert certificates.verify(s, new.serial).status == "issued"
    finally:
        db.dispose()
    assert next_one.serial == "0006/GCN-2025"  # after 0005, the reissue made after the backup


def test_a_line_that_cannot_be_carried_refuses_the_restore_with_its_list(sqlite_db: Database,
                                                                        tmp_path: Path) -> None:
    admin = admin_login(sqlite_db)
    copy = backup.backup(sqlite_db.url, tmp_path / "copy.sqlite3").path  # before the class existed
    make_class(sqlite_db, "DVM9", size=1, by=admin)
    with operations.writing(sqlite_db, admin) as s:
        (line,) = certificates.issue_for_class(s, "DVM9", D(2025, 3, 20))
    url = sqlite_db.url
    sqlite_db.dispose()
    with pytest.raises(InputError, match="thiếu 1 văn bằng") as refused:
        backup.restore(url, copy, login=admin)
    assert [p.message for p in refused.value.problems] == [
        f"Số hiệu 0001/GCN-2025 ({line.full_name}, sổ certificate năm 2025)"]
    assert _lines(url) == [("0001/GCN-2025", "issued")]  # nothing was replaced


def test_copies_taken_before_restores_are_rotated(tmp_path: Path) -> None:
    folder = backup.restore_copies_dir()
    folder.mkdir(parents=True)
    names = [f"before-restore-2025010{i}-120000-000000.sqlite3" for i in range(1, 10)] + \
            [f"before-restore-2025011{i}-120000-000000.sqlite3" for i in range(0, 4)]
    for name in names:
        (folder / name).write_bytes(b"x")
    removed = backup.rotate_restore_copies(keep=10)
    assert sorted(p.name for p in removed) == sorted(names)[:3]
    assert len(list(folder.iterdir())) == 10
