"""The keys that sign documents: enrolled by an administrator, trusted only when enrolled.

Each PC that issues documents holds a private key file (`signing.key_path()`); an administrator
enrols that PC's public key (`enrol_key`, audited, with the key's state). Then:

* a PC issues only with its key file when that key is enrolled and active (`issuing_key`): a PC
  without a key file, with a damaged one, or with a key file replaced by another key is refused
  with a message saying what to do, and never signs;
* verifying trusts only enrolled keys (`trusted_keys`), and only those whose enrolment entry in
  the audit log is intact and, once the database has accounts, signed by an administrator: a key
  added to the database by hand is not trusted (and `audit verify` reports it too).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base import text
from dtbd_desktop.base.errors import InputError, NotFoundError
from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AuditEntry, SigningKey, User
from dtbd_desktop.trust import audit, operations, protected, signing
from dtbd_desktop.trust.operations import operation


@dataclass(frozen=True)
class KeyRow:
    key_id: str
    public_key: str
    label: str | None
    enrolled_by: str | None
    active: bool
    this_pc: bool


def key_file() -> Path:
    """Where this PC keeps its private key."""
    return signing.key_path()


def _this_pc_key() -> Ed25519PrivateKey | None:
    """This PC's key file, None when there is none; InputError when it cannot be read as a key."""
    path = signing.key_path()
    try:
        return signing.load_key(path)
    except (ValueError, TypeError, OSError) as exc:
        raise InputError(tr("certificates", "Tệp khóa ký của máy này ({path}) bị hỏng hoặc không phải khóa Ed25519: "
                                            "không ký văn bằng bằng tệp này. Hãy chép lại tệp khóa từ bản lưu trên USB, "
                                            "hoặc quản trị cất tệp hỏng sang chỗ khác rồi đăng ký khóa mới cho máy "
                                            "này.").format(path=path)) from exc


def list_keys(session: Session) -> list[KeyRow]:
    mine = None
    try:
        own = _this_pc_key()
        mine = signing.public_key_text(own) if own is not None else None
    except InputError:
        mine = None
    return [KeyRow(k.key_id, k.public_key, k.label, k.enrolled_by, k.active, k.public_key == mine)
            for k in session.scalars(select(SigningKey).order_by(SigningKey.id))]


@operation("certificates.enrol_key", permission="manage_keys")
def enrol_key(session: Session, label: str | None = None) -> KeyRow:
    """Enrol this PC's key for issuing documents, making the key file when the PC has none."""
    key = _this_pc_key() or signing.load_or_create_key()
    public = signing.public_key_text(key)
    row = session.scalar(select(SigningKey).where(SigningKey.public_key == public))
    if row is not None and row.active:
        raise InputError(tr("certificates", "Khóa của máy này ({id}) đã được đăng ký.").format(id=row.key_id))
    who = operations.acting(session).username
    if row is None:
        row = SigningKey(key_id=signing.key_id(public), public_key=public, label=text.clean(label), enrolled_by=who,
                         active=True)
        session.add(row)
    else:
        row.active = True
        row.label = text.clean(label) or row.label
    session.flush()
    audit.record(session, action="signing_key.enrol", entity="signing_key", entity_id=row.key_id,
                 new={"label": row.label}, state=protected.key_state(row))
    return KeyRow(row.key_id, row.public_key, row.label, row.enrolled_by, row.active, True)


@operation("certificates.retire_key", permission="manage_keys")
def retire_key(session: Session, key_id: str, reason: str) -> None:
    """Stop a key from signing new documents (a PC replaced, a key that may have leaked). Documents
    it signed before still verify: they are in the register."""
    row = session.scalar(select(SigningKey).where(SigningKey.key_id == key_id.strip().upper()))
    if row is None:
        raise NotFoundError(tr("certificates", "Không có khóa {id}.").format(id=key_id))
    clean = text.clean(reason)
    if not clean:
        raise InputError(tr("certificates", "Cần ghi lý do thôi dùng khóa."))
    row.active = False
    session.flush()
    audit.record(session, action="signing_key.retire", entity="signing_key", entity_id=row.key_id, reason=clean,
                 state=protected.key_state(row))


def issuing_key(session: Session) -> Ed25519PrivateKey:
    """This PC's key, if it may sign now; else InputError saying what to do."""
    key = _this_pc_key()
    if key is None:
        raise InputError(tr("certificates", "Máy này chưa có khóa ký văn bằng nên không cấp được. Quản trị hãy đăng ký "
                                            "khóa cho máy này: Quản trị → Khóa ký văn bằng → Đăng ký khóa của máy này "
                                            "(dòng lệnh: dtbd certificates enrol-key)."))
    public = signing.public_key_text(key)
    if public not in trusted_keys(session, active_only=True):
        raise InputError(tr("certificates", "Khóa ký trong tệp {path} (mã {id}) chưa được quản trị đăng ký hoặc đã "
                                            "thôi dùng: không ký văn bằng bằng khóa này. Nếu tệp khóa vừa bị thay, hãy "
                                            "chép lại tệp đúng; nếu đây là máy mới, quản trị hãy đăng ký khóa.").format(
            path=signing.key_path(), id=signing.key_id(public)))
    return key


def trusted_keys(session: Session, *, active_only: bool = False) -> list[str]:
    """Public keys whose enrolment the audit log shows intact (see the module's docstring): the
    key's last entry matches its hash and the key as it is now, and was signed by an administrator,
    unless it was made before the database had any account (or by the upgrade from the first build)."""
    rows = list(session.scalars(select(SigningKey)))
    if not rows:
        return []
    entries = {e.entity_id: e for e in session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "signing_key").order_by(AuditEntry.seq))}
    baseline = session.scalar(select(AuditEntry).where(AuditEntry.action == "audit.baseline")
                              .order_by(AuditEntry.seq.desc()).limit(1))
    first_account = session.scalar(select(AuditEntry.seq).where(
        AuditEntry.entity == "user", AuditEntry.state.is_not(None), AuditEntry.state != audit.encode_state(None))
        .order_by(AuditEntry.seq).limit(1))
    users = {u.username: u for u in session.scalars(select(User))}
    cache: dict[str, Ed25519PublicKey | None] = {}
    trusted = []
    for row in rows:
        if active_only and not row.active:
            continue
        entry = entries.get(row.key_id)
        if entry is None and baseline is not None:
            entry, state = baseline, audit.decode_state(baseline.state)[1]
            state = state.get("signing_key", {}).get(row.key_id) if isinstance(state, dict) else None
        elif entry is not None:
            state = audit.decode_state(entry.state)[1]
        if entry is None or entry.hash != audit.digest(entry, entry.prev_hash or audit.GENESIS):
            continue
        if state != protected.key_state(row):
            continue
        before_accounts = first_account is None or (entry.seq or 0) < first_account
        if not before_accounts and entry.action != "audit.baseline" and not _signed_by_admin(entry, users, cache):
            continue
        trusted.append(row.public_key)
    return trusted


def _signed_by_admin(entry: AuditEntry, users: dict[str, User], cache: dict[str, Ed25519PublicKey | None]) -> bool:
    user = users.get(entry.username or "")
    signature = audit.signature_bytes(entry)
    if user is None or user.role != "admin" or not signature:
        return False
    return signing.signed_by(user.public_key, signature, (entry.hash or "").encode("ascii"), cache)
