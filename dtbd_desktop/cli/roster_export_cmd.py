"""`dtbd roster list C` and `dtbd roster export C --out FILE.pdf|.xlsx` (being written)."""

from __future__ import annotations

from typing import Any


def register_list_export(roster_sub: Any) -> None:
    """Add the `list` and `export` subcommands to `dtbd roster`."""
