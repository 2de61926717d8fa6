"""Scores → module results, as pure functions: how a module is assessed, what each attempt
scored, which attempt counts, passed or failed, whether a retake may be entered.

Everything here works on plain values and a rule set (a dict, see `rule_sets.py`); nothing reads
the database, so every rule is tested by tables of cases and explained the same way on the
screen, on the command line and on the printed documents. What a learner's module results
make of them (eligibility, average, classification, rank) is `graduation.py`.

1. `plan_for` says how a module is assessed: one overall score, or components with weights
   (regular tests, the module exam, an essay...). It comes from the class's rule set
   (`rules["assessment"]`, by module code, or `"*"` for every ordinary module), else from the
   catalogue (`Module.assessment`), else one overall score.
2. `module_result` turns the module's marks (attempt, component, value) into the score of each
   attempt (an overall score entered directly wins; otherwise the weighted components, with a
   retake re-sitting only the components it enters), the counted score (latest or best attempt)
   and a status: missing, incomplete, passed or failed.

Rule-set keys read here beyond the defaults of `rule_sets.py` (all optional): `assessment`
(plans by module code), `retake_only_if_failed` (default True).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

from dtbd_desktop.base.errors import Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.base.text import format_decimal, round_half_up

ZERO = Decimal(0)
ORDINARY = "module"

# ----------------------------------------------------------------------------- labels

KIND_LABELS = {
    "module": tr_noop("grading", "Học phần"),
    "graduation_exam": tr_noop("grading", "Môn thi tốt nghiệp"),
    "thesis": tr_noop("grading", "Khóa luận"),
}
STATUS_LABELS = {
    "missing": tr_noop("grading", "Chưa có điểm"),
    "incomplete": tr_noop("grading", "Chưa đủ điểm thành phần"),
    "passed": tr_noop("grading", "Đạt"),
    "failed": tr_noop("grading", "Chưa đạt"),
}


def kind_label(kind: str) -> str:
    return tr("grading", KIND_LABELS.get(kind, kind))


def status_label(status: str) -> str:
    return tr("grading", STATUS_LABELS.get(status, status))


def score_text(value: Decimal | None, places: int = 1) -> str:
    """A score as printed: decimal comma, "" for None ("8,5")."""
    return format_decimal(value, places)


# ----------------------------------------------------------------------------- basic rules


def pass_mark(rules: Mapping[str, Any]) -> Decimal:
    return Decimal(str(rules.get("pass_mark", 5.0)))


def is_pass(score: Decimal | None, rules: Mapping[str, Any]) -> bool:
    return score is not None and score >= pass_mark(rules)


def counted_score(attempts: Sequence[tuple[int, Decimal]], rules: Mapping[str, Any]) -> Decimal | None:
    """The score that counts among a module's attempts: the latest (default) or the best."""
    if not attempts:
        return None
    if rules.get("attempt_counted", "latest") == "best":
        return max(value for _attempt, value in attempts)
    return max(attempts, key=lambda a: a[0])[1]


def weighted_mean(items: Sequence[tuple[Decimal, int]], rules: Mapping[str, Any]) -> Decimal | None:
    """Unrounded mean of (score, periods), weighted by periods (or equally, or when no periods)."""
    if not items:
        return None
    weight = sum(p for _s, p in items)
    if rules.get("average_weighting", "periods") == "equal" or weight == 0:
        return sum((s for s, _p in items), ZERO) / len(items)
    return sum((s * p for s, p in items), ZERO) / weight


def weighted_average(items: Sequence[tuple[Decimal, int]], rules: Mapping[str, Any]) -> Decimal | None:
    """Average of (score, periods) weighted by periods (or equally), rounded half up for ranking."""
    mean = weighted_mean(items, rules)
    if mean is None:
        return None
    return round_half_up(mean, int(rules.get("ranking_decimals", 2)))


# ----------------------------------------------------------------------------- assessment plans


@dataclass(frozen=True)
class Component:
    """One assessed part of a module: "TX" Kiểm tra thường xuyên, weight 3."""

    code: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class AssessmentPlan:
    """How a module is scored: components with weights, or (no components) one overall score."""

    components: tuple[Component, ...] = ()

    @property
    def overall_only(self) -> bool:
        return not self.components

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.components)

    def component(self, code: str) -> Component | None:
        return next((c for c in self.components if c.code == code), None)

    def as_json(self) -> dict[str, Any] | None:
        if not self.components:
            return None
        return {"components": [{"code": c.code, "name": c.name, "weight": float(c.weight)}
                               for c in self.components]}


OVERALL = AssessmentPlan()


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def validate_plan(data: Any) -> list[Problem]:
    """Every problem with an assessment plan as stored (JSON); empty when it can be used.

    Accepted: None or {} (one overall score), or {"components": [{"code", "name", "weight"}, ...]}
    with distinct non-empty codes and positive weights (any scale: 3/7, 0.3/0.7, 30/70).
    """
    if data is None or data == {} or data == []:
        return []
    components = data.get("components") if isinstance(data, dict) else data
    if not isinstance(components, list):
        return [Problem(tr("grading", "Cách đánh giá phải là danh sách điểm thành phần có mã, tên và trọng số."),
                        field="assessment")]
    problems: list[Problem] = []
    seen: set[str] = set()
    for index, item in enumerate(components, start=1):
        code = str(item.get("code") or "").strip() if isinstance(item, dict) else ""
        weight = _decimal(item.get("weight")) if isinstance(item, dict) else None
        if not code:
            problems.append(Problem(tr("grading", "Điểm thành phần thứ {n} chưa có mã.").format(n=index),
                                    row=index, field="assessment"))
        elif code in seen:
            problems.append(Problem(tr("grading", "Mã điểm thành phần '{code}' bị trùng.").format(code=code),
                                    row=index, field="assessment"))
        seen.add(code)
        if weight is None or weight <= 0:
            problems.append(Problem(tr("grading", "Trọng số của điểm thành phần thứ {n} phải là số dương.")
                                    .format(n=index), row=index, field="assessment"))
    return problems


def parse_plan(data: Any) -> AssessmentPlan:
    """The plan of stored JSON; raises ValueError (Vietnamese) when `validate_plan` finds problems."""
    problems = validate_plan(data)
    if problems:
        raise ValueError("; ".join(p.message for p in problems))
    if data is None or data == {} or data == []:
        return OVERALL
    components: list[Any] = (data.get("components") if isinstance(data, dict) else data) or []
    parsed = []
    for item in components:
        weight = _decimal(item["weight"])
        assert weight is not None
        code = str(item["code"]).strip()
        parsed.append(Component(code=code, name=str(item.get("name") or code).strip(), weight=weight))
    return AssessmentPlan(tuple(parsed))


def plan_for(module_code: str, module_kind: str, module_assessment: Any, rules: Mapping[str, Any]) -> AssessmentPlan:
    """The plan a class applies to a module: its rule set's `assessment[code]`, then `assessment["*"]`
    (ordinary modules only), then the catalogue's `Module.assessment`, else one overall score."""
    table = rules.get("assessment") or {}
    if isinstance(table, dict):
        if module_code in table:
            return parse_plan(table[module_code])
        if module_kind == ORDINARY and "*" in table:
            return parse_plan(table["*"])
    return parse_plan(module_assessment)


# ----------------------------------------------------------------------------- module results


class Mark(NamedTuple):
    """One stored score: attempt (1 = first sitting), component ('' = the overall score), value."""

    attempt: int
    component: str
    value: Decimal


@dataclass(frozen=True)
class AttemptScore:
    """The score of one attempt: entered directly, or from its components (None while incomplete)."""

    attempt: int
    score: Decimal | None
    direct: bool = False  # the overall score was entered directly
    components: Mapping[str, Decimal] = field(default_factory=dict)  # effective, carried ones included
    missing: tuple[str, ...] = ()  # components still without a score

    @property
    def complete(self) -> bool:
        return self.score is not None


def components_score(plan: AssessmentPlan, values: Mapping[str, Decimal], rules: Mapping[str, Any]) -> Decimal | None:
    """The weighted components, rounded half up to the score's decimals; None if one is missing."""
    if plan.overall_only or any(c.code not in values for c in plan.components):
        return None
    total_weight = sum((c.weight for c in plan.components), ZERO)
    total = sum((values[c.code] * c.weight for c in plan.components), ZERO)
    return round_half_up(total / total_weight, int(rules.get("score_decimals", 1)))


def attempt_scores(plan: AssessmentPlan, marks: Iterable[Mark], rules: Mapping[str, Any]) -> list[AttemptScore]:
    """The score of every attempt that has marks, in attempt order.

    A component a retake does not enter is carried from the latest earlier attempt that has it
    (a retake re-sits the exam; the regular-test score stays). Marks of components the plan
    does not name are ignored.
    """
    by_attempt: dict[int, dict[str, Decimal]] = {}
    for mark in marks:
        by_attempt.setdefault(mark.attempt, {})[mark.component] = mark.value
    carried: dict[str, Decimal] = {}
    result = []
    for attempt in sorted(by_attempt):
        entered = by_attempt[attempt]
        for code in plan.codes:
            if code in entered:
                carried[code] = entered[code]
        effective = {c: carried[c] for c in plan.codes if c in carried}
        missing = tuple(c for c in plan.codes if c not in carried)
        if "" in entered:
            result.append(AttemptScore(attempt, entered[""], True, effective, ()))
        else:
            result.append(AttemptScore(attempt, components_score(plan, effective, rules), False, effective,
                                       missing if not plan.overall_only else ("",)))
    return result


@dataclass(frozen=True)
class ModuleResult:
    """A module's result for one learner."""

    code: str
    kind: str
    periods: int
    attempts: tuple[AttemptScore, ...]
    counted: Decimal | None
    status: str  # "missing" | "incomplete" | "passed" | "failed"
    name: str = ""

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    @property
    def latest_attempt(self) -> int:
        return max((a.attempt for a in self.attempts), default=0)

    @property
    def retaken(self) -> bool:
        """More than one attempt has marks: the module needed a retake."""
        return self.latest_attempt > 1

    @property
    def scored(self) -> bool:
        return bool(self.attempts)

    def attempt(self, number: int) -> AttemptScore | None:
        return next((a for a in self.attempts if a.attempt == number), None)

    @property
    def latest_complete(self) -> AttemptScore | None:
        complete = [a for a in self.attempts if a.complete]
        return complete[-1] if complete else None

    @property
    def missing_components(self) -> tuple[str, ...]:
        return self.attempts[-1].missing if self.attempts else ()


def module_result(code: str, kind: str, periods: int, plan: AssessmentPlan, marks: Iterable[Mark],
                  rules: Mapping[str, Any], *, name: str = "") -> ModuleResult:
    """A module's attempts, counted score and status for one learner."""
    attempts = tuple(attempt_scores(plan, marks, rules))
    complete = [(a.attempt, a.score) for a in attempts if a.score is not None]
    counted = counted_score(complete, rules)
    if not attempts:
        status = "missing"
    elif counted is None:
        status = "incomplete"
    elif is_pass(counted, rules):
        status = "passed"
    else:
        status = "failed"
    return ModuleResult(code=code, kind=kind, periods=periods, attempts=attempts, counted=counted, status=status,
                        name=name)


def next_attempt_allowed(result: ModuleResult, rules: Mapping[str, Any]) -> tuple[bool, str | None]:
    """Whether a new attempt (a retake) may be entered, and why not (Vietnamese) when it may not."""
    if not result.attempts:
        return False, tr("grading", "chưa có điểm lần thi thứ nhất")
    last = result.attempts[-1]
    if not last.complete:
        return False, tr("grading", "lần thi {n} chưa đủ điểm thành phần").format(n=last.attempt)
    if rules.get("retake_only_if_failed", True) and is_pass(last.score, rules):
        return False, tr("grading", "lần thi {n} đã đạt ({score} điểm), không phải thi lại").format(
            n=last.attempt, score=score_text(last.score))
    return True, None


__all__ = [
    "AssessmentPlan", "AttemptScore", "Component", "Mark", "ModuleResult", "OVERALL", "attempt_scores",
    "components_score", "counted_score", "is_pass", "kind_label", "module_result", "next_attempt_allowed",
    "parse_plan", "pass_mark", "plan_for", "score_text", "status_label", "validate_plan", "weighted_average",
    "weighted_mean",
]
