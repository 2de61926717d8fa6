"""Where things are: bundled resources (development tree or frozen build) and the user's data."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DTBD Desktop"
APP_AUTHOR = "DTBD"


def resource_root() -> Path:
    """The resources (catalogue, fonts, layouts, translations...), wherever the program runs from:
    inside a PyInstaller bundle; inside the installed package (`dtbd_desktop/resources`, put there
    when the wheel is built: setup.py); or the `resources/` folder beside the package in the source
    tree (a development checkout, an editable install)."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    package = Path(__file__).resolve().parent.parent
    installed = package / "resources"
    if installed.is_dir():
        return installed
    return package.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def user_data_dir() -> Path:
    """The user's data folder (database, keys, backups); DTBD_DATA_DIR overrides it."""
    override = os.environ.get("DTBD_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


# ------------------------------------------------------------------------- private files
# What the program keeps about people (the database, its backups and restore copies, the
# signing key, config.json, the log) is readable by this account only. On POSIX that is
# mode 0600 for files and 0700 for the data folder and its subfolders; on Windows the
# per-user %LOCALAPPDATA% folder already keeps other accounts out, and chmod there only
# toggles the read-only flag, so these helpers do nothing.

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def _restrict(path: Path, mode: int) -> None:
    if os.name == "nt":
        return
    try:
        if stat.S_IMODE(path.stat().st_mode) != mode:
            path.chmod(mode)
    except FileNotFoundError:
        return
    except OSError as exc:  # a file of another account, a file system without modes
        logging.getLogger(__name__).warning("could not make %s private: %s", path, exc)


def private_file(path: Path) -> Path:
    """Make an existing file readable and writable by this account only (mode 0600 on POSIX).
    A missing file is left alone, so callers may pass the -wal/-shm companions blindly."""
    _restrict(path, PRIVATE_FILE_MODE)
    return path


def private_dir(path: Path) -> Path:
    """Create a folder (and its parents) for this account only (mode 0700 on POSIX). When the
    folder is inside the user's data folder, the data folder is made private too."""
    path.mkdir(parents=True, exist_ok=True)
    data = user_data_dir()
    if path != data and path.is_relative_to(data):
        _restrict(data, PRIVATE_DIR_MODE)
    _restrict(path, PRIVATE_DIR_MODE)
    return path


def sqlite_companions(path: Path) -> tuple[Path, Path, Path]:
    """A SQLite file and the -wal and -shm files SQLite keeps beside it."""
    return path, Path(f"{path}-wal"), Path(f"{path}-shm")
