"""Scores → counted score → average → classification, as pure functions over a rule set."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from dtbd_desktop.text import round_half_up


def counted_score(attempts: Sequence[tuple[int, Decimal]], rules: dict[str, Any]) -> Decimal | None:
    """The score that counts among a module's attempts: the latest (default) or the best."""
    if not attempts:
        return None
    if rules.get("attempt_counted", "latest") == "best":
        return max(value for _attempt, value in attempts)
    return max(attempts, key=lambda a: a[0])[1]


def weighted_average(items: Sequence[tuple[Decimal, int]], rules: dict[str, Any]) -> Decimal | None:
    """Average of (score, periods) weighted by periods (or equally), rounded half up for ranking."""
    if not items:
        return None
    places = int(rules.get("ranking_decimals", 2))
    if rules.get("average_weighting", "periods") == "equal" or sum(p for _s, p in items) == 0:
        total = sum((s for s, _p in items), Decimal(0))
        return round_half_up(total / len(items), places)
    weight = sum(p for _s, p in items)
    total = sum((s * p for s, p in items), Decimal(0))
    return round_half_up(total / weight, places)


def band_of(score: Decimal, rules: dict[str, Any]) -> int | None:
    """Index of the band the score reaches (0 = highest), or None below the lowest band."""
    for index, band in enumerate(rules["bands"]):
        if score >= Decimal(str(band["min"])):
            return index
    return None


def classify(average: Decimal | None, rules: dict[str, Any], *, downgrade: bool = False) -> str | None:
    """The band name for an average, one band lower when `downgrade`; None when not passed."""
    if average is None:
        return None
    index = band_of(average, rules)
    if index is None:
        return None
    if downgrade:
        index = min(index + 1, len(rules["bands"]) - 1)
    name: str = rules["bands"][index]["name"]
    return name
