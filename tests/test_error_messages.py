"""Errors never echo SQL, hashes or passwords; the log file records what went wrong for the
technician, with its traceback, but no national ID, password or hash."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from dtbd_desktop.base.errors import DatabaseError, describe_database_error
from dtbd_desktop.base.logfile import close_logging, log_path
from dtbd_desktop.base.paths import user_data_dir
from dtbd_desktop.base.redact import scrub_for_log, scrub_secrets
from dtbd_desktop.cli.main import main
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.db.models import User

NEW_PASSWORD = "Mat-khau-moi-2025"
SECRET_WORDS = ("SQL", "INSERT", "$argon2", NEW_PASSWORD, "parameters")


@pytest.fixture(autouse=True)
def _close_log() -> Iterator[None]:
    yield
    close_logging()  # the next test logs into its own data folder


@pytest.fixture
def username_taken_meanwhile() -> Iterator[None]:
    """Another PC creates the same account between the program's check and its INSERT: the
    database's unique constraint refuses the row (a real violation, not a check in Python)."""

    def before_flush(session: Session, _context: Any, _instances: Any) -> None:
        for obj in session.new:
            if isinstance(obj, User):
                session.connection().execute(insert(User).values(
                    username=obj.username, full_name="Máy khác", role="viewer", active=True, failed_logins=0))

    event.listen(Session, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(Session, "before_flush", before_flush)


@pytest.mark.parametrize("as_json", [False, True])
def test_a_failed_users_add_shows_neither_sql_nor_hash_nor_password(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db_url: str,
        username_taken_meanwhile: None, as_json: bool) -> None:
    monkeypatch.setenv("DTBD_NEW_PASSWORD", NEW_PASSWORD)
    code = main(["--db", db_url, "users", "add", "thu.ky", "--name", "Nguyễn Thị Thu", "--role", "admin"]
                + (["--json"] if as_json else []))
    out, err = capsys.readouterr()
    assert code == 1
    assert "trùng" in err  # what happened, in the person's words
    for word in SECRET_WORDS:
        assert word not in out and word not in err, word
    logged = log_path().read_text(encoding="utf-8")  # the technician gets the traceback...
    assert "IntegrityError" in logged and "Traceback" in logged
    assert "$argon2" not in logged and NEW_PASSWORD not in logged  # ...without the hash


def test_debug_shows_the_traceback_without_the_hash(capsys: pytest.CaptureFixture[str], sqlite_url: str,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   username_taken_meanwhile: None) -> None:
    monkeypatch.setenv("DTBD_NEW_PASSWORD", NEW_PASSWORD)
    code = main(["--db", sqlite_url, "users", "add", "thu.ky", "--name", "Thu", "--role", "admin", "--debug"])
    _out, err = capsys.readouterr()
    assert code == 1
    assert "Traceback" in err and "IntegrityError" in err
    assert "$argon2" not in err and NEW_PASSWORD not in err


def test_integrity_errors_say_which_kind_of_constraint(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with pytest.raises(IntegrityError) as info, db.write(raw=True) as session:
            for _ in range(2):
                session.add(User(username="trung", full_name="Trùng", role="viewer",
                                 password_hash="$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA"))
                session.flush()
        message = describe_database_error(info.value)
        assert message.startswith("Dữ liệu bị trùng với một bản ghi đã có")
        assert "users" in message  # the table or constraint, for the technician
        assert "argon2" not in message and "INSERT" not in message and "Trùng" not in message
        with pytest.raises(IntegrityError) as info, db.write(raw=True) as session:
            session.add(User(username="gv", full_name="GV", role="lecturer", lecturer_id=987654))
            session.flush()
        assert describe_database_error(info.value).startswith("Dữ liệu liên kết tới một bản ghi không có")
    finally:
        db.dispose()


def test_an_integrity_error_of_unknown_kind_gets_the_generic_message() -> None:
    exc = IntegrityError("INSERT INTO x VALUES (?)", ("001085012345",), Exception("something odd"))
    assert describe_database_error(exc) == "Dữ liệu bị trùng hoặc không hợp lệ."


def test_a_database_error_keeps_the_driver_s_reason_without_sql_or_credentials() -> None:
    exc = OperationalError("UPDATE users SET password_hash=? WHERE id=?", ("$argon2id$v=19$abc", 1),
                           sqlite3.OperationalError("database is locked"))
    assert "[SQL:" in str(exc)  # what SQLAlchemy would have printed
    assert describe_database_error(exc) == "database is locked"
    exc = OperationalError("SELECT 1", None, Exception(
        'connection to "postgresql://dtbd:Bi-mat@may-chu/dtbd" failed: password=Bi-mat rejected'))
    message = describe_database_error(exc)
    assert "Bi-mat" not in message and "may-chu" in message and "failed" in message


def test_opening_a_server_that_refuses_names_it_without_its_password() -> None:
    with pytest.raises(DatabaseError) as info:
        open_database("postgresql+psycopg://dtbd:Bi-mat-123@127.0.0.1:1/dtbd?connect_timeout=3")
    assert "Bi-mat-123" not in info.value.message
    assert "127.0.0.1" in info.value.message


@pytest.mark.parametrize(("text", "hidden", "kept"), [
    ("học viên 001085012345 vắng", "001085012345", "học viên"),
    ("CMND 271234567, số 12", "271234567", "số 12"),
    ("postgresql+psycopg://dtbd:Bi-mat@may-chu/dtbd", "Bi-mat", "dtbd:***@may-chu/dtbd"),
    ("PGPASSWORD=Bi-mat pg_dump", "Bi-mat", "pg_dump"),
    ('{"password": "Bi mat"}', "Bi mat", "password"),
    ("hash $argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA end", "c2FsdA", "end"),
    ("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----", "MC4CAQ", "PEM"),
    ("[SQL: INSERT INTO learners (full_name) VALUES (?)]\n[parameters: ('Nguyễn Văn An',)]", "Nguyễn", "INSERT"),
    ("backup dtbd-20250301-101500-123456.sqlite3", "never", "20250301-101500-123456"),  # dates stay
])
def test_the_log_scrubs_ids_passwords_hashes_and_keys(text: str, hidden: str, kept: str) -> None:
    scrubbed = scrub_for_log(text)
    assert hidden not in scrubbed
    assert kept in scrubbed


def test_messages_for_people_keep_national_ids_but_not_secrets() -> None:
    assert scrub_secrets("CCCD 001085012345 password=x") == "CCCD 001085012345 password=***"


def test_an_unexpected_error_in_a_command_is_logged_with_its_traceback_and_no_national_id(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, sqlite_url: str) -> None:
    from dtbd_desktop.cli import commands_base

    def broken(ctx: object) -> tuple[object, int]:
        raise RuntimeError("hỏng khi đọc học viên 001085012345, password=Bi-mat")

    monkeypatch.setattr(commands_base, "cmd_programmes_list", broken)
    code = main(["--db", sqlite_url, "programmes", "list"])
    _out, err = capsys.readouterr()
    assert code == 1
    assert "Lỗi không mong đợi (RuntimeError)" in err
    assert str(log_path()) in err  # where the technician looks
    assert "Bi-mat" not in err
    logged = log_path().read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in logged
    assert "RuntimeError: hỏng khi đọc học viên ***, password=***" in logged
    assert "in broken" in logged  # the frame that raised
    assert "001085012345" not in logged and "Bi-mat" not in logged


def test_help_and_a_successful_command_leave_no_log(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    assert main(["--help"]) == 0
    assert main(["users", "--help"]) == 0
    assert not user_data_dir().exists()  # --help does not even make the data folder
    assert main(["--db", sqlite_url, "programmes", "list"]) == 0
    assert not log_path().exists()
    capsys.readouterr()


def test_a_damaged_database_file_is_explained_and_logged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    damaged = tmp_path / "hong.sqlite3"
    damaged.write_bytes(b"not a database at all" * 100)
    code = main(["--db", f"sqlite:///{damaged}", "programmes", "list"])
    _out, err = capsys.readouterr()
    assert code == 1
    assert "file is not a database" in err and "SQL" not in err
    logged = log_path().read_text(encoding="utf-8")
    assert "ERROR" in logged and "sqlalchemy.exc.DatabaseError" in logged
