"""Opening the database: URL resolution, SQLite pragmas, migrations at start-up.

The default is a SQLite file in the user's data folder; any SQLAlchemy URL works,
PostgreSQL included. Migrations run in one transaction, after a copy of an existing
SQLite file has been made.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from dtbd_desktop.base.config import ENV_DATABASE_URL, default_database_file
from dtbd_desktop.base.errors import ConflictError, DatabaseError, describe_database_error
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import private_dir, private_file, sqlite_companions, user_data_dir
from dtbd_desktop.db.sqlite_copy import copy_sqlite

ENV_URL = ENV_DATABASE_URL
# The newest migration. Checked against Alembic by a test; lets a start-up on an up-to-date
# database skip importing Alembic at all (it costs about a second).
SCHEMA_HEAD = "0006_past"  # Alembic allows no "-" in a revision id
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
BUSY_TIMEOUT_MS = 30_000


def default_url() -> str:
    """The SQLite file in the user's data folder."""
    return f"sqlite:///{default_database_file()}"


def resolve_url(url: str | None) -> str:
    """`--db URL`, else DTBD_DATABASE_URL, else this PC's configuration (set by the first-run
    wizard; its password comes from the credential store), else the default SQLite file."""
    from dtbd_desktop.base.config import load_config
    from dtbd_desktop.base.credentials import with_password

    if url or os.environ.get(ENV_URL):
        return url or os.environ[ENV_URL]
    configured = load_config().get("database_url")
    return with_password(configured) if isinstance(configured, str) and configured else default_url()


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and in-memory SQLite."""
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _install_sqlite_pragmas(engine: Engine, path: Path | None) -> None:
    """WAL, foreign keys, busy timeout; and real transactions around DDL (pysqlite skips them).
    The file is made private (0600) at each connection, before SQLite makes its -wal and -shm
    files, which take the database file's mode."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
        if path is not None:
            for file in sqlite_companions(path):
                private_file(file)
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Writers take the write lock at BEGIN, so they wait in busy_timeout rather than fail
        # with "database is locked" when upgrading a read lock.
        mode = connection.get_execution_options().get("sqlite_begin", "")
        connection.exec_driver_sql(f"BEGIN {mode}".strip())


def make_engine(url: str) -> Engine:
    try:
        u = make_url(url)
    except ArgumentError as exc:
        raise DatabaseError(
            tr("db", "Địa chỉ cơ sở dữ liệu không hợp lệ: {url}. Ví dụ: sqlite:///C:/dtbd/dtbd.sqlite3 "
               "hoặc postgresql+psycopg://user:matkhau@may-chu/dtbd").format(url=url)
        ) from exc
    kwargs: dict[str, Any] = {}
    if u.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            if path.parent == user_data_dir():
                private_dir(path.parent)
            else:  # a file the person put elsewhere: the file is private, its folder is theirs
                path.parent.mkdir(parents=True, exist_ok=True)
        kwargs["connect_args"] = {"timeout": BUSY_TIMEOUT_MS / 1000}
    elif u.get_backend_name() == "postgresql":
        kwargs["pool_pre_ping"] = True
    try:
        engine = create_engine(u, **kwargs)
    except (NoSuchModuleError, ImportError) as exc:
        raise DatabaseError(
            tr("db", "Không hỗ trợ loại cơ sở dữ liệu '{name}'. Dùng sqlite hoặc postgresql+psycopg.").format(
                name=u.drivername
            )
        ) from exc
    if u.get_backend_name() == "sqlite":
        _install_sqlite_pragmas(engine, sqlite_path(url))
    return engine


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_alembic_config(None)).get_current_head()
    assert head is not None
    return str(head)


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_alembic_config(None)).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        value = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        return None if value is None else str(value)


def backup_sqlite_file(path: Path, label: str) -> Path:
    """A consistent copy of a SQLite file next to it, taken before a migration (`sqlite_copy`)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return copy_sqlite(path, path.with_name(f"{path.stem}.before-{label}-{stamp}{path.suffix}"))


def migrate(engine: Engine) -> tuple[str, bool]:
    """Bring the schema to the program's version. Returns (revision, created_new)."""
    try:
        current = current_revision(engine)
    except OperationalError as exc:
        raise DatabaseError(
            tr("db", "Không mở được cơ sở dữ liệu {url}: {error}").format(
                url=engine.url.render_as_string(hide_password=True), error=describe_database_error(exc)
            )
        ) from exc
    if current == SCHEMA_HEAD:
        return SCHEMA_HEAD, False
    head = head_revision()
    if current is not None and current not in known_revisions():
        raise DatabaseError(
            tr("db", "Cơ sở dữ liệu được tạo bởi phiên bản mới hơn của chương trình (lược đồ {rev}). "
               "Hãy cài phiên bản mới nhất của DTBD Desktop.").format(rev=current)
        )
    path = sqlite_path(str(engine.url))
    if current is not None and path is not None and path.exists():
        backup_sqlite_file(path, current)
    from alembic import command

    with engine.connect() as conn:
        sqlite = engine.dialect.name == "sqlite"
        raw = conn.connection.dbapi_connection
        if sqlite and raw is not None:
            # SQLite's own procedure for rebuilding a table that others refer to (a migration that
            # changes a constraint): foreign keys off outside the transaction, checked before the commit.
            raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                command.upgrade(_alembic_config(conn), "head")
                if sqlite and conn.exec_driver_sql("PRAGMA foreign_key_check").first() is not None:
                    raise DatabaseError(tr("db", "Nâng cấp cơ sở dữ liệu làm hỏng liên kết giữa các bảng; đã hoàn "
                                                 "tác, dữ liệu giữ nguyên."))
        finally:
            if sqlite and raw is not None:
                raw.execute("PRAGMA foreign_keys = ON")
    return head, current is None


#: `Session.info` keys: how many operations are running in the unit of work (dtbd_desktop.trust.operations
#: counts them), and whether it is a raw one (seeding, the demo, migrations, logging in).
OPS_DEPTH = "dtbd.ops_depth"
RAW = "dtbd.raw"


class WriteOutsideOperation(RuntimeError):
    """A change to the records was made outside an operation of the core (a bug in the caller)."""


def _guard_flush(session: Session, _context: Any, _instances: Any) -> None:
    if session.info.get(OPS_DEPTH, 0) or session.info.get(RAW):
        return
    if session.new or session.dirty or session.deleted:
        changed = next(iter([*session.new, *session.dirty, *session.deleted]))
        raise WriteOutsideOperation(f"{type(changed).__name__} changed outside an operation of the core")


def _guard_execute(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update or state.is_delete) and not (
            state.session.info.get(OPS_DEPTH, 0) or state.session.info.get(RAW)):
        raise WriteOutsideOperation("a bulk change outside an operation of the core")


class Database:
    """One open database: the engine, and sessions for reading and for units of work.

    Every change to the records goes through an operation of the core (`dtbd_desktop.trust.operations`),
    which checks who acts, owns the audit entry and runs inside `write()`; a unit of work in which
    something changes outside an operation refuses to flush (`WriteOutsideOperation`). Only
    seeding, the demo builder, logging in and tests arranging data use `write(raw=True)`.
    """

    def __init__(self, url: str, engine: Engine, revision: str, created: bool) -> None:
        self.url = url
        self.engine = engine
        self.revision = revision
        self.created = created
        self.is_sqlite = engine.dialect.name == "sqlite"
        writer = engine.execution_options(sqlite_begin="IMMEDIATE") if self.is_sqlite else engine
        self._reader = sessionmaker(engine, expire_on_commit=False)
        self._writer = sessionmaker(writer, expire_on_commit=False)
        for maker in (self._reader, self._writer):
            event.listen(maker, "before_flush", _guard_flush)
            event.listen(maker, "do_orm_execute", _guard_execute)

    @property
    def display_url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        with self._reader() as session:
            try:
                yield session
            finally:
                session.rollback()

    @contextmanager
    def write(self, *, raw: bool = False) -> Iterator[Session]:
        """A unit of work: committed whole at the end, rolled back whole on any error.

        A record changed by someone else since it was read (its version moved on) raises
        ConflictError instead of silently overwriting their change. Changes must be made by
        operations of the core, unless `raw` (see the class's docstring)."""
        try:
            with self._writer() as session, session.begin():
                session.info[RAW] = raw
                yield session
        except StaleDataError as exc:
            raise ConflictError(tr("db", "Bản ghi này vừa được người khác sửa trong lúc bạn làm việc, nên thay đổi "
                                         "của bạn chưa được lưu. Hãy mở lại để xem bản mới nhất rồi sửa lại.")) from exc

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, seed: Callable[[Session], object] | None = None) -> Database:
    """Resolve, connect and migrate (creating the database when missing); `seed` then fills what a
    new database needs, in a raw unit of work (`services.startup.open_centre` seeds the catalogue)."""
    resolved = resolve_url(url)
    engine = make_engine(resolved)
    try:
        revision, created = migrate(engine)
        db = Database(resolved, engine, revision, created)
        if seed is not None:
            with db.write(raw=True) as session:
                seed(session)
    except OperationalError as exc:
        engine.dispose()
        raise DatabaseError(
            tr("db", "Không mở được cơ sở dữ liệu {url}: {error}").format(
                url=engine.url.render_as_string(hide_password=True), error=describe_database_error(exc)
            )
        ) from exc
    except BaseException:
        engine.dispose()
        raise
    return db
