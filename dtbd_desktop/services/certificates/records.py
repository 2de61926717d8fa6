"""The certificates as records: their labels, the row the screens and the command line show,
and finding one by serial or short code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import NotFoundError
from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import Certificate, Enrolment
from dtbd_desktop.services import certificates_numbering as numbering
from dtbd_desktop.trust import signing

Progress = Callable[[int, int, str], None]

STATUS_LABELS = {"issued": tr_noop("certificates", "Đã cấp"), "revoked": tr_noop("certificates", "Đã thu hồi"),
                 "replaced": tr_noop("certificates", "Đã cấp lại"), "unknown": tr_noop("certificates", "Không có")}
LIVE = "issued"


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


def certificate_query() -> Any:
    """Certificates with their register, the line they replace, the learner and the class, loaded at once."""
    return select(Certificate).options(
        joinedload(Certificate.register),
        joinedload(Certificate.replaces),
        joinedload(Certificate.enrolment).joinedload(Enrolment.learner),
        joinedload(Certificate.enrolment).joinedload(Enrolment.training_class),
    )


# ---------------------------------------------------------------------------------- find


def clean_serial(serial: str) -> str:
    """A serial as typed, in NFC with single spaces."""
    return " ".join(text.nfc(serial).split())


def find_by_serial(session: Session, serial: str) -> Certificate | None:
    """The document with this serial (the latest, should two registers ever share one)."""
    return session.scalars(certificate_query().where(Certificate.serial == clean_serial(serial))
                           .order_by(Certificate.id.desc())).unique().first()


def get_by_serial(session: Session, serial: str) -> Certificate:
    cert = find_by_serial(session, serial)
    if cert is None:
        raise NotFoundError(tr("certificates", "Không có văn bằng số hiệu '{serial}' trong sổ gốc.").format(
            serial=clean_serial(serial)))
    return cert


def find_by_short_code(session: Session, short: str) -> list[Certificate]:
    """Documents whose stored code starts with this short code (an index range, not a scan)."""
    return list(session.scalars(certificate_query().where(
        Certificate.verification_code >= short + ".", Certificate.verification_code < short + "/")).unique())


def replacement_serial(cert: Certificate) -> str | None:
    """The serial of the document that replaced this one, if any."""
    from sqlalchemy.orm import object_session

    session = object_session(cert)
    if session is None:
        return None
    return session.scalar(select(Certificate.serial).where(Certificate.replaces_id == cert.id)
                          .order_by(Certificate.id.desc()).limit(1))


def certificate_detail(session: Session, serial: str) -> CertificateRow:
    return to_row(get_by_serial(session, serial))
