"""What every printed PDF shares: the embedded Times-like font, A4 pages, the Vietnamese
letterhead, page numbers "Trang 2/5", the signature block, and long tables that repeat their
header on every page.

Layout follows Nghị định 30/2020/NĐ-CP (administrative documents) and the Party's guidance
for its own bodies: portrait margins top/bottom 20 mm, left 30 mm, right 15 mm (landscape
pages, bound on their short side, get 20 mm at the left); letterhead in caps at 12–13 pt with
a short rule under the issuing body; the place and date in italics under the right-hand
heading; body text 13 pt, tables 12 pt. The font is Liberation Serif (metrically equal to
Times New Roman, full Vietnamese coverage), embedded as a subset in every file; no other
font is referenced, not even reportlab's default Helvetica.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any, Literal
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.printing.letterhead import HeadLine, Letterhead, heading_rows

FONT = "LiberationSerif"
FONT_BOLD = "LiberationSerif-Bold"
FONT_ITALIC = "LiberationSerif-Italic"
FONT_BOLD_ITALIC = "LiberationSerif-BoldItalic"
_FONT_FILES = {
    FONT: "LiberationSerif-Regular.ttf",
    FONT_BOLD: "LiberationSerif-Bold.ttf",
    FONT_ITALIC: "LiberationSerif-Italic.ttf",
    FONT_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
BODY_SIZE = 13.0
HEADING_SIZE = 13.0
LEADING = 1.2  # line height as a multiple of the font size
HEAD_LEADING = 1.18  # the letterhead's and titles' lines
Alignment = Literal[0, 1, 2, 4]  # TA_LEFT, TA_CENTER, TA_RIGHT, TA_JUSTIFY

_fonts_lock = threading.Lock()
_fonts_registered = False


def register_fonts() -> None:
    """Register the Liberation Serif family with reportlab (once; safe to call often)."""
    global _fonts_registered
    with _fonts_lock:
        if _fonts_registered:
            return
        # Binary (Flate only) page streams: ASCII85 makes files bigger and, in pure Python
        # (without the optional rl_accel package), costs a tenth of a large export's time.
        rl_config.useA85 = 0
        for name, filename in _FONT_FILES.items():
            pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", filename))))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC,
                                      boldItalic=FONT_BOLD_ITALIC)
        _fonts_registered = True


def truetype_font(name: str) -> TTFont:
    """A font registered by `register_fonts()`, as the TrueType font it is."""
    register_fonts()
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise TypeError(f"{name} is not a TrueType font")
    return font


# ---------------------------------------------------------------------------------- pages


@dataclass(frozen=True)
class Margins:
    """Page margins in points (Nghị định 30/2020: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm)."""

    top: float = 20 * mm
    bottom: float = 20 * mm
    left: float = 30 * mm
    right: float = 15 * mm


#: Landscape pages are bound on their short side, so no wide binding margin at the left.
LANDSCAPE_MARGINS = Margins(top=20 * mm, bottom=18 * mm, left=20 * mm, right=15 * mm)


def default_margins(landscape_orientation: bool = False) -> Margins:
    return LANDSCAPE_MARGINS if landscape_orientation else Margins()


def page_size(landscape_orientation: bool = False) -> tuple[float, float]:
    """A4 as (width, height) in points, portrait or landscape."""
    size: tuple[float, float] = landscape(A4) if landscape_orientation else A4
    return size


def a4_portrait() -> tuple[float, float]:
    return page_size(False)


def a4_landscape() -> tuple[float, float]:
    return page_size(True)


def content_width(landscape_orientation: bool = False, margins: Margins | None = None) -> float:
    m = margins or default_margins(landscape_orientation)
    return page_size(landscape_orientation)[0] - m.left - m.right


class Document(BaseDocTemplate):
    """An A4 document with one frame exactly between the margins (no extra frame padding, so
    a table `content_width()` wide sits on the margins)."""

    def __init__(self, path: str | os.PathLike[str] | IO[bytes], *, pagesize: tuple[float, float], margins: Margins,
                 **kwargs: Any) -> None:
        # A file object (a first layout pass into memory) is given to reportlab as it is: str()
        # of it would be a file name like "<_io.BytesIO object at 0x...>".
        target: str | IO[bytes] = os.fspath(path) if isinstance(path, (str, os.PathLike)) else path
        super().__init__(target, pagesize=pagesize, leftMargin=margins.left, rightMargin=margins.right,
                         topMargin=margins.top, bottomMargin=margins.bottom, **kwargs)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])


def new_document(path: str | os.PathLike[str] | IO[bytes], *, title: str, author: str, landscape_orientation: bool = False,
                 margins: Margins | None = None, subject: str = "") -> Document:
    """An A4 document with the standard margins and the file's metadata (title, author = the centre)."""
    register_fonts()
    return Document(
        path, pagesize=page_size(landscape_orientation), margins=margins or default_margins(landscape_orientation),
        title=nfc(title), author=nfc(author), subject=nfc(subject), creator="DTBD Desktop",
        lang="vi-VN", initialFontName=FONT, initialFontSize=BODY_SIZE,
    )


def page_label(page: int, pages: int) -> str:
    return tr("reports", "Trang {page}/{pages}").format(page=page, pages=pages)


class NumberedCanvas(canvas.Canvas):
    """A canvas that writes "Trang n/N" at the foot of every page once the total is known."""

    PAGE_NUMBER_SIZE = 11.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        register_fonts()
        # Else every page starts in Helvetica, a font that is referenced but not embedded.
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        kwargs["initialFontSize"] = kwargs.get("initialFontSize") or BODY_SIZE
        super().__init__(*args, **kwargs)
        self._page_states: list[dict[str, Any]] = []

    def showPage(self) -> None:  # noqa: N802  (reportlab's name)
        self._page_states.append(dict(self.__dict__))
        self._startPage()  # type: ignore[attr-defined]  # reportlab's own, not in its stubs

    def save(self) -> None:
        total = len(self._page_states)
        for state in self._page_states:
            self.__dict__.update(state)
            self._draw_page_number(total)
            super().showPage()
        super().save()

    def _draw_page_number(self, total: int) -> None:
        width, _height = self._pagesize  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        self.saveState()
        self.setFont(FONT, self.PAGE_NUMBER_SIZE)
        self.drawCentredString(width / 2, 10 * mm, page_label(self._pageNumber, total))  # type: ignore[attr-defined]
        self.restoreState()


def build(doc: BaseDocTemplate, story: list[Flowable], canvasmaker: type[canvas.Canvas] | None = None) -> int:
    """Lay out the story with page numbers ("Trang n/N" at the foot, or what `canvasmaker` draws:
    `printing.official.PartCanvas`, `OfficialCanvas`); returns the number of pages."""
    register_fonts()
    doc.build(story, canvasmaker=canvasmaker or NumberedCanvas)
    pages: int = doc.page
    return pages


# ---------------------------------------------------------------------------------- long tables

TableCommands = Sequence[tuple[Any, ...]]
TableRow = list[Any] | tuple[Any, ...]


class PagedTable(Flowable):
    """A long table that breaks across pages with its header rows repeated on each.

    reportlab's LongTable re-measures everything that is left at every page break (and
    recomputes its spans), which makes a 1,000-row table take seconds. Here every row is
    measured once, by reportlab's own Table code, and each page gets a small Table of the rows
    that fit, with their heights given, so the work grows with the number of rows, not with
    rows times pages.

    `commands` is a TableStyle command list for the whole table: header rows are 0 to
    `header_rows - 1`; body rows should be addressed by ranges ending at -1 (each page is
    its own Table, so a command naming one body row by number would land on every page).
    """

    def __init__(self, rows: Sequence[TableRow], col_widths: Sequence[float], commands: TableCommands, *,
                 header_rows: int, _measured: tuple[list[float], int] | None = None) -> None:
        super().__init__()
        self.rows = rows
        self.col_widths = list(col_widths)
        self.commands = list(commands)
        self.header_rows = header_rows
        if _measured is None:
            probe = Table(list(rows), colWidths=self.col_widths)
            probe.setStyle(TableStyle(self.commands))
            probe.wrap(sum(self.col_widths), 1e9)
            heights: list[float] = list(probe._rowHeights)  # type: ignore[attr-defined]  # measured by Table.wrap
            _measured = (heights, header_rows)
        self.heights, self.start = _measured
        self.width = sum(self.col_widths)
        self.header_height = sum(self.heights[:header_rows])
        self._table: Table | None = None

    def _table_for(self, start: int, end: int) -> Table:
        rows = [*self.rows[:self.header_rows], *self.rows[start:end]]
        heights = [*self.heights[:self.header_rows], *self.heights[start:end]]
        table = Table(rows, colWidths=self.col_widths, rowHeights=heights, repeatRows=self.header_rows)
        table.setStyle(TableStyle(self.commands))
        return table

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.header_height + sum(self.heights[self.start:])

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = avail_height - self.header_height
        end = self.start
        while end < len(self.rows) and self.heights[end] <= room + 1e-6:
            room -= self.heights[end]
            end += 1
        if end == self.start:
            return []  # not one row fits here: the frame moves on to the next page
        parts: list[Flowable] = [self._table_for(self.start, end)]
        if end < len(self.rows):
            parts.append(PagedTable(self.rows, self.col_widths, self.commands, header_rows=self.header_rows,
                                    _measured=(self.heights, end)))
        return parts

    def draw(self) -> None:
        table = self._table_for(self.start, len(self.rows))
        table.wrapOn(self.canv, self.width, 1e9)
        table.drawOn(self.canv, 0, 0)


# ---------------------------------------------------------------------------------- text


def nfc(value: str) -> str:
    """Text as NFC (so a PDF's extracted text is NFC too); whitespace kept as given."""
    return unicodedata.normalize("NFC", value)


def markup(value: str) -> str:
    """Plain text made safe for a Paragraph (escapes &, <, >), as NFC."""
    return escape(nfc(value))


def style(name: str, *, size: float = BODY_SIZE, bold: bool = False, italic: bool = False,
          align: Alignment = TA_LEFT, leading: float | None = None, space_before: float = 0,
          space_after: float = 0) -> ParagraphStyle:
    """A paragraph style in the document font."""
    register_fonts()
    font = {(False, False): FONT, (True, False): FONT_BOLD, (False, True): FONT_ITALIC,
            (True, True): FONT_BOLD_ITALIC}[(bold, italic)]
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * LEADING,
                          alignment=align, spaceBefore=space_before, spaceAfter=space_after)


def para(value: str, paragraph_style: ParagraphStyle) -> Paragraph:
    """A Paragraph of plain text (no markup interpreted)."""
    return Paragraph(markup(value), paragraph_style)


def text_width(value: str, font: str = FONT, size: float = BODY_SIZE) -> float:
    register_fonts()
    width: float = pdfmetrics.stringWidth(nfc(value), font, size)
    return width


# ---------------------------------------------------------------------------------- letterhead

_RULE_WIDTH = 0.6


class CentredRule(Flowable):
    """A horizontal rule `length` points long, centred in the width it is given (the short line
    under the issuing body, the line under "Độc lập - Tự do - Hạnh phúc")."""

    def __init__(self, length: float, thickness: float = _RULE_WIDTH, space_before: float = 1.5,
                 space_after: float = 2.0) -> None:
        super().__init__()
        self.length = length
        self.thickness = thickness
        self.space_before = space_before
        self.space_after = space_after
        self._avail = length

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._avail = max(avail_width, self.length)
        return self._avail, self.space_before + self.thickness + self.space_after

    def draw(self) -> None:
        y = self.space_after + self.thickness / 2
        x0 = (self._avail - self.length) / 2
        self.canv.saveState()
        self.canv.setLineWidth(self.thickness)
        self.canv.line(x0, y, x0 + self.length, y)
        self.canv.restoreState()


# ---------------------------------------------------------------------------------- balanced lines

#: Syllables that make one word together in the names these papers print ("chính trị", "tốt
#: nghiệp"): a line is not broken between them when an even break elsewhere does as well.
_GLUED = frozenset(tuple(pair.split()) for pair in (
    "lý luận", "chính trị", "hành chính", "tốt nghiệp", "bồi dưỡng", "học viên", "khóa học", "tập trung",
    "trung cấp", "sơ cấp", "cao cấp", "đảng viên", "nhận thức", "công nhận", "chứng nhận", "giấy chứng",
    "danh sách", "kết quả", "đào tạo", "văn bằng", "chứng chỉ", "nghiệp vụ", "công tác", "kiến thức",
    "cập nhật", "đối tượng", "hoàn thành", "chương trình", "hồ chí", "chí minh", "việt nam", "tỉnh ủy",
    "huyện ủy", "quyết định", "học phần", "chuyên cần", "quản lý", "giảng viên", "trung tâm", "lãnh đạo",
    "cán bộ", "ban hành", "tình hình", "sổ gốc", "phụ lục", "thời gian", "khóa bồi", "cấp bằng",
))
_STICKY_BEFORE = frozenset({"ngày", "tháng", "năm", "số", "lớp", "khóa", "hệ", "mã"})


def _break_cost(left: str, right: str) -> int:
    """How bad a line break between two words is: 0 after punctuation or between loose words, 2
    inside a word of two syllables or between "ngày" and its number, 1 before a number."""
    a, b = left.casefold().strip(",;:()"), right.casefold().strip(",;:()")
    if left.endswith((",", ";", ":", ")")) or right.startswith("(") or left == "-":
        return 0
    if (a, b) in _GLUED or a in _STICKY_BEFORE:
        return 2
    return 1 if right[:1].isdigit() or right == "-" or (a[:1].isdigit() and b in ("tháng", "năm")) else 0


def balanced_lines(value: str, font: str, size: float, width: float) -> list[str]:
    """`value` in as few lines as fit `width`, the words shared out so that the lines are as even
    as they can be ("BỒI DƯỠNG CÁN BỘ LÃNH ĐẠO, QUẢN LÝ CẤP CƠ SỞ / NĂM" never happens), and among
    nearly even ways, the one that does not break a two-syllable word ("chính / trị") or a date.
    A word wider than `width` stands on its own line."""
    words = nfc(value).split()
    if not words:
        return [""]
    space = text_width(" ", font, size)
    widths = [text_width(w, font, size) for w in words]
    n = len(words)

    def span(i: int, j: int) -> float:  # words i..j-1 on one line
        return sum(widths[i:j]) + space * (j - i - 1)

    if span(0, n) <= width:
        return [" ".join(words)]
    lines_needed, start = 0, 0  # the fewest lines: greedy filling
    while start < n:
        end = start + 1
        while end < n and span(start, end + 1) <= width:
            end += 1
        lines_needed += 1
        start = end

    def best_cuts(limit: float, with_costs: bool) -> list[int] | None:
        """Cut points into `lines_needed` lines no wider than `limit`, minimising (break costs,
        widest line) or the widest line alone."""
        inf = (float("inf"), float("inf"))
        best: list[list[tuple[float, float]]] = [[inf] * (n + 1) for _ in range(lines_needed + 1)]
        cut = [[0] * (n + 1) for _ in range(lines_needed + 1)]
        best[0][0] = (0.0, 0.0)
        for k in range(1, lines_needed + 1):
            for j in range(1, n + 1):
                for i in range(k - 1, j):
                    previous = best[k - 1][i]
                    if previous == inf:
                        continue
                    line = span(i, j)
                    if line > limit and j - i > 1:
                        continue
                    cost = previous[0] + (_break_cost(words[j - 1], words[j]) if with_costs and j < n else 0)
                    candidate = (cost, max(previous[1], line))
                    if candidate < best[k][j]:
                        best[k][j], cut[k][j] = candidate, i
        if best[lines_needed][n] == inf:
            return None
        cuts, j = [], n
        for k in range(lines_needed, 0, -1):
            cuts.append(j)
            j = cut[k][j]
        return list(reversed(cuts))

    even = best_cuts(width, with_costs=False)
    if even is None:
        return [" ".join(words)]
    widest = max(span(i, j) for i, j in zip([0, *even[:-1]], even, strict=True))
    cuts = best_cuts(min(width, widest * 1.15), with_costs=True) or even
    return [" ".join(words[i:j]) for i, j in zip([0, *cuts[:-1]], cuts, strict=True)]



# ---------------------------------------------------------------------------------- the letterhead

def _font(bold: bool, italic: bool) -> str:
    return {(False, False): FONT, (True, False): FONT_BOLD, (False, True): FONT_ITALIC,
            (True, True): FONT_BOLD_ITALIC}[(bold, italic)]


def _line_flowables(line: HeadLine, width: float) -> list[Flowable]:
    font = _font(line.bold, line.italic)
    line_style = style(f"lh-{line.size}-{line.bold}-{line.italic}", size=line.size, bold=line.bold,
                       italic=line.italic, align=TA_CENTER, leading=line.size * HEAD_LEADING)
    texts = balanced_lines(line.text, font, line.size, width - 2) if line.balance else [nfc(line.text)]
    out: list[Flowable] = [Paragraph("<br/>".join(markup(t) for t in texts) or "&nbsp;", line_style)]
    if line.rule:
        longest = max(text_width(t, font, line.size) for t in texts)
        out.append(CentredRule(max(longest * line.rule, 24.0), space_before=2.5, space_after=1.5))
    return out


def draw_letterhead(head: Letterhead, width: float, *, number: str | None = None, date_line: str | None = None,
                    subject: str | None = None) -> Table:
    """The letterhead across `width` points, in the centre's format (see `printing.letterhead`)."""
    register_fonts()
    rows = heading_rows(head, number=number, date_line=date_line, subject=subject)
    right_natural = max((text_width(line.text, _font(line.bold, line.italic), line.size)
                         for line in rows.right), default=0.0) + 10
    right_width = min(max(right_natural, width * 0.45), width * 0.6)
    left_width = width - right_width
    cells: list[list[Any]] = []
    for left, right in rows.rows:
        cells.append([_line_flowables(left, left_width) if left is not None else "",
                      _line_flowables(right, right_width) if right is not None else ""])
    table = Table(cells, colWidths=[left_width, right_width], hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # the default, Helvetica, would be referenced unembedded
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def letterhead(head: Letterhead, width: float, *, date: dt.date | None = None,
               document_number: str | None = None, subject: str | None = None) -> Flowable:
    """The letterhead across `width` points, in the centre's format (the Party's, Hướng dẫn
    36-HD/VPTW, or the State's, Nghị định 30/2020; `printing.letterhead` describes both):
    the superior body and the issuing body on the left (with the "*" under it in the Party's
    format), then `document_number` (the whole "Số 12-QĐ/TCT" line) and `subject` ("V/v ...");
    the Party's or the national heading on the right, with the place and date in italics when
    `date` is given. Drawn by `draw_letterhead`."""
    place_date = text.long_date(head.place_name, date) if date else None
    return draw_letterhead(head, width, number=document_number, date_line=place_date, subject=subject)


# ---------------------------------------------------------------------------------- signatures


@dataclass(frozen=True)
class Signer:
    """One signature column: its title in caps ("HIỆU TRƯỞNG"; lines separated by "\\n", as in
    "KT. HIỆU TRƯỞNG\\nPHÓ HIỆU TRƯỞNG"), an optional note under it ("(Ký, ghi rõ họ tên)"),
    and the name printed under the space for the signature (may be empty)."""

    title: str
    name: str = ""
    note: str = ""


SIGNATURE_SPACE = 26 * mm


def signature_block(signers: Sequence[Signer], width: float, *, place_date: str | None = None) -> Table:
    """Signature columns side by side across `width`; `place_date` (italic) above the last one,
    which is where the head of the centre signs."""
    register_fonts()
    title_style = style("sig-title", bold=True, align=TA_CENTER)
    note_style = style("sig-note", italic=True, align=TA_CENTER)
    date_style = style("sig-date", italic=True, align=TA_CENTER)
    name_style = style("sig-name", bold=True, align=TA_CENTER)
    cells: list[list[Flowable]] = []
    for index, signer in enumerate(signers):
        cell: list[Flowable] = []
        if place_date and index == len(signers) - 1:
            cell.append(para(place_date, date_style))
        elif place_date:
            cell.append(Spacer(1, BODY_SIZE * LEADING))  # titles on one level
        for line in signer.title.upper().split("\n"):
            cell.append(para(line, title_style))
        if signer.note:
            cell.append(para(signer.note, note_style))
        cell.append(Spacer(1, SIGNATURE_SPACE))
        if signer.name:
            cell.append(para(signer.name, name_style))
        cells.append(cell)
    columns = max(len(cells), 1)
    table = Table([cells], colWidths=[width / columns] * columns, hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


__all__ = [
    "BODY_SIZE", "LANDSCAPE_MARGINS", "CentredRule", "Document", "balanced_lines", "draw_letterhead", "FONT", "FONT_BOLD", "FONT_BOLD_ITALIC", "FONT_ITALIC", "Margins", "NumberedCanvas", "PagedTable", "Signer",
    "a4_landscape", "a4_portrait", "build", "content_width", "default_margins", "letterhead", "markup", "new_document", "nfc",
    "page_label", "page_size", "para", "register_fonts", "signature_block", "style", "text_width",
]
