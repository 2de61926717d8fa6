"""The date field every date input uses: typed as Excel users type dates, wherever the cursor is."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from dtbd_desktop.gui.widgets.date_field import DateField, parse_date

D = dt.date


@pytest.mark.parametrize(("typed", "expected"), [
    ("05/01/2027", D(2027, 1, 5)),
    ("5/1/2027", D(2027, 1, 5)),
    ("5/1/27", D(2027, 1, 5)),  # Excel: 00–29 are this century
    ("31/12/99", D(1999, 12, 31)),  # 30–99 the last one (a birth date)
    ("05.01.2027", D(2027, 1, 5)),
    ("05-01-2027", D(2027, 1, 5)),
    (" 5 / 1 / 2027 ", D(2027, 1, 5)),
    ("05012027", D(2027, 1, 5)),
    ("050127", D(2027, 1, 5)),
    ("2027-01-05", D(2027, 1, 5)),
    ("5/1", D(2026, 1, 5)),  # this year, as Excel does
    ("31/02/2027", None),
    ("05/13/2027", None),
    ("hôm nay", None),
    ("5/1/202", None),
    ("", None),
])
def test_what_a_typed_date_means(typed: str, expected: dt.date | None) -> None:
    assert parse_date(typed, today=D(2026, 11, 23)) == expected


HOSTS: list[QWidget] = []


def _field(qtbot: QtBot, start: QDate) -> tuple[DateField, QLineEdit]:
    host = QWidget()
    HOSTS.append(host)  # kept alive until qtbot closes it
    field = DateField(start)
    after = QLineEdit()  # somewhere to go with Tab
    layout = QVBoxLayout(host)
    layout.addWidget(field)
    layout.addWidget(after)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    return field, after


@pytest.mark.parametrize("click_at", [2, 5, 9])  # in the day, the month, the year
def test_typing_a_whole_date_wherever_the_cursor_is(qtbot: QtBot, click_at: int) -> None:
    field, after = _field(qtbot, QDate(2026, 1, 4))
    rect = field.edit.cursorRect()
    x = field.edit.fontMetrics().horizontalAdvance(field.edit.text()[:click_at]) + rect.width()
    qtbot.mouseClick(field.edit, Qt.MouseButton.LeftButton, pos=QPoint(x, rect.center().y()))
    qtbot.wait(20)  # the click lands, then the whole text is selected
    with qtbot.waitSignal(field.dateChanged, timeout=2_000) as changed:
        qtbot.keyClicks(field.edit, "05/01/2027")
        qtbot.keyClick(field.edit, Qt.Key.Key_Tab)
    assert changed.args == [QDate(2027, 1, 5)]
    assert field.date() == QDate(2027, 1, 5) and field.text() == "05/01/2027"


def test_short_forms_and_leaving_the_field(qtbot: QtBot) -> None:
    field, after = _field(qtbot, QDate(2026, 1, 4))
    field.edit.setFocus()
    qtbot.wait(20)
    qtbot.keyClicks(field.edit, "5/1/27")
    assert field.date() == QDate(2027, 1, 5)  # what a save reads before the field is left
    after.setFocus()
    assert field.text() == "05/01/2027"


def test_text_that_is_no_date_is_kept_and_named(qtbot: QtBot) -> None:
    field, after = _field(qtbot, QDate(2026, 1, 4))
    field.edit.setFocus()
    qtbot.wait(20)
    qtbot.keyClicks(field.edit, "31/02/2027")
    qtbot.keyClick(field.edit, Qt.Key.Key_Return)
    assert field.text() == "31/02/2027"  # not silently replaced
    assert field.problem() == "“31/02/2027” không phải là ngày: gõ ngày/tháng/năm, ví dụ 05/01/2027."
    assert "b71c1c" in field.edit.styleSheet() and field.edit.toolTip() == field.problem()
    assert field.date() == QDate(2026, 1, 4)
    field.edit.selectAll()
    qtbot.keyClicks(field.edit, "28/02/2027")
    assert field.problem() is None and field.edit.styleSheet() == ""


def test_arrow_keys_and_the_calendar(qtbot: QtBot) -> None:
    field, _after = _field(qtbot, QDate(2027, 1, 31))
    field.edit.setFocus()
    qtbot.keyClick(field.edit, Qt.Key.Key_Up)
    assert field.date() == QDate(2027, 2, 1)
    qtbot.keyClick(field.edit, Qt.Key.Key_PageUp)
    assert field.date() == QDate(2027, 3, 1)
    qtbot.keyClick(field.edit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.popup
    assert popup is not None and popup.isVisible()
    assert popup.calendar.selectedDate() == QDate(2027, 3, 1)
    with qtbot.waitSignal(field.dateChanged, timeout=2_000) as changed:
        popup.calendar.setSelectedDate(QDate(2027, 3, 15))
        qtbot.keyClick(popup.calendar.findChild(QWidget, "qt_calendar_calendarview"), Qt.Key.Key_Return)
    assert changed.args == [QDate(2027, 3, 15)] and not popup.isVisible()
    assert field.text() == "15/03/2027"
