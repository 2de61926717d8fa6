"""One audit entry read for wording: its values decoded, and the names behind its ids."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.text import format_date
from dtbd_desktop.services.audit_log.names import Names, as_int


def decode(raw: str | None) -> Any:
    """An entry's old or new value: JSON objects and lists decoded, anything else as stored."""
    if raw is None:
        return None
    text = raw.strip()
    if text[:1] in "{[":
        try:
            return json.loads(text)
        except ValueError:
            return raw
    return raw


@dataclass
class Facts:
    action: str
    entity: str
    entity_id: str | None
    field: str | None
    old: Any
    new: Any
    reason: str | None
    names: Names
    class_code: str | None = None  # the class the entry is about, when it names one

    @property
    def args(self) -> dict[str, Any]:
        """The arguments of an operation that recorded no entry of its own (entity "operation")."""
        return self.new if isinstance(self.new, dict) else {}

    def arg(self, name: str) -> Any:
        return self.args.get(name)

    # ---------------------------------------------------------------- people and classes

    def in_class(self, code: Any) -> str:
        """A class code (remembered as the entry's class)."""
        if code is None or code == "":
            return tr("audit_words", "(lớp không rõ)")
        self.class_code = self.class_code or str(code)
        return str(code)

    def class_by_id(self, class_id: Any) -> str:
        code = self.names.class_code(class_id)
        return self.in_class(code) if code else tr("audit_words", "(lớp đã xóa)")

    def learner_in_class(self, enrolment_id: Any) -> str:
        """"Nguyễn Văn A (lớp TC25.01)" for an enrolment."""
        found = self.names.enrolment(enrolment_id)
        if found is None:
            return tr("audit_words", "một học viên đã xóa khỏi lớp")
        return tr("audit_words", "{name} (lớp {code})").format(name=found.learner, code=self.in_class(found.class_code))

    def learner_of(self, enrolment_id: Any) -> str:
        """The learner's name alone (the class remembered)."""
        found = self.names.enrolment(enrolment_id)
        if found is None:
            return tr("audit_words", "một học viên đã xóa khỏi lớp")
        self.in_class(found.class_code)
        return found.learner

    def learner(self, learner_id: Any) -> str:
        return self.names.learner(learner_id) or tr("audit_words", "một học viên đã xóa")

    def lecturer(self, lecturer_id: Any) -> str:
        if lecturer_id is None:
            return tr("audit_words", "(chưa có giảng viên)")
        return self.names.lecturer(lecturer_id) or tr("audit_words", "một giảng viên đã xóa")

    def organisation(self, organisation_id: Any) -> str:
        return self.names.organisation(organisation_id) or tr("audit_words", "một đơn vị đã xóa")

    def class_session(self, session_id: Any) -> str:
        """"buổi sáng 05/01/2027 (học phần I.1) lớp TC25.01"."""
        found = self.names.class_session(session_id)
        if found is None:
            return tr("audit_words", "một buổi học đã xóa")
        return self.slot(found.date, found.half, found.module, found.class_code)

    def slot(self, day: Any, half: Any, module: Any = None, class_code: Any = None) -> str:
        when = tr("audit_words", "buổi {half} {date}").format(half=half_text(half), date=date_text(day))
        if module:
            when += " " + tr("audit_words", "(học phần {module})").format(module=module)
        if class_code:
            when += " " + tr("audit_words", "lớp {code}").format(code=self.in_class(class_code))
        return when

    def module(self, module_id: Any) -> str:
        return self.names.module(module_id) or str(module_id)


# -------------------------------------------------------------------- values as a person reads them


def date_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return format_date(value)
    try:
        return format_date(dt.date.fromisoformat(str(value)[:10]))
    except ValueError:
        return str(value)


def half_text(half: Any) -> str:
    from dtbd_desktop.rules.timetable import half_label

    return half_label(str(half)).lower()


def score_text(value: Any) -> str:
    if value is None or value == "":
        return tr("audit_words", "(trống)")
    return str(value).replace(".", ",")


def plain(value: Any) -> str:
    """Any other value: dates as dd/mm/yyyy, yes/no in words, lists joined, nothing as (trống)."""
    if value is None or value == "":
        return tr("audit_words", "(trống)")
    if isinstance(value, bool):
        return tr("audit_words", "có") if value else tr("audit_words", "không")
    if isinstance(value, list):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    text = str(value)
    if len(text) == 10 and text[4:5] == "-" and text[7:8] == "-":
        return date_text(text)
    return text


def change(old: str, new: str) -> str:
    return f"{old} → {new}"


def count_text(value: Any) -> str:
    number = as_int(value)
    return "?" if number is None else f"{number:,}".replace(",", ".")
