"""A class's scores read at once: its modules with the assessment plan the class applies to each,
its learners in roster order, every mark and the finalised modules (`load_class_scores`), as the
review, the transcripts and the result documents use them; who must retake (`retake_roster`).
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
from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Learner, Module, Organisation, Score, ScoreLock, TrainingClass
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.rule_sets import with_defaults
from dtbd_desktop.rules.scores import AssessmentPlan, Mark, ModuleResult
from dtbd_desktop.services.classes import get_class

INACTIVE = ("withdrawn", "transferred")


# ----------------------------------------------------------------------------- class context


@dataclass(frozen=True)
class ModuleDef:
    """A module of the class's programme, with the assessment plan the class applies to it."""

    id: int
    code: str
    name: str
    periods: int
    kind: str
    position: int
    part: str | None
    plan: AssessmentPlan


@dataclass(frozen=True)
class LearnerLine:
    """A learner of the class as the score sheets and result documents show them."""

    enrolment_id: int
    learner_id: int
    national_id: str | None
    family_name: str
    middle_name: str
    given_name: str
    birth_date: dt.date | None
    birth_year: int
    gender: str
    place_of_birth: str | None
    organisation: str | None
    position: str | None
    status: str
    status_reason: str | None
    confirmation: str
    discipline: str
    conduct: str | None

    @property
    def full_name(self) -> str:
        return text.join_name(self.family_name, self.middle_name, self.given_name)

    @property
    def family_middle(self) -> str:
        return text.join_name(self.family_name, self.middle_name, "")

    @property
    def birth_text(self) -> str:
        return text.format_date(self.birth_date) if self.birth_date else str(self.birth_year)

    @property
    def active(self) -> bool:
        return self.status not in INACTIVE


@dataclass(frozen=True)
class ClassScores:
    """Everything about a class's scores that reviews, transcripts and documents need, read at once."""

    class_id: int
    class_code: str
    class_name: str
    programme_code: str
    programme_name: str
    programme_kind: str
    start: dt.date
    end: dt.date
    rule_set_name: str
    regulation: str | None
    rules: Mapping[str, Any]
    modules: tuple[ModuleDef, ...]
    learners: tuple[LearnerLine, ...]
    marks: Mapping[tuple[int, int], tuple[Mark, ...]]  # (enrolment id, module id) -> marks
    locks: Mapping[int, tuple[dt.datetime, str | None]]  # module id -> (locked at, by)

    def module(self, code: str) -> ModuleDef:
        found = next((m for m in self.modules if m.code == code), None)
        if found is None:
            raise NotFoundError(_unknown_module(code, self.programme_code, [m.code for m in self.modules]))
        return found

    def learner(self, enrolment_id: int) -> LearnerLine:
        return next(line for line in self.learners if line.enrolment_id == enrolment_id)

    def module_result(self, enrolment_id: int, module: ModuleDef) -> ModuleResult:
        return score_rules.module_result(module.code, module.kind, module.periods, module.plan,
                                     self.marks.get((enrolment_id, module.id), ()), self.rules, name=module.name)

    def results(self, enrolment_id: int) -> tuple[ModuleResult, ...]:
        return tuple(self.module_result(enrolment_id, m) for m in self.modules)


def _unknown_module(code: str, programme: str, known: Sequence[str]) -> str:
    return tr("scores", "Chương trình {programme} không có học phần mã '{code}'. Các mã: {known}.").format(
        programme=programme, code=code, known=", ".join(known))


def class_rules(cls: TrainingClass) -> dict[str, Any]:
    """The class's rule set completed with the defaults of its programme's kind."""
    return with_defaults(dict(cls.rule_set.params or {}), cls.programme.kind)


def module_defs(cls: TrainingClass, rules: Mapping[str, Any]) -> tuple[ModuleDef, ...]:
    """The programme's modules in order, each with the assessment plan the class applies to it."""
    out = []
    for m in cls.programme.modules:
        try:
            plan = score_rules.plan_for(m.code, m.kind, m.assessment, rules)
        except ValueError as exc:
            raise InputError(tr("scores", "Cách đánh giá học phần {code} chưa hợp lệ: {error}").format(
                code=m.code, error=exc)) from exc
        out.append(ModuleDef(id=m.id, code=m.code, name=m.name, periods=m.periods, kind=m.kind, position=m.position,
                             part=m.part, plan=plan))
    return tuple(out)


def learner_lines(session: Session, class_id: int) -> list[LearnerLine]:
    """The class's learners in roster order (withdrawn and transferred ones included)."""
    stmt = (
        select(Enrolment, Learner, Organisation.name)
        .join(Learner, Enrolment.learner_id == Learner.id)
        .outerjoin(Organisation, Enrolment.organisation_id == Organisation.id)
        .where(Enrolment.class_id == class_id)
        .order_by(Learner.sort_key, Learner.id)
    )
    return [learner_line(e, p, org) for e, p, org in session.execute(stmt)]


def learner_line(e: Enrolment, p: Learner, org: str | None) -> LearnerLine:
    """One enrolment as a line of the score documents."""
    return LearnerLine(
        enrolment_id=e.id, learner_id=p.id, national_id=p.national_id, family_name=p.family_name,
        middle_name=p.middle_name, given_name=p.given_name, birth_date=p.birth_date, birth_year=p.birth_year,
        gender=p.gender, place_of_birth=p.place_of_birth, organisation=org, position=e.position or p.position,
        status=e.status, status_reason=e.status_reason, confirmation=e.confirmation, discipline=e.discipline,
        conduct=e.conduct,
    )


def load_class_scores(session: Session, class_code: str) -> ClassScores:
    """The class, its modules and plans, its learners in roster order, all their marks and the locks."""
    cls = get_class(session, class_code)
    rules = class_rules(cls)
    modules = module_defs(cls, rules)
    learners = learner_lines(session, cls.id)
    marks: dict[tuple[int, int], list[Mark]] = {}
    stmt = (
        select(Score.enrolment_id, Score.module_id, Score.attempt, Score.component, Score.value)
        .join(Enrolment, Score.enrolment_id == Enrolment.id)
        .where(Enrolment.class_id == cls.id)
    )
    for eid, mid, attempt, component, value in session.execute(stmt):
        marks.setdefault((eid, mid), []).append(Mark(attempt, component, Decimal(value)))
    locks = {mid: (at, by) for mid, at, by in session.execute(
        select(ScoreLock.module_id, ScoreLock.locked_at, ScoreLock.locked_by).where(ScoreLock.class_id == cls.id))}
    return ClassScores(
        class_id=cls.id, class_code=cls.code, class_name=cls.name, programme_code=cls.programme.code,
        programme_name=cls.programme.name, programme_kind=cls.programme.kind, start=cls.start_date,
        end=cls.end_date, rule_set_name=cls.rule_set.name, regulation=cls.rule_set.regulation, rules=rules,
        modules=modules, learners=tuple(learners), marks={k: tuple(v) for k, v in marks.items()}, locks=locks,
    )


def module_of(session: Session, cls: TrainingClass, module_code: str) -> Module:
    """The programme's module with this code ("i.1" finds "I.1"); NotFoundError listing the codes."""
    code = text.nfc(module_code or "")
    for m in cls.programme.modules:
        if m.code == code:
            return m
    for m in cls.programme.modules:  # "i.1" typed for "I.1"
        if m.code.casefold() == code.casefold():
            return m
    raise NotFoundError(_unknown_module(code, cls.programme.code, [m.code for m in cls.programme.modules]))


def find_learner(data: ClassScores, national_id: str) -> LearnerLine:
    try:
        nid = text.normalize_national_id(national_id)
    except text.NationalIdError as exc:
        raise InputError(exc.message) from exc
    found = next((line for line in data.learners if line.national_id == nid), None)
    if found is None:
        raise NotFoundError(tr("scores", "Không có học viên số CCCD {nid} trong lớp {code}.").format(
            nid=nid, code=data.class_code))
    return found


# ----------------------------------------------------------------------------- retakes


@dataclass(frozen=True)
class RetakeRow:
    """A learner who must retake a module (its counted score is below the pass mark)."""

    enrolment_id: int
    national_id: str | None
    full_name: str
    birth_text: str
    organisation: str | None
    module_code: str
    module_name: str
    attempts: tuple[Decimal | None, ...]  # score of each attempt so far
    counted: Decimal | None
    next_attempt: int


def retake_roster(session: Session, class_code: str, module_code: str | None = None) -> list[RetakeRow]:
    """Who must retake (a module, or every module in programme order), in roster order."""
    data = load_class_scores(session, class_code)
    modules = [data.module(text.nfc(module_code))] if module_code else list(data.modules)
    out = []
    for module in modules:
        for line in data.learners:
            if not line.active:
                continue
            result = data.module_result(line.enrolment_id, module)
            if result.status != "failed":
                continue
            out.append(RetakeRow(
                enrolment_id=line.enrolment_id, national_id=line.national_id, full_name=line.full_name,
                birth_text=line.birth_text, organisation=line.organisation, module_code=module.code,
                module_name=module.name, attempts=tuple(a.score for a in result.attempts), counted=result.counted,
                next_attempt=result.latest_attempt + 1))
    return out
