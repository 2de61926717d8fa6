"""Copies issued from the register (bản sao văn bằng, chứng chỉ từ sổ gốc, Thông tư 21/2019/TT-BGDĐT)
and confirmations of graduation (giấy xác nhận), from a register line only.

* A **copy** is printed from the register line exactly as it stands (name, birth date,
  classification, serial, register number, issue date, the decision), never from the learner's
  record as it is now; it takes the next number of the year in the book of copies (sổ cấp bản
  sao: "005/BS-2026"), which is printed on it and listed in the book (PDF, XLSX).
* A **confirmation** (for a person whose diploma is lost, while a copy or a reissue is not
  wanted) is an official paper of the centre: it takes its number in the book of outgoing
  documents (kind GXN), and printing it again on the same day keeps that number.

A revoked document gets neither; a replaced one names the document that replaced it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import CertificateCopy, Enrolment, GraduationResult, TrainingClass
from dtbd_desktop.services import certificates_numbering as numbering
from dtbd_desktop.services import outgoing
from dtbd_desktop.services.certificates.records import get_by_serial, replacement_serial
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.trust import audit, signing
from dtbd_desktop.trust.operations import operation

COPY_PATTERN = "{n:03d}/BS-{year}"
CONFIRMATION_KIND = "GXN"


@dataclass(frozen=True)
class LineFacts:
    """What a copy prints: the register line as it stands, with its class's course and decision."""

    serial: str
    register_number: str
    issue_date: dt.date
    full_name: str
    birth_text: str
    place_of_birth: str
    gender: str
    ethnicity: str
    classification: str
    kind: str
    level: str | None
    document_title: str  # "BẰNG TỐT NGHIỆP TRUNG CẤP LÝ LUẬN CHÍNH TRỊ - HÀNH CHÍNH"
    programme: str
    class_code: str
    course: str
    mode: str
    decision_number: str
    decision_date: dt.date | None
    past: bool  # brought in from a past register: issued before the program


@dataclass(frozen=True)
class CopyEntry:
    number: int
    year: int
    copy_number: str
    issued_on: dt.date
    requested_by: str
    facts: LineFacts

    def as_json(self) -> dict[str, Any]:
        return {"copy_number": self.copy_number, "date": self.issued_on.isoformat(), "serial": self.facts.serial,
                "full_name": self.facts.full_name, "requested_by": self.requested_by or None}


def document_title(kind: str, level: str | None) -> str:
    words = numbering.LEVEL_WORDS.get((kind, level or ""), "")
    base = "BẰNG TỐT NGHIỆP" if kind == "diploma" else "GIẤY CHỨNG NHẬN"
    return f"{base} {words.upper()}".strip()


def line_facts(session: Session, serial: str) -> LineFacts:
    cert = get_by_serial(session, serial)
    enrolment: Enrolment = cert.enrolment
    cls: TrainingClass = enrolment.training_class
    result = session.scalar(select(GraduationResult).where(GraduationResult.enrolment_id == enrolment.id))
    course = str(cls.start_date.year) if cls.start_date.year == cls.end_date.year else \
        f"{cls.start_date.year} - {cls.end_date.year}"
    return LineFacts(
        serial=cert.serial, register_number=cert.register_number, issue_date=cert.issue_date,
        full_name=cert.full_name, birth_text=cert.birth_date_text, place_of_birth=cert.place_of_birth or "",
        gender=text.gender_label(cert.gender), ethnicity=cert.ethnicity or "", classification=cert.classification or "",
        kind=cert.register.kind, level=cert.register.level, document_title=document_title(cert.register.kind,
                                                                                          cert.register.level),
        programme=cls.programme.name, class_code=cls.code, course=course,
        mode=tr("certificates", "Tập trung") if cls.mode == "full-time" else tr("certificates", "Không tập trung"),
        decision_number=(result.decision_number if result is not None else None) or "",
        decision_date=result.decision_date if result is not None else None,
        past=signing.is_past(cert.verification_code))


def _refuse_not_live(session: Session, serial: str, doing: str) -> None:
    cert = get_by_serial(session, serial)
    if cert.status == "revoked":
        raise InputError(tr("certificates", "Không {doing}: văn bằng {serial} đã bị thu hồi ({reason}).").format(
            doing=doing, serial=cert.serial, reason=cert.reason or ""))
    if cert.status == "replaced":
        raise InputError(tr("certificates", "Không {doing}: văn bằng {serial} đã được cấp lại bằng số hiệu {new}; "
                                            "cấp từ dòng sổ gốc của văn bằng mới.").format(
            doing=doing, serial=cert.serial, new=replacement_serial(cert) or "?"))


@operation("certificates.copy", permission="issue_certificates")
def issue_copy(session: Session, serial: str, on: dt.date | None = None, *, requested_by: str | None = None
               ) -> CopyEntry:
    """A copy from the register line of `serial`, numbered in the book of copies of `on`'s year."""
    on = on or dt.date.today()
    _refuse_not_live(session, serial, tr("certificates", "cấp bản sao được"))
    facts = line_facts(session, serial)
    if on < facts.issue_date:
        raise InputError(tr("certificates", "Ngày cấp bản sao {date} trước ngày cấp văn bằng ({issued}).").format(
            date=text.format_date(on), issued=text.format_date(facts.issue_date)))
    who = text.clean(requested_by)
    if who is not None and len(who) > 200:
        raise InputError(tr("certificates", "Tên người yêu cầu dài quá 200 ký tự."))
    numbering.lock_numbering(session)
    number = int(session.scalar(select(func.max(CertificateCopy.number)).where(CertificateCopy.year == on.year))
                 or 0) + 1
    copy_number = COPY_PATTERN.format(n=number, year=on.year)
    actor = session.info.get(audit.ACTOR_KEY)
    cert = get_by_serial(session, serial)
    row = CertificateCopy(certificate_id=cert.id, year=on.year, number=number, copy_number=copy_number, issued_on=on,
                          requested_by=who, created_by=getattr(actor, "username", None))
    session.add(row)
    session.flush()
    audit.record(session, action="certificate.copy", entity="certificate_copy", entity_id=copy_number,
                 new={"serial": cert.serial, "date": on.isoformat(), "requested_by": who})
    return CopyEntry(number, on.year, copy_number, on, who or "", facts)


@operation("certificates.confirm", permission="issue_certificates")
def confirm_graduation(session: Session, serial: str, on: dt.date | None = None, *,
                       requested_by: str | None = None) -> tuple[outgoing.BookEntry, LineFacts]:
    """A confirmation of graduation from the register line of `serial`, numbered in the book of
    outgoing documents (a second print on the same day keeps the number)."""
    on = on or dt.date.today()
    _refuse_not_live(session, serial, tr("certificates", "xác nhận được"))
    facts = line_facts(session, serial)
    cert = get_by_serial(session, serial)
    subject = tr("certificates", "Xác nhận tốt nghiệp của {name} (số hiệu {serial})").format(
        name=facts.full_name, serial=facts.serial)
    doc = outgoing.take_number(session, load_letterhead(session), kind=CONFIRMATION_KIND, on=on, subject=subject,
                               source=f"confirmation:{cert.id}:{on.isoformat()}",
                               recipients=text.clean(requested_by), content={"serial": facts.serial})
    return outgoing.to_entry(doc), facts


def list_copies(session: Session, year: int) -> list[CopyEntry]:
    rows = list(session.scalars(select(CertificateCopy).where(CertificateCopy.year == year)
                                .order_by(CertificateCopy.number)))
    return [CopyEntry(r.number, r.year, r.copy_number, r.issued_on, r.requested_by or "",
                      line_facts(session, r.certificate.serial)) for r in rows]


def copies_of(session: Session, serial: str) -> list[CopyEntry]:
    cert = get_by_serial(session, serial)
    rows = session.scalars(select(CertificateCopy).where(CertificateCopy.certificate_id == cert.id)
                           .order_by(CertificateCopy.issued_on, CertificateCopy.id))
    facts = line_facts(session, serial)
    return [CopyEntry(r.number, r.year, r.copy_number, r.issued_on, r.requested_by or "", facts) for r in rows]


__all__ = ["CONFIRMATION_KIND", "CopyEntry", "LineFacts", "confirm_graduation", "copies_of", "document_title",
           "issue_copy", "line_facts", "list_copies"]
