"""Accounts: Argon2 hashes, lock-out, roles and permissions checked in the core."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from dtbd_desktop import accounts
from dtbd_desktop.accounts import Actor, act_as
from dtbd_desktop.audit import verify_chain
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, ClassSession, Lecturer, User
from dtbd_desktop.errors import InputError
from dtbd_desktop.services.classes import create_class

D = dt.date


def _admin(db: Database) -> None:
    with db.write() as s:
        accounts.create_user(s, username="quantri", full_name="Nguyễn Văn Quản", role="admin",
                             password="mat-khau-dai")


def test_without_accounts_everyone_is_the_local_administrator(db: Database) -> None:
    with db.read() as s:
        assert accounts.effective_actor(s).role == "admin"
        assert accounts.allowed(s, "manage_users")


def test_the_first_account_must_be_an_administrator(db: Database) -> None:
    with pytest.raises(InputError, match="quản trị"), db.write() as s:
        accounts.create_user(s, username="lan", full_name="Lan", role="office", password="12345678")


def test_passwords_are_hashed_with_argon2id_and_checked(db: Database) -> None:
    _admin(db)
    with db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "quantri"))
    assert stored is not None and stored.startswith("$argon2id$") and "mat-khau-dai" not in stored
    actor = accounts.authenticate(db, "QuanTri", "mat-khau-dai")
    assert (actor.username, actor.role) == ("quantri", "admin")
    with pytest.raises(InputError, match="không đúng"):
        accounts.authenticate(db, "quantri", "sai")


def test_repeated_failures_lock_the_account(db: Database) -> None:
    _admin(db)
    now = dt.datetime(2026, 11, 23, 9, 0)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(InputError):
            accounts.authenticate(db, "quantri", "sai", now=now)
    with pytest.raises(InputError, match="tạm khóa"):
        accounts.authenticate(db, "quantri", "mat-khau-dai", now=now)
    # after the lock-out period the right password works again
    assert accounts.authenticate(db, "quantri", "mat-khau-dai", now=now + accounts.LOCKOUT).role == "admin"


def test_once_accounts_exist_someone_must_log_in(db: Database) -> None:
    _admin(db)
    with pytest.raises(InputError, match="đăng nhập"), db.read() as s:
        accounts.require(s, "view")


def test_roles_limit_what_a_person_may_do(db: Database) -> None:
    _admin(db)
    act_as(Actor("quantri", "Nguyễn Văn Quản", "admin"))
    with db.write() as s:
        mine = create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
        other = create_class(s, code="A2", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
        lecturer = Lecturer(family_name="Lê", middle_name="Văn", given_name="Tám", sort_key="x", search_key="le van tam")
        s.add(lecturer)
        s.flush()
        s.add(ClassSession(class_id=mine.id, date=D(2025, 3, 3), half="morning", lecturer_id=lecturer.id, periods=5))
        ids = (mine.id, other.id, lecturer.id)
    act_as(Actor("tam", "Lê Văn Tám", "lecturer", ids[2]))
    with db.read() as s:
        assert accounts.allowed(s, "mark_attendance", class_id=ids[0])
        assert not accounts.allowed(s, "mark_attendance", class_id=ids[1])
        assert not accounts.allowed(s, "issue_certificates")
    act_as(Actor("xem", "Người xem", "viewer"))
    with pytest.raises(InputError, match="không có quyền"), db.read() as s:
        accounts.require(s, "enter_scores", class_id=ids[0])


def test_admin_resets_a_password_and_it_is_audited(db: Database) -> None:
    _admin(db)
    act_as(Actor("quantri", "Nguyễn Văn Quản", "admin"))
    with db.write() as s:
        accounts.create_user(s, username="lan", full_name="Trần Thị Lan", role="office", password="ban-dau-123")
        accounts.reset_password(s, "lan", "moi-hoan-toan")
    act_as(None)
    assert accounts.authenticate(db, "lan", "moi-hoan-toan").role == "office"
    with db.read() as s:
        actions = [(e.username, e.action, e.entity_id) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert verify_chain(s) == []
    assert actions[-2:] == [("quantri", "user.create", "lan"), ("quantri", "user.reset_password", "lan")]


def test_the_last_administrator_cannot_be_demoted(db: Database) -> None:
    _admin(db)
    act_as(Actor("quantri", "Nguyễn Văn Quản", "admin"))
    with pytest.raises(InputError, match="ít nhất một"), db.write() as s:
        accounts.set_role(s, "quantri", "office")


def test_command_line_runs_as_a_named_user(db_url: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    import json

    from dtbd_desktop.cli.main import main

    monkeypatch.setenv("DTBD_NEW_PASSWORD", "mat-khau-dai")
    assert main(["--db", db_url, "users", "add", "quantri", "--name", "Quản trị", "--role", "admin", "--json"]) == 0
    capsys.readouterr()
    act_as(None)
    # Accounts exist now: without --user the command line is refused.
    assert main(["--db", db_url, "users", "list", "--json"]) == 1
    assert "đăng nhập" in json.loads(capsys.readouterr().out)["error"]
    monkeypatch.setenv("DTBD_PASSWORD", "sai-mat-khau")
    assert main(["--db", db_url, "--user", "quantri", "users", "list", "--json"]) == 1
    capsys.readouterr()
    monkeypatch.setenv("DTBD_PASSWORD", "mat-khau-dai")
    assert main(["--db", db_url, "--user", "quantri", "users", "list", "--json"]) == 0
    assert [u["username"] for u in json.loads(capsys.readouterr().out)] == ["quantri"]
    assert main(["--db", db_url, "--user", "quantri", "audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intact"] is True


def test_a_viewer_cannot_open_a_class_or_change_the_catalogue(db: Database) -> None:
    from dtbd_desktop.services import catalogue, classes
    from dtbd_desktop.services.organisations import save_organisation

    _admin(db)
    act_as(Actor("xem", "Người xem", "viewer"))
    with pytest.raises(InputError, match="không có quyền"), db.write() as s:
        classes.create_class(s, code="A9", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with pytest.raises(InputError, match="không có quyền"), db.write() as s:
        save_organisation(s, name="Xã Mới")
    with db.read() as s:
        rules = catalogue.programme_info(s, "TC").rules
    with pytest.raises(InputError, match="không có quyền"), db.write() as s:
        catalogue.save_rule_set(s, "TC", rules)
    act_as(Actor("lan", "Trần Thị Lan", "office"))
    with db.write() as s:
        classes.create_class(s, code="A9", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with db.read() as s:
        assert [r.code for r in classes.list_classes(s)] == ["A9"]
