"""The letters to the sending organisations (công văn gửi đơn vị cử đi học): one per organisation
that has learners with absences or late arrivals, each starting on a new page with its own page
numbers. Each is an outgoing document: "Số 03-CV/TCT" from the book of outgoing documents (a
draft leaves the number blank), "V/v tình hình chuyên cần của học viên lớp ..." under it, the
place and the signing date chosen; "Kính gửi: <organisation>", the learners' absences per
module, who may not sit an exam yet and who made their lessons up and may, the rule and its legal
basis, the request, "Nơi nhận" and the signature.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, PageBreak, Spacer, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead, number_line, signer_lines
from dtbd_desktop.reports.attendance_reports.common import (
    ABSENT_FROM_CLASS,
    SMALL_SIZE,
    cell,
    class_title,
    grid_commands,
    proper_name,
    rule_text,
)
from dtbd_desktop.services import outgoing
from dtbd_desktop.services.attendance import AttendanceGrid, LearnerAttendance, load_grid
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.settings import document_setting, load_letterhead, text_lines

BODY = 14.0


# ---------------------------------------------------------------------------------- letters


#: Kept for callers of the first build: the letters' canvas numbers pages within each letter.
LetterCanvas = official.OfficialCanvas


@dataclass(frozen=True)
class LettersResult:
    pages: int
    letters: int
    organisations: list[str]
    without_organisation: int  # learners with absences but no sending organisation on record
    numbers: list[str] = field(default_factory=list)  # "03-CV/TCT" of each letter (empty for a draft)


@dataclass(frozen=True)
class Letter:
    """One letter: to whom, about which learners, with its number ("" for a draft)."""

    organisation: str
    learners: list[LearnerAttendance]
    number: str = ""


def letter_subject(grid: AttendanceGrid) -> str:
    return tr("reports", "V/v tình hình chuyên cần của học viên lớp {code}").format(code=grid.class_code)


def letter_recipients(session: Session) -> list[str]:
    """"Như trên" and the organisations the centre copies its letters to (setting)."""
    items = text_lines(document_setting(session, "letter_recipients"))
    first = tr("reports", "Như trên")
    return [first, *(i for i in items if i.casefold() != first.casefold())]


def _letter(grid: AttendanceGrid, head: Letterhead, letter: Letter, on: dt.date, width: float,
            start: dt.date | None, end: dt.date | None, recipients: list[str], deputy: bool) -> list[Flowable]:
    learners = letter.learners
    body = official.body_style("letter-body", size=BODY, space_after=4)
    number_text = number_line(head, "CV", None, letter.number) if letter.number else number_line(head, "CV", None)
    story: list[Flowable] = [official.PartStart(), official.letterhead(
        head, width, number=number_text, date_line=text.long_date(head.place_name, on), subject=letter_subject(grid))]
    story.append(Spacer(1, 10))
    story.append(pdf.para(tr("reports", "Kính gửi: {organisation}").format(organisation=letter.organisation),
                          pdf.style("letter-to", size=BODY, align=TA_CENTER, space_after=8)))
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
    story += _conclusions(grid, learners, body)
    story.append(pdf.para(rule_text(grid), body))
    lines, name = signer_lines(head, deputy=deputy)
    # The signature never stands alone on a page: the request and "Trân trọng" go with it.
    story.append(KeepTogether([
        pdf.para(tr("reports", "Đề nghị quý cơ quan quan tâm, nhắc nhở học viên thực hiện nghiêm nội quy lớp "
                               "học và tạo điều kiện để học viên học bổ sung các nội dung còn thiếu."), body),
        pdf.para(tr("reports", "Trân trọng./."), body), Spacer(1, 8),
        official.recipients_and_signature(head, recipients, width, signer=pdf.Signer("\n".join(lines), name))]))
    return story


def _conclusions(grid: AttendanceGrid, learners: list[LearnerAttendance], body: Any) -> list[Flowable]:
    """Who may not sit an exam (or get the certificate) yet, and who made their lessons up in time:
    two lists under their own headings, never one heading over both."""
    course = grid.rules.scope == "course"
    held: list[tuple[str, str]] = []
    made_up: list[tuple[str, str]] = []
    for la in learners:
        holds = la.explanation_holds or [True] * len(la.explanations)
        for explanation, still in zip(la.explanations, holds, strict=False):
            (held if still else made_up).append((la.full_name, explanation))
    item = pdf.style("letter-item", size=BODY, align=TA_JUSTIFY, leading=BODY * 1.25)
    item.leftIndent = 10 * mm
    out: list[Flowable] = []
    for rows, heading in (
            (held, tr("reports", "Học viên chưa được cấp giấy chứng nhận vì nghỉ học quá quy định:") if course else
             tr("reports", "Học viên chưa đủ điều kiện dự thi vì nghỉ học quá quy định (cần học bổ sung):")),
            (made_up, tr("reports", "Học viên đã nghỉ quá quy định nhưng đã học bổ sung đủ, được cấp giấy chứng nhận:")
             if course else tr("reports", "Học viên đã nghỉ quá quy định nhưng đã học bổ sung đủ, được dự thi:"))):
        if rows:
            out.append(pdf.para(heading, body))
            out.extend(pdf.para(f"- {name}: {e}.", item) for name, e in rows)
            out.append(Spacer(1, 4))
    return out


def letters_of(grid: AttendanceGrid) -> tuple[list[Letter], int]:
    """One letter per organisation with learners absent or late (in Vietnamese order), and how
    many such learners have no organisation on record."""
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
    return [Letter(org, groups[org]) for org in sorted(groups, key=text.vn_sort_key)], without


def render_letters_pdf(grid: AttendanceGrid, head: Letterhead, path: str | os.PathLike[str], on: dt.date, *,
                       start: dt.date | None = None, end: dt.date | None = None, letters: list[Letter] | None = None,
                       recipients: list[str] | None = None, deputy: bool = False) -> LettersResult:
    width = pdf.content_width(False)
    found, without = letters_of(grid)
    letters = letters if letters is not None else found
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            story.append(PageBreak())
        story.extend(_letter(grid, head, letter, on, width, start, end, recipients or [tr("reports", "Như trên")],
                             deputy))
    if not story:
        raise InputError(tr("reports", "Lớp {code} chưa có học viên nào vắng hoặc đi muộn: không có thông báo nào để "
                                       "in.").format(code=grid.class_code))
    document = pdf.new_document(path, title=tr("reports", "Thông báo chuyên cần lớp {code}").format(
        code=grid.class_code), author=head.centre_name)
    pages = pdf.build(document, story, canvasmaker=official.OfficialCanvas)
    return LettersResult(pages=pages, letters=len(letters), organisations=[letter.organisation for letter in letters],
                         without_organisation=without, numbers=[letter.number for letter in letters if letter.number])


def letter_source(class_id: int, organisation: str, on: dt.date) -> str:
    return f"attendance_letter:{class_id}:{text.fold(organisation)[:120]}:{on.isoformat()}"


def export_letters(session: Session, class_code: str, path: str | os.PathLike[str], *, on: dt.date | None = None,
                   draft: bool = False, deputy: bool = False) -> LettersResult:
    """One letter per sending organisation with learners who were absent or late, in one PDF,
    signed on `on` (default today). Each letter takes its number from the book of outgoing
    documents (a reprint of the same day's letters keeps their numbers), inside the caller's unit
    of work, which must be able to write; `draft` prints them unnumbered and changes nothing."""
    on = on or dt.date.today()
    cls = get_class(session, class_code)
    grid = load_grid(session, cls, today=on)
    head = load_letterhead(session)
    letters, _without = letters_of(grid)
    recipients = letter_recipients(session)
    if not draft:
        numbered = []
        lines, name = signer_lines(head, deputy=deputy)
        for letter in letters:
            entry = outgoing.number_document(
                session, head, kind="CV", on=on, subject=letter_subject(grid),
                source=letter_source(cls.id, letter.organisation, on),
                recipients="\n".join([letter.organisation, *recipients[1:]]), signer=name,
                content={"signer": lines, "signer_name": name})
            numbered.append(Letter(letter.organisation, letter.learners, entry.symbol))
        letters = numbered
    with atomic_output(path) as temp:
        return render_letters_pdf(grid, head, temp, on, start=cls.start_date, end=cls.end_date, letters=letters,
                                  recipients=recipients, deputy=deputy)
