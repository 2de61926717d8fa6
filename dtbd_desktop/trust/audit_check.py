"""`dtbd audit verify`: the audit log checked whole, and the protected records against it.

What is checked, in one pass over the log (the README lists what each check catches):

1. **Links**: positions 1, 2, 3... without gaps or repeats, each entry pointing at the hash of
   the one before and matching its own hash.
2. **Signatures**: once the database has an account with a key, every entry is signed by the
   key of the account it names, as the log itself recorded that key; entries about accounts and
   signing keys are signed by an administrator (or by the account itself for its own password).
3. **Protected records**: the last state the log holds for every score, finalised module,
   graduation result, certificate, account and signing key equals the record in the database.
4. **Documents**: every register line's signature verifies with a key the log shows enrolled.
5. **The end of the log**: it still reaches the last entry this PC wrote or checked (`witness`),
   unless an administrator restored a backup since.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr, tr_noop
from dtbd_desktop.db.models import (
    AuditEntry,
    Certificate,
    Enrolment,
    Learner,
    Module,
    TrainingClass,
)
from dtbd_desktop.trust import audit, protected, signing
from dtbd_desktop.trust.audit import GENESIS, ChainBreak, check_links

ENTITY_LABELS = {
    "score": tr_noop("audit", "Điểm"), "score_lock": tr_noop("audit", "Chốt điểm"),
    "graduation_result": tr_noop("audit", "Kết quả xét tốt nghiệp"), "certificate": tr_noop("audit", "Văn bằng"),
    "user": tr_noop("audit", "Tài khoản"), "signing_key": tr_noop("audit", "Khóa ký văn bằng"),
}
#: Changes to accounts and keys only an administrator may sign (or the account itself, for these).
ADMIN_ONLY = {"user", "signing_key"}
SELF_SERVICE = {"user.password", "user.key"}
RESTORE_ACTION = "backup.restore"
MAX_DESCRIBED = 50


@dataclass
class Report:
    breaks: list[ChainBreak] = field(default_factory=list)
    head: tuple[int, str] = (0, GENESIS)
    entries: int = 0
    restored_since_witness: bool = False

    @property
    def intact(self) -> bool:
        return not self.breaks


class _Replay:
    """The log read forward: accounts' keys and roles, enrolled keys, protected states."""

    def __init__(self) -> None:
        self.keys: dict[str, str | None] = {}
        self.roles: dict[str, str] = {}
        self.signing_keys: dict[str, str] = {}
        self.states: dict[tuple[str, str], Any] = {}
        self.last_entry: dict[tuple[str, str], int] = {}
        self.public_cache: dict[str, Ed25519PublicKey | None] = {}
        self.breaks: list[ChainBreak] = []

    @property
    def accounts_started(self) -> bool:
        return any(self.keys.values())

    def _signed_ok(self, entry: AuditEntry, signature: bytes, state: Any) -> bool:
        public = self.keys.get(entry.username or "")
        if public is None and entry.action == "user.key" and entry.entity_id == entry.username \
                and isinstance(state, dict) and entry.username in self.keys:
            public = state.get("key")  # an account of the first build making its key at its first login
        return signing.signed_by(public, signature, (entry.hash or "").encode("ascii"), self.public_cache)

    def signature(self, entry: AuditEntry, has_state: bool, state: Any) -> None:
        signature = audit.signature_bytes(entry)
        if signature is not None:
            if not self._signed_ok(entry, signature, state):
                self.breaks.append(ChainBreak(entry.id, tr("audit", "Chữ ký không đúng với khóa của tài khoản {user}: "
                                                                    "mục nhật ký bị giả hoặc bị sửa.").format(
                    user=entry.username)))
            elif entry.entity in ADMIN_ONLY and has_state and entry.action not in SELF_SERVICE \
                    and self.accounts_started and self.roles.get(entry.username or "") != "admin":
                self.breaks.append(ChainBreak(entry.id, tr("audit", "Tài khoản {user} không phải quản trị mà ghi thay đổi "
                                                                    "tài khoản hoặc khóa ký.").format(user=entry.username)))
            return
        if entry.action in audit.SYSTEM_ACTIONS:
            if entry.action == "audit.baseline" and self.accounts_started:
                self.breaks.append(ChainBreak(entry.id, tr("audit", "Ảnh chụp dữ liệu không chữ ký sau khi đã có tài khoản: "
                                                                    "mục nhật ký bị giả.")))
            return
        if not self.accounts_started:
            return
        if (entry.username or "") in self.keys and self.keys[entry.username or ""] is None:
            return  # an account of the first build that has not logged in since the upgrade
        self.breaks.append(ChainBreak(entry.id, tr("audit", "Mục nhật ký không có chữ ký của tài khoản nào: bị thêm vào "
                                                            "ngoài chương trình.")))

    def apply(self, entry: AuditEntry, has_state: bool, state: Any) -> None:
        if not has_state:
            return
        if entry.action == "audit.baseline":
            if isinstance(state, dict):
                for entity, records in state.items():
                    if isinstance(records, dict):
                        for rid, value in records.items():
                            self._set(entry, str(entity), str(rid), value)
            return
        self._set(entry, entry.entity, entry.entity_id or "", state)

    def _set(self, entry: AuditEntry, entity: str, rid: str, value: Any) -> None:
        self.states[(entity, rid)] = value
        self.last_entry[(entity, rid)] = entry.id
        if entity == "user":
            self.keys[rid] = value.get("key") if isinstance(value, dict) else None
            if isinstance(value, dict) and value.get("active", True):
                self.roles[rid] = str(value.get("role"))
            else:
                self.roles.pop(rid, None)
        elif entity == "signing_key" and isinstance(value, dict) and value.get("key"):
            self.signing_keys[rid] = str(value["key"])


def verify(session: Session, *, witness: tuple[int, str, dt.datetime | None] | None = None) -> Report:
    """The whole check (see the module's docstring)."""
    entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq, AuditEntry.id)))
    report = Report(entries=len(entries))
    report.breaks.extend(check_links(entries))
    replay = _Replay()
    restores: list[AuditEntry] = []
    for entry in entries:
        has_state, state = audit.decode_state(entry.state)
        replay.signature(entry, has_state, state)
        replay.apply(entry, has_state, state)
        if entry.action == RESTORE_ACTION and entry.signature:
            restores.append(entry)
    report.breaks.extend(replay.breaks)
    if entries:
        last = entries[-1]
        report.head = (int(last.seq or 0), last.hash or GENESIS)
    report.breaks.extend(_compare_records(session, replay))
    report.breaks.extend(_check_documents(session, replay))
    if witness is not None:
        _check_witness(entries, restores, witness, report)
    return report


def _check_witness(entries: Sequence[AuditEntry], restores: Sequence[AuditEntry],
                   witness: tuple[int, str, dt.datetime | None], report: Report) -> None:
    seq, digest, seen = witness
    if any(e.seq == seq and e.hash == digest for e in entries):
        return
    if restores and (seen is None or any(r.at >= seen - dt.timedelta(minutes=1) for r in restores)):
        report.restored_since_witness = True
        return
    when = seen.strftime("%d/%m/%Y %H:%M") if seen else "?"
    report.breaks.append(ChainBreak(None, tr("audit", "Nhật ký không còn mục thứ {seq} mà máy này đã ghi hoặc kiểm tra "
                                                      "lúc {when}: phần cuối nhật ký đã bị xóa hoặc bị thay.").format(
        seq=seq, when=when)))


def _compare_records(session: Session, replay: _Replay) -> list[ChainBreak]:
    snap = protected.snapshot(session)
    differences: list[tuple[str, str, Any, Any]] = []
    for entity in protected.ENTITIES:
        current = snap.get(entity, {})
        audited = {rid: value for (ent, rid), value in replay.states.items() if ent == entity and value is not None}
        for rid in sorted(set(current) | set(audited)):
            if current.get(rid) != audited.get(rid):
                differences.append((entity, rid, current.get(rid), audited.get(rid)))
    breaks = []
    for entity, rid, now, logged in differences[:MAX_DESCRIBED]:
        what = _describe(session, entity, rid)
        if logged is None:
            problem = tr("audit", "{what}: có trong cơ sở dữ liệu ({now}) nhưng nhật ký không ghi lần thay đổi nào: "
                                  "đã bị thêm hoặc sửa ngoài chương trình.")
        elif now is None:
            problem = tr("audit", "{what}: nhật ký ghi {logged} nhưng cơ sở dữ liệu không còn: đã bị xóa ngoài "
                                  "chương trình.")
        else:
            problem = tr("audit", "{what}: cơ sở dữ liệu ghi {now}, lần thay đổi cuối trong nhật ký là {logged}: đã bị "
                                  "sửa ngoài chương trình.")
        breaks.append(ChainBreak(replay.last_entry.get((entity, rid)), problem.format(
            what=what, now=_show(entity, now), logged=_show(entity, logged))))
    if len(differences) > MAX_DESCRIBED:
        breaks.append(ChainBreak(None, tr("audit", "... và {n} bản ghi khác không khớp nhật ký.").format(
            n=len(differences) - MAX_DESCRIBED)))
    return breaks


_STATUS = {"issued": tr_noop("audit", "Đã cấp"), "revoked": tr_noop("audit", "Đã thu hồi"),
           "replaced": tr_noop("audit", "Đã cấp lại")}


def _show(entity: str, value: Any) -> str:
    """A protected record's state as a person reads it."""
    from dtbd_desktop.trust.accounts import ROLE_LABELS

    if value is None:
        return "-"
    if not isinstance(value, dict):
        text = str(value)
        return text.replace(".", ",") if entity == "score" else text
    if entity == "certificate":
        status = str(value.get("status"))
        return tr("audit", _STATUS[status]) if status in _STATUS else tr("audit", "tình trạng \"{status}\"").format(
            status=status)
    if entity == "user":
        role = tr("accounts", ROLE_LABELS.get(str(value.get("role")), str(value.get("role"))))
        active = tr("audit", "đang hoạt động") if value.get("active") else tr("audit", "ngừng")
        key = signing.key_id(str(value["key"])) if value.get("key") else "-"
        return tr("audit", "{role}, {active}, khóa {key}").format(role=role, active=active, key=key)
    if entity == "graduation_result":
        verdict = tr("audit", "đủ điều kiện") if value.get("eligible") else tr("audit", "không đủ điều kiện")
        average = str(value.get("average") or "-").replace(".", ",")
        return f"{verdict}, {value.get('classification') or '-'}, {average}"
    if entity == "signing_key":
        state = tr("audit", "đang dùng") if value.get("active") else tr("audit", "thôi dùng")
        return f"{signing.key_id(str(value.get('key')))} {state}"
    return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()) if v is not None)


def _learner_of(session: Session, enrolment_id: int) -> str:
    row = session.execute(select(Learner, TrainingClass.code).join(Enrolment, Enrolment.learner_id == Learner.id)
                          .join(TrainingClass, TrainingClass.id == Enrolment.class_id)
                          .where(Enrolment.id == enrolment_id)).first()
    if row is None:
        return tr("audit", "học viên (mã ghi danh {id})").format(id=enrolment_id)
    return tr("audit", "{name}, lớp {code}").format(name=row[0].full_name, code=row[1])


def _describe(session: Session, entity: str, rid: str) -> str:
    label = tr("audit", ENTITY_LABELS.get(entity, tr_noop("audit", "Bản ghi")))
    try:
        if entity == "score":
            enrolment_id, module_id, attempt, component = rid.split("/", 3)
            module = session.get(Module, int(module_id))
            code = module.code if module else module_id
            part = f"{code}/{component}" if component else code
            return tr("audit", "Điểm học phần {module} lần {attempt} của {who}").format(
                module=part, attempt=attempt, who=_learner_of(session, int(enrolment_id)))
        if entity == "score_lock":
            class_id, module_id = rid.split("/", 1)
            cls = session.get(TrainingClass, int(class_id))
            module = session.get(Module, int(module_id))
            return tr("audit", "Chốt điểm học phần {module} lớp {code}").format(
                module=module.code if module else module_id, code=cls.code if cls else class_id)
        if entity == "graduation_result":
            return tr("audit", "Kết quả xét tốt nghiệp của {who}").format(who=_learner_of(session, int(rid)))
    except (ValueError, TypeError):
        pass
    return f"{label} {rid}"


def _check_documents(session: Session, replay: _Replay) -> list[ChainBreak]:
    breaks: list[ChainBreak] = []
    from dtbd_desktop.trust.signing import certificate_payload

    by_id = {signing.key_id(public): public for public in replay.signing_keys.values()}
    for cert in session.scalars(select(Certificate).order_by(Certificate.id)):
        if signing.is_past(cert.verification_code):
            if not signing.past_matches(cert):  # its state in the log names the digest it had
                breaks.append(ChainBreak(replay.last_entry.get(("certificate", cert.serial)), tr(
                    "audit", "Dòng sổ gốc số hiệu {serial} ({name}), nhập từ sổ gốc cũ, đã bị sửa ngoài chương trình.")
                    .format(serial=cert.serial, name=cert.full_name)))
            continue
        stored = signing.parse_stored(cert.verification_code)
        public = by_id.get(stored.key_id) if stored is not None else None
        if public is None or not signing.verify(public, certificate_payload(cert), cert.verification_code):
            breaks.append(ChainBreak(replay.last_entry.get(("certificate", cert.serial)), tr(
                "audit", "Dòng sổ gốc số hiệu {serial} ({name}) không khớp chữ ký bằng khóa đã đăng ký: đã bị sửa hoặc "
                         "thêm ngoài chương trình.").format(serial=cert.serial, name=cert.full_name)))
            if len(breaks) >= MAX_DESCRIBED:
                break
    return breaks

