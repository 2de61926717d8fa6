"""A layout of a printed document (diplomas on pre-printed blanks, full-print certificates) as
data: its fields, its JSON file, the bundled layouts, the one chosen for a programme.

A layout is a JSON file in `resources/layouts/` (format 1):

    {"format": 1, "id": "certificate-full", "version": 3, "name": "...",
     "document_kind": "certificate", "mode": "full" | "blank", "default": true,
     "programmes": ["DVM", ...],            # optional: the programmes it is meant for
     "page": {"width_mm": 297, "height_mm": 210},
     "background": "diploma-blank.jpg",     # a scan of the blank: shown while editing, never printed
     "fields": [{"type": "text", "text": "{full_name}", "x_mm": 95, "y_mm": 92, ...}, ...]}

Positions are millimetres from the paper's top-left edge: for text `y_mm` is the baseline (the
dotted line of a blank), `x_mm` the left of a box `width_mm` wide in which the text is aligned
left, centre or right; text is shrunk to fit the box (`fit`) or wrapped (`wrap`). The centre
edits layouts in the program (Văn bằng, chứng chỉ → Mẫu in); its versions are kept in the
database (setting `certificate_layouts`), so every PC prints the same; each save adds one to
`version`.
"""

from __future__ import annotations

import copy
import json
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    "course_title": tr_noop("layouts", "Tên khóa học in trên văn bằng (theo chương trình)"),
    "course": tr_noop("layouts", "Khóa học (ví dụ: Khóa 48 (2025))"),
    "course_period": tr_noop("layouts", "Khóa học, thời gian và nơi học, thành câu"),
    "salutation": tr_noop("layouts", "Cách gọi: Đồng chí / Ông (Bà)"),
    "issuer": tr_noop("layouts", "Người cấp: chức danh và tên trường (HIỆU TRƯỞNG TRƯỜNG ...)"),
    "issuing_name": tr_noop("layouts", "Tên trường / trung tâm viết thường (Trường Chính trị tỉnh ...)"),
    "result_label": tr_noop("layouts", "“Xếp loại” hoặc “Kết quả”, theo kết quả in"),
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


# ---------------------------------------------------------------------------------- for the editor


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
        "course_title": "Trung cấp lý luận chính trị - hành chính", "course": "Khóa 48 (2025)",
        "course_period": "Khóa 48 (2025), học từ ngày 06/01/2025 đến ngày 29/08/2025, tại Trường Chính trị tỉnh Long An.",
        "salutation": "Ông (Bà)" if layout.document_kind == "diploma" else "Đồng chí",
        "issuer": "HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH LONG AN", "issuing_name": "Trường Chính trị tỉnh Long An",
        "result_label": "Xếp loại",
        "class_name": "Lớp Trung cấp LLCT - HC A48", "start_date": "06/01/2025", "end_date": "29/08/2025",
        "mode": "Tập trung", "venue": "Trường Chính trị tỉnh Long An", "at_venue": ", tại Trường Chính trị tỉnh Long An", "classification": "Khá", "average": "7,6",
        "decision_number": "125-QĐ/TCT", "issue_date": "08/09/2025", "issue_day": "08", "issue_month": "9",
        "issue_year": "2025", "place_date": "Long An, ngày 08 tháng 9 năm 2025", "serial": "0012/BTN-2025",
        "register_number": "0012/2025/TN", "verification_code": "K7QX2-M2PA9",
        "qr": "DTBD1:SAMPLE:000000:" + "A" * 103,
    }


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
