"""The dashboard (tổng quan), the program's first screen: this year's plan progress, the classes
running today and the warnings that need someone.

Warnings, each naming the class it concerns:

* learners over the absence limit: enrolled learners of running classes barred from a
  module's exam or from the certificate by their absences (the rules of
  `dtbd_desktop.rules.attendance`, applied exactly as `services.attendance.attendance_summary` does);
* missing organisation confirmations: enrolled learners of running classes whose rule set
  requires the sending organisation's confirmation, still without one;
* modules without scores: modules of running or finished classes whose sessions are all over
  but that have no score at all in the class;
* documents waiting to be printed: diplomas and certificates issued but never printed.

Everything is read with a handful of set-based queries over the running classes (absences)
or grouped over the whole database (the others), never a loop over classes, so the screen
opens in a fraction of a second on ten years of data.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    HALVES,
    AttendanceMark,
    Certificate,
    ClassSession,
    Enrolment,
    Learner,
    Lecturer,
    MakeUp,
    Module,
    Programme,
    RuleSet,
    Score,
    TrainingClass,
)
from dtbd_desktop.rules import attendance as rules_mod
from dtbd_desktop.rules.attendance import AttendanceRules, ModuleInfo, SessionInfo
from dtbd_desktop.rules.rule_sets import with_defaults
from dtbd_desktop.services.plans import PlanReport, plan_vs_actual

WARNING_KINDS = {
    "absence": tr_noop("dashboard", "Vắng quá quy định"),
    "confirmation": tr_noop("dashboard", "Thiếu nhận xét của cơ quan cử đi học"),
    "scores": tr_noop("dashboard", "Học phần chưa có điểm"),
    "printing": tr_noop("dashboard", "Văn bằng, chứng chỉ chờ in"),
}
HALF_LABELS = {"morning": tr_noop("dashboard", "Sáng"), "afternoon": tr_noop("dashboard", "Chiều"),
               "evening": tr_noop("dashboard", "Tối")}


def warning_kind_label(kind: str) -> str:
    return tr("dashboard", WARNING_KINDS.get(kind, kind))


@dataclass(frozen=True)
class DashboardWarning:
    kind: str  # one of WARNING_KINDS
    class_code: str
    message: str  # the whole warning, naming the class
    count: int = 1
    national_id: str | None = None
    detail: str = ""  # the warning without the class, for lists that show the class apart

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "class": self.class_code, "message": self.message, "count": self.count,
                "national_id": self.national_id}


@dataclass(frozen=True)
class RunningClass:
    code: str
    name: str
    programme_code: str
    start: dt.date
    end: dt.date
    learners: int
    venue: str | None
    today: list[str] = field(default_factory=list)  # "Sáng: HP03 – ThS. Lê Văn A"
    next_session: dt.date | None = None  # the first session after today

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "programme": self.programme_code, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "learners": self.learners, "today": list(self.today)}


@dataclass(frozen=True)
class Dashboard:
    today: dt.date
    plan: PlanReport
    running: list[RunningClass]
    warnings: list[DashboardWarning]

    def count(self, kind: str) -> int:
        return sum(w.count for w in self.warnings if w.kind == kind)


def _running(session: Session) -> list[tuple[int, str, int, str, dict[str, Any]]]:
    """(id, code, programme id, programme kind, rule params) of the running classes."""
    return [(cid, code, pid, kind, with_defaults(dict(params or {}), kind)) for cid, code, pid, kind, params in
            session.execute(select(TrainingClass.id, TrainingClass.code, TrainingClass.programme_id, Programme.kind,
                                   RuleSet.params)
                            .join(Programme, Programme.id == TrainingClass.programme_id)
                            .join(RuleSet, RuleSet.id == TrainingClass.rule_set_id)
                            .where(TrainingClass.status == "running")
                            .order_by(TrainingClass.code))]


@dataclass(frozen=True)
class _Limits:
    """What a learner's absences must pass to be over a limit, before make-up: per session, its
    module and periods; per module, its denominator; the course's periods; the limit."""

    session_module: dict[int, tuple[int | None, int]]
    denominators: dict[int, int]
    course_periods: int
    rules: AttendanceRules


def _limits(modules: list[ModuleInfo], sessions: list[SessionInfo], rules: AttendanceRules) -> _Limits:
    return _Limits({s.id: (s.module_id, s.periods) for s in sessions}, rules_mod.module_denominators(modules, sessions),
                   rules_mod.course_periods(modules, sessions), rules)


def _may_be_over(marks: dict[int, str], limits: _Limits) -> bool:
    """A quick filter, exact in what it lets through: make-up only lowers absences, so a learner
    whose absences are within every limit before make-up is within them after."""
    per_module: dict[int | None, int] = defaultdict(int)
    total = 0
    for sid, status in marks.items():
        if status not in limits.rules.absent_statuses or sid not in limits.session_module:
            continue
        module_id, periods = limits.session_module[sid]
        per_module[module_id] += periods
        total += periods
    if rules_mod.over_limit(total, limits.course_periods, limits.rules.limit):
        return True
    return any(module_id is not None and rules_mod.over_limit(n, limits.denominators.get(module_id, 0),
                                                              limits.rules.limit)
               for module_id, n in per_module.items())


def absence_warnings(session: Session, running: list[tuple[int, str, int, str, dict[str, Any]]] | None = None
                     ) -> list[DashboardWarning]:
    """Enrolled learners of the running classes barred by their absences, in class and name order."""
    running = _running(session) if running is None else running
    if not running:
        return []
    class_ids = [r[0] for r in running]
    programme_ids = {r[2] for r in running}
    modules: dict[int, list[ModuleInfo]] = defaultdict(list)
    for mid, pid, code, name, periods in session.execute(
            select(Module.id, Module.programme_id, Module.code, Module.name, Module.periods)
            .where(Module.programme_id.in_(programme_ids)).order_by(Module.position, Module.id)):
        modules[pid].append(ModuleInfo(mid, code, name, periods))
    sessions: dict[int, list[SessionInfo]] = defaultdict(list)
    for sid, cid, module_id, periods in session.execute(
            select(ClassSession.id, ClassSession.class_id, ClassSession.module_id, ClassSession.periods)
            .where(ClassSession.class_id.in_(class_ids))):
        sessions[cid].append(SessionInfo(sid, module_id, periods))
    rules = {cid: AttendanceRules.from_params(params) for cid, _c, _p, _k, params in running}
    counted = sorted({status for r in rules.values() for status in r.absent_statuses})
    marks_t, sessions_t = AttendanceMark.__table__, ClassSession.__table__
    marks: dict[int, dict[int, str]] = defaultdict(dict)
    for eid, sid, status in session.connection().execute(
            select(marks_t.c.enrolment_id, marks_t.c.session_id, marks_t.c.status)
            .join(sessions_t, sessions_t.c.id == marks_t.c.session_id)
            .where(sessions_t.c.class_id.in_(class_ids), marks_t.c.status.in_(counted))):
        marks[eid][sid] = status
    makeups: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for eid, module_id, periods in session.execute(
            select(MakeUp.enrolment_id, MakeUp.module_id, MakeUp.periods)
            .join(Enrolment, Enrolment.id == MakeUp.enrolment_id)
            .where(Enrolment.class_id.in_(class_ids))):
        makeups[eid][module_id] += periods
    learners = session.execute(
        select(Enrolment.id, Enrolment.class_id, Learner.national_id, Learner.family_name, Learner.middle_name,
               Learner.given_name, Learner.sort_key)
        .join(Learner, Learner.id == Enrolment.learner_id)
        .where(Enrolment.class_id.in_(class_ids), Enrolment.status == "enrolled")).all()
    info = {r[0]: r for r in running}
    limits = {cid: _limits(modules[info[cid][2]], sessions[cid], rules[cid]) for cid in class_ids}
    found: list[tuple[str, str, DashboardWarning]] = []
    for eid, cid, nid, family, middle, given, sort_key in learners:
        if eid not in marks or not _may_be_over(marks[eid], limits[cid]):
            continue  # never absent, or not enough to pass any limit even before make-up
        _id, code, pid, _kind, _params = info[cid]
        result = rules_mod.learner_result(modules[pid], sessions[cid], marks[eid], makeups.get(eid, {}), rules[cid])
        if result.certificate_eligible and not result.barred_modules:
            continue
        name = text.join_name(family, middle, given)
        detail = "; ".join(result.explanations) or tr("dashboard", "vắng quá quy định")
        found.append((code, sort_key, DashboardWarning("absence", code, tr(
            "dashboard", "Lớp {code} – {name}: {detail}").format(code=code, name=name, detail=detail), 1, nid,
            f"{name}: {detail}")))
    found.sort(key=lambda item: (text.vn_sort_key(item[0]), item[1]))
    return [w for _c, _k, w in found]


def confirmation_warnings(session: Session, running: list[tuple[int, str, int, str, dict[str, Any]]] | None = None
                          ) -> list[DashboardWarning]:
    """Running classes whose rule set requires the organisations' confirmation, with learners
    still without one."""
    running = _running(session) if running is None else running
    required = {cid: code for cid, code, _p, _k, params in running if params.get("requires_confirmation")}
    if not required:
        return []
    counts = session.execute(
        select(Enrolment.class_id, func.count())
        .where(Enrolment.class_id.in_(list(required)), Enrolment.status == "enrolled",
               Enrolment.confirmation == "missing")
        .group_by(Enrolment.class_id)).all()
    detail = tr("dashboard", "{n} học viên chưa có nhận xét, xác nhận của cơ quan cử đi học")
    out = [DashboardWarning("confirmation", required[cid], tr("dashboard", "Lớp {code}: {detail}").format(
        code=required[cid], detail=detail.format(n=n)), n, None, detail.format(n=n)) for cid, n in counts if n]
    return sorted(out, key=lambda w: text.vn_sort_key(w.class_code))


def unscored_module_warnings(session: Session, today: dt.date) -> list[DashboardWarning]:
    """Modules of running or finished classes whose sessions are all over, with no score in the class."""
    over = session.execute(
        select(ClassSession.class_id, ClassSession.module_id, func.max(ClassSession.date))
        .join(TrainingClass, TrainingClass.id == ClassSession.class_id)
        .where(TrainingClass.status.in_(("running", "finished")), ClassSession.module_id.is_not(None))
        .group_by(ClassSession.class_id, ClassSession.module_id)
        .having(func.max(ClassSession.date) < today)).all()
    if not over:
        return []
    class_ids = list({cid for cid, _m, _d in over})
    scored = set(session.execute(
        select(Enrolment.class_id, Score.module_id).join(Enrolment, Enrolment.id == Score.enrolment_id)
        .where(Enrolment.class_id.in_(class_ids)).distinct()).all())
    missing = [(cid, mid, last) for cid, mid, last in over if (cid, mid) not in scored and mid is not None]
    if not missing:
        return []
    codes = dict(session.execute(select(TrainingClass.id, TrainingClass.code)
                                 .where(TrainingClass.id.in_({m[0] for m in missing}))).all())
    modules = {mid: (code, name) for mid, code, name in session.execute(
        select(Module.id, Module.code, Module.name).where(Module.id.in_({m[1] for m in missing})))}
    out = []
    for cid, mid, last in sorted(missing, key=lambda m: (text.vn_sort_key(codes[m[0]]), m[2])):
        code, name = modules[mid]
        detail = tr("dashboard", "học phần {code} ({name}) học xong ngày {date} nhưng chưa có điểm").format(
            code=code, name=text.nfc(name), date=text.format_date(last))
        out.append(DashboardWarning("scores", codes[cid], tr("dashboard", "Lớp {code}: {detail}").format(
            code=codes[cid], detail=detail), 1, None, detail))
    return out


def unprinted_warnings(session: Session) -> list[DashboardWarning]:
    """Classes with documents issued (and still valid) but never printed."""
    rows = session.execute(
        select(TrainingClass.code, Programme.document_kind, func.count(Certificate.id))
        .join(Enrolment, Enrolment.id == Certificate.enrolment_id)
        .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
        .join(Programme, Programme.id == TrainingClass.programme_id)
        .where(Certificate.status == "issued", Certificate.print_count == 0)
        .group_by(TrainingClass.code, Programme.document_kind)).all()
    out = []
    for code, kind, n in sorted(rows, key=lambda r: text.vn_sort_key(r[0])):
        what = tr("dashboard", "bằng tốt nghiệp") if kind == "diploma" else tr("dashboard", "giấy chứng nhận")
        detail = tr("dashboard", "{n} {what} đã cấp, chưa in").format(n=n, what=what)
        out.append(DashboardWarning("printing", code, tr("dashboard", "Lớp {code}: {detail}").format(
            code=code, detail=detail), n, None, detail))
    return out


def running_classes(session: Session, today: dt.date) -> list[RunningClass]:
    """Classes running today (status running, today between their first and last day), with
    today's sessions."""
    rows = session.execute(
        select(TrainingClass.id, TrainingClass.code, TrainingClass.name, Programme.code, TrainingClass.start_date,
               TrainingClass.end_date, TrainingClass.venue, func.count(Enrolment.id))
        .join(Programme, Programme.id == TrainingClass.programme_id)
        .outerjoin(Enrolment, (Enrolment.class_id == TrainingClass.id) & (Enrolment.status == "enrolled"))
        .where(TrainingClass.status == "running", TrainingClass.start_date <= today, TrainingClass.end_date >= today)
        .group_by(TrainingClass.id, TrainingClass.code, TrainingClass.name, Programme.code, TrainingClass.start_date,
                  TrainingClass.end_date, TrainingClass.venue)
        .order_by(TrainingClass.start_date, TrainingClass.code)).all()
    if not rows:
        return []
    today_sessions: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for cid, half, code, title, family, middle, given, kind, topic in session.execute(
            select(ClassSession.class_id, ClassSession.half, Module.code, Lecturer.title, Lecturer.family_name,
                   Lecturer.middle_name, Lecturer.given_name, ClassSession.kind, ClassSession.topic)
            .outerjoin(Module, Module.id == ClassSession.module_id)
            .outerjoin(Lecturer, Lecturer.id == ClassSession.lecturer_id)
            .where(ClassSession.date == today, ClassSession.class_id.in_([r[0] for r in rows]))):
        who = text.join_name(family, middle, given) if given else ""
        if who and title:
            who = f"{title} {who}"
        what = " – ".join(part for part in (code, topic if kind == "field_trip" else None, who) if part)
        order = HALVES.index(half) if half in HALVES else 9
        today_sessions[cid].append((order, f"{tr('dashboard', HALF_LABELS.get(half, half))}: {what}"))
    upcoming = dict(session.execute(
        select(ClassSession.class_id, func.min(ClassSession.date))
        .where(ClassSession.date > today, ClassSession.class_id.in_([r[0] for r in rows]))
        .group_by(ClassSession.class_id)).all())
    return [RunningClass(code, text.nfc(name), pcode, start, end, n, venue,
                         [label for _o, label in sorted(today_sessions.get(cid, []))], upcoming.get(cid))
            for cid, code, name, pcode, start, end, venue, n in rows]


def load_dashboard(session: Session, today: dt.date | None = None) -> Dashboard:
    today = today or dt.date.today()
    running = _running(session)
    warnings = [*absence_warnings(session, running), *confirmation_warnings(session, running),
                *unscored_module_warnings(session, today), *unprinted_warnings(session)]
    return Dashboard(today, plan_vs_actual(session, today.year, as_of=today), running_classes(session, today), warnings)
