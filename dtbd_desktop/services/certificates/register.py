"""The registers (sổ gốc) of a year, one per kind of document (document kind and level), each with
its appendix (reissues and revocations), and the register lines the register screen lists.

A line holds what Thông tư 21/2019/TT-BGDĐT and the Academy's rules ask of a register: the
person (frozen when the document was issued), the course (the class and its years) and the mode
of training, the classification, the serial and register number, the issue date, and the number
and date of the decision on graduation (or on the certificates) that the document rests on.
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
    class_code: str = ""
    course: str = ""  # khóa học: "2026", "2025 - 2027"
    mode: str = ""  # hình thức đào tạo: "Tập trung", "Không tập trung"
    decision_number: str = ""
    decision_date: dt.date | None = None


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
    level: str | None = None  # None: a combined register of the first builds (closed when split)
    opened_on: dt.date | None = None
    closed_on: dt.date | None = None

    @property
    def combined(self) -> bool:
        return self.level is None and self.kind == "diploma"

    def count(self, status: str) -> int:
        return sum(1 for line in self.lines if line.status == status)


def _line_note(cert: Certificate, replaced_by: dict[int, str]) -> str:
    """A short note: what happened to the document (the appendix says when and why)."""
    if cert.status == "revoked":
        return tr("certificates", "Đã thu hồi (phụ lục)")
    if cert.status == "replaced":
        new = replaced_by.get(cert.id)
        return tr("certificates", "Đã cấp lại số hiệu mới {serial} (phụ lục)").format(serial=new) if new else \
            tr("certificates", "Đã cấp lại (phụ lục)")
    if cert.replaces is not None:
        return tr("certificates", "Cấp lại thay số hiệu {serial}").format(serial=cert.replaces.serial)
    return ""


def _mode_label(mode: str) -> str:
    return tr("certificates", "Tập trung") if mode == "full-time" else tr("certificates", "Không tập trung")


def _course(start: dt.date, end: dt.date) -> str:
    return str(start.year) if start.year == end.year else f"{start.year} - {end.year}"


def register_sections(session: Session, year: int, kind: str | None = None,
                      level: str | None = None) -> list[RegisterSection]:
    """The registers of a year (one per kind of document that has one: diplomas of each level,
    then certificates), each with its appendix."""
    from dtbd_desktop.db.models import GraduationResult

    stmt = select(Register).where(Register.year == year)
    if kind is not None:
        stmt = stmt.where(Register.kind == kind)
    if level is not None:
        stmt = stmt.where(Register.level == level)
    order = {"so_cap": 0, "trung_cap": 1, "cao_cap": 2, "fostering": 3}
    found = sorted(session.scalars(stmt), key=lambda r: (r.kind != "diploma", r.level is not None,
                                                         order.get(r.level or "", 9), r.id))
    sections = []
    for register in found:
        certs = list(session.scalars(
            select(Certificate).where(Certificate.register_id == register.id).order_by(Certificate.sequence)
            .options(joinedload(Certificate.replaces),
                     joinedload(Certificate.enrolment).joinedload(Enrolment.training_class))).unique())
        decisions = dict(((e, (n, d)) for e, n, d in session.execute(
            select(GraduationResult.enrolment_id, GraduationResult.decision_number, GraduationResult.decision_date)
            .where(GraduationResult.enrolment_id.in_([c.enrolment_id for c in certs]))))) if certs else {}
        replaced_by = {int(old): new for old, new in session.execute(
            select(Certificate.replaces_id, Certificate.serial).where(
                Certificate.replaces_id.in_([c.id for c in certs if c.status == "replaced"]))) if old is not None}
        lines = []
        for i, c in enumerate(certs, start=1):
            cls = c.enrolment.training_class
            number, date = decisions.get(c.enrolment_id, (None, None))
            lines.append(RegisterLine(
                number=i, full_name=c.full_name, birth_text=c.birth_date_text, place_of_birth=c.place_of_birth or "",
                gender=text.gender_label(c.gender) if c.gender in text.GENDER_LABELS else "",
                ethnicity=c.ethnicity or "", classification=c.classification or "", serial=c.serial,
                register_number=c.register_number, issue_date=c.issue_date, note=_line_note(c, replaced_by), status=c.status,
                class_code=cls.code, course=_course(cls.start_date, cls.end_date), mode=_mode_label(cls.mode),
                decision_number=number or "", decision_date=date))
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
        sections.append(RegisterSection(register.kind, register.year, register.name, lines, appendix,
                                        level=register.level, opened_on=register.opened_on,
                                        closed_on=register.closed_on))
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
    stmt = stmt.order_by(Register.year.desc(), Register.kind, Register.level, Certificate.sequence.desc()).limit(limit)
    return [to_row(c) for c in session.scalars(stmt).unique()]


def registers(session: Session) -> list[dict[str, Any]]:
    return [numbering.describe_register(r) for r in session.scalars(
        select(Register).order_by(Register.year.desc(), Register.kind, Register.level))]
