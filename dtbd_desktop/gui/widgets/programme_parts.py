"""Shared pieces of the programme screens: labels, field names, problem display."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QLabel,
)

from dtbd_desktop.base.errors import DtbdError
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.gui.tasks import error_text

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
PROBLEM_BACKGROUND = QColor("#ffebee")
PROBLEM_BORDER = "border: 1px solid #b71c1c;"

# Labels are marked where they are defined and translated where shown (`labels()`).
MODULE_KINDS = {
    "module": tr_noop("programmes_view", "Học phần"),
    "graduation_exam": tr_noop("programmes_view", "Thi tốt nghiệp"),
    "thesis": tr_noop("programmes_view", "Khóa luận"),
}
PROGRAMME_KINDS = {"training": tr_noop("programmes_view", "Đào tạo"),
                   "fostering": tr_noop("programmes_view", "Bồi dưỡng")}
DISCIPLINES: dict[str | None, str] = {
    None: tr_noop("programmes_view", "Không áp dụng"),
    "reprimand": tr_noop("programmes_view", "Từ khiển trách trở lên"),
    "warning": tr_noop("programmes_view", "Từ cảnh cáo trở lên"),
    "expulsion": tr_noop("programmes_view", "Buộc thôi học"),
}
RULE_CHOICES: dict[str, dict[Any, str]] = {
    "attempt_counted": {"latest": tr_noop("programmes_view", "Lần thi sau cùng"),
                        "best": tr_noop("programmes_view", "Lần thi cao nhất")},
    "outcome": {"classification": tr_noop("programmes_view", "Xếp loại (Xuất sắc, Giỏi...)"),
                "pass_fail": tr_noop("programmes_view", "Đạt / Không đạt")},
    "average_weighting": {"periods": tr_noop("programmes_view", "Theo số tiết của học phần"),
                          "equal": tr_noop("programmes_view", "Các học phần như nhau")},
    "downgrade_discipline_from": DISCIPLINES,
    "bar_discipline_from": DISCIPLINES,
}
RULE_CHECKS = {
    "makeup_restores_eligibility": tr_noop("programmes_view", "học đủ số tiết thì được dự thi"),
    "graded_essay": tr_noop("programmes_view", "bài thu hoạch xếp theo các mức"),
    "downgrade_on_retake": tr_noop("programmes_view", "có học phần thi lại thì hạ một mức"),
    "requires_confirmation": tr_noop("programmes_view", "bắt buộc trước khi xét tốt nghiệp"),
}
ABSENT_STATUSES = {"excused": tr_noop("programmes_view", "vắng có phép"),
                   "unexcused": tr_noop("programmes_view", "vắng không phép"),
                   "late": tr_noop("programmes_view", "đi muộn")}
COLUMNS = {  # the module table's columns, as problems name them
    "code": tr_noop("programmes_view", "Mã"),
    "name": tr_noop("programmes_view", "Tên học phần"),
    "periods": tr_noop("programmes_view", "Số tiết"),
    "kind": tr_noop("programmes_view", "Loại"),
    "part": tr_noop("programmes_view", "Phần"),
}
FIELDS = {  # where a problem is, in the words of the form (the core names fields by their keys)
    "name": tr_noop("programmes_view", "Tên chương trình"),
    "description": tr_noop("programmes_view", "Mô tả"),
    "modules": tr_noop("programmes_view", "Học phần"),
    "pass_mark": tr_noop("programmes_view", "Điểm đạt"),
    "absence_limit_share": tr_noop("programmes_view", "Giới hạn vắng"),
    "absence_statuses": tr_noop("programmes_view", "Tính là vắng"),
    "attempt_counted": tr_noop("programmes_view", "Lần thi được tính"),
    "outcome": tr_noop("programmes_view", "Kết quả khóa học"),
    "average_weighting": tr_noop("programmes_view", "Cách tính điểm trung bình"),
    "downgrade_discipline_from": tr_noop("programmes_view", "Kỷ luật hạ một mức"),
    "bar_discipline_from": tr_noop("programmes_view", "Kỷ luật không công nhận"),
    "ranking_decimals": tr_noop("programmes_view", "Số chữ số lẻ khi xếp loại"),
    "display_decimals": tr_noop("programmes_view", "Số chữ số lẻ khi in"),
    "bands": tr_noop("programmes_view", "Mức xếp loại"),
}


def labels(table: dict[Any, str]) -> dict[Any, str]:
    return {key: tr("programmes_view", source) for key, source in table.items()}


def programme_kind_label(kind: str) -> str:
    return tr("programmes_view", PROGRAMME_KINDS.get(kind, kind))


def problem_text(exc: BaseException) -> str:
    """The refusal and each problem with its row and field, in the form's words."""
    if not isinstance(exc, DtbdError):
        return error_text(exc)
    columns, fields = labels(COLUMNS), labels(FIELDS)
    lines = [exc.message]
    for p in exc.problems:
        message, where = p.message, []
        if p.row is not None:
            row = tr("programmes_view", "Dòng {row}").format(row=p.row)
            if message.lower().startswith(row.lower() + ":"):  # the core's message starts with it too
                message = message[len(row) + 1:].strip()
            where.append(row)
        for key, names in ((p.column, columns), (p.field, fields)):
            if key and f"'{key}'" in message:  # the message names the key itself: say the label instead
                message = message.replace(f"'{key}'", names.get(key, key))
            elif key:
                where.append(names.get(key, key))
        lines.append("• " + (", ".join(where) + ": " if where else "") + message)
    return "\n".join(lines)


def parse_number(value: str) -> Any:
    """'5,5' or '5.5' as a number; anything else is passed on as typed, for the core to name."""
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        return value.strip()
    return int(number) if number.is_integer() and value.strip().isdigit() else number


def message_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def commit_open_editor(view: QAbstractItemView) -> None:
    """Keep what is being typed in a cell when a save button is pressed."""
    editor = view.indexWidget(view.currentIndex())
    if editor is not None:
        view.commitData(editor)
        view.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)


# --- the rule-set form -------------------------------------------------------------------
