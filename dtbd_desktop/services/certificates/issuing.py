"""Issuing, revoking and reissuing documents: the operations that change the register.

* **Issue** numbers and registers, in one transaction, a document for every learner of a class
  whose graduation review (or course completion) made them eligible and who holds no live
  document of the class yet. The document kind (diploma or certificate of completion) is the
  programme's. What is printed is frozen in the register line at that moment.
* **Revoke** voids a document; its register line stays, with the reason.
* **Reissue** gives a lost or corrected document a new number in the current register, linked
  to the old one (which becomes "replaced"); the pair is a line of the register's appendix.

`class_documents` lists a class's learners with the review's verdict and their document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Certificate, Enrolment, GraduationResult, Learner, Programme, TrainingClass
from dtbd_desktop.services import certificates_numbering as numbering
from dtbd_desktop.services import signing_keys
from dtbd_desktop.services.certificates.records import (
    LIVE,
    CertificateRow,
    Progress,
    certificate_query,
    get_by_serial,
    kind_label,
    replacement_serial,
    status_label,
    to_row,
)
from dtbd_desktop.services.classes import get_class
from dtbd_desktop.services.document_wording import document_result
from dtbd_desktop.services.scores import class_rules
from dtbd_desktop.trust import audit, protected
from dtbd_desktop.trust.operations import operation

#: Enrolments that left the class get no document, whatever an old review said.
LEFT_CLASS = ("withdrawn", "transferred")
MIN_REASON = 3


@dataclass(frozen=True)
class ClassLine:
    """A learner of a class, the review's verdict, and the live document if any."""

    enrolment_id: int
    full_name: str
    birth_text: str
    national_id: str | None
    enrolment_status: str
    reviewed: bool
    eligible: bool
    classification: str | None
    reasons: tuple[str, ...]
    certificate: CertificateRow | None  # the live one, else the latest


@dataclass(frozen=True)
class ClassDocuments:
    class_code: str
    programme_code: str
    kind: str
    lines: list[ClassLine]

    @property
    def to_issue(self) -> int:
        return sum(1 for line in self.lines if line.eligible and line.enrolment_status not in LEFT_CLASS
                   and (line.certificate is None or line.certificate.status != LIVE))

    @property
    def issued(self) -> int:
        return sum(1 for line in self.lines if line.certificate is not None and line.certificate.status == LIVE)


def _class_and_kind(session: Session, class_code: str) -> tuple[TrainingClass, Programme, str]:
    cls = get_class(session, class_code)
    programme = cls.programme
    return cls, programme, programme.document_kind


def class_documents(session: Session, class_code: str) -> ClassDocuments:
    """Every learner of the class with the review's verdict and their document, in roster order."""
    cls, programme, kind = _class_and_kind(session, class_code)
    enrolments = list(session.scalars(
        select(Enrolment).join(Learner, Enrolment.learner_id == Learner.id)
        .where(Enrolment.class_id == cls.id).options(joinedload(Enrolment.learner))
        .order_by(Learner.sort_key, Learner.id)))
    ids = [e.id for e in enrolments]
    results = {r.enrolment_id: r for r in session.scalars(
        select(GraduationResult).where(GraduationResult.enrolment_id.in_(ids)))} if ids else {}
    certs: dict[int, Certificate] = {}
    if ids:
        for cert in session.scalars(certificate_query().where(Certificate.enrolment_id.in_(ids))
                                    .order_by(Certificate.id)).unique():
            current = certs.get(cert.enrolment_id)
            if current is None or current.status != LIVE:
                certs[cert.enrolment_id] = cert
    lines = []
    for e in enrolments:
        result = results.get(e.id)
        learner = e.learner
        cert = certs.get(e.id)
        lines.append(ClassLine(
            enrolment_id=e.id, full_name=learner.full_name,
            birth_text=text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year),
            national_id=learner.national_id, enrolment_status=e.status, reviewed=result is not None,
            eligible=bool(result and result.eligible), classification=result.classification if result else None,
            reasons=tuple(str(r) for r in (result.reasons or [])) if result else (),
            certificate=to_row(cert) if cert is not None else None,
        ))
    return ClassDocuments(cls.code, programme.code, kind, lines)


# ---------------------------------------------------------------------------------- issue


def document_results(session: Session, cls: TrainingClass, results: list[tuple[int, str | None]]
                     ) -> dict[int, str | None]:
    """What each document will print (and its register line keep) as the result, by enrolment: the
    band of the bài thu hoạch where the class's rule set grades it, else the review's classification."""
    rules = class_rules(cls)
    if not (rules.get("outcome") == "pass_fail" and rules.get("graded_essay")):
        return dict(results)
    from dtbd_desktop.services.graduation import load_review

    bands = {row.enrolment_id: row.outcome.essay_band for row in load_review(session, cls.code).rows}
    return {eid: document_result(rules, classification, bands.get(eid)) for eid, classification in results}


@operation("certificates.issue", permission="issue_certificates")
def issue_for_class(session: Session, class_code: str, issue_date: dt.date | None = None, *,
                    progress: Progress | None = None) -> list[CertificateRow]:
    """Number and register a document for every eligible learner of the class who has never had
    one of it, in Vietnamese roster order, in the caller's transaction. A learner whose document
    was revoked gets no new one here (a revocation stands; a corrected document is a `reissue`).

    Refused (nothing changed) when the class has no eligible learner at all, when the date is
    before the class ended, or when this PC has no enrolled signing key. Returns the new register
    lines (empty when everyone already has a document).
    """
    cls, _programme, kind = _class_and_kind(session, class_code)
    issue_date = issue_date or dt.date.today()
    if issue_date < cls.end_date:
        raise InputError(tr("certificates", "Ngày cấp {date} trước ngày kết thúc lớp {code} ({end}).").format(
            date=text.format_date(issue_date), code=cls.code, end=text.format_date(cls.end_date)))
    numbering.lock_numbering(session)  # before reading who still needs a document: another PC may be issuing
    rows = session.execute(
        select(Enrolment, GraduationResult)
        .join(GraduationResult, GraduationResult.enrolment_id == Enrolment.id)
        .join(Learner, Enrolment.learner_id == Learner.id)
        .where(Enrolment.class_id == cls.id, GraduationResult.eligible.is_(True),
               Enrolment.status.not_in(LEFT_CLASS))
        .options(joinedload(Enrolment.learner))
        .order_by(Learner.sort_key, Learner.id)
    ).all()
    if not rows:
        raise InputError(tr("certificates", "Lớp {code} chưa có học viên nào đủ điều kiện cấp {kind}: hãy xét tốt "
                                            "nghiệp / công nhận hoàn thành trước.").format(
            code=cls.code, kind=kind_label(kind).lower()))
    holding = set(session.scalars(select(Certificate.enrolment_id).where(
        Certificate.enrolment_id.in_([e.id for e, _r in rows]))))
    printed = document_results(session, cls, [(e.id, r.classification) for e, r in rows])
    items = [(e, printed[e.id]) for e, _r in rows if e.id not in holding]
    key = signing_keys.issuing_key(session) if items else None
    issued = numbering.issue_many(session, kind, issue_date, items, level=cls.programme.level, progress=progress,
                                  key=key)
    for cert in issued:
        audit.record(session, action="certificate.issue", entity="certificate", entity_id=cert.serial,
                     new={"register_number": cert.register_number, "full_name": cert.full_name,
                          "class": cls.code, "issue_date": issue_date.isoformat()},
                     state=protected.certificate_state(cert))
    session.flush()
    return [to_row(c) for c in issued]


def _check_reason(reason: str) -> str:
    value = " ".join(text.nfc(reason or "").split())
    if len(value) < MIN_REASON:
        raise InputError(tr("certificates", "Cần ghi lý do (ví dụ: bị mất, sai ngày sinh)."))
    return value


def _refuse_not_live(cert: Certificate, doing: str) -> None:
    if cert.status == "revoked":
        raise InputError(tr("certificates", "Không {doing}: văn bằng {serial} đã bị thu hồi ({reason}).").format(
            doing=doing, serial=cert.serial, reason=cert.reason or ""))
    if cert.status == "replaced":
        newer = replacement_serial(cert)
        raise InputError(tr("certificates", "Không {doing}: văn bằng {serial} đã được cấp lại bằng số hiệu {new}.")
                         .format(doing=doing, serial=cert.serial, new=newer or "?"))


# ---------------------------------------------------------------------------------- revoke, reissue


def _locked(session: Session, serial: str, expected_version: int | None) -> Certificate:
    """The register line, locked for this transaction and re-read, checked against the version the
    person saw: two people revoking or reissuing the same document get one result and a conflict."""
    found = get_by_serial(session, serial)
    cert = session.scalars(select(Certificate).where(Certificate.id == found.id).with_for_update()
                           .execution_options(populate_existing=True)).one()
    if expected_version is not None and cert.version != expected_version:
        raise ConflictError(tr("certificates", "Văn bằng {serial} vừa được người khác thay đổi ({status}); hãy tải lại "
                                               "rồi làm lại nếu vẫn cần.").format(serial=cert.serial,
                                                                                   status=status_label(cert.status)))
    return cert


@operation("certificates.revoke", permission="revoke_certificates")
def revoke(session: Session, serial: str, reason: str, *, on: dt.date | None = None,
           expected_version: int | None = None) -> CertificateRow:
    """Void an issued document. Its register line stays, marked revoked with the reason."""
    reason = _check_reason(reason)
    cert = _locked(session, serial, expected_version)
    _refuse_not_live(cert, tr("certificates", "thu hồi được"))
    on = on or dt.date.today()
    cert.status = "revoked"
    cert.reason = reason
    cert.note = tr("certificates", "Thu hồi ngày {date}: {reason}").format(date=text.format_date(on), reason=reason)
    session.flush()
    audit.record(session, action="certificate.revoke", entity="certificate", entity_id=cert.serial,
                 field="status", old="issued", new="revoked", reason=reason, state=protected.certificate_state(cert))
    return to_row(cert)


@operation("certificates.reissue", permission="revoke_certificates")
def reissue(session: Session, serial: str, reason: str, issue_date: dt.date | None = None, *,
            expected_version: int | None = None) -> tuple[CertificateRow, CertificateRow]:
    """A new document for a lost or corrected one: a new number in the register of the issue
    date's year, linked to the old document, which becomes "replaced". The new line takes the
    learner's details as they are now (so corrections made to the learner are printed) and the
    classification of the current review."""
    reason = _check_reason(reason)
    old = _locked(session, serial, expected_version)
    _refuse_not_live(old, tr("certificates", "cấp lại được"))
    issue_date = issue_date or dt.date.today()
    if issue_date < old.issue_date:
        raise InputError(tr("certificates", "Ngày cấp lại {date} trước ngày cấp văn bằng cũ ({old}).").format(
            date=text.format_date(issue_date), old=text.format_date(old.issue_date)))
    result = session.scalar(select(GraduationResult).where(GraduationResult.enrolment_id == old.enrolment_id))
    classification = old.classification
    if result is not None and result.classification:
        cls = old.enrolment.training_class
        classification = document_results(session, cls, [(old.enrolment_id, result.classification)])[old.enrolment_id]
    level = old.register.level or old.enrolment.training_class.programme.level
    (new,) = numbering.issue_many(session, old.register.kind, issue_date, [(old.enrolment, classification)],
                                  level=level, replaces=[old], key=signing_keys.issuing_key(session))
    old.status = "replaced"
    old.reason = reason
    old.note = tr("certificates", "Đã cấp lại ngày {date}, số hiệu mới {serial}: {reason}").format(
        date=text.format_date(issue_date), serial=new.serial, reason=reason)
    new.reason = reason
    new.note = tr("certificates", "Cấp lại thay số hiệu {serial}: {reason}").format(serial=old.serial, reason=reason)
    session.flush()
    audit.record(session, action="certificate.replaced", entity="certificate", entity_id=old.serial,
                 field="status", old="issued", new="replaced", reason=reason, state=protected.certificate_state(old))
    audit.record(session, action="certificate.reissue", entity="certificate", entity_id=new.serial,
                 old=old.serial, new={"serial": new.serial, "register_number": new.register_number},
                 reason=reason, state=protected.certificate_state(new))
    return to_row(old), to_row(new)
