"""Attendance rules as pure functions over plain data: absences, shares, limits, make-up.

Nothing here touches the database: the services load the class's modules, sessions, marks
and make-ups into the plain values below and call `learner_result`, which the GUI can call
again after every key press (it is cheap: one pass over the learner's marks).

The rules come from the class's rule set (`rules.py`), never from constants here:

* ``absence_statuses``: the statuses that count as absent (default excused and unexcused;
  late is not absent unless a centre adds it). An absent session counts its periods.
* ``absence_limit_share``: a learner absent for MORE than this share of a module's periods is
  barred from that module's exam; exactly at the limit is not over it. The comparison is
  exact (fractions), so 8 of 40 periods at 20% is at the limit, never "just over" by rounding.
* ``makeup_restores_eligibility``: periods made up (học bổ sung) are taken off the absences
  of their module (never below zero) before the limit is applied; the absences themselves
  stay on record and on the printouts.
* ``absence_scope`` (optional; default "module" for programmes with a classification,
  "course" for pass/fail short courses): "module" bars per module exam and the learner stays
  eligible for the diploma review only while no module is barred; "course" applies the limit
  to the whole course's periods and decides the certificate of a short course (more than the
  limit of the course's periods: no certificate). Per-module shares are still computed for
  display in both cases.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Any

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr, tr_noop

STATUSES = ("present", "excused", "unexcused", "late")
ABSENCE_SCOPES = ("module", "course")
STATUS_LABELS = {
    "present": tr_noop("attendance", "Có mặt"),
    "excused": tr_noop("attendance", "Vắng có phép"),
    "unexcused": tr_noop("attendance", "Vắng không phép"),
    "late": tr_noop("attendance", "Đi muộn"),
}
# One-letter codes for the keyboard grid and the paper-signing workbook (Có mặt, có Phép,
# Không phép, Muộn).
STATUS_CODES = {"present": "C", "excused": "P", "unexcused": "K", "late": "M"}
CODE_STATUSES = {code: status for status, code in STATUS_CODES.items()}


def status_label(status: str) -> str:
    return tr("attendance", STATUS_LABELS.get(status, status))


@dataclass(frozen=True)
class AttendanceRules:
    """The attendance part of a rule set, checked and made exact."""

    limit: Fraction  # absence_limit_share as an exact fraction (0.2 -> 1/5)
    absent_statuses: frozenset[str]
    makeup_restores: bool
    scope: str  # "module" or "course"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> AttendanceRules:
        """From a rule set's params (completed with defaults by the caller, `rules.with_defaults`)."""
        raw_limit = params.get("absence_limit_share", 0.2)
        # Through str(): 0.2 is the decimal the centre typed, not the binary float near it.
        limit = Fraction(str(raw_limit))
        statuses = frozenset(params.get("absence_statuses") or ("excused", "unexcused"))
        scope = params.get("absence_scope")
        if scope not in ABSENCE_SCOPES:
            scope = "course" if params.get("outcome") == "pass_fail" else "module"
        return cls(limit=limit, absent_statuses=statuses,
                   makeup_restores=bool(params.get("makeup_restores_eligibility", True)), scope=scope)

    @cached_property
    def limit_text(self) -> str:
        """The limit as printed: "20%", "12,5%"."""
        return percent_text(self.limit)


@dataclass(frozen=True)
class ModuleInfo:
    """A module of the class's programme, in programme order; `periods` is its planned total."""

    id: int
    code: str
    name: str
    periods: int


@dataclass(frozen=True)
class SessionInfo:
    """A session as the rules see it: which module (None for an extra session) and how many periods."""

    id: int
    module_id: int | None
    periods: int


@dataclass(frozen=True)
class ModuleAbsence:
    """One learner's absences in one module."""

    module_id: int
    code: str
    periods: int  # the denominator: the module's planned periods
    absent_periods: int  # absences on record (statuses that count)
    made_up_periods: int  # make-up periods recorded for the module
    counted_periods: int  # absences that count against the limit after make-up
    excused_periods: int
    unexcused_periods: int
    late_sessions: int
    over_limit: bool  # counted absences above the limit
    barred: bool  # over the limit and the rule set bars per module (scope "module")

    @property
    def share(self) -> float:
        return self.absent_periods / self.periods if self.periods else 0.0


@dataclass(frozen=True)
class LearnerResult:
    """A learner's attendance over the course, per module and in total, with the conclusion."""

    modules: list[ModuleAbsence]
    course_periods: int
    absent_periods: int
    made_up_periods: int
    counted_periods: int
    excused_periods: int
    unexcused_periods: int
    late_sessions: int
    marked_sessions: int
    over_course_limit: bool
    barred_modules: list[str]
    certificate_eligible: bool
    explanations: list[str] = field(default_factory=list)
    #: For each explanation, whether the absence still stands in the way (False: made up in time).
    explanation_holds: list[bool] = field(default_factory=list)

    @property
    def absent_share(self) -> float:
        return self.absent_periods / self.course_periods if self.course_periods else 0.0


def percent_text(value: Fraction | float) -> str:
    """A share as a printed percentage with a decimal comma and no useless zero: 20%, 12,5%."""
    percent = (Fraction(str(value)) if isinstance(value, float) else Fraction(value)) * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    return text.format_decimal(float(percent), 1) + "%"


def over_limit(absent: int, periods: int, limit: Fraction) -> bool:
    """More than `limit` of `periods` absent? Exactly at the limit is not over it."""
    if periods <= 0:
        return False
    # absent / periods > p / q, in integers (the grid calls this for every learner and module).
    return absent * limit.denominator > limit.numerator * periods


def module_denominators(modules: Iterable[ModuleInfo], sessions: Iterable[SessionInfo]) -> dict[int, int]:
    """Periods of each module for the shares: the planned periods, or (for a module planned with
    none, such as an exam module taught anyway) the periods of its scheduled sessions."""
    scheduled: dict[int, int] = {}
    for s in sessions:
        if s.module_id is not None:
            scheduled[s.module_id] = scheduled.get(s.module_id, 0) + s.periods
    return {m.id: m.periods if m.periods > 0 else scheduled.get(m.id, 0) for m in modules}


def course_periods(modules: Iterable[ModuleInfo], sessions: Iterable[SessionInfo]) -> int:
    """The course's periods: the modules' (see `module_denominators`) plus sessions without a module."""
    session_list = list(sessions)
    extra = sum(s.periods for s in session_list if s.module_id is None)
    return sum(module_denominators(modules, session_list).values()) + extra


def learner_result(
    modules: list[ModuleInfo],
    sessions: list[SessionInfo],
    marks: Mapping[int, str],
    makeups: Mapping[int, int],
    rules: AttendanceRules,
    denominators: Mapping[int, int] | None = None,
) -> LearnerResult:
    """One learner's attendance: `marks` maps session id to status (missing: not taken, which
    counts as nothing), `makeups` maps module id to the periods made up. `denominators`
    (`module_denominators`) may be passed in when computing a whole class."""
    if denominators is None:
        denominators = module_denominators(modules, sessions)
    absent: dict[int | None, int] = {}
    excused: dict[int | None, int] = {}
    unexcused: dict[int | None, int] = {}
    late: dict[int | None, int] = {}
    marked = 0
    counted_statuses = rules.absent_statuses
    for s in sessions:
        status = marks.get(s.id)
        if status is None:
            continue
        marked += 1
        key = s.module_id
        if status in counted_statuses:
            absent[key] = absent.get(key, 0) + s.periods
        if status == "excused":
            excused[key] = excused.get(key, 0) + s.periods
        elif status == "unexcused":
            unexcused[key] = unexcused.get(key, 0) + s.periods
        elif status == "late":
            late[key] = late.get(key, 0) + 1

    per_module: list[ModuleAbsence] = []
    explanations: list[str] = []
    holds: list[bool] = []
    barred: list[str] = []
    total_made_up = 0
    for m in modules:
        periods = denominators[m.id]
        missed = absent.get(m.id, 0)
        made_up = max(0, makeups.get(m.id, 0))
        usable = min(made_up, missed) if rules.makeup_restores else 0
        counted = missed - usable
        total_made_up += min(made_up, missed)
        is_over = over_limit(counted, periods, rules.limit)
        is_barred = is_over and rules.scope == "module"
        per_module.append(ModuleAbsence(
            module_id=m.id, code=m.code, periods=periods, absent_periods=missed, made_up_periods=made_up,
            counted_periods=counted, excused_periods=excused.get(m.id, 0),
            unexcused_periods=unexcused.get(m.id, 0), late_sessions=late.get(m.id, 0),
            over_limit=is_over, barred=is_barred,
        ))
        if is_barred:
            barred.append(m.code)
        if rules.scope == "module" and over_limit(missed, periods, rules.limit):
            explanations.append(_module_explanation(m.code, missed, periods, made_up, counted, is_over, rules))
            holds.append(is_over)

    total_periods = sum(denominators.values()) + sum(s.periods for s in sessions if s.module_id is None)
    total_absent = sum(absent.values())
    total_counted = total_absent - (total_made_up if rules.makeup_restores else 0)
    over_course = over_limit(total_counted, total_periods, rules.limit)
    if rules.scope == "course":
        eligible = not over_course
        if over_limit(total_absent, total_periods, rules.limit):
            explanations.append(_course_explanation(total_absent, total_periods, total_made_up, total_counted,
                                                    over_course, rules))
            holds.append(over_course)
    else:
        eligible = not barred
    return LearnerResult(
        modules=per_module, course_periods=total_periods, absent_periods=total_absent,
        made_up_periods=total_made_up, counted_periods=total_counted,
        excused_periods=sum(excused.values()), unexcused_periods=sum(unexcused.values()),
        late_sessions=sum(late.values()), marked_sessions=marked, over_course_limit=over_course,
        barred_modules=barred, certificate_eligible=eligible, explanations=explanations, explanation_holds=holds,
    )


def _module_explanation(code: str, missed: int, periods: int, made_up: int, counted: int, is_over: bool,
                        rules: AttendanceRules) -> str:
    base = tr("attendance", "vắng {absent}/{periods} tiết học phần {module}, quá {limit}").format(
        absent=missed, periods=periods, module=code, limit=rules.limit_text)
    if not made_up:
        return base + tr("attendance", ": không được thi học phần này cho đến khi học bổ sung")
    if not rules.makeup_restores:
        return base + tr("attendance", "; đã học bổ sung {made_up} tiết nhưng quy định không tính học bổ sung: "
                                       "không được thi học phần này").format(made_up=made_up)
    if is_over:
        return base + tr("attendance", "; đã học bổ sung {made_up} tiết, còn vắng {counted} tiết, vẫn quá "
                                       "{limit}: không được thi học phần này").format(
            made_up=made_up, counted=counted, limit=rules.limit_text)
    return base + tr("attendance", "; đã học bổ sung {made_up} tiết nên được thi").format(made_up=made_up)


def _course_explanation(missed: int, periods: int, made_up: int, counted: int, is_over: bool,
                        rules: AttendanceRules) -> str:
    base = tr("attendance", "vắng {absent}/{periods} tiết của khóa học, quá {limit}").format(
        absent=missed, periods=periods, limit=rules.limit_text)
    if not made_up:
        return base + tr("attendance", ": không được cấp giấy chứng nhận")
    if not rules.makeup_restores:
        return base + tr("attendance", "; đã học bổ sung {made_up} tiết nhưng quy định không tính học bổ sung: "
                                       "không được cấp giấy chứng nhận").format(made_up=made_up)
    if is_over:
        return base + tr("attendance", "; đã học bổ sung {made_up} tiết, còn vắng {counted} tiết, vẫn quá "
                                       "{limit}: không được cấp giấy chứng nhận").format(
            made_up=made_up, counted=counted, limit=rules.limit_text)
    return base + tr("attendance", "; đã học bổ sung {made_up} tiết nên được cấp giấy chứng nhận").format(
        made_up=made_up)


def parse_status(value: object) -> str | None:
    """A status from the CLI, the grid or a workbook cell: the English word ("present"), the
    one-letter code (C, P, K, M, any case) or the Vietnamese label ("vắng có phép", with or
    without diacritics). Empty gives None; anything else raises ValueError."""
    cleaned = text.clean(value)
    if cleaned is None:
        return None
    folded = text.fold(cleaned)
    if folded in STATUSES:
        return folded
    code = CODE_STATUSES.get(cleaned.upper())
    if code is not None:
        return code
    for status, label in STATUS_LABELS.items():
        if folded == text.fold(label):
            return status
    raise ValueError(cleaned)


__all__ = [
    "ABSENCE_SCOPES", "CODE_STATUSES", "STATUSES", "STATUS_CODES", "STATUS_LABELS", "AttendanceRules",
    "LearnerResult", "ModuleAbsence", "ModuleInfo", "SessionInfo", "course_periods", "learner_result",
    "module_denominators", "over_limit", "parse_status", "percent_text", "status_label",
]
