"""What the attendance printouts share: sizes, table cells and grid lines, the class's title,
the rule applied in words, a learner's conclusion, a body's name in running text.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import running_name
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules.rule_sets import legal_basis_sentence
from dtbd_desktop.services.attendance import AttendanceGrid, LearnerAttendance
from dtbd_desktop.services.roster import ENROLMENT_STATUS_LABELS

TABLE_SIZE = 12.0
SMALL_SIZE = 11.0
TITLE_SIZE = 14.0
_PAD = 3.0
ABSENT_FROM_CLASS = ("withdrawn", "transferred")
SHRINK_STEP = 0.5  # points
MIN_SHRINK = 0.7  # a name is never printed smaller than this share of the table's size


def cell(value: str, width: float, paragraph_style: Any, size: float = TABLE_SIZE) -> str | Paragraph:
    """A plain string when it fits on one line (fast), else a Paragraph that wraps at spaces only:
    a word too long for the column ("Chương" in a narrow given-name column) is never cut; the font
    shrinks a step at a time (down to `MIN_SHRINK` of its size) until the longest word fits."""
    if not value:
        return ""
    value = pdf.nfc(value)
    room = width - 2 * _PAD
    if pdf.text_width(value, pdf.FONT, size) <= room:
        return value
    longest = max((pdf.text_width(word, pdf.FONT, 1.0) for word in value.split()), default=0.0)
    fitted = size
    while fitted > size * MIN_SHRINK and longest * fitted > room:
        fitted -= SHRINK_STEP
    if fitted == size and not paragraph_style.splitLongWords:
        return pdf.para(value, paragraph_style)
    shrunk = ParagraphStyle(f"{paragraph_style.name}-{fitted:g}", parent=paragraph_style, fontSize=fitted,
                            leading=fitted * pdf.LEADING, splitLongWords=False)
    return pdf.para(value, shrunk)


def grid_commands(size: float = TABLE_SIZE) -> list[tuple[Any, ...]]:
    """The font, paddings and frame every attendance table has."""
    return [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * pdf.LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BOX", (0, 0), (-1, -1), 0.8, "black"),
    ]


def name_grid_commands(size: float = TABLE_SIZE) -> list[tuple[Any, ...]]:
    """The grid of a list of learners whose name is two columns, họ đệm | tên, under one heading
    and with no rule between them; the numbers centred."""
    return grid_commands(size) + [
        ("SPAN", (1, 0), (2, 0)),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("INNERGRID", (0, 0), (-1, 0), 0.5, "black"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black"),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, "black"),
        ("LINEAFTER", (2, 0), (-1, -1), 0.5, "black"),
        ("RIGHTPADDING", (1, 1), (1, -1), 1),
        ("LEFTPADDING", (2, 1), (2, -1), 1),
    ]


def class_title(grid: AttendanceGrid) -> str:
    """The class's name, with its code when the name does not hold it."""
    name = grid.class_name
    if grid.class_code.casefold() not in name.casefold():
        name = tr("reports", "{name} (mã lớp {code})").format(name=name, code=grid.class_code)
    return name


def rule_text(grid: AttendanceGrid) -> str:
    """The rule the document applies, printed on it: "Căn cứ <regulation>, học viên vắng mặt
    (tính cả vắng có phép và vắng không phép) quá 20% số tiết của một học phần ..."."""
    rules = grid.rules
    counted = [rules_mod.status_label(s).lower() for s in rules_mod.STATUSES if s in rules.absent_statuses]
    what = tr("reports", " và ").join(counted)
    if rules.scope == "course":
        body = tr("reports", "học viên vắng mặt (tính cả {what}) quá {limit} số tiết của khóa học không được cấp giấy "
                             "chứng nhận").format(what=what, limit=rules.limit_text)
    else:
        body = tr("reports", "học viên vắng mặt (tính cả {what}) quá {limit} số tiết của một học phần không được dự "
                             "thi học phần đó").format(what=what, limit=rules.limit_text)
    if rules.makeup_restores:
        body += tr("reports", " cho đến khi học bổ sung đủ số tiết còn thiếu")
    source = legal_basis_sentence(grid.regulation) or grid.rule_set_name
    return tr("reports", "Căn cứ {source}, {body}.").format(source=source, body=body)


def conclusion(grid: AttendanceGrid, la: LearnerAttendance) -> str:
    """What attendance means for the learner: may sit the exams, barred from some, the certificate."""
    if la.enrolment_status in ABSENT_FROM_CLASS:
        return tr("roster", ENROLMENT_STATUS_LABELS.get(la.enrolment_status, la.enrolment_status))
    if grid.rules.scope == "course":
        return tr("reports", "Đủ điều kiện cấp GCN") if la.certificate_eligible else tr("reports", "Không được cấp GCN")
    if la.barred_modules:
        return tr("reports", "Không được thi: {modules}").format(modules=", ".join(la.barred_modules))
    return tr("reports", "Đủ điều kiện dự thi")


def proper_name(name: str) -> str:
    """A body's name typed in capitals in sentence case for running text (`printing.letterhead.running_name`)."""
    return running_name(name)


def share_text(share: float) -> str:
    """0.125 -> "12,5%"."""
    return text.format_percent(share * 100, 1)
