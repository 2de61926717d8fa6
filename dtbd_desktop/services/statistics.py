"""A year's statistics and the lecturers' periods, read with set-based queries.

Statistics count the classes of the year already held (see `services.plans` for what counts)
and their learner-times: by programme, programme level (sơ cấp, trung cấp, cao cấp, bồi
dưỡng), sending organisation (rolled up the tree: commune → district → province), the
administrative level the organisation belongs to, mode and venue; the shares of women,
ethnic minorities, young cadres and Party members, and the age bands (settings
`young_cadre_max_age`, `age_band_limits`); the results (graduation review) of the classes
that ended in the year, by classification; and the year against the year before.

A few grouped queries bring back one small row per learner-time of the year (a few thousand
on a provincial school), which `dtbd_desktop.rules.statistics` aggregates: no loop over classes.

Lecturers' periods come from the timetable: the periods of every session dated in the year
(up to `as_of`) that names the lecturer, by kind of lecturer, programme and class.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    ClassSession,
    Enrolment,
    GraduationResult,
    Learner,
    Lecturer,
    Organisation,
    Programme,
    TrainingClass,
)
from dtbd_desktop.rules.statistics import (
    Composition,
    Figures,
    PersonFacts,
    Tally,
    composition_lines,
    composition_of_counts,
    effective_level,
    order_classifications,
    roll_up,
)
from dtbd_desktop.services.classes import mode_label
from dtbd_desktop.services.lecturers import KIND_LABELS as LECTURER_KIND_LABELS
from dtbd_desktop.services.organisations import LEVEL_LABELS
from dtbd_desktop.services.plans import ClassFacts, active_programmes, default_as_of, year_classes
from dtbd_desktop.services.settings import age_band_label, age_bands, get_settings

PROGRAMME_LEVEL_LABELS = {
    "so_cap": tr_noop("reports", "Sơ cấp lý luận chính trị"),
    "trung_cap": tr_noop("reports", "Trung cấp lý luận chính trị"),
    "cao_cap": tr_noop("reports", "Cao cấp lý luận chính trị"),
    "fostering": tr_noop("reports", "Bồi dưỡng"),
}
#: The classification column of learners who did not pass or were not eligible.
NOT_PASSED = "Không đạt"
NO_ORGANISATION = tr_noop("reports", "Chưa rõ đơn vị")
NO_VENUE = tr_noop("reports", "Chưa ghi địa điểm")
ORGANISATION_LEVEL_ORDER = ("province", "district", "commune", "agency")
SIBLING_ORDER = {"district": 0, "commune": 1, "agency": 2, "province": 3}


def programme_level_label(level: str) -> str:
    return tr("reports", PROGRAMME_LEVEL_LABELS.get(level, level))


def lecturer_kind_label(kind: str) -> str:
    return tr("lecturers", LECTURER_KIND_LABELS.get(kind, kind))


@dataclass(frozen=True)
class Breakdown:
    """One line of a statistics table: classes and learner-times under a key."""

    key: str
    label: str
    classes: int
    learners: int
    depth: int = 0  # indentation in the organisation tree

    @property
    def figures(self) -> Figures:
        return Figures(self.classes, self.learners)


@dataclass(frozen=True)
class ResultLine:
    """The graduation results of one programme (or the total, `programme_code` "")."""

    programme_code: str
    programme_name: str
    counts: dict[str, int]  # classification (or NOT_PASSED) -> learners
    reviewed: int

    def count(self, classification: str) -> int:
        return self.counts.get(classification, 0)


@dataclass(frozen=True)
class YearStatistics:
    year: int
    as_of: dt.date
    classes: int
    learners: int
    by_programme: list[Breakdown]
    by_programme_level: list[Breakdown]
    by_organisation: list[Breakdown]  # the tree, depth first, organisations with learners only
    by_organisation_level: list[Breakdown]
    by_mode: list[Breakdown]
    by_venue: list[Breakdown]
    composition: Composition
    young_max_age: int
    age_band_labels: list[str]
    classifications: list[str]  # the result columns, in order
    results: list[ResultLine]
    results_total: ResultLine

    @property
    def figures(self) -> Figures:
        return Figures(self.classes, self.learners)


def _learner_times(session: Session, class_ids: Sequence[int]) -> list[tuple[int, int | None, int]]:
    """(class, sending organisation, learner-times) of the classes, transferred learners left out."""
    rows: list[tuple[int, int | None, int]] = []
    organisation = func.coalesce(Enrolment.organisation_id, Learner.organisation_id)
    for chunk in _chunks(class_ids):
        rows += [(cid, oid, n) for cid, oid, n in session.execute(
            select(Enrolment.class_id, organisation, func.count())
            .join(Learner, Learner.id == Enrolment.learner_id)
            .where(Enrolment.class_id.in_(chunk), Enrolment.status != "transferred")
            .group_by(Enrolment.class_id, organisation))]
    return rows


def _composition_groups(session: Session, class_ids: Sequence[int]) -> list[tuple[PersonFacts, int]]:
    """The learner-times of the classes grouped by what the composition counts: a few hundred
    groups for a year of thousands of learners, counted by the database."""
    counts: dict[PersonFacts, int] = defaultdict(int)
    for chunk in _chunks(class_ids):
        for gender, ethnicity, birth_year, party, n in session.execute(
                select(Learner.gender, Learner.ethnicity, Learner.birth_year, Learner.party_member, func.count())
                .join(Enrolment, Enrolment.learner_id == Learner.id)
                .where(Enrolment.class_id.in_(chunk), Enrolment.status != "transferred")
                .group_by(Learner.gender, Learner.ethnicity, Learner.birth_year, Learner.party_member)):
            counts[PersonFacts(gender, ethnicity, birth_year, bool(party))] += n
    return list(counts.items())


def _chunks(ids: Sequence[int], size: int = 900) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


def _lines(tallies: Mapping[str, Tally], labels: Mapping[str, str], order: Iterable[str] | None = None) -> list[Breakdown]:
    keys = list(order) if order is not None else sorted(tallies, key=lambda k: text.vn_sort_key(labels.get(k, k)))
    return [Breakdown(k, labels.get(k, k), tallies[k].classes, tallies[k].learners) for k in keys if k in tallies]


def _organisation_rows(own: dict[int, Tally], session: Session, max_depth: int | None) -> tuple[
        list[Breakdown], dict[str, Tally]]:
    orgs = session.execute(select(Organisation.id, Organisation.parent_id, Organisation.name, Organisation.level)).all()
    parents = {oid: parent for oid, parent, _n, _l in orgs}
    names = {oid: text.nfc(name) for oid, _p, name, _l in orgs}
    levels = {oid: level for oid, _p, _n, level in orgs}
    totals = roll_up(own, parents)
    children: dict[int | None, list[int]] = defaultdict(list)
    for oid in totals:
        parent = parents.get(oid)
        children[parent if parent in totals else None].append(oid)
    rows: list[Breakdown] = []

    def walk(parent: int | None, depth: int) -> None:
        # Districts (or communes) first, then the bodies, each in Vietnamese order.
        for oid in sorted(children.get(parent, []),
                          key=lambda o: (SIBLING_ORDER.get(levels.get(o, ""), 9), text.vn_sort_key(names[o]))):
            t = totals[oid]
            rows.append(Breakdown(str(oid), names[oid], t.classes, t.learners, depth))
            if max_depth is None or depth < max_depth:
                walk(oid, depth + 1)

    walk(None, 0)
    by_level: dict[str, Tally] = defaultdict(Tally)
    for oid, tally in own.items():
        by_level[effective_level(oid, parents, levels)].merge(tally)
    return rows, by_level


def year_statistics(session: Session, year: int, *, as_of: dt.date | None = None,
                    organisation_depth: int | None = None) -> YearStatistics:
    """Everything the statistics screen and the annual report show for `year`."""
    as_of = as_of or default_as_of(year)
    settings = get_settings(session)
    young_max = int(settings.get("young_cadre_max_age") or 35)
    bands = age_bands(list(settings.get("age_band_limits") or []))
    facts = [c for c in year_classes(session, year) if c.year == year and c.start <= as_of]
    programmes = active_programmes(session)
    programme_names = {p.code: text.nfc(p.name) for p in programmes}
    programme_levels = {p.id: p.level for p in programmes}
    class_by_id: dict[int, ClassFacts] = {c.id: c for c in facts}

    by_programme: dict[str, Tally] = defaultdict(Tally)
    by_level: dict[str, Tally] = defaultdict(Tally)
    by_mode: dict[str, Tally] = defaultdict(Tally)
    by_venue: dict[str, Tally] = defaultdict(Tally)
    for c in facts:  # classes without learners still count as classes
        by_programme[c.programme_code].class_ids.add(c.id)
        by_level[programme_levels.get(c.programme_id, "")].class_ids.add(c.id)
        by_mode[c.mode].class_ids.add(c.id)
        by_venue[text.nfc(c.venue) if c.venue else ""].class_ids.add(c.id)
    class_ids = sorted(class_by_id)
    own: dict[int, Tally] = defaultdict(Tally)
    unknown_org = Tally()
    for class_id, organisation_id, n in _learner_times(session, class_ids):
        held = class_by_id[class_id]
        by_programme[held.programme_code].learners += n
        by_level[programme_levels.get(held.programme_id, "")].learners += n
        by_mode[held.mode].learners += n
        by_venue[text.nfc(held.venue) if held.venue else ""].learners += n
        if organisation_id is None:
            unknown_org.add(held.id, n)
        else:
            own[organisation_id].add(held.id, n)
    org_rows, org_levels = _organisation_rows(own, session, organisation_depth)
    if unknown_org.learners:
        org_rows.append(Breakdown("", tr("reports", NO_ORGANISATION), unknown_org.classes, unknown_org.learners))
        org_levels[""].merge(unknown_org)
    level_labels = {k: tr("organisations", v) for k, v in LEVEL_LABELS.items()}
    level_labels["agency"] = tr("reports", "Cơ quan, đơn vị khác")
    level_labels[""] = tr("reports", NO_ORGANISATION)
    results, results_total, classifications = year_results(session, year)
    return YearStatistics(
        year=year, as_of=as_of, classes=len(facts), learners=sum(c.learners for c in facts),
        by_programme=_lines(by_programme, programme_names, [p.code for p in programmes]),
        by_programme_level=_lines(by_level, {k: programme_level_label(k) for k in PROGRAMME_LEVEL_LABELS},
                                  [*PROGRAMME_LEVEL_LABELS, ""]),
        by_organisation=org_rows,
        by_organisation_level=_lines(org_levels, level_labels, [*ORGANISATION_LEVEL_ORDER, ""]),
        by_mode=_lines(by_mode, {m: mode_label(m) for m in by_mode}, ["full-time", "part-time"]),
        by_venue=_lines(by_venue, {**{v: v for v in by_venue}, "": tr("reports", NO_VENUE)}),
        composition=composition_of_counts(_composition_groups(session, class_ids), year=year,
                                          young_max_age=young_max, bands=bands),
        young_max_age=young_max, age_band_labels=[age_band_label(b) for b in bands],
        classifications=classifications, results=results, results_total=results_total,
    )


def year_results(session: Session, year: int) -> tuple[list[ResultLine], ResultLine, list[str]]:
    """Graduation results of the classes that ended in `year`, per programme and classification."""
    stmt = (
        select(TrainingClass.programme_id, GraduationResult.eligible, GraduationResult.classification, func.count())
        .join(Enrolment, Enrolment.id == GraduationResult.enrolment_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .where(TrainingClass.end_date >= dt.date(year, 1, 1), TrainingClass.end_date <= dt.date(year, 12, 31),
               Enrolment.status != "transferred")
        .group_by(TrainingClass.programme_id, GraduationResult.eligible, GraduationResult.classification)
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for pid, eligible, classification, n in session.execute(stmt):
        name = text.nfc(classification) if eligible and classification else (
            tr("reports", "Đạt") if eligible else NOT_PASSED)
        counts[pid][name] += n
    names = order_classifications(name for per in counts.values() for name in per)
    lines = []
    total: dict[str, int] = defaultdict(int)
    for p in active_programmes(session):
        if p.id not in counts:
            continue
        per = dict(counts[p.id])
        for k, v in per.items():
            total[k] += v
        lines.append(ResultLine(p.code, text.nfc(p.name), per, sum(per.values())))
    return lines, ResultLine("", tr("reports", "Tổng cộng"), dict(total), sum(total.values())), names


# ---------------------------------------------------------------------------------- year against year


@dataclass(frozen=True)
class ComparisonLine:
    key: str
    label: str
    previous: Figures
    current: Figures


@dataclass(frozen=True)
class YearComparison:
    year: int
    previous_year: int
    lines: list[ComparisonLine]  # per programme
    total: ComparisonLine
    shares: list[tuple[str, int, int, int, int]]  # (label, previous part, previous whole, part, whole)


def compare_years(current: YearStatistics, previous: YearStatistics) -> YearComparison:
    keys = list(dict.fromkeys([*(b.key for b in previous.by_programme), *(b.key for b in current.by_programme)]))
    prev = {b.key: b for b in previous.by_programme}
    cur = {b.key: b for b in current.by_programme}
    lines = [ComparisonLine(k, (cur.get(k) or prev[k]).label, prev[k].figures if k in prev else Figures(),
                            cur[k].figures if k in cur else Figures()) for k in keys]
    total = ComparisonLine("", tr("reports", "Tổng cộng"), previous.figures, current.figures)
    a, b = previous.composition, current.composition
    shares = [(now.label, before.count, a.total, now.count, b.total) for before, now in zip(
        composition_lines(a, young_max_age=current.young_max_age),
        composition_lines(b, young_max_age=current.young_max_age), strict=True)]
    return YearComparison(current.year, previous.year, lines, total, shares)


# ---------------------------------------------------------------------------------- lecturers' periods


@dataclass(frozen=True)
class LecturerClassPeriods:
    class_code: str
    programme_code: str
    sessions: int
    lesson_periods: int
    field_trip_periods: int
    exam_periods: int

    @property
    def periods(self) -> int:
        return self.lesson_periods + self.field_trip_periods + self.exam_periods


@dataclass(frozen=True)
class LecturerPeriods:
    lecturer_id: int
    full_name: str
    title: str | None
    kind: str
    workplace: str | None
    department: str | None
    classes: list[LecturerClassPeriods]

    @property
    def periods(self) -> int:
        return sum(c.periods for c in self.classes)

    @property
    def sessions(self) -> int:
        return sum(c.sessions for c in self.classes)

    @property
    def lesson_periods(self) -> int:
        return sum(c.lesson_periods for c in self.classes)

    @property
    def field_trip_periods(self) -> int:
        return sum(c.field_trip_periods for c in self.classes)

    @property
    def exam_periods(self) -> int:
        return sum(c.exam_periods for c in self.classes)

    def programme_periods(self, code: str) -> int:
        return sum(c.periods for c in self.classes if c.programme_code == code)

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.full_name}" if self.title else self.full_name


@dataclass(frozen=True)
class LecturerPeriodsReport:
    year: int
    as_of: dt.date
    programmes: list[tuple[str, str]]  # (code, name) of the programmes taught, catalogue order
    lecturers: list[LecturerPeriods]  # by kind (chuyên trách, kiêm chức, thỉnh giảng), then name
    by_kind: dict[str, int] = field(default_factory=dict)

    @property
    def periods(self) -> int:
        return sum(lec.periods for lec in self.lecturers)


KIND_ORDER = ("full_time", "part_time", "guest")


def lecturer_periods(session: Session, year: int, *, as_of: dt.date | None = None) -> LecturerPeriodsReport:
    """Periods taught per lecturer in `year` (sessions dated from 1 January to `as_of`)."""
    as_of = as_of or default_as_of(year)
    first, last = dt.date(year, 1, 1), min(as_of, dt.date(year, 12, 31))
    stmt = (
        select(ClassSession.lecturer_id, ClassSession.class_id, ClassSession.kind, func.count(),
               func.sum(ClassSession.periods))
        .where(ClassSession.date >= first, ClassSession.date <= last, ClassSession.lecturer_id.is_not(None))
        .group_by(ClassSession.lecturer_id, ClassSession.class_id, ClassSession.kind)
    )
    grouped: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0, 0, 0]))
    for lecturer_id, class_id, kind, sessions, periods in session.execute(stmt):
        if lecturer_id is None:
            continue
        cell = grouped[lecturer_id][class_id]
        cell[0] += sessions
        cell[{"lesson": 1, "field_trip": 2, "exam": 3}.get(kind, 1)] += int(periods or 0)
    class_ids = {cid for per in grouped.values() for cid in per}
    classes = {cid: (code, pcode) for cid, code, pcode in session.execute(
        select(TrainingClass.id, TrainingClass.code, Programme.code)
        .join(Programme, Programme.id == TrainingClass.programme_id)
        .where(TrainingClass.id.in_(class_ids)))} if class_ids else {}
    lecturers = {lec.id: lec for lec in session.scalars(select(Lecturer).where(Lecturer.id.in_(list(grouped))))} \
        if grouped else {}
    rows: list[LecturerPeriods] = []
    for lecturer_id, per_class in grouped.items():
        lec = lecturers[lecturer_id]
        lines = sorted((LecturerClassPeriods(classes[cid][0], classes[cid][1], v[0], v[1], v[2], v[3])
                        for cid, v in per_class.items()), key=lambda c: text.vn_sort_key(c.class_code))
        rows.append(LecturerPeriods(lec.id, lec.full_name, lec.title, lec.kind, lec.workplace, lec.department, lines))
    sort_keys = {lec.id: lec.sort_key for lec in lecturers.values()}
    rows.sort(key=lambda r: (KIND_ORDER.index(r.kind) if r.kind in KIND_ORDER else 9, sort_keys[r.lecturer_id]))
    taught = {c.programme_code for r in rows for c in r.classes}
    programmes = [(p.code, text.nfc(p.name)) for p in active_programmes(session) if p.code in taught]
    by_kind: dict[str, int] = defaultdict(int)
    for r in rows:
        by_kind[r.kind] += r.periods
    return LecturerPeriodsReport(year, as_of, programmes, rows, dict(by_kind))
