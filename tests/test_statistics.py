"""The year's statistics and the lecturers' periods, each figure worked out by hand.

First the pure helpers (`dtbd_desktop.rules.statistics`) on tables of cases, then the statistics of
the small centre of `tests/yearly_data.py` as the services read them from the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dtbd_desktop.db.engine import Database
from dtbd_desktop.rules.statistics import (
    Figures,
    PersonFacts,
    RatingTally,
    Tally,
    band_index,
    change_text,
    composition,
    composition_lines,
    composition_of_counts,
    effective_level,
    is_minority,
    order_classifications,
    percent,
    percent_text,
    plan_phrase,
    roll_up,
    share_text,
)
from dtbd_desktop.services import settings
from dtbd_desktop.services import statistics as reports
from tests import yearly_data

D = dt.date


# ---------------------------------------------------------------------------------- pure helpers


@pytest.mark.parametrize(("actual", "target", "phrase"), [
    # The seed's own sentence: 68/61 = 111,475...% -> 111,5%; 5476/5250 = 104,304...% -> 104,3%.
    (Figures(68, 5476), Figures(61, 5250), "68/61 lớp, 5.476/5.250 học viên, đạt 111,5% / 104,3%"),
    # 50/48 = 104,1666% -> 104,2%; 4681/4500 = 104,0222% -> 104,0%.
    (Figures(50, 4681), Figures(48, 4500), "50/48 lớp, 4.681/4.500 học viên, đạt 104,2% / 104,0%"),
    # 1/8 = 12,5% exactly; 1/3 = 33,33% -> 33,3%.
    (Figures(1, 1), Figures(8, 3), "1/8 lớp, 1/3 học viên, đạt 12,5% / 33,3%"),
    # Half up: 1/16 = 6,25% -> 6,3% (not the 6,2% of banker's rounding).
    (Figures(1, 2), Figures(16, 3), "1/16 lớp, 2/3 học viên, đạt 6,3% / 66,7%"),
    (Figures(3, 120), Figures(0, 0), "3 lớp, 120 học viên (ngoài kế hoạch)"),
    (Figures(2, 90), Figures(0, 100), "2/0 lớp, 90/100 học viên, đạt – / 90,0%"),
])
def test_plan_phrase(actual: Figures, target: Figures, phrase: str) -> None:
    assert plan_phrase(actual, target) == phrase


@pytest.mark.parametrize(("old", "new", "shown"), [
    (584, 538, "-7,9%"),  # (538 - 584) / 584 = -7,876% -> -7,9%
    (100, 117, "+17,0%"),
    (45, 45, "0,0%"),
    (0, 5, "–"),  # nothing the year before: no percentage
])
def test_change_from_year_to_year(old: int, new: int, shown: str) -> None:
    assert change_text(old, new) == shown


def test_percent_is_none_without_a_whole() -> None:
    assert percent(3, 0) is None
    assert percent_text(3, 0) == "–"
    assert percent(1, 4) == Decimal(25)


def test_the_tree_rolls_up_communes_into_districts_into_the_province() -> None:
    # Province 1 -> district 2 -> communes 3, 4; agency 5 under the province.
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 2, 5: 1}
    own = {3: Tally({10, 11}, 4), 4: Tally({10}, 2), 5: Tally({12}, 4)}
    totals = roll_up(own, parents)
    # District: classes {10, 11} (class 10 once though both communes sent to it), 4 + 2 = 6 learners.
    assert (totals[2].classes, totals[2].learners) == (2, 6)
    # Province: {10, 11, 12} = 3 classes, 6 + 4 = 10 learners.
    assert (totals[1].classes, totals[1].learners) == (3, 10)
    assert (totals[3].classes, totals[3].learners) == (2, 4)


def test_an_agency_belongs_to_the_level_above_it() -> None:
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 2, 5: 1, 6: None}
    levels = {1: "province", 2: "district", 3: "commune", 4: "agency", 5: "agency", 6: "agency"}
    assert [effective_level(n, parents, levels) for n in (1, 2, 3, 4, 5, 6)] == [
        "province", "district", "commune", "district", "province", "agency"]


@pytest.mark.parametrize(("ethnicity", "minority"), [
    ("Kinh", False), (" kinh ", False), ("KINH", False), ("Khmer", True), ("Hoa", True), ("Chăm", True),
    (None, False), ("", False)])
def test_ethnic_minorities_are_everyone_but_kinh(ethnicity: str | None, minority: bool) -> None:
    assert is_minority(ethnicity) is minority


@pytest.mark.parametrize(("age", "band"), [(18, 0), (29, 0), (30, 1), (39, 1), (40, 2), (49, 2), (50, 3), (70, 3)])
def test_age_bands_from_the_settings(age: int, band: int) -> None:
    assert band_index(age, settings.age_bands([30, 40, 50])) == band


def test_composition_of_learner_times() -> None:
    people = [
        PersonFacts("F", "Kinh", 1991, True),   # 35 in 2026: young (at most 35), band 30–39
        PersonFacts("M", "Khmer", 1990, True),  # 36: not young, band 30–39
        PersonFacts("F", "Tày", 2000, False),   # 26: young, band under 30
        PersonFacts("M", "Kinh", 1976, True),   # 50: band from 50
        PersonFacts("F", None, 1980, False),    # 46: band 40–49; ethnicity unknown: not a minority
    ]
    c = composition(people, year=2026, young_max_age=35, bands=settings.age_bands([30, 40, 50]))
    # Women 3 of 5 = 60%; minorities (Khmer, Tày) 2 = 40%; young 2 = 40%; Party members 3 = 60%.
    assert (c.total, c.women, c.minorities, c.young, c.party_members) == (5, 3, 2, 2, 3)
    assert c.age_bands == [1, 2, 1, 1]
    assert c.share(c.women) == Decimal(60)


def test_composition_counted_by_the_database_in_groups() -> None:
    """The services count learner-times in groups of equal facts; each group weighs its count."""
    groups = [(PersonFacts("F", "Kinh", 1991, True), 40), (PersonFacts("M", "Mường", 1970, False), 7),
              (PersonFacts("F", "Thái", 2001, False), 3)]
    c = composition_of_counts(groups, year=2026, young_max_age=35, bands=settings.age_bands([30, 40, 50]))
    # 50 learner-times: women 40 + 3; minorities 7 + 3; young (35 and 25) 40 + 3; Party 40;
    # ages 35 (30–39), 56 (from 50), 25 (under 30).
    assert (c.total, c.women, c.minorities, c.young, c.party_members) == (50, 43, 10, 43, 40)
    assert c.age_bands == [3, 40, 0, 7]


def test_the_composition_lines_every_report_prints() -> None:
    people = [PersonFacts("F", "Tày", 2000, True), PersonFacts("M", "Kinh", 1970, False),
              PersonFacts("F", "Kinh", 1985, False), PersonFacts("M", "Kinh", 1996, False)]
    c = composition(people, year=2026, young_max_age=30, bands=settings.age_bands([30, 40, 50]))
    lines = composition_lines(c, young_max_age=30, age_band_labels=["dưới 30", "30–39", "40–49", "từ 50"])
    # Women 2 of 4 = 50%; minorities 1 = 25%; young (26 and 30) 2 = 50%; Party members 1 = 25%;
    # ages 26, 56, 41, 30: one in each band.
    assert [(ln.label, ln.count, share_text(ln.share)) for ln in lines] == [
        ("Nữ", 2, "50,0%"), ("Dân tộc thiểu số", 1, "25,0%"), ("Cán bộ trẻ (đến 30 tuổi)", 2, "50,0%"),
        ("Đảng viên", 1, "25,0%"), ("Độ tuổi dưới 30", 1, "25,0%"), ("Độ tuổi 30–39", 1, "25,0%"),
        ("Độ tuổi 40–49", 1, "25,0%"), ("Độ tuổi từ 50", 1, "25,0%")]
    # Without the bands' labels (year against year): the first four; with nobody, no share.
    assert [ln.label for ln in composition_lines(c, young_max_age=30)] == [ln.label for ln in lines[:4]]
    empty = composition([], year=2026, young_max_age=30, bands=[])
    assert [(ln.count, ln.share, share_text(ln.share)) for ln in composition_lines(empty, young_max_age=30)] == [
        (0, None, "–")] * 4


def test_rating_tally_counts_ratings_of_four_and_five() -> None:
    tally = RatingTally()
    tally.add_form(5, 4, 3, 2)  # satisfied: 5, 4 -> 2
    tally.add_form(4, 4, 4, 4)  # 4
    tally.add_form(1, 5, 5, 3)  # 5, 5 -> 2
    # 8 of 12 ratings = 66,67%; content 5, 4, 1 -> 2 of 3; average (14 + 16 + 14) / 12 = 3,666...
    assert (tally.forms, tally.satisfied(), tally.ratings()) == (3, 8, 12)
    assert percent_text(tally.satisfied(), tally.ratings()) == "66,7%"
    assert tally.satisfied("content") == 2
    assert tally.average() == Decimal(44) / Decimal(12)


def test_classifications_are_listed_best_first() -> None:
    assert order_classifications(["Đạt", "Khá", "Không đạt", "Giỏi", "Hoàn thành", "Khá"]) == [
        "Giỏi", "Khá", "Đạt", "Không đạt", "Hoàn thành"]


# ---------------------------------------------------------------------------------- the small centre


@pytest.fixture
def centre(db: Database) -> dict[str, int]:
    return yearly_data.build(db)


def _lines(breakdown: list[reports.Breakdown]) -> list[tuple[str, int, int]]:
    return [(b.label, b.classes, b.learners) for b in breakdown]


def test_statistics_of_2025(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        st = reports.year_statistics(s, 2025, as_of=D(2025, 12, 31))
    # Classes opened in 2025: SC25 (L1–L4), DVM25 (L6–L8), SC25B (L9, L10): 3 classes, 9 learner-times.
    assert (st.classes, st.learners) == (3, 9)
    assert _lines(st.by_programme) == [("Sơ cấp lý luận chính trị", 2, 6),
                                       ("Bồi dưỡng lý luận chính trị dành cho đảng viên mới", 1, 3)]
    assert _lines(st.by_programme_level) == [("Sơ cấp lý luận chính trị", 2, 6), ("Bồi dưỡng", 1, 3)]
    assert _lines(st.by_mode) == [("Tập trung", 3, 9)]
    assert _lines(st.by_venue) == [("Trung tâm Chính trị huyện Bến Lức", 2, 6), ("Trường Chính trị tỉnh", 1, 3)]
    # Communes: L1, L2, L10 (Mỹ Yên) and L3, L7 (Lương Hòa) = 5 in SC25, SC25B, DVM25; district: L4 (the
    # district's Ban Tổ chức) and L9 (the district itself) = 2 in SC25, SC25B; province: L6 (Sở Nội vụ, DVM25).
    assert _lines(st.by_organisation_level) == [("Cấp tỉnh", 1, 1), ("Cấp huyện", 2, 2), ("Cấp xã", 3, 5),
                                                ("Chưa rõ đơn vị", 1, 1)]
    # The tree: district = Lương Hòa 2 + Mỹ Yên 3 + Ban Tổ chức 1 + itself 1 = 7 in 3 classes; province =
    # district 7 + Sở Nội vụ 1 = 8. Districts before bodies, communes before bodies, Vietnamese order.
    assert [(b.depth, b.label, b.classes, b.learners) for b in st.by_organisation] == [
        (0, "Tỉnh Long An", 3, 8),
        (1, "Huyện Bến Lức", 3, 7),
        (2, "Xã Lương Hòa", 2, 2),
        (2, "Xã Mỹ Yên", 2, 3),
        (2, "Ban Tổ chức Huyện ủy Bến Lức", 1, 1),
        (1, "Sở Nội vụ tỉnh Long An", 1, 1),
        (0, "Chưa rõ đơn vị", 1, 1),
    ]
    c = st.composition
    # Women L1, L3, L6, L8, L10 = 5; minorities L2 (Khmer), L6 (Hoa) = 2; young (35 or less in 2025): L1 30,
    # L2 35, L6 25, L7 33, L10 29 = 5; Party members L1, L2, L4, L6, L8, L9 = 6.
    assert (c.total, c.women, c.minorities, c.young, c.party_members) == (9, 5, 2, 5, 6)
    # Bands under 30 (L6 25, L10 29), 30–39 (L1, L2, L7, L9), 40–49 (L3 45), from 50 (L4 55, L8 50).
    assert st.age_band_labels == ["dưới 30", "30–39", "40–49", "từ 50"]
    assert c.age_bands == [2, 4, 1, 2]
    # Results of the classes that ended in 2025: SC25 (Giỏi 1, Khá 2, L4 not eligible), DVM25 (Đạt 2, L8 not).
    assert st.classifications == ["Giỏi", "Khá", "Đạt", "Không đạt"]
    assert [(r.programme_code, r.counts, r.reviewed) for r in st.results] == [
        ("SC", {"Giỏi": 1, "Khá": 2, "Không đạt": 1}, 4), ("DVM", {"Đạt": 2, "Không đạt": 1}, 3)]
    assert (st.results_total.reviewed, st.results_total.count("Không đạt")) == (7, 2)


def test_settings_change_the_young_cadre_age_and_the_bands(db: Database, centre: dict[str, int]) -> None:
    with db.write(raw=True) as s:
        settings.save_settings(s, young_cadre_max_age=30, age_band_limits=[35, 45])
    with db.read() as s:
        st = reports.year_statistics(s, 2025, as_of=D(2025, 12, 31))
    # 30 or less: L1 30, L6 25, L10 29 = 3. Bands: under 35 (L1, L6, L7 33, L10) = 4; 35–44 (L2 35, L9 37) = 2;
    # from 45 (L3 45, L4 55, L8 50) = 3.
    assert st.composition.young == 3
    assert st.age_band_labels == ["dưới 35", "35–44", "từ 45"]
    assert st.composition.age_bands == [4, 2, 3]


def test_year_against_year(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        current = reports.year_statistics(s, 2025, as_of=D(2025, 12, 31))
        previous = reports.year_statistics(s, 2024, as_of=D(2024, 12, 31))
    cmp = reports.compare_years(current, previous)
    # 2024: SC24 (4) and TC24 (3); 2025: SC 2 classes / 6, DVM 1 / 3.
    assert [(ln.key, ln.previous, ln.current) for ln in cmp.lines] == [
        ("SC", Figures(1, 4), Figures(2, 6)), ("TC", Figures(1, 3), Figures(0, 0)), ("DVM", Figures(0, 0), Figures(1, 3))]
    # Total 2 / 7 -> 3 / 9: learners +2/7 = +28,6%.
    assert (cmp.total.previous, cmp.total.current) == (Figures(2, 7), Figures(3, 9))
    assert change_text(cmp.total.previous.learners, cmp.total.current.learners) == "+28,6%"
    # Women: 2024's seven learners are all men: 0 of 7; 2025: 5 of 9.
    assert cmp.shares[0][1:] == (0, 7, 5, 9)


def test_lecturers_periods_of_the_year(db: Database, centre: dict[str, int]) -> None:
    with db.read() as s:
        report = reports.lecturer_periods(s, 2025, as_of=D(2025, 12, 31))
    by_name = {lec.full_name: lec for lec in report.lecturers}
    a, b = by_name["Nguyễn Văn Giảng"], by_name["Trần Thị Mời"]
    # A: SC25 5 + 5 (two half-days of 3 March) and DVM25 5 = 15 periods, 3 sessions, 2 classes; TC24's
    # session of 2 December 2024 belongs to 2024.
    assert (a.periods, a.sessions, a.lesson_periods, len(a.classes)) == (15, 3, 15, 2)
    assert [(c.class_code, c.periods) for c in a.classes] == [("DVM25", 5), ("SC25", 10)]
    # B (guest): SC25 field trip 4 + TC24 lesson of 6 January 5 = 9.
    assert (b.periods, b.field_trip_periods, b.lesson_periods) == (9, 4, 5)
    assert b.programme_periods("TC") == 5 and b.programme_periods("SC") == 4
    # Full-time first, then guests; the exam session without a lecturer is nobody's.
    assert [lec.full_name for lec in report.lecturers] == ["Nguyễn Văn Giảng", "Trần Thị Mời"]
    assert report.by_kind == {"full_time": 15, "guest": 9}
    assert report.periods == 24
    assert [code for code, _name in report.programmes] == ["SC", "TC", "DVM"]
    with db.read() as s:
        early = reports.lecturer_periods(s, 2025, as_of=D(2025, 3, 3))
    # Up to 3 March: A's two SC25 half-days (10), B's TC24 lesson of January (5).
    assert {lec.full_name: lec.periods for lec in early.lecturers} == {"Nguyễn Văn Giảng": 10, "Trần Thị Mời": 5}
