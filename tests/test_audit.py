"""The audit log notices: what someone with the database file and sqlite3 (or psql) tries is reported.

Each test is one attack from issue 13, made on the file directly, then `audit verify` (the core,
and the command line for a few) says what was done.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from dtbd_desktop.db.engine import Database
from dtbd_desktop.db.models import AuditEntry, Certificate, Score, User
from dtbd_desktop.services import certificates, users
from dtbd_desktop.trust import audit, audit_check, operations, witness
from dtbd_desktop.trust.accounts import Login
from dtbd_desktop.trust.audit import AuditOutsideOperation, record, verify_chain
from tests.logins import admin_login, create_account
from tests.test_certificates import make_class
from tests.test_scores import NID, build_class

D = dt.date


def _scored(db: Database) -> Login:
    """A class with scores entered by the office, through the program, with accounts."""
    with db.write(raw=True) as s:
        build_class(s)
    admin = admin_login(db)
    office = create_account(db, "lan", "office", by=admin, full_name="Trần Thị Lan")
    with operations.writing(db, office) as s:
        from dtbd_desktop.services import scores

        scores.set_score(s, "T01", NID["An"], "A", "7,0")
        scores.set_score(s, "T01", NID["Bình"], "A", "6,5")
        scores.set_score(s, "T01", NID["An"], "A", "7,5", reason="Phúc khảo")
    return office


def _verify(db: Database, *, with_witness: bool = True) -> audit_check.Report:
    seen = witness.recall(db) if with_witness else None
    with db.read() as s:
        return audit_check.verify(s, witness=seen)


def _problems(report: audit_check.Report) -> str:
    return "\n".join(b.problem for b in report.breaks)


def test_an_untouched_log_verifies_and_names_the_accounts(db: Database) -> None:
    _scored(db)
    report = _verify(db)
    assert report.intact, _problems(report)
    with db.read() as s:
        entries = [(e.username, e.action, e.old_value, e.new_value, e.signature is not None)
                   for e in s.scalars(select(AuditEntry).where(AuditEntry.entity == "score").order_by(AuditEntry.seq))]
        seqs = list(s.scalars(select(AuditEntry.seq).order_by(AuditEntry.seq)))
    assert entries == [("lan", "score.set", None, "7.0", True), ("lan", "score.set", None, "6.5", True),
                       ("lan", "score.set", "7.0", "7.5", True)]
    assert seqs == list(range(1, len(seqs) + 1))


def test_an_entry_cannot_be_written_outside_an_operation(db: Database) -> None:
    with pytest.raises(AuditOutsideOperation), db.write(raw=True) as s:
        record(s, action="score.set", entity="score", entity_id="1/1/1/", new="10.0")


def test_a_score_changed_in_the_file_is_reported(db: Database) -> None:
    _scored(db)
    with db.write(raw=True) as s:
        s.execute(update(Score).values(value=10))
    report = _verify(db)
    assert not report.intact
    assert "Điểm học phần A lần 1 của Nguyễn Văn An, lớp T01: cơ sở dữ liệu ghi 10,0, lần thay đổi cuối trong nhật ký " \
           "là 7,5" in _problems(report)
    assert "Trần Thị Bình" in _problems(report)


def test_an_altered_entry_is_reported(db: Database) -> None:
    _scored(db)
    with db.write(raw=True) as s:
        first = s.scalars(select(AuditEntry).where(AuditEntry.entity == "score").order_by(AuditEntry.seq)).first()
        assert first is not None
        s.execute(update(AuditEntry).where(AuditEntry.id == first.id).values(new_value="9.0"))
        first_id = first.id
    report = _verify(db)
    assert [b.entry_id for b in report.breaks] == [first_id]
    assert "đã bị sửa" in report.breaks[0].problem


def test_an_edit_rehashed_to_the_end_is_reported_by_the_signatures(db: Database) -> None:
    """The attacker changes a score and its entry and recomputes every hash after it: the chain's
    links hold, but the entries' signatures (made with the accounts' keys) no longer do."""
    _scored(db)
    with db.write(raw=True) as s:
        s.execute(update(Score).where(Score.value == 7.5).values(value=9.5))
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        target = next(e for e in entries if e.new_value == "7.5")
        target.new_value, target.state = "9.5", audit.encode_state("9.5")
        prev = target.prev_hash or audit.GENESIS
        for entry in entries[entries.index(target):]:
            entry.prev_hash = prev
            entry.hash = audit.digest(entry, prev)
            prev = entry.hash
    report = _verify(db, with_witness=False)
    assert verify_chain_links_hold(db)
    assert any("Chữ ký không đúng" in b.problem and b.entry_id == target.id for b in report.breaks), _problems(report)


def verify_chain_links_hold(db: Database) -> bool:
    with db.read() as s:
        return verify_chain(s) == []


def test_a_forged_entry_appended_is_reported(db: Database) -> None:
    """An entry added with sqlite3 with a correct hash but no account's signature; and one signed
    with a key of the attacker's own."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    _scored(db)
    with db.write(raw=True) as s:
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert last is not None
        forged = AuditEntry(at=dt.datetime.now(), username="lan", action="score.set", entity="score",
                            entity_id="1/1/1/", old_value="7.5", new_value="10.0", prev_hash=last.hash,
                            seq=(last.seq or 0) + 1, format=2, state=audit.encode_state("10.0"))
        forged.hash = audit.digest(forged, last.hash or audit.GENESIS)
        s.add(forged)
        s.flush()
        second = AuditEntry(at=dt.datetime.now(), username="lan", action="score.set", entity="score",
                            entity_id="1/1/1/", new_value="10.0", prev_hash=forged.hash, seq=(forged.seq or 0) + 1,
                            format=2, state=audit.encode_state("10.0"))
        second.hash = audit.digest(second, forged.hash or audit.GENESIS)
        second.signature = base64.b64encode(Ed25519PrivateKey.generate().sign(second.hash.encode())).decode()
        s.add(second)
        s.flush()
        forged_id, second_id = forged.id, second.id
    report = _verify(db, with_witness=False)
    assert any(b.entry_id == forged_id and "không có chữ ký" in b.problem for b in report.breaks)
    assert any(b.entry_id == second_id and "Chữ ký không đúng" in b.problem for b in report.breaks)


def test_a_deleted_tail_is_reported_by_this_pcs_witness(db: Database) -> None:
    _scored(db)
    with db.write(raw=True) as s:
        last_seq = s.scalar(select(func.max(AuditEntry.seq)))
        s.execute(delete(AuditEntry).where(AuditEntry.seq == last_seq))
        s.execute(update(Score).where(Score.value == 7.5).values(value=7.0))  # and the record put back
    report = _verify(db)
    assert any(f"không còn mục thứ {last_seq}" in b.problem for b in report.breaks), _problems(report)
    assert _verify(db, with_witness=False).intact  # copied to another PC, this one attack is not seen


def test_a_deleted_log_is_reported(db: Database) -> None:
    _scored(db)
    with db.write(raw=True) as s:
        s.execute(delete(AuditEntry))
    report = _verify(db, with_witness=False)
    problems = _problems(report)
    assert "Tài khoản lan: có trong cơ sở dữ liệu" in problems  # every account, score... now unexplained
    assert "Điểm học phần A lần 1 của Nguyễn Văn An" in problems


def test_a_role_and_a_certificate_status_changed_in_the_file_are_reported(db: Database) -> None:
    make_class(db, "DVM1", size=2)
    admin = admin_login(db)
    with operations.writing(db, admin) as s:
        (row, _other) = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
        certificates.revoke(s, row.serial, "Cấp nhầm người")
        users.create_user(s, username="xem", full_name="Người Xem", role="viewer", password="mat-khau-123")
    with db.write(raw=True) as s:
        s.execute(update(Certificate).where(Certificate.serial == row.serial).values(status="issued"))
        s.execute(update(User).where(User.username == "xem").values(role="admin"))
    problems = _problems(_verify(db))
    assert f"Văn bằng {row.serial}: cơ sở dữ liệu ghi Đã cấp" in problems
    assert "Tài khoản xem: cơ sở dữ liệu ghi Quản trị" in problems


def test_a_register_line_added_with_sqlite_is_reported(db: Database) -> None:
    make_class(db, "DVM1", size=2)
    admin = admin_login(db)
    with operations.writing(db, admin) as s:
        (row, _other) = certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))
    with db.write(raw=True) as s:
        cert = s.scalars(select(Certificate).where(Certificate.serial == row.serial)).one()
        s.expunge(cert)
        from sqlalchemy.orm import make_transient

        make_transient(cert)
        cert.id, cert.serial, cert.sequence, cert.register_number = None, "9999/GCN-2025", 9999, "9999/2025/CN"
        cert.full_name = "Người Không Có Thật"
        s.add(cert)
    problems = _problems(_verify(db))
    assert "Văn bằng 9999/GCN-2025: có trong cơ sở dữ liệu" in problems
    assert "Dòng sổ gốc số hiệu 9999/GCN-2025 (Người Không Có Thật) không khớp chữ ký" in problems


def test_the_command_line_says_what_was_found(db_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from dtbd_desktop.cli.main import main
    from dtbd_desktop.db.engine import open_database

    db = open_database(db_url)
    try:
        _scored(db)
        with db.write(raw=True) as s:
            s.execute(update(Score).values(value=10))
    finally:
        db.dispose()
    assert main(["--db", db_url, "audit", "verify", "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert doc["intact"] is False and len(doc["breaks"]) == 2
    assert all(set(b) == {"entry", "problem"} for b in doc["breaks"])


def test_search_by_text_and_user(db: Database) -> None:
    from dtbd_desktop.trust.audit import search

    _scored(db)
    with db.read() as s:
        assert [r.action for r in search(s, text="phúc khảo")] == ["score.set"]
        assert {r.action for r in search(s, username="quantri")} >= {"user.create"}
        assert [r.new_value for r in search(s, username="lan") if r.action == "score.set"] == ["7.5", "6.5", "7.0"]
    assert verify_chain_links_hold(db)
