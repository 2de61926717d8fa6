"""Entering and correcting scores, and finalising (chốt) a module: the operations on scores.

`set_score` saves one cell, `set_scores` a pasted block all-or-nothing: every entry is checked
against the state the block builds up (a retake column after the first sitting in the same
paste works), and one bad cell refuses the whole block with every problem, each with its row
and column. Every change is audited in the same transaction (who, when, old, new, reason).
After a module is finalised (`finalise_module`, table `score_locks`) a change needs
`allow_locked=True`, the "override_score_lock" permission of the acting account and a reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Module, Score, ScoreLock, TrainingClass
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.scores import AssessmentPlan, Mark, ModuleResult
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.scores.class_scores import (
    LearnerLine,
    class_rules,
    learner_lines,
    module_defs,
    module_of,
)
from dtbd_desktop.services.scores.sheets import load_score_sheet, validate_cell
from dtbd_desktop.trust import audit, operations, protected
from dtbd_desktop.trust.operations import operation

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
    plans = {m.id: m.plan for m in module_defs(cls, rules)}
    lines = learner_lines(session, cls.id)
    by_id = {line.enrolment_id: line for line in lines}
    by_nid = {line.national_id: line for line in lines if line.national_id}
    modules: dict[str, Module] = {}
    module_problems: dict[str, str] = {}
    for entry in entries:
        if entry.module_code not in modules and entry.module_code not in module_problems:
            try:
                modules[entry.module_code] = module_of(session, cls, entry.module_code)
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


def unscored_learners(session: Session, class_code: str, module_code: str) -> list[str]:
    """The learners still in the class without a score that counts in the module, in roster order:
    what finalising lists (and what the screen asks about before it)."""
    sheet = load_score_sheet(session, class_code, module_code)
    return [r.full_name for r in sheet.rows if r.editable and r.result.counted is None]


@operation("scores.finalise", permission="finalise_scores", scope=operations.class_code())
def finalise_module(session: Session, class_code: str, module_code: str) -> FinaliseResult:
    """Finalise (chốt) a module's scores for the class; later changes need permission and a reason.
    Learners still without a score are listed (barred learners sit later), not refused."""
    cls = get_class(session, class_code)
    module = module_of(session, cls, module_code)
    if session.scalar(select(ScoreLock.id).where(ScoreLock.class_id == cls.id, ScoreLock.module_id == module.id)):
        raise InputError(tr("scores", "Điểm học phần {module} của lớp {code} đã được chốt từ trước.").format(
            module=module.code, code=cls.code))
    missing = unscored_learners(session, class_code, module.code)
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
    module = module_of(session, cls, module_code)
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
