"""Accounts for tests: real accounts with passwords, and real logins (never a made-up name)."""

from __future__ import annotations

from dtbd_desktop.db.engine import Database
from dtbd_desktop.services import users
from dtbd_desktop.trust import accounts, operations
from dtbd_desktop.trust.accounts import Login

PASSWORD = "mat-khau-dai"


def create_account(db: Database, username: str, role: str, *, by: Login | None = None,
                   lecturer_id: int | None = None, full_name: str | None = None, password: str = PASSWORD) -> Login:
    """Create the account (`by` an administrator's login; None while the database has none) and log in."""
    with operations.writing(db, by) as s:
        users.create_user(s, username=username, full_name=full_name or username.title(), role=role,
                          password=password, lecturer_id=lecturer_id)
    return accounts.authenticate(db, username, password)


def admin_login(db: Database) -> Login:
    """The first account of the database, an administrator, logged in."""
    return create_account(db, "quantri", "admin", full_name="Nguyễn Văn Quản")


def enrol_this_pc(db: Database, by: Login | None = None) -> None:
    """Make sure this PC (the test's data folder) holds a signing key an administrator enrolled."""
    from dtbd_desktop.base.errors import InputError
    from dtbd_desktop.services import signing_keys

    with operations.writing(db, by) as s:
        try:
            signing_keys.issuing_key(s)
        except InputError:
            signing_keys.enrol_key(s, "Máy thử")
