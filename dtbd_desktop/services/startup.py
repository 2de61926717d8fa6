"""Checks at start-up and automatic backups: damaged files, network shares, daily copies."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

from dtbd_desktop.base.errors import DatabaseError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.engine import Database, open_database, sqlite_path
from dtbd_desktop.services import backup, catalogue, settings


def open_centre(url: str | None = None) -> Database:
    """The centre's database, opened (created or upgraded first) with the programme catalogue seeded
    when it has none: what the program and the command line open."""
    return open_database(url, seed=lambda session: catalogue.seed_catalogue(session, only_if_empty=True))


def header_problem(path: Path) -> str | None:
    """A quick look at start-up: None when the file opens as a SQLite database with its schema
    readable (or does not exist yet). The full check (`integrity_problem`) reads the whole file,
    so it runs in the background before each automatic backup."""
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def integrity_problem(path: Path) -> str | None:
    """None when the SQLite file is sound (or does not exist yet); else what SQLite reports."""
    if not path.exists():
        return None
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        try:
            result = con.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if result == "ok" else str(result)


def _linux_filesystem(path: Path) -> str | None:
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, kind = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and target.startswith(parts[1]) and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind


def is_network_path(path: Path) -> bool:
    """True for a file on a network share, where SQLite's locking is not safe."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        drive = os.path.splitdrive(str(path.resolve()))[0] + "\\"
        return bool(ctypes.windll.kernel32.GetDriveTypeW(drive) == 4)  # DRIVE_REMOTE
    return _linux_filesystem(path) in {"nfs", "nfs4", "cifs", "smb3", "smbfs", "sshfs", "fuse.sshfs", "9p"}


def automatic_backup(db: Database, *, only_if_due: bool) -> Path | None:
    """Back up a SQLite database into the backups folder and keep the newest N (settings).

    The file is checked first: a damaged database is not copied over the good backups."""
    path = sqlite_path(db.url)
    if path is None:
        return None
    if only_if_due and not backup.backup_due():
        return None
    problem = integrity_problem(path)
    if problem is not None:
        raise DatabaseError(tr("startup", "Tệp cơ sở dữ liệu {path} bị hỏng ({problem}); chưa sao lưu để giữ nguyên "
                                          "các bản sao lưu tốt. Hãy đóng chương trình và phục hồi bản sao lưu gần nhất "
                                          "(Quản trị → Sao lưu, hoặc dtbd restore).").format(path=path, problem=problem))
    with db.read() as session:
        keep = int(settings.get_setting(session, "backup_keep") or 10)
    result = backup.backup(db.url)
    backup.rotate(backup.backup_dir(), keep)
    return result.path
