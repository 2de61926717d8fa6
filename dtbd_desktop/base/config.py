"""The local configuration of this PC (not in the database, since it says where the database is).

`config.json` in the user's data folder, readable by this account only (mode 0600 on POSIX,
written to a temporary file and renamed). It never holds a password: the database URL is kept
without one and its password goes to the operating system's credential store
(`dtbd_desktop.base.credentials`). A config.json written by an older version with the password in
the URL is rewritten without it on first read, once the credential store has taken the password;
on a PC without a credential store it is left as it was (made private) and a warning is logged.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

from dtbd_desktop.base import i18n
from dtbd_desktop.base.paths import private_dir, private_file, user_data_dir

DATABASE_URL = "database_url"
ENV_DATABASE_URL = "DTBD_DATABASE_URL"  # a database named in the environment wins over config.json


def default_database_file() -> Path:
    """The SQLite file in the user's data folder: the database of a PC with no other choice."""
    return user_data_dir() / "dtbd.sqlite3"
log = logging.getLogger(__name__)


def config_path() -> Path:
    return user_data_dir() / "config.json"


def _read() -> dict[str, Any]:
    try:
        data = json.loads(config_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict[str, Any]) -> None:
    """Write the whole file atomically, created with mode 0600."""
    path = config_path()
    private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, indent=2))
        fh.flush()
        os.fsync(fh.fileno())
    private_file(tmp)  # a leftover .tmp from a crash kept its old mode through O_TRUNC
    tmp.replace(path)


def _move_password_out(data: dict[str, Any]) -> dict[str, Any]:
    """An older config.json with the password in its URL: the password goes to the credential
    store and the file is rewritten without it, when the store works."""
    url = data.get(DATABASE_URL)
    if not isinstance(url, str) or "@" not in url:  # no user, so no password: no URL parser to load
        return data
    from dtbd_desktop.base import credentials

    if not credentials.has_password(url):
        return data
    try:
        stored = credentials.store(url)
    except credentials.KeyringUnavailable:
        private_file(config_path())
        log.warning("config.json holds the database password (written by an older version) and this PC has no "
                    "credential store to move it to; set DTBD_DATABASE_URL in the user environment instead")
        return data
    data = {**data, DATABASE_URL: stored}
    try:
        _write(data)
    except OSError as exc:  # the store has the password; the file is rewritten at the next start
        log.warning("could not rewrite config.json without the password: %s", exc)
    return data


def load_config() -> dict[str, Any]:
    return _move_password_out(_read())


def save_config(**values: Any) -> None:
    """Merge values into the configuration file (written atomically, mode 0600).

    A `database_url` with a password: the password goes to the credential store and the URL
    is saved without it; without a credential store KeyringUnavailable is raised and nothing is
    written. The password of a database this PC no longer uses is removed from the store."""
    from dtbd_desktop.base import credentials

    data = load_config()
    url = values.get(DATABASE_URL)
    if isinstance(url, str):
        values = {**values, DATABASE_URL: credentials.store(url)}
        previous = data.get(DATABASE_URL)
        if isinstance(previous, str) and credentials.account(previous) not in (None, credentials.account(url)):
            credentials.forget(previous)
    data.update(values)
    _write(data)


def preferred_language(explicit: str | None = None) -> str:
    """The language to start in: `--lang`, else DTBD_LANG, else this PC's choice (config.json,
    set by the first-run wizard and the Settings screen), else Vietnamese."""
    for candidate in (explicit, os.environ.get("DTBD_LANG"), load_config().get("language")):
        if isinstance(candidate, str) and candidate:
            code = candidate.split("_")[0].lower()
            return code if code in i18n.LANGUAGES else "vi"
    return "vi"
