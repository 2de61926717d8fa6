"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC and VNI) found in Excel lists, to Unicode.

Before Unicode, Vietnamese was typed with fonts that draw Vietnamese letters in place of
Western ones. Excel keeps such text as the Windows-1252 characters of the bytes, so "Nguyễn
Văn An" typed in TCVN3 reads "NguyÔn V¨n An" and in VNI "Nguyeãn Vaên An"; only the special
font makes it look right.

* TCVN3 (TCVN 5712:1993 "VN3", the ABC fonts ".VnTime", ".VnArial"...): one byte per letter.
  It has all lower-case letters but only seven upper-case ones (Ă Â Ê Ô Ơ Ư Đ). Capitals with
  tones come from the separate all-capital fonts whose names end in "H" (".VnTimeH",
  ".VnArialH"): they draw the *same* codes as capitals, so "NguyÔn" in ".VnTimeH" shows
  "NGUYỄN". That variant is the encoding "tcvn3h" here: decoded as TCVN3, then upper-cased.
* VNI ("VNI-Times", "VNI-Helve"...): a base letter followed by one modifier byte carrying the
  hat, breve and tone ("aé" = ắ, "eã" = ễ), with single bytes for đ, ơ, ư, the toned i and ỵ.
  Upper case uses upper-case bytes ("AÉ" = Ắ).

The tables below are data; `to_unicode` applies them, `detect` decides whether a text is in a
legacy encoding at all, and `convert_if_legacy` does both.
"""

from __future__ import annotations

import re
import unicodedata
from types import MappingProxyType
from typing import Final

ENCODINGS: Final = ("tcvn3", "tcvn3h", "vni")

# --------------------------------------------------------------------------------------------
# TCVN3 (ABC): legacy character (the Windows-1252 reading of the byte) -> Unicode letter.
# Within a vowel the tones follow the byte order huyền, hỏi, ngã, sắc, nặng.

TCVN3_TO_UNICODE: Final = MappingProxyType({
    # a
    "\xb5": "à", "\xb6": "ả", "\xb7": "ã", "\xb8": "á", "\xb9": "ạ",
    # ă
    "\xa8": "ă", "\xbb": "ằ", "\xbc": "ẳ", "\xbd": "ẵ", "\xbe": "ắ", "\xc6": "ặ",
    # â
    "\xa9": "â", "\xc7": "ầ", "\xc8": "ẩ", "\xc9": "ẫ", "\xca": "ấ", "\xcb": "ậ",
    # đ
    "\xae": "đ",
    # e
    "\xcc": "è", "\xce": "ẻ", "\xcf": "ẽ", "\xd0": "é", "\xd1": "ẹ",
    # ê
    "\xaa": "ê", "\xd2": "ề", "\xd3": "ể", "\xd4": "ễ", "\xd5": "ế", "\xd6": "ệ",
    # i
    "\xd7": "ì", "\xd8": "ỉ", "\xdc": "ĩ", "\xdd": "í", "\xde": "ị",
    # o
    "\xdf": "ò", "\xe1": "ỏ", "\xe2": "õ", "\xe3": "ó", "\xe4": "ọ",
    # ô
    "\xab": "ô", "\xe5": "ồ", "\xe6": "ổ", "\xe7": "ỗ", "\xe8": "ố", "\xe9": "ộ",
    # ơ
    "\xac": "ơ", "\xea": "ờ", "\xeb": "ở", "\xec": "ỡ", "\xed": "ớ", "\xee": "ợ",
    # u
    "\xef": "ù", "\xf1": "ủ", "\xf2": "ũ", "\xf3": "ú", "\xf4": "ụ",
    # ư (0xAD is the soft hyphen in Windows-1252)
    "\xad": "ư", "\xf5": "ừ", "\xf6": "ử", "\xf7": "ữ", "\xf8": "ứ", "\xf9": "ự",
    # y
    "\xfa": "ỳ", "\xfb": "ỷ", "\xfc": "ỹ", "\xfd": "ý", "\xfe": "ỵ",
    # the seven capitals of the normal (not "H") fonts
    "\xa1": "Ă", "\xa2": "Â", "\xa3": "Ê", "\xa4": "Ô", "\xa5": "Ơ", "\xa6": "Ư", "\xa7": "Đ",
})
_TCVN3_TABLE: Final = str.maketrans(dict(TCVN3_TO_UNICODE))

# --------------------------------------------------------------------------------------------
# VNI (Windows): lower-case Unicode letter -> VNI characters. Upper case is the same sequence
# in upper case ("ắ" = "aé", "Ắ" = "AÉ"); `VNI_TO_UNICODE` below holds both.

UNICODE_TO_VNI_LOWER: Final = MappingProxyType({
    # a: tones
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï",
    # ă: breve, alone and with tones
    "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü", "ặ": "aë",
    # â: circumflex, alone and with tones
    "â": "aâ", "ấ": "aá", "ầ": "aà", "ẩ": "aå", "ẫ": "aã", "ậ": "aä",
    "đ": "ñ",
    "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï",
    "ê": "eâ", "ế": "eá", "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä",
    # i: single bytes
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò",
    "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ", "ọ": "oï",
    "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä",
    # ơ: a single byte, then the tone
    "ơ": "ô", "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï",
    "ú": "uù", "ù": "uø", "ủ": "uû", "ũ": "uõ", "ụ": "uï",
    # ư: a single byte, then the tone
    "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
    # y: tones, but ỵ is a single byte
    "ý": "yù", "ỳ": "yø", "ỷ": "yû", "ỹ": "yõ", "ỵ": "î",
})


def _vni_decode_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for letter, legacy in UNICODE_TO_VNI_LOWER.items():
        table[legacy] = letter
        table[legacy.upper()] = letter.upper()
        if len(legacy) == 2:
            # The modifier's case is not trusted: the base letter decides.
            base, modifier = legacy[0], legacy[1]
            table[base + modifier.upper()] = letter
            table[base.upper() + modifier] = letter.upper()
    table["yï"], table["YÏ"], table["Yï"], table["yÏ"] = "ỵ", "Ỵ", "Ỵ", "ỵ"  # y + dot below
    return table


VNI_TO_UNICODE: Final = MappingProxyType(_vni_decode_table())
_VNI_PAIRS: Final = {k: v for k, v in VNI_TO_UNICODE.items() if len(k) == 2}
_VNI_SINGLES: Final = {k: v for k, v in VNI_TO_UNICODE.items() if len(k) == 1}


def _decode_vni(text: str) -> str:
    out: list[str] = []
    i, end = 0, len(text)
    while i < end:
        pair = text[i:i + 2]
        if pair in _VNI_PAIRS:
            out.append(_VNI_PAIRS[pair])
            i += 2
        else:
            out.append(_VNI_SINGLES.get(text[i], text[i]))
            i += 1
    return "".join(out)


def to_unicode(text: str, encoding: str) -> str:
    """`text` typed in a legacy encoding ("tcvn3", "tcvn3h" or "vni"), as Unicode NFC.

    Characters outside the encoding's table (ASCII, punctuation, Windows-1252 symbols such as
    “ ” – …) are kept. "tcvn3h" (the all-capital ".VnTimeH" fonts) upper-cases the result.
    """
    name = encoding.strip().lower()
    if name == "tcvn3":
        result = text.translate(_TCVN3_TABLE)
    elif name == "tcvn3h":
        result = text.translate(_TCVN3_TABLE).upper()
    elif name == "vni":
        result = _decode_vni(text)
    else:
        raise ValueError(f"Bảng mã '{encoding}' không được hỗ trợ (chỉ có: {', '.join(ENCODINGS)})")
    return unicodedata.normalize("NFC", result)


# --------------------------------------------------------------------------------------------
# Detection

_FONT_TCVN3_RE: Final = re.compile(r"\.vn", re.IGNORECASE)
_FONT_VNI_RE: Final = re.compile(r"vni[- _]", re.IGNORECASE)

#: Characters that exist only in Unicode Vietnamese: the letters beyond Latin-1, and the
#: combining marks of decomposed (NFD) text. Legacy text never contains them.
_UNICODE_ONLY: Final = frozenset(
    {ch for letter in UNICODE_TO_VNI_LOWER for ch in (letter, letter.upper()) if ord(ch) > 0xFF}
    | set("\u0300\u0301\u0302\u0303\u0306\u0309\u031b\u0323")
)

_ONSET: Final = r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
_CODA: Final = r"(?:ch|ng|nh|[cmnptk])"


def _alternatives(words: str) -> str:
    return "(?:" + "|".join(sorted(words.split(), key=len, reverse=True)) + ")"


# Vowel groups (without tone) of Vietnamese syllables: those that may end a syllable or take a
# final consonant, those that need one, and those that never take one.
# A bare "y" takes a final consonant only after "qu" ("quýt", "quỳnh"); elsewhere "i" does.
# The loan-word "oo" (xoong, boong) is left out: it makes TCVN3 misread VNI ("Loäc" as "Loọc").
_NUCLEUS_ANY: Final = _alternatives("a e ê i o ô ơ u ư oa oe uê uy")
_NUCLEUS_CLOSED: Final = _alternatives("ă â oă uâ iê yê uô ươ uyê")
_NUCLEUS_OPEN: Final = _alternatives(
    "y ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu uơ "
    "iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu")
# Spelling rules: k, gh, ngh only before i e ê (k also before y); c, g, ng never before them
# (g before i is the onset "gi"); "qu" never before o, u, ư.
_SPELLING: Final = r"(?!k[^ieêyh])(?!n?gh[^ieê])(?!(?:c|ng)[ieêy])(?!g[eêy])(?!qu[ouư])"
_SYLLABLE_RE: Final = re.compile(
    f"{_SPELLING}(?:{_ONSET}(?:{_NUCLEUS_ANY}{_CODA}?|{_NUCLEUS_CLOSED}{_CODA}|{_NUCLEUS_OPEN})"
    f"|quy{_CODA})")
_VOWELS: Final = frozenset("aăâeêioôơuưy")
_TONES: Final = frozenset("\u0300\u0301\u0303\u0309\u0323")
_FALLING_TONES: Final = frozenset("\u0300\u0303\u0309")  # huyền, ngã, hỏi
_STOP_ENDINGS: Final = ("c", "ch", "p", "t", "k")
_ABBREVIATION_RE: Final = re.compile(r"[A-ZĐ]{2,}")  # HĐND, ĐT, GD&ĐT's "ĐT"


def is_vietnamese_syllable(word: str) -> bool:
    """Whether `word` has the shape of one Vietnamese syllable ("nguyễn", "Thuở", "khuỷu").

    Checks the onset and its spelling rules (k/gh/ngh before i e ê, never "ci", "ge", "quo"),
    the vowel group, the final consonant, at most one tone, that the tone is not on a final
    glide after another vowel ("hải", never "haỉ"; "thuý" is the one exception), and that a
    syllable ending in c, ch, p, t (or k, in minority place names such as "Đắk Lắk") carries no
    falling tone. Shape only: "ngoẵm" passes without being a word.
    """
    letters = unicodedata.normalize("NFC", word.lower())
    tones: list[tuple[int, str]] = []
    bases: list[str] = []
    for index, ch in enumerate(letters):
        decomposed = unicodedata.normalize("NFD", ch)
        tones += [(index, mark) for mark in decomposed if mark in _TONES]
        bases.append(unicodedata.normalize("NFC", "".join(m for m in decomposed if m not in _TONES)))
    base = "".join(bases)
    if len(tones) > 1 or len(base) != len(letters) or not _SYLLABLE_RE.fullmatch(base):
        return False
    if not tones:
        return True
    index, tone = tones[0]
    on_final_glide = (index == len(base) - 1 and index > 0 and base[-1] in "iouy"
                      and base[-2] in _VOWELS and base[-2:] != "uy")
    stop_with_falling_tone = tone in _FALLING_TONES and base.endswith(_STOP_ENDINGS)
    return not (on_final_glide or stop_with_falling_tone)


def _reads_as_unicode(token: str) -> bool:
    """A Vietnamese syllable in ordinary casing (lower, Capitalised or CAPITALS): a TCVN3 word
    such as "TuÊn" has a capital inside it."""
    ordinary = token in (token.lower(), token.upper(), token.capitalize())
    return ordinary and is_vietnamese_syllable(token)


def encoding_for_font(font_name: str | None) -> str | None:
    """The legacy encoding a font name implies: ".Vn..." fonts are TCVN3 ("tcvn3h" for the
    all-capital ones, whose name ends in "H": ".VnTimeH"), "VNI-..." fonts are VNI; None for any
    other font."""
    if not font_name:
        return None
    name = font_name.strip()
    if _FONT_TCVN3_RE.match(name):
        return "tcvn3h" if name.endswith("H") else "tcvn3"
    if _FONT_VNI_RE.match(name):
        return "vni"
    return None


def _has_unicode_vietnamese(text: str) -> bool:
    return any(ch in _UNICODE_ONLY for ch in text)


def _tokens(text: str) -> list[str]:
    """Runs of letters; TCVN3's non-letter characters ("¨", "·", soft hyphen...) count as
    letters so that "V¨n" stays one word."""
    tokens: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch.isalpha() or ch in TCVN3_TO_UNICODE:
            current.append(ch)
        elif current:
            tokens.append("".join(current))
            current = []
    if current:
        tokens.append("".join(current))
    return tokens


def _plausible(tokens: list[str], encoding: str) -> bool:
    """After conversion every non-ASCII word is a Vietnamese syllable (or an upper-case
    abbreviation such as "HĐND"), whether the conversion changed it or not, and at least one
    changed word became a syllable of two letters or more that keeps an ASCII letter, so that
    lone symbols ("£", "©", "½") are no evidence."""
    evidence = False
    for token in tokens:
        converted = to_unicode(token, encoding)
        if converted.isascii():
            continue
        if is_vietnamese_syllable(converted):
            if converted != token and len(converted) >= 2 and any(ch.isascii() for ch in token):
                evidence = True
        elif not _ABBREVIATION_RE.fullmatch(converted):
            return False
    return evidence


def _all_capitals(converted: str) -> bool:
    """Upper-case ASCII letters around lower-case Vietnamese ones ("NGUYễN"): typed for an "H"
    font."""
    letters = [ch for ch in converted if ch.isalpha()]
    ascii_letters = [ch for ch in letters if ch.isascii()]
    return (len(ascii_letters) >= 2 and all(ch.isupper() for ch in ascii_letters)
            and any(ch.islower() for ch in letters if not ch.isascii()))


def detect(text: str, font_name: str | None = None) -> str | None:
    """"tcvn3", "tcvn3h", "vni", or None when `text` is not (recognisably) legacy text.

    With a font name (the cell's font, from openpyxl) the font decides: ".Vn..." is TCVN3
    (".Vn...H" the all-capital "tcvn3h"), "VNI-..." is VNI. Even then text holding characters
    that exist only in Unicode Vietnamese (ư, ạ, ễ..., or combining marks) is taken as Unicode
    and gives None: it was retyped in Unicode and the old font left on the cell.

    Without a (legacy) font name the guess is conservative. It gives an encoding only when

    1. the text has no Unicode-only Vietnamese characters;
    2. some word with a non-ASCII character is *not* a Vietnamese syllable in ordinary casing
       as it stands (so "Lê Chí Tú", plain Unicode Vietnamese made only of Latin-1 letters,
       stays None, while TCVN3 "TuÊn" does not read as Unicode);
    3. for exactly one encoding, every non-ASCII word of the converted text is a Vietnamese
       syllable or an upper-case abbreviation, with at least one syllable that the conversion
       produced.

    TCVN3 text whose ASCII letters are all capitals while the converted Vietnamese letters are
    lower case ("NGUYÔN" -> "NGUYễN") gives "tcvn3h".

    Ambiguities, resolved towards None:

    * Both encodings and Unicode use Latin-1 letters: "Chí" is Unicode "Chí" or TCVN3 "Chớ";
      "Tô" is Unicode "Tô" or VNI "Tơ". A text that reads as valid Vietnamese is Unicode.
    * A short Western word can convert to a syllable: "Bö" is TCVN3 "Bử" and VNI "Bư" (both
      fit, so None). Western words that already have a Vietnamese shape ("thé", "Sí") stop the
      guess by rule 2; the rest (café, Müller, Peña, Gómez, Straße...) convert to no syllable.
    * TCVN3 typed in lower case for an "H" font cannot be told from the normal font without
      the font name: it converts to lower case.
    * A text that satisfies both encodings gives None. So does a legacy text with one word
      that converts to no syllable (a typing slip, a foreign name): pass the font name, or a
      whole column joined by newlines, for a better answer.
    """
    from_font = encoding_for_font(font_name)
    if from_font is not None:
        return None if _has_unicode_vietnamese(text) else from_font
    if _has_unicode_vietnamese(text):
        return None
    tokens = _tokens(text)
    non_ascii = [token for token in tokens if not token.isascii()]
    if not non_ascii or all(_reads_as_unicode(token) for token in non_ascii):
        return None
    candidates = [encoding for encoding in ("tcvn3", "vni") if _plausible(tokens, encoding)]
    if len(candidates) != 1:
        return None
    if candidates[0] == "tcvn3" and _all_capitals(to_unicode(text, "tcvn3")):
        return "tcvn3h"
    return candidates[0]


def convert_if_legacy(text: str, font_name: str | None = None) -> tuple[str, bool]:
    """(text as Unicode NFC, True) when `detect` finds a legacy encoding and converting changes
    the text; otherwise (text unchanged, False)."""
    encoding = detect(text, font_name)
    if encoding is None:
        return text, False
    converted = to_unicode(text, encoding)
    return converted, converted != text
