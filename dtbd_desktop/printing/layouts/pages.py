"""A layout and a document's values become a page of drawing operations (`page_ops`), in
millimetres, with the printer's calibration applied. The PDF writer and the GUI's preview and
printing draw the same operations, so what is previewed is what is printed. `test_page_ops`
draws the page a printer is calibrated by.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.printing.layouts.calibration import MARK_A, MARK_B, MARK_C, Calibration
from dtbd_desktop.printing.layouts.model import Field, Layout

PT_PER_MM = 72 / 25.4


# ---------------------------------------------------------------------------------- drawing ops


@dataclass(frozen=True)
class TextOp:
    x: float  # left of the text, mm
    y: float  # baseline, mm
    text: str
    font: str  # one of FONTS
    size: float  # points
    color: str


@dataclass(frozen=True)
class LineOp:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float  # points
    color: str


@dataclass(frozen=True)
class RectOp:
    x: float
    y: float
    w: float
    h: float
    width: float
    color: str
    fill: str = ""  # a fill colour, or "" for an outline only


@dataclass(frozen=True)
class QrOp:
    x: float
    y: float
    size: float
    content: str


Op = TextOp | LineOp | RectOp | QrOp


@dataclass(frozen=True)
class Page:
    width_mm: float
    height_mm: float
    ops: tuple[Op, ...]


def font_name(font: str) -> str:
    """The reportlab name of a layout font (Liberation Serif, registered by pdf_common)."""
    from dtbd_desktop.printing import pdf as pdf_common

    pdf_common.register_fonts()
    return {"regular": pdf_common.FONT, "bold": pdf_common.FONT_BOLD, "italic": pdf_common.FONT_ITALIC,
            "bold_italic": pdf_common.FONT_BOLD_ITALIC}[font]


@lru_cache(maxsize=8)
def _char_widths(font: str) -> tuple[dict[int, float], float]:
    from dtbd_desktop.printing import pdf as pdf_common

    face = pdf_common.truetype_font(font_name(font)).face
    widths: dict[int, float] = face.charWidths
    return widths, float(face.defaultWidth)


@lru_cache(maxsize=50_000)
def _em_width(value: str, font: str) -> float:
    """Width in thousandths of an em (what reportlab's stringWidth sums, without its overhead)."""
    widths, default = _char_widths(font)
    get = widths.get
    return float(sum(get(ord(ch), default) for ch in value))


def text_width_mm(value: str, font: str, size: float) -> float:
    return _em_width(value, font) * size / 1000 / PT_PER_MM


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def fill(template: str, values: Mapping[str, str]) -> str:
    if "{" not in template:
        return template
    mapping = values if isinstance(values, _Values) else _Values(values)
    return template.format_map(mapping)


def _wrap(value: str, font: str, size: float, width: float) -> list[str]:
    scale = size / 1000 / PT_PER_MM
    space = _em_width(" ", font) * scale
    lines: list[str] = []
    current: list[str] = []
    used = 0.0
    for word in value.split():
        w = _em_width(word, font) * scale
        if current and used + space + w > width:
            lines.append(" ".join(current))
            current, used = [word], w
        else:
            used += (space if current else 0.0) + w
            current.append(word)
    if current:
        lines.append(" ".join(current))
    return lines


def _text_ops(f: Field, value: str, cal: Calibration) -> list[Op]:
    size = f.size
    if f.wrap:
        lines = _wrap(value, f.font, size, f.width_mm)
        while f.fit and len(lines) > f.max_lines and size > 6:
            size -= 0.5
            lines = _wrap(value, f.font, size, f.width_mm)
        lines = lines[: max(f.max_lines, 1)]
    else:
        lines = [value]
        if f.fit:
            while size > 6 and text_width_mm(value, f.font, size) > f.width_mm:
                size -= 0.5
    ops: list[Op] = []
    step = size * f.leading / PT_PER_MM
    for i, line in enumerate(lines):
        width = text_width_mm(line, f.font, size)
        if f.align == "center":
            x = f.x_mm + (f.width_mm - width) / 2
        elif f.align == "right":
            x = f.x_mm + f.width_mm - width
        else:
            x = f.x_mm
        y = f.y_mm + i * step
        px, py = cal.apply(x, y)
        ops.append(TextOp(px, py, line, f.font, size * cal.scale_y, f.color))
        if f.rule_under > 0:
            length = width * f.rule_under
            rx = x + (width - length) / 2
            ry = y + size * 0.3 / PT_PER_MM + 0.6
            x1, y1 = cal.apply(rx, ry)
            x2, _y2 = cal.apply(rx + length, ry)
            ops.append(LineOp(x1, y1, x2, y1, 0.6, f.color))
    return ops


def _shown(f: Field, values: Mapping[str, str]) -> bool:
    if not f.when:
        return True
    negate = f.when.startswith("!")
    present = bool(values.get(f.when.lstrip("!")))
    return present != negate


OpsCache = dict[tuple[int, str], list[Op]]


def page_ops(layout: Layout, values: Mapping[str, str], calibration: Calibration | None = None,
             cache: OpsCache | None = None) -> Page:
    """One document's page: every field of the layout filled with the document's values.

    `cache` (one dict for the pages of one print) keeps the operations of text that repeats
    from page to page (headings, the centre, the class, the signer), so they are laid out once.
    """
    cal = calibration or Calibration()
    mapping = _Values(values)
    ops: list[Op] = []
    for index, f in enumerate(layout.fields):
        if not _shown(f, mapping):
            continue
        if f.type == "text":
            value = " ".join(fill(f.text, mapping).split())
            if f.upper:
                value = value.upper()
            if not value:
                continue
            if cache is None:
                ops.extend(_text_ops(f, value, cal))
                continue
            key = (index, value)
            laid = cache.get(key)
            if laid is None:
                laid = cache[key] = _text_ops(f, value, cal)
            ops.extend(laid)
        elif f.type == "qr":
            content = fill(f.text or "{qr}", mapping)
            if content:
                x, y = cal.apply(f.x_mm, f.y_mm)
                ops.append(QrOp(x, y, f.size_mm * (cal.scale_x + cal.scale_y) / 2, content))
        elif f.type == "line":
            x1, y1 = cal.apply(f.x_mm, f.y_mm)
            x2, _ = cal.apply(f.x_mm + f.width_mm, f.y_mm)
            ops.append(LineOp(x1, y1, x2, y1, f.thickness, f.color))
        elif f.type == "frame":
            x1, y1 = cal.apply(f.inset_mm, f.inset_mm)
            x2, y2 = cal.apply(layout.page_width_mm - f.inset_mm, layout.page_height_mm - f.inset_mm)
            ops.append(RectOp(x1, y1, x2 - x1, y2 - y1, f.thickness, f.color))
    return Page(layout.page_width_mm, layout.page_height_mm, tuple(ops))


def test_page_ops(calibration: Calibration | None = None, width_mm: float = 297.0, height_mm: float = 210.0) -> Page:
    """A millimetre grid on A4 landscape with marks A, B, C to measure a printer by.

    Printed without calibration, the marks' crossings are measured with a ruler from the
    paper's left and top edges; `from_measurements` turns that into a correction. Printed
    with it, every crossing should then sit where its label says.
    """
    cal = calibration or Calibration()
    ops: list[Op] = []

    def line(x1: float, y1: float, x2: float, y2: float, width: float, color: str) -> None:
        a, b = cal.apply(x1, y1)
        c, d = cal.apply(x2, y2)
        ops.append(LineOp(a, b, c, d, width, color))

    for mm in range(0, int(width_mm) + 1):
        weight, color = ((0.5, "#000000") if mm % 10 == 0 else (0.25, "#808080") if mm % 5 == 0
                         else (0.1, "#c0c0c0"))
        line(mm, 0, mm, height_mm, weight, color)
    for mm in range(0, int(height_mm) + 1):
        weight, color = ((0.5, "#000000") if mm % 10 == 0 else (0.25, "#808080") if mm % 5 == 0
                         else (0.1, "#c0c0c0"))
        line(0, mm, width_mm, mm, weight, color)
    for mm in range(10, int(width_mm), 10):
        x, y = cal.apply(mm + 0.5, 4.5)
        ops.append(TextOp(x, y, str(mm), "regular", 6, "#000000"))
    for mm in range(10, int(height_mm), 10):
        x, y = cal.apply(1.0, mm - 0.6)
        ops.append(TextOp(x, y, str(mm), "regular", 6, "#000000"))
    def panel(x: float, y: float, w: float, h: float) -> None:
        px, py = cal.apply(x, y)
        ops.append(RectOp(px, py, w * cal.scale_x, h * cal.scale_y, 0.3, "#000000", "#ffffff"))

    for label, (mx, my) in (("A", MARK_A), ("B", MARK_B), ("C", MARK_C)):
        caption = f"{label} ({mx:g}; {my:g})"
        left = mx + 2.5 if mx < width_mm / 2 else mx - 2.5 - 25
        panel(left, my + 2.5, 25, 6)
        x, y = cal.apply(left + 1.5, my + 7)
        ops.append(TextOp(x, y, caption, "bold", 9, "#b71c1c"))
        line(mx - 8, my, mx + 8, my, 0.4, "#b71c1c")
        line(mx, my - 8, mx, my + 8, 0.4, "#b71c1c")
    lines = [
        (tr("layouts", "TRANG THỬ CĂN CHỈNH MÁY IN"), "bold", 12),
        (tr("layouts", "In ở tỉ lệ 100% (kích thước thật, không co giãn theo trang), khổ A4 ngang."), "regular", 10),
        (tr("layouts", "Đo tâm các dấu A, B, C tính từ mép trái và mép trên tờ giấy (mm), rồi nhập vào "
                       "Văn bằng, chứng chỉ → Căn chỉnh máy in."), "regular", 10),
    ]
    if not cal.is_identity:
        lines.append((tr("layouts", "Đã áp dụng căn chỉnh: lệch ngang {ox} mm, lệch dọc {oy} mm, tỉ lệ {sx} × {sy}: "
                                    "mỗi dấu phải nằm đúng số đo ghi bên cạnh.").format(
            ox=text.format_decimal(cal.offset_x_mm, 2), oy=text.format_decimal(cal.offset_y_mm, 2),
            sx=text.format_decimal(cal.scale_x, 4), sy=text.format_decimal(cal.scale_y, 4)), "italic", 10))
    panel(60, 80, 177, 8 + 6 * len(lines))
    for i, (value, font, size) in enumerate(lines):
        x, y = cal.apply(148.5 - text_width_mm(value, font, size) / 2, 87 + 6 * i)
        ops.append(TextOp(x, y, value, font, size, "#000000"))
    return Page(width_mm, height_mm, tuple(ops))
