"""Feedback forms for one lecturer's module pasted from Excel at once, in the feedback screen: a
block with a bad rating is refused whole, naming its line; a good block adds every form."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Feedback
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.feedback_view import FeedbackView


def forms(db: Database) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count(Feedback.id))) or 0)


def test_many_forms_pasted_from_excel(qtbot: QtBot, demo_db: Database,
                                      make_ctx: Callable[[Database], AppContext]) -> None:
    ctx = make_ctx(demo_db)
    view = FeedbackView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    view.set_year(2026)
    qtbot.waitUntil(lambda: view.targets.rowCount() > 0 and ctx.runner.idle(), timeout=15_000)
    target = view.selected_target()
    assert target is not None
    before, first = forms(demo_db), target.forms

    QGuiApplication.clipboard().setText("5\t4\t5\t4\tRất bổ ích\r\n4\t4\t7\t5\r\n3\t4\t4\r\n")
    qtbot.mouseClick(view.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "có 2 lỗi" in view.form_status.text(), timeout=10_000)
    assert "dòng 2: Tác phong: '7' không phải mức đánh giá từ 1 đến 5." in view.form_status.text()
    assert "dòng 3: Tính thiết thực: '' không phải mức đánh giá từ 1 đến 5." in view.form_status.text()
    assert forms(demo_db) == before

    QGuiApplication.clipboard().setText("5\t4\t5\t4\tRất bổ ích\r\n4\t4\t4\t5\r\n3\t4\t4\t4\r\n")
    qtbot.mouseClick(view.paste_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Đã thêm 3 phiếu cho" in view.form_status.text(), timeout=10_000)
    assert forms(demo_db) == before + 3
    qtbot.waitUntil(lambda: view.selected_target() is not None and view.selected_target().forms == first + 3,  # type: ignore[union-attr]
                    timeout=10_000)
    with demo_db.read() as s:
        assert s.scalar(select(func.count(Feedback.id)).where(Feedback.comment == "Rất bổ ích")) >= 1
