"""Outgoing documents (văn bản đi): their kinds, how a number and sign is written, and reading a
number the office typed.

A number and sign (số và ký hiệu) joins the number in its book (from 01, two digits at least),
the kind's abbreviation and the issuing body's: "12-QĐ/TCT" in the Party's format (Hướng dẫn
36-HD/VPTW), "12/QĐ-TCT" in the State's (Nghị định 30/2020/NĐ-CP). Numbers run per year and kind.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.base.text import fold

#: Kinds of outgoing document: abbreviation -> name (Vietnamese, translated when shown).
KINDS: dict[str, str] = {
    "QĐ": tr_noop("documents", "Quyết định"),
    "CV": tr_noop("documents", "Công văn"),
    "BC": tr_noop("documents", "Báo cáo"),
    "TB": tr_noop("documents", "Thông báo"),
    "KH": tr_noop("documents", "Kế hoạch"),
    "TTr": tr_noop("documents", "Tờ trình"),
    "GM": tr_noop("documents", "Giấy mời"),
    "GGT": tr_noop("documents", "Giấy giới thiệu"),
    "BB": tr_noop("documents", "Biên bản"),
    "HD": tr_noop("documents", "Hướng dẫn"),
    "CTr": tr_noop("documents", "Chương trình"),
    "GXN": tr_noop("documents", "Giấy xác nhận"),
}

MAX_NUMBER = 99999
_TYPED = re.compile(r"^\s*(?:số\s*:?\s*)?0*(\d{1,6})\s*(.*)$", re.IGNORECASE)


def kind_label(kind: str) -> str:
    return tr("documents", KINDS[kind]) if kind in KINDS else kind


def normalise_kind(value: str) -> str | None:
    """The kind for what a person typed ("qd", "QĐ", "ttr"), or None when there is none such."""
    wanted = fold(value or "").replace(" ", "")
    for kind in KINDS:
        if fold(kind) == wanted:
            return kind
    return None


def format_symbol(number: int, kind: str, issuer: str, *, party: bool = True) -> str:
    """"12-QĐ/TCT" (Party) or "12/QĐ-TCT" (State); numbers below 10 get a leading zero."""
    return f"{number:02d}-{kind}/{issuer}" if party else f"{number:02d}/{kind}-{issuer}"


@dataclass(frozen=True)
class TypedNumber:
    """A number the office typed: the number in its book and the whole number and sign as typed
    ("45-QĐ/TCT"), or None when only the number was typed (the sign is then written for it)."""

    number: int
    symbol: str | None


class TypedNumberError(ValueError):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def parse_typed_number(value: str) -> TypedNumber:
    """"45", "045", "Số 45-QĐ/TCT", "45/QĐ-TCT" -> number 45 (and the sign as typed)."""
    text = " ".join(unicodedata.normalize("NFC", value or "").split())
    found = _TYPED.match(text)
    if not found:
        raise TypedNumberError(tr("documents", "Số văn bản '{value}' phải bắt đầu bằng số thứ tự, ví dụ 45 hoặc "
                                               "45-QĐ/TCT.").format(value=text))
    number = int(found.group(1))
    if not 1 <= number <= MAX_NUMBER:
        raise TypedNumberError(tr("documents", "Số văn bản phải từ 1 đến {max} (đang là {value}).").format(
            max=MAX_NUMBER, value=text))
    rest = found.group(2).strip()
    if not rest:
        return TypedNumber(number, None)
    if rest[0] not in "-/":
        raise TypedNumberError(tr("documents", "Số văn bản '{value}' không đúng dạng: viết số thứ tự rồi ký hiệu, "
                                               "ví dụ 45-QĐ/TCT.").format(value=text))
    symbol = re.sub(r"^\s*(?:số\s*:?\s*)", "", text, flags=re.IGNORECASE)
    if len(symbol) > 60:
        raise TypedNumberError(tr("documents", "Số và ký hiệu dài quá 60 ký tự."))
    return TypedNumber(number, symbol)


__all__ = [
    "KINDS", "MAX_NUMBER", "TypedNumber", "TypedNumberError", "format_symbol", "kind_label", "normalise_kind",
    "parse_typed_number",
]
