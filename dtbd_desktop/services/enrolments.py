"""Changes to a class's roster: add a known learner, remove, move to another class, withdraw."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AttendanceMark, Certificate, Enrolment, Learner, Score
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.trust.operations import operation


def _enrolment(session: Session, enrolment_id: int) -> Enrolment:
    enrolment = session.get(Enrolment, enrolment_id)
    if enrolment is None:
        raise NotFoundError(tr("enrolments", "Không tìm thấy học viên này trong lớp (có thể vừa bị người khác xóa)."))
    return enrolment


@operation("roster.add", permission="edit_roster")
def add_learner(session: Session, class_code: str, learner_id: int) -> Enrolment:
    """Put a learner already known to the centre into a class, sent by their current organisation."""
    cls = get_class(session, class_code)
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise NotFoundError(tr("enrolments", "Không tìm thấy học viên."))
    if session.scalar(select(Enrolment.id).where(Enrolment.class_id == cls.id, Enrolment.learner_id == learner_id)):
        raise InputError(tr("enrolments", "{name} đã có trong lớp {code}.").format(name=learner.full_name, code=cls.code))
    enrolment = Enrolment(training_class=cls, learner=learner, organisation_id=learner.organisation_id,
                          position=learner.position)
    session.add(enrolment)
    session.flush()
    return enrolment


def _has_records(session: Session, enrolment_id: int) -> bool:
    for model in (AttendanceMark, Score, Certificate):
        if session.scalar(select(func.count()).select_from(model).where(model.enrolment_id == enrolment_id)):
            return True
    return False


@operation("roster.remove", permission="edit_roster")
def remove_learner(session: Session, enrolment_id: int) -> None:
    """Take a learner off the roster: only while nothing has been recorded for them in the class."""
    enrolment = _enrolment(session, enrolment_id)
    if _has_records(session, enrolment_id):
        raise InputError(tr("enrolments", "{name} đã có điểm danh, điểm hoặc văn bằng trong lớp nên không xóa được; "
                                          "hãy đánh dấu thôi học hoặc chuyển lớp.").format(name=enrolment.learner.full_name))
    from dtbd_desktop.trust import audit

    audit.record(session, action="roster.remove", entity="roster", entity_id=enrolment.id,  # names kept: the row goes
                 old={"learner": enrolment.learner.full_name, "class": enrolment.training_class.code})
    session.delete(enrolment)
    session.flush()


@operation("roster.withdraw", permission="edit_roster")
def withdraw(session: Session, enrolment_id: int, reason: str) -> Enrolment:
    """Mark a learner as withdrawn (thôi học) with a reason; their records stay."""
    enrolment = _enrolment(session, enrolment_id)
    clean = text.clean(reason)
    if not clean:
        raise InputError(tr("enrolments", "Cần ghi lý do thôi học."))
    enrolment.status = "withdrawn"
    enrolment.status_reason = clean
    session.flush()
    return enrolment


@operation("roster.reinstate", permission="edit_roster")
def reinstate(session: Session, enrolment_id: int) -> Enrolment:
    enrolment = _enrolment(session, enrolment_id)
    enrolment.status = "enrolled"
    enrolment.status_reason = None
    session.flush()
    return enrolment


@operation("roster.move", permission="edit_roster")
def move_to_class(session: Session, enrolment_id: int, target_code: str, reason: str | None = None) -> Enrolment:
    """Move a learner to another class of the same programme. Without records in the old class the
    enrolment simply moves; with records it stays there marked 'transferred' and a new one is opened."""
    enrolment = _enrolment(session, enrolment_id)
    target = get_class(session, target_code)
    source = enrolment.training_class
    if target.id == source.id:
        raise InputError(tr("enrolments", "Lớp chuyển đến trùng với lớp hiện tại."))
    if target.programme_id != source.programme_id:
        raise InputError(tr("enrolments", "Chỉ chuyển được sang lớp cùng chương trình ({programme}).")
                         .format(programme=source.programme.code))
    if session.scalar(select(Enrolment.id).where(Enrolment.class_id == target.id,
                                                 Enrolment.learner_id == enrolment.learner_id)):
        raise InputError(tr("enrolments", "{name} đã có trong lớp {code}.").format(
            name=enrolment.learner.full_name, code=target.code))
    if not _has_records(session, enrolment_id):
        enrolment.training_class = target
        session.flush()
        return enrolment
    enrolment.status = "transferred"
    enrolment.status_reason = text.clean(reason) or tr("enrolments", "Chuyển sang lớp {code}").format(code=target.code)
    moved = Enrolment(training_class=target, learner=enrolment.learner, organisation_id=enrolment.organisation_id,
                      position=enrolment.position, confirmation=enrolment.confirmation,
                      discipline=enrolment.discipline)
    session.add(moved)
    session.flush()
    return moved
