"""Scores of a class: the sheet of one module, entering and correcting scores, finalising a
module, retakes, a learner's transcript with its history, and the fill-in workbook.

Made for a spreadsheet-like grid on top of it:

* `load_score_sheet` reads one module's scores for the whole class in one query, as rows in
  roster order with the columns to show (attempts × components) and each row's result;
* `validate_cell` checks a cell's text and says why it is refused (Vietnamese);
* `set_score` saves one cell, `set_scores` a pasted block all-or-nothing: every entry is
  checked against the state the block builds up (a retake column after the first sitting in
  the same paste works), and one bad cell refuses the whole block with every problem, each
  with its row and column.

Every change is audited in the same transaction (who, when, old, new, reason). After a module
is finalised (`finalise_module`, table `score_locks`) a change needs `allow_locked=True`, the
"override_score_lock" permission of the acting account and a reason.

Storage: one `Score` row per (enrolment, module, attempt, component); component '' is the
module's overall score, entered directly; the components of an assessment plan are stored under
their codes and the module score is computed from them (`rules.scores.attempt_scores`).

Audit entries for scores: entity "score", entity_id "<enrolment id>/<module id>/<attempt>/<component>",
field "<module code>" or "<module code>/<component>", old and new values as "8.5".

The fill-in workbook (`export_score_workbook`, `import_score_workbook`) lives here too, since
it is score entry by another road and shares the same validation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import (
    AuditEntry,
    Enrolment,
    Learner,
    Module,
    Organisation,
    Score,
    ScoreLock,
    TrainingClass,
)
from dtbd_desktop.rules import graduation as graduation_rules
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.rule_sets import with_defaults
from dtbd_desktop.rules.scores import AssessmentPlan, Mark, ModuleResult
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust import audit, operations, protected
from dtbd_desktop.trust.operations import operation

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


def _module_defs(cls: TrainingClass, rules: Mapping[str, Any]) -> tuple[ModuleDef, ...]:
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


def _learner_lines(session: Session, class_id: int) -> list[LearnerLine]:
    stmt = (
        select(Enrolment, Learner, Organisation.name)
        .join(Learner, Enrolment.learner_id == Learner.id)
        .outerjoin(Organisation, Enrolment.organisation_id == Organisation.id)
        .where(Enrolment.class_id == class_id)
        .order_by(Learner.sort_key, Learner.id)
    )
    return [_line(e, p, org) for e, p, org in session.execute(stmt)]


def _line(e: Enrolment, p: Learner, org: str | None) -> LearnerLine:
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
    modules = _module_defs(cls, rules)
    learners = _learner_lines(session, cls.id)
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


# ----------------------------------------------------------------------------- the sheet of one module


@dataclass(frozen=True)
class SheetColumn:
    """One entry column of a module's sheet: an attempt's overall score or one of its components."""

    attempt: int
    component: str  # '' = the overall score
    label: str

    @property
    def key(self) -> tuple[int, str]:
        return (self.attempt, self.component)


@dataclass(frozen=True)
class SheetRow:
    """One learner's line of a module's sheet."""

    enrolment_id: int
    national_id: str | None
    full_name: str
    birth_text: str
    organisation: str | None
    status: str
    values: Mapping[tuple[int, str], Decimal]  # (attempt, component) -> value entered
    result: ModuleResult

    @property
    def editable(self) -> bool:
        return self.status not in INACTIVE

    def value(self, column: SheetColumn) -> Decimal | None:
        return self.values.get(column.key)

    def attempt_score(self, attempt: int) -> Decimal | None:
        found = self.result.attempt(attempt)
        return found.score if found else None


@dataclass(frozen=True)
class ScoreSheet:
    """A module's scores for a class, for the grid and the fill-in workbook."""

    class_code: str
    class_name: str
    module_code: str
    module_name: str
    module_kind: str
    periods: int
    plan: AssessmentPlan
    rules: Mapping[str, Any]
    locked: bool
    locked_at: dt.datetime | None
    locked_by: str | None
    attempts: int  # attempts shown: those entered, plus a retake column when someone failed
    columns: tuple[SheetColumn, ...]
    rows: tuple[SheetRow, ...]

    @property
    def pass_mark(self) -> Decimal:
        return score_rules.pass_mark(self.rules)

    def row_for(self, enrolment_id: int) -> SheetRow:
        return next(r for r in self.rows if r.enrolment_id == enrolment_id)


def attempt_label(attempt: int) -> str:
    """"Lần 1", "Thi lại lần 1" (attempt 2)..."""
    if attempt == 1:
        return tr("scores", "Lần 1")
    return tr("scores", "Thi lại lần {n}").format(n=attempt - 1)


def sheet_columns(plan: AssessmentPlan, attempts: int) -> tuple[SheetColumn, ...]:
    columns = []
    for attempt in range(1, attempts + 1):
        if plan.overall_only:
            label = tr("scores", "Điểm") if attempt == 1 else attempt_label(attempt)
            columns.append(SheetColumn(attempt, "", label))
        else:
            for c in plan.components:
                label = c.name if attempt == 1 else f"{c.name} ({attempt_label(attempt).lower()})"
                columns.append(SheetColumn(attempt, c.code, label))
    return tuple(columns)


def load_score_sheet(session: Session, class_code: str, module_code: str) -> ScoreSheet:
    """A module's sheet for the class: learners in roster order with their marks, in one query."""
    cls = get_class(session, class_code)
    rules = class_rules(cls)
    module = _module_of(session, cls, module_code)
    plan = next(m.plan for m in _module_defs(cls, rules) if m.id == module.id)
    stmt = (
        select(Enrolment, Learner, Organisation.name, Score.attempt, Score.component, Score.value)
        .join(Learner, Enrolment.learner_id == Learner.id)
        .outerjoin(Organisation, Enrolment.organisation_id == Organisation.id)
        .outerjoin(Score, and_(Score.enrolment_id == Enrolment.id, Score.module_id == module.id))
        .where(Enrolment.class_id == cls.id)
        .order_by(Learner.sort_key, Learner.id, Score.attempt, Score.component)
    )
    lines: dict[int, LearnerLine] = {}
    values: dict[int, dict[tuple[int, str], Decimal]] = {}
    for e, p, org, attempt, component, value in session.execute(stmt):
        if e.id not in lines:
            lines[e.id] = _line(e, p, org)
            values[e.id] = {}
        if attempt is not None:
            values[e.id][(attempt, component)] = Decimal(value)
    rows = []
    for eid, line in lines.items():
        marks = [Mark(a, c, v) for (a, c), v in values[eid].items()]
        result = score_rules.module_result(module.code, module.kind, module.periods, plan, marks, rules, name=module.name)
        rows.append(SheetRow(enrolment_id=eid, national_id=line.national_id, full_name=line.full_name,
                             birth_text=line.birth_text, organisation=line.organisation, status=line.status,
                             values=values[eid], result=result))
    attempts = max([1, *(r.result.latest_attempt for r in rows)])
    if any(r.editable and r.result.status == "failed" and r.result.latest_attempt == attempts for r in rows):
        attempts += 1  # a column for the retake
    lock = session.execute(select(ScoreLock.locked_at, ScoreLock.locked_by)
                           .where(ScoreLock.class_id == cls.id, ScoreLock.module_id == module.id)).first()
    return ScoreSheet(
        class_code=cls.code, class_name=cls.name, module_code=module.code, module_name=module.name,
        module_kind=module.kind, periods=module.periods, plan=plan, rules=rules, locked=lock is not None,
        locked_at=lock[0] if lock else None, locked_by=lock[1] if lock else None, attempts=attempts,
        columns=sheet_columns(plan, attempts), rows=tuple(rows),
    )


@dataclass(frozen=True)
class CellCheck:
    """A cell's text checked: `ok` with its value (None = the cell is cleared), or the reason."""

    ok: bool
    value: Decimal | None
    message: str | None = None


def validate_cell(value: object) -> CellCheck:
    """Check what a person typed in a score cell: "8,5", "8.5", "8" are fine; "" clears the cell;
    "11", "abc", "8,25" are refused with the reason in Vietnamese."""
    if value is None or (isinstance(value, str) and not text.nfc(value)):
        return CellCheck(True, None)
    try:
        return CellCheck(True, text.parse_score(value))
    except text.ScoreParseError as exc:
        return CellCheck(False, None, exc.message)


# ----------------------------------------------------------------------------- entering scores


@dataclass(frozen=True)
class ScoreEntry:
    """One cell to save. The learner by national ID (CCCD) or by enrolment id; `value` None or ""
    clears the cell; `attempt` None means 1, or the next retake when `retake`; `row` and `column`
    say where the entry came from (grid or workbook) for the messages. When `check_expected`, the
    cell must still hold `expected` (else someone else changed it meanwhile)."""

    module_code: str
    value: object
    national_id: str | None = None
    enrolment_id: int | None = None
    attempt: int | None = None
    component: str | None = None
    retake: bool = False
    row: int | None = None
    column: str | None = None
    check_expected: bool = False
    expected: Decimal | None = None


@dataclass(frozen=True)
class ScoreChange:
    """What saving one entry did (`changed` False: the cell already held that value)."""

    enrolment_id: int
    national_id: str | None
    full_name: str
    module_code: str
    attempt: int
    component: str
    old: Decimal | None
    new: Decimal | None

    @property
    def changed(self) -> bool:
        return self.old != self.new


@dataclass
class _Op:
    enrolment_id: int
    module: Module
    attempt: int
    component: str
    old: Decimal | None
    new: Decimal | None
    line: LearnerLine


class _State:
    """The marks of the class as a block of entries changes them, before anything is written."""

    def __init__(self, session: Session, class_id: int, module_ids: Iterable[int]) -> None:
        ids = list(module_ids)
        self.values: dict[tuple[int, int], dict[tuple[int, str], Decimal]] = {}
        self.rows: dict[tuple[int, int, int, str], Score] = {}
        if not ids:
            return
        stmt = (select(Score).join(Enrolment, Score.enrolment_id == Enrolment.id)
                .where(Enrolment.class_id == class_id, Score.module_id.in_(ids)))
        for score in session.scalars(stmt):
            self.values.setdefault((score.enrolment_id, score.module_id), {})[(score.attempt, score.component)] = \
                Decimal(score.value)
            self.rows[(score.enrolment_id, score.module_id, score.attempt, score.component)] = score

    def marks(self, eid: int, mid: int) -> list[Mark]:
        return [Mark(a, c, v) for (a, c), v in self.values.get((eid, mid), {}).items()]

    def get(self, eid: int, mid: int, attempt: int, component: str) -> Decimal | None:
        return self.values.get((eid, mid), {}).get((attempt, component))

    def put(self, eid: int, mid: int, attempt: int, component: str, value: Decimal | None) -> None:
        cells = self.values.setdefault((eid, mid), {})
        if value is None:
            cells.pop((attempt, component), None)
        else:
            cells[(attempt, component)] = value


def _module_of(session: Session, cls: TrainingClass, module_code: str) -> Module:
    code = text.nfc(module_code or "")
    for m in cls.programme.modules:
        if m.code == code:
            return m
    for m in cls.programme.modules:  # "i.1" typed for "I.1"
        if m.code.casefold() == code.casefold():
            return m
    raise NotFoundError(_unknown_module(code, cls.programme.code, [m.code for m in cls.programme.modules]))


def _lock_message(cls: TrainingClass, module: Module, at: dt.datetime) -> str:
    return tr("scores", "Điểm học phần {module} của lớp {code} đã được chốt ngày {date}; muốn sửa cần người có quyền "
                        "và ghi lý do.").format(module=module.code, code=cls.code, date=text.format_date(at.date()))


def _entry_learner(entry: ScoreEntry, by_id: Mapping[int, LearnerLine], by_nid: Mapping[str, LearnerLine],
                   cls: TrainingClass) -> LearnerLine:
    if entry.enrolment_id is not None:
        line = by_id.get(entry.enrolment_id)
        if line is None:
            raise InputError(tr("scores", "Học viên này không có trong lớp {code}.").format(code=cls.code))
        return line
    raw = text.clean(entry.national_id)
    if not raw:
        raise InputError(tr("scores", "Thiếu số CCCD của học viên."))
    try:
        nid = text.normalize_national_id(raw)
    except text.NationalIdError as exc:
        raise InputError(exc.message) from exc
    found = by_nid.get(nid)
    if found is None:
        raise InputError(tr("scores", "Không có học viên số CCCD {nid} trong lớp {code}.").format(nid=nid, code=cls.code))
    return found


def _component(entry: ScoreEntry, plan: AssessmentPlan, module: Module) -> str:
    wanted = text.nfc(entry.component or "")
    if not wanted:
        return ""
    if plan.overall_only:
        raise InputError(tr("scores", "Học phần {module} chỉ có một điểm chung, không có điểm thành phần '{component}'.")
                         .format(module=module.code, component=wanted))
    for code in plan.codes:
        if code == wanted or code.casefold() == wanted.casefold():
            return code
    raise InputError(tr("scores", "Học phần {module} không có điểm thành phần '{component}' (có: {known}).").format(
        module=module.code, component=wanted, known=", ".join(plan.codes)))


def _attempt(entry: ScoreEntry, result: ModuleResult, rules: Mapping[str, Any], clearing: bool) -> int:
    latest = result.latest_attempt
    if entry.retake and entry.attempt is None:
        if latest == 0:
            raise InputError(tr("scores", "Chưa có điểm lần 1 nên chưa nhập được điểm thi lại."))
        last = result.attempts[-1]
        if not last.complete and latest > 1:
            return latest  # the retake is being filled in, component by component
        allowed, why = score_rules.next_attempt_allowed(result, rules)
        if not allowed:
            raise InputError(tr("scores", "Chưa nhập được điểm thi lại: {why}.").format(why=why))
        return latest + 1
    attempt = 1 if entry.attempt is None else entry.attempt
    if isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1:
        raise InputError(tr("scores", "Lần thi phải là số nguyên từ 1 trở lên."))
    if clearing:
        return attempt
    if attempt > 1 and latest == 0:
        raise InputError(tr("scores", "Chưa có điểm lần 1 nên chưa nhập được lần {m}.").format(m=attempt))
    if attempt > latest + 1:
        raise InputError(tr("scores", "Chưa có điểm lần {n} nên chưa nhập được lần {m}.").format(
            n=latest + 1, m=attempt))
    if attempt == latest + 1 and attempt > 1:
        allowed, why = score_rules.next_attempt_allowed(result, rules)
        if not allowed:
            raise InputError(tr("scores", "Chưa nhập được điểm lần {n}: {why}.").format(n=attempt, why=why))
    return attempt


@operation("scores.set", permission="enter_scores", scope=operations.class_code())
def set_scores(session: Session, class_code: str, entries: Sequence[ScoreEntry], *,
               reason: str | None = None, allow_locked: bool = False) -> list[ScoreChange]:
    """Save a block of cells all-or-nothing; returns one change per entry (unchanged ones included).

    Every entry is checked first, against the state the entries before it leave; if any is
    refused, nothing is written and `InputError` lists every problem with its row and column.
    """
    cls = get_class(session, class_code)
    rules = class_rules(cls)
    plans = {m.id: m.plan for m in _module_defs(cls, rules)}
    lines = _learner_lines(session, cls.id)
    by_id = {line.enrolment_id: line for line in lines}
    by_nid = {line.national_id: line for line in lines if line.national_id}
    modules: dict[str, Module] = {}
    module_problems: dict[str, str] = {}
    for entry in entries:
        if entry.module_code not in modules and entry.module_code not in module_problems:
            try:
                modules[entry.module_code] = _module_of(session, cls, entry.module_code)
            except NotFoundError as exc:
                module_problems[entry.module_code] = exc.message
    state = _State(session, cls.id, {m.id for m in modules.values()})
    locks = {mid: at for mid, at in session.execute(
        select(ScoreLock.module_id, ScoreLock.locked_at).where(ScoreLock.class_id == cls.id))}
    clean_reason = text.clean(reason)
    problems: list[Problem] = []
    errors: list[InputError] = []
    ops: list[_Op] = []
    for entry in entries:
        try:
            if entry.module_code in module_problems:
                raise InputError(module_problems[entry.module_code])
            module = modules[entry.module_code]
            line = _entry_learner(entry, by_id, by_nid, cls)
            if not line.active:
                raise InputError(tr("scores", "{name} đã thôi học hoặc chuyển lớp: không nhập điểm.").format(
                    name=line.full_name))
            check = validate_cell(entry.value)
            if not check.ok:
                raise InputError(check.message or "")
            plan = plans[module.id]
            component = _component(entry, plan, module)
            marks = state.marks(line.enrolment_id, module.id)
            result = score_rules.module_result(module.code, module.kind, module.periods, plan, marks, rules)
            attempt = _attempt(entry, result, rules, clearing=check.value is None)
            old = state.get(line.enrolment_id, module.id, attempt, component)
            if entry.check_expected and old != entry.expected:
                raise ConflictError(tr("scores", "Ô này vừa được người khác sửa (đang là {value}); hãy tải lại bảng "
                                                 "điểm.").format(value=score_rules.score_text(old) or tr("scores", "trống")))
            if old != check.value and module.id in locks:
                if not allow_locked:
                    raise InputError(_lock_message(cls, module, locks[module.id]))
                operations.require(session, "override_score_lock", class_id=cls.id)
                if not clean_reason:
                    raise InputError(tr("scores", "Sửa điểm đã chốt phải ghi lý do."))
            if check.value is None and old is not None:
                later = [a for a, _c in state.values.get((line.enrolment_id, module.id), {}) if a > attempt]
                alone = [k for k in state.values.get((line.enrolment_id, module.id), {}) if k[0] == attempt]
                if later and len(alone) == 1:
                    raise InputError(tr("scores", "Còn điểm lần thi sau; hãy xóa điểm lần {n} trước.").format(
                        n=max(later)))
            state.put(line.enrolment_id, module.id, attempt, component, check.value)
            ops.append(_Op(line.enrolment_id, module, attempt, component, old, check.value, line))
        except InputError as exc:
            problems.append(Problem(exc.message, row=entry.row, column=entry.column))
            errors.append(exc)
    if problems:
        if len(entries) == 1:
            raise errors[0]
        raise InputError(tr("scores", "Chưa lưu điểm: {n} ô có lỗi, không ô nào được lưu.").format(n=len(problems)),
                         problems)
    return [_apply(session, op, clean_reason, state) for op in ops]


def _apply(session: Session, op: _Op, reason: str | None, state: _State) -> ScoreChange:
    change = ScoreChange(enrolment_id=op.enrolment_id, national_id=op.line.national_id, full_name=op.line.full_name,
                         module_code=op.module.code, attempt=op.attempt, component=op.component, old=op.old,
                         new=op.new)
    if not change.changed:
        return change
    key = (op.enrolment_id, op.module.id, op.attempt, op.component)
    row = state.rows.get(key)
    who = operations.acting(session).username
    if op.new is None:
        if row is not None:
            session.delete(row)
            state.rows.pop(key, None)
    elif row is None:
        row = Score(enrolment_id=op.enrolment_id, module_id=op.module.id, attempt=op.attempt,
                    component=op.component, value=op.new, entered_by=who)
        session.add(row)
        state.rows[key] = row
    else:
        row.value = op.new
        row.entered_by = who
        row.entered_at = dt.datetime.now().replace(microsecond=0)
    session.flush()
    audit.record(session, action="score.clear" if op.new is None else "score.set", entity="score",
                 entity_id=f"{op.enrolment_id}/{op.module.id}/{op.attempt}/{op.component}",
                 field=op.module.code + (f"/{op.component}" if op.component else ""),
                 old=None if op.old is None else str(op.old), new=None if op.new is None else str(op.new),
                 reason=reason, state=protected.score_state(op.new))
    return change


def set_score(session: Session, class_code: str, national_id: str | None, module_code: str, value: object, *,
              attempt: int | None = None, component: str | None = None, retake: bool = False,
              enrolment_id: int | None = None, reason: str | None = None,
              allow_locked: bool = False, check_expected: bool = False,
              expected: Decimal | None = None) -> ScoreChange:
    """Save one score (`value` "8,5", "8.5", 8.5; None or "" clears the cell). `attempt` None is the
    first sitting, or with `retake=True` the next retake. Refused (InputError, nothing changed)
    with the reason in Vietnamese: a score outside 0–10 or with two decimals, a learner not in
    the class, a module not of the programme, an unknown component, a retake before a failed
    attempt, a finalised module without `allow_locked` and a reason."""
    entry = ScoreEntry(module_code=module_code, value=value, national_id=national_id, enrolment_id=enrolment_id,
                       attempt=attempt, component=component, retake=retake, check_expected=check_expected,
                       expected=expected)
    return set_scores(session, class_code, [entry], reason=reason, allow_locked=allow_locked)[0]


# ----------------------------------------------------------------------------- finalising


@dataclass(frozen=True)
class FinaliseResult:
    module_code: str
    missing: list[str]  # active learners without a score that counts, by name


@operation("scores.finalise", permission="finalise_scores", scope=operations.class_code())
def finalise_module(session: Session, class_code: str, module_code: str) -> FinaliseResult:
    """Finalise (chốt) a module's scores for the class; later changes need permission and a reason.
    Learners still without a score are listed (barred learners sit later), not refused."""
    cls = get_class(session, class_code)
    module = _module_of(session, cls, module_code)
    if session.scalar(select(ScoreLock.id).where(ScoreLock.class_id == cls.id, ScoreLock.module_id == module.id)):
        raise InputError(tr("scores", "Điểm học phần {module} của lớp {code} đã được chốt từ trước.").format(
            module=module.code, code=cls.code))
    sheet = load_score_sheet(session, class_code, module.code)
    missing = [r.full_name for r in sheet.rows if r.editable and r.result.counted is None]
    who = operations.acting(session).username
    session.add(ScoreLock(class_id=cls.id, module_id=module.id, locked_by=who,
                          locked_at=dt.datetime.now().replace(microsecond=0)))
    session.flush()
    audit.record(session, action="score.finalise", entity="score_lock", entity_id=f"{cls.id}/{module.id}",
                 field=module.code, new="finalised", state=protected.FINALISED)
    return FinaliseResult(module.code, missing)


@operation("scores.unfinalise", permission="finalise_scores", scope=operations.class_code())
def unfinalise_module(session: Session, class_code: str, module_code: str, *, reason: str) -> None:
    """Reopen a finalised module for entry; needs a reason."""
    cls = get_class(session, class_code)
    module = _module_of(session, cls, module_code)
    clean_reason = text.clean(reason)
    if not clean_reason:
        raise InputError(tr("scores", "Mở lại điểm đã chốt phải ghi lý do."))
    lock = session.scalar(select(ScoreLock).where(ScoreLock.class_id == cls.id, ScoreLock.module_id == module.id))
    if lock is None:
        raise InputError(tr("scores", "Điểm học phần {module} của lớp {code} chưa được chốt.").format(
            module=module.code, code=cls.code))
    session.delete(lock)
    session.flush()
    audit.record(session, action="score.unfinalise", entity="score_lock", entity_id=f"{cls.id}/{module.id}",
                 field=module.code, old="finalised", new=None, reason=clean_reason, state=None)


def finalised_modules(session: Session, class_code: str) -> dict[str, tuple[dt.datetime, str | None]]:
    """Module code -> (finalised at, by) for the class."""
    cls = get_class(session, class_code)
    stmt = (select(Module.code, ScoreLock.locked_at, ScoreLock.locked_by)
            .join(ScoreLock, ScoreLock.module_id == Module.id).where(ScoreLock.class_id == cls.id))
    return {code: (at, by) for code, at, by in session.execute(stmt)}


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


# ----------------------------------------------------------------------------- transcript and history


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change on a learner's record: a score or the conduct / confirmation."""

    at: dt.datetime
    username: str | None
    action: str
    what: str  # "I.1 lần 1", "I.1/TX lần 2", "Nhận xét của cơ quan cử đi học"
    old: str | None
    new: str | None
    reason: str | None

    @property
    def is_correction(self) -> bool:
        """A change of a value already there (not the first entry of a score)."""
        return self.old is not None


def _score_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    try:
        return score_rules.score_text(Decimal(raw))
    except ArithmeticError:
        return raw


CONDUCT_FIELDS = {
    "confirmation": "Nhận xét của cơ quan cử đi học",
    "discipline": "Kỷ luật",
    "conduct": "Rèn luyện",
}


def learner_history(session: Session, enrolment_id: int) -> list[HistoryEntry]:
    """Every audited change of the learner's scores and conduct in this class, oldest first."""
    stmt = select(AuditEntry).where(
        ((AuditEntry.entity == "score") & AuditEntry.entity_id.like(f"{enrolment_id}/%"))
        | ((AuditEntry.entity == "enrolment") & (AuditEntry.entity_id == str(enrolment_id)))
    ).order_by(AuditEntry.id)
    out = []
    for entry in session.scalars(stmt):
        if entry.entity == "score":
            parts = (entry.entity_id or "").split("/")
            attempt = parts[2] if len(parts) > 2 else "1"
            what = tr("scores", "{module} lần {n}").format(module=entry.field or "", n=attempt)
            old, new = _score_text(entry.old_value), _score_text(entry.new_value)
        else:
            what = tr("scores", CONDUCT_FIELDS.get(entry.field or "", entry.field or ""))
            old, new = _conduct_text(entry.field, entry.old_value), _conduct_text(entry.field, entry.new_value)
        out.append(HistoryEntry(at=entry.at, username=entry.username, action=entry.action, what=what, old=old,
                                new=new, reason=entry.reason))
    return out


def _conduct_text(field_name: str | None, value: str | None) -> str | None:
    if value is None:
        return None
    if field_name == "confirmation":
        return graduation_rules.confirmation_label(value)
    if field_name == "discipline":
        return graduation_rules.discipline_label(value)
    return value


@dataclass(frozen=True)
class Transcript:
    """A learner's results in a class: every module with its attempts, the history of changes."""

    data: ClassScores
    learner: LearnerLine
    modules: tuple[ModuleResult, ...]
    history: tuple[HistoryEntry, ...] = field(default_factory=tuple)


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


def learner_transcript(session: Session, class_code: str, national_id: str | None = None, *,
                       enrolment_id: int | None = None, data: ClassScores | None = None) -> Transcript:
    """One learner's transcript (by CCCD or enrolment id); pass `data` to reuse a loaded class."""
    data = data or load_class_scores(session, class_code)
    if enrolment_id is not None:
        line = next((x for x in data.learners if x.enrolment_id == enrolment_id), None)
        if line is None:
            raise NotFoundError(tr("scores", "Học viên này không có trong lớp {code}.").format(code=data.class_code))
    else:
        line = find_learner(data, national_id or "")
    return Transcript(data=data, learner=line, modules=data.results(line.enrolment_id),
                      history=tuple(learner_history(session, line.enrolment_id)))

