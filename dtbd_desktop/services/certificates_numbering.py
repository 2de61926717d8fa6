"""Registers (sổ gốc) and gap-free numbering of issued documents.

Numbers come from a counter row per register and year, taken under a row lock
(SELECT ... FOR UPDATE on PostgreSQL; SQLite writers are serialised by BEGIN IMMEDIATE),
inside the caller's transaction: a failed batch rolls the counter back too, so no number
is ever skipped or reused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop import signing, text
from dtbd_desktop.db.models import Certificate, Enrolment, Register
from dtbd_desktop.services import settings

DEFAULT_PATTERNS = {
    "diploma": ("{n:06d}", "{n:04d}/{year}/TN"),
    "certificate": ("{n:04d}/GCN-{year}", "{n:04d}/{year}/CN"),
}
REGISTER_NAMES = {"diploma": "Sổ gốc cấp bằng tốt nghiệp", "certificate": "Sổ gốc cấp giấy chứng nhận"}


def get_register(session: Session, kind: str, year: int) -> Register:
    """The register for a kind and year, created with the default patterns; locked for numbering."""
    stmt = select(Register).where(Register.kind == kind, Register.year == year).with_for_update()
    register = session.scalar(stmt)
    if register is None:
        serial, number = DEFAULT_PATTERNS[kind]
        register = Register(kind=kind, year=year, name=f"{REGISTER_NAMES[kind]} năm {year}",
                            serial_pattern=serial, register_pattern=number, last_number=0)
        session.add(register)
        session.flush()
    return register


def signed_payload(serial: str, full_name: str, birth: str, issue_date: dt.date, classification: str | None) -> str:
    return "|".join([serial, text.nfc(full_name), birth, issue_date.isoformat(), classification or ""])


def issue_many(
    session: Session,
    kind: str,
    issue_date: dt.date,
    items: Sequence[tuple[Enrolment, str | None]],
) -> list[Certificate]:
    """Number and register one document per (enrolment, classification), in the given order."""
    if not items:
        return []
    register = get_register(session, kind, issue_date.year)
    key = signing.load_or_create_key()
    public = signing.public_key_text(key)
    known = settings.get_setting(session, "signing_public_keys") or []
    if public not in known:
        settings.set_settings(session, signing_public_keys=[*known, public])
    issued = []
    for enrolment, classification in items:
        register.last_number += 1
        n = register.last_number
        serial = register.serial_pattern.format(n=n, year=register.year)
        learner = enrolment.learner
        birth = text.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
        cert = Certificate(
            register=register, enrolment=enrolment, sequence=n, serial=serial,
            register_number=register.register_pattern.format(n=n, year=register.year), issue_date=issue_date,
            full_name=learner.full_name, birth_date_text=birth, place_of_birth=learner.place_of_birth,
            gender=learner.gender, ethnicity=learner.ethnicity, classification=classification,
            verification_code=signing.sign(key, signed_payload(serial, learner.full_name, birth, issue_date,
                                                               classification)),
        )
        session.add(cert)
        issued.append(cert)
    session.flush()
    return issued
