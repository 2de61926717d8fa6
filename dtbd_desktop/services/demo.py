"""A deterministic, realistic demo centre: Trường Chính trị tỉnh Long An over two years.

The same `today` and seed always give the same data: an organisation tree of the province,
lecturers, classes of every programme (finished, running and planned), learners (some in
several classes over their career), timetables, attendance, scores, graduation results and
certificates with the register.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.base.paths import resource_path
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import (
    AnnualPlan,
    AttendanceMark,
    ClassSession,
    Enrolment,
    Holiday,
    Learner,
    Lecturer,
    MakeUp,
    Organisation,
    Programme,
    Score,
    TrainingClass,
)
from dtbd_desktop.rules import timetable
from dtbd_desktop.services import certificates_numbering, classes, settings, signing_keys
from dtbd_desktop.services.catalogue import current_rule_set
from dtbd_desktop.services.learners import person_keys
from dtbd_desktop.services.lecturers import save_lecturer
from dtbd_desktop.services.organisations import save_organisation
from dtbd_desktop.trust import audit, protected

PROVINCE_CODE = "080"  # Long An's code in the CCCD number

Progress = Callable[[str], None]


@dataclass(frozen=True)
class ClassPlan:
    programme: str
    code: str
    start: dt.date
    mode: str
    venue: str
    size: int
    district: int | None = None  # index of the district the class draws from (district centres)
    weekdays: tuple[int, ...] = timetable.FULL_TIME_WEEKDAYS
    months: int | None = None  # planned length, for part-time classes


def _lunar_holidays(year: int) -> dict[dt.date, str]:
    """Tết and Giỗ Tổ Hùng Vương for the demo years (the centre enters them itself in real use)."""
    table = {
        2024: (dt.date(2024, 2, 8), 5, dt.date(2024, 4, 18)),
        2025: (dt.date(2025, 1, 25), 9, dt.date(2025, 4, 7)),
        2026: (dt.date(2026, 2, 14), 9, dt.date(2026, 4, 27)),
        2027: (dt.date(2027, 2, 5), 9, dt.date(2027, 4, 16)),
    }
    if year not in table:
        return {}
    tet, days, hung = table[year]
    out = {tet + dt.timedelta(days=i): "Tết Nguyên đán" for i in range(days)}
    out[hung] = "Giỗ Tổ Hùng Vương"
    return out


def _class_plans(year: int, districts: int) -> list[ClassPlan]:
    yy = year % 100

    def d(month: int, day: int) -> dt.date:
        return dt.date(year, month, day)

    return [
        ClassPlan("TC", f"A{48 + 2 * (year - 2025)}", d(3, 2), "full-time", "Trường Chính trị tỉnh", 62),
        ClassPlan("TC", f"B{21 + (year - 2025)}.KTT", d(9, 7), "part-time", "Trung tâm Chính trị huyện Đức Hòa", 55,
                  district=3, weekdays=(6, 7), months=18),
        ClassPlan("CC", f"K{74 + (year - 2025)}B.21", d(5, 11), "part-time", "Trường Chính trị tỉnh", 45,
                  weekdays=(5, 6, 7), months=20),
        ClassPlan("SC", f"SC{yy}.01", d(4, 6), "full-time", "Trung tâm Chính trị huyện Bến Lức", 48, district=0),
        ClassPlan("SC", f"SC{yy}.02", d(10, 12), "full-time", "Trung tâm Chính trị huyện Cần Giuộc", 52,
                  district=1 % districts),
        ClassPlan("DVM", f"DVM{yy}.01", d(3, 16), "full-time", "Trường Chính trị tỉnh", 58),
        ClassPlan("DVM", f"DVM{yy}.02", d(12, 7), "full-time", "Trung tâm Chính trị huyện Cần Đước", 46,
                  district=2 % districts),
        ClassPlan("NTVD", f"NT{yy}.01", d(6, 8), "full-time", "Trung tâm Chính trị huyện Thủ Thừa", 64,
                  district=4 % districts),
        ClassPlan("NTVD", f"NT{yy}.02", d(11, 16), "full-time", "Trường Chính trị tỉnh", 70),
        ClassPlan("DT4", f"DT4.{yy}", d(7, 13), "full-time", "Trường Chính trị tỉnh", 40),
        ClassPlan("NVCTD", f"NV{yy}.01", d(8, 10), "full-time", "Trường Chính trị tỉnh", 44),
    ]


class _Builder:
    def __init__(self, session: Session, today: dt.date, rng: random.Random, progress: Progress | None) -> None:
        self.s = session
        self.today = today
        self.rng = rng
        self.progress = progress
        with resource_path("demo", "demo_reference.json").open(encoding="utf-8") as fh:
            self.ref: dict[str, Any] = json.load(fh)
        self.people: list[Learner] = []
        self.used_ids: set[str] = set()
        self.districts: list[list[int]] = []  # organisations under each district
        self.province_orgs: list[int] = []
        self.lecturer_ids: list[int] = []
        # Decisions to record, by date, with what each eligible learner's document prints.
        self.decided: list[tuple[dt.date, int, TrainingClass, Programme, dict[int, str | None]]] = []

    def say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    # --- reference data -----------------------------------------------------------------
    def organisations(self) -> None:
        def add(node: dict[str, Any], parent_id: int | None, district: list[int] | None) -> None:
            org = save_organisation(self.s, name=node["name"], level=node.get("level", "agency"),
                                    block=node.get("block", "other"), parent_id=parent_id,
                                    short_name=node.get("short_name"))
            if org.level == "district":
                district = []
                self.districts.append(district)
            if district is not None:
                district.append(org.id)
            elif org.level != "province":
                self.province_orgs.append(org.id)
            for child in node.get("children", []):
                add(child, org.id, district)

        for root in self.ref["organisations"]:
            add(root, None, None)
        if not self.province_orgs:
            self.province_orgs = [i for d in self.districts for i in d]

    def lecturers(self) -> None:
        for lec in self.ref["lecturers"]:
            saved = save_lecturer(
                self.s, full_name=text.join_name(lec["family_name"], lec.get("middle_name", ""), lec["given_name"]),
                kind=lec["kind"], title=lec.get("title"), department=lec.get("department"),
                workplace=lec.get("workplace"))
            self.lecturer_ids.append(saved.id)

    def holidays(self, years: list[int]) -> list[dt.date]:
        days: dict[dt.date, str] = {}
        for y in years:
            days.update(timetable.fixed_national_holidays(y))
            days.update(_lunar_holidays(y))
        for day, name in sorted(days.items()):
            self.s.add(Holiday(date=day, name=name))
        return list(days)

    # --- people -------------------------------------------------------------------------
    def _weighted(self, pairs: list[list[Any]]) -> Any:
        return self.rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]

    def _national_id(self, gender: str, birth: dt.date) -> str:
        century = 0 if birth.year < 2000 else 2
        digit = century + (1 if gender == "F" else 0)
        while True:
            nid = f"{PROVINCE_CODE}{digit}{birth.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if nid not in self.used_ids:
                self.used_ids.add(nid)
                return nid

    def _joined(self, birth: dt.date, years: int) -> dt.date:
        """Joined the Party `years` after birth, or, for the young, at 19 to 21: never in the future."""
        joined = birth + dt.timedelta(days=365 * years)
        return joined if joined <= self.today else birth + dt.timedelta(days=365 * 19 + birth.toordinal() % 700)

    def new_person(self, organisation_id: int, level: str) -> Learner:
        r = self.rng
        gender = "M" if r.random() < 0.56 else "F"
        family = self._weighted(self.ref["family_names"])
        middle = r.choice(self.ref["middle_names_male" if gender == "M" else "middle_names_female"])
        given = r.choice(self.ref["given_names_male" if gender == "M" else "given_names_female"])
        birth = dt.date(1968, 1, 1) + dt.timedelta(days=r.randrange(0, 365 * 32))
        positions = self.ref["positions"].get(level) or self.ref["positions"]["agency"]
        party = r.random() < 0.85
        sort_key, search_key = person_keys(family, middle, given)
        person = Learner(
            family_name=family, middle_name=middle, given_name=given,
            birth_date=birth if r.random() > 0.03 else None, birth_year=birth.year, gender=gender,
            ethnicity=self._weighted(self.ref["ethnicities"]), national_id=self._national_id(gender, birth),
            place_of_birth=f"{r.choice(['Xã', 'Phường', 'Thị trấn'])} {r.choice(['Mỹ Yên', 'Lương Hòa', 'Đức Lập', 'Tân Mỹ', 'Phước Lợi', 'Long Hậu', 'Mỹ Lệ', 'Thạnh Đức'])}, tỉnh Long An",
            party_member=party,
            party_join_date=self._joined(birth, r.randint(22, 32)) if party else None,
            position=r.choice(positions), organisation_id=organisation_id,
            education_level=self._weighted(self.ref["education_levels"]),
            theory_level=r.choice(self.ref["theory_levels"]),
            phone=f"09{r.randrange(10**8):08d}", sort_key=sort_key, search_key=search_key,
        )
        self.s.add(person)
        self.people.append(person)
        return person

    # --- classes ------------------------------------------------------------------------
    def build_class(self, plan: ClassPlan, holidays: list[dt.date]) -> None:
        r, s = self.rng, self.s
        programme = s.scalar(select(Programme).where(Programme.code == plan.programme))
        assert programme is not None
        rule_set = current_rule_set(programme)
        assert rule_set is not None
        rules = rule_set.params
        specs = [timetable.ModuleSpec(m.id, m.periods, m.kind) for m in programme.modules]
        if plan.months:
            end = plan.start + dt.timedelta(days=30 * plan.months)
        else:
            needed = timetable.sessions_needed(specs)
            days = [*timetable.working_days(plan.start, plan.start + dt.timedelta(days=400),
                                            plan.weekdays, holidays)][: -(-needed // 2)]
            end = days[-1]
        status = "planned" if plan.start > self.today else "running" if end >= self.today else "finished"
        cls = classes.create_class(
            s, code=plan.code, programme=plan.programme, start=plan.start, end=end, mode=plan.mode,
            venue=plan.venue, homeroom_lecturer_id=r.choice(self.lecturer_ids[:14] or self.lecturer_ids),
            weekdays=list(plan.weekdays) if plan.mode == "part-time" else None, status=status,
        )
        halves = ("morning", "afternoon") if plan.mode == "full-time" else ("morning", "afternoon")
        planned = timetable.lay_out(specs, plan.start, end, weekdays=plan.weekdays, holidays=holidays, halves=halves)
        module_lecturer = {m.id: r.choice(self.lecturer_ids) for m in programme.modules}
        field_trip = {m.id for m in programme.modules if "thực tế" in m.name.lower()}
        sites = self.ref.get("field_trip_sites") or [None]
        session_rows = [
            {"class_id": cls.id, "date": p.date, "half": p.half, "module_id": p.module_id,
             "lecturer_id": None if p.kind == "exam" else module_lecturer[p.module_id] if p.module_id else None,
             "periods": p.periods, "kind": "field_trip" if p.module_id in field_trip else p.kind,
             "topic": r.choice(sites) if p.module_id in field_trip else None}
            for p in planned
        ]
        if session_rows:
            s.execute(insert(ClassSession), session_rows)

        # Learners: new people, and people coming back for the next step of their career.
        pool = self.districts[plan.district] if plan.district is not None and self.districts else self.province_orgs
        learners: list[Learner] = []
        returning = [p for p in self.people if p.organisation_id in set(pool)]
        r.shuffle(returning)
        for person in returning[: plan.size // 10]:
            learners.append(person)
        while len(learners) < plan.size:
            org_id = r.choice(pool)
            org = s.get(Organisation, org_id)
            learners.append(self.new_person(org_id, org.level if org else "agency"))
        s.flush()
        finished = status == "finished"
        enrolments = []
        for person in learners:
            confirmation = "missing"
            if programme.kind == "training" and (finished or r.random() < 0.6):
                confirmation = "received" if r.random() > 0.02 else "unfavourable"
            discipline = "reprimand" if r.random() < 0.01 else "none"
            e = Enrolment(training_class=cls, learner=person, organisation_id=person.organisation_id,
                          position=person.position, confirmation=confirmation, discipline=discipline,
                          status="completed" if finished else "enrolled")
            s.add(e)
            enrolments.append(e)
        s.flush()

        # Attendance for every session already held; one or two learners miss a lot of one module.
        sessions = s.execute(
            select(ClassSession.id, ClassSession.date, ClassSession.module_id, ClassSession.periods)
            .where(ClassSession.class_id == cls.id, ClassSession.date <= self.today)
        ).all()
        truants = {e.id: r.choice(programme.modules).id for e in r.sample(enrolments, k=min(2, len(enrolments)))}
        counted = set(rules.get("absence_statuses", ["excused", "unexcused"]))
        missed: dict[tuple[int, int], int] = {}
        module_periods: dict[int, int] = {}
        last_day: dict[int, dt.date] = {}
        marks = []
        for sess_id, day, module_id, periods in sessions:
            if module_id is not None:
                module_periods[module_id] = module_periods.get(module_id, 0) + periods
                last_day[module_id] = max(day, last_day.get(module_id, day))
            for e in enrolments:
                x = r.random()
                if e.id in truants and truants[e.id] == module_id and x < 0.5:
                    status_ = "excused" if x < 0.3 else "unexcused"
                elif x < 0.95:
                    status_ = "present"
                elif x < 0.97:
                    status_ = "late"
                elif x < 0.99:
                    status_ = "excused"
                else:
                    status_ = "unexcused"
                marks.append({"session_id": sess_id, "enrolment_id": e.id, "status": status_})
                if status_ in counted and module_id is not None:
                    missed[(e.id, module_id)] = missed.get((e.id, module_id), 0) + periods
        if marks:
            s.execute(insert(AttendanceMark), marks)
        # Learners called back to work make the lessons up (học bổ sung) once the module is over;
        # the deliberate truants do not, so the demo keeps learners barred from an exam.
        limit = float(rules.get("absence_limit_share", 0.2))
        makeups = [
            {"enrolment_id": e_id, "module_id": m_id, "date": last_day[m_id] + dt.timedelta(days=3),
             "periods": absent, "note": tr("demo", "Học bổ sung theo lịch của Trung tâm")}
            for (e_id, m_id), absent in missed.items()
            if absent > limit * module_periods[m_id] and truants.get(e_id) != m_id
            and last_day[m_id] + dt.timedelta(days=3) <= self.today
        ]
        if makeups:
            s.execute(insert(MakeUp), makeups)

        # Scores for modules whose sessions are all over. A few learners write a thesis instead of
        # sitting the graduation exams.
        last_session = dict(s.execute(
            select(ClassSession.module_id, func.max(ClassSession.date))
            .where(ClassSession.class_id == cls.id).group_by(ClassSession.module_id)).all())
        has_thesis = any(m.kind == "thesis" for m in programme.modules)
        thesis_writers = {e.id for e in enrolments if has_thesis and r.random() < 0.2}
        scores = []
        for m in programme.modules:
            held = last_session.get(m.id)
            if held is None or held >= self.today:
                continue
            for e in enrolments:
                writes_thesis = e.id in thesis_writers
                if (m.kind == "thesis" and not writes_thesis) or (m.kind == "graduation_exam" and writes_thesis):
                    continue
                value = Decimal(str(round(min(10.0, max(2.0, r.gauss(7.6, 1.0))), 1)))
                scores.append({"enrolment_id": e.id, "module_id": m.id, "attempt": 1, "component": "",
                               "value": value})
                if value < Decimal(str(rules["pass_mark"])):
                    scores.append({"enrolment_id": e.id, "module_id": m.id, "attempt": 2, "component": "",
                                   "value": Decimal(str(round(r.uniform(5.0, 7.5), 1)))})
        if scores:
            s.execute(insert(Score), scores)

        if finished:
            self.graduate(cls, programme)

    def graduate(self, cls: TrainingClass, programme: Programme) -> None:
        """The real graduation review; the decision and the documents come later, in date order
        (`record_decisions`), as the book of outgoing documents and the registers number them."""
        from dtbd_desktop.services import graduation
        from dtbd_desktop.services.document_wording import document_result
        from dtbd_desktop.services.scores import class_rules

        self.s.flush()
        rows = graduation.review(self.s, cls.code, save=True)
        rules = class_rules(cls)
        printed = {row.enrolment_id: document_result(rules, row.outcome.classification, row.outcome.essay_band)
                   for row in rows if row.outcome.eligible}
        if printed:
            self.decided.append((cls.end_date + dt.timedelta(days=10), cls.id, cls, programme, printed))

    def record_decisions(self) -> None:
        """Each finished class's decision (numbered in the book, in date order) and, once its date
        has come, its diplomas or certificates (numbered in their register)."""
        from dtbd_desktop.services import graduation

        for issue_date, _id, cls, programme, results in sorted(self.decided, key=lambda item: item[:2]):
            graduation.set_decision(self.s, cls.code, date=issue_date)
            if issue_date > self.today:
                continue
            chosen = sorted((e for e in cls.enrolments if e.id in results), key=lambda e: e.learner.sort_key)
            certificates_numbering.issue_many(
                self.s, programme.document_kind, issue_date, [(e, results[e.id]) for e in chosen],
                level=programme.level, key=signing_keys.issuing_key(self.s))


#: The settings of official papers the demo centre fills in (see services.settings).
DOCUMENT_SETTINGS = ("deputy_title", "deputy_name", "centre_basis", "proposer", "executors", "decision_recipients",
                     "letter_recipients", "report_recipients")


def build_demo(db: Database, *, today: dt.date | None = None, seed: int = 2025,
               progress: Progress | None = None) -> str:
    """Fill an empty database with the demo centre. Refuses a database that holds real data, or
    one with accounts (the demo is built by the local administrator of a database without any).

    The bulk of it (attendance, scores) is inserted directly for speed; one unsigned entry
    `audit.baseline` at the end records the state of every protected record, so that
    `audit verify` holds on the demo as on a real database."""
    today = today or dt.date.today()
    with db.write(raw=True) as session:
        if settings.get_setting(session, "demo"):
            return tr("demo", "Cơ sở dữ liệu đã có dữ liệu mẫu.")
        if session.scalar(select(func.count(TrainingClass.id))) or session.scalar(select(func.count(Learner.id))):
            raise InputError(tr("demo", "Cơ sở dữ liệu này đã có dữ liệu thật; dữ liệu mẫu chỉ thêm vào cơ sở dữ "
                                        "liệu trống. Dùng --db để chỉ một tệp khác."))
        rng = random.Random(seed)
        b = _Builder(session, today, rng, progress)
        try:
            signing_keys.issuing_key(session)
        except InputError:
            signing_keys.enrol_key(session, tr("demo", "Máy của phòng đào tạo (dữ liệu mẫu)"))
        centre = b.ref["centre"]
        settings.set_settings(session, centre_name=centre["name"], superior_body=centre["superior"],
                              place_name=centre["place"], director_title=centre["director_title"],
                              director_name=centre["director_name"], demo=True,
                              **{key: centre[key] for key in DOCUMENT_SETTINGS if key in centre})
        b.say(tr("demo", "Đang tạo đơn vị, giảng viên..."))
        b.organisations()
        b.lecturers()
        years = [today.year - 1, today.year]
        holidays = b.holidays([years[0], *years, years[-1] + 1])
        for year in years:
            for plan in _class_plans(year, max(1, len(b.districts))):
                b.say(tr("demo", "Đang tạo lớp {code}...").format(code=plan.code))
                b.build_class(plan, holidays)
            for programme in session.scalars(select(Programme)):
                n = sum(1 for p in _class_plans(year, 1) if p.programme == programme.code)
                session.add(AnnualPlan(year=year, programme_id=programme.id, target_classes=max(1, n - (year % 2)),
                                       target_learners=n * 50))
        b.record_decisions()
        session.flush()
        audit.record_system(session, action="audit.baseline", username="demo", entity="database", new="demo",
                            state=protected.snapshot(session))
        n_classes = session.scalar(select(func.count(TrainingClass.id)))
        n_learners = session.scalar(select(func.count(Learner.id)))
        n_lecturers = session.scalar(select(func.count(Lecturer.id)))
    return tr("demo", "Đã tạo dữ liệu mẫu: {c} lớp, {l} học viên, {g} giảng viên.").format(
        c=n_classes, l=n_learners, g=n_lecturers)
