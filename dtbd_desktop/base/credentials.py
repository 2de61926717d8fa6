"""The database server's password in the operating system's credential store, never in a file.

config.json keeps the database URL without its password; the password is kept by `keyring`
(Windows Credential Manager, macOS Keychain, the Secret Service or KWallet on Linux) under the
service "DTBD Desktop" and the account "user@host:port/database", and is put back into the URL
when the database is opened (`db.engine.resolve_url`).

A PC without a usable credential store (a Linux server without a desktop session, where
`keyring.get_keyring()` is its `fail` or `null` backend) cannot keep the password: saving one
is refused with `KeyringUnavailable`, which tells the person to set DTBD_DATABASE_URL in their
user environment instead (or to leave the password empty for a server that does not ask for one,
or that reads it from libpq's own pgpass file). The program never falls back to writing the
password into config.json.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr

SERVICE = "DTBD Desktop"
PG_DEFAULT_PORT = 5432

log = logging.getLogger(__name__)


class KeyringUnavailable(InputError):
    """No credential store on this PC (or it refused): the password cannot be kept."""


def no_store_message() -> str:
    """What to do on a PC without a credential store."""
    return tr("credentials", "Máy này không có kho mật khẩu của hệ điều hành (Windows Credential Manager; trên "
                             "Linux: Secret Service hoặc KWallet), nên chương trình không lưu được mật khẩu máy chủ "
                             "cơ sở dữ liệu, và không bao giờ ghi mật khẩu vào tệp cấu hình. Hãy đặt biến môi "
                             "trường DTBD_DATABASE_URL của người dùng thành "
                             "postgresql+psycopg://NGUOI_DUNG:MAT_KHAU@MAY_CHU/TEN_CSDL, hoặc để trống mật khẩu "
                             "nếu máy chủ không hỏi mật khẩu.")


def _keyring() -> Any | None:
    """The keyring module when a usable backend exists, else None."""
    try:
        import keyring
        from keyring.backends import fail, null

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken backend configuration must not stop the program
        log.warning("no credential store: %s", exc)
        return None
    if isinstance(backend, fail.Keyring | null.Keyring):
        return None
    return keyring


def available() -> bool:
    """Whether this PC has a credential store that can keep the password."""
    return _keyring() is not None


def _parse(url: str) -> URL | None:
    try:
        return make_url(url)
    except ArgumentError:
        return None


def account(url: str) -> str | None:
    """The credential's account name, "user@host:port/database", or None for a URL without a user."""
    u = _parse(url)
    if u is None or not u.username or u.get_backend_name() == "sqlite":
        return None
    return f"{u.username}@{u.host or 'localhost'}:{u.port or PG_DEFAULT_PORT}/{u.database or ''}"


def has_password(url: str) -> bool:
    u = _parse(url)
    return u is not None and bool(u.password)


def without_password(url: str) -> str:
    u = _parse(url)
    if u is None or u.password is None:
        return url
    return u._replace(password=None).render_as_string(hide_password=False)


def store(url: str) -> str:
    """Keep the password of `url` in the credential store; returns the URL without it.

    A URL without a password is returned as it is. Raises KeyringUnavailable when the password
    cannot be kept: nothing is written anywhere then."""
    u = _parse(url)
    name = account(url)
    if u is None or not u.password or name is None:
        return url
    keyring = _keyring()
    if keyring is None:
        raise KeyringUnavailable(no_store_message())
    try:
        keyring.set_password(SERVICE, name, str(u.password))
    except Exception as exc:  # locked store, the person dismissed the unlock prompt...
        log.warning("the credential store refused the password of %s: %s", name, type(exc).__name__)
        raise KeyringUnavailable(tr("credentials", "Kho mật khẩu của hệ điều hành không nhận mật khẩu ({error}).")
                                 .format(error=type(exc).__name__) + " " + no_store_message()) from exc
    return without_password(url)


def with_password(url: str) -> str:
    """`url` with the password from the credential store put back (when it has none of its own
    and the store holds one for its account)."""
    name = account(url)
    if name is None or has_password(url):
        return url
    keyring = _keyring()
    if keyring is None:
        return url
    try:
        password = keyring.get_password(SERVICE, name)
    except Exception as exc:
        log.warning("could not read the password of %s from the credential store: %s", name, type(exc).__name__)
        return url
    if not password:
        return url
    u = _parse(url)
    assert u is not None
    return u.set(password=password).render_as_string(hide_password=False)


def forget(url: str) -> None:
    """Remove the stored password of `url`'s account (the PC moved to another database)."""
    name = account(url)
    keyring = _keyring() if name is not None else None
    if keyring is None or name is None:
        return
    try:
        keyring.delete_password(SERVICE, name)
    except Exception:  # nothing stored under that name, or the store is locked: nothing to undo
        return
