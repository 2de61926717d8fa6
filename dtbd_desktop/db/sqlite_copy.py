"""The one way the program copies a SQLite database: consistent, private, whole or not at all.

Backups, the copy taken before a migration, the copy kept before a restore, the staged copy a
restore checks and the self-check's copy all use `copy_sqlite`:

* SQLite's online backup API, so the copy is consistent even while other programs write;
* into a temporary file next to the target, made readable by this account only before any data
  goes in, switched to `journal_mode = DELETE` so that the copy is one self-contained file;
* synced to the disk, then renamed over the target: a crash leaves the old target or the whole
  new copy, never half a file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from dtbd_desktop.base.paths import private_file

BUSY_TIMEOUT_S = 30


def copy_sqlite(source: Path, target: Path) -> Path:
    """Copy the database file `source` to `target` (see the module's docstring); returns `target`."""
    tmp = target.with_name(target.name + ".partial")
    tmp.unlink(missing_ok=True)
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        dst = sqlite3.connect(tmp)
        private_file(tmp)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        finally:
            dst.close()
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        src.close()
    with tmp.open("rb") as fh:
        os.fsync(fh.fileno())
    tmp.replace(target)
    return target
