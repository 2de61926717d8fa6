"""A lost diploma: from the learner's record, a copy from the register (numbered in the book of
copies) or a confirmation of graduation (numbered in the book of outgoing documents)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import Certificate, Enrolment
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, load_record
from tests.test_graduation_reports import pdf_text

LEFT = Qt.MouseButton.LeftButton


def _dialog(qtbot: QtBot, db: Database, ctx: AppContext, status: str) -> tuple[LearnerDialog, str]:
    if status != "issued":  # the demo has none: revoked here as a person would, with a reason
        from dtbd_desktop.services import certificates
        from dtbd_desktop.trust import operations

        with db.read() as s:
            serial = s.scalars(select(Certificate.serial).where(Certificate.status == "issued")
                               .order_by(Certificate.id.desc())).first()
        with operations.writing(db, None) as s:
            certificates.revoke(s, serial, "Cấp nhầm người")
    with db.read() as s:
        cert = s.scalars(select(Certificate).where(Certificate.status == status).order_by(Certificate.id)).first()
        assert cert is not None
        learner_id = s.scalar(select(Enrolment.learner_id).where(Enrolment.id == cert.enrolment_id))
        serial = cert.serial
        record = load_record(s, learner_id)
    dialog = LearnerDialog(ctx, *record)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog, serial


def _choose(dialog: LearnerDialog, serial: str) -> None:
    row = next(i for i, h in enumerate(dialog.history.rows) if h.serial == serial)
    dialog.history_table.selectRow(row)


@pytest.mark.gui
def test_a_copy_and_a_confirmation_from_the_learners_record(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    dialog, serial = _dialog(qtbot, demo_db, make_ctx(demo_db), "issued")
    assert not dialog.papers["copy"].isEnabled()  # nothing chosen yet
    _choose(dialog, serial)
    assert dialog.papers["copy"].isEnabled() and dialog.papers["confirm"].isEnabled()
    name = dialog.detail.row.full_name

    monkeypatch.setattr(dialog, "choose_pdf", lambda suggested: str(tmp_path / suggested))
    qtbot.mouseClick(dialog.papers["copy"], LEFT)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Đã cấp bản sao"), timeout=20_000)
    copy = next(tmp_path.glob("ban_sao_*.pdf"))
    text = pdf_text(copy)
    assert "BẢN SAO" in text and name in text and serial in text

    qtbot.mouseClick(dialog.papers["confirm"], LEFT)
    qtbot.waitUntil(lambda: dialog.message.text().startswith("Đã in giấy xác nhận"), timeout=20_000)
    confirmation = pdf_text(next(tmp_path.glob("xac_nhan_*.pdf")))
    assert "GIẤY XÁC NHẬN" in confirmation and name in confirmation and "-GXN/" in confirmation


@pytest.mark.gui
def test_a_revoked_document_gives_no_copy(qtbot: QtBot, demo_db: Database,
                                          make_ctx: Callable[[Database], AppContext]) -> None:
    dialog, serial = _dialog(qtbot, demo_db, make_ctx(demo_db), "revoked")
    _choose(dialog, serial)
    assert not dialog.papers["copy"].isEnabled() and not dialog.papers["confirm"].isEnabled()
    assert "còn hiệu lực" in dialog.papers["copy"].toolTip()
