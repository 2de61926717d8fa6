"""The graduation rules as tables of cases: assessment plans, attempts, eligibility with its
reasons, averages weighted by periods, bands with their downgrades, short courses, ranking.

Every expected number is worked out by hand in the comment beside it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dtbd_desktop.rules.graduation import LearnerFacts, rank, review_learner, rules_summary
from dtbd_desktop.rules.rule_sets import default_rules
from dtbd_desktop.rules.scores import (
    AssessmentPlan,
    Component,
    Mark,
    ModuleResult,
    module_result,
    next_attempt_allowed,
    parse_plan,
    plan_for,
    validate_plan,
)

D = Decimal
TRAINING = default_rules("training")
FOSTERING = default_rules("fostering")
TX_THI = AssessmentPlan((Component("TX", "Kiểm tra thường xuyên", D(3)), Component("THI", "Thi hết học phần", D(7))))


def mod(code: str, periods: int, *attempts: str, kind: str = "module", rules: dict[str, Any] = TRAINING) -> ModuleResult:
    """A module with one overall score per attempt ("4.0", "6.5" = first sitting, retake)."""
    marks = [Mark(n, "", D(v)) for n, v in enumerate(attempts, start=1)]
    return module_result(code, kind, periods, AssessmentPlan(), marks, rules)


def exams(tn1: str | None = "7.0", tn2: str | None = "7.5", kl: str | None = None) -> list[ModuleResult]:
    out = [mod("TN1", 0, *([tn1] if tn1 else []), kind="graduation_exam"),
           mod("TN2", 0, *([tn2] if tn2 else []), kind="graduation_exam"),
           mod("KL", 0, *([kl] if kl else []), kind="thesis")]
    return out


def facts(modules: list[ModuleResult], **kwargs: Any) -> LearnerFacts:
    values: dict[str, Any] = {"confirmation": "received", **kwargs}
    return LearnerFacts(modules=tuple(modules), **values)


# ----------------------------------------------------------------------------- module scores


@pytest.mark.parametrize(
    ("marks", "rule", "counted", "status"),
    [
        ([], "latest", None, "missing"),
        ([(1, "", "8.5")], "latest", D("8.5"), "passed"),
        ([(1, "", "5.0")], "latest", D("5.0"), "passed"),  # the pass mark itself passes
        ([(1, "", "4.9")], "latest", D("4.9"), "failed"),
        ([(1, "", "4.0"), (2, "", "6.5")], "latest", D("6.5"), "passed"),
        ([(1, "", "4.5"), (2, "", "4.0")], "latest", D("4.0"), "failed"),  # the retake counts, even lower
        ([(1, "", "4.5"), (2, "", "4.0")], "best", D("4.5"), "failed"),
        ([(1, "", "6.0"), (2, "", "5.0")], "best", D("6.0"), "passed"),
        # components 3:7 -> (3*8.0 + 7*6.5)/10 = 6.95 -> 7.0 half up
        ([(1, "TX", "8.0"), (1, "THI", "6.5")], "latest", D("7.0"), "passed"),
        # (3*6.0 + 7*4.0)/10 = 4.6: failed
        ([(1, "TX", "6.0"), (1, "THI", "4.0")], "latest", D("4.6"), "failed"),
        # retake re-sits the exam, TX 6.0 carried: (18 + 7*6.0)/10 = 6.0
        ([(1, "TX", "6.0"), (1, "THI", "4.0"), (2, "THI", "6.0")], "latest", D("6.0"), "passed"),
        ([(1, "TX", "8.0")], "latest", None, "incomplete"),
        # an overall score entered directly wins over the components
        ([(1, "TX", "8.0"), (1, "THI", "6.5"), (1, "", "7.5")], "latest", D("7.5"), "passed"),
    ],
)
def test_module_score_from_attempts_and_components(marks: list[tuple[int, str, str]], rule: str,
                                                   counted: Decimal | None, status: str) -> None:
    plan = TX_THI if any(c for _a, c, _v in marks if c) else AssessmentPlan()
    result = module_result("I.1", "module", 80, plan, [Mark(a, c, D(v)) for a, c, v in marks],
                           {**TRAINING, "attempt_counted": rule})
    assert (result.counted, result.status) == (counted, status)


def test_a_retake_carries_the_components_it_does_not_enter() -> None:
    plan = TX_THI
    marks = [Mark(1, "TX", D("6.0")), Mark(1, "THI", D("3.0")), Mark(2, "TX", D("7.0"))]
    result = module_result("I.1", "module", 80, plan, marks, TRAINING)
    # attempt 1: (3*6.0 + 7*3.0)/10 = 3.9; attempt 2: TX 7.0, THI 3.0 carried: (21 + 21)/10 = 4.2, still failed
    assert [a.score for a in result.attempts] == [D("3.9"), D("4.2")]
    assert result.attempts[1].components == {"TX": D("7.0"), "THI": D("3.0")}
    assert result.status == "failed" and result.retaken


@pytest.mark.parametrize(
    ("attempts", "rules", "allowed"),
    [
        ((), TRAINING, False),  # nothing to retake yet
        (("4.0",), TRAINING, True),
        (("6.0",), TRAINING, False),  # passed: no retake
        (("6.0",), {**TRAINING, "retake_only_if_failed": False}, True),  # improvement allowed by the rule set
        (("4.0", "4.5"), TRAINING, True),
    ],
)
def test_when_a_retake_may_be_entered(attempts: tuple[str, ...], rules: dict[str, Any], allowed: bool) -> None:
    assert next_attempt_allowed(mod("I.1", 60, *attempts), rules)[0] is allowed


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        (None, 0),
        ({}, 0),
        ({"components": [{"code": "TX", "name": "Thường xuyên", "weight": 0.3},
                         {"code": "THI", "name": "Thi", "weight": 0.7}]}, 0),
        ({"components": [{"code": "TX", "weight": 3}, {"code": "TX", "weight": 7}]}, 1),  # duplicate code
        ({"components": [{"code": "", "weight": 3}]}, 1),
        ({"components": [{"code": "TX", "weight": 0}]}, 1),
        ({"components": [{"code": "TX", "weight": "abc"}]}, 1),
        ({"components": "TX"}, 1),
    ],
)
def test_assessment_plans_are_checked(data: Any, problems: int) -> None:
    assert len(validate_plan(data)) == problems


def test_the_rule_set_plan_wins_over_the_catalogue() -> None:
    catalogue = {"components": [{"code": "BT", "name": "Bài tập", "weight": 1}]}
    rules = {**TRAINING, "assessment": {"*": {"components": [{"code": "TX", "weight": 3}, {"code": "THI", "weight": 7}]},
                                        "V.2": None}}
    assert plan_for("I.1", "module", catalogue, rules).codes == ("TX", "THI")
    assert plan_for("V.2", "module", catalogue, rules).overall_only  # explicitly one overall score
    assert plan_for("TN1", "graduation_exam", None, rules).overall_only  # "*" is for ordinary modules
    assert plan_for("I.1", "module", catalogue, TRAINING).codes == ("BT",)
    assert parse_plan(None).overall_only


# ----------------------------------------------------------------------------- long training

# A programme of three modules (60, 40 and 20 periods), two graduation exams and a thesis.
# Scores 8.0, 9.0, 9.5: (8.0*60 + 9.0*40 + 9.5*20) / 120 = 1030/120 = 8.5833 -> 8.58, Giỏi.
GOOD = [mod("A", 60, "8.0"), mod("B", 40, "9.0"), mod("C", 20, "9.5")]


@pytest.mark.parametrize(
    ("case", "modules", "extra", "rules", "eligible", "average", "classification", "reason"),
    [
        ("all passed", GOOD + exams(), {}, TRAINING, True, D("8.58"), "Giỏi", None),
        # 9.0 and 8.9 over 50 periods each: 8.95, which is not 9.0
        ("8.95 is not 9.0", [mod("A", 50, "9.0"), mod("B", 50, "8.9")] + exams(), {}, TRAINING, True, D("8.95"),
         "Giỏi", None),
        ("9.0 is Xuất sắc", [mod("A", 50, "9.0"), mod("B", 50, "9.0")] + exams(), {}, TRAINING, True, D("9.00"),
         "Xuất sắc", None),
        # A retaken 4.0 -> 8.0: the same 8.58, one band lower
        ("a band lost for a retake", [mod("A", 60, "4.0", "8.0"), *GOOD[1:]] + exams(), {}, TRAINING, True,
         D("8.58"), "Khá", None),
        ("no band lost when the rule set says so", [mod("A", 60, "4.0", "8.0"), *GOOD[1:]] + exams(), {},
         {**TRAINING, "downgrade_on_retake": False}, True, D("8.58"), "Giỏi", None),
        # a retaken graduation exam counts as a retake too
        ("retaken graduation exam", GOOD + [
            mod("TN1", 0, "3.0", "6.0", kind="graduation_exam"), mod("TN2", 0, "7.0", kind="graduation_exam"),
            mod("KL", 0, kind="thesis")], {}, TRAINING, True, D("8.58"), "Khá", None),
        ("reprimand drops a band", GOOD + exams(), {"discipline": "reprimand"}, TRAINING, True, D("8.58"), "Khá", None),
        ("retake and reprimand drop one band only", [mod("A", 60, "4.0", "8.0"), *GOOD[1:]] + exams(),
         {"discipline": "reprimand"}, TRAINING, True, D("8.58"), "Khá", None),
        ("expulsion bars", GOOD + exams(), {"discipline": "expulsion"}, TRAINING, False, D("8.58"), None,
         "Bị kỷ luật buộc thôi học: không được xét tốt nghiệp"),
        ("missing confirmation", GOOD + exams(), {"confirmation": "missing"}, TRAINING, False, D("8.58"), None,
         "Chưa có nhận xét của cơ quan cử đi học"),
        ("unfavourable confirmation", GOOD + exams(), {"confirmation": "unfavourable"}, TRAINING, False, D("8.58"),
         None, "Cơ quan cử đi học nhận xét không đạt yêu cầu"),
        ("confirmation not required", GOOD + exams(), {"confirmation": "missing"},
         {**TRAINING, "requires_confirmation": False}, True, D("8.58"), "Giỏi", None),
        # C failed 4.5 and never retaken: (480 + 360 + 90)/120 = 7.75, not eligible
        ("a module failed and never retaken", [*GOOD[:2], mod("C", 20, "4.5")] + exams(), {}, TRAINING, False,
         D("7.75"), None, "Học phần C: chưa đạt (4,5 điểm, cần từ 5,0), chưa thi lại"),
        ("failed after its retake", [*GOOD[:2], mod("C", 20, "4.5", "4.0")] + exams(), {}, TRAINING, False,
         D("7.67"), None, "Học phần C: chưa đạt sau 2 lần thi (4,0 điểm, cần từ 5,0)"),
        ("a learner with no scores", [mod("A", 60), mod("B", 40), mod("C", 20)] + exams(None, None), {}, TRAINING,
         False, None, None, "Chưa có điểm học phần nào"),
        ("one module without a score", [*GOOD[:2], mod("C", 20)] + exams(), {}, TRAINING, False, None, None,
         "Chưa có điểm học phần: C"),
        ("graduation exam missing", GOOD + exams(tn2=None), {}, TRAINING, False, D("8.58"), None,
         "Chưa có điểm môn thi tốt nghiệp: TN2"),
        ("graduation exam failed", GOOD + exams(tn2="4.0"), {}, TRAINING, False, D("8.58"), None,
         "Môn thi tốt nghiệp TN2: chưa đạt (4,0 điểm, cần từ 5,0), chưa thi lại"),
        ("a thesis replaces the exams", GOOD + exams(None, None, "8.0"), {}, TRAINING, True, D("8.58"), "Giỏi", None),
        ("a failed thesis", GOOD + exams(None, None, "4.0"), {}, TRAINING, False, D("8.58"), None,
         "Khóa luận KL: chưa đạt (4,0 điểm, cần từ 5,0), chưa thi lại"),
        ("barred by absences", GOOD + exams(), {"barred_modules": ("B",)}, TRAINING, False, D("8.58"), None,
         "Học phần B: nghỉ quá 20% số tiết, chưa học bù đủ nên chưa được dự thi"),
        # the finals weigh half: 8.5833*0.5 + mean(7.0, 7.5)*0.5 = 4.29167 + 3.625 = 7.9167 -> 7.92, Khá
        ("graduation exams in the average", GOOD + exams(), {}, {**TRAINING, "final_share": 0.5}, True, D("7.92"),
         "Khá", None),
        # equal weights: (8.0 + 9.0 + 9.5)/3 = 8.8333 -> 8.83
        ("equal weighting", GOOD + exams(), {}, {**TRAINING, "average_weighting": "equal"}, True, D("8.83"), "Giỏi",
         None),
        ("withdrawn", [mod("A", 60, "8.0"), mod("B", 40), mod("C", 20)] + exams(None, None),
         {"enrolment_status": "withdrawn", "status_reason": "chuyển công tác"}, TRAINING, False, None, None,
         "Đã thôi học: chuyển công tác"),
    ],
)
def test_graduation_review(case: str, modules: list[ModuleResult], extra: dict[str, Any], rules: dict[str, Any],
                           eligible: bool, average: Decimal | None, classification: str | None,
                           reason: str | None) -> None:
    outcome = review_learner(facts(modules, **extra), rules)
    assert (outcome.eligible, outcome.average, outcome.classification) == (eligible, average, classification), case
    if reason is None:
        assert outcome.reasons == ()
    else:
        assert reason in outcome.reasons, (case, outcome.reasons)


def test_latest_or_best_attempt_changes_the_average() -> None:
    # A: 6.0 then an improvement retake 5.0 (allowed by this rule set).
    # latest: (5.0*60 + 360 + 190)/120 = 850/120 = 7.0833 -> 7.08 Khá
    # best:   (6.0*60 + 360 + 190)/120 = 910/120 = 7.5833 -> 7.58 Khá
    base = {**TRAINING, "retake_only_if_failed": False, "downgrade_on_retake": False}
    for rule, expected in (("latest", D("7.08")), ("best", D("7.58"))):
        rules = {**base, "attempt_counted": rule}
        modules = [mod("A", 60, "6.0", "5.0", rules=rules), *GOOD[1:]] + exams()
        assert review_learner(facts(modules), rules).average == expected


def test_the_average_below_every_band_is_a_reason() -> None:
    rules = {**TRAINING, "pass_mark": 4.0}
    outcome = review_learner(facts([mod("A", 60, "4.5"), mod("B", 40, "4.5")] + exams()), rules)
    assert not outcome.eligible
    assert "Điểm trung bình 4,50 chưa đạt mức xếp loại thấp nhất (5,0)" in outcome.reasons


def test_downgrade_reasons_are_given() -> None:
    outcome = review_learner(facts([mod("A", 60, "4.0", "8.0"), *GOOD[1:]] + exams(), discipline="warning"), TRAINING)
    assert outcome.band == "Giỏi" and outcome.classification == "Khá"
    assert outcome.downgrades == ("Hạ một mức vì có học phần phải thi lại (A)",
                                  "Hạ một mức vì bị kỷ luật cảnh cáo trong khóa học")


# ----------------------------------------------------------------------------- short courses

# Nhận thức về Đảng: five lessons of 10 periods; the last holds the bài thu hoạch.
def short(*essay: str, others: tuple[str, ...] = ()) -> list[ModuleResult]:
    lessons = [mod(f"B{i}", 10, *(others[i - 1:i] if others else ()), rules=FOSTERING) for i in range(1, 5)]
    return [*lessons, mod("B5", 10, *essay, rules=FOSTERING)]


@pytest.mark.parametrize(
    ("case", "modules", "extra", "rules", "eligible", "classification", "essay_band", "reason"),
    [
        ("essay graded Khá", short("7.5"), {}, FOSTERING, True, "Đạt", "Khá", None),
        ("essay 9.0", short("9.0"), {}, FOSTERING, True, "Đạt", "Xuất sắc", None),
        ("essay failed", short("4.5"), {}, FOSTERING, False, "Không đạt", None,
         "Bài thu hoạch: chưa đạt (4,5 điểm, cần từ 5,0), chưa thi lại"),
        ("essay missing", short(), {}, FOSTERING, False, "Không đạt", None, "Bài thu hoạch: chưa có điểm"),
        ("essay not graded", short(), {}, {**FOSTERING, "graded_essay": False}, True, "Đạt", None, None),
        ("confirmation not needed", short("6.0"), {"confirmation": "missing"}, FOSTERING, True, "Đạt",
         "Trung bình", None),
        ("absent too much", short("8.0"),
         {"certificate_eligible": False,
          "attendance_explanations": ("vắng 15/50 tiết của khóa học, quá 20%: không được cấp giấy chứng nhận",)},
         FOSTERING, False, "Không đạt", None,
         "Vắng 15/50 tiết của khóa học, quá 20%: không được cấp giấy chứng nhận"),
        ("absent, no explanation given", short("8.0"), {"certificate_eligible": False}, FOSTERING, False,
         "Không đạt", None, "Nghỉ quá 20% thời gian khóa học: không được cấp giấy chứng nhận"),
        ("a scored lesson failed", short("8.0", others=("4.0", "7.0", "7.0", "7.0")), {}, FOSTERING, False,
         "Không đạt", None, "Học phần B1: chưa đạt (4,0 điểm, cần từ 5,0), chưa thi lại"),
        ("the essay module named by the rule set", short("8.0", others=("4.0", "7.0", "7.0", "7.0")), {},
         {**FOSTERING, "essay_module": "B1"}, False, "Không đạt", None,
         "Bài thu hoạch: chưa đạt (4,0 điểm, cần từ 5,0), chưa thi lại"),
    ],
)
def test_short_course_completion(case: str, modules: list[ModuleResult], extra: dict[str, Any],
                                 rules: dict[str, Any], eligible: bool, classification: str,
                                 essay_band: str | None, reason: str | None) -> None:
    outcome = review_learner(facts(modules, **extra), rules)
    assert (outcome.eligible, outcome.classification, outcome.essay_band) == (eligible, classification, essay_band), \
        (case, outcome)
    if reason is None:
        assert outcome.reasons == ()
    else:
        assert reason in outcome.reasons, (case, outcome.reasons)


def test_short_course_average_is_over_the_scored_modules() -> None:
    # only the essay scored: the average is its score
    assert review_learner(facts(short("7.5")), FOSTERING).average == D("7.50")
    # every lesson scored, 10 periods each: (6+7+8+9+7.5)/5 = 7.5
    assert review_learner(facts(short("7.5", others=("6.0", "7.0", "8.0", "9.0"))), FOSTERING).average == D("7.50")


# ----------------------------------------------------------------------------- ranking and the rules in words


@pytest.mark.parametrize(
    ("averages", "ranks"),
    [
        ([D("8.58"), D("9.00"), D("7.10")], [2, 1, 3]),
        ([D("8.50"), D("8.50"), D("7.00")], [1, 1, 3]),  # ties share a rank, the next skips
        ([None, D("6.00"), None], [None, 1, None]),
        ([], []),
    ],
)
def test_ranking(averages: list[Decimal | None], ranks: list[int | None]) -> None:
    assert rank(averages) == ranks


def test_rules_are_put_in_words() -> None:
    lines = rules_summary(TRAINING, "Quy chế đào tạo trung cấp lý luận chính trị.")
    joined = "\n".join(lines)
    assert "điểm đạt từ 5,0" in joined
    assert "Xuất sắc từ 9,0; Giỏi từ 8,0; Khá từ 7,0; Trung bình từ 5,0" in joined
    assert "Hạ một mức xếp loại nếu có học phần phải thi lại hoặc bị kỷ luật từ mức khiển trách trở lên." in lines
    assert "quá 20% số tiết" in joined
    assert "Căn cứ: Quy chế đào tạo trung cấp lý luận chính trị." in lines
    short_lines = "\n".join(rules_summary(FOSTERING))
    assert "Đạt hoặc Không đạt" in short_lines and "giấy chứng nhận" in short_lines
