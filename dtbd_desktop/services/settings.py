"""Centre-wide settings stored in the database, with defaults.

What each key holds (the Settings screen edits all of them; `check_settings` says what is valid):

* `centre_name`, `superior_body`, `place_name`, `director_title`, `director_name`: the letterhead
  and the signature ("Long An, ngày ... tháng ... năm ..." takes `place_name`);
  `issuing_name`: the school as diplomas and certificates name it in a sentence ("Trường Chính trị
  tỉnh Long An"); empty: made from `centre_name` (`services.document_wording.proper_name`);
  `party_heading`: "ĐẢNG CỘNG SẢN VIỆT NAM" on the right of the letterhead, else the national heading.
* `letterhead_name`, `document_symbol`: the issuing body as the letterhead names it (under the
  superior body: "TRƯỜNG CHÍNH TRỊ") and its abbreviation in document numbers ("TCT"); empty:
  worked out from the centre's name (`printing.letterhead.issuer_name`, `issuer_symbol`);
  `signer_collective` ("BAN GIÁM HIỆU": the head signs "T/M" the collective; empty: in their own
  name), `deputy_title`, `deputy_name` (a deputy who signs "K/T" when chosen), `archive_line`
  (the last line of "Nơi nhận", e.g. "Lưu VP."; empty: the format's own).
* What official papers say beside the figures (text; several lines are several items):
  `centre_basis` (the first "Căn cứ" of a decision: the regulation on the centre's functions),
  `proposer` ("Xét đề nghị của ..."), `executors` (who carries a decision out, Điều 3),
  `decision_recipients`, `letter_recipients`, `report_recipients` (the lines of "Nơi nhận").
* `logo_png`: the centre's logo as a base64-encoded PNG (at most `MAX_LOGO_BYTES` once decoded),
  or None. Stored in the database rather than as a file path, so that every PC sharing one
  PostgreSQL server prints the same logo; `logo_png()` returns the bytes.
* `attendance_lock_days`: attendance older than this many days is locked.
* `backup_keep`: how many automatic backups are kept.
* `young_cadre_max_age`: "cán bộ trẻ" in the statistics means at most this age.
* `age_band_limits`: the statistics' age groups as increasing lower limits, e.g. [30, 40, 50]
  gives "dưới 30", "30–39", "40–49", "từ 50" (`age_bands()` turns them into ranges).
* `printer_calibration`: {"offset_x_mm", "offset_y_mm", "scale_x", "scale_y"}: the centre's
  default printer correction, printed at = offset + scale × position (millimetres; + right /
  + down; 1.0 = 100%), within the limits of `dtbd_desktop.printing.layouts` (±30 mm, 0.9 to 1.1).
  Certificate printing reads it (`layouts.calibration_for`), after any per-printer correction
  in `printer_calibrations`, which its own calibration dialog measures from a test page.
* `verify_page_url`: where the centre publishes its verification page (`reports.verify_page`),
  e.g. "https://truongchinhtri.longan.gov.vn/xac-thuc", or None. With it, the QR code printed on a
  document is a link to that page carrying the signed text after "#"; without it the QR code holds
  the signed text alone (`verify_page_link`).

Which language the program speaks and where the database is are not here: they belong to
each PC (dtbd_desktop.base.config), since they are needed before the database is open.
"""

from __future__ import annotations

import base64
import binascii
import urllib.parse
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Setting
from dtbd_desktop.printing.letterhead import Letterhead
from dtbd_desktop.trust.operations import operation

DEFAULT_CALIBRATION: dict[str, float] = {"offset_x_mm": 0.0, "offset_y_mm": 0.0, "scale_x": 1.0, "scale_y": 1.0}

DEFAULTS: dict[str, Any] = {
    "centre_name": "TRUNG TÂM CHÍNH TRỊ",
    "issuing_name": "",  # the school as written in a sentence; empty: made from centre_name
    "superior_body": "",
    "place_name": "",
    "director_title": "GIÁM ĐỐC",
    "director_name": "",
    "party_heading": True,  # "ĐẢNG CỘNG SẢN VIỆT NAM" on the right of the letterhead
    "letterhead_name": "",
    "document_symbol": "",
    "signer_collective": "",
    "deputy_title": "",
    "deputy_name": "",
    "archive_line": "",
    "centre_basis": "",
    "proposer": "",
    "executors": "",
    "decision_recipients": "",
    "letter_recipients": "",
    "report_recipients": "",
    "logo_png": None,
    "attendance_lock_days": 7,
    "backup_keep": 10,
    "young_cadre_max_age": 35,
    "age_band_limits": [30, 40, 50],
    "printer_calibration": dict(DEFAULT_CALIBRATION),
    "verify_page_url": None,
    "demo": False,
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_LOGO_BYTES = 1024 * 1024
TEXT_LIMIT = 200
LONG_TEXT_LIMIT = 2000
LONG_TEXTS = frozenset({"centre_basis", "executors", "decision_recipients", "letter_recipients", "report_recipients"})


def document_labels() -> dict[str, str]:
    """The settings of official papers, with their names as the Settings screen shows them."""
    return {
        "letterhead_name": tr("settings", "Tên cơ quan trên tiêu đề văn bản"),
        "document_symbol": tr("settings", "Ký hiệu cơ quan trong số văn bản"),
        "signer_collective": tr("settings", "Ký thay mặt (T/M) tập thể"),
        "deputy_title": tr("settings", "Chức danh cấp phó ký thay"),
        "deputy_name": tr("settings", "Họ tên cấp phó ký thay"),
        "archive_line": tr("settings", "Dòng lưu văn bản"),
        "centre_basis": tr("settings", "Căn cứ chức năng, nhiệm vụ của cơ quan"),
        "proposer": tr("settings", "Đơn vị đề nghị (xét đề nghị của)"),
        "executors": tr("settings", "Đơn vị, cá nhân thi hành quyết định"),
        "decision_recipients": tr("settings", "Nơi nhận quyết định"),
        "letter_recipients": tr("settings", "Nơi nhận công văn"),
        "report_recipients": tr("settings", "Nơi nhận báo cáo"),
    }


def default_signer_title(centre_name: str) -> str:
    """Who signs for the unit when nobody said: the principal (HIỆU TRƯỞNG) of a school, "Trường
    Chính trị ...", the director (GIÁM ĐỐC) of a centre, "Trung tâm Chính trị ..." and the rest."""
    return "HIỆU TRƯỞNG" if text.fold(centre_name).startswith("truong") else "GIÁM ĐỐC"


def get_settings(session: Session) -> dict[str, Any]:
    values = dict(DEFAULTS)
    stored = {s.key: s.value for s in session.scalars(select(Setting))}
    values.update(stored)
    if not stored.get("director_title"):
        values["director_title"] = default_signer_title(str(values.get("centre_name") or ""))
    return values


def get_setting(session: Session, key: str) -> Any:
    if key == "director_title":
        return get_settings(session)[key]
    row = session.get(Setting, key)
    return row.value if row is not None else DEFAULTS.get(key)


def set_settings(session: Session, **values: Any) -> None:
    for key, value in values.items():
        row = session.get(Setting, key)
        if row is None:
            session.add(Setting(key=key, value=value))
        else:
            row.value = value
    session.flush()


# ---------------------------------------------------------------------------------- checked saving


def _int_in(values: dict[str, Any], key: str, low: int, high: int, label: str, problems: list[Problem]) -> None:
    value = values[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.append(Problem(tr("settings", "{label} phải là số nguyên từ {low} đến {high}.").format(
            label=label, low=low, high=high), field=key))


def check_settings(values: dict[str, Any]) -> list[Problem]:
    """What is wrong with the given settings (only the keys present are checked)."""
    problems: list[Problem] = []
    text_labels = {
        "centre_name": tr("settings", "Tên trường / trung tâm"),
        "issuing_name": tr("settings", "Tên cơ sở cấp văn bằng (viết thường)"),
        "superior_body": tr("settings", "Cơ quan chủ quản"),
        "place_name": tr("settings", "Địa danh"),
        "director_title": tr("settings", "Chức danh người ký"),
        "director_name": tr("settings", "Họ tên người ký"),
    }
    text_labels.update(document_labels())
    for key, label in text_labels.items():
        if key not in values:
            continue
        value = values[key]
        limit = LONG_TEXT_LIMIT if key in LONG_TEXTS else TEXT_LIMIT
        if not isinstance(value, str):
            problems.append(Problem(tr("settings", "{label} phải là chữ.").format(label=label), field=key))
        elif key == "document_symbol" and value.strip() and not all(ch.isalnum() or ch in "-." for ch in value.strip()):
            problems.append(Problem(tr("settings", "Ký hiệu cơ quan chỉ gồm chữ và số, ví dụ TCT."), field=key))
        elif len(value) > limit:
            problems.append(Problem(tr("settings", "{label} dài quá {n} ký tự.").format(label=label, n=limit),
                                    field=key))
        elif key == "centre_name" and not value.strip():
            problems.append(Problem(tr("settings", "Chưa nhập tên trường / trung tâm."), field=key))
        elif key == "place_name" and not value.strip():
            problems.append(Problem(tr("settings", "Chưa nhập địa danh ghi ngày tháng (ví dụ: Long An)."), field=key))
    if "party_heading" in values and not isinstance(values["party_heading"], bool):
        problems.append(Problem(tr("settings", "Tiêu đề Đảng phải là có hoặc không."), field="party_heading"))
    if "attendance_lock_days" in values:
        _int_in(values, "attendance_lock_days", 0, 365, tr("settings", "Số ngày khóa điểm danh"), problems)
    if "backup_keep" in values:
        _int_in(values, "backup_keep", 1, 1000, tr("settings", "Số bản sao lưu giữ lại"), problems)
    if "young_cadre_max_age" in values:
        _int_in(values, "young_cadre_max_age", 18, 70, tr("settings", "Tuổi tối đa của cán bộ trẻ"), problems)
    if "age_band_limits" in values:
        limits = values["age_band_limits"]
        if (not isinstance(limits, list) or not 1 <= len(limits) <= 10
                or not all(isinstance(v, int) and not isinstance(v, bool) and 15 <= v <= 90 for v in limits)
                or any(b <= a for a, b in zip(limits, limits[1:], strict=False))):
            problems.append(Problem(tr("settings", "Nhóm tuổi: nhập từ 1 đến 10 mốc tuổi tăng dần, mỗi mốc từ 15 "
                                                   "đến 90, ví dụ 30, 40, 50."), field="age_band_limits"))
    if "printer_calibration" in values:
        problems += _check_calibration(values["printer_calibration"])
    if values.get("verify_page_url") is not None:
        problems += _check_verify_page_url(values["verify_page_url"])
    if "logo_png" in values and values["logo_png"] is not None:
        try:
            decode_logo(values["logo_png"])
        except InputError as exc:
            problems.append(Problem(exc.message, field="logo_png"))
    return problems


def _check_calibration(value: Any) -> list[Problem]:
    """The same limits as printing applies (dtbd_desktop.printing.layouts.calibration_from_setting)."""
    from dtbd_desktop.printing import layouts

    if not isinstance(value, dict) or set(value) != set(DEFAULT_CALIBRATION) or not all(
            isinstance(v, int | float) and not isinstance(v, bool) for v in value.values()):
        return [Problem(tr("settings", "Căn chỉnh máy in phải có đủ độ lệch ngang, dọc (mm) và tỉ lệ ngang, dọc."),
                        field="printer_calibration")]
    try:
        layouts.calibration_from_setting(value)
    except InputError as exc:
        return [Problem(exc.message, field="printer_calibration")]
    return []


VERIFY_PAGE_EXAMPLE = "https://truongchinhtri.longan.gov.vn/xac-thuc"


def _check_verify_page_url(value: Any) -> list[Problem]:
    """A web address a phone can open: http(s), a host, printable ASCII without spaces, no "#" (the
    signed text goes there). An empty text means none."""
    if isinstance(value, str) and not value.strip():
        return []
    problem = [Problem(tr("settings", "Địa chỉ trang xác thực phải là địa chỉ web đầy đủ, bắt đầu bằng https:// "
                                      "(ví dụ {example}), viết không dấu, không có khoảng trắng và không có dấu #.")
                       .format(example=VERIFY_PAGE_EXAMPLE), field="verify_page_url")]
    if not isinstance(value, str) or len(value) > TEXT_LIMIT:
        return problem
    value = value.strip()
    if not value.isascii() or not value.isprintable() or " " in value or "#" in value:
        return problem
    try:
        parts = urllib.parse.urlsplit(value)
    except ValueError:
        return problem
    if parts.scheme.lower() not in ("https", "http") or not parts.hostname:
        return problem
    return []


def verify_page_link(session: Session) -> str | None:
    """The address the QR codes link to, or None when the centre has not set one."""
    value = get_setting(session, "verify_page_url")
    if not isinstance(value, str) or not value.strip() or _check_verify_page_url(value):
        return None
    return value.strip()


def _audited_value(key: str, value: Any) -> Any:
    if key == "logo_png" and value:
        return f"PNG, {len(value) * 3 // 4 // 1024} KB"  # not the image itself
    return value


@operation("settings.save", permission="edit_settings")
def save_settings(session: Session, /, **values: Any) -> None:
    """Check, then store what changed, each change in the audit log. Changing anything needs the
    "edit_settings" permission. Nothing is stored when any value is refused (InputError lists them all)."""
    from dtbd_desktop.trust import audit

    unknown = sorted(set(values) - set(DEFAULTS))
    if unknown:
        raise InputError(tr("settings", "Không có mục cài đặt: {keys}.").format(keys=", ".join(unknown)))
    problems = check_settings(values)
    if problems:
        raise InputError(tr("settings", "Chưa lưu cài đặt: có {n} mục chưa hợp lệ.").format(n=len(problems)), problems)
    if "printer_calibration" in values:
        values["printer_calibration"] = {k: float(v) for k, v in values["printer_calibration"].items()}
    current = get_settings(session)
    changed = {key: value for key, value in values.items() if current.get(key) != value}
    for key, value in changed.items():
        audit.record(session, action="settings.change", entity="settings", entity_id=key,
                     old=_audited_value(key, current.get(key)), new=_audited_value(key, value))
    set_settings(session, **changed)


# ---------------------------------------------------------------------------------- logo and age bands


def encode_logo(png: bytes) -> str:
    """The setting value for a PNG image (checked: a PNG, not too large)."""
    if not png.startswith(PNG_SIGNATURE):
        raise InputError(tr("settings", "Biểu trưng phải là ảnh PNG."))
    if len(png) > MAX_LOGO_BYTES:
        raise InputError(tr("settings", "Ảnh biểu trưng quá lớn ({kb} KB); tối đa {max} KB.").format(
            kb=len(png) // 1024, max=MAX_LOGO_BYTES // 1024))
    return base64.b64encode(png).decode("ascii")


def decode_logo(value: Any) -> bytes:
    if not isinstance(value, str):
        raise InputError(tr("settings", "Biểu trưng phải là ảnh PNG."))
    try:
        png = base64.b64decode(value.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as exc:
        raise InputError(tr("settings", "Biểu trưng phải là ảnh PNG.")) from exc
    encode_logo(png)  # the same checks
    return png


def logo_png(session: Session) -> bytes | None:
    """The centre's logo as PNG bytes, or None when none is set (or the stored value is unusable)."""
    value = get_setting(session, "logo_png")
    if not value:
        return None
    try:
        return decode_logo(value)
    except InputError:
        return None


def age_bands(limits: list[int]) -> list[tuple[int | None, int | None]]:
    """[30, 40, 50] → [(None, 29), (30, 39), (40, 49), (50, None)]: inclusive ages, open at the ends."""
    bands: list[tuple[int | None, int | None]] = []
    lower: int | None = None
    for limit in limits:
        bands.append((lower, limit - 1))
        lower = limit
    bands.append((lower, None))
    return bands


def age_band_label(band: tuple[int | None, int | None]) -> str:
    low, high = band
    if low is None:
        return tr("settings", "dưới {n}").format(n=(high or 0) + 1)
    if high is None:
        return tr("settings", "từ {n}").format(n=low)
    return f"{low}–{high}"


def load_letterhead(session: Session) -> Letterhead:
    values = get_settings(session)

    def value(key: str) -> str:
        return text.nfc(str(values.get(key) or ""))

    return Letterhead(
        superior_body=value("superior_body"),
        centre_name=value("centre_name"),
        place_name=value("place_name"),
        director_title=value("director_title"),
        director_name=value("director_name"),
        party_heading=bool(values.get("party_heading", True)),
        short_name=value("letterhead_name"),
        symbol=value("document_symbol"),
        collective=value("signer_collective"),
        deputy_title=value("deputy_title"),
        deputy_name=value("deputy_name"),
        archive=value("archive_line"),
    )


def text_lines(value: object) -> list[str]:
    """A multi-line setting as its non-empty lines, NFC, without their leading dashes."""
    return [line for line in (text.nfc(part).lstrip("-").strip() for part in str(value or "").splitlines()) if line]


def document_setting(session: Session, key: str) -> str:
    """A text setting of official papers, its lines kept (each line NFC and trimmed)."""
    return "\n".join(text_lines(get_setting(session, key)))
