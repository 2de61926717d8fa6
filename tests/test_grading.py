"""Scores → average → classification, by tables of cases with boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dtbd_desktop.rules.graduation import classify
from dtbd_desktop.rules.rule_sets import default_rules
from dtbd_desktop.rules.scores import counted_score, weighted_average

D = Decimal
TRAINING = default_rules("training")


@pytest.mark.parametrize(
    ("average", "downgrade", "expected"),
    [
        (D("9.00"), False, "Xuất sắc"),
        (D("8.99"), False, "Giỏi"),
        (D("8.95"), False, "Giỏi"),  # 8.95 is not 9.0: no rounding up into a band
        (D("8.00"), False, "Giỏi"),
        (D("7.99"), False, "Khá"),
        (D("7.00"), False, "Khá"),
        (D("6.99"), False, "Trung bình"),
        (D("5.00"), False, "Trung bình"),
        (D("4.99"), False, None),
        (D("0"), False, None),
        (D("10"), False, "Xuất sắc"),
        (D("9.20"), True, "Giỏi"),  # one band lost for a retake or discipline
        (D("7.50"), True, "Trung bình"),
        (D("5.10"), True, "Trung bình"),  # the lowest band cannot drop into a fail
        (None, False, None),
    ],
)
def test_classification_bands(average: Decimal | None, downgrade: bool, expected: str | None) -> None:
    assert classify(average, TRAINING, downgrade=downgrade) == expected


def test_average_is_weighted_by_periods_and_rounded_half_up() -> None:
    # (8*60 + 7*40 + 9*20) / 120 = 940/120 = 7.8333... -> 7.83
    assert weighted_average([(D("8"), 60), (D("7"), 40), (D("9"), 20)], TRAINING) == D("7.83")
    # (8.5*30 + 7.0*10) / 40 = 325/40 = 8.125 -> 8.13 (half up, not banker's)
    assert weighted_average([(D("8.5"), 30), (D("7.0"), 10)], TRAINING) == D("8.13")


def test_equal_weighting_when_the_rule_set_says_so() -> None:
    rules = {**TRAINING, "average_weighting": "equal"}
    # (8 + 7 + 9) / 3 = 8.00 whatever the periods
    assert weighted_average([(D("8"), 60), (D("7"), 40), (D("9"), 20)], rules) == D("8.00")


def test_no_scores_no_average() -> None:
    assert weighted_average([], TRAINING) is None


@pytest.mark.parametrize(
    ("rule", "attempts", "expected"),
    [
        ("latest", [(1, D("4.0")), (2, D("6.5"))], D("6.5")),
        ("latest", [(2, D("5.0")), (1, D("7.0"))], D("5.0")),  # order of rows does not matter
        ("best", [(1, D("7.0")), (2, D("5.0"))], D("7.0")),
        ("best", [(1, D("3.0")), (2, D("6.0")), (3, D("5.5"))], D("6.0")),
        ("latest", [], None),
    ],
)
def test_counted_attempt(rule: str, attempts: list[tuple[int, Decimal]], expected: Decimal | None) -> None:
    assert counted_score(attempts, {**TRAINING, "attempt_counted": rule}) == expected
