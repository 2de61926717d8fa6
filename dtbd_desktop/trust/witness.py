"""This PC's memory of the audit log's end, kept outside the database.

A chain of hashes cannot tell that its last entries were deleted: what is left is still a valid
chain. So every PC remembers, in its own data folder, the last entry it wrote or checked in each
database (`audit-witness.json`: database id -> position and hash). `audit_check.verify` then
reports a log that no longer reaches that entry, or reaches it with another hash. Someone who can
also edit this file on every PC that used the database is not caught; the README says so.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from sqlalchemy import select

from dtbd_desktop.base.paths import user_data_dir
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Setting

FILE = "audit-witness.json"
IDENTITY_SETTING = "database_id"


def path() -> Path:
    return user_data_dir() / FILE


def identity(db: Database) -> str | None:
    """The database's own id (made when its schema was created or upgraded), cached per Database."""
    cached: str | None = getattr(db, "_dtbd_identity", None)
    if cached is None:
        with db.read() as session:
            value = session.scalar(select(Setting.value).where(Setting.key == IDENTITY_SETTING))
        cached = value if isinstance(value, str) and value else None
        db._dtbd_identity = cached  # type: ignore[attr-defined]
    return cached


def _load() -> dict[str, Any]:
    try:
        data = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def recall(db: Database) -> tuple[int, str, dt.datetime | None] | None:
    """(seq, hash, when) of the last entry this PC saw in the database, or None."""
    ident = identity(db)
    entry = _load().get(ident or "") if ident else None
    if not isinstance(entry, dict):
        return None
    try:
        seen = entry.get("at")
        return int(entry["seq"]), str(entry["hash"]), dt.datetime.fromisoformat(seen) if seen else None
    except (KeyError, TypeError, ValueError):
        return None


def remember(db: Database, head: tuple[int, str]) -> None:
    """Keep (seq, hash) as this PC's last sight of the log (never going backwards by itself)."""
    ident = identity(db)
    if not ident:
        return
    data = _load()
    old = data.get(ident)
    if isinstance(old, dict) and isinstance(old.get("seq"), int) and old["seq"] > head[0]:
        return
    data[ident] = {"seq": head[0], "hash": head[1], "at": dt.datetime.now().isoformat(timespec="seconds")}
    write(data)


def reset(db: Database, head: tuple[int, str]) -> None:
    """Anchor on `head` even if it is earlier (after a restore, or a verified check)."""
    ident = identity(db)
    if not ident:
        return
    data = _load()
    data[ident] = {"seq": head[0], "hash": head[1], "at": dt.datetime.now().isoformat(timespec="seconds")}
    write(data)


def write(data: dict[str, Any]) -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    if os.name != "nt":
        tmp.chmod(0o600)
    tmp.replace(target)
