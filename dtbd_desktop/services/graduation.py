"""The graduation review (xét tốt nghiệp) or course completion of a class, by its rule set.

`review` reads the class's scores (`services.scores.load_class_scores`), its attendance
(`services.attendance.attendance_summary`: barred modules, certificate eligibility) and each
learner's confirmation and discipline, applies `rules.graduation.review_learner` and ranks the eligible
learners. With `save` it stores one `GraduationResult` per reviewed enrolment, replacing the
class's previous results (a decision number already given stays on learners who remain
eligible). Learners transferred to another class are reviewed there, not here; learners who
withdrew are listed as not eligible.

`set_conduct` records the sending organisation's confirmation, any discipline and the conduct
(rèn luyện), audited; `set_decision` (`services.graduation_decision`, re-exported here) numbers the
class's decision in the book of outgoing documents and records it on the learners.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import CONFIRMATIONS, DISCIPLINES, Enrolment, GraduationResult
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules.graduation import LearnerFacts, Outcome
from dtbd_desktop.rules.scores import ModuleResult, score_text
from dtbd_desktop.services.graduation_decision import StoredResult, set_decision, stored_results
from dtbd_desktop.services.scores import ClassScores, LearnerLine, find_learner, load_class_scores
from dtbd_desktop.trust import audit, operations, protected
from dtbd_desktop.trust.operations import operation


@dataclass(frozen=True)
class ReviewRow:
    """One learner's review: the outcome, the module results it rests on, the rank."""

    learner: LearnerLine
    modules: tuple[ModuleResult, ...]
    outcome: Outcome
    rank: int | None = None
    decision_number: str | None = None
    decision_date: dt.date | None = None
    barred_modules: tuple[str, ...] = ()  # modules the learner may not sit for absences (attendance)

    @property
    def enrolment_id(self) -> int:
        return self.learner.enrolment_id

    @property
    def national_id(self) -> str | None:
        return self.learner.national_id

    @property
    def full_name(self) -> str:
        return self.learner.full_name

    @property
    def average(self) -> Decimal | None:
        return self.outcome.average

    @property
    def classification(self) -> str | None:
        return self.outcome.classification

    @property
    def eligible(self) -> bool:
        return self.outcome.eligible

    @property
    def reasons(self) -> list[str]:
        return list(self.outcome.reasons)

    def as_json(self) -> dict[str, Any]:
        """The `dtbd graduation review` contract (CLI.md)."""
        return {
            "national_id": self.national_id,
            "full_name": self.full_name,
            "average": None if self.average is None else float(self.average),
            "classification": self.classification,
            "eligible": self.eligible,
            "reasons": self.reasons,
        }


@dataclass(frozen=True)
class ClassReview:
    """A class's review with what documents print about it."""

    data: ClassScores
    rows: tuple[ReviewRow, ...]

    @property
    def rules(self) -> Mapping[str, Any]:
        return self.data.rules

    @property
    def pass_fail(self) -> bool:
        return self.data.rules.get("outcome") == "pass_fail"

    @property
    def rules_lines(self) -> list[str]:
        return graduation_rules.rules_summary(self.data.rules, self.data.regulation)

    @property
    def eligible_rows(self) -> list[ReviewRow]:
        return [r for r in self.rows if r.eligible]


def _attendance(session: Session, class_code: str) -> dict[int, Any]:
    from dtbd_desktop.services.attendance import attendance_summary

    return {a.enrolment_id: a for a in attendance_summary(session, class_code)}


def facts_for(line: LearnerLine, modules: Sequence[ModuleResult], attendance: Any | None) -> LearnerFacts:
    """The review's input for one learner (`attendance`: their `LearnerAttendance`, or None)."""
    return LearnerFacts(
        modules=tuple(modules), enrolment_status=line.status, status_reason=line.status_reason,
        confirmation=line.confirmation, discipline=line.discipline,
        barred_modules=tuple(attendance.barred_modules) if attendance is not None else (),
        certificate_eligible=bool(attendance.certificate_eligible) if attendance is not None else None,
        attendance_explanations=tuple(attendance.explanations) if attendance is not None else (),
    )


def load_review(session: Session, class_code: str, *, data: ClassScores | None = None) -> ClassReview:
    """Review the class as of now, without storing anything."""
    data = data or load_class_scores(session, class_code)
    attendance = _attendance(session, data.class_code)
    stored = {r.enrolment_id: r for r in session.scalars(
        select(GraduationResult).join(Enrolment, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == data.class_id))}
    lines = [line for line in data.learners if line.status != "transferred"]
    outcomes = []
    for line in lines:
        modules = data.results(line.enrolment_id)
        outcome = graduation_rules.review_learner(facts_for(line, modules, attendance.get(line.enrolment_id)), data.rules)
        outcomes.append((line, modules, outcome))
    ranks = graduation_rules.rank([o.average if o.eligible else None for _l, _m, o in outcomes])
    rows = []
    for (line, modules, outcome), position in zip(outcomes, ranks, strict=True):
        previous = stored.get(line.enrolment_id)
        keep = previous is not None and outcome.eligible
        present = attendance.get(line.enrolment_id)
        rows.append(ReviewRow(learner=line, modules=modules, outcome=outcome, rank=position,
                              decision_number=previous.decision_number if keep and previous else None,
                              decision_date=previous.decision_date if keep and previous else None,
                              barred_modules=tuple(present.barred_modules) if present is not None else ()))
    return ClassReview(data=data, rows=tuple(rows))


def _summary(eligible: bool, classification: str | None, average: Decimal | None) -> str:
    if not eligible:
        return tr("graduation", "Không đủ điều kiện")
    return f"{classification or ''} ({score_text(average, 2)})".strip()


@operation("graduation.review", permission="review_graduation")
def review(session: Session, class_code: str, *, save: bool = True) -> list[ReviewRow]:
    """Apply the class's rule set to every learner; with `save`, store the results (replacing the
    class's previous ones) and audit each learner whose result changed."""
    result = load_review(session, class_code)
    if save:
        store_review(session, result)
    return list(result.rows)


def store_review(session: Session, result: ClassReview) -> None:
    """Store a review's results: one `GraduationResult` per reviewed learner, others removed."""
    class_id = result.data.class_id
    stored = {r.enrolment_id: r for r in session.scalars(
        select(GraduationResult).join(Enrolment, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == class_id))}
    now = dt.datetime.now().replace(microsecond=0)
    reviewed = set()
    for row in result.rows:
        reviewed.add(row.enrolment_id)
        previous = stored.get(row.enrolment_id)
        old = None if previous is None else _summary(previous.eligible, previous.classification, previous.average)
        was = None if previous is None else protected.result_state(previous.eligible, previous.classification,
                                                                   previous.average)
        new = _summary(row.eligible, row.classification, row.average)
        if previous is None:
            previous = GraduationResult(enrolment_id=row.enrolment_id)
            session.add(previous)
        previous.average = row.average
        previous.classification = row.classification
        previous.eligible = row.eligible
        previous.reasons = row.reasons
        previous.rank = row.rank
        previous.reviewed_at = now
        previous.decision_number = row.decision_number
        previous.decision_date = row.decision_date
        state = protected.result_state(row.eligible, row.classification, row.average)
        if old != new or state != was:
            audit.record(session, action="graduation.review", entity="graduation_result",
                         entity_id=row.enrolment_id, field="result", old=old, new=new, state=state)
    for enrolment_id, gone in stored.items():
        if enrolment_id not in reviewed:
            audit.record(session, action="graduation.review", entity="graduation_result", entity_id=enrolment_id,
                         field="result", old=_summary(gone.eligible, gone.classification, gone.average), new=None,
                         state=None)
            session.delete(gone)
    session.flush()


@dataclass(frozen=True)
class ReviewChange:
    """A learner whose stored result a new review would replace."""

    enrolment_id: int
    full_name: str
    old: str | None  # the stored result in words ("Giỏi (8,42)", "Không đủ điều kiện"); None: not stored
    new: str | None  # the result now; None: no longer reviewed here (moved to another class)
    loses_decision: str | None  # the decision number the learner would lose (no longer eligible)
    document: str | None  # the serial of a live document of the class the learner holds
    was_eligible: bool = False
    now_eligible: bool = False


@dataclass(frozen=True)
class ReviewEffects:
    """What storing the review now would change, for the question asked before it."""

    decision: tuple[str, dt.date | None] | None  # the decision recorded on the class, if any
    changes: tuple[ReviewChange, ...]
    unchanged: int

    @property
    def losing_decision(self) -> list[ReviewChange]:
        return [c for c in self.changes if c.loses_decision]

    @property
    def with_documents(self) -> list[ReviewChange]:
        return [c for c in self.changes if c.document]


def review_effects(session: Session, class_code: str) -> ReviewEffects:
    """Compare the stored review with the review as of now (`store_review`'s rules: a decision
    number stays only on learners who remain eligible), naming the documents already issued."""
    from dtbd_desktop.db.models import Certificate

    review_now = load_review(session, class_code)
    class_id = review_now.data.class_id
    stored = {r.enrolment_id: r for r in session.scalars(
        select(GraduationResult).join(Enrolment, GraduationResult.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == class_id))}
    documents = {enrolment_id: serial for enrolment_id, serial in session.execute(
        select(Certificate.enrolment_id, Certificate.serial).join(Enrolment, Certificate.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == class_id, Certificate.status == "issued"))}
    decided = next(((r.decision_number, r.decision_date) for r in stored.values() if r.eligible and r.decision_number),
                   None)
    names = {line.enrolment_id: line.full_name for line in review_now.data.learners}
    changes, unchanged = [], 0
    for row in review_now.rows:
        previous = stored.pop(row.enrolment_id, None)
        old = None if previous is None else _summary(previous.eligible, previous.classification, previous.average)
        new = _summary(row.eligible, row.classification, row.average)
        if old == new and previous is not None and previous.eligible == row.eligible:
            unchanged += 1
            continue
        lost = previous.decision_number if previous is not None and previous.decision_number and not row.eligible \
            else None
        changes.append(ReviewChange(row.enrolment_id, row.full_name, old, new, lost, documents.get(row.enrolment_id),
                                    was_eligible=bool(previous is not None and previous.eligible),
                                    now_eligible=row.eligible))
    for enrolment_id, gone in stored.items():
        changes.append(ReviewChange(enrolment_id, names.get(enrolment_id, ""),
                                    _summary(gone.eligible, gone.classification, gone.average), None,
                                    gone.decision_number, documents.get(enrolment_id), was_eligible=gone.eligible))
    return ReviewEffects(decision=decided, changes=tuple(changes), unchanged=unchanged)


@operation("graduation.conduct", permission="enter_conduct", scope=operations.class_code())
def set_conduct(session: Session, class_code: str, national_id: str | None = None, *, enrolment_id: int | None = None,
                confirmation: str | None = None, discipline: str | None = None, conduct: str | None = None,
                reason: str | None = None) -> list[tuple[str, str | None, str | None]]:
    """Record one learner's sending organisation's confirmation (missing | received |
    unfavourable), a discipline (none | reprimand | warning | expulsion) and the conduct (rèn
    luyện, free text, "" clears it); returns (field, old, new) for each field that changed, each
    audited. The learner by enrolment (any learner, with or without a national ID) or by national
    ID. A whole class at once: `services.conduct.set_conducts`."""
    problems = []
    if confirmation is not None and confirmation not in CONFIRMATIONS:
        problems.append(Problem(tr("graduation", "Nhận xét của cơ quan cử đi học phải là received (đã có, đạt), "
                                                 "unfavourable (không đạt) hoặc missing (chưa có)."),
                                field="confirmation"))
    if discipline is not None and discipline not in DISCIPLINES:
        problems.append(Problem(tr("graduation", "Kỷ luật phải là none, reprimand (khiển trách), warning (cảnh cáo) "
                                                 "hoặc expulsion (buộc thôi học)."), field="discipline"))
    clean_conduct = None if conduct is None else (text.clean(conduct) or "")
    if clean_conduct and len(clean_conduct) > 40:
        problems.append(Problem(tr("graduation", "Xếp loại rèn luyện dài quá 40 ký tự."), field="conduct"))
    if problems:
        raise InputError(tr("graduation", "Chưa ghi được nhận xét, kỷ luật."), problems)
    data = load_class_scores(session, class_code)
    if enrolment_id is not None:
        line = next((x for x in data.learners if x.enrolment_id == enrolment_id), None)
        if line is None:
            raise InputError(tr("graduation", "Học viên này không có trong lớp {code}.").format(code=data.class_code))
    else:
        line = find_learner(data, national_id or "")
    enrolment = session.get(Enrolment, line.enrolment_id)
    assert enrolment is not None
    wanted: dict[str, str | None] = {}
    if confirmation is not None:
        wanted["confirmation"] = confirmation
    if discipline is not None:
        wanted["discipline"] = discipline
    if clean_conduct is not None:
        wanted["conduct"] = clean_conduct or None
    changes = []
    for name, value in wanted.items():
        old = getattr(enrolment, name)
        if old == value:
            continue
        setattr(enrolment, name, value)
        changes.append((name, old, value))
    session.flush()
    for name, old, value in changes:
        audit.record(session, action="enrolment.conduct", entity="enrolment", entity_id=enrolment.id, field=name,
                     old=old, new=value, reason=text.clean(reason))
    return changes


__all__ = [
    "ClassReview", "ReviewChange", "ReviewEffects", "ReviewRow", "StoredResult", "facts_for", "load_review", "review",
    "review_effects", "set_conduct", "set_decision", "store_review", "stored_results",
]

