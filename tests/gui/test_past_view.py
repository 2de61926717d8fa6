"""*Các năm trước*: a person brings ten years of registers in through the screen, reviews the
possible duplicate, issues a copy, and the numbering and the reports then know the past."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Certificate, Learner, TrainingClass
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.past_view import PastView
from tests.past_archive import write_archive
from tests.pdf_tools import poppler


def _click(qtbot: QtBot, view: PastView, name: str) -> None:
    from PySide6.QtWidgets import QPushButton

    button = view.findChild(QPushButton, name)
    assert button is not None and button.isEnabled(), name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.mark.gui
def test_ten_years_come_in_through_the_screen(qtbot: QtBot, sqlite_db: Database, tmp_path: Path,
                                              make_ctx: Callable[[Database], AppContext],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    archive = write_archive(tmp_path / "archive")
    view = PastView(make_ctx(sqlite_db))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.programme.count() > 1, timeout=10_000)
    for path in archive.files:
        view.file_edit.clear()
        qtbot.keyClicks(view.file_edit, str(path))
        _click(qtbot, view, "past_check")
        qtbot.waitUntil(lambda: view.buttons["import"].isEnabled() or "lỗi" in view.summary.text(), timeout=30_000)
        assert view.buttons["import"].isEnabled(), view.summary.text()
        expected = len(archive.by_year(int(path.stem[-4:])))
        assert f"Sẽ nhập {expected} dòng sổ gốc" in view.summary.text()
        _click(qtbot, view, "past_import")
        qtbot.waitUntil(lambda: view.summary.text().startswith("Đã nhập"), timeout=30_000)
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count(Certificate.id))) == len(archive.lines)
        assert s.scalar(select(func.count(TrainingClass.id))) == len(archive.classes)
        people = s.scalar(select(func.count(Learner.id)))
    view.grab().save(str(tmp_path / "past_view.png"))

    # The possible duplicate: merged into one person, undone, merged again
    qtbot.waitUntil(lambda: view.pairs.model.rowCount() == 1, timeout=10_000)
    view.pairs.table.selectRow(0)
    _click(qtbot, view, "past_pair_merge")
    qtbot.waitUntil(lambda: "Đã gộp" in view.pair_message.text(), timeout=10_000)
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count(Learner.id))) == people - 1
    qtbot.waitUntil(lambda: view.pairs.model.rowCount() == 1 and view.pairs.model.rows[0].status == "merged",
                    timeout=10_000)
    view.pairs.table.selectRow(0)
    _click(qtbot, view, "past_pair_unmerge")
    qtbot.waitUntil(lambda: "Chờ xem xét" in view.pair_message.text(), timeout=10_000)
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count(Learner.id))) == people

    # A copy from the register of a 2016 (TCVN3) diploma
    line = archive.by_year(2016)[0]
    out = tmp_path / "ban_sao.pdf"
    monkeypatch.setattr(view, "choose_pdf", lambda suggested: str(out))
    view.serial.setText(line.serial)
    view.copy_date.setDate(QDate(2025, 3, 3))
    view.requested_by.setText("Nguyễn Văn Bình")
    _click(qtbot, view, "past_copy_copy")
    qtbot.waitUntil(lambda: view.copy_message.text().startswith("Đã cấp bản sao"), timeout=10_000)
    assert "001/BS-2025" in view.copy_message.text()
    printed = subprocess.run([poppler("pdftotext"), str(out), "-"], capture_output=True, text=True,
                             check=True).stdout
    assert line.serial in printed and line.person.full_name in printed

    # A revoked document gets no copy: the reason is shown
    from tests.test_past import run_cli

    run_cli("--db", sqlite_db.url, "certificates", "revoke", line.serial, "--reason", "Sai ngày sinh")
    _click(qtbot, view, "past_copy_copy")
    qtbot.waitUntil(lambda: "thu hồi" in view.copy_message.text(), timeout=10_000)


@pytest.mark.gui
def test_a_bad_workbook_lists_its_problems_and_imports_nothing(qtbot: QtBot, sqlite_db: Database, tmp_path: Path,
                                                               make_ctx: Callable[[Database], AppContext]) -> None:
    from tests.test_past import GOOD, OTHER, _with, register_book

    path = register_book(tmp_path / "so.xlsx", [GOOD, _with(OTHER, 8, "31/02/2021")])
    view = PastView(make_ctx(sqlite_db))
    qtbot.addWidget(view)
    view.show()
    qtbot.keyClicks(view.file_edit, str(path))
    _click(qtbot, view, "past_check")
    qtbot.waitUntil(lambda: "lỗi" in view.summary.text(), timeout=30_000)
    assert not view.buttons["import"].isEnabled()
    rows = view.problems.model.rows
    assert [(p.sheet, p.row, p.column) for p in rows] == [("SC21", 6, "I (Ngày cấp)")]
