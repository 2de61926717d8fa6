"""Learner feedback (phiếu phản hồi) on each lecturer's lessons and the satisfaction shares.

A form rates one lecturer's module in one class on four criteria, 1 to 5: content (nội
dung), method (phương pháp), teaching manner (tác phong), usefulness (tính thiết thực).
Forms are anonymous: the table keeps no learner. A rating of 4 or 5 is "satisfied or very
satisfied" (hài lòng, rất hài lòng); the reports give that share of all ratings, per
criterion, per lecturer and per programme, with the average rating.

A form belongs to the year its module was taught (the year of the module's last session in
the class), or, for a form on the class as a whole, the year the class ended.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import case, delete, func, or_, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import ClassSession, Feedback, Lecturer, Module, Programme, TrainingClass
from dtbd_desktop.rules.statistics import CRITERIA, RATING_VALUES, SATISFIED_FROM, RatingTally
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust.operations import operation

CRITERION_LABELS = {
    "content": tr_noop("feedback", "Nội dung"),
    "method": tr_noop("feedback", "Phương pháp"),
    "manner": tr_noop("feedback", "Tác phong"),
    "usefulness": tr_noop("feedback", "Tính thiết thực"),
}


def criterion_label(criterion: str) -> str:
    return tr("feedback", CRITERION_LABELS.get(criterion, criterion))


# ---------------------------------------------------------------------------------- what can be rated


@dataclass(frozen=True)
class FeedbackTarget:
    """A module taught by a lecturer in a class: what a form rates."""

    module_id: int
    module_code: str
    module_name: str
    lecturer_id: int
    lecturer_name: str
    periods: int
    forms: int = 0

    @property
    def label(self) -> str:
        return f"{self.module_code} – {self.module_name} – {self.lecturer_name}"


def _lecturer_name(title: str | None, family: str, middle: str, given: str) -> str:
    name = text.join_name(family, middle, given)
    return f"{title} {name}" if title else name


def feedback_targets(session: Session, class_code: str) -> list[FeedbackTarget]:
    """The (module, lecturer) pairs of the class's timetable, in the order first taught, with the
    forms entered on each so far."""
    cls = get_class(session, class_code)
    rows = session.execute(
        select(Module.id, Module.code, Module.name, Lecturer.id, Lecturer.title, Lecturer.family_name,
               Lecturer.middle_name, Lecturer.given_name, func.sum(ClassSession.periods), func.min(ClassSession.date))
        .join(Module, Module.id == ClassSession.module_id)
        .join(Lecturer, Lecturer.id == ClassSession.lecturer_id)
        .where(ClassSession.class_id == cls.id)
        .group_by(Module.id, Module.code, Module.name, Lecturer.id, Lecturer.title, Lecturer.family_name,
                  Lecturer.middle_name, Lecturer.given_name)
        .order_by(func.min(ClassSession.date), Module.code)).all()
    forms = {(m, lec): n for m, lec, n in session.execute(
        select(Feedback.module_id, Feedback.lecturer_id, func.count()).where(Feedback.class_id == cls.id)
        .group_by(Feedback.module_id, Feedback.lecturer_id))}
    return [FeedbackTarget(mid, code, text.nfc(name), lid, _lecturer_name(title, family, middle, given),
                           int(periods or 0), forms.get((mid, lid), 0))
            for mid, code, name, lid, title, family, middle, given, periods, _first in rows]


# ---------------------------------------------------------------------------------- entering forms


@dataclass(frozen=True)
class FeedbackForm:
    """One form as typed: the module (code) and lecturer (id) it rates, and the four ratings."""

    module_code: str | None
    lecturer_id: int | None
    content: Any
    method: Any
    manner: Any
    usefulness: Any
    comment: str | None = None

    def ratings(self) -> tuple[Any, Any, Any, Any]:
        return self.content, self.method, self.manner, self.usefulness


def parse_rating(value: Any) -> int | None:
    """A rating 1–5 from a number or text ("4", 4.0); None when it is not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and value in RATING_VALUES else None


def check_forms(session: Session, class_code: str, forms: Sequence[FeedbackForm], *,
                rows: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """The forms as rows to store, or InputError naming each problem by its row (`rows`, else
    the form's position from 1). Writes nothing."""
    cls = get_class(session, class_code)
    modules = dict(session.execute(select(Module.code, Module.id).where(Module.programme_id == cls.programme_id))
                   .all())
    lecturer_ids = {lid for lid in {f.lecturer_id for f in forms} if lid is not None}
    known = set(session.scalars(select(Lecturer.id).where(Lecturer.id.in_(lecturer_ids)))) if lecturer_ids else set()
    problems: list[Problem] = []
    values: list[dict[str, Any]] = []
    for index, form in enumerate(forms):
        row = rows[index] if rows is not None else index + 1
        module_id = None
        if form.module_code:
            module_id = modules.get(form.module_code)
            if module_id is None:
                problems.append(Problem(tr("feedback", "Học phần '{code}' không thuộc chương trình của lớp {cls}.").format(
                    code=form.module_code, cls=cls.code), row=row, field="module"))
        if form.lecturer_id is not None and form.lecturer_id not in known:
            problems.append(Problem(tr("feedback", "Không có giảng viên đã chọn."), row=row, field="lecturer"))
        ratings: list[int] = []
        for criterion, raw in zip(CRITERIA, form.ratings(), strict=True):
            rating = parse_rating(raw)
            if rating is None:
                problems.append(Problem(tr("feedback", "{criterion}: '{value}' không phải mức đánh giá từ 1 đến 5.").format(
                    criterion=criterion_label(criterion), value="" if raw is None else raw), row=row, field=criterion))
                rating = 0
            ratings.append(rating)
        values.append({"class_id": cls.id, "module_id": module_id, "lecturer_id": form.lecturer_id,
                       **dict(zip(CRITERIA, ratings, strict=True)), "comment": text.clean(form.comment)})
    if problems:
        raise InputError(tr("feedback", "Chưa lưu phiếu phản hồi của lớp {code}: có {n} lỗi.").format(
            code=cls.code, n=len(problems)), problems)
    return values


@operation("feedback.add", permission="edit_classes")
def add_feedback(session: Session, class_code: str, forms: Sequence[FeedbackForm], *,
                 rows: Sequence[int] | None = None, replace: bool = False) -> int:
    """Store forms of a class, all or none (see `check_forms`). With `replace`, the class's
    earlier forms are removed first. Returns the number of forms stored."""
    values = check_forms(session, class_code, forms, rows=rows)
    if replace:
        session.execute(delete(Feedback).where(Feedback.class_id == get_class(session, class_code).id))
    for value in values:
        session.add(Feedback(**value))
    session.flush()
    return len(values)


@operation("feedback.delete", permission="edit_classes")
def delete_feedback(session: Session, class_code: str, *, module_code: str | None = None,
                    lecturer_id: int | None = None) -> int:
    """Remove a class's forms (on one module / lecturer when given). Returns how many."""
    cls = get_class(session, class_code)
    stmt = delete(Feedback).where(Feedback.class_id == cls.id)
    if module_code is not None:
        stmt = stmt.where(Feedback.module_id.in_(select(Module.id).where(
            Module.programme_id == cls.programme_id, Module.code == module_code)))
    if lecturer_id is not None:
        stmt = stmt.where(Feedback.lecturer_id == lecturer_id)
    result = session.execute(stmt)
    return int(getattr(result, "rowcount", 0) or 0)


# ---------------------------------------------------------------------------------- satisfaction


@dataclass(frozen=True)
class SatisfactionLine:
    key: str
    label: str
    group: str  # lecturer kind, or programme kind
    tally: RatingTally

    @property
    def forms(self) -> int:
        return self.tally.forms

    def share(self, criterion: str | None = None) -> Decimal | None:
        return self.tally.satisfied_share(criterion)

    def average(self, criterion: str | None = None) -> Decimal | None:
        return self.tally.average(criterion)


@dataclass(frozen=True)
class SatisfactionReport:
    year: int | None
    class_code: str | None
    by_lecturer: list[SatisfactionLine]
    by_programme: list[SatisfactionLine]
    total: SatisfactionLine = field(default_factory=lambda: SatisfactionLine("", "", "", RatingTally()))


def satisfaction(session: Session, *, year: int | None = None, class_code: str | None = None) -> SatisfactionReport:
    """Satisfaction per lecturer and per programme: of the forms of `year` (see the module's
    rule), of one class, or of everything. The database sums the ratings per class, module and
    lecturer; only those sums are read."""
    # Per criterion: the ratings of 4 or 5, and the sum of the ratings (for the average).
    sums = [*(func.sum(case((getattr(Feedback, c) >= SATISFIED_FROM, 1), else_=0)) for c in CRITERIA),
            *(func.sum(getattr(Feedback, c)) for c in CRITERIA)]
    stmt = (select(Feedback.class_id, Feedback.module_id, Feedback.lecturer_id, func.count(), *sums)
            .group_by(Feedback.class_id, Feedback.module_id, Feedback.lecturer_id))
    cls = get_class(session, class_code) if class_code else None
    if cls is not None:
        stmt = stmt.where(Feedback.class_id == cls.id)
    if year is not None:
        overlapping = select(TrainingClass.id).where(TrainingClass.start_date <= dt.date(year, 12, 31),
                                                     TrainingClass.end_date >= dt.date(year, 1, 1))
        stmt = stmt.where(Feedback.class_id.in_(overlapping))
    groups = session.execute(stmt).all()
    class_ids = {g[0] for g in groups}
    if not class_ids:
        return SatisfactionReport(year, cls.code if cls else None, [], [],
                                  SatisfactionLine("", tr("feedback", "Tổng cộng"), "", RatingTally()))
    classes = {cid: (pid, end) for cid, pid, end in session.execute(
        select(TrainingClass.id, TrainingClass.programme_id, TrainingClass.end_date)
        .where(TrainingClass.id.in_(class_ids)))}
    taught = {(cid, mid): last for cid, mid, last in session.execute(
        select(ClassSession.class_id, ClassSession.module_id, func.max(ClassSession.date))
        .where(ClassSession.class_id.in_(class_ids), ClassSession.module_id.is_not(None))
        .group_by(ClassSession.class_id, ClassSession.module_id))}
    by_lecturer: dict[int | None, RatingTally] = defaultdict(RatingTally)
    by_programme: dict[int, RatingTally] = defaultdict(RatingTally)
    total = RatingTally()
    for class_id, module_id, lecturer_id, forms, *counts in groups:
        programme_id, end = classes[class_id]
        when = taught.get((class_id, module_id), end) if module_id is not None else end
        if year is not None and when.year != year:
            continue
        tally = RatingTally()
        n = len(CRITERIA)
        tally.add_sums(int(forms), {c: int(counts[i] or 0) for i, c in enumerate(CRITERIA)},
                       {c: int(counts[n + i] or 0) for i, c in enumerate(CRITERIA)})
        by_lecturer[lecturer_id].merge(tally)
        by_programme[programme_id].merge(tally)
        total.merge(tally)
    lecturers = {lec.id: lec for lec in session.scalars(
        select(Lecturer).where(Lecturer.id.in_([k for k in by_lecturer if k is not None])))}
    lecturer_lines = []
    for lid, tally in by_lecturer.items():
        lec = lecturers.get(lid) if lid is not None else None
        label = _lecturer_name(lec.title, lec.family_name, lec.middle_name, lec.given_name) if lec else tr(
            "feedback", "Chung cho cả lớp")
        lecturer_lines.append((lec.sort_key if lec else "~", SatisfactionLine(
            str(lid or ""), label, lec.kind if lec else "", tally)))
    lecturer_lines.sort(key=lambda item: item[0])
    programmes = {p.id: p for p in session.scalars(select(Programme).where(Programme.id.in_(list(by_programme))))}
    programme_lines = sorted(
        (SatisfactionLine(programmes[pid].code, text.nfc(programmes[pid].name), programmes[pid].kind, tally)
         for pid, tally in by_programme.items()),
        key=lambda line: (programmes_position(programmes, line.key), line.key))
    return SatisfactionReport(year, cls.code if cls else None, [line for _k, line in lecturer_lines], programme_lines,
                              SatisfactionLine("", tr("feedback", "Tổng cộng"), "", total))


def programmes_position(programmes: dict[int, Programme], code: str) -> int:
    return next((p.position for p in programmes.values() if p.code == code), 0)


def classes_with_feedback(session: Session, year: int | None = None) -> list[tuple[str, int]]:
    """(class code, forms) of the classes that have forms (running in `year` when given)."""
    stmt = (select(TrainingClass.code, func.count(Feedback.id)).join(Feedback, Feedback.class_id == TrainingClass.id)
            .group_by(TrainingClass.code).order_by(TrainingClass.code))
    if year is not None:
        stmt = stmt.where(or_(TrainingClass.year == year, TrainingClass.end_date >= dt.date(year, 1, 1)),
                          TrainingClass.start_date <= dt.date(year, 12, 31))
    return [(code, int(n)) for code, n in session.execute(stmt)]
