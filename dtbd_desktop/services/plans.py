"""The annual plan (kế hoạch đào tạo, bồi dưỡng): targets per programme and year, the training
needs organisations register (đăng ký nhu cầu) summed into a draft, and plan against actual.

Counting, the same in every report of the program:

* a class belongs to the year it opened (`TrainingClass.year`, the year of its start);
* as of a date, a class of the year has been **held** ("thực hiện") once it has started, and is
  **scheduled** ("sắp khai giảng") while its start is still to come;
* a class opened in an earlier year and still running in the year is **carried over**
  ("chuyển tiếp"): shown apart, and counted against the plan only when asked
  (`count_carried_over`), since centres differ on whether their plan includes them;
* learner-times (lượt học viên) are enrolments, except those transferred to another class
  (they are counted in the class they moved to); learners who withdrew still count.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import and_, delete, func, or_, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AnnualPlan, Enrolment, Organisation, Programme, TrainingClass, TrainingNeed
from dtbd_desktop.rules.statistics import Figures, count_text, plan_phrase
from dtbd_desktop.trust.operations import operation

#: Class size used to suggest a number of classes when a programme has no classes to learn from.
DEFAULT_CLASS_SIZE = 50
#: Years of past classes the typical class size is taken from.
CLASS_SIZE_YEARS = 3
MAX_TARGET = 1_000_000
KIND_LABELS = {"training": "Đào tạo", "fostering": "Bồi dưỡng"}


def kind_label(kind: str) -> str:
    return tr("plans", KIND_LABELS.get(kind, kind))


def default_as_of(year: int, today: dt.date | None = None) -> dt.date:
    """The date a year's figures are taken at: today during the year, its last day afterwards
    (before the year starts, today: nothing has been held yet)."""
    today = today or dt.date.today()
    return min(today, dt.date(year, 12, 31))


# ---------------------------------------------------------------------------------- classes of a year


@dataclass(frozen=True)
class ClassFacts:
    """A class as the yearly counts see it."""

    id: int
    code: str
    name: str
    programme_id: int
    programme_code: str
    mode: str
    venue: str | None
    year: int
    start: dt.date
    end: dt.date
    status: str
    learners: int  # enrolments not transferred away


def year_classes(session: Session, year: int) -> list[ClassFacts]:
    """Classes opened in `year` and classes of earlier years still running in it, with their
    learner-times, in one grouped query."""
    first_day = dt.date(year, 1, 1)
    stmt = (
        select(TrainingClass.id, TrainingClass.code, TrainingClass.name, TrainingClass.programme_id, Programme.code,
               TrainingClass.mode, TrainingClass.venue, TrainingClass.year, TrainingClass.start_date,
               TrainingClass.end_date, TrainingClass.status, func.count(Enrolment.id))
        .join(Programme, Programme.id == TrainingClass.programme_id)
        .outerjoin(Enrolment, and_(Enrolment.class_id == TrainingClass.id, Enrolment.status != "transferred"))
        .where(or_(TrainingClass.year == year,
                   and_(TrainingClass.year < year, TrainingClass.end_date >= first_day)))
        .group_by(TrainingClass.id, TrainingClass.code, TrainingClass.name, TrainingClass.programme_id, Programme.code,
                  TrainingClass.mode, TrainingClass.venue, TrainingClass.year, TrainingClass.start_date,
                  TrainingClass.end_date, TrainingClass.status)
        .order_by(TrainingClass.start_date, TrainingClass.code)
    )
    return [ClassFacts(id=cid, code=code, name=name, programme_id=pid, programme_code=pcode, mode=mode, venue=venue,
                       year=cyear, start=start, end=end, status=status, learners=int(learners))
            for cid, code, name, pid, pcode, mode, venue, cyear, start, end, status, learners
            in session.execute(stmt)]


def active_programmes(session: Session) -> list[Programme]:
    return list(session.scalars(select(Programme).order_by(Programme.position, Programme.code)))


# ---------------------------------------------------------------------------------- plan vs actual


@dataclass(frozen=True)
class PlanLine:
    """One programme's plan and what was done (or a subtotal / the total, `programme_code` "")."""

    programme_code: str
    programme_name: str
    kind: str  # "training" | "fostering" | "" for the total
    target: Figures
    opened: Figures  # classes of the year already started
    carried: Figures  # classes of earlier years still running in the year
    scheduled: Figures  # classes of the year not started yet
    count_carried_over: bool = False

    @property
    def actual(self) -> Figures:
        """What is compared with the plan."""
        return self.opened + self.carried if self.count_carried_over else self.opened

    @property
    def phrase(self) -> str:
        """"2/2 lớp, 117/100 học viên, đạt 100,0% / 117,0%"."""
        return plan_phrase(self.actual, self.target)

    def extras(self, year: int) -> str:
        """The carried-over and scheduled classes, in words ("" when there are none)."""
        parts: list[str] = []
        if self.carried.classes:
            template = (tr("plans", "trong đó {c} lớp chuyển tiếp từ năm {y} ({l} học viên)")
                        if self.count_carried_over else
                        tr("plans", "ngoài ra {c} lớp chuyển tiếp từ năm {y} ({l} học viên)"))
            parts.append(template.format(c=count_text(self.carried.classes), y=year - 1,
                                         l=count_text(self.carried.learners)))
        if self.scheduled.classes:
            parts.append(tr("plans", "{c} lớp sắp khai giảng ({l} học viên)").format(
                c=count_text(self.scheduled.classes), l=count_text(self.scheduled.learners)))
        return "; ".join(parts)

    def sentence(self, year: int) -> str:
        """"Trung cấp lý luận chính trị - hành chính: 2/2 lớp, 117/100 học viên, đạt 100,0% /
        117,0%; ngoài ra 2 lớp chuyển tiếp từ năm 2025 (100 học viên)"."""
        extras = self.extras(year)
        body = f"{self.programme_name}: {self.phrase}"
        return f"{body}; {extras}" if extras else body


@dataclass(frozen=True)
class PlanReport:
    year: int
    as_of: dt.date
    count_carried_over: bool
    lines: list[PlanLine]  # one per programme with a target or a class
    subtotals: list[PlanLine]  # per kind: training, fostering
    total: PlanLine
    classes: list[ClassFacts] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """The report's opening sentence."""
        head = tr("plans", "Năm {year}, thực hiện {phrase} so với kế hoạch").format(
            year=self.year, phrase=self.total.phrase)
        extras = self.total.extras(self.year)
        return f"{head}; {extras}." if extras else f"{head}."


def plan_vs_actual(session: Session, year: int, *, as_of: dt.date | None = None,
                   count_carried_over: bool = False) -> PlanReport:
    """Plan against actual per programme, per kind and in total (see the module's counting)."""
    as_of = as_of or default_as_of(year)
    targets = {pid: Figures(c, n) for pid, c, n in session.execute(
        select(AnnualPlan.programme_id, AnnualPlan.target_classes, AnnualPlan.target_learners)
        .where(AnnualPlan.year == year))}
    facts = year_classes(session, year)
    opened: dict[int, Figures] = defaultdict(Figures)
    carried: dict[int, Figures] = defaultdict(Figures)
    scheduled: dict[int, Figures] = defaultdict(Figures)
    for c in facts:
        bucket = carried if c.year < year else opened if c.start <= as_of else scheduled
        bucket[c.programme_id] = bucket[c.programme_id] + Figures(1, c.learners)
    lines: list[PlanLine] = []
    for p in active_programmes(session):
        if p.id not in targets and p.id not in opened and p.id not in carried and p.id not in scheduled:
            continue
        lines.append(PlanLine(p.code, text.nfc(p.name), p.kind, targets.get(p.id, Figures()), opened[p.id],
                              carried[p.id], scheduled[p.id], count_carried_over))

    def summed(code: str, name: str, kind: str, group: Sequence[PlanLine]) -> PlanLine:
        zero = Figures()
        return PlanLine(code, name, kind, sum((g.target for g in group), zero), sum((g.opened for g in group), zero),
                        sum((g.carried for g in group), zero), sum((g.scheduled for g in group), zero),
                        count_carried_over)

    subtotals = [summed("", kind_label(kind), kind, [ln for ln in lines if ln.kind == kind])
                 for kind in ("training", "fostering") if any(ln.kind == kind for ln in lines)]
    total = summed("", tr("plans", "Tổng cộng"), "", lines)
    return PlanReport(year, as_of, count_carried_over, lines, subtotals, total, facts)


# ---------------------------------------------------------------------------------- editing the plan


@dataclass(frozen=True)
class PlanEntry:
    """A programme's line in the plan editor: its targets and what the registered needs suggest."""

    programme_code: str
    programme_name: str
    kind: str
    target_classes: int
    target_learners: int
    note: str | None
    needs_learners: int  # learners registered by organisations
    needs_organisations: int
    class_size: int  # typical class size of the programme
    suggested_classes: int  # ceil(needs / class size)

    @property
    def has_plan(self) -> bool:
        return bool(self.target_classes or self.target_learners or self.note)


@dataclass(frozen=True)
class PlanTarget:
    programme_code: str
    target_classes: int
    target_learners: int
    note: str | None = None


def typical_class_sizes(session: Session, year: int) -> dict[int, int]:
    """Average learner-times per class of each programme over the `CLASS_SIZE_YEARS` years
    before `year` (classes with learners only), rounded."""
    per_class = (
        select(TrainingClass.programme_id.label("pid"), func.count(Enrolment.id).label("n"))
        .join(Enrolment, and_(Enrolment.class_id == TrainingClass.id, Enrolment.status != "transferred"))
        .where(TrainingClass.year < year, TrainingClass.year >= year - CLASS_SIZE_YEARS)
        .group_by(TrainingClass.id, TrainingClass.programme_id)
        .subquery()
    )
    rows = session.execute(select(per_class.c.pid, func.sum(per_class.c.n), func.count()).group_by(per_class.c.pid))
    return {pid: max(1, round(total / count)) for pid, total, count in rows if count}


def suggested_classes(learners: int, class_size: int) -> int:
    """Classes needed for `learners` at `class_size` a class (rounded up; 0 for no learners)."""
    if learners <= 0:
        return 0
    return math.ceil(learners / max(1, class_size))


def plan_sheet(session: Session, year: int) -> list[PlanEntry]:
    """Every programme with its target for `year` (0 when none) and the registered needs."""
    plans = {p.programme_id: p for p in session.scalars(select(AnnualPlan).where(AnnualPlan.year == year))}
    needs = {pid: (total, orgs) for pid, total, orgs in session.execute(
        select(TrainingNeed.programme_id, func.sum(TrainingNeed.learners), func.count(TrainingNeed.organisation_id))
        .where(TrainingNeed.year == year).group_by(TrainingNeed.programme_id))}
    sizes = typical_class_sizes(session, year)
    entries = []
    for p in active_programmes(session):
        plan = plans.get(p.id)
        needed, orgs = needs.get(p.id, (0, 0))
        size = sizes.get(p.id, DEFAULT_CLASS_SIZE)
        entries.append(PlanEntry(
            programme_code=p.code, programme_name=text.nfc(p.name), kind=p.kind,
            target_classes=plan.target_classes if plan else 0, target_learners=plan.target_learners if plan else 0,
            note=plan.note if plan else None, needs_learners=int(needed or 0), needs_organisations=int(orgs or 0),
            class_size=size, suggested_classes=suggested_classes(int(needed or 0), size)))
    return entries


def _programme_ids(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Programme.code, Programme.id)).all())


def _check_count(value: object, label: str, problems: list[Problem], row: int | None, field_name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_TARGET:
        problems.append(Problem(tr("plans", "{label} phải là số nguyên từ 0 đến {max}.").format(
            label=label, max=count_text(MAX_TARGET)), row=row, field=field_name))
        return 0
    return value


@operation("plans.save", permission="edit_catalogue")
def save_plan(session: Session, year: int, targets: Sequence[PlanTarget]) -> int:
    """Set the targets of `year` for the programmes given (others are left as they are). A line
    with no classes, no learners and no note removes the programme's target. All or nothing;
    returns the number of programmes changed."""
    _check_year(year)
    ids = _programme_ids(session)
    problems: list[Problem] = []
    clean: list[tuple[int, int, int, str | None]] = []
    for row, t in enumerate(targets, start=1):
        pid = ids.get(t.programme_code)
        if pid is None:
            problems.append(Problem(tr("plans", "Không có chương trình mã '{code}'.").format(code=t.programme_code),
                                    row=row, field="programme"))
            continue
        classes = _check_count(t.target_classes, tr("plans", "Chỉ tiêu số lớp"), problems, row, "target_classes")
        learners = _check_count(t.target_learners, tr("plans", "Chỉ tiêu số học viên"), problems, row,
                                "target_learners")
        clean.append((pid, classes, learners, text.clean(t.note)))
    if problems:
        raise InputError(tr("plans", "Chưa lưu kế hoạch năm {year}.").format(year=year), problems)
    existing = {p.programme_id: p for p in session.scalars(select(AnnualPlan).where(AnnualPlan.year == year))}
    changed = 0
    for pid, classes, learners, note in clean:
        plan = existing.get(pid)
        if not classes and not learners and not note:
            if plan is not None:
                session.delete(plan)
                changed += 1
            continue
        if plan is None:
            session.add(AnnualPlan(year=year, programme_id=pid, target_classes=classes, target_learners=learners,
                                   note=note))
            changed += 1
        elif (plan.target_classes, plan.target_learners, plan.note) != (classes, learners, note):
            plan.target_classes, plan.target_learners, plan.note = classes, learners, note
            changed += 1
    session.flush()
    return changed


def _check_year(year: int) -> None:
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 2100:
        raise InputError(tr("plans", "Năm '{year}' không hợp lệ (ví dụ: 2026).").format(year=year))


# ---------------------------------------------------------------------------------- training needs


@dataclass(frozen=True)
class NeedRow:
    organisation_id: int
    organisation: str
    programme_code: str
    programme_name: str
    learners: int
    note: str | None


def organisation_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of the active organisations in Vietnamese order, for pickers."""
    rows = session.execute(select(Organisation.id, Organisation.name).where(Organisation.active.is_(True)))
    return sorted(((oid, text.nfc(name)) for oid, name in rows), key=lambda o: text.vn_sort_key(o[1]))


def list_needs(session: Session, year: int) -> list[NeedRow]:
    """The needs registered for `year`, by organisation (Vietnamese order) then programme."""
    rows = session.execute(
        select(TrainingNeed.organisation_id, Organisation.name, Programme.code, Programme.name, TrainingNeed.learners,
               TrainingNeed.note, Programme.position)
        .join(Organisation, Organisation.id == TrainingNeed.organisation_id)
        .join(Programme, Programme.id == TrainingNeed.programme_id)
        .where(TrainingNeed.year == year))
    out = [NeedRow(oid, text.nfc(oname), pcode, text.nfc(pname), learners, note)
           for oid, oname, pcode, pname, learners, note, _pos in rows]
    positions = {code: pos for code, pos in session.execute(select(Programme.code, Programme.position))}
    out.sort(key=lambda r: (text.vn_sort_key(r.organisation), positions.get(r.programme_code, 0), r.programme_code))
    return out


@operation("plans.save_need", permission="edit_catalogue")
def save_need(session: Session, *, year: int, organisation_id: int, programme_code: str, learners: int,
              note: str | None = None) -> None:
    """Record (or change) what an organisation registered; 0 learners removes the line."""
    set_needs(session, year, [(organisation_id, programme_code, learners, note)])


@operation("plans.set_needs", permission="edit_catalogue")
def set_needs(session: Session, year: int, values: Sequence[tuple[int, str, int, str | None]], *,
              rows: Sequence[int] | None = None, dry_run: bool = False) -> int:
    """Write many needs at once: (organisation id, programme code, learners, note); all or none.
    `rows` gives the workbook row of each value for the problems. Returns the lines changed
    (with `dry_run`, the lines that would change; nothing is written)."""
    _check_year(year)
    ids = _programme_ids(session)
    orgs = set(session.scalars(select(Organisation.id)))
    problems: list[Problem] = []
    for index, (oid, code, learners, _note) in enumerate(values):
        row = rows[index] if rows is not None else index + 1
        if oid not in orgs:
            problems.append(Problem(tr("plans", "Không có đơn vị đã chọn."), row=row, field="organisation"))
        if code not in ids:
            problems.append(Problem(tr("plans", "Không có chương trình mã '{code}'.").format(code=code), row=row,
                                    field="programme"))
        _check_count(learners, tr("plans", "Số học viên đăng ký"), problems, row, "learners")
    if problems:
        raise InputError(tr("plans", "Chưa lưu nhu cầu đào tạo năm {year}.").format(year=year), problems)
    existing = {(n.organisation_id, n.programme_id): n
                for n in session.scalars(select(TrainingNeed).where(TrainingNeed.year == year))}
    changed = 0
    for oid, code, learners, note in values:
        key = (oid, ids[code])
        need = existing.get(key)
        note = text.clean(note)
        if learners == 0:
            if need is not None:
                if not dry_run:
                    session.delete(need)
                existing.pop(key)
                changed += 1
            continue
        if dry_run:
            changed += need is None or (need.learners, need.note) != (learners, note)
            continue
        if need is None:
            need = TrainingNeed(year=year, organisation_id=oid, programme_id=ids[code], learners=learners, note=note)
            session.add(need)
            existing[key] = need
            changed += 1
        elif (need.learners, need.note) != (learners, note):
            need.learners, need.note = learners, note
            changed += 1
    session.flush()
    return changed


@operation("plans.clear_needs", permission="edit_catalogue")
def clear_needs(session: Session, year: int) -> int:
    result = session.execute(delete(TrainingNeed).where(TrainingNeed.year == year))
    return int(getattr(result, "rowcount", 0) or 0)


@dataclass(frozen=True)
class DraftLine:
    programme_code: str
    programme_name: str
    needs_learners: int
    needs_organisations: int
    class_size: int
    suggested_classes: int
    target_classes: int  # the plan as it stands
    target_learners: int


def draft_plan(session: Session, year: int) -> list[DraftLine]:
    """The needs summed per programme into a draft: learners registered, classes suggested."""
    return [DraftLine(e.programme_code, e.programme_name, e.needs_learners, e.needs_organisations, e.class_size,
                      e.suggested_classes, e.target_classes, e.target_learners)
            for e in plan_sheet(session, year) if e.needs_learners]


@operation("plans.apply_draft", permission="edit_catalogue")
def apply_draft(session: Session, year: int, *, overwrite: bool = False) -> int:
    """Take the draft as the plan: programmes with needs get the suggested classes and the
    registered learners as targets. Programmes that already have a target keep it unless
    `overwrite`. Returns the number of programmes changed."""
    targets = [PlanTarget(e.programme_code, e.suggested_classes, e.needs_learners, e.note)
               for e in plan_sheet(session, year)
               if e.needs_learners and (overwrite or not e.has_plan)]
    return save_plan(session, year, targets) if targets else 0


def get_programme_id(session: Session, code: str) -> int:
    pid = _programme_ids(session).get(code)
    if pid is None:
        raise NotFoundError(tr("plans", "Không có chương trình mã '{code}'.").format(code=code))
    return pid
