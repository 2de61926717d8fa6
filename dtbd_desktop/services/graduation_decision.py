"""The decision on graduation (quyết định công nhận tốt nghiệp), or on completing a fostering
course and the certificates (quyết định công nhận hoàn thành khóa bồi dưỡng), of a class.

`set_decision` finalises it: the decision takes its number from the book of outgoing documents
(the next "QĐ" of its year, or the number the office typed), and the number and date go on every
eligible learner's result, whence the register and every diploma print them. What the decision
says beside the list is frozen in the book with its number (`DecisionContent`): the legal basis
of the rule set and of the centre, who proposed it, who carries it out, where it goes, who signs,
so that a reprint is the paper that was signed.

`load_decision` reads a class's decision for printing: the recorded one, or (before it is
recorded) the draft a reprint would give, without a number.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, GraduationResult, TrainingClass
from dtbd_desktop.printing.letterhead import Letterhead, signer_lines
from dtbd_desktop.rules.rule_sets import legal_basis_lines
from dtbd_desktop.services import outgoing
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.scores import ClassScores, LearnerLine, load_class_scores
from dtbd_desktop.services.settings import document_setting, load_letterhead, text_lines
from dtbd_desktop.trust import audit
from dtbd_desktop.trust.operations import operation

MODE_WORDS = {"full-time": "tập trung", "part-time": "không tập trung"}


@dataclass(frozen=True)
class StoredResult:
    """A stored review result with the learner, as the decision list prints it."""

    learner: LearnerLine
    average: Decimal | None
    classification: str | None
    eligible: bool
    reasons: list[str]
    rank: int | None
    decision_number: str | None
    decision_date: dt.date | None
    reviewed_at: dt.datetime


def stored_results(session: Session, class_code: str, *, data: ClassScores | None = None) -> list[StoredResult]:
    """The class's stored review, in roster order; empty when the class was never reviewed."""
    data = data or load_class_scores(session, class_code)
    results = {r.enrolment_id: r for r in session.scalars(
        select(GraduationResult).join(Enrolment, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == data.class_id))}
    out = []
    for line in data.learners:
        r = results.get(line.enrolment_id)
        if r is None:
            continue
        out.append(StoredResult(
            learner=line, average=None if r.average is None else Decimal(r.average), classification=r.classification,
            eligible=r.eligible, reasons=[str(x) for x in (r.reasons or [])], rank=r.rank,
            decision_number=r.decision_number, decision_date=r.decision_date, reviewed_at=r.reviewed_at))
    return out


def decision_source(class_id: int) -> str:
    return f"graduation:{class_id}"


def course_years(start: dt.date, end: dt.date) -> str:
    """"2026" or "2025 - 2027": the khóa học printed in the decision and the register."""
    return str(start.year) if start.year == end.year else f"{start.year} - {end.year}"


def mode_label(mode: str) -> str:
    return tr("graduation", MODE_WORDS.get(mode, mode))


@dataclass(frozen=True)
class DecisionContent:
    """What the decision says beside its list; frozen in the book when it is numbered."""

    authority: str  # "HIỆU TRƯỞNG TRƯỜNG CHÍNH TRỊ TỈNH LONG AN": who decides
    basis: list[str]  # "Căn cứ ..." lines, the last one "Xét đề nghị của ..." when there is one
    executors: str  # who carries it out (Điều 3), without the learners
    recipients: list[str]  # "Nơi nhận" (without "Như Điều 3" and the archive line)
    signer: list[str]  # authority and title lines of the signature
    signer_name: str
    deputy: bool

    def as_json(self) -> dict[str, Any]:
        return {"authority": self.authority, "basis": self.basis, "executors": self.executors,
                "recipients": self.recipients, "signer": self.signer, "signer_name": self.signer_name,
                "deputy": self.deputy}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> DecisionContent:
        return cls(authority=str(value.get("authority", "")), basis=[str(v) for v in value.get("basis", [])],
                   executors=str(value.get("executors", "")), recipients=[str(v) for v in value.get("recipients", [])],
                   signer=[str(v) for v in value.get("signer", [])], signer_name=str(value.get("signer_name", "")),
                   deputy=bool(value.get("deputy", False)))


def _authority(head: Letterhead) -> str:
    who = head.collective.strip() or head.director_title.strip()
    centre = text.nfc(head.centre_name).strip()
    return f"{who} {centre}".upper().strip()


def decision_content(session: Session, data: ClassScores, head: Letterhead, *, deputy: bool = False) -> DecisionContent:
    """The decision's words from the settings, the class's rule set and its review."""
    pass_fail = data.rules.get("outcome") == "pass_fail"
    basis = [tr("graduation", "Căn cứ {text}").format(text=line)
             for line in text_lines(document_setting(session, "centre_basis"))]
    basis += [tr("graduation", "Căn cứ {text}").format(text=line) for line in legal_basis_lines(data.regulation)]
    if pass_fail:
        basis.append(tr("graduation", "Căn cứ kết quả học tập và kết quả xét hoàn thành khóa bồi dưỡng của học viên "
                                      "lớp {code}").format(code=data.class_code))
    else:
        basis.append(tr("graduation", "Căn cứ kết quả học tập, rèn luyện và kết quả xét tốt nghiệp của học viên lớp "
                                      "{code}").format(code=data.class_code))
    proposer = document_setting(session, "proposer")
    if proposer:
        basis.append(tr("graduation", "Xét đề nghị của {who}").format(who=proposer))
    lines, name = signer_lines(head, deputy=deputy)
    return DecisionContent(authority=_authority(head), basis=basis,
                           executors=" ".join(text_lines(document_setting(session, "executors"))),
                           recipients=text_lines(document_setting(session, "decision_recipients")),
                           signer=lines, signer_name=name, deputy=deputy)


def class_phrase(class_code: str, class_name: str) -> str:
    """"lớp Trung cấp lý luận chính trị - hành chính A50" for running text (the code added when the
    class's name does not hold it)."""
    name = " ".join(text.nfc(class_name).split())
    if name[:4].casefold() == "lớp ":
        name = name[4:]
    if class_code.casefold() not in name.casefold():
        name = f"{name} {class_code}"
    return tr("graduation", "lớp {name}").format(name=name)


def decision_subject(data: ClassScores, mode: str) -> str:
    """The decision's trích yếu: "Công nhận tốt nghiệp lớp Trung cấp lý luận chính trị - hành chính
    A50, hệ tập trung, khóa học 2026" (a fostering course: "Công nhận hoàn thành khóa bồi dưỡng và
    cấp giấy chứng nhận cho học viên lớp ...")."""
    phrase = class_phrase(data.class_code, data.class_name)
    if data.rules.get("outcome") == "pass_fail":
        return tr("graduation", "Công nhận hoàn thành khóa bồi dưỡng và cấp giấy chứng nhận cho học viên {klass}").format(
            klass=phrase)
    return tr("graduation", "Công nhận tốt nghiệp {klass}, hệ {mode}, khóa học {years}").format(
        klass=phrase, mode=mode_label(mode), years=course_years(data.start, data.end))


@dataclass(frozen=True)
class Decision:
    """A class's decision as printed: the book's line (None for a draft), the words, the class and
    the learners it names."""

    entry: outgoing.BookEntry | None
    content: DecisionContent
    subject: str
    data: ClassScores
    mode: str
    results: list[StoredResult]  # the eligible learners, in roster order

    @property
    def pass_fail(self) -> bool:
        return self.data.rules.get("outcome") == "pass_fail"

    @property
    def number(self) -> str | None:
        return self.entry.symbol if self.entry is not None else None

    @property
    def date(self) -> dt.date | None:
        return self.entry.issued_on if self.entry is not None else None

    @property
    def years(self) -> str:
        return course_years(self.data.start, self.data.end)

    def classification_counts(self) -> list[tuple[str, int]]:
        counts = Counter(r.classification for r in self.results if r.classification)
        bands = [b["name"] for b in self.data.rules.get("bands", [])]
        order = [b for b in bands if counts.get(b)] + sorted(c for c in counts if c not in bands)
        return [(name, counts[name]) for name in order]


def _eligible(session: Session, cls: TrainingClass) -> list[GraduationResult]:
    return list(session.scalars(
        select(GraduationResult).join(Enrolment, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == cls.id, GraduationResult.eligible.is_(True))))


def load_decision(session: Session, class_code: str, *, deputy: bool = False) -> Decision:
    """The class's decision: the recorded one with its frozen words, or a draft (no number) with
    today's words. Refused when the class has no stored review with an eligible learner."""
    data = load_class_scores(session, class_code)
    cls = get_class(session, data.class_code)
    results = [r for r in stored_results(session, data.class_code, data=data) if r.eligible]
    if not results:
        raise InputError(tr("graduation", "Lớp {code} chưa có kết quả xét tốt nghiệp đã lưu (hoặc không có học viên "
                                          "đủ điều kiện): xét tốt nghiệp trước (dtbd graduation review {code}).")
                         .format(code=data.class_code))
    entry = outgoing.entry_for(session, decision_source(cls.id))
    if entry is not None and entry.content:
        content = DecisionContent.from_json(entry.content)
    else:
        content = decision_content(session, data, load_letterhead(session), deputy=deputy)
    subject = entry.subject if entry is not None else decision_subject(data, cls.mode)
    return Decision(entry=entry, content=content, subject=subject, data=data, mode=cls.mode, results=results)


@operation("graduation.decision", permission="review_graduation")
def set_decision(session: Session, class_code: str, *, date: dt.date | None = None, number: str | None = None,
                 deputy: bool = False) -> int:
    """Record the class's decision (số và ngày quyết định công nhận tốt nghiệp) on its eligible
    learners; returns how many. Without `number` the decision takes the next number of the book
    of outgoing documents ("QĐ" of the date's year); a typed number (a decision numbered outside
    the program, "45" or "45-QĐ/TCT") is entered in the book as typed, and replaces the class's
    earlier decision, whose number is voided in the book. Recording the same decision again
    changes nothing. Without `date`: the recorded decision's date, else today. Refused when the
    class has no stored review, or when it has a decision of another date and no new number."""
    cls = get_class(session, class_code)
    problems = []
    if date is None:
        recorded = outgoing.find_live(session, decision_source(cls.id))
        date = recorded.issued_on if recorded is not None else dt.date.today()
    clean_number = text.clean(number) if number is not None else None
    if clean_number is not None and len(clean_number) > 60:
        problems.append(Problem(tr("graduation", "Số quyết định dài quá 60 ký tự."), field="number"))
    if problems:
        raise InputError(tr("graduation", "Chưa ghi được quyết định."), problems)
    rows = _eligible(session, cls)
    if not rows:
        raise InputError(tr("graduation", "Lớp {code} chưa có học viên đủ điều kiện đã xét; hãy xét tốt nghiệp trước "
                                          "(dtbd graduation review {code}).").format(code=cls.code))
    head = load_letterhead(session)
    data = load_class_scores(session, cls.code)
    content = decision_content(session, data, head, deputy=deputy)
    source = decision_source(cls.id)
    before = outgoing.find_live(session, source)
    doc = outgoing.take_number(session, head, kind="QĐ", on=date, subject=decision_subject(data, cls.mode), source=source,
                               typed=clean_number, recipients="\n".join(content.recipients),
                               signer=content.signer_name, content=content.as_json())
    if doc is before and before is not None and before.issued_on != date:
        raise InputError(tr("graduation", "Lớp {code} đã có Quyết định số {number} ngày {date}. Muốn ghi quyết định "
                                          "khác: nhập số của quyết định mới, hoặc hủy số {number} trong sổ văn bản đi "
                                          "rồi ghi lại.").format(code=cls.code, number=before.symbol,
                                                                 date=text.format_date(before.issued_on)))
    old = {(r.decision_number, r.decision_date) for r in rows}
    for r in rows:
        r.decision_number = doc.symbol
        r.decision_date = doc.issued_on
    session.flush()
    if old != {(doc.symbol, doc.issued_on)}:
        previous = ", ".join(sorted(f"{n} {text.format_date(d)}" for n, d in old if n)) or None
        audit.record(session, action="graduation.decision", entity="class", entity_id=cls.id, field="decision",
                     old=previous, new=f"{doc.symbol} {text.format_date(doc.issued_on)}")
    return len(rows)


__all__ = [
    "Decision", "DecisionContent", "StoredResult", "class_phrase", "course_years", "decision_content", "decision_source", "decision_subject",
    "load_decision", "mode_label", "set_decision", "stored_results",
]
