"""Pure aggregation helpers for plans, statistics and reports: plain data in, plain data out.

No database and no Qt: the services (`services.plans`, `services.reports`, `services.feedback`,
`services.followup`) load rows with set-based queries and hand them to these functions; the
GUI, the command line and the printed reports then show the results. Tests check them on
numbers worked out by hand.

Conventions, the same everywhere:

* a percentage is a `Decimal` in percent (111.475...), or None when the whole is 0; it is
  rounded only when printed (`text.format_percent`, half up, one decimal: "111,5%");
* a count pair is printed "actual/target" with "." between thousands: "5.476/5.250";
* the plan phrase follows the reports the centres write: "68/61 lớp, 5.476/5.250 học viên,
  đạt 111,5% / 104,3%".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr

K = TypeVar("K", bound=Hashable)

#: Ratings (1–5) that count as satisfied ("hài lòng") or very satisfied ("rất hài lòng").
SATISFIED_FROM = 4
RATING_VALUES = (1, 2, 3, 4, 5)
CRITERIA = ("content", "method", "manner", "usefulness")

#: Classification names in the order reports list them; names a centre adds come after, in
#: the order first met.
CLASSIFICATION_ORDER = ("Xuất sắc", "Giỏi", "Khá", "Trung bình", "Đạt", "Không đạt")


# ---------------------------------------------------------------------------------- numbers


def percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """`part` as a percentage of `whole` (exact enough for any rounding), None when `whole` <= 0."""
    if whole <= 0:
        return None
    return Decimal(part) * 100 / Decimal(whole)


def percent_text(part: int | Decimal, whole: int | Decimal, places: int = 1) -> str:
    """"111,5%"; "–" when there is nothing to compare with."""
    return share_text(percent(part, whole), places)


def share_text(value: Decimal | None, places: int = 1) -> str:
    """A percentage as printed: "111,5%"; "–" for None (nothing to compare with)."""
    return "–" if value is None else text.format_percent(value, places)


def change_percent(old: int, new: int) -> Decimal | None:
    """The change from `old` to `new` in percent (+12.5, -3.0), None when `old` is 0."""
    if old <= 0:
        return None
    return (Decimal(new) - Decimal(old)) * 100 / Decimal(old)


def change_text(old: int, new: int) -> str:
    """"+12,5%", "-3,0%", "0,0%"; "–" when there was nothing the year before."""
    value = change_percent(old, new)
    if value is None:
        return "–"
    sign = "+" if value > 0 else ""
    return sign + text.format_percent(value, 1)


def count_text(value: int) -> str:
    """5476 -> "5.476"."""
    return text.format_decimal(value, 0)


def pair_text(actual: int, target: int) -> str:
    """"5.476/5.250"."""
    return f"{count_text(actual)}/{count_text(target)}"


# ---------------------------------------------------------------------------------- plan vs actual


@dataclass(frozen=True)
class Figures:
    """Classes and learner-times (lượt học viên)."""

    classes: int = 0
    learners: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.classes + other.classes, self.learners + other.learners)


def plan_phrase(actual: Figures, target: Figures) -> str:
    """"68/61 lớp, 5.476/5.250 học viên, đạt 111,5% / 104,3%".

    Without any target: "3 lớp, 120 học viên (ngoài kế hoạch)". With only one of the two
    targets the other percentage is "–".
    """
    if target.classes <= 0 and target.learners <= 0:
        return tr("statistics", "{c} lớp, {l} học viên (ngoài kế hoạch)").format(
            c=count_text(actual.classes), l=count_text(actual.learners))
    return tr("statistics", "{c} lớp, {l} học viên, đạt {pc} / {pl}").format(
        c=pair_text(actual.classes, target.classes), l=pair_text(actual.learners, target.learners),
        pc=percent_text(actual.classes, target.classes), pl=percent_text(actual.learners, target.learners))


# ---------------------------------------------------------------------------------- counting


@dataclass
class Tally:
    """Classes (distinct) and learner-times counted under one key."""

    class_ids: set[int] = field(default_factory=set)
    learners: int = 0

    @property
    def classes(self) -> int:
        return len(self.class_ids)

    def add(self, class_id: int, learners: int = 1) -> None:
        self.class_ids.add(class_id)
        self.learners += learners

    def merge(self, other: Tally) -> None:
        self.class_ids |= other.class_ids
        self.learners += other.learners

    @property
    def figures(self) -> Figures:
        return Figures(self.classes, self.learners)


def tally_by(rows: Iterable[tuple[K, int]]) -> dict[K, Tally]:
    """(key, class id) per learner-time -> a Tally per key."""
    out: dict[K, Tally] = defaultdict(Tally)
    for key, class_id in rows:
        out[key].add(class_id)
    return dict(out)


# ---------------------------------------------------------------------------------- the organisation tree


def ancestors(node: int, parents: Mapping[int, int | None]) -> list[int]:
    """`node` and every organisation above it, nearest first (a cycle in bad data stops the walk)."""
    chain: list[int] = []
    current: int | None = node
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def roll_up(own: Mapping[int, Tally], parents: Mapping[int, int | None]) -> dict[int, Tally]:
    """Each organisation's figures with those of every organisation below it (commune → district
    → province): a class counts once per organisation however many of its learners came from
    below."""
    totals: dict[int, Tally] = defaultdict(Tally)
    for node, tally in own.items():
        for above in ancestors(node, parents):
            totals[above].merge(tally)
    return dict(totals)


def effective_level(node: int, parents: Mapping[int, int | None], levels: Mapping[int, str]) -> str:
    """The administrative level an organisation belongs to: its own level when it is a province,
    district or commune, else (an agency) the level of the nearest of those above it: a
    provincial department is "province", a district's office "district". "agency" when there
    is none above."""
    for above in ancestors(node, parents):
        level = levels.get(above, "agency")
        if level != "agency":
            return level
    return "agency"


# ---------------------------------------------------------------------------------- people


@dataclass(frozen=True)
class PersonFacts:
    """What the composition statistics need of one learner-time."""

    gender: str  # "M" | "F"
    ethnicity: str | None
    birth_year: int
    party_member: bool


def is_minority(ethnicity: str | None) -> bool:
    """An ethnic minority (dân tộc thiểu số): any ethnicity other than Kinh; unknown is not counted."""
    cleaned = text.clean(ethnicity)
    return cleaned is not None and text.fold(cleaned) != "kinh"


def age_in(year: int, birth_year: int) -> int:
    """The age a person reaches in `year` (the statistics' convention: year minus birth year)."""
    return year - birth_year


AgeBand = tuple[int | None, int | None]


def band_index(age: int, bands: Sequence[AgeBand]) -> int | None:
    """Which of the inclusive (low, high) bands, open where None, holds `age`."""
    for index, (low, high) in enumerate(bands):
        if (low is None or age >= low) and (high is None or age <= high):
            return index
    return None


@dataclass
class Composition:
    """Who the learner-times were: women, ethnic minorities, young cadres, Party members, ages."""

    total: int = 0
    women: int = 0
    minorities: int = 0
    young: int = 0
    party_members: int = 0
    age_bands: list[int] = field(default_factory=list)

    def share(self, part: int) -> Decimal | None:
        return percent(part, self.total)


def composition(people: Iterable[PersonFacts], *, year: int, young_max_age: int,
                bands: Sequence[AgeBand]) -> Composition:
    """Count the shares of a year's learner-times; ages are those reached in `year`; a young
    cadre (cán bộ trẻ) is at most `young_max_age`."""
    return composition_of_counts(((person, 1) for person in people), year=year, young_max_age=young_max_age,
                                 bands=bands)


def composition_of_counts(groups: Iterable[tuple[PersonFacts, int]], *, year: int, young_max_age: int,
                          bands: Sequence[AgeBand]) -> Composition:
    """`composition` of learner-times counted by the database: (facts, how many learner-times
    share them)."""
    result = Composition(age_bands=[0] * len(bands))
    for person, count in groups:
        result.total += count
        if person.gender == "F":
            result.women += count
        if is_minority(person.ethnicity):
            result.minorities += count
        if person.party_member:
            result.party_members += count
        age = age_in(year, person.birth_year)
        if age <= young_max_age:
            result.young += count
        index = band_index(age, bands)
        if index is not None:
            result.age_bands[index] += count
    return result


@dataclass(frozen=True)
class CompositionLine:
    """One line of the learners' composition (thành phần học viên): who, how many, what share."""

    label: str
    count: int
    share: Decimal | None  # of all the learner-times, in percent; None when there were none


def composition_lines(c: Composition, *, young_max_age: int,
                      age_band_labels: Sequence[str] | None = None) -> list[CompositionLine]:
    """The composition as every report and screen lists it: women, ethnic minorities, young
    cadres (up to `young_max_age`), Party members, then one line per age band when the bands'
    labels are given."""
    items = [(tr("statistics", "Nữ"), c.women), (tr("statistics", "Dân tộc thiểu số"), c.minorities),
             (tr("statistics", "Cán bộ trẻ (đến {n} tuổi)").format(n=young_max_age), c.young),
             (tr("statistics", "Đảng viên"), c.party_members)]
    if age_band_labels is not None:
        items += [(tr("statistics", "Độ tuổi {band}").format(band=label), n)
                  for label, n in zip(age_band_labels, c.age_bands, strict=True)]
    return [CompositionLine(label, n, c.share(n)) for label, n in items]


# ---------------------------------------------------------------------------------- results


def classification_key(name: str | None, seen: Sequence[str] = ()) -> tuple[int, int, str]:
    """Sort key listing classifications in CLASSIFICATION_ORDER, others after (in `seen` order)."""
    if name is None:
        return (2, 0, "")
    if name in CLASSIFICATION_ORDER:
        return (0, CLASSIFICATION_ORDER.index(name), name)
    return (1, list(seen).index(name) if name in seen else len(seen), name)


def order_classifications(names: Iterable[str]) -> list[str]:
    unique = list(dict.fromkeys(names))
    return sorted(unique, key=lambda n: classification_key(n, unique))


# ---------------------------------------------------------------------------------- feedback


@dataclass
class RatingTally:
    """Feedback forms on a lecturer, programme... : per criterion, how many ratings were 4 or 5
    and the sum of the ratings (every form rates all four criteria, 1–5)."""

    forms: int = 0
    satisfied_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CRITERIA, 0))
    sum_by: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CRITERIA, 0))

    def add_form(self, content: int, method: int, manner: int, usefulness: int) -> None:
        self.forms += 1
        for criterion, value in zip(CRITERIA, (content, method, manner, usefulness), strict=True):
            self.satisfied_by[criterion] += value >= SATISFIED_FROM
            self.sum_by[criterion] += value

    def add_sums(self, forms: int, satisfied: dict[str, int], sums: dict[str, int]) -> None:
        """Forms already summed (by the database): per criterion, ratings of 4–5 and the rating sum."""
        self.forms += forms
        for criterion in CRITERIA:
            self.satisfied_by[criterion] += satisfied[criterion]
            self.sum_by[criterion] += sums[criterion]

    def merge(self, other: RatingTally) -> None:
        self.add_sums(other.forms, other.satisfied_by, other.sum_by)

    def ratings(self, criterion: str | None = None) -> int:
        return self.forms * (len(CRITERIA) if criterion is None else 1)

    def satisfied(self, criterion: str | None = None) -> int:
        """Ratings of 4 or 5 (on one criterion, or on all four together)."""
        return sum(self.satisfied_by[c] for c in (CRITERIA if criterion is None else (criterion,)))

    def satisfied_share(self, criterion: str | None = None) -> Decimal | None:
        return percent(self.satisfied(criterion), self.ratings(criterion))

    def average(self, criterion: str | None = None) -> Decimal | None:
        n = self.ratings(criterion)
        if n == 0:
            return None
        return Decimal(sum(self.sum_by[c] for c in (CRITERIA if criterion is None else (criterion,)))) / Decimal(n)


__all__ = [
    "CLASSIFICATION_ORDER", "CRITERIA", "Composition", "CompositionLine", "Figures", "PersonFacts", "RatingTally",
    "SATISFIED_FROM", "Tally", "age_in", "ancestors", "band_index", "change_percent", "change_text",
    "classification_key", "composition", "composition_lines", "count_text", "effective_level", "is_minority",
    "order_classifications", "pair_text", "percent", "percent_text", "plan_phrase", "roll_up", "share_text",
    "tally_by",
]
