"""Classes (lớp, khóa): opening, editing and listing them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    CLASS_MODES,
    CLASS_STATUSES,
    Certificate,
    Enrolment,
    Lecturer,
    Programme,
    TrainingClass,
)
from dtbd_desktop.services.catalogue import current_rule_set, get_programme
from dtbd_desktop.trust.operations import operation

STATUS_LABELS = {
    "planned": tr_noop("classes", "Dự kiến"),
    "running": tr_noop("classes", "Đang học"),
    "finished": tr_noop("classes", "Đã kết thúc"),
    "closed": tr_noop("classes", "Đã đóng hồ sơ"),
}
MODE_LABELS = {"full-time": tr_noop("classes", "Tập trung"), "part-time": tr_noop("classes", "Không tập trung")}
# Allowed changes of status: forward one step, or back one step to correct a mistake.
STATUS_NEXT = {"planned": {"running"}, "running": {"finished", "planned"}, "finished": {"closed", "running"},
               "closed": {"finished"}}


def status_label(status: str) -> str:
    return tr("classes", STATUS_LABELS.get(status, status))


def mode_label(mode: str) -> str:
    return tr("classes", MODE_LABELS.get(mode, mode))


@dataclass(frozen=True)
class ClassRow:
    id: int
    code: str
    name: str
    programme_code: str
    programme_name: str
    start: dt.date
    end: dt.date
    learners: int
    status: str
    mode: str
    venue: str | None
    homeroom: str | None
    year: int

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "programme": self.programme_code,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "learners": self.learners,
            "status": self.status,
        }


def get_class(session: Session, code: str) -> TrainingClass:
    cls = session.scalar(select(TrainingClass).where(TrainingClass.code == text.nfc(code)))
    if cls is None:
        raise NotFoundError(
            tr("classes", "Không có lớp mã '{code}'. Xem danh sách lớp bằng lệnh: dtbd class list").format(code=code)
        )
    return cls


def _check_fields(
    *, code: str | None, name: str | None, start: dt.date | None, end: dt.date | None, mode: str
) -> list[Problem]:
    problems: list[Problem] = []
    if not code:
        problems.append(Problem(tr("classes", "Mã lớp không được để trống (ví dụ: A48, K74B.21)."), field="code"))
    elif len(code) > 40:
        problems.append(Problem(tr("classes", "Mã lớp dài quá 40 ký tự."), field="code"))
    if name is not None and len(name) > 300:
        problems.append(Problem(tr("classes", "Tên lớp dài quá 300 ký tự."), field="name"))
    if start is None:
        problems.append(Problem(tr("classes", "Thiếu ngày khai giảng."), field="start"))
    if end is None:
        problems.append(Problem(tr("classes", "Thiếu ngày kết thúc."), field="end"))
    if start and end and end < start:
        problems.append(Problem(
            tr("classes", "Ngày kết thúc {end} trước ngày khai giảng {start}.").format(
                end=text.format_date(end), start=text.format_date(start)), field="end"))
    if start and end and (end - start).days > 3 * 366:
        problems.append(Problem(tr("classes", "Lớp dài hơn 3 năm: kiểm tra lại ngày kết thúc."), field="end"))
    if mode not in CLASS_MODES:
        problems.append(Problem(
            tr("classes", "Hình thức '{mode}' không hợp lệ: dùng full-time (tập trung) hoặc part-time (không tập trung).")
            .format(mode=mode), field="mode"))
    return problems


def default_class_name(programme: Programme, code: str) -> str:
    return tr("classes", "Lớp {programme} {code}").format(programme=programme.name, code=code)


@operation("classes.create", permission="edit_classes")
def create_class(
    session: Session,
    *,
    code: str,
    programme: str,
    start: dt.date | None,
    end: dt.date | None,
    name: str | None = None,
    mode: str = "full-time",
    venue: str | None = None,
    homeroom_lecturer_id: int | None = None,
    weekdays: list[int] | None = None,
    status: str = "planned",
) -> TrainingClass:
    """Open a class of a programme; it keeps the programme's current rule set."""
    clean_code = text.clean(code)
    clean_name = text.clean(name)
    problems = _check_fields(code=clean_code, name=clean_name, start=start, end=end, mode=mode)
    prog = get_programme(session, programme)
    if clean_code and session.scalar(select(TrainingClass.id).where(TrainingClass.code == clean_code)):
        problems.append(Problem(tr("classes", "Đã có lớp mã '{code}'. Chọn mã khác.").format(code=clean_code), field="code"))
    if homeroom_lecturer_id is not None and session.get(Lecturer, homeroom_lecturer_id) is None:
        problems.append(Problem(tr("classes", "Không có giảng viên chủ nhiệm đã chọn."), field="homeroom"))
    if status not in CLASS_STATUSES:
        problems.append(Problem(tr("classes", "Trạng thái lớp không hợp lệ."), field="status"))
    rule_set = current_rule_set(prog)
    if rule_set is None:
        problems.append(Problem(tr("classes", "Chương trình {code} chưa có quy định (bộ quy tắc).").format(code=prog.code),
                                field="programme"))
    if problems:
        raise InputError(tr("classes", "Chưa mở được lớp."), problems)
    assert clean_code and start and end and rule_set
    cls = TrainingClass(
        code=clean_code,
        name=clean_name or default_class_name(prog, clean_code),
        programme=prog,
        rule_set=rule_set,
        mode=mode,
        venue=text.clean(venue),
        start_date=start,
        end_date=end,
        year=start.year,
        homeroom_lecturer_id=homeroom_lecturer_id,
        weekdays=weekdays,
        status=status,
    )
    session.add(cls)
    session.flush()
    return cls


@operation("classes.update", permission="edit_classes")
def update_class(
    session: Session,
    code: str,
    /,
    *,
    expected_version: int | None = None,
    **changes: Any,
) -> TrainingClass:
    """Edit class `code`: the fields in `changes` (`code` for a new code, `name`, `mode`, `venue`,
    `start`, `end`, `homeroom_lecturer_id`, `status`, `note`). `expected_version` guards against
    overwriting someone else's edit."""
    cls = get_class(session, code)
    if expected_version is not None and cls.version != expected_version:
        from dtbd_desktop.base.errors import ConflictError

        raise ConflictError(tr("classes", "Lớp {code} vừa được người khác sửa. Hãy mở lại để xem bản mới nhất.")
                            .format(code=cls.code))
    start = changes.get("start", cls.start_date)
    end = changes.get("end", cls.end_date)
    mode = changes.get("mode", cls.mode)
    new_code = text.clean(changes.get("code", cls.code))
    name = text.clean(changes.get("name", cls.name))
    problems = _check_fields(code=new_code, name=name, start=start, end=end, mode=mode)
    if new_code != cls.code and session.scalar(select(TrainingClass.id).where(TrainingClass.code == new_code)):
        problems.append(Problem(tr("classes", "Đã có lớp mã '{code}'. Chọn mã khác.").format(code=new_code), field="code"))
    status = changes.get("status", cls.status)
    if status != cls.status and status not in STATUS_NEXT.get(cls.status, set()):
        problems.append(Problem(tr("classes", "Không chuyển được lớp từ '{old}' sang '{new}'.").format(
            old=status_label(cls.status), new=status_label(status)), field="status"))
    homeroom = changes.get("homeroom_lecturer_id")
    if homeroom is not None and session.get(Lecturer, homeroom) is None:
        problems.append(Problem(tr("classes", "Không có giảng viên chủ nhiệm đã chọn."), field="homeroom"))
    if problems:
        raise InputError(tr("classes", "Chưa lưu được lớp {code}.").format(code=cls.code), problems)
    cls.code = new_code or cls.code
    cls.name = name or cls.name
    cls.start_date, cls.end_date, cls.year, cls.mode, cls.status = start, end, start.year, mode, status
    if "venue" in changes:
        cls.venue = text.clean(changes["venue"])
    if "homeroom_lecturer_id" in changes:
        cls.homeroom_lecturer_id = changes["homeroom_lecturer_id"]
    if "note" in changes:
        cls.note = text.clean(changes["note"])
    session.flush()
    return cls


@operation("classes.delete", permission="edit_classes")
def delete_class(session: Session, code: str) -> None:
    """Delete a class; refused once it has issued documents or learners."""
    cls = get_class(session, code)
    issued = session.scalar(
        select(func.count(Certificate.id)).join(Enrolment).where(Enrolment.class_id == cls.id)
    )
    if issued:
        raise InputError(tr("classes", "Lớp {code} đã cấp {n} văn bằng, chứng chỉ nên không xóa được.")
                         .format(code=cls.code, n=issued))
    learners = session.scalar(select(func.count(Enrolment.id)).where(Enrolment.class_id == cls.id))
    if learners:
        raise InputError(tr("classes", "Lớp {code} còn {n} học viên; hãy chuyển hoặc xóa học viên trước.")
                         .format(code=cls.code, n=learners))
    session.delete(cls)
    session.flush()


def list_classes(
    session: Session,
    *,
    year: int | None = None,
    programme: str | None = None,
    status: str | None = None,
) -> list[ClassRow]:
    """Classes with their learner counts, newest first."""
    learners = (
        select(Enrolment.class_id, func.sum(case((Enrolment.status != "withdrawn", 1), else_=0)).label("n"))
        .group_by(Enrolment.class_id)
        .subquery()
    )
    homeroom = (Lecturer.family_name + " " + Lecturer.middle_name + " " + Lecturer.given_name)
    stmt = (
        select(TrainingClass, Programme.code, Programme.name, func.coalesce(learners.c.n, 0), homeroom)
        .join(Programme, TrainingClass.programme_id == Programme.id)
        .outerjoin(learners, learners.c.class_id == TrainingClass.id)
        .outerjoin(Lecturer, TrainingClass.homeroom_lecturer_id == Lecturer.id)
        .order_by(TrainingClass.start_date.desc(), TrainingClass.code)
    )
    if year is not None:
        stmt = stmt.where(TrainingClass.year == year)
    if programme:
        stmt = stmt.where(Programme.code == programme)
    if status:
        stmt = stmt.where(TrainingClass.status == status)
    rows = []
    for cls, pcode, pname, n, hr in session.execute(stmt):
        rows.append(ClassRow(
            id=cls.id, code=cls.code, name=cls.name, programme_code=pcode, programme_name=pname,
            start=cls.start_date, end=cls.end_date, learners=int(n), status=cls.status, mode=cls.mode,
            venue=cls.venue, homeroom=" ".join(hr.split()) if hr else None, year=cls.year,
        ))
    return rows


def class_years(session: Session) -> list[int]:
    return list(session.scalars(select(TrainingClass.year).distinct().order_by(TrainingClass.year.desc())))


@dataclass(frozen=True)
class ClassDetail:
    id: int
    code: str
    name: str
    programme_code: str
    programme_name: str
    mode: str
    venue: str | None
    start: dt.date
    end: dt.date
    status: str
    homeroom_lecturer_id: int | None
    note: str | None
    version: int
    rule_set_name: str


def class_detail(session: Session, code: str) -> ClassDetail:
    cls = get_class(session, code)
    return ClassDetail(
        id=cls.id, code=cls.code, name=cls.name, programme_code=cls.programme.code,
        programme_name=cls.programme.name, mode=cls.mode, venue=cls.venue, start=cls.start_date, end=cls.end_date,
        status=cls.status, homeroom_lecturer_id=cls.homeroom_lecturer_id, note=cls.note, version=cls.version,
        rule_set_name=cls.rule_set.name,
    )
