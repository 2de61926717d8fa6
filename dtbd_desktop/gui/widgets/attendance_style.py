"""What the attendance grid looks like and says: the colours of the statuses (greyed when
locked), the highlight of learners over the limit, and the tooltips (built when asked)."""

from __future__ import annotations

from PySide6.QtGui import QBrush, QColor, QFont

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.rules import timetable
from dtbd_desktop.rules.attendance import STATUS_CODES, status_label
from dtbd_desktop.services.attendance import GridLearner, GridSession, LearnerAttendance

_STATUS_BG = {"present": None, "excused": QColor("#dbeafe"), "unexcused": QColor("#fecaca"),
              "late": QColor("#fde68a")}
_STATUS_FG = {"present": QColor("#15803d"), "excused": QColor("#1e3a8a"), "unexcused": QColor("#991b1b"),
              "late": QColor("#92400e")}
_LOCKED_GREY = QColor("#e5e7eb")


def _blend(a: QColor | None, b: QColor, share: float) -> QColor:
    if a is None:
        return QColor(b)
    return QColor(round(a.red() * (1 - share) + b.red() * share), round(a.green() * (1 - share) + b.green() * share),
                  round(a.blue() * (1 - share) + b.blue() * share))


BRUSHES: dict[tuple[str | None, bool], QBrush | None] = {}
for _status in (None, *STATUS_CODES):
    _bg = _STATUS_BG.get(_status) if _status else None
    BRUSHES[(_status, False)] = QBrush(_bg) if _bg is not None else None
    BRUSHES[(_status, True)] = QBrush(_blend(_bg, _LOCKED_GREY, 0.6))
FG_BRUSHES = {status: QBrush(color) for status, color in _STATUS_FG.items()}
LOCKED_FG = QBrush(QColor("#6b7280"))
INACTIVE_FG = QBrush(QColor("#9ca3af"))
BARRED_BG = QBrush(QColor("#fca5a5"))  # over the limit and not made up
RESTORED_BG = QBrush(QColor("#fef3c7"))  # over the limit, made up (eligible again)
FUTURE_BG = QBrush(QColor("#f9fafb"))
BOLD = QFont()
BOLD.setBold(True)
ITALIC = QFont()
ITALIC.setItalic(True)

HALF_SHORT = {"morning": tr_noop("attendance_tab", "S"), "afternoon": tr_noop("attendance_tab", "C"),
              "evening": tr_noop("attendance_tab", "T")}  # sáng, chiều, tối: one letter in the column headers


def slot_text(s: GridSession) -> str:
    """"sáng Thứ Bảy 12/09/2026"."""
    return tr("attendance_tab", "{half} {weekday} {date}").format(
        half=timetable.half_label(s.half).lower(), weekday=timetable.weekday_label(s.date),
        date=text.format_date(s.date))


def share_text(value: float) -> str:
    return text.format_decimal(value * 100, 1) + "%"


def module_line(code: str, absent: int, periods: int, made_up: int, limit_text: str) -> str:
    share = share_text(absent / periods) if periods else "–"
    line = tr("attendance_tab", "Học phần {code}: vắng {absent}/{periods} tiết ({share}), giới hạn {limit}").format(
        code=code, absent=absent, periods=periods, share=share, limit=limit_text)
    if made_up:
        line += tr("attendance_tab", "; đã học bổ sung {n} tiết").format(n=made_up)
    return line


def scope_text(scope: str) -> str:
    if scope == "course":
        return tr("attendance_tab", "tính trên cả khóa học")
    return tr("attendance_tab", "tính theo từng học phần")


def session_tooltip(s: GridSession, *, locked: bool, future: bool) -> str:
    lines = [slot_text(s)]
    if s.module_code:
        lines.append(f"{s.module_code} – {s.module_name}")
    lines.append(tr("attendance_tab", "{kind}, {periods} tiết").format(
        kind=timetable.session_kind_label(s.kind), periods=s.periods))
    if s.lecturer:
        lines.append(tr("attendance_tab", "Giảng viên: {name}").format(name=s.lecturer))
    if s.topic:
        lines.append(s.topic)
    if locked:
        lines.append(tr("attendance_tab", "Đã khóa: sửa cần quyền và lý do."))
    elif future:
        lines.append(tr("attendance_tab", "Chưa diễn ra: chỉ ghi trước được vắng có phép."))
    return "\n".join(lines)


def cell_tooltip(full_name: str, s: GridSession, status: str | None, *, locked: bool) -> str:
    what = status_label(status) if status else tr("attendance_tab", "chưa điểm danh")
    tip = f"{full_name}\n{slot_text(s)} – {s.module_code or ''}\n{what}"
    if locked:
        tip += "\n" + tr("attendance_tab", "Đã khóa: sửa cần quyền và lý do.")
    return tip


def learner_tooltip(learner: GridLearner, summary: LearnerAttendance, limit_text: str, *, inactive: bool,
                    detailed: bool) -> str:
    """The learner, why they are over the limit (the rule's explanations) and, in detail, the
    absences over the course and per module."""
    lines = [learner.full_name + (f" – {learner.organisation}" if learner.organisation else "")]
    if inactive:
        lines.append(tr("attendance_tab", "Không còn học lớp này."))
    lines.extend(summary.explanations)
    if detailed or not summary.explanations:
        lines.append(tr("attendance_tab", "Vắng {absent}/{total} tiết cả khóa ({share}): có phép {excused}, "
                                          "không phép {unexcused}; đi muộn {late} buổi.").format(
            absent=summary.absent_periods, total=summary.course_periods, share=share_text(summary.absent_share),
            excused=summary.excused_periods, unexcused=summary.unexcused_periods, late=summary.late_sessions))
    if detailed:
        for m in summary.modules:
            if m.absent_periods or m.made_up_periods:
                lines.append(module_line(m.code, m.absent_periods, m.periods, m.made_up_periods, limit_text))
    return "\n".join(lines)
