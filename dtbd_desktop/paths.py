"""Where things are: bundled resources (development tree or frozen build) and the user's data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DTBD Desktop"
APP_AUTHOR = "DTBD"


def resource_root() -> Path:
    """The `resources/` folder, in the source tree or inside a PyInstaller bundle."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    return resource_root().joinpath(*parts)


def user_data_dir() -> Path:
    """The user's data folder (database, keys, backups); DTBD_DATA_DIR overrides it."""
    override = os.environ.get("DTBD_DATA_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
