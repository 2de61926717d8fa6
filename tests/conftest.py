"""Fixtures: every test gets a fresh database, on SQLite and (for database tests) PostgreSQL too.

A migrated, seeded template is made once per run for each backend; each test gets a copy
(a file copy for SQLite, CREATE DATABASE ... TEMPLATE for PostgreSQL), so tests are isolated
and fast. PostgreSQL comes from DTBD_TEST_PG_URL (scripts/dev.py test starts a throwaway
server); without it the PostgreSQL variants are skipped locally and fail in CI.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from dtbd_desktop.base.i18n import set_translator
from dtbd_desktop.db.engine import Database, open_database
from dtbd_desktop.services.startup import open_centre
from tests import pg_server
from tests.memory_keyring import MemoryKeyring

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 at a small cost: tests log in hundreds of times (test_accounts checks the real costs)."""
    from argon2 import PasswordHasher

    from dtbd_desktop.trust import accounts

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the user's real data folder, database or language."""
    monkeypatch.setenv("DTBD_DATA_DIR", str(tmp_path / "userdata"))
    monkeypatch.delenv("DTBD_DATABASE_URL", raising=False)
    monkeypatch.delenv("DTBD_LANG", raising=False)
    set_translator(None)
    yield
    set_translator(None)


@pytest.fixture(autouse=True)
def memory_keyring() -> MemoryKeyring:
    """Every test gets an empty credential store in memory, never the OS's real one."""
    import keyring

    store = MemoryKeyring()
    keyring.set_keyring(store)  # the next test sets its own; the real store is never even looked up
    return store


@pytest.fixture
def no_keyring(memory_keyring: MemoryKeyring) -> None:
    """A PC without a credential store (Linux without a Secret Service): keyring's `fail` backend."""
    import keyring
    from keyring.backends import fail

    keyring.set_keyring(fail.Keyring())


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.sqlite3"
    db = open_centre(f"sqlite:///{path}")
    db.dispose()
    return path


DEMO_TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo centre as of DEMO_TODAY, built once per run (its signing key in a temporary folder)."""
    from dtbd_desktop.services.demo import build_demo

    folder = tmp_path_factory.mktemp("demo")
    previous = os.environ.get("DTBD_DATA_DIR")
    os.environ["DTBD_DATA_DIR"] = str(folder / "userdata")
    try:
        db = open_centre(f"sqlite:///{folder / 'demo.sqlite3'}")
        build_demo(db, today=DEMO_TODAY)
        db.dispose()
    finally:
        if previous is None:
            os.environ.pop("DTBD_DATA_DIR", None)
        else:
            os.environ["DTBD_DATA_DIR"] = previous
    return folder / "demo.sqlite3"


@pytest.fixture
def demo_db(tmp_path: Path, demo_template: Path) -> Iterator[Database]:
    """A fresh copy of the demo centre, on a PC holding the demo's enrolled signing key."""
    key = demo_template.parent / "userdata" / "keys"
    target = Path(os.environ["DTBD_DATA_DIR"]) / "keys"
    shutil.copytree(key, target, dirs_exist_ok=True)
    database = open_database(_sqlite_copy(demo_template, tmp_path / "demo"))
    try:
        yield database
    finally:
        database.dispose()


def _pg_admin_or_skip() -> str:
    admin = pg_server.admin_url()
    if admin is None:
        message = "no PostgreSQL server: set DTBD_TEST_PG_URL (scripts/dev.py test starts one)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return admin


@pytest.fixture(scope="session")
def pg_template() -> Iterator[tuple[str, str]]:
    admin = _pg_admin_or_skip()
    name = f"dtbd_template_{os.getpid()}"
    pg_server.drop_database(admin, name)
    pg_server.create_database(admin, name)
    db = open_centre(pg_server.database_url(admin, name))
    db.dispose()
    yield admin, name
    pg_server.drop_database(admin, name)


def _sqlite_copy(template: Path, folder: Path) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "dtbd.sqlite3"
    shutil.copyfile(template, target)
    return f"sqlite:///{target}"


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh, migrated and seeded SQLite database file."""
    return _sqlite_copy(sqlite_template, tmp_path / "db")


@pytest.fixture
def pg_url(pg_template: tuple[str, str]) -> Iterator[str]:
    """A fresh, migrated and seeded database of its own on the test PostgreSQL server."""
    admin, template = pg_template
    name = f"dtbd_t_{uuid.uuid4().hex[:12]}"
    pg_server.clone_database(admin, template, name)
    try:
        yield pg_server.database_url(admin, name)
    finally:
        pg_server.drop_database(admin, name)


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    """A fresh database on each backend: database tests run on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return _sqlite_copy(sqlite_template, tmp_path / "db")
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    try:
        yield database
    finally:
        database.dispose()


@pytest.fixture
def sqlite_db(sqlite_url: str) -> Iterator[Database]:
    database = open_database(sqlite_url)
    try:
        yield database
    finally:
        database.dispose()
