"""Recognising the columns of a learner list by their Vietnamese headings.

The synonyms are data (`resources/import/column_synonyms.json`); this module normalises
headings and looks them up. Legacy-encoded headings (TCVN3, VNI) are tried converted too.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

from dtbd_desktop.base import legacy_encoding
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.base.paths import resource_path

#: Every field a column can hold, with its label (shown in the GUI's mapping combos and in
#: messages). Order: the order of the combos.
FIELD_LABELS: Final[dict[str, str]] = {
    "full_name": tr_noop("roster_import", "Họ và tên"),
    "family_middle": tr_noop("roster_import", "Họ và đệm"),
    "family": tr_noop("roster_import", "Họ"),
    "middle": tr_noop("roster_import", "Tên đệm"),
    "given": tr_noop("roster_import", "Tên"),
    "birth_date": tr_noop("roster_import", "Ngày sinh"),
    "birth_male": tr_noop("roster_import", "Ngày sinh của nam (cột Nam)"),
    "birth_female": tr_noop("roster_import", "Ngày sinh của nữ (cột Nữ)"),
    "gender": tr_noop("roster_import", "Giới tính"),
    "gender_male": tr_noop("roster_import", "Đánh dấu giới tính Nam"),
    "gender_female": tr_noop("roster_import", "Đánh dấu giới tính Nữ"),
    "ethnicity": tr_noop("roster_import", "Dân tộc"),
    "national_id": tr_noop("roster_import", "Số CCCD"),
    "position": tr_noop("roster_import", "Chức vụ"),
    "organisation": tr_noop("roster_import", "Đơn vị công tác"),
    "position_organisation": tr_noop("roster_import", "Chức vụ, đơn vị công tác"),
    "party_join_date": tr_noop("roster_import", "Ngày vào Đảng"),
    "education_level": tr_noop("roster_import", "Trình độ chuyên môn"),
    "theory_level": tr_noop("roster_import", "Trình độ LLCT"),
    "place_of_birth": tr_noop("roster_import", "Nơi sinh"),
    "hometown": tr_noop("roster_import", "Quê quán"),
    "phone": tr_noop("roster_import", "Điện thoại"),
}
FIELDS: Final = tuple(FIELD_LABELS)
#: Fields that make up the name; a table needs `full_name`, or `given` with one of the others.
NAME_FIELDS: Final = frozenset({"full_name", "family_middle", "family", "middle", "given"})
BIRTH_FIELDS: Final = frozenset({"birth_date", "birth_male", "birth_female"})

_PAREN_RE: Final = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_WORD_RE: Final = re.compile(r"[^0-9a-z]+")
_DATE_LINE_RE: Final = re.compile(r"\bngay\b.*\bthang\b.*\bnam\b")  # "Long An, ngày 05 tháng 3 năm 2025"


def field_label(name: str) -> str:
    """The field's label in the user's language."""
    return tr("roster_import", FIELD_LABELS[name])


def quick_fold(value: str) -> str:
    """`text.fold` for comparing headings, at C speed: letters outside a-z and đ are dropped."""
    value = value.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFD", value).encode("ascii", "ignore").decode("ascii").lower()


def normalize(heading: str) -> str:
    """A heading as compared: folded, punctuation as spaces, spaces collapsed ("ho ten")."""
    return _NON_WORD_RE.sub(" ", quick_fold(heading)).strip()


@dataclass(frozen=True)
class Synonyms:
    by_heading: dict[str, str]  # normalised heading -> field, or "" for an ignored column
    prefixes: tuple[tuple[str, str], ...]  # (normalised multi-word heading, field), longest first
    male: frozenset[str]
    female: frozenset[str]
    table_end: tuple[str, ...]


@lru_cache(maxsize=1)
def synonyms() -> Synonyms:
    """The synonyms from `resources/import/column_synonyms.json`, normalised."""
    with resource_path("import", "column_synonyms.json").open(encoding="utf-8") as fh:
        data = json.load(fh)
    by_heading: dict[str, str] = {}
    for field, headings in data["fields"].items():
        if field not in FIELD_LABELS:
            raise ValueError(f"column_synonyms.json: unknown field {field!r}")
        for heading in headings:
            by_heading.setdefault(normalize(heading), field)
    for heading in data.get("ignore", []):
        by_heading.setdefault(normalize(heading), "")
    prefixes = sorted(((h, f) for h, f in by_heading.items() if " " in h), key=lambda p: -len(p[0]))
    subs = data.get("sub_headings", {})
    return Synonyms(
        by_heading=by_heading,
        prefixes=tuple(prefixes),
        male=frozenset(normalize(h) for h in subs.get("male", ["nam"])),
        female=frozenset(normalize(h) for h in subs.get("female", ["nữ"])),
        table_end=tuple(normalize(h) for h in data.get("table_end", [])),
    )


def heading_variants(raw: str, font_name: str | None = None) -> list[str]:
    """The normalised readings of a heading cell: as typed, and converted from TCVN3 or VNI
    when it could be legacy text (the font decides when it names a legacy font)."""
    variants = [normalize(raw)]
    if raw.isascii():
        return variants
    converted, changed = legacy_encoding.convert_if_legacy(raw, font_name)
    if changed:
        variants.insert(0, normalize(converted))
    else:
        for encoding in ("tcvn3", "vni"):
            candidate = normalize(legacy_encoding.to_unicode(raw, encoding))
            if candidate not in variants:
                variants.append(candidate)
    return variants


def _lookup(heading: str, prefixes: bool) -> str | None:
    syn = synonyms()
    if not heading:
        return None
    if heading in syn.by_heading:
        return syn.by_heading[heading]
    if not prefixes:
        return None
    for prefix, field in syn.prefixes:
        if heading.startswith(prefix + " "):
            return field
    return None


@lru_cache(maxsize=4096)
def match_heading(raw: str, font_name: str | None = None, *, prefixes: bool = True) -> str | None:
    """The field a heading names, "" for a column to ignore (STT, Ghi chú), None if unknown.

    `prefixes` False: only exact synonyms (used for a top and a sub-heading read together)."""
    for variant in heading_variants(raw, font_name):
        found = _lookup(variant, prefixes)
        if found is None:
            found = _lookup(normalize(_PAREN_RE.sub(" ", variant)), prefixes)
        if found is not None:
            return found
    return None


@lru_cache(maxsize=1024)
def sub_gender(raw: str, font_name: str | None = None) -> str | None:
    """"M" when a sub-heading is "Nam", "F" when it is "Nữ", else None."""
    syn = synonyms()
    for variant in heading_variants(raw, font_name):
        if variant in syn.male:
            return "M"
        if variant in syn.female:
            return "F"
    return None


@lru_cache(maxsize=1)
def _end_starts() -> tuple[str, ...]:
    return tuple(end + " " for end in synonyms().table_end)


def is_table_end(raw: str) -> bool:
    """Whether a row starting with this text lies below the table (totals, notes, signatures)."""
    ends = synonyms().table_end
    plain = normalize(raw)
    if _DATE_LINE_RE.search(plain) and not plain.startswith("ngay"):
        return True
    legacy_looking = not raw.isascii() and all(ord(ch) <= 0xFF for ch in raw)
    values = heading_variants(raw) if legacy_looking else [plain]
    starts = _end_starts()
    return any(value in ends or value.startswith(starts) for value in values)
