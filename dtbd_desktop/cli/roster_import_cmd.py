"""`dtbd roster import C FILE.xlsx [--dry-run] [--skip-invalid]` (being written)."""

from __future__ import annotations

from typing import Any


def register_import(roster_sub: Any) -> None:
    """Add the `import` subcommand to `dtbd roster`."""
