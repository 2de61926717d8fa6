"""Registers (sổ gốc) and gap-free numbering of issued documents.

One register and one number series per kind of document and year: a kind of document is the
document kind and the programme's level (the diplomas of Sơ cấp, of Trung cấp and of Cao cấp are
three documents; every certificate of completion is one). Numbers come from a counter row per
register, taken inside the caller's transaction, so a failed batch rolls the counter back with
everything else: no number is ever skipped or reused. A closed register (khóa sổ) numbers
nothing more; the registers of the first builds that held the diplomas of several levels were
closed when the registers were split (migration 0003), their lines and numbers kept.

Concurrency (two PCs on one PostgreSQL server): every transaction that numbers documents first
takes one transaction-scoped advisory lock (`pg_advisory_xact_lock`), then the register row
`FOR UPDATE`. The advisory lock also covers what a row lock cannot: creating a register that
does not exist yet, recording a new PC's public key in the settings, and working out who still
needs a document (so two PCs issuing the same class do not both issue to the same learner).
On SQLite, writers are serialised by `BEGIN IMMEDIATE` (see `db.engine`).

Patterns: Python format strings with the fields `n` (the number in the register) and `year`,
e.g. "{n:04d}/GCN-{year}", "{n:03d}/GCN-TTCT", "A {n:06d}". A serial pattern without
`{year}` numbers on from the previous year's register, so its serials stay unique.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Sequence
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from dtbd_desktop.base import text as vtext
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import DOCUMENT_KINDS, PROGRAMME_LEVELS, Certificate, Enrolment, Register
from dtbd_desktop.trust import audit, signing
from dtbd_desktop.trust.operations import operation

#: Serial and register-number patterns of a new register, by kind and level: distinct for each
#: register, so that no two registers can give the same serial.
DEFAULT_PATTERNS = {
    ("diploma", "so_cap"): ("{n:04d}/SC-{year}", "{n:04d}/{year}/SC"),
    ("diploma", "trung_cap"): ("{n:04d}/TC-{year}", "{n:04d}/{year}/TC"),
    ("diploma", "cao_cap"): ("{n:04d}/CC-{year}", "{n:04d}/{year}/CC"),
    ("diploma", "fostering"): ("{n:04d}/BTN-{year}", "{n:04d}/{year}/TN"),
    ("certificate", "fostering"): ("{n:04d}/GCN-{year}", "{n:04d}/{year}/CN"),
    ("certificate", "so_cap"): ("{n:04d}/GCN-SC-{year}", "{n:04d}/{year}/CN-SC"),
    ("certificate", "trung_cap"): ("{n:04d}/GCN-TC-{year}", "{n:04d}/{year}/CN-TC"),
    ("certificate", "cao_cap"): ("{n:04d}/GCN-CC-{year}", "{n:04d}/{year}/CN-CC"),
}
REGISTER_NAMES = {"diploma": "Sổ gốc cấp bằng tốt nghiệp", "certificate": "Sổ gốc cấp giấy chứng nhận"}
#: What the register of each level is of, after its kind's name.
LEVEL_WORDS = {
    ("diploma", "so_cap"): "sơ cấp lý luận chính trị",
    ("diploma", "trung_cap"): "trung cấp lý luận chính trị - hành chính",
    ("diploma", "cao_cap"): "cao cấp lý luận chính trị",
    ("certificate", "fostering"): "hoàn thành khóa bồi dưỡng",
    ("certificate", "so_cap"): "sơ cấp lý luận chính trị",
    ("certificate", "trung_cap"): "trung cấp lý luận chính trị - hành chính",
    ("certificate", "cao_cap"): "cao cấp lý luận chính trị",
}
KIND_LABELS = {"diploma": "Bằng tốt nghiệp", "certificate": "Giấy chứng nhận"}
NUMBERING_LOCK = 0x44544244_01  # "DTBD" + 1: the advisory lock all numbering takes
PATTERN_FIELDS = ("n", "year")

Progress = Callable[[int, int, str], None]


def lock_numbering(session: Session) -> None:
    """Serialise numbering across PCs for the rest of this transaction (PostgreSQL). The audit log's
    lock comes first, always, so that no two transactions take the two locks in opposite orders."""
    audit.lock(session)
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBERING_LOCK})


def check_pattern(pattern: str, label: str) -> str:
    """The pattern as NFC text, or InputError saying what is wrong with it."""
    value = vtext.nfc(pattern or "").strip()
    problem = None
    try:
        fields = [name for _lit, name, _spec, _conv in string.Formatter().parse(value) if name is not None]
    except ValueError:
        fields, problem = [], tr("certificates", "dấu ngoặc { } không khớp")
    if problem is None:
        unknown = [f for f in fields if f not in PATTERN_FIELDS]
        if unknown:
            problem = tr("certificates", "chỉ dùng được {{n}} và {{year}} (không có '{field}')").format(field=unknown[0])
        elif "n" not in fields:
            problem = tr("certificates", "thiếu {n}, chỗ đặt số thứ tự, ví dụ {n:04d}")
        elif len(value) > 50:
            problem = tr("certificates", "dài quá 50 ký tự")
        else:
            try:
                value.format(n=1, year=2025)
            except (ValueError, TypeError, KeyError, IndexError):
                problem = tr("certificates", "không dùng được, ví dụ đúng: {n:04d}/GCN-{year}")
    if problem:
        raise InputError(tr("certificates", "Mẫu {label} '{pattern}': {problem}.").format(
            label=label, pattern=value, problem=problem))
    return value


def format_number(pattern: str, n: int, year: int) -> str:
    return pattern.format(n=n, year=year)


def has_year(pattern: str) -> bool:
    return any(name == "year" for _lit, name, _spec, _conv in string.Formatter().parse(pattern))


def _check_kind(kind: str) -> None:
    if kind not in DOCUMENT_KINDS:
        raise InputError(tr("certificates", "Loại văn bằng '{kind}' không có (diploma hoặc certificate).").format(kind=kind))


def check_level(kind: str, level: str | None) -> str:
    """The level of a register of `kind` (a certificate's is "fostering" unless said otherwise)."""
    _check_kind(kind)
    if level is None and kind == "certificate":
        return "fostering"
    if level not in PROGRAMME_LEVELS:
        raise InputError(tr("certificates", "Chọn bậc của sổ bằng: {levels}.").format(levels=", ".join(PROGRAMME_LEVELS)))
    return level


def register_name(kind: str, level: str | None, year: int) -> str:
    """"Sổ gốc cấp bằng tốt nghiệp trung cấp lý luận chính trị - hành chính năm 2026"."""
    words = LEVEL_WORDS.get((kind, level or ""))
    base = REGISTER_NAMES[kind] + (f" {words}" if words else "")
    return f"{base} năm {year}"


def find_register(session: Session, kind: str, year: int, level: str | None = None) -> Register | None:
    level = check_level(kind, level)
    return session.scalar(select(Register).where(Register.kind == kind, Register.level == level, Register.year == year))


def get_register(session: Session, kind: str, year: int, level: str | None = None, *,
                 opened_on: dt.date | None = None) -> Register:
    """The register for a kind of document (kind and level) and year, locked for numbering;
    opened (created) when missing, on `opened_on`, with the patterns of the latest earlier
    register of its kind and level (else the defaults)."""
    level = check_level(kind, level)
    lock_numbering(session)
    stmt = (select(Register).where(Register.kind == kind, Register.level == level, Register.year == year)
            .with_for_update().execution_options(populate_existing=True))
    register = session.scalar(stmt)
    if register is None:
        previous = session.scalar(select(Register).where(Register.kind == kind, Register.level == level,
                                                         Register.year < year)
                                  .order_by(Register.year.desc()).limit(1))
        serial, number = ((previous.serial_pattern, previous.register_pattern) if previous
                          else DEFAULT_PATTERNS.get((kind, level), DEFAULT_PATTERNS[(kind, "fostering")]))
        start = previous.last_number if previous is not None and not has_year(serial) else 0
        register = Register(kind=kind, level=level, year=year, name=register_name(kind, level, year),
                            serial_pattern=serial, register_pattern=number, last_number=start,
                            opened_on=opened_on)
        session.add(register)
        session.flush()
    return register


def refuse_closed(register: Register) -> None:
    if register.closed_on is not None:
        raise InputError(tr("certificates", "{name} đã khóa sổ ngày {date}: không vào sổ thêm được.").format(
            name=register.name, date=vtext.format_date(register.closed_on)))


@operation("certificates.set_patterns", permission="issue_certificates")
def set_patterns(session: Session, kind: str, year: int, serial_pattern: str, register_pattern: str, *,
                 level: str | None = None) -> Register:
    """Set a register's patterns; refused once it has numbered a document."""
    serial = check_pattern(serial_pattern, tr("certificates", "số hiệu"))
    number = check_pattern(register_pattern, tr("certificates", "số vào sổ"))
    register = get_register(session, kind, year, level)
    used = session.scalar(select(func.count(Certificate.id)).where(Certificate.register_id == register.id))
    if used:
        raise InputError(tr("certificates", "{name} đã cấp {n} văn bằng: không đổi mẫu số giữa năm được.").format(
            name=register.name, n=used))
    register.serial_pattern, register.register_pattern = serial, number
    session.flush()
    return register


def _used_elsewhere(session: Session, register: Register, serials: Sequence[str]) -> list[str]:
    found: list[str] = []
    for start in range(0, len(serials), 500):
        chunk = list(serials[start:start + 500])
        found.extend(session.scalars(select(Certificate.serial).where(
            Certificate.serial.in_(chunk), Certificate.register_id != register.id)))
    return found


def issue_many(
    session: Session,
    kind: str,
    issue_date: dt.date,
    items: Sequence[tuple[Enrolment, str | None]],
    *,
    level: str | None = None,
    replaces: Sequence[Certificate | None] | None = None,
    progress: Progress | None = None,
    key: Ed25519PrivateKey | None = None,
) -> list[Certificate]:
    """Number and register one document per (enrolment, classification), in the given order,
    signed with `key` (the caller checked it is this PC's enrolled key: `signing_keys.issuing_key`).

    Everything happens in the caller's transaction: if it fails or is cancelled (the progress
    callback may raise), the register's counter goes back with it.
    """
    if not items:
        return []
    if key is None:
        raise ValueError("issue_many needs the enrolled signing key")
    register = get_register(session, kind, issue_date.year, level, opened_on=issue_date)
    refuse_closed(register)
    first = register.last_number + 1
    serials = [format_number(register.serial_pattern, first + i, register.year) for i in range(len(items))]
    clash = _used_elsewhere(session, register, serials)
    if clash:
        raise InputError(tr("certificates", "Số hiệu {serial} đã dùng trong sổ của năm khác. Thêm {{year}} vào mẫu "
                                            "số hiệu '{pattern}' của {name}.").format(
            serial=clash[0], pattern=register.serial_pattern, name=register.name))
    issued: list[Certificate] = []
    total = len(items)
    for index, (enrolment, classification) in enumerate(items):
        if progress is not None and index % 25 == 0:
            progress(index, total, "")
        register.last_number += 1
        n = register.last_number
        serial = format_number(register.serial_pattern, n, register.year)
        learner = enrolment.learner
        birth = vtext.format_date(learner.birth_date) if learner.birth_date else str(learner.birth_year)
        full_name = vtext.nfc(learner.full_name)
        course = signing.course_text(enrolment.training_class.name)
        cert = Certificate(
            register=register, enrolment=enrolment, sequence=n, serial=serial,
            register_number=format_number(register.register_pattern, n, register.year), issue_date=issue_date,
            full_name=full_name, birth_date_text=birth, place_of_birth=learner.place_of_birth,
            gender=learner.gender, ethnicity=learner.ethnicity, classification=classification, course=course,
            verification_code=signing.sign(key, signing.signed_payload(serial, full_name, birth, issue_date,
                                                                        classification, course)),
            replaces=replaces[index] if replaces is not None else None,
        )
        session.add(cert)
        issued.append(cert)
    session.flush()
    if progress is not None:
        progress(total, total, "")
    return issued


@operation("certificates.close_register", permission="issue_certificates")
def close_register(session: Session, kind: str, year: int, on: dt.date, *, level: str | None = None) -> Register:
    """Close a register (khóa sổ) on `on`: its closing line is printed with that date, and nothing
    more is numbered in it (a document of that year issued later goes to a register opened anew
    only by reopening, which the program does not do: close a register when its year is done)."""
    register = get_register(session, kind, year, level)
    refuse_closed(register)
    if on.year < year:
        raise InputError(tr("certificates", "Ngày khóa sổ {date} trước năm của sổ ({year}).").format(
            date=vtext.format_date(on), year=year))
    last_issue = session.scalar(select(func.max(Certificate.issue_date)).where(Certificate.register_id == register.id))
    if last_issue is not None and on < last_issue:
        raise InputError(tr("certificates", "Ngày khóa sổ {date} trước ngày cấp văn bằng cuối cùng trong sổ ({last}).")
                         .format(date=vtext.format_date(on), last=vtext.format_date(last_issue)))
    register.closed_on = on
    session.flush()
    audit.record(session, action="certificates.close_register", entity="register", entity_id=register.id,
                 field="closed_on", old=None, new=on.isoformat())
    return register


def describe_register(register: Register) -> dict[str, Any]:
    return {"kind": register.kind, "level": register.level, "year": register.year, "name": register.name,
            "serial_pattern": register.serial_pattern, "register_pattern": register.register_pattern,
            "last_number": register.last_number,
            "opened_on": register.opened_on.isoformat() if register.opened_on else None,
            "closed_on": register.closed_on.isoformat() if register.closed_on else None}
