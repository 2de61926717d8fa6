"""The one date field of the program: typed the way Excel users type dates, with a calendar.

Qt's QDateEdit edits one section (day, month, year) at a time: typing 05/01/2027 with the cursor
in the year gives another date. `DateField` takes the whole text instead, wherever the cursor is:
`05/01/2027`, `5/1/2027`, `5/1/27` (a two-digit year as Excel reads it: 00–29 → 20xx, 30–99 →
19xx), `5/1` (this year), `05.01.2027`, `05-01-2027`, `05012027`, `2027-01-05`. The date is taken
when the person leaves the field or presses Enter, and shown again as dd/mm/yyyy; text that is not
a date stays as typed, framed in red with what to type, and `problem()` says so to the screen
that saves. ↑/↓ move a day, PgUp/PgDn a month; Alt+↓ or F4 or the button opens the calendar.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr

ERROR_FRAME = "QLineEdit { border: 1px solid #b71c1c; background: #fff5f5; }"
_SEPARATORS = re.compile(r"\s*[/.\-\s]\s*")
EXCEL_CENTURY_PIVOT = 30  # Excel: 00–29 are 2000–2029, 30–99 are 1930–1999


def _year(token: str) -> int | None:
    if len(token) == 4:
        return int(token)
    if 1 <= len(token) <= 2:
        short = int(token)
        return 2000 + short if short < EXCEL_CENTURY_PIVOT else 1900 + short
    return None


def parse_date(value: str, today: dt.date | None = None) -> dt.date | None:
    """A date typed as a person in Vietnam types it (day first), or None if it is not one."""
    cleaned = value.strip()
    if not cleaned:
        return None
    parts: list[str]
    if cleaned.isdigit():
        if len(cleaned) == 8 or len(cleaned) == 6:
            parts = [cleaned[:2], cleaned[2:4], cleaned[4:]]
        else:
            return None
    else:
        parts = _SEPARATORS.split(cleaned)
    if not all(p.isdigit() for p in parts):
        return None
    try:
        if len(parts) == 3 and len(parts[0]) == 4:  # 2027-01-05
            return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
        if len(parts) == 3:
            year = _year(parts[2])
            return dt.date(year, int(parts[1]), int(parts[0])) if year is not None else None
        if len(parts) == 2:
            return dt.date((today or dt.date.today()).year, int(parts[1]), int(parts[0]))
    except ValueError:  # 31/02, month 13...
        return None
    return None


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())


class _CalendarPopup(QFrame):
    """The calendar under the field; a click (or Enter) picks the day, Esc closes it."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.calendar = QCalendarWidget(self)
        self.calendar.setObjectName("date_calendar")
        self.calendar.setGridVisible(True)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)

    def _pick(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(day)


class DateField(QWidget):
    """A date typed in full or picked from a calendar. `date()`/`setDate()` and `dateChanged` as on
    QDateEdit (Qt dates); `value()`/`set_value()` with Python dates. `dateChanged` is sent when a
    date is taken (Enter, leaving the field, the calendar, the arrow keys), not at each key."""

    dateChanged = Signal(QDate)  # noqa: N815  (QDateEdit's name)

    def __init__(self, initial: QDate | dt.date | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = QDate.currentDate()
        self._minimum = QDate(1900, 1, 1)
        self._maximum = QDate(2200, 12, 31)
        self.edit = QLineEdit(self)
        self.edit.setPlaceholderText(tr("date_field", "ngày/tháng/năm"))
        self.edit.setMaxLength(24)
        self.edit.installEventFilter(self)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.setToolTip(tr("date_field", "Chọn ngày trên lịch (Alt+↓)"))
        self.button.clicked.connect(self.show_calendar)
        self.popup: _CalendarPopup | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.button)
        self.setFocusProxy(self.edit)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        width = self.edit.fontMetrics().horizontalAdvance("00/00/00000") + 24
        self.edit.setMinimumWidth(width)
        self.setMaximumWidth(width + 120)
        self.edit.editingFinished.connect(self.commit)
        self.edit.textEdited.connect(self._typed)
        self._show(self._value)
        if initial is not None:
            self.setDate(initial)

    # ------------------------------------------------------------------ QDateEdit's API

    def date(self) -> QDate:
        """The date typed (even before the field is left), else the last one taken."""
        typed = self._typed_date()
        return to_qdate(typed) if typed is not None else QDate(self._value)

    def setDate(self, value: QDate | dt.date) -> None:  # noqa: N802  (QDateEdit's name)
        day = value if isinstance(value, QDate) else to_qdate(value)
        if not day.isValid():
            return
        changed = day != self._value
        self._value = QDate(day)
        self._show(day)
        if changed:
            self.dateChanged.emit(QDate(day))

    def setMinimumDate(self, value: QDate) -> None:  # noqa: N802
        self._minimum = QDate(value)

    def setMaximumDate(self, value: QDate) -> None:  # noqa: N802
        self._maximum = QDate(value)

    def setDateRange(self, first: QDate, last: QDate) -> None:  # noqa: N802
        self.setMinimumDate(first)
        self.setMaximumDate(last)

    def minimumDate(self) -> QDate:  # noqa: N802
        return QDate(self._minimum)

    def maximumDate(self) -> QDate:  # noqa: N802
        return QDate(self._maximum)

    def text(self) -> str:
        return self.edit.text()

    # ------------------------------------------------------------------ Python dates

    def value(self) -> dt.date:
        return from_qdate(self.date())

    def set_value(self, day: dt.date) -> None:
        self.setDate(to_qdate(day))

    def problem(self) -> str | None:
        """What is wrong with the text typed, for the person; None when it is a date in range."""
        raw = self.edit.text()
        typed = parse_date(raw)
        if typed is None:
            if not raw.strip():
                return tr("date_field", "Chưa nhập ngày: gõ ngày/tháng/năm, ví dụ 05/01/2027.")
            return tr("date_field", "“{text}” không phải là ngày: gõ ngày/tháng/năm, ví dụ 05/01/2027.").format(
                text=raw.strip())
        day = to_qdate(typed)
        if day < self._minimum or day > self._maximum:
            return tr("date_field", "Ngày phải từ {low} đến {high}.").format(
                low=text.format_date(from_qdate(self._minimum)), high=text.format_date(from_qdate(self._maximum)))
        return None

    # ------------------------------------------------------------------ typing

    def _typed_date(self) -> dt.date | None:
        return parse_date(self.edit.text()) if self.problem() is None else None

    def _show(self, day: QDate) -> None:
        self.edit.setText(text.format_date(from_qdate(day)))
        self._mark(None)

    def _mark(self, problem: str | None) -> None:
        self.edit.setStyleSheet(ERROR_FRAME if problem else "")
        self.edit.setToolTip(problem or "")

    def _typed(self, _text: str) -> None:
        if self.edit.styleSheet() and self.problem() is None:
            self._mark(None)  # corrected: the red frame goes as soon as the text is a date

    def commit(self) -> bool:
        """Take the text typed as the date; False (the text kept, framed in red) if it is not one."""
        problem = self.problem()
        if problem is not None:
            self._mark(problem)
            return False
        typed = self._typed_date()
        assert typed is not None
        self.setDate(typed)
        self._show(self._value)
        return True

    def _step(self, days: int = 0, months: int = 0) -> None:
        base = self.date()
        moved = base.addDays(days).addMonths(months)
        if self._minimum <= moved <= self._maximum:
            self.setDate(moved)
            self.edit.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802  (Qt's name)
        if watched is self.edit:
            if event.type() == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
                # Typing replaces the whole date, wherever the click put the cursor.
                QTimer.singleShot(0, self.edit.selectAll)
            elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
                return self._key(event)
        return super().eventFilter(watched, event)

    def _key(self, event: QKeyEvent) -> bool:
        key, alt = event.key(), bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        if key == Qt.Key.Key_F4 or (alt and key == Qt.Key.Key_Down):
            self.show_calendar()
            return True
        steps = {Qt.Key.Key_Up: (1, 0), Qt.Key.Key_Down: (-1, 0), Qt.Key.Key_PageUp: (0, 1),
                 Qt.Key.Key_PageDown: (0, -1)}
        if key in steps:
            self._step(*steps[Qt.Key(key)])
            return True
        return False

    # ------------------------------------------------------------------ calendar

    def show_calendar(self) -> _CalendarPopup:
        if self.popup is None:
            self.popup = _CalendarPopup(self)
            self.popup.picked.connect(self._picked)
        self.popup.calendar.setDateRange(self._minimum, self._maximum)
        self.popup.calendar.setSelectedDate(self.date())
        self.popup.adjustSize()
        below = self.mapToGlobal(QPoint(0, self.height()))
        screen = self.screen().availableGeometry()
        size = self.popup.sizeHint()
        x = min(below.x(), screen.right() - size.width())
        y = below.y() if below.y() + size.height() <= screen.bottom() else self.mapToGlobal(QPoint(0, 0)).y() - size.height()
        self.popup.move(max(screen.left(), x), max(screen.top(), y))
        self.popup.show()
        self.popup.calendar.setFocus()
        return self.popup

    def _picked(self, day: QDate) -> None:
        self.setDate(day)
        self.edit.setFocus()
        self.edit.selectAll()


def dates_ok(container: QWidget) -> bool:
    """Whether every date field inside `container` holds a date; the first that does not is framed
    in red, says why in its tooltip and takes the keyboard (a dialog's OK calls this first)."""
    for field in container.findChildren(DateField):
        if not field.commit():
            field.edit.setFocus()
            field.edit.selectAll()
            return False
    return True
