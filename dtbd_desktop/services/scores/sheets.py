"""The sheet of one module for a class, for the grid and the fill-in workbook: learners in roster
order with their marks (one query), the columns to show (attempts × components), each row's
result; `validate_cell` checks what a person typed in a cell and says why it is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Learner, Organisation, Score, ScoreLock
from dtbd_desktop.rules import scores as score_rules
from dtbd_desktop.rules.scores import AssessmentPlan, Mark, ModuleResult
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.scores.class_scores import (
    INACTIVE,
    LearnerLine,
    class_rules,
    learner_line,
    module_defs,
    module_of,
)
from dtbd_desktop.trust import accounts

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
    locked_by_name: str | None = None  # who finalised, as a person reads it (`accounts.display_names`)

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
    module = module_of(session, cls, module_code)
    plan = next(m.plan for m in module_defs(cls, rules) if m.id == module.id)
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
            lines[e.id] = learner_line(e, p, org)
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
        locked_by_name=accounts.display_names(session, [lock[1]]).get(lock[1] or "") if lock else None,
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
