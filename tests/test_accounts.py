"""Accounts: Argon2 hashes, lock-out, logins that cannot be made up, roles checked in the core."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from dtbd_desktop.base.errors import InputError, PermissionDenied
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, ClassSession, Lecturer, User
from dtbd_desktop.services import classes, users
from dtbd_desktop.trust import accounts, operations
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.trust.audit import verify_chain
from tests.logins import PASSWORD, admin_login, create_account

D = dt.date


def test_without_accounts_everyone_is_the_local_administrator(db: Database) -> None:
    with operations.writing(db, None) as s:
        who = operations.acting(s)
        assert (who.username, who.role, who.is_local) == (accounts.LOCAL_ADMIN, "admin", True)
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "classes.create")).one()
        assert (entry.username, entry.signature) == (accounts.LOCAL_ADMIN, None)


def test_the_first_account_must_be_an_administrator(db: Database) -> None:
    with pytest.raises(InputError, match="quản trị"):
        create_account(db, "lan", "office")


def test_passwords_are_hashed_with_argon2id_at_the_librarys_costs(db: Database,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher())  # the program's real costs, not the tests' quick ones
    admin_login(db)
    with db.read() as s:
        user = s.scalars(select(User).where(User.username == "quantri")).one()
        s.expunge(user)
    default = PasswordHasher()
    assert user.password_hash is not None and user.password_hash.startswith("$argon2id$")
    assert f"m={default.memory_cost},t={default.time_cost},p={default.parallelism}" in user.password_hash
    assert PASSWORD not in user.password_hash
    assert user.key_params is not None and user.key_params.startswith(f"argon2id$t={default.time_cost}$")
    login = accounts.authenticate(db, "QuanTri", PASSWORD)
    assert (login.username, login.role, login.public_key) == ("quantri", "admin", user.public_key)
    with pytest.raises(InputError, match="không đúng"):
        accounts.authenticate(db, "quantri", "sai")


def test_repeated_failures_lock_the_account(db: Database) -> None:
    admin_login(db)
    now = dt.datetime(2026, 11, 23, 9, 0)
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(InputError):
            accounts.authenticate(db, "quantri", "sai", now=now)
    with pytest.raises(InputError, match="tạm khóa"):
        accounts.authenticate(db, "quantri", PASSWORD, now=now)
    # after the lock-out period the right password works again
    assert accounts.authenticate(db, "quantri", PASSWORD, now=now + accounts.LOCKOUT).role == "admin"
    with db.read() as s:
        assert verify_chain(s) == []  # the lock-out entry is part of the chain


def test_a_login_cannot_be_made_from_a_name(db: Database) -> None:
    admin_login(db)
    with pytest.raises(TypeError):
        Login(object(), "quantri", "Quản trị", "admin", None, None)  # type: ignore[arg-type]
    impostor = object.__new__(Login)  # even built around the constructor, it was never issued
    for name, value in (("username", "quantri"), ("role", "admin"), ("public_key", "x"), ("lecturer_id", None)):
        object.__setattr__(impostor, name, value)
    with pytest.raises(PermissionDenied, match="đăng nhập lại"), operations.writing(db, impostor) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))


def test_once_accounts_exist_nobody_logged_in_may_read_or_write(db: Database) -> None:
    admin_login(db)
    with pytest.raises(PermissionDenied, match="đăng nhập"), operations.reading(db, None):
        pass
    with pytest.raises(PermissionDenied, match="đăng nhập"), operations.writing(db, None) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with operations.reading(db, None, personal=False) as s:  # the catalogue is not personal data
        assert classes.list_classes(s) == []


def test_roles_limit_what_a_person_may_do_and_lecturers_keep_to_their_classes(db: Database) -> None:
    admin = admin_login(db)
    with operations.writing(db, admin) as s:
        mine = classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
        other = classes.create_class(s, code="A2", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with db.write(raw=True) as s:
        lecturer = Lecturer(family_name="Lê", middle_name="Văn", given_name="Tám", sort_key="x", search_key="le van tam")
        s.add(lecturer)
        s.flush()
        s.add(ClassSession(class_id=mine.id, date=D(2025, 3, 3), half="morning", lecturer_id=lecturer.id, periods=5))
        lecturer_id = lecturer.id
    tam = create_account(db, "tam", "lecturer", by=admin, lecturer_id=lecturer_id)
    viewer = create_account(db, "xem", "viewer", by=admin)
    with operations.reading(db, tam) as s:
        assert operations.may(s, "mark_attendance", class_id=mine.id)
        assert not operations.may(s, "mark_attendance", class_id=other.id)
        assert not operations.may(s, "issue_certificates")
    with pytest.raises(PermissionDenied, match="lớp mình"), operations.reading(db, tam) as s:
        operations.require(s, "enter_scores", class_id=other.id)
    with pytest.raises(PermissionDenied, match="không có quyền"), operations.reading(db, viewer) as s:
        operations.require(s, "enter_scores", class_id=mine.id)


def test_a_role_changed_by_an_administrator_applies_at_once(db: Database) -> None:
    admin = admin_login(db)
    lan = create_account(db, "lan", "office", by=admin, full_name="Trần Thị Lan")
    with operations.writing(db, lan) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with operations.writing(db, admin) as s:
        users.set_role(s, "lan", "viewer")
    with pytest.raises(PermissionDenied, match="không có quyền"), operations.writing(db, lan) as s:
        classes.create_class(s, code="A2", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with operations.writing(db, admin) as s:
        users.set_role(s, "lan", "office", active=False)
    with pytest.raises(PermissionDenied, match="không còn hoạt động"), operations.writing(db, lan) as s:
        classes.create_class(s, code="A3", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))


def test_admin_resets_a_password_and_it_is_audited_and_the_old_login_ends(db: Database) -> None:
    admin = admin_login(db)
    lan = create_account(db, "lan", "office", by=admin, full_name="Trần Thị Lan", password="ban-dau-123")
    with operations.writing(db, admin) as s:
        users.reset_password(s, "lan", "moi-hoan-toan")
    with pytest.raises(PermissionDenied, match="đăng nhập lại"), operations.writing(db, lan) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    assert accounts.authenticate(db, "lan", "moi-hoan-toan").role == "office"
    with db.read() as s:
        actions = [(e.username, e.action, e.entity_id) for e in s.scalars(select(AuditEntry).order_by(AuditEntry.seq))
                   if e.entity == "user"]
        assert verify_chain(s) == []
    assert actions[-2:] == [("quantri", "user.create", "lan"), ("quantri", "user.reset_password", "lan")]


def test_changing_ones_own_password(db: Database) -> None:
    admin = admin_login(db)
    viewer = create_account(db, "xem", "viewer", by=admin)
    with pytest.raises(InputError, match="hiện tại không đúng"), operations.writing(db, viewer) as s:
        users.change_password(s, "sai-roi-nhe", "mat-khau-moi-1")
    with operations.writing(db, viewer) as s:
        users.change_password(s, PASSWORD, "mat-khau-moi-1")
    assert accounts.authenticate(db, "xem", "mat-khau-moi-1").role == "viewer"
    with pytest.raises(InputError, match="không đúng"):
        accounts.authenticate(db, "xem", PASSWORD)


def test_the_last_administrator_cannot_be_demoted(db: Database) -> None:
    admin = admin_login(db)
    with pytest.raises(InputError, match="ít nhất một"), operations.writing(db, admin) as s:
        users.set_role(s, "quantri", "office")


def test_a_role_edited_in_the_database_file_does_not_hold(db: Database) -> None:
    """UPDATE users SET role='admin' with sqlite3: the account's signing key no longer matches what
    the audit log recorded for it, so the operations refuse it (and `audit verify` reports it)."""
    admin = admin_login(db)
    viewer = create_account(db, "xem", "viewer", by=admin)
    with db.write(raw=True) as s:
        s.execute(update(User).where(User.username == "xem").values(role="admin"))
    with pytest.raises(PermissionDenied, match="nhật ký"), operations.writing(db, viewer) as s:
        classes.create_class(s, code="A1", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))


def test_command_line_runs_as_a_named_user(db_url: str, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from dtbd_desktop.cli.main import main

    monkeypatch.delenv("DTBD_PASSWORD", raising=False)
    monkeypatch.setenv("DTBD_NEW_PASSWORD", PASSWORD)
    assert main(["--db", db_url, "users", "add", "quantri", "--name", "Quản trị", "--role", "admin", "--json"]) == 0
    capsys.readouterr()
    # Accounts exist now: without --user the command line is refused, whatever the environment says.
    monkeypatch.setenv("DTBD_USER", "quantri")
    monkeypatch.setenv("USER", "quantri")
    assert main(["--db", db_url, "users", "list", "--json"]) == 1
    assert "đăng nhập" in json.loads(capsys.readouterr().out)["error"]
    monkeypatch.setenv("DTBD_PASSWORD", "sai-mat-khau")
    assert main(["--db", db_url, "--user", "quantri", "users", "list", "--json"]) == 1
    capsys.readouterr()
    monkeypatch.setenv("DTBD_PASSWORD", PASSWORD)
    assert main(["--db", db_url, "--user", "quantri", "users", "list", "--json"]) == 0
    assert [u["username"] for u in json.loads(capsys.readouterr().out)] == ["quantri"]
    assert main(["--db", db_url, "--user", "quantri", "class", "create", "--code", "A1", "--programme", "TC",
                 "--start", "2025-03-02", "--end", "2025-10-30", "--json"]) == 0
    capsys.readouterr()
    assert main(["--db", db_url, "audit", "verify", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intact"] is True
    from dtbd_desktop.db.engine import open_database

    opened = open_database(db_url)
    try:
        with opened.read() as s:
            entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "classes.create")).one()
            assert entry.username == "quantri" and entry.signature  # the account, signed with its key
    finally:
        opened.dispose()


def test_a_viewer_cannot_open_a_class_or_change_the_catalogue(db: Database) -> None:
    from dtbd_desktop.services import catalogue
    from dtbd_desktop.services.organisations import save_organisation

    admin = admin_login(db)
    viewer = create_account(db, "xem", "viewer", by=admin)
    lan = create_account(db, "lan", "office", by=admin)
    with pytest.raises(InputError, match="không có quyền"), operations.writing(db, viewer) as s:
        classes.create_class(s, code="A9", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with pytest.raises(InputError, match="không có quyền"), operations.writing(db, viewer) as s:
        save_organisation(s, name="Xã Mới")
    with db.read() as s:
        rules = catalogue.programme_info(s, "TC").rules
    with pytest.raises(InputError, match="không có quyền"), operations.writing(db, viewer) as s:
        catalogue.save_rule_set(s, "TC", rules)
    with operations.writing(db, lan) as s:
        classes.create_class(s, code="A9", programme="TC", start=D(2025, 3, 2), end=D(2025, 10, 30))
    with db.read() as s:
        assert [r.code for r in classes.list_classes(s)] == ["A9"]
