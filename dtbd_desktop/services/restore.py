"""What a restore must never lose: register lines and their numbers, revocations, enrolled keys.

A backup is older than the database it replaces. Documents issued, revoked or reissued since the
backup exist on paper in people's hands, so the restored database must still hold their register
lines, or a number would be handed out twice and a revoked document would verify as valid. So a
restore (see `dtbd_desktop.services.backup.restore`) reads these from the current database first
(`read_carry`), and `finish_restore`, an operation run in the restored copy by an administrator of
it, carries them over, raises every register's counter to where it was, and records the restore in
the audit log. When a line cannot be carried (its enrolment is not in the backup), the restore is
refused with the list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from dtbd_desktop.base.errors import InputError, Problem
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import Certificate, Enrolment, Register, SigningKey
from dtbd_desktop.trust import audit, protected
from dtbd_desktop.trust.operations import operation

_LATER = {"issued": 0, "revoked": 1, "replaced": 1}


@dataclass(frozen=True)
class CarriedLine:
    kind: str
    year: int
    serial: str
    register_number: str
    sequence: int
    enrolment_id: int
    learner_id: int
    issue_date: dt.date
    status: str
    replaces_serial: str | None
    reason: str | None
    note: str | None
    full_name: str
    birth_date_text: str
    place_of_birth: str | None
    gender: str
    ethnicity: str | None
    classification: str | None
    verification_code: str
    print_count: int
    course: str | None = None  # signed with the line since the verification page


@dataclass(frozen=True)
class CarriedRegister:
    kind: str
    year: int
    name: str
    serial_pattern: str
    register_pattern: str
    last_number: int


@dataclass(frozen=True)
class CarriedKey:
    key_id: str
    public_key: str
    label: str | None
    enrolled_by: str | None
    active: bool


@dataclass
class Carry:
    """The current database's register, counters and keys, read before it is replaced."""

    lines: list[CarriedLine] = field(default_factory=list)
    registers: list[CarriedRegister] = field(default_factory=list)
    keys: list[CarriedKey] = field(default_factory=list)
    head: tuple[int, str] = (0, audit.GENESIS)


def read_carry(session: Session) -> Carry:
    carry = Carry(head=audit.head(session))
    for r in session.scalars(select(Register).order_by(Register.id)):
        carry.registers.append(CarriedRegister(r.kind, r.year, r.name, r.serial_pattern, r.register_pattern,
                                               r.last_number))
    for c in session.scalars(select(Certificate).options(joinedload(Certificate.register),
                                                         joinedload(Certificate.replaces),
                                                         joinedload(Certificate.enrolment))
                             .order_by(Certificate.id)).unique():
        carry.lines.append(CarriedLine(
            c.register.kind, c.register.year, c.serial, c.register_number, c.sequence, c.enrolment_id,
            c.enrolment.learner_id, c.issue_date, c.status, c.replaces.serial if c.replaces else None, c.reason,
            c.note, c.full_name, c.birth_date_text, c.place_of_birth, c.gender, c.ethnicity, c.classification,
            c.verification_code, c.print_count, c.course))
    for k in session.scalars(select(SigningKey).order_by(SigningKey.id)):
        carry.keys.append(CarriedKey(k.key_id, k.public_key, k.label, k.enrolled_by, k.active))
    return carry


@dataclass(frozen=True)
class RestoreSummary:
    carried_lines: int
    carried_statuses: int
    carried_keys: int
    head: tuple[int, str]


@operation("backup.restore", permission="restore")
def finish_restore(session: Session, *, carry: Carry, source_name: str, source_digest: str,
                   override_reason: str | None = None, problems: list[str] | None = None) -> RestoreSummary:
    """In the restored copy: carry over what `carry` holds and the copy lacks, then record the
    restore (file, its SHA-256, the replaced log's end, the override and its reason)."""
    keys = _carry_keys(session, carry)
    registers = _carry_registers(session, carry)
    lines, statuses, refused = _carry_lines(session, carry, registers)
    if refused:
        raise InputError(tr("restore", "Không phục hồi: bản sao lưu thiếu {n} văn bằng đã cấp sau khi sao lưu mà không "
                                       "chuyển sang được (học viên hoặc lớp của chúng không có trong bản sao lưu). "
                                       "Hãy dùng bản sao lưu mới hơn.").format(n=len(refused)),
                         [Problem(tr("restore", "Số hiệu {serial} ({name}, sổ {kind} năm {year})").format(
                             serial=line.serial, name=line.full_name, kind=line.kind, year=line.year))
                          for line in refused])
    audit.record(session, action="backup.restore", entity="database", entity_id=None,
                 new={"file": source_name, "sha256": source_digest, "replaced_head": list(carry.head),
                      "carried_lines": lines, "carried_statuses": statuses, "carried_keys": keys,
                      "problems": (problems or [])[:20]},
                 reason=override_reason)
    return RestoreSummary(lines, statuses, keys, audit.head(session))


def _carry_keys(session: Session, carry: Carry) -> int:
    have = {k.key_id: k for k in session.scalars(select(SigningKey))}
    n = 0
    for key in carry.keys:
        row = have.get(key.key_id)
        if row is None:
            row = SigningKey(key_id=key.key_id, public_key=key.public_key, label=key.label,
                             enrolled_by=key.enrolled_by, active=key.active)
            session.add(row)
        elif row.active and not key.active:
            row.active = False  # retired after the backup: stays retired
        else:
            continue
        session.flush()
        audit.record(session, action="signing_key.carried", entity="signing_key", entity_id=row.key_id,
                     state=protected.key_state(row))
        n += 1
    return n


def _carry_registers(session: Session, carry: Carry) -> dict[tuple[str, int], Register]:
    registers = {(r.kind, r.year): r for r in session.scalars(select(Register))}
    for r in carry.registers:
        row = registers.get((r.kind, r.year))
        if row is None:
            row = Register(kind=r.kind, year=r.year, name=r.name, serial_pattern=r.serial_pattern,
                           register_pattern=r.register_pattern, last_number=r.last_number)
            session.add(row)
            registers[(r.kind, r.year)] = row
        elif row.last_number < r.last_number:
            row.last_number = r.last_number  # numbers given out after the backup are never given again
    session.flush()
    return registers


def _carry_lines(session: Session, carry: Carry, registers: dict[tuple[str, int], Register]
                 ) -> tuple[int, int, list[CarriedLine]]:
    existing = {(c.register.kind, c.register.year, c.serial): c for c in session.scalars(
        select(Certificate).options(joinedload(Certificate.register))).unique()}
    sequences = {(c.register_id, c.sequence) for c in existing.values()}
    enrolments = {e.id: e.learner_id for e in session.scalars(select(Enrolment))}
    lines = statuses = 0
    refused: list[CarriedLine] = []
    for line in carry.lines:
        have = existing.get((line.kind, line.year, line.serial))
        if have is not None:
            if _LATER.get(line.status, 0) > _LATER.get(have.status, 0):
                have.status, have.reason, have.note = line.status, line.reason, line.note
                session.flush()
                audit.record(session, action="certificate.carried", entity="certificate", entity_id=have.serial,
                             field="status", new=line.status, state=protected.certificate_state(have))
                statuses += 1
            continue
        register = registers[(line.kind, line.year)]
        if enrolments.get(line.enrolment_id) != line.learner_id or (register.id, line.sequence) in sequences:
            refused.append(line)
            continue
        replaces = existing.get((line.kind, line.year, line.replaces_serial)) if line.replaces_serial else None
        if line.replaces_serial and replaces is None:
            replaces = next((c for (_k, _y, s), c in existing.items() if s == line.replaces_serial), None)
        cert = Certificate(
            register=register, enrolment_id=line.enrolment_id, sequence=line.sequence, serial=line.serial,
            register_number=line.register_number, issue_date=line.issue_date, status=line.status,
            replaces=replaces, reason=line.reason, note=line.note, full_name=line.full_name,
            birth_date_text=line.birth_date_text, place_of_birth=line.place_of_birth, gender=line.gender,
            ethnicity=line.ethnicity, classification=line.classification, course=line.course,
            verification_code=line.verification_code, print_count=line.print_count)
        session.add(cert)
        session.flush()
        existing[(line.kind, line.year, line.serial)] = cert
        sequences.add((register.id, line.sequence))
        audit.record(session, action="certificate.carried", entity="certificate", entity_id=cert.serial,
                     new={"register_number": cert.register_number, "full_name": cert.full_name},
                     state=protected.certificate_state(cert))
        lines += 1
    return lines, statuses, refused


def describe(summary: RestoreSummary) -> dict[str, Any]:
    return {"carried_lines": summary.carried_lines, "carried_statuses": summary.carried_statuses,
            "carried_keys": summary.carried_keys}
