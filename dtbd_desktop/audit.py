"""The audit log: who changed what, when, from which value to which, and why.

Entries are chained: each stores the hash of the previous entry and its own hash over its
content and that previous hash, so an edited, inserted or deleted entry breaks the chain,
and `verify_chain` reports where. Entries are written in the same transaction as the change
they record, so a change without its entry (or the reverse) cannot be committed.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import json
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dtbd_desktop.db.models import AuditEntry

GENESIS = "0" * 64


_actor: str | None = None


def set_actor(username: str | None) -> None:
    """The logged-in person, recorded in every entry (set by accounts.act_as)."""
    global _actor
    _actor = username


def current_actor() -> str:
    """The person acting: the logged-in account, else DTBD_USER, else the OS account."""
    if _actor:
        return _actor
    user = os.environ.get("DTBD_USER")
    if user:
        return user
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name on some service accounts
        return "unknown"


def _value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str, sort_keys=True)


def _digest(entry: AuditEntry, prev_hash: str) -> str:
    content = [
        entry.at.isoformat(timespec="microseconds"), entry.username, entry.action, entry.entity, entry.entity_id,
        entry.field, entry.old_value, entry.new_value, entry.reason, prev_hash,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8")).hexdigest()


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
    actor: str | None = None,
) -> AuditEntry:
    """Append one entry, chained to the last one. Call inside the unit of work that makes the change."""
    last = session.execute(
        select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1).with_for_update()
    ).scalar()
    prev_hash = last or GENESIS
    entry = AuditEntry(
        at=dt.datetime.now().replace(tzinfo=None),
        username=actor or current_actor(),
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        field=field,
        old_value=_value(old),
        new_value=_value(new),
        reason=reason,
        prev_hash=prev_hash,
    )
    entry.hash = _digest(entry, prev_hash)
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class ChainBreak:
    entry_id: int
    problem: str


def verify_chain(session: Session) -> list[ChainBreak]:
    """Every place where the chain does not hold; empty when the log is intact."""
    breaks: list[ChainBreak] = []
    expected_prev = GENESIS
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        if entry.prev_hash != expected_prev:
            breaks.append(ChainBreak(entry.id, "previous hash does not match: an entry was removed or inserted"))
        if entry.hash != _digest(entry, entry.prev_hash or GENESIS):
            breaks.append(ChainBreak(entry.id, "content does not match its hash: the entry was altered"))
        expected_prev = entry.hash or ""
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
