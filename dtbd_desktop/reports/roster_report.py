"""The printed class roster (danh sách học viên), as PDF and as XLSX.

Layout, the same in both formats: A4 landscape (the "chức vụ và đơn vị" column needs the width);
the letterhead; the title "DANH SÁCH HỌC VIÊN" with the class, its programme and dates; the table

    STT | Họ và tên (họ đệm | tên) | Ngày sinh (Nam | Nữ) | Dân tộc | Chức vụ và đơn vị | Ghi chú

where the name is split so the given names, by which the list is ordered, line up (no rule
between the two halves), and the birth date sits in the Nam or the Nữ column, the layout the
sending organisations use too; withdrawn or transferred learners keep their line, with the
status and reason under "Ghi chú". The header repeats on every page; pages are numbered;
a count of the learners, then the signatures: "Người lập biểu" and the head of the centre
under the place and date.

Only the columns printed are read from the database, in one query, in the roster's order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Learner, Organisation
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.services.classes import get_class, mode_label
from dtbd_desktop.services.roster import ENROLMENT_STATUS_LABELS
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

LANDSCAPE = True
TABLE_SIZE = 12.0
TITLE_SIZE = 14.0
#: Statuses noted under "Ghi chú" (a learner enrolled or completed needs no note).
NOTED_STATUSES = ("withdrawn", "transferred")


@dataclass(frozen=True)
class RosterLine:
    """One printed line of the roster."""

    number: int  # STT
    family_middle: str  # họ và đệm
    given: str  # tên
    birth_date: dt.date | None
    birth_year: int
    gender: str  # "M" | "F"
    ethnicity: str
    position_org: str  # "Phó Trưởng phòng, Sở Tư pháp tỉnh Long An"
    note: str  # "Thôi học: chuyển công tác"
    status: str

    @property
    def birth_text(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else str(self.birth_year)


@dataclass(frozen=True)
class RosterDocument:
    """Everything the printed roster shows; made by `load_roster_document`, drawn by the renderers."""

    letterhead: Letterhead
    class_code: str
    class_name: str
    programme_name: str
    mode: str
    venue: str | None
    start: dt.date
    end: dt.date
    date: dt.date  # the date printed above the director's signature
    lines: list[RosterLine]

    @property
    def title_lines(self) -> list[str]:
        """Class name (with its code when the name lacks it), programme (when the name lacks
        it), then dates, mode and venue."""
        name = self.class_name
        if self.class_code.casefold() not in name.casefold():
            name = tr("reports", "{name} (mã lớp {code})").format(name=name, code=self.class_code)
        out = [name]
        if text.fold(self.programme_name) not in text.fold(self.class_name):
            out.append(tr("reports", "Chương trình: {programme}").format(programme=self.programme_name))
        when = tr("reports", "Thời gian học: từ ngày {start} đến ngày {end}; hình thức: {mode}").format(
            start=text.format_date(self.start), end=text.format_date(self.end), mode=mode_label(self.mode).lower())
        if self.venue:
            when += tr("reports", "; địa điểm: {venue}").format(venue=self.venue)
        out.append(when)
        return out

    @property
    def summary(self) -> str:
        women = sum(1 for line in self.lines if line.gender == "F")
        minorities = sum(1 for line in self.lines if line.ethnicity and text.fold(line.ethnicity) != "kinh")
        withdrawn = sum(1 for line in self.lines if line.status in NOTED_STATUSES)
        result = tr("reports", "Danh sách có {n} học viên (nữ: {women}; dân tộc thiểu số: {minorities}").format(
            n=len(self.lines), women=women, minorities=minorities)
        if withdrawn:
            result += tr("reports", "; thôi học hoặc chuyển lớp: {n}").format(n=withdrawn)
        return result + ")."


def _note(status: str, reason: str | None) -> str:
    if status not in NOTED_STATUSES:
        return ""
    label = tr("roster", ENROLMENT_STATUS_LABELS.get(status, status))
    reason_text = text.clean(reason)
    return f"{label}: {reason_text}" if reason_text else label


def load_roster_document(session: Session, class_code: str, *, on: dt.date | None = None) -> RosterDocument:
    """The class's roster as it will print (Vietnamese order: tên, đệm, họ; withdrawn learners
    included with a note). Raises NotFoundError for an unknown class."""
    cls = get_class(session, class_code)
    stmt = (
        select(Learner.family_name, Learner.middle_name, Learner.given_name, Learner.birth_date,
               Learner.birth_year, Learner.gender, Learner.ethnicity, Enrolment.position, Learner.position,
               Organisation.name, Enrolment.status, Enrolment.status_reason)
        .join(Learner, Enrolment.learner_id == Learner.id)
        .outerjoin(Organisation, Enrolment.organisation_id == Organisation.id)
        .where(Enrolment.class_id == cls.id)
        .order_by(Learner.sort_key, Learner.id)  # the order of services.roster.class_roster
    )
    lines = []
    for number, (family, middle, given, birth_date, birth_year, gender, ethnicity, sent_position, position,
                 organisation, status, reason) in enumerate(session.execute(stmt), start=1):
        role = sent_position or position
        lines.append(RosterLine(
            number=number,
            family_middle=text.join_name(family, middle, ""),
            given=text.nfc(given),
            birth_date=birth_date,
            birth_year=birth_year,
            gender=gender,
            ethnicity=ethnicity or "",
            position_org=", ".join(text.nfc(part) for part in (role, organisation) if part and part.strip()),
            note=_note(status, reason),
            status=status,
        ))
    return RosterDocument(
        letterhead=load_letterhead(session), class_code=cls.code, class_name=text.nfc(cls.name),
        programme_name=text.nfc(cls.programme.name), mode=cls.mode, venue=text.clean(cls.venue),
        start=cls.start_date, end=cls.end_date, date=on or dt.date.today(), lines=lines,
    )


def document_title(doc: RosterDocument) -> str:
    return tr("reports", "Danh sách học viên lớp {code}").format(code=doc.class_code)


# ---------------------------------------------------------------------------------- PDF

# Column widths in points for A4 landscape (743 pt between the margins); "Chức vụ và
# đơn vị" takes what the others leave.
_PDF_FIXED = {"number": 32.0, "family_middle": 118.0, "given": 48.0, "male": 62.0, "female": 62.0,
              "ethnicity": 52.0}
_NOTE_WIDTH = 96.0  # "Ghi chú" when some learner has a note
_EMPTY_NOTE_WIDTH = 60.0  # ... when none has: the room goes to "Chức vụ và đơn vị"
_PAD = 3.0


def _column_widths(total: float, has_notes: bool) -> list[float]:
    f = _PDF_FIXED
    note = _NOTE_WIDTH if has_notes else _EMPTY_NOTE_WIDTH
    rest = total - sum(f.values()) - note
    return [f["number"], f["family_middle"], f["given"], f["male"], f["female"], f["ethnicity"], rest, note]


def _headings() -> list[list[str]]:
    return [
        [tr("reports", "STT"), tr("reports", "Họ và tên"), "", tr("reports", "Ngày sinh"), "",
         tr("reports", "Dân tộc"), tr("reports", "Chức vụ và đơn vị"), tr("reports", "Ghi chú")],
        ["", "", "", tr("reports", "Nam"), tr("reports", "Nữ"), "", "", ""],
    ]


_HEADER_SPANS = [((0, 0), (0, 1)), ((1, 0), (2, 1)), ((3, 0), (4, 0)), ((5, 0), (5, 1)), ((6, 0), (6, 1)),
                 ((7, 0), (7, 1))]


def _table(doc: RosterDocument, width: float) -> pdf.PagedTable:
    widths = _column_widths(width, any(line.note for line in doc.lines))
    header_style = pdf.style("roster-head", size=TABLE_SIZE, bold=True, align=TA_CENTER)
    cell_style = pdf.style("roster-cell", size=TABLE_SIZE, align=TA_LEFT)
    centre_style = pdf.style("roster-cell-c", size=TABLE_SIZE, align=TA_CENTER)
    header: list[list[str | Paragraph]] = [
        [pdf.para(value, header_style) if value else "" for value in row] for row in _headings()
    ]

    def cell(value: str, column: int, paragraph_style: ParagraphStyle = cell_style) -> str | Paragraph:
        # A Paragraph only where the text has to wrap: plain strings are several times faster.
        if not value:
            return ""
        value = pdf.nfc(value)
        if pdf.text_width(value, pdf.FONT, TABLE_SIZE) <= widths[column] - 2 * _PAD:
            return value
        return pdf.para(value, paragraph_style)

    body: list[list[str | Paragraph]] = []
    for line in doc.lines:
        birth = line.birth_text
        body.append([
            str(line.number),
            cell(line.family_middle, 1),
            cell(line.given, 2),
            birth if line.gender == "M" else "",
            birth if line.gender != "M" else "",
            cell(line.ethnicity, 5, centre_style),
            cell(line.position_org, 6),
            cell(line.note, 7),
        ])
    data = header + body
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("LEADING", (0, 0), (-1, -1), TABLE_SIZE * pdf.LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("ALIGN", (0, 0), (0, -1), "CENTER"),
        ("ALIGN", (3, 0), (5, -1), "CENTER"),
        ("RIGHTPADDING", (1, 2), (1, -1), 1),  # họ đệm and tên read as one name
        ("LEFTPADDING", (2, 2), (2, -1), 1),
        ("BOX", (0, 0), (-1, -1), 0.8, "black"),
        ("INNERGRID", (0, 0), (-1, 1), 0.5, "black"),  # header (lines inside spans are skipped)
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, "black"),
        ("LINEAFTER", (0, 0), (0, -1), 0.5, "black"),
        ("LINEAFTER", (2, 0), (6, -1), 0.5, "black"),
    ]
    commands += [("SPAN", start, end) for start, end in _HEADER_SPANS]
    return pdf.PagedTable(data, widths, commands, header_rows=len(header))


def render_roster_pdf(doc: RosterDocument, path: str | os.PathLike[str]) -> int:
    """Draw the roster into `path` (written as is: callers use `atomic_output`); returns pages."""
    width = pdf.content_width(LANDSCAPE)
    title = document_title(doc)
    document = pdf.new_document(path, title=title, author=doc.letterhead.centre_name,
                                landscape_orientation=LANDSCAPE, subject=doc.class_name)
    title_style = pdf.style("roster-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=10)
    class_style = pdf.style("roster-class", bold=True, align=TA_CENTER)
    info_style = pdf.style("roster-info", italic=True, align=TA_CENTER)
    summary_style = pdf.style("roster-summary", space_before=6)
    lines = doc.title_lines
    story: list[Flowable] = [
        pdf.letterhead(doc.letterhead, width),
        pdf.para(tr("reports", "DANH SÁCH HỌC VIÊN"), title_style),
        pdf.para(lines[0], class_style),
        *(pdf.para(line, info_style) for line in lines[1:]),
        Spacer(1, 8),
        _table(doc, width),
    ]
    signers = [pdf.Signer(tr("reports", "Người lập biểu")),
               pdf.Signer(doc.letterhead.director_title, doc.letterhead.director_name)]
    story.append(KeepTogether([
        pdf.para(doc.summary, summary_style),
        Spacer(1, 6),
        pdf.signature_block(signers, width, place_date=text.long_date(doc.letterhead.place_name, doc.date)),
    ]))
    return pdf.build(document, story)


def export_roster_pdf(session: Session, class_code: str, path: str | os.PathLike[str], *,
                      on: dt.date | None = None) -> int:
    """Print the class roster to a PDF file; returns the number of pages.

    The file appears whole or not at all. Raises NotFoundError for an unknown class and
    InputError naming the file when it cannot be written.
    """
    doc = load_roster_document(session, class_code, on=on)
    with atomic_output(path) as temp:
        return render_roster_pdf(doc, temp)


# ---------------------------------------------------------------------------------- XLSX

# Excel column widths (characters), A..H, for A4 landscape fitted to the page width.
_XLSX_WIDTHS: Sequence[float] = (5.5, 22, 9, 13, 13, 9.5, 48, 20)
_LAST_COL = len(_XLSX_WIDTHS)


def render_roster_xlsx(doc: RosterDocument, path: str | os.PathLike[str]) -> int:
    """Write the roster into `path` (as is: callers use `atomic_output`); returns the data rows."""
    wb, ws = xl.new_workbook(tr("reports", "Danh sách {code}").format(code=doc.class_code))
    xl.set_document_properties(wb, title=document_title(doc), author=doc.letterhead.centre_name)
    xl.set_column_widths(ws, _XLSX_WIDTHS)
    row = xl.write_letterhead(ws, doc.letterhead, row=1, left_cols=(1, 4), right_cols=(6, _LAST_COL))
    row += 1
    xl.merged_line(ws, row, 1, _LAST_COL, tr("reports", "DANH SÁCH HỌC VIÊN"),
                   cell_font=xl.font(TITLE_SIZE, bold=True), height=22)
    row += 1
    title_lines = doc.title_lines
    xl.merged_line(ws, row, 1, _LAST_COL, title_lines[0], cell_font=xl.font(xl.BODY_SIZE, bold=True))
    row += 1
    for info in title_lines[1:]:
        xl.merged_line(ws, row, 1, _LAST_COL, info, cell_font=xl.font(xl.BODY_SIZE, italic=True))
        row += 1
    row += 1

    header_top = row
    headings = _headings()
    xl.header_cell(ws, row, 1, headings[0][0], last_row=row + 1)
    xl.header_cell(ws, row, 2, headings[0][1], last_row=row + 1, last_col=3)
    xl.header_cell(ws, row, 4, headings[0][3], last_col=5)
    xl.header_cell(ws, row + 1, 4, headings[1][3])
    xl.header_cell(ws, row + 1, 5, headings[1][4])
    for column in (6, 7, 8):
        xl.header_cell(ws, row, column, headings[0][column - 1], last_row=row + 1)
    ws.row_dimensions[row].height = 20
    ws.row_dimensions[row + 1].height = 20
    header_bottom = row + 1
    row += 2

    left = xl.cell_style(wb, "DTBD bảng trái")
    centre = xl.cell_style(wb, "DTBD bảng giữa", horizontal="center")
    family = xl.cell_style(wb, "DTBD họ đệm", cell_border=xl.border(right=False))
    given = xl.cell_style(wb, "DTBD tên", cell_border=xl.border(left=False))
    date = xl.cell_style(wb, "DTBD ngày", horizontal="center", number_format=xl.DATE_FORMAT)
    first_data = row
    for line in doc.lines:
        # A full birth date is a real Excel date; a year alone stays a plain number.
        birth: dt.date | int = line.birth_date if line.birth_date else line.birth_year
        birth_style = date if line.birth_date else centre
        male = line.gender == "M"
        cells: tuple[tuple[xl.CellValue, str], ...] = (
            (line.number, centre), (line.family_middle, family), (line.given, given),
            (birth if male else None, birth_style), (None if male else birth, birth_style),
            (line.ethnicity or None, centre), (line.position_org or None, left), (line.note or None, left),
        )
        for column, (value, style_name) in enumerate(cells, start=1):
            c = ws.cell(row=row, column=column, value=value)
            c.style = style_name
        row += 1

    row += 1
    xl.merged_line(ws, row, 1, _LAST_COL, doc.summary, cell_font=xl.font(xl.BODY_SIZE), horizontal="left")
    row += 2
    head = doc.letterhead
    xl.merged_line(ws, row, 6, _LAST_COL, text.long_date(head.place_name, doc.date),
                   cell_font=xl.font(xl.BODY_SIZE, italic=True))
    row += 1
    xl.merged_line(ws, row, 1, 4, tr("reports", "Người lập biểu").upper(), cell_font=xl.font(xl.BODY_SIZE, bold=True))
    xl.merged_line(ws, row, 6, _LAST_COL, head.director_title.upper(), cell_font=xl.font(xl.BODY_SIZE, bold=True))
    row += 5
    if head.director_name:
        xl.merged_line(ws, row, 6, _LAST_COL, head.director_name, cell_font=xl.font(xl.BODY_SIZE, bold=True))

    xl.page_setup(ws, landscape=LANDSCAPE)
    xl.print_titles(ws, header_top, header_bottom)
    xl.freeze_below(ws, header_bottom)
    ws.print_area = f"A1:H{max(row, first_data)}"
    xl.save_workbook(wb, path)
    return len(doc.lines)


def export_roster_xlsx(session: Session, class_code: str, path: str | os.PathLike[str], *,
                       on: dt.date | None = None) -> int:
    """Write the class roster as a workbook ready to print; returns the number of learner rows.

    The file appears whole or not at all. Raises NotFoundError for an unknown class and
    InputError naming the file when it cannot be written.
    """
    doc = load_roster_document(session, class_code, on=on)
    with atomic_output(path) as temp:
        return render_roster_xlsx(doc, temp)


__all__ = [
    "RosterDocument", "RosterLine", "export_roster_pdf", "export_roster_xlsx", "load_roster_document",
    "render_roster_pdf", "render_roster_xlsx",
]
