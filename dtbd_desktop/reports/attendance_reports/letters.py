"""The letters to the sending organisations (thông báo gửi đơn vị cử đi học): one per organisation
that has learners with absences or late arrivals, each starting on a new page with its own page
numbers: letterhead with place and date, "Kính gửi: <organisation>", the learners' absences per
module, the rule, the request, "Nơi nhận" and the director's signature.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, PageBreak, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports.attendance_reports.common import (
    ABSENT_FROM_CLASS,
    SMALL_SIZE,
    cell,
    class_title,
    grid_commands,
    proper_name,
    rule_text,
)
from dtbd_desktop.services.attendance import AttendanceGrid, LearnerAttendance, load_grid
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import load_letterhead

# ---------------------------------------------------------------------------------- letters


class _LetterStart(Flowable):
    """Invisible marker: a new letter starts on this page (for per-letter page numbers)."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        starts: list[int] = getattr(self.canv, "letter_starts", [])
        starts.append(self.canv.getPageNumber())
        self.canv.__dict__["letter_starts"] = starts  # our mark on reportlab's canvas


class LetterCanvas(pdf.NumberedCanvas):
    """Page numbers counted within each letter ("Trang 2/3"); none on a one-page letter."""

    def _draw_page_number(self, total: int) -> None:
        starts = sorted(set(getattr(self, "letter_starts", None) or [1]))
        page: int = self._pageNumber  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        first = max((s for s in starts if s <= page), default=1)
        following = [s for s in starts if s > page]
        end = following[0] if following else total + 1
        pages = end - first
        if pages <= 1:
            return
        width, _height = self._pagesize  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        self.saveState()
        self.setFont(pdf.FONT, self.PAGE_NUMBER_SIZE)
        self.drawCentredString(width / 2, 10 * mm, pdf.page_label(page - first + 1, pages))
        self.restoreState()


@dataclass(frozen=True)
class LettersResult:
    pages: int
    letters: int
    organisations: list[str]
    without_organisation: int  # learners with absences but no sending organisation on record


def _letter(grid: AttendanceGrid, head: Letterhead, organisation: str, learners: list[LearnerAttendance],
            on: dt.date, width: float, start: dt.date | None, end: dt.date | None) -> list[Flowable]:
    body = pdf.style("letter-body", align=TA_JUSTIFY, space_after=4)
    body.firstLineIndent = 10 * mm
    story: list[Flowable] = [_LetterStart(), pdf.letterhead(head, width, date=on,
                                                            document_number=tr("reports", "V/v tình hình chuyên cần "
                                                                                          "của học viên"))]
    story.append(Spacer(1, 10))
    story.append(pdf.para(tr("reports", "Kính gửi: {organisation}").format(organisation=organisation),
                          pdf.style("letter-to", align=TA_CENTER, space_after=8)))
    period = ""
    if start and end:
        period = tr("reports", ", học từ ngày {start} đến ngày {end}").format(start=text.format_date(start),
                                                                              end=text.format_date(end))
    story.append(pdf.para(tr("reports", "{centre} thông báo tình hình chuyên cần của học viên do quý cơ quan cử tham "
                                        "gia {klass}{period}, tính đến ngày {date}, như sau:").format(
        centre=proper_name(head.centre_name), klass=class_title(grid), period=period, date=text.format_date(on)), body))
    widths = [30.0, 112.0, 0.0, 50.0, 58.0, 44.0]
    widths[2] = width - sum(widths)
    head_style = pdf.style("letter-head", size=SMALL_SIZE, bold=True, align=TA_CENTER)
    wrap = pdf.style("letter-cell", size=SMALL_SIZE, align=TA_LEFT)
    data: list[list[Any]] = [[pdf.para(h, head_style) for h in (
        tr("reports", "STT"), tr("reports", "Họ và tên"), tr("reports", "Học phần"),
        tr("reports", "Vắng có phép (tiết)"), tr("reports", "Vắng không phép (tiết)"), tr("reports", "Đi muộn (buổi)"))]]
    module_names = {m.id: f"{m.code} – {m.name}" for m in grid.modules}
    rules: list[tuple[Any, ...]] = []
    for number, la in enumerate(learners, start=1):
        rows = [m for m in la.modules if m.excused_periods or m.unexcused_periods or m.late_sessions]
        for index, m in enumerate(rows):
            name_cell: Any = ""
            if index == 0:
                name_cell = cell(la.full_name, widths[1], wrap, SMALL_SIZE)
            data.append([str(number) if index == 0 else "", name_cell,
                         cell(module_names.get(m.module_id, m.code), widths[2], wrap, SMALL_SIZE),
                         str(m.excused_periods or ""), str(m.unexcused_periods or ""), str(m.late_sessions or "")])
        if not rows:  # absences only in sessions outside the modules
            data.append([str(number), cell(la.full_name, widths[1], wrap, SMALL_SIZE), "",
                         str(la.excused_periods or ""), str(la.unexcused_periods or ""), str(la.late_sessions or "")])
        # The number and the name stand once per learner: no rule under them between their modules.
        rules.append(("LINEBELOW", (0, len(data) - 1), (1, len(data) - 1), 0.5, "black"))
    commands = grid_commands(SMALL_SIZE) + [
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (3, 1), (5, -1), "CENTER"),
        ("VALIGN", (0, 1), (1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
        ("LINEAFTER", (0, 0), (-2, -1), 0.5, "black"),
        ("LINEBELOW", (2, 1), (-1, -1), 0.5, "black"),
        *rules,
    ]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    story.append(table)
    story.append(Spacer(1, 6))
    over = [(la.full_name, e) for la in learners for e in la.explanations]
    if over:
        story.append(pdf.para(tr("reports", "Học viên chưa đủ điều kiện về chuyên cần:"), body))
        item = pdf.style("letter-item", align=TA_JUSTIFY)
        item.leftIndent = 10 * mm
        story.extend(pdf.para(f"- {name}: {e}.", item) for name, e in over)
        story.append(Spacer(1, 4))
    story.append(pdf.para(rule_text(grid), body))
    story.append(pdf.para(tr("reports", "Đề nghị quý cơ quan quan tâm, nhắc nhở học viên thực hiện nghiêm nội quy lớp "
                                        "học và tạo điều kiện để học viên học bổ sung các nội dung còn thiếu."), body))
    story.append(pdf.para(tr("reports", "Trân trọng thông báo./."), body))
    recipients = Table([[
        [pdf.para(tr("reports", "Nơi nhận:"), pdf.style("letter-rcpt-h", size=12, bold=True, italic=True)),
         pdf.para(tr("reports", "- Như trên;"), pdf.style("letter-rcpt", size=11)),
         pdf.para(tr("reports", "- Giảng viên chủ nhiệm lớp;"), pdf.style("letter-rcpt2", size=11)),
         pdf.para(tr("reports", "- Lưu: VT, phòng Đào tạo."), pdf.style("letter-rcpt3", size=11))],
        pdf.signature_block([pdf.Signer(head.director_title, head.director_name)], width * 0.5),
    ]], colWidths=[width * 0.5, width * 0.5])
    recipients.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
                                    ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(KeepTogether([Spacer(1, 8), recipients]))
    return story


def render_letters_pdf(grid: AttendanceGrid, head: Letterhead, path: str | os.PathLike[str], on: dt.date, *,
                       start: dt.date | None = None, end: dt.date | None = None) -> LettersResult:
    width = pdf.content_width(False)
    groups: dict[str, list[LearnerAttendance]] = {}
    without = 0
    for la in grid.summaries():
        if la.enrolment_status in ABSENT_FROM_CLASS:
            continue
        if not (la.excused_periods or la.unexcused_periods or la.late_sessions):
            continue
        if not la.organisation:
            without += 1
            continue
        groups.setdefault(la.organisation, []).append(la)
    organisations = sorted(groups, key=text.vn_sort_key)
    story: list[Flowable] = []
    for index, organisation in enumerate(organisations):
        if index:
            story.append(PageBreak())
        story.extend(_letter(grid, head, organisation, groups[organisation], on, width, start, end))
    if not story:
        raise InputError(tr("reports", "Lớp {code} chưa có học viên nào vắng hoặc đi muộn: không có thông báo nào để "
                                       "in.").format(code=grid.class_code))
    document = pdf.new_document(path, title=tr("reports", "Thông báo chuyên cần lớp {code}").format(
        code=grid.class_code), author=head.centre_name)
    document.build(story, canvasmaker=LetterCanvas)
    return LettersResult(pages=int(document.page), letters=len(organisations), organisations=organisations,
                         without_organisation=without)


def export_letters(session: Session, class_code: str, path: str | os.PathLike[str], *,
                   on: dt.date | None = None) -> LettersResult:
    """One letter per sending organisation with learners who were absent or late, in one PDF."""
    on = on or dt.date.today()
    cls = get_class(session, class_code)
    grid = load_grid(session, cls, today=on)
    head = load_letterhead(session)
    with atomic_output(path) as temp:
        return render_letters_pdf(grid, head, temp, on, start=cls.start_date, end=cls.end_date)
