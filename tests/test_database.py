"""The database: migrations at start-up, constraints enforced by the database itself."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text
from sqlalchemy.exc import IntegrityError

from dtbd_desktop.base.errors import DatabaseError
from dtbd_desktop.db import engine as engine_module
from dtbd_desktop.db.engine import Database, backup_sqlite_file, head_revision, open_database, resolve_url
from dtbd_desktop.db.models import Certificate, Enrolment, Learner, Register, Score
from dtbd_desktop.services.classes import create_class


def _learner(national_id: str | None, given: str = "An") -> Learner:
    return Learner(family_name="Nguyễn", middle_name="Văn", given_name=given, birth_year=1980, gender="M",
                   national_id=national_id, sort_key=given.lower(), search_key=f"nguyen van {given.lower()}")


def test_the_recorded_schema_head_is_alembics_head() -> None:
    assert head_revision() == engine_module.SCHEMA_HEAD


def test_a_new_database_is_at_the_programs_schema_version(db: Database) -> None:
    with db.engine.connect() as conn:
        version = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(inspect(conn).get_table_names())
    assert version == head_revision()
    assert {"learners", "classes", "sessions", "attendance", "scores", "certificates", "registers", "audit_log",
            "annual_plans", "feedback", "followups", "users", "organisations", "rule_sets"} <= tables


def test_national_id_is_unique(db: Database) -> None:
    with db.write(raw=True) as s:
        s.add(_learner("001085012345"))
    with pytest.raises(IntegrityError), db.write(raw=True) as s:
        s.add(_learner("001085012345", given="Bình"))
    with db.read() as s:
        assert s.scalar(select(Learner.given_name).where(Learner.national_id == "001085012345")) == "An"


def test_national_id_must_have_twelve_characters(db: Database) -> None:
    with pytest.raises(IntegrityError), db.write(raw=True) as s:
        s.add(_learner("12345"))


def test_people_without_a_national_id_are_allowed(db: Database) -> None:
    with db.write(raw=True) as s:
        s.add(_learner(None, "An"))
        s.add(_learner(None, "Bình"))
    with db.read() as s:
        assert len(s.scalars(select(Learner)).all()) == 2


def _enrolment(db: Database) -> int:
    with db.write(raw=True) as s:
        cls = create_class(s, code="A1", programme="TC", start=dt.date(2025, 3, 1), end=dt.date(2025, 10, 30))
        person = _learner("001085012345")
        s.add(person)
        enrolment = Enrolment(training_class=cls, learner=person)
        s.add(enrolment)
        s.flush()
        return enrolment.id


@pytest.mark.parametrize("value", [Decimal("10.5"), Decimal("-1")])
def test_scores_outside_zero_to_ten_are_refused_by_the_database(db: Database, value: Decimal) -> None:
    enrolment_id = _enrolment(db)
    with db.read() as s:
        module_id = s.scalar(text("SELECT id FROM modules LIMIT 1"))
    with pytest.raises(IntegrityError), db.write(raw=True) as s:
        s.add(Score(enrolment_id=enrolment_id, module_id=module_id, value=value))
    with db.read() as s:
        assert s.scalars(select(Score)).all() == []


def test_serial_is_unique_within_a_register(db: Database) -> None:
    enrolment_id = _enrolment(db)

    def cert(sequence: int, serial: str) -> Certificate:
        return Certificate(register_id=register_id, enrolment_id=enrolment_id, sequence=sequence, serial=serial,
                           register_number=f"{sequence}/2025", issue_date=dt.date(2025, 11, 1),
                           full_name="Nguyễn Văn An", birth_date_text="1980", gender="M", verification_code="x")

    with db.write(raw=True) as s:
        register = Register(kind="diploma", year=2025, name="Sổ 2025", serial_pattern="{n}", register_pattern="{n}")
        s.add(register)
        s.flush()
        register_id = register.id
        s.add(cert(1, "000001"))
    with pytest.raises(IntegrityError), db.write(raw=True) as s:
        s.add(cert(2, "000001"))


def test_foreign_keys_are_enforced(db: Database) -> None:
    with pytest.raises(IntegrityError), db.write(raw=True) as s:
        s.add(Enrolment(class_id=999_999, learner_id=999_999))


def test_a_unit_of_work_is_all_or_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.write(raw=True) as s:
        s.add(_learner("001085099999"))
        s.flush()
        raise RuntimeError("power cut")
    with db.read() as s:
        assert s.scalars(select(Learner)).all() == []


def test_opening_again_does_not_migrate_or_reseed(db_url: str) -> None:
    first = open_database(db_url)
    first.dispose()
    again = open_database(db_url)
    try:
        assert again.created is False
        with again.read() as s:
            assert s.scalar(text("SELECT count(*) FROM programmes")) == 7
    finally:
        again.dispose()


def test_sqlite_pragmas(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000


def test_a_failing_migration_leaves_no_half_built_schema(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from alembic import command

    real_upgrade = command.upgrade

    def upgrade_then_fail(cfg: object, revision: str) -> None:
        real_upgrade(cfg, revision)  # type: ignore[arg-type]
        raise RuntimeError("disk full")

    monkeypatch.setattr(command, "upgrade", upgrade_then_fail)
    path = tmp_path / "half.sqlite3"
    with pytest.raises(RuntimeError):
        open_database(f"sqlite:///{path}")
    con = sqlite3.connect(path)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    finally:
        con.close()
    assert tables == []


def test_a_database_from_a_newer_program_is_refused(sqlite_url: str) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    con = sqlite3.connect(path)
    con.execute("UPDATE alembic_version SET version_num = 'ffff_future'")
    con.commit()
    con.close()
    with pytest.raises(DatabaseError, match="phiên bản mới hơn"):
        open_database(sqlite_url)


def test_backup_copy_is_a_consistent_database(sqlite_db: Database) -> None:
    path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    with sqlite_db.write(raw=True) as s:
        s.add(_learner("001085012345"))
    copy = backup_sqlite_file(path, "test")
    con = sqlite3.connect(copy)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT national_id FROM learners").fetchall() == [("001085012345",)]
    finally:
        con.close()


def test_url_resolution_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DTBD_DATABASE_URL", "sqlite:///from-env.db")
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"
    assert resolve_url(None) == "sqlite:///from-env.db"
    monkeypatch.delenv("DTBD_DATABASE_URL")
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'userdata' / 'dtbd.sqlite3'}"
    from dtbd_desktop.base.config import save_config

    save_config(database_url="postgresql+psycopg://dtbd@may-chu/dtbd")
    assert resolve_url(None) == "postgresql+psycopg://dtbd@may-chu/dtbd"
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"


@pytest.mark.parametrize("url", ["not a url", "mysql+nosuchdriver://x/y"])
def test_bad_urls_get_a_clear_message(url: str) -> None:
    with pytest.raises(DatabaseError) as info:
        open_database(url)
    assert "sqlite" in info.value.message


def _downgrade(url: str, revision: str) -> None:
    """Take a database back to an earlier schema, as that program left it (tests only)."""
    from alembic import command

    engine = engine_module.make_engine(url)
    try:
        with engine.connect() as conn:
            raw = conn.connection.dbapi_connection if engine.dialect.name == "sqlite" else None
            if raw is not None:
                raw.execute("PRAGMA foreign_keys = OFF")
            with conn.begin():
                command.downgrade(engine_module._alembic_config(conn), revision)
    finally:
        engine.dispose()


def test_party_membership_never_recorded_becomes_unknown_on_upgrade(db_url: str) -> None:
    """Schema 0002 kept `party_member` NOT NULL: a learner whose list said nothing was stored as
    "not a member". The upgrade makes those "not known"; members stay members, and the learners'
    enrolments, keys and checks survive SQLite's rebuild of the table."""
    db = open_database(db_url)
    with db.write(raw=True) as s:
        cls = create_class(s, code="P1", programme="SC", start=dt.date(2025, 3, 3), end=dt.date(2025, 3, 31))
        for given, member, joined in (("An", True, dt.date(2005, 3, 1)), ("Bình", None, None)):
            person = _learner(None, given)
            person.party_member, person.party_join_date = member, joined
            s.add(Enrolment(training_class=cls, learner=person))
    db.dispose()
    _downgrade(db_url, "0002")
    old = engine_module.make_engine(db_url)
    try:
        with old.connect() as conn:
            stored = {name: bool(member) for name, member in conn.execute(text("SELECT given_name, party_member FROM learners"))}
            assert stored == {"An": True, "Bình": False}
            assert not next(c for c in inspect(conn).get_columns("learners") if c["name"] == "party_member")["nullable"]
    finally:
        old.dispose()

    db = open_database(db_url)  # upgraded at start-up
    try:
        assert db.revision == head_revision()
        with db.read() as s:
            assert {n: m for n, m in s.execute(select(Learner.given_name, Learner.party_member))} == {
                "An": True, "Bình": None}
            assert s.scalar(select(func.count(Enrolment.id))) == 2
        with pytest.raises(IntegrityError), db.write(raw=True) as s:  # the table's checks came through
            s.add(_learner("12345", "Cường"))
        if db.is_sqlite:
            with db.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    finally:
        db.dispose()
