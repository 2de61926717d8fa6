"""Backups and restores that are consistent while the program is open.

SQLite: the online backup API copies a consistent snapshot even while other connections
write; the copy is written to a temporary file and renamed, so a crash leaves either the
old backup set or the new file, never half a file. PostgreSQL: `pg_dump -Fc` where it is
installed (the PostgreSQL client tools), restored with `pg_restore`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from dtbd_desktop.base.errors import InputError, PermissionDenied, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import private_dir, private_file, user_data_dir
from dtbd_desktop.db.engine import Database, known_revisions, open_database, sqlite_path
from dtbd_desktop.db.sqlite_copy import copy_sqlite
from dtbd_desktop.services import restore as restore_service
from dtbd_desktop.services.restore import Carry, RestoreSummary
from dtbd_desktop.trust import audit_check, operations, witness
from dtbd_desktop.trust.accounts import Login

SQLITE_SUFFIX = ".sqlite3"
PG_SUFFIX = ".dump"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    bytes: int


def backup_dir() -> Path:
    return user_data_dir() / "backups"


def _make_folder(folder: Path) -> None:
    """The backups folder (and its folder of copies taken before restores) is private (0700); a
    folder the person chose (--out) is theirs."""
    if folder in (backup_dir(), restore_copies_dir()):
        if folder != backup_dir():
            private_dir(backup_dir())
        private_dir(folder)
    else:
        folder.mkdir(parents=True, exist_ok=True)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")


def _fsync(path: Path) -> None:
    with path.open("rb") as fh:
        os.fsync(fh.fileno())


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
            return str(candidate)
        raise InputError(tr("backup", "Không tìm thấy {tool} (công cụ của PostgreSQL). Hãy cài PostgreSQL client "
                                      "trên máy này, hoặc sao lưu trên máy chủ bằng pg_dump.").format(tool=name))
    return found


def _pg_env(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    args = []
    if u.host:
        args += ["-h", u.host]
    if u.port:
        args += ["-p", str(u.port)]
    if u.username:
        args += ["-U", u.username]
    args += ["-d", u.database or ""]
    return args, env


def backup_as(db: Database, login: Login | None, out: Path | None = None) -> BackupResult:
    """A backup a person asks for (the backup screen, `dtbd backup`): a full copy holds everyone's
    data and the accounts, so it needs the `backup` permission; then `backup`."""
    with operations.reading(db, login) as session:
        operations.require(session, "backup")
    return backup(db.url, out)


def backup(url: str, out: Path | None = None) -> BackupResult:
    """A consistent copy of the database at `url` (default: a new file in the backups folder)."""
    source = sqlite_path(url)
    if source is not None:
        if not source.exists():
            raise InputError(tr("backup", "Không có tệp cơ sở dữ liệu {path}.").format(path=source))
        target = out or backup_dir() / f"dtbd-{_stamp()}{SQLITE_SUFFIX}"
        _make_folder(target.parent)
        copy_sqlite(source, target)
        return BackupResult(target, target.stat().st_size)
    if make_url(url).get_backend_name() == "postgresql":
        target = out or backup_dir() / f"dtbd-{_stamp()}{PG_SUFFIX}"
        _make_folder(target.parent)
        args, env = _pg_env(url)
        tmp = target.with_name(target.name + ".partial")
        tmp.touch()  # pg_dump writes into it and keeps its mode
        private_file(tmp)
        done = subprocess.run([_pg_tool("pg_dump"), "-Fc", "-f", str(tmp), *args], env=env,
                              capture_output=True, text=True)
        if done.returncode != 0:
            tmp.unlink(missing_ok=True)
            raise InputError(tr("backup", "pg_dump không sao lưu được: {error}").format(error=done.stderr.strip()))
        _fsync(tmp)
        tmp.replace(target)
        return BackupResult(target, target.stat().st_size)
    raise InputError(tr("backup", "Chưa hỗ trợ sao lưu loại cơ sở dữ liệu này."))


def check_sqlite_copy(path: Path) -> str:
    """Check a SQLite backup before it replaces anything; returns its schema revision."""
    if not path.exists():
        raise InputError(tr("backup", "Không có tệp {path}.").format(path=path))
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            result = con.execute("PRAGMA integrity_check").fetchone()[0]
            revision = con.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise InputError(tr("backup", "Tệp {path} không phải bản sao lưu của DTBD Desktop ({error}).")
                         .format(path=path, error=exc)) from exc
    if result != "ok":
        raise InputError(tr("backup", "Tệp {path} bị hỏng (kiểm tra toàn vẹn: {result}); không phục hồi từ tệp này.")
                         .format(path=path, result=result))
    if revision is None or revision[0] not in known_revisions():
        raise InputError(tr("backup", "Tệp {path} được tạo bởi phiên bản khác của chương trình; không phục hồi được.")
                         .format(path=path))
    return str(revision[0])


class BackupNotVerified(InputError):
    """The copy's audit log or protected records do not verify: restored only with a reason."""


@dataclass(frozen=True)
class RestoreResult:
    previous: Path | None
    summary: RestoreSummary | None = None
    overridden: bool = False


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_and_finish(db: Database, login: Login | None, carry: Carry, source: Path,
                      override: str | None) -> RestoreSummary:
    """In the copy (already in place for PostgreSQL, staged for SQLite): check its audit log and
    protected records, then carry over and record the restore, as an administrator of the copy."""
    with db.read() as session:
        report = audit_check.verify(session)
    problems = [b.problem for b in report.breaks]
    if problems and not (override and override.strip()):
        raise BackupNotVerified(tr("backup", "Không phục hồi từ {name}: bản sao lưu không qua được kiểm tra nhật ký và dữ "
                                      "liệu được bảo vệ ({n} chỗ), có thể đã bị sửa ngoài chương trình. Nếu vẫn phải "
                                      "dùng bản này, quản trị ghi lý do: dtbd restore TỆP --override \"lý do\" "
                                      "(lý do được ghi vào nhật ký).").format(name=source.name, n=len(problems)),
                         [Problem(p) for p in problems[:30]])
    try:
        with operations.writing(db, login) as session:
            summary = restore_service.finish_restore(
                session, carry=carry, source_name=source.name, source_digest=_digest(source),
                override_reason=override.strip() if problems and override else None, problems=problems)
    except PermissionDenied as exc:
        who = login.username if login is not None else None
        if who is None:
            message = tr("backup", "Bản sao lưu {name} có tài khoản: hãy đăng nhập bằng tài khoản quản trị có trong "
                                   "bản sao lưu để phục hồi.").format(name=source.name)
        else:
            message = tr("backup", "Không phục hồi từ {name}: trong bản sao lưu, {user} không phải tài khoản quản trị "
                                   "với mật khẩu hiện tại (bản sao lưu không có tài khoản này, có vai trò khác, hoặc "
                                   "mật khẩu đã đổi sau khi sao lưu). Phục hồi bản này sẽ đổi người được quyền quản "
                                   "trị, nên chương trình không làm. ({detail})").format(
                name=source.name, user=who, detail=exc.message)
        raise PermissionDenied(message) from exc
    witness.reset(db, summary.head)
    return summary


def restore(url: str, source: Path, *, login: Login | None = None, override: str | None = None) -> RestoreResult:
    """Check the copy, keep the current database aside, and put the copy in its place.

    Needs an administrator of the current database who is also an administrator of the copy.
    A copy whose audit log or protected records do not verify is refused, unless `override`
    gives the reason (recorded in the audit). Register lines, revocations, numbers and keys of the
    current database that the copy lacks are carried into it, or the restore is refused with their
    list (`services.restore`). Close every connection to the database first (the GUI does so)."""
    current = open_database(url)
    try:
        with operations.reading(current, login) as session:
            operations.require(session, "restore")
            carry = restore_service.read_carry(session)
    finally:
        current.dispose()
    target = sqlite_path(url)
    if target is not None:
        check_sqlite_copy(source)
        staged = target.with_name(target.name + ".restoring")
        copy_sqlite(source, staged)
        try:
            staged_db = open_database(f"sqlite:///{staged}")  # a copy from an older program is upgraded
            try:
                summary = _check_and_finish(staged_db, login, carry, source, override)
            finally:
                staged_db.dispose()
        except BaseException:
            staged.unlink(missing_ok=True)
            for suffix in ("-wal", "-shm"):
                Path(str(staged) + suffix).unlink(missing_ok=True)
            raise
        previous = None
        if target.exists():
            previous = restore_copies_dir() / f"before-restore-{_stamp()}{SQLITE_SUFFIX}"
            _make_folder(previous.parent)
            copy_sqlite(target, previous)
            rotate_restore_copies()
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        staged.replace(target)
        return RestoreResult(previous, summary, bool(override))
    if make_url(url).get_backend_name() == "postgresql":
        previous = backup(url, restore_copies_dir() / f"before-restore-{_stamp()}{PG_SUFFIX}").path
        rotate_restore_copies()
        _pg_restore(url, source, previous)
        db = open_database(url)
        try:
            summary = _check_and_finish(db, login, carry, source, override)
        except BaseException:
            db.dispose()
            _pg_restore(url, previous, None)  # put the database back as it was
            raise
        db.dispose()
        return RestoreResult(previous, summary, bool(override))
    raise InputError(tr("backup", "Chưa hỗ trợ phục hồi loại cơ sở dữ liệu này."))


def _pg_restore(url: str, source: Path, previous: Path | None) -> None:
    args, env = _pg_env(url)
    done = subprocess.run([_pg_tool("pg_restore"), "--clean", "--if-exists", "--single-transaction", *args,
                           str(source)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise InputError(tr("backup", "pg_restore không phục hồi được: {error}. Cơ sở dữ liệu cũ vẫn còn; "
                                      "bản sao trước khi phục hồi: {previous}").format(
            error=done.stderr.strip()[-2000:], previous=previous or "-"))


def restore_copies_dir() -> Path:
    return backup_dir() / "before-restore"


def rotate_restore_copies(keep: int = 10) -> list[Path]:
    """The copies taken before restores are kept like backups: the newest `keep`."""
    return rotate(restore_copies_dir(), keep, prefix="before-restore-")


def rotate(folder: Path, keep: int, *, prefix: str = "dtbd-") -> list[Path]:
    """Delete the oldest automatic backups beyond `keep`; returns what was removed."""
    files = sorted((p for p in folder.glob(f"{prefix}*") if p.suffix in (SQLITE_SUFFIX, PG_SUFFIX)),
                   key=lambda p: p.name, reverse=True)
    removed = files[max(keep, 1):]
    for p in removed:
        p.unlink(missing_ok=True)
    return removed


def latest_backup(folder: Path | None = None) -> Path | None:
    folder = folder or backup_dir()
    files = sorted(folder.glob(f"dtbd-*{SQLITE_SUFFIX}"), key=lambda p: p.name, reverse=True)
    return files[0] if files else None


def backup_due(folder: Path | None = None, *, now: dt.datetime | None = None, hours: int = 24) -> bool:
    """True when the last automatic backup is older than `hours` (or there is none)."""
    last = latest_backup(folder)
    if last is None:
        return True
    age = (now or dt.datetime.now()) - dt.datetime.fromtimestamp(last.stat().st_mtime)
    return age > dt.timedelta(hours=hours)
