"""Diplomas and certificates: issue, print (and reprint), revoke, reissue, verify; the register.

* **Issue** numbers and registers, in one transaction, a document for every learner of a class
  whose graduation review (or course completion) made them eligible and who holds no live
  document of the class yet. The document kind (diploma or certificate of completion) is the
  programme's. What is printed is frozen in the register line at that moment.
* **Print** writes the live documents of a class to one PDF; each print adds one to the
  document's print count (a reprint, never a new document).
* **Revoke** voids a document; its register line stays, with the reason.
* **Reissue** gives a lost or corrected document a new number in the current register, linked
  to the old one (which becomes "replaced"); the pair is a line of the register's appendix.
* **Verify** tells genuine, revoked, replaced or unknown from a short code, a scanned QR code
  or a serial, with no network (see `signing`).

Every issue, print, reprint, revoke and reissue is written to the audit log in the same
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import ConflictError, InputError, NotFoundError
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    Certificate,
    Enrolment,
    GraduationResult,
    Learner,
    Programme,
    Register,
    TrainingClass,
)
from dtbd_desktop.printing import layouts
from dtbd_desktop.printing.letterhead import NATIONAL_MOTTO, NATIONAL_NAME, PARTY_HEADING, Letterhead
from dtbd_desktop.services import certificates_numbering as numbering
from dtbd_desktop.services import settings, signing_keys
from dtbd_desktop.services.classes import get_class, mode_label
from dtbd_desktop.services.settings import load_letterhead
from dtbd_desktop.trust import audit, protected, signing
from dtbd_desktop.trust.operations import operation

Progress = Callable[[int, int, str], None]

STATUS_LABELS = {"issued": tr_noop("certificates", "Đã cấp"), "revoked": tr_noop("certificates", "Đã thu hồi"),
                 "replaced": tr_noop("certificates", "Đã cấp lại"), "unknown": tr_noop("certificates", "Không có")}
DOCUMENT_TITLES = {"diploma": "BẰNG TỐT NGHIỆP", "certificate": "GIẤY CHỨNG NHẬN"}
LIVE = "issued"
#: Enrolments that left the class get no document, whatever an old review said.
LEFT_CLASS = ("withdrawn", "transferred")
MIN_REASON = 3


def status_label(status: str) -> str:
    return tr("certificates", STATUS_LABELS.get(status, status))


def kind_label(kind: str) -> str:
    return tr("certificates", numbering.KIND_LABELS.get(kind, kind))


# ---------------------------------------------------------------------------------- rows


@dataclass(frozen=True)
class CertificateRow:
    """One register line, as the screens and the command line show it."""

    id: int
    kind: str
    year: int
    sequence: int
    class_code: str
    national_id: str | None
    full_name: str
    birth_text: str
    classification: str | None
    serial: str
    register_number: str
    issue_date: dt.date
    status: str
    print_count: int
    verification_code: str  # the printed short code
    reason: str | None
    note: str | None
    replaces_serial: str | None

    def as_issue_json(self) -> dict[str, Any]:
        return {"national_id": self.national_id, "serial": self.serial, "register_number": self.register_number,
                "verification_code": self.verification_code}


def short_of(cert: Certificate) -> str:
    stored = signing.parse_stored(cert.verification_code)
    return stored.short if stored else ""


def to_row(cert: Certificate) -> CertificateRow:
    enrolment = cert.enrolment
    return CertificateRow(
        id=cert.id, kind=cert.register.kind, year=cert.register.year, sequence=cert.sequence,
        class_code=enrolment.training_class.code, national_id=enrolment.learner.national_id,
        full_name=cert.full_name, birth_text=cert.birth_date_text, classification=cert.classification,
        serial=cert.serial, register_number=cert.register_number, issue_date=cert.issue_date, status=cert.status,
        print_count=cert.print_count, verification_code=short_of(cert), reason=cert.reason, note=cert.note,
        replaces_serial=cert.replaces.serial if cert.replaces is not None else None,
    )


def _certificate_query() -> Any:
    return select(Certificate).options(
        joinedload(Certificate.register),
        joinedload(Certificate.replaces),
        joinedload(Certificate.enrolment).joinedload(Enrolment.learner),
        joinedload(Certificate.enrolment).joinedload(Enrolment.training_class),
    )


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
        for cert in session.scalars(_certificate_query().where(Certificate.enrolment_id.in_(ids))
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
    items = [(e, r.classification) for e, r in rows if e.id not in holding]
    key = signing_keys.issuing_key(session) if items else None
    issued = numbering.issue_many(session, kind, issue_date, items, progress=progress, key=key)
    for cert in issued:
        audit.record(session, action="certificate.issue", entity="certificate", entity_id=cert.serial,
                     new={"register_number": cert.register_number, "full_name": cert.full_name,
                          "class": cls.code, "issue_date": issue_date.isoformat()},
                     state=protected.certificate_state(cert))
    session.flush()
    return [to_row(c) for c in issued]


# ---------------------------------------------------------------------------------- find


def _clean_serial(serial: str) -> str:
    return " ".join(text.nfc(serial).split())


def find_by_serial(session: Session, serial: str) -> Certificate | None:
    """The document with this serial (the latest, should two registers ever share one)."""
    return session.scalars(_certificate_query().where(Certificate.serial == _clean_serial(serial))
                           .order_by(Certificate.id.desc())).unique().first()


def get_by_serial(session: Session, serial: str) -> Certificate:
    cert = find_by_serial(session, serial)
    if cert is None:
        raise NotFoundError(tr("certificates", "Không có văn bằng số hiệu '{serial}' trong sổ gốc.").format(
            serial=_clean_serial(serial)))
    return cert


def find_by_short_code(session: Session, short: str) -> list[Certificate]:
    """Documents whose stored code starts with this short code (an index range, not a scan)."""
    return list(session.scalars(_certificate_query().where(
        Certificate.verification_code >= short + ".", Certificate.verification_code < short + "/")).unique())


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
        newer = _replacement_serial(cert)
        raise InputError(tr("certificates", "Không {doing}: văn bằng {serial} đã được cấp lại bằng số hiệu {new}.")
                         .format(doing=doing, serial=cert.serial, new=newer or "?"))


def _replacement_serial(cert: Certificate) -> str | None:
    from sqlalchemy.orm import object_session

    session = object_session(cert)
    if session is None:
        return None
    return session.scalar(select(Certificate.serial).where(Certificate.replaces_id == cert.id)
                          .order_by(Certificate.id.desc()).limit(1))


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
    classification = result.classification if result is not None and result.classification else old.classification
    (new,) = numbering.issue_many(session, old.register.kind, issue_date, [(old.enrolment, classification)],
                                  replaces=[old], key=signing_keys.issuing_key(session))
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


# ---------------------------------------------------------------------------------- verify


@dataclass(frozen=True)
class Verification:
    valid: bool
    status: str  # issued | revoked | replaced | unknown
    full_name: str | None
    serial: str | None
    message: str
    birth_text: str | None = None
    issue_date: dt.date | None = None
    classification: str | None = None
    replaced_by: str | None = None
    source: str = ""  # "qr", "code" or "serial": what was checked

    def as_json(self) -> dict[str, Any]:
        return {"valid": self.valid, "status": self.status, "full_name": self.full_name, "serial": self.serial}


def public_keys(session: Session) -> list[str]:
    """The keys a genuine document may be signed with: those an administrator enrolled."""
    return signing_keys.trusted_keys(session)


def _unknown(message: str, source: str = "") -> Verification:
    return Verification(False, "unknown", None, None, message, source=source)


def _from_register(cert: Certificate, keys: Sequence[str], source: str) -> Verification:
    if not signing.verify_any(keys, signing.certificate_payload(cert), cert.verification_code):
        return _unknown(tr("certificates", "Dòng sổ gốc của số hiệu {serial} không khớp chữ ký: dữ liệu đã bị sửa "
                                           "ngoài chương trình. Không xác nhận được.").format(serial=cert.serial), source)
    replaced_by = _replacement_serial(cert) if cert.status == "replaced" else None
    if cert.status == "issued":
        message = tr("certificates", "Văn bằng thật, đang có hiệu lực.")
    elif cert.status == "revoked":
        message = tr("certificates", "Văn bằng thật nhưng ĐÃ BỊ THU HỒI: {reason}").format(reason=cert.reason or "")
    else:
        message = tr("certificates", "Văn bằng thật nhưng ĐÃ ĐƯỢC CẤP LẠI bằng số hiệu {serial}; bản này không còn "
                                     "hiệu lực.").format(serial=replaced_by or "?")
    return Verification(cert.status == "issued", cert.status, cert.full_name, cert.serial, message,
                        birth_text=cert.birth_date_text, issue_date=cert.issue_date,
                        classification=cert.classification, replaced_by=replaced_by, source=source)


def verify(session: Session, code: str) -> Verification:
    """Check a scanned QR code, a typed short code or a serial against the signature and the register."""
    value = text.nfc(code or "").strip()
    if not value:
        return _unknown(tr("certificates", "Chưa nhập mã."))
    keys = public_keys(session)
    content = signing.parse_qr(value)
    if content is not None:
        if not signing.verify_qr(keys, content):
            return _unknown(tr("certificates", "Mã QR không có chữ ký hợp lệ của trung tâm: giả hoặc đã bị sửa."), "qr")
        parts = content.payload.split("|")
        serial, full_name = parts[0], parts[1] if len(parts) > 1 else ""
        for cert in find_by_short_code(session, content.short):
            if cert.serial == serial:
                if signing.certificate_payload(cert) != content.payload:
                    return _unknown(tr("certificates", "Mã QR có chữ ký thật nhưng khác dòng sổ gốc số hiệu {serial}.")
                                    .format(serial=serial), "qr")
                return _from_register(cert, keys, "qr")
        return Verification(False, "unknown", full_name, serial,
                            tr("certificates", "Mã QR mang chữ ký hợp lệ nhưng số hiệu {serial} không có trong sổ gốc: "
                                               "không xác nhận văn bằng này là thật (văn bằng thật luôn có dòng trong "
                                               "sổ gốc).").format(serial=serial), source="qr")
    short = signing.normalise_short_code(value)
    if short is not None:
        matches = find_by_short_code(session, short)
        if matches:
            return _from_register(matches[0], keys, "code")
    by_serial = find_by_serial(session, value)
    if by_serial is not None:
        return _from_register(by_serial, keys, "serial")
    return _unknown(tr("certificates", "Không có văn bằng nào mang mã hoặc số hiệu '{code}' trong sổ gốc.").format(
        code=value), "code" if short else "serial")


# ---------------------------------------------------------------------------------- printing


def _heading(head: Letterhead) -> dict[str, str]:
    if head.party_heading:
        return {"heading_1": PARTY_HEADING, "heading_2": "", "party_heading": "1", "national_heading": ""}
    return {"heading_1": NATIONAL_NAME, "heading_2": NATIONAL_MOTTO, "party_heading": "", "national_heading": "1"}


def document_values(cert: Certificate, head: Letterhead, *, programme_name: str,
                    cls: TrainingClass, result: GraduationResult | None,
                    organisation: str | None, position: str | None) -> dict[str, str]:
    """Everything a layout may print for one document (frozen register values where they exist)."""
    issued = cert.issue_date
    short = short_of(cert)
    payload = signing.certificate_payload(cert)
    place_org = ", ".join(p for p in (position, organisation) if p)
    return {
        "superior_body": head.superior_body, "centre_name": head.centre_name, "place_name": head.place_name,
        "director_title": head.director_title, "director_name": head.director_name, **_heading(head),
        "document_title": DOCUMENT_TITLES.get(cert.register.kind, ""),
        "full_name": cert.full_name, "birth_date": cert.birth_date_text, "place_of_birth": cert.place_of_birth or "",
        "gender": text.gender_label(cert.gender) if cert.gender in text.GENDER_LABELS else "",
        "ethnicity": cert.ethnicity or "", "position": position or "", "organisation": organisation or "",
        "position_organisation": place_org, "programme_name": programme_name, "class_code": cls.code,
        "class_name": cls.name, "start_date": text.format_date(cls.start_date), "end_date": text.format_date(cls.end_date),
        "mode": mode_label(cls.mode), "venue": cls.venue or "", "at_venue": f", tại {cls.venue}" if cls.venue else "",
        "classification": cert.classification or "",
        "average": text.format_decimal(result.average, 1) if result is not None and result.average is not None else "",
        "decision_number": (result.decision_number or "") if result is not None else "",
        "issue_date": text.format_date(issued), "issue_day": f"{issued.day:02d}",
        "issue_month": f"{issued.month:02d}" if issued.month < 3 else str(issued.month),
        "issue_year": str(issued.year), "place_date": text.long_date(head.place_name, issued),
        "serial": cert.serial, "register_number": cert.register_number, "verification_code": short,
        "qr": signing.qr_text(payload, cert.verification_code) if short else "",
    }


def load_layouts(session: Session) -> dict[str, layouts.Layout]:
    return layouts.merge_layouts(layouts.bundled_layouts(), settings.get_setting(session, "certificate_layouts") or {})


@operation("certificates.save_layout", permission="edit_catalogue")
def save_layout(session: Session, layout: layouts.Layout) -> layouts.Layout:
    """Keep the centre's version of a layout in the database (version + 1), for every PC."""
    stored = dict(settings.get_setting(session, "certificate_layouts") or {})
    current = load_layouts(session).get(layout.id)
    saved = layout.copy()
    saved.version = max(layout.version, current.version if current else 0) + 1
    checked = layouts.layout_from_json(saved.to_json())  # refuses what would not load again
    stored[layout.id] = checked.to_json()
    settings.set_settings(session, certificate_layouts=stored)
    audit.record(session, action="layout.save", entity="layout", entity_id=layout.id, new=checked.version)
    return checked


@operation("certificates.reset_layout", permission="edit_catalogue")
def reset_layout(session: Session, layout_id: str) -> None:
    """Go back to the layout shipped with the program."""
    stored = dict(settings.get_setting(session, "certificate_layouts") or {})
    if stored.pop(layout_id, None) is not None:
        settings.set_settings(session, certificate_layouts=stored)
        audit.record(session, action="layout.reset", entity="layout", entity_id=layout_id)


def layout_for_class(session: Session, cls: TrainingClass) -> layouts.Layout:
    chosen = settings.get_setting(session, "certificate_layout_by_programme") or {}
    return layouts.choose_layout(load_layouts(session), cls.programme.document_kind, cls.programme.code, chosen)


def calibration(session: Session, printer: str | None = None) -> layouts.Calibration:
    return layouts.calibration_for(settings.get_settings(session), printer)


@dataclass(frozen=True)
class PrintJob:
    """What a class's print needs, read in one go: pages are made from it without the database."""

    class_code: str
    layout: layouts.Layout
    documents: list[tuple[int, dict[str, str]]]  # (certificate id, values)

    def pages(self, cal: layouts.Calibration | None = None) -> list[layouts.Page]:
        cache: layouts.OpsCache = {}
        return [layouts.page_ops(self.layout, values, cal, cache) for _id, values in self.documents]

    @property
    def certificate_ids(self) -> list[int]:
        return [cid for cid, _v in self.documents]


def print_job(session: Session, class_code: str, serials: Sequence[str] | None = None) -> PrintJob:
    """The live documents of a class (or those of `serials`), in register order."""
    cls = get_class(session, class_code)
    stmt = (select(Certificate).join(Enrolment, Certificate.enrolment_id == Enrolment.id)
            .where(Enrolment.class_id == cls.id, Certificate.status == LIVE)
            .options(joinedload(Certificate.register),
                     joinedload(Certificate.enrolment).selectinload(Enrolment.organisation),
                     joinedload(Certificate.enrolment).selectinload(Enrolment.learner).selectinload(Learner.organisation))
            .order_by(Certificate.register_id, Certificate.sequence))
    if serials is not None:
        stmt = stmt.where(Certificate.serial.in_([_clean_serial(s) for s in serials]))
    certs = list(session.scalars(stmt).unique())
    if not certs:
        raise InputError(tr("certificates", "Lớp {code} chưa có văn bằng nào đang có hiệu lực để in: cấp văn bằng "
                                            "trước (dtbd certificates issue {code}).").format(code=cls.code))
    results = {r.enrolment_id: r for r in session.scalars(select(GraduationResult).where(
        GraduationResult.enrolment_id.in_([c.enrolment_id for c in certs])))}
    head = load_letterhead(session)
    programme_name = cls.programme.name
    documents = []
    for cert in certs:
        e = cert.enrolment
        org = e.organisation or e.learner.organisation
        documents.append((cert.id, document_values(
            cert, head, programme_name=programme_name, cls=cls, result=results.get(e.id),
            organisation=org.name if org is not None else None, position=e.position or e.learner.position)))
    return PrintJob(cls.code, layout_for_class(session, cls), documents)


@operation("certificates.record_prints", permission="issue_certificates")
def record_prints(session: Session, certificate_ids: Sequence[int]) -> int:
    """Count one more print of each document (the first is a print, the next ones reprints)."""
    count = 0
    for start in range(0, len(certificate_ids), 500):
        chunk = list(certificate_ids[start:start + 500])
        for cert in session.scalars(select(Certificate).where(Certificate.id.in_(chunk)).order_by(Certificate.id)):
            cert.print_count += 1
            audit.record(session, action="certificate.print" if cert.print_count == 1 else "certificate.reprint",
                         entity="certificate", entity_id=cert.serial, field="print_count",
                         old=cert.print_count - 1, new=cert.print_count)
            count += 1
    session.flush()
    return count


@dataclass(frozen=True)
class PrintResult:
    path: Path
    pages: int


@operation("certificates.print", permission="issue_certificates")
def print_class(session: Session, class_code: str, out: str | Path, *, printer: str | None = None,
                with_blank: bool = False, count: bool = True, serials: Sequence[str] | None = None,
                progress: Progress | None = None) -> PrintResult:
    """The class's documents, one per page, to one PDF at 100% scale with the printer's
    calibration; counts a (re)print of each unless `count` is false (a proof)."""
    from dtbd_desktop.printing import certificate_pdf

    job = print_job(session, class_code, serials)
    cal = calibration(session, printer)
    background = job.layout.background_path() if with_blank else None
    head = load_letterhead(session)
    pages = certificate_pdf.write_pdf(
        out, job.pages(cal), title=f"{kind_label(job.layout.document_kind)} – {job.class_code}",
        author=head.centre_name, background=background, progress=progress)
    if count and not with_blank:
        record_prints(session, job.certificate_ids)
    return PrintResult(Path(out), pages)


# ---------------------------------------------------------------------------------- register


@dataclass(frozen=True)
class RegisterLine:
    """One line of the register (sổ gốc), in the columns of DOMAIN.md."""

    number: int  # STT
    full_name: str
    birth_text: str
    place_of_birth: str
    gender: str
    ethnicity: str
    classification: str
    serial: str
    register_number: str
    issue_date: dt.date
    note: str
    status: str


@dataclass(frozen=True)
class AppendixLine:
    """One line of the appendix (phụ lục sổ gốc): a reissue linking old and new numbers, or a revocation."""

    number: int
    full_name: str
    old_serial: str
    old_register_number: str
    new_serial: str
    new_register_number: str
    date: dt.date | None
    action: str  # "reissue" | "revoke"
    reason: str


@dataclass(frozen=True)
class RegisterSection:
    kind: str
    year: int
    name: str
    lines: list[RegisterLine]
    appendix: list[AppendixLine]


def _line_note(cert: Certificate) -> str:
    parts = [tr("certificates", "Lớp {code}").format(code=cert.enrolment.training_class.code)]
    if cert.note:
        parts.append(cert.note)
    return ". ".join(parts)


def register_sections(session: Session, year: int, kind: str | None = None) -> list[RegisterSection]:
    """The registers of a year (one per document kind that has one), each with its appendix."""
    stmt = select(Register).where(Register.year == year).order_by(Register.kind.desc())
    if kind is not None:
        stmt = stmt.where(Register.kind == kind)
    sections = []
    for register in session.scalars(stmt):
        certs = list(session.scalars(
            select(Certificate).where(Certificate.register_id == register.id).order_by(Certificate.sequence)
            .options(joinedload(Certificate.replaces),
                     joinedload(Certificate.enrolment).joinedload(Enrolment.training_class))).unique())
        lines = [RegisterLine(
            number=i, full_name=c.full_name, birth_text=c.birth_date_text, place_of_birth=c.place_of_birth or "",
            gender=text.gender_label(c.gender) if c.gender in text.GENDER_LABELS else "",
            ethnicity=c.ethnicity or "", classification=c.classification or "", serial=c.serial,
            register_number=c.register_number, issue_date=c.issue_date, note=_line_note(c), status=c.status)
            for i, c in enumerate(certs, start=1)]
        appendix: list[AppendixLine] = []
        for c in certs:
            if c.replaces is not None:
                old = c.replaces
                appendix.append(AppendixLine(len(appendix) + 1, c.full_name, old.serial, old.register_number,
                                             c.serial, c.register_number, c.issue_date, "reissue", c.reason or ""))
        for c in certs:
            if c.status == "revoked":
                appendix.append(AppendixLine(len(appendix) + 1, c.full_name, c.serial, c.register_number, "", "",
                                             _revoked_on(c), "revoke", c.reason or ""))
        sections.append(RegisterSection(register.kind, register.year, register.name, lines, appendix))
    return sections


def _revoked_on(cert: Certificate) -> dt.date | None:
    from sqlalchemy.orm import object_session

    from dtbd_desktop.db.models import AuditEntry

    session = object_session(cert)
    if session is None:
        return None
    at = session.scalar(select(AuditEntry.at).where(AuditEntry.action == "certificate.revoke",
                                                    AuditEntry.entity_id == cert.serial)
                        .order_by(AuditEntry.id.desc()).limit(1))
    return at.date() if at is not None else None


def register_years(session: Session) -> list[int]:
    return sorted({y for y in session.scalars(select(Register.year))}, reverse=True)


def list_certificates(session: Session, year: int | None = None, kind: str | None = None,
                      search: str | None = None, limit: int = 2000) -> list[CertificateRow]:
    """Register lines for the register screen, newest first, filtered by year, kind and name or number."""
    stmt = _certificate_query().join(Register, Certificate.register_id == Register.id)
    if year is not None:
        stmt = stmt.where(Register.year == year)
    if kind is not None:
        stmt = stmt.where(Register.kind == kind)
    if search:
        folded = text.fold(search)
        raw = _clean_serial(search)
        stmt = stmt.join(Enrolment, Certificate.enrolment_id == Enrolment.id).join(
            Learner, Enrolment.learner_id == Learner.id).where(
            Learner.search_key.contains(folded) | Certificate.serial.contains(raw)
            | Certificate.register_number.contains(raw))
    stmt = stmt.order_by(Register.year.desc(), Register.kind, Certificate.sequence.desc()).limit(limit)
    return [to_row(c) for c in session.scalars(stmt).unique()]


def registers(session: Session) -> list[dict[str, Any]]:
    return [numbering.describe_register(r) for r in session.scalars(
        select(Register).order_by(Register.year.desc(), Register.kind))]


def programme_layouts(session: Session) -> dict[str, str]:
    return dict(settings.get_setting(session, "certificate_layout_by_programme") or {})


@operation("certificates.set_programme_layout", permission="edit_catalogue")
def set_programme_layout(session: Session, programme_code: str, layout_id: str | None) -> None:
    chosen = programme_layouts(session)
    programme = session.scalar(select(Programme).where(Programme.code == programme_code))
    if programme is None:
        raise NotFoundError(tr("certificates", "Không có chương trình '{code}'.").format(code=programme_code))
    if layout_id:
        available = load_layouts(session)
        if layout_id not in available or available[layout_id].document_kind != programme.document_kind:
            raise InputError(tr("certificates", "Mẫu in '{id}' không dùng được cho chương trình {code}.").format(
                id=layout_id, code=programme_code))
        chosen[programme_code] = layout_id
    else:
        chosen.pop(programme_code, None)
    settings.set_settings(session, certificate_layout_by_programme=chosen)


def certificate_detail(session: Session, serial: str) -> CertificateRow:
    return to_row(get_by_serial(session, serial))




@operation("certificates.save_calibration", permission="edit_catalogue")
def save_calibration(session: Session, cal: layouts.Calibration, printer: str | None = None) -> None:
    """Keep a printer's calibration (or the centre's default when `printer` is None)."""
    checked = layouts.calibration_from_setting(cal.as_setting())
    if printer:
        per_printer = dict(settings.get_setting(session, "printer_calibrations") or {})
        per_printer[printer] = checked.as_setting()
        settings.set_settings(session, printer_calibrations=per_printer)
    else:
        settings.set_settings(session, printer_calibration=checked.as_setting())
    audit.record(session, action="printer.calibrate", entity="printer", entity_id=printer or "*",
                 new=checked.as_setting())


__all__ = [
    "AppendixLine", "CertificateRow", "ClassDocuments", "ClassLine", "PrintJob", "PrintResult", "RegisterLine",
    "RegisterSection", "Verification", "class_documents", "issue_for_class", "print_class", "print_job",
    "record_prints", "register_sections", "reissue", "revoke", "save_calibration", "verify",
]
