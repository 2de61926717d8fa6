"""Start-up checks: a damaged file is recognised, network shares are recognised, backups rotate."""

from __future__ import annotations

from pathlib import Path

from dtbd_desktop.db.engine import Database
from dtbd_desktop.services import backup, settings, startup


def test_a_sound_file_passes_and_a_damaged_one_is_reported(sqlite_db: Database, tmp_path: Path) -> None:
    path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    sqlite_db.dispose()
    assert startup.integrity_problem(path) is None
    damaged = tmp_path / "damaged.sqlite3"
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # overwrite a page in the middle
    damaged.write_bytes(bytes(data))
    assert startup.integrity_problem(damaged) is not None
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database at all" * 200)
    assert startup.integrity_problem(garbage) is not None
    assert startup.header_problem(garbage) is not None  # the quick look at start-up catches this one
    assert startup.header_problem(path) is None


def test_a_damaged_file_is_not_backed_up_over_good_copies(sqlite_db: Database, tmp_path: Path) -> None:
    import pytest

    from dtbd_desktop.base.errors import DatabaseError

    good = startup.automatic_backup(sqlite_db, only_if_due=False)
    path = Path(sqlite_db.url.removeprefix("sqlite:///"))
    sqlite_db.dispose()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseError, match="bị hỏng"):
        startup.automatic_backup(sqlite_db, only_if_due=False)
    assert list(backup.backup_dir().iterdir()) == [good]


def test_network_paths() -> None:
    assert startup.is_network_path(Path("//may-chu/dtbd/dtbd.sqlite3"))
    assert not startup.is_network_path(Path("/tmp/dtbd.sqlite3"))


def test_automatic_backups_are_kept_in_rotation(sqlite_db: Database) -> None:
    with sqlite_db.write(raw=True) as s:
        settings.set_settings(s, backup_keep=2)
    made = [startup.automatic_backup(sqlite_db, only_if_due=False) for _ in range(3)]
    assert all(p is not None and p.parent == backup.backup_dir() for p in made)
    assert sorted(backup.backup_dir().iterdir()) == sorted(p for p in made[1:] if p)
    assert startup.automatic_backup(sqlite_db, only_if_due=True) is None  # one made moments ago
