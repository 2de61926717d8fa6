"""Make-up lessons (học bổ sung): recorded per learner and module, taken off that module's
absences when the rule set says so (the absences stay on record); audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Enrolment, Learner, MakeUp, Module
from dtbd_desktop.services.attendance.grid import load_grid
from dtbd_desktop.services.attendance.marks import enrolment_by_national_id
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust import audit, operations
from dtbd_desktop.trust.operations import operation

# ---------------------------------------------------------------------------------- make-up


@dataclass(frozen=True)
class MakeUpRow:
    id: int
    enrolment_id: int
    national_id: str | None
    full_name: str
    module_code: str
    date: dt.date
    periods: int
    note: str | None


@operation("attendance.record_makeup", permission="mark_attendance", scope=operations.class_code())
def record_makeup(session: Session, class_code: str, national_id: str | None, module_code: str, date: dt.date,
                  periods: int, note: str | None = None, *,
                  today: dt.date | None = None, enrolment_id: int | None = None) -> MakeUpRow:
    """Record make-up lessons (học bổ sung) of a module for a learner (by national ID, or by
    `enrolment_id` for a learner whose record has no ID yet); audited.

    Refused: no periods; a date in the future or before the class began; a module not in the
    programme; more periods than the learner's absences in the module not yet made up."""
    today = today or dt.date.today()
    cls = get_class(session, class_code)
    if enrolment_id is not None:
        found = session.get(Enrolment, enrolment_id)
        if found is None or found.class_id != cls.id:
            raise NotFoundError(tr("attendance", "Học viên này không còn trong lớp {code}.").format(code=cls.code))
        enrolment = found
    else:
        enrolment = enrolment_by_national_id(session, cls, national_id or "")
    module = session.scalar(select(Module).where(Module.programme_id == cls.programme_id,
                                                 Module.code == text.nfc(module_code)))
    problems: list[Problem] = []
    if module is None:
        codes = ", ".join(session.scalars(select(Module.code).where(Module.programme_id == cls.programme_id)
                                          .order_by(Module.position)))
        problems.append(Problem(tr("attendance", "Chương trình {programme} không có học phần '{module}' (có: {codes}).")
                                .format(programme=cls.programme.code, module=module_code, codes=codes), field="module"))
    if isinstance(periods, bool) or not isinstance(periods, int) or periods <= 0:
        problems.append(Problem(tr("attendance", "Số tiết học bổ sung phải là số nguyên lớn hơn 0."), field="periods"))
    if date > today:
        problems.append(Problem(tr("attendance", "Ngày học bổ sung {date} chưa tới.").format(
            date=text.format_date(date)), field="date"))
    if date < cls.start_date:
        problems.append(Problem(tr("attendance", "Ngày học bổ sung {date} trước ngày khai giảng {start}.").format(
            date=text.format_date(date), start=text.format_date(cls.start_date)), field="date"))
    if problems:
        raise InputError(tr("attendance", "Chưa ghi được học bổ sung."), problems)
    assert module is not None
    grid = load_grid(session, cls, today=today)
    summary = grid.summary[enrolment.id]
    absence = next(m for m in summary.modules if m.module_id == module.id)
    open_periods = absence.absent_periods - absence.made_up_periods
    if periods > open_periods:
        raise InputError(tr("attendance", "{name} vắng {absent} tiết học phần {module}, đã học bổ sung {made_up} tiết; "
                                          "không ghi thêm được {periods} tiết (tối đa {open}).").format(
            name=grid.learners[grid.learner_row[enrolment.id]].full_name, absent=absence.absent_periods,
            module=module.code, made_up=absence.made_up_periods, periods=periods, open=max(open_periods, 0)))
    row = MakeUp(enrolment_id=enrolment.id, module_id=module.id, date=date, periods=periods, note=text.clean(note))
    session.add(row)
    session.flush()
    audit.record(session, action="create", entity="makeup", entity_id=row.id, field="periods", old=None,
                 new={"enrolment": enrolment.id, "module": module.code, "date": date.isoformat(), "periods": periods},
                 reason=text.clean(note))
    learner = grid.learners[grid.learner_row[enrolment.id]]
    return MakeUpRow(row.id, enrolment.id, learner.national_id, learner.full_name, module.code, date, periods,
                     row.note)


def list_makeups(session: Session, class_code: str) -> list[MakeUpRow]:
    cls = get_class(session, class_code)
    rows = session.execute(
        select(MakeUp, Learner.national_id, Learner.family_name, Learner.middle_name, Learner.given_name, Module.code)
        .join(Enrolment, Enrolment.id == MakeUp.enrolment_id).join(Learner, Learner.id == Enrolment.learner_id)
        .join(Module, Module.id == MakeUp.module_id)
        .where(Enrolment.class_id == cls.id).order_by(Learner.sort_key, MakeUp.date, MakeUp.id))
    return [MakeUpRow(m.id, m.enrolment_id, nid, text.join_name(f, mid, g), code, m.date, m.periods, m.note)
            for m, nid, f, mid, g, code in rows]


@operation("attendance.delete_makeup", permission="mark_attendance", scope=operations.makeup())
def delete_makeup(session: Session, makeup_id: int, *, reason: str) -> None:
    """Remove a make-up record entered by mistake; audited, with a reason."""
    row = session.get(MakeUp, makeup_id)
    if row is None:
        raise NotFoundError(tr("attendance", "Không tìm thấy lần học bổ sung này."))
    clean = text.clean(reason)
    if not clean:
        raise InputError(tr("attendance", "Cần ghi lý do xóa học bổ sung."))
    audit.record(session, action="delete", entity="makeup", entity_id=row.id, field="periods",
                 old={"enrolment": row.enrolment_id, "module_id": row.module_id, "date": row.date.isoformat(),
                      "periods": row.periods}, new=None, reason=clean)
    session.delete(row)
    session.flush()
