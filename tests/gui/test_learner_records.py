"""A learner's record edited on the *Học viên* screen and from a class's roster, and a person the
import refused typed in by hand from *Thêm học viên...*, on the demo centre (the running part-time
class B22.KTT).

Set DTBD_SCREENSHOTS=folder to keep pictures of the dialogs.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QInputDialog, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Enrolment, Learner, TrainingClass
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.learner_dialog import LearnerDialog, NewLearnerDialog
from dtbd_desktop.gui.screens.learners_view import LearnersView
from dtbd_desktop.gui.screens.roster_tab import FindLearnerDialog, RosterTab
from dtbd_desktop.services import learners
from dtbd_desktop.services.roster import class_roster
from tests.logins import admin_login, create_account

CODE = "B22.KTT"


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("DTBD_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def first_of_class(db: Database) -> Learner:
    """The first learner of B22.KTT's roster, read now."""
    with db.read() as s:
        nid = class_roster(s, CODE)[0].national_id
        person = s.scalar(select(Learner).where(Learner.national_id == nid))
        assert person is not None
        s.expunge(person)
    return person


def reread(db: Database, learner_id: int) -> Learner:
    with db.read() as s:
        person = s.get(Learner, learner_id)
        assert person is not None
        s.expunge(person)
    return person


def open_record(qtbot: QtBot, ctx: AppContext, national_id: str) -> tuple[LearnersView, LearnerDialog]:
    """Search the Học viên screen by CCCD and open the one person found."""
    view = LearnersView(ctx)
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    view.activate()
    qtbot.keyClicks(view.search, national_id)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.rows[0].national_id == national_id,
                    timeout=10_000)
    view.table.doubleClicked.emit(view.listing.proxy.index(0, 0))
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.isVisible(), timeout=10_000)
    assert view.dialog is not None
    return view, view.dialog


def type_text(widget: QWidget, value: str) -> None:
    """Key presses carrying each character, Vietnamese letters too (QTest types ASCII only)."""
    for ch in value:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))


def retype(qtbot: QtBot, edit: QLineEdit, value: str) -> None:
    edit.setFocus()
    edit.selectAll()
    type_text(edit, value)


def save(qtbot: QtBot, dialog: LearnerDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and dialog.ctx.runner.idle(), timeout=10_000)


def test_editing_a_record_with_a_reason_for_the_name_and_none_for_the_phone(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    person = first_of_class(demo_db)
    assert person.national_id is not None
    view, dialog = open_record(qtbot, make_ctx(demo_db), person.national_id)
    form = dialog.form
    assert dialog.windowTitle() == f"Hồ sơ học viên {person.full_name}"
    assert (form.family.text(), form.given.text(), form.national_id.text()) == (
        person.family_name, person.given_name, person.national_id)
    assert not dialog.save_button.isEnabled()
    _shot(dialog, "learner-record")

    # The phone and position: no reason asked; the running class's roster shows the new position.
    retype(qtbot, form.phone, "+84 912.000.111")
    retype(qtbot, form.position, "Phó Trưởng phòng Nội vụ")
    assert dialog.save_button.isEnabled()
    asked: list[str] = []
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (asked.append(a[2]), ("", False))[1])
    save(qtbot, dialog)
    assert asked == [] and dialog.message.text() == f"Đã lưu hồ sơ của {person.full_name}."
    saved = reread(demo_db, person.id)
    assert (saved.phone, saved.position, saved.version) == ("0912000111", "Phó Trưởng phòng Nội vụ",
                                                             person.version + 1)
    with demo_db.read() as s:
        assert class_roster(s, CODE)[0].position == "Phó Trưởng phòng Nội vụ"

    # The name typed whole, in capitals: split and capitalised as the import does; a reason is asked.
    retype(qtbot, form.full_name, f"{person.family_name.upper()} {person.middle_name.upper()} QUANG")
    assert (form.family.text(), form.middle.text(), form.given.text()) == (
        person.family_name, person.middle_name, "Quang")
    monkeypatch.setattr(QInputDialog, "getText",
                        lambda *a, **k: (asked.append(a[2]), ("Sai tên trong danh sách của huyện", True))[1])
    save(qtbot, dialog)
    assert len(asked) == 1 and asked[0].startswith(f"Sửa tên của {person.full_name}: lý do")
    renamed = reread(demo_db, person.id)
    assert renamed.given_name == "Quang" and renamed.search_key.endswith(" quang")
    with demo_db.read() as s:
        entry = s.execute(select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value, AuditEntry.reason)
                          .where(AuditEntry.action == "learner.identity")).one()
    assert tuple(entry) == ("given_name", person.given_name, "Quang", "Sai tên trong danh sách của huyện")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.rows[0].full_name == renamed.full_name,
                    timeout=10_000)  # the list shows the new name


def test_what_the_core_refuses_is_shown_on_the_fields_and_nothing_is_saved(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    person = first_of_class(demo_db)
    with demo_db.read() as s:
        other = s.scalar(select(Learner.national_id).where(Learner.id != person.id, Learner.national_id.is_not(None)))
    assert person.national_id and other
    _view, dialog = open_record(qtbot, make_ctx(demo_db), person.national_id)
    form = dialog.form
    retype(qtbot, form.national_id, other)
    retype(qtbot, form.birth, "31/02/1990")
    retype(qtbot, form.phone, "12345")
    save(qtbot, dialog)
    lines = dialog.message.text().splitlines()
    assert lines[0] == "• Ngày sinh: Ngày 31/02/1990 không có thật."
    assert any(f"Số CCCD {other} đã có trong hồ sơ của" in line for line in lines)
    assert any("Số điện thoại '12345' không đúng dạng" in line for line in lines)
    assert all(w.styleSheet() for w in (form.national_id, form.birth, form.phone))
    assert not form.position.styleSheet()
    _shot(dialog, "learner-record-refused")
    assert reread(demo_db, person.id).version == person.version


def test_a_record_saved_meanwhile_on_another_pc_is_not_overwritten(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    person = first_of_class(demo_db)
    assert person.national_id
    _view, dialog = open_record(qtbot, make_ctx(demo_db), person.national_id)
    with demo_db.write() as s:  # another PC saves the record first
        learners.update_learner(s, person.id, expected_version=person.version, phone="0987654321")
    retype(qtbot, dialog.form.phone, "0912000111")
    save(qtbot, dialog)
    assert "vừa được người khác sửa" in dialog.message.text()
    assert reread(demo_db, person.id).phone == "0987654321"


def test_party_membership_not_known_is_shown_as_such_and_can_be_set(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    person = first_of_class(demo_db)
    assert person.national_id
    with demo_db.write(raw=True) as s:  # as a list that said nothing stores it
        s.execute(update(Learner).where(Learner.id == person.id).values(party_member=None, party_join_date=None))
    _view, dialog = open_record(qtbot, make_ctx(demo_db), person.national_id)
    form = dialog.form
    assert form.party.currentText() == "Chưa rõ" and not form.party_date.isEnabled()
    form.party.setCurrentIndex(form.party.findData(True))
    assert form.party_date.isEnabled()
    qtbot.keyClicks(form.party_date, "19/05/2012")
    save(qtbot, dialog)
    saved = reread(demo_db, person.id)
    assert (saved.party_member, saved.party_join_date) == (True, dt.date(2012, 5, 19))
    form.party.setCurrentIndex(form.party.findData(False))
    save(qtbot, dialog)
    saved = reread(demo_db, person.id)
    assert (saved.party_member, saved.party_join_date) == (False, None)


def test_a_viewer_sees_the_record_but_cannot_change_it(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext]) -> None:
    admin = admin_login(demo_db)
    ctx = make_ctx(demo_db)
    ctx.login = create_account(demo_db, "xem", "viewer", by=admin)
    person = first_of_class(demo_db)
    assert person.national_id
    _view, dialog = open_record(qtbot, ctx, person.national_id)
    assert not dialog.save_button.isVisible() and dialog.form.phone.isReadOnly()
    assert not dialog.form.gender.isEnabled() and "chỉ được xem" in dialog.message.text()


# --- a person typed in by hand -----------------------------------------------------------------

def open_roster(qtbot: QtBot, ctx: AppContext) -> RosterTab:
    tab = RosterTab(ctx, CODE, "TC")
    qtbot.addWidget(tab)
    tab.resize(1366, 700)
    tab.show()
    tab.reload()
    qtbot.waitUntil(lambda: tab.model.rowCount() > 0, timeout=10_000)
    return tab


def ask_for_new(qtbot: QtBot, tab: RosterTab, monkeypatch: pytest.MonkeyPatch, typed: str) -> NewLearnerDialog:
    """Thêm học viên...: nobody found, "Người mới, chưa có hồ sơ..."."""

    def search_then_new(dialog: FindLearnerDialog) -> QDialog.DialogCode:
        type_text(dialog.search, typed)
        dialog.new_button.click()
        return QDialog.DialogCode(dialog.result())

    monkeypatch.setattr(FindLearnerDialog, "exec", search_then_new)
    tab.new_dialog = None
    tab.buttons["add"].click()
    qtbot.waitUntil(lambda: tab.new_dialog is not None and tab.new_dialog.isVisible(), timeout=10_000)
    assert tab.new_dialog is not None
    return tab.new_dialog


def add(qtbot: QtBot, tab: RosterTab, dialog: NewLearnerDialog) -> None:
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy and tab.ctx.runner.idle(), timeout=10_000)


def test_a_person_the_import_refused_is_typed_in_and_enrolled(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[tuple[str, str]]) -> None:
    tab = open_roster(qtbot, make_ctx(demo_db))
    before = tab.model.rowCount()
    dialog = ask_for_new(qtbot, tab, monkeypatch, "trần văn bé")
    form = dialog.form
    assert dialog.windowTitle() == "Thêm học viên mới vào lớp B22.KTT"
    assert (form.family.text(), form.middle.text(), form.given.text()) == ("Trần", "Văn", "Bé")
    qtbot.keyClicks(form.birth, "05/06/1988")
    qtbot.keyClicks(form.national_id, "080088001234")
    assert form.gender.currentText() == "Nam"  # read from the CCCD, as the import does
    form.organisation.setCurrentIndex(form.organisation.findText("Huyện Đức Hòa"))
    type_text(form.position, "Chuyên viên")
    _shot(dialog, "learner-new")
    with qtbot.waitSignal(dialog.created, timeout=10_000):
        qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1, timeout=10_000)
    assert message_boxes == []  # nothing to ask about
    with demo_db.read() as s:
        row = next(r for r in class_roster(s, CODE) if r.national_id == "080088001234")
        entry = s.execute(select(AuditEntry.reason).where(AuditEntry.action == "learner.create")).scalar_one()
    assert (row.full_name, row.birth_date, row.gender, row.organisation, row.position, row.status) == (
        "Trần Văn Bé", dt.date(1988, 6, 5), "M", "Huyện Đức Hòa", "Chuyên viên", "enrolled")
    assert entry == "Thêm bằng tay vào lớp B22.KTT"
    assert "Trần Văn Bé" in [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]


def test_a_known_national_id_is_refused_and_a_same_name_is_asked_about(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch, message_boxes: list[tuple[str, str]]) -> None:
    tab = open_roster(qtbot, make_ctx(demo_db))
    with demo_db.read() as s:
        known = s.execute(select(Learner).join(Enrolment).join(TrainingClass)
                          .where(TrainingClass.code == "A50").limit(1)).scalar_one()
        s.expunge(known)
    assert known.national_id is not None
    dialog = ask_for_new(qtbot, tab, monkeypatch, known.national_id)  # the CCCD searched for, not found in the class
    form = dialog.form
    assert form.national_id.text() == known.national_id and form.gender.currentData() == known.gender
    retype(qtbot, form.full_name, known.full_name)
    qtbot.keyClicks(form.birth, known.birth_date.strftime("%d/%m/%Y") if known.birth_date else str(known.birth_year))
    add(qtbot, dialog=dialog, tab=tab)
    assert dialog.isVisible() and f"Số CCCD {known.national_id} đã có trong hồ sơ của {known.full_name}" in (
        dialog.message.text())
    assert "Thêm học viên..." in dialog.message.text() and form.national_id.styleSheet()
    # Without a CCCD the same person may be someone else: asked first, then made.
    form.national_id.clear()
    add(qtbot, dialog=dialog, tab=tab)
    questions = [text for kind, text in message_boxes if kind == "question"]
    assert len(questions) == 1 and questions[0].startswith("Đã có hồ sơ cùng họ tên và ngày sinh:\n• "
                                                           f"{known.full_name}, sinh ")
    assert not dialog.isVisible()
    with demo_db.read() as s:
        same = s.scalars(select(Learner.id).where(Learner.search_key == known.search_key,
                                                  Learner.birth_year == known.birth_year)).all()
    assert len(same) == 2


def test_the_learners_screen_and_the_roster_fit_1366_by_768(
        qtbot: QtBot, demo_db: Database, make_ctx: Callable[[Database], AppContext],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Every column in sight without a horizontal scroll bar: in the main window at 1366×768, and
    in a class's page there."""
    from dtbd_desktop.gui.main_window import MainWindow
    from dtbd_desktop.gui.screens.classes_view import ClassesView

    ctx = make_ctx(demo_db)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    view = window.show_section("learners")
    assert isinstance(view, LearnersView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 200, timeout=10_000)
    qtbot.wait(50)
    table = view.table
    assert table.horizontalScrollBar().maximum() == 0
    header = table.horizontalHeader()
    assert sum(header.sectionSize(c) for c in range(header.count())) <= table.viewport().width()
    assert min(header.sectionSize(c) for c in (5, 6)) >= 150  # organisation, classes
    _shot(window, "learners-1366x768")

    classes = window.show_section("classes")
    assert isinstance(classes, ClassesView)
    dialog = classes.open_class(CODE, "roster")
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.isEnabled() and dialog.roster_tab is not None
                    and dialog.roster_tab.model.rowCount() > 0, timeout=10_000)
    roster = dialog.roster_tab
    assert roster is not None
    qtbot.wait(50)
    header = roster.table.horizontalHeader()
    assert roster.table.horizontalScrollBar().maximum() == 0
    assert min(header.sectionSize(c) for c in (5, 6)) >= 120  # position, organisation
    longest = max((r.organisation or "" for r in roster.model.rows), key=len)
    row = next(i for i, r in enumerate(roster.model.rows) if r.organisation == longest)
    assert roster.model.index(row, 6).data(Qt.ItemDataRole.ToolTipRole) == longest  # whole in the tooltip
