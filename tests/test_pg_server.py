"""The test PostgreSQL server helper: databases are made, copied and dropped for real."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from sqlalchemy import create_engine, text

from tests import pg_server

NO_SERVER = "no PostgreSQL server: set DTBD_TEST_PG_URL"


def _admin_or_skip() -> str:
    admin = pg_server.admin_url()
    if admin is None:
        if os.environ.get("CI") == "true":
            pytest.fail(NO_SERVER)  # CI must always test PostgreSQL
        pytest.skip(NO_SERVER)
    return admin


def _database_names(admin: str) -> set[str]:
    with psycopg.connect(pg_server.libpq_url(admin), autocommit=True) as conn:
        return {row[0] for row in conn.execute("SELECT datname FROM pg_database")}


def test_database_url_names_another_database_on_the_same_server() -> None:
    admin = "postgresql+psycopg://postgres:s%40cret@127.0.0.1:54321/postgres?connect_timeout=5"
    assert pg_server.database_url(admin, "dtbd_x") == (
        "postgresql+psycopg://postgres:s%40cret@127.0.0.1:54321/dtbd_x?connect_timeout=5"
    )
    assert pg_server.libpq_url(admin) == "postgresql://postgres:s%40cret@127.0.0.1:54321/postgres?connect_timeout=5"


def test_admin_url_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DTBD_TEST_PG_URL", raising=False)
    assert pg_server.admin_url() is None
    monkeypatch.setenv("DTBD_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    assert pg_server.admin_url() == "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@pytest.mark.postgres
def test_create_clone_and_drop_a_database() -> None:
    admin = _admin_or_skip()
    base = f"dtbd_pgtest_{uuid.uuid4().hex[:10]}"
    clone = f"{base}_copy"
    try:
        pg_server.create_database(admin, base)
        assert base in _database_names(admin)

        engine = create_engine(pg_server.database_url(admin, base))
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE t (name text)"))
            conn.execute(text("INSERT INTO t VALUES ('Nguyễn Văn Ánh')"))
            encoding = conn.execute(text("SHOW server_encoding")).scalar()
        engine.dispose()
        assert encoding == "UTF8"

        pg_server.clone_database(admin, base, clone)
        assert {base, clone} <= _database_names(admin)

        engine = create_engine(pg_server.database_url(admin, clone))
        with engine.connect() as conn:
            assert conn.execute(text("SELECT name FROM t")).scalar() == "Nguyễn Văn Ánh"
        engine.dispose()

        # A connection left open does not stop the drop: it is ended first.
        lingering = psycopg.connect(pg_server.libpq_url(pg_server.database_url(admin, clone)))
        try:
            pg_server.drop_database(admin, clone)
        finally:
            lingering.close()
        pg_server.drop_database(admin, base)

        names = _database_names(admin)
        assert base not in names
        assert clone not in names
        pg_server.drop_database(admin, base)  # dropping what is gone is no error
    finally:
        pg_server.drop_database(admin, clone)
        pg_server.drop_database(admin, base)
