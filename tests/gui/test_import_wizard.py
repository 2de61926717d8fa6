"""The import wizard, driven like the training office uses it, on a fresh database.

The outcome is read back from the database, not only from the widgets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QListWidget, QWizard
from sqlalchemy import select

from dtbd_desktop.db.models import Enrolment, Learner, Organisation
from dtbd_desktop.gui.context import AppContext
from dtbd_desktop.gui.dialogs.import_wizard import ImportWizard
from dtbd_desktop.gui.tasks import TaskRunner
from dtbd_desktop.services import classes
from dtbd_desktop.services.organisations import save_organisation
from dtbd_desktop.services.startup import open_centre as open_database
from tests.test_roster_import import district_book

pytestmark = pytest.mark.gui
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def ctx(tmp_path: Path, qtbot: Any) -> Iterator[AppContext]:
    db = open_database(f"sqlite:///{tmp_path / 't.sqlite3'}")
    with db.write(raw=True) as s:
        classes.create_class(s, code="SC26", programme="SC", start=dt.date(2026, 4, 6), end=dt.date(2026, 5, 8))
        save_organisation(s, name="Xã Mỹ Yên", level="commune")
    context = AppContext(db=db, runner=TaskRunner())
    yield context
    for _ in range(3):
        context.runner.wait()
        QApplication.processEvents()
    db.dispose()


def workbook(tmp_path: Path) -> Path:
    """The district list of the core tests, one bad date in row 10, and an extra column J whose
    heading ("Nơi cử đi") the program does not know: the person maps it to the organisation."""
    path = district_book(tmp_path / "ben_luc.xlsx", [
        [1, "Nguyễn Văn", "An", dt.datetime(1985, 3, 5), None, "Kinh", 80085000123, "Chuyên viên", None],
        [2, "Lê Văn", "Bình", "31/02/1985", None, "Kinh", "080085000124", "Chuyên viên", None],
        [3, "Trần Thị", "Cúc", None, "07/09/1992", "Khmer", "080192000125", "Kế toán", None],
    ])
    wb = openpyxl.load_workbook(path)
    ws = wb["Danh sách"]
    ws["J6"] = "Nơi cử đi"
    ws.merge_cells("J6:J7")
    ws["J8"] = "(10)"
    for row, unit in ((9, "UBND xã Mỹ Yên"), (10, "UBND xã Mỹ Yên"), (11, "Xã Phước Lợi")):
        ws[f"J{row}"] = unit
    wb.save(path)
    return path


def click(qtbot: Any, wizard: ImportWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isEnabled()
    qtbot.mouseClick(button, LEFT)


def test_import_wizard_from_file_to_result(qtbot: Any, ctx: AppContext, tmp_path: Path,
                                           qtmodeltester: Any) -> None:
    path = workbook(tmp_path)
    wizard = ImportWizard(ctx, "SC26")
    qtbot.addWidget(wizard)
    wizard.show()
    imported: list[bool] = []
    wizard.imported.connect(lambda: imported.append(True))

    # 1. choose the file: typed, then "Tiếp" reads it and moves on by itself
    qtbot.keyClicks(wizard.file_page.path_edit, str(path))
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.currentPage() is wizard.mapping_page, timeout=10_000)
    assert "trang 'Danh sách', tiêu đề ở dòng 6–7, 3 dòng học viên (dòng 9–11)" in wizard.file_page.status.text()

    # 2. the preview shows the rows as read; column J is not imported until the person says so
    model = wizard.preview_model
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert [model.index(0, c).data() for c in range(4)] == ["1", "Nguyễn Văn", "An", "05/03/1985"]
    assert model.headerData(0, Qt.Orientation.Vertical) == 9
    assert model.headerData(9, Qt.Orientation.Horizontal) == "J: Nơi cử đi\n→ (không nhập)"
    assert wizard.mapping_page.combos[10].currentData() is None
    wizard.mapping_page.set_field("J", "organisation")
    assert wizard.table is not None and wizard.table.mapping["organisation"] == 10
    assert model.headerData(9, Qt.Orientation.Horizontal) == "J: Nơi cử đi\n→ Đơn vị công tác"

    # 3. the check lists the problem; importing waits until bad rows are to be skipped
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    check = wizard.check_page
    qtbot.waitUntil(lambda: check.result is not None, timeout=10_000)
    problems = wizard.findChild(QListWidget, "problems")
    assert [problems.item(i).text() for i in range(problems.count())] == [
        "Dòng 10, cột D (Ngày tháng năm sinh / Nam): Ngày 31/02/1985 không có thật: sửa lại ngày sinh."]
    assert "3 dòng học viên: 2 dòng nhập được, 1 dòng có lỗi." in check.summary.text()
    assert "Xã Phước Lợi" in check.summary.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()

    item = problems.item(0)
    qtbot.mouseClick(problems.viewport(), LEFT, pos=problems.visualItemRect(item).center())
    current = check.preview.currentIndex()
    assert (current.row(), current.column()) == (1, 3)  # row 10, column D
    assert current.data() == "31/02/1985"

    annotated = tmp_path / "ben_luc - loi.xlsx"
    check.save_annotated_to(annotated)
    qtbot.waitUntil(lambda: wizard.last_annotated == annotated, timeout=10_000)
    assert check.annotated_status.text() == f"Đã đánh dấu 1 ô trong {annotated}."
    assert openpyxl.load_workbook(annotated)["Danh sách"]["D10"].comment is not None

    qtbot.mouseClick(wizard.findChild(QCheckBox, "skip_invalid"), LEFT)
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()

    # 4. import, on the worker; the result page says what happened
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.result_page.finished, timeout=10_000)
    assert imported == [True]
    assert wizard.result_page.summary.text().splitlines() == [
        "Đã nhập 2 học viên vào lớp SC26: 2 hồ sơ mới, 0 người đã có hồ sơ.",
        "Bỏ qua 1 dòng có lỗi.",
        "Đã thêm vào danh mục đơn vị: Xã Phước Lợi."]

    ctx.runner.wait()
    with ctx.db.read() as s:
        people = [(p.full_name, p.birth_date, p.gender, p.ethnicity, p.national_id)
                  for p in s.scalars(select(Learner).order_by(Learner.id))]
        orgs = {e.learner.given_name: e.organisation.name if e.organisation else None
                for e in s.scalars(select(Enrolment))}
        added = s.scalars(select(Organisation.name).where(Organisation.name == "Xã Phước Lợi")).all()
    assert people == [("Nguyễn Văn An", dt.date(1985, 3, 5), "M", "Kinh", "080085000123"),
                      ("Trần Thị Cúc", dt.date(1992, 9, 7), "F", "Khmer", "080192000125")]
    assert orgs == {"An": "Xã Mỹ Yên", "Cúc": "Xã Phước Lợi"}
    assert added == ["Xã Phước Lợi"]


def test_a_file_that_is_not_a_list_is_explained_on_the_first_page(qtbot: Any, ctx: AppContext,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "ghi_chu.xlsx"
    path.write_text("không phải Excel")
    wizard = ImportWizard(ctx, "SC26")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_path(path)
    qtbot.waitUntil(lambda: not wizard.file_page.busy, timeout=10_000)
    assert "Không đọc được tệp ghi_chu.xlsx" in wizard.file_page.status.text()
    assert wizard.table is None
    assert wizard.currentPage() is wizard.file_page


def test_possible_duplicates_can_be_marked_as_the_same_person(qtbot: Any, ctx: AppContext, tmp_path: Path) -> None:
    with ctx.db.write(raw=True) as s:
        from dtbd_desktop.services.learners import person_keys

        sort_key, search_key = person_keys("Nguyễn", "Văn", "An")
        s.add(Learner(family_name="Nguyễn", middle_name="Văn", given_name="An", birth_date=dt.date(1985, 3, 5),
                      birth_year=1985, gender="M", sort_key=sort_key, search_key=search_key))
    path = district_book(tmp_path / "ds.xlsx", [
        [1, "Nguyễn Văn", "An", "05/03/1985", None, "Kinh", None, "Chuyên viên", None]])
    wizard = ImportWizard(ctx, "SC26")
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.set_path(path)
    qtbot.waitUntil(lambda: wizard.table is not None, timeout=10_000)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.check_page.result is not None, timeout=10_000)
    duplicates = wizard.findChild(QListWidget, "duplicates")
    assert duplicates.item(0).text() == "Dòng 9 giống hồ sơ: Nguyễn Văn An, sinh 05/03/1985, chưa có CCCD, chưa học lớp nào"
    duplicates.item(0).setCheckState(Qt.CheckState.Checked)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.result_page.finished, timeout=10_000)
    ctx.runner.wait()
    with ctx.db.read() as s:
        assert len(s.scalars(select(Learner)).all()) == 1
        assert len(s.scalars(select(Enrolment)).all()) == 1
