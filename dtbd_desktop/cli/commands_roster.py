"""`dtbd roster import|list|export` and `dtbd learners find`.

The subcommands live in their own modules (one per capability); this one only groups them.
"""

from __future__ import annotations

from typing import Any

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.cli.context import Parser


def register(sub: Any) -> None:
    from dtbd_desktop.cli import learners_cmd, roster_export_cmd, roster_import_cmd

    roster = sub.add_parser("roster", help=tr("cli", "danh sách học viên của lớp"))
    roster_sub = roster.add_subparsers(dest="action", metavar="VIỆC", required=True, parser_class=Parser)
    roster_import_cmd.register_import(roster_sub)
    roster_export_cmd.register_list_export(roster_sub)
    learners_cmd.register(sub)
