"""The sign-in sheet of a session (danh sách ký tên), A4 portrait: letterhead; the class, module,
session (half-day, weekday, date) and lecturer; STT | họ và tên | đơn vị | ký tên (blank, tall
enough to sign) | ghi chú (an excused absence entered ahead is printed there); then counts to
fill in by hand and the signatures of the lecturer and the homeroom lecturer. Learners who
withdrew or moved to another class are left out.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.platypus import Flowable, KeepTogether, LongTable, Spacer, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.reports.attendance_reports.common import (
    ABSENT_FROM_CLASS,
    SMALL_SIZE,
    TABLE_SIZE,
    TITLE_SIZE,
    cell,
    class_title,
    name_grid_commands,
)
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules import timetable
from dtbd_desktop.services.attendance import GridSession, find_session, load_grid
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import load_letterhead


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
    return SignInSheet(letterhead=load_letterhead(session), class_title=class_title(grid),
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
    widths = [30.0, 100.0, 50.0, 0.0, 84.0, 68.0]
    widths[3] = width - sum(widths)
    head = pdf.style("sheet-head", size=TABLE_SIZE, bold=True, align=TA_CENTER)
    wrap = pdf.style("sheet-cell", size=TABLE_SIZE, align=TA_LEFT)
    small = pdf.style("sheet-small", size=SMALL_SIZE, align=TA_LEFT)
    data: list[list[Any]] = [[pdf.para(h, head) if h else "" for h in (
        tr("reports", "STT"), tr("reports", "Họ và tên"), "", tr("reports", "Đơn vị"), tr("reports", "Ký tên"),
        tr("reports", "Ghi chú"))]]
    for line in sheet.lines:
        data.append([str(line.number), cell(line.family_middle, widths[1], wrap), cell(line.given, widths[2], wrap),
                     cell(line.organisation, widths[3], small, SMALL_SIZE), "", cell(line.note, widths[5], small,
                                                                                        SMALL_SIZE)])
    commands = name_grid_commands() + [
        ("FONTSIZE", (3, 1), (3, -1), SMALL_SIZE),
        ("FONTSIZE", (5, 1), (5, -1), SMALL_SIZE),
        ("TOPPADDING", (0, 1), (-1, -1), 5),  # rows tall enough to sign in
        ("BOTTOMPADDING", (0, 1), (-1, -1), 6),
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
