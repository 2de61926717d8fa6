"""Diplomas and certificates: issue, reprint, revoke, reissue, verify, numbering (core).

Other tests/test_certificates_*.py import `make_class` and `run_cli` from here.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select, update

from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Certificate, Enrolment, GraduationResult, Learner, Register
from dtbd_desktop.services import certificates, certificates_numbering, enrolments
from dtbd_desktop.services.classes import create_class
from dtbd_desktop.services.learners import person_keys
from dtbd_desktop.trust import audit, operations, protected, signing
from dtbd_desktop.trust.accounts import Login
from tests.logins import enrol_this_pc

D = dt.date
NAMES = [("Nguyễn", "Văn", "An"), ("Trần", "Thị", "Bích"), ("Lê", "Minh", "Châu"), ("Phạm", "Ngọc", "Dũng"),
         ("Hoàng", "Thị", "Hương"), ("Võ", "Văn", "Khánh"), ("Đặng", "Thị", "Lan"), ("Bùi", "Quốc", "Minh"),
         ("Đỗ", "Thị", "Nga"), ("Huỳnh", "Văn", "Phúc"), ("Ngô", "Thị", "Quyên"), ("Dương", "Văn", "Sơn")]
_counter = {"id": 0}
START, END = dt.date(2025, 3, 3), dt.date(2025, 3, 14)


def make_class(db: Database, code: str, *, programme: str = "DVM", size: int = 6, ineligible: Sequence[int] = (),
               start: dt.date = START, end: dt.date = END, by: Login | None = None) -> list[str]:
    """A finished class of `size` learners, reviewed: all eligible except the positions in
    `ineligible` (the operations run as `by`, an administrator once accounts exist). Returns the
    learners' national IDs in roster order of creation."""
    ids = []
    with db.write(raw=True) as s:
        s.info[operations.LOGIN_KEY] = by
        create_class(s, code=code, programme=programme, start=start, end=end, venue="Hội trường A")
        for i in range(size):
            _counter["id"] += 1
            family, middle, given = NAMES[i % len(NAMES)]
            sort_key, search_key = person_keys(family, middle, given)
            national_id = f"0800{_counter['id']:08d}"
            learner = Learner(family_name=family, middle_name=middle, given_name=given,
                              birth_date=D(1980 + i % 20, 1 + i % 12, 1 + i % 27), birth_year=1980 + i % 20,
                              gender="F" if middle == "Thị" else "M", ethnicity="Kinh", national_id=national_id,
                              place_of_birth="Cần Giuộc, Long An", position="Chuyên viên",
                              sort_key=sort_key, search_key=search_key)
            s.add(learner)
            s.flush()
            enrolment = enrolments.add_learner(s, code, learner.id)
            eligible = i not in ineligible
            s.add(GraduationResult(enrolment_id=enrolment.id, average=Decimal("7.50"),
                                   classification=("Khá" if programme in ("TC", "SC") else "Đạt") if eligible else "Không đạt",
                                   eligible=eligible, reasons=[] if eligible else ["Vắng quá 20% số tiết"]))
            ids.append(national_id)
        # The results stand in for a review (which needs scores): recorded as the upgrade from the
        # first build records what it finds, so that `audit verify` holds on these classes too.
        s.flush()
        audit.record_system(s, action="audit.baseline", username="kiem-thu", entity="database", new=code,
                            state={"graduation_result": protected.snapshot(s, ["graduation_result"])["graduation_result"]})
    enrol_this_pc(db, by)
    return ids


def run_cli(*args: str) -> tuple[int, Any, str]:
    """Run `dtbd ... --json` in-process; returns (exit code, parsed JSON, stderr)."""
    from dtbd_desktop.cli import main as cli_main

    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = cli_main.main([*args, "--json"])
    text_out = out.getvalue()
    return code, json.loads(text_out) if text_out.strip() else None, err.getvalue()


@dataclass(frozen=True)
class Line:
    sequence: int
    serial: str
    print_count: int
    status: str


def _certs(db: Database) -> list[Line]:
    with db.read() as s:
        return [Line(c.sequence, c.serial, c.print_count, c.status)
                for c in s.scalars(select(Certificate).order_by(Certificate.id))]


# ---------------------------------------------------------------------------------- issue


def test_issue_numbers_every_eligible_learner_once_in_one_transaction(db: Database) -> None:
    ids = make_class(db, "DVM1", size=6, ineligible=[2])
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    assert len(rows) == 5
    assert {r.national_id for r in rows} == set(ids) - {ids[2]}
    assert [r.serial for r in rows] == [f"{n:04d}/GCN-2025" for n in range(1, 6)]
    assert [r.register_number for r in rows] == [f"{n:04d}/2025/CN" for n in range(1, 6)]
    names = [r.full_name for r in rows]
    with db.read() as s:
        from dtbd_desktop.services.roster import class_roster

        roster = [r.full_name for r in class_roster(s, "DVM1") if r.full_name in names]
        assert names == roster  # numbered in Vietnamese roster order
        register = s.scalar(select(Register))
        assert (register.kind, register.year, register.last_number) == ("certificate", 2025, 5)
        assert s.scalar(select(func.count()).where(AuditEntry.action == "certificate.issue")) == 5
    for row in rows:
        assert signing.normalise_short_code(row.verification_code) == row.verification_code

    # Issuing again adds nothing; a learner made eligible later gets the next number.
    with db.write(raw=True) as s:
        assert certificates.issue_for_class(s, "DVM1", D(2025, 3, 21)) == []
        s.execute(update(GraduationResult).values(eligible=True, classification="Đạt"))
    with db.write(raw=True) as s:
        (late,) = certificates.issue_for_class(s, "DVM1", D(2025, 3, 21))
    assert (late.national_id, late.serial) == (ids[2], "0006/GCN-2025")


def test_diplomas_go_to_their_own_register(db: Database) -> None:
    make_class(db, "SC1", programme="SC", size=3, start=D(2025, 3, 3), end=D(2025, 4, 4))
    make_class(db, "DVM1", size=2)
    with db.write(raw=True) as s:
        diplomas = certificates.issue_for_class(s, "SC1", D(2025, 4, 10))
        certs = certificates.issue_for_class(s, "DVM1", D(2025, 4, 10))
    assert [r.serial for r in diplomas] == ["0001/SC-2025", "0002/SC-2025", "0003/SC-2025"]  # the Sơ cấp register
    assert [r.serial for r in certs] == ["0001/GCN-2025", "0002/GCN-2025"]
    assert {r.kind for r in diplomas} == {"diploma"}


def test_issue_is_refused_before_review_or_before_the_class_ends(db: Database) -> None:
    make_class(db, "DVM1", size=2, ineligible=[0, 1])
    with pytest.raises(InputError, match="chưa có học viên nào đủ điều kiện"), db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    make_class(db, "DVM2", size=2)
    with pytest.raises(InputError, match="trước ngày kết thúc lớp"), db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM2", D(2025, 3, 13))
    with pytest.raises(NotFoundError), db.write(raw=True) as s:
        certificates.issue_for_class(s, "NOPE", D(2025, 3, 20))
    assert _certs(db) == []


def test_withdrawn_learners_get_no_document(db: Database) -> None:
    ids = make_class(db, "DVM1", size=3)
    with db.write(raw=True) as s:
        enrolment = s.scalar(select(Enrolment).join(Learner).where(Learner.national_id == ids[1]))
        enrolments.withdraw(s, enrolment.id, "Cơ quan điều động đi công tác")
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    assert ids[1] not in {r.national_id for r in rows} and len(rows) == 2


class Boom(Exception):
    pass


def test_a_failed_batch_leaves_no_gap(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    make_class(db, "DVM1", size=40)
    make_class(db, "DVM2", size=3)

    def progress(done: int, total: int, _message: str) -> None:
        if done >= 25:
            raise Boom("cancelled half way")

    with pytest.raises(Boom), db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20), progress=progress)
    assert _certs(db) == []

    # A failure after the numbers were taken (in the audit log, at the end): rolled back too.
    from dtbd_desktop.trust import audit

    calls = {"n": 0}
    real = audit.record

    def failing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 3:
            raise Boom("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(Boom), db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    monkeypatch.setattr(audit, "record", real)
    with db.read() as s:
        register = s.scalar(select(Register))
        assert register is None or register.last_number == 0
    assert _certs(db) == []

    with db.write(raw=True) as s:
        first = certificates.issue_for_class(s, "DVM2", D(2025, 3, 20))
        second = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    assert [c.sequence for c in _certs(db)] == list(range(1, 44))
    assert first[0].serial == "0001/GCN-2025" and second[-1].serial == "0043/GCN-2025"


# ---------------------------------------------------------------------------------- patterns


def test_patterns_per_register_and_year(db: Database) -> None:
    make_class(db, "DVM1", size=2)
    make_class(db, "DVM2", size=2, start=D(2026, 3, 2), end=D(2026, 3, 13))
    with db.write(raw=True) as s:
        certificates_numbering.set_patterns(s, "certificate", 2025, "A {n:06d}", "{n:03d}/GCN-TTCT")
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    assert [(r.serial, r.register_number) for r in rows] == [("A 000001", "001/GCN-TTCT"), ("A 000002", "002/GCN-TTCT")]
    # The next year's register takes the same patterns; a serial without {year} numbers on.
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM2", D(2026, 3, 20))
    assert [r.serial for r in rows] == ["A 000003", "A 000004"]
    with pytest.raises(InputError, match="không đổi mẫu số giữa năm"), db.write(raw=True) as s:
        certificates_numbering.set_patterns(s, "certificate", 2025, "{n:04d}/X-{year}", "{n}/{year}")


@pytest.mark.parametrize(("pattern", "message"), [
    ("GCN-{year}", "thiếu {n}"), ("{n:04d}/{khoa}", "chỉ dùng được"), ("{n:04d/GCN", "không khớp"),
    ("{n:xyz}", "không dùng được"),
])
def test_bad_patterns_are_explained(sqlite_db: Database, pattern: str, message: str) -> None:
    with pytest.raises(InputError, match=message.replace("{", r"\{").replace("}", r"\}")), sqlite_db.write(raw=True) as s:
        certificates_numbering.set_patterns(s, "certificate", 2025, pattern, "{n}/{year}")


# ---------------------------------------------------------------------------------- print, revoke, reissue


def test_printing_again_is_a_reprint_not_a_new_document(db: Database, tmp_path: Any) -> None:
    make_class(db, "DVM1", size=3)
    with db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    with db.write(raw=True) as s:
        first = certificates.print_class(s, "DVM1", tmp_path / "a.pdf")
    with db.write(raw=True) as s:
        again = certificates.print_class(s, "DVM1", tmp_path / "b.pdf")
    assert first.pages == again.pages == 3
    certs = _certs(db)
    assert len(certs) == 3 and [c.print_count for c in certs] == [2, 2, 2]
    with db.read() as s:
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("certificate.%print"))))
        last_number = s.scalar(select(Register.last_number))
    assert sorted(actions) == ["certificate.print"] * 3 + ["certificate.reprint"] * 3
    assert last_number == 3
    # A proof over the blank's scan is not counted.
    with db.write(raw=True) as s:
        certificates.print_class(s, "DVM1", tmp_path / "proof.pdf", with_blank=True)
    assert [c.print_count for c in _certs(db)] == [2, 2, 2]


def test_revoking_keeps_the_register_line_and_verify_says_revoked(db: Database) -> None:
    make_class(db, "DVM1", size=3)
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    target = rows[1]
    with pytest.raises(InputError, match="lý do"), db.write(raw=True) as s:
        certificates.revoke(s, target.serial, " ")
    with db.write(raw=True) as s:
        revoked = certificates.revoke(s, target.serial, "Cấp nhầm, học viên chưa đủ điều kiện")
    assert revoked.status == "revoked"
    with pytest.raises(InputError, match="đã bị thu hồi"), db.write(raw=True) as s:
        certificates.revoke(s, target.serial, "lần nữa")
    with db.read() as s:
        result = certificates.verify(s, target.verification_code)
        by_serial = certificates.verify(s, target.serial)
        (section,) = certificates.register_sections(s, 2025)
    assert result.as_json() == {"valid": False, "status": "revoked", "full_name": target.full_name,
                                "serial": target.serial}
    assert by_serial.status == "revoked"
    assert [line.serial for line in section.lines] == [r.serial for r in rows]  # the line stays
    line = section.lines[1]
    assert line.status == "revoked" and line.note == "Đã thu hồi (phụ lục)"  # the appendix says when and why
    assert [(a.action, a.old_serial, a.reason) for a in section.appendix] == [
        ("revoke", target.serial, "Cấp nhầm, học viên chưa đủ điều kiện")]
    with pytest.raises(InputError), db.write(raw=True) as s:  # a revoked document is not printed either
        certificates.print_job(s, "DVM1", [target.serial])


def test_reissue_gives_a_new_number_linked_to_the_old_and_an_appendix_line(db: Database) -> None:
    ids = make_class(db, "DVM1", size=3)
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
        learner = s.scalar(select(Learner).where(Learner.national_id == ids[0]))
        learner.family_name = "Nguyễn Phan"  # the birth certificate said so: the name is corrected
    old = next(r for r in rows if r.national_id == ids[0])
    with db.write(raw=True) as s:
        was, new = certificates.reissue(s, old.serial, "Sai họ tên", D(2025, 4, 2))
    assert (was.serial, was.status) == (old.serial, "replaced")
    assert new.serial == "0004/GCN-2025" and new.register_number == "0004/2025/CN"
    assert new.replaces_serial == old.serial and new.full_name.startswith("Nguyễn Phan")
    assert new.verification_code != old.verification_code
    with pytest.raises(InputError, match="đã được cấp lại bằng số hiệu 0004/GCN-2025"), db.write(raw=True) as s:
        certificates.reissue(s, old.serial, "Bị mất")
    with db.read() as s:
        assert certificates.verify(s, old.verification_code).as_json()["status"] == "replaced"
        assert certificates.verify(s, new.verification_code).valid
        (section,) = certificates.register_sections(s, 2025)
        docs = certificates.class_documents(s, "DVM1")
    assert len(section.lines) == 4
    assert [(a.action, a.old_serial, a.new_serial, a.new_register_number, a.reason) for a in section.appendix] == [
        ("reissue", old.serial, new.serial, new.register_number, "Sai họ tên")]
    assert "số hiệu mới 0004/GCN-2025" in section.lines[0].note
    assert "thay số hiệu " + old.serial in section.lines[3].note
    assert docs.issued == 3 and docs.to_issue == 0  # the learner holds the new document


# ---------------------------------------------------------------------------------- verify


def _issued_one(db: Database) -> tuple[certificates.CertificateRow, str]:
    make_class(db, "DVM1", size=2)
    with db.write(raw=True) as s:
        rows = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
        job = certificates.print_job(s, "DVM1")
    return rows[0], job.documents[0][1]["qr"]


def test_verify_by_short_code_qr_and_serial(db: Database) -> None:
    row, qr = _issued_one(db)
    with db.read() as s:
        for code in (row.verification_code, row.verification_code.lower().replace("-", " "), qr, row.serial):
            result = certificates.verify(s, code)
            assert result.as_json() == {"valid": True, "status": "issued", "full_name": row.full_name,
                                        "serial": row.serial}, code
    assert qr.startswith("DTBD1:") and qr == qr.upper()


def test_forged_or_altered_codes_are_refused(db: Database) -> None:
    row, qr = _issued_one(db)
    unknown = {"valid": False, "status": "unknown", "full_name": None, "serial": None}
    short = row.verification_code
    altered_short = short[:-1] + ("0" if short[-1] != "0" else "1")
    prefix, payload, kid, signature = qr.split(":")
    other_payload = signing._b32(signing._unb32(payload).decode().replace(row.full_name, "Nguyễn Văn Giả").encode())
    forged_key = signing.Ed25519PrivateKey.generate()
    forged_code = signing.sign(forged_key, signing._unb32(payload).decode())
    forged_qr = signing.qr_text(signing._unb32(payload).decode(), forged_code)
    with db.read() as s:
        assert certificates.verify(s, altered_short).as_json() == unknown
        assert certificates.verify(s, ":".join((prefix, other_payload, kid, signature))).as_json() == unknown
        flipped = signature[:40] + ("A" if signature[40] != "A" else "B") + signature[41:]
        assert certificates.verify(s, ":".join((prefix, payload, kid, flipped))).as_json() == unknown
        padded = signature[:-1] + ("Q" if signature[-1] != "Q" else "A")  # same bytes, other spelling
        assert certificates.verify(s, ":".join((prefix, payload, kid, padded))).as_json() == unknown
        assert certificates.verify(s, forged_qr).as_json() == unknown  # right data, somebody else's key
        assert certificates.verify(s, "DTBD1:not:a:code").as_json() == unknown
        assert certificates.verify(s, "").as_json() == unknown
    # A register line edited behind the program's back no longer matches its signature.
    with db.write(raw=True) as s:
        s.execute(update(Certificate).where(Certificate.serial == row.serial).values(classification="Xuất sắc"))
    with db.read() as s:
        result = certificates.verify(s, row.verification_code)
    assert result.as_json() == unknown and "bị sửa" in result.message


def test_a_genuine_signature_on_a_serial_missing_from_the_register_is_not_genuine(sqlite_db: Database) -> None:
    """A QR made with an enrolled key for a line that is not in the register (a made-up person, a
    line deleted from the file) is refused: a real document always has its line."""
    from sqlalchemy import delete

    row, qr = _issued_one(sqlite_db)
    with sqlite_db.write(raw=True) as s:
        s.execute(delete(AuditEntry).where(AuditEntry.entity_id == row.serial))
        s.execute(delete(Certificate).where(Certificate.serial == row.serial))
    with sqlite_db.read() as s:
        result = certificates.verify(s, qr)
    assert result.as_json() == {"valid": False, "status": "unknown", "full_name": row.full_name, "serial": row.serial}
    assert "không có trong sổ gốc" in result.message


def test_each_pc_signs_with_its_own_enrolled_key_and_all_verify(db: Database, monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Any) -> None:
    from dtbd_desktop.services import signing_keys

    make_class(db, "DVM1", size=2)
    make_class(db, "DVM2", size=2)
    with db.write(raw=True) as s:
        first = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    monkeypatch.setenv("DTBD_DATA_DIR", str(tmp_path / "second-pc"))  # a replaced PC: no key yet
    with pytest.raises(InputError, match="chưa có khóa ký"), db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM2", D(2025, 3, 20))
    assert not (tmp_path / "second-pc" / "keys").exists()  # refusing never makes a key
    enrol_this_pc(db)  # the administrator enrols the new PC's key
    with db.write(raw=True) as s:
        second = certificates.issue_for_class(s, "DVM2", D(2025, 3, 20))
    monkeypatch.setenv("DTBD_DATA_DIR", str(tmp_path / "third-pc-without-key"))
    with db.read() as s:
        assert len(signing_keys.trusted_keys(s)) == 2
        for row in first + second:
            assert certificates.verify(s, row.verification_code).valid
    assert not (tmp_path / "third-pc-without-key").exists()  # verifying never makes a key


def test_class_documents_shows_who_still_needs_one(db: Database) -> None:
    make_class(db, "DVM1", size=4, ineligible=[3])
    with db.read() as s:
        docs = certificates.class_documents(s, "DVM1")
    assert (docs.kind, docs.to_issue, docs.issued) == ("certificate", 3, 0)
    assert [line.reasons for line in docs.lines if not line.eligible] == [("Vắng quá 20% số tiết",)]
    with db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    with db.read() as s:
        docs = certificates.class_documents(s, "DVM1")
        listed = certificates.list_certificates(s, year=2025, search="chau")
    assert (docs.to_issue, docs.issued) == (0, 3)
    assert [r.full_name for r in listed] == ["Lê Minh Châu"]
