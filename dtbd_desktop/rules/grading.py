"""Scores → module results → eligibility, average, classification and rank, as pure functions.

Everything here works on plain values and a rule set (a dict, see `rules.py`); nothing reads
the database, so every rule is tested by tables of cases and explained the same way on the
screen, on the command line and on the printed documents.

The chain, for one learner of one class:

1. `plan_for` says how a module is assessed: one overall score, or components with weights
   (regular tests, the module exam, an essay...). It comes from the class's rule set
   (`rules["assessment"]`, by module code, or `"*"` for every ordinary module), else from the
   catalogue (`Module.assessment`), else one overall score.
2. `module_result` turns the module's marks (attempt, component, value) into the score of each
   attempt (an overall score entered directly wins; otherwise the weighted components, with a
   retake re-sitting only the components it enters), the counted score (latest or best attempt)
   and a status: missing, incomplete, passed or failed.
3. `review_learner` applies the graduation (or completion) rules to every module result and to
   the learner's confirmation, discipline and attendance, and returns the outcome: eligible or
   not with the reasons in plain Vietnamese, the average, the classification with its
   downgrades. `rank` orders the eligible learners.

Rule-set keys read here beyond the defaults of `rules.py` (all optional):
`assessment` (plans by module code), `final_share` (share of the overall average given to the
graduation exams or thesis; default 0: the average is over the modules), `thesis_replaces_exams`
(default True), `essay_module` (code of the module holding a short course's bài thu hoạch;
default: the programme's final exam module if any, else its last module),
`retake_only_if_failed` (default True).
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
FINAL_KINDS = ("graduation_exam", "thesis")

# ----------------------------------------------------------------------------- labels

KIND_LABELS = {
    "module": tr_noop("grading", "Học phần"),
    "graduation_exam": tr_noop("grading", "Môn thi tốt nghiệp"),
    "thesis": tr_noop("grading", "Khóa luận"),
}
DISCIPLINE_LABELS = {
    "none": tr_noop("grading", "không"),
    "reprimand": tr_noop("grading", "khiển trách"),
    "warning": tr_noop("grading", "cảnh cáo"),
    "expulsion": tr_noop("grading", "buộc thôi học"),
}
CONFIRMATION_LABELS = {
    "missing": tr_noop("grading", "chưa có"),
    "received": tr_noop("grading", "đã có, đạt yêu cầu"),
    "unfavourable": tr_noop("grading", "không đạt yêu cầu"),
}
STATUS_LABELS = {
    "missing": tr_noop("grading", "Chưa có điểm"),
    "incomplete": tr_noop("grading", "Chưa đủ điểm thành phần"),
    "passed": tr_noop("grading", "Đạt"),
    "failed": tr_noop("grading", "Chưa đạt"),
}
PASSED_LABEL = tr_noop("grading", "Đạt")
FAILED_LABEL = tr_noop("grading", "Không đạt")

#: Disciplines from the mildest; a downgrade applies from a threshold up.
DISCIPLINE_ORDER = ["none", "reprimand", "warning", "expulsion"]


def kind_label(kind: str) -> str:
    return tr("grading", KIND_LABELS.get(kind, kind))


def discipline_label(discipline: str) -> str:
    return tr("grading", DISCIPLINE_LABELS.get(discipline, discipline))


def confirmation_label(confirmation: str) -> str:
    return tr("grading", CONFIRMATION_LABELS.get(confirmation, confirmation))


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


def _weighted_mean(items: Sequence[tuple[Decimal, int]], rules: Mapping[str, Any]) -> Decimal | None:
    """Unrounded mean of (score, periods), weighted by periods (or equally, or when no periods)."""
    if not items:
        return None
    weight = sum(p for _s, p in items)
    if rules.get("average_weighting", "periods") == "equal" or weight == 0:
        return sum((s for s, _p in items), ZERO) / len(items)
    return sum((s * p for s, p in items), ZERO) / weight


def weighted_average(items: Sequence[tuple[Decimal, int]], rules: Mapping[str, Any]) -> Decimal | None:
    """Average of (score, periods) weighted by periods (or equally), rounded half up for ranking."""
    mean = _weighted_mean(items, rules)
    if mean is None:
        return None
    return round_half_up(mean, int(rules.get("ranking_decimals", 2)))


def band_of(score: Decimal, rules: Mapping[str, Any]) -> int | None:
    """Index of the band the score reaches (0 = highest), or None below the lowest band."""
    for index, band in enumerate(rules["bands"]):
        if score >= Decimal(str(band["min"])):
            return index
    return None


def classify(average: Decimal | None, rules: Mapping[str, Any], *, downgrade: bool = False) -> str | None:
    """The band name for an average, one band lower when `downgrade`; None when not passed.

    The average is compared as given (to the ranking decimals): 8.95 is not 9.0.
    """
    if average is None:
        return None
    index = band_of(average, rules)
    if index is None:
        return None
    if downgrade:
        index = min(index + 1, len(rules["bands"]) - 1)
    name: str = rules["bands"][index]["name"]
    return name


def discipline_at_least(discipline: str, threshold: str | None) -> bool:
    """True when `discipline` is `threshold` or worse (khiển trách < cảnh cáo < buộc thôi học)."""
    if not threshold or threshold not in DISCIPLINE_ORDER or discipline not in DISCIPLINE_ORDER:
        return False
    return DISCIPLINE_ORDER.index(discipline) >= DISCIPLINE_ORDER.index(threshold) > 0


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


# ----------------------------------------------------------------------------- the review


@dataclass(frozen=True)
class LearnerFacts:
    """What the review needs about one learner: module results in programme order, and the rest."""

    modules: tuple[ModuleResult, ...]
    enrolment_status: str = "enrolled"
    status_reason: str | None = None
    confirmation: str = "missing"
    discipline: str = "none"
    barred_modules: tuple[str, ...] = ()
    certificate_eligible: bool | None = None  # None: attendance not known
    attendance_explanations: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    """The review's answer for one learner."""

    eligible: bool
    average: Decimal | None  # to the ranking decimals
    classification: str | None  # printed result: the band after downgrades, or Đạt / Không đạt
    band: str | None = None  # the band the average reaches before downgrades
    downgrades: tuple[str, ...] = ()  # why a band was lost
    reasons: tuple[str, ...] = ()  # why not eligible (empty when eligible)
    final_modules: tuple[str, ...] = ()  # the graduation exams or thesis that counted
    essay_module: str | None = None
    essay_score: Decimal | None = None
    essay_band: str | None = None  # short courses with a graded bài thu hoạch


def _codes(results: Iterable[ModuleResult]) -> str:
    return ", ".join(r.code for r in results)


def required_finals(modules: Sequence[ModuleResult], rules: Mapping[str, Any]) -> list[ModuleResult]:
    """The graduation exams, or the thesis instead of them for a learner who has a thesis score
    (when the rule set says a thesis replaces the exams, the default)."""
    exams = [m for m in modules if m.kind == "graduation_exam"]
    theses = [m for m in modules if m.kind == "thesis"]
    if theses and rules.get("thesis_replaces_exams", True):
        if any(t.scored for t in theses) or not exams:
            return theses
        return exams
    return exams + theses


def essay_module_code(modules: Sequence[ModuleResult], rules: Mapping[str, Any]) -> str | None:
    """The module holding a short course's bài thu hoạch: `rules["essay_module"]`, else the
    first graduation exam or thesis module, else the last module of the programme."""
    wanted = rules.get("essay_module")
    if wanted:
        return str(wanted) if any(m.code == wanted for m in modules) else None
    finals = [m for m in modules if m.kind in FINAL_KINDS]
    if finals:
        return finals[0].code
    return modules[-1].code if modules else None


def _module_problem(result: ModuleResult, rules: Mapping[str, Any], *, essay: bool = False) -> str | None:
    """Why a module stops eligibility, or None when it is passed."""
    label = tr("grading", "Bài thu hoạch") if essay else f"{kind_label(result.kind)} {result.code}"
    if result.status == "passed":
        return None
    if result.status == "missing":
        return tr("grading", "{label}: chưa có điểm").format(label=label)
    if result.status == "incomplete":
        return tr("grading", "{label}: chưa đủ điểm thành phần (thiếu {missing})").format(
            label=label, missing=", ".join(result.missing_components))
    score = score_text(result.counted)
    mark = score_text(pass_mark(rules))
    if result.retaken:
        return tr("grading", "{label}: chưa đạt sau {n} lần thi ({score} điểm, cần từ {mark})").format(
            label=label, n=result.latest_attempt, score=score, mark=mark)
    return tr("grading", "{label}: chưa đạt ({score} điểm, cần từ {mark}), chưa thi lại").format(
        label=label, score=score, mark=mark)


def _status_reasons(facts: LearnerFacts, rules: Mapping[str, Any], pass_fail: bool) -> list[str]:
    reasons = []
    if facts.enrolment_status == "withdrawn":
        reasons.append(tr("grading", "Đã thôi học") + (f": {facts.status_reason}" if facts.status_reason else ""))
    elif facts.enrolment_status == "transferred":
        reasons.append(tr("grading", "Đã chuyển lớp") + (f": {facts.status_reason}" if facts.status_reason else ""))
    if discipline_at_least(facts.discipline, rules.get("bar_discipline_from")):
        what = tr("grading", "không được công nhận hoàn thành khóa học") if pass_fail else \
            tr("grading", "không được xét tốt nghiệp")
        reasons.append(tr("grading", "Bị kỷ luật {level}: {what}").format(
            level=discipline_label(facts.discipline), what=what))
    if rules.get("requires_confirmation"):
        if facts.confirmation == "unfavourable":
            reasons.append(tr("grading", "Cơ quan cử đi học nhận xét không đạt yêu cầu"))
        elif facts.confirmation != "received":
            reasons.append(tr("grading", "Chưa có nhận xét của cơ quan cử đi học"))
    return reasons


def _left_the_class(facts: LearnerFacts, rules: Mapping[str, Any]) -> list[str]:
    """For a learner who withdrew or moved, that alone (their missing scores are no news)."""
    if facts.enrolment_status in ("withdrawn", "transferred"):
        return _status_reasons(facts, {**rules, "requires_confirmation": False, "bar_discipline_from": None}, False)
    return []


def _attendance_reasons(facts: LearnerFacts, rules: Mapping[str, Any], pass_fail: bool) -> list[str]:
    limit = format_decimal(Decimal(str(rules.get("absence_limit_share", 0.2))) * 100, 0) + "%"
    if pass_fail:
        if facts.certificate_eligible is False:
            if facts.attendance_explanations:
                return [_capitalised(e) for e in facts.attendance_explanations]
            return [tr("grading", "Nghỉ quá {limit} thời gian khóa học: không được cấp giấy chứng nhận").format(
                limit=limit)]
        return []
    return [tr("grading", "Học phần {code}: nghỉ quá {limit} số tiết, chưa học bù đủ nên chưa được dự thi").format(
        code=code, limit=limit) for code in facts.barred_modules]


def _capitalised(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]


def _downgrades(facts: LearnerFacts, considered: Sequence[ModuleResult], rules: Mapping[str, Any]) -> list[str]:
    out = []
    retaken = [m for m in considered if m.retaken]
    if rules.get("downgrade_on_retake") and retaken:
        out.append(tr("grading", "Hạ một mức vì có học phần phải thi lại ({codes})").format(codes=_codes(retaken)))
    if discipline_at_least(facts.discipline, rules.get("downgrade_discipline_from")):
        out.append(tr("grading", "Hạ một mức vì bị kỷ luật {level} trong khóa học").format(
            level=discipline_label(facts.discipline)))
    return out


def _classification_average(ordinary: Sequence[ModuleResult], finals: Sequence[ModuleResult],
                            rules: Mapping[str, Any]) -> Decimal | None:
    """The weighted module average, combined with the finals when `final_share` > 0; None while a
    required score is missing."""
    if any(m.counted is None for m in ordinary):
        return None
    module_mean = _weighted_mean([(m.counted, m.periods) for m in ordinary if m.counted is not None], rules)
    share = Decimal(str(rules.get("final_share", 0) or 0))
    final_scores = [m.counted for m in finals if m.counted is not None]
    if share > 0 and finals:
        if len(final_scores) < len(finals):
            return None
        final_mean = sum(final_scores, ZERO) / len(final_scores)
        mean = final_mean if module_mean is None else module_mean * (1 - share) + final_mean * share
    elif module_mean is None:
        if not final_scores or len(final_scores) < len(finals):
            return None
        mean = sum(final_scores, ZERO) / len(final_scores)
    else:
        mean = module_mean
    return round_half_up(mean, int(rules.get("ranking_decimals", 2)))


def review_learner(facts: LearnerFacts, rules: Mapping[str, Any]) -> Outcome:
    """Apply the rule set to one learner: eligibility with reasons, average, classification.

    Long training (`outcome` "classification"): every ordinary module and the graduation exams
    (or the thesis) passed, no module barred by absences, the sending organisation's
    confirmation received and favourable when the rule set requires it, no disciplinary bar.
    The average is weighted by periods; the class drops one band for a retake or a discipline
    as the rule set says. Short courses (`outcome` "pass_fail"): Đạt when attendance allows the
    certificate, no disciplinary bar, every scored module passed and, when the bài thu hoạch is
    graded, its score passed; its band is given as `essay_band`.
    """
    pass_fail = rules.get("outcome") == "pass_fail"
    reasons = _status_reasons(facts, rules, pass_fail)
    reasons += _attendance_reasons(facts, rules, pass_fail)
    ordinary = [m for m in facts.modules if m.kind == ORDINARY]
    if pass_fail:
        return _review_short_course(facts, rules, reasons)

    finals = required_finals(facts.modules, rules)
    considered = ordinary + finals
    if considered and not any(m.scored for m in considered):
        reasons.append(tr("grading", "Chưa có điểm học phần nào"))
    else:
        missing = [m for m in ordinary if m.status == "missing"]
        if missing:
            reasons.append(tr("grading", "Chưa có điểm học phần: {codes}").format(codes=_codes(missing)))
        missing_finals = [m for m in finals if m.status == "missing"]
        if missing_finals:
            what = kind_label(missing_finals[0].kind).lower() if len({m.kind for m in missing_finals}) == 1 else ""
            reasons.append(tr("grading", "Chưa có điểm {what}: {codes}").format(
                what=what or tr("grading", "thi tốt nghiệp"), codes=_codes(missing_finals)))
        for m in considered:
            if m.status in ("incomplete", "failed"):
                problem = _module_problem(m, rules)
                if problem:
                    reasons.append(problem)
    average = _classification_average(ordinary, finals, rules)
    band = classify(average, rules)
    if average is not None and band is None:
        reasons.append(tr("grading", "Điểm trung bình {average} chưa đạt mức xếp loại thấp nhất ({lowest})").format(
            average=format_decimal(average, int(rules.get("ranking_decimals", 2))),
            lowest=score_text(Decimal(str(rules["bands"][-1]["min"])))))
    downgrades = _downgrades(facts, considered, rules)
    reasons = _left_the_class(facts, rules) or reasons
    eligible = not reasons
    classification = classify(average, rules, downgrade=bool(downgrades)) if eligible else None
    return Outcome(eligible=eligible, average=average, classification=classification, band=band,
                   downgrades=tuple(downgrades) if eligible else (), reasons=tuple(reasons),
                   final_modules=tuple(m.code for m in finals))


def _review_short_course(facts: LearnerFacts, rules: Mapping[str, Any], reasons: list[str]) -> Outcome:
    essay_code = essay_module_code(facts.modules, rules) if rules.get("graded_essay") else None
    essay = next((m for m in facts.modules if m.code == essay_code), None)
    for m in facts.modules:
        if m is essay or m.status == "missing":
            continue  # short courses have no exam per module: only scored modules count
        problem = _module_problem(m, rules)
        if problem:
            reasons.append(problem)
    essay_band: str | None = None
    downgrades: list[str] = []
    if essay is not None:
        problem = _module_problem(essay, rules, essay=True)
        if problem:
            reasons.append(problem)
        elif essay.counted is not None:
            downgrades = _downgrades(facts, [essay], rules)
            essay_band = classify(essay.counted, rules, downgrade=bool(downgrades))
    scored = [(m.counted, m.periods) for m in facts.modules if m.counted is not None]
    average = weighted_average(scored, rules)
    reasons = _left_the_class(facts, rules) or reasons
    eligible = not reasons
    return Outcome(
        eligible=eligible, average=average,
        classification=tr("grading", PASSED_LABEL) if eligible else tr("grading", FAILED_LABEL),
        band=classify(essay.counted, rules) if essay is not None else None,
        downgrades=tuple(downgrades) if eligible else (), reasons=tuple(reasons),
        essay_module=essay.code if essay else essay_code, essay_score=essay.counted if essay else None,
        essay_band=essay_band if eligible else None,
    )


def rank(averages: Sequence[Decimal | None]) -> list[int | None]:
    """Competition ranking (1, 2, 2, 4) of the averages, highest first; None stays unranked."""
    ordered = sorted((a for a in averages if a is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [None if a is None else first[a] for a in averages]


# ----------------------------------------------------------------------------- the rules, in words


def _percent(share: Any) -> str:
    return format_decimal(Decimal(str(share)) * 100, 0) + "%"


def rules_summary(rules: Mapping[str, Any], regulation: str | None = None) -> list[str]:
    """The rules applied, one sentence each, as printed at the foot of every result document."""
    pass_fail = rules.get("outcome") == "pass_fail"
    bands = "; ".join(tr("grading", "{name} từ {min}").format(name=b["name"], min=score_text(Decimal(str(b["min"]))))
                      for b in rules.get("bands", []))
    lines = [tr("grading", "Điểm từ 0 đến 10, lấy một chữ số thập phân; điểm đạt từ {mark}.").format(
        mark=score_text(pass_mark(rules)))]
    counted = tr("grading", "lần thi cao nhất") if rules.get("attempt_counted") == "best" else \
        tr("grading", "lần thi sau cùng")
    lines.append(tr("grading", "Học phần thi lại: tính điểm {counted}.").format(counted=counted))
    weighting = tr("grading", "bình quân các học phần") if rules.get("average_weighting") == "equal" else \
        tr("grading", "bình quân theo số tiết của học phần")
    average_line = tr("grading", "Điểm trung bình: {weighting}, làm tròn đến {r} chữ số thập phân để xếp loại và "
                                 "xếp hạng, in {d} chữ số thập phân.").format(
        weighting=weighting, r=rules.get("ranking_decimals", 2), d=rules.get("display_decimals", 1))
    share = Decimal(str(rules.get("final_share", 0) or 0))
    if share > 0 and not pass_fail:
        average_line += " " + tr("grading", "Điểm thi tốt nghiệp (hoặc khóa luận) chiếm {share} điểm trung bình.").format(
            share=_percent(share))
    lines.append(average_line)
    if pass_fail:
        line = tr("grading", "Kết quả: Đạt hoặc Không đạt.")
        if rules.get("graded_essay"):
            line += " " + tr("grading", "Bài thu hoạch đạt từ {mark}, xếp loại: {bands}.").format(
                mark=score_text(pass_mark(rules)), bands=bands)
        lines.append(line)
    else:
        lines.append(tr("grading", "Xếp loại: {bands}.").format(bands=bands))
    drops = []
    if rules.get("downgrade_on_retake"):
        drops.append(tr("grading", "có học phần phải thi lại"))
    if rules.get("downgrade_discipline_from"):
        drops.append(tr("grading", "bị kỷ luật từ mức {level} trở lên").format(
            level=discipline_label(str(rules["downgrade_discipline_from"]))))
    if drops:
        lines.append(tr("grading", "Hạ một mức xếp loại nếu {what}.").format(what=tr("grading", " hoặc ").join(drops)))
    limit = _percent(rules.get("absence_limit_share", 0.2))
    if pass_fail:
        lines.append(tr("grading", "Nghỉ học (có phép hoặc không phép) quá {limit} thời gian khóa học: không được cấp "
                                   "giấy chứng nhận.").format(limit=limit))
    else:
        lines.append(tr("grading", "Nghỉ học (có phép hoặc không phép) quá {limit} số tiết của học phần: không được dự "
                                   "thi học phần đó cho đến khi học bù.").format(limit=limit))
        conditions = [tr("grading", "đạt tất cả học phần"), tr("grading", "đạt các môn thi tốt nghiệp hoặc khóa luận")]
        if rules.get("requires_confirmation"):
            conditions.append(tr("grading", "có nhận xét đạt yêu cầu của cơ quan cử đi học"))
        if rules.get("bar_discipline_from"):
            conditions.append(tr("grading", "không bị kỷ luật từ mức {level} trở lên").format(
                level=discipline_label(str(rules["bar_discipline_from"]))))
        lines.append(tr("grading", "Điều kiện tốt nghiệp: {conditions}.").format(conditions="; ".join(conditions)))
    if regulation:
        lines.append(tr("grading", "Căn cứ: {regulation}.").format(regulation=regulation.rstrip(".")))
    return lines


__all__ = [
    "AssessmentPlan", "AttemptScore", "Component", "LearnerFacts", "Mark", "ModuleResult", "OVERALL", "Outcome",
    "attempt_scores", "band_of", "classify", "components_score", "counted_score", "discipline_at_least",
    "essay_module_code", "is_pass", "module_result", "next_attempt_allowed", "parse_plan", "pass_mark", "plan_for",
    "rank", "required_finals", "review_learner", "rules_summary", "score_text", "validate_plan", "weighted_average",
]
