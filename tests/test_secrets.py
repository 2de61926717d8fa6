"""The PostgreSQL password lives in the OS credential store, never in config.json; config.json,
the database, its backups and copies, the signing key and the log are readable by this account only."""

from __future__ import annotations

import json
import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from dtbd_desktop.base import credentials
from dtbd_desktop.base.config import config_path, load_config, save_config
from dtbd_desktop.base.credentials import KeyringUnavailable
from dtbd_desktop.base.logfile import close_logging, log, log_path, setup_logging
from dtbd_desktop.base.paths import user_data_dir
from dtbd_desktop.db.engine import backup_sqlite_file, default_url, open_database, resolve_url, sqlite_path
from dtbd_desktop.services import backup
from dtbd_desktop.trust import signing
from tests.memory_keyring import MemoryKeyring

SERVER = "postgresql+psycopg://dtbd:Mat-khau-2025@may-chu:5433/dtbd"
WITHOUT_PASSWORD = "postgresql+psycopg://dtbd@may-chu:5433/dtbd"
CREDENTIAL = ("DTBD Desktop", "dtbd@may-chu:5433/dtbd")

posix_only = pytest.mark.skipif(os.name == "nt", reason="file modes are POSIX; Windows relies on %LOCALAPPDATA%")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def loose_umask() -> Iterator[None]:
    """The usual umask (files 0644, folders 0755), so that nothing is private by accident."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


def write_old_config(url: str) -> Path:
    """config.json as an older version wrote it: the password in the URL, readable by everyone."""
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"language": "vi", "database_url": url}), encoding="utf-8")
    path.chmod(0o644)
    return path


# ------------------------------------------------------------------------------ the password


def test_the_wizard_s_server_password_goes_to_the_credential_store_not_to_config_json(
        memory_keyring: MemoryKeyring, loose_umask: None) -> None:
    save_config(language="vi", database_url=SERVER)
    text = config_path().read_text(encoding="utf-8")
    assert "Mat-khau-2025" not in text
    assert load_config() == {"language": "vi", "database_url": WITHOUT_PASSWORD}
    assert memory_keyring.passwords == {CREDENTIAL: "Mat-khau-2025"}
    assert resolve_url(None) == SERVER  # put back together when the database is opened
    assert resolve_url("sqlite:///given.db") == "sqlite:///given.db"


def test_a_server_that_asks_no_password_needs_no_credential_store(no_keyring: None) -> None:
    save_config(database_url=WITHOUT_PASSWORD)
    assert load_config()["database_url"] == WITHOUT_PASSWORD
    assert resolve_url(None) == WITHOUT_PASSWORD


def test_an_old_config_json_with_the_password_is_moved_to_the_store_on_first_read(
        memory_keyring: MemoryKeyring, loose_umask: None) -> None:
    path = write_old_config(SERVER)
    assert resolve_url(None) == SERVER  # the program still connects, as before
    assert "Mat-khau-2025" not in path.read_text(encoding="utf-8")  # but the file no longer has it
    assert json.loads(path.read_text(encoding="utf-8")) == {"language": "vi", "database_url": WITHOUT_PASSWORD}
    assert memory_keyring.passwords == {CREDENTIAL: "Mat-khau-2025"}
    if os.name != "nt":
        assert mode(path) == 0o600


def test_without_a_credential_store_the_password_is_refused_and_nothing_is_written(no_keyring: None) -> None:
    with pytest.raises(KeyringUnavailable) as info:
        save_config(language="en", database_url=SERVER)
    assert "DTBD_DATABASE_URL" in info.value.message  # what to do instead
    assert not config_path().exists()
    save_config(language="en")
    with pytest.raises(KeyringUnavailable):
        save_config(database_url=SERVER)
    assert "Mat-khau" not in config_path().read_text(encoding="utf-8")
    assert load_config() == {"language": "en"}


def test_without_a_credential_store_an_old_config_keeps_working_made_private(
        no_keyring: None, loose_umask: None, caplog: pytest.LogCaptureFixture) -> None:
    path = write_old_config(SERVER)
    with caplog.at_level(logging.WARNING, logger="dtbd_desktop"):
        assert resolve_url(None) == SERVER  # nowhere to move it: the centre still works
    assert "DTBD_DATABASE_URL" in caplog.text and "Mat-khau" not in caplog.text
    if os.name != "nt":
        assert mode(path) == 0o600


def test_a_store_that_refuses_the_password_leaves_config_json_alone(memory_keyring: MemoryKeyring) -> None:
    def locked(service: str, username: str, password: str) -> None:
        raise RuntimeError("the collection is locked")

    memory_keyring.set_password = locked  # type: ignore[method-assign]
    with pytest.raises(KeyringUnavailable):
        save_config(database_url=SERVER)
    assert not config_path().exists()


def test_moving_the_pc_to_another_database_forgets_the_old_password(memory_keyring: MemoryKeyring) -> None:
    save_config(database_url=SERVER)
    save_config(database_url="postgresql+psycopg://dtbd:Khac-2026@may-chu-moi/dtbd")
    assert memory_keyring.passwords == {("DTBD Desktop", "dtbd@may-chu-moi:5432/dtbd"): "Khac-2026"}
    save_config(database_url=f"sqlite:///{user_data_dir() / 'dtbd.sqlite3'}")
    assert memory_keyring.passwords == {}
    assert credentials.account(default_url()) is None


# ------------------------------------------------------------------------------ file modes


@posix_only
def test_config_json_is_private_and_written_atomically(loose_umask: None) -> None:
    save_config(language="vi")
    assert mode(config_path()) == 0o600
    assert mode(user_data_dir()) == 0o700
    assert [p.name for p in config_path().parent.iterdir()] == ["config.json"]  # no temporary file left


@posix_only
def test_the_database_its_wal_and_its_backups_are_readable_by_this_account_only(loose_umask: None) -> None:
    url = default_url()
    db = open_database(url)  # a new database in the data folder
    try:
        with db.write(raw=True) as session:
            session.execute(text("UPDATE programmes SET name = name"))  # a write: the WAL grows
        path = sqlite_path(url)
        assert path is not None
        assert mode(user_data_dir()) == 0o700
        for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert file.exists() and mode(file) == 0o600, file
        made = backup.backup(url)
        assert mode(made.path) == 0o600
        assert mode(backup.backup_dir()) == 0o700
        out = backup.backup(url, user_data_dir().parent / "usb" / "copy.sqlite3")  # a folder the person chose
        assert mode(out.path) == 0o600
        before = backup_sqlite_file(path, "0000")  # the copy made before a migration
        assert ".before-0000-" in before.name and mode(before) == 0o600
    finally:
        db.dispose()


@posix_only
def test_the_copy_kept_aside_by_a_restore_is_private(loose_umask: None) -> None:
    url = default_url()
    open_database(url).dispose()
    made = backup.backup(url)
    result = backup.restore(url, made.path)
    path = sqlite_path(url)
    assert path is not None and result.previous is not None
    assert mode(result.previous) == 0o600
    assert mode(path) == 0o600


@posix_only
def test_an_existing_database_readable_by_everyone_is_made_private_when_opened(tmp_path: Path,
                                                                                loose_umask: None) -> None:
    path = tmp_path / "elsewhere" / "dtbd.sqlite3"
    path.parent.mkdir()
    sqlite3.connect(path).close()  # made by another tool, mode 0644
    wal = Path(f"{path}-wal")
    wal.write_bytes(b"")
    wal.chmod(0o644)
    assert mode(path) == 0o644
    open_database(f"sqlite:///{path}").dispose()
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o755  # a folder the person chose stays theirs


@posix_only
def test_the_signing_key_and_its_folder_are_private(loose_umask: None) -> None:
    signing.load_or_create_key()
    assert mode(signing.key_path()) == 0o600
    assert mode(signing.key_path().parent) == 0o700
    signing.key_path().chmod(0o644)  # copied in from a USB disk
    signing.load_key()
    assert mode(signing.key_path()) == 0o600


@posix_only
def test_the_log_file_and_its_folder_are_private_and_rotate(loose_umask: None,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from dtbd_desktop.base import logfile

    monkeypatch.setattr(logfile, "MAX_BYTES", 2_000)
    close_logging()
    setup_logging()
    try:
        for i in range(200):
            log.warning("cảnh báo số %d: %s", i, "x" * 60)
    finally:
        close_logging()
    rotated = sorted(p.name for p in log_path().parent.iterdir())
    assert rotated == ["dtbd.log", "dtbd.log.1", "dtbd.log.2", "dtbd.log.3", "dtbd.log.4", "dtbd.log.5"]
    assert mode(log_path().parent) == 0o700
    assert all(mode(p) == 0o600 for p in log_path().parent.iterdir())
