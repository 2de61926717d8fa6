"""What a programme's diplomas and certificates say, from the programme's settings and the centre's.

Per programme (setting `programme_wording`, by programme code; defaults in the catalogue file,
`resources/catalogue/programmes.json`, key `documents`):

* `salutation`: how the document names the learner: "Đồng chí" (Party documents: the courses for
  Party members and cadres) or "Ông (Bà)" (state diplomas, non-members);
* `course_title`: what the learner completed, as it reads after "Đã hoàn thành chương trình" on a
  certificate ("bồi dưỡng lý luận chính trị dành cho đảng viên mới") or under the title of a
  diploma ("Trung cấp lý luận chính trị - hành chính");
* `course_label`: the course (khóa học) as the document prints it, a pattern over the class:
  `{number}` the first number in the class code ("A48" → 48), `{years}` the years it ran ("2025" or
  "2025 - 2027"), `{start}`, `{end}` its dates; "Khóa {number} ({years})" prints "Khóa 48 (2025)".
  Empty: the document gives the dates only.

The centre's setting `issuing_name` is the issuing school written as in a sentence ("Trường Chính
trị tỉnh Long An"); when empty it is made from `centre_name` (`proper_name`). The result printed is
the programme's rule set's: the band of a graded bài thu hoạch, else Đạt (`document_result`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Programme, TrainingClass
from dtbd_desktop.services import settings
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation

SETTING = "programme_wording"
SALUTATIONS = ("Đồng chí", "Ông (Bà)")
PLACEHOLDERS = ("number", "years", "start", "end")
LIMITS = {"salutation": 40, "course_title": 300, "course_label": 120}


@dataclass(frozen=True)
class Wording:
    """A programme's wording on its documents."""

    salutation: str
    course_title: str
    course_label: str

    def as_json(self) -> dict[str, str]:
        return asdict(self)


def _catalogue_defaults(code: str) -> dict[str, Any]:
    from dtbd_desktop.services.catalogue import load_catalogue_file

    for entry in load_catalogue_file().get("programmes", []):
        if entry.get("code") == code:
            found: dict[str, Any] = entry.get("documents") or {}
            # null in the file: printed empty (the file holds no empty strings)
            return {key: "" if value is None else value for key, value in found.items()}
    return {}


def default_wording(programme: Programme) -> Wording:
    """The catalogue's wording for a seeded programme; for a centre's own programme: "Ông (Bà)",
    the programme's name (lower-case first on a certificate), the years of the course."""
    seeded = _catalogue_defaults(programme.code)
    name = text.nfc(programme.name)
    if programme.document_kind == "certificate":
        title = name[:1].lower() + name[1:]
        label = ""
    else:
        title = name
        label = "{years}"
    return Wording(salutation=seeded.get("salutation", "Ông (Bà)"), course_title=seeded.get("course_title", title),
                   course_label=seeded.get("course_label", label))


def programme_wording(session: Session, programme: Programme) -> Wording:
    """The programme's wording: the centre's settings over the defaults."""
    stored = (settings.get_setting(session, SETTING) or {}).get(programme.code) or {}
    base = default_wording(programme)
    return Wording(**{k: text.nfc(str(stored[k])) if k in stored else v for k, v in asdict(base).items()})


def check_wording(values: Mapping[str, Any]) -> list[Problem]:
    problems = []
    labels = {"salutation": tr("wording", "Cách gọi người học"), "course_title": tr("wording", "Tên khóa học in trên "
                                                                                              "văn bằng"),
              "course_label": tr("wording", "Khóa học")}
    for key, value in values.items():
        if key not in LIMITS:
            problems.append(Problem(tr("wording", "Không có mục '{key}'.").format(key=key), field=key))
            continue
        if not isinstance(value, str):
            problems.append(Problem(tr("wording", "{label} phải là chữ.").format(label=labels[key]), field=key))
        elif len(value) > LIMITS[key]:
            problems.append(Problem(tr("wording", "{label} dài quá {n} ký tự.").format(label=labels[key],
                                                                                        n=LIMITS[key]), field=key))
        elif key in ("salutation", "course_title") and not value.strip():
            problems.append(Problem(tr("wording", "{label} không được để trống.").format(label=labels[key]), field=key))
        elif key == "course_label":
            for name in _placeholders(value):
                if name not in PLACEHOLDERS:
                    problems.append(Problem(tr("wording", "Khóa học: không có ô '{{{name}}}'; dùng {known}.").format(
                        name=name, known=", ".join("{" + p + "}" for p in PLACEHOLDERS)), field=key))
    return problems


def _placeholders(pattern: str) -> list[str]:
    return re.findall(r"\{([^{}]*)\}", pattern)


@operation("programmes.save_wording", permission="edit_catalogue")
def save_wording(session: Session, code: str, *, salutation: str | None = None, course_title: str | None = None,
                 course_label: str | None = None) -> Wording:
    """Store the programme's wording (those given; "" for the course label prints the dates only), audited."""
    from dtbd_desktop.services.catalogue import get_programme

    programme = get_programme(session, code)
    given = {"salutation": salutation, "course_title": course_title, "course_label": course_label}
    clean = {k: " ".join(text.nfc(v).split()) for k, v in given.items() if v is not None}
    problems = check_wording(clean)
    if problems:
        raise InputError(tr("wording", "Chưa lưu cách ghi văn bằng của chương trình {code}.").format(code=code),
                         problems)
    before = programme_wording(session, programme)
    stored = dict(settings.get_setting(session, SETTING) or {})
    mine = dict(stored.get(programme.code) or {})
    mine.update(clean)
    stored[programme.code] = mine
    settings.set_settings(session, **{SETTING: stored})
    after = programme_wording(session, programme)
    for key, old in before.as_json().items():
        new = after.as_json()[key]
        if new != old:
            audit.record(session, action="programmes.wording", entity="programme", entity_id=programme.code,
                         field=key, old=old, new=new)
    return after


# ---------------------------------------------------------------------------------- the values printed


def course_years(start: dt.date, end: dt.date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year} - {end.year}"


def course_label(pattern: str, cls: TrainingClass) -> str:
    """The course as `pattern` prints it for the class ("Khóa {number} ({years})" → "Khóa 48 (2025)");
    a pattern asking for a number the class code lacks gives the years."""
    found = re.search(r"\d+", cls.code or "")
    values = {"number": str(int(found.group())) if found else "", "years": course_years(cls.start_date, cls.end_date),
              "start": text.format_date(cls.start_date), "end": text.format_date(cls.end_date)}
    if "number" in _placeholders(pattern) and not values["number"]:
        return values["years"]
    try:
        return text.nfc(pattern.format(**values)).strip()
    except (KeyError, IndexError, ValueError):
        return values["years"]


_UNIT_WORDS = ("tỉnh", "huyện", "quận", "xã", "phường")
_UNIT_PAIRS = ("thị xã", "thành phố", "thị trấn")


def proper_name(upper_name: str) -> str:
    """A centre's name as written in a sentence: "TRƯỜNG CHÍNH TRỊ TỈNH LONG AN" → "Trường Chính trị
    tỉnh Long An", "TRUNG TÂM CHÍNH TRỊ HUYỆN ĐỨC HÒA" → "Trung tâm Chính trị huyện Đức Hòa"."""
    words = text.nfc(upper_name).lower().split()
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if " ".join(words[i:i + 2]) in _UNIT_PAIRS:
            out += words[i:i + 2]
            i += 2
            continue
        if not out:
            out.append(word.capitalize())
        elif (out == ["Trung"] and word == "tâm") or word in _UNIT_WORDS or (word == "trị" and out[-1] == "Chính"):
            out.append(word)
        else:
            out.append(word.capitalize())
        i += 1
    return " ".join(out)


def issuing_name(session: Session) -> str:
    """The issuing school as written in a sentence (setting `issuing_name`, else from `centre_name`)."""
    values = settings.get_settings(session)
    explicit = text.nfc(str(values.get("issuing_name") or "")).strip()
    return explicit or proper_name(str(values.get("centre_name") or ""))


def venue_text(venue: str | None, issuer: str) -> str:
    """Where the course was held: the class's venue, or the issuing school when the venue is empty
    or only the start of the school's name ("Trường Chính trị tỉnh" → "Trường Chính trị tỉnh Long An")."""
    place = text.nfc(venue or "").strip().rstrip(".")
    if not place or (issuer and text.fold(issuer).startswith(text.fold(place))):
        return issuer
    return place


def document_result(rules: Mapping[str, Any], classification: str | None, essay_band: str | None) -> str | None:
    """What a document prints as the result: a short course with a graded bài thu hoạch prints its
    band ("Giỏi"), else the review's classification (a band, or Đạt)."""
    if rules.get("outcome") == "pass_fail" and rules.get("graded_essay") and essay_band:
        return essay_band
    return classification


def result_label(classification: str | None, bands: list[str]) -> str:
    """"Xếp loại" before a band, "Kết quả" before Đạt."""
    return tr("wording", "Xếp loại") if classification in bands else tr("wording", "Kết quả")


__all__ = [
    "PLACEHOLDERS", "SALUTATIONS", "SETTING", "Wording", "check_wording", "course_label", "course_years",
    "default_wording", "document_result", "issuing_name", "programme_wording", "proper_name", "result_label",
    "save_wording", "venue_text",
]
