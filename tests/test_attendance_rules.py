"""Attendance rules over plain data: shares, the limit's boundary, statuses, make-up, short courses."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import pytest

from dtbd_desktop.rules.attendance import (
    AttendanceRules,
    ModuleInfo,
    SessionInfo,
    learner_result,
    over_limit,
    parse_status,
    percent_text,
)
from dtbd_desktop.rules.rule_sets import default_rules

TRAINING = AttendanceRules.from_params(default_rules("training"))
FOSTERING = AttendanceRules.from_params(default_rules("fostering"))

# Module II.1 of 40 periods in eight sessions of 5; module II.2 of 10 periods in two sessions.
MODULES = [ModuleInfo(1, "II.1", "Học phần II.1", 40), ModuleInfo(2, "II.2", "Học phần II.2", 10)]
SESSIONS = [SessionInfo(100 + i, 1, 5) for i in range(8)] + [SessionInfo(200, 2, 5), SessionInfo(201, 2, 5)]


def marks(statuses: dict[int, str]) -> dict[int, str]:
    return statuses


def absent_in_module_one(n_sessions: int, status: str = "unexcused") -> dict[int, str]:
    out = {s.id: "present" for s in SESSIONS}
    for i in range(n_sessions):
        out[100 + i] = status
    return out


def test_defaults_are_read_from_the_rule_set() -> None:
    assert TRAINING.limit == Fraction(1, 5)
    assert TRAINING.absent_statuses == {"excused", "unexcused"}
    assert TRAINING.makeup_restores and TRAINING.scope == "module"
    assert FOSTERING.scope == "course"
    assert TRAINING.limit_text == "20%"


@pytest.mark.parametrize(
    ("absent", "periods", "limit", "over"),
    [
        (8, 40, "0.2", False),  # exactly at the limit: not over it
        (9, 40, "0.2", True),  # just over
        (0, 40, "0.2", False),
        (1, 5, "0.2", False),
        (2, 5, "0.2", True),
        (3, 30, "0.1", False),  # 0.1 * 30 is 3.0000000000000004 in floats; exact here
        (4, 30, "0.1", True),
        (5, 0, "0.2", False),  # a module without periods bars no one
        (10, 50, "0.2", False),
        (11, 50, "0.2", True),
    ],
)
def test_the_limit_is_exact_and_at_the_limit_is_not_over(absent: int, periods: int, limit: str, over: bool) -> None:
    assert over_limit(absent, periods, Fraction(limit)) is over


@pytest.mark.parametrize(
    ("absent_sessions", "status", "barred"),
    [
        (1, "unexcused", False),  # 5/40
        (1, "excused", False),
        (2, "excused", True),  # 10/40 = 25%: excused absences count too
        (2, "unexcused", True),
        (8, "late", False),  # late is not absent by default
    ],
)
def test_excused_unexcused_and_late(absent_sessions: int, status: str, barred: bool) -> None:
    result = learner_result(MODULES, SESSIONS, absent_in_module_one(absent_sessions, status), {}, TRAINING)
    assert (result.barred_modules == ["II.1"]) is barred
    assert result.certificate_eligible is not barred


def test_exactly_at_the_limit_of_a_module_vs_just_over() -> None:
    # 8 of 40 periods: four sessions would be 20 periods; use a 2-period session to land on 8 and 9.
    sessions = [SessionInfo(1, 1, 5), SessionInfo(2, 1, 3), SessionInfo(3, 1, 1), *[SessionInfo(10 + i, 1, 5)
                                                                                     for i in range(7)]]
    modules = [ModuleInfo(1, "II", "Học phần II", 40)]
    at_limit = learner_result(modules, sessions, {1: "excused", 2: "unexcused"}, {}, TRAINING)
    just_over = learner_result(modules, sessions, {1: "excused", 2: "unexcused", 3: "excused"}, {}, TRAINING)
    assert (at_limit.absent_periods, at_limit.barred_modules, at_limit.explanations) == (8, [], [])
    assert (just_over.absent_periods, just_over.barred_modules) == (9, ["II"])
    assert just_over.explanations == [
        "vắng 9/40 tiết học phần II, quá 20%: không được thi học phần này cho đến khi học bổ sung"]


def test_counts_by_status_and_share_over_the_course() -> None:
    statuses = {100: "excused", 101: "unexcused", 102: "late", 103: "late", 200: "unexcused"}
    result = learner_result(MODULES, SESSIONS, statuses, {}, TRAINING)
    assert (result.excused_periods, result.unexcused_periods, result.late_sessions) == (5, 10, 2)
    assert result.absent_periods == 15 and result.course_periods == 50
    assert result.absent_share == pytest.approx(0.3)
    assert result.marked_sessions == 5
    # II.2: 5 of 10 periods is over; II.1: 10 of 40 = 25% is over too.
    assert result.barred_modules == ["II.1", "II.2"]


def test_a_centre_may_count_late_as_absent() -> None:
    params: dict[str, Any] = {**default_rules("training"), "absence_statuses": ["excused", "unexcused", "late"]}
    rules = AttendanceRules.from_params(params)
    result = learner_result(MODULES, SESSIONS, absent_in_module_one(2, "late"), {}, rules)
    assert result.barred_modules == ["II.1"]


def test_a_centre_may_set_its_own_limit() -> None:
    rules = AttendanceRules.from_params({**default_rules("training"), "absence_limit_share": 0.3})
    assert rules.limit_text == "30%"
    assert learner_result(MODULES, SESSIONS, absent_in_module_one(2), {}, rules).barred_modules == []
    assert learner_result(MODULES, SESSIONS, absent_in_module_one(3), {}, rules).barred_modules == ["II.1"]


@pytest.mark.parametrize(
    ("made_up", "restores", "barred", "explanation_end"),
    [
        (0, True, True, "không được thi học phần này cho đến khi học bổ sung"),
        (1, True, True, "đã học bổ sung 1 tiết, còn vắng 9 tiết, vẫn quá 20%: không được thi học phần này"),
        (2, True, False, "đã học bổ sung 2 tiết nên được thi"),  # 8 of 40 left: at the limit
        (10, True, False, "đã học bổ sung 10 tiết nên được thi"),
        (10, False, True, "quy định không tính học bổ sung: không được thi học phần này"),
    ],
)
def test_make_up_restores_eligibility_as_the_rule_set_says(made_up: int, restores: bool, barred: bool,
                                                          explanation_end: str) -> None:
    rules = AttendanceRules.from_params({**default_rules("training"), "makeup_restores_eligibility": restores})
    statuses = absent_in_module_one(2)  # 10 of 40
    result = learner_result(MODULES, SESSIONS, statuses, {1: made_up} if made_up else {}, rules)
    assert (result.barred_modules == ["II.1"]) is barred
    assert result.certificate_eligible is not barred
    assert result.absent_periods == 10  # the absences stay on record
    assert result.explanations[0].startswith("vắng 10/40 tiết học phần II.1, quá 20%")
    assert result.explanations[0].endswith(explanation_end)


def test_make_up_beyond_the_absences_is_capped() -> None:
    result = learner_result(MODULES, SESSIONS, absent_in_module_one(2), {1: 25}, TRAINING)
    assert result.counted_periods == 0 and result.made_up_periods == 10


# A short course (nhận thức về Đảng): 5 lessons of 10 periods, 10 half-days.
SHORT_MODULES = [ModuleInfo(i, f"B{i}", f"Bài {i}", 10) for i in range(1, 6)]
SHORT_SESSIONS = [SessionInfo(10 * i + j, i, 5) for i in range(1, 6) for j in range(2)]


@pytest.mark.parametrize(
    ("absent_sessions", "eligible"),
    [(0, True), (1, True), (2, True), (3, False), (10, False)],  # 10/50 = 20% at the limit; 15/50 over
)
def test_short_course_certificate(absent_sessions: int, eligible: bool) -> None:
    sessions_missed = [s.id for s in SHORT_SESSIONS][:absent_sessions]
    statuses = {s.id: "excused" if s.id in sessions_missed else "present" for s in SHORT_SESSIONS}
    result = learner_result(SHORT_MODULES, SHORT_SESSIONS, statuses, {}, FOSTERING)
    assert result.certificate_eligible is eligible
    assert result.barred_modules == []  # a short course bars the certificate, not module exams
    if not eligible:
        assert result.explanations[0].startswith(f"vắng {5 * absent_sessions}/50 tiết của khóa học, quá 20%")
        assert result.explanations[0].endswith("không được cấp giấy chứng nhận")


def test_short_course_make_up_restores_the_certificate() -> None:
    statuses = {s.id: "unexcused" for s in SHORT_SESSIONS[:3]}  # 15 of 50
    assert not learner_result(SHORT_MODULES, SHORT_SESSIONS, statuses, {}, FOSTERING).certificate_eligible
    result = learner_result(SHORT_MODULES, SHORT_SESSIONS, statuses, {1: 5}, FOSTERING)
    assert result.certificate_eligible
    assert result.explanations == ["vắng 15/50 tiết của khóa học, quá 20%; đã học bổ sung 5 tiết nên được cấp "
                                   "giấy chứng nhận"]


def test_a_rule_set_may_bar_per_module_in_a_short_course() -> None:
    rules = AttendanceRules.from_params({**default_rules("fostering"), "absence_scope": "module"})
    statuses = {11: "excused", 10: "excused"}  # all of B1: 10/10
    result = learner_result(SHORT_MODULES, SHORT_SESSIONS, statuses, {}, rules)
    assert result.barred_modules == ["B1"] and not result.certificate_eligible


def test_marks_not_yet_taken_count_as_nothing_and_extra_sessions_count_in_the_course() -> None:
    sessions = [*SESSIONS, SessionInfo(300, None, 5)]  # a field trip outside any module
    result = learner_result(MODULES, sessions, {300: "unexcused"}, {}, TRAINING)
    assert (result.absent_periods, result.course_periods, result.barred_modules) == (5, 55, [])
    assert result.marked_sessions == 1


def test_a_module_planned_without_periods_uses_its_scheduled_ones() -> None:
    modules = [ModuleInfo(9, "TN1", "Thi tốt nghiệp", 0)]
    sessions = [SessionInfo(1, 9, 0)]  # the exam session itself: no periods, nothing to count
    result = learner_result(modules, sessions, {1: "unexcused"}, {}, TRAINING)
    assert (result.absent_periods, result.barred_modules, result.absent_share) == (0, [], 0.0)


@pytest.mark.parametrize(
    ("value", "status"),
    [("present", "present"), ("C", "present"), ("c", "present"), ("P", "excused"), ("k", "unexcused"),
     ("M", "late"), ("Vắng có phép", "excused"), ("vang khong phep", "unexcused"), ("  ", None), (None, None)],
)
def test_status_words_codes_and_labels(value: object, status: str | None) -> None:
    assert parse_status(value) == status


def test_unknown_status_is_refused() -> None:
    with pytest.raises(ValueError):
        parse_status("absent")


@pytest.mark.parametrize(("value", "printed"), [(Fraction(1, 5), "20%"), (Fraction(1, 8), "12,5%"), (0.3, "30%")])
def test_percent_text(value: Fraction | float, printed: str) -> None:
    assert percent_text(value) == printed
