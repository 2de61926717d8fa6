"""Tests of dtbd_desktop.base.legacy_encoding.

The legacy strings are built by an encoder written here independently of the module's tables
(byte codes per vowel for TCVN3, base letter + modifier byte for VNI), and checked against
hand-written names.
"""

from __future__ import annotations

import unicodedata

import pytest

from dtbd_desktop.base import legacy_encoding as le

GRAVE, HOOK, TILDE, ACUTE, DOT = "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"
TONES = (GRAVE, HOOK, TILDE, ACUTE, DOT)
VOWELS = ("a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y")


def compose(base: str, tone: str) -> str:
    return unicodedata.normalize("NFC", base + tone)


def all_lower_letters() -> list[str]:
    """The 67 lower-case precomposed Vietnamese letters (the plain a e i o u y excluded)."""
    letters = ["ă", "â", "ê", "ô", "ơ", "ư", "đ"]
    letters += [compose(vowel, tone) for vowel in VOWELS for tone in TONES]
    return letters


LOWER = all_lower_letters()
UPPER = [letter.upper() for letter in LOWER]

# TCVN3 byte per vowel, in the order: no tone, huyền, hỏi, ngã, sắc, nặng (None: plain ASCII).
TCVN3_BYTES = {
    "a": (None, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9),
    "ă": (0xA8, 0xBB, 0xBC, 0xBD, 0xBE, 0xC6),
    "â": (0xA9, 0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (None, 0xCC, 0xCE, 0xCF, 0xD0, 0xD1),
    "ê": (0xAA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6),
    "i": (None, 0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (None, 0xDF, 0xE1, 0xE2, 0xE3, 0xE4),
    "ô": (0xAB, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9),
    "ơ": (0xAC, 0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (None, 0xEF, 0xF1, 0xF2, 0xF3, 0xF4),
    "ư": (0xAD, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9),
    "y": (None, 0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
TCVN3_CAPITALS = {"Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}


def tcvn3_encoder() -> dict[str, str]:
    table = {"đ": chr(0xAE)}
    for vowel, codes in TCVN3_BYTES.items():
        for tone, code in zip(("",) + TONES, codes, strict=True):
            if code is not None:
                table[compose(vowel, tone)] = chr(code)
    table.update({capital: chr(code) for capital, code in TCVN3_CAPITALS.items()})
    return table


TCVN3_ENCODE = tcvn3_encoder()


def to_tcvn3(value: str) -> str:
    return "".join(TCVN3_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", value))


def to_tcvn3h(value: str) -> str:
    """For the ".VnTimeH" fonts: every letter typed with the lower-case code."""
    return "".join(TCVN3_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", value.lower()))


# VNI: base letter + modifier byte; hats and tones combine into one modifier.
VNI_TONE = {GRAVE: "ø", HOOK: "û", TILDE: "õ", ACUTE: "ù", DOT: "ï"}
VNI_CIRCUMFLEX = {"": "â", GRAVE: "à", HOOK: "å", TILDE: "ã", ACUTE: "á", DOT: "ä"}
VNI_BREVE = {"": "ê", GRAVE: "è", HOOK: "ú", TILDE: "ü", ACUTE: "é", DOT: "ë"}
VNI_I = {GRAVE: "ì", HOOK: "æ", TILDE: "ó", ACUTE: "í", DOT: "ò"}


def vni_encode_letter(letter: str) -> str:
    lower = letter.lower()
    if lower == "đ":
        encoded = "ñ"
    else:
        decomposed = unicodedata.normalize("NFD", lower)
        base = decomposed[0]
        marks = decomposed[1:]
        tone = next((m for m in marks if m in TONES), "")
        hat = next((m for m in marks if m not in TONES), "")
        if hat == "\u0306":  # breve: ă
            encoded = base + VNI_BREVE[tone]
        elif hat == "\u0302":  # circumflex: â ê ô
            encoded = base + VNI_CIRCUMFLEX[tone]
        elif hat == "\u031b":  # horn: ơ = ô, ư = ö, then the tone
            encoded = {"o": "ô", "u": "ö"}[base] + VNI_TONE.get(tone, "")
        elif base == "i":
            encoded = VNI_I.get(tone, "i")
        elif base == "y" and tone == DOT:
            encoded = "î"
        else:
            encoded = base + VNI_TONE.get(tone, "")
    return encoded.upper() if letter.isupper() else encoded


def to_vni(value: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", value):
        out.append(vni_encode_letter(ch) if not ch.isascii() else ch)
    return "".join(out)


# ---------------------------------------------------------------------------------------------
# the letter set


def test_there_are_134_letters() -> None:
    assert len(LOWER) == 67
    assert len(set(LOWER) | set(UPPER)) == 134


def test_module_tables_have_the_expected_size() -> None:
    assert len(le.TCVN3_TO_UNICODE) == 67 + 7
    assert len(le.UNICODE_TO_VNI_LOWER) == 67
    assert set(le.UNICODE_TO_VNI_LOWER) == set(LOWER)
    assert set(le.TCVN3_TO_UNICODE.values()) == set(LOWER) | set(TCVN3_CAPITALS)


# ---------------------------------------------------------------------------------------------
# TCVN3


@pytest.mark.parametrize("letter", LOWER)
def test_tcvn3_round_trip_lower_case(letter: str) -> None:
    encoded = to_tcvn3(letter)
    assert len(encoded) == 1 and ord(encoded) <= 0xFF
    assert le.to_unicode(encoded, "tcvn3") == letter


@pytest.mark.parametrize("letter", UPPER)
def test_tcvn3h_round_trip_upper_case(letter: str) -> None:
    """Capitals with tones exist only in the "H" fonts, on the lower-case codes."""
    assert le.to_unicode(to_tcvn3h(letter), "tcvn3h") == letter


@pytest.mark.parametrize("capital", sorted(TCVN3_CAPITALS))
def test_tcvn3_seven_capitals_of_the_normal_font(capital: str) -> None:
    assert le.to_unicode(chr(TCVN3_CAPITALS[capital]), "tcvn3") == capital


def test_tcvn3_whole_alphabet_at_once() -> None:
    lower = "".join(LOWER)
    assert le.to_unicode(to_tcvn3(lower), "tcvn3") == lower
    upper = "".join(UPPER)
    assert le.to_unicode(to_tcvn3h(upper), "tcvn3h") == upper


def test_tcvn3_known_strings() -> None:
    assert le.to_unicode("NguyÔn V¨n An", "tcvn3") == "Nguyễn Văn An"
    assert le.to_unicode("Tr\xadêng ChÝnh trÞ tØnh Long An", "tcvn3") == "Trường Chính trị tỉnh Long An"
    assert le.to_unicode("Phßng GD&§T", "tcvn3") == "Phòng GD&ĐT"
    assert le.to_unicode("nguyÔn v¨n an", "tcvn3h") == "NGUYỄN VĂN AN"


def test_tcvn3_keeps_ascii_digits_and_windows_symbols() -> None:
    assert le.to_unicode("“Líp A48” – 2025…", "tcvn3") == "“Lớp A48” – 2025…"


# ---------------------------------------------------------------------------------------------
# VNI


@pytest.mark.parametrize("letter", LOWER + UPPER)
def test_vni_round_trip(letter: str) -> None:
    encoded = vni_encode_letter(letter)
    assert all(ord(ch) <= 0xFF for ch in encoded)
    assert le.to_unicode(encoded, "vni") == letter


def test_vni_whole_alphabet_at_once() -> None:
    both = "".join(LOWER) + "".join(UPPER)
    assert le.to_unicode(to_vni(both), "vni") == both


def test_vni_known_strings() -> None:
    assert le.to_unicode("Nguyeãn Vaên An", "vni") == "Nguyễn Văn An"
    assert le.to_unicode("NGUYEÃN VAÊN AN", "vni") == "NGUYỄN VĂN AN"
    assert le.to_unicode("Tröôøng Chính trò Long An", "vni") == "Trường Chính trị Long An"
    assert le.to_unicode("ÑAÏI HOÏC", "vni") == "ĐẠI HỌC"


def test_vni_base_letter_decides_the_case() -> None:
    assert le.to_unicode("Aù", "vni") == "Á"
    assert le.to_unicode("aÙ", "vni") == "á"
    assert le.to_unicode("Myï", "vni") == "Mỵ"  # y + dot below, besides the single byte î


def test_output_is_nfc() -> None:
    for encoding, legacy in (("tcvn3", "NguyÔn"), ("vni", "Nguyeãn")):
        result = le.to_unicode(legacy, encoding)
        assert result == unicodedata.normalize("NFC", result)


def test_unknown_encoding() -> None:
    with pytest.raises(ValueError, match="Bảng mã 'viqr' không được hỗ trợ"):
        le.to_unicode("x", "viqr")


def test_encoding_names_are_case_insensitive() -> None:
    assert le.to_unicode("V¨n", "TCVN3") == "Văn"
    assert le.to_unicode("Vaên", " VNI ") == "Văn"


# ---------------------------------------------------------------------------------------------
# names, hand-written in both encodings

NAMES = [
    # (Unicode, TCVN3, VNI)
    ("Nguyễn Văn An", "NguyÔn V¨n An", "Nguyeãn Vaên An"),
    ("Trần Thị Hương", "TrÇn ThÞ H\xad¬ng", "Traàn Thò Höông"),
    ("Lê Văn Đức", "Lª V¨n §øc", "Leâ Vaên Ñöùc"),
    ("Phạm Thị Thu Thủy", "Ph¹m ThÞ Thu Thñy", "Phaïm Thò Thu Thuûy"),
    ("Đặng Quốc Bảo", "§Æng Quèc B¶o", "Ñaëng Quoác Baûo"),
    ("Huỳnh Ngọc Yến", "Huúnh Ngäc YÕn", "Huyønh Ngoïc Yeán"),
    ("Võ Thị Sáu", "Vâ ThÞ S¸u", "Voõ Thò Saùu"),
    ("Nguyễn Thị Ngọc Hân", "NguyÔn ThÞ Ngäc H©n", "Nguyeãn Thò Ngoïc Haân"),
    ("Dương Văn Mười", "D\xad¬ng V¨n M\xadêi", "Döông Vaên Möôøi"),
    ("Tôn Nữ Thị Hà", "T«n N÷ ThÞ Hµ", "Toân Nöõ Thò Haø"),
    ("Hồ Thị Thủy", "Hå ThÞ Thñy", "Hoà Thò Thuûy"),
    ("Khuất Duy Tiến", "KhuÊt Duy TiÕn", "Khuaát Duy Tieán"),
    ("Lưu Thị Kiều Oanh", "L\xadu ThÞ KiÒu Oanh", "Löu Thò Kieàu Oanh"),
    ("Vũ Đình Quý", "Vò §×nh Quý", "Vuõ Ñình Quyù"),
    ("Đỗ Thị Lệ Quyên", "§ç ThÞ LÖ Quyªn", "Ñoã Thò Leä Quyeân"),
    ("Châu Thành, Long An", "Ch©u Thµnh, Long An", "Chaâu Thaønh, Long An"),
]


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), NAMES)
def test_names_convert(unicode: str, tcvn3: str, vni: str) -> None:
    assert le.to_unicode(tcvn3, "tcvn3") == unicode
    assert le.to_unicode(vni, "vni") == unicode
    # the hand-written strings agree with the encoders above
    assert to_tcvn3(unicode) == tcvn3
    assert to_vni(unicode) == vni


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), NAMES)
def test_names_are_detected_without_a_font(unicode: str, tcvn3: str, vni: str) -> None:
    assert le.detect(tcvn3) == "tcvn3"
    assert le.detect(vni) == "vni"
    assert le.convert_if_legacy(tcvn3) == (unicode, True)
    assert le.convert_if_legacy(vni) == (unicode, True)


@pytest.mark.parametrize(("unicode", "tcvn3", "vni"), NAMES)
def test_unicode_names_are_left_alone(unicode: str, tcvn3: str, vni: str) -> None:
    assert le.detect(unicode) is None
    assert le.convert_if_legacy(unicode) == (unicode, False)


def test_upper_case_vni_and_all_capital_tcvn3_are_detected() -> None:
    assert le.detect("NGUYEÃN VAÊN AN") == "vni"
    assert le.detect("NGUYÔN V¡N AN") == "tcvn3h"  # Ă typed with the capital code
    assert le.convert_if_legacy("NGUYÔN V¡N AN") == ("NGUYỄN VĂN AN", True)
    assert le.detect("TRÇN THÞ H\xad¬NG") == "tcvn3h"
    assert le.convert_if_legacy("TRÇN THÞ H\xad¬NG") == ("TRẦN THỊ HƯƠNG", True)


def test_organisation_names_with_abbreviations() -> None:
    assert le.convert_if_legacy("Phßng GD&§T huyÖn CÇn Giuéc") == ("Phòng GD&ĐT huyện Cần Giuộc", True)
    assert le.convert_if_legacy("UBND x· T©n LËp") == ("UBND xã Tân Lập", True)
    assert le.convert_if_legacy("Ban Tuyeân giaùo Huyeän uûy") == ("Ban Tuyên giáo Huyện ủy", True)


# ---------------------------------------------------------------------------------------------
# fonts


@pytest.mark.parametrize(
    ("font", "encoding"),
    [
        (".VnTime", "tcvn3"),
        (".VnArial", "tcvn3"),
        (".VnArial Narrow", "tcvn3"),
        (".VnTimeH", "tcvn3h"),
        (".VnArialH", "tcvn3h"),
        (".VnCentury SchoolbookH", "tcvn3h"),
        ("VNI-Times", "vni"),
        ("VNI-Helve", "vni"),
        ("VNI-Helve-Condense", "vni"),
        ("Times New Roman", None),
        ("Arial", None),
        ("Calibri", None),
        ("", None),
        (None, None),
    ],
)
def test_encoding_for_font(font: str | None, encoding: str | None) -> None:
    assert le.encoding_for_font(font) == encoding


def test_font_decides_even_for_ambiguous_text() -> None:
    # "Chí" is Unicode "Chí" as it stands; in a .VnTime cell it is "Chớ".
    assert le.detect("Chí") is None
    assert le.detect("Chí", ".VnTime") == "tcvn3"
    assert le.convert_if_legacy("Chí", ".VnTime") == ("Chớ", True)
    # "Tô" is Unicode "Tô"; in a VNI cell it is "Tơ".
    assert le.convert_if_legacy("Tô", "VNI-Times") == ("Tơ", True)


def test_h_font_upper_cases_lower_case_typing() -> None:
    assert le.detect("nguyÔn v¨n an", ".VnTimeH") == "tcvn3h"
    assert le.convert_if_legacy("nguyÔn v¨n an", ".VnTimeH") == ("NGUYỄN VĂN AN", True)


def test_unicode_text_left_in_a_legacy_font_is_not_converted() -> None:
    assert le.detect("Nguyễn Văn An", ".VnTime") is None
    assert le.convert_if_legacy("Trường Chính trị", "VNI-Times") == ("Trường Chính trị", False)


def test_ascii_in_a_legacy_font_is_unchanged() -> None:
    assert le.detect("Long An", ".VnTime") == "tcvn3"
    assert le.convert_if_legacy("Long An", ".VnTime") == ("Long An", False)


def test_unicode_font_falls_back_to_the_guess() -> None:
    assert le.detect("NguyÔn V¨n An", "Times New Roman") == "tcvn3"
    assert le.detect("Nguyễn Văn An", "Times New Roman") is None


# ---------------------------------------------------------------------------------------------
# false positives


@pytest.mark.parametrize(
    "value",
    [
        # Unicode Vietnamese, including names made only of Latin-1 letters
        "Nguyễn Văn An",
        "Trường Chính trị tỉnh Long An",
        "Lê Chí Tú",
        "Chí Tú",
        "Tô Hà",
        "Võ Thị Sáu",
        "Hồ Chí Minh",
        "Lê Thánh Tông",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        unicodedata.normalize("NFD", "Nguyễn Văn An"),
        # ASCII
        "",
        "Nguyen Van An",
        "A48",
        "K74B.21",
        "UBND huyen Can Giuoc",
        # Western European
        "café",
        "Café",
        "Müller",
        "Straße",
        "Peña",
        "Gómez",
        "José",
        "Señor",
        "Zoë",
        "Noël",
        "Hôtel",
        "Crème brûlée",
        "São Paulo",
        "Ångström",
        "Le thé",
        "Björk",
        "Malmö",
        "Genève",
        "Ça va",
        "Dvořák",
        "Médecins Sans Frontières",
        "Société Générale",
        "Bö",
        # symbols that are TCVN3 letters
        "Price: £5",
        "© 2024",
        "½ + ¼",
        "10 × 20",
        "§ 5",
    ],
)
def test_no_false_positive(value: str) -> None:
    assert le.detect(value) is None
    assert le.convert_if_legacy(value) == (value, False)


def test_capital_inside_a_word_is_not_unicode() -> None:
    # "TuÊn" lower-cased is the shape "tuên", but no Unicode word has a capital inside it.
    assert le.convert_if_legacy("Quan TuÊn Loan") == ("Quan Tuấn Loan", True)
    assert le.convert_if_legacy("Cao Quúnh KhuyÕn") == ("Cao Quỳnh Khuyến", True)


@pytest.mark.parametrize(
    ("legacy", "encoding"),
    [
        ("Cao Minh Léc", None),  # "Léc" is also a Unicode shape; TCVN3 would give "Lộc"
        ("Cao Thò Chi", None),  # "Thò" is a Unicode word; VNI would give "Thị"
        ("Öng Duy My", None),  # TCVN3 "ệng" and VNI "Ưng" both fit
    ],
)
def test_ambiguous_texts_stay_unconverted(legacy: str, encoding: str | None) -> None:
    assert le.detect(legacy) is encoding
    assert le.detect(legacy, ".VnTime") == "tcvn3"


def test_one_unconvertible_word_stops_the_guess() -> None:
    assert le.detect("NguyÔn V¨n An Müller") is None


# ---------------------------------------------------------------------------------------------
# syllable shapes


@pytest.mark.parametrize(
    "word",
    ["a", "ở", "ăn", "Nguyễn", "thuở", "khuỷu", "nghiêng", "giữa", "gìn", "quốc", "quý", "huỳnh",
     "khuya", "người", "yêu", "oanh", "hoặc", "thuyền", "Đắk", "ĐẠI", "ạch", "quýt", "Quỳnh",
     "lý", "kỹ", "y", "kẻ", "kỳ", "ghế", "nghỉ", "gì", "giêng", "thuý", "thủy", "hoà", "hòa",
     "khoẻ", "quơ", "hải", "cat"],
)
def test_vietnamese_syllables(word: str) -> None:
    assert le.is_vietnamese_syllable(word)


@pytest.mark.parametrize(
    "word",
    ["nguyôn", "café", "müller", "hå", "ỹn", "tyn", "hàt",
     "ka", "ghu", "ngi", "ci", "ge", "quoác", "quu",  # spelling rules
     "haỉ", "thuyù", "leõ", "saó",  # tone on a final glide
     "xoong",  # the loan nucleus "oo" is left out on purpose "mảc", "áà", "fa", "ăa", "tiê", "bla", "anhh",
     "", "x"],
)
def test_not_vietnamese_syllables(word: str) -> None:
    assert not le.is_vietnamese_syllable(word)
