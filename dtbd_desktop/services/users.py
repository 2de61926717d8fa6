"""Accounts as operations: what an administrator does with accounts, and changing one's password.

The rules (password length, the first account an administrator, at least one administrator left)
are in `accounts`; here each change is an operation with its permission (`operations`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dtbd_desktop.db.models import User
from dtbd_desktop.trust import accounts, operations
from dtbd_desktop.trust.operations import operation


@operation("users.create", permission="manage_users")
def create_user(session: Session, *, username: str, full_name: str, role: str, password: str,
                lecturer_id: int | None = None) -> User:
    """A new account; the first one of a database must be an administrator (it turns logins on)."""
    return accounts.create_user(session, username=username, full_name=full_name, role=role, password=password,
                                lecturer_id=lecturer_id)


@operation("users.reset_password", permission="manage_users")
def reset_password(session: Session, username: str, new: str) -> None:
    accounts.reset_password(session, username, new)


@operation("users.set_role", permission="manage_users")
def set_role(session: Session, username: str, role: str | None, *, active: bool = True) -> None:
    accounts.set_role(session, username, role, active=active)


@operation("users.change_password", permission="own_account")
def change_password(session: Session, old: str, new: str) -> None:
    """The person logged in changes their own password (and so their key: log in again after)."""
    accounts.change_password(session, operations.acting(session), old, new)


def list_users(session: Session) -> list[tuple[str, str, str, bool, bool]]:
    operations.require(session, "manage_users")
    return accounts.list_users(session)
