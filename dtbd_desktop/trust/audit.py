"""The audit log: who changed what, when, from which value to which, and why.

Entries form one chain: each has a gap-free position (`seq`), the hash of the entry before it
and its own hash over its content and that previous hash. Entries are written in the same
transaction as the change they record, by the operation that makes the change (see
`dtbd_desktop.trust.operations`), which names the authenticated account acting; nothing else may write
one.

* **One writer at a time.** On PostgreSQL an entry is appended under a transaction-scoped
  advisory lock, so two PCs never chain onto the same head; on SQLite `BEGIN IMMEDIATE` already
  serialises writers.
* **Signed.** Every entry made by an account is signed (Ed25519) with the account's key, which is
  derived from its password at login; the public keys are in the log itself (the accounts'
  states). Without a password nobody can append an entry or re-hash the chain after an edit.
* **States.** An entry about a protected record (a score, a finalised module, a graduation
  result, a certificate, an account, a signing key) carries the record's value after the change,
  so that `dtbd_desktop.trust.audit_check` can compare the records with the log.

`audit_check.verify` checks all of it; `verify_chain` here checks only the links and hashes.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from dtbd_desktop.base.i18n import tr
from dtbd_desktop.db.models import AuditEntry

GENESIS = "0" * 64
AUDIT_LOCK = 0x44544244_02  # "DTBD" + 2: the advisory lock every appending transaction takes
FORMAT = 2

#: Keys of `Session.info` shared with the operation layer.
ACTOR_KEY = "dtbd.actor"  # the verified Actor of the running operation (set by operations)
_HEAD_KEY = "dtbd.audit_head"  # (seq, hash) of the last entry of this transaction
_LOCKED_KEY = "dtbd.audit_locked"
WRITTEN_KEY = "dtbd.audit_written"  # entries appended by this transaction


class Actor(Protocol):
    """Who an entry is recorded for: the account acting, able to sign (or not, for the local
    administrator of a database without accounts)."""

    @property
    def username(self) -> str: ...

    def sign(self, data: bytes) -> bytes | None: ...


class _NO_STATE:  # noqa: N801 - a sentinel
    pass


NO_STATE: Any = _NO_STATE()


class AuditOutsideOperation(RuntimeError):
    """A change tried to write an audit entry without an operation naming who acts (a bug)."""


def _value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def encode_state(value: Any) -> str:
    return json.dumps({"v": value}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode_state(raw: str | None) -> tuple[bool, Any]:
    """(True, value) for an entry carrying a state, (False, None) otherwise."""
    if raw is None:
        return False, None
    try:
        data = json.loads(raw)
    except ValueError:
        return True, raw  # a damaged state: compared as it is, so it cannot match a record
    if not isinstance(data, dict) or "v" not in data:
        return True, raw
    return True, data["v"]


def digest(entry: AuditEntry, prev_hash: str) -> str:
    """The entry's hash over its content and the previous hash (format 1: the first build's)."""
    content: list[Any] = [
        entry.at.isoformat(timespec="microseconds"), entry.username, entry.action, entry.entity, entry.entity_id,
        entry.field, entry.old_value, entry.new_value, entry.reason, prev_hash,
    ]
    if (entry.format or 1) >= 2:
        content += [entry.seq, entry.state]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


def lock(session: Session) -> None:
    """Take the log's writer lock for the rest of the transaction (PostgreSQL; once)."""
    if session.info.get(_LOCKED_KEY):
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK})
    session.info[_LOCKED_KEY] = True


def head(session: Session) -> tuple[int, str]:
    """(seq, hash) of the last entry, (0, GENESIS) for an empty log."""
    cached = session.info.get(_HEAD_KEY)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    row = session.execute(select(AuditEntry.seq, AuditEntry.hash).where(AuditEntry.seq.is_not(None))
                          .order_by(AuditEntry.seq.desc()).limit(1)).first()
    return (0, GENESIS) if row is None or row[0] is None else (int(row[0]), str(row[1] or GENESIS))


def _append(session: Session, *, username: str, signer: Actor | None, action: str, entity: str, entity_id: Any,
            field: str | None, old: Any, new: Any, reason: str | None, state: Any) -> AuditEntry:
    lock(session)
    seq, prev_hash = head(session)
    entry = AuditEntry(
        at=dt.datetime.now().replace(tzinfo=None),
        username=username,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        field=field,
        old_value=_value(old),
        new_value=_value(new),
        reason=reason,
        prev_hash=prev_hash,
        seq=seq + 1,
        format=FORMAT,
        state=None if state is NO_STATE else encode_state(state),
    )
    entry.hash = digest(entry, prev_hash)
    if signer is not None:
        signature = signer.sign(entry.hash.encode("ascii"))
        entry.signature = None if signature is None else base64.b64encode(signature).decode("ascii")
    session.add(entry)
    session.flush()
    session.info[_HEAD_KEY] = (seq + 1, entry.hash)
    session.info[WRITTEN_KEY] = session.info.get(WRITTEN_KEY, 0) + 1
    return entry


def record(
    session: Session,
    *,
    action: str,
    entity: str,
    entity_id: Any = None,
    field: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str | None = None,
    state: Any = NO_STATE,
) -> AuditEntry:
    """Append one entry, chained to the last one and signed by the acting account. Only an
    operation (which has verified who acts) may call this, inside the unit of work making the
    change; `state` is the protected record's value after the change (None: removed)."""
    actor: Actor | None = session.info.get(ACTOR_KEY)
    if actor is None:
        raise AuditOutsideOperation(f"audit entry '{action}' outside an operation")
    return _append(session, username=actor.username, signer=actor, action=action, entity=entity,
                   entity_id=entity_id, field=field, old=old, new=new, reason=reason, state=state)


#: Entries the program writes with nobody signing: refused logins (the login itself failed, so
#: there is no key), and the snapshot taken when a database of the first build is upgraded.
SYSTEM_ACTIONS = frozenset({"user.locked", "audit.baseline"})


def record_system(session: Session, *, action: str, username: str, entity: str, entity_id: Any = None,
                  new: Any = None, state: Any = NO_STATE) -> AuditEntry:
    """An unsigned entry written by the program itself (see SYSTEM_ACTIONS)."""
    assert action in SYSTEM_ACTIONS, action
    return _append(session, username=username, signer=None, action=action, entity=entity, entity_id=entity_id,
                   field=None, old=None, new=new, reason=None, state=state)


def signature_bytes(entry: AuditEntry) -> bytes | None:
    if not entry.signature:
        return None
    try:
        return base64.b64decode(entry.signature, validate=True)
    except ValueError:
        return b""


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int | None
    problem: str


def verify_chain(session: Session) -> list[ChainBreak]:
    """Links and hashes only (see `audit_check.verify` for the whole check)."""
    return check_links(list(session.scalars(select(AuditEntry).order_by(AuditEntry.seq, AuditEntry.id))))


def check_links(entries: Sequence[AuditEntry]) -> list[ChainBreak]:
    """Positions, links and hashes of the entries (in chain order)."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS
    expected_seq = 1
    for entry in entries:
        if entry.seq != expected_seq:
            breaks.append(ChainBreak(entry.id, tr("audit", "Vị trí {seq} thay vì {expected}: có mục nhật ký bị xóa hoặc "
                                                           "chèn vào.").format(seq=entry.seq, expected=expected_seq)))
        if entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(entry.id, tr("audit", "Không nối với mục trước: có mục nhật ký bị xóa hoặc chèn "
                                                           "vào.")))
        if entry.hash != digest(entry, entry.prev_hash or GENESIS):
            breaks.append(ChainBreak(entry.id, tr("audit", "Nội dung không khớp mã băm: mục nhật ký đã bị sửa.")))
        expected_prev = entry.hash or ""
        expected_seq = (entry.seq or expected_seq) + 1
    return breaks


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    username: str | None
    action: str
    entity: str
    entity_id: str | None
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None


def search(
    session: Session,
    *,
    text: str | None = None,
    username: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 500,
) -> list[AuditRow]:
    """Newest first; `text` matches the action, the entity, its id, the values or the reason."""
    stmt = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if username:
        stmt = stmt.where(AuditEntry.username == username)
    if since:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(since, dt.time()))
    if until:
        stmt = stmt.where(AuditEntry.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time()))
    if text:
        pattern = f"%{text}%"
        stmt = stmt.where(
            AuditEntry.action.ilike(pattern) | AuditEntry.entity.ilike(pattern) | AuditEntry.entity_id.ilike(pattern)
            | AuditEntry.old_value.ilike(pattern) | AuditEntry.new_value.ilike(pattern)
            | AuditEntry.reason.ilike(pattern)
        )
    return [AuditRow(e.id, e.at, e.username, e.action, e.entity, e.entity_id, e.field, e.old_value, e.new_value,
                     e.reason) for e in session.scalars(stmt)]

