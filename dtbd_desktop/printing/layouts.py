"""Layouts of printed documents (diplomas on pre-printed blanks, full-print certificates) as data.

A layout is a JSON file in `resources/layouts/` (format 1):

    {"format": 1, "id": "certificate-full", "version": 3, "name": "...",
     "document_kind": "certificate", "mode": "full" | "blank", "default": true,
     "programmes": ["DVM", ...],            # optional: the programmes it is meant for
     "page": {"width_mm": 297, "height_mm": 210},
     "background": "diploma-blank.png",     # a scan of the blank: shown while editing, never printed
     "fields": [{"type": "text", "text": "{full_name}", "x_mm": 95, "y_mm": 92, ...}, ...]}

Positions are millimetres from the paper's top-left edge: for text `y_mm` is the baseline (the
dotted line of a blank), `x_mm` the left of a box `width_mm` wide in which the text is aligned
left, centre or right; text is shrunk to fit the box (`fit`) or wrapped (`wrap`). The centre
edits layouts in the program (Văn bằng, chứng chỉ → Mẫu in); its versions are kept in the
database (setting `certificate_layouts`), so every PC prints the same; each save adds one to
`version`.

A layout and a document's values become a page of drawing operations (`page_ops`), in
millimetres, with the printer's calibration applied. The PDF writer and the GUI's preview and
printing draw the same operations, so what is previewed is what is printed.

Calibration (setting `printer_calibration`, and `printer_calibrations` by printer name): the
correction applied to every position, `printed at = offset + scale × position in the layout`.
A printer that prints 1.5 mm too far right needs `offset_x_mm` = -1.5; one that stretches
297 mm to 298 mm needs `scale_x` = 297/298. `from_measurements` works both out from where the
marks of the test page (`test_page_ops`) came out on paper.
"""

from __future__ import annotations

import copy
import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.base.paths import resource_path

FORMAT = 1
FIELD_TYPES = ("text", "qr", "line", "frame")
FONTS = ("regular", "bold", "italic", "bold_italic")
ALIGNS = ("left", "center", "right")
MODES = ("full", "blank")
PT_PER_MM = 72 / 25.4

#: The values a text field may use, with what they mean (shown in the layout editor).
FIELD_KEYS: dict[str, str] = {
    "superior_body": tr_noop("layouts", "Cơ quan chủ quản"),
    "centre_name": tr_noop("layouts", "Tên trường / trung tâm"),
    "place_name": tr_noop("layouts", "Địa danh"),
    "director_title": tr_noop("layouts", "Chức danh người ký"),
    "director_name": tr_noop("layouts", "Họ tên người ký"),
    "heading_1": tr_noop("layouts", "Quốc hiệu hoặc ĐẢNG CỘNG SẢN VIỆT NAM"),
    "heading_2": tr_noop("layouts", "Tiêu ngữ (trống khi dùng tiêu đề Đảng)"),
    "party_heading": tr_noop("layouts", "Có khi dùng tiêu đề Đảng"),
    "national_heading": tr_noop("layouts", "Có khi dùng Quốc hiệu"),
    "document_title": tr_noop("layouts", "Tên văn bằng"),
    "full_name": tr_noop("layouts", "Họ và tên"),
    "birth_date": tr_noop("layouts", "Ngày sinh"),
    "place_of_birth": tr_noop("layouts", "Nơi sinh"),
    "gender": tr_noop("layouts", "Giới tính"),
    "ethnicity": tr_noop("layouts", "Dân tộc"),
    "position": tr_noop("layouts", "Chức vụ"),
    "organisation": tr_noop("layouts", "Đơn vị công tác"),
    "position_organisation": tr_noop("layouts", "Chức vụ, đơn vị"),
    "programme_name": tr_noop("layouts", "Tên chương trình"),
    "class_code": tr_noop("layouts", "Mã lớp"),
    "class_name": tr_noop("layouts", "Tên lớp"),
    "start_date": tr_noop("layouts", "Ngày khai giảng"),
    "end_date": tr_noop("layouts", "Ngày kết thúc"),
    "mode": tr_noop("layouts", "Hình thức học"),
    "venue": tr_noop("layouts", "Địa điểm học"),
    "at_venue": tr_noop("layouts", "“, tại <địa điểm>” (trống khi lớp không ghi địa điểm)"),
    "classification": tr_noop("layouts", "Xếp loại / kết quả"),
    "average": tr_noop("layouts", "Điểm trung bình"),
    "decision_number": tr_noop("layouts", "Số quyết định công nhận"),
    "issue_date": tr_noop("layouts", "Ngày cấp dd/mm/yyyy"),
    "issue_day": tr_noop("layouts", "Ngày cấp: ngày"),
    "issue_month": tr_noop("layouts", "Ngày cấp: tháng"),
    "issue_year": tr_noop("layouts", "Ngày cấp: năm"),
    "place_date": tr_noop("layouts", "Địa danh, ngày ... tháng ... năm ..."),
    "serial": tr_noop("layouts", "Số hiệu"),
    "register_number": tr_noop("layouts", "Số vào sổ"),
    "verification_code": tr_noop("layouts", "Mã xác thực"),
    "qr": tr_noop("layouts", "Nội dung mã QR"),
}


class LayoutError(InputError):
    """A layout file that cannot be used; the message says where."""


# ---------------------------------------------------------------------------------- model


@dataclass
class Field:
    """One thing printed: a text, the QR code, a line, or a frame around the page."""

    type: str = "text"
    text: str = ""
    x_mm: float = 0.0
    y_mm: float = 0.0
    width_mm: float = 100.0
    font: str = "regular"
    size: float = 13.0
    align: str = "left"
    upper: bool = False
    fit: bool = True
    wrap: bool = False
    leading: float = 1.3
    max_lines: int = 3
    rule_under: float = 0.0  # a rule under the text, this fraction of its width (letterheads)
    color: str = "#000000"
    when: str = ""  # print only when this value is non-empty ("!key": only when it is empty)
    size_mm: float = 25.0  # QR code side
    thickness: float = 0.6  # points, for lines and frames
    inset_mm: float = 8.0  # frames
    label: str = ""  # the name shown in the editor

    def to_json(self) -> dict[str, Any]:
        defaults = Field(type=self.type)
        out: dict[str, Any] = {"type": self.type}
        for name in _FIELD_ATTRS:
            value = getattr(self, name)
            if name in _ALWAYS or value != getattr(defaults, name):
                out[name] = value
        return out


_FIELD_ATTRS = [f for f in Field.__dataclass_fields__ if f != "type"]
_ALWAYS = {"x_mm", "y_mm"}


@dataclass
class Layout:
    id: str
    name: str
    document_kind: str
    mode: str = "full"
    version: int = 1
    default: bool = False
    programmes: list[str] = field(default_factory=list)
    page_width_mm: float = 297.0
    page_height_mm: float = 210.0
    background: str | None = None
    fields: list[Field] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "id": self.id, "version": self.version, "name": self.name,
            "document_kind": self.document_kind, "mode": self.mode, "default": self.default,
            "programmes": list(self.programmes),
            "page": {"width_mm": self.page_width_mm, "height_mm": self.page_height_mm},
            "background": self.background, "fields": [f.to_json() for f in self.fields],
        }

    def copy(self) -> Layout:
        return copy.deepcopy(self)

    def background_path(self) -> Path | None:
        if not self.background:
            return None
        path = Path(self.background)
        return path if path.is_absolute() else resource_path("layouts", self.background)


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise LayoutError(tr("layouts", "{where}: cần một số (đang là {value!r}).").format(where=where, value=value))
    return float(value)


def template_keys(template: str) -> list[str]:
    try:
        return [name for _lit, name, _spec, _conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise LayoutError(tr("layouts", "Mẫu chữ '{text}': dấu ngoặc {{ }} không khớp.").format(text=template)) from exc


def field_from_json(data: Mapping[str, Any], where: str) -> Field:
    if not isinstance(data, Mapping):
        raise LayoutError(tr("layouts", "{where}: không phải một trường.").format(where=where))
    kind = data.get("type", "text")
    if kind not in FIELD_TYPES:
        raise LayoutError(tr("layouts", "{where}: loại '{kind}' không có.").format(where=where, kind=kind))
    f = Field(type=kind)
    for name, value in data.items():
        if name == "type":
            continue
        if name not in Field.__dataclass_fields__:
            raise LayoutError(tr("layouts", "{where}: thuộc tính '{name}' không có.").format(where=where, name=name))
        default = getattr(f, name)
        if isinstance(default, bool):
            if not isinstance(value, bool):
                raise LayoutError(tr("layouts", "{where}: '{name}' là true hoặc false.").format(where=where, name=name))
        elif isinstance(default, int):
            value = int(_number(value, f"{where}.{name}"))
        elif isinstance(default, float):
            value = _number(value, f"{where}.{name}")
        elif not isinstance(value, str):
            raise LayoutError(tr("layouts", "{where}: '{name}' là chữ.").format(where=where, name=name))
        else:
            value = text.nfc(value)
        setattr(f, name, value)
    if f.font not in FONTS:
        raise LayoutError(tr("layouts", "{where}: phông '{font}' không có (regular, bold, italic, bold_italic).")
                          .format(where=where, font=f.font))
    if f.align not in ALIGNS:
        raise LayoutError(tr("layouts", "{where}: căn lề '{align}' không có (left, center, right).")
                          .format(where=where, align=f.align))
    if not 4 <= f.size <= 72:
        raise LayoutError(tr("layouts", "{where}: cỡ chữ phải từ 4 đến 72.").format(where=where))
    unknown = [k for k in template_keys(f.text) if k not in FIELD_KEYS]
    when = f.when.lstrip("!")
    if when and when not in FIELD_KEYS:
        unknown.append(when)
    if unknown:
        raise LayoutError(tr("layouts", "{where}: không có giá trị '{key}'.").format(where=where, key=unknown[0]))
    return f


def layout_from_json(data: Mapping[str, Any], source: str = "") -> Layout:
    """A layout from its JSON, checked; LayoutError names what is wrong."""
    where = source or str(data.get("id", "?"))
    if not isinstance(data, Mapping) or data.get("format") != FORMAT:
        raise LayoutError(tr("layouts", "{where}: không phải mẫu in định dạng {format}.").format(where=where, format=FORMAT))
    for key in ("id", "name", "document_kind"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise LayoutError(tr("layouts", "{where}: thiếu '{key}'.").format(where=where, key=key))
    if data["document_kind"] not in ("diploma", "certificate"):
        raise LayoutError(tr("layouts", "{where}: document_kind là diploma hoặc certificate.").format(where=where))
    mode = data.get("mode", "full")
    if mode not in MODES:
        raise LayoutError(tr("layouts", "{where}: mode là full hoặc blank.").format(where=where))
    page = data.get("page") or {}
    width = _number(page.get("width_mm", 297), f"{where}.page.width_mm")
    height = _number(page.get("height_mm", 210), f"{where}.page.height_mm")
    if not (50 <= width <= 500 and 50 <= height <= 500):
        raise LayoutError(tr("layouts", "{where}: khổ giấy phải từ 50 đến 500 mm.").format(where=where))
    fields = [field_from_json(f, f"{where}.fields[{i}]") for i, f in enumerate(data.get("fields") or [])]
    return Layout(
        id=data["id"], name=text.nfc(data["name"]), document_kind=data["document_kind"], mode=mode,
        version=int(data.get("version", 1)), default=bool(data.get("default", False)),
        programmes=[str(p) for p in data.get("programmes") or []], page_width_mm=width, page_height_mm=height,
        background=data.get("background") or None, fields=fields,
    )


def read_layout_file(path: Path) -> Layout:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise LayoutError(tr("layouts", "Không đọc được mẫu in {path}: {error}").format(path=path, error=exc)) from exc
    return layout_from_json(data, path.name)


def write_layout_file(layout: Layout, path: Path) -> None:
    path.write_text(json.dumps(layout.to_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def bundled_layouts() -> dict[str, Layout]:
    """The layouts shipped in resources/layouts/, by id."""
    out: dict[str, Layout] = {}
    for path in sorted(resource_path("layouts").glob("*.json")):
        layout = read_layout_file(path)
        out[layout.id] = layout
    return out


def merge_layouts(bundled: Mapping[str, Layout], stored: Mapping[str, Any]) -> dict[str, Layout]:
    """The centre's saved layouts (from the database) over the bundled ones; a stored layout that
    no longer loads is skipped so that printing still works with the bundled one."""
    out = dict(bundled)
    for layout_id, data in (stored or {}).items():
        try:
            out[layout_id] = layout_from_json(data, layout_id)
        except LayoutError:
            continue
    return out


def choose_layout(layouts: Mapping[str, Layout], document_kind: str, programme_code: str,
                  by_programme: Mapping[str, str] | None = None) -> Layout:
    """The layout for a programme: the one chosen for it in the settings, else one listing the
    programme, else the default of its document kind."""
    chosen = (by_programme or {}).get(programme_code)
    if chosen and chosen in layouts and layouts[chosen].document_kind == document_kind:
        return layouts[chosen]
    of_kind = [lay for lay in layouts.values() if lay.document_kind == document_kind]
    for layout in of_kind:
        if programme_code in layout.programmes:
            return layout
    for layout in of_kind:
        if layout.default:
            return layout
    if of_kind:
        return of_kind[0]
    raise LayoutError(tr("layouts", "Không có mẫu in nào cho loại văn bằng '{kind}'.").format(kind=document_kind))


# ---------------------------------------------------------------------------------- calibration


@dataclass(frozen=True)
class Calibration:
    """The correction for one printer: printed at = offset + scale × position (millimetres)."""

    offset_x_mm: float = 0.0
    offset_y_mm: float = 0.0
    scale_x: float = 1.0
    scale_y: float = 1.0

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return self.offset_x_mm + self.scale_x * x, self.offset_y_mm + self.scale_y * y

    def as_setting(self) -> dict[str, float]:
        return {"offset_x_mm": round(self.offset_x_mm, 2), "offset_y_mm": round(self.offset_y_mm, 2),
                "scale_x": round(self.scale_x, 5), "scale_y": round(self.scale_y, 5)}

    @property
    def is_identity(self) -> bool:
        return self == Calibration()


MAX_OFFSET_MM = 30.0
SCALE_RANGE = (0.9, 1.1)


def calibration_from_setting(value: Any) -> Calibration:
    """A calibration from its stored form; InputError when a number is missing or out of range."""
    if not value:
        return Calibration()
    if not isinstance(value, Mapping):
        raise InputError(tr("layouts", "Căn chỉnh máy in không hợp lệ."))
    numbers: dict[str, float] = {}
    for key, default in (("offset_x_mm", 0.0), ("offset_y_mm", 0.0), ("scale_x", 1.0), ("scale_y", 1.0)):
        raw = value.get(key, default)
        try:
            numbers[key] = float(str(raw).replace(",", "."))
        except ValueError:
            raise InputError(tr("layouts", "Căn chỉnh máy in: '{key}' không phải số.").format(key=key)) from None
    for key in ("offset_x_mm", "offset_y_mm"):
        if abs(numbers[key]) > MAX_OFFSET_MM:
            raise InputError(tr("layouts", "Căn chỉnh máy in: độ lệch {value} mm quá lớn (tối đa {max} mm).").format(
                value=text.format_decimal(numbers[key], 1), max=int(MAX_OFFSET_MM)))
    for key in ("scale_x", "scale_y"):
        if not SCALE_RANGE[0] <= numbers[key] <= SCALE_RANGE[1]:
            raise InputError(tr("layouts", "Căn chỉnh máy in: tỉ lệ {value} phải từ 0,9 đến 1,1.").format(
                value=text.format_decimal(numbers[key], 4)))
    return Calibration(**numbers)


def calibration_for(values: Mapping[str, Any], printer: str | None = None) -> Calibration:
    """The calibration for a printer: its own (`printer_calibrations[name]`), else the centre's
    (`printer_calibration`)."""
    per_printer = values.get("printer_calibrations") or {}
    if printer and isinstance(per_printer, Mapping) and per_printer.get(printer):
        return calibration_from_setting(per_printer[printer])
    return calibration_from_setting(values.get("printer_calibration"))


#: Where the test page puts its three marks (mm from the top-left edge of A4 landscape).
MARK_A = (20.0, 20.0)
MARK_B = (277.0, 20.0)
MARK_C = (20.0, 190.0)


def from_measurements(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> Calibration:
    """The correction from where marks A, B and C of the uncalibrated test page came out
    (each measured from the paper's left and top edges, in mm)."""
    printed_sx = (b[0] - a[0]) / (MARK_B[0] - MARK_A[0])
    printed_sy = (c[1] - a[1]) / (MARK_C[1] - MARK_A[1])
    if printed_sx <= 0 or printed_sy <= 0:
        raise InputError(tr("layouts", "Số đo không hợp lệ: dấu B phải ở bên phải dấu A, dấu C ở dưới dấu A."))
    printed_ox = a[0] - printed_sx * MARK_A[0]
    printed_oy = a[1] - printed_sy * MARK_A[1]
    # The printer maps p to o + s·p; asking for (t - o) / s puts the mark at t.
    return calibration_from_setting({"offset_x_mm": -printed_ox / printed_sx, "offset_y_mm": -printed_oy / printed_sy,
                                     "scale_x": 1 / printed_sx, "scale_y": 1 / printed_sy})


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


def sample_values(layout: Layout) -> dict[str, str]:
    """Made-up values to show a layout in the editor before any document exists."""
    title = "BẰNG TỐT NGHIỆP" if layout.document_kind == "diploma" else "GIẤY CHỨNG NHẬN"
    return {
        "superior_body": "TỈNH ỦY LONG AN", "centre_name": "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", "place_name": "Long An",
        "director_title": "HIỆU TRƯỞNG", "director_name": "Nguyễn Văn Bình",
        "heading_1": "ĐẢNG CỘNG SẢN VIỆT NAM", "heading_2": "", "party_heading": "1", "national_heading": "",
        "document_title": title, "full_name": "Nguyễn Thị Thanh Hương", "birth_date": "05/03/1985",
        "place_of_birth": "Cần Giuộc, Long An", "gender": "Nữ", "ethnicity": "Kinh",
        "position": "Phó Chủ tịch UBND xã", "organisation": "UBND xã Long Hậu, huyện Cần Giuộc",
        "position_organisation": "Phó Chủ tịch UBND xã Long Hậu, huyện Cần Giuộc",
        "programme_name": "Trung cấp lý luận chính trị - hành chính", "class_code": "A48",
        "class_name": "Lớp Trung cấp LLCT - HC A48", "start_date": "06/01/2025", "end_date": "29/08/2025",
        "mode": "Tập trung", "venue": "Trường Chính trị tỉnh Long An", "at_venue": ", tại Trường Chính trị tỉnh Long An", "classification": "Khá", "average": "7,6",
        "decision_number": "125-QĐ/TCT", "issue_date": "08/09/2025", "issue_day": "08", "issue_month": "9",
        "issue_year": "2025", "place_date": "Long An, ngày 08 tháng 9 năm 2025", "serial": "0012/BTN-2025",
        "register_number": "0012/2025/TN", "verification_code": "K7QX2-M2PA9",
        "qr": "DTBD1:SAMPLE:000000:" + "A" * 103,
    }


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


def field_label(f: Field) -> str:
    """How the editor names a field: its label, else its text, else its type."""
    if f.label:
        return f.label
    if f.type == "qr":
        return tr("layouts", "Mã QR")
    if f.type == "frame":
        return tr("layouts", "Khung viền")
    if f.type == "line":
        return tr("layouts", "Đường kẻ")
    return f.text or tr("layouts", "(trống)")


def key_description(key: str) -> str:
    return tr("layouts", FIELD_KEYS.get(key, key))


def ensure_unique_ids(layouts: Sequence[Layout]) -> None:
    seen: set[str] = set()
    for layout in layouts:
        if layout.id in seen:
            raise LayoutError(tr("layouts", "Hai mẫu in cùng mã '{id}'.").format(id=layout.id))
        seen.add(layout.id)
