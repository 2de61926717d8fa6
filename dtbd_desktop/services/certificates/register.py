"""The register (sổ gốc) of a year, by document kind, with its appendix (reissues and
revocations), and the register lines the register screen lists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base import text
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Certificate, Enrolment, Learner, Register
from dtbd_desktop.services import certificates_numbering as numbering
from dtbd_desktop.services.certificates.records import CertificateRow, certificate_query, clean_serial, to_row

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
    stmt = certificate_query().join(Register, Certificate.register_id == Register.id)
    if year is not None:
        stmt = stmt.where(Register.year == year)
    if kind is not None:
        stmt = stmt.where(Register.kind == kind)
    if search:
        folded = text.fold(search)
        raw = clean_serial(search)
        stmt = stmt.join(Enrolment, Certificate.enrolment_id == Enrolment.id).join(
            Learner, Enrolment.learner_id == Learner.id).where(
            Learner.search_key.contains(folded) | Certificate.serial.contains(raw)
            | Certificate.register_number.contains(raw))
    stmt = stmt.order_by(Register.year.desc(), Register.kind, Certificate.sequence.desc()).limit(limit)
    return [to_row(c) for c in session.scalars(stmt).unique()]


def registers(session: Session) -> list[dict[str, Any]]:
    return [numbering.describe_register(r) for r in session.scalars(
        select(Register).order_by(Register.year.desc(), Register.kind))]
