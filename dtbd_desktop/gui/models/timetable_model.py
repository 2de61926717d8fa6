"""The timetable as a week (half-days x 7 days) or a month (weeks x 7 days), over plain rows
from the core (`services.timetable_service`); conflicts flagged on the sessions they concern."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import HALVES
from dtbd_desktop.rules import timetable
from dtbd_desktop.services import catalogue, classes, lecturers
from dtbd_desktop.services import timetable as timetable_service
from dtbd_desktop.services.timetable import Conflict, SessionRow

Index = QModelIndex | QPersistentModelIndex
MIME = "application/x-dtbd-session"
WEEK, MONTH = "week", "month"

KIND_BG = {"lesson": QBrush(QColor("#eff6ff")), "field_trip": QBrush(QColor("#dcfce7")),
           "exam": QBrush(QColor("#f3e8ff"))}
CONFLICT_BG = QBrush(QColor("#fecaca"))
HOLIDAY_BG = QBrush(QColor("#fef3c7"))
OUTSIDE_BG = QBrush(QColor("#f3f4f6"))
GREY_FG = QBrush(QColor("#9ca3af"))
CONFLICT_FG = QBrush(QColor("#991b1b"))
BOLD = QFont()
BOLD.setBold(True)


@dataclass
class TimetableData:
    """Everything the timetable tab shows, loaded in one read on the worker."""

    code: str
    start: dt.date
    end: dt.date
    sessions: list[SessionRow]
    conflicts: list[Conflict]
    holidays: dict[dt.date, str]
    lecturers: list[tuple[int, str]]
    modules: list[tuple[str, str]]
    by_slot: dict[tuple[dt.date, str], SessionRow] = field(default_factory=dict)
    by_day: dict[dt.date, list[SessionRow]] = field(default_factory=dict)
    problems: dict[int, list[str]] = field(default_factory=dict)  # session id -> conflict messages

    def __post_init__(self) -> None:
        for s in self.sessions:
            self.by_slot[(s.date, s.half)] = s
            self.by_day.setdefault(s.date, []).append(s)
        ours = {s.id for s in self.sessions}
        for c in self.conflicts:
            for sid in c.session_ids:
                if sid in ours:
                    self.problems.setdefault(sid, []).append(c.message)


def fetch_timetable(session: Session, class_code: str) -> TimetableData:
    detail = classes.class_detail(session, class_code)
    holidays = {h.date: h.name for year in range(detail.start.year, detail.end.year + 1)
                for h in timetable_service.list_holidays(session, year)}
    return TimetableData(
        code=detail.code, start=detail.start, end=detail.end,
        sessions=timetable_service.list_sessions(session, class_code),
        conflicts=timetable_service.timetable_conflicts(session, class_code),
        holidays=holidays,
        lecturers=[(lec.id, lec.display_name) for lec in lecturers.list_lecturers(session, active_only=True)],
        modules=[(m.code, m.name) for m in catalogue.programme_info(session, detail.programme_code).modules],
    )


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def session_title(s: SessionRow) -> str:
    """"I.1" or "Đi thực tế"."""
    if s.kind != "lesson" or not s.module_code:
        label = timetable.session_kind_label(s.kind)
        return f"{label} {s.module_code}" if s.module_code else label
    return s.module_code


class TimetableModel(QAbstractTableModel):
    """`mode` WEEK: rows are the halves of the day, columns the days from Monday; MONTH: rows are
    the weeks that cover the month."""

    move_requested = Signal(int, object, str)  # session id, date, half (a drop in the week view)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.data_: TimetableData | None = None
        self.mode = WEEK
        self.today = dt.date.today()  # the day shown in bold
        self.anchor = monday(self.today)  # the week's Monday, or the month's first day
        self.first = self.anchor  # the first day shown

    def set_timetable(self, data: TimetableData) -> None:
        self.beginResetModel()
        self.data_ = data
        self.endResetModel()

    def show(self, mode: str, day: dt.date) -> None:
        self.beginResetModel()
        self.mode = mode
        if mode == WEEK:
            self.anchor = self.first = monday(day)
        else:
            self.anchor = day.replace(day=1)
            self.first = monday(self.anchor)
        self.endResetModel()

    def step(self, forward: bool) -> None:
        if self.mode == WEEK:
            self.show(WEEK, self.anchor + dt.timedelta(days=7 if forward else -7))
        else:
            year, month = self.anchor.year, self.anchor.month + (1 if forward else -1)
            year, month = (year + 1, 1) if month == 13 else (year - 1, 12) if month == 0 else (year, month)
            self.show(MONTH, dt.date(year, month, 1))

    def title(self) -> str:
        if self.mode == WEEK:
            last = self.anchor + dt.timedelta(days=6)
            return tr("timetable_tab", "Tuần {start} – {end}").format(start=f"{self.anchor:%d/%m}",
                                                                    end=text.format_date(last))
        return tr("timetable_tab", "Tháng {month}/{year}").format(month=self.anchor.month, year=self.anchor.year)

    # --- shape ---------------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid():
            return 0
        if self.mode == WEEK:
            return len(HALVES)
        next_month = (self.anchor.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        return -(-(next_month - self.first).days // 7)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 7

    def day_at(self, index: Index) -> dt.date:
        week = 0 if self.mode == WEEK else index.row()
        return self.first + dt.timedelta(days=7 * week + index.column())

    def half_at(self, index: Index) -> str | None:
        return HALVES[index.row()] if self.mode == WEEK else None

    def session_at(self, index: Index) -> SessionRow | None:
        """The session of a week cell, or of a month cell holding exactly one."""
        if self.data_ is None or not index.isValid():
            return None
        day = self.day_at(index)
        if self.mode == WEEK:
            return self.data_.by_slot.get((day, HALVES[index.row()]))
        sessions = self.data_.by_day.get(day, [])
        return sessions[0] if len(sessions) == 1 else None

    def index_of(self, s: SessionRow) -> QModelIndex:
        offset = (s.date - self.first).days
        if self.mode == WEEK:
            return self.index(HALVES.index(s.half), offset) if 0 <= offset < 7 else QModelIndex()
        return self.index(offset // 7, offset % 7) if 0 <= offset < 7 * self.rowCount() else QModelIndex()

    # --- what cells show ------------------------------------------------------------------------
    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.data_ is None:
            return None
        day = self.day_at(index)
        if self.mode == WEEK:
            return self._week_cell(day, HALVES[index.row()], int(role))
        return self._month_cell(day, int(role))

    def _outside(self, day: dt.date) -> bool:
        assert self.data_ is not None
        return not self.data_.start <= day <= self.data_.end

    def _week_cell(self, day: dt.date, half: str, role: int) -> Any:
        assert self.data_ is not None
        s = self.data_.by_slot.get((day, half))
        holiday = self.data_.holidays.get(day)
        if role == Qt.ItemDataRole.DisplayRole:
            if s is None:
                return holiday or ""
            lines = [tr("timetable_tab", "{title} · {periods} tiết").format(title=session_title(s), periods=s.periods),
                     s.topic or s.module_name or "", s.lecturer or tr("timetable_tab", "(chưa phân công GV)")]
            if s.id in self.data_.problems:
                lines.insert(0, tr("timetable_tab", "⚠ TRÙNG LỊCH"))
            return "\n".join(line for line in lines if line)
        if role == Qt.ItemDataRole.BackgroundRole:
            if s is not None:
                return CONFLICT_BG if s.id in self.data_.problems else KIND_BG.get(s.kind)
            return HOLIDAY_BG if holiday else OUTSIDE_BG if self._outside(day) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return CONFLICT_FG if s is not None and s.id in self.data_.problems else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(s, day, half, holiday)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def _month_cell(self, day: dt.date, role: int) -> Any:
        assert self.data_ is not None
        sessions = self.data_.by_day.get(day, [])
        holiday = self.data_.holidays.get(day)
        flagged = any(s.id in self.data_.problems for s in sessions)
        if role == Qt.ItemDataRole.DisplayRole:
            lines = [f"{day.day}" + (f" – {holiday}" if holiday else "")]
            for s in sorted(sessions, key=lambda r: timetable.HALF_ORDER[r.half]):
                lines.append(f"{timetable.half_label(s.half)}: {session_title(s)}"
                             + (f" ({s.lecturer})" if s.lecturer else "") + (" ⚠" if s.id in self.data_.problems else ""))
            return "\n".join(lines)
        if role == Qt.ItemDataRole.BackgroundRole:
            if flagged:
                return CONFLICT_BG
            if sessions:
                return KIND_BG["exam"] if any(s.kind == "exam" for s in sessions) else KIND_BG[
                    "field_trip"] if any(s.kind == "field_trip" for s in sessions) else KIND_BG["lesson"]
            return HOLIDAY_BG if holiday else OUTSIDE_BG if self._outside(day) else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return GREY_FG if day.month != self.anchor.month else CONFLICT_FG if flagged else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return "\n\n".join(self._tooltip(s, day, s.half, holiday) for s in sessions) or holiday
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.FontRole and day == self.today:
            return BOLD
        return None

    def _tooltip(self, s: SessionRow | None, day: dt.date, half: str, holiday: str | None) -> str:
        assert self.data_ is not None
        lines = [f"{timetable.half_label(half)} {timetable.weekday_label(day)} {text.format_date(day)}"]
        if holiday:
            lines.append(tr("timetable_tab", "Ngày nghỉ: {name}").format(name=holiday))
        if s is None:
            if self._outside(day):
                lines.append(tr("timetable_tab", "Ngoài thời gian học của lớp."))
            return "\n".join(lines)
        lines.append(f"{timetable.session_kind_label(s.kind)}: {s.module_code or ''} {s.module_name or ''}".strip())
        if s.topic:
            lines.append(s.topic)
        lines.append(tr("timetable_tab", "{periods} tiết · giảng viên: {lecturer}").format(
            periods=s.periods, lecturer=s.lecturer or tr("timetable_tab", "chưa phân công")))
        if s.marks:
            lines.append(tr("timetable_tab", "Đã điểm danh {n} lượt.").format(n=s.marks))
        lines.extend("⚠ " + message for message in self.data_.problems.get(s.id, []))
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < 7:
                return None
            day = self.first + dt.timedelta(days=section)
            if role == Qt.ItemDataRole.DisplayRole:
                label = timetable.weekday_label(day)
                return f"{label}\n{day:%d/%m}" if self.mode == WEEK else label
            if role == Qt.ItemDataRole.FontRole and self.mode == WEEK and day == self.today:
                return BOLD
            return None
        if role != Qt.ItemDataRole.DisplayRole or not 0 <= section < self.rowCount():
            return None
        if self.mode == WEEK:
            return timetable.half_label(HALVES[section])
        return f"{self.first + dt.timedelta(days=7 * section):%d/%m}"

    # --- drag a session to another half-day (week view) ----------------------------------------
    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.mode == WEEK:
            flags |= Qt.ItemFlag.ItemIsDropEnabled
            if self.session_at(index) is not None:
                flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def mimeData(self, indexes: Any) -> QMimeData:
        mime = QMimeData()
        sessions = [s for s in (self.session_at(i) for i in indexes) if s is not None]
        if sessions:
            mime.setData(MIME, str(sessions[0].id).encode())
        return mime

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if self.mode != WEEK or not data.hasFormat(MIME) or not parent.isValid():
            return False
        return self.session_at(parent) is None  # a half-day holds one session of the class

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index) -> bool:
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        half = self.half_at(parent)
        assert half is not None
        self.move_requested.emit(int(bytes(data.data(MIME).data()).decode()), self.day_at(parent), half)
        return True
