"""Certificates and diplomas as PDF, drawn straight onto a reportlab canvas.

A page is the list of drawing operations `layouts.page_ops` made (positions in millimetres from
the paper's top-left edge, calibration already applied); this module only draws them. No
platypus, no per-page layout work: a class of 1,000 certificates of completion takes about a
second. The fonts (Liberation Serif) are embedded as subsets; the QR code is a 1-bit image mask
(one bit per module, painted without smoothing, so it stays sharp on any printer) from
`qr_code.qr_matrix`.

The page size is the layout's, and nothing is scaled to fit: the file must be printed at 100%
("Actual size"), which is what puts a diploma's fields on the blank's dotted lines.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from pathlib import Path

from reportlab.pdfgen import canvas

from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.files import atomic_output
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing import layouts, pdf
from dtbd_desktop.printing.layouts import LineOp, Page, QrOp, RectOp, TextOp
from dtbd_desktop.printing.qr import qr_matrix

MM = 72 / 25.4
Progress = Callable[[int, int, str], None]


@lru_cache(maxsize=64)
def _rgb(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    if len(value) != 6:
        return 0.0, 0.0, 0.0
    try:
        return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255
    except ValueError:
        return 0.0, 0.0, 0.0


def _fonts() -> dict[str, str]:
    pdf.register_fonts()
    return {"regular": pdf.FONT, "bold": pdf.FONT_BOLD, "italic": pdf.FONT_ITALIC, "bold_italic": pdf.FONT_BOLD_ITALIC}


_TO_ASCII = bytes.maketrans(b"\x00\x01", b"01")


def qr_image(content: str) -> tuple[int, str]:
    """The QR code as (modules per side, hex rows of a 1-bit image mask, 1 = dark)."""
    size, modules = qr_matrix(content)
    pad = b"\x00" * (-size % 8)
    padded = b"".join([modules[row * size:(row + 1) * size] + pad for row in range(size)])
    packed = int(padded.translate(_TO_ASCII), 2).to_bytes(len(padded) // 8, "big")
    return size, packed.hex()


def _colour(color: str, operator: str) -> str:
    r, g, b = _rgb(color)
    return f"{r:.3f} {g:.3f} {b:.3f} {operator}"


JPEG_SUFFIXES = (".jpg", ".jpeg")


class PageDrawer:
    """Writes pages' operations into one canvas's content streams.

    Text is written as PDF operators directly (the font subsets are reportlab's, so fonts are
    embedded as usual): reportlab's drawString costs about 50 µs a string in pure Python, and a
    class of 1,000 certificates has 25,000 strings. What repeats from page to page (the same
    text at the same place) is formatted once per file.
    """

    def __init__(self, c: canvas.Canvas) -> None:
        self.c = c
        self.doc = c._doc  # type: ignore[attr-defined]  # reportlab's own, not in its stubs
        self.fonts = {key: pdf.truetype_font(name) for key, name in _fonts().items()}
        self._text_cache: dict[TextOp, str] = {}
        self._other_cache: dict[LineOp | RectOp, str] = {}

    def _text(self, op: TextOp, height: float) -> str:
        code = self._text_cache.get(op)
        if code is None:
            font = self.fonts[op.font]
            parts = [f"BT {_colour(op.color, 'rg')} 1 0 0 1 {op.x * MM:.3f} {height - op.y * MM:.3f} Tm"]
            for subset, chunk in font.splitString(op.text, self.doc):
                parts.append(f"{font.getSubsetInternalName(subset, self.doc)} {op.size:.2f} Tf <{chunk.hex()}> Tj")
            parts.append("ET")
            code = " ".join(parts)
            if len(self._text_cache) < 20_000:
                self._text_cache[op] = code
        return code

    def _shape(self, op: LineOp | RectOp, height: float) -> str:
        code = self._other_cache.get(op)
        if code is None:
            if isinstance(op, LineOp):
                code = (f"{_colour(op.color, 'RG')} {op.width:.2f} w {op.x1 * MM:.3f} {height - op.y1 * MM:.3f} m "
                        f"{op.x2 * MM:.3f} {height - op.y2 * MM:.3f} l S")
            else:
                paint = f"{_colour(op.fill, 'rg')} B" if op.fill else "S"
                code = (f"{_colour(op.color, 'RG')} {op.width:.2f} w {op.x * MM:.3f} {height - (op.y + op.h) * MM:.3f} "
                        f"{op.w * MM:.3f} {op.h * MM:.3f} re {paint}")
            self._other_cache[op] = code
        return code

    def _qr(self, op: QrOp, height: float) -> str:
        size, hex_rows = qr_image(op.content)
        side = op.size * MM
        return (f"q 0 0 0 rg {side:.3f} 0 0 {side:.3f} {op.x * MM:.3f} {height - op.y * MM - side:.3f} cm "
                f"BI /W {size} /H {size} /IM true /D [1 0] /F /AHx ID\n{hex_rows}>\nEI Q")

    def draw(self, page: Page, background: Path | None = None) -> None:
        c = self.c
        height = page.height_mm * MM
        if background is not None:
            if background.suffix.lower() not in JPEG_SUFFIXES:  # reportlab reads JPEG itself; others need Pillow
                raise InputError(tr("certificate_pdf", "Ảnh phôi {path} phải là ảnh JPEG (.jpg) để in kèm bản soát; "
                                                       "chọn lại ảnh phôi trong trình sửa mẫu in.").format(path=background))
            c.drawImage(str(background), 0, 0, page.width_mm * MM, height)
        out: list[str] = ["q"]
        for op in page.ops:
            if isinstance(op, TextOp):
                out.append(self._text(op, height))
            elif isinstance(op, QrOp):
                out.append(self._qr(op, height))
            else:
                out.append(self._shape(op, height))
        out.append("Q")
        c.addLiteral("\n".join(out))


def new_canvas(path: str | os.PathLike[str], first: Page | None, *, title: str, author: str) -> canvas.Canvas:
    pdf.register_fonts()
    size = (first.width_mm * MM, first.height_mm * MM) if first else (297 * MM, 210 * MM)
    c = canvas.Canvas(str(path), pagesize=size, pageCompression=1,
                      initialFontName=pdf.FONT,  # type: ignore[arg-type]  # a font name; the stub says float
                      initialFontSize=pdf.BODY_SIZE, lang="vi-VN")
    c.setTitle(pdf.nfc(title))
    c.setAuthor(pdf.nfc(author))
    c.setCreator("DTBD Desktop")
    return c


def write_pdf(out: str | os.PathLike[str], pages: Sequence[Page] | Iterable[Page], *, title: str, author: str,
              background: Path | None = None, progress: Progress | None = None) -> int:
    """Write the pages to one PDF (atomically: a failure leaves no half-written file). Returns
    the number of pages. `background` (a blank's scan) is drawn under every page: for proofs only."""
    page_list = list(pages)
    total = len(page_list)
    with atomic_output(out) as tmp:
        c = new_canvas(tmp, page_list[0] if page_list else None, title=title, author=author)
        drawer = PageDrawer(c)
        for index, page in enumerate(page_list):
            if progress is not None and index % 50 == 0:
                progress(index, total, "")
            c.setPageSize((page.width_mm * MM, page.height_mm * MM))
            drawer.draw(page, background)
            c.showPage()
        if not page_list:
            c.showPage()
        c.save()
    if progress is not None:
        progress(total, total, "")
    return total


def write_test_page(out: str | os.PathLike[str], calibration: layouts.Calibration | None = None) -> int:
    """The printer calibration test page (millimetre grid, marks A, B, C) as a one-page PDF."""
    return write_pdf(out, [layouts.test_page_ops(calibration)], title="Trang thử căn chỉnh máy in",
                     author="DTBD Desktop")


__all__ = ["PageDrawer", "qr_image", "write_pdf", "write_test_page"]
