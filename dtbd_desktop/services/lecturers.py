"""Lecturers: full-time (chuyên trách), part-time (kiêm chức), guest (thỉnh giảng)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError, Problem
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import LECTURER_KINDS, Lecturer
from dtbd_desktop.services.learners import refresh_keys
from dtbd_desktop.trust.operations import operation

KIND_LABELS = {"full_time": tr_noop("lecturers", "Chuyên trách"), "part_time": tr_noop("lecturers", "Kiêm chức"), "guest": tr_noop("lecturers", "Thỉnh giảng")}


@dataclass(frozen=True)
class LecturerRow:
    id: int
    full_name: str
    title: str | None
    kind: str
    department: str | None
    workplace: str | None
    phone: str | None
    active: bool

    @property
    def display_name(self) -> str:
        return f"{self.title} {self.full_name}" if self.title else self.full_name


def list_lecturers(session: Session, *, active_only: bool = False) -> list[LecturerRow]:
    stmt = select(Lecturer).order_by(Lecturer.sort_key, Lecturer.id)
    if active_only:
        stmt = stmt.where(Lecturer.active.is_(True))
    return [LecturerRow(lec.id, lec.full_name, lec.title, lec.kind, lec.department, lec.workplace, lec.phone, lec.active)
            for lec in session.scalars(stmt)]


@operation("lecturers.save", permission="edit_catalogue")
def save_lecturer(session: Session, *, full_name: str, kind: str = "full_time", title: str | None = None,
                  department: str | None = None, workplace: str | None = None, phone: str | None = None,
                  active: bool = True, lecturer_id: int | None = None) -> Lecturer:
    problems: list[Problem] = []
    clean = text.clean(full_name)
    if not clean:
        problems.append(Problem(tr("lecturers", "Họ và tên giảng viên không được để trống."), field="full_name"))
    if kind not in LECTURER_KINDS:
        problems.append(Problem(tr("lecturers", "Loại giảng viên không hợp lệ."), field="kind"))
    if problems:
        raise InputError(tr("lecturers", "Chưa lưu được giảng viên."), problems)
    assert clean
    if lecturer_id is None:
        lecturer = Lecturer()
        session.add(lecturer)
    else:
        found = session.get(Lecturer, lecturer_id)
        if found is None:
            raise NotFoundError(tr("lecturers", "Không tìm thấy giảng viên cần sửa."))
        lecturer = found
    lecturer.family_name, lecturer.middle_name, lecturer.given_name = text.split_full_name(clean)
    lecturer.kind, lecturer.title, lecturer.active = kind, text.clean(title), active
    lecturer.department, lecturer.workplace, lecturer.phone = (
        text.clean(department), text.clean(workplace), text.clean(phone))
    refresh_keys(lecturer)
    session.flush()
    return lecturer
