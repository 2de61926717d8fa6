"""The certificate register (sổ gốc cấp văn bằng, chứng chỉ) and its appendix, as PDF and XLSX.

One register per document kind and year. Columns (DOMAIN.md): STT, họ và tên, ngày sinh, nơi
sinh, giới tính, dân tộc, xếp loại, số hiệu, số vào sổ, ngày cấp, chữ ký người nhận, ghi chú.
Every numbered document has its line, revoked and replaced ones included (their note says so).
The appendix (phụ lục sổ gốc) lists the reissues, linking old and new numbers, and the
revocations, with dates and reasons. A4 landscape; the header repeats on every page.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from openpyxl.workbook.workbook import Workbook
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.services.certificates import AppendixLine, RegisterLine, RegisterSection, register_sections
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.workbooks import xlsx as xl

TABLE_SIZE = 10.0
TITLE_SIZE = 14.0
_PAD = 2.5


def _register_headings() -> list[str]:
    return [tr("reports", "STT"), tr("reports", "Họ và tên"), tr("reports", "Ngày sinh"), tr("reports", "Nơi sinh"),
            tr("reports", "Giới tính"), tr("reports", "Dân tộc"), tr("reports", "Xếp loại"), tr("reports", "Số hiệu"),
            tr("reports", "Số vào sổ"), tr("reports", "Ngày cấp"), tr("reports", "Chữ ký người nhận"),
            tr("reports", "Ghi chú")]


def _appendix_headings() -> list[str]:
    return [tr("reports", "STT"), tr("reports", "Họ và tên"), tr("reports", "Nội dung"),
            tr("reports", "Số hiệu cũ"), tr("reports", "Số vào sổ cũ"), tr("reports", "Số hiệu mới"),
            tr("reports", "Số vào sổ mới"), tr("reports", "Ngày"), tr("reports", "Lý do")]


def action_label(action: str) -> str:
    return tr("reports", "Cấp lại") if action == "reissue" else tr("reports", "Thu hồi")


def section_title(section: RegisterSection) -> str:
    return text.nfc(section.name).upper()


def appendix_title(section: RegisterSection) -> str:
    return tr("reports", "PHỤ LỤC {name}").format(name=section_title(section))


def _register_row(line: RegisterLine) -> list[str]:
    return [str(line.number), line.full_name, line.birth_text, line.place_of_birth, line.gender, line.ethnicity,
            line.classification, line.serial, line.register_number, text.format_date(line.issue_date), "",
            line.note]


def _appendix_row(line: AppendixLine) -> list[str]:
    return [str(line.number), line.full_name, action_label(line.action), line.old_serial, line.old_register_number,
            line.new_serial, line.new_register_number, text.format_date(line.date), line.reason]


# ---------------------------------------------------------------------------------- PDF

# Points; A4 landscape has 743 pt between the margins. The last column takes what is left.
_REGISTER_WIDTHS = (24.0, 96.0, 52.0, 76.0, 34.0, 38.0, 44.0, 74.0, 70.0, 52.0, 56.0)
_APPENDIX_WIDTHS = (24.0, 110.0, 48.0, 74.0, 70.0, 74.0, 70.0, 54.0)
_CENTRED_REGISTER = (0, 2, 4, 5, 6, 7, 8, 9)
_CENTRED_APPENDIX = (0, 2, 3, 4, 5, 6, 7)


def _widths(fixed: Sequence[float], total: float) -> list[float]:
    return [*fixed, total - sum(fixed)]


def _pdf_table(header: list[str], rows: list[list[str]], widths: list[float], centred: Sequence[int]) -> pdf.PagedTable:
    head_style = pdf.style("reg-head", size=TABLE_SIZE, bold=True, align=TA_CENTER)
    left_style = pdf.style("reg-cell", size=TABLE_SIZE, align=TA_LEFT)
    centre_style = pdf.style("reg-cell-c", size=TABLE_SIZE, align=TA_CENTER)

    def cell(value: str, column: int) -> str | Paragraph:
        if not value:
            return ""
        value = pdf.nfc(value)
        if pdf.text_width(value, pdf.FONT, TABLE_SIZE) <= widths[column] - 2 * _PAD:
            return value
        paragraph_style: ParagraphStyle = centre_style if column in centred else left_style
        return pdf.para(value, paragraph_style)

    data: list[list[str | Paragraph]] = [[pdf.para(h, head_style) for h in header]]
    data.extend([cell(v, i) for i, v in enumerate(row)] for row in rows)
    commands: list[tuple[object, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("LEADING", (0, 0), (-1, -1), TABLE_SIZE * pdf.LEADING),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("GRID", (0, 0), (-1, -1), 0.5, "black"),
        ("BOX", (0, 0), (-1, -1), 0.8, "black"),
    ]
    commands += [("ALIGN", (c, 0), (c, -1), "CENTER") for c in centred]
    return pdf.PagedTable(data, widths, commands, header_rows=1)


def _section_story(section: RegisterSection, head: Letterhead, width: float, first: bool) -> list[Flowable]:
    title_style = pdf.style("reg-title", size=TITLE_SIZE, bold=True, align=TA_CENTER, space_before=8)
    info_style = pdf.style("reg-info", italic=True, align=TA_CENTER, space_after=6)
    story: list[Flowable] = [] if first else [PageBreak()]
    story += [
        pdf.letterhead(head, width),
        pdf.para(section_title(section), title_style),
        pdf.para(tr("reports", "{n} văn bằng được vào sổ").format(n=len(section.lines)), info_style),
    ]
    if section.lines:
        story.append(_pdf_table(_register_headings(), [_register_row(line) for line in section.lines],
                                _widths(_REGISTER_WIDTHS, width), _CENTRED_REGISTER))
    else:
        story.append(pdf.para(tr("reports", "(Chưa có văn bằng nào.)"), info_style))
    story += [
        PageBreak(),
        pdf.para(appendix_title(section), title_style),
        pdf.para(tr("reports", "Cấp lại, thu hồi văn bằng đã vào sổ (đối chiếu số cũ và số mới)"), info_style),
    ]
    if section.appendix:
        story.append(_pdf_table(_appendix_headings(), [_appendix_row(line) for line in section.appendix],
                                _widths(_APPENDIX_WIDTHS, width), _CENTRED_APPENDIX))
    else:
        story.append(pdf.para(tr("reports", "(Không có việc cấp lại hoặc thu hồi nào.)"), info_style))
    story.append(Spacer(1, 12))
    story.append(pdf.signature_block([pdf.Signer(tr("reports", "Người lập sổ")),
                                      pdf.Signer(head.director_title, head.director_name)], width))
    return story


def render_register_pdf(sections: Sequence[RegisterSection], head: Letterhead, path: str | os.PathLike[str],
                        *, year: int) -> int:
    width = pdf.content_width(True)
    document = pdf.new_document(path, title=tr("reports", "Sổ gốc cấp văn bằng, chứng chỉ năm {year}").format(year=year),
                                author=head.centre_name, landscape_orientation=True)
    story: list[Flowable] = []
    for index, section in enumerate(sections):
        story += _section_story(section, head, width, index == 0)
    return pdf.build(document, story)


# ---------------------------------------------------------------------------------- XLSX

_XLSX_REGISTER = (5.5, 24, 11, 20, 8, 9, 10, 15, 14, 11, 14, 30)
_XLSX_APPENDIX = (5.5, 24, 10, 15, 14, 15, 14, 11, 40)


def _xlsx_sheet(wb: Workbook, title: str, sheet_title: str, head: Letterhead, header: list[str],
                rows: list[list[str]], widths: Sequence[float], centred: Sequence[int], first: bool) -> None:
    if first:
        ws = wb.active
        assert ws is not None
        ws.title = sheet_title[:31]
    else:
        ws = wb.create_sheet(sheet_title[:31])
    last = len(widths)
    xl.set_column_widths(ws, widths)
    row = xl.write_letterhead(ws, head, row=1, left_cols=(1, 4), right_cols=(max(5, last - 5), last))
    row += 1
    xl.merged_line(ws, row, 1, last, title, cell_font=xl.font(TITLE_SIZE, bold=True), height=22)
    row += 2
    header_row = row
    for column, value in enumerate(header, start=1):
        xl.header_cell(ws, row, column, value)
    ws.row_dimensions[row].height = 32
    row += 1
    left = xl.cell_style(wb, "DTBD sổ trái")
    centre = xl.cell_style(wb, "DTBD sổ giữa", horizontal="center")
    for values in rows:
        for column, value in enumerate(values, start=1):
            c = ws.cell(row=row, column=column, value=(int(value) if column == 1 and value.isdigit() else value) or None)
            c.style = centre if column - 1 in centred else left
        row += 1
    xl.page_setup(ws, landscape=True)
    xl.print_titles(ws, header_row, header_row)
    xl.freeze_below(ws, header_row)


def render_register_xlsx(sections: Sequence[RegisterSection], head: Letterhead, path: str | os.PathLike[str]) -> int:
    wb = Workbook()
    first = True
    for section in sections:
        short = tr("reports", "Sổ {kind} {year}").format(
            kind="bằng" if section.kind == "diploma" else "GCN", year=section.year)
        _xlsx_sheet(wb, section_title(section), short, head, _register_headings(),
                    [_register_row(line) for line in section.lines], _XLSX_REGISTER, _CENTRED_REGISTER, first)
        first = False
        _xlsx_sheet(wb, appendix_title(section), tr("reports", "Phụ lục {short}").format(short=short), head,
                    _appendix_headings(), [_appendix_row(line) for line in section.appendix], _XLSX_APPENDIX,
                    _CENTRED_APPENDIX, first)
    xl.set_document_properties(wb, title=tr("reports", "Sổ gốc cấp văn bằng, chứng chỉ"), author=head.centre_name)
    xl.save_workbook(wb, path)
    return sum(len(s.lines) for s in sections)


# ---------------------------------------------------------------------------------- export


def export_register(session: Session, year: int, path: str | os.PathLike[str], *, kind: str | None = None) -> tuple[Path, int]:
    """The register(s) of a year to PDF or XLSX (by the file's extension); returns (path, lines)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".pdf", ".xlsx"):
        raise InputError(tr("reports", "Tệp sổ gốc phải là .pdf hoặc .xlsx (đang là '{name}').").format(name=target.name))
    sections = register_sections(session, year, kind)
    if not sections:
        raise InputError(tr("reports", "Năm {year} chưa có sổ gốc nào: chưa cấp văn bằng, chứng chỉ nào.").format(year=year))
    head = load_letterhead(session)
    with atomic_output(target) as temp:
        if suffix == ".pdf":
            render_register_pdf(sections, head, temp, year=year)
        else:
            render_register_xlsx(sections, head, temp)
    return target, sum(len(s.lines) for s in sections)


__all__ = ["export_register", "render_register_pdf", "render_register_xlsx"]
