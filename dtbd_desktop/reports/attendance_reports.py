"""Attendance printouts: the sign-in sheet of a session, the class's attendance summary
(PDF and XLSX) and the letters to the sending organisations.

* Sign-in sheet (danh sách ký tên), A4 portrait: letterhead; the class, module, session
  (half-day, weekday, date) and lecturer; STT | họ và tên | đơn vị | ký tên (blank, tall
  enough to sign) | ghi chú (an excused absence entered ahead is printed there); then counts
  to fill in by hand and the signatures of the lecturer and the homeroom lecturer. Learners
  who withdrew or moved to another class are left out.
* Summary (tổng hợp chuyên cần), A4 landscape: per learner the periods absent with and
  without leave, the sessions late, total and share, make-up periods and the conclusion
  (modules barred, or the certificate); the rule applied is printed above the table and
  the explanations below it.
* Letters (thông báo gửi đơn vị cử đi học): one per sending organisation that has learners
  with absences or late arrivals, each starting on a new page with its own page numbers:
  letterhead with place and date, "Kính gửi: <organisation>", the learners' absences per
  module, the rule, the request, "Nơi nhận" and the director's signature.

Everything is read through `services.attendance.load_grid` (a few set-based queries).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules import timetable
from dtbd_desktop.services.attendance import (
    AttendanceGrid,
    GridSession,
    LearnerAttendance,
    find_session,
    load_grid,
)
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.roster import ENROLMENT_STATUS_LABELS
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

TABLE_SIZE = 12.0
SMALL_SIZE = 11.0
TITLE_SIZE = 14.0
_PAD = 3.0
ABSENT_FROM_CLASS = ("withdrawn", "transferred")


def _cell(value: str, width: float, paragraph_style: Any, size: float = TABLE_SIZE) -> str | Paragraph:
    """A plain string when it fits on one line (fast), else a wrapping Paragraph."""
    if not value:
        return ""
    value = pdf.nfc(value)
    if pdf.text_width(value, pdf.FONT, size) <= width - 2 * _PAD:
        return value
    return pdf.para(value, paragraph_style)


def _grid_commands(size: float = TABLE_SIZE) -> list[tuple[Any, ...]]:
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


def _class_title(grid: AttendanceGrid) -> str:
    name = grid.class_name
    if grid.class_code.casefold() not in name.casefold():
        name = tr("reports", "{name} (mã lớp {code})").format(name=name, code=grid.class_code)
    return name


def _rule_text(grid: AttendanceGrid) -> str:
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
    source = grid.regulation or grid.rule_set_name
    return tr("reports", "Căn cứ {source}, {body}.").format(source=source, body=body)


def _conclusion(grid: AttendanceGrid, la: LearnerAttendance) -> str:
    if la.enrolment_status in ABSENT_FROM_CLASS:
        return tr("roster", ENROLMENT_STATUS_LABELS.get(la.enrolment_status, la.enrolment_status))
    if grid.rules.scope == "course":
        return tr("reports", "Đủ điều kiện cấp GCN") if la.certificate_eligible else tr("reports", "Không được cấp GCN")
    if la.barred_modules:
        return tr("reports", "Không được thi: {modules}").format(modules=", ".join(la.barred_modules))
    return tr("reports", "Đủ điều kiện dự thi")


_PLACE_WORDS = ("tỉnh", "huyện", "quận", "thị xã", "thành phố")


def proper_name(name: str) -> str:
    """A body's name typed in capitals (as letterheads want it) in sentence case for running
    text: "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" -> "Trường Chính trị tỉnh Long An". A name not all in
    capitals is kept as typed."""
    name = text.nfc(name)
    if not name or name != name.upper():
        return name
    lowered = name.lower()
    words = lowered.split(" ")
    out = [words[0].capitalize()]
    rest = " ".join(words[1:])
    head = "tâm " if lowered.startswith("trung tâm ") else ""
    if head and rest.startswith(head):
        out.append("tâm")
        rest = rest[len(head):]
    if rest.startswith("chính trị"):
        out.append("Chính trị")
        rest = rest[len("chính trị"):].strip()
    for place in _PLACE_WORDS:
        if rest.startswith(place + " "):
            out.append(place)
            rest = rest[len(place):].strip()
            break
    if rest:
        out.append(" ".join(w.capitalize() for w in rest.split(" ")))
    return " ".join(out)


def _share_text(share: float) -> str:
    return text.format_percent(share * 100, 1)


# ---------------------------------------------------------------------------------- sign-in sheet


@dataclass(frozen=True)
class SheetLine:
    number: int
    family_middle: str
    given: str
    organisation: str
    note: str


@dataclass(frozen=True)
class SignInSheet:
    letterhead: Letterhead
    class_title: str
    programme_name: str
    session: GridSession
    module_line: str
    homeroom: str | None
    lines: list[SheetLine]


def load_sign_in_sheet(session: Session, class_code: str, day: dt.date, half: str) -> SignInSheet:
    cls = get_class(session, class_code)
    sess = find_session(session, cls, day, half)
    grid = load_grid(session, cls)
    gs = grid.sessions[grid.session_column[sess.id]]
    lines: list[SheetLine] = []
    for learner in grid.learners:
        if learner.enrolment_status in ABSENT_FROM_CLASS:
            continue
        status = grid.marks.get((learner.enrolment_id, gs.id))
        note = rules_mod.status_label(status) if status in ("excused", "unexcused") else ""
        organisation = learner.organisation_short or learner.organisation or ""
        lines.append(SheetLine(len(lines) + 1, learner.family_middle, learner.given_name, organisation, note))
    if gs.module_code:
        module_line = tr("reports", "Học phần: {code} – {name}").format(code=gs.module_code, name=gs.module_name)
    else:
        module_line = timetable.session_kind_label(gs.kind)
    if gs.kind == "field_trip":
        module_line += tr("reports", " (đi thực tế{topic})").format(topic=f": {gs.topic}" if gs.topic else "")
    elif gs.kind == "exam":
        module_line += tr("reports", " (thi, kiểm tra)")
    homeroom = None
    if cls.homeroom_lecturer is not None:
        lec = cls.homeroom_lecturer
        homeroom = f"{lec.title} {lec.full_name}" if lec.title else lec.full_name
    return SignInSheet(letterhead=load_letterhead(session), class_title=_class_title(grid),
                       programme_name=grid.programme_name, session=gs, module_line=module_line, homeroom=homeroom,
                       lines=lines)


def render_sign_in_pdf(sheet: SignInSheet, path: str | os.PathLike[str]) -> int:
    width = pdf.content_width(False)
    gs = sheet.session
    title = tr("reports", "Danh sách ký tên lớp {code}").format(code=sheet.class_title)
    document = pdf.new_document(path, title=title, author=sheet.letterhead.centre_name, subject=sheet.module_line)
    info = pdf.style("sheet-info", align=TA_CENTER)
    story: list[Flowable] = [
        pdf.letterhead(sheet.letterhead, width),
        pdf.para(tr("reports", "DANH SÁCH KÝ TÊN HỌC VIÊN"),
                 pdf.style("sheet-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=10)),
        pdf.para(sheet.class_title, pdf.style("sheet-class", bold=True, align=TA_CENTER)),
        pdf.para(sheet.module_line, info),
        pdf.para(tr("reports", "Buổi {half} {weekday}, ngày {date}").format(
            half=timetable.half_label(gs.half).lower(), weekday=timetable.weekday_label(gs.date).lower(),
            date=text.format_date(gs.date)) + (tr("reports", "; giảng viên: {name}").format(name=gs.lecturer)
                                               if gs.lecturer else ""), info),
        Spacer(1, 8),
    ]
    widths = [30.0, 104.0, 42.0, 0.0, 84.0, 72.0]
    widths[3] = width - sum(widths)
    head = pdf.style("sheet-head", size=TABLE_SIZE, bold=True, align=TA_CENTER)
    wrap = pdf.style("sheet-cell", size=TABLE_SIZE, align=TA_LEFT)
    small = pdf.style("sheet-small", size=SMALL_SIZE, align=TA_LEFT)
    data: list[list[Any]] = [[pdf.para(h, head) if h else "" for h in (
        tr("reports", "STT"), tr("reports", "Họ và tên"), "", tr("reports", "Đơn vị"), tr("reports", "Ký tên"),
        tr("reports", "Ghi chú"))]]
    for line in sheet.lines:
        data.append([str(line.number), _cell(line.family_middle, widths[1], wrap), _cell(line.given, widths[2], wrap),
                     _cell(line.organisation, widths[3], small, SMALL_SIZE), "", _cell(line.note, widths[5], small,
                                                                                        SMALL_SIZE)])
    commands = _grid_commands()
    commands += [
        ("SPAN", (1, 0), (2, 0)),
        ("FONTSIZE", (3, 1), (3, -1), SMALL_SIZE),
        ("FONTSIZE", (5, 1), (5, -1), SMALL_SIZE),
        ("TOPPADDING", (0, 1), (-1, -1), 5),  # rows tall enough to sign in
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("INNERGRID", (0, 0), (-1, 0), 0.5, "black"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black"),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, "black"),
        ("LINEAFTER", (2, 0), (-1, -1), 0.5, "black"),
        ("RIGHTPADDING", (1, 1), (1, -1), 1),
        ("LEFTPADDING", (2, 1), (2, -1), 1),
    ]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    story.append(table)
    counts = tr("reports", "Tổng số: {n} học viên; có mặt: ........; vắng có phép: ........; vắng không phép: "
                           "........; đi muộn: ........").format(n=len(sheet.lines))
    signers = [pdf.Signer(tr("reports", "Giảng viên"), gs.lecturer or "", tr("reports", "(Ký, ghi rõ họ tên)")),
               pdf.Signer(tr("reports", "Giảng viên chủ nhiệm"), sheet.homeroom or "",
                          tr("reports", "(Ký, ghi rõ họ tên)"))]
    story.append(KeepTogether([pdf.para(counts, pdf.style("sheet-counts", size=TABLE_SIZE, space_before=6)),
                               Spacer(1, 8), pdf.signature_block(signers, width)]))
    return pdf.build(document, story)


def export_sign_in_sheet(session: Session, class_code: str, day: dt.date, half: str,
                         path: str | os.PathLike[str]) -> int:
    """Print the sign-in sheet of the class's session on `day`/`half`; returns the pages.
    NotFoundError when the class has no session then."""
    sheet = load_sign_in_sheet(session, class_code, day, half)
    with atomic_output(path) as temp:
        return render_sign_in_pdf(sheet, temp)


# ---------------------------------------------------------------------------------- summary


def _header_block(grid: AttendanceGrid, head: Letterhead, width: float, title: str, on: dt.date) -> list[Flowable]:
    info = pdf.style("sum-info", italic=True, align=TA_CENTER)
    return [
        pdf.letterhead(head, width),
        pdf.para(title, pdf.style("sum-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=10)),
        pdf.para(_class_title(grid), pdf.style("sum-class", bold=True, align=TA_CENTER)),
        pdf.para(tr("reports", "Số liệu điểm danh tính đến ngày {date}").format(date=text.format_date(on)), info),
    ]


def _summary_headings(scope: str) -> list[str]:
    return [tr("reports", "STT"), tr("reports", "Họ và tên"), "", tr("reports", "Đơn vị"),
            tr("reports", "Vắng có phép (tiết)"), tr("reports", "Vắng không phép (tiết)"),
            tr("reports", "Đi muộn (buổi)"), tr("reports", "Tổng vắng (tiết)"), tr("reports", "Tỷ lệ vắng"),
            tr("reports", "Học bổ sung (tiết)"), tr("reports", "Kết luận")]


def render_summary_pdf(grid: AttendanceGrid, head: Letterhead, path: str | os.PathLike[str], on: dt.date) -> int:
    width = pdf.content_width(True)
    title = tr("reports", "TỔNG HỢP CHUYÊN CẦN CỦA HỌC VIÊN")
    document = pdf.new_document(path, title=tr("reports", "Tổng hợp chuyên cần lớp {code}").format(code=grid.class_code),
                                author=head.centre_name, landscape_orientation=True)
    story = _header_block(grid, head, width, title, on)
    story.append(pdf.para(_rule_text(grid), pdf.style("sum-rule", size=TABLE_SIZE, align=TA_JUSTIFY,
                                                      space_before=4, space_after=6)))
    widths = [30.0, 112.0, 46.0, 0.0, 52.0, 58.0, 46.0, 50.0, 46.0, 54.0, 130.0]
    widths[3] = width - sum(widths)
    head_style = pdf.style("sum-head", size=SMALL_SIZE, bold=True, align=TA_CENTER)
    wrap = pdf.style("sum-cell", size=SMALL_SIZE, align=TA_LEFT)
    data: list[list[Any]] = [[pdf.para(h, head_style) if h else "" for h in _summary_headings(grid.rules.scope)]]
    details: list[str] = []
    summaries = grid.summaries()
    for number, la in enumerate(summaries, start=1):
        learner = grid.learners[grid.learner_row[la.enrolment_id]]
        data.append([
            str(number), _cell(learner.family_middle, widths[1], wrap, SMALL_SIZE),
            _cell(learner.given_name, widths[2], wrap, SMALL_SIZE),
            _cell(learner.organisation_short or learner.organisation or "", widths[3], wrap, SMALL_SIZE),
            str(la.excused_periods or ""), str(la.unexcused_periods or ""), str(la.late_sessions or ""),
            str(la.absent_periods or ""), _share_text(la.absent_share) if la.absent_periods else "",
            str(la.made_up_periods or ""), _cell(_conclusion(grid, la), widths[10], wrap, SMALL_SIZE),
        ])
        for explanation in la.explanations:
            details.append(f"{la.full_name}: {explanation}.")
    commands = _grid_commands(SMALL_SIZE) + [
        ("SPAN", (1, 0), (2, 0)),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (4, 1), (9, -1), "CENTER"),
        ("INNERGRID", (0, 0), (-1, 0), 0.5, "black"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, "black"),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, "black"),
        ("LINEAFTER", (2, 0), (-1, -1), 0.5, "black"),
        ("RIGHTPADDING", (1, 1), (1, -1), 1),
        ("LEFTPADDING", (2, 1), (2, -1), 1),
    ]
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    story.append(table)
    barred = sum(1 for la in summaries if not la.certificate_eligible and la.enrolment_status not in ABSENT_FROM_CLASS)
    story.append(pdf.para(tr("reports", "Lớp có {n} học viên; {barred} học viên chưa đủ điều kiện về chuyên cần.").format(
        n=len(summaries), barred=barred), pdf.style("sum-count", size=TABLE_SIZE, space_before=6)))
    lines: list[Flowable] = []
    if details:
        detail_style = pdf.style("sum-detail", size=SMALL_SIZE, align=TA_LEFT)
        lines = [pdf.para(f"- {line}", detail_style) for line in details]
        heading = pdf.para(tr("reports", "Chi tiết:"), pdf.style("sum-detail-h", size=TABLE_SIZE, bold=True,
                                                                  space_before=4))
        story.append(KeepTogether([heading, *lines[:2]]))  # never a heading alone at the foot of a page
        lines = lines[2:]
    signers = [pdf.Signer(tr("reports", "Người lập biểu")), pdf.Signer(head.director_title, head.director_name)]
    story.extend(lines[:-3])
    # The signatures never stand alone on a page: the last lines go over with them.
    story.append(KeepTogether([*lines[-3:], Spacer(1, 8), pdf.signature_block(
        signers, width, place_date=text.long_date(head.place_name, on))]))
    return pdf.build(document, story)


_SUMMARY_XLSX_WIDTHS: Sequence[float] = (5.5, 20, 8, 34, 10, 10, 9, 9, 9, 10, 22, 60)


def render_summary_xlsx(grid: AttendanceGrid, head: Letterhead, path: str | os.PathLike[str], on: dt.date) -> int:
    wb, ws = xl.new_workbook(tr("reports", "Chuyên cần {code}").format(code=grid.class_code))
    xl.set_document_properties(wb, title=tr("reports", "Tổng hợp chuyên cần lớp {code}").format(code=grid.class_code),
                               author=head.centre_name)
    last = len(_SUMMARY_XLSX_WIDTHS)
    xl.set_column_widths(ws, _SUMMARY_XLSX_WIDTHS)
    row = xl.write_letterhead(ws, head, row=1, left_cols=(1, 4), right_cols=(6, last))
    row += 1
    xl.merged_line(ws, row, 1, last, tr("reports", "TỔNG HỢP CHUYÊN CẦN CỦA HỌC VIÊN"),
                   cell_font=xl.font(TITLE_SIZE, bold=True), height=22)
    xl.merged_line(ws, row + 1, 1, last, _class_title(grid), cell_font=xl.font(xl.BODY_SIZE, bold=True))
    xl.merged_line(ws, row + 2, 1, last, tr("reports", "Số liệu điểm danh tính đến ngày {date}").format(
        date=text.format_date(on)), cell_font=xl.font(xl.BODY_SIZE, italic=True))
    xl.merged_line(ws, row + 3, 1, last, _rule_text(grid), cell_font=xl.font(xl.TABLE_SIZE), horizontal="left",
                   height=32)
    row += 5
    headings = [*_summary_headings(grid.rules.scope), tr("reports", "Ghi chú")]
    header_row = row
    xl.header_cell(ws, row, 1, headings[0])
    xl.header_cell(ws, row, 2, headings[1], last_col=3)
    for column in range(4, last + 1):
        xl.header_cell(ws, row, column, headings[column - 1])
    ws.row_dimensions[row].height = 45
    row += 1
    body = xl.font(xl.TABLE_SIZE)
    left, centre = xl.align("left", "center"), xl.align("center", "center")
    for number, la in enumerate(grid.summaries(), start=1):
        learner = grid.learners[grid.learner_row[la.enrolment_id]]
        values: list[Any] = [number, learner.family_middle, learner.given_name, learner.organisation,
                             la.excused_periods, la.unexcused_periods, la.late_sessions, la.absent_periods,
                             round(la.absent_share, 4), la.made_up_periods, _conclusion(grid, la),
                             "; ".join(la.explanations) or None]
        for column, value in enumerate(values, start=1):
            c = ws.cell(row=row, column=column, value=value)
            c.font = body
            c.alignment = centre if column in (1, 5, 6, 7, 8, 9, 10) else left
            c.border = xl.THIN_BORDER
            if column == 9:
                c.number_format = "0.0%"
        row += 1
    rows = len(grid.learners)
    _module_sheet(wb, grid)
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, header_row, header_row)
    xl.freeze_below(ws, header_row)
    xl.save_workbook(wb, path)
    return rows


def _module_sheet(wb: Any, grid: AttendanceGrid) -> None:
    """A second sheet: absent periods per learner and module, the modules over the limit marked."""
    ws = wb.create_sheet(tr("reports", "Theo học phần"))
    modules = [m for m in grid.modules if m.periods > 0]
    xl.set_column_widths(ws, [5.5, 28, *([8.5] * len(modules))])
    xl.header_cell(ws, 1, 1, tr("reports", "STT"), last_row=2)
    xl.header_cell(ws, 1, 2, tr("reports", "Họ và tên"), last_row=2)
    for index, m in enumerate(modules, start=3):
        xl.header_cell(ws, 1, index, m.code)
        xl.header_cell(ws, 2, index, tr("reports", "{n} tiết").format(n=m.periods))
    over = xl.font(xl.TABLE_SIZE, bold=True)
    body = xl.font(xl.TABLE_SIZE)
    for number, la in enumerate(grid.summaries(), start=1):
        row = number + 2
        ws.cell(row=row, column=1, value=number).border = xl.THIN_BORDER
        ws.cell(row=row, column=2, value=la.full_name).border = xl.THIN_BORDER
        by_module = {m.module_id: m for m in la.modules}
        for index, m in enumerate(modules, start=3):
            absence = by_module.get(m.id)
            c = ws.cell(row=row, column=index, value=absence.absent_periods if absence and absence.absent_periods else None)
            c.border = xl.THIN_BORDER
            c.alignment = xl.align("center", "center")
            c.font = over if absence and absence.over_limit else body
    xl.freeze_below(ws, 2, 3)
    xl.page_setup(ws, landscape=True)


def export_summary(session: Session, class_code: str, path: str | os.PathLike[str], *,
                   on: dt.date | None = None) -> tuple[str, int]:
    """The class's attendance summary as .pdf or .xlsx (by the file's extension).
    Returns ("pages", n) or ("rows", n)."""
    suffix = os.fspath(path).lower().rsplit(".", 1)[-1]
    if suffix not in ("pdf", "xlsx"):
        raise InputError(tr("reports", "Tệp kết quả phải có đuôi .pdf hoặc .xlsx."))
    on = on or dt.date.today()
    cls = get_class(session, class_code)
    grid = load_grid(session, cls, today=on)
    head = load_letterhead(session)
    with atomic_output(path) as temp:
        if suffix == "pdf":
            return "pages", render_summary_pdf(grid, head, temp, on)
        return "rows", render_summary_xlsx(grid, head, temp, on)


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
        centre=proper_name(head.centre_name), klass=_class_title(grid), period=period, date=text.format_date(on)), body))
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
                name_cell = _cell(la.full_name, widths[1], wrap, SMALL_SIZE)
            data.append([str(number) if index == 0 else "", name_cell,
                         _cell(module_names.get(m.module_id, m.code), widths[2], wrap, SMALL_SIZE),
                         str(m.excused_periods or ""), str(m.unexcused_periods or ""), str(m.late_sessions or "")])
        if not rows:  # absences only in sessions outside the modules
            data.append([str(number), _cell(la.full_name, widths[1], wrap, SMALL_SIZE), "",
                         str(la.excused_periods or ""), str(la.unexcused_periods or ""), str(la.late_sessions or "")])
        # The number and the name stand once per learner: no rule under them between their modules.
        rules.append(("LINEBELOW", (0, len(data) - 1), (1, len(data) - 1), 0.5, "black"))
    commands = _grid_commands(SMALL_SIZE) + [
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
    story.append(pdf.para(_rule_text(grid), body))
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


__all__ = [
    "LetterCanvas", "LettersResult", "SignInSheet", "export_letters", "export_sign_in_sheet", "export_summary",
    "load_sign_in_sheet", "render_letters_pdf", "render_sign_in_pdf", "render_summary_pdf", "render_summary_xlsx",
]
