"""The PostgreSQL server the tests use: make, copy and drop databases on it.

The server comes from DTBD_TEST_PG_URL, an SQLAlchemy URL of a superuser connection
(``postgresql+psycopg://postgres@127.0.0.1:PORT/postgres``); ``scripts/dev.py test`` starts
a throwaway server and sets it. Databases are made with UTF-8 encoding and the C collation,
so ordering is the same on every server (and matches SQLite's byte order).
"""

from __future__ import annotations

import os
import time

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

ENV_VAR = "DTBD_TEST_PG_URL"


def admin_url() -> str | None:
    """The superuser URL from DTBD_TEST_PG_URL, or None when no server is configured."""
    url = os.environ.get(ENV_VAR, "").strip()
    return url or None


def libpq_url(url: str) -> str:
    """An SQLAlchemy URL (``postgresql+psycopg://...``) as a URL psycopg/libpq accepts."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def database_url(admin_url: str, name: str) -> str:
    """The SQLAlchemy URL of database `name` on the same server, as the same user."""
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _connect(admin_url: str) -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(libpq_url(admin_url), autocommit=True)


def _terminate_connections(conn: psycopg.Connection[tuple[object, ...]], name: str) -> None:
    conn.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )


def create_database(admin_url: str, name: str) -> None:
    """CREATE DATABASE `name` (UTF-8, C collation)."""
    with _connect(admin_url) as conn:
        conn.execute(
            sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0").format(
                sql.Identifier(name)
            )
        )


def drop_database(admin_url: str, name: str) -> None:
    """Drop database `name` if it exists, ending any other connections to it first."""
    with _connect(admin_url) as conn:
        _terminate_connections(conn, name)
        force = sql.SQL(" WITH (FORCE)") if conn.info.server_version >= 130000 else sql.SQL("")
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}{}").format(sql.Identifier(name), force))


def clone_database(admin_url: str, template: str, name: str) -> None:
    """CREATE DATABASE `name` TEMPLATE `template`: a fast copy of a prepared database.

    PostgreSQL refuses while anything else is connected to the template; lingering
    connections (a pool not yet closed) are ended and the copy tried again.
    """
    statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(sql.Identifier(name), sql.Identifier(template))
    with _connect(admin_url) as conn:
        for attempt in range(5):
            try:
                conn.execute(statement)
                return
            except psycopg.errors.ObjectInUse:
                if attempt == 4:
                    raise
                _terminate_connections(conn, template)
                time.sleep(0.1 * (attempt + 1))
