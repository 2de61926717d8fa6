"""Documents that cannot be forged or lost: enrolled keys only, one result when two people act at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select

from dtbd_desktop.base.errors import InputError, PermissionDenied
from dtbd_desktop.db.engine import Database, open_database
from dtbd_desktop.db.models import AuditEntry, Certificate, SigningKey
from dtbd_desktop.services import certificates, signing_keys
from dtbd_desktop.trust import operations, signing
from tests.logins import admin_login, create_account
from tests.test_certificates import make_class, run_cli

D = dt.date
ROOT = Path(__file__).resolve().parent.parent


def _issue(db: Database, code: str = "DVM1", size: int = 3) -> list[certificates.CertificateRow]:
    make_class(db, code, size=size)
    with db.write(raw=True) as s:
        return certificates.issue_for_class(s, code, D(2025, 3, 20))


def test_a_damaged_key_file_never_signs_and_never_stops_verifying(db: Database) -> None:
    rows = _issue(db)
    make_class(db, "DVM2", size=2)
    signing.key_path().write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key at all\n-----END PRIVATE KEY-----\n")
    with pytest.raises(InputError, match="bị hỏng") as refused, db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM2", D(2025, 3, 20))
    assert str(signing.key_path()) in refused.value.message
    with db.read() as s:
        assert certificates.verify(s, rows[0].verification_code).valid  # verifying needs no private key
    code, doc, _err = run_cli("--db", db.url, "certificates", "verify", rows[0].serial)
    assert code == 0 and doc["valid"] is True


def test_a_replaced_key_file_is_not_trusted(db: Database) -> None:
    _issue(db)
    make_class(db, "DVM2", size=2)
    stranger = Ed25519PrivateKey.generate()
    signing.key_path().write_bytes(stranger.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    with pytest.raises(InputError, match="chưa được quản trị đăng ký"), db.write(raw=True) as s:
        certificates.issue_for_class(s, "DVM2", D(2025, 3, 20))
    with db.read() as s:
        assert s.scalar(select(func.count(SigningKey.id))) == 1  # the stranger's key was not added


def test_a_key_added_to_the_database_by_hand_is_not_trusted(db: Database) -> None:
    """The attack of the first build: a PC that issued once added its key with no audit entry."""
    rows = _issue(db)
    stranger = Ed25519PrivateKey.generate()
    public = signing.public_key_text(stranger)
    with db.write(raw=True) as s:
        s.add(SigningKey(key_id=signing.key_id(public), public_key=public, label="?", active=True))
        cert = s.scalars(select(Certificate).where(Certificate.serial == rows[0].serial)).one()
        payload = signing.certificate_payload(cert)
        cert.full_name = "Người Được Sửa"  # an altered line, re-signed with the stranger's key
        payload = signing.certificate_payload(cert)
        cert.verification_code = signing.sign(stranger, payload)
    with db.read() as s:
        assert public not in signing_keys.trusted_keys(s)
        result = certificates.verify(s, rows[0].serial)
    assert not result.valid and "không khớp chữ ký" in result.message


def test_only_an_administrator_enrols_a_key_and_it_is_audited(db: Database, monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    make_class(db, "DVM1", size=1)
    admin = admin_login(db)
    office = create_account(db, "lan", "office", by=admin)
    monkeypatch.setenv("DTBD_DATA_DIR", str(tmp_path / "new-pc"))
    with pytest.raises(PermissionDenied), operations.writing(db, office) as s:
        signing_keys.enrol_key(s, "Máy phòng đào tạo")
    with operations.writing(db, admin) as s:
        row = signing_keys.enrol_key(s, "Máy phòng đào tạo")
    with db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "signing_key.enrol")
                          .order_by(AuditEntry.seq.desc())).first()
        assert entry is not None and (entry.entity_id, entry.username) == (row.key_id, "quantri") and entry.signature
        assert row.public_key in signing_keys.trusted_keys(s)
    with operations.writing(db, office) as s:
        assert len(certificates.issue_for_class(s, "DVM1", D(2025, 3, 20))) == 1


def test_issuing_again_never_gives_a_revoked_learner_a_new_document(db: Database) -> None:
    rows = _issue(db, size=2)
    with db.write(raw=True) as s:
        certificates.revoke(s, rows[0].serial, "Gian lận trong bài thu hoạch")
    with db.write(raw=True) as s:
        assert certificates.issue_for_class(s, "DVM1", D(2025, 3, 25)) == []
    with db.read() as s:
        assert s.scalar(select(func.count(Certificate.id))) == 2


def test_revoking_with_a_stale_version_is_a_conflict(db: Database) -> None:
    rows = _issue(db, size=1)
    with db.read() as s:
        seen = s.scalars(select(Certificate.version)).one()
    with db.write(raw=True) as s:  # someone else reissues first
        certificates.reissue(s, rows[0].serial, "Bị mất", D(2025, 4, 1), expected_version=seen)
    with pytest.raises(InputError, match="vừa được người khác thay đổi"), db.write(raw=True) as s:
        certificates.revoke(s, rows[0].serial, "Sai ngày sinh", expected_version=seen)


CHILD = r"""
import json, sys, time
from dtbd_desktop.trust import operations
from dtbd_desktop.db.engine import open_database
from dtbd_desktop.base.errors import InputError
from dtbd_desktop.services import certificates
url, start, action, serial = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
db = open_database(url)
while time.time() < start:
    time.sleep(0.002)
try:
    with operations.writing(db, None) as s:
        if action == "reissue":
            old, new = certificates.reissue(s, serial, "Bị mất")
            result = {"ok": new.serial}
        else:
            result = {"ok": certificates.revoke(s, serial, "Thu hồi").status}
except InputError as exc:
    result = {"refused": exc.message}
print(json.dumps(result))
"""


def _at_once(url: str, tmp_path: Path, actions: list[str], serial: str) -> list[dict[str, str]]:
    start = time.time() + 2.5
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    procs = [subprocess.Popen([sys.executable, "-c", CHILD, url, str(start), action, serial], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for action in actions]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=120)
        assert p.returncode == 0, stderr
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def test_four_reissues_of_one_document_at_once_leave_one_live_document(db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    try:
        (row,) = _issue(db, size=1)
    finally:
        db.dispose()
    results = _at_once(db_url, tmp_path, ["reissue"] * 4, row.serial)
    assert sum(1 for r in results if "ok" in r) == 1
    assert all("đã được cấp lại" in r["refused"] for r in results if "refused" in r)
    db = open_database(db_url)
    try:
        with db.read() as s:
            live = s.scalars(select(Certificate.serial).where(Certificate.status == "issued")).all()
            assert len(live) == 1
    finally:
        db.dispose()


def test_a_revocation_and_a_reissue_at_once_give_one_result_and_lose_nothing(db_url: str, tmp_path: Path) -> None:
    db = open_database(db_url)
    try:
        (row,) = _issue(db, size=1)
    finally:
        db.dispose()
    results = _at_once(db_url, tmp_path, ["revoke", "reissue"], row.serial)
    assert sum(1 for r in results if "ok" in r) == 1 and sum(1 for r in results if "refused" in r) == 1
    db = open_database(db_url)
    try:
        with db.read() as s:
            statuses = dict(s.execute(select(Certificate.serial, Certificate.status)).all())
        first = statuses.pop(row.serial)
        if first == "revoked":
            assert statuses == {}  # the reissue was refused: nothing else issued
        else:
            assert first == "replaced" and list(statuses.values()) == ["issued"]
    finally:
        db.dispose()
