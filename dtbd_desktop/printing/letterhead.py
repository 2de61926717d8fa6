"""What heads and ends every official paper, in the Party's format or the State's: the one
description that the PDF helpers (`printing.pdf`, `printing.official`) and the XLSX helper
(`workbooks.xlsx.write_letterhead`) draw.

Two formats (the setting `party_heading` chooses):

* **Party** (Hướng dẫn 36-HD/VPTW, for Party bodies such as a Trường Chính trị tỉnh or a Trung
  tâm Chính trị): left, the superior body (caps, 14 pt) and the issuing body (caps, bold, 14 pt)
  with a star "*" under it, then "Số 12-QĐ/TCT"; right, "ĐẢNG CỘNG SẢN VIỆT NAM" (caps, bold,
  15 pt) with a rule as long as it, then the place and date in italics. The signer's authority
  is written "T/M", "K/T"; "Nơi nhận:" is underlined and its lines end with "," up to "- Lưu VP.".
* **State** (Nghị định 30/2020/NĐ-CP): left, the superior body (caps, 13 pt) and the issuing
  body (caps, bold) with a short rule under it, then "Số: 12/QĐ-TCT"; right, the national name
  and motto with a rule under the motto, then the place and date; "TM.", "KT."; "Nơi nhận:" in
  bold italics, its lines ending with ";" up to "- Lưu: VT.".

Everything here is plain data (no drawing): which lines, in which size and weight, with which
rules, and the words of the signature and of "Nơi nhận".
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from dtbd_desktop.rules.documents import format_symbol

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_MOTTO = "Độc lập - Tự do - Hạnh phúc"
PARTY_HEADING = "ĐẢNG CỘNG SẢN VIỆT NAM"
STAR = "*"

#: Place words that end a body's name and repeat the superior body's place ("TỈNH LONG AN").
_PLACE_UNITS = ("THÀNH PHỐ", "THỊ XÃ", "TỈNH", "HUYỆN", "QUẬN", "THỊ TRẤN", "XÃ", "PHƯỜNG")


@dataclass(frozen=True)
class Letterhead:
    """Who issues a document (left of the letterhead) and who signs it, from the settings."""

    superior_body: str  # cơ quan chủ quản, e.g. "TỈNH ỦY LONG AN"; may be empty
    centre_name: str  # e.g. "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" (its full name, in running text too)
    place_name: str  # e.g. "Long An", for "Long An, ngày 05 tháng 3 năm 2025"
    director_title: str  # e.g. "HIỆU TRƯỞNG", "GIÁM ĐỐC"
    director_name: str
    party_heading: bool  # the Party's format ("ĐẢNG CỘNG SẢN VIỆT NAM"), else the State's
    short_name: str = ""  # the issuing body as the letterhead names it; "" = worked out (`issuer_name`)
    symbol: str = ""  # the body's abbreviation in document numbers ("TCT"); "" = its initials
    collective: str = ""  # "BAN GIÁM HIỆU": the head signs on behalf of it (T/M); "" = in their own name
    deputy_title: str = ""  # "PHÓ HIỆU TRƯỞNG": signs K/T (or T/M the collective) when chosen
    deputy_name: str = ""
    archive: str = ""  # the last line of "Nơi nhận" without its dash ("Lưu VP."); "" = the format's own

    @property
    def party(self) -> bool:
        return self.party_heading


# ---------------------------------------------------------------------------------- names and numbers


def _plain_upper(word: str) -> str:
    """A word's first letter without its marks (Đ kept): the letters of an abbreviation."""
    first = unicodedata.normalize("NFC", word)[:1].upper()
    if first == "Đ":
        return first
    return unicodedata.normalize("NFD", first)[:1]


def issuer_name(head: Letterhead) -> str:
    """The issuing body as the letterhead prints it, in capitals.

    The setting `letterhead_name` when given; else the centre's name without the place it shares
    with the superior body printed above it: under "TỈNH ỦY LONG AN", "TRƯỜNG CHÍNH TRỊ TỈNH LONG
    AN" is printed "TRƯỜNG CHÍNH TRỊ"; "TRƯỜNG CHÍNH TRỊ HOÀNG VĂN THỤ" is kept whole.
    """
    if head.short_name.strip():
        return unicodedata.normalize("NFC", head.short_name.strip()).upper()
    name = " ".join(unicodedata.normalize("NFC", head.centre_name).upper().split())
    superior = " ".join(unicodedata.normalize("NFC", head.superior_body).upper().split())
    if not superior:
        return name
    for unit in _PLACE_UNITS:
        marker = f" {unit} "
        at = name.rfind(marker)
        if at <= 0:
            continue
        place = name[at + len(marker):]
        if place and superior.endswith(" " + place):
            return name[:at]
    return name


def issuer_symbol(head: Letterhead) -> str:
    """The body's abbreviation in document numbers: the setting, else the initials of the
    letterhead's name ("TRƯỜNG CHÍNH TRỊ" -> "TCT", "TRUNG TÂM CHÍNH TRỊ" -> "TTCT")."""
    if head.symbol.strip():
        return "".join(unicodedata.normalize("NFC", head.symbol).split())
    return "".join(_plain_upper(word) for word in issuer_name(head).split())


def number_line(head: Letterhead, kind: str, number: int | None, symbol: str | None = None) -> str:
    """"Số 12-QĐ/TCT" (Party) or "Số: 12/QĐ-TCT" (State); `symbol` is a number and sign as it was
    typed or frozen ("12-QĐ/TCT"); without a number (a draft to be numbered by hand) the number is
    left blank: "Số      -QĐ/TCT"."""
    if symbol:
        return f"Số {symbol}" if head.party else f"Số: {symbol}"
    if number is None:
        blank = "\u00a0" * 8
        return f"Số {blank}-{kind}/{issuer_symbol(head)}" if head.party else \
            f"Số: {blank}/{kind}-{issuer_symbol(head)}"
    return ("Số " if head.party else "Số: ") + format_symbol(number, kind, issuer_symbol(head), party=head.party)


_PLACE_WORDS = ("tỉnh", "huyện", "quận", "thị xã", "thành phố")


def running_name(name: str) -> str:
    """A body's name typed in capitals (as letterheads want it) in sentence case for running
    text: "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" -> "Trường Chính trị tỉnh Long An". A name not all in
    capitals is kept as typed."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    if not name or name != name.upper():
        return name
    lowered = name.lower()
    words = lowered.split(" ")
    out = [words[0].capitalize()]
    rest = " ".join(words[1:])
    head = "tâm " if lowered.startswith("trung tâm ") else ""
    if head and rest.startswith(head):
        out.append("tâm")
        rest = rest[len(head):]
    if rest.startswith("chính trị"):
        out.append("Chính trị")
        rest = rest[len("chính trị"):].strip()
    for place in _PLACE_WORDS:
        if rest.startswith(place + " "):
            out.append(place)
            rest = rest[len(place):].strip()
            break
    if rest:
        out.append(" ".join(w.capitalize() for w in rest.split(" ")))
    return " ".join(out)


# ---------------------------------------------------------------------------------- the heading


@dataclass(frozen=True)
class HeadLine:
    """One line of the letterhead: its text, size and weight, and an optional rule under it,
    `rule` times the width of its text (0: none)."""

    text: str
    size: float
    bold: bool = False
    italic: bool = False
    rule: float = 0.0
    balance: bool = False  # a long name broken into balanced lines rather than squeezed


@dataclass(frozen=True)
class HeadingRows:
    """The letterhead as rows of (left, right) lines, so that the number on the left and the
    place and date on the right stand on one level."""

    rows: list[tuple[HeadLine | None, HeadLine | None]] = field(default_factory=list)

    @property
    def left(self) -> list[HeadLine]:
        return [left for left, _right in self.rows if left is not None]

    @property
    def right(self) -> list[HeadLine]:
        return [right for _left, right in self.rows if right is not None]


PARTY_SIZES = {"heading": 15.0, "superior": 14.0, "issuer": 14.0, "number": 14.0, "date": 14.0, "subject": 12.0}
STATE_SIZES = {"heading": 13.0, "motto": 14.0, "superior": 13.0, "issuer": 13.0, "number": 13.0, "date": 14.0,
               "subject": 12.0}


def heading_rows(head: Letterhead, *, number: str | None = None, date_line: str | None = None,
                 subject: str | None = None) -> HeadingRows:
    """The letterhead's lines, row by row: `number` is the whole "Số ..." line, `date_line` the
    place and date, `subject` the "V/v ..." line of a letter (công văn), under the number."""
    superior = unicodedata.normalize("NFC", head.superior_body).strip().upper()
    issuer = issuer_name(head)
    rows: list[tuple[HeadLine | None, HeadLine | None]] = []
    if head.party:
        s = PARTY_SIZES
        names = ([HeadLine(superior, s["superior"], balance=True)] if superior else []) + \
            [HeadLine(issuer, s["issuer"], bold=True, balance=True)]
        rows.append((names[0], HeadLine(PARTY_HEADING, s["heading"], bold=True, rule=1.0)))
        rows += [(line, None) for line in names[1:]]
        rows.append((HeadLine(STAR, s["issuer"]), None))
    else:
        s = STATE_SIZES
        issuer_line = HeadLine(issuer, s["issuer"], bold=True, rule=0.4, balance=True)
        if superior:
            rows.append((HeadLine(superior, s["superior"], balance=True), HeadLine(NATIONAL_NAME, s["heading"], bold=True)))
            rows.append((issuer_line, HeadLine(NATIONAL_MOTTO, s["motto"], bold=True, rule=1.0)))
        else:
            rows.append((issuer_line, HeadLine(NATIONAL_NAME, s["heading"], bold=True)))
            rows.append((None, HeadLine(NATIONAL_MOTTO, s["motto"], bold=True, rule=1.0)))
    date = HeadLine(date_line, s["date"], italic=True) if date_line else None
    if number:
        rows.append((HeadLine(number, s["number"]), date))
    elif date is not None:  # level with the star (Party) or under the motto (State)
        last_left, _none = rows[-1]
        if head.party:
            rows[-1] = (last_left, date)
        else:
            rows.append((None, date))
    if subject:
        rows.append((HeadLine(subject, s["subject"], italic=head.party, balance=True), None))
    return HeadingRows(rows)


# ---------------------------------------------------------------------------------- signature, recipients


def signer_lines(head: Letterhead, *, deputy: bool = False) -> tuple[list[str], str]:
    """The signer's authority and title lines and the name printed under the signature.

    The head: "HIỆU TRƯỞNG", or "T/M BAN GIÁM HIỆU" / "HIỆU TRƯỞNG" when the centre signs on
    behalf of its leadership. A deputy: "K/T HIỆU TRƯỞNG" / "PHÓ HIỆU TRƯỞNG", or "T/M BAN GIÁM
    HIỆU" / "PHÓ HIỆU TRƯỞNG". The State format writes "TM." and "KT.".
    """
    on_behalf = "T/M" if head.party else "TM."
    for_head = "K/T" if head.party else "KT."
    title = head.director_title.strip().upper()
    collective = head.collective.strip().upper()
    lines: list[str] = []
    if deputy and head.deputy_title.strip():
        if collective:
            lines.append(f"{on_behalf} {collective}")
        elif title:
            lines.append(f"{for_head} {title}")
        lines.append(head.deputy_title.strip().upper())
        return lines, head.deputy_name.strip()
    if collective:
        lines.append(f"{on_behalf} {collective}")
    if title:
        lines.append(title)
    return lines, head.director_name.strip()


def recipients_heading() -> str:
    return "Nơi nhận:"


def recipient_lines(head: Letterhead, items: Sequence[str]) -> list[str]:
    """The lines of "Nơi nhận", each with its dash, and the archive line last: "- Như Điều 3,"
    ... "- Lưu VP." (Party) or "- Như Điều 3;" ... "- Lưu: VT." (State)."""
    separator = "," if head.party else ";"
    archive = head.archive.strip() or ("Lưu VP." if head.party else "Lưu: VT.")
    if not archive.endswith("."):
        archive += "."
    out = []
    for item in items:
        value = " ".join(unicodedata.normalize("NFC", item).split()).lstrip("-").strip().rstrip(",;.")
        if value:
            out.append(f"- {value}{separator}")
    out.append(f"- {archive}")
    return out


__all__ = [
    "NATIONAL_MOTTO", "NATIONAL_NAME", "PARTY_HEADING", "PARTY_SIZES", "STAR", "STATE_SIZES", "HeadLine",
    "HeadingRows", "Letterhead", "heading_rows", "issuer_name", "issuer_symbol", "number_line",
    "recipient_lines", "recipients_heading", "running_name", "signer_lines",
]
