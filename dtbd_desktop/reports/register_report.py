"""The registers (sổ gốc cấp văn bằng, chứng chỉ) of a year and their appendices, as PDF and XLSX.

One register per kind of document: the diplomas of each level (Sơ cấp, Trung cấp, Cao cấp) and
the certificates of completion, each its own part with its own page numbers ("Trang 3/12" counts
that register's pages, never across registers). A part is:

* the letterhead, the register's title and the opening line (mở sổ: "Sổ gốc này gồm 12 trang,
  đánh số từ trang 01 đến trang 12, mở ngày ...") with the head's signature;
* the lines, in the columns of Thông tư 21/2019/TT-BGDĐT and of the Academy's rules: STT, họ và
  tên, ngày sinh, nơi sinh, giới tính, dân tộc, khóa học (the class and its years), hình thức
  đào tạo, xếp loại, số hiệu, số vào sổ, ngày cấp, số và ngày of the decision on graduation (or on
  the certificates), chữ ký người nhận, ghi chú; A4 landscape, the header on every page;
* the appendix (phụ lục sổ gốc): reissues linking old and new numbers, and revocations;
* the closing line (khóa sổ: how many documents, from which number to which, on which date) with
  the signatures of whoever kept the register and of the head.

The XLSX has a sheet per register and one per appendix, dates as dates (a birth year alone as
the year), the opening and closing lines and the signatures.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import official, pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.services.certificates import AppendixLine, RegisterLine, RegisterSection, register_sections
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

TABLE_SIZE = 9.0
HEAD_SIZE = 8.5
TITLE_SIZE = 14.0
_PAD = 2.0


def _register_headings() -> list[str]:
    return [tr("reports", "STT"), tr("reports", "Họ và tên"), tr("reports", "Ngày sinh"), tr("reports", "Nơi sinh"),
            tr("reports", "Giới tính"), tr("reports", "Dân tộc"), tr("reports", "Khóa học"),
            tr("reports", "Hình thức đào tạo"), tr("reports", "Xếp loại"), tr("reports", "Số hiệu"),
            tr("reports", "Số vào sổ"), tr("reports", "Ngày cấp"), tr("reports", "Số, ngày quyết định"),
            tr("reports", "Chữ ký người nhận"), tr("reports", "Ghi chú")]


def _appendix_headings() -> list[str]:
    return [tr("reports", "STT"), tr("reports", "Họ và tên"), tr("reports", "Nội dung"),
            tr("reports", "Số hiệu cũ"), tr("reports", "Số vào sổ cũ"), tr("reports", "Số hiệu mới"),
            tr("reports", "Số vào sổ mới"), tr("reports", "Ngày"), tr("reports", "Lý do")]


def action_label(action: str) -> str:
    return tr("reports", "Cấp lại") if action == "reissue" else tr("reports", "Thu hồi")


def section_title(section: RegisterSection) -> str:
    title = text.nfc(section.name).upper()
    if section.combined:
        title += " " + tr("reports", "(SỔ CHUNG CÁC BẬC, TRƯỚC KHI TÁCH SỔ)")
    return title


def appendix_title(section: RegisterSection) -> str:
    return tr("reports", "PHỤ LỤC {name}").format(name=section_title(section))


def _decision(line: RegisterLine) -> str:
    if not line.decision_number:
        return ""
    return f"{line.decision_number}\n{text.format_date(line.decision_date)}" if line.decision_date else \
        line.decision_number


def _register_row(line: RegisterLine) -> list[str]:
    return [str(line.number), line.full_name, line.birth_text, line.place_of_birth, line.gender, line.ethnicity,
            f"{line.class_code}\n{line.course}" if line.class_code else line.course, line.mode, line.classification,
            line.serial, line.register_number, text.format_date(line.issue_date), _decision(line), "", line.note]


def _appendix_row(line: AppendixLine) -> list[str]:
    return [str(line.number), line.full_name, action_label(line.action), line.old_serial, line.old_register_number,
            line.new_serial, line.new_register_number, text.format_date(line.date), line.reason]


def opening_text(section: RegisterSection, pages: int | None) -> str:
    """Mở sổ: "Sổ gốc này gồm 12 trang, đánh số từ trang 01 đến trang 12; mở sổ ngày 02/04/2026."."""
    opened = section.opened_on or (section.lines[0].issue_date if section.lines else None)
    when = tr("reports", "; mở sổ ngày {date}").format(date=text.format_date(opened)) if opened else ""
    if pages:
        return tr("reports", "Sổ gốc này gồm {n} trang, đánh số từ trang 01 đến trang {last:02d}{when}.").format(
            n=pages, last=pages, when=when)
    return tr("reports", "Sổ gốc này được đánh số trang liên tục{when}.").format(when=when)


def closing_text(section: RegisterSection, on: dt.date) -> str:
    """Khóa sổ (or, for a register still open, where it stands at `on`)."""
    n = len(section.lines)
    if n:
        span = tr("reports", "{n} văn bằng, từ số vào sổ {first} đến số vào sổ {last}").format(
            n=n, first=section.lines[0].register_number, last=section.lines[-1].register_number)
    else:
        span = tr("reports", "0 văn bằng")
    counts = []
    if section.count("revoked"):
        counts.append(tr("reports", "{n} văn bằng đã thu hồi").format(n=section.count("revoked")))
    if section.count("replaced"):
        counts.append(tr("reports", "{n} văn bằng đã cấp lại").format(n=section.count("replaced")))
    detail = tr("reports", "; trong đó {what} (xem phụ lục)").format(what=", ".join(counts)) if counts else ""
    if section.closed_on is not None:
        why = tr("reports", " khi tách sổ theo từng loại văn bằng") if section.combined else ""
        return tr("reports", "Khóa sổ ngày {date}{why}: sổ ghi {span}{detail}.").format(
            date=text.format_date(section.closed_on), why=why, span=span, detail=detail)
    return tr("reports", "Đến ngày {date}, sổ ghi {span}{detail}. Sổ chưa khóa.").format(
        date=text.format_date(on), span=span, detail=detail)


def _opening_date(section: RegisterSection) -> dt.date | None:
    return section.opened_on or (section.lines[0].issue_date if section.lines else None)


def _signing_date(section: RegisterSection, on: dt.date) -> dt.date:
    return section.closed_on or on


# ---------------------------------------------------------------------------------- PDF

# Points; A4 landscape has 743 pt between the margins. The last column (Ghi chú) takes what is left.
_REGISTER_WIDTHS = (22.0, 88.0, 46.0, 72.0, 26.0, 32.0, 48.0, 46.0, 48.0, 58.0, 58.0, 46.0, 56.0, 50.0)
_APPENDIX_WIDTHS = (24.0, 110.0, 48.0, 74.0, 70.0, 74.0, 70.0, 54.0)
_CENTRED_REGISTER = (0, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12)
_CENTRED_APPENDIX = (0, 2, 3, 4, 5, 6, 7)


def _widths(fixed: Sequence[float], total: float) -> list[float]:
    return [*fixed, total - sum(fixed)]


def _pdf_table(header: list[str], rows: list[list[str]], widths: list[float], centred: Sequence[int]) -> pdf.PagedTable:
    head_style = pdf.style("reg-head", size=HEAD_SIZE, bold=True, align=TA_CENTER, leading=HEAD_SIZE * 1.15)
    left_style = pdf.style("reg-cell", size=TABLE_SIZE, align=TA_LEFT, leading=TABLE_SIZE * 1.15)
    centre_style = pdf.style("reg-cell-c", size=TABLE_SIZE, align=TA_CENTER, leading=TABLE_SIZE * 1.15)

    def cell(value: str, column: int) -> str | Paragraph:
        if not value:
            return ""
        value = pdf.nfc(value)
        if "\n" not in value and pdf.text_width(value, pdf.FONT, TABLE_SIZE) <= widths[column] - 2 * _PAD:
            return value
        style = centre_style if column in centred else left_style
        return Paragraph("<br/>".join(pdf.markup(part) for part in value.split("\n")), style)

    data: list[list[str | Paragraph]] = [[pdf.para(h, head_style) for h in header]]
    data.extend([cell(v, i) for i, v in enumerate(row)] for row in rows)
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("LEADING", (0, 0), (-1, -1), TABLE_SIZE * 1.15),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("BOX", (0, 0), (-1, -1), 0.8, "black"),
    ]
    commands += [("ALIGN", (c, 0), (c, -1), "CENTER") for c in centred]
    return pdf.PagedTable(data, widths, commands, header_rows=1)


def _statement(statement: str, head: Letterhead, width: float, when: dt.date | None, *,
               keeper: bool = False) -> Table:
    """An opening or closing line on the left, the signatures on the right (dated `when`)."""
    body = pdf.style("reg-statement", size=12, align=TA_JUSTIFY, leading=12 * 1.3)
    signers = [official.official_signer(head)]
    if keeper:
        signers.insert(0, pdf.Signer(tr("reports", "Người lập sổ")))
    place_date = text.long_date(head.place_name, when) if when else None
    cells: list[Any] = [[pdf.para(statement, body)]]
    for index, signer in enumerate(signers):
        last = index == len(signers) - 1
        cells.append(official.signature_cell(signer, size=12, place_date=place_date if last else None,
                                             date_space=bool(place_date) and not last, space=18 * mm))
    left = width * (0.4 if keeper else 0.5)
    widths = [left] + [(width - left) / len(signers)] * len(signers)
    table = Table([cells], colWidths=widths, hAlign="CENTER")
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), pdf.FONT), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]))
    return table


def _section_story(section: RegisterSection, head: Letterhead, width: float, first: bool, on: dt.date,
                   pages: int | None) -> list[Flowable]:
    info_style = pdf.style("reg-info", italic=True, align=TA_CENTER, space_after=4)
    story: list[Flowable] = [] if first else [PageBreak()]
    story += [
        official.PartStart(),
        pdf.letterhead(head, width),
        official.title(section_title(section), size=TITLE_SIZE, space_before=6),
        pdf.para(tr("reports", "{n} văn bằng được vào sổ").format(n=len(section.lines)), info_style),
        _statement(opening_text(section, pages), head, width, section.opened_on), Spacer(1, 6),
    ]
    if section.lines:
        story.append(_pdf_table(_register_headings(), [_register_row(line) for line in section.lines],
                                _widths(_REGISTER_WIDTHS, width), _CENTRED_REGISTER))
    else:
        story.append(pdf.para(tr("reports", "Chưa có văn bằng nào được vào sổ."), info_style))
    story += [
        PageBreak(),
        official.title(appendix_title(section), size=TITLE_SIZE, space_before=6),
        pdf.para(tr("reports", "Cấp lại, thu hồi văn bằng đã vào sổ (đối chiếu số cũ và số mới)"), info_style),
    ]
    if section.appendix:
        story.append(_pdf_table(_appendix_headings(), [_appendix_row(line) for line in section.appendix],
                                _widths(_APPENDIX_WIDTHS, width), _CENTRED_APPENDIX))
    else:
        story.append(pdf.para(tr("reports", "Không có việc cấp lại hoặc thu hồi văn bằng nào."), info_style))
    story.append(KeepTogether([Spacer(1, 12), _statement(closing_text(section, on), head, width,
                                                         _signing_date(section, on), keeper=True)]))
    return story


def render_register_pdf(sections: Sequence[RegisterSection], head: Letterhead, path: str | os.PathLike[str],
                        *, year: int, on: dt.date | None = None) -> int:
    """Every register of `sections`, each with its own page numbers; returns the pages."""
    when = on or dt.date.today()
    width = pdf.content_width(True)
    title = tr("reports", "Sổ gốc cấp văn bằng, chứng chỉ năm {year}").format(year=year)

    def story(pages: Sequence[int | None]) -> list[Flowable]:
        out: list[Flowable] = []
        for index, section in enumerate(sections):
            out += _section_story(section, head, width, index == 0, when, pages[index])
        return out

    counts: list[int] = []

    class Counting(official.PartCanvas):
        """The first pass: how many pages each register takes (for its opening line)."""

        def _draw_page_number(self, total: int) -> None:
            starts = sorted(set(self.__dict__.get("part_starts") or [1]))
            counts[:] = [b - a for a, b in zip(starts, [*starts[1:], total + 1], strict=True)]

    draft = pdf.new_document(io.BytesIO(), title=title, author=head.centre_name,
                             landscape_orientation=True)
    pdf.build(draft, story([None] * len(sections)), canvasmaker=Counting)
    document = pdf.new_document(path, title=title, author=head.centre_name, landscape_orientation=True)
    return pdf.build(document, story(counts if len(counts) == len(sections) else [None] * len(sections)),
                     canvasmaker=official.PartCanvas)


# ---------------------------------------------------------------------------------- XLSX

_XLSX_REGISTER = (5.5, 24, 11, 20, 7, 8, 11, 12, 10, 14, 14, 11, 12, 11, 14, 18)
_XLSX_APPENDIX = (5.5, 24, 10, 15, 14, 15, 14, 11, 40)


def _birth_value(value: str) -> dt.date | int | str:
    """A birth date as a date, a birth year alone as the year."""
    value = value.strip()
    if value.isdigit() and len(value) == 4:
        return int(value)
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date()
    except ValueError:
        return value


def _xlsx_register_values(line: RegisterLine) -> list[Any]:
    return [line.number, line.full_name, _birth_value(line.birth_text), line.place_of_birth, line.gender,
            line.ethnicity, f"{line.class_code} ({line.course})" if line.class_code else line.course, line.mode,
            line.classification, line.serial, line.register_number, line.issue_date, line.decision_number,
            line.decision_date, None, line.note]


def _xlsx_register_headings() -> list[str]:
    h = _register_headings()
    return [*h[:12], tr("reports", "Số quyết định"), tr("reports", "Ngày quyết định"), *h[13:]]


def _xlsx_sheet(wb: Workbook, ws: Worksheet, title: str, head: Letterhead, header: list[str],
                rows: list[list[Any]], widths: Sequence[float], date_columns: Sequence[int],
                before: str | None, after: str | None, after_date: dt.date | None,
                before_date: dt.date | None = None) -> None:
    last = len(widths)
    xl.set_column_widths(ws, widths)
    row = xl.write_letterhead(ws, head, row=1, left_cols=(1, 4), right_cols=(max(5, last - 6), last))
    row += 1
    xl.merged_line(ws, row, 1, last, title, cell_font=xl.font(TITLE_SIZE, bold=True), height=36)
    row += 1
    if before and before_date:  # mở sổ: the line on the left, the date and the head's signature on the right
        xl.merged_line(ws, row, 1, max(4, last - 7), before, cell_font=xl.font(12, italic=True), horizontal="left",
                       height=32)
        row = xl.write_signature(ws, head, row=row, cols=(max(5, last - 6), last), size=12,
                                 place_date=text.long_date(head.place_name, before_date))
    elif before:
        xl.merged_line(ws, row, 1, last, before, cell_font=xl.font(12, italic=True), horizontal="left", height=18)
        row += 1
    row += 1
    header_row = row
    for column, value in enumerate(header, start=1):
        xl.header_cell(ws, row, column, value, size=10)
    ws.row_dimensions[row].height = 42
    row += 1
    left = xl.cell_style(wb, "DTBD sổ trái", cell_font=xl.font(11))
    centre = xl.cell_style(wb, "DTBD sổ giữa", cell_font=xl.font(11), horizontal="center")
    date_style = xl.cell_style(wb, "DTBD sổ ngày", cell_font=xl.font(11), horizontal="center",
                               number_format=xl.DATE_FORMAT)
    for values in rows:
        for column, value in enumerate(values, start=1):
            c = ws.cell(row=row, column=column, value=value if value not in ("", None) else None)
            if isinstance(value, dt.date) and column - 1 in date_columns:
                c.style = date_style
            elif column in (2, 4, last):
                c.style = left
            else:
                c.style = centre
        row += 1
    if after:
        row += 1
        xl.merged_line(ws, row, 1, last, after, cell_font=xl.font(12, italic=True), horizontal="left", height=32)
        row += 2
        xl.merged_line(ws, row, 1, 4, tr("reports", "NGƯỜI LẬP SỔ"), cell_font=xl.font(12, bold=True))
        xl.write_signature(ws, head, row=row - 1, cols=(max(5, last - 6), last), size=12,
                           place_date=text.long_date(head.place_name, after_date) if after_date else None)
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, header_row, header_row)
    xl.freeze_below(ws, header_row)


def render_register_xlsx(sections: Sequence[RegisterSection], head: Letterhead, path: str | os.PathLike[str], *,
                         on: dt.date | None = None) -> int:
    when = on or dt.date.today()
    wb = Workbook()
    first = wb.active
    assert first is not None
    for index, section in enumerate(sections):
        level = {"so_cap": "SC", "trung_cap": "TC", "cao_cap": "CC"}.get(section.level or "", "")
        short = tr("reports", "Sổ {kind} {year}").format(
            kind=(f"bằng {level}".strip() if section.kind == "diploma" else "GCN"), year=section.year)
        if section.combined:
            short += " " + tr("reports", "chung")
        ws = first if index == 0 else wb.create_sheet()
        ws.title = short[:31]
        _xlsx_sheet(wb, ws, section_title(section), head, _xlsx_register_headings(),
                    [_xlsx_register_values(line) for line in section.lines], _XLSX_REGISTER, (2, 11, 13),
                    opening_text(section, None), None, None, before_date=_opening_date(section))
        appendix = wb.create_sheet(tr("reports", "Phụ lục {short}").format(short=short)[:31])
        _xlsx_sheet(wb, appendix, appendix_title(section), head, _appendix_headings(),
                    [[line.number, line.full_name, action_label(line.action), line.old_serial,
                      line.old_register_number, line.new_serial, line.new_register_number, line.date, line.reason]
                     for line in section.appendix], _XLSX_APPENDIX, (7,), None,
                    closing_text(section, when), _signing_date(section, when))
    xl.set_document_properties(wb, title=tr("reports", "Sổ gốc cấp văn bằng, chứng chỉ"), author=head.centre_name)
    xl.save_workbook(wb, path)
    return sum(len(s.lines) for s in sections)


# ---------------------------------------------------------------------------------- export


def export_register(session: Session, year: int, path: str | os.PathLike[str], *, kind: str | None = None,
                    level: str | None = None, on: dt.date | None = None) -> tuple[Path, int]:
    """The registers of a year (one kind, one level, or all) to PDF or XLSX (by the file's
    extension), signed on `on` (default today; a closed register's closing line keeps its own
    date); returns (path, lines)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise InputError(tr("reports", "Tệp sổ gốc phải là .pdf hoặc .xlsx (đang là '{name}').").format(name=target.name))
    sections = register_sections(session, year, kind, level)
    if not sections:
        raise InputError(tr("reports", "Năm {year} chưa có sổ gốc nào: chưa cấp văn bằng, chứng chỉ nào.").format(year=year))
    head = load_letterhead(session)
    with atomic_output(target) as temp:
        if suffix == ".pdf":
            render_register_pdf(sections, head, temp, year=year, on=on)
        else:
            render_register_xlsx(sections, head, temp, on=on)
    return target, sum(len(s.lines) for s in sections)


__all__ = ["closing_text", "export_register", "opening_text", "render_register_pdf", "render_register_xlsx"]
