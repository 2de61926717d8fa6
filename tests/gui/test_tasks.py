"""Work runs off the GUI thread on three lanes: a long export never stalls what a screen reads."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from dtbd_desktop.db.engine import Database
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.services import classes


def test_a_long_export_never_stalls_what_a_screen_reads_nor_a_change(qtbot: QtBot, sqlite_db: Database,
                                                                       make_ctx: Callable[[Database], AppContext]) -> None:
    ctx = make_ctx(sqlite_db)
    release = threading.Event()
    order: list[str] = []
    threads: set[int] = set()

    def slow_export(_session: Session, _progress: Any) -> int:
        threads.add(threading.get_ident())
        release.wait(20)
        order.append("export")
        return 1

    ctx.export(slow_export, lambda _r: None, progress_label="...")
    ctx.read(lambda s: classes.list_classes(s), lambda rows: order.append(f"read {len(rows)}"))
    ctx.write(lambda s: classes.create_class(s, code="L1", programme="DVM", start=dt.date(2027, 3, 1),
                                             end=dt.date(2027, 3, 9)).code, lambda code: order.append(f"write {code}"))
    qtbot.waitUntil(lambda: sorted(order) == ["read 0", "write L1"], timeout=10_000)  # neither waited for the export
    release.set()
    qtbot.waitUntil(lambda: order[-1:] == ["export"], timeout=10_000)
    assert threading.get_ident() not in threads  # the export ran off the GUI thread
