"""The catalogue screens, driven like the training office uses them, on a fresh database each.

Every test reads its outcome back from the database through the core services, not only
from the widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QSpinBox
from sqlalchemy.orm import Session

from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.screens.lecturers_view import LecturersView
from dtbd_desktop.gui.screens.organisations_view import OrganisationsView
from dtbd_desktop.gui.screens.programmes_view import ProgrammesView
from dtbd_desktop.gui.tasks import TaskRunner
from dtbd_desktop.services import catalogue, classes, lecturers, organisations
from dtbd_desktop.services.startup import open_centre as open_database

pytestmark = pytest.mark.gui
T = TypeVar("T")
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def ctx(tmp_path: Any, qtbot: Any) -> Iterator[AppContext]:
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    context = AppContext(db=db, runner=TaskRunner())
    yield context
    for _ in range(3):  # results delivered after a wait may queue one more read
        context.runner.wait()
        QApplication.processEvents()
    context.runner.wait()
    db.dispose()


def type_text(qtbot: Any, widget: Any, value: str) -> None:
    """Type like a person with a Vietnamese keyboard (Unikey sends composed characters).

    QTest.keyClicks only knows Latin-1 and aborts on "ệ", so other characters go in as key
    events carrying their text, which is what an input method delivers.
    """
    for char in value:
        if ord(char) < 128:
            qtbot.keyClicks(widget, char)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


def read(ctx: AppContext, fn: Callable[[Session], T]) -> T:
    ctx.runner.wait()
    with ctx.db.read() as session:
        return fn(session)


def programme(ctx: AppContext, code: str) -> catalogue.ProgrammeInfo:
    return next(p for p in read(ctx, catalogue.list_programmes) if p.code == code)


def open_programme(qtbot: Any, ctx: AppContext, code: str) -> ProgrammesView:
    view = ProgrammesView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.activate()
    qtbot.waitUntil(lambda: view.list_model.rowCount() == 7)
    view.select_programme(code)
    qtbot.waitUntil(lambda: view.current is not None and view.current.code == code)
    return view


def test_module_periods_edited_in_the_table_are_saved(qtbot: Any, qtmodeltester: Any,
                                                      ctx: AppContext) -> None:
    view = open_programme(qtbot, ctx, "TC")
    qtmodeltester.check(view.modules_model, force_py=True)
    before = programme(ctx, "TC")
    first = before.modules[0]
    new_periods = first.periods + 12
    count = len(before.modules)

    # A new row left empty is refused, row and column named; the row stays for correcting.
    qtbot.mouseClick(view.findChild(QPushButton, "add_module"), LEFT)
    qtbot.mouseClick(view.save_programme_button, LEFT)
    qtbot.waitUntil(lambda: view.programme_errors.text() != "")
    assert f"Dòng {count + 1}, Mã: Thiếu mã học phần" in view.programme_errors.text()
    assert view.modules_model.rowCount() == count + 1
    assert len(programme(ctx, "TC").modules) == count
    qtbot.mouseClick(view.findChild(QPushButton, "remove_module"), LEFT)
    assert view.modules_model.rowCount() == count

    # Moving a row down and back up leaves the order as it was.
    view.modules.setCurrentIndex(view.modules_model.index(0, 1))
    qtbot.mouseClick(view.findChild(QPushButton, "module_down"), LEFT)
    assert [m.id for m in view.modules_model.rows][:2] == [before.modules[1].id, first.id]
    qtbot.mouseClick(view.findChild(QPushButton, "module_up"), LEFT)
    assert [m.id for m in view.modules_model.rows] == [m.id for m in before.modules]

    index = view.modules_model.index(0, 2)
    view.modules.setCurrentIndex(index)
    view.modules.edit(index)
    editor = view.modules.indexWidget(index)
    assert isinstance(editor, QSpinBox)
    editor.selectAll()
    qtbot.keyClicks(editor, str(new_periods))
    qtbot.mouseClick(view.save_programme_button, LEFT)
    qtbot.waitUntil(lambda: "Đã lưu chương trình TC" in view.programme_status.text())

    after = programme(ctx, "TC")
    assert [m.id for m in after.modules] == [m.id for m in before.modules]
    assert after.modules[0].periods == new_periods
    assert after.total_periods == before.total_periods + 12
    assert view.programme_errors.text() == ""
    assert str(after.total_periods) in view.total_label.text().replace(".", "")


def test_pass_mark_above_ten_is_refused_and_nothing_is_saved(qtbot: Any, ctx: AppContext) -> None:
    view = open_programme(qtbot, ctx, "TC")
    before = programme(ctx, "TC")
    view.tabs.setCurrentIndex(1)
    view.rules.pass_mark.clear()
    qtbot.keyClicks(view.rules.pass_mark, "11")
    qtbot.mouseClick(view.save_rules_button, LEFT)
    qtbot.waitUntil(lambda: view.rules_errors.text() != "")

    assert view.rules_errors.isVisible()
    assert "Điểm đạt" in view.rules_errors.text()
    assert view.rules.pass_mark.text() == "11"  # what was typed stays for correcting
    assert view.rules_status.text() == ""
    after = programme(ctx, "TC")
    assert after.rules["pass_mark"] == before.rules["pass_mark"] == 5.0
    assert after.rule_set_id == before.rule_set_id

    # Corrected with a decimal comma, the same form saves (in place: no class uses the rules yet).
    view.rules.pass_mark.clear()
    qtbot.keyClicks(view.rules.pass_mark, "5,5")
    qtbot.mouseClick(view.save_rules_button, LEFT)
    qtbot.waitUntil(lambda: "Đã lưu quy định" in view.rules_status.text())
    saved = programme(ctx, "TC")
    assert saved.rules["pass_mark"] == 5.5
    assert saved.rule_set_id == before.rule_set_id
    assert view.rules.pass_mark.text() == "5,5"


def test_rules_in_use_by_a_class_are_saved_as_a_new_version(qtbot: Any, ctx: AppContext) -> None:
    with ctx.db.write(raw=True) as session:
        classes.create_class(session, code="SC.01", programme="SC", start=dt.date(2025, 3, 3),
                             end=dt.date(2025, 4, 4))
    view = open_programme(qtbot, ctx, "SC")
    before = programme(ctx, "SC")
    assert "phiên bản quy định mới" in view.findChild(QLabel, "rules_note").text()
    view.rules.pass_mark.clear()
    qtbot.keyClicks(view.rules.pass_mark, "6")
    view.rules.name_edit.clear()
    type_text(qtbot, view.rules.name_edit, "Quy định 2025")
    qtbot.mouseClick(view.save_rules_button, LEFT)
    qtbot.waitUntil(lambda: "phiên bản quy định mới" in view.rules_status.text())

    after = programme(ctx, "SC")
    assert after.rule_set_id != before.rule_set_id
    assert (after.rule_set_name, after.rules["pass_mark"]) == ("Quy định 2025", 6)
    detail = read(ctx, lambda s: classes.class_detail(s, "SC.01"))
    assert detail.rule_set_name == before.rule_set_name  # the open class keeps the rules it was opened with
    assert "Quy định 2025" in view.rules.current_label.text()


def add_organisation(qtbot: Any, view: OrganisationsView, button: Any, name: str, level: str) -> None:
    qtbot.mouseClick(button, LEFT)
    type_text(qtbot, view.name_edit, name)
    view.level.setCurrentIndex(view.level.findData(level))
    qtbot.mouseClick(view.save_button, LEFT)
    qtbot.waitUntil(lambda: f"Đã lưu đơn vị \"{name}\"" in view.status.text())


@pytest.fixture
def organisations_view(qtbot: Any, ctx: AppContext) -> OrganisationsView:
    view = OrganisationsView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.activate()
    ctx.runner.wait()
    add_organisation(qtbot, view, view.add_top_button, "Huyện Bến Lức", "district")
    add_organisation(qtbot, view, view.add_child_button, "Xã Lương Hòa", "commune")
    add_organisation(qtbot, view, view.add_top_button, "Huyện Đức Hòa", "district")
    return view


def test_organisation_added_under_another_is_found_without_diacritics(
        qtbot: Any, ctx: AppContext, organisations_view: OrganisationsView) -> None:
    view = organisations_view
    roots = read(ctx, organisations.organisation_tree)
    ben_luc = next(r for r in roots if r.name == "Huyện Bến Lức")
    assert [(c.name, c.level) for c in ben_luc.children] == [("Xã Lương Hòa", "commune")]
    assert {r.name for r in roots} == {"Huyện Bến Lức", "Huyện Đức Hòa"}

    qtbot.keyClicks(view.search, "xa luong hoa")
    qtbot.waitUntil(lambda: view.visible_names() == ["Huyện Bến Lức", "Xã Lương Hòa"], timeout=2_000)
    view.search.clear()
    assert len(view.visible_names()) == 3


def test_deleting_an_organisation_with_children_is_refused(
        qtbot: Any, ctx: AppContext, organisations_view: OrganisationsView,
        monkeypatch: pytest.MonkeyPatch) -> None:
    view = organisations_view
    ben_luc_id = next(i for i, n in view.nodes.items() if n.name == "Huyện Bến Lức")
    view.tree.setCurrentItem(view.items[ben_luc_id])
    monkeypatch.setattr(view, "confirm", lambda *_args: True)
    qtbot.mouseClick(view.delete_button, LEFT)
    qtbot.waitUntil(lambda: view.errors.text() != "")

    assert "còn đơn vị cấp dưới" in view.errors.text()
    assert view.errors.isVisible()
    roots = read(ctx, organisations.organisation_tree)
    assert any(r.name == "Huyện Bến Lức" and len(r.children) == 1 for r in roots)


def test_guest_lecturer_added_in_the_form_is_listed(qtbot: Any, ctx: AppContext) -> None:
    view = LecturersView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.activate()
    ctx.runner.wait()
    qtbot.mouseClick(view.new_button, LEFT)
    type_text(qtbot, view.full_name, "Trần Thị Bích Ngọc")
    qtbot.keyClicks(view.title_edit, "TS.")
    view.kind.setCurrentIndex(view.kind.findText("Thỉnh giảng"))
    type_text(qtbot, view.workplace, "Ban Tuyên giáo Tỉnh ủy Long An")
    qtbot.mouseClick(view.save_button, LEFT)
    qtbot.waitUntil(lambda: "Đã lưu giảng viên" in view.status.text())

    rows = read(ctx, lecturers.list_lecturers)
    assert [(r.full_name, r.kind, r.title, r.workplace, r.active) for r in rows] == [
        ("Trần Thị Bích Ngọc", "guest", "TS.", "Ban Tuyên giáo Tỉnh ủy Long An", True)]

    view.kind_filter.setCurrentIndex(view.kind_filter.findData("guest"))
    qtbot.keyClicks(view.search, "tran thi bich")
    qtbot.waitUntil(lambda: [r.full_name for r in view.visible_rows()] == ["Trần Thị Bích Ngọc"], timeout=2_000)
    view.kind_filter.setCurrentIndex(view.kind_filter.findData("full_time"))
    assert view.visible_rows() == []


def test_the_legal_basis_is_edited_with_the_rules_and_refuses_a_note(qtbot: Any, ctx: AppContext) -> None:
    view = open_programme(qtbot, ctx, "SC")
    assert view.rules.regulation.toPlainText().strip()  # the default legal basis of the catalogue
    assert "sửa theo" not in view.rules.regulation.toPlainText()
    view.rules.regulation.setPlainText("Quy chế (mặc định; sửa theo quy định đang áp dụng)")
    qtbot.mouseClick(view.save_rules_button, LEFT)
    qtbot.waitUntil(lambda: bool(view.rules_errors.text()))
    assert "sửa theo" not in (programme(ctx, "SC").regulation or "")  # refused: nothing stored
    basis = ("Quy định số 09-QĐi/TW ngày 13/11/2018 của Ban Bí thư\n"
             "Quy chế đào tạo sơ cấp lý luận chính trị số 12-QĐ/TCT ngày 02/01/2026 của Trường Chính trị tỉnh")
    view.rules.regulation.setPlainText(basis)
    qtbot.mouseClick(view.save_rules_button, LEFT)
    qtbot.waitUntil(lambda: "Đã lưu quy định" in view.rules_status.text())
    assert programme(ctx, "SC").regulation == basis
