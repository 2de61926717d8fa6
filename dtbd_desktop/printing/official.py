"""Drawing the parts of an official paper on a PDF, from the description in `printing.letterhead`:
the letterhead (`letterhead`), a title broken into balanced lines (`BalancedTitle`), the
signature (`official_signer`) and "Nơi nhận" beside it (`recipients_and_signature`).

`printing.pdf.letterhead` and `printing.pdf.signature_block` call into this module, so every
document that draws a letterhead draws this one.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from dtbd_desktop.printing import pdf
from dtbd_desktop.printing.letterhead import (
    Letterhead,
    recipient_lines,
    recipients_heading,
    signer_lines,
)

LINE_LEADING = 1.18

class BalancedTitle(Flowable):
    """A centred paragraph whose lines are balanced for the width it gets (titles, names)."""

    def __init__(self, value: str, paragraph_style: ParagraphStyle) -> None:
        super().__init__()
        self.value = value
        self.style = paragraph_style
        self._paragraph: Paragraph | None = None

    def _build(self, width: float) -> Paragraph:
        font = self.style.fontName
        lines = pdf.balanced_lines(self.value, font, self.style.fontSize, width - 1)
        return Paragraph("<br/>".join(pdf.markup(line) for line in lines), self.style)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._paragraph = self._build(avail_width)
        width, height = self._paragraph.wrap(avail_width, avail_height)
        self.width, self.height = width, height
        return width, height

    def getSpaceBefore(self) -> float:  # noqa: N802  (reportlab's name)
        return float(self.style.spaceBefore)

    def getSpaceAfter(self) -> float:  # noqa: N802  (reportlab's name)
        return float(self.style.spaceAfter)

    def draw(self) -> None:
        assert self._paragraph is not None
        self._paragraph.drawOn(self.canv, 0, 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a title moves to the next page whole


def title(value: str, *, size: float = 14.0, bold: bool = True, italic: bool = False, space_before: float = 0,
          space_after: float = 0, name: str = "title") -> BalancedTitle:
    """A centred title in balanced lines."""
    return BalancedTitle(value, pdf.style(name, size=size, bold=bold, italic=italic, align=TA_CENTER,
                                          leading=size * LINE_LEADING, space_before=space_before,
                                          space_after=space_after))


# ---------------------------------------------------------------------------------- the letterhead

#: The letterhead (drawn by `printing.pdf`, which every document's `pdf.letterhead` calls).
letterhead = pdf.draw_letterhead
balanced_lines = pdf.balanced_lines


# ---------------------------------------------------------------------------------- page numbers per part


class PartStart(Flowable):
    """Invisible marker: a part (a letter, a register, the list attached to a decision) starts on
    this page; `PartCanvas` numbers the pages within each part."""

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        starts: list[int] = self.canv.__dict__.setdefault("part_starts", [])  # our mark on reportlab's canvas
        starts.append(self.canv.getPageNumber())


class PartCanvas(pdf.NumberedCanvas):
    """Page numbers counted within each part: "Trang 2/5" at the foot of every page of a list or
    a register (`official = False`), or, on an official paper (a decision, a letter, a report:
    `official = True`), the bare number at the top centre from the part's second page on, as
    Hướng dẫn 36-HD/VPTW and Nghị định 30/2020 print them."""

    official = False

    def _draw_page_number(self, total: int) -> None:
        starts = sorted(set(self.__dict__.get("part_starts") or [1]))
        page: int = self._pageNumber  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        first = max((s for s in starts if s <= page), default=1)
        following = [s for s in starts if s > page]
        end = following[0] if following else total + 1
        number, pages = page - first + 1, end - first
        width, height = self._pagesize  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        self.saveState()
        if self.official:
            if number > 1:
                self.setFont(pdf.FONT, 13)
                self.drawCentredString(width / 2, height - 12 * mm, str(number))
        else:
            self.setFont(pdf.FONT, self.PAGE_NUMBER_SIZE)
            self.drawCentredString(width / 2, 10 * mm, pdf.page_label(number, pages))
        self.restoreState()


class OfficialCanvas(PartCanvas):
    official = True


# ---------------------------------------------------------------------------------- signature and recipients


def official_signer(head: Letterhead, *, deputy: bool = False) -> pdf.Signer:
    """The head of the centre (or the deputy, "K/T"), as the centre's format writes it."""
    lines, name = signer_lines(head, deputy=deputy)
    return pdf.Signer("\n".join(lines), name)


def signature_cell(signer: pdf.Signer, *, size: float = 14.0, place_date: str | None = None,
                   date_space: bool = False, space: float = pdf.SIGNATURE_SPACE) -> list[Flowable]:
    """One signature: the place and date (or, `date_space`, an empty line where a neighbour has
    them, so that the titles stand level), the title lines, the space to sign, the name."""
    title_style = pdf.style(f"sig-title-{size}", size=size, bold=True, align=TA_CENTER, leading=size * LINE_LEADING)
    name_style = pdf.style(f"sig-name-{size}", size=size, bold=True, align=TA_CENTER)
    date_style = pdf.style(f"sig-date-{size}", size=size, italic=True, align=TA_CENTER)
    cell: list[Flowable] = []
    if place_date:
        cell.append(pdf.para(place_date, date_style))
    elif date_space:
        cell.append(Spacer(1, date_style.leading))
    cell += [pdf.para(line, title_style) for line in signer.title.upper().split("\n") if line]
    if signer.note:
        cell.append(pdf.para(signer.note, pdf.style("sig-note", italic=True, align=TA_CENTER)))
    cell.append(Spacer(1, space))
    if signer.name:
        cell.append(pdf.para(signer.name, name_style))
    return cell


def recipients_cell(head: Letterhead, items: Sequence[str]) -> list[Flowable]:
    """"Nơi nhận:" and its lines, in the centre's format."""
    if head.party:
        heading = Paragraph(f"<u>{pdf.markup(recipients_heading())}</u>", pdf.style("rcpt-h-party", size=14))
        item_style = pdf.style("rcpt-party", size=12, leading=12 * 1.2)
    else:
        heading = pdf.para(recipients_heading(), pdf.style("rcpt-h-state", size=12, bold=True, italic=True))
        item_style = pdf.style("rcpt-state", size=11, leading=11 * 1.2)
    item_style.leftIndent, item_style.firstLineIndent = 6, -6
    return [heading, *(pdf.para(line, item_style) for line in recipient_lines(head, items))]


def recipients_and_signature(head: Letterhead, items: Sequence[str], width: float, *, deputy: bool = False,
                             signer: pdf.Signer | None = None) -> Table:
    """"Nơi nhận" at the bottom left, the signature on the right, on one level."""
    left_width = width * 0.45
    table = Table([[recipients_cell(head, items), signature_cell(signer or official_signer(head, deputy=deputy))]],
                  colWidths=[left_width, width - left_width], hAlign="CENTER")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), pdf.FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


def body_style(name: str = "official-body", *, size: float = 14.0, indent: float = 28.0,
               space_after: float = 3.0) -> ParagraphStyle:
    """Body text of an official paper: justified, first line indented."""
    from reportlab.lib.enums import TA_JUSTIFY

    s = pdf.style(name, size=size, align=TA_JUSTIFY, leading=size * 1.25, space_after=space_after)
    s.firstLineIndent = indent
    return s


def left_style(name: str, *, size: float = 14.0, bold: bool = False, italic: bool = False) -> ParagraphStyle:
    return pdf.style(name, size=size, bold=bold, italic=italic, align=TA_LEFT, leading=size * 1.25)


__all__ = [
    "BalancedTitle", "OfficialCanvas", "PartCanvas", "PartStart", "balanced_lines", "body_style", "left_style", "letterhead", "official_signer",
    "recipients_and_signature", "recipients_cell", "signature_cell", "title",
]
